//! §4, "Related PAT-mode user routes": connecting GitHub with a personal access token on
//! an instance in PAT mode.

use super::client::Api;
use super::error::ApiError;
use super::fetch::Method;
use super::json::{Decode, Encode, encode};

const VALIDATE: &str = "/repositories/github/validate-pat";
const CONNECT: &str = "/repositories/github/connect-pat";
const DISCONNECT: &str = "/repositories/github/disconnect";

/// The scopes a PAT-mode token needs, and why, in the contract's order.
pub const PAT_MODE_SCOPES: [(&str, &str); 7] = [
    ("repo", "to read your repositories and build them"),
    ("workflow", "to add the build workflow to your repositories"),
    ("user:email", "to know who you are on GitHub"),
    ("admin:repo_hook", "to add the webhook that starts builds on push"),
    ("write:packages", "to push built images to GHCR"),
    ("read:packages", "to pull built images from GHCR"),
    ("delete:packages", "to clean up old images"),
];

#[derive(Encode)]
struct ValidateRequest {
    token: String,
}

/// `POST /repositories/github/validate-pat`: a verdict, always with 200.
#[derive(Clone, Debug, PartialEq, Decode)]
pub struct PatCheck {
    pub valid: bool,
    pub login: Option<String>,
    pub scopes: Option<Vec<String>>,
    #[serde(rename = "missingScopes")]
    pub missing_scopes: Option<Vec<String>>,
    /// `empty_token | invalid_token | sso_required | github_unreachable`.
    pub error: Option<String>,
    pub message: Option<String>,
}

#[derive(Encode)]
struct ConnectRequest {
    #[serde(rename = "personalAccessToken")]
    personal_access_token: String,
}

/// `POST /repositories/github/connect-pat`.
#[derive(Clone, Debug, PartialEq, Decode)]
pub struct PatConnected {
    #[serde(rename = "githubUsername")]
    pub github_username: Option<String>,
}

impl Api {
    pub async fn validate_pat(&self, token: &str) -> Result<PatCheck, ApiError> {
        let body = encode(&ValidateRequest {
            token: token.to_owned(),
        });
        self.call(Method::Post, VALIDATE, Some(body)).await
    }

    pub async fn connect_pat(&self, token: &str) -> Result<PatConnected, ApiError> {
        let body = encode(&ConnectRequest {
            personal_access_token: token.to_owned(),
        });
        self.call(Method::Post, CONNECT, Some(body)).await
    }

    pub async fn disconnect_github(&self) -> Result<(), ApiError> {
        self.call_empty(Method::Post, DISCONNECT).await
    }
}

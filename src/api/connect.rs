//! §3 and §4a of the contract: connecting a user's GitHub through the App, and the
//! user's connection.

use miniserde::json::Value;

use super::client::Api;
use super::error::ApiError;
use super::fetch::Method;
use super::json::{Decode, Encode, bigint_id, encode};

const INSTALL_URL: &str = "/repositories/github-app/install-url";
const CLAIM: &str = "/repositories/github-app/claim";
const GITHUB_STATUS: &str = "/repositories/github/status";

/// The exact refusal of a claim started by another Flui user (3c).
pub const CLAIMED_BY_SOMEONE_ELSE: &str = "This GitHub connection was started by someone else.";

/// `GET /repositories/github-app/install-url`. An older server sends neither `login` nor
/// a meaningful `needsInstall`.
#[derive(Clone, Debug, PartialEq, Decode)]
pub struct InstallUrl {
    #[serde(rename = "alreadyConnected")]
    pub already_connected: bool,
    pub login: Option<String>,
    #[serde(rename = "needsInstall")]
    pub needs_install: Option<bool>,
    #[serde(rename = "installUrl")]
    pub install_url: Option<String>,
}

#[derive(Encode)]
struct ClaimRequest {
    claim: String,
}

/// `POST /repositories/github-app/claim` (newer API).
#[derive(Clone, Debug, Decode)]
pub struct ClaimResponse {
    pub login: String,
    /// A Postgres bigint, null when this trip installed nothing (skipped, or an install
    /// request): read it with [`ClaimResponse::installation_id`].
    #[serde(rename = "installationId")]
    installation_id: Option<Value>,
}

impl ClaimResponse {
    /// The installation this trip produced, as a string whatever JSON type it came as.
    pub fn installation_id(&self) -> Option<String> {
        bigint_id(&self.installation_id)
    }
}

/// `GET /repositories/github/status`.
#[derive(Clone, Debug, PartialEq, Decode)]
pub struct GithubStatus {
    pub connected: bool,
    #[serde(rename = "githubUsername")]
    pub github_username: Option<String>,
    #[serde(rename = "connectedAt")]
    pub connected_at: Option<String>,
}

impl Api {
    pub async fn install_url(&self) -> Result<InstallUrl, ApiError> {
        self.call(Method::Get, INSTALL_URL, None).await
    }

    pub async fn claim(&self, claim: &str) -> Result<ClaimResponse, ApiError> {
        let body = encode(&ClaimRequest {
            claim: claim.to_owned(),
        });
        self.call(Method::Post, CLAIM, Some(body)).await
    }

    pub async fn github_status(&self) -> Result<GithubStatus, ApiError> {
        self.call(Method::Get, GITHUB_STATUS, None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installation_ids_come_as_numbers_strings_or_null() {
        for (body, expected) in [
            (r#"{"login":"octo","installationId":12345678}"#, Some("12345678")),
            (
                r#"{"login":"octo","installationId":"12345678"}"#,
                Some("12345678"),
            ),
            (r#"{"login":"octo","installationId":null}"#, None),
            (r#"{"login":"octo","installationId":""}"#, None),
            (r#"{"login":"octo","installationId":{"id":1}}"#, None),
            (r#"{"login":"octo"}"#, None),
        ] {
            let claim: ClaimResponse = crate::api::decode(body).unwrap();
            assert_eq!(claim.installation_id().as_deref(), expected, "{body}");
        }
    }

    #[test]
    fn an_older_install_url_answer_decodes() {
        let answer: InstallUrl = crate::api::decode(r#"{"alreadyConnected":true}"#).unwrap();
        assert!(answer.already_connected);
        assert_eq!(answer.login, None);
    }
}

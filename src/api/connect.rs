//! §3 and §4a of the contract: connecting a user's GitHub through the App, and the
//! user's connection.

use serde::{Deserialize, Serialize};

use super::client::{Api, Method};
use super::error::ApiError;
use super::json::{bigint_id, encode};

const INSTALL_URL: &str = "/repositories/github-app/install-url";
const CLAIM: &str = "/repositories/github-app/claim";
const GITHUB_STATUS: &str = "/repositories/github/status";

/// The exact refusal of a claim started by another Flui user (3c).
pub const CLAIMED_BY_SOMEONE_ELSE: &str = "This GitHub connection was started by someone else.";

/// `GET /repositories/github-app/install-url`. An older server sends neither `login` nor
/// a meaningful `needsInstall`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstallUrl {
    pub already_connected: bool,
    #[serde(default)]
    pub login: Option<String>,
    #[serde(default)]
    pub needs_install: Option<bool>,
    #[serde(default)]
    pub install_url: Option<String>,
}

#[derive(Serialize)]
struct ClaimRequest<'a> {
    claim: &'a str,
}

/// `POST /repositories/github-app/claim` (newer API).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimResponse {
    pub login: String,
    /// `None` when this trip installed nothing (skipped, or an install request).
    #[serde(default, deserialize_with = "bigint_id")]
    pub installation_id: Option<String>,
}

/// `GET /repositories/github/status`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GithubStatus {
    pub connected: bool,
    #[serde(default)]
    pub github_username: Option<String>,
    #[serde(default)]
    pub connected_at: Option<String>,
}

impl Api {
    pub async fn install_url(&self) -> Result<InstallUrl, ApiError> {
        self.call(Method::GET, INSTALL_URL, None).await
    }

    pub async fn claim(&self, claim: &str) -> Result<ClaimResponse, ApiError> {
        let body = encode(&ClaimRequest { claim })?;
        self.call(Method::POST, CLAIM, Some(body)).await
    }

    pub async fn github_status(&self) -> Result<GithubStatus, ApiError> {
        self.call(Method::GET, GITHUB_STATUS, None).await
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
            let claim: ClaimResponse = serde_json::from_str(body).unwrap();
            assert_eq!(claim.installation_id.as_deref(), expected, "{body}");
        }
    }

    #[test]
    fn an_older_install_url_answer_decodes() {
        let answer: InstallUrl = serde_json::from_str(r#"{"alreadyConnected":true}"#).unwrap();
        assert!(answer.already_connected);
        assert_eq!(answer.login, None);
    }
}

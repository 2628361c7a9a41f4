//! §5 of the contract: the GHCR personal access token the cluster pulls images with.

use serde::Deserialize;

use super::client::{Api, Method};
use super::error::ApiError;

const STATUS: &str = "/repositories/github-app/packages-pat/status";

/// Flui's `CredentialStatus`; anything newer than this dashboard is `Other`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CredentialStatus {
    Missing,
    Valid,
    ExpiringSoon,
    Expired,
    Invalid,
    UnknownExpiry,
    #[serde(other)]
    Other,
}

/// `GhcrPatStatus`, the body of every GHCR PAT endpoint.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GhcrPatStatus {
    pub configured: bool,
    #[serde(default)]
    pub status: Option<CredentialStatus>,
    #[serde(default)]
    pub expires_at: Option<String>,
    #[serde(default)]
    pub days_until_expiry: Option<i64>,
    #[serde(default)]
    pub last_rotated_at: Option<String>,
    #[serde(default)]
    pub last_verified_at: Option<String>,
    #[serde(default)]
    pub github_login: Option<String>,
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    /// Newer API, GET status only: false when the instance keeps images in its own registry.
    #[serde(default)]
    pub needed: Option<bool>,
}

impl Api {
    pub async fn ghcr_pat_status(&self) -> Result<GhcrPatStatus, ApiError> {
        self.call(Method::GET, STATUS, None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_api_without_needed_decodes() {
        let p: GhcrPatStatus = serde_json::from_str(r#"{"configured":false,"status":"MISSING"}"#).unwrap();
        assert_eq!(p.needed, None);
        assert_eq!(p.status, Some(CredentialStatus::Missing));
    }

    #[test]
    fn a_full_status_decodes() {
        let p: GhcrPatStatus = serde_json::from_str(
            r#"{"configured":true,"status":"EXPIRING_SOON","expiresAt":"2026-12-01T00:00:00.000Z","daysUntilExpiry":6,"lastRotatedAt":null,"lastVerifiedAt":"2026-11-24T03:00:00.000Z","githubLogin":"octo","scopes":["read:packages"],"needed":true}"#,
        )
        .unwrap();
        assert_eq!(p.days_until_expiry, Some(6));
        assert_eq!(p.status, Some(CredentialStatus::ExpiringSoon));
        assert_eq!(p.last_rotated_at, None);
    }

    #[test]
    fn an_unknown_credential_status_does_not_fail_the_page() {
        let p: GhcrPatStatus = serde_json::from_str(r#"{"configured":true,"status":"QUARANTINED"}"#).unwrap();
        assert_eq!(p.status, Some(CredentialStatus::Other));
    }
}

//! §5 of the contract: the GHCR personal access token the cluster pulls images with.

use super::client::Api;
use super::error::ApiError;
use super::fetch::Method;
use super::json::{Decode, Encode, FromWire, decode_from_wire, encode};

const PAT: &str = "/repositories/github-app/packages-pat";
const STATUS: &str = "/repositories/github-app/packages-pat/status";
const ROTATE: &str = "/repositories/github-app/packages-pat/rotate";
const EXPIRY: &str = "/repositories/github-app/packages-pat/expiry";

/// Flui's `CredentialStatus`; anything newer than this dashboard is `Other`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CredentialStatus {
    Missing,
    Valid,
    ExpiringSoon,
    Expired,
    Invalid,
    UnknownExpiry,
    Other,
}

impl FromWire for CredentialStatus {
    fn from_wire(text: &str) -> Self {
        match text {
            "MISSING" => Self::Missing,
            "VALID" => Self::Valid,
            "EXPIRING_SOON" => Self::ExpiringSoon,
            "EXPIRED" => Self::Expired,
            "INVALID" => Self::Invalid,
            "UNKNOWN_EXPIRY" => Self::UnknownExpiry,
            _ => Self::Other,
        }
    }
}

decode_from_wire!(CredentialStatus);

/// `GhcrPatStatus`, the body of every GHCR PAT endpoint.
#[derive(Clone, Debug, PartialEq, Decode)]
pub struct GhcrPatStatus {
    pub configured: bool,
    pub status: Option<CredentialStatus>,
    #[serde(rename = "expiresAt")]
    pub expires_at: Option<String>,
    #[serde(rename = "daysUntilExpiry")]
    pub days_until_expiry: Option<i64>,
    #[serde(rename = "lastRotatedAt")]
    pub last_rotated_at: Option<String>,
    #[serde(rename = "lastVerifiedAt")]
    pub last_verified_at: Option<String>,
    #[serde(rename = "githubLogin")]
    pub github_login: Option<String>,
    pub scopes: Option<Vec<String>>,
    /// Newer API, GET status only: false when the instance keeps images in its own registry.
    pub needed: Option<bool>,
}

#[derive(Encode)]
struct SavePat {
    token: String,
    #[serde(rename = "expiresAt")]
    expires_at: String,
}

#[derive(Encode)]
struct NewExpiry {
    #[serde(rename = "expiresAt")]
    expires_at: String,
}

impl Api {
    pub async fn ghcr_pat_status(&self) -> Result<GhcrPatStatus, ApiError> {
        self.call(Method::Get, STATUS, None).await
    }

    /// Stores a token: `replace` rotates the one stored (404 when it was revoked
    /// meanwhile), else a new one is saved. `expires_at` is an ISO date-time.
    pub async fn save_ghcr_pat(
        &self,
        replace: bool,
        token: &str,
        expires_at: &str,
    ) -> Result<GhcrPatStatus, ApiError> {
        let body = encode(&SavePat {
            token: token.to_owned(),
            expires_at: expires_at.to_owned(),
        });
        let (method, path) = if replace {
            (Method::Put, ROTATE)
        } else {
            (Method::Post, PAT)
        };
        self.call(method, path, Some(body)).await
    }

    pub async fn change_ghcr_pat_expiry(&self, expires_at: &str) -> Result<GhcrPatStatus, ApiError> {
        let body = encode(&NewExpiry {
            expires_at: expires_at.to_owned(),
        });
        self.call(Method::Patch, EXPIRY, Some(body)).await
    }

    /// Flui forgets the token (GitHub keeps it: revoke it there too).
    pub async fn revoke_ghcr_pat(&self) -> Result<(), ApiError> {
        self.call_empty(Method::Delete, PAT).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_api_without_needed_decodes() {
        let p: GhcrPatStatus = crate::api::decode(r#"{"configured":false,"status":"MISSING"}"#).unwrap();
        assert_eq!(p.needed, None);
        assert_eq!(p.status, Some(CredentialStatus::Missing));
    }

    #[test]
    fn a_full_status_decodes() {
        let p: GhcrPatStatus = crate::api::decode(
            r#"{"configured":true,"status":"EXPIRING_SOON","expiresAt":"2026-12-01T00:00:00.000Z","daysUntilExpiry":6,"lastRotatedAt":null,"lastVerifiedAt":"2026-11-24T03:00:00.000Z","githubLogin":"octo","scopes":["read:packages"],"needed":true}"#,
        )
        .unwrap();
        assert_eq!(p.days_until_expiry, Some(6));
        assert_eq!(p.status, Some(CredentialStatus::ExpiringSoon));
        assert_eq!(p.last_rotated_at, None);
    }

    #[test]
    fn an_unknown_credential_status_does_not_fail_the_page() {
        let p: GhcrPatStatus = crate::api::decode(r#"{"configured":true,"status":"QUARANTINED"}"#).unwrap();
        assert_eq!(p.status, Some(CredentialStatus::Other));
    }
}

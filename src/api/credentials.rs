//! §4b of the contract: every credential of the user, for the banner.

use super::client::Api;
use super::error::ApiError;
use super::fetch::Method;
use super::ghcr_pat::CredentialStatus;
use super::json::{Decode, FromWire, decode_from_wire};

const STATUS: &str = "/credentials/status";

/// What a credential is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialKind {
    GithubApp,
    GithubPat,
    GhcrPat,
    /// A cloud provider's credential.
    Provider,
    /// A kind newer than this dashboard.
    Other,
}

impl FromWire for CredentialKind {
    fn from_wire(text: &str) -> Self {
        match text {
            "GITHUB_APP" => Self::GithubApp,
            "GITHUB_PAT" => Self::GithubPat,
            "GHCR_PAT" => Self::GhcrPat,
            "PROVIDER" => Self::Provider,
            _ => Self::Other,
        }
    }
}

decode_from_wire!(CredentialKind);

/// One credential and its state.
#[derive(Clone, Debug, PartialEq, Decode)]
pub struct CredentialItem {
    pub kind: CredentialKind,
    pub label: Option<String>,
    pub status: CredentialStatus,
    #[serde(rename = "expiresAt")]
    pub expires_at: Option<String>,
    #[serde(rename = "daysUntilExpiry")]
    pub days_until_expiry: Option<i64>,
    #[serde(rename = "providerId")]
    pub provider_id: Option<String>,
    /// A dashboard route hint (the official dashboard's paths).
    #[serde(rename = "actionUrl")]
    pub action_url: Option<String>,
}

/// `GET /credentials/status`. Flui caches it for about five minutes per user.
#[derive(Clone, Debug, PartialEq, Decode)]
pub struct CredentialsStatus {
    #[serde(rename = "overallStatus")]
    pub overall_status: Option<CredentialStatus>,
    pub items: Option<Vec<CredentialItem>>,
}

impl Api {
    pub async fn credentials_status(&self) -> Result<CredentialsStatus, ApiError> {
        self.call(Method::Get, STATUS, None).await
    }
}

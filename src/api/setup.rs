//! §1 of the contract: the instance's GitHub setup, as every signed-in user may read it.

use super::client::Api;
use super::error::ApiError;
use super::fetch::Method;
use super::json::{Decode, FromWire, decode_from_wire};

const STATUS: &str = "/repositories/github/setup/status";
const HEALTH: &str = "/repositories/github/setup/health";

/// How the instance connects to GitHub (`authMethod`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthMethod {
    /// The Flui GitHub App: users install it and authorise it.
    GithubApp,
    /// Each user connects with a personal access token.
    Pat,
    /// A legacy OAuth App row migrated from the environment; must be reconfigured.
    OauthApp,
    /// A value newer than this dashboard.
    Unknown,
}

impl FromWire for AuthMethod {
    fn from_wire(text: &str) -> Self {
        match text {
            "github_app" => Self::GithubApp,
            "pat" => Self::Pat,
            "oauth_app" => Self::OauthApp,
            _ => Self::Unknown,
        }
    }
}

decode_from_wire!(AuthMethod);

/// `GET /repositories/github/setup/status`.
#[derive(Clone, Debug, PartialEq, Decode)]
pub struct SetupStatus {
    pub configured: bool,
    #[serde(rename = "authMethod")]
    pub auth_method: Option<AuthMethod>,
    #[serde(rename = "appSlug")]
    pub app_slug: Option<String>,
    /// Newer API only: `"ghcr"`, or `"flui"` for an instance with its own registry.
    #[serde(rename = "imageRegistry")]
    pub image_registry: Option<String>,
}

/// `GET /repositories/github/setup/health` (admins only).
#[derive(Clone, Debug, Decode)]
pub struct SetupHealth {
    pub ok: bool,
    pub details: Option<HealthDetails>,
}

/// The health check's details: the App's figures, or what failed.
#[derive(Clone, Debug, Decode)]
pub struct HealthDetails {
    pub error: Option<String>,
    pub message: Option<String>,
}

impl SetupHealth {
    /// What failed, in GitHub's or Flui's words.
    pub fn failure(&self) -> Option<String> {
        if self.ok {
            return None;
        }
        let details = self.details.as_ref();
        Some(
            details
                .and_then(|d| d.message.clone().or_else(|| d.error.clone()))
                .unwrap_or_else(|| "Flui did not say why.".into()),
        )
    }
}

impl Api {
    pub async fn setup_health(&self) -> Result<SetupHealth, ApiError> {
        self.call(Method::Get, HEALTH, None).await
    }

    pub async fn setup_status(&self) -> Result<SetupStatus, ApiError> {
        self.call(Method::Get, STATUS, None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_auth_method_decodes() {
        for (body, method) in [
            (
                r#"{"configured":true,"authMethod":"github_app","appSlug":"flui","imageRegistry":"ghcr"}"#,
                Some(AuthMethod::GithubApp),
            ),
            (r#"{"configured":true,"authMethod":"pat"}"#, Some(AuthMethod::Pat)),
            (
                r#"{"configured":true,"authMethod":"oauth_app"}"#,
                Some(AuthMethod::OauthApp),
            ),
            (
                r#"{"configured":true,"authMethod":"gitlab_app"}"#,
                Some(AuthMethod::Unknown),
            ),
            (r#"{"configured":false,"authMethod":null}"#, None),
            (r#"{"configured":false}"#, None),
        ] {
            let status: SetupStatus = crate::api::decode(body).unwrap();
            assert_eq!(status.auth_method, method, "{body}");
        }
    }

    #[test]
    fn a_failed_health_check_says_why() {
        let h: SetupHealth = crate::api::decode(
            r#"{"ok":false,"mode":"github_app","details":{"error":"github_api_error","message":"A JSON web token could not be decoded","status":401}}"#,
        )
        .unwrap();
        assert_eq!(
            h.failure().as_deref(),
            Some("A JSON web token could not be decoded")
        );
        let h: SetupHealth = crate::api::decode(
            r#"{"ok":true,"mode":"github_app","details":{"appSlug":"f","appId":1,"installationsCount":2}}"#,
        )
        .unwrap();
        assert_eq!(h.failure(), None);
    }

    #[test]
    fn an_older_api_without_image_registry_decodes() {
        let s: SetupStatus =
            crate::api::decode(r#"{"configured":true,"authMethod":"github_app","appSlug":"flui"}"#).unwrap();
        assert_eq!(s.image_registry, None);
    }
}

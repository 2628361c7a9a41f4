//! §1 of the contract: the instance's GitHub setup, as every signed-in user may read it.

use serde::Deserialize;

use super::client::{Api, Method};
use super::error::ApiError;

const STATUS: &str = "/repositories/github/setup/status";

/// How the instance connects to GitHub (`authMethod`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    /// The Flui GitHub App: users install it and authorise it.
    GithubApp,
    /// Each user connects with a personal access token.
    Pat,
    /// A legacy OAuth App row migrated from the environment; must be reconfigured.
    OauthApp,
    /// A value newer than this dashboard.
    #[serde(other)]
    Unknown,
}

/// `GET /repositories/github/setup/status`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetupStatus {
    pub configured: bool,
    #[serde(default)]
    pub auth_method: Option<AuthMethod>,
    #[serde(default)]
    pub app_slug: Option<String>,
    /// Newer API only: `"ghcr"`, or `"flui"` for an instance with its own registry.
    #[serde(default)]
    pub image_registry: Option<String>,
}

impl Api {
    pub async fn setup_status(&self) -> Result<SetupStatus, ApiError> {
        self.call(Method::GET, STATUS, None).await
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
            let status: SetupStatus = serde_json::from_str(body).unwrap();
            assert_eq!(status.auth_method, method, "{body}");
        }
    }

    #[test]
    fn an_older_api_without_image_registry_decodes() {
        let s: SetupStatus =
            serde_json::from_str(r#"{"configured":true,"authMethod":"github_app","appSlug":"flui"}"#)
                .unwrap();
        assert_eq!(s.image_registry, None);
    }
}

//! §1 of the contract: the instance's GitHub setup: its status (every signed-in user),
//! and for admins its health check, the manual form, the manifest flow, PAT mode and reset.

use miniserde::json::{self, Number, Value};

use super::client::Api;
use super::error::ApiError;
use super::fetch::Method;
use super::json::{Decode, FromWire, decode_from_wire};

const STATUS: &str = "/repositories/github/setup/status";
const HEALTH: &str = "/repositories/github/setup/health";
const CONFIGURE: &str = "/repositories/github/setup/github-app";
const MANIFEST_START: &str = "/repositories/github/setup/github-app/manifest-start";
const PAT_MODE: &str = "/repositories/github/setup/pat";
const SETUP: &str = "/repositories/github/setup";

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
    #[serde(rename = "appId")]
    app_id: Option<Value>,
    #[serde(rename = "installationsCount")]
    installations_count: Option<Value>,
}

impl HealthDetails {
    /// The App's ID on GitHub, as a number or a string.
    pub fn app_id(&self) -> Option<String> {
        super::json::bigint_id(&self.app_id)
    }

    pub fn installations_count(&self) -> Option<u64> {
        match self.installations_count {
            Some(Value::Number(Number::U64(n))) => Some(n),
            _ => None,
        }
    }
}

/// What the manual form sends (`GitHubSetupAppDto`). `None` optional fields are left out
/// of the body, so Flui keeps what it has stored for them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AppCredentials {
    pub app_id: String,
    pub app_slug: String,
    pub private_key: String,
    pub webhook_secret: String,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub callback_url: Option<String>,
}

impl AppCredentials {
    fn body(&self) -> String {
        let mut fields = vec![
            ("appId", &self.app_id),
            ("appSlug", &self.app_slug),
            ("privateKey", &self.private_key),
            ("webhookSecret", &self.webhook_secret),
        ];
        for (key, value) in [
            ("clientId", &self.client_id),
            ("clientSecret", &self.client_secret),
            ("callbackUrl", &self.callback_url),
        ] {
            if let Some(value) = value {
                fields.push((key, value));
            }
        }
        let fields: Vec<String> = fields
            .iter()
            .map(|(key, value)| format!("\"{key}\":{}", json::to_string(*value)))
            .collect();
        format!("{{{}}}", fields.join(","))
    }
}

/// What the one-click creation asks of Flui (`GitHubAppManifestStartDto`).
#[derive(Clone, Debug, PartialEq, super::json::Encode)]
pub struct ManifestRequest {
    pub name: String,
    #[serde(rename = "webhooksEnabled")]
    pub webhooks_enabled: bool,
    #[serde(rename = "publicApp")]
    pub public_app: bool,
    #[serde(rename = "publicApiUrl")]
    pub public_api_url: String,
}

#[derive(Decode)]
struct ManifestAnswer {
    #[serde(rename = "manifestJson")]
    manifest_json: Value,
}

/// The manifest to post to GitHub, as JSON text.
pub type Manifest = String;

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

    /// Stores (or replaces) the App's credentials, once GitHub has accepted them.
    pub async fn configure_github_app(&self, credentials: &AppCredentials) -> Result<SetupStatus, ApiError> {
        self.call(Method::Post, CONFIGURE, Some(credentials.body())).await
    }

    /// The manifest GitHub's App registration page takes.
    pub async fn start_manifest(&self, request: &ManifestRequest) -> Result<Manifest, ApiError> {
        let body = super::json::encode(request);
        let answer: ManifestAnswer = self.call(Method::Post, MANIFEST_START, Some(body)).await?;
        match answer.manifest_json {
            Value::Object(manifest) => Ok(json::to_string(&manifest)),
            _ => Err(ApiError::Decode("manifestJson is not a JSON object".into())),
        }
    }

    pub async fn use_pat_mode(&self) -> Result<SetupStatus, ApiError> {
        self.call(Method::Post, PAT_MODE, None).await
    }

    /// Forgets the setup, every user's GitHub connection and every installation record.
    pub async fn reset_setup(&self) -> Result<(), ApiError> {
        self.call_empty(Method::Delete, SETUP).await
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
    fn omitted_optional_credentials_are_left_out_of_the_body() {
        let mut credentials = AppCredentials {
            app_id: "1".into(),
            app_slug: "flui".into(),
            private_key: "-----BEGIN\n\"key\"".into(),
            webhook_secret: "w".into(),
            ..AppCredentials::default()
        };
        let body = credentials.body();
        assert_eq!(
            body,
            r#"{"appId":"1","appSlug":"flui","privateKey":"-----BEGIN\n\"key\"","webhookSecret":"w"}"#
        );
        credentials.client_id = Some("Iv1.x".into());
        assert!(credentials.body().ends_with(r#","clientId":"Iv1.x"}"#));
    }

    #[test]
    fn an_older_api_without_image_registry_decodes() {
        let s: SetupStatus =
            crate::api::decode(r#"{"configured":true,"authMethod":"github_app","appSlug":"flui"}"#).unwrap();
        assert_eq!(s.image_registry, None);
    }
}

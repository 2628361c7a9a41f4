//! Request and response bodies of the Flui API, field for field as in `flui-api.md`.
//! Fields that only the newer API generation sends are `Option`s.

use serde::{Deserialize, Serialize};

// ---- §7 authentication -------------------------------------------------------------

#[derive(Clone, Debug, Serialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct LoginResponse {
    pub access_token: String,
    #[serde(default)]
    pub refresh_token: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct RefreshResponse {
    pub access_token: String,
}

/// `GET /auth/config` (public).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthConfig {
    #[serde(default)]
    pub auth_mode: Option<String>,
    #[serde(default)]
    pub issuer: Option<String>,
    #[serde(default)]
    pub client_id: Option<String>,
}

/// `GET /auth/me`: the signed-in user.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub user_id: String,
    pub email: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub is_admin: Option<bool>,
}

impl Me {
    /// The name to greet the user by.
    pub fn label(&self) -> &str {
        self.display_name
            .as_deref()
            .or(self.name.as_deref())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(&self.email)
    }
}

/// `GET /me/permissions`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Permissions {
    #[serde(default)]
    pub permissions: Vec<String>,
    #[serde(default)]
    pub is_admin: bool,
}

/// The permission that the admin pages need (the `isAdmin` flag also passes).
pub const INTEGRATION_MANAGE: &str = "integration:manage";

// ---- §1 setup status ----------------------------------------------------------------

/// `GET /repositories/github/setup/status`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetupStatus {
    pub configured: bool,
    #[serde(default)]
    pub auth_method: Option<String>,
    #[serde(default)]
    pub app_slug: Option<String>,
    /// Newer API only: `"ghcr"` or `"flui"` (the instance's own registry).
    #[serde(default)]
    pub image_registry: Option<String>,
}

// ---- §4 connection state ------------------------------------------------------------

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

// ---- §5 GHCR PAT --------------------------------------------------------------------

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

// ---- §3 connect GitHub ----------------------------------------------------------------

/// `GET /repositories/github-app/install-url`.
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

#[derive(Clone, Debug, Serialize)]
pub struct ClaimRequest {
    pub claim: String,
}

/// `POST /repositories/github-app/claim` (newer API).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimResponse {
    pub login: String,
    /// A Postgres bigint: a JSON number or a string, or null when nothing was installed.
    #[serde(default, deserialize_with = "string_or_number")]
    pub installation_id: Option<String>,
}

/// `POST /repositories/github-app/rescan-installations`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RescanResponse {
    pub count: u32,
}

/// Accepts `123`, `"123"` or `null` (see the contract's uncertainty on bigint ids).
fn string_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) if !s.is_empty() => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn older_api_bodies_without_the_newer_fields_decode() {
        let s: SetupStatus =
            serde_json::from_str(r#"{"configured":true,"authMethod":"github_app","appSlug":"flui"}"#)
                .unwrap();
        assert_eq!(s.image_registry, None);
        let p: GhcrPatStatus = serde_json::from_str(r#"{"configured":false,"status":"MISSING"}"#).unwrap();
        assert_eq!(p.needed, None);
        assert_eq!(p.status, Some(CredentialStatus::Missing));
    }

    #[test]
    fn a_full_ghcr_status_decodes() {
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

    #[test]
    fn installation_ids_come_as_numbers_strings_or_null() {
        for (body, expected) in [
            (r#"{"login":"octo","installationId":12345678}"#, Some("12345678")),
            (
                r#"{"login":"octo","installationId":"12345678"}"#,
                Some("12345678"),
            ),
            (r#"{"login":"octo","installationId":null}"#, None),
            (r#"{"login":"octo"}"#, None),
        ] {
            let claim: ClaimResponse = serde_json::from_str(body).unwrap();
            assert_eq!(claim.installation_id.as_deref(), expected, "{body}");
        }
    }

    #[test]
    fn me_prefers_a_display_name_over_the_email() {
        let me: Me = serde_json::from_str(
            r#"{"userId":"u1","email":"ada@example.com","roles":{},"role":"admin","isAdmin":true,"displayName":"Ada"}"#,
        )
        .unwrap();
        assert_eq!(me.label(), "Ada");
        let me: Me = serde_json::from_str(r#"{"userId":"u1","email":"ada@example.com","name":" "}"#).unwrap();
        assert_eq!(me.label(), "ada@example.com");
    }
}

//! §7 of the contract: local sign-in and sign-out, the signed-in user, permissions, and
//! the public auth config. Refresh lives in the client, which owns the tokens.

use super::client::Api;
use super::error::{ApiError, ErrorKind};
use super::fetch::Method;
use super::json::{Decode, Encode, decode, encode};
use crate::encoding::base64url_decode;

const AUTH_CONFIG: &str = "/auth/config";
const LOGIN: &str = "/auth/login";
pub(super) const REFRESH: &str = "/auth/refresh";
const LOGOUT: &str = "/auth/logout";
/// Public; clears the `flui_session` cookie.
const SESSION_LOGOUT: &str = "/auth/oidc-logout";
const ME: &str = "/auth/me";
const PERMISSIONS: &str = "/me/permissions";

/// The permission that the admin pages need (the `isAdmin` flag also passes).
pub const INTEGRATION_MANAGE: &str = "integration:manage";

#[derive(Encode)]
struct LoginRequest {
    email: String,
    password: String,
}

/// `POST /auth/login` (and, without `refresh_token`, `POST /auth/refresh`).
#[derive(Clone, Debug, Decode)]
pub struct TokenResponse {
    pub access_token: String,
    pub refresh_token: Option<String>,
}

#[derive(Encode)]
pub(super) struct RefreshRequest {
    pub refresh_token: String,
}

/// `GET /auth/config` (public).
#[derive(Clone, Debug, Default, Decode)]
pub struct AuthConfig {
    #[serde(rename = "authMode")]
    pub auth_mode: Option<String>,
    pub issuer: Option<String>,
    #[serde(rename = "clientId")]
    pub client_id: Option<String>,
}

/// `GET /auth/me`: the signed-in user. An older server sends no name.
#[derive(Clone, Debug, PartialEq, Decode)]
pub struct Me {
    #[serde(rename = "userId")]
    pub user_id: String,
    pub email: String,
    pub name: Option<String>,
    #[serde(rename = "displayName")]
    pub display_name: Option<String>,
    #[serde(rename = "isAdmin")]
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

/// `GET /me/permissions` (newer API only).
#[derive(Clone, Debug, Default, PartialEq, Decode)]
pub struct Permissions {
    pub permissions: Option<Vec<String>>,
    #[serde(rename = "isAdmin")]
    pub is_admin: Option<bool>,
}

impl Api {
    /// Local sign-in. Keeps the tokens in memory on success.
    pub async fn login(&self, email: &str, password: &str) -> Result<(), ApiError> {
        let body = encode(&LoginRequest {
            email: email.to_owned(),
            password: password.to_owned(),
        });
        let tokens: TokenResponse = self.send_json(Method::Post, LOGIN, Some(&body), false).await?;
        self.client().store_tokens(tokens);
        Ok(())
    }

    /// Ends the session on the server and forgets the tokens. Fails, keeping the tokens,
    /// when the `flui_session` cookie could not be cleared and still signs in: a reload
    /// would sign the user back in, so they must not be told they are out.
    pub async fn logout(&self) -> Result<(), ApiError> {
        // An OIDC refresh token is the provider's; Flui's logout knows only its own.
        let local = self.config().auth_mode == super::config::AuthMode::Local;
        if let Some(refresh_token) = self.client().refresh_token().filter(|_| local) {
            // Best effort: the refresh token is forgotten here either way.
            let body = encode(&RefreshRequest { refresh_token });
            let _ = self.send(Method::Post, LOGOUT, Some(&body), true).await;
        }
        // Clears the httpOnly `flui_session` cookie, which outlives a page reload. A 404
        // is an API without the route, which has no such cookie to clear.
        match self.send(Method::Post, SESSION_LOGOUT, None, false).await {
            Err(error) if error.kind() != ErrorKind::NotFound => {
                // The logout above may have ended the session all the same: what the
                // cookie alone gets is the truth.
                let cookie_alone = self.send(Method::Get, ME, None, false).await;
                if !cookie_alone.is_err_and(|e| e.kind() == ErrorKind::Unauthorized) {
                    return Err(error);
                }
            }
            _ => {}
        }
        self.client().forget_tokens();
        Ok(())
    }

    /// The signed-in user. Without a token in memory, the `flui_session` cookie is what
    /// authenticates this call (after a reload); a 401 here only means "signed out",
    /// so it is not refreshed.
    pub async fn me(&self) -> Result<Me, ApiError> {
        self.send_json(Method::Get, ME, None, true).await
    }

    pub async fn permissions(&self) -> Result<Permissions, ApiError> {
        self.call(Method::Get, PERMISSIONS, None).await
    }

    pub async fn auth_config(&self) -> Result<AuthConfig, ApiError> {
        self.send_json(Method::Get, AUTH_CONFIG, None, false).await
    }
}

/// When a Flui access token expires, in milliseconds since the epoch: the `exp` claim of
/// its JWT payload. `None` for a token that is not a JWT (an API key, say).
pub fn token_expiry_ms(token: &str) -> Option<f64> {
    #[derive(Decode)]
    struct Claims {
        exp: u64,
    }
    let payload = token.split('.').nth(1)?;
    let json = String::from_utf8(base64url_decode(payload)?).ok()?;
    let claims: Claims = decode(&json).ok()?;
    Some(claims.exp as f64 * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn me_prefers_a_display_name_over_the_email() {
        let me: Me = decode(
            r#"{"userId":"u1","email":"ada@example.com","roles":{},"role":"admin","isAdmin":true,"displayName":"Ada"}"#,
        )
        .unwrap();
        assert_eq!(me.label(), "Ada");
        // An older server sends no name at all.
        let me: Me =
            decode(r#"{"userId":"u1","email":"ada@example.com","roles":{},"role":"user","isAdmin":false}"#)
                .unwrap();
        assert_eq!(me.label(), "ada@example.com");
        let me: Me = decode(r#"{"userId":"u1","email":"ada@example.com","name":" "}"#).unwrap();
        assert_eq!(me.label(), "ada@example.com");
    }

    #[test]
    fn the_expiry_of_a_jwt_is_read_from_its_payload() {
        // {"sub":"u1","exp":1764064800} in base64url, between a header and a signature.
        let payload = "eyJzdWIiOiJ1MSIsImV4cCI6MTc2NDA2NDgwMH0";
        assert_eq!(
            token_expiry_ms(&format!("eyJhbGciOiJIUzI1NiJ9.{payload}.sig")),
            Some(1_764_064_800_000.0)
        );
        for not_a_jwt in ["flui_abc", "a.b.c", "a.!!!.c", "", "a.eyJleHAiOiJzb29uIn0.c"] {
            assert_eq!(token_expiry_ms(not_a_jwt), None, "{not_a_jwt}");
        }
    }
}

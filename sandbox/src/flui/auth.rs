//! §7: local sign-in, refresh, sign-out, the current user and permissions; the users and
//! tokens tables; and the guard every authenticated route goes through (bearer token,
//! else the `flui_session` cookie).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::header::{AUTHORIZATION, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router, routing::get, routing::post};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Deserialize;
use serde_json::{Value, json};

use super::FluiState;
use super::body::JsonBody;
use super::error::{ApiError, ApiResult};
use crate::options::{ApiGeneration, AuthMode};
use crate::util::{cookie, iso, now, random_hex, sha256_hex};

pub const SESSION_COOKIE: &str = "flui_session";

pub(super) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT NOT NULL,
    password_salt TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'maintainer', 'operator', 'viewer')),
    created_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
);
"#;

pub(super) fn routes(generation: ApiGeneration) -> Router<Arc<FluiState>> {
    let routes = Router::new()
        .route("/auth/config", get(auth_config))
        .route("/auth/login", post(login))
        .route("/auth/refresh", post(refresh))
        .route("/auth/logout", post(logout))
        .route("/auth/oidc-session", post(oidc_session))
        .route("/auth/oidc-logout", post(session_logout))
        .route("/auth/me", get(me));
    // A running older server has no `/me/permissions` (contract §10): it answers 404.
    match generation {
        ApiGeneration::Newer => routes.route("/me/permissions", get(permissions)),
        ApiGeneration::Older => routes,
    }
}

// ---- users ----------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
}

impl User {
    pub fn is_admin(&self) -> bool {
        self.role == "admin"
    }

    /// Flui's built-in roles and the permissions the dashboard cares about.
    pub fn permissions(&self) -> Vec<&'static str> {
        match self.role.as_str() {
            "admin" | "maintainer" => vec!["app:read", "app:write", "integration:manage"],
            "operator" => vec!["app:read", "app:write"],
            _ => vec!["app:read"],
        }
    }
}

/// Maps the columns `id, email, name, role` (in that order) of a row.
fn user_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(0)?,
        email: r.get(1)?,
        name: r.get(2)?,
        role: r.get(3)?,
    })
}

fn password_hash(salt: &str, password: &str) -> String {
    // The sandbox holds demo accounts only; a salted SHA-256 keeps the build light.
    sha256_hex(&format!("{salt}:{password}"))
}

pub fn create_user(
    conn: &Connection,
    email: &str,
    name: &str,
    password: &str,
    role: &str,
) -> rusqlite::Result<User> {
    let id = uuid::Uuid::new_v4().to_string();
    let salt = random_hex(16);
    conn.execute(
        "INSERT INTO users (id, email, name, password_salt, password_hash, role, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![id, email, name, salt, password_hash(&salt, password), role, iso(now())],
    )?;
    Ok(User {
        id,
        email: email.to_owned(),
        name: name.to_owned(),
        role: role.to_owned(),
    })
}

fn user_by_credentials(conn: &Connection, email: &str, password: &str) -> rusqlite::Result<Option<User>> {
    let row = conn
        .query_row(
            "SELECT id, email, name, role, password_salt, password_hash FROM users WHERE email = ?1",
            params![email],
            |r| Ok((user_from_row(r)?, r.get::<_, String>(4)?, r.get::<_, String>(5)?)),
        )
        .optional()?;
    Ok(row.and_then(|(user, salt, hash)| (password_hash(&salt, password) == hash).then_some(user)))
}

pub fn user_by_email(conn: &Connection, email: &str) -> rusqlite::Result<Option<User>> {
    conn.query_row(
        "SELECT id, email, name, role FROM users WHERE email = ?1",
        params![email],
        user_from_row,
    )
    .optional()
}

// ---- tokens ---------------------------------------------------------------------------

/// A local-mode access token shaped as Flui's (a JWT whose payload the browser can read
/// for `exp`), stored only as a hash. The signature part is random: the sandbox checks
/// tokens by lookup, not by signature.
fn issue_access_token(conn: &Connection, user: &User, expires_at: DateTime<Utc>) -> rusqlite::Result<String> {
    let part = |value: &Value| URL_SAFE_NO_PAD.encode(value.to_string());
    let header = part(&json!({ "alg": "HS256", "typ": "JWT" }));
    let payload = part(&json!({
        "sub": user.id,
        "email": user.email,
        "iat": now().timestamp(),
        "exp": expires_at.timestamp(),
    }));
    let token = format!("{header}.{payload}.{}", URL_SAFE_NO_PAD.encode(random_hex(32)));
    store_token(conn, &token, "access", &user.id, expires_at)?;
    Ok(token)
}

/// A refresh token: a UUID, as Flui's.
fn issue_refresh_token(
    conn: &Connection,
    user: &User,
    expires_at: DateTime<Utc>,
) -> rusqlite::Result<String> {
    let token = uuid::Uuid::new_v4().to_string();
    store_token(conn, &token, "refresh", &user.id, expires_at)?;
    Ok(token)
}

fn store_token(
    conn: &Connection,
    token: &str,
    kind: &str,
    user_id: &str,
    expires_at: DateTime<Utc>,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO tokens (token_hash, kind, user_id, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![sha256_hex(token), kind, user_id, iso(expires_at)],
    )?;
    Ok(())
}

fn user_by_token(conn: &Connection, kind: &str, token: &str) -> rusqlite::Result<Option<User>> {
    conn.query_row(
        "SELECT u.id, u.email, u.name, u.role FROM tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = ?1 AND t.kind = ?2 AND t.expires_at > ?3",
        params![sha256_hex(token), kind, iso(now())],
        user_from_row,
    )
    .optional()
}

fn revoke_token(conn: &Connection, token: &str) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM tokens WHERE token_hash = ?1",
        params![sha256_hex(token)],
    )?;
    Ok(())
}

/// Every token of `user_id` stops working (an expiry, or an administrator's action).
pub fn revoke_user_tokens(conn: &Connection, user_id: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM tokens WHERE user_id = ?1", params![user_id])?;
    Ok(())
}

/// Every access token expires now; refresh tokens stay valid.
pub fn expire_access_tokens(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE tokens SET expires_at = ?1 WHERE kind = 'access'",
        params![iso(now() - chrono::Duration::seconds(1))],
    )?;
    Ok(())
}

// ---- the guard --------------------------------------------------------------------------

/// The signed-in user of a request. Rejects with the guard's 401 body.
pub struct AuthUser(pub User);

impl FromRequestParts<Arc<FluiState>> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<FluiState>) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers).or_else(|| cookie(&parts.headers, SESSION_COOKIE));
        let Some(token) = token else {
            return Err(ApiError::guard_unauthorized());
        };
        if let Some(user) = user_by_token(&state.db(), "access", &token)? {
            return Ok(AuthUser(user));
        }
        match super::oidc::user_for(state, &token).await? {
            Some(user) => Ok(AuthUser(user)),
            None => Err(ApiError::guard_unauthorized()),
        }
    }
}

impl AuthUser {
    /// `@RequirePermission(...)`: 403 "Missing required permission: <perm>".
    pub fn require(&self, permission: &str) -> ApiResult<()> {
        if self.0.permissions().contains(&permission) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "Missing required permission: {permission}"
            )))
        }
    }

    /// The admin gate of the integration routes: the `integration:manage` permission in
    /// the newer API, the `isAdmin` flag ("Admin access required") in the older one.
    pub fn require_admin(&self, generation: ApiGeneration) -> ApiResult<()> {
        match generation {
            ApiGeneration::Newer => self.require("integration:manage"),
            ApiGeneration::Older if self.0.is_admin() => Ok(()),
            ApiGeneration::Older => Err(ApiError::forbidden("Admin access required")),
        }
    }
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))?;
    let token = token.trim();
    (!token.is_empty()).then(|| token.to_owned())
}

/// As Flui sets it: `HttpOnly; SameSite=Lax; Path=/`, living as long as the access token
/// (15 minutes), `Secure` in production only. On localhost Flui sets no `Domain`.
fn session_cookie(state: &FluiState, token: &str) -> HeaderValue {
    let secure = if state.options.production { "; Secure" } else { "" };
    let value = format!(
        "{SESSION_COOKIE}={token}; Max-Age={}; Path=/; HttpOnly{secure}; SameSite=Lax",
        state.options.access_token_ttl.num_seconds()
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| clear_session_cookie())
}

fn clear_session_cookie() -> HeaderValue {
    HeaderValue::from_static("flui_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax")
}

fn with_cookie(body: Value, cookie: HeaderValue, extra: HeaderMap) -> Response {
    let mut response = Json(body).into_response();
    response.headers_mut().extend(extra);
    response.headers_mut().insert(SET_COOKIE, cookie);
    response
}

// ---- routes -----------------------------------------------------------------------------

async fn auth_config(State(state): State<Arc<FluiState>>) -> Json<Value> {
    Json(match state.options.auth_mode {
        AuthMode::Local => json!({ "authMode": "local" }),
        AuthMode::Oidc => json!({
            "authMode": "oidc",
            "issuer": state.options.oidc_issuer.as_deref().unwrap_or("http://127.0.0.1/sandbox-oidc"),
            "clientId": "flui-dashboard",
            "cliClientId": "flui-cli",
        }),
    })
}

#[derive(Deserialize)]
struct LoginBody {
    email: Option<Value>,
    password: Option<Value>,
}

async fn login(
    State(state): State<Arc<FluiState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    JsonBody(body): JsonBody<LoginBody>,
) -> ApiResult<Response> {
    let limit = state.throttle("login", peer, 5)?;
    if state.options.auth_mode == AuthMode::Oidc {
        return Err(ApiError::new(
            StatusCode::NOT_IMPLEMENTED,
            "Local login is disabled: this instance uses OIDC (AUTH_MODE=oidc).",
        ));
    }
    let mut problems = Vec::new();
    let email = match &body.email {
        Some(Value::String(e)) if e.contains('@') && !e.trim().is_empty() => e.trim().to_owned(),
        _ => {
            problems.push("email must be an email".to_owned());
            String::new()
        }
    };
    let password = match &body.password {
        Some(Value::String(p)) if !p.is_empty() => p.clone(),
        Some(Value::String(_)) => {
            problems.push("password should not be empty".to_owned());
            String::new()
        }
        _ => {
            problems.push("password must be a string".to_owned());
            String::new()
        }
    };
    if !problems.is_empty() {
        return Err(ApiError::validation(problems));
    }
    let (user, access, refresh) = {
        let db = state.db();
        let Some(user) = user_by_credentials(&db, &email, &password)? else {
            return Err(ApiError::unauthorized("Invalid credentials"));
        };
        let access = issue_access_token(&db, &user, now() + state.options.access_token_ttl)?;
        let refresh = issue_refresh_token(&db, &user, now() + state.options.refresh_token_ttl)?;
        (user, access, refresh)
    };
    state.remember_issued(&[&access, &refresh]);
    let body = json!({
        "access_token": access,
        "refresh_token": refresh,
        "user": { "id": user.id, "email": user.email, "name": user.name, "isAdmin": user.is_admin() },
    });
    Ok(with_cookie(body, session_cookie(&state, &access), limit))
}

#[derive(Deserialize)]
struct RefreshBody {
    refresh_token: Option<Value>,
}

async fn refresh(
    State(state): State<Arc<FluiState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    JsonBody(body): JsonBody<RefreshBody>,
) -> ApiResult<Response> {
    let limit = state.throttle("refresh", peer, 10)?;
    let Some(Value::String(token)) = body.refresh_token else {
        return Err(ApiError::validation(vec![
            "refresh_token must be a string".into(),
        ]));
    };
    let access = {
        let db = state.db();
        let Some(user) = user_by_token(&db, "refresh", &token)? else {
            return Err(ApiError::unauthorized("Invalid refresh token"));
        };
        issue_access_token(&db, &user, now() + state.options.access_token_ttl)?
    };
    state.remember_issued(&[&access]);
    let cookie = session_cookie(&state, &access);
    Ok(with_cookie(json!({ "access_token": access }), cookie, limit))
}

async fn logout(
    State(state): State<Arc<FluiState>>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<RefreshBody>,
) -> ApiResult<Response> {
    {
        let db = state.db();
        if let Some(Value::String(token)) = &body.refresh_token {
            revoke_token(&db, token)?;
        }
        if let Some(access) = bearer(&headers).or_else(|| cookie(&headers, SESSION_COOKIE)) {
            revoke_token(&db, &access)?;
        }
    }
    Ok(with_cookie(
        json!({ "success": true }),
        clear_session_cookie(),
        HeaderMap::new(),
    ))
}

/// After the OIDC callback: the bearer (the provider's access token) becomes the
/// `flui_session` cookie, living as long as the token.
async fn oidc_session(
    State(state): State<Arc<FluiState>>,
    headers: HeaderMap,
    _user: AuthUser,
) -> ApiResult<Response> {
    let token = bearer(&headers).ok_or_else(ApiError::guard_unauthorized)?;
    let left = super::oidc::expiry(&token).map_or(0, |exp| (exp - now().timestamp()).max(0));
    let secure = if state.options.production { "; Secure" } else { "" };
    let cookie = HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Max-Age={left}; Path=/; HttpOnly{secure}; SameSite=Lax"
    ))
    .unwrap_or_else(|_| clear_session_cookie());
    Ok(with_cookie(json!({ "success": true }), cookie, HeaderMap::new()))
}

/// Public: ends the cookie session (Flui's `/auth/oidc-logout`).
async fn session_logout(State(state): State<Arc<FluiState>>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(access) = cookie(&headers, SESSION_COOKIE) {
        revoke_token(&state.db(), &access)?;
    }
    Ok(with_cookie(
        json!({ "success": true }),
        clear_session_cookie(),
        HeaderMap::new(),
    ))
}

async fn me(State(state): State<Arc<FluiState>>, AuthUser(user): AuthUser) -> Json<Value> {
    let mut body = json!({
        "userId": user.id,
        "email": user.email,
        "roles": {},
        "role": if user.is_admin() { "admin" } else { "user" },
        "isAdmin": user.is_admin(),
    });
    // A running older server sends no name (contract §10).
    if state.options.generation == ApiGeneration::Newer {
        body["name"] = json!(user.name);
        body["displayName"] = json!(user.name);
    }
    Json(body)
}

async fn permissions(AuthUser(user): AuthUser) -> Json<Value> {
    Json(json!({ "permissions": user.permissions(), "isAdmin": user.is_admin() }))
}

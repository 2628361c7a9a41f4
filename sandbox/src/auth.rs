//! §7: local sign-in, refresh, sign-out, the current user and permissions, and the
//! guard every authenticated route goes through (bearer token, else `flui_session`).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router, routing::get, routing::post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::body::JsonBody;
use crate::clock::now;
use crate::db::{self, User};
use crate::error::{ApiError, ApiResult};
use crate::{AppState, AuthMode};

pub const SESSION_COOKIE: &str = "flui_session";

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/auth/config", get(auth_config))
        .route("/auth/login", post(login))
        .route("/auth/refresh", post(refresh))
        .route("/auth/logout", post(logout))
        .route("/auth/oidc-logout", post(session_logout))
        .route("/auth/me", get(me))
        .route("/me/permissions", get(permissions))
}

/// The signed-in user of a request. Rejects with Flui's 401 body.
pub struct AuthUser(pub User);

impl FromRequestParts<Arc<AppState>> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers).or_else(|| cookie(&parts.headers, SESSION_COOKIE));
        let Some(token) = token else {
            return Err(ApiError::unauthorized("Unauthorized"));
        };
        let db = state.db();
        match db::user_by_token(&db, "access", &token)? {
            Some(user) => Ok(AuthUser(user)),
            None => Err(ApiError::unauthorized("Unauthorized")),
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
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))?;
    let token = token.trim();
    (!token.is_empty()).then(|| token.to_owned())
}

pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

fn session_cookie(token: &str, max_age_secs: i64) -> HeaderValue {
    let value = format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}");
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("flui_session=; Max-Age=0"))
}

fn clear_session_cookie() -> HeaderValue {
    HeaderValue::from_static("flui_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

async fn auth_config(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(match state.options.auth_mode {
        AuthMode::Local => json!({ "authMode": "local" }),
        AuthMode::Oidc => json!({
            "authMode": "oidc",
            "issuer": "http://127.0.0.1/sandbox-oidc",
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

fn user_json(user: &User) -> Value {
    json!({
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "isAdmin": user.is_admin(),
    })
}

async fn login(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    JsonBody(body): JsonBody<LoginBody>,
) -> ApiResult<Response> {
    state.throttle("login", peer, 5)?;
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
        let Some(user) = db::user_by_credentials(&db, &email, &password)? else {
            return Err(ApiError::unauthorized("Invalid credentials"));
        };
        let access = db::issue_token(&db, "access", &user.id, now() + state.options.access_token_ttl)?;
        let refresh = db::issue_token(&db, "refresh", &user.id, now() + state.options.refresh_token_ttl)?;
        (user, access, refresh)
    };
    let mut response = Json(json!({
        "access_token": access,
        "refresh_token": refresh,
        "user": user_json(&user),
    }))
    .into_response();
    response.headers_mut().insert(
        SET_COOKIE,
        session_cookie(&access, state.options.access_token_ttl.num_seconds()),
    );
    Ok(response)
}

#[derive(Deserialize)]
struct RefreshBody {
    refresh_token: Option<Value>,
}

async fn refresh(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    JsonBody(body): JsonBody<RefreshBody>,
) -> ApiResult<Response> {
    state.throttle("refresh", peer, 10)?;
    let Some(Value::String(token)) = body.refresh_token else {
        return Err(ApiError::validation(vec![
            "refresh_token must be a string".into(),
        ]));
    };
    let access = {
        let db = state.db();
        let Some(user) = db::user_by_token(&db, "refresh", &token)? else {
            return Err(ApiError::unauthorized("Invalid refresh token"));
        };
        db::issue_token(&db, "access", &user.id, now() + state.options.access_token_ttl)?
    };
    state.refreshes.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut response = Json(json!({ "access_token": access })).into_response();
    response.headers_mut().insert(
        SET_COOKIE,
        session_cookie(&access, state.options.access_token_ttl.num_seconds()),
    );
    Ok(response)
}

async fn logout(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<RefreshBody>,
) -> ApiResult<Response> {
    {
        let db = state.db();
        if let Some(Value::String(token)) = &body.refresh_token {
            db::revoke_token(&db, token)?;
        }
        if let Some(access) = bearer(&headers).or_else(|| cookie(&headers, SESSION_COOKIE)) {
            db::revoke_token(&db, &access)?;
        }
    }
    let mut response = Json(json!({ "success": true })).into_response();
    response.headers_mut().insert(SET_COOKIE, clear_session_cookie());
    Ok(response)
}

/// Public: ends the cookie session (Flui's `/auth/oidc-logout`).
async fn session_logout(State(state): State<Arc<AppState>>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(access) = cookie(&headers, SESSION_COOKIE) {
        db::revoke_token(&state.db(), &access)?;
    }
    let mut response = Json(json!({ "success": true })).into_response();
    response.headers_mut().insert(SET_COOKIE, clear_session_cookie());
    Ok(response)
}

async fn me(AuthUser(user): AuthUser) -> Json<Value> {
    Json(json!({
        "userId": user.id,
        "email": user.email,
        "name": user.name,
        "displayName": user.name,
        "roles": {},
        "role": if user.is_admin() { "admin" } else { "user" },
        "isAdmin": user.is_admin(),
    }))
}

async fn permissions(AuthUser(user): AuthUser) -> Json<Value> {
    Json(json!({ "permissions": user.permissions(), "isAdmin": user.is_admin() }))
}

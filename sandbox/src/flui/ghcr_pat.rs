//! §5: the GHCR personal access token a user stores so the cluster can pull built images.
//! Every check is done as Flui does it: class-validator's messages first, then the expiry,
//! then GitHub's `GET /user` with the token and its `x-oauth-scopes`. Dates follow
//! [`FluiState::now`], a clock the tests can move.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, patch, post, put};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Deserialize;
use serde_json::{Value, json};

use super::FluiState;
use super::auth::AuthUser;
use super::body::JsonBody;
use super::error::{ApiError, ApiResult};
use super::github_client::{GithubClient, TokenRefused};
use crate::options::ApiGeneration;
use crate::util::{iso, parse_iso};

pub(super) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS ghcr_pats (
    user_id          TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    token_enc        TEXT NOT NULL,
    expires_at       TEXT,
    github_login     TEXT,
    scopes           TEXT NOT NULL DEFAULT '',
    verification     TEXT NOT NULL DEFAULT 'VALID',
    last_rotated_at  TEXT,
    last_verified_at TEXT,
    active           INTEGER NOT NULL DEFAULT 1
);
"#;

const PAT: &str = "/repositories/github-app/packages-pat";

pub(super) fn routes() -> Router<Arc<FluiState>> {
    Router::new()
        .route(&format!("{PAT}/status"), get(status))
        .route(PAT, post(set).delete(revoke))
        .route(&format!("{PAT}/rotate"), put(rotate))
        .route(&format!("{PAT}/expiry"), patch(change_expiry))
}

struct GhcrPat {
    expires_at: Option<String>,
    github_login: Option<String>,
    scopes: Vec<String>,
    verification: String,
    last_rotated_at: Option<String>,
    last_verified_at: Option<String>,
}

fn active_pat(conn: &Connection, user_id: &str) -> rusqlite::Result<Option<GhcrPat>> {
    conn.query_row(
        "SELECT expires_at, github_login, scopes, verification, last_rotated_at, last_verified_at
         FROM ghcr_pats WHERE user_id = ?1 AND active = 1",
        params![user_id],
        |r| {
            let scopes: String = r.get(2)?;
            Ok(GhcrPat {
                expires_at: r.get(0)?,
                github_login: r.get(1)?,
                scopes: scopes
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
                verification: r.get(3)?,
                last_rotated_at: r.get(4)?,
                last_verified_at: r.get(5)?,
            })
        },
    )
    .optional()
}

/// A token saved for a user (sealed by the caller), as Flui records it after checking it.
pub struct SavedPat<'a> {
    pub token_enc: &'a str,
    pub expires_at: Option<&'a str>,
    pub github_login: &'a str,
    pub scopes: &'a [&'a str],
    /// Flui's last verification: `VALID`, `INVALID` or `SCOPE_MISSING`.
    pub verification: &'a str,
    /// When it was checked (Flui's clock); also its rotation time when it replaces one.
    pub at: &'a str,
    pub replaces: bool,
}

pub fn save_ghcr_pat(conn: &Connection, user_id: &str, pat: &SavedPat<'_>) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO ghcr_pats (user_id, token_enc, expires_at, github_login, scopes, verification, last_rotated_at, last_verified_at, active)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1)
         ON CONFLICT (user_id) DO UPDATE SET token_enc = ?2, expires_at = ?3, github_login = ?4, scopes = ?5,
           verification = ?6, last_rotated_at = ?7, last_verified_at = ?8, active = 1",
        params![
            user_id,
            pat.token_enc,
            pat.expires_at,
            pat.github_login,
            pat.scopes.join(","),
            pat.verification,
            pat.replaces.then_some(pat.at),
            pat.at
        ],
    )?;
    Ok(())
}

/// `ceil((expiresAt - now) / 1 day)`, as Flui computes it.
fn days_until(expires_at: &str, now: DateTime<Utc>) -> Option<i64> {
    parse_iso(expires_at).map(|at| ((at - now).num_milliseconds() as f64 / 86_400_000.0).ceil() as i64)
}

/// Flui's `CredentialStatus` of a stored token (or `MISSING`), in its order of checks.
pub(super) fn credential_status(verification: &str, days: Option<i64>) -> &'static str {
    if verification == "INVALID" || verification == "SCOPE_MISSING" {
        return "INVALID";
    }
    match days {
        None => "UNKNOWN_EXPIRY",
        Some(d) if d <= 0 => "EXPIRED",
        Some(d) if d <= 14 => "EXPIRING_SOON",
        Some(_) => "VALID",
    }
}

/// `GhcrPatStatus` for the user's token, if any.
fn status_json(pat: Option<&GhcrPat>, now: DateTime<Utc>) -> Value {
    let Some(pat) = pat else {
        return json!({ "configured": false, "status": "MISSING" });
    };
    let days = pat.expires_at.as_deref().and_then(|at| days_until(at, now));
    json!({
        "configured": true,
        "status": credential_status(&pat.verification, days),
        "expiresAt": pat.expires_at,
        "daysUntilExpiry": days,
        "lastRotatedAt": pat.last_rotated_at,
        "lastVerifiedAt": pat.last_verified_at,
        "githubLogin": pat.github_login,
        "scopes": pat.scopes,
    })
}

/// The GHCR part of `/credentials/status`: its status, expiry and days left.
pub(super) fn credential(
    state: &FluiState,
    user_id: &str,
) -> ApiResult<(&'static str, Option<String>, Option<i64>)> {
    let now = state.now();
    Ok(match active_pat(&state.db(), user_id)? {
        None => ("MISSING", None, None),
        Some(pat) => {
            let days = pat.expires_at.as_deref().and_then(|at| days_until(at, now));
            (credential_status(&pat.verification, days), pat.expires_at, days)
        }
    })
}

/// 5a. Only this read adds `needed` (newer API).
async fn status(State(state): State<Arc<FluiState>>, user: AuthUser) -> ApiResult<Json<Value>> {
    let pat = active_pat(&state.db(), &user.0.id)?;
    let mut body = status_json(pat.as_ref(), state.now());
    if state.options.generation == ApiGeneration::Newer {
        body["needed"] = json!(state.options.image_registry == "ghcr");
    }
    Ok(Json(body))
}

#[derive(Deserialize)]
struct SaveBody {
    token: Option<Value>,
    #[serde(rename = "expiresAt")]
    expires_at: Option<Value>,
}

/// class-validator on `expiresAt` (`@IsDateString`), then Flui's own "at least a day" rule.
fn checked_expiry(raw: Option<&Value>, problems: &mut Vec<String>) -> Option<String> {
    let at = raw.and_then(Value::as_str).filter(|s| parse_iso(s).is_some());
    if at.is_none() {
        problems.push("expiresAt must be a valid ISO 8601 date string".into());
    }
    at.map(str::to_owned)
}

fn at_least_a_day_ahead(expires_at: &str, now: DateTime<Utc>) -> ApiResult<()> {
    match parse_iso(expires_at) {
        Some(at) if at - now >= chrono::Duration::days(1) => Ok(()),
        _ => Err(ApiError::bad_request(
            "expiresAt must be at least 1 day in the future",
        )),
    }
}

/// What `SaveGhcrPatDto` checks, with class-validator's messages, the token trimmed.
fn checked_body(body: &SaveBody) -> ApiResult<(String, String)> {
    let mut problems = Vec::new();
    let token = match &body.token {
        Some(Value::String(token)) => {
            let token = token.trim().to_owned();
            if token.is_empty() {
                problems.push("token should not be empty".into());
            }
            if !(token.starts_with("ghp_") || token.starts_with("github_pat_")) {
                problems.push("Token must start with ghp_ or github_pat_".into());
            }
            token
        }
        _ => {
            problems.push("token must be a string".into());
            problems.push("Token must start with ghp_ or github_pat_".into());
            String::new()
        }
    };
    let expires_at = checked_expiry(body.expires_at.as_ref(), &mut problems);
    match expires_at {
        Some(expires_at) if problems.is_empty() => Ok((token, expires_at)),
        _ => Err(ApiError::validation(problems)),
    }
}

/// The checks Flui makes against GitHub; the login and scopes to store.
async fn checked_on_github(state: &FluiState, token: &str) -> ApiResult<(String, Vec<String>)> {
    let owner = GithubClient::new(&state.github_url())
        .token_owner(token)
        .await
        .map_err(|refused| match refused {
            TokenRefused::Rejected(message) => {
                ApiError::bad_request(format!("Invalid GitHub PAT: {message}"))
            }
            // Flui's call to GitHub throws and Nest answers a bare 500 (as a running
            // flui-cloud/core did with GitHub out of reach).
            TokenRefused::Unreachable(_) => ApiError::uncaught(),
        })?;
    match owner.scopes {
        // A fine-grained token has no scopes to check: Flui takes it as it is.
        None => Ok((owner.login, Vec::new())),
        Some(scopes)
            if scopes
                .iter()
                .any(|s| s == "read:packages" || s == "write:packages") =>
        {
            Ok((owner.login, scopes))
        }
        Some(scopes) => Err(ApiError::bad_request(format!(
            "PAT is missing required scope read:packages (granted scopes: {})",
            if scopes.is_empty() {
                "none".to_owned()
            } else {
                scopes.join(", ")
            }
        ))),
    }
}

async fn save(state: &FluiState, user_id: &str, body: SaveBody, replaces: bool) -> ApiResult<Value> {
    let now = state.now();
    let (token, expires_at) = checked_body(&body)?;
    at_least_a_day_ahead(&expires_at, now)?;
    let (login, scopes) = checked_on_github(state, &token).await?;
    let at = iso(now);
    let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
    let db = state.db();
    save_ghcr_pat(
        &db,
        user_id,
        &SavedPat {
            token_enc: &state.vault.seal(&token),
            expires_at: Some(&expires_at),
            github_login: &login,
            scopes: &scopes,
            verification: "VALID",
            at: &at,
            replaces,
        },
    )?;
    Ok(status_json(active_pat(&db, user_id)?.as_ref(), now))
}

fn no_pat() -> ApiError {
    ApiError::not_found("No GHCR PAT configured — use POST /repositories/github-app/packages-pat first")
}

/// 5b: saves (or replaces) the token. 201.
async fn set(
    State(state): State<Arc<FluiState>>,
    user: AuthUser,
    JsonBody(body): JsonBody<SaveBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let replaces = active_pat(&state.db(), &user.0.id)?.is_some();
    Ok((
        StatusCode::CREATED,
        Json(save(&state, &user.0.id, body, replaces).await?),
    ))
}

/// 5c: replaces the stored token; 404 when there is none.
async fn rotate(
    State(state): State<Arc<FluiState>>,
    user: AuthUser,
    JsonBody(body): JsonBody<SaveBody>,
) -> ApiResult<Json<Value>> {
    if active_pat(&state.db(), &user.0.id)?.is_none() {
        return Err(no_pat());
    }
    Ok(Json(save(&state, &user.0.id, body, true).await?))
}

#[derive(Deserialize)]
struct ExpiryBody {
    #[serde(rename = "expiresAt")]
    expires_at: Option<Value>,
}

/// 5d: only the expiry changes.
async fn change_expiry(
    State(state): State<Arc<FluiState>>,
    user: AuthUser,
    JsonBody(body): JsonBody<ExpiryBody>,
) -> ApiResult<Json<Value>> {
    let now = state.now();
    let mut problems = Vec::new();
    let Some(expires_at) = checked_expiry(body.expires_at.as_ref(), &mut problems) else {
        return Err(ApiError::validation(problems));
    };
    let db = state.db();
    if active_pat(&db, &user.0.id)?.is_none() {
        return Err(ApiError::not_found("No GHCR PAT configured"));
    }
    at_least_a_day_ahead(&expires_at, now)?;
    db.execute(
        "UPDATE ghcr_pats SET expires_at = ?1 WHERE user_id = ?2",
        params![expires_at, user.0.id],
    )?;
    Ok(Json(status_json(active_pat(&db, &user.0.id)?.as_ref(), now)))
}

/// 5e: soft-deactivates the token; idempotent.
async fn revoke(State(state): State<Arc<FluiState>>, user: AuthUser) -> ApiResult<Json<Value>> {
    state.db().execute(
        "UPDATE ghcr_pats SET active = 0 WHERE user_id = ?1",
        params![user.0.id],
    )?;
    Ok(Json(json!({ "ok": true })))
}

/// Flui's daily job, run now: every stored token is checked against GitHub again, and
/// marked `INVALID` (GitHub refuses it) or `SCOPE_MISSING` (it lost read:packages).
pub async fn verify_all(state: &FluiState) -> rusqlite::Result<()> {
    let stored: Vec<(String, String)> = {
        let db = state.db();
        let mut stmt = db.prepare("SELECT user_id, token_enc FROM ghcr_pats WHERE active = 1")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?
    };
    let github = GithubClient::new(&state.github_url());
    for (user_id, sealed) in stored {
        let Some(token) = state.vault.open_sealed(&sealed) else {
            continue;
        };
        let verification = match github.token_owner(&token).await {
            Ok(owner) => match owner.scopes {
                Some(scopes)
                    if !scopes
                        .iter()
                        .any(|s| s == "read:packages" || s == "write:packages") =>
                {
                    "SCOPE_MISSING"
                }
                _ => "VALID",
            },
            Err(TokenRefused::Rejected(_)) => "INVALID",
            // GitHub unreachable: no verdict, nothing changes.
            Err(TokenRefused::Unreachable(_)) => continue,
        };
        state.db().execute(
            "UPDATE ghcr_pats SET verification = ?1, last_verified_at = ?2 WHERE user_id = ?3",
            params![verification, iso(state.now()), user_id],
        )?;
    }
    Ok(())
}

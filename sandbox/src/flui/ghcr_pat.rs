//! §5: the GHCR personal access token a user stores so the cluster can pull built images.

use std::sync::Arc;

use axum::extract::State;
use axum::{Json, Router, routing::get};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};

use super::FluiState;
use super::auth::AuthUser;
use super::error::ApiResult;
use crate::options::ApiGeneration;
use crate::util::{iso, now, parse_iso};

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

pub(super) fn routes() -> Router<Arc<FluiState>> {
    Router::new().route(
        "/repositories/github-app/packages-pat/status",
        get(ghcr_pat_status),
    )
}

struct GhcrPat {
    expires_at: Option<String>,
    github_login: Option<String>,
    scopes: Vec<String>,
    verification: String,
    last_rotated_at: Option<String>,
    last_verified_at: Option<String>,
}

fn ghcr_pat(conn: &Connection, user_id: &str) -> rusqlite::Result<Option<GhcrPat>> {
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

/// A token saved for `user_id` (sealed by the caller), as Flui records it after checking it.
pub struct SavedPat<'a> {
    pub token_enc: &'a str,
    pub expires_at: Option<&'a str>,
    pub github_login: &'a str,
    pub scopes: &'a [&'a str],
    /// Flui's last verification: `VALID`, `INVALID` or `SCOPE_MISSING`.
    pub verification: &'a str,
}

pub fn save_ghcr_pat(conn: &Connection, user_id: &str, pat: &SavedPat<'_>) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO ghcr_pats (user_id, token_enc, expires_at, github_login, scopes, verification, last_rotated_at, last_verified_at, active)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, 1)
         ON CONFLICT (user_id) DO UPDATE SET token_enc = ?2, expires_at = ?3, github_login = ?4, scopes = ?5,
           verification = ?6, last_rotated_at = ?7, last_verified_at = ?7, active = 1",
        params![
            user_id,
            pat.token_enc,
            pat.expires_at,
            pat.github_login,
            pat.scopes.join(","),
            pat.verification,
            iso(now())
        ],
    )?;
    Ok(())
}

/// `GhcrPatStatus`, with the status computed in Flui's order.
fn status_json(pat: Option<&GhcrPat>) -> Value {
    let Some(pat) = pat else {
        return json!({ "configured": false, "status": "MISSING" });
    };
    let days = pat
        .expires_at
        .as_deref()
        .and_then(parse_iso)
        .map(|at| ((at - now()).num_milliseconds() as f64 / 86_400_000.0).ceil() as i64);
    let status = if pat.verification == "INVALID" || pat.verification == "SCOPE_MISSING" {
        "INVALID"
    } else {
        match days {
            None => "UNKNOWN_EXPIRY",
            Some(d) if d <= 0 => "EXPIRED",
            Some(d) if d <= 14 => "EXPIRING_SOON",
            Some(_) => "VALID",
        }
    };
    json!({
        "configured": true,
        "status": status,
        "expiresAt": pat.expires_at,
        "daysUntilExpiry": days,
        "lastRotatedAt": pat.last_rotated_at,
        "lastVerifiedAt": pat.last_verified_at,
        "githubLogin": pat.github_login,
        "scopes": pat.scopes,
    })
}

/// 5a. Only this read adds `needed` (newer API).
async fn ghcr_pat_status(State(state): State<Arc<FluiState>>, user: AuthUser) -> ApiResult<Json<Value>> {
    let pat = ghcr_pat(&state.db(), &user.0.id)?;
    let mut body = status_json(pat.as_ref());
    if state.options.generation == ApiGeneration::Newer {
        body["needed"] = json!(state.options.image_registry == "ghcr");
    }
    Ok(Json(body))
}

//! §4b: `GET /credentials/status`, every credential of the user in one answer, for the
//! dashboard's banner. Shaped as the DTO and as a running older server answered (§10):
//! `actionUrl` is the App setup page while nothing is configured, else the repositories
//! page; the older server caches the answer for 5 minutes and a change does not refresh it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use super::FluiState;
use super::auth::AuthUser;
use super::error::ApiResult;
use super::ghcr_pat;
use super::installations::first_reachable;
use super::setup::github_setup;
use crate::options::ApiGeneration;

pub(super) fn routes() -> Router<Arc<FluiState>> {
    Router::new().route("/credentials/status", get(status))
}

/// The older server's 5-minute cache, per user.
#[derive(Default)]
pub struct CredentialsCache(Mutex<HashMap<String, (Instant, Value)>>);

const CACHE_SECONDS: u64 = 300;

/// From the most to the least urgent.
const SEVERITY: [&str; 6] = [
    "INVALID",
    "EXPIRED",
    "MISSING",
    "EXPIRING_SOON",
    "UNKNOWN_EXPIRY",
    "VALID",
];

fn item(
    kind: &str,
    label: &str,
    status: &str,
    expires_at: Option<String>,
    days: Option<i64>,
    action_url: &str,
) -> Value {
    json!({
        "kind": kind,
        "label": label,
        "status": status,
        "expiresAt": expires_at,
        "daysUntilExpiry": days,
        "actionUrl": action_url,
    })
}

fn compute(state: &FluiState, user_id: &str) -> ApiResult<Value> {
    let generation = state.options.generation;
    let setup = github_setup(&state.db())?;
    let action_url = if setup.is_some() {
        "/apps/repositories"
    } else {
        "/apps/repositories/github-setup"
    };
    let pat_mode = setup.as_ref().is_some_and(|s| s.auth_method == "pat");
    let connected = if pat_mode {
        state.db().query_row(
            "SELECT COUNT(*) FROM github_connections WHERE user_id = ?1",
            [user_id],
            |r| r.get::<_, i64>(0),
        )? > 0
    } else {
        first_reachable(&state.db(), user_id, generation)?.is_some()
    };
    // The older server labels the GitHub item "GitHub App" even in PAT mode.
    let (kind, label) = if pat_mode && generation == ApiGeneration::Newer {
        ("GITHUB_PAT", "GitHub personal access token")
    } else {
        ("GITHUB_APP", "GitHub App")
    };
    let github_status = if connected { "VALID" } else { "MISSING" };
    let mut items = vec![item(kind, label, github_status, None, None, action_url)];
    // An instance with its own registry needs no GHCR token (newer API).
    let needs_ghcr = generation == ApiGeneration::Older || state.options.image_registry == "ghcr";
    if needs_ghcr {
        let (status, expires_at, days) = ghcr_pat::credential(state, user_id)?;
        items.push(item(
            "GHCR_PAT",
            "GHCR pull token",
            status,
            expires_at,
            days,
            action_url,
        ));
    }
    let overall = SEVERITY
        .iter()
        .find(|s| items.iter().any(|i| i["status"] == **s))
        .copied()
        .unwrap_or("VALID");
    Ok(json!({ "overallStatus": overall, "items": items }))
}

async fn status(State(state): State<Arc<FluiState>>, user: AuthUser) -> ApiResult<Json<Value>> {
    if state.options.generation == ApiGeneration::Older {
        let mut cache = state
            .credentials_cache
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some((at, body)) = cache.get(&user.0.id)
            && at.elapsed().as_secs() < CACHE_SECONDS
        {
            return Ok(Json(body.clone()));
        }
        let body = compute(&state, &user.0.id)?;
        cache.insert(user.0.id.clone(), (Instant::now(), body.clone()));
        return Ok(Json(body));
    }
    Ok(Json(compute(&state, &user.0.id)?))
}

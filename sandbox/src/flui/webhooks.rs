//! §9: the GitHub App's webhook. GitHub signs each delivery with the App's webhook
//! secret; Flui checks the signature on the raw body before reading it, then keeps its
//! installation records in step with what GitHub reports.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::Sha256;

use super::FluiState;
use super::error::{ApiError, ApiResult};
use super::github_client::GhInstallation;
use super::installations::{created_by_webhook, forget, set_selection, set_suspended};
use super::setup::github_setup;
use crate::options::ApiGeneration;
use crate::util::iso;

pub(super) fn routes() -> Router<Arc<FluiState>> {
    Router::new().route("/webhooks/github-app", post(github_app))
}

/// Whether `header` (`sha256=<hex>`) is the HMAC-SHA256 of `body` under `secret`,
/// compared in constant time.
fn signed_by(secret: &str, body: &[u8], header: &str) -> bool {
    let Some(digest) = header.strip_prefix("sha256=").and_then(|h| hex::decode(h).ok()) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&digest).is_ok()
}

async fn github_app(
    State(state): State<Arc<FluiState>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let secret = github_setup(&state.db())?
        .and_then(|setup| setup.webhook_secret_enc)
        .and_then(|sealed| state.vault.open_sealed(&sealed))
        .filter(|secret| !secret.is_empty())
        .ok_or_else(|| ApiError::unauthorized("GitHub App webhook secret is not configured"))?;
    if !signed_by(&secret, &body, &header("x-hub-signature-256")) {
        return Err(ApiError::unauthorized("Invalid webhook signature"));
    }
    let payload: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let event = header("x-github-event");
    if matches!(event.as_str(), "installation" | "installation_repositories") {
        installation_changed(&state, &event, &payload)?;
    }
    Ok(Json(json!({ "received": true })))
}

/// What GitHub reports of an installation, as Flui handles it: `installation` created
/// (recorded unless known), deleted (forgotten), suspend and unsuspend (a known record
/// changes; Flui's own clock says since when). The newer API also follows
/// `installation_repositories` (all or selected repositories); the older one ignores it,
/// as it ignores every other event and action.
fn installation_changed(state: &FluiState, event: &str, payload: &Value) -> ApiResult<()> {
    let Ok(installation) = GhInstallation::deserialize(&payload["installation"]) else {
        return Ok(());
    };
    let generation = state.options.generation;
    let db = state.db();
    match (event, payload["action"].as_str().unwrap_or_default()) {
        ("installation", "created") => {
            let sender = payload["sender"]["login"].as_str();
            created_by_webhook(&db, generation, &installation, sender)?;
        }
        ("installation", "deleted") => {
            forget(&db, installation.id)?;
        }
        ("installation", "suspend") => {
            set_suspended(&db, installation.id, Some(&iso(state.now())))?;
        }
        ("installation", "unsuspend") => set_suspended(&db, installation.id, None)?,
        ("installation_repositories", _) if generation == ApiGeneration::Newer => {
            let selection = payload["repository_selection"]
                .as_str()
                .unwrap_or(&installation.repository_selection);
            set_selection(&db, installation.id, selection)?;
        }
        _ => {}
    }
    Ok(())
}

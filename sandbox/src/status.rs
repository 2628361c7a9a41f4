//! §1a, §4a and §5a: the status reads behind the overview.

use std::sync::Arc;

use axum::extract::State;
use axum::{Json, Router, routing::get};
use serde_json::{Value, json};

use crate::auth::AuthUser;
use crate::clock::{now, parse};
use crate::db;
use crate::error::ApiResult;
use crate::{ApiGeneration, AppState};

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/repositories/github/setup/status", get(setup_status))
        .route("/repositories/github/status", get(github_status))
        .route(
            "/repositories/github-app/packages-pat/status",
            get(ghcr_pat_status),
        )
}

async fn setup_status(State(state): State<Arc<AppState>>, _user: AuthUser) -> ApiResult<Json<Value>> {
    let setup = db::github_setup(&state.db())?;
    let mut body = match setup {
        Some(s) if s.auth_method == "github_app" && s.app_slug.is_some() => {
            json!({ "configured": true, "authMethod": "github_app", "appSlug": s.app_slug })
        }
        Some(s) => json!({ "configured": true, "authMethod": s.auth_method }),
        None => json!({ "configured": false, "authMethod": null }),
    };
    if state.options.generation == ApiGeneration::Newer {
        body["imageRegistry"] = json!(state.options.image_registry);
    }
    Ok(Json(body))
}

async fn github_status(State(state): State<Arc<AppState>>, user: AuthUser) -> ApiResult<Json<Value>> {
    user.require("app:read")?;
    let connection = db::github_connection(&state.db(), &user.0.id)?;
    Ok(Json(match connection {
        Some(c) => {
            json!({ "connected": true, "githubUsername": c.account_login, "connectedAt": c.connected_at })
        }
        None => json!({ "connected": false }),
    }))
}

/// `GhcrPatStatus` for a stored PAT, with the status computed in Flui's order.
pub fn ghcr_status_json(pat: Option<&db::GhcrPat>) -> Value {
    let Some(pat) = pat else {
        return json!({ "configured": false, "status": "MISSING" });
    };
    let days = pat
        .expires_at
        .as_deref()
        .and_then(parse)
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

async fn ghcr_pat_status(State(state): State<Arc<AppState>>, user: AuthUser) -> ApiResult<Json<Value>> {
    let pat = db::ghcr_pat(&state.db(), &user.0.id)?;
    let mut body = ghcr_status_json(pat.as_ref());
    if state.options.generation == ApiGeneration::Newer {
        body["needed"] = json!(state.options.image_registry == "ghcr");
    }
    Ok(Json(body))
}

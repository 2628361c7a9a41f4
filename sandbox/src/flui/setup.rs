//! §1: the instance's GitHub setup (one row: GitHub App credentials, or PAT mode), and
//! its status read.

use std::sync::Arc;

use axum::extract::State;
use axum::{Json, Router, routing::get};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};

use super::FluiState;
use super::auth::AuthUser;
use super::error::ApiResult;
use crate::options::ApiGeneration;
use crate::util::{iso, now};

pub(super) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS github_setup (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    auth_method        TEXT NOT NULL,
    app_id             TEXT,
    app_slug           TEXT,
    client_id          TEXT,
    client_secret_enc  TEXT,
    webhook_secret_enc TEXT,
    private_key_enc    TEXT,
    callback_url       TEXT,
    updated_at         TEXT NOT NULL
);
"#;

pub(super) fn routes() -> Router<Arc<FluiState>> {
    Router::new()
        .route("/repositories/github/setup/status", get(setup_status))
        .route("/repositories/github/setup/health", get(setup_health))
}

/// The setup row. Secrets are sealed by the vault.
#[derive(Clone, Debug, Default)]
pub struct GithubSetup {
    pub auth_method: String,
    pub app_id: Option<String>,
    pub app_slug: Option<String>,
    pub client_id: Option<String>,
    pub client_secret_enc: Option<String>,
    pub webhook_secret_enc: Option<String>,
    pub private_key_enc: Option<String>,
    pub callback_url: Option<String>,
}

pub fn github_setup(conn: &Connection) -> rusqlite::Result<Option<GithubSetup>> {
    conn.query_row(
        "SELECT auth_method, app_id, app_slug, client_id, client_secret_enc, webhook_secret_enc, private_key_enc, callback_url
         FROM github_setup WHERE id = 1",
        [],
        |r| {
            Ok(GithubSetup {
                auth_method: r.get(0)?,
                app_id: r.get(1)?,
                app_slug: r.get(2)?,
                client_id: r.get(3)?,
                client_secret_enc: r.get(4)?,
                webhook_secret_enc: r.get(5)?,
                private_key_enc: r.get(6)?,
                callback_url: r.get(7)?,
            })
        },
    )
    .optional()
}

pub fn save_github_setup(conn: &Connection, s: &GithubSetup) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO github_setup (id, auth_method, app_id, app_slug, client_id, client_secret_enc, webhook_secret_enc, private_key_enc, callback_url, updated_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (id) DO UPDATE SET auth_method = ?1, app_id = ?2, app_slug = ?3, client_id = ?4,
           client_secret_enc = ?5, webhook_secret_enc = ?6, private_key_enc = ?7, callback_url = ?8, updated_at = ?9",
        params![
            s.auth_method, s.app_id, s.app_slug, s.client_id, s.client_secret_enc,
            s.webhook_secret_enc, s.private_key_enc, s.callback_url, iso(now())
        ],
    )?;
    Ok(())
}

/// 1a: any signed-in user may read it.
async fn setup_status(State(state): State<Arc<FluiState>>, _user: AuthUser) -> ApiResult<Json<Value>> {
    let setup = github_setup(&state.db())?;
    let mut body = match setup {
        Some(s) if s.auth_method == "github_app" => {
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

/// 1b: whether the stored credentials work. The sandbox's check stands for GitHub's: the
/// App's private key must be a PEM private key, else GitHub refuses the App's JWT.
async fn setup_health(State(state): State<Arc<FluiState>>, user: AuthUser) -> ApiResult<Json<Value>> {
    user.require_admin(state.options.generation)?;
    let db = state.db();
    let Some(setup) = github_setup(&db)? else {
        return Ok(Json(
            json!({ "ok": false, "mode": null, "details": { "error": "not_configured" } }),
        ));
    };
    if setup.auth_method == "pat" {
        let note = "PAT mode: each user connects GitHub with their own token.";
        return Ok(Json(
            json!({ "ok": true, "mode": "pat", "details": { "note": note } }),
        ));
    }
    let key = setup
        .private_key_enc
        .as_deref()
        .and_then(|k| state.vault.open_sealed(k))
        .unwrap_or_default();
    if !key.contains("PRIVATE KEY-----") {
        return Ok(Json(json!({
            "ok": false,
            "mode": "github_app",
            "details": {
                "error": "github_api_error",
                "message": "A JSON web token could not be decoded",
                "status": 401,
            },
        })));
    }
    let installations: i64 = db.query_row("SELECT COUNT(*) FROM installations", [], |r| r.get(0))?;
    Ok(Json(json!({
        "ok": true,
        "mode": "github_app",
        "details": {
            "appSlug": setup.app_slug,
            "appId": setup.app_id.as_deref().and_then(|id| id.parse::<i64>().ok()),
            "installationsCount": installations,
        },
    })))
}

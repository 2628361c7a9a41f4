//! §1: the instance's GitHub setup (one row: GitHub App credentials, or PAT mode): its
//! status and health, the manual form, the manifest flow, PAT mode and reset.
//! Credentials are checked as Flui checks them: an App JWT minted with the key, sent to
//! GitHub's `GET /app`.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::header::{HOST, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Deserialize;
use serde_json::{Value, json};

use super::FluiState;
use super::auth::AuthUser;
use super::body::JsonBody;
use super::error::{ApiError, ApiResult};
use super::github_client::{GhError, GithubClient};
use crate::app_jwt;
use crate::options::ApiGeneration;
use crate::util::{iso, now, parse_iso, url_encode};

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
CREATE TABLE IF NOT EXISTS manifest_states (
    state        TEXT PRIMARY KEY,
    callback_url TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
"#;

pub(super) fn routes() -> Router<Arc<FluiState>> {
    Router::new()
        .route("/repositories/github/setup/status", get(setup_status))
        .route("/repositories/github/setup/health", get(setup_health))
        .route("/repositories/github/setup/github-app", post(configure_app))
        .route(
            "/repositories/github/setup/github-app/manifest-start",
            post(manifest_start),
        )
        .route(
            "/repositories/github/setup/github-app/manifest-callback/{state}",
            get(manifest_callback),
        )
        .route("/repositories/github/setup/pat", post(use_pat))
        .route("/repositories/github/setup", delete(reset))
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
    status_body(&state)
}

/// SetupStatus, as 1a and the writes answer it.
fn status_body(state: &FluiState) -> ApiResult<Json<Value>> {
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
    let setup = github_setup(&state.db())?;
    let Some(setup) = setup else {
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
    let app_id = setup.app_id.clone().unwrap_or_default();
    let key = (setup.private_key_enc.as_deref())
        .and_then(|k| state.vault.open_sealed(k))
        .unwrap_or_default();
    if let Err(failure) = check_with_github(&state, &app_id, &key).await {
        let (message, status) = match failure {
            Refused::Key(message) => (message, Value::Null),
            Refused::Github(GhError(message)) => (message, json!(401)),
        };
        return Ok(Json(json!({
            "ok": false,
            "mode": "github_app",
            "details": { "error": "github_api_error", "message": message, "status": status },
        })));
    }
    let installations: i64 = state
        .db()
        .query_row("SELECT COUNT(*) FROM installations", [], |r| r.get(0))?;
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

/// Why GitHub would not accept the App's credentials.
enum Refused {
    /// The key is not an RSA private key: no JWT could be signed.
    Key(String),
    Github(GhError),
}

/// What Flui does before it stores credentials, and for the health check: sign an App
/// JWT with the key and ask GitHub who the App is.
async fn check_with_github(state: &FluiState, app_id: &str, key: &str) -> Result<(), Refused> {
    let jwt = app_jwt::mint(app_id, key, now().timestamp()).map_err(Refused::Key)?;
    GithubClient::new(&state.github_url())
        .check_app(&jwt)
        .await
        .map_err(Refused::Github)
}

const INVALID_CREDENTIALS: &str =
    "Invalid GitHub App credentials. Verify the App ID and Private Key are correct.";

/// App credentials to store; `None` optional fields keep what is stored.
struct Credentials {
    app_id: String,
    app_slug: String,
    private_key: String,
    webhook_secret: String,
    client_id: Option<String>,
    client_secret: Option<String>,
    callback_url: Option<String>,
}

/// Checks the credentials with GitHub, then upserts the one setup row.
async fn store_credentials(state: &FluiState, c: Credentials) -> ApiResult<()> {
    if check_with_github(state, &c.app_id, &c.private_key).await.is_err() {
        return Err(ApiError::bad_request(INVALID_CREDENTIALS));
    }
    let db = state.db();
    let old = github_setup(&db)?.unwrap_or_default();
    let seal = |secret: Option<String>, kept: Option<String>| secret.map(|s| state.vault.seal(&s)).or(kept);
    save_github_setup(
        &db,
        &GithubSetup {
            auth_method: "github_app".into(),
            app_id: Some(c.app_id),
            app_slug: Some(c.app_slug),
            client_id: c.client_id.or(old.client_id),
            client_secret_enc: seal(c.client_secret, old.client_secret_enc),
            webhook_secret_enc: Some(state.vault.seal(&c.webhook_secret)),
            private_key_enc: Some(state.vault.seal(&c.private_key)),
            callback_url: c.callback_url.or(old.callback_url),
        },
    )?;
    Ok(())
}

/// class-validator's checks on one field: `@IsString()`, with `@IsNotEmpty()` when
/// required (else `@IsOptional()`: absent or null passes).
fn string_field(body: &Value, name: &str, required: bool, problems: &mut Vec<String>) -> Option<String> {
    match &body[name] {
        Value::String(text) if !(required && text.is_empty()) => Some(text.clone()),
        Value::Null if !required => None,
        Value::String(_) => {
            problems.push(format!("{name} should not be empty"));
            None
        }
        Value::Null => {
            problems.push(format!("{name} should not be empty"));
            problems.push(format!("{name} must be a string"));
            None
        }
        _ => {
            problems.push(format!("{name} must be a string"));
            None
        }
    }
}

fn bool_field(body: &Value, name: &str, required: bool, problems: &mut Vec<String>) -> Option<bool> {
    match &body[name] {
        Value::Bool(b) => Some(*b),
        Value::Null if !required => None,
        _ => {
            problems.push(format!("{name} must be a boolean value"));
            None
        }
    }
}

/// 1c: the manual form (also overwrite and rotate).
async fn configure_app(
    State(state): State<Arc<FluiState>>,
    user: AuthUser,
    JsonBody(body): JsonBody<Value>,
) -> ApiResult<Json<Value>> {
    user.require_admin(state.options.generation)?;
    let mut problems = Vec::new();
    let mut field = |name: &str, required: bool| string_field(&body, name, required, &mut problems);
    let (app_id, private_key, webhook_secret, app_slug) = (
        field("appId", true),
        field("privateKey", true),
        field("webhookSecret", true),
        field("appSlug", true),
    );
    let (client_id, client_secret, callback_url) = (
        field("clientId", false),
        field("clientSecret", false),
        field("callbackUrl", false),
    );
    let (Some(app_id), Some(private_key), Some(webhook_secret), Some(app_slug), true) =
        (app_id, private_key, webhook_secret, app_slug, problems.is_empty())
    else {
        return Err(ApiError::validation(problems));
    };
    store_credentials(
        &state,
        Credentials {
            app_id,
            app_slug,
            private_key,
            webhook_secret,
            client_id,
            client_secret,
            callback_url,
        },
    )
    .await?;
    status_body(&state)
}

/// 1d: a manifest for GitHub's App registration, and the state its callback must bring back.
async fn manifest_start(
    State(state): State<Arc<FluiState>>,
    user: AuthUser,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> ApiResult<Json<Value>> {
    user.require_admin(state.options.generation)?;
    let mut problems = Vec::new();
    let name = string_field(&body, "name", true, &mut problems);
    let webhooks = bool_field(&body, "webhooksEnabled", true, &mut problems);
    let public = bool_field(&body, "publicApp", false, &mut problems).unwrap_or(false);
    let public_api_url = string_field(&body, "publicApiUrl", false, &mut problems);
    let (Some(name), Some(webhooks), true) = (name, webhooks, problems.is_empty()) else {
        return Err(ApiError::validation(problems));
    };
    let older = state.options.generation == ApiGeneration::Older;
    let base = match public_api_url {
        Some(raw) => {
            let base = raw.trim().trim_end_matches('/').to_owned();
            if !(base.starts_with("http://") || base.starts_with("https://")) {
                return Err(ApiError::bad_request(format!(
                    "publicApiUrl must be an http(s) URL, got \"{raw}\""
                )));
            }
            base
        }
        None => match (&state.options.public_api_url, older) {
            (Some(url), _) => url.trim_end_matches('/').to_owned(),
            (None, true) => {
                let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
                let host = header("x-forwarded-host")
                    .or_else(|| header(HOST.as_str()))
                    .unwrap_or_default();
                format!(
                    "{}://{host}",
                    header("x-forwarded-proto").unwrap_or_else(|| "http".into())
                )
            }
            (None, false) => {
                return Err(ApiError::bad_request(
                    "PUBLIC_API_URL is not configured on this instance — set it before generating the GitHub App setup link.",
                ));
            }
        },
    };
    let manifest_state = uuid::Uuid::new_v4().to_string();
    let callback = format!("{base}/api/v1/repositories/github-app/user-callback");
    let mut manifest = json!({
        "name": name,
        "url": base,
        "redirect_url": format!("{base}/api/v1/repositories/github/setup/github-app/manifest-callback/{manifest_state}"),
        "callback_urls": [callback],
        "public": public,
        "request_oauth_on_install": true,
        "default_permissions": {
            "contents": "write", "metadata": "read", "actions": "write",
            "workflows": "write", "packages": "write", "pull_requests": "write"
        },
    });
    if webhooks || older {
        let url = if webhooks {
            format!("{base}/api/v1/webhooks/github-app")
        } else {
            String::new()
        };
        manifest["hook_attributes"] = json!({ "url": url, "active": webhooks });
        manifest["default_events"] = json!(["workflow_run", "push", "pull_request"]);
    }
    state.db().execute(
        "INSERT INTO manifest_states (state, callback_url, expires_at) VALUES (?1, ?2, ?3)",
        params![
            manifest_state,
            callback,
            iso(now() + chrono::Duration::minutes(10))
        ],
    )?;
    Ok(Json(json!({
        "manifestJson": manifest,
        "githubUrl": "https://github.com/settings/apps/new",
        "state": manifest_state,
    })))
}

#[derive(Deserialize)]
struct CodeQuery {
    code: Option<String>,
}

/// 1e: GitHub sends the browser here with a one-time code; Flui exchanges it for the
/// App's credentials, stores them as 1c does, and sends the browser to the dashboard.
async fn manifest_callback(
    State(state): State<Arc<FluiState>>,
    Path(manifest_state): Path<String>,
    Query(q): Query<CodeQuery>,
) -> Response {
    let outcome = match q.code.filter(|c| !c.is_empty()) {
        None => Err("missing_code_or_state".to_owned()),
        Some(code) => finish_manifest(&state, &manifest_state, &code).await,
    };
    let query = match outcome {
        Ok(()) => "manifest=success".to_owned(),
        Err(reason) => format!("manifest=error&reason={}", url_encode(&reason)),
    };
    let target = format!("{}/apps/repositories/github-setup?{query}", state.frontend_url());
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(value) = HeaderValue::from_str(&target) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

async fn finish_manifest(state: &FluiState, manifest_state: &str, code: &str) -> Result<(), String> {
    let callback_url: Option<(String, String)> = state
        .db()
        .query_row(
            "DELETE FROM manifest_states WHERE state = ?1 RETURNING callback_url, expires_at",
            params![manifest_state],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(|e| e.to_string())?;
    let Some(callback_url) = callback_url
        .filter(|(_, expires)| parse_iso(expires).is_some_and(|at| at > now()))
        .map(|(url, _)| url)
    else {
        return Err("invalid_or_expired_state".into());
    };
    let app = GithubClient::new(&state.github_url())
        .convert_manifest(code)
        .await
        .map_err(|GhError(message)| message)?;
    store_credentials(
        state,
        Credentials {
            app_id: app.id.to_string(),
            app_slug: app.slug,
            private_key: app.pem,
            webhook_secret: app.webhook_secret.unwrap_or_default(),
            client_id: Some(app.client_id),
            client_secret: Some(app.client_secret),
            callback_url: Some(callback_url),
        },
    )
    .await
    .map_err(|_| INVALID_CREDENTIALS.to_owned())
}

/// 1f: every user connects with a personal access token from now on.
async fn use_pat(State(state): State<Arc<FluiState>>, user: AuthUser) -> ApiResult<Json<Value>> {
    user.require_admin(state.options.generation)?;
    {
        let db = state.db();
        let old = github_setup(&db)?.unwrap_or_default();
        save_github_setup(
            &db,
            &GithubSetup {
                auth_method: "pat".into(),
                client_id: None,
                client_secret_enc: None,
                callback_url: None,
                ..old
            },
        )?;
    }
    status_body(&state)
}

/// 1g: forgets the setup, every user's GitHub connection and every installation row.
async fn reset(State(state): State<Arc<FluiState>>, user: AuthUser) -> ApiResult<StatusCode> {
    user.require_admin(state.options.generation)?;
    let db = state.db();
    db.execute_batch("DELETE FROM github_setup; DELETE FROM github_connections;")?;
    super::installations::forget_all(&db)?;
    Ok(StatusCode::NO_CONTENT)
}

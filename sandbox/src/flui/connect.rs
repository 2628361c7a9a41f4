//! §3 and §4a: connecting a user's GitHub (install URL, the callback in both API
//! generations, the claim), the users' GitHub tokens, and `github/status`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Deserialize;
use serde_json::{Value, json};

use super::FluiState;
use super::auth::AuthUser;
use super::body::JsonBody;
use super::error::{ApiError, ApiResult};
use super::github_client::GithubClient;
use super::installations::{first_reachable, record_all};
use super::setup::github_setup;
use crate::options::ApiGeneration;
use crate::util::{iso, now, url_encode, with_query};

pub(super) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS github_connections (
    user_id      TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    github_login TEXT NOT NULL,
    token_enc    TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
"#;

pub(super) fn routes(generation: ApiGeneration) -> Router<Arc<FluiState>> {
    let routes = Router::new()
        .route("/repositories/github-app/install-url", get(install_url))
        .route("/repositories/github-app/user-callback", get(user_callback))
        .route("/repositories/github/status", get(github_status));
    // The older generation has no claim step: its callback finishes by itself.
    match generation {
        ApiGeneration::Newer => routes.route("/repositories/github-app/claim", post(claim)),
        ApiGeneration::Older => routes,
    }
}

/// A connect state: issued with an install URL, valid 10 minutes, used once.
struct PendingState {
    user_id: String,
    expires: DateTime<Utc>,
}

/// A finished GitHub trip waiting for its user (newer API): valid 5 minutes, used once.
struct PendingClaim {
    user_id: String,
    code: String,
    installation_id: Option<String>,
    expires: DateTime<Utc>,
}

/// Connections under way: kept in memory, as Flui keeps them in its cache.
#[derive(Default)]
pub struct PendingConnections {
    states: Mutex<HashMap<String, PendingState>>,
    claims: Mutex<HashMap<String, PendingClaim>>,
}

impl PendingConnections {
    fn states(&self) -> MutexGuard<'_, HashMap<String, PendingState>> {
        self.states.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn claims(&self) -> MutexGuard<'_, HashMap<String, PendingClaim>> {
        self.claims.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Every pending state and claim expires now, as after 10 minutes.
    pub fn expire_all(&self) {
        let past = now() - chrono::Duration::seconds(1);
        self.states().values_mut().for_each(|s| s.expires = past);
        self.claims().values_mut().for_each(|c| c.expires = past);
    }
}

// ---- the users' GitHub tokens ---------------------------------------------------------

pub(super) fn save_connection(
    conn: &Connection,
    user_id: &str,
    login: &str,
    token_enc: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO github_connections (user_id, github_login, token_enc, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (user_id) DO UPDATE SET github_login = ?2, token_enc = ?3",
        params![user_id, login, token_enc, iso(now())],
    )?;
    Ok(())
}

/// The user's GitHub token (user-to-server, or a PAT in PAT mode), unsealed.
pub(super) fn user_token(state: &FluiState, user_id: &str) -> ApiResult<Option<String>> {
    let sealed: Option<String> = state
        .db()
        .query_row(
            "SELECT token_enc FROM github_connections WHERE user_id = ?1",
            params![user_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(sealed.and_then(|s| state.vault.open_sealed(&s)))
}

// ---- the App's credentials --------------------------------------------------------------

/// Flui's answer when the App has no client id (also in PAT mode, or with no setup).
const NO_CLIENT_ID: &str = "GitHub App client_id is not configured. Set GITHUB_APP_CLIENT_ID (or GITHUB_CLIENT_ID) or POST /api/v1/repositories/github/setup/github-app with clientId.";

struct AppCredentials {
    slug: String,
    client_id: String,
    client_secret: String,
    callback_url: String,
}

/// The configured App, or the 400 Flui answers when part of it is missing.
fn app_credentials(state: &FluiState) -> ApiResult<AppCredentials> {
    let setup = github_setup(&state.db())?.filter(|s| s.auth_method == "github_app");
    let Some(setup) = setup else {
        return Err(ApiError::bad_request(NO_CLIENT_ID));
    };
    let Some(client_id) = setup.client_id.filter(|c| !c.is_empty()) else {
        return Err(ApiError::bad_request(NO_CLIENT_ID));
    };
    let Some(callback_url) = setup.callback_url.filter(|c| !c.is_empty()) else {
        return Err(ApiError::bad_request(
            "GitHub App callback URL is not configured. POST /api/v1/repositories/github/setup/github-app with callbackUrl.",
        ));
    };
    let Some(slug) = setup.app_slug.filter(|s| !s.is_empty()) else {
        return Err(ApiError::bad_request(
            "GitHub App is not configured (appSlug missing)",
        ));
    };
    let client_secret = setup
        .client_secret_enc
        .and_then(|s| state.vault.open_sealed(&s))
        .unwrap_or_default();
    Ok(AppCredentials {
        slug,
        client_id,
        client_secret,
        callback_url,
    })
}

// ---- routes -----------------------------------------------------------------------------

/// 3a: nothing to do when the stored token works and reaches an installation; else a
/// single-use state and the URL to visit (consent without a token, install with one).
async fn install_url(State(state): State<Arc<FluiState>>, user: AuthUser) -> ApiResult<Json<Value>> {
    user.require("app:read")?;
    let app = app_credentials(&state)?;
    let newer = state.options.generation == ApiGeneration::Newer;
    let github = GithubClient::new(&state.github_url());
    let mut has_token = false;
    if let Some(token) = user_token(&state, &user.0.id)?
        && let Ok(gh_user) = github.user(&token).await
    {
        has_token = true;
        if let Ok(installations) = github.installations(&token).await
            && !installations.is_empty()
        {
            record_all(&state.db(), &user.0.id, &gh_user.login, &installations)?;
            // A running older server answers without the login (§10).
            return Ok(Json(if newer {
                json!({ "alreadyConnected": true, "login": gh_user.login })
            } else {
                json!({ "alreadyConnected": true })
            }));
        }
    }
    let connect_state = uuid::Uuid::new_v4().to_string();
    state.pending.states().insert(
        connect_state.clone(),
        PendingState {
            user_id: user.0.id.clone(),
            expires: now() + chrono::Duration::minutes(10),
        },
    );
    let base = state.github_url();
    let install_url = if has_token {
        format!("{base}/apps/{}/installations/new?state={connect_state}", app.slug)
    } else {
        format!(
            "{base}/login/oauth/authorize?client_id={}&state={connect_state}&redirect_uri={}",
            url_encode(&app.client_id),
            url_encode(&app.callback_url)
        )
    };
    Ok(Json(json!({
        "alreadyConnected": false,
        // The older server always says false here (§10).
        "needsInstall": newer && has_token,
        "installUrl": install_url,
        "state": connect_state,
    })))
}

/// Exchanges `code`, stores the token and the installations the user can reach.
/// Returns the GitHub login.
async fn finish_connection(state: &FluiState, user_id: &str, code: &str) -> Result<String, String> {
    let app = app_credentials(state).map_err(|_| "the GitHub App is not configured".to_owned())?;
    let github = GithubClient::new(&state.github_url());
    let token = github
        .exchange_code(&app.client_id, &app.client_secret, code)
        .await
        .map_err(|e| e.0)?;
    let gh_user = github.user(&token).await.map_err(|e| e.0)?;
    let installations = github.installations(&token).await.map_err(|e| e.0)?;
    let db = state.db();
    save_connection(&db, user_id, &gh_user.login, &state.vault.seal(&token)).map_err(|e| e.to_string())?;
    record_all(&db, user_id, &gh_user.login, &installations).map_err(|e| e.to_string())?;
    Ok(gh_user.login)
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    installation_id: Option<String>,
    setup_action: Option<String>,
}

fn found(to: String) -> Response {
    (StatusCode::FOUND, [(LOCATION, to)]).into_response()
}

/// 3b: GitHub's redirect after consent or install. Public: the state stands in for auth.
/// Like Flui, it passes nothing of GitHub's `setup_action` on, but on a missing code.
async fn user_callback(State(state): State<Arc<FluiState>>, Query(q): Query<CallbackQuery>) -> Response {
    let target = format!("{}/github/installed", state.frontend_url());
    let Some(state_param) = q.state.filter(|s| !s.is_empty()) else {
        return found(with_query(&target, &[("error", "missing_state")]));
    };
    let pending = state
        .pending
        .states()
        .remove(&state_param)
        .filter(|p| p.expires > now());
    let Some(pending) = pending else {
        return found(with_query(&target, &[("error", "expired_state")]));
    };
    let Some(code) = q.code.filter(|c| !c.is_empty()) else {
        let action = q.setup_action.filter(|a| !a.is_empty());
        return found(with_query(
            &target,
            &[
                ("error", "no_code"),
                ("setup_action", action.as_deref().unwrap_or("install")),
            ],
        ));
    };
    match state.options.generation {
        ApiGeneration::Newer => {
            let claim = uuid::Uuid::new_v4().to_string();
            state.pending.claims().insert(
                claim.clone(),
                PendingClaim {
                    user_id: pending.user_id,
                    code,
                    installation_id: q.installation_id.filter(|i| !i.is_empty()),
                    expires: now() + chrono::Duration::minutes(5),
                },
            );
            found(with_query(&target, &[("claim", &claim)]))
        }
        ApiGeneration::Older => match finish_connection(&state, &pending.user_id, &code).await {
            Ok(login) => found(with_query(&target, &[("status", "connected"), ("login", &login)])),
            Err(message) => found(with_query(
                &target,
                &[("error", "exchange_failed"), ("msg", &message)],
            )),
        },
    }
}

#[derive(Deserialize)]
struct ClaimBody {
    claim: Option<Value>,
}

/// 3c (newer API only): the signed-in user who started the connection finishes it.
async fn claim(
    State(state): State<Arc<FluiState>>,
    user: AuthUser,
    JsonBody(body): JsonBody<ClaimBody>,
) -> ApiResult<Json<Value>> {
    user.require("app:read")?;
    let Some(Value::String(claim)) = body.claim.filter(|c| c.as_str().is_some_and(|s| !s.is_empty())) else {
        return Err(ApiError::bad_request("claim is required"));
    };
    let expired =
        || ApiError::bad_request("This GitHub connection expired or was already finished: start it again.");
    let pending = {
        let mut claims = state.pending.claims();
        match claims.get(&claim) {
            None => return Err(expired()),
            Some(p) if p.expires <= now() => {
                claims.remove(&claim);
                return Err(expired());
            }
            // Someone else's claim stays for its owner.
            Some(p) if p.user_id != user.0.id => {
                return Err(ApiError::forbidden(
                    "This GitHub connection was started by someone else.",
                ));
            }
            Some(_) => claims.remove(&claim).ok_or_else(expired)?,
        }
    };
    match finish_connection(&state, &user.0.id, &pending.code).await {
        Ok(login) => Ok(Json(
            json!({ "login": login, "installationId": pending.installation_id }),
        )),
        Err(message) => Err(ApiError::bad_request(format!(
            "GitHub rejected the code exchange: {message}"
        ))),
    }
}

/// 4a: in App mode, the first installation the user reaches; in PAT mode, the user's
/// own token.
async fn github_status(State(state): State<Arc<FluiState>>, user: AuthUser) -> ApiResult<Json<Value>> {
    user.require("app:read")?;
    let db = state.db();
    let pat_mode = github_setup(&db)?.is_some_and(|s| s.auth_method == "pat");
    let connection: Option<(String, String)> = if pat_mode {
        db.query_row(
            "SELECT github_login, created_at FROM github_connections WHERE user_id = ?1",
            params![user.0.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
    } else {
        first_reachable(&db, &user.0.id, state.options.generation)?.map(|r| (r.account_login, r.created_at))
    };
    Ok(Json(match connection {
        Some((login, at)) => json!({ "connected": true, "githubUsername": login, "connectedAt": at }),
        None => json!({ "connected": false }),
    }))
}

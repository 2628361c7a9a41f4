//! §2 and §3: connecting a user's GitHub (install URL, the callback in both API
//! generations, the claim), rescanning installations, and the installation records.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::AuthUser;
use crate::body::JsonBody;
use crate::clock::now;
use crate::db::{self, InstallationRecord};
use crate::error::{ApiError, ApiResult};
use crate::github::url_encode;
use crate::github_client::GithubClient;
use crate::{ApiGeneration, AppState};

/// A connect state: issued with an install URL, valid 10 minutes, used once.
pub struct PendingState {
    pub user_id: String,
    pub expires: DateTime<Utc>,
}

/// A finished GitHub trip waiting for its user (newer API): valid 5 minutes, used once.
pub struct PendingClaim {
    pub user_id: String,
    pub code: String,
    pub installation_id: Option<String>,
    pub expires: DateTime<Utc>,
}

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/repositories/github-app/install-url", get(install_url))
        .route("/repositories/github-app/user-callback", get(user_callback))
        .route("/repositories/github-app/claim", post(claim))
        .route("/repositories/github-app/rescan-installations", post(rescan))
        .route("/repositories/github-app/installations", get(list_installations))
        .route(
            "/repositories/github-app/installations/{id}",
            delete(remove_installation),
        )
}

/// Flui's answer when the App has no client id (or no App is configured at all).
const NO_CLIENT_ID: &str = "GitHub App client_id is not configured. Set GITHUB_APP_CLIENT_ID or POST /api/v1/repositories/github/setup/github-app with clientId.";

struct AppCredentials {
    slug: String,
    client_id: String,
    client_secret: String,
    callback_url: String,
}

/// The configured App, or the 400 Flui answers when part of it is missing.
fn app_credentials(state: &AppState) -> ApiResult<AppCredentials> {
    let setup = db::github_setup(&state.db())?.filter(|s| s.auth_method == "github_app");
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

async fn install_url(State(state): State<Arc<AppState>>, user: AuthUser) -> ApiResult<Json<Value>> {
    user.require("app:read")?;
    let app = app_credentials(&state)?;
    let github = GithubClient::new(&state.github_url());
    let token = user_token(&state, &user.0.id)?;
    let mut has_token = false;
    if let Some(token) = &token
        && let Ok(gh_user) = github.user(token).await
    {
        has_token = true;
        if let Ok(installations) = github.installations(token).await
            && !installations.is_empty()
        {
            record_all(&state, &user.0.id, &gh_user.login, &installations)?;
            return Ok(Json(json!({ "alreadyConnected": true, "login": gh_user.login })));
        }
    }
    let connect_state = uuid::Uuid::new_v4().to_string();
    state.connect_states().insert(
        connect_state.clone(),
        PendingState {
            user_id: user.0.id.clone(),
            expires: now() + chrono::Duration::minutes(10),
        },
    );
    let base = state.github_url();
    Ok(Json(if has_token {
        json!({
            "alreadyConnected": false,
            "needsInstall": true,
            "installUrl": format!("{base}/apps/{}/installations/new?state={connect_state}", app.slug),
            "state": connect_state,
        })
    } else {
        json!({
            "alreadyConnected": false,
            "installUrl": format!(
                "{base}/login/oauth/authorize?client_id={}&state={connect_state}&redirect_uri={}",
                url_encode(&app.client_id),
                url_encode(&app.callback_url)
            ),
            "state": connect_state,
        })
    }))
}

fn user_token(state: &AppState, user_id: &str) -> ApiResult<Option<String>> {
    Ok(db::github_token(&state.db(), user_id)?.and_then(|sealed| state.vault.open_sealed(&sealed)))
}

fn record_all(
    state: &AppState,
    user_id: &str,
    login: &str,
    installations: &[crate::github_client::GhInstallation],
) -> ApiResult<()> {
    let db = state.db();
    for i in installations {
        db::record_installation(
            &db,
            &InstallationRecord {
                installation_id: i.id,
                account_login: &i.account.login,
                account_type: &i.account.kind,
                repository_selection: &i.repository_selection,
                suspended_at: i.suspended_at.as_deref(),
            },
            user_id,
            login,
        )?;
    }
    Ok(())
}

/// Exchanges `code`, stores the token and the installations the user can reach.
/// Returns the GitHub login.
async fn finish_connection(state: &AppState, user_id: &str, code: &str) -> Result<String, String> {
    let app = app_credentials(state).map_err(|_| "the GitHub App is not configured".to_owned())?;
    let github = GithubClient::new(&state.github_url());
    let token = github
        .exchange_code(&app.client_id, &app.client_secret, code)
        .await
        .map_err(|e| e.0)?;
    let gh_user = github.user(&token).await.map_err(|e| e.0)?;
    let installations = github.installations(&token).await.map_err(|e| e.0)?;
    let sealed = state.vault.seal(&token);
    db::save_github_connection(&state.db(), user_id, &gh_user.login, &sealed).map_err(|e| e.to_string())?;
    record_all(state, user_id, &gh_user.login, &installations).map_err(|_| "database error".to_owned())?;
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

/// GitHub's redirect after install or consent. Public: the state stands in for auth.
async fn user_callback(State(state): State<Arc<AppState>>, Query(q): Query<CallbackQuery>) -> Response {
    let target = format!("{}/github/installed", state.frontend_url());
    let Some(state_param) = q.state.filter(|s| !s.is_empty()) else {
        return found(format!("{target}?error=missing_state"));
    };
    let pending = state
        .connect_states()
        .remove(&state_param)
        .filter(|p| p.expires > now());
    let Some(pending) = pending else {
        return found(format!("{target}?error=expired_state"));
    };
    let setup_action = q.setup_action.unwrap_or_default();
    let Some(code) = q.code.filter(|c| !c.is_empty()) else {
        let action = if setup_action.is_empty() {
            "install"
        } else {
            setup_action.as_str()
        };
        return found(format!(
            "{target}?error=no_code&setup_action={}",
            url_encode(action)
        ));
    };
    // The sandbox passes on what GitHub said happened when it was not a plain install,
    // so the landing page can tell "requested" and "updated" from "connected".
    let action_suffix = match setup_action.as_str() {
        "request" | "update" => format!("&setup_action={setup_action}"),
        _ => String::new(),
    };
    match state.options.generation {
        ApiGeneration::Newer => {
            let claim = uuid::Uuid::new_v4().to_string();
            state.claims().insert(
                claim.clone(),
                PendingClaim {
                    user_id: pending.user_id,
                    code,
                    installation_id: q.installation_id.filter(|i| !i.is_empty()),
                    expires: now() + chrono::Duration::minutes(5),
                },
            );
            found(format!("{target}?claim={claim}{action_suffix}"))
        }
        ApiGeneration::Older => match finish_connection(&state, &pending.user_id, &code).await {
            Ok(login) => found(format!(
                "{target}?status=connected&login={}{action_suffix}",
                url_encode(&login)
            )),
            Err(message) => found(format!(
                "{target}?error=exchange_failed&msg={}",
                url_encode(&message)
            )),
        },
    }
}

#[derive(Deserialize)]
struct ClaimBody {
    claim: Option<Value>,
}

async fn claim(
    State(state): State<Arc<AppState>>,
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
        let mut claims = state.claims();
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

async fn rescan(State(state): State<Arc<AppState>>, user: AuthUser) -> ApiResult<Json<Value>> {
    let Some(token) = user_token(&state, &user.0.id)? else {
        return Err(ApiError::bad_request(
            "No active GitHub user token. Connect your GitHub account first.",
        ));
    };
    let github = GithubClient::new(&state.github_url());
    let gh_user = github.user(&token).await.map_err(|_| {
        ApiError::bad_request("No active GitHub user token. Connect your GitHub account first.")
    })?;
    let installations = github
        .installations(&token)
        .await
        .map_err(|e| ApiError::new(StatusCode::BAD_GATEWAY, e.0))?;
    record_all(&state, &user.0.id, &gh_user.login, &installations)?;
    let ids: Vec<i64> = installations.iter().map(|i| i.id).collect();
    Ok(Json(json!({ "count": ids.len(), "installationIds": ids })))
}

async fn list_installations(State(state): State<Arc<AppState>>, user: AuthUser) -> ApiResult<Json<Value>> {
    user.require("integration:manage")?;
    let db = state.db();
    let mut stmt = db.prepare(
        "SELECT id, installation_id, account_login, account_type, user_id, installed_by_login, repository_selection,
                suspended_at, created_at, updated_at FROM installations ORDER BY created_at DESC",
    )?;
    let generation = state.options.generation;
    let rows = stmt
        .query_map([], |r| {
            let mut row = json!({
                "id": r.get::<_, String>(0)?,
                // A Postgres bigint: TypeORM serialises it as a string by default.
                "installationId": r.get::<_, i64>(1)?.to_string(),
                "accountLogin": r.get::<_, String>(2)?,
                "accountType": r.get::<_, String>(3)?,
                "userId": r.get::<_, Option<String>>(4)?,
                "repositorySelection": r.get::<_, String>(6)?,
                "suspendedAt": r.get::<_, Option<String>>(7)?,
                "createdAt": r.get::<_, String>(8)?,
                "updatedAt": r.get::<_, String>(9)?,
            });
            if generation == ApiGeneration::Newer {
                row["installedByLogin"] = json!(r.get::<_, Option<String>>(5)?);
            }
            Ok(row)
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(json!(rows)))
}

async fn remove_installation(
    State(state): State<Arc<AppState>>,
    user: AuthUser,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    user.require("integration:manage")?;
    let Ok(id) = id.parse::<i64>() else {
        return Err(ApiError::bad_request(
            "Validation failed (numeric string is expected)",
        ));
    };
    let db = state.db();
    let removed = db.execute(
        "DELETE FROM installations WHERE installation_id = ?1",
        rusqlite::params![id],
    )?;
    if removed == 0 {
        return Err(ApiError::not_found(format!(
            "Installation {id} not found in the database"
        )));
    }
    db.execute(
        "DELETE FROM installation_access WHERE installation_id = ?1",
        rusqlite::params![id],
    )?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

//! §4, "Related PAT-mode user routes": on an instance in PAT mode, each user connects
//! GitHub with a personal access token of their own instead of installing the App.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use rusqlite::params;
use serde::Deserialize;
use serde_json::{Value, json};

use super::FluiState;
use super::auth::AuthUser;
use super::body::JsonBody;
use super::connect::save_connection;
use super::error::{ApiError, ApiResult};
use super::github_client::{GithubClient, TokenRefused};
use super::setup::github_setup;

/// The scopes a PAT-mode token needs, in the order Flui lists them.
const REQUIRED_SCOPES: [&str; 7] = [
    "repo",
    "user:email",
    "admin:repo_hook",
    "write:packages",
    "read:packages",
    "delete:packages",
    "workflow",
];

pub(super) fn routes() -> Router<Arc<FluiState>> {
    Router::new()
        .route("/repositories/github/validate-pat", post(validate))
        .route("/repositories/github/connect-pat", post(connect))
        .route("/repositories/github/disconnect", post(disconnect))
}

#[derive(Deserialize)]
struct ValidateBody {
    token: Option<Value>,
}

/// Checks a token against GitHub without storing it. Always 200: the verdict is in the
/// body.
async fn validate(
    State(state): State<Arc<FluiState>>,
    _user: AuthUser,
    JsonBody(body): JsonBody<ValidateBody>,
) -> Json<Value> {
    let token = body
        .token
        .as_ref()
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim();
    if token.is_empty() {
        return Json(json!({ "valid": false, "error": "empty_token", "message": "The token is empty." }));
    }
    Json(
        match GithubClient::new(&state.github_url()).token_owner(token).await {
            Ok(owner) => {
                let scopes = owner.scopes.unwrap_or_default();
                let missing: Vec<&str> = REQUIRED_SCOPES
                    .iter()
                    .filter(|needed| !scopes.iter().any(|s| s == *needed))
                    .copied()
                    .collect();
                json!({
                    "valid": true,
                    "login": owner.login,
                    "githubUserId": owner.id.to_string(),
                    "scopes": scopes,
                    "missingScopes": missing,
                })
            }
            Err(TokenRefused::Rejected(message)) => {
                json!({ "valid": false, "error": "invalid_token", "message": message })
            }
            Err(TokenRefused::Unreachable(message)) => {
                json!({ "valid": false, "error": "github_unreachable", "message": message })
            }
        },
    )
}

#[derive(Deserialize)]
struct ConnectBody {
    #[serde(rename = "personalAccessToken")]
    personal_access_token: Option<Value>,
}

/// Stores the user's token as their GitHub connection.
async fn connect(
    State(state): State<Arc<FluiState>>,
    user: AuthUser,
    JsonBody(body): JsonBody<ConnectBody>,
) -> ApiResult<Json<Value>> {
    match github_setup(&state.db())?.map(|s| s.auth_method) {
        None => {
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "GitHub integration not configured. An administrator must set it up first.",
            ));
        }
        Some(method) if method != "pat" => {
            return Err(ApiError::bad_request(
                "GitHub is configured in GitHub App mode. Connect via GET /repositories/github-app/install-url instead.",
            ));
        }
        Some(_) => {}
    }
    let token = body
        .personal_access_token
        .as_ref()
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim();
    let owner = GithubClient::new(&state.github_url())
        .token_owner(token)
        .await
        .map_err(|refused| {
            let message = match refused {
                TokenRefused::Rejected(m) | TokenRefused::Unreachable(m) => m,
            };
            ApiError::bad_request(format!("Invalid Personal Access Token: {message}"))
        })?;
    save_connection(&state.db(), &user.0.id, &owner.login, &state.vault.seal(token))?;
    Ok(Json(json!({ "connected": true, "githubUsername": owner.login })))
}

/// Forgets the user's token. 204; 404 when there is none.
async fn disconnect(State(state): State<Arc<FluiState>>, user: AuthUser) -> ApiResult<Response> {
    let removed = state.db().execute(
        "DELETE FROM github_connections WHERE user_id = ?1",
        params![user.0.id],
    )?;
    if removed == 0 {
        return Err(ApiError::not_found("No active GitHub connection found"));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

//! §6: the repositories a user imported, the ones they could import (read from GitHub
//! with their own token, as Flui does), importing with per-repository results, and
//! disconnecting.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Deserialize;
use serde_json::{Value, json};

use super::FluiState;
use super::auth::AuthUser;
use super::body::JsonBody;
use super::connect::user_token;
use super::error::{ApiError, ApiResult};
use super::github_client::{GhRepo, GithubClient};
use super::setup::github_setup;
use crate::options::ApiGeneration;
use crate::util::{iso, now};

pub(super) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS repositories (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    full_name      TEXT NOT NULL,
    owner          TEXT NOT NULL,
    default_branch TEXT NOT NULL,
    is_private     INTEGER NOT NULL,
    clone_url      TEXT NOT NULL,
    html_url       TEXT NOT NULL,
    description    TEXT NOT NULL,
    language       TEXT NOT NULL,
    auto_deploy    INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (user_id, full_name)
);
"#;

/// Flui's answer when the user has no GitHub credential (and when nothing is set up).
const NO_CONNECTION: &str = "No active GitHub connection found. Please connect your GitHub account.";

pub(super) fn routes() -> Router<Arc<FluiState>> {
    Router::new()
        .route("/repositories", get(list))
        .route("/repositories/available", get(available))
        .route("/repositories/import", post(import))
        .route("/repositories/{id}", get(detail).delete(disconnect))
}

/// An empty text as the generation sends it: `""` in the contract's DTO, `null` from a
/// running older server (§10).
fn text_or_null(text: String, generation: ApiGeneration) -> Value {
    match generation {
        ApiGeneration::Older if text.is_empty() => Value::Null,
        _ => Value::String(text),
    }
}

fn repo_json(r: &rusqlite::Row<'_>, generation: ApiGeneration) -> rusqlite::Result<Value> {
    Ok(json!({
        "id": r.get::<_, String>(0)?,
        "provider": "github",
        "repositoryName": r.get::<_, String>(1)?,
        "repositoryFullName": r.get::<_, String>(2)?,
        "owner": r.get::<_, String>(3)?,
        "defaultBranch": r.get::<_, String>(4)?,
        "isPrivate": r.get::<_, i64>(5)? != 0,
        "cloneUrl": r.get::<_, String>(6)?,
        "htmlUrl": r.get::<_, String>(7)?,
        "description": text_or_null(r.get(8)?, generation),
        "language": text_or_null(r.get(9)?, generation),
        "webhookActive": false,
        "autoDeployEnabled": r.get::<_, i64>(10)? != 0,
        "createdAt": r.get::<_, String>(11)?,
    }))
}

const COLUMNS: &str = "id, name, full_name, owner, default_branch, is_private, clone_url, html_url, description, language, auto_deploy, created_at";

/// 6a: the caller's own repositories, oldest first.
async fn list(State(state): State<Arc<FluiState>>, user: AuthUser) -> ApiResult<Json<Value>> {
    user.require("app:read")?;
    let db = state.db();
    let mut stmt = db.prepare(&format!(
        "SELECT {COLUMNS} FROM repositories WHERE user_id = ?1 ORDER BY created_at, full_name"
    ))?;
    let generation = state.options.generation;
    let rows = stmt
        .query_map(params![user.0.id], |r| repo_json(r, generation))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(json!(rows)))
}

/// 6e: one of the caller's repositories.
async fn detail(
    State(state): State<Arc<FluiState>>,
    user: AuthUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let db = state.db();
    db.query_row(
        &format!("SELECT {COLUMNS} FROM repositories WHERE id = ?1 AND user_id = ?2"),
        params![id, user.0.id],
        |r| repo_json(r, state.options.generation),
    )
    .optional()?
    .map(Json)
    .ok_or_else(|| ApiError::not_found("Repository not found"))
}

/// 6d: forgets one of the caller's repositories (GitHub keeps it).
async fn disconnect(
    State(state): State<Arc<FluiState>>,
    user: AuthUser,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    user.require("app:write")?;
    if state.options.disconnect_admin_only && !user.0.is_admin() {
        return Err(ApiError::forbidden("Admin access required"));
    }
    let removed = state.db().execute(
        "DELETE FROM repositories WHERE id = ?1 AND user_id = ?2",
        params![id, user.0.id],
    )?;
    if removed == 0 {
        return Err(ApiError::not_found("Repository not found"));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Where the caller's repositories come from.
enum Source {
    /// App mode: the installations the user's token reaches.
    App { slug: String, token: Option<String> },
    /// PAT mode: the user's own token.
    Pat(String),
}

fn source(state: &FluiState, user_id: &str) -> ApiResult<Source> {
    let setup = github_setup(&state.db())?;
    let token = user_token(state, user_id)?;
    match setup {
        Some(s) if s.auth_method == "pat" => token
            .map(Source::Pat)
            .ok_or_else(|| ApiError::not_found(NO_CONNECTION)),
        Some(s) => match s.app_slug {
            Some(slug) => Ok(Source::App { slug, token }),
            None => Err(ApiError::not_found(NO_CONNECTION)),
        },
        None => Err(ApiError::not_found(NO_CONNECTION)),
    }
}

/// The repositories the caller may import, by installation owner in App mode. Flui reads
/// the first 100 per installation (or of the PAT's list); `every_repository` lifts that.
async fn reachable(
    state: &FluiState,
    source: &Source,
    every_page: bool,
) -> ApiResult<Vec<(String, Vec<GhRepo>)>> {
    let github = GithubClient::new(&state.github_url());
    match source {
        Source::Pat(token) => {
            let repos = github
                .user_repos(token, every_page)
                .await
                .map_err(|_| ApiError::uncaught())?;
            Ok(vec![(String::new(), repos)])
        }
        Source::App { token: None, .. } => Ok(Vec::new()),
        Source::App {
            token: Some(token), ..
        } => {
            let Ok(installations) = github.installations(token).await else {
                // An expired or revoked user token: nothing reachable, as Flui answers.
                return Ok(Vec::new());
            };
            let mut out = Vec::new();
            for installation in installations.iter().filter(|i| i.suspended_at.is_none()) {
                let repos = github
                    .installation_repos(token, installation.id, every_page)
                    .await
                    .map_err(|_| ApiError::uncaught())?;
                out.push((installation.account.login.to_lowercase(), repos));
            }
            Ok(out)
        }
    }
}

fn imported_names(conn: &Connection, user_id: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT full_name FROM repositories WHERE user_id = ?1")?;
    stmt.query_map(params![user_id], |r| r.get(0))?.collect()
}

/// 6b: what the picker offers.
async fn available(State(state): State<Arc<FluiState>>, user: AuthUser) -> ApiResult<Json<Value>> {
    let source = source(&state, &user.0.id)?;
    let groups = reachable(&state, &source, state.options.every_repository).await?;
    let imported = imported_names(&state.db(), &user.0.id)?;
    let generation = state.options.generation;
    let rows: Vec<Value> = groups
        .into_iter()
        .flat_map(|(_, repos)| repos)
        .map(|r| {
            json!({
                "id": r.id.to_string(),
                "name": r.name,
                "fullName": r.full_name,
                "owner": r.owner.login,
                "description": text_or_null(r.description.unwrap_or_default(), generation),
                "defaultBranch": r.default_branch,
                "private": r.private,
                "cloneUrl": r.clone_url,
                "htmlUrl": r.html_url,
                "language": text_or_null(r.language.unwrap_or_default(), generation),
                "updatedAt": r.updated_at,
                "isImported": imported.iter().any(|name| name.eq_ignore_ascii_case(&r.full_name)),
            })
        })
        .collect();
    Ok(Json(json!(rows)))
}

#[derive(Deserialize)]
struct ImportBody {
    #[serde(rename = "repositoryIds")]
    repository_ids: Option<Value>,
    #[serde(rename = "autoDeployEnabled")]
    auto_deploy_enabled: Option<Value>,
}

/// `@ActionCycle`'s refusal for a credential that must ask first.
fn approval_needed(names: &[String]) -> ApiError {
    let sentence = format!("Connect {} to this instance.", names.join(", "));
    ApiError::forbidden("This action needs approval before it runs.").with_fields(json!({
        "code": "APPROVAL_REQUIRED",
        "proposalId": "prop-sandbox-1",
        "action": "repositories.import",
        "sentence": sentence,
        "consequence": "Flui will be able to build and deploy these repositories.",
        "decideUrl": "https://flui.example/decide/prop-sandbox-1",
        "expiresAt": iso(now() + chrono::Duration::hours(24)),
    }))
}

/// 6c: imports each `owner/repo`; failures are listed, not thrown (always 201).
async fn import(
    State(state): State<Arc<FluiState>>,
    user: AuthUser,
    JsonBody(body): JsonBody<ImportBody>,
) -> ApiResult<Response> {
    user.require("app:write")?;
    let mut problems = Vec::new();
    let names: Option<Vec<String>> = match &body.repository_ids {
        Some(Value::Array(items)) => items.iter().map(|v| v.as_str().map(str::to_owned)).collect(),
        _ => None,
    };
    let Some(names) = names else {
        if !matches!(body.repository_ids, Some(Value::Array(_))) {
            problems.push("repositoryIds must be an array".to_owned());
        }
        problems.push("each value in repositoryIds must be a string".to_owned());
        return Err(ApiError::validation(problems));
    };
    let auto_deploy = match &body.auto_deploy_enabled {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(ApiError::validation(vec![
                "autoDeployEnabled must be a boolean value".into(),
            ]));
        }
    };
    if state.options.import_needs_approval {
        return Err(approval_needed(&names));
    }
    let source = source(&state, &user.0.id)?;
    let groups = reachable(&state, &source, true).await?;
    let slug = match &source {
        Source::App { slug, .. } => Some(slug.clone()),
        Source::Pat(_) => None,
    };

    let (mut repositories, mut imported_ids, mut errors) = (Vec::new(), Vec::new(), Vec::new());
    let (mut imported, mut skipped) = (0, 0);
    for name in &names {
        let fail = |reason: String| format!("Failed to import repository {name}: {reason}");
        let Some((owner, _)) = name
            .split_once('/')
            .filter(|(o, r)| !o.is_empty() && !r.is_empty() && !r.contains('/'))
        else {
            errors.push(fail(format!(
                "Invalid repository format: {name}. Expected format: owner/repo"
            )));
            continue;
        };
        let db = state.db();
        let existing: Option<String> = db
            .query_row(
                "SELECT id FROM repositories WHERE user_id = ?1 AND full_name = ?2 COLLATE NOCASE",
                params![user.0.id, name],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = existing {
            skipped += 1;
            repositories.push(json!({ "id": id, "fullName": name, "status": "already_imported" }));
            continue;
        }
        let repos = match &slug {
            Some(slug) => match groups.iter().find(|(login, _)| login.eq_ignore_ascii_case(owner)) {
                Some((_, repos)) => repos,
                None => {
                    errors.push(fail(format!(
                        "GitHub App is not installed for account \"{owner}\". Please install the app at https://github.com/apps/{slug}/installations/new"
                    )));
                    continue;
                }
            },
            None => &groups.first().map(|(_, repos)| repos.clone()).unwrap_or_default(),
        };
        let Some(repo) = repos.iter().find(|r| r.full_name.eq_ignore_ascii_case(name)) else {
            errors.push(fail(format!("Repository {name} not found or not accessible")));
            continue;
        };
        let id = uuid::Uuid::new_v4().to_string();
        db.execute(
            &format!("INSERT INTO repositories ({COLUMNS}, user_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"),
            params![
                id,
                repo.name,
                repo.full_name,
                repo.owner.login,
                repo.default_branch,
                repo.private as i64,
                repo.clone_url,
                repo.html_url,
                repo.description.clone().unwrap_or_default(),
                repo.language.clone().unwrap_or_default(),
                auto_deploy as i64,
                iso(now()),
                user.0.id
            ],
        )?;
        imported += 1;
        imported_ids.push(id.clone());
        repositories.push(json!({ "id": id, "fullName": repo.full_name, "status": "imported" }));
    }
    let mut answer = json!({
        "imported": imported,
        "skipped": skipped,
        "failed": errors.len(),
        "repositories": repositories,
        "importedRepositoryIds": imported_ids,
    });
    if !errors.is_empty() {
        answer["errors"] = json!(errors);
    }
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

//! §2: the GitHub App installations Flui records, who can reach them, the admin list and
//! removal, and a user's rescan.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};

use super::FluiState;
use super::auth::AuthUser;
use super::connect::user_token;
use super::error::{ApiError, ApiResult};
use super::github_client::{GhInstallation, GithubClient};
use crate::options::ApiGeneration;
use crate::util::{iso, now};

pub(super) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS installations (
    id                   TEXT PRIMARY KEY,
    installation_id      INTEGER NOT NULL UNIQUE,
    account_login        TEXT NOT NULL,
    account_type         TEXT NOT NULL,
    user_id              TEXT,
    installed_by_login   TEXT,
    repository_selection TEXT NOT NULL,
    suspended_at         TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS installation_access (
    user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    installation_id INTEGER NOT NULL,
    PRIMARY KEY (user_id, installation_id)
);
"#;

pub(super) fn routes() -> Router<Arc<FluiState>> {
    Router::new()
        .route("/repositories/github-app/rescan-installations", post(rescan))
        .route("/repositories/github-app/installations", get(list))
        .route("/repositories/github-app/installations/{id}", delete(remove))
}

/// Upserts the rows for `installations` (the first user they are found for owns them, as
/// in Flui) and records that `user_id` can reach them.
pub(super) fn record_all(
    conn: &Connection,
    user_id: &str,
    installed_by: &str,
    installations: &[GhInstallation],
) -> rusqlite::Result<()> {
    for i in installations {
        track(conn, i, Some(user_id), Some(installed_by), Some(user_id))?;
    }
    Ok(())
}

/// Upserts the row for installation `i`: `owner` is what its `userId` becomes unless it
/// has one already (a Flui user id, or a GitHub login in legacy rows), and `access` the
/// Flui user who can reach it from now on.
fn track(
    conn: &Connection,
    i: &GhInstallation,
    owner: Option<&str>,
    installed_by: Option<&str>,
    access: Option<&str>,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO installations (id, installation_id, account_login, account_type, user_id, installed_by_login,
                                    repository_selection, suspended_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
         ON CONFLICT (installation_id) DO UPDATE SET repository_selection = ?7, suspended_at = ?8, updated_at = ?9,
           user_id = COALESCE(installations.user_id, ?5), installed_by_login = COALESCE(installations.installed_by_login, ?6)",
        params![
            uuid::Uuid::new_v4().to_string(),
            i.id,
            i.account.login.to_lowercase(),
            i.account.kind,
            owner,
            installed_by,
            i.repository_selection,
            i.suspended_at,
            iso(now())
        ],
    )?;
    if let Some(user_id) = access {
        conn.execute(
            "INSERT OR IGNORE INTO installation_access (user_id, installation_id) VALUES (?1, ?2)",
            params![user_id, i.id],
        )?;
    }
    Ok(())
}

/// An `installation.created` webhook for installation `i`, sent by GitHub user `sender`:
/// Flui records the installation unless it has it already (then nothing changes), so a
/// record an admin removed comes back with GitHub's next (or a redelivered) `created`. The
/// newer API attributes it to the Flui user connected as `sender`, if any; the older one
/// writes the sender's GitHub login as the row's user (the "legacy rows" of §2a).
pub(super) fn created_by_webhook(
    conn: &Connection,
    generation: ApiGeneration,
    i: &GhInstallation,
    sender: Option<&str>,
) -> rusqlite::Result<()> {
    let known: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM installations WHERE installation_id = ?1)",
        params![i.id],
        |r| r.get(0),
    )?;
    if known {
        return Ok(());
    }
    match generation {
        ApiGeneration::Older => track(conn, i, Some(sender.unwrap_or("unknown")), sender, None),
        ApiGeneration::Newer => {
            let connected: Option<String> = match sender {
                Some(login) => conn
                    .query_row(
                        "SELECT user_id FROM github_connections WHERE github_login = ?1 COLLATE NOCASE",
                        params![login],
                        |r| r.get(0),
                    )
                    .optional()?,
                None => None,
            };
            track(conn, i, connected.as_deref(), sender, connected.as_deref())
        }
    }
}

/// Marks installation `id` suspended since `at` (or, with `None`, active again), if Flui
/// has a record of it; a webhook for an installation Flui does not know changes nothing.
pub(super) fn set_suspended(conn: &Connection, id: i64, at: Option<&str>) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE installations SET suspended_at = ?1, updated_at = ?2 WHERE installation_id = ?3",
        params![at, iso(now()), id],
    )?;
    Ok(())
}

/// Records which repositories installation `id` reaches (`all` or `selected`), if Flui has
/// a record of it.
pub(super) fn set_selection(conn: &Connection, id: i64, selection: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE installations SET repository_selection = ?1, updated_at = ?2 WHERE installation_id = ?3",
        params![selection, iso(now()), id],
    )?;
    Ok(())
}

/// Forgets installation `id` (the App stays installed on GitHub); whether Flui had it.
pub(super) fn forget(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    let removed = conn.execute(
        "DELETE FROM installations WHERE installation_id = ?1",
        params![id],
    )?;
    conn.execute(
        "DELETE FROM installation_access WHERE installation_id = ?1",
        params![id],
    )?;
    Ok(removed > 0)
}

/// The account and creation time of the installation `github/status` reports.
pub(super) struct Reachable {
    pub account_login: String,
    pub created_at: String,
}

/// The first active installation `user_id` can reach. A running older server answers
/// for the whole instance instead: any installation row counts for every user (§10).
pub(super) fn first_reachable(
    conn: &Connection,
    user_id: &str,
    generation: ApiGeneration,
) -> rusqlite::Result<Option<Reachable>> {
    let map = |r: &rusqlite::Row<'_>| {
        Ok(Reachable {
            account_login: r.get(0)?,
            created_at: r.get(1)?,
        })
    };
    match generation {
        ApiGeneration::Newer => conn
            .query_row(
                "SELECT i.account_login, i.created_at FROM installation_access a
                 JOIN installations i ON i.installation_id = a.installation_id
                 WHERE a.user_id = ?1 AND i.suspended_at IS NULL ORDER BY i.created_at ASC LIMIT 1",
                params![user_id],
                map,
            )
            .optional(),
        ApiGeneration::Older => conn
            .query_row(
                "SELECT account_login, created_at FROM installations WHERE suspended_at IS NULL
                 ORDER BY created_at ASC LIMIT 1",
                [],
                map,
            )
            .optional(),
    }
}

/// 2c: discovers the caller's installations with their own GitHub token.
async fn rescan(State(state): State<Arc<FluiState>>, user: AuthUser) -> ApiResult<Json<Value>> {
    let no_token =
        || ApiError::bad_request("No active GitHub user token. Connect your GitHub account first.");
    let Some(token) = user_token(&state, &user.0.id)? else {
        return Err(no_token());
    };
    let github = GithubClient::new(&state.github_url());
    let gh_user = github.user(&token).await.map_err(|_| no_token())?;
    let installations = github
        .installations(&token)
        .await
        .map_err(|e| ApiError::new(StatusCode::BAD_GATEWAY, e.0))?;
    record_all(&state.db(), &user.0.id, &gh_user.login, &installations)?;
    let ids: Vec<i64> = installations.iter().map(|i| i.id).collect();
    Ok(Json(json!({ "count": ids.len(), "installationIds": ids })))
}

/// Connects `user_id`'s GitHub with a user token GitHub issued, as the install
/// callback would: stores the token and records the installations it reaches.
pub async fn adopt_github_token(state: &FluiState, user_id: &str, token: &str) -> ApiResult<()> {
    let github = GithubClient::new(&state.github_url());
    let gh_user = github.user(token).await.map_err(|_| ApiError::uncaught())?;
    let installations = github
        .installations(token)
        .await
        .map_err(|_| ApiError::uncaught())?;
    let db = state.db();
    super::connect::save_connection(&db, user_id, &gh_user.login, &state.vault.seal(token))?;
    record_all(&db, user_id, &gh_user.login, &installations)?;
    Ok(())
}

/// 2a: every row, newest first.
async fn list(State(state): State<Arc<FluiState>>, user: AuthUser) -> ApiResult<Json<Value>> {
    user.require_admin(state.options.generation)?;
    let db = state.db();
    let mut stmt = db.prepare(
        "SELECT id, installation_id, account_login, account_type, user_id, installed_by_login, repository_selection,
                suspended_at, created_at, updated_at FROM installations ORDER BY created_at DESC",
    )?;
    let generation = state.options.generation;
    let numeric_ids = state.options.numeric_installation_ids;
    let rows = stmt
        .query_map([], |r| {
            let mut row = json!({
                "id": r.get::<_, String>(0)?,
                // A Postgres bigint: TypeORM serialises it as a string (settled in §10),
                // unless told to send numbers (the contract's other reading).
                "installationId": if numeric_ids {
                    json!(r.get::<_, i64>(1)?)
                } else {
                    json!(r.get::<_, i64>(1)?.to_string())
                },
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

/// 2b: forgets Flui's row (the App stays installed on GitHub).
async fn remove(
    State(state): State<Arc<FluiState>>,
    user: AuthUser,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    user.require_admin(state.options.generation)?;
    let Ok(id) = id.parse::<i64>() else {
        return Err(ApiError::bad_request(
            "Validation failed (numeric string is expected)",
        ));
    };
    if !forget(&state.db(), id)? {
        return Err(ApiError::not_found(format!(
            "Installation {id} not found in the database"
        )));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Flui forgets every installation row (a stale database); GitHub keeps them.
pub fn forget_all(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("DELETE FROM installation_access; DELETE FROM installations;")
}

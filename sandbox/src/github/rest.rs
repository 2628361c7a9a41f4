//! The simulated GitHub's REST API (under `/api/v3`) and the OAuth code exchange.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Deserialize;
use serde_json::{Value, json};

use super::GithubState;
use super::world::*;
use crate::util::{form_field, form_pairs, iso, now};

// ---- REST API ----------------------------------------------------------------------------

pub(super) fn api_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({ "message": message, "documentation_url": "https://docs.github.com/rest" })),
    )
        .into_response()
}

/// The bearer token of a REST call, and whom it acts for.
pub(super) fn token_user(conn: &Connection, headers: &HeaderMap) -> Option<(Account, Grant)> {
    let raw = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let token = raw
        .strip_prefix("Bearer ")
        .or_else(|| raw.strip_prefix("token "))?
        .trim();
    token_grant(conn, token).ok().flatten()
}

/// The token's user, if it is a GitHub App's user token (the only kind that lists
/// installations).
fn app_user(conn: &Connection, headers: &HeaderMap) -> Result<(Account, String), (StatusCode, &'static str)> {
    match token_user(conn, headers) {
        Some((user, Grant::App { slug })) => Ok((user, slug)),
        Some((_, Grant::Pat { .. })) => Err((
            StatusCode::FORBIDDEN,
            "You must authenticate with an access token authorized to a GitHub App in order to list installations",
        )),
        None => Err((StatusCode::UNAUTHORIZED, "Bad credentials")),
    }
}

#[derive(Deserialize)]
pub(super) struct TokenRequest {
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
    #[serde(default)]
    code: String,
}

/// `POST /login/oauth/access_token`: like GitHub, failures are 200 with an `error` field.
pub(super) async fn access_token(
    State(state): State<Arc<GithubState>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let json_body = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"));
    let request: Option<TokenRequest> = if json_body {
        serde_json::from_str(&body).ok()
    } else {
        token_request_from_form(&body)
    };
    let Some(request) = request else {
        return Json(json!({ "error": "bad_verification_code", "error_description": "The code passed is incorrect or expired." })).into_response();
    };
    let db = state.db();
    let Ok(Some(app)) = app_by_client_id(&db, &request.client_id) else {
        return Json(json!({ "error": "incorrect_client_credentials", "error_description": "The client_id and/or client_secret passed are incorrect." })).into_response();
    };
    if app.client_secret != request.client_secret {
        return Json(json!({ "error": "incorrect_client_credentials", "error_description": "The client_id and/or client_secret passed are incorrect." })).into_response();
    }
    let code: Option<(i64, String, i64)> = db
        .query_row(
            "SELECT user_id, expires_at, used FROM gh_oauth_codes WHERE code = ?1 AND app_slug = ?2",
            params![request.code, app.slug],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .ok()
        .flatten();
    let valid = code
        .as_ref()
        .is_some_and(|(_, expires, used)| *used == 0 && expires.as_str() > iso(now()).as_str());
    let Some((user_id, _, _)) = code.filter(|_| valid) else {
        return Json(json!({ "error": "bad_verification_code", "error_description": "The code passed is incorrect or expired." })).into_response();
    };
    let _ = db.execute(
        "UPDATE gh_oauth_codes SET used = 1 WHERE code = ?1",
        params![request.code],
    );
    let Ok(token) = issue_user_token(&db, &app.slug, user_id) else {
        return database_failure();
    };
    Json(json!({ "access_token": token, "token_type": "bearer", "scope": "" })).into_response()
}

pub(super) fn token_request_from_form(body: &str) -> Option<TokenRequest> {
    let pairs = form_pairs(body);
    let get = |name: &str| form_field(&pairs, name);
    Some(TokenRequest {
        client_id: get("client_id"),
        client_secret: get("client_secret"),
        code: get("code"),
    })
}

pub(super) fn account_json(a: &Account) -> Value {
    json!({ "login": a.login, "id": a.id, "type": a.kind, "name": a.name })
}

/// `GET /user`. A classic personal access token also gets its scopes back in
/// `x-oauth-scopes`, as on GitHub; a fine-grained one gets no such header.
pub(super) async fn api_user(State(state): State<Arc<GithubState>>, headers: HeaderMap) -> Response {
    match token_user(&state.db(), &headers) {
        Some((user, grant)) => {
            let mut response = Json(account_json(&user)).into_response();
            if let Grant::Pat { scopes: Some(scopes) } = grant
                && let Ok(value) = HeaderValue::from_str(&scopes.join(", "))
            {
                response.headers_mut().insert("x-oauth-scopes", value);
            }
            response
        }
        None => api_error(StatusCode::UNAUTHORIZED, "Bad credentials"),
    }
}

pub(super) fn installation_json(i: &Installation, slug: &str) -> Value {
    json!({
        "id": i.id,
        "app_slug": slug,
        "account": account_json(&i.account),
        "repository_selection": i.selection,
        "created_at": i.created_at,
        "suspended_at": i.suspended_at,
    })
}

pub(super) async fn api_user_installations(
    State(state): State<Arc<GithubState>>,
    headers: HeaderMap,
) -> Response {
    let db = state.db();
    let (user, slug) = match app_user(&db, &headers) {
        Ok(found) => found,
        Err((status, message)) => return api_error(status, message),
    };
    match reachable_installations(&db, &slug, &user) {
        Ok(list) => Json(json!({
            "total_count": list.len(),
            "installations": list.iter().map(|i| installation_json(i, &slug)).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(_) => database_failure(),
    }
}

#[derive(Deserialize)]
pub(super) struct Page {
    #[serde(default = "default_per_page")]
    per_page: usize,
    #[serde(default = "default_page")]
    page: usize,
}

pub(super) fn default_per_page() -> usize {
    30
}

pub(super) fn default_page() -> usize {
    1
}

pub fn repo_json(r: &Repo, base: &str) -> Value {
    json!({
        "id": r.id,
        "name": r.name,
        "full_name": format!("{}/{}", r.owner, r.name),
        "owner": { "login": r.owner },
        "description": if r.description.is_empty() { Value::Null } else { json!(r.description) },
        "private": r.private,
        "language": if r.language.is_empty() { Value::Null } else { json!(r.language) },
        "default_branch": r.default_branch,
        "updated_at": r.updated_at,
        "html_url": format!("{base}/{}/{}", r.owner, r.name),
        "clone_url": format!("{base}/{}/{}.git", r.owner, r.name),
    })
}

pub(super) async fn api_installation_repositories(
    State(state): State<Arc<GithubState>>,
    Path(id): Path<i64>,
    Query(p): Query<Page>,
    headers: HeaderMap,
) -> Response {
    let db = state.db();
    let (user, slug) = match app_user(&db, &headers) {
        Ok(found) => found,
        Err((status, message)) => return api_error(status, message),
    };
    let Ok(list) = reachable_installations(&db, &slug, &user) else {
        return database_failure();
    };
    let Some(installation) = list.into_iter().find(|i| i.id == id) else {
        return api_error(StatusCode::NOT_FOUND, "Not Found");
    };
    let Ok(repos) = installation_repos(&db, &installation) else {
        return database_failure();
    };
    let page = page_of(&repos, &p, &state.url());
    Json(json!({ "total_count": repos.len(), "repositories": page })).into_response()
}

/// The page `p` asks for of `repos`, as GitHub's JSON (at most 100 a page).
fn page_of(repos: &[Repo], p: &Page, base: &str) -> Vec<Value> {
    let per_page = p.per_page.clamp(1, 100);
    repos
        .iter()
        .skip((p.page.max(1) - 1) * per_page)
        .take(per_page)
        .map(|r| repo_json(r, base))
        .collect()
}

/// GitHub's JSON error for a failed query in the simulation.
pub(super) fn database_failure() -> Response {
    api_error(StatusCode::INTERNAL_SERVER_ERROR, "database error")
}

/// `GET /user/repos`: the repositories of the token's user and of their organisations,
/// most recently updated first (the order Flui asks for in PAT mode), a page at a time.
pub(super) async fn api_user_repositories(
    State(state): State<Arc<GithubState>>,
    Query(p): Query<Page>,
    headers: HeaderMap,
) -> Response {
    let db = state.db();
    let Some((user, _)) = token_user(&db, &headers) else {
        return api_error(StatusCode::UNAUTHORIZED, "Bad credentials");
    };
    let Ok(targets) = install_targets(&db, &user) else {
        return database_failure();
    };
    let mut repos = Vec::new();
    for (account, _) in targets {
        match repos_of(&db, account.id) {
            Ok(mut owned) => repos.append(&mut owned),
            Err(_) => return database_failure(),
        }
    }
    repos.sort_by(|a, b| b.updated_at.cmp(&a.updated_at));
    let page = page_of(&repos, &p, &state.url());
    Json(json!(page)).into_response()
}

//! GitHub Apps as GitHub registers and checks them: the manifest flow (the form POST to
//! `/settings/apps/new`, or an organisation's, a review page, then a one-time code the
//! App's owner exchanges for its credentials), and `GET /app` with the App's own JWT.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use rusqlite::{OptionalExtension, params};
use serde::Deserialize;
use serde_json::{Value, json};

use super::GithubState;
use super::pages::{error_page, esc, page, redirect, sign_in_as, signed_in};
use super::rest::{api_error, database_failure};
use super::world::*;
use crate::app_jwt;
use crate::util::{form_field, form_pairs, iso, now, parse_iso, random_hex, with_query};

/// GitHub's longest App name.
const MAX_NAME: usize = 34;

/// The slug GitHub derives from an App's name: lower case, every run of other characters
/// one hyphen, none at either end.
pub fn slug_of(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

#[derive(Deserialize)]
pub(super) struct StateQuery {
    #[serde(default)]
    state: String,
}

/// `POST /settings/apps/new` with a `manifest` field: the review page.
pub(super) async fn manifest_for_user(
    State(state): State<Arc<GithubState>>,
    Query(q): Query<StateQuery>,
    headers: HeaderMap,
    body: String,
) -> Response {
    review(&state, None, &q.state, &headers, &body, None)
}

/// `POST /organizations/<org>/settings/apps/new`: the same, for an App the organisation owns.
pub(super) async fn manifest_for_org(
    State(state): State<Arc<GithubState>>,
    Path(org): Path<String>,
    Query(q): Query<StateQuery>,
    headers: HeaderMap,
    body: String,
) -> Response {
    review(&state, Some(&org), &q.state, &headers, &body, None)
}

/// `GET /settings/apps/new`: GitHub's blank registration form is not simulated.
pub(super) async fn new_app_page() -> Response {
    page(
        "Register new GitHub App",
        "<p>This simulated GitHub registers Apps from a manifest only: use “Create the App on GitHub” in the Flui dashboard.</p>",
    )
}

/// Who acts: the signed-in user, or the one picked on this page (`login`), who is then
/// signed in. `Err` is the page to show instead.
fn acting_user(
    state: &GithubState,
    headers: &HeaderMap,
    fields: &[(String, String)],
) -> Result<(Account, bool), ()> {
    let db = state.db();
    if let Ok(Some(user)) = signed_in(&db, headers) {
        return Ok((user, false));
    }
    match account(&db, &form_field(fields, "login")) {
        Ok(Some(user)) if user.kind == "User" => Ok((user, true)),
        _ => Err(()),
    }
}

fn review(
    state: &GithubState,
    org: Option<&str>,
    state_param: &str,
    headers: &HeaderMap,
    body: &str,
    problem: Option<&str>,
) -> Response {
    let fields = form_pairs(body);
    let raw = form_field(&fields, "manifest");
    let Ok(manifest) = serde_json::from_str::<Value>(&raw) else {
        return error_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Register new GitHub App",
            "Invalid manifest: it is not JSON.",
        );
    };
    let action = match org {
        Some(org) => format!("/organizations/{org}/settings/apps/new"),
        None => "/settings/apps/new".to_owned(),
    };
    let action = with_query(&action, &[("state", state_param)]);
    let Ok((user, just_signed_in)) = acting_user(state, headers, &fields) else {
        let db = state.db();
        let buttons: String = users(&db)
            .unwrap_or_default()
            .iter()
            .map(|u| {
                format!(
                    r#"<form method="post" action="{a}"><input type="hidden" name="manifest" value="{m}"><input type="hidden" name="login" value="{l}"><p><button type="submit">Continue as {l}</button></p></form>"#,
                    a = esc(&action),
                    m = esc(&raw),
                    l = esc(&u.login)
                )
            })
            .collect();
        return page(
            "Sign in to GitHub",
            &format!("<p>Sign in to create this GitHub App.</p>{buttons}"),
        );
    };
    let owner = match org {
        Some(org) => {
            let db = state.db();
            match account(&db, org) {
                Ok(Some(o))
                    if o.kind == "Organization" && can_administer(&db, &user, &o).unwrap_or(false) =>
                {
                    o.login
                }
                _ => {
                    return error_page(
                        StatusCode::NOT_FOUND,
                        "Register new GitHub App",
                        &format!("You are not an owner of an organisation named {org}."),
                    );
                }
            }
        }
        None => user.login.clone(),
    };
    let text = |v: &Value| v.as_str().unwrap_or("").to_owned();
    let list = |v: &Value| -> String {
        match v {
            Value::Array(items) => items
                .iter()
                .map(|i| format!("<li><code>{}</code></li>", esc(&text(i))))
                .collect(),
            Value::Object(map) => map
                .iter()
                .map(|(k, v)| format!("<li>{}: {}</li>", esc(k), esc(&text(v))))
                .collect(),
            _ => String::new(),
        }
    };
    let hook = &manifest["hook_attributes"];
    let webhook = if hook["active"].as_bool().unwrap_or(true) && !text(&hook["url"]).is_empty() {
        format!("<code>{}</code>", esc(&text(&hook["url"])))
    } else {
        "off".to_owned()
    };
    let alert = problem
        .map(|p| format!(r#"<p role="alert"><strong>{}</strong></p>"#, esc(p)))
        .unwrap_or_default();
    let mut response = page(
        "Create GitHub App",
        &format!(
            r#"{alert}<form method="post" action="/settings/apps/new/create">
<input type="hidden" name="manifest" value="{m}"><input type="hidden" name="owner" value="{owner}"><input type="hidden" name="state" value="{st}">
<p><label for="app-name">GitHub App name</label> <input id="app-name" name="name" value="{name}" maxlength="60"></p>
<p>Owner: <strong>{owner}</strong></p>
<dl><dt>Homepage URL</dt><dd><code>{url}</code></dd>
<dt>Callback URLs</dt><dd><ul>{callbacks}</ul></dd>
<dt>Redirect URL</dt><dd><code>{redirect_url}</code></dd>
<dt>Webhook</dt><dd>{webhook}</dd>
<dt>Request user authorization (OAuth) during installation</dt><dd>{oauth}</dd>
<dt>Where can this GitHub App be installed?</dt><dd>{public}</dd>
<dt>Repository permissions</dt><dd><ul>{permissions}</ul></dd>
<dt>Events</dt><dd><ul>{events}</ul></dd></dl>
<button type="submit">Create GitHub App for {owner}</button></form>"#,
            m = esc(&raw),
            owner = esc(&owner),
            st = esc(state_param),
            name = esc(&text(&manifest["name"])),
            url = esc(&text(&manifest["url"])),
            callbacks = list(&manifest["callback_urls"]),
            redirect_url = esc(&text(&manifest["redirect_url"])),
            oauth = if manifest["request_oauth_on_install"].as_bool() == Some(true) {
                "yes"
            } else {
                "no"
            },
            public = if manifest["public"].as_bool() == Some(true) {
                "Any account"
            } else {
                "Only on this account"
            },
            permissions = list(&manifest["default_permissions"]),
            events = list(&manifest["default_events"]),
        ),
    );
    if just_signed_in {
        sign_in_as(&mut response, &user.login);
    }
    response
}

/// `POST /settings/apps/new/create`: registers the App, then sends the browser to the
/// manifest's `redirect_url` with a one-time code.
pub(super) async fn create_from_manifest(
    State(state): State<Arc<GithubState>>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let fields = form_pairs(&body);
    let field = |name: &str| form_field(&fields, name);
    let Ok(manifest) = serde_json::from_str::<Value>(&field("manifest")) else {
        return error_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Register new GitHub App",
            "Invalid manifest: it is not JSON.",
        );
    };
    let owner = field("owner");
    let org = {
        let db = state.db();
        match account(&db, &owner) {
            Ok(Some(a)) if a.kind == "Organization" => Some(owner.clone()),
            _ => None,
        }
    };
    let again = |problem: &str| {
        review(
            &state,
            org.as_deref(),
            &field("state"),
            &headers,
            &body,
            Some(problem),
        )
    };
    let name = field("name").trim().to_owned();
    let slug = slug_of(&name);
    if name.chars().count() > MAX_NAME {
        return again("Name is too long (maximum is 34 characters)");
    }
    if slug.is_empty() {
        return again("Name can't be blank");
    }
    let Some(redirect_url) = manifest["redirect_url"].as_str().map(str::to_owned) else {
        return again("Invalid manifest: redirect_url is missing");
    };
    if matches!(app(&state.db(), &slug), Ok(Some(_))) {
        return again("Name is already in use");
    }
    let Ok(pem) = tokio::task::spawn_blocking(app_jwt::generate_private_key).await else {
        return database_failure();
    };
    let Ok(pem) = pem else {
        return database_failure();
    };
    let Ok(public_key) = app_jwt::public_key_pem(&pem) else {
        return database_failure();
    };
    let hook = &manifest["hook_attributes"];
    let hook_url = match hook["active"].as_bool() {
        Some(false) => String::new(),
        _ => hook["url"].as_str().unwrap_or("").to_owned(),
    };
    let code = random_hex(10);
    let saved = {
        let db = state.db();
        next_app_id(&db).and_then(|app_id| {
            register_app(
                &db,
                &AppRegistration {
                    app_id,
                    slug: slug.clone(),
                    name: name.clone(),
                    client_id: format!("Iv23{}", random_hex(8)),
                    client_secret: random_hex(20),
                    callback_url: manifest["callback_urls"][0].as_str().unwrap_or("").to_owned(),
                    public_key,
                    owner: owner.clone(),
                    webhook_secret: random_hex(20),
                    hook_url,
                    public: manifest["public"].as_bool() == Some(true),
                },
            )?;
            db.execute(
                "INSERT INTO gh_manifest_codes (code, slug, pem, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![code, slug, pem, iso(now())],
            )
        })
    };
    if saved.is_err() {
        return database_failure();
    }
    redirect(&with_query(
        &redirect_url,
        &[("code", &code), ("state", &field("state"))],
    ))
}

/// `POST /app-manifests/<code>/conversions`: the new App's credentials, once, within an hour.
pub(super) async fn convert_manifest(
    State(state): State<Arc<GithubState>>,
    Path(code): Path<String>,
) -> Response {
    let db = state.db();
    let row: Option<(String, String, String)> = db
        .query_row(
            "DELETE FROM gh_manifest_codes WHERE code = ?1 RETURNING slug, pem, created_at",
            params![code],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .ok()
        .flatten();
    let Some((slug, pem, created_at)) = row else {
        return api_error(StatusCode::NOT_FOUND, "Not Found");
    };
    if parse_iso(&created_at).is_none_or(|at| now() - at > chrono::Duration::hours(1)) {
        return api_error(StatusCode::NOT_FOUND, "Not Found");
    }
    let Ok(Some(app)) = app(&db, &slug) else {
        return api_error(StatusCode::NOT_FOUND, "Not Found");
    };
    let mut body = app_json(&app, &state.url());
    body["client_secret"] = json!(app.client_secret);
    body["webhook_secret"] = json!(app.webhook_secret);
    body["pem"] = json!(pem);
    (StatusCode::CREATED, Json(body)).into_response()
}

fn app_json(app: &AppRegistration, base: &str) -> Value {
    json!({
        "id": app.app_id,
        "slug": app.slug,
        "node_id": format!("A_{}", app.app_id),
        "name": app.name,
        "owner": { "login": app.owner },
        "client_id": app.client_id,
        "html_url": format!("{base}/apps/{}", app.slug),
        "permissions": {
            "contents": "write", "metadata": "read", "actions": "write",
            "workflows": "write", "packages": "write", "pull_requests": "write"
        },
        "events": ["workflow_run", "push", "pull_request"],
    })
}

/// `GET /app`: the App itself, for a valid JWT signed with its key.
pub(super) async fn api_app(State(state): State<Arc<GithubState>>, headers: HeaderMap) -> Response {
    let token = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("")
        .trim();
    let Some(app_id) = app_jwt::unverified_issuer(token) else {
        return api_error(StatusCode::UNAUTHORIZED, app_jwt::UNREADABLE);
    };
    let Ok(Some(app)) = app_by_id(&state.db(), app_id) else {
        return api_error(StatusCode::NOT_FOUND, "Integration not found");
    };
    match app_jwt::verify(token, &app.public_key, now().timestamp()) {
        Ok(()) => Json(app_json(&app, &state.url())).into_response(),
        Err(message) => api_error(StatusCode::UNAUTHORIZED, &message),
    }
}

#[cfg(test)]
mod tests {
    use super::slug_of;

    #[test]
    fn slugs_as_github_derives_them() {
        assert_eq!(slug_of("Flui Sandbox"), "flui-sandbox");
        assert_eq!(slug_of("  Acme's  Flui (prod) "), "acme-s-flui-prod");
        assert_eq!(slug_of("!!!"), "");
    }
}

//! The simulated GitHub's web pages: sign-in picker, App install (and request, and
//! configure), OAuth consent, and an organisation owner's install requests.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use rusqlite::{Connection, params};
use serde::Deserialize;

use super::GithubState;
use super::webhooks::{self, Delivery};
use super::world::*;
use crate::util::{cookie, form_field, form_pairs, iso, now, with_query};

/// Who is signed in to this GitHub: the login, set by its sign-in page.
const SESSION_COOKIE: &str = "gh_sim_user";

// ---- web pages -------------------------------------------------------------------------

pub(super) fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

pub(super) fn page(title: &str, body: &str) -> Response {
    Html(format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t} · GitHub (simulated)</title>
<style>body{{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f8fa;color:#1f2328}}header{{background:#24292f;color:#fff;padding:12px 24px}}
main{{max-width:44rem;margin:24px auto;background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:24px}}
button{{font:inherit;font-weight:600;padding:6px 16px;border-radius:6px;border:1px solid #1f883d;background:#1f883d;color:#fff;cursor:pointer}}
fieldset{{border:1px solid #d0d7de;border-radius:6px;margin:0 0 16px;padding:12px}}a{{color:#0969da}}.muted{{color:#59636e}}</style></head>
<body><header><span aria-hidden="true">◆</span> GitHub <span class="muted" style="color:#d1d9e0">(simulated by the Flui sandbox)</span></header>
<main><h1>{t}</h1>{body}</main></body></html>"#,
        t = esc(title)
    ))
    .into_response()
}

pub(super) fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    let mut response = page(title, &format!("<p role=\"alert\">{}</p>", esc(message)));
    *response.status_mut() = status;
    response
}

pub(super) fn redirect(to: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

pub(super) fn signed_in(conn: &Connection, headers: &HeaderMap) -> rusqlite::Result<Option<Account>> {
    match cookie(headers, SESSION_COOKIE) {
        Some(login) => Ok(account(conn, &login)?.filter(|a| a.kind == "User")),
        None => Ok(None),
    }
}

pub(super) fn to_sign_in(return_to: &str) -> Response {
    redirect(&with_query("/login", &[("return_to", return_to)]))
}

#[derive(Deserialize)]
pub(super) struct ReturnTo {
    #[serde(default)]
    return_to: String,
}

pub(super) async fn sign_in_page(
    State(state): State<Arc<GithubState>>,
    Query(q): Query<ReturnTo>,
) -> Response {
    let Ok(list) = users(&state.db()) else {
        return database_error();
    };
    let buttons: String = list
        .iter()
        .map(|u| {
            format!(
                r#"<form method="post" action="/login"><input type="hidden" name="return_to" value="{r}"><input type="hidden" name="login" value="{l}"><p><button type="submit">Continue as {l}</button> <span class="muted">{n}</span></p></form>"#,
                r = esc(&q.return_to),
                l = esc(&u.login),
                n = esc(&u.name)
            )
        })
        .collect();
    page(
        "Sign in to GitHub",
        &format!("<p>Pick the GitHub user to act as.</p>{buttons}"),
    )
}

#[derive(Deserialize)]
pub(super) struct SignInForm {
    login: String,
    #[serde(default)]
    return_to: String,
}

pub(super) async fn sign_in(State(state): State<Arc<GithubState>>, Form(form): Form<SignInForm>) -> Response {
    if !matches!(account(&state.db(), &form.login), Ok(Some(_))) {
        return error_page(StatusCode::BAD_REQUEST, "Sign in to GitHub", "No such user.");
    }
    // Only paths on this GitHub: never an open redirect.
    let target = if form.return_to.starts_with('/') && !form.return_to.starts_with("//") {
        form.return_to
    } else {
        "/".into()
    };
    let mut response = redirect(&target);
    sign_in_as(&mut response, &form.login);
    response
}

/// Signs the browser in to this GitHub as `login` (a seeded user).
pub(super) fn sign_in_as(response: &mut Response, login: &str) {
    if let Ok(cookie) = HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={login}; Path=/; HttpOnly; SameSite=Lax"
    )) {
        response.headers_mut().insert(SET_COOKIE, cookie);
    }
}

pub(super) async fn home(State(state): State<Arc<GithubState>>, headers: HeaderMap) -> Response {
    match signed_in(&state.db(), &headers) {
        Ok(Some(user)) => page(
            "GitHub",
            &format!(
                "<p>Signed in as <strong>{}</strong>. <a href=\"/login\">Switch user</a></p>",
                esc(&user.login)
            ),
        ),
        _ => to_sign_in("/"),
    }
}

#[derive(Deserialize)]
pub(super) struct InstallQuery {
    #[serde(default)]
    state: String,
    #[serde(default)]
    target: String,
}

/// `/apps/<slug>/installations/new`: pick an account, then repositories, then Install
/// (or Request, for an organisation the user does not own).
pub(super) async fn install_page(
    State(state): State<Arc<GithubState>>,
    Path(slug): Path<String>,
    Query(q): Query<InstallQuery>,
    headers: HeaderMap,
) -> Response {
    let db = state.db();
    let here = with_query(
        &format!("/apps/{slug}/installations/new"),
        &[("state", &q.state), ("target", &q.target)],
    );
    let user = match signed_in(&db, &headers) {
        Ok(Some(user)) => user,
        _ => return to_sign_in(&here),
    };
    let Ok(Some(app)) = app(&db, &slug) else {
        return error_page(
            StatusCode::NOT_FOUND,
            "Not found",
            "There is no GitHub App with this name.",
        );
    };
    let Ok(targets) = install_targets(&db, &user) else {
        return database_error();
    };
    let chosen = targets
        .iter()
        .find(|(a, _)| a.login.eq_ignore_ascii_case(&q.target));
    let Some((target, is_admin)) = chosen else {
        let items: String = targets
            .iter()
            .map(|(a, admin)| {
                let installed = matches!(installation_for(&db, &slug, a.id), Ok(Some(_)));
                let href = with_query(
                    &format!("/apps/{slug}/installations/new"),
                    &[("state", &q.state), ("target", &a.login)],
                );
                let note = match (a.kind.as_str(), admin, installed) {
                    (_, _, true) => "installed: configure",
                    ("User", _, _) => "your personal account",
                    (_, true, _) => "organisation you own",
                    _ => "organisation: you can request the install from its owners",
                };
                format!(
                    r#"<li><a href="{}">{}</a> <span class="muted">({note})</span></li>"#,
                    esc(&href),
                    esc(&a.login)
                )
            })
            .collect();
        return page(
            &format!("Install {}", app.name),
            &format!(
                "<p>Signed in as <strong>{}</strong>. Where do you want to install {}?</p><ul>{items}</ul>",
                esc(&user.login),
                esc(&app.name)
            ),
        );
    };
    let existing = installation_for(&db, &slug, target.id).ok().flatten();
    let Ok(repos) = repos_of(&db, target.id) else {
        return database_error();
    };
    let selected: Vec<i64> = match &existing {
        Some(i) if i.selection == "selected" => installation_repos(&db, i)
            .map(|r| r.iter().map(|r| r.id).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let all_checked = existing.as_ref().is_none_or(|i| i.selection == "all");
    let boxes: String = repos
        .iter()
        .map(|r| {
            format!(
                r#"<li><label><input type="checkbox" name="repo" value="{}"{}> {}/{}</label></li>"#,
                r.id,
                if selected.contains(&r.id) { " checked" } else { "" },
                esc(&r.owner),
                esc(&r.name)
            )
        })
        .collect();
    let (verb, heading) = match (&existing, is_admin) {
        (Some(_), true) => ("Save", format!("Configure {} on {}", app.name, target.login)),
        (_, true) => ("Install", format!("Install {} on {}", app.name, target.login)),
        (_, false) => ("Request", format!("Request {} for {}", app.name, target.login)),
    };
    let request_note = if *is_admin {
        String::new()
    } else {
        "<p class=\"muted\">You are not an owner of this organisation: GitHub will ask its owners to approve the install.</p>".to_owned()
    };
    page(
        &heading,
        &format!(
            r#"{request_note}<form method="post" action="/apps/{slug}/installations">
<input type="hidden" name="state" value="{state}"><input type="hidden" name="target" value="{target}">
<fieldset><legend>Repository access</legend>
<p><label><input type="radio" name="selection" value="all"{all}> All repositories</label></p>
<p><label><input type="radio" name="selection" value="selected"{sel}> Only select repositories</label></p>
<ul>{boxes}</ul></fieldset>
<button type="submit">{verb}</button></form>"#,
            slug = esc(&slug),
            state = esc(&q.state),
            target = esc(&target.login),
            all = if all_checked { " checked" } else { "" },
            sel = if all_checked { "" } else { " checked" },
        ),
    )
}

pub(super) async fn install_submit(
    State(state): State<Arc<GithubState>>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let mut deliveries = Vec::new();
    let response = install_submitted(&state, &slug, &headers, &body, &mut deliveries);
    webhooks::send(&state, deliveries).await;
    response
}

/// The install form, sent: installs (or asks the owners to), leaving in `deliveries`
/// the webhooks it causes.
fn install_submitted(
    state: &GithubState,
    slug: &str,
    headers: &HeaderMap,
    body: &str,
    deliveries: &mut Vec<Delivery>,
) -> Response {
    let db = state.db();
    let Ok(Some(user)) = signed_in(&db, headers) else {
        return to_sign_in(&format!("/apps/{slug}/installations/new"));
    };
    let Ok(Some(app)) = app(&db, slug) else {
        return error_page(StatusCode::NOT_FOUND, "Not found", "No such App.");
    };
    let fields: Vec<(String, String)> = form_pairs(body);
    let get = |name: &str| form_field(&fields, name);
    let repo_ids: Vec<i64> = fields
        .iter()
        .filter(|(n, _)| n == "repo")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let selection = if get("selection") == "selected" {
        "selected"
    } else {
        "all"
    };
    let Ok(Some(target)) = account(&db, &get("target")) else {
        return error_page(StatusCode::BAD_REQUEST, "Install", "Unknown account.");
    };
    let state_param = get("state");
    let Ok(admin) = can_administer(&db, &user, &target) else {
        return database_error();
    };
    let Ok(before) = installation_for(&db, slug, target.id) else {
        return database_error();
    };
    let existed = before.is_some();
    let Ok(code) = issue_code(&db, slug, user.id) else {
        return database_error();
    };

    let query: Vec<(&str, String)> = if admin {
        let reached_before = match &before {
            Some(before) => installation_repos(&db, before).unwrap_or_default(),
            None => Vec::new(),
        };
        let Ok(id) = save_installation(&db, slug, target.id, selection, &repo_ids) else {
            return database_error();
        };
        if let Ok(Some(after)) = installation_for(&db, slug, target.id) {
            let reached = installation_repos(&db, &after).unwrap_or_default();
            deliveries.extend(changes(
                &app,
                before.as_ref(),
                &after,
                &user,
                &reached_before,
                &reached,
            ));
        }
        vec![
            ("code", code),
            ("installation_id", id.to_string()),
            (
                "setup_action",
                if existed { "update" } else { "install" }.to_owned(),
            ),
            ("state", state_param),
        ]
    } else {
        let ids: Vec<String> = repo_ids.iter().map(i64::to_string).collect();
        if db
            .execute(
                "INSERT INTO gh_install_requests (app_slug, account_id, requester_id, selection, repo_ids, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![slug, target.id, user.id, selection, ids.join(","), iso(now())],
            )
            .is_err()
        {
            return database_error();
        }
        vec![
            ("code", code),
            ("setup_action", "request".to_owned()),
            ("state", state_param),
        ]
    };
    let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
    redirect(&with_query(&app.callback_url, &pairs))
}

/// The webhooks an install or a change of access sends: `installation.created` for a new
/// installation, `installation_repositories` for the repositories it gained and lost.
fn changes(
    app: &AppRegistration,
    before: Option<&Installation>,
    after: &Installation,
    sender: &Account,
    reached_before: &[Repo],
    reached: &[Repo],
) -> Vec<Delivery> {
    if before.is_none() {
        return webhooks::installation_event(app, "created", after, sender)
            .into_iter()
            .collect();
    }
    let missing_from = |list: &[Repo], r: &Repo| !list.iter().any(|other| other.id == r.id);
    let added: Vec<&Repo> = reached
        .iter()
        .filter(|r| missing_from(reached_before, r))
        .collect();
    let removed: Vec<&Repo> = reached_before
        .iter()
        .filter(|r| missing_from(reached, r))
        .collect();
    [("added", added), ("removed", removed)]
        .into_iter()
        .filter(|(_, repos)| !repos.is_empty())
        .filter_map(|(action, repos)| webhooks::repositories_event(app, after, sender, action, &repos))
        .collect()
}

#[derive(Deserialize)]
pub(super) struct AuthorizeQuery {
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    redirect_uri: String,
}

/// OAuth consent (`/login/oauth/authorize`).
pub(super) async fn authorize_page(
    State(state): State<Arc<GithubState>>,
    Query(q): Query<AuthorizeQuery>,
    headers: HeaderMap,
) -> Response {
    let db = state.db();
    let here = with_query(
        "/login/oauth/authorize",
        &[
            ("client_id", &q.client_id),
            ("state", &q.state),
            ("redirect_uri", &q.redirect_uri),
        ],
    );
    let Ok(Some(user)) = signed_in(&db, &headers) else {
        return to_sign_in(&here);
    };
    let Ok(Some(app)) = app_by_client_id(&db, &q.client_id) else {
        return error_page(
            StatusCode::NOT_FOUND,
            "Authorize application",
            "The client_id is not known to GitHub.",
        );
    };
    let redirect_uri = if q.redirect_uri.is_empty() {
        app.callback_url.clone()
    } else {
        q.redirect_uri.clone()
    };
    if redirect_uri != app.callback_url {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Redirect URI mismatch",
            &format!(
                "The redirect_uri {redirect_uri} is not the callback URL registered for this App ({}).",
                app.callback_url
            ),
        );
    }
    page(
        &format!("Authorize {}", app.name),
        &format!(
            r#"<p>{app} by the operator of this Flui would like to act on your behalf as <strong>{login}</strong>.</p>
<form method="post" action="/login/oauth/authorize"><input type="hidden" name="client_id" value="{cid}"><input type="hidden" name="state" value="{st}">
<button type="submit">Authorize {app}</button></form>"#,
            app = esc(&app.name),
            login = esc(&user.login),
            cid = esc(&q.client_id),
            st = esc(&q.state)
        ),
    )
}

#[derive(Deserialize)]
pub(super) struct AuthorizeForm {
    client_id: String,
    #[serde(default)]
    state: String,
}

pub(super) async fn authorize(
    State(state): State<Arc<GithubState>>,
    headers: HeaderMap,
    Form(form): Form<AuthorizeForm>,
) -> Response {
    let db = state.db();
    let Ok(Some(user)) = signed_in(&db, &headers) else {
        return to_sign_in("/");
    };
    let Ok(Some(app)) = app_by_client_id(&db, &form.client_id) else {
        return error_page(
            StatusCode::NOT_FOUND,
            "Authorize application",
            "Unknown client_id.",
        );
    };
    let Ok(code) = issue_code(&db, &app.slug, user.id) else {
        return database_error();
    };
    redirect(&with_query(
        &app.callback_url,
        &[("code", &code), ("state", &form.state)],
    ))
}

/// An organisation owner's page of pending install requests, with Approve.
pub(super) async fn requests_page(
    State(state): State<Arc<GithubState>>,
    Path(org): Path<String>,
    headers: HeaderMap,
) -> Response {
    let db = state.db();
    let here = format!("/organizations/{org}/settings/installations");
    let Ok(Some(user)) = signed_in(&db, &headers) else {
        return to_sign_in(&here);
    };
    let Ok(Some(target)) = account(&db, &org) else {
        return error_page(StatusCode::NOT_FOUND, "Not found", "No such organisation.");
    };
    if !can_administer(&db, &user, &target).unwrap_or(false) {
        return error_page(
            StatusCode::FORBIDDEN,
            "Installations",
            "Only owners of this organisation can see its installation requests.",
        );
    }
    let pending: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM gh_install_requests WHERE account_id = ?1 AND approved_at IS NULL",
            params![target.id],
            |r| r.get(0),
        )
        .unwrap_or(0);
    let body = if pending == 0 {
        "<p>No pending requests.</p>".to_owned()
    } else {
        format!(
            r#"<p>{pending} pending request(s) to install a GitHub App on {org}.</p><form method="post" action="{here}"><button type="submit">Approve and install</button></form>"#,
            org = esc(&target.login),
            here = esc(&here)
        )
    };
    page(&format!("{} installation requests", target.login), &body)
}

pub(super) async fn approve(
    State(state): State<Arc<GithubState>>,
    Path(org): Path<String>,
    headers: HeaderMap,
) -> Response {
    let mut deliveries = Vec::new();
    let response = approved(&state, &org, &headers, &mut deliveries);
    webhooks::send(&state, deliveries).await;
    response
}

fn approved(state: &GithubState, org: &str, headers: &HeaderMap, deliveries: &mut Vec<Delivery>) -> Response {
    let db = state.db();
    let Ok(Some(user)) = signed_in(&db, headers) else {
        return to_sign_in("/");
    };
    let Ok(Some(target)) = account(&db, org) else {
        return error_page(StatusCode::NOT_FOUND, "Not found", "No such organisation.");
    };
    if !can_administer(&db, &user, &target).unwrap_or(false) {
        return error_page(StatusCode::FORBIDDEN, "Installations", "Only owners can approve.");
    }
    let Ok(approved) = approve_requests(&db, org) else {
        return database_error();
    };
    deliveries.extend(approved.iter().filter(|a| !a.existed).filter_map(|a| {
        let app = app(&db, &a.slug).ok().flatten()?;
        let (_, installation) = installation_by_id(&db, a.id).ok().flatten()?;
        webhooks::installation_event(&app, "created", &installation, &user)
    }));
    page(
        "Requests approved",
        &format!(
            "<p role=\"status\">Approved {} request(s). The App is installed on {}.</p>",
            approved.len(),
            esc(&target.login)
        ),
    )
}

/// The installation `id` and its App, if `user` may manage it (an owner of its account);
/// otherwise the page to show instead.
fn managed_installation(
    db: &Connection,
    user: &Account,
    id: i64,
) -> Result<(AppRegistration, Installation), Refusal> {
    const NOT_FOUND: Refusal = (StatusCode::NOT_FOUND, "Not found", "No such installation.");
    const DATABASE: Refusal = (StatusCode::INTERNAL_SERVER_ERROR, "Error", "database error");
    let (slug, installation) = installation_by_id(db, id)
        .map_err(|_| DATABASE)?
        .ok_or(NOT_FOUND)?;
    if !can_administer(db, user, &installation.account).unwrap_or(false) {
        return Err((
            StatusCode::FORBIDDEN,
            "Installation",
            "Only the account's owners can manage this installation.",
        ));
    }
    let app = app(db, &slug).map_err(|_| DATABASE)?.ok_or(NOT_FOUND)?;
    Ok((app, installation))
}

/// A page refused: its status, title and message (see [`error_page`]).
type Refusal = (StatusCode, &'static str, &'static str);

/// An installation's settings (`/settings/installations/{id}`, or under
/// `/organizations/{org}/` for an organisation's): Suspend or Unsuspend, and Uninstall.
pub(super) async fn installation_page(
    State(state): State<Arc<GithubState>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    installation_settings(&state, id, &headers)
}

pub(super) async fn org_installation_page(
    State(state): State<Arc<GithubState>>,
    Path((_org, id)): Path<(String, i64)>,
    headers: HeaderMap,
) -> Response {
    installation_settings(&state, id, &headers)
}

fn installation_settings(state: &GithubState, id: i64, headers: &HeaderMap) -> Response {
    let db = state.db();
    let here = format!("/settings/installations/{id}");
    let Ok(Some(user)) = signed_in(&db, headers) else {
        return to_sign_in(&here);
    };
    let (app, installation) = match managed_installation(&db, &user, id) {
        Ok(found) => found,
        Err((status, title, message)) => return error_page(status, title, message),
    };
    let access = if installation.selection == "all" {
        "All repositories".to_owned()
    } else {
        let count = installation_repos(&db, &installation)
            .map(|r| r.len())
            .unwrap_or(0);
        format!("Only select repositories ({count})")
    };
    let (state_text, toggle) = match &installation.suspended_at {
        Some(at) => (format!("Suspended since {}", esc(at)), ("unsuspend", "Unsuspend")),
        None => ("Active".to_owned(), ("suspend", "Suspend")),
    };
    let body = format!(
        r#"<p>Installed on <strong>{account}</strong> ({kind}).</p>
<dl><dt>Repository access</dt><dd>{access}</dd><dt>State</dt><dd>{state_text}</dd></dl>
<form method="post" action="{here}"><button type="submit" name="action" value="{toggle}">{toggle_label}</button></form>
<form method="post" action="{here}" style="margin-top:16px"><button type="submit" name="action" value="uninstall">Uninstall {name}</button></form>"#,
        account = esc(&installation.account.login),
        kind = esc(&installation.account.kind),
        toggle = toggle.0,
        toggle_label = toggle.1,
        name = esc(&app.name),
    );
    page(&format!("{} on {}", app.name, installation.account.login), &body)
}

#[derive(Deserialize)]
pub(super) struct InstallationAction {
    action: String,
}

/// Suspend, Unsuspend or Uninstall, then the webhook GitHub sends for it.
pub(super) async fn installation_action(
    State(state): State<Arc<GithubState>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<InstallationAction>,
) -> Response {
    let mut deliveries = Vec::new();
    let response = installation_changed(&state, id, &headers, &form.action, &mut deliveries);
    webhooks::send(&state, deliveries).await;
    response
}

fn installation_changed(
    state: &GithubState,
    id: i64,
    headers: &HeaderMap,
    action: &str,
    deliveries: &mut Vec<Delivery>,
) -> Response {
    let db = state.db();
    let Ok(Some(user)) = signed_in(&db, headers) else {
        return to_sign_in(&format!("/settings/installations/{id}"));
    };
    let (app, installation) = match managed_installation(&db, &user, id) {
        Ok(found) => found,
        Err((status, title, message)) => return error_page(status, title, message),
    };
    let done = match action {
        "suspend" => set_suspended(&db, id, true),
        "unsuspend" => set_suspended(&db, id, false),
        "uninstall" => uninstall(&db, id),
        _ => return error_page(StatusCode::BAD_REQUEST, "Installation", "Unknown action."),
    };
    if done.is_err() {
        return database_error();
    }
    let now = if action == "uninstall" {
        installation.clone()
    } else {
        match installation_by_id(&db, id) {
            Ok(Some((_, now))) => now,
            _ => return database_error(),
        }
    };
    let event = if action == "uninstall" { "deleted" } else { action };
    deliveries.extend(webhooks::installation_event(&app, event, &now, &user));
    if action == "uninstall" {
        return page(
            "Uninstalled",
            &format!(
                "<p role=\"status\">{} is no longer installed on {}.</p>",
                esc(&app.name),
                esc(&installation.account.login)
            ),
        );
    }
    redirect(&format!("/settings/installations/{id}"))
}

pub(super) async fn org_installation_action(
    state: State<Arc<GithubState>>,
    Path((_org, id)): Path<(String, i64)>,
    headers: HeaderMap,
    form: Form<InstallationAction>,
) -> Response {
    installation_action(state, Path(id), headers, form).await
}

/// The page for a failed query (the sandbox's own fault, never the user's).
pub(super) fn database_error() -> Response {
    error_page(StatusCode::INTERNAL_SERVER_ERROR, "Error", "database error")
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn html_is_escaped() {
        assert_eq!(esc(r#"<a href="x">'&"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;");
    }
}

/// Who may see and redeliver App `slug`'s webhooks: its owner (or an owner of the
/// organisation that owns it).
fn owned_app(db: &Connection, headers: &HeaderMap, slug: &str) -> Result<AppRegistration, Box<Response>> {
    let here = format!("/settings/apps/{slug}/advanced");
    let Ok(Some(user)) = signed_in(db, headers) else {
        return Err(Box::new(to_sign_in(&here)));
    };
    let Ok(Some(app)) = app(db, slug) else {
        return Err(Box::new(error_page(
            StatusCode::NOT_FOUND,
            "Not found",
            "No such App.",
        )));
    };
    let owner = account(db, &app.owner).ok().flatten();
    let owns =
        owner.is_some_and(|owner| owner.id == user.id || can_administer(db, &user, &owner).unwrap_or(false));
    if !owns {
        return Err(Box::new(error_page(
            StatusCode::FORBIDDEN,
            "Advanced",
            "Only the App's owners can see its deliveries.",
        )));
    }
    Ok(app)
}

/// An App's advanced settings: its recent webhook deliveries, each with Redeliver.
pub(super) async fn advanced_page(
    State(state): State<Arc<GithubState>>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    let db = state.db();
    let app = match owned_app(&db, &headers, &slug) {
        Ok(app) => app,
        Err(response) => return *response,
    };
    let Ok(deliveries) = webhooks::recent_deliveries(&db, &slug) else {
        return database_error();
    };
    let rows: String = deliveries
        .iter()
        .map(|d| {
            let kind = format!("{}.{}", d.event, d.action);
            format!(
                r#"<li>{kind} for {account}, {at}: {status} <form method="post" action="/settings/apps/{slug}/advanced" style="display:inline"><input type="hidden" name="delivery" value="{id}"><button type="submit" aria-label="Redeliver {kind} for {account}">Redeliver</button></form></li>"#,
                kind = esc(&kind),
                account = esc(&d.account),
                at = esc(&d.delivered_at),
                status = d.status.map(|s| s.to_string()).unwrap_or_else(|| "no answer".into()),
                slug = esc(&slug),
                id = d.id,
            )
        })
        .collect();
    let body = if rows.is_empty() {
        "<p>No deliveries yet.</p>".to_owned()
    } else {
        format!("<h2>Recent deliveries</h2><ul>{rows}</ul>")
    };
    page(&format!("{} · Advanced", app.name), &body)
}

#[derive(Deserialize)]
pub(super) struct RedeliverForm {
    delivery: i64,
}

/// Redeliver: the same payload again, as GitHub's button does.
pub(super) async fn redeliver(
    State(state): State<Arc<GithubState>>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(form): Form<RedeliverForm>,
) -> Response {
    let again = {
        let db = state.db();
        let app = match owned_app(&db, &headers, &slug) {
            Ok(app) => app,
            Err(response) => return *response,
        };
        match webhooks::redelivery(&db, &app, form.delivery) {
            Ok(Some(again)) => again,
            Ok(None) => return error_page(StatusCode::NOT_FOUND, "Not found", "No such delivery."),
            Err(_) => return database_error(),
        }
    };
    webhooks::send(&state, vec![again]).await;
    redirect(&format!("/settings/apps/{slug}/advanced"))
}

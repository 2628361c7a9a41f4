//! A simulated GitHub on its own port, so the connect round trip crosses origins as in
//! production: a seeded world (users, organisations, repositories), the App install
//! page, OAuth consent, and the REST calls Flui makes (served under `/api/v3`, as GitHub
//! Enterprise does).
//!
//! Who is signed in to this GitHub is a cookie set by its own sign-in page, which simply
//! lists the seeded users: a test or a developer picks one.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::header::{AUTHORIZATION, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::clock::{iso, now};
use crate::db::{random_hex, sha256_hex};

const SESSION_COOKIE: &str = "gh_sim_user";

pub const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS gh_accounts (
    id    INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE COLLATE NOCASE,
    type  TEXT NOT NULL CHECK (type IN ('User', 'Organization')),
    name  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS gh_memberships (
    org_id  INTEGER NOT NULL REFERENCES gh_accounts(id),
    user_id INTEGER NOT NULL REFERENCES gh_accounts(id),
    role    TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    PRIMARY KEY (org_id, user_id)
);
CREATE TABLE IF NOT EXISTS gh_repos (
    id             INTEGER PRIMARY KEY,
    owner_id       INTEGER NOT NULL REFERENCES gh_accounts(id),
    name           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    private        INTEGER NOT NULL DEFAULT 0,
    language       TEXT NOT NULL DEFAULT '',
    default_branch TEXT NOT NULL DEFAULT 'main',
    updated_at     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS gh_apps (
    slug          TEXT PRIMARY KEY,
    app_id        INTEGER NOT NULL,
    name          TEXT NOT NULL,
    client_id     TEXT NOT NULL,
    client_secret TEXT NOT NULL,
    callback_url  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS gh_installations (
    id                   INTEGER PRIMARY KEY,
    app_slug             TEXT NOT NULL,
    account_id           INTEGER NOT NULL REFERENCES gh_accounts(id),
    repository_selection TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    suspended_at         TEXT,
    UNIQUE (app_slug, account_id)
);
CREATE TABLE IF NOT EXISTS gh_installation_repos (
    installation_id INTEGER NOT NULL REFERENCES gh_installations(id) ON DELETE CASCADE,
    repo_id         INTEGER NOT NULL REFERENCES gh_repos(id),
    PRIMARY KEY (installation_id, repo_id)
);
CREATE TABLE IF NOT EXISTS gh_install_requests (
    id           INTEGER PRIMARY KEY,
    app_slug     TEXT NOT NULL,
    account_id   INTEGER NOT NULL,
    requester_id INTEGER NOT NULL,
    selection    TEXT NOT NULL,
    repo_ids     TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    approved_at  TEXT
);
CREATE TABLE IF NOT EXISTS gh_oauth_codes (
    code       TEXT PRIMARY KEY,
    app_slug   TEXT NOT NULL,
    user_id    INTEGER NOT NULL,
    expires_at TEXT NOT NULL,
    used       INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS gh_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    app_slug   TEXT NOT NULL
);
"#;

// ---- the world -----------------------------------------------------------------------

#[derive(Clone, Debug)]
pub struct Account {
    pub id: i64,
    pub login: String,
    pub kind: String,
    pub name: String,
}

fn account_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        id: r.get(0)?,
        login: r.get(1)?,
        kind: r.get(2)?,
        name: r.get(3)?,
    })
}

pub fn account(conn: &Connection, login: &str) -> rusqlite::Result<Option<Account>> {
    conn.query_row(
        "SELECT id, login, type, name FROM gh_accounts WHERE login = ?1",
        params![login],
        account_from_row,
    )
    .optional()
}

fn account_by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<Account>> {
    conn.query_row(
        "SELECT id, login, type, name FROM gh_accounts WHERE id = ?1",
        params![id],
        account_from_row,
    )
    .optional()
}

fn users(conn: &Connection) -> rusqlite::Result<Vec<Account>> {
    let mut stmt =
        conn.prepare("SELECT id, login, type, name FROM gh_accounts WHERE type = 'User' ORDER BY login")?;
    stmt.query_map([], account_from_row)?.collect()
}

/// The accounts `user` may install on: itself, then its organisations, with its role.
fn install_targets(conn: &Connection, user: &Account) -> rusqlite::Result<Vec<(Account, bool)>> {
    let mut targets = vec![(user.clone(), true)];
    let mut stmt = conn.prepare(
        "SELECT a.id, a.login, a.type, a.name, m.role FROM gh_memberships m JOIN gh_accounts a ON a.id = m.org_id
         WHERE m.user_id = ?1 ORDER BY a.login",
    )?;
    let orgs = stmt.query_map(params![user.id], |r| {
        Ok((account_from_row(r)?, r.get::<_, String>(4)? == "admin"))
    })?;
    for org in orgs {
        targets.push(org?);
    }
    Ok(targets)
}

fn can_administer(conn: &Connection, user: &Account, target: &Account) -> rusqlite::Result<bool> {
    Ok(install_targets(conn, user)?
        .into_iter()
        .any(|(a, admin)| a.id == target.id && admin))
}

#[derive(Clone, Debug)]
pub struct Repo {
    pub id: i64,
    pub owner: String,
    pub name: String,
    pub description: String,
    pub private: bool,
    pub language: String,
    pub default_branch: String,
    pub updated_at: String,
}

fn repos_of(conn: &Connection, owner_id: i64) -> rusqlite::Result<Vec<Repo>> {
    let mut stmt = conn.prepare(
        "SELECT r.id, a.login, r.name, r.description, r.private, r.language, r.default_branch, r.updated_at
         FROM gh_repos r JOIN gh_accounts a ON a.id = r.owner_id WHERE r.owner_id = ?1 ORDER BY r.updated_at DESC",
    )?;
    stmt.query_map(params![owner_id], |r| {
        Ok(Repo {
            id: r.get(0)?,
            owner: r.get(1)?,
            name: r.get(2)?,
            description: r.get(3)?,
            private: r.get::<_, i64>(4)? != 0,
            language: r.get(5)?,
            default_branch: r.get(6)?,
            updated_at: r.get(7)?,
        })
    })?
    .collect()
}

#[derive(Clone, Debug)]
pub struct AppRegistration {
    pub slug: String,
    pub name: String,
    pub client_id: String,
    pub client_secret: String,
    pub callback_url: String,
}

pub fn app(conn: &Connection, slug: &str) -> rusqlite::Result<Option<AppRegistration>> {
    conn.query_row(
        "SELECT slug, name, client_id, client_secret, callback_url FROM gh_apps WHERE slug = ?1",
        params![slug],
        |r| {
            Ok(AppRegistration {
                slug: r.get(0)?,
                name: r.get(1)?,
                client_id: r.get(2)?,
                client_secret: r.get(3)?,
                callback_url: r.get(4)?,
            })
        },
    )
    .optional()
}

fn app_by_client_id(conn: &Connection, client_id: &str) -> rusqlite::Result<Option<AppRegistration>> {
    let slug: Option<String> = conn
        .query_row(
            "SELECT slug FROM gh_apps WHERE client_id = ?1",
            params![client_id],
            |r| r.get(0),
        )
        .optional()?;
    match slug {
        Some(slug) => app(conn, &slug),
        None => Ok(None),
    }
}

pub fn register_app(conn: &Connection, app: &AppRegistration, app_id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO gh_apps (slug, app_id, name, client_id, client_secret, callback_url) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (slug) DO UPDATE SET app_id = ?2, name = ?3, client_id = ?4, client_secret = ?5, callback_url = ?6",
        params![app.slug, app_id, app.name, app.client_id, app.client_secret, app.callback_url],
    )?;
    Ok(())
}

#[derive(Clone, Debug)]
struct Installation {
    id: i64,
    account: Account,
    selection: String,
    created_at: String,
    suspended_at: Option<String>,
}

fn installation_for(
    conn: &Connection,
    slug: &str,
    account_id: i64,
) -> rusqlite::Result<Option<Installation>> {
    let row: Option<(i64, String, String, Option<String>)> = conn
        .query_row(
            "SELECT id, repository_selection, created_at, suspended_at FROM gh_installations WHERE app_slug = ?1 AND account_id = ?2",
            params![slug, account_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((id, selection, created_at, suspended_at)) = row else {
        return Ok(None);
    };
    let Some(account) = account_by_id(conn, account_id)? else {
        return Ok(None);
    };
    Ok(Some(Installation {
        id,
        account,
        selection,
        created_at,
        suspended_at,
    }))
}

/// Installations of `slug` that `user` can reach: on its own account or on an
/// organisation it belongs to (GitHub's `GET /user/installations`).
fn reachable_installations(
    conn: &Connection,
    slug: &str,
    user: &Account,
) -> rusqlite::Result<Vec<Installation>> {
    let mut out = Vec::new();
    for (target, _) in install_targets(conn, user)? {
        if let Some(installation) = installation_for(conn, slug, target.id)? {
            out.push(installation);
        }
    }
    Ok(out)
}

fn installation_repos(conn: &Connection, installation: &Installation) -> rusqlite::Result<Vec<Repo>> {
    let all = repos_of(conn, installation.account.id)?;
    if installation.selection == "all" {
        return Ok(all);
    }
    let mut stmt = conn.prepare("SELECT repo_id FROM gh_installation_repos WHERE installation_id = ?1")?;
    let ids: Vec<i64> = stmt
        .query_map(params![installation.id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(all.into_iter().filter(|r| ids.contains(&r.id)).collect())
}

pub fn save_installation(
    conn: &Connection,
    slug: &str,
    account_id: i64,
    selection: &str,
    repo_ids: &[i64],
) -> rusqlite::Result<i64> {
    let id = match installation_for(conn, slug, account_id)? {
        Some(existing) => {
            conn.execute(
                "UPDATE gh_installations SET repository_selection = ?1 WHERE id = ?2",
                params![selection, existing.id],
            )?;
            existing.id
        }
        None => {
            let id = 10_000_000 + i64::from(rand::random::<u32>() % 89_999_999);
            conn.execute(
                "INSERT INTO gh_installations (id, app_slug, account_id, repository_selection, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, slug, account_id, selection, iso(now())],
            )?;
            id
        }
    };
    conn.execute(
        "DELETE FROM gh_installation_repos WHERE installation_id = ?1",
        params![id],
    )?;
    if selection == "selected" {
        for repo in repo_ids {
            conn.execute(
                "INSERT OR IGNORE INTO gh_installation_repos (installation_id, repo_id) VALUES (?1, ?2)",
                params![id, repo],
            )?;
        }
    }
    Ok(id)
}

fn issue_code(conn: &Connection, slug: &str, user_id: i64) -> rusqlite::Result<String> {
    let code = random_hex(10);
    conn.execute(
        "INSERT INTO gh_oauth_codes (code, app_slug, user_id, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![code, slug, user_id, iso(now() + chrono::Duration::minutes(10))],
    )?;
    Ok(code)
}

/// Approves every pending install request on organisation `org` (what its owner does on
/// GitHub). Returns how many were approved.
pub fn approve_requests(conn: &Connection, org: &str) -> rusqlite::Result<usize> {
    let Some(org) = account(conn, org)? else {
        return Ok(0);
    };
    let mut stmt = conn.prepare(
        "SELECT id, app_slug, selection, repo_ids FROM gh_install_requests WHERE account_id = ?1 AND approved_at IS NULL",
    )?;
    let pending: Vec<(i64, String, String, String)> = stmt
        .query_map(params![org.id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<Result<_, _>>()?;
    for (id, slug, selection, repo_ids) in &pending {
        let ids: Vec<i64> = repo_ids.split(',').filter_map(|s| s.parse().ok()).collect();
        save_installation(conn, slug, org.id, selection, &ids)?;
        conn.execute(
            "UPDATE gh_install_requests SET approved_at = ?1 WHERE id = ?2",
            params![iso(now()), id],
        )?;
    }
    Ok(pending.len())
}

/// Seeds the world into an empty database: each demo Flui user has a GitHub user;
/// `acme` is owned by olive-owner and has uma-dev as a plain member.
pub fn seed_world(conn: &Connection, repos_per_account: usize) -> rusqlite::Result<()> {
    let seeded: i64 = conn.query_row("SELECT COUNT(*) FROM gh_accounts", [], |r| r.get(0))?;
    if seeded > 0 {
        return Ok(());
    }
    let accounts = [
        (1001, "ada-admin", "User", "Ada Admin"),
        (1002, "uma-dev", "User", "Uma User"),
        (1003, "olive-owner", "User", "Olive Owner"),
        (2001, "acme", "Organization", "Acme Corp"),
        (2002, "uma-labs", "Organization", "Uma Labs"),
    ];
    for (id, login, kind, name) in accounts {
        conn.execute(
            "INSERT INTO gh_accounts (id, login, type, name) VALUES (?1, ?2, ?3, ?4)",
            params![id, login, kind, name],
        )?;
    }
    for (org, user, role) in [
        (2001, 1003, "admin"),
        (2001, 1002, "member"),
        (2001, 1001, "member"),
        (2002, 1002, "admin"),
    ] {
        conn.execute(
            "INSERT INTO gh_memberships (org_id, user_id, role) VALUES (?1, ?2, ?3)",
            params![org, user, role],
        )?;
    }
    let named = [
        ("api", "HTTP API of the shop", "Rust", true),
        ("web", "Storefront, server-rendered", "TypeScript", false),
        ("worker", "", "Go", true),
        ("docs", "Public documentation", "", false),
    ];
    let mut next_id = 500_000;
    for owner in [1001, 1002, 2001, 2002] {
        for i in 0..repos_per_account {
            let (name, description, language, private) = match named.get(i) {
                Some(&(n, d, l, p)) => (n.to_owned(), d.to_owned(), l.to_owned(), p),
                None => (
                    format!("service-{i:04}"),
                    format!("Generated repository {i}"),
                    "Rust".to_owned(),
                    i % 3 == 0,
                ),
            };
            next_id += 1;
            let updated = iso(now() - chrono::Duration::hours(i as i64 * 7 + owner % 5));
            conn.execute(
                "INSERT INTO gh_repos (id, owner_id, name, description, private, language, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![next_id, owner, name, description, private as i64, language, updated],
            )?;
        }
    }
    Ok(())
}

// ---- web pages -------------------------------------------------------------------------

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

pub(crate) fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn page(title: &str, body: &str) -> Response {
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

fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    let mut response = page(title, &format!("<p role=\"alert\">{}</p>", esc(message)));
    *response.status_mut() = status;
    response
}

fn redirect(to: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

fn signed_in(conn: &Connection, headers: &HeaderMap) -> rusqlite::Result<Option<Account>> {
    match crate::auth::cookie(headers, SESSION_COOKIE) {
        Some(login) => Ok(account(conn, &login)?.filter(|a| a.kind == "User")),
        None => Ok(None),
    }
}

fn to_sign_in(return_to: &str) -> Response {
    redirect(&format!("/login?return_to={}", url_encode(return_to)))
}

fn path_and_query(path: &str, query: &[(&str, &str)]) -> String {
    let q: Vec<String> = query
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect();
    if q.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", q.join("&"))
    }
}

#[derive(Deserialize)]
struct ReturnTo {
    #[serde(default)]
    return_to: String,
}

async fn sign_in_page(State(state): State<Arc<AppState>>, Query(q): Query<ReturnTo>) -> Response {
    let Ok(list) = users(&state.db()) else {
        return error_page(StatusCode::INTERNAL_SERVER_ERROR, "Error", "database error");
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
struct SignInForm {
    login: String,
    #[serde(default)]
    return_to: String,
}

async fn sign_in(State(state): State<Arc<AppState>>, Form(form): Form<SignInForm>) -> Response {
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
    if let Ok(cookie) = HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax",
        form.login
    )) {
        response.headers_mut().insert(SET_COOKIE, cookie);
    }
    response
}

async fn home(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
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
struct InstallQuery {
    #[serde(default)]
    state: String,
    #[serde(default)]
    target: String,
}

/// `/apps/<slug>/installations/new`: pick an account, then repositories, then Install
/// (or Request, for an organisation the user does not own).
async fn install_page(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
    Query(q): Query<InstallQuery>,
    headers: HeaderMap,
) -> Response {
    let db = state.db();
    let here = path_and_query(
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
        return error_page(StatusCode::INTERNAL_SERVER_ERROR, "Error", "database error");
    };
    let chosen = targets
        .iter()
        .find(|(a, _)| a.login.eq_ignore_ascii_case(&q.target));
    let Some((target, is_admin)) = chosen else {
        let items: String = targets
            .iter()
            .map(|(a, admin)| {
                let installed = matches!(installation_for(&db, &slug, a.id), Ok(Some(_)));
                let href = path_and_query(
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
        return error_page(StatusCode::INTERNAL_SERVER_ERROR, "Error", "database error");
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

async fn install_submit(
    State(state): State<Arc<AppState>>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let db = state.db();
    let Ok(Some(user)) = signed_in(&db, &headers) else {
        return to_sign_in(&format!("/apps/{slug}/installations/new"));
    };
    let Ok(Some(app)) = app(&db, &slug) else {
        return error_page(StatusCode::NOT_FOUND, "Not found", "No such App.");
    };
    let fields: Vec<(String, String)> = serde_urlencoded_pairs(&body);
    let get = |k: &str| {
        fields
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
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
        return error_page(StatusCode::INTERNAL_SERVER_ERROR, "Error", "database error");
    };
    let existed = matches!(installation_for(&db, &slug, target.id), Ok(Some(_)));
    let Ok(code) = issue_code(&db, &slug, user.id) else {
        return error_page(StatusCode::INTERNAL_SERVER_ERROR, "Error", "database error");
    };

    let query: Vec<(&str, String)> = if admin {
        let Ok(id) = save_installation(&db, &slug, target.id, selection, &repo_ids) else {
            return error_page(StatusCode::INTERNAL_SERVER_ERROR, "Error", "database error");
        };
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
            return error_page(StatusCode::INTERNAL_SERVER_ERROR, "Error", "database error");
        }
        vec![
            ("code", code),
            ("setup_action", "request".to_owned()),
            ("state", state_param),
        ]
    };
    let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
    redirect(&append_query(&app.callback_url, &pairs))
}

fn append_query(base: &str, pairs: &[(&str, &str)]) -> String {
    let q: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect();
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}{}", q.join("&"))
}

/// `application/x-www-form-urlencoded` pairs, with repeated keys kept (axum's `Form`
/// would need a Vec field per key).
fn serde_urlencoded_pairs(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((percent_decode(k)?, percent_decode(v)?))
        })
        .collect()
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[derive(Deserialize)]
struct AuthorizeQuery {
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    redirect_uri: String,
}

/// OAuth consent (`/login/oauth/authorize`).
async fn authorize_page(
    State(state): State<Arc<AppState>>,
    Query(q): Query<AuthorizeQuery>,
    headers: HeaderMap,
) -> Response {
    let db = state.db();
    let here = path_and_query(
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
struct AuthorizeForm {
    client_id: String,
    #[serde(default)]
    state: String,
}

async fn authorize(
    State(state): State<Arc<AppState>>,
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
        return error_page(StatusCode::INTERNAL_SERVER_ERROR, "Error", "database error");
    };
    redirect(&append_query(
        &app.callback_url,
        &[("code", &code), ("state", &form.state)],
    ))
}

/// An organisation owner's page of pending install requests, with Approve.
async fn requests_page(
    State(state): State<Arc<AppState>>,
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

async fn approve(
    State(state): State<Arc<AppState>>,
    Path(org): Path<String>,
    headers: HeaderMap,
) -> Response {
    let db = state.db();
    let Ok(Some(user)) = signed_in(&db, &headers) else {
        return to_sign_in("/");
    };
    let Ok(Some(target)) = account(&db, &org) else {
        return error_page(StatusCode::NOT_FOUND, "Not found", "No such organisation.");
    };
    if !can_administer(&db, &user, &target).unwrap_or(false) {
        return error_page(StatusCode::FORBIDDEN, "Installations", "Only owners can approve.");
    }
    match approve_requests(&db, &org) {
        Ok(n) => page(
            "Requests approved",
            &format!(
                "<p role=\"status\">Approved {n} request(s). The App is installed on {}.</p>",
                esc(&target.login)
            ),
        ),
        Err(_) => error_page(StatusCode::INTERNAL_SERVER_ERROR, "Error", "database error"),
    }
}

// ---- REST API ----------------------------------------------------------------------------

fn api_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({ "message": message, "documentation_url": "https://docs.github.com/rest" })),
    )
        .into_response()
}

fn token_user(conn: &Connection, headers: &HeaderMap) -> Option<(Account, String)> {
    let raw = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let token = raw
        .strip_prefix("Bearer ")
        .or_else(|| raw.strip_prefix("token "))?
        .trim();
    let (user_id, slug): (i64, String) = conn
        .query_row(
            "SELECT user_id, app_slug FROM gh_tokens WHERE token_hash = ?1",
            params![sha256_hex(token)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .ok()??;
    Some((account_by_id(conn, user_id).ok()??, slug))
}

#[derive(Deserialize)]
struct TokenRequest {
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
    #[serde(default)]
    code: String,
}

/// `POST /login/oauth/access_token`: like GitHub, failures are 200 with an `error` field.
async fn access_token(State(state): State<Arc<AppState>>, headers: HeaderMap, body: String) -> Response {
    let json_body = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"));
    let request: Option<TokenRequest> = if json_body {
        serde_json::from_str(&body).ok()
    } else {
        serde_urlencoded_form(&body)
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
    let token = format!("ghu_{}", random_hex(18));
    if db
        .execute(
            "INSERT INTO gh_tokens (token_hash, user_id, app_slug) VALUES (?1, ?2, ?3)",
            params![sha256_hex(&token), user_id, app.slug],
        )
        .is_err()
    {
        return api_error(StatusCode::INTERNAL_SERVER_ERROR, "database error");
    }
    Json(json!({ "access_token": token, "token_type": "bearer", "scope": "" })).into_response()
}

fn serde_urlencoded_form(body: &str) -> Option<TokenRequest> {
    let pairs = serde_urlencoded_pairs(body);
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    Some(TokenRequest {
        client_id: get("client_id"),
        client_secret: get("client_secret"),
        code: get("code"),
    })
}

fn account_json(a: &Account) -> Value {
    json!({ "login": a.login, "id": a.id, "type": a.kind, "name": a.name })
}

async fn api_user(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    match token_user(&state.db(), &headers) {
        Some((user, _)) => Json(account_json(&user)).into_response(),
        None => api_error(StatusCode::UNAUTHORIZED, "Bad credentials"),
    }
}

fn installation_json(i: &Installation, slug: &str) -> Value {
    json!({
        "id": i.id,
        "app_slug": slug,
        "account": account_json(&i.account),
        "repository_selection": i.selection,
        "created_at": i.created_at,
        "suspended_at": i.suspended_at,
    })
}

async fn api_user_installations(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let db = state.db();
    let Some((user, slug)) = token_user(&db, &headers) else {
        return api_error(StatusCode::UNAUTHORIZED, "Bad credentials");
    };
    match reachable_installations(&db, &slug, &user) {
        Ok(list) => Json(json!({
            "total_count": list.len(),
            "installations": list.iter().map(|i| installation_json(i, &slug)).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(_) => api_error(StatusCode::INTERNAL_SERVER_ERROR, "database error"),
    }
}

#[derive(Deserialize)]
struct Page {
    #[serde(default = "default_per_page")]
    per_page: usize,
    #[serde(default = "default_page")]
    page: usize,
}

fn default_per_page() -> usize {
    30
}

fn default_page() -> usize {
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

async fn api_installation_repositories(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    Query(p): Query<Page>,
    headers: HeaderMap,
) -> Response {
    let db = state.db();
    let Some((user, slug)) = token_user(&db, &headers) else {
        return api_error(StatusCode::UNAUTHORIZED, "Bad credentials");
    };
    let Ok(list) = reachable_installations(&db, &slug, &user) else {
        return api_error(StatusCode::INTERNAL_SERVER_ERROR, "database error");
    };
    let Some(installation) = list.into_iter().find(|i| i.id == id) else {
        return api_error(StatusCode::NOT_FOUND, "Not Found");
    };
    let Ok(repos) = installation_repos(&db, &installation) else {
        return api_error(StatusCode::INTERNAL_SERVER_ERROR, "database error");
    };
    let per_page = p.per_page.clamp(1, 100);
    let base = state.github_url();
    let page: Vec<Value> = repos
        .iter()
        .skip((p.page.max(1) - 1) * per_page)
        .take(per_page)
        .map(|r| repo_json(r, &base))
        .collect();
    Json(json!({ "total_count": repos.len(), "repositories": page })).into_response()
}

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/login", get(sign_in_page).post(sign_in))
        .route("/apps/{slug}/installations/new", get(install_page))
        .route("/apps/{slug}/installations", post(install_submit))
        .route("/login/oauth/authorize", get(authorize_page).post(authorize))
        .route("/login/oauth/access_token", post(access_token))
        .route(
            "/organizations/{org}/settings/installations",
            get(requests_page).post(approve),
        )
        .route("/api/v3/user", get(api_user))
        .route("/api/v3/user/installations", get(api_user_installations))
        .route(
            "/api/v3/user/installations/{id}/repositories",
            get(api_installation_repositories),
        )
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_keep_repeated_keys_and_decode_once() {
        let pairs = serde_urlencoded_pairs("repo=1&repo=2&target=acme&state=a%2Bb%25c&x=a+b");
        assert_eq!(pairs.iter().filter(|(k, _)| k == "repo").count(), 2);
        assert!(pairs.contains(&("state".into(), "a+b%c".into())));
        assert!(pairs.contains(&("x".into(), "a b".into())));
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%4"), Some("%4".into()));
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(esc(r#"<a href="x">'&"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;");
    }
}

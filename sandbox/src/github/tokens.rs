//! The simulated GitHub's personal access tokens: the classic token page (scopes, as
//! `/settings/tokens/new?scopes=…&description=…` pre-fills them), the fine-grained one
//! (permissions on one account), the page that shows a new token once, and the list that
//! revokes them. A revoked or expired token then fails `GET /user`.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::GithubState;
use super::pages::{database_error, error_page, esc, page, redirect, signed_in, to_sign_in};
use super::world::*;
use crate::util::{form_field, form_pairs, with_query};

#[derive(Deserialize)]
pub(super) struct NewTokenQuery {
    #[serde(default)]
    scopes: String,
    #[serde(default)]
    description: String,
}

/// The expiration choices GitHub offers, in days (empty: no expiration).
const EXPIRATIONS: [(&str, &str); 5] = [
    ("7", "7 days"),
    ("30", "30 days"),
    ("60", "60 days"),
    ("90", "90 days"),
    ("", "No expiration"),
];

fn expiration_field() -> String {
    let options: String = EXPIRATIONS
        .iter()
        .map(|(days, label)| {
            let selected = if *days == "30" { " selected" } else { "" };
            format!(r#"<option value="{days}"{selected}>{label}</option>"#)
        })
        .collect();
    format!(
        r#"<p><label for="expiration">Expiration</label> <select id="expiration" name="expiration">{options}</select></p>"#
    )
}

/// `GET /settings/tokens/new`: a classic token, its scopes ticked from the query.
pub(super) async fn new_classic_page(
    State(state): State<Arc<GithubState>>,
    Query(q): Query<NewTokenQuery>,
    headers: HeaderMap,
) -> Response {
    let here = with_query(
        "/settings/tokens/new",
        &[("scopes", &q.scopes), ("description", &q.description)],
    );
    if !matches!(signed_in(&state.db(), &headers), Ok(Some(_))) {
        return to_sign_in(&here);
    }
    let wanted: Vec<&str> = q.scopes.split(',').map(str::trim).collect();
    let boxes: String = CLASSIC_SCOPES
        .iter()
        .map(|(scope, what)| {
            let checked = if wanted.contains(scope) { " checked" } else { "" };
            format!(
                r#"<li><label><input type="checkbox" name="scope" value="{scope}"{checked}> {scope}</label> <span class="muted">{what}</span></li>"#
            )
        })
        .collect();
    page(
        "New personal access token (classic)",
        &format!(
            r#"<form method="post" action="/settings/tokens">
<p><label for="note">Note</label> <input id="note" name="note" value="{note}"></p>
{expiration}
<fieldset><legend>Select scopes</legend><ul>{boxes}</ul></fieldset>
<button type="submit">Generate token</button></form>"#,
            note = esc(&q.description),
            expiration = expiration_field(),
        ),
    )
}

/// `GET /settings/personal-access-tokens/new`: a fine-grained token, with permissions
/// instead of scopes.
pub(super) async fn new_fine_grained_page(
    State(state): State<Arc<GithubState>>,
    headers: HeaderMap,
) -> Response {
    if !matches!(signed_in(&state.db(), &headers), Ok(Some(_))) {
        return to_sign_in("/settings/personal-access-tokens/new");
    }
    page(
        "New fine-grained personal access token",
        &format!(
            r#"<form method="post" action="/settings/personal-access-tokens">
<p><label for="note">Token name</label> <input id="note" name="note"></p>
{expiration}
<fieldset><legend>Account permissions</legend>
<p><label><input type="checkbox" name="permission" value="packages:read"> Packages: read</label></p></fieldset>
<button type="submit">Generate token</button></form>"#,
            expiration = expiration_field(),
        ),
    )
}

/// `POST /settings/tokens` and `POST /settings/personal-access-tokens`: mints the token
/// and shows it, once.
pub(super) async fn create(
    State(state): State<Arc<GithubState>>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    body: String,
) -> Response {
    let db = state.db();
    let Ok(Some(user)) = signed_in(&db, &headers) else {
        return to_sign_in("/settings/tokens");
    };
    let fields = form_pairs(&body);
    let fine_grained = uri.path().ends_with("personal-access-tokens");
    let values = |name: &str| -> Vec<String> {
        fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let grants = if fine_grained {
        values("permission")
    } else {
        values("scope")
    };
    let days = form_field(&fields, "expiration").parse::<i64>().ok();
    let note = form_field(&fields, "note");
    let Ok(token) = create_pat(&db, user.id, fine_grained, &note, &grants, days) else {
        return database_error();
    };
    page(
        "Personal access token created",
        &format!(
            r#"<p role="status">Make sure to copy your personal access token now. You won't be able to see it again!</p>
<p><label for="new-token">New token</label> <input id="new-token" readonly size="50" value="{token}"></p>
<p><a href="/settings/tokens">All your tokens</a></p>"#
        ),
    )
}

/// `GET /settings/tokens`: every token of the signed-in user, with Revoke.
pub(super) async fn list(State(state): State<Arc<GithubState>>, headers: HeaderMap) -> Response {
    let db = state.db();
    let user = match signed_in(&db, &headers) {
        Ok(Some(user)) => user,
        _ => return to_sign_in("/settings/tokens"),
    };
    let Ok(tokens) = pats_of(&db, user.id) else {
        return database_error();
    };
    let rows: String = tokens
        .iter()
        .map(|t| {
            let grants = if t.scopes.is_empty() { "none" } else { &t.scopes };
            let state = if t.revoked {
                "revoked".to_owned()
            } else {
                format!(
                    r#"<form method="post" action="/settings/tokens/{id}/revoke" style="display:inline"><button type="submit">Revoke {note}</button></form>"#,
                    id = t.id,
                    note = esc(&t.note)
                )
            };
            format!(
                "<li><strong>{note}</strong> ({kind}, …{last}): {grants}; expires {expires}. {state}</li>",
                note = esc(&t.note),
                kind = if t.kind == "classic" { "classic" } else { "fine-grained" },
                last = esc(&t.last_four),
                grants = esc(grants),
                expires = esc(t.expires_at.as_deref().unwrap_or("never")),
            )
        })
        .collect();
    let body = if rows.is_empty() {
        "<p>You have no personal access tokens.</p>".to_owned()
    } else {
        format!("<ul>{rows}</ul>")
    };
    page(
        "Personal access tokens",
        &format!(
            r#"{body}<p><a href="/settings/tokens/new">Generate new token (classic)</a> · <a href="/settings/personal-access-tokens/new">Generate new token (fine-grained)</a></p>"#
        ),
    )
}

/// `POST /settings/tokens/{id}/revoke`.
pub(super) async fn revoke(
    State(state): State<Arc<GithubState>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let db = state.db();
    let Ok(Some(user)) = signed_in(&db, &headers) else {
        return to_sign_in("/settings/tokens");
    };
    match revoke_pat(&db, user.id, id) {
        Ok(true) => redirect("/settings/tokens"),
        Ok(false) => error_page(StatusCode::NOT_FOUND, "Not found", "No such token."),
        Err(_) => database_error(),
    }
}

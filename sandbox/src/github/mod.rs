//! A simulated GitHub on its own port, so the connect round trip crosses origins as in
//! production: a seeded world (users, organisations, repositories), the App install
//! page, OAuth consent, and the REST calls Flui makes (served under `/api/v3`, as GitHub
//! Enterprise does).
//!
//! Who is signed in to this GitHub is a cookie set by its own sign-in page, which simply
//! lists the seeded users: a test or a developer picks one.

mod pages;
mod rest;
mod world;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;
use pages::*;
use rest::*;
pub(crate) use world::*;

pub(super) const SESSION_COOKIE: &str = "gh_sim_user";

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

/// `application/x-www-form-urlencoded` pairs, with repeated keys kept (axum's `Form`
/// would need a Vec field per key).
pub(super) fn serde_urlencoded_pairs(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((percent_decode(k)?, percent_decode(v)?))
        })
        .collect()
}

/// The first value of field `name` in decoded form pairs, or "".
pub(super) fn form_field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

pub(super) fn percent_decode(text: &str) -> Option<String> {
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

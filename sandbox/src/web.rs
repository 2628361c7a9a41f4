//! Serves the built dashboard (`dist/`) with an SPA fallback, a generated
//! `/assets/config.json`, and the security headers a deployment should send.

use std::path::Path;
use std::sync::Arc;

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router, routing::get};
use base64::Engine;
use serde_json::json;
use sha2::{Digest, Sha256};
use tower_http::services::ServeDir;

use crate::flui::FluiState;
use crate::options::AuthMode;

pub fn routes(state: Arc<FluiState>, dist: &Path) -> Router {
    let index = get(index_html).with_state::<()>(state.clone());
    Router::new()
        .route("/assets/config.json", get(config_json))
        .route("/", get(index_html))
        .with_state(state)
        .fallback_service(
            ServeDir::new(dist)
                .append_index_html_on_directories(false)
                .fallback(index),
        )
        .layer(axum::middleware::map_response(security_headers))
}

async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    response
}

/// The config the dashboard reads at start-up: the test's override, or one that points
/// the dashboard at this sandbox on the host the browser used.
async fn config_json(State(state): State<Arc<FluiState>>, headers: HeaderMap) -> Response {
    let body = match &state.options.config_json {
        Some(custom) => custom.clone(),
        None => dashboard_config(&state, &own_origin(&headers, &state)),
    };
    let mut response = Json(body).into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The config that points the dashboard at this sandbox's API at `api_origin`: its auth
/// mode, its OpenID Provider (the dashboard's client id there) and its GitHub.
pub(crate) fn dashboard_config(state: &FluiState, api_origin: &str) -> serde_json::Value {
    json!({
        "apiBaseUrl": api_origin,
        "authMode": match state.options.auth_mode { AuthMode::Local => "local", AuthMode::Oidc => "oidc" },
        "oidcIssuer": state.options.oidc_issuer.clone().unwrap_or_default(),
        "oidcClientId": if state.options.oidc_issuer.is_some() { "flui-dashboard" } else { "" },
        "githubUrl": state.github_url(),
    })
}

fn own_origin(headers: &HeaderMap, state: &FluiState) -> String {
    headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .map(|host| format!("http://{host}"))
        .unwrap_or_else(|| state.public_url())
}

async fn index_html(State(state): State<Arc<FluiState>>, headers: HeaderMap) -> Response {
    let Some(dist) = &state.options.dist else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(html) = tokio::fs::read_to_string(dist.join("index.html")).await else {
        return (
            StatusCode::NOT_FOUND,
            "dist/index.html is missing: build the dashboard first",
        )
            .into_response();
    };
    let api_origin = state
        .options
        .config_json
        .as_ref()
        .and_then(|c| c.get("apiBaseUrl"))
        .and_then(|v| v.as_str())
        .map(str::to_owned)
        .unwrap_or_else(|| own_origin(&headers, &state));
    // In OIDC mode the dashboard also reads the provider's discovery and token endpoint.
    let connect = match &state.options.oidc_issuer {
        Some(issuer) => format!("{api_origin} {}", origin_of(issuer)),
        None => api_origin,
    };
    let csp = content_security_policy(&html, &connect, &state.github_url());
    let mut response = (StatusCode::OK, html).into_response();
    let h = response.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(value) = HeaderValue::from_str(&csp) {
        h.insert(CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..]
        .find('/')
        .map_or(url.len(), |i| after_scheme + i);
    &url[..end]
}

/// A strict CSP for the page: scripts only from this origin or the exact inline scripts
/// of `index.html` (by hash), WebAssembly allowed, fetches only to the API, forms only
/// to GitHub (the manifest flow posts there). `connect` lists the origins fetched from.
pub fn content_security_policy(html: &str, connect: &str, github_url: &str) -> String {
    let hashes: Vec<String> = inline_scripts(html)
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; connect-src 'self' {connect}; \
         img-src 'self' data:; style-src 'self'; form-action 'self' {github_url}; base-uri 'none'; \
         object-src 'none'; frame-ancestors 'none'",
        hashes.join(" ")
    )
}

fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, after) = rest.split_once('>')?;
        let (body, _) = after.split_once("</script>")?;
        (!attributes.contains("src=")).then_some(body)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inline_scripts_are_hashed() {
        let html = r#"<script>a()</script><script type="module" src="/x.js"></script><script type="module">b()</script>"#;
        let bodies: Vec<&str> = inline_scripts(html).collect();
        assert_eq!(bodies, vec!["a()", "b()"]);
        let csp = content_security_policy(html, "http://127.0.0.1:1", "https://github.com");
        assert_eq!(csp.matches("'sha256-").count(), 2);
        assert!(csp.contains("connect-src 'self' http://127.0.0.1:1"));
        assert!(csp.contains("form-action 'self' https://github.com"));
    }
}

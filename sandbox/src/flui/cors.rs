//! Flui's CORS rule (`enableCors({origin: delegate, credentials: true})`): the request's
//! Origin is reflected when it is the dashboard's URL, listed in `CORS_ORIGINS`, on the
//! API's apex domain over https, or localhost outside production.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::FluiState;
use crate::options::SandboxOptions;

/// Whether Flui would reflect `origin`.
pub fn origin_allowed(origin: &str, options: &SandboxOptions) -> bool {
    let origin = origin.trim_end_matches('/');
    if options.frontend_url.as_deref().map(|u| u.trim_end_matches('/')) == Some(origin) {
        return true;
    }
    if options
        .cors_origins
        .iter()
        .any(|o| o.trim().trim_end_matches('/') == origin)
    {
        return true;
    }
    if let Some(apex) = options.api_base_url.as_deref().and_then(apex_of)
        && let Some(host) = origin.strip_prefix("https://")
        && (host == apex || host.ends_with(&format!(".{apex}")))
    {
        return true;
    }
    !options.production && is_localhost(origin)
}

fn is_localhost(origin: &str) -> bool {
    let Some(rest) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    match rest.strip_prefix("localhost") {
        Some("") => true,
        Some(port) => port
            .strip_prefix(':')
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())),
        None => false,
    }
}

/// The last two labels of the API's host: `api.flui.example` → `flui.example`.
fn apex_of(url: &str) -> Option<String> {
    let host = url.split_once("://")?.1.split(['/', ':']).next()?;
    let labels: Vec<&str> = host.split('.').collect();
    (labels.len() >= 2).then(|| labels[labels.len() - 2..].join("."))
}

/// Reflects a trusted Origin. A preflight from an untrusted one is not answered here: it
/// goes on to the routes, and gets their JSON 404, as on Flui.
pub async fn cors(State(state): State<Arc<FluiState>>, request: Request, next: Next) -> Response {
    let origin = request
        .headers()
        .get(ORIGIN)
        .and_then(|o| o.to_str().ok())
        .filter(|o| origin_allowed(o, &state.options))
        .and_then(|o| HeaderValue::from_str(o).ok());
    let preflight = origin.is_some()
        && request.method() == Method::OPTIONS
        && request.headers().contains_key(ACCESS_CONTROL_REQUEST_METHOD);
    let requested_headers = request.headers().get(ACCESS_CONTROL_REQUEST_HEADERS).cloned();

    let mut response = if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    headers.append(VARY, HeaderValue::from_static("Origin"));
    // Flui sends this on every response, with or without an Origin.
    headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
    if let Some(origin) = origin {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        if preflight {
            headers.insert(
                ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET,HEAD,PUT,PATCH,POST,DELETE"),
            );
            if let Some(requested) = requested_headers {
                headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, requested);
            }
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> SandboxOptions {
        SandboxOptions {
            frontend_url: Some("https://app.example.com".into()),
            cors_origins: vec!["https://admin.other.test".into()],
            api_base_url: Some("https://api.flui.example".into()),
            ..SandboxOptions::default()
        }
    }

    #[test]
    fn flui_reflects_the_origins_it_trusts() {
        let o = options();
        assert!(origin_allowed("https://app.example.com", &o));
        assert!(origin_allowed("https://admin.other.test", &o));
        assert!(origin_allowed("https://flui.example", &o));
        assert!(origin_allowed("https://dash.flui.example", &o));
        assert!(origin_allowed("http://localhost:4200", &o));
        assert!(origin_allowed("http://localhost", &o));
    }

    #[test]
    fn other_origins_get_no_cors_headers() {
        let o = options();
        assert!(
            !origin_allowed("http://dash.flui.example", &o),
            "apex rule is https only"
        );
        assert!(!origin_allowed("https://flui.example.evil.test", &o));
        assert!(!origin_allowed("https://evilflui.example", &o));
        assert!(!origin_allowed("http://localhost.evil.test", &o));
        assert!(!origin_allowed("http://localhost:80x", &o));
        assert!(!origin_allowed("http://127.0.0.1:4200", &o));
        let production = SandboxOptions {
            production: true,
            ..options()
        };
        assert!(!origin_allowed("http://localhost:4200", &production));
    }
}

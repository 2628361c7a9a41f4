//! The fault switch: per route, an answer no healthy Flui gives, for the tests of how the
//! dashboard survives bad networks and bad data. Off unless a test sets it
//! ([`crate::Sandbox::fault`]); the route still counts the request.

use std::sync::Mutex;
use std::time::Duration;

use axum::body::Body;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;

/// What the route answers instead of itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The status with Flui's JSON error body for it (401 the guard's, 500 the bare one).
    Status(u16),
    /// 429 from Flui's throttler, with `retry-after` in seconds.
    TooManyRequests { retry_after: u64 },
    /// A proxy's HTML error page with this status, instead of JSON.
    HtmlPage(u16),
    /// No answer for two minutes: beyond the client's patience.
    Hang,
    /// The connection drops after the status line, before the body.
    Drop,
    /// 200 with JSON cut short.
    TruncatedJson,
    /// 200 with valid JSON of the wrong shape: a list where an object belongs (and objects
    /// in it with fields of the wrong types where a list belongs).
    WrongShape,
    /// 200 with `{}`: every field missing (a route whose fields are all optional may
    /// rightly accept it).
    MissingFields,
    /// 200 with this JSON: data a test made up (hostile names, URLs).
    Json(&'static str),
}

struct Rule {
    method: String,
    path: String,
    fault: Fault,
    /// How many more requests it answers; `None`: until cleared.
    times: Option<u32>,
}

#[derive(Default)]
pub struct Faults(Mutex<Vec<Rule>>);

impl Faults {
    /// `method path` (the path with `/api/v1`) answers `fault`, `times` times or until
    /// cleared; a new fault for the same route replaces the old one.
    pub fn set(&self, method: &str, path: &str, fault: Fault, times: Option<u32>) {
        let mut rules = self.0.lock().unwrap_or_else(|p| p.into_inner());
        rules.retain(|r| !(r.method == method && r.path == path));
        rules.push(Rule {
            method: method.to_owned(),
            path: path.to_owned(),
            fault,
            times,
        });
    }

    pub fn clear(&self) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// The fault for this request, if one is set (and counts it).
    pub fn take(&self, method: &str, path: &str) -> Option<Fault> {
        let mut rules = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let index = rules.iter().position(|r| r.method == method && r.path == path)?;
        let fault = rules[index].fault;
        match &mut rules[index].times {
            Some(1) => {
                rules.remove(index);
            }
            Some(n) => *n -= 1,
            None => {}
        }
        Some(fault)
    }
}

/// The faulty answer.
pub async fn answer(fault: Fault) -> Response {
    match fault {
        Fault::Status(401) => ApiError::guard_unauthorized().into_response(),
        Fault::Status(500) => ApiError::uncaught().into_response(),
        Fault::Status(code) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let message = match code {
                403 => "Missing required permission: integration:manage",
                404 => "Not found",
                409 => "Conflict",
                _ => status.canonical_reason().unwrap_or("Error"),
            };
            ApiError::new(status, message).into_response()
        }
        Fault::TooManyRequests { retry_after } => ApiError::too_many_requests(retry_after).into_response(),
        Fault::HtmlPage(code) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_GATEWAY);
            let title = format!("{} {}", status.as_u16(), status.canonical_reason().unwrap_or(""));
            (
                status,
                [("content-type", "text/html")],
                format!("<html><head><title>{title}</title></head><body><center><h1>{title}</h1></center><hr><center>nginx</center></body></html>"),
            )
                .into_response()
        }
        Fault::Hang => {
            tokio::time::sleep(Duration::from_secs(120)).await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
        Fault::Drop => {
            // The status line goes out, then the body fails: the server closes the
            // connection mid-answer.
            let failing = futures_util::stream::once(async {
                Err::<axum::body::Bytes, _>(std::io::Error::other("connection dropped by the fault switch"))
            });
            (
                StatusCode::OK,
                [("content-type", "application/json")],
                Body::from_stream(failing),
            )
                .into_response()
        }
        Fault::TruncatedJson => (
            StatusCode::OK,
            [("content-type", "application/json")],
            r#"{"connected":true,"items":[{"id":"1","na"#,
        )
            .into_response(),
        Fault::WrongShape => (
            StatusCode::OK,
            [("content-type", "application/json")],
            r#"[{"id":{},"name":[],"fullName":7,"connected":"yes","permissions":5,"isAdmin":"no"}]"#,
        )
            .into_response(),
        Fault::MissingFields => {
            (StatusCode::OK, [("content-type", "application/json")], "{}").into_response()
        }
        Fault::Json(body) => (StatusCode::OK, [("content-type", "application/json")], body).into_response(),
    }
}

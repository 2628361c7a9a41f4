//! Flui's error body (`HttpExceptionFilter`): `{statusCode, message, error, timestamp}`,
//! where `message` is a string, or an array of strings for validation failures, and
//! `error` is the exception's label, or "Error" when it has none (a guard's bare 401, the
//! throttler's 429).

use axum::Json;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::util::now_iso;

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: Value,
    /// `None`: the status's reason phrase ("Bad Request", "Not Found" …).
    label: Option<&'static str>,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// `code` and the fields the filter passes through by name (`proposalId` …).
    fields: Option<Value>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: Value::String(message.into()),
            label: None,
            headers: Vec::new(),
            fields: None,
        }
    }

    /// 400 from class-validator: `message` is an array.
    pub fn validation(messages: Vec<String>) -> Self {
        Self {
            message: json!(messages),
            ..Self::new(StatusCode::BAD_REQUEST, "")
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// `new UnauthorizedException(message)`: labelled "Unauthorized".
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }

    /// The global guard's refusal: a bare exception, so the filter labels it "Error".
    pub fn guard_unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "Unauthorized").labelled("Error")
    }

    /// The throttler's refusal, with the `retry-after` a real Flui sends.
    pub fn too_many_requests(retry_after_secs: u64) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "ThrottlerException: Too Many Requests",
        )
        .labelled("Error")
        .with_header(
            HeaderName::from_static("retry-after"),
            HeaderValue::from(retry_after_secs),
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// An exception Nest does not know (a failed call to GitHub, a database error): the
    /// bare 500 of [`internal_server_error`].
    pub fn uncaught() -> Self {
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: Value::Null,
            label: None,
            headers: Vec::new(),
            fields: None,
        }
    }

    /// Adds `code` and pass-through fields (an object) to the body.
    pub fn with_fields(mut self, fields: Value) -> Self {
        self.fields = Some(fields);
        self
    }

    fn labelled(mut self, label: &'static str) -> Self {
        self.label = Some(label);
        self
    }

    fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }
}

/// What NestJS answers for errors that are not HttpExceptions: no `error`, no `timestamp`.
pub fn internal_server_error() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(json!({ "statusCode": 500, "message": "Internal server error" })),
    )
        .into_response()
}

/// A failed query is the sandbox's own fault: it answers as Nest does for an uncaught
/// exception (a null message stands for that).
impl From<rusqlite::Error> for ApiError {
    fn from(err: rusqlite::Error) -> Self {
        eprintln!("sandbox: database error: {err}");
        Self::uncaught()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.message.is_null() {
            return internal_server_error();
        }
        let mut body = json!({
            "statusCode": self.status.as_u16(),
            "message": self.message,
            "error": self.label.or(self.status.canonical_reason()).unwrap_or("Error"),
            "timestamp": now_iso(),
        });
        if let (Some(Value::Object(fields)), Value::Object(out)) = (self.fields, &mut body) {
            out.extend(fields);
        }
        let mut response = (self.status, Json(body)).into_response();
        for (name, value) in self.headers {
            response.headers_mut().insert(name, value);
        }
        response
    }
}

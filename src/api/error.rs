//! The one error type every API call returns, built from Flui's error body.

use serde::Deserialize;

/// What went wrong with a call to the Flui API, in terms a page can act on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// 401: not signed in, or the session ran out and could not be refreshed.
    #[error("Your session has ended. Sign in again.")]
    Unauthorized,
    /// 403: signed in, but without the right to do this.
    #[error("{0}")]
    Forbidden(String),
    /// 404, with the server's message.
    #[error("{0}")]
    NotFound(String),
    /// 400 (or 422): the request was refused; `message` may be one string or a list.
    #[error("{}", .0.join(" "))]
    Validation(Vec<String>),
    /// 429: too many attempts in a short time.
    #[error("Too many attempts. Wait a minute and try again.")]
    TooManyRequests,
    /// Any other refusal or failure reported by the server.
    #[error("The Flui API answered {status}: {message}")]
    Server { status: u16, message: String },
    /// The request never got an answer (offline, DNS, CORS, server down).
    #[error(
        "The Flui API at {0} could not be reached. Check your connection, or whether the API allows this dashboard's origin (CORS)."
    )]
    Network(String),
    /// The server answered with something that is not what the contract promises.
    #[error("The Flui API sent a response this dashboard does not understand ({0}).")]
    Decode(String),
    /// The page that made the request went away; nobody is waiting for the answer.
    #[error("The request was cancelled.")]
    Aborted,
}

impl ApiError {
    /// Builds the error for a non-success status from the response body, which is
    /// Flui's `{statusCode, message, error}` when the server produced it, and may be
    /// anything (an HTML page from a proxy, nothing at all) when it did not.
    pub fn from_response(status: u16, body: &str) -> Self {
        let parsed = serde_json::from_str::<ErrorBody>(body).ok();
        let messages: Vec<String> = parsed
            .as_ref()
            .map(|b| b.message.clone().into_vec())
            .unwrap_or_default()
            .into_iter()
            .map(|m| m.trim().to_owned())
            .filter(|m| !m.is_empty())
            .collect();
        let first = || {
            messages
                .first()
                .cloned()
                .unwrap_or_else(|| default_message(status).to_owned())
        };
        match status {
            401 => Self::Unauthorized,
            403 => Self::Forbidden(first()),
            404 => Self::NotFound(first()),
            400 | 422 => Self::Validation(if messages.is_empty() {
                vec![default_message(status).to_owned()]
            } else {
                messages
            }),
            429 => Self::TooManyRequests,
            _ => Self::Server {
                status,
                message: if messages.is_empty() {
                    default_message(status).to_owned()
                } else {
                    messages.join(" ")
                },
            },
        }
    }

    /// Whether this error means the GitHub integration is not set up on the instance
    /// (the CLI's rule: 400, 404 or 503 mentioning "not configured", "callback url" or
    /// "client_id").
    pub fn is_integration_not_set_up(&self) -> bool {
        let text = match self {
            Self::Validation(messages) => messages.join(" "),
            Self::NotFound(message) => message.clone(),
            Self::Server { status: 503, message } => message.clone(),
            _ => return false,
        }
        .to_lowercase();
        ["not configured", "callback url", "client_id"]
            .iter()
            .any(|k| text.contains(k))
    }

    /// The messages to list under a form, one per line.
    pub fn messages(&self) -> Vec<String> {
        match self {
            Self::Validation(messages) => messages.clone(),
            other => vec![other.to_string()],
        }
    }
}

fn default_message(status: u16) -> &'static str {
    match status {
        400 => "The request was refused.",
        403 => "You do not have the rights to do this.",
        404 => "Not found.",
        500..=599 => "The server failed to handle the request.",
        _ => "The request failed.",
    }
}

/// Flui's error body (its global `HttpExceptionFilter`).
#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    message: OneOrMany,
}

#[derive(Clone, Default, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
    #[default]
    #[serde(skip)]
    Nothing,
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            Self::One(one) => vec![one],
            Self::Many(many) => many,
            Self::Nothing => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_keep_every_message() {
        let body = r#"{"statusCode":400,"message":["token must not be empty","Token must start with ghp_ or github_pat_"],"error":"Bad Request","timestamp":"2026-11-25T00:00:00.000Z"}"#;
        assert_eq!(
            ApiError::from_response(400, body),
            ApiError::Validation(vec![
                "token must not be empty".into(),
                "Token must start with ghp_ or github_pat_".into()
            ])
        );
    }

    #[test]
    fn a_single_string_message_is_one_validation_message() {
        let body = r#"{"statusCode":400,"message":"Invalid credentials","error":"Bad Request"}"#;
        assert_eq!(
            ApiError::from_response(400, body).messages(),
            vec!["Invalid credentials".to_owned()]
        );
    }

    #[test]
    fn forbidden_and_not_found_carry_the_server_message() {
        let body = r#"{"statusCode":403,"message":"Missing required permission: integration:manage","error":"Forbidden"}"#;
        assert_eq!(
            ApiError::from_response(403, body),
            ApiError::Forbidden("Missing required permission: integration:manage".into())
        );
        let body = r#"{"statusCode":404,"message":"Repository not found","error":"Not Found"}"#;
        assert_eq!(
            ApiError::from_response(404, body),
            ApiError::NotFound("Repository not found".into())
        );
    }

    #[test]
    fn a_body_that_is_not_flui_json_still_gives_a_readable_error() {
        let err = ApiError::from_response(502, "<html><body>Bad Gateway</body></html>");
        assert_eq!(
            err,
            ApiError::Server {
                status: 502,
                message: "The server failed to handle the request.".into()
            }
        );
        assert_eq!(
            ApiError::from_response(400, ""),
            ApiError::Validation(vec!["The request was refused.".into()])
        );
        assert_eq!(ApiError::from_response(401, "nonsense"), ApiError::Unauthorized);
    }

    #[test]
    fn not_configured_answers_are_recognised_like_the_cli_does() {
        let body = r#"{"statusCode":400,"message":"GitHub App callback URL is not configured. ...","error":"Bad Request"}"#;
        assert!(ApiError::from_response(400, body).is_integration_not_set_up());
        let body = r#"{"statusCode":503,"message":"GitHub integration not configured","error":"Service Unavailable"}"#;
        assert!(ApiError::from_response(503, body).is_integration_not_set_up());
        let body = r#"{"statusCode":400,"message":"claim is required","error":"Bad Request"}"#;
        assert!(!ApiError::from_response(400, body).is_integration_not_set_up());
        assert!(!ApiError::Network("x".into()).is_integration_not_set_up());
    }

    #[test]
    fn nest_default_500_body_is_understood() {
        let err = ApiError::from_response(500, r#"{"statusCode":500,"message":"Internal server error"}"#);
        assert_eq!(
            err.to_string(),
            "The Flui API answered 500: Internal server error"
        );
    }
}

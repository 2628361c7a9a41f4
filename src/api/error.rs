//! The one error type every API call returns, built from Flui's error body as far as it
//! goes. It says what went wrong in terms a page can act on ([`ApiError::kind`]) and keeps
//! everything Flui said; the words a user reads come from `ui::error_words`.

use miniserde::json::{self, Object, Value};

/// What went wrong with a call to the Flui API.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The API answered with an error status.
    Http(Box<HttpError>),
    /// No answer at all (offline, DNS, CORS refused, server down). Holds the API's origin.
    Network(String),
    /// No answer within the client's patience (a hung server or connection). Holds the
    /// API's origin.
    Timeout(String),
    /// OIDC: the sign-in service (the OpenID Provider) did not answer a refresh. Holds
    /// its host.
    SignInService(String),
    /// An answer that is not what the contract promises.
    Decode(String),
    /// The page that made the request went away; nobody is waiting for the answer.
    Aborted,
}

/// An error status and what Flui's body said about it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HttpError {
    pub status: u16,
    /// `message`: one string, or one per validation failure. Empty when the body was not
    /// Flui's (an HTML page from a proxy, nothing at all).
    pub messages: Vec<String>,
    /// Flui's machine-readable `code`, when it sent one.
    pub code: Option<String>,
    /// `Retry-After` in seconds (429), when the browser let the page read it.
    pub retry_after: Option<u32>,
    /// The fields Flui passes through for an action that needs a decision first.
    pub approval: Option<Approval>,
}

/// The pass-through fields of Flui's error body (`proposalId`, `sentence`, `decideUrl` …):
/// an action the API did not run because someone must approve it first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Approval {
    pub proposal_id: Option<String>,
    pub action: Option<String>,
    /// One sentence on what would happen.
    pub sentence: Option<String>,
    pub consequence: Option<String>,
    /// Where a person decides.
    pub decide_url: Option<String>,
    pub expires_at: Option<String>,
    pub offers_always: Option<bool>,
    pub estimate_ref: Option<String>,
    /// The fields of any JSON type, kept as the JSON text Flui sent.
    pub data_directory_detected: Option<String>,
    pub writers_at_start: Option<String>,
    pub options: Option<String>,
}

impl Approval {
    /// The pass-through fields of an error body, when it has any that ask for a decision.
    fn from_body(body: &Object) -> Option<Self> {
        let text = |key: &str| match body.get(key) {
            Some(Value::String(text)) => Some(text.clone()),
            _ => None,
        };
        let raw = |key: &str| body.get(key).map(json::to_string);
        let approval = Self {
            proposal_id: text("proposalId"),
            action: text("action"),
            sentence: text("sentence"),
            consequence: text("consequence"),
            decide_url: text("decideUrl"),
            expires_at: text("expiresAt"),
            offers_always: match body.get("offersAlways") {
                Some(Value::Bool(b)) => Some(*b),
                _ => None,
            },
            estimate_ref: text("estimateRef"),
            data_directory_detected: raw("dataDirectoryDetected"),
            writers_at_start: raw("writersAtStart"),
            options: raw("options"),
        };
        (approval.proposal_id.is_some() || approval.decide_url.is_some() || approval.sentence.is_some())
            .then_some(approval)
    }
}

/// What kind of failure, for pages that act differently on each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// 401: not signed in, or the session ran out and could not be refreshed.
    Unauthorized,
    /// 403: signed in, without the right to do this.
    Forbidden,
    /// 404.
    NotFound,
    /// 400 or 422: the request was refused as it stands.
    Invalid,
    /// 429: too many attempts in a short time.
    TooManyRequests,
    /// The API wants someone to approve the action first.
    NeedsApproval,
    /// 5xx, or any other status.
    Server,
    Network,
    Decode,
    Aborted,
}

impl ApiError {
    /// An error status with one message, as Flui would send it.
    pub fn http(status: u16, message: &str) -> Self {
        Self::Http(Box::new(HttpError {
            status,
            messages: vec![message.to_owned()],
            ..HttpError::default()
        }))
    }

    /// The session is over (the server refused it, and a refresh did not help).
    pub fn unauthorized() -> Self {
        Self::Http(Box::new(HttpError {
            status: 401,
            ..HttpError::default()
        }))
    }

    /// Builds the error for a non-success status from the response body, which is
    /// Flui's `{statusCode, message, error, code, …}` when Flui produced it, and may be
    /// anything when it did not.
    pub fn from_response(status: u16, body: &str) -> Self {
        let body = match json::from_str::<Value>(body) {
            Ok(Value::Object(map)) => map,
            _ => Object::new(),
        };
        fn as_text(value: &Value) -> Option<&str> {
            match value {
                Value::String(text) => Some(text),
                _ => None,
            }
        }
        // `message`: one string, or one per validation failure; anything else is no message.
        let messages = match body.get("message") {
            Some(Value::String(one)) => vec![one.as_str()],
            Some(Value::Array(many)) => many
                .iter()
                .map(as_text)
                .collect::<Option<Vec<_>>>()
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        Self::Http(Box::new(HttpError {
            status,
            messages: messages
                .into_iter()
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(str::to_owned)
                .collect(),
            code: body
                .get("code")
                .and_then(as_text)
                .filter(|c| !c.is_empty())
                .map(str::to_owned),
            approval: Approval::from_body(&body),
            retry_after: None,
        }))
    }

    /// Notes the `Retry-After` header's seconds (a date, or nothing readable, is ignored).
    pub fn with_retry_after(mut self, header: Option<&str>) -> Self {
        if let Self::Http(http) = &mut self {
            http.retry_after = header.and_then(|h| h.trim().parse().ok());
        }
        self
    }

    /// How long Flui asked to wait before trying again, in seconds, when it said so.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            Self::Http(http) if http.status == 429 => http.retry_after,
            _ => None,
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Http(e) if e.approval.is_some() => ErrorKind::NeedsApproval,
            Self::Http(e) => match e.status {
                401 => ErrorKind::Unauthorized,
                403 => ErrorKind::Forbidden,
                404 => ErrorKind::NotFound,
                400 | 422 => ErrorKind::Invalid,
                429 => ErrorKind::TooManyRequests,
                _ => ErrorKind::Server,
            },
            Self::Network(_) | Self::SignInService(_) | Self::Timeout(_) => ErrorKind::Network,
            Self::Decode(_) => ErrorKind::Decode,
            Self::Aborted => ErrorKind::Aborted,
        }
    }

    /// The HTTP status, when there was an answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Http(e) => Some(e.status),
            _ => None,
        }
    }

    /// What Flui said, one line per message (a validation failure may have several).
    pub fn messages(&self) -> &[String] {
        match self {
            Self::Http(e) => &e.messages,
            _ => &[],
        }
    }

    /// Flui's words in one line, when it said anything.
    pub fn message(&self) -> Option<String> {
        let messages = self.messages();
        (!messages.is_empty()).then(|| messages.join(" "))
    }

    /// Whether the server said exactly `text` (trimmed), in its only message.
    pub fn says(&self, text: &str) -> bool {
        matches!(self.messages(), [only] if only == text)
    }

    pub fn is_unauthorized(&self) -> bool {
        self.kind() == ErrorKind::Unauthorized
    }

    /// Whether this error means the GitHub integration is not set up on the instance
    /// (the CLI's rule: 400, 404 or 503 mentioning "not configured", "callback url" or
    /// "client_id").
    pub fn is_integration_not_set_up(&self) -> bool {
        if !matches!(self.status(), Some(400 | 404 | 503)) {
            return false;
        }
        let text = self.messages().join(" ").to_ascii_lowercase();
        ["not configured", "callback url", "client_id"]
            .iter()
            .any(|k| text.contains(k))
    }
}

impl std::fmt::Display for ApiError {
    /// A short summary for logs and tests; people read `ui::error_words` instead.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Http(e) => write!(f, "HTTP {}: {}", e.status, e.messages.join(" ")),
            Self::Network(origin) | Self::SignInService(origin) => write!(f, "no answer from {origin}"),
            Self::Timeout(origin) => write!(f, "no answer in time from {origin}"),
            Self::Decode(why) => write!(f, "unexpected answer: {why}"),
            Self::Aborted => f.write_str("cancelled"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(status: u16, body: &str) -> (ErrorKind, Vec<String>) {
        let error = ApiError::from_response(status, body);
        (error.kind(), error.messages().to_vec())
    }

    /// Bodies of every shape the contract lists (§0, §8, §10), as a real Flui sends them.
    #[test]
    fn every_body_the_contract_lists_decodes() {
        let cases: &[(u16, &str, ErrorKind, &[&str])] = &[
            (
                400,
                r#"{"statusCode":400,"message":["expiresAt must be a valid ISO 8601 date string","Token must start with ghp_ or github_pat_"],"error":"Bad Request","timestamp":"2026-11-25T00:00:00.000Z"}"#,
                ErrorKind::Invalid,
                &[
                    "expiresAt must be a valid ISO 8601 date string",
                    "Token must start with ghp_ or github_pat_",
                ],
            ),
            // A malformed JSON body: one string (§10).
            (
                400,
                r#"{"statusCode":400,"message":"Unexpected token } in JSON at position 9","error":"Bad Request","timestamp":"2026-11-25T00:00:00.000Z"}"#,
                ErrorKind::Invalid,
                &["Unexpected token } in JSON at position 9"],
            ),
            // The guard's 401 (§10), and wrong credentials.
            (
                401,
                r#"{"statusCode":401,"message":"Unauthorized","error":"Error","timestamp":"2026-11-25T00:00:00.000Z"}"#,
                ErrorKind::Unauthorized,
                &["Unauthorized"],
            ),
            (
                401,
                r#"{"statusCode":401,"message":"Invalid credentials","error":"Unauthorized","timestamp":"2026-11-25T00:00:00.000Z"}"#,
                ErrorKind::Unauthorized,
                &["Invalid credentials"],
            ),
            (
                403,
                r#"{"statusCode":403,"message":"Missing required permission: integration:manage","error":"Forbidden","timestamp":"2026-11-25T00:00:00.000Z"}"#,
                ErrorKind::Forbidden,
                &["Missing required permission: integration:manage"],
            ),
            (
                403,
                r#"{"statusCode":403,"message":"Admin access required","error":"Forbidden","timestamp":"2026-11-25T00:00:00.000Z"}"#,
                ErrorKind::Forbidden,
                &["Admin access required"],
            ),
            (
                404,
                r#"{"statusCode":404,"message":"Repository not found","error":"Not Found","timestamp":"2026-11-25T00:00:00.000Z"}"#,
                ErrorKind::NotFound,
                &["Repository not found"],
            ),
            (
                404,
                r#"{"statusCode":404,"message":"Cannot GET /api/v1/me/permissions","error":"Not Found","timestamp":"2026-11-25T00:00:00.000Z"}"#,
                ErrorKind::NotFound,
                &["Cannot GET /api/v1/me/permissions"],
            ),
            (
                429,
                r#"{"statusCode":429,"message":"ThrottlerException: Too Many Requests","error":"Error","timestamp":"2026-11-25T00:00:00.000Z"}"#,
                ErrorKind::TooManyRequests,
                &["ThrottlerException: Too Many Requests"],
            ),
            // NestJS's default for errors that are not HttpExceptions: no error, no timestamp.
            (
                500,
                r#"{"statusCode":500,"message":"Internal server error"}"#,
                ErrorKind::Server,
                &["Internal server error"],
            ),
            (
                503,
                r#"{"statusCode":503,"message":"GitHub integration not configured","error":"Service Unavailable","timestamp":"2026-11-25T00:00:00.000Z"}"#,
                ErrorKind::Server,
                &["GitHub integration not configured"],
            ),
            // Not Flui at all.
            (
                502,
                "<html><body>Bad Gateway</body></html>",
                ErrorKind::Server,
                &[],
            ),
            (400, "", ErrorKind::Invalid, &[]),
            (401, "nonsense", ErrorKind::Unauthorized, &[]),
            (500, r#"{"message":42}"#, ErrorKind::Server, &[]),
            (418, "[1,2]", ErrorKind::Server, &[]),
        ];
        for (status, body, kind, messages) in cases {
            assert_eq!(
                refused(*status, body),
                (*kind, messages.iter().map(|m| m.to_string()).collect()),
                "{status} {body}"
            );
        }
    }

    #[test]
    fn code_and_pass_through_fields_are_kept() {
        let body = r#"{"statusCode":409,"message":"This action needs approval","error":"Conflict","code":"ACTION_NEEDS_APPROVAL",
            "proposalId":"p-1","action":"repositories.import","sentence":"Connect acme/api to this instance.","offersAlways":true,
            "consequence":"Builds will read acme/api.","decideUrl":"https://flui.example/decide/p-1","expiresAt":"2026-11-26T00:00:00.000Z",
            "estimateRef":"e-9","dataDirectoryDetected":false,"writersAtStart":["a"],"options":{"x":1},"timestamp":"2026-11-25T00:00:00.000Z"}"#;
        let error = ApiError::from_response(409, body);
        assert_eq!(error.kind(), ErrorKind::NeedsApproval);
        let ApiError::Http(http) = &error else {
            panic!("an HTTP error")
        };
        assert_eq!(http.code.as_deref(), Some("ACTION_NEEDS_APPROVAL"));
        let approval = http.approval.as_ref().expect("the approval fields");
        assert_eq!(approval.proposal_id.as_deref(), Some("p-1"));
        assert_eq!(
            approval.decide_url.as_deref(),
            Some("https://flui.example/decide/p-1")
        );
        assert_eq!(
            approval.sentence.as_deref(),
            Some("Connect acme/api to this instance.")
        );
        assert_eq!(approval.offers_always, Some(true));
        assert_eq!(approval.writers_at_start.as_deref(), Some(r#"["a"]"#));
        assert_eq!(approval.options.as_deref(), Some(r#"{"x":1}"#));
        // A plain 409 with only a code is not an approval.
        let error = ApiError::from_response(409, r#"{"statusCode":409,"message":"Busy","code":"BUSY"}"#);
        assert_eq!(error.kind(), ErrorKind::Server);
    }

    #[test]
    fn not_configured_answers_are_recognised_like_the_cli_does() {
        let not_set_up = |status, message| ApiError::http(status, message).is_integration_not_set_up();
        assert!(not_set_up(400, "GitHub App callback URL is not configured. ..."));
        assert!(not_set_up(
            400,
            "GitHub App client_id is not configured. Set GITHUB_APP_CLIENT_ID ..."
        ));
        assert!(not_set_up(503, "GitHub integration not configured"));
        assert!(!not_set_up(400, "claim is required"));
        assert!(!not_set_up(500, "not configured"));
        assert!(!ApiError::Network("x".into()).is_integration_not_set_up());
    }

    #[test]
    fn says_matches_the_whole_message_only() {
        let error = ApiError::http(403, "This GitHub connection was started by someone else.");
        assert!(error.says("This GitHub connection was started by someone else."));
        assert!(!error.says("started by someone else"));
        assert!(!ApiError::Aborted.says(""));
    }
}

//! The one mapping from [`ApiError`] to words: what happened, what to do next, Flui's own
//! words as detail, and a link when one helps. Every page, row, notice and form uses it;
//! none shows a bare status code or the server's text alone.

use super::links::safe_link;
use crate::api::{ApiError, ErrorKind};

/// An error, in words a user can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorWords {
    /// What happened, in one sentence.
    pub what: String,
    /// What to do next.
    pub next: String,
    /// What Flui itself said, one line each (a validation failure lists every problem).
    pub details: Vec<String>,
    /// A page that helps (where to decide on an action that needs approval).
    pub link: Option<ErrorLink>,
    /// Whether trying the same again may help, so a Retry button makes sense.
    pub retry: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorLink {
    pub label: &'static str,
    pub href: String,
}

/// Who can grant rights: said wherever rights are missing.
const ASK_AN_ADMIN: &str = "Ask an administrator of this Flui instance";

pub fn explain(error: &ApiError) -> ErrorWords {
    let mut words = ErrorWords {
        what: String::new(),
        next: String::new(),
        details: error.messages().to_vec(),
        link: None,
        retry: false,
    };
    let (what, next): (String, String) = match error.kind() {
        ErrorKind::Unauthorized => (
            "Your session has ended.".into(),
            "Sign in again to continue.".into(),
        ),
        ErrorKind::Forbidden => match missing_permission(error) {
            Some(permission) => (
                format!("Your account does not have the {permission} permission this needs."),
                format!("{ASK_AN_ADMIN} to grant it to you, or to do this for you."),
            ),
            None => (
                "This needs admin rights on this Flui instance.".into(),
                format!("{ASK_AN_ADMIN} to do this for you, or to give your account admin rights."),
            ),
        },
        ErrorKind::NotFound => (
            "Flui could not find what this asked for.".into(),
            "It may have been removed meanwhile: reload the page and try again.".into(),
        ),
        ErrorKind::Invalid => (
            if words.details.len() > 1 {
                "Flui refused the request for these reasons:".into()
            } else {
                "Flui refused the request.".into()
            },
            "Correct what Flui reports and try again.".into(),
        ),
        ErrorKind::TooManyRequests => {
            words.retry = true;
            // The throttler's own words add nothing.
            words.details.clear();
            (
                "Flui received too many requests from here in a short time.".into(),
                match error.retry_after() {
                    Some(0 | 1) => "Wait a second, then try again.".into(),
                    Some(seconds) if seconds < 60 => format!("Wait {seconds} seconds, then try again."),
                    _ => "Wait a minute, then try again.".into(),
                },
            )
        }
        ErrorKind::NeedsApproval => {
            let approval = match error {
                ApiError::Http(http) => http.approval.clone().unwrap_or_default(),
                _ => Default::default(),
            };
            words.link = approval
                .decide_url
                .and_then(|url| safe_link(&url, None))
                .map(|href| ErrorLink {
                    label: "Review and decide",
                    href,
                });
            if let Some(sentence) = approval.sentence.filter(|s| !s.trim().is_empty()) {
                words.details.insert(0, sentence);
            }
            (
                "This action needs approval before Flui runs it.".into(),
                if words.link.is_some() {
                    "Someone allowed to decide must approve it; then try again.".into()
                } else {
                    format!("{ASK_AN_ADMIN} to approve it; then try again.")
                },
            )
        }
        ErrorKind::Server => {
            words.retry = true;
            let status = error.status().unwrap_or(500);
            (
                format!("The Flui API failed to handle the request (it answered HTTP {status})."),
                "Try again in a moment. If it keeps failing, tell your administrator.".into(),
            )
        }
        ErrorKind::Network => {
            words.retry = true;
            match error {
                ApiError::Timeout(origin) => (
                    format!(
                        "The Flui API at {origin} did not answer within {} seconds.",
                        crate::api::PATIENCE_MS / 1000
                    ),
                    "It may be overloaded, or the connection may be stalling: try again in a moment. If it keeps happening, tell your administrator.".into(),
                ),
                ApiError::SignInService(host) => (
                    format!("The sign-in service at {host} could not be reached to renew your session."),
                    "Check your connection and try again. If it keeps failing, tell your administrator."
                        .into(),
                ),
                other => {
                    let origin = match other {
                        ApiError::Network(origin) => origin.as_str(),
                        _ => "",
                    };
                    (
                        format!("The Flui API at {origin} could not be reached."),
                        "Check your connection and try again. If the API is running, it may not allow this dashboard's address (CORS): tell your administrator.".into(),
                    )
                }
            }
        }
        ErrorKind::Decode => {
            // A proxy's page in place of the API's answer may pass.
            words.retry = true;
            if let ApiError::Decode(reason) = error {
                words.details = vec![reason.clone()];
            }
            (
                "The Flui API sent an answer this dashboard does not understand.".into(),
                "Try again in a moment. If it keeps happening, the API may be another version than this dashboard expects: tell your administrator.".into(),
            )
        }
        ErrorKind::Aborted => ("The request was cancelled.".into(), String::new()),
    };
    words.what = what;
    words.next = next;
    words
}

/// The permission named in Flui's "Missing required permission: <perm>".
fn missing_permission(error: &ApiError) -> Option<&str> {
    error.messages().iter().find_map(|m| {
        m.strip_prefix("Missing required permission:")
            .map(str::trim)
            .filter(|p| !p.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ApiError;

    fn words(status: u16, body: &str) -> ErrorWords {
        explain(&ApiError::from_response(status, body))
    }

    #[test]
    fn forbidden_names_the_permission_and_who_to_ask() {
        let w = words(
            403,
            r#"{"statusCode":403,"message":"Missing required permission: integration:manage","error":"Forbidden"}"#,
        );
        assert_eq!(
            w.what,
            "Your account does not have the integration:manage permission this needs."
        );
        assert!(w.next.starts_with("Ask an administrator"));
        assert_eq!(w.details, ["Missing required permission: integration:manage"]);
        let w = words(
            403,
            r#"{"statusCode":403,"message":"Admin access required","error":"Forbidden"}"#,
        );
        assert_eq!(w.what, "This needs admin rights on this Flui instance.");
        assert!(!w.retry);
    }

    #[test]
    fn validation_lists_every_problem() {
        let w = words(
            400,
            r#"{"statusCode":400,"message":["expiresAt must be a valid ISO 8601 date string","Token must start with ghp_ or github_pat_"],"error":"Bad Request"}"#,
        );
        assert_eq!(w.details.len(), 2);
        assert_eq!(w.what, "Flui refused the request for these reasons:");
        let w = words(400, r#"{"statusCode":400,"message":"claim is required"}"#);
        assert_eq!(
            (w.what.as_str(), w.details.len()),
            ("Flui refused the request.", 1)
        );
    }

    #[test]
    fn a_hung_request_and_a_throttle_say_how_long() {
        let w = explain(&ApiError::Timeout("https://api.example".into()));
        assert_eq!(
            w.what,
            "The Flui API at https://api.example did not answer within 15 seconds."
        );
        assert!(w.retry);
        let throttled = |after: Option<&str>| {
            explain(
                &ApiError::from_response(429, r#"{"message":"ThrottlerException: Too Many Requests"}"#)
                    .with_retry_after(after),
            )
            .next
        };
        assert_eq!(throttled(Some("1")), "Wait a second, then try again.");
        assert_eq!(throttled(Some(" 20 ")), "Wait 20 seconds, then try again.");
        assert_eq!(throttled(Some("60")), "Wait a minute, then try again.");
        // A date, or no header the browser let the page read: the general advice.
        assert_eq!(
            throttled(Some("Wed, 21 Oct 2026 07:28:00 GMT")),
            "Wait a minute, then try again."
        );
        assert_eq!(throttled(None), "Wait a minute, then try again.");
        // Only a 429's Retry-After counts.
        let other = ApiError::from_response(503, "").with_retry_after(Some("5"));
        assert_eq!(other.retry_after(), None);
    }

    #[test]
    fn failures_of_the_server_or_network_offer_a_retry_and_never_a_bare_code() {
        for error in [
            ApiError::from_response(500, r#"{"statusCode":500,"message":"Internal server error"}"#),
            ApiError::from_response(502, "<html>Bad Gateway</html>"),
            ApiError::Network("https://api.example".into()),
            ApiError::from_response(
                429,
                r#"{"message":"ThrottlerException: Too Many Requests","error":"Error"}"#,
            ),
        ] {
            let w = explain(&error);
            assert!(w.retry, "{error}");
            assert!(w.what.len() > 20 && !w.next.is_empty(), "{w:?}");
            assert!(w.what.ends_with('.'), "{w:?}");
        }
        let w = explain(&ApiError::Network("https://api.example".into()));
        assert_eq!(
            w.what,
            "The Flui API at https://api.example could not be reached."
        );
        let w = words(500, r#"{"statusCode":500,"message":"Internal server error"}"#);
        assert_eq!(
            w.details,
            ["Internal server error"],
            "Flui's words stay, as detail"
        );
        let w = words(429, r#"{"message":"ThrottlerException: Too Many Requests"}"#);
        assert!(w.details.is_empty());
    }

    #[test]
    fn an_action_needing_approval_links_to_the_decision() {
        let w = words(
            409,
            r#"{"statusCode":409,"message":"Approval required","proposalId":"p1","sentence":"Connect acme/api to this instance.","decideUrl":"https://flui.example/decide/p1"}"#,
        );
        assert_eq!(w.what, "This action needs approval before Flui runs it.");
        assert_eq!(w.details[0], "Connect acme/api to this instance.");
        assert_eq!(
            w.link,
            Some(ErrorLink {
                label: "Review and decide",
                href: "https://flui.example/decide/p1".into()
            })
        );
        let w = words(
            403,
            r#"{"statusCode":403,"message":"Approval required","proposalId":"p1","decideUrl":"javascript:alert(1)"}"#,
        );
        assert_eq!(w.link, None, "only web links are followed");
        assert!(w.next.starts_with("Ask an administrator"));
    }

    #[test]
    fn an_answer_that_is_not_understood_says_so() {
        let w = explain(&ApiError::Decode("missing field `connected`".into()));
        assert!(w.what.contains("does not understand"));
        assert_eq!(w.details, ["missing field `connected`"]);
    }
}

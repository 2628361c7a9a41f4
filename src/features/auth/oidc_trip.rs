//! One OIDC sign-in's round trip through the provider, as plain logic: what the tab keeps
//! for the trip, how the answer at `/auth/callback` is checked against it, and every way
//! it can fail, in words. Tested on the host.

use crate::api::ApiError;
use crate::api::oidc::{IdTokenProblem, ProviderError};

/// What one sign-in keeps in `sessionStorage` while the browser is at the provider: the
/// values the answer is checked against, the PKCE verifier the code is exchanged with,
/// and the page to return to. Deleted at the callback, whatever happens there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trip {
    pub state: String,
    pub nonce: String,
    pub verifier: String,
    /// A same-origin path (checked again when used).
    pub next: String,
}

const VERSION: &str = "oidc-trip-1";

impl Trip {
    pub fn to_text(&self) -> String {
        [VERSION, &self.state, &self.nonce, &self.verifier, &self.next].join("\n")
    }

    /// `None` for anything this version did not write.
    pub fn from_text(text: &str) -> Option<Self> {
        let mut parts = text.split('\n');
        if parts.next() != Some(VERSION) {
            return None;
        }
        let mut field = || parts.next().filter(|p| !p.is_empty()).map(str::to_owned);
        let trip = Self {
            state: field()?,
            nonce: field()?,
            verifier: field()?,
            next: field()?,
        };
        parts.next().is_none().then_some(trip)
    }
}

/// The query the provider sent the browser back with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallbackQuery {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// Why a sign-in did not finish.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// `error=access_denied`: the user cancelled, or the provider refused the account.
    Declined,
    /// Another `error=` from the provider.
    ProviderSaid {
        error: String,
        description: Option<String>,
    },
    /// No trip in this tab: the answer was used already, or the sign-in started elsewhere.
    NoTrip,
    /// The answer's `state` is not this tab's: refused, as a forged answer would be.
    StateMismatch,
    NoCode,
    ProviderUnreachable,
    /// The token endpoint refused the code (`invalid_grant` …).
    ProviderRefused {
        error: String,
        description: Option<String>,
    },
    ProviderBadAnswer(&'static str),
    IdToken(IdTokenProblem),
    /// The browser would not keep the trip (storage blocked) or give random values.
    BrowserRefused,
    /// The provider signed the user in, but Flui did not accept the session.
    Flui(ApiError),
}

impl From<ProviderError> for Problem {
    fn from(error: ProviderError) -> Self {
        match error {
            ProviderError::Unreachable => Self::ProviderUnreachable,
            ProviderError::Refused { error, description } => Self::ProviderRefused { error, description },
            ProviderError::BadAnswer(what) => Self::ProviderBadAnswer(what),
        }
    }
}

/// Checks the provider's answer against the trip this tab kept: the code to exchange.
pub fn check_callback(query: &CallbackQuery, trip: Option<&Trip>) -> Result<String, Problem> {
    if let Some(error) = query.error.as_deref().filter(|e| !e.is_empty()) {
        return Err(if error == "access_denied" {
            Problem::Declined
        } else {
            Problem::ProviderSaid {
                error: error.to_owned(),
                description: query.error_description.clone(),
            }
        });
    }
    let trip = trip.ok_or(Problem::NoTrip)?;
    if query.state.as_deref() != Some(trip.state.as_str()) {
        return Err(Problem::StateMismatch);
    }
    query
        .code
        .clone()
        .filter(|code| !code.is_empty())
        .ok_or(Problem::NoCode)
}

/// A problem in words: what happened, the provider's own words, what to do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProblemWords {
    pub what: String,
    pub details: Vec<String>,
    pub next: String,
}

/// The words for `problem`, naming the provider by `host`. `None` for [`Problem::Flui`],
/// which reads as any API error.
pub fn problem_words(problem: &Problem, host: &str) -> Option<ProblemWords> {
    let again = "Start the sign-in again with the button below.";
    let admin = "If it keeps failing, tell your administrator";
    let said = |description: &Option<String>| {
        description
            .iter()
            .filter(|d| !d.trim().is_empty())
            .cloned()
            .collect()
    };
    let (what, details, next) = match problem {
        Problem::Declined => (
            format!("The sign-in at {host} was cancelled or refused."),
            Vec::new(),
            format!("Try again and allow the sign-in when {host} asks. If {host} refuses your account, ask your administrator for access to Flui."),
        ),
        Problem::ProviderSaid { error, description } => (
            format!("The sign-in service at {host} could not sign you in (it reported \u{201c}{error}\u{201d})."),
            said(description),
            format!("Try again. {admin} what {host} reported."),
        ),
        Problem::NoTrip => (
            "This sign-in answer does not belong to a sign-in started in this tab: it was used already, or the sign-in was started in another tab or browser.".to_owned(),
            Vec::new(),
            format!("Nothing was signed in with it. {again}"),
        ),
        Problem::StateMismatch => (
            "This sign-in answer does not match the sign-in this tab started, so it was refused: it may have been altered, or someone may have tried to sign you in to their account.".to_owned(),
            Vec::new(),
            format!("Nothing was signed in with it. {again}"),
        ),
        Problem::NoCode => (
            format!("{host} sent the browser back without a sign-in code."),
            Vec::new(),
            format!("Try again. {admin}."),
        ),
        Problem::ProviderUnreachable => (
            format!("The sign-in service at {host} could not be reached."),
            Vec::new(),
            format!("Check your connection and try again. {admin}: the service may be down, or may not allow this dashboard's address."),
        ),
        Problem::ProviderRefused { error, description } => (
            format!("The sign-in service at {host} refused to finish the sign-in (it reported \u{201c}{error}\u{201d})."),
            said(description),
            format!("A sign-in code works once and only for a short time: try again. {admin}."),
        ),
        Problem::ProviderBadAnswer(what) => (
            format!("The sign-in service at {host} sent {what} in a form this dashboard does not understand."),
            Vec::new(),
            "Tell your administrator: the oidcIssuer in /assets/config.json may not name an OpenID Connect provider.".to_owned(),
        ),
        Problem::IdToken(which) => (
            format!(
                "The answer from {host} failed a check ({}), so it was not used.",
                match which {
                    IdTokenProblem::Missing => "it held no ID token",
                    IdTokenProblem::Unreadable => "its ID token could not be read",
                    IdTokenProblem::Nonce => "its ID token belongs to another sign-in",
                    IdTokenProblem::Issuer => "its ID token comes from another issuer",
                    IdTokenProblem::Audience => "its ID token is meant for another application",
                    IdTokenProblem::Expired => "its ID token has expired",
                }
            ),
            Vec::new(),
            format!("Try again. {admin}: the dashboard's issuer or client ID may not match {host}'s."),
        ),
        Problem::BrowserRefused => (
            "This browser would not let the dashboard keep the sign-in's check values for the trip (session storage or random values are blocked).".to_owned(),
            Vec::new(),
            "Allow site data for this address (or leave a private window that blocks it), then try again.".to_owned(),
        ),
        Problem::Flui(_) => return None,
    };
    Some(ProblemWords { what, details, next })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trip() -> Trip {
        Trip {
            state: "s1".into(),
            nonce: "n1".into(),
            verifier: "v1".into(),
            next: "/repositories?q=x".into(),
        }
    }

    fn answer(code: Option<&str>, state: Option<&str>, error: Option<&str>) -> CallbackQuery {
        CallbackQuery {
            code: code.map(str::to_owned),
            state: state.map(str::to_owned),
            error: error.map(str::to_owned),
            error_description: error.map(|_| "The user said no".to_owned()),
        }
    }

    #[test]
    fn a_trip_survives_storage_and_nothing_else_reads_as_one() {
        assert_eq!(Trip::from_text(&trip().to_text()), Some(trip()));
        for broken in [
            "",
            "oidc-trip-1\ns\nn\nv",
            "oidc-trip-1\ns\nn\nv\n/\nmore",
            "oidc-trip-1\n\nn\nv\n/",
            "oidc-trip-0\ns\nn\nv\n/",
            "{\"state\":\"s\"}",
        ] {
            assert_eq!(Trip::from_text(broken), None, "{broken:?}");
        }
    }

    #[test]
    fn the_answer_must_carry_this_tabs_state_and_a_code() {
        let trip = trip();
        assert_eq!(
            check_callback(&answer(Some("c1"), Some("s1"), None), Some(&trip)),
            Ok("c1".into())
        );
        assert_eq!(
            check_callback(&answer(Some("c1"), Some("s2"), None), Some(&trip)),
            Err(Problem::StateMismatch)
        );
        assert_eq!(
            check_callback(&answer(Some("c1"), None, None), Some(&trip)),
            Err(Problem::StateMismatch)
        );
        assert_eq!(
            check_callback(&answer(Some("c1"), Some("s1"), None), None),
            Err(Problem::NoTrip)
        );
        assert_eq!(
            check_callback(&answer(None, Some("s1"), None), Some(&trip)),
            Err(Problem::NoCode)
        );
        assert_eq!(
            check_callback(&answer(Some(""), Some("s1"), None), Some(&trip)),
            Err(Problem::NoCode)
        );
    }

    #[test]
    fn the_providers_errors_come_first_even_without_a_trip() {
        assert_eq!(
            check_callback(&answer(None, Some("s1"), Some("access_denied")), None),
            Err(Problem::Declined)
        );
        assert_eq!(
            check_callback(&answer(None, Some("s1"), Some("login_required")), Some(&trip())),
            Err(Problem::ProviderSaid {
                error: "login_required".into(),
                description: Some("The user said no".into())
            })
        );
    }

    #[test]
    fn every_problem_says_what_happened_and_what_to_do() {
        let problems = [
            Problem::Declined,
            Problem::ProviderSaid {
                error: "server_error".into(),
                description: Some("<b>down</b>".into()),
            },
            Problem::NoTrip,
            Problem::StateMismatch,
            Problem::NoCode,
            Problem::ProviderUnreachable,
            Problem::ProviderRefused {
                error: "invalid_grant".into(),
                description: None,
            },
            Problem::ProviderBadAnswer("its token answer"),
            Problem::IdToken(IdTokenProblem::Nonce),
            Problem::BrowserRefused,
        ];
        for problem in problems {
            let words = problem_words(&problem, "id.example").expect("words");
            assert!(
                words.what.ends_with('.') && words.next.ends_with('.'),
                "{problem:?}: {words:?}"
            );
            assert!(!words.what.contains("HTTP"), "{problem:?}");
        }
        let words = problem_words(
            &Problem::ProviderSaid {
                error: "server_error".into(),
                description: Some("<b>down</b>".into()),
            },
            "id.example",
        )
        .expect("words");
        assert!(words.what.contains("server_error"));
        assert_eq!(words.details, ["<b>down</b>"]);
        assert_eq!(
            problem_words(&Problem::Flui(ApiError::unauthorized()), "id.example"),
            None
        );
    }
}

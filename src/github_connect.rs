//! Connecting GitHub: what the landing page (`/github/installed`) was sent, and what to
//! tell the user about it. Plain data, tested on the host; the page does the calls.

use leptos::prelude::*;

use crate::api::{Api, ApiError, use_api};
use crate::browser::{copy_text, go_to};
use crate::components::ConnectNotice;

/// What GitHub said happened at its end (`setup_action`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetupAction {
    Install,
    /// An organisation member asked the owners to approve the install.
    Request,
    /// The repository selection of an existing installation changed.
    Update,
}

impl SetupAction {
    fn parse(raw: Option<&str>) -> Option<Self> {
        match raw? {
            "install" => Some(Self::Install),
            "request" => Some(Self::Request),
            "update" => Some(Self::Update),
            _ => None,
        }
    }
}

/// The error codes the API's callback redirects with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LandingError {
    MissingState,
    ExpiredState,
    NoCode,
    ExchangeFailed,
    Other(String),
}

/// Longest `msg` shown; the rest is cut (a hostile or broken redirect can carry anything).
pub const MAX_MESSAGE_CHARS: usize = 600;

/// What the landing page was sent, read once from its query string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Landing {
    /// Newer API: finish with `POST /claim` while signed in.
    Claim {
        claim: String,
        action: Option<SetupAction>,
    },
    /// Older API: the server already finished.
    Connected {
        login: String,
        action: Option<SetupAction>,
    },
    Failed {
        error: LandingError,
        message: Option<String>,
    },
    /// GitHub came back from an install request without anything to finish.
    Requested,
    Updated,
    /// Nothing to do (a refresh after the query string was cleaned, or a bare visit).
    Nothing,
}

impl Landing {
    /// Reads the already-decoded query parameters (the router decodes them once; they
    /// are never decoded again, so a `%` in `msg` stays a `%`).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let non_empty = |k: &str| get(k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let action = SetupAction::parse(non_empty("setup_action").as_deref());
        if let Some(code) = non_empty("error") {
            let error = match code.as_str() {
                "missing_state" => LandingError::MissingState,
                "expired_state" => LandingError::ExpiredState,
                "no_code" => LandingError::NoCode,
                "exchange_failed" => LandingError::ExchangeFailed,
                _ => LandingError::Other(code.chars().take(80).collect()),
            };
            let message = non_empty("msg").map(|m| shorten(&m));
            return Self::Failed { error, message };
        }
        if let Some(claim) = non_empty("claim") {
            return Self::Claim { claim, action };
        }
        if non_empty("status").as_deref() == Some("connected") {
            return Self::Connected {
                login: non_empty("login").unwrap_or_default(),
                action,
            };
        }
        match action {
            Some(SetupAction::Request) => Self::Requested,
            Some(SetupAction::Update) => Self::Updated,
            _ => Self::Nothing,
        }
    }

    /// Whether finishing needs a signed-in user (the claim is bound to one).
    pub fn needs_session(&self) -> bool {
        matches!(self, Self::Claim { .. })
    }
}

fn shorten(message: &str) -> String {
    let mut chars = message.chars();
    let head: String = chars.by_ref().take(MAX_MESSAGE_CHARS).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// A failure explained: a title, what it means, and GitHub's or Flui's own words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explained {
    pub title: &'static str,
    pub text: String,
    pub detail: Option<String>,
}

pub fn explain_landing_error(error: &LandingError, message: Option<String>) -> Explained {
    let (title, text) = match error {
        LandingError::MissingState => (
            "The link back from GitHub was incomplete",
            "GitHub sent you back without the information Flui needs to finish the connection. Start again from here.".to_owned(),
        ),
        LandingError::ExpiredState => (
            "This connection attempt expired",
            "A connection attempt is valid for 10 minutes and can be used once. Start a new one: it only takes a moment.".to_owned(),
        ),
        LandingError::NoCode => (
            "GitHub did not authorise the connection",
            "GitHub sent you back without an authorisation, for example because the request was cancelled. Start again and approve the request on GitHub.".to_owned(),
        ),
        LandingError::ExchangeFailed => (
            "GitHub did not accept the connection",
            "Flui could not exchange GitHub's authorisation for a token. Start again; if it keeps failing, tell your administrator what GitHub said.".to_owned(),
        ),
        LandingError::Other(code) => (
            "The connection did not finish",
            format!("The Flui API reported \"{code}\". Start again; if it keeps failing, tell your administrator."),
        ),
    };
    Explained {
        title,
        text,
        detail: message,
    }
}

/// What a refused claim means for the user.
pub fn explain_claim_error(error: &ApiError) -> Explained {
    match error {
        ApiError::Forbidden(message) => Explained {
            title: "This connection was started by someone else",
            text: "The GitHub connection you are finishing was started by another Flui user. Sign out and finish it as them, or start a new connection of your own.".to_owned(),
            detail: Some(message.clone()),
        },
        ApiError::Validation(messages) if messages.iter().any(|m| m.contains("GitHub rejected")) => Explained {
            title: "GitHub did not accept the connection",
            text: "GitHub refused the authorisation it had given, for example because it was already used. Start a new connection.".to_owned(),
            detail: Some(messages.join(" ")),
        },
        ApiError::Validation(messages) => Explained {
            title: "This connection link has expired or was already used",
            text: "A connection must be finished within 5 minutes of returning from GitHub, and only once. Start a new connection.".to_owned(),
            detail: Some(messages.join(" ")),
        },
        other => Explained {
            title: "The connection could not be finished",
            text: "Flui did not answer as expected. Try again in a moment.".to_owned(),
            detail: Some(other.to_string()),
        },
    }
}

/// How a connection starts: nothing to do, or a trip to GitHub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectStart {
    AlreadyConnected { login: String },
    GoTo { url: String },
}

/// Asks the API where to send the user (`GET /install-url`).
pub async fn start_connect(api: &Api) -> Result<ConnectStart, ApiError> {
    let answer = api.install_url().await?;
    if answer.already_connected {
        return Ok(ConnectStart::AlreadyConnected {
            login: answer.login.unwrap_or_default(),
        });
    }
    match answer.install_url.as_deref().and_then(safe_external_url) {
        Some(url) => Ok(ConnectStart::GoTo { url: url.to_owned() }),
        None => Err(ApiError::Decode("the API gave no usable GitHub URL".into())),
    }
}

/// The state and actions behind a [`crate::components::ConnectGithub`].
pub struct ConnectControls {
    pub working: Signal<bool>,
    pub notice: Signal<Option<ConnectNotice>>,
    pub connect: Callback<()>,
    pub copy_link: Callback<()>,
}

/// Connect and copy-link actions for the current page. `on_already_connected` runs when
/// the API says there is nothing to do, so the page can refresh what it shows.
pub fn use_connect_github(is_admin: Signal<bool>, on_already_connected: Callback<()>) -> ConnectControls {
    let api = use_api();
    let notice = RwSignal::new(None::<ConnectNotice>);
    let leaving = RwSignal::new(false);
    // Input: whether to copy a link instead of going to GitHub.
    let start = Action::new_local(move |copy: &bool| {
        let (copy, api) = (*copy, api.clone());
        async move {
            let started = start_connect(&api).await;
            let copied = match &started {
                Ok(ConnectStart::GoTo { url }) if copy => copy_text(url).await,
                _ => false,
            };
            (copy, started, copied)
        }
    });
    Effect::new(move |_| {
        let Some((copy, started, copied)) = start.value().get() else {
            return;
        };
        match started {
            Ok(ConnectStart::AlreadyConnected { login }) => {
                notice.set(Some(ConnectNotice::AlreadyConnected { login }));
                on_already_connected.run(());
            }
            Ok(ConnectStart::GoTo { url }) if copy => notice.set(Some(ConnectNotice::Link { url, copied })),
            Ok(ConnectStart::GoTo { url }) => {
                leaving.set(true);
                go_to(&url);
            }
            Err(ApiError::Aborted) => {}
            Err(error) if error.is_integration_not_set_up() => notice.set(Some(ConnectNotice::NotSetUp {
                is_admin: is_admin.get_untracked(),
            })),
            Err(error) => notice.set(Some(ConnectNotice::Failed {
                message: error.to_string(),
            })),
        }
    });
    ConnectControls {
        working: Signal::derive(move || start.pending().get() || leaving.get()),
        notice: notice.into(),
        connect: Callback::new(move |_| {
            start.dispatch(false);
        }),
        copy_link: Callback::new(move |_| {
            start.dispatch(true);
        }),
    }
}

/// A URL from the API that the browser may be sent to: http(s) only, never `javascript:`.
pub fn safe_external_url(raw: &str) -> Option<&str> {
    let lower = raw.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        .then_some(raw.trim())
        .filter(|u| !u.contains(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn landing(pairs: &[(&str, &str)]) -> Landing {
        Landing::from_query(|k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn both_api_generations_and_every_outcome_are_read() {
        assert_eq!(
            landing(&[("claim", "c-1")]),
            Landing::Claim {
                claim: "c-1".into(),
                action: None
            }
        );
        assert_eq!(
            landing(&[("claim", "c-1"), ("setup_action", "request")]),
            Landing::Claim {
                claim: "c-1".into(),
                action: Some(SetupAction::Request)
            }
        );
        assert_eq!(
            landing(&[("status", "connected"), ("login", "octo")]),
            Landing::Connected {
                login: "octo".into(),
                action: None
            }
        );
        assert_eq!(landing(&[("setup_action", "request")]), Landing::Requested);
        assert_eq!(landing(&[("setup_action", "update")]), Landing::Updated);
        assert_eq!(landing(&[]), Landing::Nothing);
        assert_eq!(landing(&[("setup_action", "install")]), Landing::Nothing);
    }

    #[test]
    fn an_error_wins_and_keeps_its_message_as_text() {
        assert_eq!(
            landing(&[
                ("error", "exchange_failed"),
                ("msg", "100% <b>bad</b> %zz"),
                ("claim", "x")
            ]),
            Landing::Failed {
                error: LandingError::ExchangeFailed,
                message: Some("100% <b>bad</b> %zz".into())
            }
        );
        assert_eq!(
            landing(&[("error", "no_code"), ("setup_action", "install")]),
            Landing::Failed {
                error: LandingError::NoCode,
                message: None
            }
        );
        let Landing::Failed {
            error: LandingError::Other(code),
            ..
        } = landing(&[("error", &"x".repeat(500))])
        else {
            panic!("unknown codes are kept")
        };
        assert_eq!(code.len(), 80);
    }

    #[test]
    fn a_huge_message_is_cut() {
        let Landing::Failed { message: Some(m), .. } =
            landing(&[("error", "exchange_failed"), ("msg", &"é".repeat(5000))])
        else {
            panic!()
        };
        assert_eq!(m.chars().count(), MAX_MESSAGE_CHARS + 1);
        assert!(m.ends_with('…'));
    }

    #[test]
    fn every_error_code_has_a_human_explanation() {
        for error in [
            LandingError::MissingState,
            LandingError::ExpiredState,
            LandingError::NoCode,
            LandingError::ExchangeFailed,
        ] {
            let e = explain_landing_error(&error, None);
            assert!(!e.text.contains('_'), "{error:?}: {}", e.text);
        }
        let e = explain_landing_error(
            &LandingError::ExchangeFailed,
            Some("bad_verification_code".into()),
        );
        assert_eq!(e.detail.as_deref(), Some("bad_verification_code"));
    }

    #[test]
    fn claim_refusals_are_told_apart() {
        let other = ApiError::Forbidden("This GitHub connection was started by someone else.".into());
        assert_eq!(
            explain_claim_error(&other).title,
            "This connection was started by someone else"
        );
        let expired = ApiError::Validation(vec![
            "This GitHub connection expired or was already finished: start it again.".into(),
        ]);
        assert_eq!(
            explain_claim_error(&expired).title,
            "This connection link has expired or was already used"
        );
        let rejected = ApiError::Validation(vec![
            "GitHub rejected the code exchange: The code passed is incorrect or expired.".into(),
        ]);
        assert_eq!(
            explain_claim_error(&rejected).title,
            "GitHub did not accept the connection"
        );
    }

    #[test]
    fn only_web_urls_are_followed() {
        assert_eq!(
            safe_external_url("https://github.com/apps/x"),
            Some("https://github.com/apps/x")
        );
        assert_eq!(
            safe_external_url("http://127.0.0.1:8788/login"),
            Some("http://127.0.0.1:8788/login")
        );
        assert_eq!(safe_external_url("javascript:alert(1)"), None);
        assert_eq!(safe_external_url("//evil.example"), None);
        assert_eq!(safe_external_url("https://a b"), None);
    }
}

//! `/github/installed`, as plain logic: what the API's redirect says ([`Landing`]), where
//! the connection ended up ([`Outcome`]), and what the page shows for it ([`Screen`]).
//! The page does the calls; everything here is tested on the host.

use crate::api::connect::{CLAIMED_BY_SOMEONE_ELSE, InstallUrl};
use crate::api::{ApiError, ErrorKind};
use crate::app::navigation::login_url;
use crate::app::routes::Page;
use crate::ui::error_words::explain;
use crate::ui::links::safe_link;

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
    Claim(String),
    /// Older API: the server already finished, as `login` on GitHub (when it says).
    Connected(Option<String>),
    Failed {
        error: LandingError,
        message: Option<String>,
    },
    /// GitHub itself came back (an App whose setup URL is this page): the repository
    /// selection changed.
    Updated,
    /// GitHub itself came back from an install request.
    Requested,
    /// Nothing to do (a refresh after the query string was cleaned, or a bare visit).
    Nothing,
}

impl Landing {
    /// Reads the already-decoded query parameters (the router decodes them once; they
    /// are never decoded again, so a `%` in `msg` stays a `%`).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let non_empty = |k: &str| get(k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
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
            return Self::Claim(claim);
        }
        if non_empty("status").as_deref() == Some("connected") {
            return Self::Connected(non_empty("login"));
        }
        match non_empty("setup_action").as_deref() {
            Some("update") => Self::Updated,
            Some("request") => Self::Requested,
            _ => Self::Nothing,
        }
    }

    /// Whether finishing needs a signed-in user (the claim is bound to one).
    pub fn needs_session(&self) -> bool {
        matches!(self, Self::Claim(_))
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

/// What comes after a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextStep {
    AddGhcrToken,
    Repositories,
}

/// Where the connection stands, as far as this page knows.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Working,
    /// An installation is reachable: done.
    Connected {
        account: String,
        next: NextStep,
    },
    /// GitHub authorised Flui (as `login`, when known), but no installation is reachable
    /// yet: the install was skipped, or waits for an organisation owner's approval.
    /// Flui cannot tell the two apart, so both ways forward are offered.
    NoInstallation {
        login: Option<String>,
        checked: bool,
    },
    Updated,
    /// The older API finished while this browser is signed out of the dashboard; signing
    /// in comes back here to see where it stands.
    SignInToContinue {
        login: Option<String>,
        back_to: String,
    },
    Failed(Failure),
    Nothing,
}

/// A failure explained: a title, what it means and what to do, and GitHub's or Flui's
/// own words as detail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub title: &'static str,
    pub text: String,
    pub detail: Option<String>,
    /// What may well succeed if sent again (the server failed, the network did, or the
    /// answer was garbled): "Try again" then does it. `None`: starting again through
    /// GitHub is the way.
    pub retry: Option<Again>,
}

/// What the landing does before it looks again at where the connection stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Again {
    /// Nothing: only look.
    Look,
    /// Ask Flui to rescan installations first.
    Rescan,
    /// Send the claim again (it did not get through).
    Claim,
}

pub fn landing_failure(error: &LandingError, message: Option<String>) -> Failure {
    let (title, text) = match error {
        LandingError::MissingState => (
            "The link back from GitHub was incomplete",
            "GitHub sent you back without the information Flui needs to finish a connection. If you were changing which repositories the Flui GitHub App can see, that change is saved on GitHub: refresh the list on the Connect repositories page. To connect GitHub, start again from here.".to_owned(),
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
    Failure {
        title,
        text,
        detail: message,
        retry: None,
    }
}

/// What a refused claim means for the user.
pub fn claim_failure(error: &ApiError) -> Failure {
    let said = error.message();
    match error.kind() {
        // Only the contract's exact words mean another user; any other 403 is a right
        // this account lacks.
        ErrorKind::Forbidden if error.says(CLAIMED_BY_SOMEONE_ELSE) => Failure {
            title: "This connection was started by someone else",
            text: "The GitHub connection you are finishing was started by another Flui user. Sign out and finish it as them, or start a new connection of your own.".to_owned(),
            detail: said,
            retry: None,
        },
        ErrorKind::Invalid if said.as_deref().is_some_and(|m| m.starts_with("GitHub rejected")) => Failure {
            title: "GitHub did not accept the connection",
            text: "GitHub refused the authorisation it had given, for example because it was already used. Start a new connection.".to_owned(),
            detail: said,
            retry: None,
        },
        ErrorKind::Invalid => Failure {
            title: "This connection link has expired or was already used",
            text: "A connection must be finished within 5 minutes of returning from GitHub, and only once. Start a new connection.".to_owned(),
            detail: said,
            retry: None,
        },
        _ => api_failure("The connection could not be finished", error, Again::Claim),
    }
}

/// Any other failure of a call, in the shared words; `again` is offered when the words
/// say trying again can help.
pub fn api_failure(title: &'static str, error: &ApiError, again: Again) -> Failure {
    let words = explain(error);
    Failure {
        title,
        text: format!("{} {}", words.what, words.next),
        detail: (!words.details.is_empty()).then(|| words.details.join("\n")),
        retry: words.retry.then_some(again),
    }
}

/// How a connection starts: nothing to do, or a trip to GitHub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectStart {
    /// An older server does not say as whom.
    AlreadyConnected {
        login: Option<String>,
    },
    GoTo {
        url: String,
    },
}

/// Reads the API's `install-url` answer: only an http(s) URL is followed.
/// `github_url`: the configured GitHub origin, where the install URL may lead (besides
/// any https URL).
pub fn connect_start(answer: InstallUrl, github_url: &str) -> Result<ConnectStart, ApiError> {
    if answer.already_connected {
        return Ok(ConnectStart::AlreadyConnected {
            login: answer.login.filter(|l| !l.trim().is_empty()),
        });
    }
    match answer
        .install_url
        .and_then(|url| safe_link(&url, Some(github_url)))
    {
        Some(url) => Ok(ConnectStart::GoTo { url }),
        None => Err(ApiError::Decode("the API gave no usable GitHub URL".into())),
    }
}

/// What the page shows: a title, paragraphs, what was reported, and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Screen {
    pub title: &'static str,
    pub lines: Vec<String>,
    /// GitHub's or Flui's own words, shown as inert text.
    pub reported: Option<String>,
    pub actions: Vec<ScreenAction>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScreenAction {
    /// A page of the dashboard.
    Link {
        label: &'static str,
        href: String,
        primary: bool,
    },
    /// Ask Flui to look for installations again (signed in only).
    CheckAgain,
    /// Start (again) through GitHub, with the connect controls.
    Connect { label: &'static str },
    /// Send what failed once more.
    TryAgain(Again),
}

fn link(label: &'static str, href: impl Into<String>, primary: bool) -> ScreenAction {
    ScreenAction::Link {
        label,
        href: href.into(),
        primary,
    }
}

/// "as @login", or nothing when the login is not known: never a bare "@".
fn as_login(login: Option<&str>) -> String {
    login
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!(" as @{l}"))
        .unwrap_or_default()
}

pub fn screen(outcome: &Outcome, signed_in: bool) -> Screen {
    let screen = |title, lines: Vec<String>, actions| Screen {
        title,
        lines,
        reported: None,
        actions,
    };
    match outcome {
        Outcome::Working => screen(
            "Finishing your GitHub connection…",
            vec!["This takes a moment.".into()],
            vec![],
        ),
        Outcome::Connected { account, next } => {
            let mut lines = vec![format!("Connected{}.", as_login(Some(account)))];
            let actions = match next {
                NextStep::AddGhcrToken => {
                    lines.push("One more step: add a GHCR token. Your cluster pulls the images Flui builds from GitHub's container registry, with a token you store in Flui. Without it, deploys cannot pull images.".into());
                    vec![
                        link(
                            "Add a GHCR token",
                            format!("{}?next={}", Page::GhcrToken.path(), Page::Repositories.path()),
                            true,
                        ),
                        link(
                            "Skip for now (deploys won't be able to pull images)",
                            Page::Repositories.path(),
                            false,
                        ),
                    ]
                }
                NextStep::Repositories => {
                    vec![link("Continue to repositories", Page::Repositories.path(), true)]
                }
            };
            screen("GitHub connected", lines, actions)
        }
        Outcome::NoInstallation { login, checked } => {
            let mut lines = vec![
                format!(
                    "GitHub authorised Flui{}, but Flui cannot reach an installation of the Flui GitHub App yet.",
                    as_login(login.as_deref())
                ),
                "If you asked the owners of an organisation to approve the install, wait until one of them has, then check again.".into(),
                "Otherwise, install the App on your account or on an organisation you own, and choose the repositories Flui may use.".into(),
            ];
            if *checked {
                lines.insert(0, "Still no installation: not approved yet, or not installed.".into());
            }
            let actions = if signed_in {
                vec![
                    ScreenAction::CheckAgain,
                    ScreenAction::Connect {
                        label: "Install the GitHub App",
                    },
                ]
            } else {
                vec![link("Sign in to continue", Page::SignIn.path(), true)]
            };
            screen("No installation reachable yet", lines, actions)
        }
        Outcome::Updated => screen(
            "Repository access updated",
            vec!["GitHub saved the new repository selection for the Flui GitHub App.".into()],
            vec![link("Continue to repositories", Page::Repositories.path(), true)],
        ),
        Outcome::SignInToContinue { login, back_to } => screen(
            "Back from GitHub",
            vec![format!(
                "GitHub authorised Flui{}. Sign in to Flui to see where the connection stands.",
                as_login(login.as_deref())
            )],
            vec![link("Sign in to continue", login_url(back_to), true)],
        ),
        Outcome::Failed(Failure {
            title,
            text,
            detail,
            retry,
        }) => Screen {
            title,
            lines: vec![text.clone()],
            reported: detail.clone(),
            actions: match (signed_in, retry) {
                (false, _) => vec![link("Sign in to start again", Page::SignIn.path(), true)],
                (true, None) => vec![ScreenAction::Connect { label: "Start again" }],
                (true, Some(again)) => vec![
                    ScreenAction::TryAgain(*again),
                    ScreenAction::Connect { label: "Start again" },
                ],
            },
        },
        Outcome::Nothing => screen(
            "Nothing to finish here",
            vec!["This page finishes a GitHub connection when GitHub sends you back. There is nothing pending.".into()],
            vec![link("Go to the overview", Page::Overview.path(), false)],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn landing(pairs: &[(&str, &str)]) -> Landing {
        Landing::from_query(|k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn both_api_generations_and_every_outcome_are_read() {
        assert_eq!(landing(&[("claim", "c-1")]), Landing::Claim("c-1".into()));
        assert_eq!(
            landing(&[("status", "connected"), ("login", "octo")]),
            Landing::Connected(Some("octo".into()))
        );
        assert_eq!(
            landing(&[("status", "connected"), ("login", " ")]),
            Landing::Connected(None)
        );
        assert_eq!(landing(&[("setup_action", "update")]), Landing::Updated);
        assert_eq!(landing(&[("setup_action", "request")]), Landing::Requested);
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
            let f = landing_failure(&error, None);
            assert!(!f.text.contains('_'), "{error:?}: {}", f.text);
        }
        let f = landing_failure(
            &LandingError::ExchangeFailed,
            Some("bad_verification_code".into()),
        );
        assert_eq!(f.detail.as_deref(), Some("bad_verification_code"));
    }

    #[test]
    fn only_a_claim_that_did_not_get_through_is_offered_again() {
        let retried = |error: ApiError| claim_failure(&error).retry;
        assert_eq!(
            retried(ApiError::http(500, "Internal server error")),
            Some(Again::Claim)
        );
        assert_eq!(retried(ApiError::http(503, "")), Some(Again::Claim));
        assert_eq!(
            retried(ApiError::Network("http://api".into())),
            Some(Again::Claim)
        );
        assert_eq!(
            retried(ApiError::http(429, "Too many requests")),
            Some(Again::Claim)
        );
        assert_eq!(retried(ApiError::http(400, "claim is required")), None);
        assert_eq!(retried(ApiError::http(403, CLAIMED_BY_SOMEONE_ELSE)), None);
        assert_eq!(retried(ApiError::http(404, "Not found")), None);
        // The look after a claim is retried as a look, not a second claim.
        let look = api_failure(
            "The connection could not be checked",
            &ApiError::http(502, ""),
            Again::Look,
        );
        assert_eq!(look.retry, Some(Again::Look));

        let failed = Outcome::Failed(claim_failure(&ApiError::http(500, "")));
        assert_eq!(
            screen(&failed, true).actions,
            vec![
                ScreenAction::TryAgain(Again::Claim),
                ScreenAction::Connect { label: "Start again" }
            ]
        );
        assert_eq!(
            screen(&failed, false).actions,
            vec![link("Sign in to start again", Page::SignIn.path(), true)]
        );
    }

    #[test]
    fn claim_refusals_are_told_apart() {
        let other = ApiError::http(403, CLAIMED_BY_SOMEONE_ELSE);
        assert_eq!(
            claim_failure(&other).title,
            "This connection was started by someone else"
        );
        // A 403 for a missing right is not "someone else".
        let right = ApiError::http(403, "Missing required permission: app:read");
        let failure = claim_failure(&right);
        assert_eq!(failure.title, "The connection could not be finished");
        assert!(failure.text.contains("app:read"), "{}", failure.text);
        for (message, title) in [
            (
                "This GitHub connection expired or was already finished: start it again.",
                "This connection link has expired or was already used",
            ),
            (
                "GitHub rejected the code exchange: The code passed is incorrect or expired.",
                "GitHub did not accept the connection",
            ),
            (
                "claim is required",
                "This connection link has expired or was already used",
            ),
        ] {
            assert_eq!(
                claim_failure(&ApiError::http(400, message)).title,
                title,
                "{message}"
            );
        }
        let down = claim_failure(&ApiError::Network("https://api.example".into()));
        assert!(down.text.contains("could not be reached"), "{}", down.text);
    }

    #[test]
    fn only_web_urls_are_followed() {
        let answer = |url: &str| InstallUrl {
            already_connected: false,
            login: None,
            needs_install: None,
            install_url: Some(url.into()),
        };
        assert_eq!(
            connect_start(answer(" https://github.com/apps/x "), "https://github.com"),
            Ok(ConnectStart::GoTo {
                url: "https://github.com/apps/x".into()
            })
        );
        assert!(connect_start(answer("javascript:alert(1)"), "https://github.com").is_err());
        assert!(connect_start(answer("//evil.example"), "https://github.com").is_err());
        // The sandbox's GitHub is plain http: followed because it is the configured one.
        let sandbox = "http://127.0.0.1:8788";
        assert!(connect_start(answer("http://127.0.0.1:8788/login/oauth/authorize?x=1"), sandbox).is_ok());
        assert!(connect_start(answer("http://evil.example/login"), sandbox).is_err());
        let older = InstallUrl {
            already_connected: true,
            login: None,
            needs_install: Some(false),
            install_url: None,
        };
        assert_eq!(
            connect_start(older, "https://github.com"),
            Ok(ConnectStart::AlreadyConnected { login: None })
        );
    }

    #[test]
    fn no_installation_offers_both_ways_forward_and_never_a_bare_at() {
        let s = screen(
            &Outcome::NoInstallation {
                login: Some("uma-dev".into()),
                checked: false,
            },
            true,
        );
        assert!(s.lines[0].contains("as @uma-dev"), "{:?}", s.lines);
        assert_eq!(
            s.actions,
            vec![
                ScreenAction::CheckAgain,
                ScreenAction::Connect {
                    label: "Install the GitHub App"
                }
            ]
        );
        for login in [None, Some(String::new()), Some("  ".into())] {
            let s = screen(&Outcome::NoInstallation { login, checked: true }, true);
            let text = s.lines.join(" ");
            assert!(!text.contains('@'), "{text}");
            assert!(text.starts_with("Still no installation"), "{text}");
        }
        let signed_out = screen(
            &Outcome::NoInstallation {
                login: None,
                checked: false,
            },
            false,
        );
        assert!(!signed_out.actions.contains(&ScreenAction::CheckAgain));
    }

    #[test]
    fn the_next_step_after_connecting_depends_on_the_ghcr_token() {
        let s = screen(
            &Outcome::Connected {
                account: "acme".into(),
                next: NextStep::AddGhcrToken,
            },
            true,
        );
        assert_eq!(s.lines[0], "Connected as @acme.");
        assert!(s.lines[1].starts_with("One more step: add a GHCR token."));
        let s = screen(
            &Outcome::Connected {
                account: "acme".into(),
                next: NextStep::Repositories,
            },
            true,
        );
        assert_eq!(
            s.actions,
            vec![link("Continue to repositories", "/repositories", true)]
        );
    }

    #[test]
    fn signed_out_after_the_older_apis_success_signs_in_back_to_this_page() {
        let s = screen(
            &Outcome::SignInToContinue {
                login: Some("uma-dev".into()),
                back_to: "/github/installed?status=connected&login=uma-dev".into(),
            },
            false,
        );
        assert_eq!(
            s.actions,
            vec![link(
                "Sign in to continue",
                "/login?next=/github/installed%3Fstatus%3Dconnected%26login%3Duma-dev",
                true
            )]
        );
    }
}

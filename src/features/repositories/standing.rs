//! Where the user stands before repositories can be listed, as plain data: the
//! `/repositories` page's state machine (the official dashboard's, with the admin and
//! user branches it never reached).

use crate::api::connect::GithubStatus;
use crate::api::setup::{AuthMethod, SetupHealth, SetupStatus};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Standing {
    /// No GitHub integration on the instance (or a legacy OAuth App that must be redone).
    NotSetUp {
        legacy: bool,
    },
    /// Set up, but the health check failed (only admins can run it): its message.
    Unhealthy(String),
    /// PAT mode, and this user has not connected a token.
    PatNotConnected,
    /// App mode, and this user has not connected GitHub.
    NotConnected,
    Connected,
}

/// `health` is the admin's health check when it ran (users cannot run it).
pub fn standing(setup: &SetupStatus, github: &GithubStatus, health: Option<&SetupHealth>) -> Standing {
    let method = setup.auth_method.clone().filter(|_| setup.configured);
    match method {
        None => return Standing::NotSetUp { legacy: false },
        Some(AuthMethod::OauthApp) => return Standing::NotSetUp { legacy: true },
        _ => {}
    }
    if let Some(failure) = health.and_then(SetupHealth::failure) {
        return Standing::Unhealthy(failure);
    }
    match (github.connected, method) {
        (true, _) => Standing::Connected,
        (false, Some(AuthMethod::Pat)) => Standing::PatNotConnected,
        (false, _) => Standing::NotConnected,
    }
}

/// A repository's link, only to the configured GitHub or another `https:` page: a
/// `javascript:` or relative URL from the API never becomes a link.
pub fn repo_link(html_url: Option<&str>, github_url: &str) -> Option<String> {
    crate::ui::links::safe_link(html_url?, Some(github_url))
}

/// Where to install the App (or add repositories to it) on GitHub.
pub fn install_link(github_url: &str, slug: &str) -> String {
    format!(
        "{}/apps/{slug}/installations/new",
        github_url.trim_end_matches('/')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(json: &str) -> SetupStatus {
        crate::api::decode(json).unwrap()
    }

    fn github(connected: bool) -> GithubStatus {
        GithubStatus {
            connected,
            github_username: None,
            connected_at: None,
        }
    }

    #[test]
    fn every_state_of_the_page() {
        let app = setup(r#"{"configured":true,"authMethod":"github_app","appSlug":"f"}"#);
        let pat = setup(r#"{"configured":true,"authMethod":"pat"}"#);
        let none = setup(r#"{"configured":false,"authMethod":null}"#);
        let legacy = setup(r#"{"configured":true,"authMethod":"oauth_app"}"#);
        let sick: SetupHealth =
            crate::api::decode(r#"{"ok":false,"details":{"message":"Bad credentials"}}"#).unwrap();
        let well: SetupHealth = crate::api::decode(r#"{"ok":true}"#).unwrap();
        assert_eq!(
            standing(&none, &github(false), None),
            Standing::NotSetUp { legacy: false }
        );
        assert_eq!(
            standing(&legacy, &github(true), None),
            Standing::NotSetUp { legacy: true }
        );
        assert_eq!(
            standing(&app, &github(true), Some(&sick)),
            Standing::Unhealthy("Bad credentials".into())
        );
        assert_eq!(
            standing(&app, &github(false), Some(&well)),
            Standing::NotConnected
        );
        assert_eq!(standing(&pat, &github(false), None), Standing::PatNotConnected);
        assert_eq!(standing(&app, &github(true), None), Standing::Connected);
    }

    #[test]
    fn only_github_and_https_pages_become_links() {
        let gh = "http://127.0.0.1:9000";
        assert_eq!(
            repo_link(Some("http://127.0.0.1:9000/a/b"), gh).as_deref(),
            Some("http://127.0.0.1:9000/a/b")
        );
        assert_eq!(
            repo_link(Some("https://github.com/a/b"), gh).as_deref(),
            Some("https://github.com/a/b")
        );
        for bad in [
            "javascript:alert(1)",
            "http://evil.example/a",
            "/a/b",
            "https://a b",
        ] {
            assert_eq!(repo_link(Some(bad), gh), None, "{bad}");
        }
        assert_eq!(repo_link(None, gh), None);
    }
}

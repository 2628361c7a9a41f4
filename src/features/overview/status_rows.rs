//! What the overview says about each integration (`flui integration list`), as plain
//! data so the wording is tested on the host and the view only lays it out.

use crate::api::connect::GithubStatus;
use crate::api::ghcr_pat::{CredentialStatus, GhcrPatStatus};
use crate::api::setup::{AuthMethod, SetupStatus};
use crate::app::routes::Page;
use crate::ui::Tone;
use crate::ui::dates::{format_date, parse_iso_ms};
use crate::ui::token_state::{TokenState, ghcr_state};

/// What a row offers to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowAction {
    /// A page of the dashboard that deals with it.
    Link { label: &'static str, page: Page },
    /// Connect through the Flui GitHub App, right here.
    ConnectGithubApp,
    /// Connect with a personal access token, right here (PAT mode).
    ConnectWithToken,
}

/// One integration row of the overview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusRow {
    pub name: &'static str,
    /// The short status word or phrase shown in the pill.
    pub state: String,
    pub tone: Tone,
    /// One sentence: what this means, or what to do next.
    pub detail: String,
    pub action: Option<RowAction>,
}

fn link(label: &'static str, page: Page) -> Option<RowAction> {
    Some(RowAction::Link { label, page })
}

/// The GitHub row, from the setup status and the user's connection.
pub fn github_row(setup: &SetupStatus, github: &GithubStatus, is_admin: bool) -> StatusRow {
    let row = |state: &str, tone, detail: String, action| StatusRow {
        name: "GitHub",
        state: state.to_owned(),
        tone,
        detail,
        action,
    };
    let method = setup.auth_method.clone().filter(|_| setup.configured);
    let Some(method) = method else {
        return if is_admin {
            row(
                "Not set up",
                Tone::Warning,
                "The Flui GitHub App is not configured on this instance yet. Set it up so users can connect their accounts.".into(),
                link("Set up the GitHub App", Page::GithubApp),
            )
        } else {
            row(
                "Not set up",
                Tone::Warning,
                "GitHub is not set up on this instance yet. Ask your administrator to set up the Flui GitHub App.".into(),
                None,
            )
        };
    };
    if method == AuthMethod::OauthApp {
        let detail = "This instance still uses a legacy GitHub OAuth App, which Flui no longer supports for connecting accounts.";
        return if is_admin {
            row(
                "Legacy setup",
                Tone::Warning,
                format!("{detail} Set up the Flui GitHub App (or personal access tokens) instead."),
                link("Reconfigure GitHub", Page::GithubApp),
            )
        } else {
            row(
                "Legacy setup",
                Tone::Warning,
                format!("{detail} Ask your administrator to reconfigure GitHub for this instance."),
                None,
            )
        };
    }
    if method == AuthMethod::Unknown {
        return row(
            "Unknown setup",
            Tone::Neutral,
            "This instance connects to GitHub in a way this dashboard does not know. Use the Flui CLI, or ask your administrator.".into(),
            None,
        );
    }
    let pat = method == AuthMethod::Pat;
    if github.connected {
        let who = github
            .github_username
            .as_deref()
            .filter(|l| !l.trim().is_empty())
            .map(|l| format!("Connected as @{l}"))
            .unwrap_or_else(|| "Connected".to_owned());
        let how = if pat { " with a personal access token" } else { "" };
        let since = github
            .connected_at
            .as_deref()
            .and_then(parse_iso_ms)
            .map(|ms| format!(", since {}", format_date(ms)))
            .unwrap_or_default();
        return row(
            "Connected",
            Tone::Success,
            format!("{who}{how}{since}."),
            link("Manage repositories", Page::Repositories),
        );
    }
    if pat {
        return row(
            "Not connected",
            Tone::Warning,
            "This instance connects GitHub with a personal access token per user, not with the GitHub App. Connect yours so Flui can build your repositories.".into(),
            Some(RowAction::ConnectWithToken),
        );
    }
    row(
        "Not connected",
        Tone::Warning,
        "Install the Flui GitHub App on your account or organisation so Flui can build your repositories."
            .into(),
        Some(RowAction::ConnectGithubApp),
    )
}

/// The first of the four connections: the GitHub integration on the instance.
pub fn app_row(setup: &SetupStatus, is_admin: bool) -> StatusRow {
    let row = |state: &str, tone, detail: &str, action| StatusRow {
        name: "GitHub App",
        state: state.to_owned(),
        tone,
        detail: detail.to_owned(),
        action,
    };
    let manage = if is_admin {
        link("Manage the GitHub App", Page::GithubApp)
    } else {
        None
    };
    match setup.auth_method.clone().filter(|_| setup.configured) {
        Some(AuthMethod::GithubApp) => row(
            "Set up",
            Tone::Success,
            "The Flui GitHub App is registered on this instance.",
            manage,
        ),
        Some(AuthMethod::Pat) => row(
            "PAT mode",
            Tone::Success,
            "This instance connects GitHub with a personal access token per user: there is no App to set up.",
            manage,
        ),
        _ if is_admin => row(
            "Not set up",
            Tone::Warning,
            "Register the Flui GitHub App on this instance so users can connect their accounts.",
            link("Set up the GitHub App", Page::GithubApp),
        ),
        _ => row(
            "Not set up",
            Tone::Warning,
            "Ask an administrator of this Flui instance to set up the Flui GitHub App.",
            None,
        ),
    }
}

/// The last of the four: at least one repository connected.
pub fn repositories_row(count: usize) -> StatusRow {
    let (state, tone, detail, action) = match count {
        0 => (
            "None yet".to_owned(),
            Tone::Warning,
            "Connect the repositories Flui should build and deploy.".to_owned(),
            link("Connect repositories", Page::ConnectRepositories),
        ),
        n => (
            format!("{n} connected"),
            Tone::Success,
            format!(
                "Flui can build and deploy {}.",
                if n == 1 { "it" } else { "them" }
            ),
            link("Manage repositories", Page::Repositories),
        ),
    };
    StatusRow {
        name: "Repositories",
        state,
        tone,
        detail,
        action,
    }
}

/// Whether all four connections hold, so the first deploy can run: GitHub set up and
/// connected, a GHCR token that works (or none needed), a repository connected.
pub fn ready(setup: &SetupStatus, github: &GithubStatus, ghcr: &GhcrPatStatus, repositories: usize) -> bool {
    let set_up =
        setup.configured && matches!(setup.auth_method, Some(AuthMethod::GithubApp | AuthMethod::Pat));
    let token = ghcr.needed == Some(false)
        || (ghcr.configured
            && matches!(
                ghcr.status,
                None | Some(
                    CredentialStatus::Valid
                        | CredentialStatus::ExpiringSoon
                        | CredentialStatus::UnknownExpiry
                )
            ));
    set_up && github.connected && token && repositories > 0
}

/// The GHCR token row, worded like the CLI: never "expires just now".
pub fn ghcr_row(pat: &GhcrPatStatus, now_ms: f64) -> StatusRow {
    let TokenState {
        state,
        tone,
        detail,
        stored,
    } = ghcr_state(pat, now_ms);
    let action = match (stored, pat.needed) {
        (_, Some(false)) => None,
        (false, _) => link("Add a GHCR token", Page::GhcrToken),
        (true, _) => link("Manage GHCR token", Page::GhcrToken),
    };
    StatusRow {
        name: "GHCR token",
        state,
        tone,
        detail,
        action,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(configured: bool) -> SetupStatus {
        setup_with(configured.then_some(AuthMethod::GithubApp))
    }

    fn setup_with(method: Option<AuthMethod>) -> SetupStatus {
        SetupStatus {
            configured: method.is_some(),
            app_slug: (method == Some(AuthMethod::GithubApp)).then(|| "flui".into()),
            auth_method: method,
            image_registry: None,
        }
    }

    fn gh(connected: bool) -> GithubStatus {
        GithubStatus {
            connected,
            github_username: connected.then(|| "octo".into()),
            connected_at: connected.then(|| "2026-11-03T09:00:00.000Z".into()),
        }
    }

    fn pat(status: CredentialStatus, expires_at: Option<&str>, days: Option<i64>) -> GhcrPatStatus {
        GhcrPatStatus {
            configured: status != CredentialStatus::Missing,
            status: Some(status),
            expires_at: expires_at.map(Into::into),
            days_until_expiry: days,
            last_rotated_at: None,
            last_verified_at: None,
            github_login: Some("octo".into()),
            scopes: None,
            needed: Some(true),
        }
    }

    fn now() -> f64 {
        parse_iso_ms("2026-11-25T12:00:00Z").unwrap()
    }

    #[test]
    fn the_four_connections_and_ready() {
        let app = app_row(&setup(true), false);
        assert_eq!((app.state.as_str(), app.action.clone()), ("Set up", None));
        let missing = app_row(&setup(false), true);
        assert_eq!(missing.action, link("Set up the GitHub App", Page::GithubApp));
        assert_eq!(app_row(&setup(false), false).action, None);
        assert_eq!(
            app_row(&setup_with(Some(AuthMethod::Pat)), false).state,
            "PAT mode"
        );
        let none = repositories_row(0);
        assert_eq!(
            none.action,
            link("Connect repositories", Page::ConnectRepositories)
        );
        let some = repositories_row(3);
        assert_eq!((some.state.as_str(), some.tone), ("3 connected", Tone::Success));
        let token = pat(
            CredentialStatus::ExpiringSoon,
            Some("2026-11-30T00:00:00Z"),
            Some(5),
        );
        assert!(ready(&setup(true), &gh(true), &token, 3));
        assert!(!ready(&setup(true), &gh(true), &token, 0));
        assert!(!ready(&setup(true), &gh(false), &token, 3));
        assert!(!ready(&setup(false), &gh(true), &token, 3));
        let mut own_registry = pat(CredentialStatus::Missing, None, None);
        own_registry.needed = Some(false);
        assert!(ready(&setup(true), &gh(true), &own_registry, 1));
        for bad in [
            CredentialStatus::Missing,
            CredentialStatus::Expired,
            CredentialStatus::Invalid,
        ] {
            assert!(!ready(&setup(true), &gh(true), &pat(bad, None, None), 1));
        }
    }

    #[test]
    fn github_not_set_up_tells_admins_and_users_different_things() {
        let admin = github_row(&setup(false), &gh(false), true);
        assert_eq!(admin.state, "Not set up");
        assert_eq!(admin.action, link("Set up the GitHub App", Page::GithubApp));
        let user = github_row(&setup(false), &gh(false), false);
        assert!(user.detail.contains("Ask your administrator"));
        assert_eq!(user.action, None);
    }

    #[test]
    fn github_connected_and_not() {
        let row = github_row(&setup(true), &gh(true), false);
        assert_eq!((row.state.as_str(), row.tone), ("Connected", Tone::Success));
        assert_eq!(row.detail, "Connected as @octo, since 3 Nov 2026.");
        let row = github_row(&setup(true), &gh(false), false);
        assert_eq!(row.state, "Not connected");
        assert_eq!(row.action, Some(RowAction::ConnectGithubApp));
    }

    #[test]
    fn pat_mode_leads_to_a_token_not_to_the_app() {
        let pat_mode = setup_with(Some(AuthMethod::Pat));
        let row = github_row(&pat_mode, &gh(false), false);
        assert_eq!(row.state, "Not connected");
        assert!(row.detail.contains("personal access token"), "{}", row.detail);
        assert_eq!(row.action, Some(RowAction::ConnectWithToken));
        let row = github_row(&pat_mode, &gh(true), false);
        assert_eq!(
            row.detail,
            "Connected as @octo with a personal access token, since 3 Nov 2026."
        );
    }

    #[test]
    fn a_legacy_oauth_app_is_explained_and_left_to_an_admin() {
        let legacy = setup_with(Some(AuthMethod::OauthApp));
        for is_admin in [true, false] {
            let row = github_row(&legacy, &gh(false), is_admin);
            assert_eq!(row.state, "Legacy setup");
            assert!(row.detail.contains("legacy GitHub OAuth App"), "{}", row.detail);
            assert_ne!(row.action, Some(RowAction::ConnectGithubApp));
        }
        assert_eq!(
            github_row(&legacy, &gh(false), true).action,
            link("Reconfigure GitHub", Page::GithubApp)
        );
        let unknown = github_row(&setup_with(Some(AuthMethod::Unknown)), &gh(false), false);
        assert_eq!(unknown.state, "Unknown setup");
        assert_eq!(unknown.action, None);
    }

    #[test]
    fn an_empty_login_never_reads_as_a_bare_at_sign() {
        let status = GithubStatus {
            github_username: Some(" ".into()),
            ..gh(true)
        };
        let row = github_row(&setup(true), &status, false);
        assert!(!row.detail.contains('@'), "{}", row.detail);
    }

    #[test]
    fn ghcr_missing_and_not_needed() {
        let row = ghcr_row(&pat(CredentialStatus::Missing, None, None), now());
        assert_eq!((row.state.as_str(), row.tone), ("Missing", Tone::Warning));
        let older_api = GhcrPatStatus {
            status: None,
            needed: None,
            ..pat(CredentialStatus::Missing, None, None)
        };
        assert_eq!(ghcr_row(&older_api, now()).state, "Missing");
        let mut not_needed = pat(CredentialStatus::Missing, None, None);
        not_needed.needed = Some(false);
        let row = ghcr_row(&not_needed, now());
        assert_eq!(row.state, "Not needed");
        assert_eq!(
            row.detail,
            "Not needed: this instance keeps images in its own registry."
        );
    }

    #[test]
    fn ghcr_expiry_is_worded_forward_and_back() {
        let row = ghcr_row(
            &pat(
                CredentialStatus::Valid,
                Some("2026-12-31T00:00:00.000Z"),
                Some(36),
            ),
            now(),
        );
        assert_eq!(
            row.detail,
            "Expires in 36 days, on 31 Dec 2026. Belongs to @octo."
        );
        let row = ghcr_row(
            &pat(
                CredentialStatus::ExpiringSoon,
                Some("2026-11-30T00:00:00.000Z"),
                None,
            ),
            now(),
        );
        assert_eq!(
            (row.state.as_str(), row.tone),
            ("Expires in 5 days", Tone::Warning)
        );
        let row = ghcr_row(
            &pat(
                CredentialStatus::ExpiringSoon,
                Some("2026-11-26T12:00:00.000Z"),
                Some(1),
            ),
            now(),
        );
        assert_eq!(row.state, "Expires in 1 day");
        let row = ghcr_row(
            &pat(
                CredentialStatus::Expired,
                Some("2026-11-22T00:00:00.000Z"),
                Some(-3),
            ),
            now(),
        );
        assert_eq!((row.state.as_str(), row.tone), ("Expired", Tone::Danger));
        assert!(
            row.detail.starts_with("Expired 3 days ago, 22 Nov 2026."),
            "{}",
            row.detail
        );
        let row = ghcr_row(
            &pat(
                CredentialStatus::Expired,
                Some("2026-11-25T12:00:00.000Z"),
                Some(0),
            ),
            now(),
        );
        assert!(row.detail.starts_with("Expired today"), "{}", row.detail);
        for status in [
            CredentialStatus::Valid,
            CredentialStatus::ExpiringSoon,
            CredentialStatus::Expired,
        ] {
            let row = ghcr_row(&pat(status, Some("2026-11-25T12:00:00.000Z"), Some(0)), now());
            let text = format!("{} {}", row.state, row.detail).to_lowercase();
            assert!(
                !text.contains("just now") && !text.contains("in 0 days"),
                "{text}"
            );
        }
    }

    #[test]
    fn ghcr_invalid_and_unknown_expiry() {
        let row = ghcr_row(&pat(CredentialStatus::Invalid, None, None), now());
        assert_eq!((row.state.as_str(), row.tone), ("Invalid", Tone::Danger));
        let row = ghcr_row(&pat(CredentialStatus::UnknownExpiry, None, None), now());
        assert_eq!(row.state, "Valid");
        assert!(row.detail.contains("No expiry date"));
    }
}

//! What the overview says about each integration (`flui integration list`), as plain
//! data so the wording is tested on the host and the view only lays it out.

use crate::api::models::{CredentialStatus, GhcrPatStatus, GithubStatus, SetupStatus};
use crate::time::{days_phrase, days_until, format_date, parse_iso_ms};

/// The colour family of a status; always shown with a word and an icon, never alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Success,
    Warning,
    Danger,
    Neutral,
}

impl Tone {
    pub fn class(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Warning => "warning",
            Self::Danger => "danger",
            Self::Neutral => "neutral",
        }
    }

    /// A text symbol that carries the meaning without colour.
    pub fn icon(self) -> &'static str {
        match self {
            Self::Success => "✓",
            Self::Warning => "!",
            Self::Danger => "✕",
            Self::Neutral => "–",
        }
    }
}

/// A link a row offers (its action is built in later pages).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowLink {
    pub label: &'static str,
    pub href: &'static str,
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
    pub link: Option<RowLink>,
}

pub const GITHUB_APP_SETUP_PATH: &str = "/admin/github-app";
pub const GHCR_PATH: &str = "/ghcr-token";
pub const REPOSITORIES_PATH: &str = "/repositories";

/// The GitHub row, from the setup status and the user's connection.
pub fn github_row(setup: &SetupStatus, github: &GithubStatus, is_admin: bool) -> StatusRow {
    let name = "GitHub";
    if !setup.configured {
        return if is_admin {
            StatusRow {
                name,
                state: "Not set up".into(),
                tone: Tone::Warning,
                detail: "The Flui GitHub App is not configured on this instance yet. Set it up so users can connect their accounts.".into(),
                link: Some(RowLink { label: "Set up the GitHub App", href: GITHUB_APP_SETUP_PATH }),
            }
        } else {
            StatusRow {
                name,
                state: "Not set up".into(),
                tone: Tone::Warning,
                detail: "GitHub is not set up on this instance yet. Ask your administrator to set up the Flui GitHub App.".into(),
                link: None,
            }
        };
    }
    if github.connected {
        let who = github
            .github_username
            .as_deref()
            .filter(|l| !l.is_empty())
            .map(|l| format!("Connected as @{l}"))
            .unwrap_or_else(|| "Connected".to_owned());
        let since = github
            .connected_at
            .as_deref()
            .and_then(parse_iso_ms)
            .map(|ms| format!(", since {}", format_date(ms)))
            .unwrap_or_default();
        return StatusRow {
            name,
            state: "Connected".into(),
            tone: Tone::Success,
            detail: format!("{who}{since}."),
            link: Some(RowLink {
                label: "Manage repositories",
                href: REPOSITORIES_PATH,
            }),
        };
    }
    StatusRow {
        name,
        state: "Not connected".into(),
        tone: Tone::Warning,
        detail:
            "Install the Flui GitHub App on your account or organisation so Flui can build your repositories."
                .into(),
        link: None,
    }
}

/// The GHCR token row, worded like the CLI: never "expires just now".
pub fn ghcr_row(pat: &GhcrPatStatus, now_ms: f64) -> StatusRow {
    let name = "GHCR token";
    let row = |state: String, tone, detail: String, link| StatusRow {
        name,
        state,
        tone,
        detail,
        link,
    };
    let manage = Some(RowLink {
        label: "Manage GHCR token",
        href: GHCR_PATH,
    });

    if pat.needed == Some(false) {
        return row(
            "Not needed".into(),
            Tone::Neutral,
            "Not needed: this instance keeps images in its own registry.".into(),
            None,
        );
    }
    let status = pat.status.clone().unwrap_or(if pat.configured {
        CredentialStatus::UnknownExpiry
    } else {
        CredentialStatus::Missing
    });
    if !pat.configured || status == CredentialStatus::Missing {
        return row(
            "Missing".into(),
            Tone::Warning,
            "Deploys cannot pull built images from GHCR until you add a token with the read:packages scope."
                .into(),
            Some(RowLink {
                label: "Add a GHCR token",
                href: GHCR_PATH,
            }),
        );
    }

    let expires_ms = pat.expires_at.as_deref().and_then(parse_iso_ms);
    let days = pat
        .days_until_expiry
        .or_else(|| expires_ms.map(|ms| days_until(ms, now_ms)));
    let on = |separator: &str| {
        expires_ms
            .map(|ms| format!("{separator}{}", format_date(ms)))
            .unwrap_or_default()
    };
    let owner = pat
        .github_login
        .as_deref()
        .filter(|l| !l.is_empty())
        .map(|l| format!(" Belongs to @{l}."))
        .unwrap_or_default();

    match status {
        CredentialStatus::Invalid => row(
            "Invalid".into(),
            Tone::Danger,
            "GitHub rejected this token at the last check, or it lacks read:packages. Add a new one.".into(),
            manage,
        ),
        CredentialStatus::Expired => {
            let when = match days {
                Some(d) if d < 0 => format!("Expired {} ago", days_phrase(-d)),
                _ => "Expired today".to_owned(),
            };
            row(
                "Expired".into(),
                Tone::Danger,
                format!("{when}{}. Add a new token.", on(", ")),
                manage,
            )
        }
        CredentialStatus::ExpiringSoon => {
            let state = match days {
                Some(d) if d > 0 => format!("Expires in {}", days_phrase(d)),
                _ => "Expires today".to_owned(),
            };
            row(
                state,
                Tone::Warning,
                format!("Rotate it before it expires{}.{owner}", on(" on ")),
                manage,
            )
        }
        CredentialStatus::Valid => {
            let detail = match days {
                Some(d) if d > 0 => format!("Expires in {}{}.{owner}", days_phrase(d), on(", on ")),
                _ => format!("Valid.{owner}"),
            };
            row("Valid".into(), Tone::Success, detail, manage)
        }
        CredentialStatus::UnknownExpiry => row(
            "Valid".into(),
            Tone::Success,
            format!("No expiry date is recorded for this token.{owner}"),
            manage,
        ),
        CredentialStatus::Missing | CredentialStatus::Other => row(
            "Unknown".into(),
            Tone::Neutral,
            "Flui reported a state this dashboard does not know.".into(),
            manage,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(configured: bool) -> SetupStatus {
        SetupStatus {
            configured,
            auth_method: configured.then(|| "github_app".into()),
            app_slug: configured.then(|| "flui".into()),
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
    fn github_not_set_up_tells_admins_and_users_different_things() {
        let admin = github_row(&setup(false), &gh(false), true);
        assert_eq!(admin.state, "Not set up");
        assert_eq!(admin.link.unwrap().href, GITHUB_APP_SETUP_PATH);
        let user = github_row(&setup(false), &gh(false), false);
        assert!(user.detail.contains("Ask your administrator"));
        assert_eq!(user.link, None);
    }

    #[test]
    fn github_connected_and_not() {
        let row = github_row(&setup(true), &gh(true), false);
        assert_eq!((row.state.as_str(), row.tone), ("Connected", Tone::Success));
        assert_eq!(row.detail, "Connected as @octo, since 3 Nov 2026.");
        let row = github_row(&setup(true), &gh(false), false);
        assert_eq!(row.state, "Not connected");
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

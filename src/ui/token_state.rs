//! The state of a stored GHCR token in words, worded like the CLI (never "expires just
//! now"): for the overview's row and the token page alike. Plain logic.

use super::Tone;
use super::dates::{days_phrase, days_until, format_date, parse_iso_ms};
use crate::api::ghcr_pat::{CredentialStatus, GhcrPatStatus};

/// What the token's state comes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenState {
    /// The state in a few words, for a pill.
    pub state: String,
    pub tone: Tone,
    /// One sentence: what it means, or what to do.
    pub detail: String,
    /// Whether a token is stored (else nothing to manage).
    pub stored: bool,
}

pub fn ghcr_state(pat: &GhcrPatStatus, now_ms: f64) -> TokenState {
    let word = |state: &str, tone, detail: String| TokenState {
        state: state.to_owned(),
        tone,
        detail,
        stored: true,
    };
    if pat.needed == Some(false) {
        return TokenState {
            stored: false,
            ..word(
                "Not needed",
                Tone::Neutral,
                "Not needed: this instance keeps images in its own registry.".into(),
            )
        };
    }
    let status = pat.status.clone().unwrap_or(if pat.configured {
        CredentialStatus::UnknownExpiry
    } else {
        CredentialStatus::Missing
    });
    if !pat.configured || status == CredentialStatus::Missing {
        return TokenState {
            stored: false,
            ..word(
                "Missing",
                Tone::Warning,
                "Deploys cannot pull built images from GHCR until you add a token with the read:packages scope.".into(),
            )
        };
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
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!(" Belongs to @{l}."))
        .unwrap_or_default();

    match status {
        CredentialStatus::Invalid => word(
            "Invalid",
            Tone::Danger,
            "GitHub rejected this token at the last check, or it lacks read:packages. Add a new one.".into(),
        ),
        CredentialStatus::Expired => {
            let when = match days {
                Some(d) if d < 0 => format!("Expired {} ago", days_phrase(-d)),
                _ => "Expired today".to_owned(),
            };
            word(
                "Expired",
                Tone::Danger,
                format!("{when}{}. Add a new token.", on(", ")),
            )
        }
        CredentialStatus::ExpiringSoon => {
            let state = match days {
                Some(d) if d > 0 => format!("Expires in {}", days_phrase(d)),
                _ => "Expires today".to_owned(),
            };
            word(
                &state,
                Tone::Warning,
                format!("Rotate it before it expires{}.{owner}", on(" on ")),
            )
        }
        CredentialStatus::Valid => {
            let detail = match days {
                Some(d) if d > 0 => format!("Expires in {}{}.{owner}", days_phrase(d), on(", on ")),
                _ => format!("Valid.{owner}"),
            };
            word("Valid", Tone::Success, detail)
        }
        CredentialStatus::UnknownExpiry => word(
            "Valid",
            Tone::Success,
            format!("No expiry date is recorded for this token.{owner}"),
        ),
        CredentialStatus::Missing | CredentialStatus::Other => word(
            "Unknown",
            Tone::Neutral,
            "Flui reported a state this dashboard does not know.".into(),
        ),
    }
}

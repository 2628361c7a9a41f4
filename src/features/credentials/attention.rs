//! Which credentials need attention, in words, with the page that fixes each: plain
//! logic for the banner, tested on the host.

use crate::api::credentials::{CredentialItem, CredentialKind, CredentialsStatus};
use crate::api::ghcr_pat::{CredentialStatus, GhcrPatStatus};
use crate::app::routes::Page;
use crate::ui::Tone;
use crate::ui::dates::{days_phrase, format_date, parse_iso_ms};

/// One credential that needs something done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attention {
    pub name: String,
    /// The state in a few words, shown in a pill.
    pub state: String,
    pub tone: Tone,
    /// What it means and what to do.
    pub detail: String,
    /// The page that fixes it, when this dashboard has one for this user.
    pub fix: Option<(&'static str, Page)>,
}

/// The credentials that need attention, most urgent first. The GHCR item is taken from
/// `ghcr` when it is known (it is never cached by Flui; the aggregate may be).
pub fn needing_attention(
    credentials: &CredentialsStatus,
    ghcr: Option<&GhcrPatStatus>,
    is_admin: bool,
) -> Vec<Attention> {
    let mut items: Vec<CredentialItem> = credentials.items.clone().unwrap_or_default();
    if let Some(ghcr) = ghcr {
        items.retain(|i| i.kind != CredentialKind::GhcrPat);
        if ghcr.needed != Some(false) {
            items.push(CredentialItem {
                kind: CredentialKind::GhcrPat,
                label: None,
                status: match (&ghcr.status, ghcr.configured) {
                    (Some(status), _) => status.clone(),
                    (None, true) => CredentialStatus::UnknownExpiry,
                    (None, false) => CredentialStatus::Missing,
                },
                expires_at: ghcr.expires_at.clone(),
                days_until_expiry: ghcr.days_until_expiry,
                provider_id: None,
                action_url: None,
            });
        }
    }
    let found: Vec<(u8, Attention)> = items
        .iter()
        .filter_map(|item| Some((urgency(&item.status)?, attention(item, is_admin))))
        .collect();
    // Most urgent first, in the order Flui listed them within an urgency (no sort needed
    // for a handful of items, and none costs the wasm a sort's code).
    let most = found.iter().map(|(u, _)| *u).max().unwrap_or(0);
    (0..=most)
        .flat_map(|level| {
            found
                .iter()
                .filter(move |(u, _)| *u == level)
                .map(|(_, a)| a.clone())
        })
        .collect()
}

/// How urgent a status is (lower first); `None` when nothing needs doing.
fn urgency(status: &CredentialStatus) -> Option<u8> {
    match status {
        CredentialStatus::Invalid => Some(0),
        CredentialStatus::Expired => Some(1),
        CredentialStatus::Missing => Some(2),
        CredentialStatus::ExpiringSoon => Some(3),
        _ => None,
    }
}

fn attention(item: &CredentialItem, is_admin: bool) -> Attention {
    let when = item
        .expires_at
        .as_deref()
        .and_then(parse_iso_ms)
        .map(|ms| format!(" ({})", format_date(ms)))
        .unwrap_or_default();
    let (state, tone) = match (&item.status, item.days_until_expiry) {
        (CredentialStatus::Invalid, _) => ("Invalid".to_owned(), Tone::Danger),
        (CredentialStatus::Expired, Some(d)) if d < 0 => {
            (format!("Expired {} ago", days_phrase(-d)), Tone::Danger)
        }
        (CredentialStatus::Expired, _) => ("Expired".to_owned(), Tone::Danger),
        (CredentialStatus::ExpiringSoon, Some(d)) if d > 0 => {
            (format!("Expires in {}", days_phrase(d)), Tone::Warning)
        }
        (CredentialStatus::ExpiringSoon, _) => ("Expires today".to_owned(), Tone::Warning),
        _ => ("Missing".to_owned(), Tone::Warning),
    };
    let status = &item.status;
    let (name, detail, fix): (String, String, Option<(&'static str, Page)>) = match item.kind {
        CredentialKind::GhcrPat => {
            let detail = match status {
                CredentialStatus::Missing => "Deploys cannot pull built images until you add a GHCR token.".to_owned(),
                CredentialStatus::Invalid => {
                    "GitHub no longer accepts this token, or it lost read:packages: deploys cannot pull images. Replace it.".to_owned()
                }
                CredentialStatus::Expired => format!("It expired{when}: deploys cannot pull images. Add a new one."),
                _ => format!("Rotate it before it expires{when}, or deploys will stop pulling images."),
            };
            let fix = if *status == CredentialStatus::Missing {
                "Add a GHCR token"
            } else {
                "Replace the GHCR token"
            };
            ("GHCR token".to_owned(), detail, Some((fix, Page::GhcrToken)))
        }
        CredentialKind::GithubApp | CredentialKind::GithubPat => {
            let not_set_up = item.action_url.as_deref().and_then(Page::from_path) == Some(Page::GithubSetup);
            if not_set_up && !is_admin {
                (
                    "GitHub".to_owned(),
                    "GitHub is not set up on this instance yet. Ask your administrator to set it up."
                        .to_owned(),
                    None,
                )
            } else if not_set_up {
                (
                    "GitHub".to_owned(),
                    "GitHub is not set up on this instance yet.".to_owned(),
                    Some(("Set up GitHub", Page::GithubApp)),
                )
            } else {
                (
                    "GitHub".to_owned(),
                    format!(
                        "Your GitHub connection needs attention{when}: Flui cannot build your repositories without it."
                    ),
                    Some(("Connect GitHub", Page::Overview)),
                )
            }
        }
        CredentialKind::Provider | CredentialKind::Other => (
            item.label.clone().unwrap_or_else(|| "A credential".to_owned()),
            format!("It needs attention{when}. Manage it with the Flui CLI or the main Flui dashboard."),
            None,
        ),
    };
    Attention {
        name,
        state,
        tone,
        detail,
        fix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::decode;

    fn credentials(body: &str) -> CredentialsStatus {
        decode(body).unwrap()
    }

    const GHCR_EXPIRING: &str = r#"{"overallStatus":"EXPIRING_SOON","items":[
        {"kind":"GITHUB_APP","label":"GitHub App","status":"VALID","expiresAt":null,"daysUntilExpiry":null,"actionUrl":"/apps/repositories"},
        {"kind":"GHCR_PAT","label":"GHCR pull token","status":"EXPIRING_SOON","expiresAt":"2026-11-30T00:00:00.000Z","daysUntilExpiry":5,"actionUrl":"/apps/repositories"}]}"#;

    #[test]
    fn only_what_needs_doing_is_listed_with_its_fix() {
        let found = needing_attention(&credentials(GHCR_EXPIRING), None, false);
        assert_eq!(found.len(), 1, "{found:?}");
        let ghcr = &found[0];
        assert_eq!(
            (ghcr.state.as_str(), ghcr.tone),
            ("Expires in 5 days", Tone::Warning)
        );
        assert!(ghcr.detail.contains("30 Nov 2026"), "{}", ghcr.detail);
        assert_eq!(ghcr.fix, Some(("Replace the GHCR token", Page::GhcrToken)));
    }

    #[test]
    fn the_fresh_ghcr_status_wins_over_a_cached_aggregate() {
        let fresh: GhcrPatStatus = decode(
            r#"{"configured":true,"status":"VALID","expiresAt":"2027-02-23T00:00:00.000Z","daysUntilExpiry":90,"needed":true}"#,
        )
        .unwrap();
        assert!(needing_attention(&credentials(GHCR_EXPIRING), Some(&fresh), false).is_empty());
        let not_needed: GhcrPatStatus =
            decode(r#"{"configured":false,"status":"MISSING","needed":false}"#).unwrap();
        let missing = r#"{"items":[{"kind":"GHCR_PAT","status":"MISSING"}]}"#;
        assert!(needing_attention(&credentials(missing), Some(&not_needed), false).is_empty());
        assert_eq!(
            needing_attention(&credentials(missing), None, false)[0].state,
            "Missing"
        );
    }

    #[test]
    fn github_not_set_up_sends_admins_to_the_setup_and_tells_users_to_ask() {
        let body = r#"{"items":[{"kind":"GITHUB_APP","label":"GitHub App","status":"MISSING","actionUrl":"/apps/repositories/github-setup"}]}"#;
        let admin = needing_attention(&credentials(body), None, true);
        assert_eq!(admin[0].fix, Some(("Set up GitHub", Page::GithubApp)));
        let user = needing_attention(&credentials(body), None, false);
        assert_eq!(user[0].fix, None);
        assert!(user[0].detail.contains("Ask your administrator"));
    }

    #[test]
    fn the_most_urgent_comes_first_and_unknown_kinds_are_named() {
        let body = r#"{"items":[
            {"kind":"PROVIDER","label":"Hetzner token","status":"EXPIRING_SOON","daysUntilExpiry":3},
            {"kind":"GHCR_PAT","status":"INVALID"},
            {"kind":"QUANTUM","label":"Something new","status":"EXPIRED","daysUntilExpiry":-2}]}"#;
        let found = needing_attention(&credentials(body), None, false);
        let names: Vec<&str> = found.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["GHCR token", "Something new", "Hetzner token"]);
        assert_eq!(found[1].state, "Expired 2 days ago");
        assert_eq!(found[2].fix, None);
    }
}

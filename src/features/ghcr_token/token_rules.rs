//! The GHCR token form's rules, as plain logic tested on the host: what a token must look
//! like before it is sent, the expiry choices and what is sent for them, what the scopes
//! of a stored token mean, and which field a refusal from Flui belongs to.

use crate::ui::dates::{LocalDate, iso_from_ms};

/// GitHub's two kinds of personal access token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// `ghp_…`: scopes.
    Classic,
    /// `github_pat_…`: permissions on one account.
    FineGrained,
}

impl TokenKind {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Classic => "A classic token (ghp_).",
            Self::FineGrained => {
                "A fine-grained token (github_pat_): it needs the Packages: read permission on the account or organisation that owns the images."
            }
        }
    }
}

/// Checks a pasted token the way Flui will, before anything is sent: trimmed, and
/// starting with `ghp_` or `github_pat_`. The trimmed token on success.
pub fn check_token(raw: &str) -> Result<(String, TokenKind), &'static str> {
    let token = raw.trim();
    if token.is_empty() {
        return Err("Paste the token GitHub showed you when you created it.");
    }
    let kind = if token.starts_with("ghp_") {
        TokenKind::Classic
    } else if token.starts_with("github_pat_") {
        TokenKind::FineGrained
    } else {
        return Err(
            "This is not a GitHub personal access token: those start with ghp_ (classic) or github_pat_ (fine-grained). A GitHub App or OAuth token will not do.",
        );
    };
    if token.contains(char::is_whitespace) {
        return Err("A token has no spaces: copy it again, in one piece.");
    }
    Ok((token.to_owned(), kind))
}

/// Expiries offered, in days; the first is the default, as in the CLI.
pub const PRESET_DAYS: [i64; 3] = [90, 60, 30];

/// How long the token is valid: a preset, or a date of the user's choice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExpiryChoice {
    Days(i64),
    /// What the date input holds (`YYYY-MM-DD`), checked when sent.
    Date(String),
}

/// The first date a custom expiry may be: tomorrow, in the user's time zone (Flui wants
/// at least a day).
pub fn earliest_date(today: LocalDate) -> LocalDate {
    today.add_days(1)
}

/// The date a choice ends on, or why it cannot be used.
pub fn expiry_date(choice: &ExpiryChoice, today: LocalDate) -> Result<LocalDate, &'static str> {
    match choice {
        ExpiryChoice::Days(days) => Ok(today.add_days(*days)),
        ExpiryChoice::Date(raw) => match LocalDate::parse(raw) {
            None => Err("Choose the date the token expires on GitHub."),
            Some(date) if date < earliest_date(today) => {
                Err("Flui needs a token valid for at least a day: choose tomorrow or later.")
            }
            Some(date) => Ok(date),
        },
    }
}

/// The `expiresAt` sent for a choice. A preset lasts exactly its days from `now_ms`, so
/// Flui then counts exactly those days; a date lasts to the end of that day where the user
/// is (`offset_of` gives the user's UTC offset in minutes on a date), which keeps even
/// tomorrow at least a day ahead, as Flui requires.
pub fn expires_at(
    choice: &ExpiryChoice,
    today: LocalDate,
    now_ms: f64,
    offset_of: impl Fn(LocalDate) -> i64,
) -> Result<String, &'static str> {
    let date = expiry_date(choice, today)?;
    Ok(match choice {
        ExpiryChoice::Days(days) => iso_from_ms(now_ms + *days as f64 * 86_400_000.0),
        ExpiryChoice::Date(_) => date.end_of_day_iso(offset_of(date)),
    })
}

/// What the scopes of a stored token mean for pulling (and cleaning up) images.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeNote {
    /// Neither `read:packages` nor `write:packages`: images cannot be pulled.
    CannotPull,
    /// No `delete:packages`: old images are not cleaned up.
    CannotCleanUp,
    /// No scopes at all: a fine-grained token, whose permissions GitHub does not list.
    FineGrained,
}

impl ScopeNote {
    pub fn words(self) -> &'static str {
        match self {
            Self::CannotPull => {
                "Missing read:packages (or write:packages): deploys cannot pull images with this token. Create a new token with read:packages."
            }
            Self::CannotCleanUp => "No delete:packages: Flui cannot clean up old images with this token.",
            Self::FineGrained => {
                "A fine-grained token: GitHub does not list its permissions. It needs Packages: read on the account that owns the images."
            }
        }
    }
}

pub fn scope_notes(scopes: &[String]) -> Vec<ScopeNote> {
    let has = |scope: &str| scopes.iter().any(|s| s == scope);
    if scopes.is_empty() {
        return vec![ScopeNote::FineGrained];
    }
    let mut notes = Vec::new();
    if !has("read:packages") && !has("write:packages") {
        notes.push(ScopeNote::CannotPull);
    }
    if !has("delete:packages") {
        notes.push(ScopeNote::CannotCleanUp);
    }
    notes
}

/// The form field a refusal from Flui is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Token,
    Expiry,
}

/// Which field one of Flui's messages concerns, and what it means for the user.
pub fn explain_refusal(message: &str) -> (Field, String) {
    if let Some(said) = message.strip_prefix("Invalid GitHub PAT:") {
        return (
            Field::Token,
            format!(
                "GitHub does not accept this token (it said: {}). Check that you copied all of it, or create a new one.",
                said.trim()
            ),
        );
    }
    if let Some(rest) = message.strip_prefix("PAT is missing required scope read:packages") {
        let granted = rest
            .trim()
            .trim_start_matches("(granted scopes:")
            .trim_end_matches(')')
            .trim();
        return (
            Field::Token,
            format!(
                "This token lacks the read:packages scope, so deploys could not pull images (it grants: {}). Create a new token with read:packages.",
                if granted.is_empty() { "nothing" } else { granted }
            ),
        );
    }
    if message.starts_with("expiresAt") {
        return (
            Field::Expiry,
            "Flui needs a token valid for at least a day: choose a later expiry.".to_owned(),
        );
    }
    (
        Field::Token,
        format!("Flui refused the token: {message}. Correct it, or create a new token on GitHub."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> LocalDate {
        LocalDate::parse(text).unwrap()
    }

    #[test]
    fn tokens_are_trimmed_and_checked_before_sending() {
        assert_eq!(
            check_token("  ghp_abc123  \n"),
            Ok(("ghp_abc123".to_owned(), TokenKind::Classic))
        );
        assert_eq!(
            check_token("github_pat_11AB_xyz"),
            Ok(("github_pat_11AB_xyz".to_owned(), TokenKind::FineGrained))
        );
        for bad in [
            "",
            "   ",
            "gho_oauthtoken",
            "ghu_apptoken",
            "ghs_x",
            "token ghp_x",
            "ghp_a b",
        ] {
            assert!(check_token(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn expiries_end_on_a_date_at_least_tomorrow() {
        let today = day("2026-11-25");
        assert_eq!(expiry_date(&ExpiryChoice::Days(90), today), Ok(day("2027-02-23")));
        assert_eq!(
            expiry_date(&ExpiryChoice::Date("2026-11-26".into()), today),
            Ok(day("2026-11-26"))
        );
        assert!(expiry_date(&ExpiryChoice::Date("2026-11-25".into()), today).is_err());
        assert!(expiry_date(&ExpiryChoice::Date(String::new()), today).is_err());
        assert_eq!(earliest_date(day("2026-12-31")), day("2027-01-01"));
    }

    #[test]
    fn a_preset_lasts_its_days_and_a_date_to_the_end_of_that_day_where_the_user_is() {
        let today = day("2026-11-25");
        let now = crate::ui::dates::parse_iso_ms("2026-11-25T16:40:00.000Z").unwrap();
        let utc = |_: LocalDate| 0;
        assert_eq!(
            expires_at(&ExpiryChoice::Days(90), today, now, utc),
            Ok("2027-02-23T16:40:00.000Z".to_owned())
        );
        // Tokyo is 9 hours ahead: the 26th ends there at 14:59:59 UTC.
        assert_eq!(
            expires_at(&ExpiryChoice::Date("2026-11-26".into()), today, now, |_| 540),
            Ok("2026-11-26T14:59:59.000Z".to_owned())
        );
        assert_eq!(
            expires_at(&ExpiryChoice::Date("2026-11-26".into()), today, now, |_| -300),
            Ok("2026-11-27T04:59:59.000Z".to_owned())
        );
        assert!(expires_at(&ExpiryChoice::Date("2026-11-25".into()), today, now, utc).is_err());
    }

    #[test]
    fn scopes_are_read_for_what_they_allow() {
        let scopes = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(scope_notes(&scopes(&["read:packages", "delete:packages"])).is_empty());
        assert!(scope_notes(&scopes(&["write:packages", "delete:packages"])).is_empty());
        assert_eq!(
            scope_notes(&scopes(&["read:packages"])),
            vec![ScopeNote::CannotCleanUp]
        );
        assert_eq!(
            scope_notes(&scopes(&["repo"])),
            vec![ScopeNote::CannotPull, ScopeNote::CannotCleanUp]
        );
        assert_eq!(scope_notes(&[]), vec![ScopeNote::FineGrained]);
    }

    #[test]
    fn refusals_go_to_their_field_in_words() {
        let (field, words) = explain_refusal("Invalid GitHub PAT: Bad credentials");
        assert_eq!(field, Field::Token);
        assert!(words.contains("(it said: Bad credentials)"), "{words}");
        let (field, words) =
            explain_refusal("PAT is missing required scope read:packages (granted scopes: repo, workflow)");
        assert_eq!(field, Field::Token);
        assert!(words.contains("(it grants: repo, workflow)"), "{words}");
        let (field, _) = explain_refusal("expiresAt must be at least 1 day in the future");
        assert_eq!(field, Field::Expiry);
        let (field, _) = explain_refusal("expiresAt must be a valid ISO 8601 date string");
        assert_eq!(field, Field::Expiry);
        let (field, words) = explain_refusal("token should not be empty");
        assert_eq!(field, Field::Token);
        assert!(
            words.starts_with("Flui refused the token: token should not be empty."),
            "{words}"
        );
    }
}

//! What the GitHub App page says about the instance's setup, its health check and a return
//! from GitHub, as markup (`ui::markup`: fixed text, escaped values). Plain logic, tested
//! on the host.

use super::app_urls::{ManifestReturn, app_page_url};
use crate::api::ApiError;
use crate::api::setup::{AuthMethod, SetupHealth, SetupStatus};
use crate::ui::Tone;
use crate::ui::markup::{error_panel, escape};

/// The App Flui has, if it is a GitHub App with a slug.
pub fn app_slug(status: &SetupStatus) -> Option<String> {
    (status.configured && status.auth_method == Some(AuthMethod::GithubApp))
        .then(|| status.app_slug.clone())
        .flatten()
}

fn pill(text: &str, tone: Tone) -> String {
    format!(
        r#"<p><span class="pill pill--{}"><span class="pill__icon" aria-hidden="true">{}</span>{text}</span></p>"#,
        tone.class(),
        tone.icon()
    )
}

/// The method, what it means, and the App's page on GitHub.
pub fn status_markup(setup: &SetupStatus, github: &str) -> String {
    let method = if setup.configured {
        setup.auth_method.as_ref()
    } else {
        None
    };
    let (label, tone, meaning) = match method {
        None => (
            "Not set up",
            Tone::Neutral,
            "Flui has no way to reach GitHub yet: create or register the App below.",
        ),
        Some(AuthMethod::GithubApp) => (
            "GitHub App",
            Tone::Success,
            "Users install this App on their account or organisation to connect GitHub.",
        ),
        Some(AuthMethod::Pat) => (
            "Personal access tokens",
            Tone::Success,
            "Each user connects GitHub with a personal access token of their own; no App is used.",
        ),
        Some(AuthMethod::OauthApp) => (
            "Legacy OAuth App",
            Tone::Warning,
            "A legacy OAuth App migrated from the environment: it cannot import repositories. Register a GitHub App below to replace it.",
        ),
        Some(AuthMethod::Unknown) => (
            "Unknown method",
            Tone::Warning,
            "Flui reports a method this dashboard does not know.",
        ),
    };
    let app = app_slug(setup)
        .map(|slug| {
            format!(
                r#"<p>App: <a class="mono" href="{}" target="_blank" rel="noopener noreferrer">{}</a></p>"#,
                escape(&app_page_url(github, &slug)),
                escape(&slug)
            )
        })
        .unwrap_or_default();
    format!("{}<p>{meaning}</p>{app}", pill(label, tone))
}

/// The health check's answer (`None` while it is under way).
pub fn health_markup(health: Option<&Result<SetupHealth, ApiError>>, pat_mode: bool) -> String {
    let health = match health {
        None => return r#"<p class="muted" role="status">Checking the App with GitHub…</p>"#.into(),
        Some(Err(error)) => return error_panel(error),
        Some(Ok(health)) => health,
    };
    let details = health.details.as_ref();
    if health.ok && pat_mode {
        return r#"<p class="notice-line notice-line--success">Nothing to check here: each user's token is checked when they connect.</p>"#.into();
    }
    if health.ok {
        let figures: String = [
            ("App ID", details.and_then(|d| d.app_id())),
            (
                "Installations",
                details
                    .and_then(|d| d.installations_count())
                    .map(|n| n.to_string()),
            ),
        ]
        .into_iter()
        .filter_map(|(label, value)| {
            value.map(|v| format!("<dt>{label}</dt><dd class=\"mono\">{}</dd>", escape(&v)))
        })
        .collect();
        return format!(
            r#"<p class="notice-line notice-line--success">GitHub accepts the App's credentials.</p><dl class="facts facts--inline">{figures}</dl>"#
        );
    }
    if details.and_then(|d| d.error.as_deref()) == Some("not_configured") {
        return String::new();
    }
    format!(
        r#"<div class="error-panel" role="alert"><p class="error-panel__what">Flui's check of the App with GitHub failed, so users cannot connect or import.</p><p>It reported: <q>{}</q></p><p>Check that Flui can reach GitHub, and that the App ID and the private key belong to the same App (compare the key's fingerprint with the one under Private keys on the App's page); then register it again below.</p></div>"#,
        escape(&health.failure().unwrap_or_default())
    )
}

/// Back from GitHub: the outcome Flui's redirect named, and for a success what Flui
/// confirmed (`None` while it is being asked; `Ok(None)`: no new App).
pub fn returned_markup(
    returned: &ManifestReturn,
    confirmed: Option<&Result<Option<String>, ApiError>>,
) -> String {
    let body = match (returned, confirmed) {
        (ManifestReturn::Failed { what, detail }, _) => {
            let detail = detail
                .as_ref()
                .map(|d| format!("<p>What GitHub or Flui said: <q>{}</q></p>", escape(d)))
                .unwrap_or_default();
            return format!(
                r##"<h2 id="manifest-title">The App was not created</h2><p class="notice-line notice-line--danger" role="alert">{what}</p>{detail}<p><a class="button button--primary" href="#create-title">Try again</a></p>"##
            );
        }
        (ManifestReturn::Success, None) => r#"<p role="status">Checking with Flui that the new App is stored…</p>"#.to_owned(),
        (ManifestReturn::Success, Some(Ok(Some(slug)))) => format!(
            r#"<p class="notice-line notice-line--success">The GitHub App <strong>{}</strong> was created on GitHub and Flui has its credentials.</p><p>Next: install it on your own account (Connect GitHub on the overview) to check it end to end, then make it public (step 7 of the guide below).</p>"#,
            escape(slug)
        ),
        (ManifestReturn::Success, Some(Ok(None))) => r#"<p class="notice-line notice-line--danger" role="alert">GitHub sent you back, but Flui has no new GitHub App stored, so nothing changed. Create the App again below; if GitHub created one already, register it by hand instead.</p>"#.to_owned(),
        (ManifestReturn::Success, Some(Err(error))) => error_panel(error),
    };
    format!(r#"<h2 id="manifest-title">Back from GitHub</h2>{body}"#)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::decode;

    fn status(body: &str) -> SetupStatus {
        decode(body).unwrap()
    }

    #[test]
    fn each_method_reads_as_words_and_the_slug_is_escaped() {
        let app = status_markup(
            &status(r#"{"configured":true,"authMethod":"github_app","appSlug":"flui<b>"}"#),
            "https://github.com",
        );
        assert!(app.contains("GitHub App"));
        assert!(app.contains(r#"href="https://github.com/apps/flui&lt;b&gt;""#));
        assert!(!app.contains("<b>"));
        assert!(
            status_markup(&status(r#"{"configured":true,"authMethod":"pat"}"#), "g")
                .contains("Personal access tokens")
        );
        assert!(
            status_markup(&status(r#"{"configured":true,"authMethod":"oauth_app"}"#), "g")
                .contains("Legacy OAuth App")
        );
        assert!(
            status_markup(&status(r#"{"configured":false,"authMethod":null}"#), "g").contains("Not set up")
        );
    }

    #[test]
    fn the_health_check_shows_its_figures_or_its_failure() {
        let ok: Result<SetupHealth, ApiError> = decode(
            r#"{"ok":true,"mode":"github_app","details":{"appSlug":"f","appId":"7","installationsCount":2}}"#,
        );
        let shown = health_markup(Some(&ok), false);
        assert!(
            shown.contains("<dt>App ID</dt><dd class=\"mono\">7</dd>")
                && shown.contains("<dd class=\"mono\">2</dd>"),
            "{shown}"
        );
        let failed: Result<SetupHealth, ApiError> = decode(
            r#"{"ok":false,"mode":"github_app","details":{"error":"github_api_error","message":"<script>"}}"#,
        );
        let shown = health_markup(Some(&failed), false);
        assert!(shown.contains("It reported: <q>&lt;script&gt;</q>"), "{shown}");
        let none: Result<SetupHealth, ApiError> =
            decode(r#"{"ok":false,"mode":null,"details":{"error":"not_configured"}}"#);
        assert_eq!(health_markup(Some(&none), false), "");
        assert!(health_markup(None, false).contains("Checking"));
    }

    #[test]
    fn a_return_claims_success_only_once_confirmed() {
        let success = ManifestReturn::Success;
        assert!(returned_markup(&success, None).contains("Checking with Flui"));
        assert!(returned_markup(&success, Some(&Ok(None))).contains("no new GitHub App"));
        assert!(
            returned_markup(&success, Some(&Ok(Some("flui-x".into()))))
                .contains("<strong>flui-x</strong> was created")
        );
        let failed = ManifestReturn::Failed {
            what: "It failed.",
            detail: Some("<i>".into()),
        };
        let shown = returned_markup(&failed, None);
        assert!(shown.contains("It failed.") && shown.contains("&lt;i&gt;") && !shown.contains("<i>"));
    }
}

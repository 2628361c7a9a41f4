//! The operator's registration steps ("Creating the Flui GitHub App") with this
//! installation's own values, each URL with a copy button. Fixed text with escaped values
//! (`ui::markup`), redrawn when the public API URL or the organisation in the one-click
//! form changes. The markup is plain logic, tested on the host.

use leptos::prelude::*;

use super::app_urls::{
    advanced_settings_url, callback_url, check_base, check_org, registration_url, webhook_url,
};
use crate::ui::markup::{copy_button, escape, set_html, value_of};

/// Where the steps go.
const STEPS_ID: &str = "guide-steps";

/// What the steps are written for.
#[derive(Clone, Debug)]
pub struct GuideValues {
    pub github: String,
    /// The API's public base URL.
    pub base: String,
    /// The dashboard's origin (the App's homepage).
    pub homepage: String,
    pub org: Option<String>,
    /// The App configured now, if any.
    pub slug: Option<String>,
}

fn link(href: &str, label: &str) -> String {
    format!(
        r#"<a href="{}" target="_blank" rel="noopener noreferrer">{label}</a>"#,
        escape(href)
    )
}

fn values(rows: &[(&str, String)]) -> String {
    let rows: String = rows
        .iter()
        .map(|(label, value)| {
            format!(
                "<dt>{label}</dt><dd><code>{}</code> {}</dd>",
                escape(value),
                copy_button(value, label)
            )
        })
        .collect();
    format!(r#"<dl class="facts url-list">{rows}</dl>"#)
}

/// The steps as markup: every value from `v` is escaped.
pub fn guide_markup(v: &GuideValues) -> String {
    let org_link = v.org.as_deref().map(|org| {
        format!(
            "<p>{}</p>",
            link(
                &registration_url(&v.github, Some(org)),
                &format!("Register under {}", escape(org))
            )
        )
    });
    let make_public = match &v.slug {
        Some(slug) => format!(
            "<p>{}</p>",
            link(
                &advanced_settings_url(&v.github, v.org.as_deref(), slug),
                "Open the App's advanced settings"
            )
        ),
        None => String::new(),
    };
    format!(
        r#"<li><h3>1. Choose who owns the App</h3>
<p>An organisation is recommended for managed deployments: the App appears to users as the organisation's, and ownership can move between its owners. A personal account is fine for a single operator. Name the organisation in the form above for its link.</p>
{org}<p>{personal}</p></li>
<li><h3>2. Fill in the registration form</h3>
<p>GitHub App name: anything readable; the slug comes from it and appears in install links, so pick something stable. Webhook secret: generate one in the form above (at least 32 characters) and keep it for Flui. Tick “Request user authorization (OAuth) during installation”: users then connect and authorise in one trip.</p>
{urls}</li>
<li><h3>3. Repository permissions</h3>
<dl class="facts url-list"><dt>Contents</dt><dd>Read &amp; write</dd><dt>Actions</dt><dd>Read &amp; write</dd><dt>Workflows</dt><dd>Read &amp; write</dd><dt>Metadata</dt><dd>Read-only</dd><dt>Packages</dt><dd>Read &amp; write</dd><dt>Pull requests</dt><dd>Read &amp; write</dd></dl></li>
<li><h3>4. Subscribe to events</h3><p>Installation, Installation repositories, Workflow run, Push.</p></li>
<li><h3>5. Where can this GitHub App be installed?</h3><p>“Only on this account” for now. Then Create GitHub App.</p></li>
<li><h3>6. Collect the credentials</h3>
<p>On the App's page: note the App ID and the Client ID, generate a client secret (shown once) and generate a private key (a .pem file downloads). Enter them with the webhook secret in “Register an existing App by hand” above.</p></li>
<li><h3>7. Open the App to users</h3>
<p>Once a first install on your own account works, switch “Where can this GitHub App be installed?” to “Any account” under Advanced → Danger zone → Make public. Users can then install it on their accounts and organisations.</p>{make_public}</li>"#,
        org = org_link.unwrap_or_default(),
        personal = link(
            &registration_url(&v.github, None),
            "Register under your personal account"
        ),
        urls = values(&[
            ("Homepage URL", v.homepage.clone()),
            ("Callback URL", callback_url(&v.base)),
            ("Webhook URL", webhook_url(&v.base)),
        ]),
    )
}

/// Redraws the steps for the base URL and organisation typed in the one-click form (the
/// API's own base while the URL there is not valid).
pub fn redraw(mut values: GuideValues) {
    if let Ok(base) = check_base(&value_of("manifest-base")) {
        values.base = base;
    }
    values.org = check_org(&value_of("manifest-org")).ok().flatten();
    set_html(STEPS_ID, &guide_markup(&values));
}

#[component]
pub fn RegistrationGuide(values: GuideValues) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="guide-title">
            <details>
                <summary><h2 id="guide-title">"Registration guide: create the App on GitHub yourself"</h2></summary>
                <p>"For when one-click creation is not possible. The values below are this installation's own."</p>
                <ol class="steps" id=STEPS_ID inner_html=guide_markup(&values)></ol>
            </details>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guide_uses_this_installations_values_and_escapes_them() {
        let markup = guide_markup(&GuideValues {
            github: "https://github.com".into(),
            base: "https://api.flui.example".into(),
            homepage: "https://app.flui.example".into(),
            org: Some("acme".into()),
            slug: Some("flui-acme".into()),
        });
        for expected in [
            r#"<code>https://api.flui.example/api/v1/repositories/github-app/user-callback</code>"#,
            r#"<code>https://api.flui.example/api/v1/webhooks/github-app</code>"#,
            r#"<code>https://app.flui.example</code>"#,
            r#"href="https://github.com/organizations/acme/settings/apps/new""#,
            r#"href="https://github.com/settings/apps/new""#,
            r#"href="https://github.com/organizations/acme/settings/apps/flui-acme/advanced""#,
        ] {
            assert!(markup.contains(expected), "{expected}");
        }
        let hostile = guide_markup(&GuideValues {
            github: "https://github.com".into(),
            base: r#"https://x"><script>alert(1)</script>"#.into(),
            homepage: "https://app".into(),
            org: None,
            slug: None,
        });
        assert!(!hostile.contains("<script>"));
        assert!(!hostile.contains("Open the App's advanced settings"));
    }
}

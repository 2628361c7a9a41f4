//! One-click creation (GitHub's manifest flow): the App's name and the public API URL it
//! is built from, every URL GitHub will be given with a copy button, warnings about an
//! address GitHub cannot reach, then `manifest-start` and a form POST of the manifest to
//! GitHub's registration page (an organisation's when one is named).
//!
//! The fields are fixed markup (`ui::markup`): the preview under them is redrawn from the
//! inputs on every keystroke by one handler.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlFormElement, HtmlInputElement};

use super::app_urls::{
    MAX_NAME, base_warnings, callback_url, check_base, check_name, check_org, manifest_redirect_url,
    registration_url, webhook_url,
};
use super::github_app_page::BEFORE_MANIFEST;
use crate::api::setup::ManifestRequest;
use crate::api::{ApiError, use_api};
use crate::ui::markup::{
    by_id, copy_button, error_panel, escape, is_checked, set_busy, set_html, set_text, value_of,
};

/// `{name}` and `{base}` are filled in (escaped) when the form is drawn.
const FIELDS: &str = r#"
<div class="field"><label for="manifest-name">App name</label>
<input id="manifest-name" name="name" autocomplete="off" spellcheck="false" maxlength="60" value="{name}" aria-describedby="manifest-name-hint manifest-name-error">
<p id="manifest-name-hint" class="field__hint" aria-live="polite"></p>
<p id="manifest-name-error" class="field__error" role="alert"></p></div>
<div class="field"><label for="manifest-base">Public API URL</label>
<input id="manifest-base" name="base" type="url" autocomplete="off" spellcheck="false" value="{base}" aria-describedby="manifest-base-hint manifest-base-error">
<p id="manifest-base-hint" class="field__hint">Where GitHub reaches this Flui API, without /api/v1. This dashboard uses <code>{base}</code>.</p>
<p id="manifest-base-error" class="field__error" role="alert"></p></div>
<dl id="manifest-urls" class="facts url-list" aria-label="URLs GitHub will be given"></dl>
<div id="manifest-warning-box" class="warning-box" hidden><p><strong>Before GitHub is given this address:</strong></p>
<ul id="manifest-warnings" aria-live="polite"></ul>
<label class="choice"><input type="checkbox" id="manifest-accept" name="accept"> GitHub can reach this address as it is: use it anyway</label>
<p id="manifest-accept-error" class="field__error" role="alert"></p></div>
<div class="field"><label for="manifest-org">Organisation that will own the App (optional)</label>
<input id="manifest-org" name="org" autocomplete="off" spellcheck="false" aria-describedby="manifest-org-hint manifest-org-error">
<p id="manifest-org-hint" class="field__hint">Recommended for a team: the App appears as the organisation's, and ownership can move between its owners. Leave empty to own it yourself.</p>
<p id="manifest-org-error" class="field__error" role="alert"></p></div>
<label class="choice"><input type="checkbox" id="manifest-webhooks" name="webhooks" checked> Send webhooks to Flui (installations, pushes, workflow runs)</label>
<label class="choice"><input type="checkbox" id="manifest-public" name="public"> Allow any account to install it (leave off until a first install works)</label>
<p class="field__hint">If Flui has an App already, the new one replaces it once GitHub has created it.</p>
"#;

/// The fields whose problems are shown at them.
const CHECKED: [&str; 4] = [
    "manifest-name",
    "manifest-base",
    "manifest-org",
    "manifest-accept",
];

/// A default name GitHub has likely not seen: "Flui" and the API's host.
fn default_name(api_base: &str) -> String {
    let host = api_base.split("://").nth(1).unwrap_or(api_base);
    let host = host.split([':', '/']).next().unwrap_or(host);
    format!("Flui {host}").chars().take(MAX_NAME).collect()
}

/// Sends the browser to GitHub with the manifest, as a form POST (GitHub's only way in).
fn post_to_github(action: &str, manifest: &str) -> Result<(), JsValue> {
    let document = document();
    let form: HtmlFormElement = document.create_element("form")?.unchecked_into();
    form.set_method("post");
    form.set_action(action);
    let field: HtmlInputElement = document.create_element("input")?.unchecked_into();
    field.set_type("hidden");
    field.set_name("manifest");
    field.set_value(manifest);
    form.append_child(&field)?;
    document.body().ok_or(JsValue::NULL)?.append_child(&form)?;
    form.submit()
}

/// The warnings for what the base field holds now.
fn warnings(api_base: &str) -> Vec<String> {
    check_base(&value_of("manifest-base"))
        .map(|base| base_warnings(&base, api_base))
        .unwrap_or_default()
}

/// Redraws the slug, the URLs and the warnings from the inputs.
fn preview(github: &str, api_base: &str) {
    set_text(
        "manifest-name-hint",
        &match check_name(&value_of("manifest-name")) {
            Ok(slug) => format!("Its address on GitHub will be {github}/apps/{slug}"),
            Err(words) => words.to_owned(),
        },
    );
    let urls = check_base(&value_of("manifest-base")).map(|base| {
        let mut rows = vec![
            ("Homepage URL", base.clone()),
            ("Callback URL", callback_url(&base)),
            ("Setup redirect URL", manifest_redirect_url(&base)),
        ];
        if is_checked("manifest-webhooks") {
            rows.push(("Webhook URL", webhook_url(&base)));
        }
        rows.iter()
            .map(|(label, url)| {
                // The redirect URL ends in a state Flui makes: nothing to copy yet.
                let copy = if url.ends_with('…') {
                    String::new()
                } else {
                    copy_button(url, label)
                };
                format!("<dt>{label}</dt><dd><code>{}</code> {copy}</dd>", escape(url))
            })
            .collect::<String>()
    });
    set_html("manifest-urls", &urls.unwrap_or_default());
    let list = warnings(api_base);
    set_html(
        "manifest-warnings",
        &list
            .iter()
            .map(|w| format!("<li>{}</li>", escape(w)))
            .collect::<String>(),
    );
    if let Some(box_) = by_id("manifest-warning-box") {
        let _ = box_.toggle_attribute_with_force("hidden", list.is_empty());
    }
}

#[component]
pub fn ManifestForm(
    /// The App Flui has now, which a new one replaces.
    configured: Signal<Option<String>>,
    /// Runs when the base URL or the organisation changes (the guide follows them).
    on_change: Callback<()>,
) -> impl IntoView {
    let api = use_api();
    let config = api.config();
    let (api_base, github) = (config.api_base_url, config.github_url);
    let markup = FIELDS
        .replace("{name}", &escape(&default_name(&api_base)))
        .replace("{base}", &escape(&api_base));
    let start = move |request: ManifestRequest, action: String| {
        let api = api.clone();
        let before = configured.get_untracked().unwrap_or_default();
        leptos::task::spawn_local(async move {
            set_busy("manifest-start", true);
            set_html("manifest-outcome", "");
            let started = api.start_manifest(&request).await;
            set_busy("manifest-start", false);
            let sent = started.and_then(|manifest| {
                if let Ok(Some(storage)) = window().session_storage() {
                    let _ = storage.set_item(BEFORE_MANIFEST, &before);
                }
                post_to_github(&action, &manifest)
                    .map_err(|_| ApiError::Decode("the browser did not open GitHub's page".into()))
            });
            if let Err(error) = sent {
                set_html("manifest-outcome", &error_panel(&error));
            }
        });
    };
    let on_submit = {
        let (github, api_base) = (github.clone(), api_base.clone());
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let name = value_of("manifest-name");
            let request = (|| {
                check_name(&name).map_err(|w| ("manifest-name", w))?;
                let base = check_base(&value_of("manifest-base")).map_err(|w| ("manifest-base", w))?;
                let owner = check_org(&value_of("manifest-org")).map_err(|w| ("manifest-org", w))?;
                if !warnings(&api_base).is_empty() && !is_checked("manifest-accept") {
                    return Err((
                        "manifest-accept",
                        "Fix the address, or confirm that GitHub can reach it as it is.",
                    ));
                }
                Ok((
                    ManifestRequest {
                        name: name.trim().to_owned(),
                        webhooks_enabled: is_checked("manifest-webhooks"),
                        public_app: is_checked("manifest-public"),
                        public_api_url: base,
                    },
                    registration_url(&github, owner.as_deref()),
                ))
            })();
            for id in CHECKED {
                let words = match &request {
                    Err((at, words)) if *at == id => words,
                    _ => "",
                };
                set_text(&format!("{id}-error"), words);
            }
            if let Ok((request, action)) = request {
                start(request, action);
            }
        }
    };
    // The preview is drawn once the markup is in place, then on every change.
    let draw = move || preview(&github, &api_base);
    request_animation_frame(draw.clone());
    view! {
        <form class="form" novalidate on:submit=on_submit
            on:input=move |_| {
                draw();
                on_change.run(());
            }>
            <div inner_html=markup></div>
            <div id="manifest-outcome"></div>
            <div class="form__actions">
                <button id="manifest-start" type="submit" class="button button--primary">"Create on GitHub"</button>
            </div>
        </form>
    }
}

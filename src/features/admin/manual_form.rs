//! The manual form (`flui integration setup-github-app`): the seven fields of the API, the
//! private key checked on the spot with its fingerprint, a webhook secret generator,
//! a confirmation before replacing a configured App, and every secret cleared once Flui
//! has them. The fields are fixed markup (`ui::markup`); the inputs keep their own values,
//! read when the form is sent.

use leptos::ev::{DragEvent, SubmitEvent};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{FormData, HtmlFormElement};

use super::app_urls::{callback_url, check_base};
use super::private_key::check_private_key;
use crate::api::setup::AppCredentials;
use crate::api::{ErrorKind, use_api};
use crate::ui::ConfirmDialog;
use crate::ui::clipboard::copy_then;
use crate::ui::markup::{
    by_id, error_panel, escape, set_busy, set_html, set_text, set_value, submitted, target_id, value_of,
};

/// The fields whose problems are shown at them, by id.
const CHECKED: [&str; 5] = ["app-id", "slug", "webhook-secret", "callback-url", "private-key"];

/// The form's markup: `{callback}` is filled in (escaped) when it is drawn.
const FIELDS: &str = r#"
<div class="field"><label for="app-id">App ID</label>
<input id="app-id" name="app-id" inputmode="numeric" autocomplete="off" aria-describedby="app-id-hint app-id-error">
<p id="app-id-hint" class="field__hint">The number at the top of the App's page on GitHub.</p>
<p id="app-id-error" class="field__error" role="alert"></p></div>
<div class="field"><label for="slug">App slug</label>
<input id="slug" name="slug" autocomplete="off" spellcheck="false" aria-describedby="slug-hint slug-error">
<p id="slug-hint" class="field__hint">The last part of the App's address: github.com/apps/&lt;slug&gt;.</p>
<p id="slug-error" class="field__error" role="alert"></p></div>
<div class="field"><label for="client-id">Client ID</label>
<input id="client-id" name="client-id" autocomplete="off" spellcheck="false" aria-describedby="client-id-hint">
<p id="client-id-hint" class="field__hint">Under the App ID on the App's page; users cannot connect through the App without it. Left empty, Flui keeps the one it has, if any.</p></div>
<div class="field"><label for="client-secret">Client secret</label>
<input id="client-secret" name="client-secret" type="password" autocomplete="off" aria-describedby="client-secret-hint">
<p id="client-secret-hint" class="field__hint">Generate a new client secret on the App's page; GitHub shows it once. Left empty, Flui keeps the one it has, if any.</p></div>
<div class="field"><label for="webhook-secret">Webhook secret</label>
<div class="field__row"><input id="webhook-secret" name="webhook-secret" type="password" autocomplete="off" aria-describedby="webhook-secret-hint webhook-secret-error">
<button type="button" id="generate-secret" class="button button--small">Generate</button>
<button type="button" id="copy-secret" class="button button--small" aria-label="Copy the webhook secret"><span id="copy-secret-word" aria-live="polite">Copy</span></button></div>
<p id="webhook-secret-hint" class="field__hint">The same value as the App's Webhook secret on GitHub. Generate makes 48 random characters: copy them to the App on GitHub too.</p>
<p id="webhook-secret-error" class="field__error" role="alert"></p></div>
<div class="field"><label for="callback-url">Callback URL</label>
<input id="callback-url" name="callback-url" type="url" autocomplete="off" spellcheck="false" value="{callback}" aria-describedby="callback-url-hint callback-url-error">
<p id="callback-url-hint" class="field__hint">Must match the App's Callback URL on GitHub character for character, or connecting through the App fails.</p>
<p id="callback-url-error" class="field__error" role="alert"></p></div>
<div class="field drop-zone"><label for="private-key">Private key</label>
<p class="field__hint" id="private-key-hint">Choose the .pem file GitHub downloaded (Generate a private key on the App's page), drop it here, or paste it. It is read and checked in this browser.</p>
<label for="private-key-file" class="visually-hidden">Private key file</label>
<input id="private-key-file" type="file" accept=".pem,.key,text/plain">
<textarea id="private-key" name="private-key" rows="6" spellcheck="false" autocomplete="off" class="mono" aria-describedby="private-key-hint private-key-check private-key-error"></textarea>
<p id="private-key-check" class="field__hint" aria-live="polite"></p>
<p id="private-key-error" class="field__error" role="alert"></p></div>
"#;

/// Said on Flui's 400 "Invalid GitHub App credentials": GitHub refused the App ID with
/// the key, or Flui could not reach GitHub to ask (a real Flui answers both alike).
const REJECTED: &str = r#"<div class="error-panel" role="alert"><p class="error-panel__what">Flui could not confirm this App ID and private key with GitHub, so it stored nothing.</p><p>Check the App ID at the top of the App's page, that the key's fingerprint above is listed under Private keys there, and that Flui can reach GitHub. Everything you typed is still here.</p></div>"#;

/// A fresh webhook secret: 24 random bytes from the browser's crypto, as 48 hex digits.
fn new_secret() -> Option<String> {
    let mut bytes = [0u8; 24];
    window()
        .crypto()
        .ok()?
        .get_random_values_with_u8_array(&mut bytes)
        .ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The form's values, checked; a refusal names the field (its id) and says why.
fn read_form(form: &FormData) -> Result<AppCredentials, (&'static str, String)> {
    let value = |name: &str| form.get(name).as_string().unwrap_or_default().trim().to_owned();
    let optional = |name: &str| Some(value(name)).filter(|v| !v.is_empty());
    let app_id = value("app-id");
    if app_id.is_empty() || !app_id.bytes().all(|b| b.is_ascii_digit()) {
        return Err((
            "app-id",
            "The App ID is the number at the top of the App's page on GitHub (for example 123456).".into(),
        ));
    }
    let slug = value("slug");
    if slug.is_empty()
        || !slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(("slug", "The slug is the last part of the App's address, github.com/apps/<slug>: lower-case letters, digits and hyphens.".into()));
    }
    let webhook_secret = value("webhook-secret");
    if webhook_secret.is_empty() {
        return Err((
            "webhook-secret",
            "Give the webhook secret set on the App, or generate one and set it on GitHub too.".into(),
        ));
    }
    let callback = optional("callback-url");
    if let Some(url) = &callback {
        check_base(url).map_err(|_| {
            (
                "callback-url",
                "The callback URL must be a full https:// address.".to_owned(),
            )
        })?;
    }
    let private_key = form.get("private-key").as_string().unwrap_or_default();
    check_private_key(&private_key).map_err(|w| ("private-key", w.to_owned()))?;
    Ok(AppCredentials {
        app_id,
        app_slug: slug,
        private_key: private_key.trim().to_owned(),
        webhook_secret,
        client_id: optional("client-id"),
        client_secret: optional("client-secret"),
        callback_url: callback,
    })
}

/// Shows the key's check under the key field.
fn show_key_check() {
    let text = value_of("private-key");
    let words = match check_private_key(&text) {
        _ if text.trim().is_empty() => String::new(),
        Ok(info) => format!(
            "{}. Fingerprint {}: the same as under Private keys on the App's page?",
            info.describe(),
            info.fingerprint
        ),
        Err(words) => words.to_owned(),
    };
    set_text("private-key-check", &words);
}

/// Reads a chosen or dropped file, in the browser, into the key field.
fn read_key_file(file: Option<web_sys::File>) {
    if let Some(file) = file {
        leptos::task::spawn_local(async move {
            if let Ok(text) = JsFuture::from(file.text()).await {
                set_value("private-key", &text.as_string().unwrap_or_default());
                show_key_check();
            }
        });
    }
}

#[component]
pub fn ManualForm(
    /// The App Flui has now: replacing it asks first.
    configured: Signal<Option<String>>,
    /// Runs once Flui has stored the App.
    on_saved: Callback<()>,
) -> impl IntoView {
    let api = use_api();
    let markup = FIELDS.replace("{callback}", &escape(&callback_url(&api.config().api_base_url)));
    let confirm_open = RwSignal::new(false);
    let pending = StoredValue::new(None::<AppCredentials>);
    let save = move |credentials: AppCredentials| {
        let api = api.clone();
        leptos::task::spawn_local(async move {
            set_busy("manual-save", true);
            set_html("manual-outcome", "");
            let saved = api.configure_github_app(&credentials).await;
            set_busy("manual-save", false);
            let outcome = match saved {
                Ok(status) => {
                    // Every secret leaves the page as soon as Flui has it.
                    if let Some(form) =
                        by_id("manual-form").and_then(|f| f.dyn_into::<HtmlFormElement>().ok())
                    {
                        form.reset();
                    }
                    set_text("private-key-check", "");
                    on_saved.try_run(());
                    format!(
                        r#"<p class="notice-line notice-line--success" role="status">Saved: Flui now uses the App <strong>{}</strong>. The secrets were cleared from this form.</p>"#,
                        escape(&status.app_slug.unwrap_or(credentials.app_slug))
                    )
                }
                Err(error)
                    if error.kind() == ErrorKind::Invalid
                        && error
                            .messages()
                            .iter()
                            .any(|m| m.contains("Invalid GitHub App credentials")) =>
                {
                    REJECTED.to_owned()
                }
                Err(error) => error_panel(&error),
            };
            set_html("manual-outcome", &outcome);
        });
    };
    let confirmed = save.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(form) = submitted(&ev) else {
            return;
        };
        let checked = read_form(&form);
        for id in CHECKED {
            let words = match &checked {
                Err((at, words)) if *at == id => words.as_str(),
                _ => "",
            };
            set_text(&format!("{id}-error"), words);
        }
        match checked {
            Ok(credentials) if configured.get_untracked().is_some() => {
                pending.set_value(Some(credentials));
                confirm_open.set(true);
            }
            Ok(credentials) => save(credentials),
            Err(_) => set_html("manual-outcome", ""),
        }
    };
    let on_click = move |ev: leptos::ev::MouseEvent| match target_id(&ev).as_str() {
        "generate-secret" => {
            if let Some(secret) = new_secret() {
                set_value("webhook-secret", &secret);
            }
        }
        "copy-secret" => copy_then(&value_of("webhook-secret"), |done| {
            set_text("copy-secret-word", if done { "Copied" } else { "Copy" })
        }),
        _ => {}
    };
    view! {
        <form id="manual-form" class="form" novalidate on:submit=on_submit on:click=on_click
            on:input=move |ev| {
                if target_id(&ev) == "private-key" {
                    show_key_check();
                }
            }
            on:change=move |ev| {
                if target_id(&ev) == "private-key-file" {
                    read_key_file(event_target::<web_sys::HtmlInputElement>(&ev).files().and_then(|f| f.get(0)));
                }
            }
            on:dragover=move |ev: DragEvent| ev.prevent_default()
            on:drop=move |ev: DragEvent| {
                ev.prevent_default();
                read_key_file(ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)));
            }>
            <div inner_html=markup></div>
            <div id="manual-outcome"></div>
            <div class="form__actions">
                <button id="manual-save" type="submit" class="button button--primary">"Save the App in Flui"</button>
            </div>
        </form>
        <ConfirmDialog open=confirm_open title="Replace the configured GitHub App?" confirm="Replace it"
            on_confirm=Callback::new(move |_| {
                if let Some(credentials) = pending.try_update_value(Option::take).flatten() {
                    confirmed(credentials);
                }
            })>
            <p>
                "Flui uses " <strong>{move || configured.get()}</strong>
                " now. Saving replaces its credentials with the ones in the form; optional fields left empty keep their stored values."
            </p>
        </ConfirmDialog>
    }
}

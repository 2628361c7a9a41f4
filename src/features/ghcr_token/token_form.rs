//! The GHCR token form: a masked token field and an expiry, checked before anything is
//! sent; Flui's refusals shown at the field they concern; nothing typed lost on failure,
//! and the token gone from the form once it is saved.
//!
//! The inputs keep their own values (read from the form when it is sent) rather than
//! mirroring them in signals: every reactive binding costs wasm, and none is needed here.

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use web_sys::FormData;

use super::token_rules::{
    ExpiryChoice, Field, PRESET_DAYS, check_token, earliest_date, expires_at, explain_refusal,
};
use crate::api::ghcr_pat::GhcrPatStatus;
use crate::api::{ApiError, ErrorKind, Task, use_api};
use crate::ui::ErrorPanel;
use crate::ui::dates::{now_ms, today, utc_offset_minutes};
use crate::ui::markup::submitted;

/// What the form does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormMode {
    /// Save a first token (POST).
    Set,
    /// Replace the stored one (PUT rotate).
    Rotate,
    /// Change the stored token's expiry only (PATCH).
    Expiry,
}

/// A refusal, placed: at a field, or for the whole form.
#[derive(Clone, Debug, PartialEq)]
enum Problem {
    Field(Field, String),
    Form(ApiError),
    /// Rotating found no token: someone revoked it meanwhile.
    Gone,
}

/// GitHub's page to create a classic token with the scopes Flui needs, pre-filled.
pub fn create_token_url(github_url: &str) -> String {
    format!(
        "{github_url}/settings/tokens/new?scopes=read:packages,delete:packages&description=Flui+GHCR+pull"
    )
}

/// The expiry chosen in the form: a preset's days, or the date input's value.
fn chosen_expiry(form: &FormData) -> ExpiryChoice {
    let value = |name: &str| form.get(name).as_string().unwrap_or_default();
    match value("expiry").parse::<i64>() {
        Ok(days) => ExpiryChoice::Days(days),
        Err(_) => ExpiryChoice::Date(value("expiry-date")),
    }
}

#[component]
pub fn TokenForm(
    mode: FormMode,
    /// Runs with Flui's answer once the token (or its expiry) is saved.
    on_saved: Callback<GhcrPatStatus>,
    /// Closes the form without saving; no Cancel button when absent.
    #[prop(optional)]
    on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let api = use_api();
    let github_url = api.config().github_url;
    let form_ref = NodeRef::<html::Form>::new();
    let on_date = NodeRef::<html::Input>::new();
    let problem = RwSignal::new(None::<Problem>);
    let kind = RwSignal::new(None::<&'static str>);
    let today = today();
    let save = Task::new(move |(token, expires_at): &(String, String)| {
        let (api, token, expires_at) = (api.clone(), token.clone(), expires_at.clone());
        async move {
            let saved = match mode {
                FormMode::Expiry => api.change_ghcr_pat_expiry(&expires_at).await,
                _ => {
                    api.save_ghcr_pat(mode == FormMode::Rotate, &token, &expires_at)
                        .await
                }
            };
            problem.set(match saved {
                Ok(status) => {
                    // The secret leaves the form as soon as Flui has it.
                    if let Some(form) = form_ref.try_get_untracked().flatten() {
                        form.reset();
                    }
                    kind.set(None);
                    on_saved.try_run(status);
                    None
                }
                Err(error) if error.kind() == ErrorKind::NotFound && mode == FormMode::Rotate => {
                    Some(Problem::Gone)
                }
                Err(error) if error.kind() == ErrorKind::Invalid && !error.messages().is_empty() => {
                    let (field, words) = explain_refusal(&error.messages()[0]);
                    Some(Problem::Field(field, words))
                }
                Err(error) => Some(Problem::Form(error)),
            });
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(form) = submitted(&ev) else {
            return;
        };
        if save.pending() {
            return;
        }
        let token = match mode {
            FormMode::Expiry => Ok(String::new()),
            _ => check_token(&form.get("token").as_string().unwrap_or_default()).map(|(token, _)| token),
        };
        let checked = token.map_err(|words| (Field::Token, words)).and_then(|token| {
            let expiry = expires_at(&chosen_expiry(&form), today, now_ms(), utc_offset_minutes)
                .map_err(|words| (Field::Expiry, words))?;
            Ok((token, expiry))
        });
        match checked {
            Ok(sent) => {
                // What an earlier attempt was refused for no longer stands.
                problem.set(None);
                save.dispatch(sent);
            }
            Err((field, words)) => problem.set(Some(Problem::Field(field, words.to_owned()))),
        }
    };
    let field_error = move |field: Field| match problem.get() {
        Some(Problem::Field(at, words)) if at == field => Some(words),
        _ => None,
    };
    let (submit, id) = match mode {
        FormMode::Set => ("Save token", "set"),
        FormMode::Rotate => ("Rotate token", "rotate"),
        FormMode::Expiry => ("Change expiry", "expiry"),
    };
    let token_field = (mode != FormMode::Expiry).then(|| {
        view! {
            <div class="field">
                <label for=format!("{id}-token")>"Token"</label>
                <input id=format!("{id}-token") name="token" type="password" autocomplete="off" spellcheck="false"
                    aria-describedby=format!("{id}-token-error")
                    on:input=move |ev| kind.set(check_token(&event_target_value(&ev)).ok().map(|(_, k)| k.describe())) />
                <p class="field__hint">{move || kind.get()}</p>
                <p id=format!("{id}-token-error") class="field__error" role="alert">{move || field_error(Field::Token)}</p>
                <p class="field__hint">
                    <a href=create_token_url(&github_url) target="_blank" rel="noopener noreferrer">
                        "Create a token on GitHub"
                    </a>
                    " (read:packages to pull images, delete:packages to clean them up; opens in a new tab)"
                </p>
            </div>
        }
    });
    let presets = PRESET_DAYS
        .into_iter()
        .enumerate()
        .map(|(i, days)| {
            view! {
                <label class="choice">
                    <input type="radio" name="expiry" value=days.to_string() checked=i == 0 />
                    {format!("{days} days ({})", today.add_days(days).label())}
                </label>
            }
        })
        .collect_view();
    view! {
        <form class="form" novalidate node_ref=form_ref on:submit=on_submit>
            {token_field}
            <fieldset class="field" aria-describedby=format!("{id}-expiry-error")>
                <legend>"Expires"</legend>
                {presets}
                <label class="choice">
                    <input type="radio" name="expiry" value="date" node_ref=on_date />
                    "On this date:"
                </label>
                <label for=format!("{id}-date") class="visually-hidden">"Expiry date"</label>
                // Typing a date chooses it.
                <input id=format!("{id}-date") name="expiry-date" type="date" min=earliest_date(today).to_string()
                    on:input=move |_| {
                        if let Some(radio) = on_date.get_untracked() {
                            radio.set_checked(true);
                        }
                    } />
                <p class="field__hint">"Use the date you chose on GitHub."</p>
                <p id=format!("{id}-expiry-error") class="field__error" role="alert">{move || field_error(Field::Expiry)}</p>
            </fieldset>
            {move || match problem.get() {
                Some(Problem::Form(error)) => Some(view! { <ErrorPanel error /> }.into_any()),
                Some(Problem::Gone) => Some(view! {
                    <p class="notice-line notice-line--danger" role="alert">
                        "There is no stored token to replace any more: it was revoked meanwhile. Reload the page and save this one as a new token."
                    </p>
                }.into_any()),
                _ => None,
            }}
            <div class="form__actions">
                <button type="submit" class="button button--primary" prop:disabled=move || save.pending()>
                    {submit}
                </button>
                {on_cancel.map(|cancel| view! {
                    <button type="button" class="button" on:click=move |_| cancel.run(())>"Cancel"</button>
                })}
            </div>
        </form>
    }
}

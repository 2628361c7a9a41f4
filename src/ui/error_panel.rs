//! An [`ApiError`] in words, with Retry where it can help.

use leptos::prelude::*;

use super::error_words::{ErrorWords, explain};
use crate::api::ApiError;

/// An error in words: what happened, Flui's own words, what to do, and Retry when trying
/// again can help.
#[component]
pub fn ErrorPanel(
    /// The failure to explain.
    error: ApiError,
    /// Runs the failed request again; no button when absent, or when retrying cannot help.
    #[prop(optional)]
    on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let ErrorWords {
        what,
        next,
        details,
        link,
        retry,
    } = explain(&error);
    view! {
        <div class="error-panel" role="alert">
            <p class="error-panel__what">{what}</p>
            {(!details.is_empty()).then(|| view! {
                <ul class="error-panel__details" aria-label="What Flui reported">
                    {details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}
                </ul>
            })}
            <p>{next}</p>
            {link.map(|l| view! {
                <p><a href=l.href target="_blank" rel="noopener noreferrer">{l.label}</a></p>
            })}
            {on_retry.filter(|_| retry).map(|retry| view! {
                <button type="button" class="button button--small" on:click=move |_| retry.run(())>
                    "Try again"
                </button>
            })}
        </div>
    }
}

//! A button that copies a text.

use super::clipboard::use_copy;
use leptos::prelude::*;

/// Copies `text`, then says "Copied" for a moment, announced to screen readers. Where the
/// browser refuses the clipboard, the text stays in view beside it to copy by hand.
#[component]
pub fn CopyButton(
    /// What to copy.
    text: String,
    /// What is copied, for the button's accessible name ("Copy connection link").
    label: &'static str,
    /// The button's visible words, before it says "Copied".
    #[prop(default = "Copy")]
    caption: &'static str,
) -> impl IntoView {
    let (copied, copy) = use_copy();
    view! {
        <button type="button" class="button button--small" aria-label=format!("Copy {label}")
            on:click=move |_| copy.run(text.clone())>
            <span aria-live="polite">{move || if copied.get() { "Copied" } else { caption }}</span>
        </button>
    }
}

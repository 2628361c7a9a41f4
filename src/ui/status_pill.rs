//! A status as a word, an icon and a colour.

use leptos::prelude::*;

use super::Tone;

/// A status word with its icon and colour: never colour alone.
#[component]
pub fn StatusPill(
    /// The status word or phrase.
    #[prop(into)]
    text: String,
    /// Its colour family.
    tone: Tone,
) -> impl IntoView {
    view! {
        <span class=format!("pill pill--{}", tone.class())>
            <span class="pill__icon" aria-hidden="true">{tone.icon()}</span>
            {text}
        </span>
    }
}

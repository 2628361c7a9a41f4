//! The light/dark switch in the header.

use leptos::prelude::*;

use crate::contexts::use_theme;

/// A button that flips between the light and dark themes; the choice is remembered.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let theme = use_theme();
    view! {
        <button type="button" class="button button--small button--quiet"
            aria-pressed=move || if theme.is_dark() { "true" } else { "false" }
            on:click=move |_| theme.set_dark(!theme.is_dark())>
            "Dark theme"
        </button>
    }
}

//! Light and dark themes: the system's by default, or the user's choice, remembered.
//! `index.html` applies the stored choice before the first paint, so there is no flash.

use leptos::prelude::*;

const STORAGE_KEY: &str = "flui-theme";

fn document_theme() -> Option<String> {
    let root = document().document_element()?;
    root.get_attribute("data-theme")
}

fn system_prefers_dark() -> bool {
    window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// A button that flips between light and dark and remembers the choice (a preference,
/// not a secret, so localStorage is fine here).
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let dark = RwSignal::new(match document_theme().as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => system_prefers_dark(),
    });
    let toggle = move |_| {
        let next = !dark.get_untracked();
        dark.set(next);
        let name = if next { "dark" } else { "light" };
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", name);
        }
        if let Ok(Some(storage)) = window().local_storage() {
            let _ = storage.set_item(STORAGE_KEY, name);
        }
    };
    view! {
        <button type="button" class="button button--small button--quiet"
            aria-pressed=move || if dark.get() { "true" } else { "false" }
            on:click=toggle>
            "Dark theme"
        </button>
    }
}

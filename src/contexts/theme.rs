//! Light and dark themes: the system's by default, or the user's choice, remembered in
//! localStorage under `flui-theme` (a preference, not a secret). `index.html` applies a
//! stored choice before the first paint, so there is no flash.
//!
//! Written by hand rather than with leptos-use's `use_color_mode`, which was measured to
//! add about 70 KB of wasm (it brings cookies and a date library) for these few lines.

use leptos::prelude::*;

/// The storage key and the attribute `index.html` uses too.
const STORAGE_KEY: &str = "flui-theme";
const ATTRIBUTE: &str = "data-theme";

/// The theme in use and a way to change it. Copy; get it with [`use_theme`].
#[derive(Clone, Copy)]
pub struct Theme {
    dark: RwSignal<bool>,
}

impl Theme {
    pub fn is_dark(&self) -> bool {
        self.dark.get()
    }

    /// Switches the theme and remembers the choice.
    pub fn set_dark(&self, dark: bool) {
        self.dark.set(dark);
        let name = if dark { "dark" } else { "light" };
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute(ATTRIBUTE, name);
        }
        if let Ok(Some(storage)) = window().local_storage() {
            let _ = storage.set_item(STORAGE_KEY, name);
        }
    }
}

/// The choice `index.html` applied, else the system's preference.
fn dark_now() -> bool {
    let chosen = document()
        .document_element()
        .and_then(|root| root.get_attribute(ATTRIBUTE));
    match chosen.as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => window()
            .match_media("(prefers-color-scheme: dark)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches()),
    }
}

pub fn provide_theme() {
    provide_context(Theme {
        dark: RwSignal::new(dark_now()),
    });
}

pub fn use_theme() -> Theme {
    expect_context::<Theme>()
}

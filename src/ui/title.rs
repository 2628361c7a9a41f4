//! The document's title. Set directly rather than through `leptos_meta`: a page's title is
//! all of the head this dashboard manages, and that crate costs the wasm several KB.

/// Names the page in the tab and history: "<page> · Flui".
pub fn set_title(page: &str) {
    leptos::prelude::document().set_title(&format!("{page} · Flui"));
}

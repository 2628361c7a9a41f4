//! The few browser services the dashboard uses directly.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Leaves the dashboard for `url` (a full page load: GitHub must see a real navigation).
pub fn go_to(url: &str) {
    let _ = window().location().assign(url);
}

/// Writes `text` to the clipboard. False when the browser refuses (no permission, an
/// insecure origin): callers then show the text for copying by hand.
pub async fn copy_text(text: &str) -> bool {
    let navigator = window().navigator();
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &"clipboard".into()) else {
        return false;
    };
    let Ok(write) = js_sys::Reflect::get(&clipboard, &"writeText".into()) else {
        return false;
    };
    let Ok(write) = write.dyn_into::<js_sys::Function>() else {
        return false;
    };
    let Ok(promise) = write.call1(&clipboard, &text.into()) else {
        return false;
    };
    let Ok(promise) = promise.dyn_into::<js_sys::Promise>() else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

//! Copying text to the clipboard, with a moment of "copied". Written here rather than taken
//! from leptos-use: the browser call is a few lines, and that crate's listeners and
//! options cost the wasm about 3 KB after compression (see the README's size section).

use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Clipboard;

/// How long "copied" stays true.
const SHOWN: Duration = Duration::from_secs(3);

/// A way to copy text, and whether the last copy just succeeded. Where the browser offers
/// no clipboard (a page served over plain http) or refuses, `copied` stays false and the
/// text stays in view to copy by hand.
pub fn use_copy() -> (Signal<bool>, Callback<String>) {
    let copied = RwSignal::new(false);
    let copy = Callback::new(move |text: String| {
        copy_then(&text, move |done| _ = copied.try_set(done));
    });
    (copied.into(), copy)
}

/// Copies `text`; once the browser has, runs `shown(true)`, and `shown(false)` a moment
/// later. Nothing runs where there is no clipboard or the browser refuses.
pub fn copy_then(text: &str, shown: impl Fn(bool) + 'static) {
    let navigator = window().navigator();
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .ok()
        .and_then(|c| c.dyn_into::<Clipboard>().ok());
    let Some(clipboard) = clipboard else { return };
    let written = JsFuture::from(clipboard.write_text(text));
    leptos::task::spawn_local(async move {
        if written.await.is_ok() {
            shown(true);
            set_timeout(move || shown(false), SHOWN);
        }
    });
}

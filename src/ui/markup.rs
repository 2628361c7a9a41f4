//! Forms whose markup is fixed text: written as HTML, put in place once with
//! `inner_html`, and read or updated by element id. A form of text costs the wasm little
//! more than its text this way, where each element of a `view!` costs code of its own;
//! see the README's size section. Only values passed through [`escape`] go into markup.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};

/// `text`, safe inside HTML text and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub fn by_id(id: &str) -> Option<Element> {
    leptos::prelude::document().get_element_by_id(id)
}

/// Replaces an element's content with `html`, built from fixed text and [`escape`]d values.
pub fn set_html(id: &str, html: &str) {
    if let Some(element) = by_id(id) {
        element.set_inner_html(html);
    }
}

/// A copy button in markup: `<button type="button" data-copy="…">` with the visible word
/// in a live `<span>`. [`copy_on_click`] serves every one on a page.
pub fn copy_button(value: &str, label: &str) -> String {
    format!(
        r#"<button type="button" class="button button--small" data-copy="{}" aria-label="Copy {}"><span aria-live="polite">Copy</span></button>"#,
        escape(value),
        escape(label)
    )
}

/// A click anywhere: if it was on a [`copy_button`], copies its value and says "Copied"
/// for a moment.
pub fn copy_on_click(ev: &web_sys::Event) {
    let button = ev
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|e| e.closest("[data-copy]").ok().flatten());
    let Some(button) = button else { return };
    let word = button.first_element_child();
    super::clipboard::copy_then(
        &button.get_attribute("data-copy").unwrap_or_default(),
        move |done| {
            if let Some(word) = &word {
                word.set_text_content(Some(if done { "Copied" } else { "Copy" }));
            }
        },
    );
}

/// An [`ApiError`] in words, as [`super::ErrorPanel`] shows it (without Retry), for
/// [`set_html`].
pub fn error_panel(error: &crate::api::ApiError) -> String {
    let words = super::explain(error);
    let details = list(&words.details, "error-panel__details", "What Flui reported");
    let link = words
        .link
        .map(|l| {
            format!(
                r#"<p><a href="{}" target="_blank" rel="noopener noreferrer">{}</a></p>"#,
                escape(&l.href),
                l.label
            )
        })
        .unwrap_or_default();
    format!(
        r#"<div class="error-panel" role="alert"><p class="error-panel__what">{}</p>{details}<p>{}</p>{link}</div>"#,
        escape(&words.what),
        escape(&words.next)
    )
}

/// `items` as a list with `class`, named `label`; nothing when there are none.
pub fn list(items: &[String], class: &str, label: &str) -> String {
    if items.is_empty() {
        return String::new();
    }
    let items: String = items.iter().map(|i| format!("<li>{}</li>", escape(i))).collect();
    format!(r#"<ul class="{class}" aria-label="{label}">{items}</ul>"#)
}

/// Disables or enables the button with `id` (a form being sent).
pub fn set_busy(id: &str, busy: bool) {
    if let Some(button) = by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlButtonElement>().ok()) {
        button.set_disabled(busy);
    }
}

/// Sets an element's text (never markup).
pub fn set_text(id: &str, text: &str) {
    if let Some(element) = by_id(id) {
        element.set_text_content(Some(text));
    }
}

/// The value of an input or a text area.
pub fn value_of(id: &str) -> String {
    let element = by_id(id);
    match element.as_ref().and_then(|e| e.dyn_ref::<HtmlInputElement>()) {
        Some(input) => input.value(),
        None => (element.as_ref())
            .and_then(|e| e.dyn_ref::<HtmlTextAreaElement>())
            .map(HtmlTextAreaElement::value)
            .unwrap_or_default(),
    }
}

pub fn set_value(id: &str, value: &str) {
    let element = by_id(id);
    if let Some(input) = element.as_ref().and_then(|e| e.dyn_ref::<HtmlInputElement>()) {
        input.set_value(value);
    } else if let Some(area) = element.as_ref().and_then(|e| e.dyn_ref::<HtmlTextAreaElement>()) {
        area.set_value(value);
    }
}

pub fn is_checked(id: &str) -> bool {
    by_id(id)
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        .is_some_and(|input| input.checked())
}

/// What a submitted form holds (its named fields).
pub fn submitted(ev: &web_sys::Event) -> Option<web_sys::FormData> {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
        .and_then(|form| web_sys::FormData::new_with_form(&form).ok())
}

/// The id of the element an event happened on.
pub fn target_id(ev: &web_sys::Event) -> String {
    ev.target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .map(|e| e.id())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            escape(r#"<a href="x" onclick='y'>&</a>"#),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(escape("https://api.example/ü"), "https://api.example/ü");
    }
}

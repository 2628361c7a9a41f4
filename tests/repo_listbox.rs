//! Component tests: the picker's windowed listbox, in a real browser, at 10,000
//! repositories. Only the rows in view are in the DOM, the keyboard moves and selects, and
//! the selection survives filtering.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use flui_dashboard::api::decode;
use flui_dashboard::api::repositories::AvailableRepo;
use flui_dashboard::features::repositories::picker::{View, prepare, visible};
use flui_dashboard::features::repositories::repo_listbox::RepoListbox;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

struct Mounted {
    host: HtmlElement,
    view: RwSignal<View>,
    selection: RwSignal<Vec<String>>,
    active: RwSignal<usize>,
}

/// 10,000 repositories: `acme/repo-00000` … (every third private).
fn many() -> Vec<AvailableRepo> {
    let items: Vec<String> = (0..10_000)
        .map(|i| {
            format!(
                r#"{{"id":"{i}","name":"repo-{i:05}","fullName":"acme/repo-{i:05}","owner":"acme","description":"Service number {i}","language":"Rust","private":{},"updatedAt":"2026-11-01T00:00:00Z","isImported":{}}}"#,
                i % 3 == 0,
                i == 1
            )
        })
        .collect();
    decode(&format!("[{}]", items.join(","))).unwrap()
}

async fn mount() -> Mounted {
    let document = document();
    // The stylesheet's rules the list depends on: a bounded, scrolling box.
    let style = document.create_element("style").unwrap();
    style.set_text_content(Some(
        ".picker-list{height:448px;overflow-y:auto;position:relative}.picker-list__space{position:relative}.picker-row{position:absolute;height:64px;left:0;right:0}",
    ));
    document.head().unwrap().append_child(&style).unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let view = RwSignal::new(View::default());
    let selection = RwSignal::new(Vec::new());
    let active = RwSignal::new(0_usize);
    let handle = leptos::mount::mount_to(host.clone(), move || {
        let rows = Memo::new(|_| Arc::new(prepare(many())));
        let shown = Memo::new(move |_| Arc::new(rows.with(|r| view.with(|v| visible(r, v)))));
        view! { <RepoListbox rows shown selection active on_enter=Callback::new(|_| ()) /> }
    });
    handle.forget();
    leptos::task::tick().await;
    Mounted {
        host,
        view,
        selection,
        active,
    }
}

fn options(host: &HtmlElement) -> Vec<web_sys::Element> {
    let list = host.query_selector_all("[role=option]").unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i).and_then(|n| n.dyn_into().ok()))
        .collect()
}

fn listbox(host: &HtmlElement) -> HtmlElement {
    host.query_selector("[role=listbox]")
        .unwrap()
        .unwrap()
        .unchecked_into()
}

fn press(host: &HtmlElement, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    listbox(host).dispatch_event(&event).unwrap();
}

/// Waits, a few milliseconds at a time (5 s at most), until `ready` holds.
async fn until(ready: impl Fn() -> bool) {
    for _ in 0..500 {
        if ready() {
            return;
        }
        let pause = js_sys::Promise::new(&mut |resolve, _| {
            let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 10);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(pause).await;
    }
    panic!("the condition never held");
}

#[wasm_bindgen_test]
async fn only_the_rows_in_view_are_in_the_dom() {
    let m = mount().await;
    until(|| !options(&m.host).is_empty()).await;
    let rows = options(&m.host);
    assert!(rows.len() < 40, "{} rows in the DOM for 10,000", rows.len());
    assert_eq!(rows[0].get_attribute("aria-setsize").as_deref(), Some("10000"));
    assert!(
        rows[0]
            .text_content()
            .unwrap_or_default()
            .contains("acme/repo-00000")
    );
    // Already connected: shown as selected, and cannot be picked.
    assert_eq!(rows[1].get_attribute("aria-disabled").as_deref(), Some("true"));

    // Scrolled to the end: the last rows, and still only a window of them.
    let list = listbox(&m.host);
    list.set_scroll_top(10_000 * 64);
    list.dispatch_event(&web_sys::Event::new("scroll").unwrap())
        .unwrap();
    until(|| {
        options(&m.host)
            .iter()
            .any(|o| o.get_attribute("aria-posinset").as_deref() == Some("10000"))
    })
    .await;
    assert!(options(&m.host).len() < 40);
}

#[wasm_bindgen_test]
async fn the_keyboard_moves_and_selects_and_the_selection_survives_filtering() {
    let m = mount().await;
    until(|| !options(&m.host).is_empty()).await;
    let list = listbox(&m.host);
    press(&m.host, "ArrowDown");
    press(&m.host, "ArrowDown");
    assert_eq!(m.active.get_untracked(), 2);
    until(|| list.get_attribute("aria-activedescendant").as_deref() == Some("repo-option-2")).await;
    press(&m.host, " ");
    assert_eq!(m.selection.get_untracked(), ["acme/repo-00002"]);
    // Space on an already connected row picks nothing.
    press(&m.host, "ArrowUp");
    press(&m.host, " ");
    assert_eq!(m.selection.get_untracked().len(), 1);
    // End goes to the last row and shows it.
    press(&m.host, "End");
    until(|| {
        m.host
            .query_selector("#repo-option-9999")
            .ok()
            .flatten()
            .is_some()
    })
    .await;

    // Filter down to other rows: the selection stays, and shows again when filtered back.
    m.view.update(|v| v.search = "repo-0005".into());
    until(|| options(&m.host).len() == 10).await;
    assert_eq!(m.selection.get_untracked(), ["acme/repo-00002"]);
    m.view.update(|v| v.search = "repo-00002".into());
    until(|| options(&m.host).len() == 1).await;
    assert_eq!(
        options(&m.host)[0].get_attribute("aria-selected").as_deref(),
        Some("true")
    );
}

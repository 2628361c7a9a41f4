//! The API client in a real browser: requests end with the page that made them.
#![cfg(target_arch = "wasm32")]

use flui_dashboard::api::config::parse_config;
use flui_dashboard::api::{ApiError, Client, ErrorKind, Resource, Task, use_api};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// An app-level owner holding the client, as `Dashboard` does, and a page below it.
fn app_and_page() -> (Owner, Owner) {
    let app = Owner::new();
    let page = app.with(|| {
        let origin = window().location().origin().unwrap();
        let config = parse_config(&format!(r#"{{"apiBaseUrl":"{origin}"}}"#)).unwrap();
        provide_context(Client::new(config, Callback::new(|_| ())));
        app.child()
    });
    (app, page)
}

#[wasm_bindgen_test]
async fn a_pages_requests_are_aborted_when_the_page_goes_away() {
    let (_app, page) = app_and_page();
    let api = page.with(use_api);
    let pending = api.github_status();
    page.cleanup();
    assert_eq!(pending.await, Err(ApiError::Aborted));
}

#[wasm_bindgen_test]
async fn a_live_page_gets_real_answers_not_aborts() {
    let (_app, page) = app_and_page();
    let api = page.with(use_api);
    // The test server has no Flui API: the answer is a 404, not a cancelled request.
    let result = api.github_status().await;
    assert_eq!(result.map_err(|e| e.kind()), Err(ErrorKind::NotFound));
}

#[wasm_bindgen_test]
async fn a_request_after_the_whole_app_is_gone_does_not_panic() {
    let (app, page) = app_and_page();
    let api = page.with(use_api);
    app.cleanup();
    drop(app);
    assert_eq!(api.github_status().await, Err(ApiError::Aborted));
}

/// Ticks the executor until `ready` holds (a few ticks at most).
async fn until(ready: impl Fn() -> bool) {
    for _ in 0..50 {
        if ready() {
            return;
        }
        leptos::task::tick().await;
    }
    panic!("not ready after 50 ticks");
}

#[wasm_bindgen_test]
async fn reads_and_writes_of_every_type_come_back_typed_through_the_shared_types() {
    // Mounting starts Leptos's executor, which runs the loads.
    let host: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    leptos::mount::mount_to(host, || ()).forget();
    let owner = Owner::new();
    owner.set();
    let number = Resource::new(|| async { 42u32 });
    let text = Resource::new(|| async { String::from("forty-two") });
    until(|| number.get().is_some() && text.get().is_some()).await;
    assert_eq!(number.get(), Some(42));
    assert_eq!(text.get().as_deref(), Some("forty-two"));
    assert!(!number.loading());

    let double = Task::new(|n: &u32| {
        let n = *n;
        async move { n * 2 }
    });
    assert_eq!(double.value(), None);
    double.dispatch(21);
    until(|| double.value().is_some()).await;
    assert_eq!(double.value(), Some(42));
    assert!(!double.pending());
}

//! The API client in a real browser: requests end with the page that made them.
#![cfg(target_arch = "wasm32")]

use flui_dashboard::api::config::parse_config;
use flui_dashboard::api::{ApiError, Client, ErrorKind, use_api};
use leptos::prelude::*;
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

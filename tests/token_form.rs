//! Component tests: the GHCR token form's checks, in a real browser. The form is given a
//! client whose API (the test server) has no Flui routes, so any request it sends would
//! show as a failure and in the browser's resource timings.
#![cfg(target_arch = "wasm32")]

use flui_dashboard::api::Client;
use flui_dashboard::api::config::parse_config;
use flui_dashboard::features::ghcr_token::{FormMode, TokenForm};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

async fn render(mode: FormMode) -> HtmlElement {
    let document = document();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        let origin = window().location().origin().unwrap();
        let config = parse_config(&format!(r#"{{"apiBaseUrl":"{origin}"}}"#)).unwrap();
        provide_context(Client::new(config, Callback::new(|_| ())));
        view! { <TokenForm mode on_saved=Callback::new(|_| ()) /> }
    });
    handle.forget();
    leptos::task::tick().await;
    host
}

fn input(host: &HtmlElement, selector: &str) -> HtmlInputElement {
    host.query_selector(selector).unwrap().unwrap().unchecked_into()
}

fn text(host: &HtmlElement) -> String {
    host.text_content().unwrap_or_default()
}

/// Types `value` into the field as a user would (an `input` event follows).
fn type_into(field: &HtmlInputElement, value: &str) {
    field.set_value(value);
    let event = web_sys::Event::new_with_event_init_dict("input", &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    })
    .unwrap();
    field.dispatch_event(&event).unwrap();
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
    panic!("not ready after 5 s");
}

async fn submit(host: &HtmlElement) {
    let button: HtmlElement = host
        .query_selector("button[type=submit]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    for _ in 0..5 {
        leptos::task::tick().await;
    }
}

/// How many requests the page has made to the GHCR token routes.
fn token_requests() -> usize {
    window()
        .performance()
        .unwrap()
        .get_entries_by_type("resource")
        .iter()
        .filter(|entry| {
            js_sys::Reflect::get(entry, &"name".into())
                .ok()
                .and_then(|name| name.as_string())
                .is_some_and(|name| name.contains("packages-pat"))
        })
        .count()
}

#[wasm_bindgen_test]
async fn the_token_field_is_masked_and_not_remembered() {
    let host = render(FormMode::Set).await;
    let token = input(&host, "#set-token");
    assert_eq!(token.type_(), "password");
    assert_eq!(token.get_attribute("autocomplete").as_deref(), Some("off"));
    let link = host.query_selector("a[target=_blank]").unwrap().unwrap();
    assert_eq!(link.get_attribute("rel").as_deref(), Some("noopener noreferrer"));
}

#[wasm_bindgen_test]
async fn a_token_of_another_kind_is_refused_without_a_request_and_kept() {
    let host = render(FormMode::Set).await;
    let before = token_requests();
    let token = input(&host, "#set-token");
    for (typed, said) in [
        ("", "Paste the token GitHub showed you"),
        ("gho_0auth", "This is not a GitHub personal access token"),
        ("ghp_two parts", "A token has no spaces"),
    ] {
        type_into(&token, typed);
        submit(&host).await;
        assert!(text(&host).contains(said), "{typed:?}: {}", text(&host));
        assert_eq!(token.value(), typed, "the field keeps what was typed");
    }
    assert_eq!(token_requests(), before, "nothing was sent");
}

#[wasm_bindgen_test]
async fn the_kind_of_token_is_named_as_it_is_typed() {
    let host = render(FormMode::Set).await;
    let token = input(&host, "#set-token");
    type_into(&token, "ghp_abc");
    leptos::task::tick().await;
    assert!(text(&host).contains("A classic token (ghp_)."));
    type_into(&token, "  github_pat_11AB  ");
    leptos::task::tick().await;
    assert!(text(&host).contains("needs the Packages: read permission"));
    type_into(&token, "nope");
    leptos::task::tick().await;
    assert!(!text(&host).contains("classic token"));
}

#[wasm_bindgen_test]
async fn a_date_before_tomorrow_is_refused_at_the_expiry() {
    let host = render(FormMode::Set).await;
    let before = token_requests();
    type_into(&input(&host, "#set-token"), "ghp_abcdef0123456789");
    let date = input(&host, "#set-date");
    let min = date.min();
    assert_eq!(min.len(), 10, "a YYYY-MM-DD minimum: {min:?}");
    // Typing a date chooses "On this date".
    type_into(&date, "2020-01-01");
    assert!(input(&host, "input[value=date]").checked());
    submit(&host).await;
    let error = host.query_selector("#set-expiry-error").unwrap().unwrap();
    assert!(
        error
            .text_content()
            .unwrap_or_default()
            .contains("choose tomorrow or later"),
        "{}",
        text(&host)
    );
    assert_eq!(token_requests(), before);
    // The minimum itself is accepted and sent.
    type_into(&date, &min);
    submit(&host).await;
    until(|| token_requests() == before + 1).await;
}

#[wasm_bindgen_test]
async fn a_well_formed_token_is_sent_and_kept_when_flui_fails() {
    let host = render(FormMode::Set).await;
    let before = token_requests();
    let token = input(&host, "#set-token");
    type_into(&token, "gho_wrong");
    submit(&host).await;
    assert!(text(&host).contains("This is not a GitHub personal access token"));
    type_into(&token, " ghp_abcdef0123456789 ");
    submit(&host).await;
    // The earlier refusal goes as soon as the corrected token is sent.
    assert!(
        !text(&host).contains("This is not a GitHub personal access token"),
        "{}",
        text(&host)
    );
    // The test server has no Flui API: the answer is a failure, said in words.
    until(|| text(&host).contains("Flui could not find")).await;
    assert!(text(&host).contains("Flui could not find"), "{}", text(&host));
    until(|| token_requests() == before + 1).await;
    assert_eq!(token.value(), " ghp_abcdef0123456789 ");
}

#[wasm_bindgen_test]
async fn changing_the_expiry_asks_for_no_token() {
    let host = render(FormMode::Expiry).await;
    assert!(host.query_selector("input[name=token]").unwrap().is_none());
    assert!(text(&host).contains("Change expiry"));
}

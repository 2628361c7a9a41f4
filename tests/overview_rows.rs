//! Component tests: the overview rows in every state, mounted in a real browser.
#![cfg(target_arch = "wasm32")]

use flui_dashboard::api::ApiError;
use flui_dashboard::api::connect::GithubStatus;
use flui_dashboard::api::ghcr_pat::{CredentialStatus, GhcrPatStatus};
use flui_dashboard::api::setup::{AuthMethod, SetupStatus};
use flui_dashboard::features::overview::status_rows::{ghcr_row, github_row};
use flui_dashboard::features::overview::{IntegrationRow, RowUnavailable};
use flui_dashboard::ui::ErrorPanel;
use flui_dashboard::ui::dates::{now_ms, parse_iso_ms};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts `view` into a fresh element and lets it render.
async fn render<V: IntoView + 'static>(view: impl FnOnce() -> V + Send + 'static) -> HtmlElement {
    let document = document();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), view);
    handle.forget();
    leptos::task::tick().await;
    host
}

fn text(el: &HtmlElement) -> String {
    el.text_content().unwrap_or_default()
}

fn pill_class(el: &HtmlElement) -> String {
    el.query_selector(".pill")
        .unwrap()
        .expect("a status pill")
        .class_name()
}

fn link(el: &HtmlElement) -> Option<(String, String)> {
    el.query_selector("a").unwrap().map(|a| {
        (
            a.text_content().unwrap_or_default(),
            a.get_attribute("href").unwrap_or_default(),
        )
    })
}

fn setup(configured: bool) -> SetupStatus {
    SetupStatus {
        configured,
        auth_method: configured.then_some(AuthMethod::GithubApp),
        app_slug: configured.then(|| "flui".into()),
        image_registry: Some("ghcr".into()),
    }
}

fn github(connected: bool) -> GithubStatus {
    GithubStatus {
        connected,
        github_username: connected.then(|| "octo-org".into()),
        connected_at: connected.then(|| "2026-11-03T09:00:00.000Z".into()),
    }
}

fn pat(status: CredentialStatus, days: Option<i64>) -> GhcrPatStatus {
    let expires = days.map(|d| now_ms() + d as f64 * 86_400_000.0 - 60_000.0);
    GhcrPatStatus {
        configured: status != CredentialStatus::Missing,
        status: Some(status),
        expires_at: expires
            .map(|ms| String::from(js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms)).to_iso_string())),
        days_until_expiry: days,
        last_rotated_at: None,
        last_verified_at: None,
        github_login: Some("octo".into()),
        scopes: Some(vec!["read:packages".into()]),
        needed: Some(true),
    }
}

#[wasm_bindgen_test]
async fn github_connected_names_the_account() {
    let el = render(|| view! { <IntegrationRow row=github_row(&setup(true), &github(true), false) /> }).await;
    assert!(
        text(&el).contains("Connected as @octo-org, since 3 Nov 2026."),
        "{}",
        text(&el)
    );
    assert!(pill_class(&el).contains("pill--success"));
    assert_eq!(
        link(&el),
        Some(("Manage repositories".into(), "/repositories".into()))
    );
    assert_eq!(
        el.query_selector("li")
            .unwrap()
            .unwrap()
            .get_attribute("aria-label")
            .as_deref(),
        Some("GitHub")
    );
}

#[wasm_bindgen_test]
async fn github_not_connected() {
    let el =
        render(|| view! { <IntegrationRow row=github_row(&setup(true), &github(false), false) /> }).await;
    assert!(text(&el).contains("Not connected"), "{}", text(&el));
    assert!(pill_class(&el).contains("pill--warning"));
}

#[wasm_bindgen_test]
async fn github_not_set_up_offers_admins_the_setup_and_tells_users_to_ask() {
    let admin =
        render(|| view! { <IntegrationRow row=github_row(&setup(false), &github(false), true) /> }).await;
    assert!(text(&admin).contains("Not set up"));
    assert_eq!(
        link(&admin),
        Some(("Set up the GitHub App".into(), "/admin/github-app".into()))
    );

    let user =
        render(|| view! { <IntegrationRow row=github_row(&setup(false), &github(false), false) /> }).await;
    assert!(text(&user).contains("Ask your administrator"), "{}", text(&user));
    assert_eq!(link(&user), None);
}

#[wasm_bindgen_test]
async fn ghcr_rows_in_each_state() {
    let now = now_ms();
    let cases: Vec<(GhcrPatStatus, &str, &str)> = vec![
        (pat(CredentialStatus::Missing, None), "Missing", "pill--warning"),
        (
            pat(CredentialStatus::Valid, Some(40)),
            "Expires in 40 days",
            "pill--success",
        ),
        (
            pat(CredentialStatus::ExpiringSoon, Some(5)),
            "Expires in 5 days",
            "pill--warning",
        ),
        (
            pat(CredentialStatus::Expired, Some(-3)),
            "Expired 3 days ago",
            "pill--danger",
        ),
        (
            pat(CredentialStatus::Invalid, Some(20)),
            "Invalid",
            "pill--danger",
        ),
        (
            pat(CredentialStatus::UnknownExpiry, None),
            "No expiry date",
            "pill--success",
        ),
        (
            GhcrPatStatus {
                needed: Some(false),
                ..pat(CredentialStatus::Missing, None)
            },
            "Not needed: this instance keeps images in its own registry.",
            "pill--neutral",
        ),
    ];
    for (status, expected, tone) in cases {
        let el = render(move || view! { <IntegrationRow row=ghcr_row(&status, now) /> }).await;
        let shown = text(&el);
        assert!(shown.contains(expected), "expected {expected:?} in {shown:?}");
        assert!(!shown.contains("just now"), "{shown}");
        assert!(pill_class(&el).contains(tone), "{expected}: {}", pill_class(&el));
    }
}

#[wasm_bindgen_test]
async fn an_expiry_date_is_shown_in_words_and_as_a_date() {
    let status = GhcrPatStatus {
        expires_at: Some("2026-12-31T12:00:00.000Z".into()),
        days_until_expiry: Some(36),
        ..pat(CredentialStatus::Valid, None)
    };
    let now = parse_iso_ms("2026-11-25T12:00:00Z").unwrap();
    let el = render(move || view! { <IntegrationRow row=ghcr_row(&status, now) /> }).await;
    assert!(
        text(&el).contains("Expires in 36 days, on 31 Dec 2026."),
        "{}",
        text(&el)
    );
}

#[wasm_bindgen_test]
async fn an_unavailable_row_explains_and_retries() {
    let retried = RwSignal::new(0);
    let el = render(move || {
        view! {
            <RowUnavailable name="GHCR token"
                error=ApiError::Network("http://127.0.0.1:1".into())
                on_retry=Callback::new(move |_| retried.update(|n| *n += 1)) />
        }
    })
    .await;
    assert!(
        text(&el).contains("The Flui API at http://127.0.0.1:1 could not be reached."),
        "{}",
        text(&el)
    );
    let button: HtmlElement = el.query_selector("button").unwrap().unwrap().unchecked_into();
    button.click();
    leptos::task::tick().await;
    assert_eq!(retried.get_untracked(), 1);
}

#[wasm_bindgen_test]
async fn the_servers_403_names_the_missing_right_and_who_to_ask() {
    let el = render(|| {
        view! { <ErrorPanel error=ApiError::http(403, "Missing required permission: integration:manage") /> }
    })
    .await;
    let shown = text(&el);
    assert!(
        shown.contains("Your account does not have the integration:manage permission this needs."),
        "{shown}"
    );
    assert!(
        shown.contains("Ask an administrator of this Flui instance"),
        "{shown}"
    );
    assert!(shown.contains("Missing required permission: integration:manage"));
    assert!(
        el.query_selector("button").unwrap().is_none(),
        "retrying cannot help"
    );
}

#[wasm_bindgen_test]
async fn a_validation_refusal_lists_every_problem() {
    let error = ApiError::from_response(
        400,
        r#"{"statusCode":400,"message":["expiresAt must be a valid ISO 8601 date string","Token must start with ghp_ or github_pat_"],"error":"Bad Request"}"#,
    );
    let el = render(move || view! { <ErrorPanel error /> }).await;
    let items = el.query_selector_all("li").unwrap();
    assert_eq!(items.length(), 2);
    assert!(text(&el).contains("Flui refused the request for these reasons:"));
}

//! Component tests: the connect controls and what they say after an attempt.
#![cfg(target_arch = "wasm32")]

use flui_dashboard::features::connect::{ConnectControls, ConnectGithub, ConnectNotice};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

async fn render(notice: Option<ConnectNotice>, clicks: RwSignal<(u32, u32)>) -> HtmlElement {
    let document = document();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), move || {
        let controls = ConnectControls {
            working: Signal::from(false),
            notice: Signal::derive(move || notice.clone()),
            copied: Signal::from(false),
            connect: Callback::new(move |_| clicks.update(|c| c.0 += 1)),
            copy_link: Callback::new(move |_| clicks.update(|c| c.1 += 1)),
        };
        view! { <ConnectGithub controls /> }
    });
    handle.forget();
    leptos::task::tick().await;
    host
}

fn button(host: &HtmlElement, text: &str) -> HtmlElement {
    let buttons = host.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .map(|b| b.unchecked_into::<HtmlElement>())
        .find(|b| b.text_content().unwrap_or_default().trim() == text)
        .unwrap_or_else(|| panic!("no button {text}"))
}

#[wasm_bindgen_test]
async fn the_buttons_run_their_callbacks() {
    let clicks = RwSignal::new((0, 0));
    let host = render(None, clicks).await;
    button(&host, "Connect GitHub").click();
    button(&host, "Copy link").click();
    button(&host, "Copy link").click();
    assert_eq!(clicks.get_untracked(), (1, 2));
}

#[wasm_bindgen_test]
async fn not_set_up_reads_differently_for_admins_and_users() {
    let clicks = RwSignal::new((0, 0));
    let admin = render(Some(ConnectNotice::NotSetUp { is_admin: true }), clicks).await;
    let link = admin.query_selector("a").unwrap().expect("a setup link");
    assert_eq!(link.get_attribute("href").as_deref(), Some("/admin/github-app"));

    let user = render(Some(ConnectNotice::NotSetUp { is_admin: false }), clicks).await;
    assert!(user.query_selector("a").unwrap().is_none());
    assert!(user.text_content().unwrap().contains("Ask your administrator"));
}

#[wasm_bindgen_test]
async fn a_link_to_finish_elsewhere_is_shown_with_its_own_copy_button() {
    let clicks = RwSignal::new((0, 0));
    let url = "https://github.com/login/oauth/authorize?client_id=x&state=s";
    let host = render(Some(ConnectNotice::Link { url: url.into() }), clicks).await;
    assert!(
        host.text_content()
            .unwrap()
            .contains("It works once, for 10 minutes, and only for you.")
    );
    let copy = host
        .query_selector("button[aria-label='Copy connection link']")
        .unwrap();
    assert!(copy.is_some(), "a copy button named for the link");
    let input: HtmlInputElement = host
        .query_selector("#connect-link")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(input.value(), url);
    assert!(input.read_only());
}

#[wasm_bindgen_test]
async fn already_connected_never_shows_a_bare_at_sign() {
    let clicks = RwSignal::new((0, 0));
    let older = render(Some(ConnectNotice::AlreadyConnected { login: None }), clicks).await;
    let text = older.text_content().unwrap();
    assert!(
        text.contains("GitHub is already connected. Nothing more to do."),
        "{text}"
    );
    assert!(!text.contains('@'), "{text}");
    let newer = render(
        Some(ConnectNotice::AlreadyConnected {
            login: Some("octo".into()),
        }),
        clicks,
    )
    .await;
    assert!(
        newer
            .text_content()
            .unwrap()
            .contains("already connected as @octo.")
    );
}

//! Component tests: the connect controls and what they say after an attempt.
#![cfg(target_arch = "wasm32")]

use flui_dashboard::components::{ConnectGithub, ConnectNotice};
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
        view! {
            <ConnectGithub
                working=false
                notice=Signal::derive(move || notice.clone())
                on_connect=Callback::new(move |_| clicks.update(|c| c.0 += 1))
                on_copy_link=Callback::new(move |_| clicks.update(|c| c.1 += 1)) />
        }
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
async fn a_link_that_could_not_be_copied_is_shown_for_copying_by_hand() {
    let clicks = RwSignal::new((0, 0));
    let url = "https://github.com/login/oauth/authorize?client_id=x&state=s";
    let host = render(
        Some(ConnectNotice::Link {
            url: url.into(),
            copied: false,
        }),
        clicks,
    )
    .await;
    assert!(host.text_content().unwrap().contains("Copy this link by hand."));
    let input: HtmlInputElement = host
        .query_selector("#connect-link")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(input.value(), url);
    assert!(input.read_only());
}

//! "Connect GitHub": the controls that start the install and OAuth round trip, and the
//! actions behind them.

use crate::ui::clipboard::use_copy;
use leptos::prelude::*;

use super::landing::{ConnectStart, connect_start};
use crate::api::{ApiError, Task, use_api};
use crate::app::routes::Page;
use crate::contexts::use_session;
use crate::ui::{CopyButton, ErrorPanel};

/// What the last connect attempt came to.
#[derive(Clone, Debug, PartialEq)]
pub enum ConnectNotice {
    /// The browser is on its way to GitHub.
    Leaving,
    /// Nothing to do; an older server does not say as whom.
    AlreadyConnected {
        login: Option<String>,
    },
    /// A link to finish on another device.
    Link {
        url: String,
    },
    Failed(ApiError),
    /// The integration is not (fully) set up on this instance.
    NotSetUp {
        is_admin: bool,
    },
}

/// The state and actions behind a [`ConnectGithub`].
#[derive(Clone, Copy)]
pub struct ConnectControls {
    /// A connect or copy is under way (or the browser is leaving for GitHub).
    pub working: Signal<bool>,
    pub notice: Signal<Option<ConnectNotice>>,
    /// The link was just copied to the clipboard.
    pub copied: Signal<bool>,
    pub connect: Callback<()>,
    pub copy_link: Callback<()>,
}

/// Connect and copy-link actions for the current page. `on_already_connected` runs when
/// the API says there is nothing to do, so the page can refresh what it shows.
pub fn use_connect_github(on_already_connected: Callback<()>) -> ConnectControls {
    let api = use_api();
    let session = use_session();
    let (copied, copy) = use_copy();
    // Input: whether to copy a link instead of going to GitHub.
    let start = Task::new(move |copy_instead: &bool| {
        let (copy_instead, api) = (*copy_instead, api.clone());
        async move {
            let github_url = api.config().github_url;
            match api
                .install_url()
                .await
                .and_then(|answer| connect_start(answer, &github_url))
            {
                Ok(ConnectStart::GoTo { url }) if copy_instead => {
                    copy.try_run(url.clone());
                    ConnectNotice::Link { url }
                }
                Ok(ConnectStart::GoTo { url }) => {
                    // A full page load: GitHub must see a real navigation.
                    let _ = window().location().assign(&url);
                    ConnectNotice::Leaving
                }
                Ok(ConnectStart::AlreadyConnected { login }) => {
                    on_already_connected.try_run(());
                    ConnectNotice::AlreadyConnected { login }
                }
                Err(error) if error.is_integration_not_set_up() => ConnectNotice::NotSetUp {
                    is_admin: session.is_admin_untracked(),
                },
                Err(error) => ConnectNotice::Failed(error),
            }
        }
    });
    ConnectControls {
        working: Signal::derive(move || start.pending() || start.value() == Some(ConnectNotice::Leaving)),
        notice: Signal::derive(move || start.value()),
        copied,
        connect: Callback::new(move |_| start.dispatch(false)),
        copy_link: Callback::new(move |_| start.dispatch(true)),
    }
}

/// One button that goes to GitHub, and "Copy link" to finish on another device (the
/// CLI's `--headless`).
#[component]
pub fn ConnectGithub(
    /// From [`use_connect_github`].
    controls: ConnectControls,
    /// The main button's words.
    #[prop(default = "Connect GitHub")]
    label: &'static str,
) -> impl IntoView {
    let ConnectControls {
        working,
        notice,
        copied,
        connect,
        copy_link,
    } = controls;
    view! {
        <div class="connect">
            <div class="connect__actions">
                <button type="button" class="button button--primary" prop:disabled=move || working.get()
                    on:click=move |_| connect.run(())>
                    {label}
                </button>
                <button type="button" class="button" prop:disabled=move || working.get()
                    on:click=move |_| copy_link.run(())>
                    "Copy link"
                </button>
            </div>
            <div class="connect__notice" aria-live="polite">
                {move || notice.get().map(|n| match n {
                    ConnectNotice::Leaving => view! { <p class="notice-line">"Opening GitHub…"</p> }.into_any(),
                    ConnectNotice::AlreadyConnected { login } => view! {
                        <p class="notice-line notice-line--success">
                            {match login {
                                Some(login) => format!("GitHub is already connected as @{login}. Nothing more to do."),
                                None => "GitHub is already connected. Nothing more to do.".to_owned(),
                            }}
                        </p>
                    }.into_any(),
                    ConnectNotice::Link { url } => {
                        view! {
                            <p class="notice-line">
                                {move || copied.get().then_some("Link copied. ")}
                                "Open it where you are signed in to GitHub. It works once, for 10 minutes, and only for you."
                            </p>
                            <div class="field">
                                <label for="connect-link">"Connection link"</label>
                                <div class="field__row">
                                    <input id="connect-link" class="mono" type="text" readonly prop:value=url.clone() />
                                    <CopyButton text=url label="connection link" />
                                </div>
                            </div>
                        }.into_any()
                    }
                    ConnectNotice::Failed(error) => view! { <ErrorPanel error on_retry=connect /> }.into_any(),
                    ConnectNotice::NotSetUp { is_admin: true } => view! {
                        <p class="notice-line notice-line--danger" role="alert">
                            "The GitHub App is not fully set up on this instance. "
                            <a href=Page::GithubApp.path()>"Set up the GitHub App"</a>
                        </p>
                    }.into_any(),
                    ConnectNotice::NotSetUp { is_admin: false } => view! {
                        <p class="notice-line notice-line--danger" role="alert">
                            "GitHub is not fully set up on this instance. Ask your administrator to finish setting up the Flui GitHub App."
                        </p>
                    }.into_any(),
                })}
            </div>
        </div>
    }
}

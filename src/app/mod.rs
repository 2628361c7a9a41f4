//! The app: reading the runtime configuration, the route table (every path once, from
//! [`routes::Page`]), the signed-in shell and the gates in front of it.

mod config_error_page;
mod guards;
pub mod navigation;
mod not_found_page;
pub mod router;
pub mod routes;
mod shell;

use leptos::prelude::*;

use crate::api::Resource;
use crate::api::config::{RuntimeConfig, load_config};
use crate::contexts::{provide_session, provide_theme};
use crate::features::admin::{GithubAppPage, InstallationsPage, NeedsAdminPage};
use crate::features::auth::{AuthCallbackPage, SignInPage};
use crate::features::connect::GithubInstalledPage;
use crate::features::ghcr_token::GhcrTokenPage;
use crate::features::overview::OverviewPage;
use crate::features::repositories::{ConnectRepositoriesPage, RepositoriesPage};
use config_error_page::ConfigErrorPage;
use guards::{SessionPending, gated, to_needs_admin, to_sign_in};
use not_found_page::NotFoundPage;
use router::provide_router;
use routes::Page;
use shell::SignedInLayout;

/// The whole app: reads `/assets/config.json`, then runs the dashboard, or explains
/// what is wrong with the file.
#[component]
pub fn App() -> impl IntoView {
    provide_theme();
    let config = Resource::new(load_config);
    view! {
        {move || match config.get() {
            None => view! {
                <main id="main" class="standalone" aria-busy="true">
                    <p class="muted" role="status">"Loading…"</p>
                </main>
            }
            .into_any(),
            Some(Ok(config)) => view! { <Dashboard config /> }.into_any(),
            Some(Err(error)) => view! { <ConfigErrorPage error /> }.into_any(),
        }}
    }
}

/// Which frame a path is shown in. Kept apart from the page so that moving between
/// signed-in pages keeps the shell (and its credentials banner) in place.
#[derive(Clone, Copy, PartialEq)]
enum Frame {
    /// A page anyone may open, or `None`: no page at that path.
    Open(Option<Page>),
    /// A page behind sign-in, shown in the shell.
    SignedIn,
}

/// The route table: the view of every page.
fn page_view(page: Page) -> AnyView {
    match page {
        Page::Overview => view! { <OverviewPage /> }.into_any(),
        Page::Repositories => view! { <RepositoriesPage /> }.into_any(),
        Page::ConnectRepositories => view! { <ConnectRepositoriesPage /> }.into_any(),
        // The official dashboard's path: the same page, at its own address.
        Page::AppsRepositories => view! { <RepositoriesPage /> }.into_any(),
        Page::GhcrToken => view! { <GhcrTokenPage /> }.into_any(),
        Page::GithubApp | Page::GithubSetup => view! { <GithubAppPage /> }.into_any(),
        Page::Installations => view! { <InstallationsPage /> }.into_any(),
        Page::GithubInstalled => view! { <GithubInstalledPage /> }.into_any(),
        Page::SignIn => view! { <SignInPage /> }.into_any(),
        Page::AuthCallback => view! { <AuthCallbackPage /> }.into_any(),
        Page::NeedsAdmin => view! { <NeedsAdminPage /> }.into_any(),
    }
}

/// The dashboard for a checked configuration: the session, the router, and the page at
/// the address, behind its gates.
#[component]
pub fn Dashboard(
    /// The runtime settings.
    config: RuntimeConfig,
) -> impl IntoView {
    let session = provide_session(config);
    let router = provide_router();
    let page = Memo::new(move |_| Page::from_path(&router.path()));
    let frame = Memo::new(move |_| match page.get() {
        Some(page) if page.needs_sign_in() => Frame::SignedIn,
        open => Frame::Open(open),
    });
    let signed_in = Memo::new(move |_| session.signed_in());
    let admin = Memo::new(move |_| {
        session
            .signed_in()
            .filter(|signed_in| *signed_in)
            .map(|_| session.is_admin())
    });
    let shell_page = Memo::new(move |_| page.get().filter(|page| page.needs_sign_in()));
    let current = move || {
        shell_page.get().map(|page| {
            if page.admin_only() {
                gated(admin, || ().into_any(), to_needs_admin, move || page_view(page)).into_any()
            } else {
                page_view(page)
            }
        })
    };
    move || match frame.get() {
        Frame::Open(Some(page)) => page_view(page),
        Frame::Open(None) => view! { <NotFoundPage /> }.into_any(),
        Frame::SignedIn => gated(
            signed_in,
            || view! { <SessionPending /> }.into_any(),
            to_sign_in,
            move || view! { <SignedInLayout>{current}</SignedInLayout> }.into_any(),
        )
        .into_any(),
    }
}

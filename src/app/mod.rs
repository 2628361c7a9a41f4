//! The app: reading the runtime configuration, the route table (every path once, from
//! [`routes::Page`]), the signed-in shell and the gates in front of it.

mod config_error_page;
mod guards;
pub mod navigation;
mod not_found_page;
pub mod routes;
mod shell;

use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::StaticSegment;
use leptos_router::components::{Outlet, ProtectedParentRoute, Route, Router, Routes};

use crate::api::Resource;
use crate::api::config::{RuntimeConfig, load_config};
use crate::contexts::{provide_session, provide_theme};
use crate::features::admin::{GithubAppPage, InstallationsPage, NeedsAdminPage};
use crate::features::auth::SignInPage;
use crate::features::connect::GithubInstalledPage;
use crate::features::ghcr_token::GhcrTokenPage;
use crate::features::overview::OverviewPage;
use crate::features::repositories::RepositoriesPage;
use config_error_page::ConfigErrorPage;
use guards::{SessionPending, to_needs_admin, to_sign_in};
use not_found_page::NotFoundPage;
use routes::Page;
use shell::SignedInLayout;

/// The whole app: reads `/assets/config.json`, then runs the dashboard, or explains
/// what is wrong with the file.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_theme();
    let config = Resource::new(load_config);
    view! {
        <Title formatter=|page: String| if page.is_empty() { "Flui".to_owned() } else { format!("{page} · Flui") } />
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

/// The dashboard for a checked configuration: the session, the router and the route table.
#[component]
pub fn Dashboard(
    /// The runtime settings.
    config: RuntimeConfig,
) -> impl IntoView {
    let session = provide_session(config);
    view! {
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=Page::SignIn.route1() view=SignInPage />
                <Route path=Page::GithubInstalled.route2() view=GithubInstalledPage />
                <ProtectedParentRoute path=StaticSegment("") view=SignedInLayout
                    condition=move || session.signed_in()
                    redirect_path=to_sign_in
                    fallback=SessionPending>
                    <Route path=StaticSegment("") view=OverviewPage />
                    <Route path=Page::Repositories.route1() view=RepositoriesPage />
                    <Route path=Page::GhcrToken.route1() view=GhcrTokenPage />
                    <Route path=Page::NeedsAdmin.route1() view=NeedsAdminPage />
                    <ProtectedParentRoute path=StaticSegment("") view=Outlet
                        condition=move || session.signed_in().filter(|s| *s).map(|_| session.is_admin())
                        redirect_path=to_needs_admin>
                        <Route path=Page::GithubApp.route2() view=GithubAppPage />
                        <Route path=Page::Installations.route2() view=InstallationsPage />
                        <Route path=Page::GithubSetup.route3() view=GithubAppPage />
                    </ProtectedParentRoute>
                </ProtectedParentRoute>
            </Routes>
        </Router>
    }
}

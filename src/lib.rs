//! flui-dashboard: the browser dashboard for the GitHub side of Flui.

pub mod api;
mod browser;
pub mod components;
pub mod github_connect;
pub mod integrations;
pub mod navigation;
pub mod pages;
pub mod session;
mod shell;
mod theme;
pub mod time;

use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use api::config::RuntimeConfig;
use pages::*;
use shell::{AdminGate, Shell};

/// The whole app: reads `/assets/config.json`, then runs the dashboard, or explains
/// what is wrong with the file.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let config = LocalResource::new(api::load_config);
    view! {
        <Title formatter=|page: String| if page.is_empty() { "Flui".to_owned() } else { format!("{page} · Flui") } />
        <Suspense fallback=|| view! { <main id="main" class="standalone" aria-busy="true"><p class="muted" role="status">"Loading…"</p></main> }>
            {move || Suspend::new(async move {
                match config.await {
                    Ok(config) => view! { <Dashboard config /> }.into_any(),
                    Err(error) => view! { <ConfigErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The dashboard for a checked configuration: session, router and route table.
#[component]
pub fn Dashboard(
    /// The runtime settings.
    config: RuntimeConfig,
) -> impl IntoView {
    session::provide_session(config);
    view! {
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/login") view=SignInPage />
                <Route path=path!("/github/installed") view=GithubInstalledPage />
                <ParentRoute path=path!("") view=Shell>
                    <Route path=path!("") view=OverviewPage />
                    <Route path=path!("repositories") view=RepositoriesPage />
                    <Route path=path!("ghcr-token") view=GhcrTokenPage />
                    <ParentRoute path=path!("admin") view=AdminGate>
                        <Route path=path!("github-app") view=GithubAppPage />
                        <Route path=path!("installations") view=InstallationsPage />
                    </ParentRoute>
                    // The path the API's manifest callback redirects to.
                    <ParentRoute path=path!("apps/repositories") view=AdminGate>
                        <Route path=path!("github-setup") view=GithubAppPage />
                    </ParentRoute>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

//! `/repositories` (also `/apps/repositories`): first where the user stands (integration
//! not set up, unhealthy, not connected), then the connected repositories.

use leptos::prelude::*;

use super::connected_list::ConnectedList;
use super::standing::{Standing, standing};
use crate::api::use_api;
use crate::app::routes::Page;
use crate::contexts::use_session;
use crate::features::connect::{ConnectGithub, PatConnect, use_connect_github};
use crate::ui::{ErrorPanel, PageHeader};

/// `flui repo list | disconnect`, and the way to `flui repo connect`.
#[component]
pub fn RepositoriesPage() -> impl IntoView {
    let api = use_api();
    let session = use_session();
    let setup = api.resource(|api| async move { api.setup_status().await });
    let github = api.resource(|api| async move { api.github_status().await });
    // Only admins may run the health check; for users its answer is "unknown".
    let health = api.resource(move |api| async move {
        Ok(if session.is_admin_untracked() {
            api.setup_health().await.ok()
        } else {
            None
        })
    });
    let controls = use_connect_github(Callback::new(move |_| github.refetch()));
    let reread = Callback::new(move |_| github.refetch());
    let retry = Callback::new(move |_| {
        setup.refetch();
        github.refetch();
    });

    let body = move || {
        if setup.loading() || github.loading() || health.loading() {
            return view! { <p class="muted" role="status">"Loading your repositories…"</p> }.into_any();
        }
        let (setup, github, health) = match (setup.get(), github.get(), health.get()) {
            (Some(Ok(s)), Some(Ok(g)), Some(Ok(h))) => (s, g, h),
            (Some(Err(error)), _, _) | (_, Some(Err(error)), _) => {
                return view! { <ErrorPanel error on_retry=retry /> }.into_any();
            }
            _ => return view! { <p class="muted" role="status">"Loading your repositories…"</p> }.into_any(),
        };
        let admin = session.is_admin();
        // (title, what it means, what to do, a link) for the states that only explain.
        let (title, what, next, link): (&str, String, &str, Option<(&str, &str)>) =
            match standing(&setup, &github, health.as_ref()) {
                Standing::Connected => return view! { <ConnectedList /> }.into_any(),
                Standing::PatNotConnected => return view! {
                    <section class="card" aria-labelledby="standing-title">
                        <h2 id="standing-title">"Connect GitHub with a personal access token"</h2>
                        <p>"This instance connects GitHub with a token of your own. Connect it before importing repositories."</p>
                        <PatConnect on_connected=reread />
                    </section>
                }
                .into_any(),
                Standing::NotConnected => return view! {
                    <section class="card" aria-labelledby="standing-title">
                        <h2 id="standing-title">"Connect GitHub first"</h2>
                        <p>"Flui imports repositories through your GitHub account: install the Flui GitHub App and authorise it, then come back here."</p>
                        <ConnectGithub controls />
                    </section>
                }
                .into_any(),
                Standing::NotSetUp { legacy } => (
                    "GitHub is not set up",
                    if legacy {
                        "This instance still uses a legacy GitHub OAuth App, which cannot import repositories.".into()
                    } else {
                        "GitHub is not set up on this Flui instance yet, so there is nothing to import from.".into()
                    },
                    if admin { "Set up the Flui GitHub App for this instance." } else { "Ask an administrator of this Flui instance to set up the Flui GitHub App." },
                    admin.then_some((Page::GithubApp.path(), "Set up the GitHub App")),
                ),
                Standing::Unhealthy(message) => (
                    "The GitHub App is not working",
                    format!("Flui's check of the GitHub App failed, so new repositories cannot be listed or imported. It reported: “{message}”"),
                    "Check that Flui can reach GitHub and that the App's credentials are right (a wrong private key is the usual cause), then try again.",
                    Some((Page::GithubApp.path(), "Check the GitHub App")),
                ),
            };
        view! {
            <section class="card" aria-labelledby="standing-title">
                <h2 id="standing-title">{title}</h2>
                <p>{what}</p>
                <p>{next}</p>
                {link.map(|(href, label)| view! { <p><a class="button button--primary" href=href>{label}</a></p> })}
            </section>
            // What is already connected lives in Flui and stays listed (and can be
            // disconnected) while the App is failing.
            {(github.connected && setup.configured).then(|| view! { <ConnectedList /> })}
        }
        .into_any()
    };

    view! {
        <PageHeader title="Repositories" purpose="The GitHub repositories Flui may build and deploy for you." />
        {body}
    }
}

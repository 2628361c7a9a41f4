//! `/repositories`: not built yet, but on an instance in PAT mode it already offers to
//! connect GitHub with a personal access token, which everything here needs first.

use leptos::prelude::*;

use crate::api::setup::AuthMethod;
use crate::api::use_api;
use crate::features::connect::PatConnect;
use crate::ui::NotBuilt;

/// The user's repositories (`flui repo list | connect | disconnect`).
#[component]
pub fn RepositoriesPage() -> impl IntoView {
    let api = use_api();
    let setup = api.resource(|api| async move { api.setup_status().await });
    let github = api.resource(|api| async move { api.github_status().await });
    let needs_token = move || {
        let pat_mode = setup.get()?.ok()?.auth_method == Some(AuthMethod::Pat);
        let connected = github.get()?.ok()?.connected;
        (pat_mode && !connected).then_some(())
    };
    view! {
        <NotBuilt title="Repositories"
            purpose="Import the GitHub repositories Flui may build and deploy."
            cli="flui repo list\nflui repo connect <owner/repo>" />
        {move || needs_token().map(|()| view! {
            <section class="card" aria-labelledby="pat-title">
                <h2 id="pat-title">"Connect GitHub with a personal access token"</h2>
                <p>"This instance connects GitHub with a token of your own. Connect it before importing repositories."</p>
                <PatConnect on_connected=Callback::new(move |_| github.refetch()) />
            </section>
        })}
    }
}

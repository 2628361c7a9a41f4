//! `/`: the overview, the first-deploy checklist: one row per connection Flui needs.

use leptos::prelude::*;

use super::integration_row::{IntegrationRow, RowSkeleton, RowUnavailable};
use super::status_rows::{RowAction, app_row, ghcr_row, github_row, ready, repositories_row};
use crate::api::setup::AuthMethod;
use crate::api::use_api;
use crate::contexts::{use_ghcr_status, use_session};
use crate::features::connect::{ConnectGithub, ConnectNotice, PatConnect, PatDisconnect, use_connect_github};
use crate::ui::dates::now_ms;
use crate::ui::{CopyButton, PageHeader};

/// The first-deploy checklist: the four one-off connections (`flui integration list`,
/// plus the App on the instance and the repositories), each with the action that
/// completes it, and "Ready" when all four hold.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let api = use_api();
    let session = use_session();
    let setup_status = api.resource(|api| async move { api.setup_status().await });
    let github_status = api.resource(|api| async move { api.github_status().await });
    // The banner's own read: one request, one answer.
    let ghcr_status = use_ghcr_status();
    let repositories = api.resource(|api| async move { api.repositories().await });
    // Already connected: the row is stale, so read it again (no reload).
    let controls = use_connect_github(Callback::new(move |_| github_status.refetch()));

    let github = move || match (setup_status.get(), github_status.get()) {
        // A retry shows the placeholder again, not the old answer.
        _ if setup_status.loading() || github_status.loading() => {
            view! { <RowSkeleton name="GitHub" /> }.into_any()
        }
        (Some(Ok(setup)), Some(Ok(github))) => {
            let row = github_row(&setup, &github, session.is_admin());
            let reread = Callback::new(move |_| github_status.refetch());
            match row.action {
                Some(RowAction::ConnectGithubApp) => {
                    view! { <IntegrationRow row><ConnectGithub controls /></IntegrationRow> }.into_any()
                }
                Some(RowAction::ConnectWithToken) => {
                    view! { <IntegrationRow row><PatConnect on_connected=reread /></IntegrationRow> }
                        .into_any()
                }
                _ if github.connected && setup.auth_method == Some(AuthMethod::Pat) => {
                    view! { <IntegrationRow row><PatDisconnect on_disconnected=reread /></IntegrationRow> }
                        .into_any()
                }
                _ => view! { <IntegrationRow row /> }.into_any(),
            }
        }
        (Some(Err(error)), _) | (_, Some(Err(error))) => {
            let retry = Callback::new(move |_| {
                setup_status.refetch();
                github_status.refetch();
            });
            view! { <RowUnavailable name="GitHub" error on_retry=retry /> }.into_any()
        }
        _ => view! { <RowSkeleton name="GitHub" /> }.into_any(),
    };
    let app = move || match setup_status.get() {
        Some(Ok(setup)) => view! { <IntegrationRow row=app_row(&setup, session.is_admin()) /> }.into_any(),
        Some(Err(error)) => {
            let retry = Callback::new(move |_| setup_status.refetch());
            view! { <RowUnavailable name="GitHub App" error on_retry=retry /> }.into_any()
        }
        None => view! { <RowSkeleton name="GitHub App" /> }.into_any(),
    };
    let repos = move || match repositories.get() {
        Some(Ok((list, _))) => view! { <IntegrationRow row=repositories_row(list.len()) /> }.into_any(),
        Some(Err(error)) => {
            let retry = Callback::new(move |_| repositories.refetch());
            view! { <RowUnavailable name="Repositories" error on_retry=retry /> }.into_any()
        }
        None => view! { <RowSkeleton name="Repositories" /> }.into_any(),
    };
    // All four done: the first deploy can run.
    let all_done = move || match (
        setup_status.get(),
        github_status.get(),
        ghcr_status.get(),
        repositories.get(),
    ) {
        (Some(Ok(setup)), Some(Ok(github)), Some(Ok(ghcr)), Some(Ok((list, _)))) => {
            ready(&setup, &github, &ghcr, list.len())
        }
        _ => false,
    };
    let ghcr = move || match ghcr_status.get() {
        _ if ghcr_status.loading() => view! { <RowSkeleton name="GHCR token" /> }.into_any(),
        Some(Ok(status)) => view! { <IntegrationRow row=ghcr_row(&status, now_ms()) /> }.into_any(),
        Some(Err(error)) => {
            let retry = Callback::new(move |_| ghcr_status.refetch());
            view! { <RowUnavailable name="GHCR token" error on_retry=retry /> }.into_any()
        }
        None => view! { <RowSkeleton name="GHCR token" /> }.into_any(),
    };

    view! {
        <PageHeader
            title="Overview"
            purpose="The connections Flui needs before your first deploy from a GitHub repository."
        />
        <p class="page-status" role="status">
            {move || match controls.notice.get() {
                Some(ConnectNotice::AlreadyConnected { login: Some(login) }) => {
                    format!("GitHub is already connected as @{login}: nothing to do.")
                }
                Some(ConnectNotice::AlreadyConnected { login: None }) => {
                    "GitHub is already connected: nothing to do.".to_owned()
                }
                _ => String::new(),
            }}
        </p>
        <ul class="integrations" aria-label="Integrations">
            {app}
            {github}
            {ghcr}
            {repos}
        </ul>
        {move || all_done().then(|| view! {
            <section class="card" aria-labelledby="ready-title">
                <h2 id="ready-title">"Ready: deploy with flui deploy"</h2>
                <p>"Every connection Flui needs is in place. From a connected repository's folder, run:"</p>
                <p><code class="command">"flui deploy"</code> " " <CopyButton text="flui deploy".to_owned() label="the deploy command" /></p>
            </section>
        })}
    }
}

//! `/`: the overview, one row per connection Flui needs.

use leptos::prelude::*;

use super::integration_row::{IntegrationRow, RowSkeleton, RowUnavailable};
use super::status_rows::{RowAction, ghcr_row, github_row};
use crate::api::setup::AuthMethod;
use crate::api::use_api;
use crate::contexts::use_session;
use crate::features::connect::{ConnectGithub, ConnectNotice, PatConnect, PatDisconnect, use_connect_github};
use crate::ui::PageHeader;
use crate::ui::dates::now_ms;

/// `flui integration list` in the browser: the GitHub connection and the GHCR token.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let api = use_api();
    let session = use_session();
    let setup_status = api.resource(|api| async move { api.setup_status().await });
    let github_status = api.resource(|api| async move { api.github_status().await });
    let ghcr_status = api.resource(|api| async move { api.ghcr_pat_status().await });
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
            {github}
            {ghcr}
        </ul>
    }
}

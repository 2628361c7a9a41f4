use leptos::prelude::*;

use crate::api::use_api;
use crate::components::{
    ConnectGithub, ConnectNotice, GhcrRow, GithubRow, PageHeader, RowSkeleton, RowUnavailable,
};
use crate::github_connect::use_connect_github;
use crate::session::use_session;
use crate::time::now_ms;

/// `flui integration list` in the browser: the GitHub connection and the GHCR token.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let api = use_api();
    let session = use_session();
    let setup_status = api.resource(|api| async move { api.setup_status().await });
    let github_status = api.resource(|api| async move { api.github_status().await });
    let ghcr_status = api.resource(|api| async move { api.ghcr_pat_status().await });
    let is_admin = move || session.user().is_some_and(|u| u.is_admin);
    // Already connected: the row is stale, so read it again (no reload).
    let controls = use_connect_github(
        Signal::derive(is_admin),
        Callback::new(move |_| github_status.refetch()),
    );
    let (working, notice, connect, copy_link) = (
        controls.working,
        controls.notice,
        controls.connect,
        controls.copy_link,
    );

    let github_row = move || {
        Suspend::new(async move {
            match (setup_status.await, github_status.await) {
                (Ok(setup), Ok(github)) if setup.configured && !github.connected => view! {
                    <GithubRow setup github is_admin=is_admin()>
                        <ConnectGithub working notice on_connect=connect on_copy_link=copy_link />
                    </GithubRow>
                }
                .into_any(),
                (Ok(setup), Ok(github)) => {
                    view! { <GithubRow setup github is_admin=is_admin() /> }.into_any()
                }
                (Err(error), _) | (_, Err(error)) => {
                    let retry = Callback::new(move |_| {
                        setup_status.refetch();
                        github_status.refetch();
                    });
                    view! { <RowUnavailable name="GitHub" error on_retry=retry /> }.into_any()
                }
            }
        })
    };
    let ghcr_row = move || {
        Suspend::new(async move {
            match ghcr_status.await {
                Ok(status) => view! { <GhcrRow status now_ms=now_ms() /> }.into_any(),
                Err(error) => {
                    let retry = Callback::new(move |_| ghcr_status.refetch());
                    view! { <RowUnavailable name="GHCR token" error on_retry=retry /> }.into_any()
                }
            }
        })
    };

    view! {
        <PageHeader
            title="Overview"
            purpose="The connections Flui needs before your first deploy from a GitHub repository."
        />
        <p class="page-status" role="status">
            {move || match notice.get() {
                Some(ConnectNotice::AlreadyConnected { login }) => {
                    format!("GitHub is already connected as @{login}: nothing to do.")
                }
                _ => String::new(),
            }}
        </p>
        <ul class="integrations" aria-label="Integrations">
            <Transition fallback=|| view! { <RowSkeleton name="GitHub" /> }>{github_row}</Transition>
            <Transition fallback=|| view! { <RowSkeleton name="GHCR token" /> }>{ghcr_row}</Transition>
        </ul>
    }
}

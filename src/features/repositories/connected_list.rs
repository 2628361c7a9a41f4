//! The connected repositories, each with a link to GitHub and Disconnect (after a
//! confirmation that names it); "Copy as JSON" gives what `flui repo list -o json` prints.

use leptos::prelude::*;

use super::standing::repo_link;
use crate::api::repositories::Repository;
use crate::api::{ApiError, ErrorKind, Task, use_api};
use crate::app::routes::Page;
use crate::contexts::use_session;
use crate::ui::dates::{format_date, parse_iso_ms};
use crate::ui::{ConfirmDialog, CopyButton, ErrorPanel, StatusPill, Tone};

/// Descriptions longer than this are clamped, with the full text one click away.
const LONG: usize = 280;

#[component]
pub fn ConnectedList() -> impl IntoView {
    let api = use_api();
    let github_url = use_session().config().github_url;
    let repos = api.resource(|api| async move { api.repositories().await });
    // What the last disconnect did: the name, and the error if it failed.
    let notice = RwSignal::new(None::<(String, Option<ApiError>)>);
    let disconnect = Task::new(move |(id, name): &(String, String)| {
        let (id, name, api) = (id.clone(), name.clone(), api.clone());
        async move {
            let result = api.disconnect_repository(&id).await;
            let gone = result.is_ok() || result.as_ref().is_err_and(|e| e.kind() == ErrorKind::NotFound);
            notice.set(Some((name, result.err())));
            if gone {
                repos.refetch();
            }
        }
    });

    let list = move || {
        match repos.get() {
        None => view! { <p class="muted" role="status">"Loading your repositories…"</p> }.into_any(),
        Some(Err(error)) => view! { <ErrorPanel error on_retry=Callback::new(move |_| repos.refetch()) /> }.into_any(),
        Some(Ok((list, _))) if list.is_empty() => view! {
            <section class="card empty" aria-labelledby="empty-title">
                <h2 id="empty-title">"No repositories connected yet"</h2>
                <p>"Connect the GitHub repositories Flui should build and deploy. Flui only reads what you connect here."</p>
                <p><a class="button button--primary" href=Page::ConnectRepositories.path()>"Connect repositories"</a></p>
            </section>
        }
        .into_any(),
        Some(Ok((list, json))) => {
            let count = list.len();
            let github_url = github_url.clone();
            view! {
                <div class="page-actions">
                    <a class="button button--primary" href=Page::ConnectRepositories.path()>"Connect more repositories"</a>
                    <CopyButton text=json label="as JSON" caption="Copy as JSON" />
                </div>
                <ul class="repos" aria-label=format!("Connected repositories ({count})")>
                    {list.into_iter().map(|repo| view! { <RepoItem repo github_url=github_url.clone() disconnect /> }).collect_view()}
                </ul>
            }
            .into_any()
        }
    }
    };

    view! {
        <div role="status" class="page-status">
            {move || notice.get().and_then(|(name, error)| match error {
                None => Some(format!("Disconnected {name}. It stays on GitHub; Flui no longer builds or deploys it.")),
                Some(e) if e.kind() == ErrorKind::NotFound => Some(format!("{name} was already disconnected (from another tab or the CLI). The list is up to date.")),
                Some(_) => None,
            })}
        </div>
        {move || notice.get().and_then(|(_, error)| error.filter(|e| e.kind() != ErrorKind::NotFound)).map(|error| view! { <ErrorPanel error /> })}
        {list}
    }
}

#[component]
fn RepoItem(repo: Repository, github_url: String, disconnect: Task<(String, String), ()>) -> impl IntoView {
    let name = repo.full_name.clone().unwrap_or_default();
    let confirm = RwSignal::new(false);
    let link = repo_link(repo.html_url.as_deref(), &github_url);
    let description = repo.description.clone().filter(|d| !d.trim().is_empty());
    let connected = repo.created_at.as_deref().and_then(parse_iso_ms).map(format_date);
    let id = repo.id.clone();
    let title = format!("Disconnect {name}?");
    let action = format!("Disconnect {name}");
    let target = name.clone();
    view! {
        <li class="repo">
            <div class="repo__head">
                <h2 class="repo__name"><bdi>{name.clone()}</bdi></h2>
                {repo.is_private.unwrap_or(false).then(|| view! { <StatusPill text="Private" tone=Tone::Neutral /> })}
            </div>
            {description.map(|d| if d.chars().count() > LONG {
                let short: String = d.chars().take(LONG).collect();
                view! {
                    <details class="repo__description">
                        <summary><bdi>{short}</bdi>"… (show all)"</summary>
                        <p><bdi>{d}</bdi></p>
                    </details>
                }.into_any()
            } else {
                view! { <p class="repo__description"><bdi>{d}</bdi></p> }.into_any()
            })}
            <dl class="facts facts--inline">
                {repo.default_branch.map(|b| view! { <dt>"Branch"</dt><dd class="mono"><bdi>{b}</bdi></dd> })}
                {repo.language.filter(|l| !l.is_empty()).map(|l| view! { <dt>"Language"</dt><dd><bdi>{l}</bdi></dd> })}
                <dt>"Auto-deploy"</dt><dd>{if repo.auto_deploy_enabled.unwrap_or(false) { "On push" } else { "Off" }}</dd>
                {connected.map(|c| view! { <dt>"Connected"</dt><dd>{c}</dd> })}
            </dl>
            <div class="repo__actions">
                {link.map(|href| view! {
                    <a href=href target="_blank" rel="noopener noreferrer">"Open on GitHub"<span class="visually-hidden">{format!(": {name}")}</span></a>
                })}
                {id.map(|id| view! {
                    <button type="button" class="button button--small button--danger" disabled=move || disconnect.pending()
                        on:click=move |_| confirm.set(true)>
                        {action.clone()}
                    </button>
                    <ConfirmDialog open=confirm title confirm=action.clone()
                        on_confirm=Callback::new(move |_| disconnect.dispatch((id.clone(), target.clone())))>
                        <p>"Flui stops building and deploying this repository. The repository on GitHub is not touched, and you can connect it again later."</p>
                    </ConfirmDialog>
                })}
            </div>
        </li>
    }
}

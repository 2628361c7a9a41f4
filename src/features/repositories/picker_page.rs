//! `/repositories/connect`: the picker over `GET /repositories/available` (one call, the
//! whole list; search, filters and sort on the client, kept in the URL), then
//! `POST /repositories/import` with what happened to each repository.

use std::sync::Arc;

use leptos::html;
use leptos::prelude::*;
use web_sys::FormData;

use super::picker::{Missing, Outcome, Repos, View, missing, outcomes, owners, prepare, visible};
use super::repo_listbox::RepoListbox;
use super::standing::install_link;
use crate::api::repositories::ImportResult;
use crate::api::setup::AuthMethod;
use crate::api::{ApiError, ErrorKind, Task, use_api};
use crate::app::router::use_router;
use crate::app::routes::Page;
use crate::contexts::use_session;
use crate::ui::{ErrorPanel, PageHeader};

type Imported = (Vec<String>, Result<ImportResult, ApiError>);

/// `flui repo connect [owner/repo]` in the browser.
#[component]
pub fn ConnectRepositoriesPage() -> impl IntoView {
    let api = use_api();
    let router = use_router();
    let github_url = use_session().config().github_url;
    let setup = api.resource(|api| async move { api.setup_status().await });
    let available = api.resource(|api| async move { api.available_repositories().await });

    // The view starts from the URL; the controls write every change back to it.
    let view_state = RwSignal::new(View::from_query(|key| router.query_untracked(key)));
    let wanted = router.query_untracked("repo").filter(|r| !r.trim().is_empty());
    let rows = Memo::new(move |_| {
        Arc::new(match available.get() {
            Some(Ok(list)) => prepare(list),
            _ => Repos::default(),
        })
    });
    let shown = Memo::new(move |_| Arc::new(rows.with(|rows| view_state.with(|v| visible(rows, v)))));
    let selection = RwSignal::new(Vec::<String>::new());
    let active = RwSignal::new(0_usize);
    let auto_deploy = RwSignal::new(false);

    // `?repo=owner/repo`: picked and shown once the list arrives.
    let linked = wanted.clone();
    let preselected = StoredValue::new(false);
    Effect::new(move |_| {
        if preselected.get_value() {
            return;
        }
        let found = rows.with(|repos| {
            preselected.set_value(!repos.rows.is_empty());
            let name = linked.as_deref()?.trim();
            let at = repos
                .rows
                .iter()
                .position(|r| r.full_name.eq_ignore_ascii_case(name))?;
            let row = repos.rows.get(at)?;
            let position = shown.with_untracked(|s| s.iter().position(|i| *i as usize == at));
            Some((row.full_name.clone(), row.imported, position))
        });
        if let Some((name, imported, position)) = found {
            if !imported {
                selection.update(|s| s.push(name));
            }
            if let Some(position) = position {
                active.set(position);
            }
        }
    });

    let import = Task::new(move |(names, auto): &(Vec<String>, bool)| {
        let (names, auto, api) = (names.clone(), *auto, api.clone());
        async move {
            let result = api.import_repositories(names.clone(), auto).await;
            if result.is_ok() {
                selection.set(Vec::new());
                available.refetch();
            }
            (names, result)
        }
    });
    let connect = Callback::new(move |_| {
        let names = selection.get_untracked();
        if !names.is_empty() && !import.pending() {
            import.dispatch((names, auto_deploy.get_untracked()));
        }
    });
    let rescan_api = use_api();
    let refresh = Task::new(move |_: &()| {
        let api = rescan_api.clone();
        async move {
            // Flui looks for installations again (an owner may have granted one).
            let _ = api.rescan_installations().await;
            available.refetch();
        }
    });
    let slug = move || setup.get().and_then(Result::ok).and_then(|s| s.app_slug);
    let pat_mode = move || {
        setup
            .get()
            .and_then(Result::ok)
            .is_some_and(|s| s.auth_method == Some(AuthMethod::Pat))
    };

    // A name from `?repo=` or typed in search that the list does not hold, explained.
    let explain = move |name: &str| {
        rows.with(|repos| missing(&repos.rows, name)).map(|why| match why {
            Missing::Malformed => format!("“{name}” is not a repository name: write it as owner/repo, as on GitHub."),
            Missing::NotVisible { owner } => format!(
                "{name} is not in the list: the Flui GitHub App cannot see it, or it is beyond the first 100 of {owner}. See “Why is my repository missing?” below."
            ),
        })
    };
    let missing_note = move || {
        if rows.with(|r| r.rows.is_empty()) {
            return None;
        }
        let typed = view_state.with(|v| v.search.trim().to_owned());
        let typed = (typed.contains('/') && shown.with(|s| s.is_empty())).then_some(typed);
        typed.or_else(|| wanted.clone()).and_then(|name| explain(&name))
    };

    let controls = NodeRef::<html::Form>::new();
    let read_controls = move |_| {
        let data = controls
            .get_untracked()
            .and_then(|form| FormData::new_with_form(&form).ok());
        if let Some(data) = data {
            let view = View::from_query(|key| data.get(key).as_string());
            // The view lives in the URL: a reload or a shared link shows the same.
            router.set_query(&view.to_query());
            view_state.set(view);
            active.set(0);
        }
    };
    let select_shown = move |_| {
        let names: Vec<String> = rows.with_untracked(|repos| {
            shown.with_untracked(|s| {
                s.iter()
                    .filter_map(|i| repos.rows.get(*i as usize))
                    .filter(|r| !r.imported)
                    .map(|r| r.full_name.clone())
                    .collect()
            })
        });
        selection.update(|picked| {
            for name in names {
                if !picked.contains(&name) {
                    picked.push(name);
                }
            }
        });
    };

    let picker = move || {
        match available.get() {
            None => view! { <p class="muted" role="status">"Loading the repositories you can connect…"</p> }
                .into_any(),
            // Flui's 404 here: no GitHub connection for this user (or none set up).
            Some(Err(error)) if error.kind() != ErrorKind::NotFound => {
                view! { <ErrorPanel error on_retry=Callback::new(move |_| available.refetch()) /> }.into_any()
            }
            Some(Ok(_)) if !rows.with(|r| r.rows.is_empty()) => {
                let now = view_state.get_untracked();
                let owner_now = now.owner.clone().unwrap_or_default();
                let mut owner_choices = vec![(String::new(), "Every owner".to_owned())];
                owner_choices.extend(
                    rows.with_untracked(|r| owners(&r.rows))
                        .into_iter()
                        .map(|(owner, count)| (owner.clone(), format!("{owner} ({count})"))),
                );
                view! {
                <form node_ref=controls class="picker-controls" role="search" aria-label="Find repositories"
                    on:input=read_controls on:change=read_controls on:submit=|ev| ev.prevent_default()>
                    <span class="field">
                        <label for="repo-search">"Search"</label>
                        <input id="repo-search" name="q" type="search" autocomplete="off" spellcheck="false"
                            value=now.search placeholder="Name, owner, description or language" />
                    </span>
                    {choice("Owner", "owner", owner_choices, &owner_now)}
                    {choice("Visibility", "visibility", vec![
                        ("all".into(), "Public and private".into()),
                        ("public".into(), "Public".into()),
                        ("private".into(), "Private".into()),
                    ], now.visibility.as_str())}
                    {choice("Sort by", "sort", vec![
                        ("name".into(), "Name".into()),
                        ("updated".into(), "Last update".into()),
                    ], now.sort.as_str())}
                </form>
                <div class="picker-bulk">
                    <p role="status">{move || format!(
                        "{} of {} shown · {} selected",
                        shown.with(|s| s.len()),
                        rows.with(|r| r.rows.len()),
                        selection.with(Vec::len)
                    )}</p>
                    <button type="button" class="button button--small" on:click=select_shown>"Select all shown"</button>
                    <button type="button" class="button button--small" on:click=move |_| selection.set(Vec::new())>"Clear selection"</button>
                </div>
                <RepoListbox rows shown selection active on_enter=connect />
                <p class="field__hint">"Arrows move, Space selects, Enter connects the selection."</p>
            }
            .into_any()
            }
            Some(result) => {
                let words = if result.is_err() {
                    "Flui has no GitHub connection for your account yet, so there is nothing to list. Connect GitHub first:"
                } else {
                    "GitHub shows Flui no repository for you yet. If you have not connected GitHub, connect it first; otherwise see “Why is my repository missing?” below."
                };
                view! {
                    <div class="card">
                        <p>{words}</p>
                        <p><a href=Page::Repositories.path()>"Connect GitHub on the Repositories page"</a></p>
                    </div>
                }
                .into_any()
            }
        }
    };

    let gh = github_url.clone();
    let result = move || {
        import.value().map(|(names, result): Imported| match result {
            Ok(result) => import_outcome(&names, &result, &gh, slug()),
            // Try again sends the selection as it stands (it is kept after a failure).
            Err(error) => view! { <ErrorPanel error on_retry=connect /> }.into_any(),
        })
    };
    // Why a repository may be missing, for this instance's mode, with the way to fix it.
    let why_missing = move || {
        let pat = pat_mode();
        let grant = slug()
            .filter(|_| !pat)
            .map(|slug| install_link(&github_url, &slug));
        let why = if pat {
            "Flui lists the repositories your personal access token can see, the 100 most recently updated. Push to an older one to bring it up, or use a token that can see it."
        } else {
            "The Flui GitHub App sees only the repositories it was granted when it was installed on each account or organisation, and Flui lists at most the first 100 of each installation. Grant the App access on GitHub (pick the account, then the repositories), then refresh this list."
        };
        view! {
            <details class="card why-missing">
                <summary>"Why is my repository missing?"</summary>
                <p>{why}</p>
                {grant.map(|href| view! { <p><a href=href target="_blank" rel="noopener noreferrer">"Grant access on GitHub"</a></p> })}
                <button type="button" class="button button--small" disabled=move || refresh.pending()
                    on:click=move |_| refresh.dispatch(())>
                    "Refresh the list"
                </button>
            </details>
        }
    };

    view! {
        <PageHeader title="Connect repositories" purpose="Pick the GitHub repositories Flui may build and deploy." />
        <p><a href=Page::Repositories.path()>"← Connected repositories"</a></p>
        <p class="notice" role="status">{missing_note}</p>
        <div aria-live="polite">{result}</div>
        {picker}
        <div class="picker-submit">
            <label class="choice">
                <input type="checkbox" on:change=move |ev| auto_deploy.set(event_target_checked(&ev)) />
                " Deploy automatically on every push"
            </label>
            <button type="button" class="button button--primary"
                disabled=move || import.pending() || selection.with(Vec::is_empty)
                on:click=move |_| connect.run(())>
                {move || match (import.pending(), selection.with(Vec::len)) {
                    (true, _) => "Connecting…".to_owned(),
                    (_, 1) => "Connect 1 repository".to_owned(),
                    (_, n) => format!("Connect {n} repositories"),
                }}
            </button>
        </div>
        {why_missing}
    }
}

/// A labelled `<select>` named `name`, with `current` chosen (any case).
fn choice(label: &'static str, name: &'static str, options: Vec<(String, String)>, current: &str) -> AnyView {
    let options = options
        .into_iter()
        .map(|(value, text)| {
            let selected = value.eq_ignore_ascii_case(current);
            view! { <option value=value selected=selected>{text}</option> }
        })
        .collect_view();
    let id = format!("repo-{name}");
    view! {
        <span class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>{options}</select>
        </span>
    }
    .into_any()
}

/// What an import did, per repository; a partial result is told as such.
fn import_outcome(
    names: &[String],
    result: &ImportResult,
    github_url: &str,
    slug: Option<String>,
) -> AnyView {
    let (list, summary) = outcomes(names, result);
    let items = list
        .into_iter()
        .map(|(name, outcome)| {
            let (class, words, install) = match outcome {
                Outcome::Imported => ("notice-line--success", "Connected.".to_owned(), None),
                Outcome::AlreadyConnected => ("", "Already connected: nothing to do.".to_owned(), None),
                Outcome::NotInstalled { owner } => (
                    "notice-line--danger",
                    format!("Not connected: the Flui GitHub App is not installed on {owner}. Install it there, then try again."),
                    slug.as_deref().map(|slug| (format!("Install the App on {owner}"), install_link(github_url, slug))),
                ),
                Outcome::Failed(reason) => (
                    "notice-line--danger",
                    format!("Not connected. Flui said: “{reason}”. Check the name and that the App can see it, then try again."),
                    None,
                ),
            };
            view! {
                <li class=class>
                    <bdi>{name}</bdi>" — "{words}" "
                    {install.map(|(label, href)| view! { <a href=href target="_blank" rel="noopener noreferrer">{label}</a> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="outcome-title">
            <h2 id="outcome-title">{summary}</h2>
            <ul class="notice-list">{items}</ul>
            <p><a href=Page::Repositories.path()>"See your connected repositories"</a></p>
        </section>
    }
    .into_any()
}

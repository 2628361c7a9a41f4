//! `/admin/installations`: every installation of the GitHub App that Flui keeps a record
//! of (`flui integration installations`), sorted and filtered, with Remove
//! (`flui integration remove-installation`) and Rescan. Its controls and table are fixed
//! markup with delegated handlers (see `ui::markup`), the rows and headers drawn by
//! `installations_table`; the page keeps the read, the filters' signals and the dialog.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::installations_table::{
    Column, Sort, StateFilter, body_markup, count_markup, head_markup, removal_markup, visible,
};
use crate::api::installations::Installation;
use crate::api::{ErrorKind, use_api};
use crate::contexts::use_session;
use crate::ui::dates::now_ms;
use crate::ui::markup::{by_id, copy_on_click, error_panel, escape, set_busy, set_html, target_id};
use crate::ui::{ConfirmDialog, PageHeader};

/// What Flui says to a rescan by someone without a GitHub connection.
const NO_USER_TOKEN: &str = "No active GitHub user token";

#[component]
pub fn InstallationsPage() -> impl IntoView {
    let api = use_api();
    let me = use_session().user().map(|user| user.me.user_id);
    let github = api.config().github_url;
    let list = api.resource(|api| async move { api.installations().await });
    let account = RwSignal::new(String::new());
    let state = RwSignal::new(StateFilter::All);
    let sort = RwSignal::new(Sort::default());
    let removing = RwSignal::new(None::<Installation>);
    let confirm_open = RwSignal::new(false);

    let rows = move || list.get().and_then(Result::ok).unwrap_or_default();
    // The summary, the rows and whether the table shows, from one filtering.
    Effect::new(move |_| {
        let (summary, body) = match list.get() {
            None => (LOADING.to_owned(), String::new()),
            Some(Err(error)) => (error_panel(&error), String::new()),
            Some(Ok(rows)) if rows.is_empty() => (EMPTY.to_owned(), String::new()),
            Some(Ok(rows)) => {
                let shown = account.with(|a| visible(&rows, a, state.get(), sort.get()));
                let summary = count_markup(shown.len(), rows.len());
                (summary, body_markup(&shown, &rows, me.as_deref(), now_ms()))
            }
        };
        if let Some(table) = by_id("installations-table") {
            let _ = table.toggle_attribute_with_force("hidden", body.is_empty());
        }
        set_html("installations-summary", &summary);
        set_html("installations-body", &body);
    });

    // The filters: the account's text as typed, the state as chosen.
    let on_filter = move |ev: web_sys::Event| match target_id(&ev).as_str() {
        "installations-account" => account.set(event_target_value(&ev)),
        "installations-state" => state.set(StateFilter::from_value(&event_target_value(&ev))),
        _ => {}
    };
    // The headers stay in place (and keep the focus); only their order changes.
    Effect::new(move |_| {
        let sort = sort.get();
        for column in Column::ALL {
            if let Some(th) = by_id(&format!("sort-{}", column.key())) {
                let _ = th.set_attribute("aria-sort", sort.aria(column));
            }
        }
    });

    let remove = {
        let api = api.clone();
        move || {
            let Some(row) = removing.get_untracked() else {
                return;
            };
            let Some(id) = row.id.clone() else { return };
            let api = api.clone();
            leptos::task::spawn_local(async move {
                let account = escape(&row.account);
                let outcome = match api.remove_installation(&id).await {
                    Ok(()) => format!(
                        r#"<p class="notice-line notice-line--success" role="status">Flui forgot installation {id} ({account}). The App stays installed on GitHub, and GitHub's next report of this installation records it again.</p>"#
                    ),
                    Err(error) if error.kind() == ErrorKind::NotFound => format!(
                        r#"<p class="notice-line notice-line--success" role="status">Installation {id} ({account}) was already removed: Flui has no record of it any more.</p>"#
                    ),
                    Err(error) => error_panel(&error),
                };
                set_html("installations-outcome", &outcome);
                // The row (and its button, where the focus was) is gone: the focus goes to
                // what happened.
                if let Some(said) =
                    by_id("installations-outcome").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = said.focus();
                }
                list.refetch();
            });
        }
    };

    let rescan = move || {
        let api = api.clone();
        leptos::task::spawn_local(async move {
            set_busy("installations-rescan", true);
            let outcome = match api.rescan_installations().await {
                Ok(found) => format!(
                    r#"<p class="notice-line notice-line--success" role="status">Flui found {} installation{} reachable with your GitHub connection, and recorded {}.</p>"#,
                    found.count,
                    if found.count == 1 { "" } else { "s" },
                    if found.count == 1 { "it" } else { "them" }
                ),
                Err(error) if error.messages().iter().any(|m| m.contains(NO_USER_TOKEN)) => {
                    r#"<div class="error-panel" role="alert"><p class="error-panel__what">Rescanning looks with your own GitHub connection, and you have none yet.</p><p>Connect GitHub on the overview first, then rescan.</p><p><a href="/">Go to the overview</a></p></div>"#.to_owned()
                }
                Err(error) => error_panel(&error),
            };
            set_busy("installations-rescan", false);
            set_html("installations-outcome", &outcome);
            list.refetch();
        });
    };

    let on_click = move |ev: web_sys::MouseEvent| {
        copy_on_click(&ev);
        let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| {
                e.closest("[data-sort], [data-remove], #installations-reload, #installations-rescan")
                    .ok()
                    .flatten()
            })
        else {
            return;
        };
        if let Some(column) = target
            .get_attribute("data-sort")
            .as_deref()
            .and_then(Column::from_key)
        {
            sort.update(|s| *s = s.toggled(column));
        } else if let Some(id) = target.get_attribute("data-remove") {
            let row = rows().into_iter().find(|r| r.id.as_deref() == Some(id.as_str()));
            if row.is_some() {
                removing.set(row);
                confirm_open.set(true);
            }
        } else if target.id() == "installations-rescan" {
            rescan();
        } else {
            list.refetch();
        }
    };
    let removal = move || {
        removing.with(|row| {
            row.as_ref()
                .map(|r| removal_markup(&github, r))
                .unwrap_or_default()
        })
    };

    view! {
        <PageHeader title="Installations"
            purpose="Every installation of the Flui GitHub App that Flui keeps a record of. Records appear when a user installs the App, and follow GitHub's webhooks." />
        <section class="card" aria-labelledby="installations-title" on:click=on_click
            on:input=on_filter on:change=on_filter on:submit=|ev| ev.prevent_default()
            inner_html=frame(Sort::default())>
        </section>
        <ConfirmDialog open=confirm_open title="Remove this installation record?" confirm="Remove the record"
            on_confirm=Callback::new(move |_| remove())>
            <div inner_html=removal></div>
        </ConfirmDialog>
    }
}

/// The page's fixed markup: the filters and buttons, where outcomes and the summary go,
/// and the table with its headers (its body is drawn apart).
fn frame(sort: Sort) -> String {
    format!(
        r#"<h2 id="installations-title" class="visually-hidden">Installations</h2>
<form class="filters" role="search" aria-label="Filter installations">
<span class="field"><label for="installations-account">Account</label><input id="installations-account" type="search" autocomplete="off" spellcheck="false" placeholder="e.g. acme"></span>
<span class="field"><label for="installations-state">State</label><select id="installations-state"><option value="all">All states</option><option value="active">Active</option><option value="suspended">Suspended</option></select></span>
<button id="installations-rescan" type="button" class="button">Rescan my installations</button>
<button id="installations-reload" type="button" class="button button--quiet">Reload</button>
</form>
<div id="installations-outcome" aria-live="polite" tabindex="-1"></div>
<div id="installations-summary"></div>
<div id="installations-table" class="table-scroll" hidden><table class="data-table">
<caption class="visually-hidden">Installations of the GitHub App, sortable by each column</caption>
<thead>{}</thead><tbody id="installations-body"></tbody></table></div>"#,
        head_markup(sort)
    )
}

const LOADING: &str = r#"<p class="muted" role="status">Loading the installations…</p>"#;

const EMPTY: &str = r#"<div class="empty"><h3>No installations recorded yet</h3><p>A record appears when someone installs the Flui GitHub App on their account or organisation (Connect GitHub on the overview), or when GitHub's webhook tells Flui of an installation. If the App is installed already, <strong>Rescan my installations</strong> looks for the ones your own GitHub connection reaches.</p></div>"#;

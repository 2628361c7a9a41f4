//! The rows of the overview: presentation only.

use leptos::prelude::*;

use super::status_rows::{RowAction, StatusRow};
use crate::api::{ApiError, ErrorKind};
use crate::ui::{ErrorPanel, StatusPill, Tone};

/// One integration: its name, a status pill, one sentence, and what there is to do.
#[component]
pub fn IntegrationRow(
    /// What to show, already worded.
    row: StatusRow,
    /// Controls shown under the row (the connect controls, for `ConnectGithubApp`).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let StatusRow {
        name,
        state,
        tone,
        detail,
        action,
    } = row;
    view! {
        <li class="integration" aria-label=name>
            <div class="integration__head">
                <h2 class="integration__name">{name}</h2>
                <StatusPill text=state tone=tone />
            </div>
            <p class="integration__detail">{detail}</p>
            {match action {
                Some(RowAction::Link { label, page }) => {
                    Some(view! { <a href=page.path() class="integration__link">{label}</a> })
                }
                _ => None,
            }}
            {children.map(|c| c())}
        </li>
    }
}

/// A row whose status could not be loaded: why, and Retry.
#[component]
pub fn RowUnavailable(
    /// The row's name.
    name: &'static str,
    /// Why it could not be loaded.
    error: ApiError,
    /// Loads it again.
    on_retry: Callback<()>,
) -> impl IntoView {
    let state = if error.kind() == ErrorKind::Forbidden {
        "No access"
    } else {
        "Unavailable"
    };
    view! {
        <li class="integration" aria-label=name>
            <div class="integration__head">
                <h2 class="integration__name">{name}</h2>
                <StatusPill text=state tone=Tone::Neutral />
            </div>
            <ErrorPanel error on_retry />
        </li>
    }
}

/// A placeholder row while a status loads.
#[component]
pub fn RowSkeleton(
    /// The row's name, shown at once.
    name: &'static str,
) -> impl IntoView {
    view! {
        <li class="integration integration--loading" aria-label=name aria-busy="true">
            <div class="integration__head">
                <h2 class="integration__name">{name}</h2>
                <span class="skeleton skeleton--pill"></span>
            </div>
            <p class="integration__detail"><span class="skeleton skeleton--line"></span>
                <span class="visually-hidden">"Loading…"</span></p>
        </li>
    }
}

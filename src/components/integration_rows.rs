use leptos::prelude::*;
use leptos_router::components::A;

use super::StatusPill;
use crate::api::ApiError;
use crate::api::models::{GhcrPatStatus, GithubStatus, SetupStatus};
use crate::integrations::{StatusRow, Tone, ghcr_row, github_row};

/// One integration: its name, a status pill, one sentence, and a link when there is
/// something to do.
#[component]
pub fn IntegrationRow(
    /// What to show, already worded.
    row: StatusRow,
    /// Actions shown under the row.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let StatusRow {
        name,
        state,
        tone,
        detail,
        link,
    } = row;
    view! {
        <li class="integration" aria-label=name>
            <div class="integration__head">
                <h2 class="integration__name">{name}</h2>
                <StatusPill text=state tone=tone />
            </div>
            <p class="integration__detail">{detail}</p>
            {link.map(|l| view! { <A href=l.href attr:class="integration__link">{l.label}</A> })}
            {children.map(|c| c())}
        </li>
    }
}

/// The GitHub row of the overview.
#[component]
pub fn GithubRow(
    /// The instance's GitHub setup.
    setup: SetupStatus,
    /// The signed-in user's connection.
    github: GithubStatus,
    /// Admins are offered the setup page; users are told to ask.
    is_admin: bool,
    /// Actions shown under the row (the connect controls).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    IntegrationRow(IntegrationRowProps {
        row: github_row(&setup, &github, is_admin),
        children,
    })
}

/// The GHCR token row of the overview.
#[component]
pub fn GhcrRow(
    /// The stored token's status.
    status: GhcrPatStatus,
    /// "Now", in ms since the epoch, for the expiry wording.
    now_ms: f64,
) -> impl IntoView {
    view! { <IntegrationRow row=ghcr_row(&status, now_ms) /> }
}

/// A row whose status could not be loaded.
#[component]
pub fn RowUnavailable(
    /// The row's name.
    name: &'static str,
    /// Why it could not be loaded.
    error: ApiError,
    /// Loads it again.
    on_retry: Callback<()>,
) -> impl IntoView {
    let forbidden = matches!(error, ApiError::Forbidden(_));
    view! {
        <li class="integration" aria-label=name>
            <div class="integration__head">
                <h2 class="integration__name">{name}</h2>
                <StatusPill text=if forbidden { "No access" } else { "Unavailable" } tone=Tone::Neutral />
            </div>
            <p class="integration__detail" role="alert">{error.to_string()}</p>
            <button type="button" class="button button--small" on:click=move |_| on_retry.run(())>
                "Try again"
            </button>
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

//! `/ghcr-token`: `flui integration ghcr-pat status | set | revoke` in the browser. The
//! stored token's state in full, and setting, rotating, changing the expiry of and
//! revoking it. `?next=` is where to continue once a token is saved (the landing page's
//! "one more step").

use leptos::prelude::*;

use super::token_form::{FormMode, TokenForm};
use super::token_rules::scope_notes;
use crate::api::ghcr_pat::GhcrPatStatus;
use crate::api::{Task, use_api};
use crate::app::navigation::safe_next;
use crate::app::router::use_router;
use crate::contexts::{use_credentials, use_ghcr_status};
use crate::ui::dates::{days_until, format_date, now_ms, parse_iso_ms, relative_days};
use crate::ui::token_state::{TokenState, ghcr_state};
use crate::ui::{ConfirmDialog, ErrorPanel, PageHeader, StatusPill};

fn date_or(raw: Option<&str>, missing: &str) -> String {
    raw.and_then(parse_iso_ms)
        .map(format_date)
        .unwrap_or_else(|| missing.to_owned())
}

/// "23 Feb 2027, in 90 days", "22 Nov 2026, 3 days ago": the days as Flui counts them
/// when it says (its clock decides the token's state), else from the browser's clock.
fn expiry_words(pat: &GhcrPatStatus, now: f64) -> String {
    let Some(at) = pat.expires_at.as_deref().and_then(parse_iso_ms) else {
        return "No expiry date recorded".to_owned();
    };
    let days = pat.days_until_expiry.unwrap_or_else(|| days_until(at, now));
    format!("{}, {}", format_date(at), relative_days(days))
}

/// What the page shows of a stored token.
#[component]
fn StatusCard(pat: GhcrPatStatus) -> impl IntoView {
    let now = now_ms();
    let TokenState {
        state, tone, detail, ..
    } = ghcr_state(&pat, now);
    let scopes = pat.scopes.clone().unwrap_or_default();
    let notes = scope_notes(&scopes);
    let listed = if scopes.is_empty() {
        "None listed".to_owned()
    } else {
        scopes.join(", ")
    };
    view! {
        <section class="card" aria-label="Stored token">
            <p><StatusPill text=state tone /> " " {detail}</p>
            <dl class="facts">
                <dt>"GitHub account"</dt>
                <dd>{pat.github_login.as_deref().filter(|l| !l.is_empty()).map(|l| format!("@{l}")).unwrap_or_else(|| "Not reported".into())}</dd>
                <dt>"Scopes"</dt>
                <dd>
                    <span class="mono">{listed}</span>
                    {notes.into_iter().map(|note| view! { <p class="notice-line">{note.words()}</p> }).collect_view()}
                </dd>
                <dt>"Expires"</dt>
                <dd>{expiry_words(&pat, now)}</dd>
                <dt>"Last verified"</dt>
                <dd>{date_or(pat.last_verified_at.as_deref(), "Never")}</dd>
                <dt>"Last rotated"</dt>
                <dd>{date_or(pat.last_rotated_at.as_deref(), "Never")}</dd>
            </dl>
        </section>
    }
}

#[component]
pub fn GhcrTokenPage() -> impl IntoView {
    let api = use_api();
    let github_url = api.config().github_url;
    // The banner's own read: one request, one answer.
    let status = use_ghcr_status();
    let credentials = use_credentials();
    let router = use_router();
    let next = router.query_untracked("next").map(|raw| safe_next(Some(&raw)));
    // The form open under the status, if any.
    let editing = RwSignal::new(None::<FormMode>);
    let confirm_revoke = RwSignal::new(false);
    let changed = move || {
        editing.set(None);
        // The token's status is read again with the rest of the banner's.
        match credentials {
            Some(credentials) => credentials.refresh(),
            None => status.refetch(),
        }
    };
    let saved = Callback::new(move |_: GhcrPatStatus| {
        changed();
        if let Some(next) = &next {
            router.replace(next);
        }
    });
    let revoke = Task::new(move |_: &()| {
        let api = api.clone();
        async move {
            let revoked = api.revoke_ghcr_pat().await;
            if revoked.is_ok() {
                changed();
            }
            revoked
        }
    });
    let cancel = Callback::new(move |_| editing.set(None));
    let action = move |mode: FormMode, label: &'static str| {
        view! {
            <button type="button" class="button" on:click=move |_| editing.set(Some(mode))
                prop:disabled=move || editing.get() == Some(mode)>
                {label}
            </button>
        }
    };

    let body = move || {
        match status.get() {
        _ if status.loading() => view! {
            <p class="muted" role="status" aria-busy="true">"Loading the stored token…"</p>
        }
        .into_any(),
        None => ().into_any(),
        Some(Err(error)) => view! { <ErrorPanel error on_retry=Callback::new(move |_| status.refetch()) /> }.into_any(),
        Some(Ok(pat)) if pat.needed == Some(false) => view! {
            <section class="card notice">
                <p>"Not needed: this instance keeps images in its own registry. There is nothing to do here."</p>
            </section>
        }
        .into_any(),
        Some(Ok(pat)) if !pat.configured => view! {
            <section class="card" aria-labelledby="set-title">
                <h2 id="set-title">"Add a GHCR token"</h2>
                <p>"Your cluster pulls the images Flui builds from GitHub's container registry with a personal access token you store here. Without one, deploys fail to pull their images."</p>
                <TokenForm mode=FormMode::Set on_saved=saved />
            </section>
        }
        .into_any(),
        Some(Ok(pat)) => view! {
            <StatusCard pat />
            <div class="page-actions">
                {action(FormMode::Rotate, "Rotate")}
                {action(FormMode::Expiry, "Change expiry")}
                <button type="button" class="button button--danger" on:click=move |_| confirm_revoke.set(true)>
                    "Revoke"
                </button>
            </div>
            {move || match revoke.value() {
                Some(Err(error)) => Some(view! { <ErrorPanel error /> }),
                _ => None,
            }}
            {move || editing.get().map(|mode| {
                let title = if mode == FormMode::Rotate { "Rotate the token" } else { "Change the expiry" };
                view! {
                    <section class="card" aria-label=title>
                        <h2>{title}</h2>
                        <TokenForm mode on_saved=saved on_cancel=cancel />
                    </section>
                }
            })}
        }
        .into_any(),
    }
    };

    view! {
        <PageHeader
            title="GHCR token"
            purpose="The token your cluster uses to pull built images from GitHub's container registry."
        />
        {body}
        <ConfirmDialog open=confirm_revoke title="Revoke the GHCR token?" confirm="Revoke the GHCR token"
            on_confirm=Callback::new(move |_| revoke.dispatch(()))>
            <p>"Flui forgets the token, and deploys stop pulling built images until you add a new one."</p>
            <p>
                "This does not revoke the token on GitHub: do that in "
                <a href=format!("{github_url}/settings/tokens") target="_blank" rel="noopener noreferrer">"your token settings on GitHub"</a>
                "."
            </p>
        </ConfirmDialog>
    }
}

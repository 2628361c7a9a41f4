//! `/admin/github-app`, also served at `/apps/repositories/github-setup` (where Flui
//! sends the browser back after one-click creation): the App's status and health, the
//! two ways to register it, the registration guide, PAT mode and reset.
//!
//! Text is markup from `setup_words` and the forms' own modules (see `ui::markup`); the
//! page keeps the reads, the dialogs and the buttons that open them.

use std::time::Duration;

use leptos::prelude::*;

use super::app_urls::{ManifestReturn, manifest_return};
use super::manifest_form::ManifestForm;
use super::manual_form::ManualForm;
use super::registration_guide::{GuideValues, RegistrationGuide, redraw};
use super::setup_words::{app_slug, health_markup, returned_markup, status_markup};
use crate::api::setup::AuthMethod;
use crate::api::{Api, ApiError, use_api};
use crate::app::router::use_router;
use crate::ui::ConfirmDialog;
use crate::ui::PageHeader;
use crate::ui::markup::{copy_on_click, error_panel, set_busy, set_html};

/// Where the page keeps, for the length of a trip to GitHub, which App was configured
/// before it (not a secret): back with `?manifest=success`, only a different App counts.
pub(super) const BEFORE_MANIFEST: &str = "flui.manifest.before";

/// Waits `ms` milliseconds.
async fn pause(ms: u64) {
    let (done, wait) = futures::channel::oneshot::channel::<()>();
    set_timeout(move || _ = done.send(()), Duration::from_millis(ms));
    let _ = wait.await;
}

/// Back from GitHub with `?manifest=success`: asks Flui (a few times, as the CLI polls)
/// until it has a GitHub App other than the one before. `before` is what the page noted
/// when it sent the browser to GitHub (`""`: no App); without a note (the address typed by
/// hand, or opened in another tab) the App Flui has at the first check is the one before.
/// `Ok(None)`: no new App.
async fn confirm_manifest(api: &Api, before: Option<String>) -> Result<Option<String>, ApiError> {
    let mut before = before.map(|b| Some(b).filter(|b| !b.is_empty()));
    for attempt in 0..5 {
        if attempt > 0 {
            pause(1500).await;
        }
        let now = app_slug(&api.setup_status().await?);
        match &before {
            None => before = Some(now),
            Some(before) if now.is_some() && &now != before => return Ok(now),
            Some(_) => {}
        }
    }
    Ok(None)
}

#[component]
pub fn GithubAppPage() -> impl IntoView {
    let api = use_api();
    let router = use_router();
    // Read once, then taken out of the address bar: a reload must not repeat it.
    let returned = manifest_return(
        router.query_untracked("manifest").as_deref(),
        router.query_untracked("reason").as_deref(),
    );
    if returned.is_some() {
        router.set_query(&[]);
    }
    let storage = window().session_storage().ok().flatten();
    let before = storage.and_then(|s| {
        let before = s.get_item(BEFORE_MANIFEST).ok().flatten();
        let _ = s.remove_item(BEFORE_MANIFEST);
        before
    });
    let status = api.resource(|api| async move { api.setup_status().await });
    let health = api.resource(|api| async move { api.setup_health().await });
    let refresh = Callback::new(move |_| {
        status.refetch();
        health.refetch();
    });
    let success = returned == Some(ManifestReturn::Success);
    let confirmed = api.resource(move |api| {
        let before = before.clone();
        async move {
            if !success {
                return Ok(None);
            }
            let confirmed = confirm_manifest(&api, before).await;
            // Not if the page is gone meanwhile (its reads then end as cancelled).
            refresh.try_run(());
            confirmed
        }
    });
    let returned_view = returned.map(|returned| {
        view! {
            <section class="card" aria-live="polite" aria-labelledby="manifest-title"
                inner_html=move || returned_markup(&returned, confirmed.get().as_ref())></section>
        }
    });

    let github = api.config().github_url;
    let setup = move || status.get().and_then(Result::ok);
    let status_view = move || match status.get() {
        None => r#"<p class="muted" role="status">Loading the GitHub setup…</p>"#.to_owned(),
        Some(Err(error)) => error_panel(&error),
        Some(Ok(setup)) => status_markup(&setup, &github),
    };
    let pat_mode = move || setup().is_some_and(|s| s.configured && s.auth_method == Some(AuthMethod::Pat));
    let health_view = move || {
        let answer = health.get().filter(|_| !health.loading());
        health_markup(answer.as_ref(), pat_mode())
    };
    // The forms stay in place while the status is read again: nothing typed is lost.
    let configured = Signal::derive(move || setup().as_ref().and_then(app_slug));

    let config = api.config();
    // Switching to PAT mode (false) or resetting (true), once confirmed.
    let change = move |reset: bool| {
        let api = api.clone();
        leptos::task::spawn_local(async move {
            set_busy("status-check", true);
            let done = if reset {
                api.reset_setup().await
            } else {
                api.use_pat_mode().await.map(drop)
            };
            set_busy("status-check", false);
            set_html(
                "status-outcome",
                &done.err().map(|e| error_panel(&e)).unwrap_or_default(),
            );
            refresh.try_run(());
        });
    };
    let to_pat = change.clone();
    let pat_open = RwSignal::new(false);
    let reset_open = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    let expected = move || configured.get().unwrap_or_else(|| "reset".into());
    let ready = Signal::derive(move || typed.with(|t| t.trim() == expected()));

    let guide = GuideValues {
        github: config.github_url,
        base: config.api_base_url,
        homepage: window().location().origin().unwrap_or_default(),
        org: None,
        slug: None,
    };
    let redraw_guide = {
        let guide = guide.clone();
        Callback::new(move |_| {
            redraw(GuideValues {
                slug: configured.get_untracked(),
                ..guide.clone()
            })
        })
    };
    view! {
        <PageHeader title="GitHub App" purpose="Register the Flui GitHub App and store its credentials in Flui." />
        {returned_view}
        <div on:click=move |ev| copy_on_click(&ev)>
            <section class="card" aria-labelledby="status-title">
                <h2 id="status-title">"On this instance"</h2>
                <div inner_html=status_view></div>
                <div inner_html=health_view></div>
                <div id="status-outcome"></div>
                <div class="form__actions">
                    <button id="status-check" type="button" class="button" on:click=move |_| refresh.run(())>"Check again"</button>
                    <button type="button" class="button" prop:hidden=move || setup().is_none() || pat_mode()
                        on:click=move |_| pat_open.set(true)>"Use personal access tokens instead"</button>
                    <button type="button" class="button button--danger" prop:hidden=move || !setup().is_some_and(|s| s.configured)
                        on:click=move |_| {
                            typed.set(String::new());
                            reset_open.set(true);
                        }>"Reset…"</button>
                </div>
            </section>
            <section class="card" aria-labelledby="create-title">
                <h2 id="create-title">"Create the App on GitHub in one click"</h2>
                <p>"Recommended. GitHub creates the App with every URL, permission and event Flui needs, and hands its credentials straight to Flui: nothing to copy by hand."</p>
                <ManifestForm configured on_change=redraw_guide />
            </section>
            <section class="card" aria-labelledby="manual-title">
                <h2 id="manual-title">"Register an existing App by hand"</h2>
                <p>"For an App registered on GitHub already (follow the guide below), or to rotate its private key or secrets."</p>
                <ManualForm configured on_saved=refresh />
            </section>
            <RegistrationGuide values=guide />
        </div>
        <ConfirmDialog open=pat_open title="Use personal access tokens instead?" confirm="Switch to tokens"
            on_confirm=Callback::new(move |_| to_pat(false))>
            <p>"Every user will connect GitHub with a personal access token of their own instead of installing the App. Flui forgets the App's client ID, client secret and callback URL, so installing and connecting through the App stop working; the App stays registered on GitHub."</p>
        </ConfirmDialog>
        <ConfirmDialog open=reset_open title="Reset the GitHub setup?" confirm="Reset everything"
            ready on_confirm=Callback::new(move |_| change(true))>
            <p>"Flui forgets the App's credentials, every user's GitHub connection and every installation record. Everyone has to connect GitHub again; the App itself stays on GitHub."</p>
            <div class="field">
                <label for="reset-confirm">"Type " <code>{expected}</code> " to confirm"</label>
                <input id="reset-confirm" autocomplete="off" spellcheck="false" prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev)) />
            </div>
        </ConfirmDialog>
    }
}

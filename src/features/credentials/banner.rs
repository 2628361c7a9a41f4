//! The banner on every signed-in page: the credentials that need attention, each with
//! the page that fixes it; dismissable for the rest of the session.

use leptos::prelude::*;

use super::attention::{Attention, needing_attention};
use crate::api::ErrorKind;
use crate::contexts::{use_credentials, use_session};
use crate::ui::{StatusPill, explain};

#[component]
pub fn CredentialsBanner() -> impl IntoView {
    let session = use_session();
    let credentials = use_credentials();
    let found = move || {
        let credentials = credentials?;
        if credentials.dismissed() {
            return None;
        }
        let status = credentials.status.get()?.ok()?;
        let ghcr = credentials.ghcr.get().and_then(Result::ok);
        let found = needing_attention(&status, ghcr.as_ref(), session.is_admin());
        (!found.is_empty()).then_some(found)
    };
    // A read that failed for a reason that may pass (not a missing route or right) is
    // said, so the banner's silence never passes for "all is well".
    let unreadable = move || {
        let error = credentials?.status.get()?.err()?;
        let passing = !matches!(
            error.kind(),
            ErrorKind::NotFound | ErrorKind::Forbidden | ErrorKind::Aborted
        );
        passing.then(|| {
            let words = explain(&error);
            format!(
                "Flui could not say which credentials need attention. {} {}",
                words.what, words.next
            )
        })
    };
    let unreadable_view = move || {
        unreadable().map(|words| {
            view! {
                <section class="banner" aria-label="Credentials that need attention">
                    <p role="status">{words}</p>
                    <button type="button" class="button button--small"
                        on:click=move |_| {
                            if let Some(credentials) = credentials {
                                credentials.refresh();
                            }
                        }>
                        "Try again"
                    </button>
                </section>
            }
        })
    };
    let found_view = move || {
        found().map(|found| {
            view! {
                <section class="banner" aria-label="Credentials that need attention">
                    <ul class="banner__items">
                        {found
                            .into_iter()
                            .map(|Attention { name, state, tone, detail, fix }| view! {
                                <li>
                                    <strong>{name}</strong> " " <StatusPill text=state tone />
                                    " " {detail} " "
                                    {fix.map(|(label, page)| view! { <a href=page.path()>{label}</a> })}
                                </li>
                            })
                            .collect_view()}
                    </ul>
                    <button type="button" class="button button--small button--quiet"
                        on:click=move |_| {
                            if let Some(credentials) = credentials {
                                credentials.dismiss();
                            }
                        }>
                        "Dismiss"
                    </button>
                </section>
            }
        })
    };
    view! { {unreadable_view} {found_view} }
}

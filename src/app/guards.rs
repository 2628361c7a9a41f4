//! The gates in front of the signed-in pages and the admin pages: what they show while
//! the answer is not known, where they send people, and what shows while the session is
//! being checked.

use leptos::prelude::*;

use super::navigation::{login_url, needs_admin_url};
use super::router::{Redirect, use_router};
use super::routes::Page;
use crate::contexts::{SessionState, use_session};
use crate::ui::Unavailable;

/// The path and query being visited.
fn here() -> String {
    use_router().here_untracked()
}

/// A gate: `view` when `allowed` says yes, `pending` while it is not known, and a
/// redirect (in place of this history entry) to `elsewhere` when it says no.
pub fn gated(
    allowed: Memo<Option<bool>>,
    pending: impl Fn() -> AnyView + Send + 'static,
    elsewhere: fn() -> String,
    view: impl Fn() -> AnyView + Send + 'static,
) -> impl IntoView {
    move || match allowed.get() {
        Some(true) => view(),
        Some(false) => view! { <Redirect to=elsewhere() /> }.into_any(),
        None => pending(),
    }
}

/// Sign-in, and back here afterwards; after a sign-out, sign-in afresh.
pub fn to_sign_in() -> String {
    if use_session().state_untracked() == SessionState::SignedOutByUser {
        Page::SignIn.path().to_owned()
    } else {
        login_url(&here())
    }
}

pub fn to_needs_admin() -> String {
    needs_admin_url(&here())
}

/// While nobody is known to be signed in or out: "Checking", or, when the API did not
/// answer as Flui, what went wrong and Retry. Never the sign-in form: the API has not
/// said that nobody is signed in.
#[component]
pub fn SessionPending() -> impl IntoView {
    let session = use_session();
    move || match session.state() {
        SessionState::Unreachable(error) => view! {
            <main id="main" class="standalone">
                <section class="card standalone__card">
                    <Unavailable error api_origin=session.api_origin()
                        on_retry=Callback::new(move |_| session.check()) />
                </section>
            </main>
        }
        .into_any(),
        _ => view! {
            <main id="main" class="standalone" aria-busy="true">
                <p class="muted" role="status">"Checking your session…"</p>
            </main>
        }
        .into_any(),
    }
}

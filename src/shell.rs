//! The signed-in layout and the route guards.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::{A, Outlet};
use leptos_router::hooks::{use_location, use_navigate};

use crate::navigation::{LOGIN_PATH, login_url, path_with_query};
use crate::pages::NeedsAdminPage;
use crate::session::{SessionState, use_session};
use crate::theme::ThemeToggle;

/// Everything behind sign-in: navigation and the current page. Signed-out visitors are
/// sent to sign-in with the path they asked for, and brought back afterwards.
#[component]
pub fn Shell() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let navigate = use_navigate();
    // Only a change of phase re-renders the layout, not every session update.
    let phase = Memo::new(move |_| match session.state().get() {
        SessionState::Checking => Phase::Checking,
        SessionState::SignedOut => Phase::SignedOut { return_here: true },
        SessionState::SignedOutByUser => Phase::SignedOut { return_here: false },
        SessionState::SignedIn(_) => Phase::SignedIn,
    });
    Effect::new(move |_| {
        if let Phase::SignedOut { return_here } = phase.get() {
            let target = if return_here {
                let here = path_with_query(
                    &location.pathname.get_untracked(),
                    &location.search.get_untracked(),
                );
                login_url(&here)
            } else {
                LOGIN_PATH.to_owned()
            };
            // Replace, so the back button does not return to a page that needs sign-in.
            navigate(
                &target,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });

    move || match phase.get() {
        Phase::SignedIn => view! { <SignedInLayout /> }.into_any(),
        _ => view! {
            <main id="main" class="standalone" aria-busy="true">
                <p class="muted" role="status">"Checking your session…"</p>
            </main>
        }
        .into_any(),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Phase {
    Checking,
    SignedOut { return_here: bool },
    SignedIn,
}

#[component]
fn SignedInLayout() -> impl IntoView {
    let session = use_session();
    let user = move || session.user();
    let is_admin = move || user().is_some_and(|u| u.is_admin);
    // Signing out changes the session; the shell then leaves for the sign-in page.
    let sign_out = Action::new_local(move |_: &()| async move { session.sign_out().await });

    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <div class="shell">
            <header class="shell__top">
                <A href="/" attr:class="brand">"Flui"</A>
                <span class="shell__subtitle">"GitHub integration"</span>
                <div class="shell__user">
                    <ThemeToggle />
                    <span class="shell__who">
                        <span class="visually-hidden">"Signed in as "</span>
                        {move || user().map(|u| u.me.label().to_owned())}
                    </span>
                    <button type="button" class="button button--small"
                        prop:disabled=move || sign_out.pending().get()
                        on:click=move |_| { sign_out.dispatch(()); }>
                        "Sign out"
                    </button>
                </div>
            </header>
            <nav class="shell__nav" aria-label="Main">
                <ul>
                    <li><A href="/" exact=true>"Overview"</A></li>
                    <li><A href="/repositories">"Repositories"</A></li>
                    <li><A href="/ghcr-token">"GHCR token"</A></li>
                </ul>
                <Show when=is_admin>
                    <p class="shell__nav-heading" id="admin-nav">"Admin"</p>
                    <ul aria-labelledby="admin-nav">
                        <li><A href="/admin/github-app">"GitHub App"</A></li>
                        <li><A href="/admin/installations">"Installations"</A></li>
                    </ul>
                </Show>
            </nav>
            <main id="main" class="shell__main" tabindex="-1">
                <Outlet />
            </main>
        </div>
    }
}

/// Admin routes: their pages for admins, "needs admin rights" for everyone else.
#[component]
pub fn AdminGate() -> impl IntoView {
    let session = use_session();
    let is_admin = Memo::new(move |_| session.user().is_some_and(|u| u.is_admin));
    move || {
        if is_admin.get() {
            view! { <Outlet /> }.into_any()
        } else {
            view! { <NeedsAdminPage /> }.into_any()
        }
    }
}

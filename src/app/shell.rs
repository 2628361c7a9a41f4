//! The signed-in layout: header, navigation, and the current page.

use leptos::prelude::*;

use super::router::use_router;
use super::routes::Page;
use crate::api::Task;
use crate::contexts::{provide_credentials, use_session};
use crate::features::credentials::CredentialsBanner;
use crate::ui::{ErrorPanel, ThemeToggle};

/// The frame of every signed-in page around `children` (the page). Admin navigation only
/// for admins.
#[component]
pub fn SignedInLayout(children: Children) -> impl IntoView {
    let session = use_session();
    let router = use_router();
    provide_credentials();
    let name = move || session.user().map(|u| u.me.label().to_owned());
    let is_admin = move || session.is_admin();
    // Signing out changes the session; the sign-in gate then leaves for the sign-in page.
    let sign_out = Task::new(move |_: &()| async move { session.sign_out().await });
    let link = move |page: Page, label: &'static str| {
        let current = move || (router.path() == page.path()).then_some("page");
        view! { <li><a href=page.path() aria-current=current>{label}</a></li> }
    };

    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <div class="shell">
            <header class="shell__top">
                <a href=Page::Overview.path() class="brand">"Flui"</a>
                <span class="shell__subtitle">"GitHub integration"</span>
                <div class="shell__user">
                    <ThemeToggle />
                    <span class="shell__who">
                        <span class="visually-hidden">"Signed in as "</span>
                        {name}
                    </span>
                    <button type="button" class="button button--small"
                        prop:disabled=move || sign_out.pending()
                        on:click=move |_| { sign_out.dispatch(()); }>
                        "Sign out"
                    </button>
                </div>
            </header>
            <nav class="shell__nav" aria-label="Main">
                <ul>
                    {link(Page::Overview, "Overview")}
                    {link(Page::Repositories, "Repositories")}
                    {link(Page::GhcrToken, "GHCR token")}
                </ul>
                {move || is_admin().then(|| view! {
                    <p class="shell__nav-heading" id="admin-nav">"Admin"</p>
                    <ul aria-labelledby="admin-nav">
                        {link(Page::GithubApp, "GitHub App")}
                        {link(Page::Installations, "Installations")}
                    </ul>
                })}
            </nav>
            <main id="main" class="shell__main" tabindex="-1">
                {move || sign_out.value().and_then(Result::err).map(|error| view! {
                    <section class="shell__sign-out-failed" aria-labelledby="sign-out-failed">
                        <h2 id="sign-out-failed">"You are still signed in"</h2>
                        <p>"Flui could not end your session, so reloading this page would sign you back in."</p>
                        <ErrorPanel error on_retry=Callback::new(move |_| sign_out.dispatch(())) />
                    </section>
                })}
                <CredentialsBanner />
                {children()}
            </main>
        </div>
    }
}

//! `/login`: signing in, and back to where the user was going.

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;

use crate::ui::set_title;

use crate::api::config::AuthMode;
use crate::api::{ApiError, ErrorKind, Task};
use crate::app::navigation::safe_next;
use crate::app::router::use_router;
use crate::contexts::{Session, SessionState, use_session};
use crate::ui::{ErrorPanel, Unavailable};

use super::callback_page::{ProviderButton, leave_for_provider, provider_host};

/// Sign-in. Returns to where the user was going. The form shows only once the API has
/// said that nobody is signed in.
#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    let router = use_router();
    let next = move || safe_next(router.query("next").as_deref());
    let returning = move || next() != "/";
    // After a sign-out here, or back from the provider's (`?loggedOut=true`).
    let signed_out = move || {
        session.state() == SessionState::SignedOutByUser
            || router.query("loggedOut").as_deref() == Some("true")
    };

    let body = move || match session.state() {
        SessionState::Checking => view! {
            <p class="muted" role="status" aria-busy="true">"Checking your session…"</p>
        }
        .into_any(),
        SessionState::Unreachable(error) => view! {
            <Unavailable error api_origin=session.api_origin()
                on_retry=Callback::new(move |_| session.check()) />
        }
        .into_any(),
        SessionState::SignedIn(user) => view! {
            {set_title("Signed in")}
            <h1>"You are signed in"</h1>
            <p>"Signed in as " {user.me.label().to_owned()} "."</p>
            <a href=next() class="button button--primary">"Continue"</a>
        }
        .into_any(),
        SessionState::SignedOut | SessionState::SignedOutByUser => view! {
            {set_title("Sign in")}
            <p class="brand brand--large" aria-hidden="true">"Flui"</p>
            <h1 id="sign-in-title">"Sign in to Flui"</h1>
            {returning().then(|| view! { <p class="muted">"Sign in to continue where you were going."</p> })}
            {signed_out().then(|| view! {
                <p class="notice-line notice-line--success" role="status">"You are signed out."</p>
            })}
            {match session.config().auth_mode {
                AuthMode::Oidc => view! { <OidcSignIn session next=next() /> }.into_any(),
                AuthMode::Local => view! { <SignInForm session next=next() /> }.into_any(),
            }}
        }
        .into_any(),
    };

    view! {
        <main id="main" class="standalone">
            <section class="card standalone__card sign-in">{body}</section>
        </main>
    }
}

/// The provider's sign-in: one button. A session that ended under the user's hands (a
/// refusal no refresh could mend) leaves for the provider at once, which signs them in
/// again without a form while its own session lasts, and comes back to the same page.
#[component]
fn OidcSignIn(session: Session, next: String) -> impl IntoView {
    let host = provider_host(&session);
    let problem = RwSignal::new(None::<String>);
    let resuming = RwSignal::new(false);
    if session.take_lost() {
        leave_for_provider(session, next.clone(), resuming, problem);
    }
    let label = format!("Sign in with {host}");
    view! {
        <p>"This Flui instance signs you in with " <strong>{host.clone()}</strong> "."</p>
        {move || resuming.get().then(|| view! {
            <p class="muted" role="status">"Your session ended. Signing you in again…"</p>
        })}
        <div inner_html=move || problem.get().unwrap_or_default()></div>
        <p><ProviderButton session next label problem /></p>
    }
}

/// Email and password. The password leaves the form as soon as it is sent; the email
/// stays after a refusal, and the cursor goes where the user has to type again.
#[component]
fn SignInForm(session: Session, next: String) -> impl IntoView {
    let router = use_router();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let password_input = NodeRef::<html::Input>::new();
    let sign_in = Task::new(move |(email, password): &(String, String)| {
        let (email, password, next) = (email.clone(), password.clone(), next.clone());
        async move {
            let result = session.sign_in(&email, &password).await;
            match &result {
                // Replace: the back button then skips the sign-in page.
                Ok(()) => router.replace(&next),
                Err(_) => {
                    // The page may be gone meanwhile.
                    if let Some(input) = password_input.try_get_untracked().flatten() {
                        let _ = input.focus();
                    }
                }
            }
            result
        }
    });
    let error = move || match sign_in.value() {
        Some(Err(error)) => Some(error),
        _ => None,
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if sign_in.pending() {
            return;
        }
        let typed = (email.get_untracked().trim().to_owned(), password.get_untracked());
        password.set(String::new());
        sign_in.dispatch(typed);
    };

    view! {
        <form class="form" on:submit=on_submit aria-labelledby="sign-in-title">
            <div class="field">
                <label for="sign-in-email">"Email"</label>
                <input id="sign-in-email" name="email" type="email" autocomplete="username"
                    required bind:value=email
                    aria-describedby=move || error().map(|_| "sign-in-error") />
            </div>
            <div class="field">
                <label for="sign-in-password">"Password"</label>
                <input id="sign-in-password" name="password" type="password"
                    autocomplete="current-password" required bind:value=password
                    node_ref=password_input
                    aria-invalid=move || error().map(|_| "true")
                    aria-describedby=move || error().map(|_| "sign-in-error") />
            </div>
            <div id="sign-in-error" class="form__error">
                {move || error().map(|error| match sign_in_refusal(&error) {
                    Some(words) => view! { <p role="alert">{words}</p> }.into_any(),
                    None => view! { <ErrorPanel error /> }.into_any(),
                })}
            </div>
            <button type="submit" class="button button--primary" prop:disabled=move || sign_in.pending()>
                {move || if sign_in.pending() { "Signing in…" } else { "Sign in" }}
            </button>
        </form>
    }
}

/// What a refusal of sign-in itself means; other failures read as any API error.
fn sign_in_refusal(error: &ApiError) -> Option<&'static str> {
    match (error.kind(), error.status()) {
        (ErrorKind::Unauthorized, _) => {
            Some("The email or password is not correct. Check them and try again.")
        }
        (_, Some(501)) => {
            Some("This Flui instance uses single sign-on; sign-in with a password is turned off.")
        }
        _ => None,
    }
}

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::config::AuthMode;
use crate::api::{ApiError, use_api};
use crate::navigation::safe_next;
use crate::session::{SessionState, use_session};

/// Local sign-in (email and password). Returns to where the user was going.
#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    let config = use_api().config();
    let query = use_query_map();
    let next = Memo::new(move |_| safe_next(query.read().get("next").as_deref()));
    let navigate = use_navigate();

    Effect::new(move |_| {
        if matches!(session.state().get(), SessionState::SignedIn(_)) {
            navigate(
                &next.get_untracked(),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });

    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let password_input = NodeRef::<html::Input>::new();
    let sign_in = Action::new_local(move |(email, password): &(String, String)| {
        let (email, password) = (email.clone(), password.clone());
        async move { session.sign_in(&email, &password).await }
    });
    let error = move || match sign_in.value().get() {
        Some(Err(error)) => Some(sign_in_error_message(&error)),
        _ => None,
    };
    // After a refusal, put the cursor where the user has to type again.
    Effect::new(move |_| {
        if let Some(Err(_)) = sign_in.value().get()
            && let Some(input) = password_input.get_untracked()
        {
            let _ = input.focus();
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if sign_in.pending().get_untracked() {
            return;
        }
        let typed = (email.get_untracked().trim().to_owned(), password.get_untracked());
        // The password is a secret: it leaves the form as soon as it is sent.
        password.set(String::new());
        sign_in.dispatch(typed);
    };
    let returning = move || next.get() != "/";

    view! {
        <Title text="Sign in" />
        <main id="main" class="standalone">
            <section class="card standalone__card sign-in" aria-labelledby="sign-in-title">
                <p class="brand brand--large" aria-hidden="true">"Flui"</p>
                <h1 id="sign-in-title">"Sign in to Flui"</h1>
                {move || returning().then(|| view! { <p class="muted">"Sign in to continue where you were going."</p> })}
                {match config.auth_mode {
                    AuthMode::Oidc => view! {
                        <p role="status">
                            "This Flui instance uses single sign-on ("
                            {config.oidc_issuer.clone().unwrap_or_default()}
                            "). Single sign-on is not available in this dashboard yet: sign in with "
                            <code>"flui auth login"</code> " for now."
                        </p>
                    }.into_any(),
                    AuthMode::Local => view! {
                        <form class="form" on:submit=on_submit>
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
                            <div id="sign-in-error" class="form__error" role="alert">
                                {move || error()}
                            </div>
                            <button type="submit" class="button button--primary"
                                prop:disabled=move || sign_in.pending().get()
                                    || session.state().get() == SessionState::Checking>
                                {move || if sign_in.pending().get() { "Signing in…" } else { "Sign in" }}
                            </button>
                        </form>
                    }.into_any(),
                }}
            </section>
        </main>
    }
}

fn sign_in_error_message(error: &ApiError) -> String {
    match error {
        ApiError::Unauthorized => "The email or password is not correct. Check them and try again.".into(),
        ApiError::Server { status: 501, .. } => {
            "This Flui instance uses single sign-on; sign-in with a password is turned off.".into()
        }
        other => other.messages().join(" "),
    }
}

//! `/auth/callback`: where the OpenID Provider sends the browser back. The answer is
//! read once and taken out of the address bar at once; then the sign-in finishes and
//! the browser goes where the user was going, or the page says what went wrong and
//! offers to try again.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::oidc_flow::{finish_sign_in, start_sign_in};
use super::oidc_trip::{CallbackQuery, Problem, problem_words};
use crate::api::oidc::issuer_host;
use crate::app::router::use_router;
use crate::app::routes::Page;
use crate::contexts::{Session, use_session};
use crate::ui::markup::{error_panel, escape, list};
use crate::ui::set_title;

/// The provider's name for the user: its host.
pub(super) fn provider_host(session: &Session) -> String {
    session
        .config()
        .oidc_issuer
        .as_deref()
        .map(issuer_host)
        .unwrap_or("the sign-in service")
        .to_owned()
}

#[component]
pub fn AuthCallbackPage() -> impl IntoView {
    let session = use_session();
    let router = use_router();
    let query = CallbackQuery {
        code: router.query_untracked("code"),
        state: router.query_untracked("state"),
        error: router.query_untracked("error"),
        error_description: router.query_untracked("error_description"),
    };
    // The code and state leave the address bar (and the history) before anything else.
    router.replace(Page::AuthCallback.path());
    let problem = RwSignal::new(None::<String>);
    let next = StoredValue::new(Page::Overview.path().to_owned());
    let host = provider_host(&session);
    let for_words = host.clone();
    spawn_local(async move {
        match finish_sign_in(session, query).await {
            Ok(to) => router.replace(&to),
            Err((failed, to)) => {
                next.try_set_value(to);
                problem.try_set(Some(problem_markup(&failed, &for_words)));
            }
        }
    });

    view! {
        <main id="main" class="standalone">
            <section class="card standalone__card sign-in">
                {move || match problem.get() {
                    None => view! {
                        {set_title("Signing in")}
                        <p class="muted" role="status" aria-busy="true">
                            "Finishing the sign-in with " {host.clone()} "…"
                        </p>
                    }
                    .into_any(),
                    Some(failed) => view! {
                        {set_title("Sign-in did not finish")}
                        <h1>"Sign-in did not finish"</h1>
                        <div inner_html=failed></div>
                        <p class="actions">
                            <ProviderButton session next=next.get_value() label="Try again".into() problem />
                            " "
                            <a href=Page::SignIn.path()>"Back to sign-in"</a>
                        </p>
                    }
                    .into_any(),
                }}
            </section>
        </main>
    }
}

/// A sign-in problem in words, as markup; Flui's own refusal reads as any API error.
pub(super) fn problem_markup(problem: &Problem, host: &str) -> String {
    match (problem_words(problem, host), problem) {
        (Some(words), _) => format!(
            r#"<div class="error-panel" role="alert"><p class="error-panel__what">{}</p>{}<p>{}</p></div>"#,
            escape(&words.what),
            list(
                &words.details,
                "error-panel__details",
                "What the sign-in service reported"
            ),
            escape(&words.next)
        ),
        (None, Problem::Flui(error)) => format!(
            "<p>{} signed you in, but Flui did not accept the session.</p>{}",
            escape(host),
            error_panel(error)
        ),
        (None, _) => String::new(),
    }
}

/// Leaves for the provider to sign in and come back to `next`, with `leaving` true on
/// the way. When the browser cannot leave (the provider does not answer its discovery,
/// storage is blocked), `leaving` turns false and `problem` says why.
pub(super) fn leave_for_provider(
    session: Session,
    next: String,
    leaving: RwSignal<bool>,
    problem: RwSignal<Option<String>>,
) {
    leaving.set(true);
    let host = provider_host(&session);
    spawn_local(async move {
        let stopped = start_sign_in(session, &next).await;
        leaving.try_set(false);
        problem.try_set(Some(problem_markup(&stopped, &host)));
    });
}

/// A button that leaves for the provider to sign in and come back to `next`. When the
/// browser cannot leave (the provider does not answer its discovery, storage is blocked), `problem`
/// says why and the button stays.
#[component]
pub(super) fn ProviderButton(
    session: Session,
    next: String,
    label: String,
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let leaving = RwSignal::new(false);
    let go = move |_| {
        if !leaving.get_untracked() {
            leave_for_provider(session, next.clone(), leaving, problem);
        }
    };
    view! {
        <button type="button" class="button button--primary" prop:disabled=leaving on:click=go>
            {label}
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_provider_sent_is_shown_as_text() {
        let problem = Problem::ProviderSaid {
            error: "<img src=x onerror=alert(1)>".into(),
            description: Some("<script>alert(2)</script>".into()),
        };
        let markup = problem_markup(&problem, "id.example");
        assert!(
            !markup.contains("<img") && !markup.contains("<script"),
            "{markup}"
        );
        assert!(
            markup.contains("&lt;script&gt;alert(2)&lt;/script&gt;"),
            "{markup}"
        );
        assert!(markup.starts_with(r#"<div class="error-panel" role="alert">"#));
        let flui = problem_markup(&Problem::Flui(crate::api::ApiError::unauthorized()), "id.example");
        assert!(flui.contains("id.example signed you in, but Flui did not accept the session."));
        assert!(flui.contains("Your session has ended."), "{flui}");
    }
}

//! `/github/installed`: where the API sends the browser back from GitHub. Works signed
//! in or not; finishes the newer API's claim; says where the connection stands.

use leptos::prelude::*;

use crate::ui::set_title;

use super::connect_github::{ConnectGithub, use_connect_github};
use super::landing::{
    Again, Landing, NextStep, Outcome, Screen, ScreenAction, api_failure, claim_failure, landing_failure,
    screen,
};
use crate::api::{Api, ErrorKind, Task, use_api};
use crate::app::navigation::login_url;
use crate::app::router::{Router, use_router};
use crate::app::routes::Page;
use crate::contexts::{SessionState, use_session};
use crate::ui::Unavailable;

/// Finishes what the landing was sent, once the session is known.
async fn finish(api: &Api, landing: Landing, signed_in: bool, original: String, router: Router) -> Outcome {
    if landing.needs_session() && !signed_in {
        return finish_after_sign_in(router, &original);
    }
    // Cleaned from the address bar at once, so a refresh cannot replay it.
    if landing != Landing::Nothing {
        router.replace(Page::GithubInstalled.path());
    }
    match landing {
        Landing::Failed { error, message } => Outcome::Failed(landing_failure(&error, message)),
        Landing::Updated => Outcome::Updated,
        Landing::Nothing => Outcome::Nothing,
        Landing::Claim(claim) => match api.claim(&claim).await {
            Ok(done) => where_it_stands(api, Some(done.login)).await,
            Err(error) if error.is_unauthorized() => finish_after_sign_in(router, &original),
            Err(error) => Outcome::Failed(claim_failure(&error)),
        },
        Landing::Connected(login) if signed_in => where_it_stands(api, login).await,
        Landing::Requested if signed_in => where_it_stands(api, None).await,
        Landing::Connected(login) => Outcome::SignInToContinue {
            login,
            back_to: original,
        },
        Landing::Requested => Outcome::SignInToContinue {
            login: None,
            back_to: original,
        },
    }
}

/// Off to sign in, with the landing riding along in `next` (the address as GitHub sent
/// it): it is finished after sign-in. For a claim, also when the session ended on the
/// way: Flui refused it unread, so it is still unused.
fn finish_after_sign_in(router: Router, original: &str) -> Outcome {
    router.replace(&login_url(original));
    Outcome::Working
}

/// After GitHub handed over a token: is an installation reachable, and is a GHCR token
/// the next thing this user needs? A claim's `installationId` is not trusted for this:
/// it is null after an install request, and after a skipped install alike.
async fn where_it_stands(api: &Api, login: Option<String>) -> Outcome {
    match api.github_status().await {
        Ok(status) if status.connected => {
            let next = match api.ghcr_pat_status().await {
                Ok(pat) if pat.needed != Some(false) && !pat.configured => NextStep::AddGhcrToken,
                _ => NextStep::Repositories,
            };
            Outcome::Connected {
                account: status
                    .github_username
                    .filter(|l| !l.trim().is_empty())
                    .or(login)
                    .unwrap_or_default(),
                next,
            }
        }
        Ok(_) => Outcome::NoInstallation {
            login,
            checked: false,
        },
        Err(error) => Outcome::Failed(api_failure(
            "The connection could not be checked",
            &error,
            Again::Look,
        )),
    }
}

#[component]
pub fn GithubInstalledPage() -> impl IntoView {
    let session = use_session();
    let api = use_api();
    let router = use_router();
    // Read once: the address bar is cleaned as soon as it is acted on.
    let landing = Landing::from_query(|k| router.query_untracked(k));
    let original = router.here_untracked();
    // The first known answer to "signed in?", kept: the landing is finished only once.
    let known = Memo::new(move |before: Option<&Option<bool>>| {
        before.copied().flatten().or_else(|| session.signed_in())
    });
    let finished = api.resource({
        let (landing, original) = (landing.clone(), original.clone());
        move |api| {
            let signed_in = known.get();
            let (landing, original) = (landing.clone(), original.clone());
            async move {
                Ok(match signed_in {
                    Some(signed_in) => finish(&api, landing, signed_in, original, router).await,
                    None => Outcome::Working,
                })
            }
        }
    });
    // Input: what to do before looking again, and the GitHub login known so far.
    let check = Task::new({
        let api = api.clone();
        let landing = landing.clone();
        let original = original.clone();
        move |(first, login): &(Again, Option<String>)| {
            let (api, first, login) = (api.clone(), *first, login.clone());
            let (landing, original) = (landing.clone(), original.clone());
            async move {
                match (first, landing) {
                    (Again::Claim, Landing::Claim(claim)) => match api.claim(&claim).await {
                        Ok(done) => return where_it_stands(&api, Some(done.login)).await,
                        Err(error) if error.is_unauthorized() => {
                            return finish_after_sign_in(router, &original);
                        }
                        Err(error) => {
                            // Refused as used: the earlier attempt may have gone through
                            // with its answer lost. A connection in place tells it did.
                            if error.kind() == ErrorKind::Invalid {
                                let now = where_it_stands(&api, login.clone()).await;
                                if matches!(now, Outcome::Connected { .. }) {
                                    return now;
                                }
                            }
                            return Outcome::Failed(claim_failure(&error));
                        }
                    },
                    // Flui learns of an approved install from GitHub; ask it to look now.
                    (Again::Rescan, _) => {
                        let _ = api.rescan_installations().await;
                    }
                    _ => {}
                }
                match where_it_stands(&api, login.clone()).await {
                    Outcome::NoInstallation { .. } => Outcome::NoInstallation { login, checked: true },
                    other => other,
                }
            }
        }
    });
    let outcome = Signal::derive(move || {
        check
            .value()
            .or_else(|| finished.get().and_then(Result::ok))
            .unwrap_or(Outcome::Working)
    });
    let signed_in = move || session.signed_in() == Some(true);
    let controls = use_connect_github(
        // Connecting again found the connection already there (finished in another tab,
        // or by an owner's approval): show where it stands now.
        Callback::new(move |_| {
            check.dispatch((Again::Look, None));
        }),
    );
    let login_so_far = move || match outcome.get_untracked() {
        Outcome::NoInstallation { login, .. } => login,
        _ => None,
    };

    let action_view = move |action: ScreenAction| match action {
        ScreenAction::Link { label, href, primary } => view! {
            <a href=href class=primary.then_some("button button--primary")>{label}</a>
        }
        .into_any(),
        ScreenAction::CheckAgain => view! {
            <button type="button" class="button button--primary"
                prop:disabled=move || check.pending()
                on:click=move |_| { check.dispatch((Again::Rescan, login_so_far())); }>
                "Check again"
            </button>
        }
        .into_any(),
        ScreenAction::TryAgain(again) => view! {
            <button type="button" class="button button--primary"
                prop:disabled=move || check.pending()
                on:click=move |_| { check.dispatch((again, None)); }>
                "Try again"
            </button>
        }
        .into_any(),
        ScreenAction::Connect { label } => view! { <ConnectGithub controls label /> }.into_any(),
    };
    let body = move || {
        if let (Outcome::Working, SessionState::Unreachable(error)) = (outcome.get(), session.state()) {
            let retry = Callback::new(move |_| session.check());
            return view! { <Unavailable error api_origin=session.api_origin() on_retry=retry /> }.into_any();
        }
        let Screen {
            title,
            lines,
            reported,
            actions,
        } = screen(&outcome.get(), signed_in());
        view! {
            {set_title(title)}
            <h1>{title}</h1>
            {lines.into_iter().map(|line| view! { <p>{line}</p> }).collect_view()}
            {reported.map(|d| view! {
                <p class="muted">"What was reported:"</p>
                <pre class="outcome__detail" tabindex="0" aria-label="What was reported">{d}</pre>
            })}
            <div class="outcome__actions">{actions.into_iter().map(action_view).collect_view()}</div>
        }
        .into_any()
    };

    view! {
        <main id="main" class="standalone">
            <section class="card standalone__card" aria-live="polite"
                aria-busy=move || {
                    let unreachable = matches!(session.state(), SessionState::Unreachable(_));
                    (outcome.get() == Outcome::Working && !unreachable).then_some("true")
                }>
                {body}
            </section>
        </main>
    }
}

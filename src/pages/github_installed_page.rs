//! `/github/installed`: where the API sends the browser back from GitHub. Works signed
//! in or not; finishes the newer API's claim; explains every other outcome.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use crate::api::{Api, use_api};
use crate::components::ConnectGithub;
use crate::github_connect::{
    Explained, Landing, SetupAction, explain_claim_error, explain_landing_error, use_connect_github,
};
use crate::navigation::{login_url, path_with_query};
use crate::session::{SessionState, use_session};

const PATH: &str = "/github/installed";

#[derive(Clone, Copy, Debug, PartialEq)]
enum NextStep {
    AddGhcrToken,
    Repositories,
}

#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Working,
    Connected {
        account: String,
        updated: bool,
        next: NextStep,
    },
    /// The user authorised Flui on GitHub, but no installation is reachable yet.
    NeedsInstall {
        login: String,
    },
    PendingApproval {
        checked: bool,
    },
    Updated,
    Failed(Explained),
    /// The older API finished while this browser is signed out of the dashboard.
    SignInToContinue {
        login: String,
    },
    Nothing,
}

async fn finish(api: &Api, landing: Landing, signed_in: bool) -> Outcome {
    match landing {
        Landing::Failed { error, message } => Outcome::Failed(explain_landing_error(&error, message)),
        Landing::Requested => Outcome::PendingApproval { checked: false },
        Landing::Updated => Outcome::Updated,
        Landing::Nothing => Outcome::Nothing,
        Landing::Claim { claim, action } => match api.claim(&claim).await {
            Ok(done) if done.installation_id.is_none() && action == Some(SetupAction::Request) => {
                Outcome::PendingApproval { checked: false }
            }
            Ok(done) => after_connect(api, done.login, action).await,
            Err(error) => Outcome::Failed(explain_claim_error(&error)),
        },
        Landing::Connected {
            action: Some(SetupAction::Request),
            ..
        } => Outcome::PendingApproval { checked: false },
        Landing::Connected { login, action } if signed_in => after_connect(api, login, action).await,
        Landing::Connected { login, .. } => Outcome::SignInToContinue { login },
    }
}

/// After GitHub handed over a token: is an installation reachable, and is a GHCR token
/// the next thing this user needs?
async fn after_connect(api: &Api, login: String, action: Option<SetupAction>) -> Outcome {
    match api.github_status().await {
        Ok(status) if status.connected => {
            let next = match api.ghcr_pat_status().await {
                Ok(pat) if pat.needed != Some(false) && !pat.configured => NextStep::AddGhcrToken,
                _ => NextStep::Repositories,
            };
            Outcome::Connected {
                account: status.github_username.unwrap_or(login),
                updated: action == Some(SetupAction::Update),
                next,
            }
        }
        Ok(_) => Outcome::NeedsInstall { login },
        Err(error) => Outcome::Failed(Explained {
            title: "The connection could not be checked",
            text: "GitHub sent you back, but Flui could not confirm the connection. Look at the overview in a moment.".into(),
            detail: Some(error.to_string()),
        }),
    }
}

#[component]
pub fn GithubInstalledPage() -> impl IntoView {
    let session = use_session();
    let api = use_api();
    let navigate = use_navigate();
    let location = use_location();
    let query = use_query_map();
    // Read once. The address bar is cleaned right after, so a refresh cannot replay it.
    let landing = Landing::from_query(|k| query.with_untracked(|q| q.get(k)));
    let original = path_with_query(
        &location.pathname.get_untracked(),
        &location.search.get_untracked(),
    );
    let outcome = RwSignal::new(Outcome::Working);
    let started = StoredValue::new(false);
    let signed_in = Signal::derive(move || matches!(session.state().get(), SessionState::SignedIn(_)));
    let is_admin = Signal::derive(move || session.user().is_some_and(|u| u.is_admin));

    Effect::new({
        let api = api.clone();
        move |_| {
            let state = session.state().get();
            if started.get_value() || state == SessionState::Checking {
                return;
            }
            started.set_value(true);
            let replace = NavigateOptions {
                replace: true,
                ..Default::default()
            };
            let is_signed_in = matches!(state, SessionState::SignedIn(_));
            if landing.needs_session() && !is_signed_in {
                // The claim rides along in `next`, and is finished after sign-in.
                navigate(&login_url(&original), replace);
                return;
            }
            if landing != Landing::Nothing {
                navigate(PATH, replace);
            }
            let (api, landing) = (api.clone(), landing.clone());
            leptos::task::spawn_local(async move {
                let done = finish(&api, landing, is_signed_in).await;
                let _ = outcome.try_set(done);
            });
        }
    });

    // Connecting again found the connection already there (finished in another tab, or
    // by an owner's approval): show where it stands now.
    let recheck = Action::new_local({
        let api = api.clone();
        move |_: &()| {
            let api = api.clone();
            async move { after_connect(&api, String::new(), None).await }
        }
    });
    let check_again = Action::new_local(move |_: &()| {
        let api = api.clone();
        async move {
            // Flui learns of an approved install from GitHub; ask it to look now.
            let _ = api.rescan_installations().await;
            match api.github_status().await {
                Ok(status) if status.connected => {
                    after_connect(&api, status.github_username.unwrap_or_default(), None).await
                }
                _ => Outcome::PendingApproval { checked: true },
            }
        }
    });
    for action in [check_again, recheck] {
        Effect::new(move |_| {
            if let Some(next) = action.value().get() {
                outcome.set(next);
            }
        });
    }

    let controls = use_connect_github(
        is_admin,
        Callback::new(move |_| {
            outcome.set(Outcome::Working);
            recheck.dispatch(());
        }),
    );
    let connect_again = move |label: &'static str| {
        let (working, notice, connect, copy_link) = (
            controls.working,
            controls.notice,
            controls.connect,
            controls.copy_link,
        );
        view! { <ConnectGithub working notice on_connect=connect on_copy_link=copy_link label /> }
    };

    let body = move || {
        match outcome.get() {
        Outcome::Working => view! {
            <Title text="Finishing your GitHub connection" />
            <h1>"Finishing your GitHub connection…"</h1>
            <p class="muted">"This takes a moment."</p>
        }
        .into_any(),
        Outcome::Connected { account, updated, next } => view! {
            <Title text="GitHub connected" />
            <h1>{if updated { "Repository access updated" } else { "GitHub connected" }}</h1>
            <p>"Connected as @" {account} "."</p>
            {match next {
                NextStep::AddGhcrToken => view! {
                    <h2>"One more step: add a GHCR token"</h2>
                    <p>"Your cluster pulls the images Flui builds from GitHub's container registry, with a token you store in Flui. Without it, deploys cannot pull images."</p>
                    <div class="outcome__actions">
                        <A href="/ghcr-token" attr:class="button button--primary">"Add a GHCR token"</A>
                        <A href="/repositories">"Skip for now (deploys won't be able to pull images)"</A>
                    </div>
                }
                .into_any(),
                NextStep::Repositories => view! {
                    <div class="outcome__actions">
                        <A href="/repositories" attr:class="button button--primary">"Continue to repositories"</A>
                    </div>
                }
                .into_any(),
            }}
        }
        .into_any(),
        Outcome::NeedsInstall { login } => view! {
            <Title text="Install the GitHub App" />
            <h1>"One more step: install the GitHub App"</h1>
            <p>"Your GitHub account @" {login} " is authorised. Now install the Flui GitHub App on the account or organisation that owns your repositories, and choose which repositories Flui may use."</p>
            {connect_again("Install the GitHub App")}
        }
        .into_any(),
        Outcome::PendingApproval { checked } => view! {
            <Title text="Waiting for approval" />
            <h1>"Waiting for the organisation owner to approve"</h1>
            <p>"You asked the owners of the organisation to install the Flui GitHub App. GitHub has told them; once one of them approves, your connection is complete. Come back here and check again, or look at the overview later."</p>
            {checked.then(|| view! { <p class="notice-line">"Not approved yet."</p> })}
                        <div class="outcome__actions">
                {move || if signed_in.get() {
                    view! {
                        <button type="button" class="button button--primary"
                            prop:disabled=move || check_again.pending().get()
                            on:click=move |_| { check_again.dispatch(()); }>
                            "Check again"
                        </button>
                        <A href="/">"Go to the overview"</A>
                    }
                    .into_any()
                } else {
                    view! {
                        <A href=login_url(&format!("{PATH}?setup_action=request")) attr:class="button button--primary">
                            "Sign in to check again"
                        </A>
                    }
                    .into_any()
                }}
            </div>
        }
        .into_any(),
        Outcome::Updated => view! {
            <Title text="Repository access updated" />
            <h1>"Repository access updated"</h1>
            <p>"GitHub saved the new repository selection for the Flui GitHub App."</p>
            <div class="outcome__actions">
                <A href="/repositories" attr:class="button button--primary">"Continue to repositories"</A>
            </div>
        }
        .into_any(),
        Outcome::Failed(Explained { title, text, detail }) => view! {
            <Title text=title />
            <h1>{title}</h1>
            <p>{text}</p>
            {detail.map(|d| view! { <p class="muted">"What was reported:"</p><pre class="outcome__detail" tabindex="0" aria-label="What was reported">{d}</pre> })}
            {move || if signed_in.get() {
                connect_again("Start again").into_any()
            } else {
                view! { <A href="/login" attr:class="button button--primary">"Sign in to start again"</A> }.into_any()
            }}
        }
        .into_any(),
        Outcome::SignInToContinue { login } => view! {
            <Title text="GitHub connected" />
            <h1>"GitHub connected"</h1>
            <p>"Connected as @" {login} ". Sign in to Flui to continue."</p>
            <A href="/login" attr:class="button button--primary">"Sign in to continue"</A>
        }
        .into_any(),
        Outcome::Nothing => view! {
            <Title text="Nothing to finish" />
            <h1>"Nothing to finish here"</h1>
            <p>"This page finishes a GitHub connection when GitHub sends you back. There is nothing pending."</p>
            <A href="/">"Go to the overview"</A>
        }
        .into_any(),
    }
    };

    view! {
        <main id="main" class="standalone">
            <section class="card standalone__card" aria-live="polite"
                aria-busy=move || (outcome.get() == Outcome::Working).then_some("true")>
                {body}
            </section>
        </main>
    }
}

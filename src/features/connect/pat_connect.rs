//! Connecting GitHub with a personal access token, on instances in PAT mode: the token is
//! checked with Flui first (who it belongs to, which of the needed scopes it lacks and
//! why they are needed), then stored; and disconnecting, after a confirmation.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::github_pat::{PAT_MODE_SCOPES, PatCheck};
use crate::api::{ApiError, Task, use_api};
use crate::features::ghcr_token::token_rules::check_token;
use crate::ui::{ConfirmDialog, ErrorPanel};

/// GitHub's page to create a classic token with every scope PAT mode needs, pre-filled.
pub fn pat_mode_token_url(github_url: &str) -> String {
    let scopes: Vec<&str> = PAT_MODE_SCOPES.iter().map(|(scope, _)| *scope).collect();
    format!(
        "{github_url}/settings/tokens/new?scopes={}&description=Flui",
        scopes.join(",")
    )
}

/// What a check of the token says, in words.
pub fn check_words(check: &PatCheck) -> Vec<String> {
    if !check.valid {
        let said = check.message.clone().unwrap_or_default();
        let what = match check.error.as_deref() {
            Some("empty_token") => "Paste the token first.".to_owned(),
            Some("sso_required") => format!(
                "GitHub wants this token authorised for your organisation's single sign-on first ({said}). Authorise it on GitHub, then try again."
            ),
            Some("github_unreachable") => {
                "Flui could not reach GitHub to check the token. Try again in a moment.".to_owned()
            }
            _ => format!(
                "GitHub does not accept this token ({said}). Check that you copied all of it, or create a new one."
            ),
        };
        return vec![what];
    }
    let mut words = vec![match check.login.as_deref().filter(|l| !l.is_empty()) {
        Some(login) => format!("The token belongs to @{login}."),
        None => "GitHub accepts the token.".to_owned(),
    }];
    let granted = check.scopes.clone().unwrap_or_default();
    words.push(if granted.is_empty() {
        "GitHub lists no scopes for it.".to_owned()
    } else {
        format!("Its scopes: {}.", granted.join(", "))
    });
    let missing = check.missing_scopes.clone().unwrap_or_default();
    if missing.is_empty() {
        words.push("It has every scope Flui needs.".to_owned());
    } else {
        for scope in missing {
            let why = PAT_MODE_SCOPES
                .iter()
                .find(|(s, _)| *s == scope)
                .map(|(_, why)| *why)
                .unwrap_or("for its work");
            words.push(format!("Missing {scope}: Flui needs it {why}."));
        }
        words.push(
            "Create a token with every scope (the link above ticks them), then paste it here.".to_owned(),
        );
    }
    words
}

/// Flui's refusals of `connect-pat` that have a plainer explanation than the generic one.
pub fn connect_refusal(error: &ApiError) -> Option<&'static str> {
    let said = error.message().unwrap_or_default();
    if error.is_integration_not_set_up() {
        Some(
            "GitHub is not set up on this instance yet, so there is nothing to connect to. Ask your administrator to set it up.",
        )
    } else if said.starts_with("GitHub is configured in GitHub App mode") {
        Some(
            "This instance now connects GitHub through the Flui GitHub App, not with tokens. Reload the page: it will offer to connect through the App.",
        )
    } else if said.starts_with("Invalid Personal Access Token") {
        Some("GitHub does not accept this token. Check that you copied all of it, or create a new one.")
    } else {
        None
    }
}

/// Whether a check lets the token be stored: GitHub accepts it and no scope is missing.
fn usable(check: &PatCheck) -> bool {
    check.valid && check.missing_scopes.as_ref().is_none_or(Vec::is_empty)
}

/// Where an attempt to connect stopped.
#[derive(Clone)]
enum Stopped {
    /// The token is not the shape of a GitHub token (nothing was sent).
    Shape(&'static str),
    /// Flui's check found it unusable.
    Check(PatCheck),
    Failed(ApiError),
}

/// The token form of PAT mode: the token is checked with Flui (`validate-pat`) and stored
/// (`connect-pat`) only when GitHub accepts it with every scope.
#[component]
pub fn PatConnect(
    /// Runs once GitHub is connected.
    on_connected: Callback<()>,
) -> impl IntoView {
    let api = use_api();
    let github_url = api.config().github_url;
    let token = RwSignal::new(String::new());
    let stopped = RwSignal::new(None::<Stopped>);
    let connect = Task::new(move |typed: &String| {
        let (api, typed) = (api.clone(), typed.clone());
        async move {
            let outcome = match api.validate_pat(&typed).await {
                Ok(check) if !usable(&check) => Some(Stopped::Check(check)),
                Ok(_) => match api.connect_pat(&typed).await {
                    Ok(_) => None,
                    Err(error) => Some(Stopped::Failed(error)),
                },
                Err(error) => Some(Stopped::Failed(error)),
            };
            if outcome.is_none() {
                // The secret leaves the form once Flui has it.
                token.set(String::new());
                on_connected.try_run(());
            }
            stopped.set(outcome);
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if connect.pending() {
            return;
        }
        match check_token(&token.get_untracked()) {
            Ok((typed, _)) => {
                stopped.set(None);
                connect.dispatch(typed);
            }
            Err(words) => stopped.set(Some(Stopped::Shape(words))),
        }
    };
    view! {
        <form class="form connect" on:submit=on_submit>
            <div class="field">
                <label for="pat-token">"Personal access token"</label>
                <input id="pat-token" type="password" autocomplete="off" spellcheck="false"
                    aria-describedby="pat-token-result" bind:value=token />
                <p class="field__hint">
                    <a href=pat_mode_token_url(&github_url) target="_blank" rel="noopener noreferrer">"Create a token on GitHub"</a>
                    " with the scopes Flui needs (opens in a new tab)."
                </p>
            </div>
            <div id="pat-token-result" role="alert">
                {move || stopped.get().map(|stopped| match stopped {
                    Stopped::Shape(words) => view! { <p class="field__error">{words}</p> }.into_any(),
                    Stopped::Check(check) => view! {
                        <ul class="notice-list">
                            {check_words(&check).into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Stopped::Failed(error) => match connect_refusal(&error) {
                        Some(words) => view! { <p class="field__error">{words}</p> }.into_any(),
                        None => view! { <ErrorPanel error /> }.into_any(),
                    },
                })}
            </div>
            <div class="form__actions">
                <button type="submit" class="button button--primary" prop:disabled=move || connect.pending()>
                    "Connect GitHub"
                </button>
            </div>
        </form>
    }
}

/// Disconnects a PAT-mode connection, after asking.
#[component]
pub fn PatDisconnect(
    /// Runs once GitHub is disconnected.
    on_disconnected: Callback<()>,
) -> impl IntoView {
    let api = use_api();
    let open = RwSignal::new(false);
    let disconnect = Task::new(move |_: &()| {
        let api = api.clone();
        async move {
            let done = api.disconnect_github().await;
            if done.is_ok() {
                on_disconnected.try_run(());
            }
            done
        }
    });
    view! {
        <button type="button" class="button button--small" on:click=move |_| open.set(true)>"Disconnect"</button>
        {move || match disconnect.value() {
            Some(Err(error)) => Some(view! { <ErrorPanel error /> }),
            _ => None,
        }}
        <ConfirmDialog open title="Disconnect GitHub?" confirm="Disconnect GitHub"
            on_confirm=Callback::new(move |_| disconnect.dispatch(()))>
            <p>"Flui forgets your token: it can no longer build your repositories until you connect again. Your repositories and the token on GitHub are not touched."</p>
        </ConfirmDialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::decode;

    #[test]
    fn a_check_names_the_owner_and_each_missing_scope_with_why() {
        let check: PatCheck = decode(
            r#"{"valid":true,"login":"uma-dev","githubUserId":"1002","scopes":["repo"],"missingScopes":["admin:repo_hook","workflow"]}"#,
        )
        .unwrap();
        let words = check_words(&check);
        assert_eq!(words[0], "The token belongs to @uma-dev.");
        assert_eq!(
            words[2],
            "Missing admin:repo_hook: Flui needs it to add the webhook that starts builds on push."
        );
        assert_eq!(words[1], "Its scopes: repo.");
        assert_eq!(
            words[3],
            "Missing workflow: Flui needs it to add the build workflow to your repositories."
        );
        assert_eq!(words.len(), 5);
        let complete: PatCheck =
            decode(r#"{"valid":true,"login":"uma-dev","scopes":["repo","workflow"],"missingScopes":[]}"#)
                .unwrap();
        assert!(usable(&complete));
        assert_eq!(check_words(&complete)[2], "It has every scope Flui needs.");
        assert!(!usable(&check));
        let refused: PatCheck =
            decode(r#"{"valid":false,"error":"invalid_token","message":"Bad credentials"}"#).unwrap();
        assert!(check_words(&refused)[0].contains("(Bad credentials)"));
        assert!(!usable(&refused));
    }

    #[test]
    fn refusals_to_connect_are_explained() {
        let refused = |status: u16, message: &str| {
            ApiError::from_response(
                status,
                &format!(r#"{{"statusCode":{status},"message":"{message}"}}"#),
            )
        };
        let app_mode = refused(
            400,
            "GitHub is configured in GitHub App mode. Connect via GET /repositories/github-app/install-url instead.",
        );
        assert!(
            connect_refusal(&app_mode)
                .unwrap()
                .contains("through the Flui GitHub App")
        );
        let not_set_up = refused(503, "GitHub integration not configured. Set it up first.");
        assert!(
            connect_refusal(&not_set_up)
                .unwrap()
                .contains("Ask your administrator")
        );
        let invalid = refused(400, "Invalid Personal Access Token: Bad credentials");
        assert!(
            connect_refusal(&invalid)
                .unwrap()
                .contains("does not accept this token")
        );
        assert_eq!(connect_refusal(&refused(500, "boom")), None);
    }

    #[test]
    fn the_token_link_asks_for_every_scope_pat_mode_needs() {
        let url = pat_mode_token_url("https://github.com");
        assert_eq!(
            url,
            "https://github.com/settings/tokens/new?scopes=repo,workflow,user:email,admin:repo_hook,write:packages,read:packages,delete:packages&description=Flui"
        );
    }
}

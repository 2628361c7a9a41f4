use leptos::prelude::*;

use crate::api::ApiError;

/// What happened, what to do, and a retry. A 403 reads like the "needs admin rights"
/// page, since that is what it means here.
#[component]
pub fn ErrorPanel(
    /// The failure to explain.
    error: ApiError,
    /// Runs the failed load again; no button when absent.
    #[prop(optional)]
    on_retry: Option<Callback<()>>,
) -> impl IntoView {
    if let ApiError::Forbidden(reason) = &error {
        return view! { <NeedsAdmin reason=reason.clone() /> }.into_any();
    }
    let next_step = match &error {
        ApiError::Network(_) => "Check that the Flui API is running and reachable, then try again.",
        ApiError::Server { .. } => {
            "This is a problem on the server. Try again in a moment; if it persists, tell your administrator."
        }
        ApiError::Decode(_) => {
            "The API may be a different version than this dashboard expects. Tell your administrator."
        }
        ApiError::Unauthorized => "Sign in again to continue.",
        _ => "Try again.",
    };
    view! {
        <div class="error-panel" role="alert">
            <p class="error-panel__what">{error.to_string()}</p>
            <p class="error-panel__next">{next_step}</p>
            {on_retry.map(|retry| view! {
                <button type="button" class="button" on:click=move |_| retry.run(())>"Try again"</button>
            })}
        </div>
    }
    .into_any()
}

/// The "needs admin rights" message, for admin pages and for the server's 403.
#[component]
pub fn NeedsAdmin(
    /// The server's reason, when there was one.
    #[prop(optional, into)]
    reason: Option<String>,
) -> impl IntoView {
    view! {
        <section class="card notice" aria-labelledby="needs-admin-title">
            <h2 id="needs-admin-title">"This page needs admin rights"</h2>
            <p>
                "Only administrators of this Flui instance (the "<code>"integration:manage"</code>
                " permission) can manage the GitHub App and its installations. Ask your administrator if you need a change here."
            </p>
            {reason.filter(|r| !r.is_empty()).map(|r| view! { <p class="muted">"The server said: " {r}</p> })}
        </section>
    }
}

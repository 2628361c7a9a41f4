//! What shows while the API cannot say who is signed in.

use leptos::prelude::*;

use super::title::set_title;

use super::ErrorPanel;
use crate::api::ApiError;

/// The API did not answer as Flui when asked who is signed in: nobody is known to be
/// signed in or out, so no sign-in form, but what went wrong and Retry.
#[component]
pub fn Unavailable(
    /// What the API answered, or that it did not.
    error: ApiError,
    /// The API's origin, as configured.
    api_origin: String,
    /// Asks again.
    on_retry: Callback<()>,
) -> impl IntoView {
    view! {
        {set_title("Flui is not available")}
        <h1>"Flui is not available"</h1>
        <p>"The dashboard could not check your session with the Flui API at " <code>{api_origin}</code> "."</p>
        <ErrorPanel error on_retry />
    }
}

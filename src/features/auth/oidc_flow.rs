//! The OIDC sign-in in the browser: leaving for the provider with a fresh trip, and
//! finishing at `/auth/callback`. The checks and the words are in [`super::oidc_trip`].

use leptos::prelude::window;

use super::oidc_trip::{CallbackQuery, Problem, Trip, check_callback};
use crate::api::oidc::{AuthorizationRequest, authorization_url, check_id_token, discover, exchange_code};
use crate::app::navigation::safe_next;
use crate::app::routes::Page;
use crate::contexts::Session;
use crate::encoding::base64url;

/// The `sessionStorage` key of the trip under way; nothing else is kept there.
const TRIP_KEY: &str = "flui.oidc.trip";

/// 32 random bytes from the browser's crypto, as base64url (43 characters).
fn random_value() -> Option<String> {
    let mut bytes = [0u8; 32];
    window()
        .crypto()
        .ok()?
        .get_random_values_with_u8_array(&mut bytes)
        .ok()?;
    Some(base64url(&bytes))
}

/// `<origin>/auth/callback`, the redirect URI registered for the dashboard.
fn redirect_uri() -> Option<String> {
    let origin = window().location().origin().ok()?;
    Some(format!("{origin}{}", Page::AuthCallback.path()))
}

fn save_trip(trip: &Trip) -> Option<()> {
    window()
        .session_storage()
        .ok()??
        .set_item(TRIP_KEY, &trip.to_text())
        .ok()
}

/// The trip under way, removed from storage whatever it holds: an answer is checked
/// against it once.
fn take_trip() -> Option<Trip> {
    let storage = window().session_storage().ok()??;
    let text = storage.get_item(TRIP_KEY).ok().flatten();
    let _ = storage.remove_item(TRIP_KEY);
    Trip::from_text(&text?)
}

/// Starts the authorization code flow: reads the provider's discovery document, keeps a
/// fresh trip for the callback, and sends the browser to the provider. Returns only
/// when that could not happen.
pub async fn start_sign_in(session: Session, next: &str) -> Problem {
    let config = session.config();
    let (Some(issuer), Some(client_id)) = (config.oidc_issuer, config.oidc_client_id) else {
        // load_config refuses an OIDC configuration without both.
        return Problem::ProviderBadAnswer("no issuer or client ID");
    };
    let discovery = match discover(&issuer).await {
        Ok(discovery) => discovery,
        Err(error) => return error.into(),
    };
    let trip = match (random_value(), random_value(), random_value()) {
        (Some(state), Some(nonce), Some(verifier)) => Trip {
            state,
            nonce,
            verifier,
            next: safe_next(Some(next)),
        },
        _ => return Problem::BrowserRefused,
    };
    let (Some(redirect_uri), Some(())) = (redirect_uri(), save_trip(&trip)) else {
        return Problem::BrowserRefused;
    };
    let url = authorization_url(
        &discovery,
        &AuthorizationRequest {
            client_id: &client_id,
            redirect_uri: &redirect_uri,
            state: &trip.state,
            nonce: &trip.nonce,
            verifier: &trip.verifier,
        },
    );
    session.client().keep_discovery(discovery);
    match window().location().assign(&url) {
        Ok(()) => std::future::pending().await,
        Err(_) => Problem::BrowserRefused,
    }
}

/// Finishes the sign-in the provider answered with `query`: checks it against this
/// tab's trip, exchanges the code, checks the ID token, and opens the Flui session.
/// The page to return to on success; on failure, the problem and where a new sign-in
/// should return.
pub async fn finish_sign_in(session: Session, query: CallbackQuery) -> Result<String, (Problem, String)> {
    let trip = take_trip();
    let next = trip
        .as_ref()
        .map_or_else(|| "/".to_owned(), |t| safe_next(Some(&t.next)));
    let fail = |problem: Problem| (problem, next.clone());
    let code = check_callback(&query, trip.as_ref()).map_err(fail)?;
    let Some(trip) = trip else {
        return Err(fail(Problem::NoTrip));
    };
    let config = session.config();
    let (Some(issuer), Some(client_id), Some(redirect_uri)) =
        (config.oidc_issuer, config.oidc_client_id, redirect_uri())
    else {
        return Err(fail(Problem::BrowserRefused));
    };
    let discovery = discover(&issuer).await.map_err(|e| fail(e.into()))?;
    let tokens = exchange_code(&discovery, &client_id, &code, &redirect_uri, &trip.verifier)
        .await
        .map_err(|e| fail(e.into()))?;
    let now = js_sys::Date::now() / 1000.0;
    check_id_token(
        tokens.id_token.as_deref(),
        &trip.nonce,
        &discovery.issuer,
        &client_id,
        now,
    )
    .map_err(|p| fail(Problem::IdToken(p)))?;
    session.client().adopt_provider_tokens(discovery, tokens);
    session
        .sign_in_with_provider_tokens()
        .await
        .map_err(|e| fail(Problem::Flui(e)))?;
    Ok(next)
}

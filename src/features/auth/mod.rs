//! Signing in: with email and password (local mode), or with the OpenID Provider the
//! instance names (OIDC mode: the code flow with PKCE, and `/auth/callback`).

mod callback_page;
mod oidc_flow;
pub mod oidc_trip;
mod sign_in_page;

pub use callback_page::AuthCallbackPage;
pub use sign_in_page::SignInPage;

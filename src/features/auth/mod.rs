//! Signing in (local mode; OIDC says it is not built yet).

mod sign_in_page;

pub use sign_in_page::SignInPage;

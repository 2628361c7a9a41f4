//! App-wide state, each as a `provide_x()` / `use_x()` pair: the session (who is signed
//! in, and the API client), the theme, and the user's credentials for the banner.

pub mod credentials;
mod keep_alive;
pub mod session;
pub mod theme;

pub use credentials::{Credentials, provide_credentials, use_credentials, use_ghcr_status};
pub use session::{Session, SessionState, SignedInUser, provide_session, use_session};
pub use theme::{Theme, provide_theme, use_theme};

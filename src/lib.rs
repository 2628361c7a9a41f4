//! flui-dashboard: the browser dashboard for the GitHub side of Flui.
//!
//! - [`app`]: the route table, the signed-in shell and its gates.
//! - [`api`]: the only code that knows the Flui API (URLs, headers, JSON, errors).
//! - [`features`]: one folder per feature, each with its page, components and plain logic.
//! - [`ui`]: presentation shared by features.
//! - [`contexts`]: app-wide state (session, theme).
//! - [`encoding`]: SHA-256 and Base64, shared by the API and features.

pub mod api;
pub mod app;
pub mod contexts;
pub mod encoding;
pub mod features;
pub mod ui;

pub use app::App;

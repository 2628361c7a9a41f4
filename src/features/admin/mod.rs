//! Administration of the GitHub integration: the GitHub App's credentials and the
//! installations Flui knows of. Behind the admin gate.

pub mod app_urls;
mod github_app_page;
mod installations_page;
pub mod installations_table;
mod manifest_form;
mod manual_form;
mod needs_admin_page;
pub mod private_key;
mod registration_guide;
mod setup_words;

pub use github_app_page::GithubAppPage;
pub use installations_page::InstallationsPage;
pub use needs_admin_page::NeedsAdminPage;

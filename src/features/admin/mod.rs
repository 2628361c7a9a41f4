//! Administration of the GitHub integration: the GitHub App's credentials and the
//! installations Flui knows of. Behind the admin gate.

mod github_app_page;
mod installations_page;
mod needs_admin_page;

pub use github_app_page::GithubAppPage;
pub use installations_page::InstallationsPage;
pub use needs_admin_page::NeedsAdminPage;

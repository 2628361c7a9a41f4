//! One file per page. Pages own their data (resources and actions) and hand plain
//! values to components.

mod config_error_page;
mod github_installed_page;
mod needs_admin_page;
mod not_built_page;
mod not_found_page;
mod overview_page;
mod sign_in_page;

pub use config_error_page::ConfigErrorPage;
pub use github_installed_page::GithubInstalledPage;
pub use needs_admin_page::NeedsAdminPage;
pub use not_built_page::{GhcrTokenPage, GithubAppPage, InstallationsPage, RepositoriesPage};
pub use not_found_page::NotFoundPage;
pub use overview_page::OverviewPage;
pub use sign_in_page::SignInPage;

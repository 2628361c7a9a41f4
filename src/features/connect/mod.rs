//! Connecting a user's GitHub (`flui integration connect github`): through the Flui
//! GitHub App (the connect controls, and the page GitHub's redirect comes back to), or
//! with a personal access token on instances in PAT mode.

mod connect_github;
pub mod landing;
mod landing_page;
pub mod pat_connect;

pub use connect_github::{ConnectControls, ConnectGithub, ConnectNotice, use_connect_github};
pub use landing_page::GithubInstalledPage;
pub use pat_connect::{PatConnect, PatDisconnect};

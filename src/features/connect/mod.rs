//! Connecting a user's GitHub through the Flui GitHub App (`flui integration connect
//! github`): the connect controls, and the page GitHub's redirect comes back to.

mod connect_github;
pub mod landing;
mod landing_page;

pub use connect_github::{ConnectControls, ConnectGithub, ConnectNotice, use_connect_github};
pub use landing_page::GithubInstalledPage;

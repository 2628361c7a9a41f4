//! Presentation: plain data in, callbacks out. No component here talks to the API.

mod connect_github;
mod error_panel;
mod integration_rows;
mod page_header;
mod status_pill;

pub use connect_github::{ConnectGithub, ConnectNotice};
pub use error_panel::{ErrorPanel, NeedsAdmin};
pub use integration_rows::{GhcrRow, GithubRow, IntegrationRow, RowSkeleton, RowUnavailable};
pub use page_header::PageHeader;
pub use status_pill::StatusPill;

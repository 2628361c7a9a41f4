//! The overview: `flui integration list` in the browser, one row per connection.

mod integration_row;
mod overview_page;
pub mod status_rows;

pub use integration_row::{IntegrationRow, RowSkeleton, RowUnavailable};
pub use overview_page::OverviewPage;

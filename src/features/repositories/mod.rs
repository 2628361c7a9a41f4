//! The user's repositories (`flui repo list | disconnect`): where the user stands, the
//! connected list, and the picker's plain logic (search, filters, import outcomes).

mod connected_list;
pub mod picker;
mod repositories_page;
pub mod standing;

pub use repositories_page::RepositoriesPage;

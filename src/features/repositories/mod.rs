//! The user's repositories (`flui repo list | connect | disconnect`): where the user
//! stands, the connected list, the picker that imports, and their plain logic.

mod connected_list;
pub mod picker;
mod picker_page;
pub mod repo_listbox;
mod repositories_page;
pub mod standing;

pub use picker_page::ConnectRepositoriesPage;
pub use repositories_page::RepositoriesPage;

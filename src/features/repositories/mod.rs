//! The user's repositories (`flui repo list | connect | disconnect`).

mod repositories_page;

pub use repositories_page::RepositoriesPage;

//! Presentation shared by features: plain data in, callbacks out. Nothing here talks to
//! the API or reads context but the theme.

pub mod clipboard;
mod confirm_dialog;
mod copy_button;
pub mod dates;
mod error_panel;
pub mod error_words;
pub mod links;
pub mod markup;
mod page_header;
mod status_pill;
mod theme_toggle;
mod title;
pub mod token_state;
mod tone;
mod unavailable;

pub use confirm_dialog::ConfirmDialog;
pub use copy_button::CopyButton;
pub use error_panel::ErrorPanel;
pub use error_words::{ErrorWords, explain};
pub use page_header::PageHeader;
pub use status_pill::StatusPill;
pub use theme_toggle::ThemeToggle;
pub use title::set_title;
pub use tone::Tone;
pub use unavailable::Unavailable;

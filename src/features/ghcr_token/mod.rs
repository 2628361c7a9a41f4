//! The GHCR token (`flui integration ghcr-pat set | status | revoke`): its page, its
//! form, and the form's rules (plain logic, tested on the host).

mod ghcr_token_page;
mod token_form;
pub mod token_rules;

pub use ghcr_token_page::GhcrTokenPage;
pub use token_form::{FormMode, TokenForm, create_token_url};

//! The GHCR token (`flui integration ghcr-pat`).

mod ghcr_token_page;

pub use ghcr_token_page::GhcrTokenPage;

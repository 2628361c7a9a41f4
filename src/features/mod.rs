//! One folder per feature: its page, its components, and its plain logic (files that
//! import no leptos, tested on the host). A feature reaches another only through a route.

pub mod admin;
pub mod auth;
pub mod connect;
pub mod credentials;
pub mod ghcr_token;
pub mod overview;
pub mod repositories;

//! The only code that knows the Flui API's URLs, headers, status codes and JSON.
//!
//! - [`client`]: the transport, the session's tokens, refresh, aborts.
//! - [`error`]: [`ApiError`], built from Flui's error body.
//! - [`config`]: the runtime settings from `/assets/config.json`.
//! - [`resource`]: reads and writes, each kind through one shared type.
//! - one file per area of `flui-api.md`, its models and its calls together:
//!   [`auth`] (§7), [`oidc`] (§7, the OpenID Provider), [`setup`] (§1), [`installations`] (§2), [`connect`] (§3, §4a),
//!   [`github_pat`] (§4, PAT mode), [`credentials`] (§4b), [`ghcr_pat`] (§5),
//!   [`repositories`] (§6).

pub mod auth;
mod client;
pub mod config;
pub mod connect;
pub mod credentials;
mod error;
mod fetch;
pub mod ghcr_pat;
pub mod github_pat;
pub mod installations;
mod json;
pub mod oidc;
pub mod repositories;
mod resource;
pub mod setup;

pub use client::{Api, Client, PATIENCE_MS, Refresh, use_api};
pub use error::{ApiError, Approval, ErrorKind, HttpError};
pub use json::{Decode, decode};
pub use resource::{ApiResource, Resource, Task, start_now};

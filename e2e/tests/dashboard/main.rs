//! Browser end-to-end tests: the release build in headless Chromium against the sandbox.

mod config;
mod connect;
mod faults;
mod ghcr_token;
mod github_app;
mod installations;
mod layout;
mod oidc;
mod overview;
mod pat_mode;
mod picker;
mod production;
mod repositories;
mod session;

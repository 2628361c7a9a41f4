//! Browser end-to-end tests: the release build in headless Chromium against the sandbox.

mod config;
mod connect;
mod layout;
mod overview;
mod session;

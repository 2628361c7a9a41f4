//! The credentials banner (`GET /credentials/status`): what needs attention, everywhere.

pub mod attention;
mod banner;

pub use banner::CredentialsBanner;

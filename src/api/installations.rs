//! §2 of the contract: the GitHub App installations Flui knows of.

use super::client::Api;
use super::error::ApiError;
use super::fetch::Method;
use super::json::Decode;

const RESCAN: &str = "/repositories/github-app/rescan-installations";

/// `POST /repositories/github-app/rescan-installations`.
#[derive(Clone, Debug, PartialEq, Decode)]
pub struct RescanResponse {
    pub count: u32,
}

impl Api {
    /// Asks Flui to look for the caller's installations now, with their GitHub token
    /// (after an organisation owner approved an install, say).
    pub async fn rescan_installations(&self) -> Result<RescanResponse, ApiError> {
        self.call(Method::Post, RESCAN, None).await
    }
}

//! JSON in and out of the API, and the one field shape the contract leaves open.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

use super::error::ApiError;

/// Decodes a response body into the contract's type for it.
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|e| ApiError::Decode(e.to_string()))
}

pub(super) fn encode<B: Serialize>(body: &B) -> Result<String, ApiError> {
    serde_json::to_string(body).map_err(|e| ApiError::Decode(e.to_string()))
}

/// A Postgres bigint id, which Flui may send as a JSON number or a string (TypeORM's
/// default); `null`, `""` or anything else reads as absent.
pub(super) fn bigint_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Number(u64),
        Text(String),
        Other(serde::de::IgnoredAny),
    }
    Ok(match Option::<Id>::deserialize(d)? {
        Some(Id::Number(n)) => Some(n.to_string()),
        Some(Id::Text(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    })
}

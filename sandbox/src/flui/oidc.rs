//! §7 in OIDC mode: the API accepts the OpenID Provider's access tokens, RS256 JWTs for
//! its audience (as Zitadel issues them), checked against the provider's JWKS: signature,
//! issuer, audience and expiry. The token's `email` (or its `sub`) names the Flui user.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use rsa::{BigUint, RsaPublicKey};
use serde_json::Value;

use super::FluiState;
use super::auth::User;
use crate::app_jwt::rs256_claims;

/// The provider's signing keys, by `kid`, fetched when a token names one not seen yet.
#[derive(Default)]
pub struct ProviderKeys(Mutex<HashMap<String, RsaPublicKey>>);

impl ProviderKeys {
    fn get(&self, kid: &str) -> Option<RsaPublicKey> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).get(kid).cloned()
    }

    fn replace(&self, keys: HashMap<String, RsaPublicKey>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = keys;
    }
}

/// The access tokens this API has accepted, and those a test declared expired (the test
/// hook `expire_access_tokens`): a token's expiry without waiting for its `exp`.
#[derive(Default)]
pub struct SeenTokens(Mutex<(HashSet<String>, HashSet<String>)>);

impl SeenTokens {
    /// Records `token` as accepted; false when a test expired it.
    fn accept(&self, token: &str) -> bool {
        let mut sets = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if sets.1.contains(token) {
            return false;
        }
        sets.0.insert(token.to_owned());
        true
    }

    pub fn expire_all(&self) {
        let mut sets = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let seen: Vec<String> = sets.0.drain().collect();
        sets.1.extend(seen);
    }

    /// Every token accepted or expired so far.
    pub fn all(&self) -> Vec<String> {
        let sets = self.0.lock().unwrap_or_else(|p| p.into_inner());
        sets.0.iter().chain(sets.1.iter()).cloned().collect()
    }
}

async fn get_json(http: &reqwest::Client, url: &str) -> Option<Value> {
    http.get(url).send().await.ok()?.json().await.ok()
}

fn base64url(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text).ok()
}

/// A JWT's header (0) or claims (1), unchecked.
fn jwt_part(token: &str, index: usize) -> Option<Value> {
    serde_json::from_slice(&base64url(token.split('.').nth(index)?)?).ok()
}

/// `<issuer>/.well-known/openid-configuration`, then its `jwks_uri`: the RSA keys.
async fn fetch_keys(issuer: &str) -> Option<HashMap<String, RsaPublicKey>> {
    let http = reqwest::Client::new();
    let discovery = get_json(&http, &format!("{issuer}/.well-known/openid-configuration")).await?;
    let jwks = get_json(&http, discovery["jwks_uri"].as_str()?).await?;
    let number = |key: &Value, name: &str| Some(BigUint::from_bytes_be(&base64url(key[name].as_str()?)?));
    let keys = jwks["keys"]
        .as_array()?
        .iter()
        .filter(|key| key["kty"] == "RSA")
        .filter_map(|key| {
            let public = RsaPublicKey::new(number(key, "n")?, number(key, "e")?).ok()?;
            Some((key["kid"].as_str().unwrap_or_default().to_owned(), public))
        })
        .collect();
    Some(keys)
}

/// The claims of `token` if the provider signed it for this API and it has not expired.
async fn checked_claims(state: &FluiState, token: &str) -> Option<Value> {
    let issuer = state.options.oidc_issuer.as_deref()?;
    let header = jwt_part(token, 0)?;
    let kid = header["kid"].as_str().unwrap_or_default();
    let key = match state.provider_keys.get(kid) {
        Some(key) => key,
        None => {
            state.provider_keys.replace(fetch_keys(issuer).await?);
            state.provider_keys.get(kid)?
        }
    };
    let (_, claims) = rs256_claims(token, &key)?;
    let audience = &state.options.oidc_audience;
    let for_us = match &claims["aud"] {
        Value::String(aud) => aud == audience,
        Value::Array(auds) => auds.iter().any(|a| a == audience.as_str()),
        _ => false,
    };
    let live = claims["exp"]
        .as_i64()
        .is_some_and(|exp| exp > crate::util::now().timestamp());
    (claims["iss"] == issuer && for_us && live && state.oidc_tokens.accept(token)).then_some(claims)
}

/// The Flui user an OIDC access token stands for, if the token is good.
pub(super) async fn user_for(state: &FluiState, token: &str) -> rusqlite::Result<Option<User>> {
    let Some(claims) = checked_claims(state, token).await else {
        return Ok(None);
    };
    let email = claims["email"]
        .as_str()
        .or(claims["sub"].as_str())
        .unwrap_or_default();
    super::auth::user_by_email(&state.db(), email)
}

/// When the token expires (seconds since the epoch), for the session cookie's lifetime.
pub(super) fn expiry(token: &str) -> Option<i64> {
    jwt_part(token, 1)?["exp"].as_i64()
}

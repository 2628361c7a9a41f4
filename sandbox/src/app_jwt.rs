//! The JSON web token a GitHub App signs to act as itself (RS256, `iss` = the App ID,
//! valid at most ten minutes): Flui mints it with the App's private key, the simulated
//! GitHub checks it with the App's public key, as GitHub does. The RS256 check
//! ([`rs256_claims`]) also serves the OIDC provider's access tokens. A leaf, like `util`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey, LineEnding};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde_json::{Value, json};
use sha2::Sha256;

/// GitHub's answer to a token it cannot read or check.
pub const UNREADABLE: &str = "A JSON web token could not be decoded";

/// An RSA private key in PEM, PKCS#1 (what GitHub hands out) or PKCS#8.
pub fn private_key(pem: &str) -> Result<RsaPrivateKey, String> {
    let pem = pem.trim();
    RsaPrivateKey::from_pkcs1_pem(pem)
        .or_else(|_| RsaPrivateKey::from_pkcs8_pem(pem))
        .map_err(|_| "secretOrPrivateKey must be an asymmetric key when using RS256".to_owned())
}

/// The public half of a private key, as an SPKI PEM (what GitHub keeps).
pub fn public_key_pem(private_pem: &str) -> Result<String, String> {
    private_key(private_pem)?
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| e.to_string())
}

/// A fresh 2048-bit key in PKCS#1 PEM, as GitHub generates for an App.
pub fn generate_private_key() -> Result<String, String> {
    let key = RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).map_err(|e| e.to_string())?;
    key.to_pkcs1_pem(LineEnding::LF)
        .map(|pem| pem.to_string())
        .map_err(|e| e.to_string())
}

/// Mints an App JWT as Octokit does: issued 30 s in the past (clock drift), expiring
/// nine and a half minutes later.
pub fn mint(app_id: &str, private_pem: &str, now: i64) -> Result<String, String> {
    let key = private_key(private_pem)?;
    let iss: Value = app_id
        .parse::<i64>()
        .map(Value::from)
        .unwrap_or_else(|_| json!(app_id));
    let header = B64.encode(json!({ "alg": "RS256", "typ": "JWT" }).to_string());
    let claims = B64.encode(json!({ "iat": now - 30, "exp": now + 540, "iss": iss }).to_string());
    let signed = format!("{header}.{claims}");
    let signature = SigningKey::<Sha256>::new(key).sign(signed.as_bytes());
    Ok(format!("{signed}.{}", B64.encode(signature.to_bytes())))
}

/// The token's claims, unchecked: enough to find which App it claims to be.
pub fn unverified_issuer(token: &str) -> Option<i64> {
    let claims = token.split('.').nth(1)?;
    let claims: Value = serde_json::from_slice(&B64.decode(claims).ok()?).ok()?;
    match &claims["iss"] {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Checks the token as GitHub does: RS256 signed by `public_pem`, issued not in the
/// future, not expired, and living at most ten minutes. Errors are GitHub's messages.
pub fn verify(token: &str, public_pem: &str, now: i64) -> Result<(), String> {
    let key = RsaPublicKey::from_public_key_pem(public_pem).map_err(|_| UNREADABLE.to_owned())?;
    let (_, claims) = rs256_claims(token, &key).ok_or_else(|| UNREADABLE.to_owned())?;
    let (Some(iat), Some(exp)) = (claims["iat"].as_i64(), claims["exp"].as_i64()) else {
        return Err("'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued".into());
    };
    if iat > now + 60 {
        return Err("'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued".into());
    }
    if exp <= now {
        return Err("'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires".into());
    }
    if exp - iat > 600 || exp > now + 600 {
        return Err("'Expiration time' claim ('exp') is too far in the future".into());
    }
    Ok(())
}

/// The header and claims of `token` if it is a JWT signed with RS256 by `key`.
pub fn rs256_claims(token: &str, key: &RsaPublicKey) -> Option<(Value, Value)> {
    let parts: Vec<&str> = token.split('.').collect();
    let [header, claims, signature] = parts[..] else {
        return None;
    };
    let decode = |part: &str| -> Option<Value> { serde_json::from_slice(&B64.decode(part).ok()?).ok() };
    let head = decode(header)?;
    if head["alg"] != "RS256" {
        return None;
    }
    let signature = Signature::try_from(B64.decode(signature).ok()?.as_slice()).ok()?;
    VerifyingKey::<Sha256>::new(key.clone())
        .verify(format!("{header}.{claims}").as_bytes(), &signature)
        .ok()?;
    Some((head, decode(claims)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minted_token_verifies_with_its_public_key_only() {
        let key = generate_private_key().unwrap();
        let other = generate_private_key().unwrap();
        let token = mint("42", &key, 1_000_000).unwrap();
        assert_eq!(unverified_issuer(&token), Some(42));
        assert_eq!(verify(&token, &public_key_pem(&key).unwrap(), 1_000_000), Ok(()));
        assert_eq!(
            verify(&token, &public_key_pem(&other).unwrap(), 1_000_000),
            Err(UNREADABLE.to_owned())
        );
        assert!(verify(&token, &public_key_pem(&key).unwrap(), 1_000_600).is_err());
        assert!(verify(&token, &public_key_pem(&key).unwrap(), 999_000).is_err());
        assert!(mint("42", "not a key", 0).is_err());
    }
}

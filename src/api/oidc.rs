//! §7 "OIDC login": the OpenID Provider's side (discovery, the authorization request, the
//! token endpoint for a code and for a refresh, the ID token's claims, the end-session
//! request) and Flui's `oidc-session`.
//!
//! The ID token's signature is not checked here: the dashboard uses the ID token only to
//! confirm that the answer belongs to the sign-in it started (`nonce`), from the issuer
//! it asked (`iss`) and for this client (`aud`), and as the hint at sign-out. What grants
//! access is the access token, and the Flui API verifies that one against the provider's
//! keys (JWKS) on every request.

use miniserde::json::{self, Number, Value};

use super::client::{Api, Client};
use super::error::ApiError;
use super::fetch::{Exchange, Method, fetch};
use super::json::{Decode, decode};
use crate::encoding::{base64url, base64url_decode, percent_encode, sha256};

/// Public; sets the httpOnly `flui_session` cookie from the bearer token.
const OIDC_SESSION: &str = "/auth/oidc-session";
/// What the dashboard asks the provider for (Flui's official dashboard asks the same).
const SCOPE: &str = "openid profile email";

/// The provider's `.well-known/openid-configuration`, as far as the dashboard needs it.
#[derive(Clone, Debug, PartialEq, Decode)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub end_session_endpoint: Option<String>,
}

/// What went wrong with the provider.
#[derive(Clone, Debug, PartialEq)]
pub enum ProviderError {
    /// No answer: down, offline, or it does not allow this dashboard's origin (CORS).
    Unreachable,
    /// The provider answered with an OAuth error (`invalid_grant` …).
    Refused {
        error: String,
        description: Option<String>,
    },
    /// An answer that is not what OpenID Connect promises; says which part.
    BadAnswer(&'static str),
}

/// The token endpoint's answer.
#[derive(Clone, Debug, Decode)]
pub struct ProviderTokens {
    pub access_token: String,
    pub id_token: Option<String>,
    pub refresh_token: Option<String>,
}

#[derive(Decode)]
struct OAuthError {
    error: Option<String>,
    error_description: Option<String>,
}

/// The issuer without a trailing slash, as discovery URLs are built from it.
fn issuer_base(issuer: &str) -> &str {
    issuer.trim_end_matches('/')
}

/// The provider's host (and port), to name it to the user.
pub fn issuer_host(issuer: &str) -> &str {
    let rest = issuer.split_once("://").map_or(issuer, |(_, rest)| rest);
    rest.split('/').next().unwrap_or(rest)
}

/// `GET <issuer>/.well-known/openid-configuration`. Its `issuer` must be the one asked.
pub async fn discover(issuer: &str) -> Result<Discovery, ProviderError> {
    let url = format!("{}/.well-known/openid-configuration", issuer_base(issuer));
    let text = provider_exchange(Method::Get, &url, None).await?;
    let discovery: Discovery =
        decode(&text).map_err(|_| ProviderError::BadAnswer("its discovery document"))?;
    if issuer_base(&discovery.issuer) != issuer_base(issuer) {
        return Err(ProviderError::BadAnswer(
            "the issuer its discovery document names",
        ));
    }
    Ok(discovery)
}

/// One request to the provider: no cookies, no Flui token, the client's patience; the
/// answer's text on 2xx.
async fn provider_exchange(method: Method, url: &str, form: Option<&str>) -> Result<String, ProviderError> {
    let patience = web_sys::AbortSignal::timeout_with_u32(super::client::PATIENCE_MS);
    let mut headers = vec![("Accept", "application/json")];
    if form.is_some() {
        headers.push(("Content-Type", "application/x-www-form-urlencoded"));
    }
    let answer = fetch(Exchange {
        method,
        url,
        headers: &headers,
        body: form,
        with_credentials: false,
        abort: Some(&patience),
    })
    .await
    .map_err(|_| ProviderError::Unreachable)?;
    if (200..300).contains(&answer.status) {
        return Ok(answer.text);
    }
    let said: Option<OAuthError> = json::from_str(&answer.text).ok();
    let (error, description) = said.map(|s| (s.error, s.error_description)).unwrap_or_default();
    Err(ProviderError::Refused {
        error: error.unwrap_or_else(|| format!("HTTP {}", answer.status)),
        description,
    })
}

/// `key=value&…`, each value percent-encoded.
fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(key, value)| format!("{key}={}", percent_encode(value, false)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `endpoint` with `pairs` added to its query.
fn with_query(endpoint: &str, pairs: &[(&str, &str)]) -> String {
    let joint = if endpoint.contains('?') { '&' } else { '?' };
    format!("{endpoint}{joint}{}", form(pairs))
}

/// The S256 challenge of a PKCE verifier (RFC 7636).
pub fn pkce_challenge(verifier: &str) -> String {
    base64url(&sha256(verifier.as_bytes()))
}

/// What one sign-in sends to the authorization endpoint.
pub struct AuthorizationRequest<'a> {
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub state: &'a str,
    pub nonce: &'a str,
    pub verifier: &'a str,
}

/// The authorization code request with PKCE (S256).
pub fn authorization_url(discovery: &Discovery, request: &AuthorizationRequest) -> String {
    let challenge = pkce_challenge(request.verifier);
    with_query(
        &discovery.authorization_endpoint,
        &[
            ("client_id", request.client_id),
            ("response_type", "code"),
            ("scope", SCOPE),
            ("redirect_uri", request.redirect_uri),
            ("state", request.state),
            ("nonce", request.nonce),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
}

/// Where sign-out sends the browser: the provider's end-session endpoint, which ends the
/// session there and returns to `post_logout`. `None` when the provider has none.
pub fn end_session_url(
    discovery: &Discovery,
    client_id: &str,
    id_token: Option<&str>,
    post_logout: &str,
) -> Option<String> {
    let endpoint = discovery.end_session_endpoint.as_deref()?;
    let mut pairs = vec![
        ("client_id", client_id),
        ("post_logout_redirect_uri", post_logout),
    ];
    if let Some(hint) = id_token {
        pairs.push(("id_token_hint", hint));
    }
    Some(with_query(endpoint, &pairs))
}

/// Which check of the ID token failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdTokenProblem {
    Missing,
    Unreadable,
    Nonce,
    Issuer,
    Audience,
    Expired,
}

/// Checks the ID token's claims: `nonce` is the one this sign-in sent, `iss` the
/// provider's, `aud` names this client, and it has not expired (`now` in seconds, five
/// minutes of clock difference allowed).
pub fn check_id_token(
    id_token: Option<&str>,
    nonce: &str,
    issuer: &str,
    client_id: &str,
    now: f64,
) -> Result<(), IdTokenProblem> {
    let token = id_token.ok_or(IdTokenProblem::Missing)?;
    let claims = token
        .split('.')
        .nth(1)
        .and_then(base64url_decode)
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| match json::from_str::<Value>(&text) {
            Ok(Value::Object(claims)) => Some(claims),
            _ => None,
        })
        .ok_or(IdTokenProblem::Unreadable)?;
    let text = |key: &str| match claims.get(key) {
        Some(Value::String(text)) => Some(text.as_str()),
        _ => None,
    };
    if text("nonce") != Some(nonce) {
        return Err(IdTokenProblem::Nonce);
    }
    if text("iss").map(issuer_base) != Some(issuer_base(issuer)) {
        return Err(IdTokenProblem::Issuer);
    }
    let for_us = match claims.get("aud") {
        Some(Value::String(aud)) => aud == client_id,
        Some(Value::Array(auds)) => auds
            .iter()
            .any(|aud| matches!(aud, Value::String(aud) if aud == client_id)),
        _ => false,
    };
    if !for_us {
        return Err(IdTokenProblem::Audience);
    }
    let expires = match claims.get("exp") {
        Some(Value::Number(Number::U64(exp))) => Some(*exp as f64),
        Some(Value::Number(Number::I64(exp))) => Some(*exp as f64),
        Some(Value::Number(Number::F64(exp))) => Some(*exp),
        _ => None,
    };
    match expires {
        Some(exp) if exp + 300.0 > now => Ok(()),
        _ => Err(IdTokenProblem::Expired),
    }
}

/// Exchanges an authorization code (with its PKCE verifier) at the token endpoint.
pub async fn exchange_code(
    discovery: &Discovery,
    client_id: &str,
    code: &str,
    redirect_uri: &str,
    verifier: &str,
) -> Result<ProviderTokens, ProviderError> {
    let body = form(&[
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("client_id", client_id),
        ("code_verifier", verifier),
    ]);
    let text = provider_exchange(Method::Post, &discovery.token_endpoint, Some(&body)).await?;
    decode(&text).map_err(|_| ProviderError::BadAnswer("its token answer"))
}

/// A new access token from the provider for a refresh token.
pub(super) async fn refresh_at_provider(
    token_endpoint: &str,
    client_id: &str,
    refresh_token: &str,
) -> Result<ProviderTokens, ProviderError> {
    let body = form(&[
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
        ("client_id", client_id),
    ]);
    let text = provider_exchange(Method::Post, token_endpoint, Some(&body)).await?;
    decode(&text).map_err(|_| ProviderError::BadAnswer("its token answer"))
}

impl Client {
    /// Keeps the provider's tokens (in memory) and its discovery document for refreshes
    /// and sign-out.
    pub fn adopt_provider_tokens(&self, discovery: Discovery, tokens: ProviderTokens) {
        self.keep_discovery(discovery);
        self.keep_id_token(tokens.id_token.clone());
        self.store_tokens(super::auth::TokenResponse {
            access_token: tokens.access_token,
            refresh_token: tokens.refresh_token,
        });
    }
}

impl Api {
    /// `POST /auth/oidc-session` with the access token: the API sets the `flui_session`
    /// cookie from it.
    pub async fn open_oidc_session(&self) -> Result<(), ApiError> {
        self.send(Method::Post, OIDC_SESSION, None, true).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn discovery() -> Discovery {
        Discovery {
            issuer: "https://id.example".into(),
            authorization_endpoint: "https://id.example/oauth/v2/authorize".into(),
            token_endpoint: "https://id.example/oauth/v2/token".into(),
            end_session_endpoint: Some("https://id.example/oidc/v1/end_session".into()),
        }
    }

    fn id_token(claims: &str) -> String {
        format!("eyJhbGciOiJSUzI1NiJ9.{}.c2ln", base64url(claims.as_bytes()))
    }

    #[test]
    fn the_authorization_request_carries_pkce_state_and_nonce() {
        let url = authorization_url(
            &discovery(),
            &AuthorizationRequest {
                client_id: "flui dashboard",
                redirect_uri: "https://flui.example/auth/callback",
                state: "s1",
                nonce: "n1",
                verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            },
        );
        assert_eq!(
            url,
            "https://id.example/oauth/v2/authorize?client_id=flui%20dashboard&response_type=code\
             &scope=openid%20profile%20email&redirect_uri=https%3A%2F%2Fflui.example%2Fauth%2Fcallback\
             &state=s1&nonce=n1&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\
             &code_challenge_method=S256"
        );
        let mut with_query = discovery();
        with_query.authorization_endpoint = "https://id.example/authorize?tenant=a".into();
        let request = AuthorizationRequest {
            client_id: "c",
            redirect_uri: "r",
            state: "s",
            nonce: "n",
            verifier: "v",
        };
        assert!(
            authorization_url(&with_query, &request)
                .starts_with("https://id.example/authorize?tenant=a&client_id=c")
        );
    }

    #[test]
    fn sign_out_names_the_return_and_hints_the_id_token() {
        let back = "https://flui.example/login?loggedOut=true";
        assert_eq!(
            end_session_url(&discovery(), "c", Some("t.k.n"), back).as_deref(),
            Some(
                "https://id.example/oidc/v1/end_session?client_id=c\
                 &post_logout_redirect_uri=https%3A%2F%2Fflui.example%2Flogin%3FloggedOut%3Dtrue&id_token_hint=t.k.n"
            )
        );
        let mut without = discovery();
        without.end_session_endpoint = None;
        assert_eq!(end_session_url(&without, "c", None, back), None);
    }

    #[test]
    fn the_id_token_must_be_this_sign_ins() {
        let now = 1_800_000_000.0;
        let good = r#"{"iss":"https://id.example/","aud":["other","flui"],"nonce":"n1","exp":1800000600}"#;
        let check = |token: Option<&str>| check_id_token(token, "n1", "https://id.example", "flui", now);
        assert_eq!(check(Some(&id_token(good))), Ok(()));
        let cases = [
            (None, IdTokenProblem::Missing),
            (Some("not-a-jwt".to_owned()), IdTokenProblem::Unreadable),
            (Some(id_token("[1]")), IdTokenProblem::Unreadable),
            (Some(id_token(&good.replace("n1", "n2"))), IdTokenProblem::Nonce),
            (
                Some(id_token(&good.replace("id.example/", "evil.example"))),
                IdTokenProblem::Issuer,
            ),
            (
                Some(id_token(&good.replace(r#"["other","flui"]"#, r#""other""#))),
                IdTokenProblem::Audience,
            ),
            (
                Some(id_token(&good.replace("1800000600", "1799999000"))),
                IdTokenProblem::Expired,
            ),
            (
                Some(id_token(&good.replace("1800000600", r#""soon""#))),
                IdTokenProblem::Expired,
            ),
        ];
        for (token, problem) in cases {
            assert_eq!(check(token.as_deref()), Err(problem), "{token:?}");
        }
        // A single audience as a string, and a few minutes of clock difference, pass.
        let single = good
            .replace(r#"["other","flui"]"#, r#""flui""#)
            .replace("1800000600", "1799999900");
        assert_eq!(check(Some(&id_token(&single))), Ok(()));
    }

    #[test]
    fn the_provider_is_named_by_its_host() {
        assert_eq!(issuer_host("https://id.example/tenant/"), "id.example");
        assert_eq!(issuer_host("http://127.0.0.1:8789"), "127.0.0.1:8789");
    }
}

//! The transport: URLs, headers, the session's tokens, refresh, aborts.
//!
//! [`Client`] lives as long as the app: it holds the runtime configuration and the
//! session's tokens (in memory only, see the README). [`Api`] is what a page uses: a
//! `Client` plus an abort signal tied to the page, so that requests still in flight are
//! cancelled when the page goes away instead of resolving into a view that is gone.

use std::future::Future;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use web_sys::{AbortController, AbortSignal};

use super::auth::{REFRESH, RefreshRequest, TokenResponse, token_expiry_ms};
use super::config::{AuthMode, RuntimeConfig};
use super::error::{ApiError, ErrorKind};
use super::fetch::{Exchange, Method, fetch};
use super::json::{Decode, decode, encode};
use super::oidc::{Discovery, ProviderError, refresh_at_provider};
use super::resource::{ApiResource, Resource};

/// The global prefix Flui's `main.ts` sets.
const PREFIX: &str = "/api/v1";

/// How long a request may take before the client gives up on it.
pub const PATIENCE_MS: u32 = 15_000;

/// The longest `Retry-After` the client waits out by itself (once) before trying again.
const RETRY_AFTER_LIMIT_S: u32 = 10;

/// Waits `ms` milliseconds.
async fn sleep(ms: u32) {
    let (done, waited) = futures::channel::oneshot::channel::<()>();
    set_timeout(
        move || {
            let _ = done.send(());
        },
        std::time::Duration::from_millis(u64::from(ms)),
    );
    let _ = waited.await;
}

/// `apiBaseUrl` + `/api/v1` + `path`.
fn api_url(config: &RuntimeConfig, path: &str) -> String {
    format!("{}{PREFIX}{path}", config.api_base_url)
}

/// True only for URLs under the configured API's `/api/v1`: the one place the bearer
/// token may be sent.
fn is_api_url(config: &RuntimeConfig, url: &str) -> bool {
    url.strip_prefix(config.api_base_url.as_str())
        .and_then(|rest| rest.strip_prefix(PREFIX))
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?']))
}

/// The session's tokens. Never written to storage, the URL or logs: see the README.
#[derive(Clone, Default)]
struct Tokens {
    access: Option<String>,
    refresh: Option<String>,
    /// OIDC: the provider's ID token, the hint at sign-out.
    id: Option<String>,
}

/// How a refresh of the access token ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Refresh {
    Refreshed,
    /// The server refused the refresh token (or there is none): the session is over.
    Refused,
    /// No verdict (rate limited, offline, server failing): the session stands, this call fails.
    Failed(ApiError),
}

type SharedRefresh = Shared<LocalBoxFuture<'static, Refresh>>;

/// The app-wide API client. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Client {
    config: StoredValue<RuntimeConfig>,
    tokens: StoredValue<Tokens>,
    /// When the access token in memory expires (ms since the epoch), if it says.
    access_expires: RwSignal<Option<f64>>,
    /// The refresh under way: every caller that meets a 401 meanwhile waits for this one.
    refreshing: StoredValue<Option<SharedRefresh>, LocalStorage>,
    /// OIDC: the provider's discovery document, once read.
    discovery: StoredValue<Option<Discovery>>,
    on_session_lost: Callback<()>,
}

impl Client {
    /// `on_session_lost` runs when the server refuses the session and a refresh cannot
    /// renew it.
    pub fn new(config: RuntimeConfig, on_session_lost: Callback<()>) -> Self {
        Self {
            config: StoredValue::new(config),
            tokens: StoredValue::new(Tokens::default()),
            access_expires: RwSignal::new(None),
            refreshing: StoredValue::new_local(None),
            discovery: StoredValue::new(None),
            on_session_lost,
        }
    }

    pub fn config(&self) -> RuntimeConfig {
        self.config.get_value()
    }

    /// When the access token expires (ms since the epoch): `None` without a token (a
    /// session carried by the cookie alone) or for a token that does not say.
    pub fn access_expires(&self) -> Option<f64> {
        self.access_expires.get()
    }

    /// Whether this tab holds a refresh token, and so can renew the session by itself.
    pub fn can_refresh(&self) -> bool {
        self.refresh_token().is_some()
    }

    pub(super) fn store_tokens(&self, tokens: TokenResponse) {
        let expires = token_expiry_ms(&tokens.access_token);
        self.tokens.try_update_value(|t| {
            t.access = Some(tokens.access_token);
            if tokens.refresh_token.is_some() {
                t.refresh = tokens.refresh_token;
            }
        });
        self.access_expires.try_set(expires);
    }

    pub(super) fn refresh_token(&self) -> Option<String> {
        self.tokens.try_with_value(|t| t.refresh.clone()).flatten()
    }

    fn access_token(&self) -> Option<String> {
        self.tokens.try_with_value(|t| t.access.clone()).flatten()
    }

    pub fn keep_discovery(&self, discovery: Discovery) {
        self.discovery.try_set_value(Some(discovery));
    }

    /// OIDC: the provider's discovery document, if it was read in this tab.
    pub fn discovery(&self) -> Option<Discovery> {
        self.discovery.try_get_value().flatten()
    }

    pub(super) fn keep_id_token(&self, id_token: Option<String>) {
        if id_token.is_some() {
            self.tokens.try_update_value(|t| t.id = id_token);
        }
    }

    /// OIDC: the ID token of this tab's sign-in, the hint at sign-out.
    pub fn id_token(&self) -> Option<String> {
        self.tokens.try_with_value(|t| t.id.clone()).flatten()
    }

    /// Forgets every token (sign-out, or a session the server no longer accepts).
    pub fn forget_tokens(&self) {
        self.tokens.try_set_value(Tokens::default());
        self.access_expires.try_set(None);
    }

    fn lose_session(&self) {
        self.forget_tokens();
        let _ = self.on_session_lost.try_run(());
    }

    /// Renews the access token with the refresh token. Only one refresh is under way at
    /// a time (Flui allows ten a minute): a caller that arrives meanwhile gets its outcome.
    pub async fn refresh(&self) -> Refresh {
        let under_way = self.refreshing.try_with_value(Clone::clone).flatten();
        let shared = match under_way {
            Some(shared) => shared,
            None => {
                let client = *self;
                let refresh: LocalBoxFuture<'static, Refresh> = Box::pin(async move {
                    let outcome = client.refresh_once().await;
                    client.refreshing.try_set_value(None);
                    outcome
                });
                let shared = refresh.shared();
                self.refreshing.try_set_value(Some(shared.clone()));
                shared
            }
        };
        shared.await
    }

    async fn refresh_once(&self) -> Refresh {
        let Some(refresh_token) = self.refresh_token() else {
            return Refresh::Refused;
        };
        if self.config().auth_mode == AuthMode::Oidc {
            return self.refresh_oidc(&refresh_token).await;
        }
        let body = encode(&RefreshRequest { refresh_token });
        // Not tied to any page: the waiting callers may belong to several.
        let api = Api::unscoped(*self);
        match api
            .send_json::<TokenResponse>(Method::Post, REFRESH, Some(&body), false)
            .await
        {
            Ok(tokens) => {
                self.store_tokens(tokens);
                Refresh::Refreshed
            }
            Err(error) => match error.kind() {
                ErrorKind::Unauthorized | ErrorKind::Forbidden | ErrorKind::Invalid => Refresh::Refused,
                _ => Refresh::Failed(error),
            },
        }
    }
}

impl Client {
    /// OIDC: the refresh happens at the provider's token endpoint; the new access token
    /// then renews the `flui_session` cookie too (best effort: the token is what counts).
    async fn refresh_oidc(&self, refresh_token: &str) -> Refresh {
        let config = self.config();
        let (Some(discovery), Some(client_id)) = (self.discovery(), config.oidc_client_id) else {
            return Refresh::Refused;
        };
        match refresh_at_provider(&discovery.token_endpoint, &client_id, refresh_token).await {
            Ok(tokens) => {
                self.adopt_provider_tokens(discovery, tokens);
                let _ = Api::unscoped(*self).open_oidc_session().await;
                Refresh::Refreshed
            }
            Err(ProviderError::Refused { .. }) => Refresh::Refused,
            Err(ProviderError::Unreachable) => Refresh::Failed(ApiError::SignInService(
                super::oidc::issuer_host(&discovery.issuer).to_owned(),
            )),
            Err(ProviderError::BadAnswer(what)) => Refresh::Failed(ApiError::Decode(format!(
                "the sign-in service sent {what} in a form this dashboard does not understand"
            ))),
        }
    }
}

/// A page's handle on the API: requests made through it are aborted when the page's
/// reactive owner is cleaned up.
#[derive(Clone)]
pub struct Api {
    client: Client,
    abort: Option<SendWrapper<AbortController>>,
}

/// An `Api` for the current component; its requests end with the component.
pub fn use_api() -> Api {
    let client = expect_context::<Client>();
    let abort = AbortController::new().ok().map(SendWrapper::new);
    if let Some(controller) = abort.clone() {
        on_cleanup(move || controller.abort());
    }
    Api { client, abort }
}

impl Api {
    /// An `Api` that is never aborted, for work that outlives any page (the session).
    pub fn unscoped(client: Client) -> Self {
        Self { client, abort: None }
    }

    /// An `Api` whose requests are aborted after `ms` milliseconds.
    pub(super) fn with_timeout(client: Client, ms: u64) -> Self {
        let abort = AbortController::new().ok().map(SendWrapper::new);
        if let Some(controller) = abort.clone() {
            set_timeout(move || controller.abort(), std::time::Duration::from_millis(ms));
        }
        Self { client, abort }
    }

    pub fn client(&self) -> Client {
        self.client
    }

    pub fn config(&self) -> RuntimeConfig {
        self.client.config()
    }

    /// A page's read of `load`, made with this page's `Api`, e.g.
    /// `api.resource(|api| async move { api.github_status().await })`.
    pub fn resource<T, F, Fut>(&self, load: F) -> ApiResource<T>
    where
        T: 'static,
        F: Fn(Api) -> Fut + 'static,
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        let api = self.clone();
        Resource::new(move || load(api.clone()))
    }

    /// Sends a request and decodes the JSON answer, renewing the session once on 401.
    pub(super) async fn call<T: Decode>(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
    ) -> Result<T, ApiError> {
        decode(&self.call_text(method, path, body.as_deref()).await?)
    }

    /// Like [`Api::call`], for answers whose body does not matter (204, `{ok: true}`).
    pub(super) async fn call_empty(&self, method: Method, path: &str) -> Result<(), ApiError> {
        self.call_text(method, path, None).await.map(drop)
    }

    pub(super) async fn call_text(
        &self,
        method: Method,
        path: &str,
        body: Option<&str>,
    ) -> Result<String, ApiError> {
        let sent_with = self.client.access_token();
        match self.send_patiently(method, path, body).await {
            Err(error) if error.is_unauthorized() => {}
            answer => return answer,
        }
        // A refresh that finished while this request was out already renewed the token.
        if self.client.access_token() == sent_with {
            match self.client.refresh().await {
                Refresh::Refreshed => {}
                Refresh::Refused => {
                    self.client.lose_session();
                    return Err(ApiError::unauthorized());
                }
                Refresh::Failed(error) => return Err(error),
            }
        }
        let retried = self.send_patiently(method, path, body).await;
        if retried.as_ref().is_err_and(ApiError::is_unauthorized) {
            self.client.lose_session();
        }
        retried
    }

    /// One exchange; a 429 whose `Retry-After` is short is waited out and sent once more.
    async fn send_patiently(
        &self,
        method: Method,
        path: &str,
        body: Option<&str>,
    ) -> Result<String, ApiError> {
        match self.send(method, path, body, true).await {
            Err(error) if error.retry_after().is_some_and(|s| s <= RETRY_AFTER_LIMIT_S) => {
                sleep(error.retry_after().unwrap_or_default() * 1000).await;
                self.send(method, path, body, true).await
            }
            answer => answer,
        }
    }

    /// One exchange, decoded; no refresh.
    pub(super) async fn send_json<T: Decode>(
        &self,
        method: Method,
        path: &str,
        body: Option<&str>,
        with_token: bool,
    ) -> Result<T, ApiError> {
        decode(&self.send(method, path, body, with_token).await?)
    }

    /// One HTTP exchange. The bearer token is attached only here, and only to URLs built
    /// from the configured API origin, so it cannot leak to another host.
    pub(super) async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&str>,
        with_token: bool,
    ) -> Result<String, ApiError> {
        // The client outlives every page; if even it is gone, the app is, and nobody waits.
        let Some(config) = self.client.config.try_get_value() else {
            return Err(ApiError::Aborted);
        };
        let url = api_url(&config, path);
        let token = self
            .client
            .access_token()
            .filter(|_| with_token && is_api_url(&config, &url))
            .map(|token| format!("Bearer {token}"));
        let mut headers = vec![("Accept", "application/json")];
        if let Some(bearer) = &token {
            headers.push(("Authorization", bearer));
        }
        let page = self.abort.as_ref().map(|c| c.signal());
        // Given up after PATIENCE_MS, or when the page goes away.
        let patience = AbortSignal::timeout_with_u32(PATIENCE_MS);
        let signal = match &page {
            Some(page) => AbortSignal::any(&js_sys::Array::of2(page, &patience)),
            None => patience.clone(),
        };
        let answer = fetch(Exchange {
            method,
            url: &url,
            headers: &headers,
            body,
            with_credentials: true,
            abort: Some(&signal),
        })
        .await
        .map_err(|_| {
            // No answer: a cancellation when this page aborted it, impatience, else the network.
            if page.as_ref().is_some_and(|s| s.aborted()) {
                ApiError::Aborted
            } else if patience.aborted() {
                ApiError::Timeout(config.api_base_url.clone())
            } else {
                ApiError::Network(config.api_base_url.clone())
            }
        })?;
        if (200..300).contains(&answer.status) {
            Ok(answer.text)
        } else {
            Err(ApiError::from_response(answer.status, &answer.text)
                .with_retry_after(answer.retry_after.as_deref()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::config::parse_config;

    fn config() -> RuntimeConfig {
        parse_config(r#"{"apiBaseUrl":"https://api.flui.example"}"#).unwrap()
    }

    #[test]
    fn urls_get_the_api_prefix() {
        assert_eq!(
            api_url(&config(), "/repositories/github/status"),
            "https://api.flui.example/api/v1/repositories/github/status"
        );
    }

    #[test]
    fn the_token_goes_to_the_api_origin_only() {
        let c = config();
        assert!(is_api_url(&c, "https://api.flui.example/api/v1/auth/me"));
        assert!(!is_api_url(
            &c,
            "https://api.flui.example.evil.test/api/v1/auth/me"
        ));
        assert!(!is_api_url(&c, "https://api.flui.example:444/api/v1/auth/me"));
        assert!(!is_api_url(&c, "https://api.flui.example/api/v10/x"));
        assert!(!is_api_url(&c, "https://github.com/api/v1/x"));
        assert!(!is_api_url(&c, "/api/v1/auth/me"));
    }
}

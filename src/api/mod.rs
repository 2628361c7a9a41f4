//! The only code that knows the Flui API's URLs, headers, status codes and JSON.
//!
//! [`Client`] lives as long as the app: it holds the runtime configuration and the
//! session tokens (in memory only). [`Api`] is what a page uses: a `Client` plus an
//! abort signal tied to the page, so that requests still in flight are cancelled when
//! the page goes away instead of resolving into a view that no longer exists.

pub mod config;
mod error;
pub mod models;
mod routes;

pub use error::ApiError;

use gloo_net::http::{Method, RequestBuilder};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use serde::{Serialize, de::DeserializeOwned};
use wasm_bindgen::JsCast;
use web_sys::{AbortController, RequestCredentials};

use config::RuntimeConfig;

/// The session's tokens. Never written to storage, the URL or logs: see the README.
#[derive(Clone, Default)]
struct Tokens {
    access: Option<String>,
    refresh: Option<String>,
}

/// The app-wide API client. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Client {
    config: StoredValue<RuntimeConfig>,
    tokens: StoredValue<Tokens>,
    on_session_lost: Callback<()>,
}

impl Client {
    /// `on_session_lost` runs when a request is refused with 401 and a refresh does not help.
    pub fn new(config: RuntimeConfig, on_session_lost: Callback<()>) -> Self {
        Self {
            config: StoredValue::new(config),
            tokens: StoredValue::new(Tokens::default()),
            on_session_lost,
        }
    }

    pub fn config(&self) -> RuntimeConfig {
        self.config.get_value()
    }

    fn store_tokens(&self, access: String, refresh: Option<String>) {
        self.tokens.try_update_value(|t| {
            t.access = Some(access);
            if refresh.is_some() {
                t.refresh = refresh;
            }
        });
    }

    fn refresh_token(&self) -> Option<String> {
        self.tokens.try_with_value(|t| t.refresh.clone()).flatten()
    }

    /// Forgets both tokens (sign-out, or a session the server no longer accepts).
    pub fn forget_tokens(&self) {
        self.tokens.try_set_value(Tokens::default());
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
    fn with_timeout(client: Client, ms: i32) -> Self {
        let abort = AbortController::new().ok();
        if let Some(controller) = abort.clone() {
            let fire = wasm_bindgen::closure::Closure::once_into_js(move || controller.abort());
            let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(fire.unchecked_ref(), ms);
        }
        Self {
            client,
            abort: abort.map(SendWrapper::new),
        }
    }

    pub fn config(&self) -> RuntimeConfig {
        self.client.config()
    }

    /// A page's read: a `LocalResource` running `load` with this page's `Api`, e.g.
    /// `api.resource(|api| async move { api.github_status().await })`.
    pub fn resource<T, F, Fut>(&self, load: F) -> LocalResource<T>
    where
        T: 'static,
        F: Fn(Api) -> Fut + 'static,
        Fut: std::future::Future<Output = T> + 'static,
    {
        let api = self.clone();
        LocalResource::new(move || load(api.clone()))
    }

    /// Sends a request and decodes a JSON answer, refreshing the session once on 401.
    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
    ) -> Result<T, ApiError> {
        let text = self.call_text(method, path, body).await?;
        decode(&text)
    }

    async fn call_text(&self, method: Method, path: &str, body: Option<String>) -> Result<String, ApiError> {
        match self.send(method.clone(), path, body.as_deref(), true).await {
            Err(ApiError::Unauthorized) => {
                let retried = if self.refresh().await {
                    self.send(method, path, body.as_deref(), true).await
                } else {
                    Err(ApiError::Unauthorized)
                };
                if matches!(retried, Err(ApiError::Unauthorized)) {
                    self.lose_session();
                }
                retried
            }
            other => other,
        }
    }

    fn lose_session(&self) {
        self.client.forget_tokens();
        let _ = self.client.on_session_lost.try_run(());
    }

    /// One refresh attempt with the in-memory refresh token. False when there is none
    /// or the server refuses it.
    async fn refresh(&self) -> bool {
        let Some(refresh_token) = self.client.refresh_token() else {
            return false;
        };
        let Ok(body) = json_body(&models::RefreshRequest { refresh_token }) else {
            return false;
        };
        match self
            .send(Method::POST, routes::AUTH_REFRESH, Some(&body), false)
            .await
        {
            Ok(text) => match decode::<models::RefreshResponse>(&text) {
                Ok(fresh) => {
                    self.client.store_tokens(fresh.access_token, None);
                    true
                }
                Err(_) => false,
            },
            Err(_) => false,
        }
    }

    /// One HTTP exchange. The bearer token is attached only here, and only to URLs built
    /// from the configured API origin, so it cannot leak to another host.
    async fn send(
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
        let url = routes::api_url(&config, path);
        let mut request = RequestBuilder::new(&url)
            .method(method)
            .credentials(RequestCredentials::Include)
            .header("Accept", "application/json");
        if with_token
            && routes::is_api_url(&config, &url)
            && let Some(token) = self.client.tokens.try_with_value(|t| t.access.clone()).flatten()
        {
            request = request.header("Authorization", &format!("Bearer {token}"));
        }
        if let Some(controller) = &self.abort {
            request = request.abort_signal(Some(&controller.signal()));
        }
        let request = match body {
            Some(body) => request.header("Content-Type", "application/json").body(body),
            None => request.build(),
        }
        .map_err(|e| ApiError::Network(format!("{}: {e}", config.api_base_url)))?;

        // A failed exchange is a cancellation when this page aborted it, else the network.
        let failed = |_| {
            if self.abort.as_ref().is_some_and(|c| c.signal().aborted()) {
                ApiError::Aborted
            } else {
                ApiError::Network(config.api_base_url.clone())
            }
        };
        let response = request.send().await.map_err(failed)?;
        let status = response.status();
        let text = response.text().await.map_err(failed)?;
        if (200..300).contains(&status) {
            Ok(text)
        } else {
            Err(ApiError::from_response(status, &text))
        }
    }

    // ---- §7 authentication ---------------------------------------------------------

    /// Local sign-in. Keeps the tokens in memory on success.
    pub async fn login(&self, email: &str, password: &str) -> Result<(), ApiError> {
        let body = json_body(&models::LoginRequest {
            email: email.to_owned(),
            password: password.to_owned(),
        })?;
        let text = self
            .send(Method::POST, routes::AUTH_LOGIN, Some(&body), false)
            .await?;
        let tokens: models::LoginResponse = decode(&text)?;
        self.client
            .store_tokens(tokens.access_token, tokens.refresh_token);
        Ok(())
    }

    /// Ends the session on the server (best effort) and forgets the tokens.
    pub async fn logout(&self) {
        let refresh_token = self.client.refresh_token();
        if let Some(refresh_token) = refresh_token
            && let Ok(body) = json_body(&models::RefreshRequest { refresh_token })
        {
            let _ = self
                .send(Method::POST, routes::AUTH_LOGOUT, Some(&body), true)
                .await;
        }
        // Clears the httpOnly `flui_session` cookie, which outlives a page reload.
        let _ = self
            .send(Method::POST, routes::AUTH_SESSION_LOGOUT, None, false)
            .await;
        self.client.forget_tokens();
    }

    /// The signed-in user. Without a token in memory, the `flui_session` cookie is what
    /// authenticates this call (after a reload); a 401 here only means "signed out".
    pub async fn me(&self) -> Result<models::Me, ApiError> {
        let text = self.send(Method::GET, routes::AUTH_ME, None, true).await?;
        decode(&text)
    }

    pub async fn permissions(&self) -> Result<models::Permissions, ApiError> {
        self.call(Method::GET, routes::ME_PERMISSIONS, None).await
    }

    pub async fn auth_config(&self) -> Result<models::AuthConfig, ApiError> {
        let text = self.send(Method::GET, routes::AUTH_CONFIG, None, false).await?;
        decode(&text)
    }

    // ---- integrations status -------------------------------------------------------

    pub async fn setup_status(&self) -> Result<models::SetupStatus, ApiError> {
        self.call(Method::GET, routes::SETUP_STATUS, None).await
    }

    pub async fn github_status(&self) -> Result<models::GithubStatus, ApiError> {
        self.call(Method::GET, routes::GITHUB_STATUS, None).await
    }

    pub async fn ghcr_pat_status(&self) -> Result<models::GhcrPatStatus, ApiError> {
        self.call(Method::GET, routes::GHCR_PAT_STATUS, None).await
    }

    // ---- §3 connect GitHub ---------------------------------------------------------

    pub async fn install_url(&self) -> Result<models::InstallUrl, ApiError> {
        self.call(Method::GET, routes::INSTALL_URL, None).await
    }

    pub async fn claim(&self, claim: &str) -> Result<models::ClaimResponse, ApiError> {
        let body = json_body(&models::ClaimRequest {
            claim: claim.to_owned(),
        })?;
        self.call(Method::POST, routes::CLAIM, Some(body)).await
    }

    pub async fn rescan_installations(&self) -> Result<models::RescanResponse, ApiError> {
        self.call(Method::POST, routes::RESCAN_INSTALLATIONS, None).await
    }
}

fn json_body<B: Serialize>(body: &B) -> Result<String, ApiError> {
    serde_json::to_string(body).map_err(|e| ApiError::Decode(e.to_string()))
}

fn decode<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|e| ApiError::Decode(e.to_string()))
}

/// Fetches and checks `/assets/config.json` from the dashboard's own origin.
pub async fn load_config() -> Result<RuntimeConfig, config::ConfigError> {
    use config::ConfigError;
    let response = RequestBuilder::new(config::CONFIG_PATH)
        .header("Cache-Control", "no-cache")
        .send()
        .await
        .map_err(|e| ConfigError::Unreachable(e.to_string()))?;
    if !response.ok() {
        return Err(ConfigError::Unreachable(format!(
            "the server answered {}",
            response.status()
        )));
    }
    let text = response
        .text()
        .await
        .map_err(|e| ConfigError::Unreachable(e.to_string()))?;
    let mut config = config::parse_config(&text)?;
    if config.needs_oidc_client_id() {
        // The official dashboard fills a missing client id (and issuer) from the API,
        // giving it 5 seconds, so a hung API cannot hold the dashboard at "Loading".
        let api = Api::with_timeout(Client::new(config.clone(), Callback::new(|_| ())), 5_000);
        let reason = match api.auth_config().await {
            Ok(remote) => {
                config.oidc_client_id = remote.client_id.filter(|c| !c.is_empty());
                if config.oidc_issuer.is_none() {
                    config.oidc_issuer = remote.issuer.filter(|i| !i.is_empty());
                }
                "it is empty, and the API's /api/v1/auth/config has no client id either.".to_owned()
            }
            Err(ApiError::Aborted) => {
                "it is empty, and the API's /api/v1/auth/config did not answer within 5 seconds.".to_owned()
            }
            Err(error) => {
                format!("it is empty, and the API's /api/v1/auth/config could not be read: {error}")
            }
        };
        if config.oidc_client_id.is_none() {
            return Err(ConfigError::Invalid {
                key: "oidcClientId",
                reason,
            });
        }
    }
    Ok(config)
}

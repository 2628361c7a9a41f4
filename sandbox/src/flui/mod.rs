//! The Flui side of the sandbox: the control plane's REST API under `/api/v1`, one module
//! per section of `flui-api.md`, each owning its routes and its tables. It reaches GitHub
//! only over HTTP ([`github_client`]), as Flui does.

mod auth;
mod body;
mod connect;
pub mod cors;
mod credentials;
mod error;
pub mod faults;
mod ghcr_pat;
mod github_client;
mod github_pat;
mod installations;
mod oidc;
mod repositories;
mod setup;
mod webhooks;

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Instant;

use axum::Router;
use axum::extract::{OriginalUri, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;

use crate::options::SandboxOptions;
use crate::vault::Vault;
use error::ApiError;

pub use auth::{User, create_user, expire_access_tokens, revoke_user_tokens, user_by_email};
pub use connect::PendingConnections;
pub use ghcr_pat::{SavedPat, save_ghcr_pat, verify_all as verify_ghcr_pats};
pub use installations::{adopt_github_token, forget_all as forget_installation_records};
pub use setup::{GithubSetup, github_setup, save_github_setup};

/// How the API misbehaves while a test says it is down (see [`FluiState::set_outage`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outage {
    /// A proxy in front of a stopped API: 502 with an HTML page.
    BadGateway,
    /// Something that is not Flui answers: 200 with a body that is not JSON.
    Garbage,
}

pub struct FluiState {
    pub options: SandboxOptions,
    db: Mutex<Connection>,
    pub vault: Vault,
    throttle: Mutex<HashMap<(&'static str, IpAddr), VecDeque<Instant>>>,
    addr: OnceLock<SocketAddr>,
    github_url: OnceLock<String>,
    /// Requests received, by `METHOD /path`.
    requests: Mutex<HashMap<String, usize>>,
    /// How far the tests moved Flui's clock for credentials, in seconds.
    clock_offset: AtomicI64,
    pub pending: PendingConnections,
    credentials_cache: credentials::CredentialsCache,
    outage: Mutex<Option<Outage>>,
    /// Per-route faults a test set.
    pub faults: faults::Faults,
    /// Every access and refresh token issued, in memory only (the database keeps their
    /// hashes), for the tests' scans that no token is left where it must not be.
    issued: Mutex<Vec<String>>,
    /// The OpenID Provider's signing keys (OIDC mode).
    provider_keys: oidc::ProviderKeys,
    pub(crate) oidc_tokens: oidc::SeenTokens,
}

impl FluiState {
    /// Opens (and creates) the database at `path`, and the key beside it.
    pub fn open(options: SandboxOptions, path: &Path) -> std::io::Result<Self> {
        let db = Connection::open(path).map_err(std::io::Error::other)?;
        db.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(std::io::Error::other)?;
        db.execute_batch("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;")
            .map_err(std::io::Error::other)?;
        for schema in [
            auth::SCHEMA,
            setup::SCHEMA,
            connect::SCHEMA,
            installations::SCHEMA,
            ghcr_pat::SCHEMA,
            repositories::SCHEMA,
        ] {
            db.execute_batch(schema).map_err(std::io::Error::other)?;
        }
        Ok(Self {
            vault: Vault::open(&path.with_extension("key"))?,
            options,
            db: Mutex::new(db),
            throttle: Mutex::new(HashMap::new()),
            addr: OnceLock::new(),
            github_url: OnceLock::new(),
            requests: Mutex::new(HashMap::new()),
            clock_offset: AtomicI64::new(0),
            pending: PendingConnections::default(),
            credentials_cache: Default::default(),
            outage: Mutex::new(None),
            faults: Default::default(),
            issued: Default::default(),
            provider_keys: Default::default(),
            oidc_tokens: Default::default(),
        })
    }

    /// The database. A poisoned lock (a panic mid-query) still yields the connection:
    /// SQLite's own transactions keep the data consistent.
    pub fn db(&self) -> MutexGuard<'_, Connection> {
        self.db.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Where this API listens, and GitHub's web origin: known once both are bound.
    pub fn set_addresses(&self, addr: SocketAddr, github_url: String) {
        let _ = self.addr.set(addr);
        let _ = self.github_url.set(github_url.trim_end_matches('/').to_owned());
    }

    pub fn public_url(&self) -> String {
        self.addr.get().map(|a| format!("http://{a}")).unwrap_or_default()
    }

    pub fn github_url(&self) -> String {
        self.github_url.get().cloned().unwrap_or_default()
    }

    /// Where the API sends browsers back to (Flui's `FRONTEND_URL`): the dashboard.
    pub(super) fn frontend_url(&self) -> String {
        self.options
            .frontend_url
            .clone()
            .unwrap_or_else(|| self.public_url())
    }

    /// How many `method path` requests arrived (answered or refused); `path` includes
    /// `/api/v1`.
    pub fn requests(&self, method: &str, path: &str) -> usize {
        let requests = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        requests.get(&format!("{method} {path}")).copied().unwrap_or(0)
    }

    /// Flui's clock for credentials (expiry and verification). Sessions keep real time.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        crate::util::now() + chrono::Duration::seconds(self.clock_offset.load(Ordering::Relaxed))
    }

    pub fn advance_clock(&self, by: chrono::Duration) {
        self.clock_offset.fetch_add(by.num_seconds(), Ordering::Relaxed);
    }

    pub fn remember_issued(&self, tokens: &[&str]) {
        let mut issued = self.issued.lock().unwrap_or_else(|p| p.into_inner());
        issued.extend(tokens.iter().map(|t| (*t).to_owned()));
    }

    /// Every token issued so far: Flui's own, and the OpenID Provider's the API accepted.
    pub fn issued_tokens(&self) -> Vec<String> {
        let mut all = self.issued.lock().unwrap_or_else(|p| p.into_inner()).clone();
        all.extend(self.oidc_tokens.all());
        all
    }

    pub fn set_outage(&self, outage: Option<Outage>) {
        *self.outage.lock().unwrap_or_else(|p| p.into_inner()) = outage;
    }

    fn outage(&self) -> Option<Outage> {
        *self.outage.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `@Throttle`: at most `limit` calls a minute per client address, else 429 with
    /// `retry-after`. On success, the `x-ratelimit-*` headers Flui sends.
    fn throttle(&self, route: &'static str, peer: SocketAddr, limit: usize) -> Result<HeaderMap, ApiError> {
        let mut map = self.throttle.lock().unwrap_or_else(|p| p.into_inner());
        let hits = map.entry((route, peer.ip())).or_default();
        let now = Instant::now();
        while hits
            .front()
            .is_some_and(|t| now.duration_since(*t).as_secs() >= 60)
        {
            hits.pop_front();
        }
        if hits.len() >= limit {
            return Err(ApiError::too_many_requests(60));
        }
        hits.push_back(now);
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("x-ratelimit-limit", limit),
            ("x-ratelimit-remaining", limit - hits.len()),
            ("x-ratelimit-reset", 60),
        ] {
            headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
        }
        Ok(headers)
    }

    /// Uses up the refresh allowance of loopback clients, as ten refreshes in a minute would.
    pub fn exhaust_refresh_limit(&self) {
        let mut map = self.throttle.lock().unwrap_or_else(|p| p.into_inner());
        let hits = map.entry(("refresh", IpAddr::from([127, 0, 0, 1]))).or_default();
        hits.extend(std::iter::repeat_n(Instant::now(), 10));
    }

    /// Lifts every rate limit.
    pub fn reset_limits(&self) {
        self.throttle.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

/// The API: every route under `/api/v1`, Flui's 404 for the rest, its CORS rule.
pub fn router(state: Arc<FluiState>) -> Router {
    let api = Router::new()
        .merge(auth::routes(state.options.generation))
        .merge(setup::routes())
        .merge(connect::routes(state.options.generation))
        .merge(installations::routes())
        .merge(ghcr_pat::routes())
        .merge(github_pat::routes())
        .merge(credentials::routes())
        .merge(repositories::routes())
        .merge(webhooks::routes())
        .fallback(not_found)
        .with_state(state.clone());
    Router::new()
        .nest("/api/v1", api)
        .layer(axum::middleware::from_fn_with_state(state.clone(), observe))
        .layer(axum::middleware::from_fn_with_state(state, cors::cors))
}

/// Express's answer for a route nobody serves.
async fn not_found(method: axum::http::Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::not_found(format!("Cannot {method} {}", uri.path()))
}

/// Counts every request, and answers as a broken API while a test says it is down.
async fn observe(State(state): State<Arc<FluiState>>, request: Request, next: Next) -> Response {
    {
        let key = format!("{} {}", request.method(), request.uri().path());
        let mut requests = state.requests.lock().unwrap_or_else(|p| p.into_inner());
        *requests.entry(key).or_default() += 1;
    }
    let fault = state.faults.take(request.method().as_str(), request.uri().path());
    if let Some(fault) = fault {
        return faults::answer(fault).await;
    }
    match state.outage() {
        None => next.run(request).await,
        Some(Outage::BadGateway) => (
            StatusCode::BAD_GATEWAY,
            [("content-type", "text/html")],
            "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
        )
            .into_response(),
        Some(Outage::Garbage) => (
            StatusCode::OK,
            [("content-type", "text/html")],
            "<!DOCTYPE html><html><body>Welcome to nginx!</body></html>",
        )
            .into_response(),
    }
}

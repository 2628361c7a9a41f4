//! The sandbox: a local Flui API with the same contract as Flui (`flui-api.md`),
//! persistent in SQLite, that can also serve the built dashboard.

mod auth;
mod body;
mod clock;
mod connect;
pub mod cors;
mod db;
pub mod demo;
mod error;
pub mod github;
mod github_client;
mod status;
mod vault;
pub mod web;

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Instant;

use axum::Router;
use axum::extract::OriginalUri;
use axum::http::StatusCode;
use rusqlite::Connection;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use error::ApiError;

/// Which API generation to behave as (see `flui-api.md`, "Versions").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ApiGeneration {
    /// Sends `imageRegistry` and `needed`; the connect flow ends with a claim.
    #[default]
    Newer,
    /// What the official Angular dashboard was written against.
    Older,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AuthMode {
    #[default]
    Local,
    Oidc,
}

#[derive(Clone, Debug)]
pub struct SandboxOptions {
    /// 0 picks a free port.
    pub port: u16,
    /// The SQLite file; the AES key lives beside it (`<name>.key`).
    pub db_path: PathBuf,
    /// Seed demo users and a configured GitHub App into an empty database.
    pub demo: bool,
    /// Serve the built dashboard from here as well as the API.
    pub dist: Option<PathBuf>,
    /// Serve this as `/assets/config.json` instead of one pointing at the sandbox.
    pub config_json: Option<serde_json::Value>,
    pub generation: ApiGeneration,
    pub auth_mode: AuthMode,
    /// `"ghcr"`, or `"flui"` for an instance with its own registry (no GHCR PAT needed).
    pub image_registry: String,
    /// GitHub's web origin; `None` runs the simulated GitHub on `github_port`.
    pub github_url: Option<String>,
    /// Port of the simulated GitHub; 0 picks a free one.
    pub github_port: u16,
    /// Repositories seeded per GitHub account (at least the four named demo ones).
    pub repos_per_account: usize,
    pub access_token_ttl: chrono::Duration,
    pub refresh_token_ttl: chrono::Duration,
    /// CORS inputs, as Flui's environment: FRONTEND_URL, CORS_ORIGINS, API_BASE_URL, NODE_ENV.
    pub frontend_url: Option<String>,
    pub cors_origins: Vec<String>,
    pub api_base_url: Option<String>,
    pub production: bool,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        Self {
            port: 0,
            db_path: PathBuf::from(".sandbox/flui-sandbox.db"),
            demo: true,
            dist: None,
            config_json: None,
            generation: ApiGeneration::Newer,
            auth_mode: AuthMode::Local,
            image_registry: "ghcr".into(),
            github_url: None,
            github_port: 0,
            repos_per_account: 4,
            access_token_ttl: chrono::Duration::minutes(15),
            refresh_token_ttl: chrono::Duration::days(7),
            frontend_url: None,
            cors_origins: Vec::new(),
            api_base_url: None,
            production: false,
        }
    }
}

pub struct AppState {
    pub options: SandboxOptions,
    db: Mutex<Connection>,
    vault: vault::Vault,
    throttle: Mutex<HashMap<(&'static str, IpAddr), VecDeque<Instant>>>,
    addr: OnceLock<SocketAddr>,
    github_addr: OnceLock<SocketAddr>,
    refreshes: std::sync::atomic::AtomicUsize,
    connect_states: Mutex<HashMap<String, connect::PendingState>>,
    claims: Mutex<HashMap<String, connect::PendingClaim>>,
}

impl AppState {
    /// The database. A poisoned lock (a panic mid-query) still yields the connection:
    /// SQLite's own transactions keep the data consistent.
    fn db(&self) -> MutexGuard<'_, Connection> {
        self.db.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn public_url(&self) -> String {
        self.addr.get().map(|a| format!("http://{a}")).unwrap_or_default()
    }

    /// GitHub's web origin: the configured one, or the simulated GitHub's.
    fn github_url(&self) -> String {
        match &self.options.github_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => self
                .github_addr
                .get()
                .map(|a| format!("http://{a}"))
                .unwrap_or_default(),
        }
    }

    /// Where the API sends browsers back to (Flui's `FRONTEND_URL`): the dashboard.
    fn frontend_url(&self) -> String {
        self.options
            .frontend_url
            .clone()
            .unwrap_or_else(|| self.public_url())
    }

    fn connect_states(&self) -> MutexGuard<'_, HashMap<String, connect::PendingState>> {
        self.connect_states.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn claims(&self) -> MutexGuard<'_, HashMap<String, connect::PendingClaim>> {
        self.claims.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `@Throttle`: at most `limit` calls a minute per client address, else 429.
    fn throttle(&self, route: &'static str, peer: SocketAddr, limit: usize) -> Result<(), ApiError> {
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
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "ThrottlerException: Too Many Requests",
            ));
        }
        hits.push_back(now);
        Ok(())
    }
}

/// A running sandbox. Dropping it does not stop it: call [`Sandbox::stop`].
pub struct Sandbox {
    pub addr: SocketAddr,
    pub state: Arc<AppState>,
    shutdown: Vec<oneshot::Sender<()>>,
    tasks: Vec<JoinHandle<()>>,
}

impl Sandbox {
    /// `http://127.0.0.1:<port>`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Test hook: stores a GHCR PAT for `email` that expires in `days` (none when `None`),
    /// as if the user had saved it; `verification` is Flui's last check (`VALID`, `INVALID`).
    pub fn seed_ghcr_pat(&self, email: &str, days: Option<i64>, verification: &str) -> rusqlite::Result<()> {
        let db = self.state.db();
        let user = db::user_by_email(&db, email)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
        let expires_at = days.map(|d| clock::iso(clock::now() + chrono::Duration::days(d)));
        let token = self.state.vault.seal(&format!("ghp_{}", db::random_hex(18)));
        db::save_ghcr_pat(
            &db,
            &user.id,
            &token,
            expires_at.as_deref(),
            "octo-demo",
            &["read:packages"],
            verification,
        )
    }

    /// Test hook: ends every session of `email` on the server (as an expiry or an
    /// administrator would), so its tokens and cookie are refused from now on.
    pub fn end_sessions(&self, email: &str) -> rusqlite::Result<()> {
        let db = self.state.db();
        let user = db::user_by_email(&db, email)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
        db::revoke_user_tokens(&db, &user.id)
    }

    /// How many times `POST /auth/refresh` handed out a new access token.
    pub fn refreshes(&self) -> usize {
        self.state.refreshes.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// GitHub's web origin (the simulated GitHub unless another was configured).
    pub fn github_url(&self) -> String {
        self.state.github_url()
    }

    /// Test hook: every pending connect state and claim expires now, as after 10 minutes.
    pub fn expire_pending_connections(&self) {
        let past = clock::now() - chrono::Duration::seconds(1);
        self.state
            .connect_states()
            .values_mut()
            .for_each(|s| s.expires = past);
        self.state.claims().values_mut().for_each(|c| c.expires = past);
    }

    /// Test hook: the OAuth codes the simulated GitHub has issued, oldest first.
    pub fn issued_oauth_codes(&self) -> Vec<String> {
        let db = self.state.db();
        let Ok(mut stmt) = db.prepare("SELECT code FROM gh_oauth_codes ORDER BY rowid") else {
            return Vec::new();
        };
        stmt.query_map([], |r| r.get(0))
            .map(|rows| rows.flatten().collect())
            .unwrap_or_default()
    }

    /// Test hook: the owners of organisation `org` approve its pending install requests.
    pub fn approve_install_requests(&self, org: &str) -> rusqlite::Result<usize> {
        github::approve_requests(&self.state.db(), org)
    }

    /// Test hook: installs the demo App on GitHub account `login` (all repositories),
    /// outside any Flui round trip, as if done from GitHub's own settings.
    pub fn install_app_on_github(&self, login: &str) -> rusqlite::Result<i64> {
        let db = self.state.db();
        let account = github::account(&db, login)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
        github::save_installation(&db, demo::APP_SLUG, account.id, "all", &[])
    }

    /// Test hook: the instance has no GitHub App configured (as before any admin setup).
    pub fn remove_github_app(&self) -> rusqlite::Result<()> {
        self.state
            .db()
            .execute("DELETE FROM github_setup", [])
            .map(|_| ())
    }

    /// Test hook: Flui forgets its installation records (a stale database), while the
    /// users' GitHub tokens and the installations on GitHub stay.
    pub fn forget_installation_records(&self) -> rusqlite::Result<()> {
        self.state
            .db()
            .execute_batch("DELETE FROM installation_access; DELETE FROM installations;")
    }

    pub async fn stop(self) {
        for shutdown in self.shutdown {
            let _ = shutdown.send(());
        }
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

async fn api_not_found(method: axum::http::Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::not_found(format!("Cannot {method} {}", uri.path()))
}

fn api_and_dashboard(state: &Arc<AppState>, options: &SandboxOptions) -> Router {
    let mut app = api_router(state.clone());
    if let Some(dist) = &options.dist {
        app = app.merge(web::routes(state.clone(), dist));
    }
    app
}

fn api_router(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .merge(auth::routes())
        .merge(status::routes())
        .merge(connect::routes())
        .fallback(api_not_found)
        .with_state(state.clone());
    Router::new()
        .nest("/api/v1", api)
        .layer(axum::middleware::from_fn_with_state(state, cors::cors))
}

/// Opens the database (creating and seeding it as asked), binds 127.0.0.1:`port` and
/// serves until [`Sandbox::stop`].
pub async fn start(options: SandboxOptions) -> std::io::Result<Sandbox> {
    if let Some(dir) = options.db_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let conn = db::open(&options.db_path).map_err(std::io::Error::other)?;
    let vault = vault::Vault::open(&options.db_path.with_extension("key"))?;
    if options.demo {
        demo::seed(&conn, &vault).map_err(std::io::Error::other)?;
    }
    let state = Arc::new(AppState {
        options: options.clone(),
        db: Mutex::new(conn),
        vault,
        throttle: Mutex::new(HashMap::new()),
        addr: OnceLock::new(),
        github_addr: OnceLock::new(),
        refreshes: Default::default(),
        connect_states: Mutex::new(HashMap::new()),
        claims: Mutex::new(HashMap::new()),
    });

    let listener = tokio::net::TcpListener::bind(("127.0.0.1", options.port)).await?;
    let addr = listener.local_addr()?;
    let _ = state.addr.set(addr);
    let mut servers = vec![(listener, api_and_dashboard(&state, &options))];
    if options.github_url.is_none() {
        let github_listener = tokio::net::TcpListener::bind(("127.0.0.1", options.github_port)).await?;
        let _ = state.github_addr.set(github_listener.local_addr()?);
        servers.push((github_listener, github::router(state.clone())));
    }
    if options.demo {
        let db = state.db();
        github::seed_world(&db, options.repos_per_account.max(4)).map_err(std::io::Error::other)?;
        demo::register_app(&db, &state.public_url(), options.github_url.is_none())
            .map_err(std::io::Error::other)?;
    }

    let (mut shutdown, mut tasks) = (Vec::new(), Vec::new());
    for (listener, app) in servers {
        let (stop, on_stop) = oneshot::channel::<()>();
        shutdown.push(stop);
        tasks.push(tokio::spawn(async move {
            let service = app.into_make_service_with_connect_info::<SocketAddr>();
            let result = axum::serve(listener, service)
                .with_graceful_shutdown(async {
                    let _ = on_stop.await;
                })
                .await;
            if let Err(e) = result {
                eprintln!("sandbox: server error: {e}");
            }
        }));
    }
    Ok(Sandbox {
        addr,
        state,
        shutdown,
        tasks,
    })
}

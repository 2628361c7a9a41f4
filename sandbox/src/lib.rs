//! The sandbox: a local Flui API with the same contract as Flui (`flui-api.md`),
//! persistent in SQLite, beside a simulated GitHub on its own port; it can also serve the
//! built dashboard.
//!
//! - [`flui`]: the API, one module per section of the contract.
//! - [`github`]: the simulated GitHub. The two sides talk over HTTP only.
//! - [`hooks`]: what tests may do that no user can (move time on, end sessions …).
//! - [`web`]: the dashboard's static files, its `config.json` and security headers.

mod app_jwt;
pub mod demo;
pub mod flui;
pub mod github;
mod hooks;
mod options;
mod util;
mod vault;
pub mod web;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use flui::FluiState;
pub use flui::Outage;
pub use flui::faults::Fault;
use github::GithubState;
pub use options::{ApiGeneration, AuthMethod, AuthMode, SandboxOptions};

/// A running sandbox. Dropping it does not stop it: call [`Sandbox::stop`].
pub struct Sandbox {
    pub addr: SocketAddr,
    flui: Arc<FluiState>,
    /// The simulated GitHub, unless another GitHub was configured.
    github: Option<Arc<GithubState>>,
    shutdown: Vec<oneshot::Sender<()>>,
    tasks: Vec<JoinHandle<()>>,
}

impl Sandbox {
    /// `http://127.0.0.1:<port>`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The `config.json` that points a dashboard served elsewhere at this sandbox (what
    /// the sandbox serves itself, but for a test's own file).
    pub fn dashboard_config(&self) -> serde_json::Value {
        web::dashboard_config(&self.flui, &self.url())
    }

    /// GitHub's web origin (the simulated GitHub unless another was configured).
    pub fn github_url(&self) -> String {
        self.flui.github_url()
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

/// Opens the database (creating and seeding it as asked), binds 127.0.0.1:`port` (and the
/// simulated GitHub's port) and serves until [`Sandbox::stop`].
pub async fn start(options: SandboxOptions) -> std::io::Result<Sandbox> {
    if let Some(dir) = options.db_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let flui = Arc::new(FluiState::open(options.clone(), &options.db_path)?);
    let github = match options.github_url {
        None => Some(Arc::new(
            GithubState::open(&options.db_path).map_err(std::io::Error::other)?,
        )),
        Some(_) => None,
    };

    let listener = tokio::net::TcpListener::bind(("127.0.0.1", options.port)).await?;
    let addr = listener.local_addr()?;
    let mut servers: Vec<(tokio::net::TcpListener, Router)> = Vec::new();
    let github_url = match &github {
        Some(github) => {
            let github_listener = tokio::net::TcpListener::bind(("127.0.0.1", options.github_port)).await?;
            github.set_addr(github_listener.local_addr()?);
            servers.push((github_listener, github::router(github.clone())));
            github.url()
        }
        None => options.github_url.clone().unwrap_or_default(),
    };
    flui.set_addresses(addr, github_url);

    let mut app = flui::router(flui.clone());
    if let Some(dist) = &options.dist {
        app = app.merge(web::routes(flui.clone(), dist));
    }
    servers.push((listener, app));

    if options.demo {
        let public_url = flui.public_url();
        {
            let db = flui.db();
            demo::seed_flui(&db, &flui.vault, options.auth_method).map_err(std::io::Error::other)?;
            demo::point_app_at(&db, &flui.vault, &public_url).map_err(std::io::Error::other)?;
        }
        if let Some(github) = &github {
            demo::seed_github(&github.db(), &public_url, options.repos_per_account)
                .map_err(std::io::Error::other)?;
        }
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
        flui,
        github,
        shutdown,
        tasks,
    })
}

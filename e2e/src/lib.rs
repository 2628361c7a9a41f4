//! End-to-end harness: each test gets its own sandbox (fresh database, free port), the
//! release build served by its own nginx as in production (or by the sandbox, on one
//! origin with the API), its own chromedriver and headless Chromium, and a [`Page`] with
//! helpers to act, find and check by role, label and visible text.
//!
//! Whatever the test does, the browser and driver are stopped afterwards; on failure the
//! page source and the browser console are printed first.

pub mod browser;
mod elsewhere;
pub mod github;
pub mod nginx;
pub mod oidc;
mod page;

use std::future::Future;
use std::path::PathBuf;

pub use elsewhere::Elsewhere;
pub use flui_sandbox::{ApiGeneration, AuthMethod, AuthMode, Fault, Outage, SandboxOptions, demo};
pub use page::Page;

/// A local port nothing listens on (it was free a moment ago).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

/// The workspace root (the e2e crate's parent folder).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// The built dashboard under test: `FLUI_DIST` (relative to the workspace), or `dist/`
/// (what `cargo xtask test` builds).
pub fn dist_dir() -> PathBuf {
    let dist = std::env::var_os("FLUI_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| "dist".into());
    workspace_root().join(dist)
}

/// Where a test's dashboard is served from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Serving {
    /// As in production: the release build behind a real nginx with the exact
    /// `deploy/nginx.conf`, its config and CSP rendered by `deploy/render.sh`, on an origin
    /// of its own; the API is another origin that allows it (Flui's `FRONTEND_URL`).
    Nginx,
    /// As `cargo xtask dev` serves it: the sandbox serves the pages and the API on one
    /// origin.
    SameOrigin,
}

/// Runs `body` against a fresh sandbox and browser, the dashboard served by nginx as in
/// production ([`Serving::Nginx`]). `configure` adjusts the sandbox (demo data is on); a
/// `config_json` it sets is mounted as nginx's `config.json`, as a ConfigMap would be.
pub async fn run<C, F, Fut>(configure: C, body: F)
where
    C: FnOnce(&mut SandboxOptions),
    F: FnOnce(Page) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_at(Serving::Nginx, free_port(), configure, body).await;
}

/// [`run`] with the pages and the API on one origin ([`Serving::SameOrigin`]): for what
/// only one origin shows (a `Retry-After` Flui does not expose to other origins) and for
/// `config.json` files `deploy/render.sh` would refuse at start-up.
pub async fn run_same_origin<C, F, Fut>(configure: C, body: F)
where
    C: FnOnce(&mut SandboxOptions),
    F: FnOnce(Page) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_at(Serving::SameOrigin, free_port(), configure, body).await;
}

/// The environment `deploy/render.sh` renders the dashboard's config from: the values
/// of the `config.json` the sandbox would serve.
fn render_env(sandbox: &flui_sandbox::Sandbox) -> Vec<(&'static str, String)> {
    let config = sandbox.dashboard_config();
    [
        ("FLUI_API_BASE_URL", "apiBaseUrl"),
        ("FLUI_AUTH_MODE", "authMode"),
        ("FLUI_OIDC_ISSUER", "oidcIssuer"),
        ("FLUI_OIDC_CLIENT_ID", "oidcClientId"),
        ("FLUI_GITHUB_URL", "githubUrl"),
    ]
    .into_iter()
    .map(|(variable, key)| (variable, config[key].as_str().unwrap_or_default().to_owned()))
    .collect()
}

/// Runs `body` with the dashboard served as `serving` says on `port` (chosen beforehand,
/// so that an OpenID Provider can be told the dashboard's address first).
pub(crate) async fn run_at<C, F, Fut>(serving: Serving, port: u16, configure: C, body: F)
where
    C: FnOnce(&mut SandboxOptions),
    F: FnOnce(Page) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let dist = dist_dir();
    assert!(
        dist.join("index.html").is_file(),
        "no built dashboard at {}: run `cargo xtask test`, which builds it first",
        dist.display()
    );
    let data = tempfile::tempdir().expect("a temporary folder for the sandbox database");
    let dashboard = format!("http://127.0.0.1:{port}");
    let mut options = SandboxOptions {
        db_path: data.path().join("flui.db"),
        ..SandboxOptions::default()
    };
    match serving {
        Serving::Nginx => options.frontend_url = Some(dashboard.clone()),
        Serving::SameOrigin => {
            options.port = port;
            options.dist = Some(dist);
        }
    }
    configure(&mut options);
    let mounted = options.config_json.clone();
    let sandbox = flui_sandbox::start(options).await.expect("the sandbox starts");
    let nginx = match serving {
        Serving::Nginx => {
            let config = match &mounted {
                Some(json) => nginx::Config::Mounted(json),
                None => nginx::Config::Env(render_env(&sandbox)),
            };
            Some(nginx::Nginx::start(port, config).await)
        }
        Serving::SameOrigin => None,
    };
    let sandbox = std::sync::Arc::new(sandbox);

    let browser = browser::Browser::launch().await;
    let page = Page::new(browser.client.clone(), sandbox.clone()).served_from(&dashboard);

    let checker = page.clone();
    // The body runs in its own task so that a failed assertion comes back here as an
    // error instead of unwinding past the browser, which would then be orphaned. Every
    // test then fails if a secret it used can be found where it must not be, on a CSP
    // violation the browser reported on the dashboard's pages, or on an error nothing
    // caught (a panic in the wasm among them).
    let outcome = match tokio::spawn(body(page)).await {
        Ok(()) => {
            tokio::spawn(async move {
                checker.expect_no_secret_kept().await;
                checker.expect_clean_console().await;
            })
            .await
        }
        failed => failed,
    };

    if outcome.is_err() {
        browser.dump_diagnostics().await;
    }
    browser.shutdown().await;
    drop(nginx);
    if let Ok(sandbox) = std::sync::Arc::try_unwrap(sandbox) {
        sandbox.stop().await;
    }
    if let Err(error) = outcome {
        match error.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(error) => panic!("the test task failed: {error}"),
        }
    }
}

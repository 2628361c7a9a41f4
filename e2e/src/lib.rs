//! End-to-end harness: each test gets its own sandbox (fresh database, free port) serving
//! the release build, its own chromedriver and headless Chromium, and a [`Page`] with
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

/// Runs `body` against a fresh sandbox and browser. `configure` adjusts the sandbox
/// (demo data is on, the dashboard is served from [`dist_dir`]).
pub async fn run<C, F, Fut>(configure: C, body: F)
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
    let mut options = SandboxOptions {
        db_path: data.path().join("flui.db"),
        dist: Some(dist),
        ..SandboxOptions::default()
    };
    configure(&mut options);
    let sandbox = flui_sandbox::start(options).await.expect("the sandbox starts");
    let sandbox = std::sync::Arc::new(sandbox);

    let browser = browser::Browser::launch().await;
    let page = Page::new(browser.client.clone(), sandbox.clone());

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

//! chromedriver and headless Chromium, started per test and always stopped.

use std::process::Stdio;
use std::time::Duration;

use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};
use tokio::process::{Child, Command};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "chromedriver";

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub async fn launch() -> Self {
        let port = crate::free_port();
        // The profile and Chromium's scratch files (TMPDIR: with `--disable-dev-shm-usage`
        // its shared memory lives there) go in one directory removed when the test ends,
        // even when Chromium is killed rather than closed.
        let profile = tempfile::tempdir().expect("a temporary Chromium profile");
        let scratch = profile.path().join("tmp");
        std::fs::create_dir_all(&scratch).expect("a scratch directory for Chromium");
        let mut driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .env("TMPDIR", &scratch)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {CHROMEDRIVER} (is chromium-driver installed?): {e}"));

        let mut capabilities = Capabilities::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-extensions",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().join("profile").display()),
                ],
            }),
        );
        capabilities.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));

        let url = format!("http://127.0.0.1:{port}");
        let mut last_error = String::new();
        for _ in 0..100 {
            match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Self {
                        client,
                        driver,
                        _profile: profile,
                    };
                }
                Err(e) => last_error = e.to_string(),
            }
            if let Ok(Some(status)) = driver.try_wait() {
                panic!("{CHROMEDRIVER} exited at start ({status})");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let _ = driver.kill().await;
        panic!("could not open a browser session through {CHROMEDRIVER}: {last_error}");
    }

    /// Prints what a failed test needs: where the browser was, the page, the console.
    pub async fn dump_diagnostics(&self) {
        if let Ok(url) = self.client.current_url().await {
            eprintln!("\n---- browser was at: {url}");
        }
        if let Ok(source) = self.client.source().await {
            eprintln!("---- page source ----\n{source}\n---- end of page source ----");
        }
        for line in console_log(&self.client).await {
            eprintln!("console: {line}");
        }
    }

    /// Ends the session (which quits Chromium), then stops chromedriver.
    pub async fn shutdown(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(10), self.client.clone().close()).await;
        let _ = self.driver.kill().await;
    }
}

/// A Chrome DevTools Protocol command through chromedriver:
/// `{"cmd": "Domain.method", "params": {…}}`.
#[derive(Debug)]
pub struct Cdp(pub Value);

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.0.to_string()))
    }
}

/// chromedriver's log endpoint (`goog:loggingPrefs`): the browser console so far.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

pub async fn console_log(client: &Client) -> Vec<String> {
    match client.issue_cmd(BrowserLog).await {
        Ok(Value::Array(entries)) => entries
            .iter()
            .map(|e| {
                format!(
                    "[{}] {}",
                    e.get("level").and_then(Value::as_str).unwrap_or("?"),
                    e.get("message").and_then(Value::as_str).unwrap_or_default()
                )
            })
            .collect(),
        Ok(other) => vec![format!("(unexpected log answer: {other})")],
        Err(e) => vec![format!("(console log unavailable: {e})")],
    }
}

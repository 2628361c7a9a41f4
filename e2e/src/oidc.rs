//! The real OpenID Provider of the OIDC tests (`sandbox/oidc/provider.mjs`, oidc-provider
//! from npm), one per test on a free port; a sign-in through its pages without a
//! browser, for the contract tests; and, for the browser tests, a sandbox in OIDC mode
//! with its own provider and the sign-in through the provider's pages.

use std::future::Future;
use std::process::Stdio;
use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::{Page, free_port, workspace_root};

/// A running provider; stopped when dropped.
pub struct Provider {
    pub issuer: String,
    /// What it reported since it started: `grant <grant_type>`, `end_session`.
    events: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    _child: Child,
}

impl Provider {
    /// Starts the provider for a dashboard served at `dashboard` (its redirect and
    /// post-logout URIs), with access tokens living `access_ttl` seconds.
    pub async fn start(dashboard: &str, access_ttl: u32) -> Self {
        let folder = workspace_root().join("sandbox/oidc");
        assert!(
            folder.join("node_modules/oidc-provider").is_dir(),
            "oidc-provider is not installed: run `cargo xtask test` (it runs npm ci in sandbox/oidc)"
        );
        let port = free_port();
        let mut child = Command::new("node")
            .arg("provider.mjs")
            .args(["--port", &port.to_string(), "--dashboard", dashboard])
            .args(["--access-ttl", &access_ttl.to_string()])
            .current_dir(&folder)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs the provider");
        let stdout = child.stdout.take().expect("the provider's output");
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(std::time::Duration::from_secs(20), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(issuer) = line.strip_prefix("oidc-provider ready ") {
                    return Some(issuer.to_owned());
                }
            }
            None
        })
        .await;
        let issuer = ready.ok().flatten().expect("the provider says it is ready");
        let events = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let heard = events.clone();
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                heard.lock().unwrap_or_else(|p| p.into_inner()).push(line);
            }
        });
        Self {
            issuer,
            events,
            _child: child,
        }
    }

    /// How many times it reported `event` (`grant refresh_token`, `end_session` …).
    pub fn count(&self, event: &str) -> usize {
        let events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        events.iter().filter(|e| e.as_str() == event).count()
    }

    /// `host:port`, as the dashboard names the provider.
    pub fn host(&self) -> &str {
        self.issuer
            .split_once("://")
            .map_or(&self.issuer, |(_, host)| host)
    }
}

/// The tokens a sign-in ends with.
pub struct Tokens {
    pub access_token: String,
    pub id_token: String,
    pub refresh_token: Option<String>,
}

/// Signs `email` in at `provider` through its own pages, as the dashboard's browser would
/// (authorization code with PKCE, redirect to `dashboard`'s callback), and exchanges the
/// code: the tokens the dashboard would hold.
pub async fn sign_in(provider: &Provider, dashboard: &str, email: &str) -> Tokens {
    use base64::Engine;
    use sha2::Digest;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    let verifier = "a-pkce-verifier-long-enough-for-the-provider-0123456789";
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier));
    let redirect = format!("{dashboard}/auth/callback");
    let mut cookies: Vec<String> = Vec::new();
    let mut url = url::Url::parse_with_params(
        &format!("{}/auth", provider.issuer),
        &[
            ("client_id", "flui-dashboard"),
            ("response_type", "code"),
            ("scope", "openid profile email"),
            ("redirect_uri", redirect.as_str()),
            ("state", "contract-state"),
            ("nonce", "contract-nonce"),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ],
    )
    .expect("an authorization URL")
    .to_string();
    let mut form: Option<Vec<(&str, &str)>> = None;
    // Follow the provider's redirects and answer its sign-in page, until it sends the
    // browser back to the dashboard with a code.
    for _ in 0..10 {
        let request = match form.take() {
            Some(fields) => http.post(&url).form(&fields),
            None => http.get(&url),
        };
        let response = request
            .header("cookie", cookies.join("; "))
            .send()
            .await
            .expect("the provider answers");
        for set in response.headers().get_all("set-cookie") {
            if let Some(pair) = set.to_str().ok().and_then(|c| c.split(';').next()) {
                let name = pair.split('=').next().unwrap_or_default().to_owned();
                cookies.retain(|c| !c.starts_with(&format!("{name}=")));
                cookies.push(pair.to_owned());
            }
        }
        if let Some(to) = response.headers().get("location").and_then(|l| l.to_str().ok()) {
            let next = url::Url::parse(&url)
                .and_then(|base| base.join(to))
                .expect("a redirect");
            if next.as_str().starts_with(&redirect) {
                let code = next
                    .query_pairs()
                    .find(|(k, _)| k == "code")
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_else(|| panic!("no code in {next}"));
                return exchange(&http, provider, &redirect, &code, verifier).await;
            }
            url = next.to_string();
            continue;
        }
        let page = response.text().await.unwrap_or_default();
        let action = page
            .split(r#"action=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("no form on the provider's page: {page}"));
        url = action.to_owned();
        form = Some(vec![("prompt", "login"), ("login", email), ("password", "any")]);
    }
    panic!("the provider never sent the browser back");
}

async fn exchange(
    http: &reqwest::Client,
    provider: &Provider,
    redirect: &str,
    code: &str,
    verifier: &str,
) -> Tokens {
    let answer: serde_json::Value = http
        .post(format!("{}/token", provider.issuer))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("code_verifier", verifier),
            ("redirect_uri", redirect),
            ("client_id", "flui-dashboard"),
        ])
        .send()
        .await
        .expect("the token endpoint answers")
        .json()
        .await
        .expect("tokens");
    let text = |name: &str| answer[name].as_str().map(str::to_owned);
    Tokens {
        access_token: text("access_token").unwrap_or_else(|| panic!("no access token: {answer}")),
        id_token: text("id_token").unwrap_or_default(),
        refresh_token: text("refresh_token"),
    }
}

/// Runs `body` against a sandbox in OIDC mode and a provider of its own: the dashboard's
/// port is chosen first, so the provider can register the dashboard's redirect and
/// post-logout URIs on it; access tokens live `access_ttl` seconds.
pub async fn run<C, F, Fut>(access_ttl: u32, configure: C, body: F)
where
    C: FnOnce(&mut crate::SandboxOptions) + Send + 'static,
    F: FnOnce(Page, Arc<Provider>) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let port = free_port();
    let provider = Arc::new(Provider::start(&format!("http://127.0.0.1:{port}"), access_ttl).await);
    let issuer = provider.issuer.clone();
    let for_body = provider.clone();
    crate::run_at(
        crate::Serving::Nginx,
        port,
        move |o| {
            o.auth_mode = crate::AuthMode::Oidc;
            o.oidc_issuer = Some(issuer);
            configure(o);
        },
        move |page| body(page, for_body),
    )
    .await;
}

/// On the dashboard's sign-in page: "Sign in with <provider>", then the provider's own
/// sign-in form as `email` (the provider's development pages take any password). The
/// provider then sends the browser back to `/auth/callback`.
pub async fn sign_in_at_provider(page: &Page, provider: &Provider, email: &str) {
    page.click_button(&format!("Sign in with {}", provider.host()))
        .await;
    fill_provider_login(page, provider, email).await;
}

/// From the dashboard's sign-in page: "Sign in with <provider>", until the provider's
/// own sign-in form shows (not filled).
pub async fn open_provider_sign_in(page: &Page, provider: &Provider) {
    page.goto("/").await;
    page.click_button(&format!("Sign in with {}", provider.host()))
        .await;
    provider_login_field(page, provider).await;
}

/// The login field of the provider's sign-in form, once it shows.
async fn provider_login_field(page: &Page, provider: &Provider) -> fantoccini::elements::Element {
    page.client
        .wait()
        .at_most(std::time::Duration::from_secs(10))
        .for_element(fantoccini::Locator::Css("input[name=login]"))
        .await
        .unwrap_or_else(|e| panic!("no sign-in form at {}: {e}", provider.issuer))
}

/// Fills and sends the provider's sign-in form, once the browser is on it.
pub async fn fill_provider_login(page: &Page, provider: &Provider, email: &str) {
    let login = provider_login_field(page, provider).await;
    login.send_keys(email).await.expect("type the login");
    let password = page
        .client
        .find(fantoccini::Locator::Css("input[name=password]"))
        .await
        .expect("the password field");
    password
        .send_keys("any password")
        .await
        .expect("type the password");
    page.click_button("Sign-in").await;
}

/// Signs in from the dashboard's home as `email` and waits for the overview.
pub async fn sign_in_to_overview(page: &Page, provider: &Provider, email: &str) {
    page.goto("/").await;
    page.expect_page("Sign in to Flui").await;
    sign_in_at_provider(page, provider, email).await;
    page.expect_page("Overview").await;
}

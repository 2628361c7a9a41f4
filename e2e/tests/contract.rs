//! The contract, checked from both ends: every body the sandbox answers (successes and
//! Flui's error bodies, in both API generations and both integration modes) decodes into
//! the dashboard's own API types, through the dashboard's own decoder. The sandbox shares
//! no code with the dashboard, so a misreading on either side fails here.

use e2e::github::send_webhook;
use flui_dashboard::api::auth::{AuthConfig, Me, Permissions, TokenResponse};
use flui_dashboard::api::connect::{ClaimResponse, GithubStatus, InstallUrl};
use flui_dashboard::api::credentials::{CredentialKind, CredentialsStatus};
use flui_dashboard::api::ghcr_pat::{CredentialStatus, GhcrPatStatus};
use flui_dashboard::api::github_pat::{PatCheck, PatConnected};
use flui_dashboard::api::installations::RescanResponse;
use flui_dashboard::api::repositories::{AvailableRepo, ImportResult, ImportStatus, Repository};
use flui_dashboard::api::setup::{AuthMethod as Method, SetupStatus};
use flui_dashboard::api::{ApiError, Decode, ErrorKind, decode};
use flui_sandbox::{ApiGeneration, AuthMethod, AuthMode, SandboxOptions, demo};
use reqwest::header::{AUTHORIZATION, LOCATION};
use reqwest::{Client, StatusCode, redirect};
use serde_json::json;

struct Api {
    sandbox: flui_sandbox::Sandbox,
    http: Client,
    _data: tempfile::TempDir,
}

impl Api {
    async fn start(configure: impl FnOnce(&mut SandboxOptions)) -> Self {
        let data = tempfile::tempdir().expect("a temporary folder");
        let mut options = SandboxOptions {
            db_path: data.path().join("flui.db"),
            ..SandboxOptions::default()
        };
        configure(&mut options);
        let sandbox = flui_sandbox::start(options).await.expect("the sandbox starts");
        let http = Client::builder()
            .redirect(redirect::Policy::none())
            .build()
            .expect("an HTTP client");
        Self {
            sandbox,
            http,
            _data: data,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.sandbox.url())
    }

    /// One request; the status and the body as text.
    async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> (u16, String) {
        let mut request = self
            .http
            .request(method.parse().expect("a method"), self.url(path));
        if let Some(token) = token {
            request = request.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("an answer");
        let status = response.status().as_u16();
        (status, response.text().await.expect("a body"))
    }

    /// A success, decoded as the dashboard decodes it.
    async fn ok<T: Decode>(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> T {
        let (status, text) = self.send(method, path, token, body).await;
        assert!((200..300).contains(&status), "{method} {path}: {status} {text}");
        decode(&text).unwrap_or_else(|e| panic!("{method} {path}: {e}\n{text}"))
    }

    /// A refusal, read as the dashboard reads it.
    async fn refused(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> ApiError {
        let (status, text) = self.send(method, path, token, body).await;
        assert!(status >= 400, "{method} {path}: {status} {text}");
        let error = ApiError::from_response(status, &text);
        assert!(!error.messages().is_empty(), "Flui's body has a message: {text}");
        error
    }

    async fn sign_in(&self, account: &demo::DemoAccount) -> TokenResponse {
        let body = json!({ "email": account.email, "password": account.password });
        self.ok("POST", "/auth/login", None, Some(body)).await
    }
}

#[tokio::test]
async fn auth_answers_decode_in_both_generations() {
    for generation in [ApiGeneration::Newer, ApiGeneration::Older] {
        let api = Api::start(|o| o.generation = generation).await;
        let tokens = api.sign_in(&demo::ADMIN).await;
        let refresh = tokens.refresh_token.clone().expect("a refresh token");
        let token = Some(tokens.access_token.as_str());

        let me: Me = api.ok("GET", "/auth/me", token, None).await;
        assert_eq!((me.email.as_str(), me.is_admin), (demo::ADMIN.email, Some(true)));
        match generation {
            ApiGeneration::Newer => {
                assert_eq!(me.label(), demo::ADMIN.name);
                let p: Permissions = api.ok("GET", "/me/permissions", token, None).await;
                assert!(p.permissions.iter().flatten().any(|p| p == "integration:manage"));
            }
            ApiGeneration::Older => {
                // §10: no name, and no /me/permissions at all.
                assert_eq!(me.label(), demo::ADMIN.email);
                let missing = api.refused("GET", "/me/permissions", token, None).await;
                assert_eq!(missing.kind(), ErrorKind::NotFound);
            }
        }
        let renewed: TokenResponse = api
            .ok(
                "POST",
                "/auth/refresh",
                None,
                Some(json!({ "refresh_token": refresh })),
            )
            .await;
        assert_ne!(renewed.access_token, tokens.access_token);
        let config: AuthConfig = api.ok("GET", "/auth/config", None, None).await;
        assert_eq!(config.auth_mode.as_deref(), Some("local"));
        api.sandbox.stop().await;
    }
}

#[tokio::test]
async fn the_access_token_says_when_it_expires() {
    let api = Api::start(|o| o.access_token_ttl = chrono::Duration::seconds(20)).await;
    let tokens = api.sign_in(&demo::USER).await;
    let expires = flui_dashboard::api::auth::token_expiry_ms(&tokens.access_token).expect("a JWT with exp");
    let now = chrono::Utc::now().timestamp_millis() as f64;
    assert!(
        (now + 15_000.0..now + 25_000.0).contains(&expires),
        "{expires} vs {now}"
    );
    api.sandbox.stop().await;
}

#[tokio::test]
async fn a_real_providers_access_tokens_sign_in_and_make_the_session_cookie() {
    use e2e::oidc::{Provider, sign_in};
    let dashboard = "http://127.0.0.1:9";
    let provider = Provider::start(dashboard, 900).await;
    let api = Api::start(|o| {
        o.auth_mode = AuthMode::Oidc;
        o.oidc_issuer = Some(provider.issuer.clone());
    })
    .await;
    let config: AuthConfig = api.ok("GET", "/auth/config", None, None).await;
    assert_eq!(config.issuer.as_deref(), Some(provider.issuer.as_str()));

    // The provider's RS256 access token, for this API's audience, names the user.
    let tokens = sign_in(&provider, dashboard, demo::ADMIN.email).await;
    assert!(tokens.refresh_token.is_some() && !tokens.id_token.is_empty());
    let token = Some(tokens.access_token.as_str());
    let me: Me = api.ok("GET", "/auth/me", token, None).await;
    assert_eq!((me.email.as_str(), me.is_admin), (demo::ADMIN.email, Some(true)));

    // A token altered after signing, or not a JWT, is the guard's 401.
    let mut parts: Vec<String> = tokens.access_token.split('.').map(str::to_owned).collect();
    parts[1] = parts[1].chars().rev().collect();
    for forged in [parts.join("."), "not-a-token".to_owned()] {
        let refused = api.refused("GET", "/auth/me", Some(&forged), None).await;
        assert_eq!(refused.kind(), ErrorKind::Unauthorized);
    }

    // oidc-session turns the bearer into the flui_session cookie, which alone signs in.
    let session = api
        .http
        .post(api.url("/auth/oidc-session"))
        .bearer_auth(&tokens.access_token)
        .send()
        .await
        .expect("an answer");
    assert_eq!(session.status(), StatusCode::OK);
    let cookie = session
        .headers()
        .get("set-cookie")
        .and_then(|c| c.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        cookie.starts_with("flui_session=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap_or_default();
    let by_cookie = api
        .http
        .get(api.url("/auth/me"))
        .header("cookie", pair)
        .send()
        .await
        .expect("an answer");
    assert_eq!(by_cookie.status(), StatusCode::OK);
    let unsigned = api
        .http
        .post(api.url("/auth/oidc-session"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(unsigned.status(), StatusCode::UNAUTHORIZED);
    api.sandbox.stop().await;
}

#[tokio::test]
async fn the_oidc_config_decodes() {
    let api = Api::start(|o| o.auth_mode = AuthMode::Oidc).await;
    let config: AuthConfig = api.ok("GET", "/auth/config", None, None).await;
    assert_eq!(config.client_id.as_deref(), Some("flui-dashboard"));
    let refused = api
        .refused(
            "POST",
            "/auth/login",
            None,
            Some(json!({ "email": "a@b.c", "password": "x" })),
        )
        .await;
    assert_eq!(refused.status(), Some(501));
    api.sandbox.stop().await;
}

#[tokio::test]
async fn status_reads_decode_in_every_mode() {
    for (generation, method) in [
        (ApiGeneration::Newer, AuthMethod::GithubApp),
        (ApiGeneration::Older, AuthMethod::GithubApp),
        (ApiGeneration::Newer, AuthMethod::Pat),
    ] {
        let api = Api::start(|o| {
            o.generation = generation;
            o.auth_method = method;
        })
        .await;
        let tokens = api.sign_in(&demo::USER).await;
        let token = Some(tokens.access_token.as_str());

        let setup: SetupStatus = api
            .ok("GET", "/repositories/github/setup/status", token, None)
            .await;
        let expected = match method {
            AuthMethod::GithubApp => Method::GithubApp,
            AuthMethod::Pat => Method::Pat,
        };
        assert_eq!(setup.auth_method, Some(expected));
        assert_eq!(setup.image_registry.is_some(), generation == ApiGeneration::Newer);

        let github: GithubStatus = api.ok("GET", "/repositories/github/status", token, None).await;
        assert!(!github.connected);

        let pat: GhcrPatStatus = api
            .ok("GET", "/repositories/github-app/packages-pat/status", token, None)
            .await;
        assert_eq!(pat.status, Some(CredentialStatus::Missing));
        assert_eq!(pat.needed.is_some(), generation == ApiGeneration::Newer);

        api.sandbox
            .seed_ghcr_pat(demo::USER.email, Some(5), "VALID")
            .expect("seed a PAT");
        let pat: GhcrPatStatus = api
            .ok("GET", "/repositories/github-app/packages-pat/status", token, None)
            .await;
        assert_eq!(pat.status, Some(CredentialStatus::ExpiringSoon));
        assert_eq!(pat.days_until_expiry, Some(5));

        if method == AuthMethod::Pat {
            // PAT mode has no App: install-url is refused as "not set up".
            let refused = api
                .refused("GET", "/repositories/github-app/install-url", token, None)
                .await;
            assert!(refused.is_integration_not_set_up(), "{refused}");
        }
        api.sandbox.stop().await;
    }
}

#[tokio::test]
async fn the_whole_connect_round_trip_decodes_in_both_generations() {
    for generation in [ApiGeneration::Newer, ApiGeneration::Older] {
        let api = Api::start(|o| o.generation = generation).await;
        let tokens = api.sign_in(&demo::USER).await;
        let token = Some(tokens.access_token.as_str());

        let start: InstallUrl = api
            .ok("GET", "/repositories/github-app/install-url", token, None)
            .await;
        assert!(!start.already_connected);
        assert_eq!(start.login, None);
        let authorize = start.install_url.expect("an authorize URL");
        assert!(authorize.starts_with(&format!("{}/login/oauth/authorize?", api.sandbox.github_url())));
        let state = url::Url::parse(&authorize)
            .ok()
            .and_then(|u| {
                u.query_pairs()
                    .find(|(k, _)| k == "state")
                    .map(|(_, v)| v.into_owned())
            })
            .expect("a state");

        // On the simulated GitHub: sign in as uma-dev, authorise, follow the redirect.
        let github = api.sandbox.github_url();
        let consent = api
            .http
            .post(format!("{github}/login/oauth/authorize"))
            .header("cookie", "gh_sim_user=uma-dev")
            .form(&[("client_id", "Iv1.sandbox0client"), ("state", state.as_str())])
            .send()
            .await
            .expect("consent");
        let callback = location(&consent);
        let landing = api.http.get(&callback).send().await.expect("the callback");
        let landing = url::Url::parse(&location(&landing)).expect("the landing URL");
        assert_eq!(landing.path(), "/github/installed");
        let query: Vec<(String, String)> = landing.query_pairs().into_owned().collect();
        assert!(
            !query.iter().any(|(k, _)| k == "setup_action"),
            "Flui passes no setup_action on: {query:?}"
        );
        match generation {
            ApiGeneration::Newer => {
                let claim = query
                    .iter()
                    .find(|(k, _)| k == "claim")
                    .map(|(_, v)| v.clone())
                    .expect("a claim");
                let done: ClaimResponse = api
                    .ok(
                        "POST",
                        "/repositories/github-app/claim",
                        token,
                        Some(json!({ "claim": claim })),
                    )
                    .await;
                assert_eq!((done.login.as_str(), done.installation_id()), ("uma-dev", None));
                let again = api
                    .refused(
                        "POST",
                        "/repositories/github-app/claim",
                        token,
                        Some(json!({ "claim": claim })),
                    )
                    .await;
                assert_eq!(again.kind(), ErrorKind::Invalid);
            }
            ApiGeneration::Older => {
                assert!(
                    query.contains(&("status".into(), "connected".into())),
                    "{query:?}"
                );
                assert!(query.contains(&("login".into(), "uma-dev".into())), "{query:?}");
                let missing = api
                    .refused(
                        "POST",
                        "/repositories/github-app/claim",
                        token,
                        Some(json!({ "claim": "x" })),
                    )
                    .await;
                assert_eq!(missing.kind(), ErrorKind::NotFound);
            }
        }
        // Authorised, nothing installed: the next start goes to the install page.
        let next: InstallUrl = api
            .ok("GET", "/repositories/github-app/install-url", token, None)
            .await;
        assert!(next.install_url.is_some_and(|u| u.contains("/installations/new")));
        assert_eq!(next.needs_install, Some(generation == ApiGeneration::Newer));

        api.sandbox.install_app_on_github("uma-dev").expect("install");
        let rescan: RescanResponse = api
            .ok(
                "POST",
                "/repositories/github-app/rescan-installations",
                token,
                None,
            )
            .await;
        assert_eq!(rescan.count, 1);
        let github: GithubStatus = api.ok("GET", "/repositories/github/status", token, None).await;
        assert_eq!(
            (github.connected, github.github_username.as_deref()),
            (true, Some("uma-dev"))
        );
        let done: InstallUrl = api
            .ok("GET", "/repositories/github-app/install-url", token, None)
            .await;
        assert!(done.already_connected);
        assert_eq!(done.login.is_some(), generation == ApiGeneration::Newer);
        api.sandbox.stop().await;
    }
}

fn location(response: &reqwest::Response) -> String {
    assert_eq!(response.status(), StatusCode::FOUND, "{response:?}");
    response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .expect("a Location")
        .to_owned()
}

#[tokio::test]
async fn error_bodies_read_as_the_dashboard_expects() {
    for generation in [ApiGeneration::Newer, ApiGeneration::Older] {
        let api = Api::start(|o| o.generation = generation).await;
        let user = api.sign_in(&demo::USER).await;
        let token = Some(user.access_token.as_str());

        // The guard's bare 401, with and without a token.
        for bad in [None, Some("not-a-token")] {
            let e = api.refused("GET", "/auth/me", bad, None).await;
            assert_eq!(
                (e.kind(), e.messages()),
                (ErrorKind::Unauthorized, &["Unauthorized".to_owned()][..])
            );
        }
        let wrong = api
            .refused(
                "POST",
                "/auth/login",
                None,
                Some(json!({ "email": demo::USER.email, "password": "nope" })),
            )
            .await;
        assert!(wrong.says("Invalid credentials"));
        // Validation: a list; a malformed body: one string.
        let invalid = api
            .refused("POST", "/auth/login", None, Some(json!({ "email": 1 })))
            .await;
        assert_eq!(
            (invalid.kind(), invalid.messages().len()),
            (ErrorKind::Invalid, 2)
        );
        let (status, text) = {
            let response = api
                .http
                .post(api.url("/auth/login"))
                .header("content-type", "application/json")
                .body("{not json")
                .send()
                .await
                .expect("an answer");
            (response.status().as_u16(), response.text().await.expect("a body"))
        };
        assert_eq!(ApiError::from_response(status, &text).kind(), ErrorKind::Invalid);
        // The admin gate words differ by generation; both read as Forbidden.
        let forbidden = api
            .refused("GET", "/repositories/github-app/installations", token, None)
            .await;
        assert_eq!(forbidden.kind(), ErrorKind::Forbidden);
        assert!(forbidden.says(match generation {
            ApiGeneration::Newer => "Missing required permission: integration:manage",
            ApiGeneration::Older => "Admin access required",
        }));
        let unknown = api.refused("GET", "/no/such/route", token, None).await;
        assert!(unknown.says("Cannot GET /api/v1/no/such/route"));
        let rescan = api
            .refused(
                "POST",
                "/repositories/github-app/rescan-installations",
                token,
                None,
            )
            .await;
        assert_eq!(rescan.kind(), ErrorKind::Invalid);
        // The throttle: five sign-ins a minute, then 429 with Flui's body.
        let mut last = None;
        for _ in 0..6 {
            last = Some(
                api.send(
                    "POST",
                    "/auth/login",
                    None,
                    Some(json!({ "email": "x@y.z", "password": "p" })),
                )
                .await,
            );
        }
        let (status, text) = last.expect("six attempts");
        assert_eq!(
            ApiError::from_response(status, &text).kind(),
            ErrorKind::TooManyRequests
        );
        api.sandbox.stop().await;
    }
}

/// Mints a personal access token on the simulated GitHub, as `login`, the way a user does
/// on its token page; the token as the page shows it once.
async fn mint_token(api: &Api, login: &str, fine_grained: bool, grants: &[&str]) -> String {
    let github = api.sandbox.github_url();
    let (path, field) = if fine_grained {
        ("personal-access-tokens", "permission")
    } else {
        ("tokens", "scope")
    };
    let mut form: Vec<(&str, &str)> = vec![("note", "contract test"), ("expiration", "30")];
    form.extend(grants.iter().map(|g| (field, *g)));
    let page = api
        .http
        .post(format!("{github}/settings/{path}"))
        .header("cookie", format!("gh_sim_user={login}"))
        .form(&form)
        .send()
        .await
        .expect("the token page")
        .text()
        .await
        .expect("its HTML");
    let start = page.find("value=\"").expect("the token is shown") + "value=\"".len();
    page[start..].split('"').next().expect("the token").to_owned()
}

fn in_days(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[tokio::test]
async fn the_ghcr_token_writes_decode_and_refuse_as_flui_does() {
    let api = Api::start(|_| {}).await;
    let tokens = api.sign_in(&demo::USER).await;
    let token = Some(tokens.access_token.as_str());
    const PAT: &str = "/repositories/github-app/packages-pat";

    let missing = api
        .refused(
            "PUT",
            &format!("{PAT}/rotate"),
            token,
            Some(json!({ "token": "ghp_x", "expiresAt": in_days(30) })),
        )
        .await;
    assert_eq!(missing.kind(), ErrorKind::NotFound);

    let prefix = api
        .refused(
            "POST",
            PAT,
            token,
            Some(json!({ "token": "gho_oauth", "expiresAt": "soon" })),
        )
        .await;
    assert_eq!(
        prefix.messages(),
        [
            "Token must start with ghp_ or github_pat_",
            "expiresAt must be a valid ISO 8601 date string"
        ]
    );
    let no_read = mint_token(&api, "uma-dev", false, &["repo", "workflow"]).await;
    let scope = api
        .refused(
            "POST",
            PAT,
            token,
            Some(json!({ "token": no_read, "expiresAt": in_days(30) })),
        )
        .await;
    assert!(
        scope.says("PAT is missing required scope read:packages (granted scopes: repo, workflow)"),
        "{scope}"
    );
    let soon = api
        .refused(
            "POST",
            PAT,
            token,
            Some(json!({ "token": no_read, "expiresAt": in_days(0) })),
        )
        .await;
    assert!(
        soon.says("expiresAt must be at least 1 day in the future"),
        "{soon}"
    );
    let bad = api
        .refused(
            "POST",
            PAT,
            token,
            Some(json!({ "token": "ghp_notatoken", "expiresAt": in_days(30) })),
        )
        .await;
    assert!(bad.says("Invalid GitHub PAT: Bad credentials"), "{bad}");

    let good = mint_token(&api, "uma-dev", false, &["read:packages", "delete:packages"]).await;
    let saved: GhcrPatStatus = api
        .ok(
            "POST",
            PAT,
            token,
            Some(json!({ "token": format!("  {good}\n"), "expiresAt": in_days(60) })),
        )
        .await;
    assert_eq!(
        (saved.status.clone(), saved.github_login.as_deref()),
        (Some(CredentialStatus::Valid), Some("uma-dev"))
    );
    assert_eq!(
        saved.scopes,
        Some(vec!["read:packages".to_owned(), "delete:packages".to_owned()])
    );
    assert_eq!(saved.last_rotated_at, None);

    let moved: GhcrPatStatus = api
        .ok(
            "PATCH",
            &format!("{PAT}/expiry"),
            token,
            Some(json!({ "expiresAt": in_days(10) })),
        )
        .await;
    assert_eq!(moved.status, Some(CredentialStatus::ExpiringSoon));

    let fine = mint_token(&api, "uma-dev", true, &["packages:read"]).await;
    let rotated: GhcrPatStatus = api
        .ok(
            "PUT",
            &format!("{PAT}/rotate"),
            token,
            Some(json!({ "token": fine, "expiresAt": in_days(90) })),
        )
        .await;
    assert!(rotated.last_rotated_at.is_some());
    assert_eq!(
        rotated.scopes,
        Some(Vec::new()),
        "a fine-grained token lists no scopes"
    );

    let (status, _) = api.send("DELETE", PAT, token, None).await;
    assert_eq!(status, 200);
    let gone: GhcrPatStatus = api.ok("GET", &format!("{PAT}/status"), token, None).await;
    assert_eq!(
        (gone.configured, gone.status),
        (false, Some(CredentialStatus::Missing))
    );
    api.sandbox.stop().await;
}

#[tokio::test]
async fn with_github_out_of_reach_a_token_save_fails_as_flui_does() {
    // Nothing listens there: Flui's call to GitHub fails, and Nest answers a bare 500.
    let dead = format!("http://127.0.0.1:{}", e2e::free_port());
    let api = Api::start(|o| o.github_url = Some(dead)).await;
    let tokens = api.sign_in(&demo::USER).await;
    let body = json!({ "token": "ghp_abcdef0123456789", "expiresAt": in_days(30) });
    let (status, text) = api
        .send(
            "POST",
            "/repositories/github-app/packages-pat",
            Some(&tokens.access_token),
            Some(body),
        )
        .await;
    assert_eq!(status, 500);
    let body: serde_json::Value = serde_json::from_str(&text).expect("a JSON body");
    assert_eq!(
        body,
        json!({ "statusCode": 500, "message": "Internal server error" })
    );
    let error = ApiError::from_response(status, &text);
    assert_eq!(error.kind(), ErrorKind::Server);
}

#[tokio::test]
async fn a_token_revoked_on_github_is_invalid_after_the_daily_check() {
    let api = Api::start(|_| {}).await;
    let tokens = api.sign_in(&demo::USER).await;
    let token = Some(tokens.access_token.as_str());
    let pat = mint_token(&api, "uma-dev", false, &["read:packages"]).await;
    let _: GhcrPatStatus = api
        .ok(
            "POST",
            "/repositories/github-app/packages-pat",
            token,
            Some(json!({ "token": pat, "expiresAt": in_days(30) })),
        )
        .await;
    // Revoked on GitHub (its settings page lists the token with a Revoke button).
    let github = api.sandbox.github_url();
    let list = api
        .http
        .get(format!("{github}/settings/tokens"))
        .header("cookie", "gh_sim_user=uma-dev")
        .send()
        .await
        .expect("the token list")
        .text()
        .await
        .expect("its HTML");
    let revoke = list
        .split("action=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a revoke form");
    let revoked = api
        .http
        .post(format!("{github}{revoke}"))
        .header("cookie", "gh_sim_user=uma-dev")
        .send()
        .await
        .expect("revoke");
    assert_eq!(revoked.status(), StatusCode::FOUND);
    api.sandbox.verify_ghcr_pats().await.expect("the daily check");
    let after: GhcrPatStatus = api
        .ok("GET", "/repositories/github-app/packages-pat/status", token, None)
        .await;
    assert_eq!(after.status, Some(CredentialStatus::Invalid));
    api.sandbox.stop().await;
}

#[tokio::test]
async fn credentials_status_decodes_in_both_generations() {
    for (generation, registry) in [
        (ApiGeneration::Newer, "ghcr"),
        (ApiGeneration::Older, "ghcr"),
        (ApiGeneration::Newer, "flui"),
    ] {
        let api = Api::start(|o| {
            o.generation = generation;
            o.image_registry = registry.into();
        })
        .await;
        let tokens = api.sign_in(&demo::USER).await;
        let token = Some(tokens.access_token.as_str());
        let status: CredentialsStatus = api.ok("GET", "/credentials/status", token, None).await;
        let items = status.items.expect("items");
        assert_eq!(items[0].kind, CredentialKind::GithubApp);
        assert_eq!(items[0].status, CredentialStatus::Missing);
        assert_eq!(items[0].action_url.as_deref(), Some("/apps/repositories"));
        let ghcr = items.iter().find(|i| i.kind == CredentialKind::GhcrPat);
        assert_eq!(ghcr.is_some(), registry == "ghcr", "{generation:?} {registry}");
        assert_eq!(status.overall_status, Some(CredentialStatus::Missing));
        api.sandbox.stop().await;
    }
}

#[tokio::test]
async fn pat_mode_connects_with_a_token() {
    let api = Api::start(|o| o.auth_method = AuthMethod::Pat).await;
    let tokens = api.sign_in(&demo::USER).await;
    let token = Some(tokens.access_token.as_str());
    let pat = mint_token(&api, "uma-dev", false, &["repo", "read:packages"]).await;
    let check: PatCheck = api
        .ok(
            "POST",
            "/repositories/github/validate-pat",
            token,
            Some(json!({ "token": pat })),
        )
        .await;
    assert!(check.valid);
    assert_eq!(check.login.as_deref(), Some("uma-dev"));
    assert!(
        check
            .missing_scopes
            .unwrap_or_default()
            .contains(&"workflow".to_owned())
    );
    let refused: PatCheck = api
        .ok(
            "POST",
            "/repositories/github/validate-pat",
            token,
            Some(json!({ "token": "ghp_nope" })),
        )
        .await;
    assert_eq!(
        (refused.valid, refused.error.as_deref()),
        (false, Some("invalid_token"))
    );

    let connected: PatConnected = api
        .ok(
            "POST",
            "/repositories/github/connect-pat",
            token,
            Some(json!({ "personalAccessToken": pat })),
        )
        .await;
    assert_eq!(connected.github_username.as_deref(), Some("uma-dev"));
    let github: GithubStatus = api.ok("GET", "/repositories/github/status", token, None).await;
    assert!(github.connected);
    let (status, _) = api
        .send("POST", "/repositories/github/disconnect", token, None)
        .await;
    assert_eq!(status, 204);
    let again = api
        .refused("POST", "/repositories/github/disconnect", token, None)
        .await;
    assert_eq!(again.kind(), ErrorKind::NotFound);
    api.sandbox.stop().await;

    // In App mode, connecting with a token is refused with Flui's words.
    let api = Api::start(|_| {}).await;
    let tokens = api.sign_in(&demo::USER).await;
    let refused = api
        .refused(
            "POST",
            "/repositories/github/connect-pat",
            Some(&tokens.access_token),
            Some(json!({ "personalAccessToken": "ghp_x" })),
        )
        .await;
    assert!(refused.messages()[0].starts_with("GitHub is configured in GitHub App mode."));
    api.sandbox.stop().await;
}

#[tokio::test]
async fn repositories_list_import_and_disconnect_as_flui_does() {
    for generation in [ApiGeneration::Newer, ApiGeneration::Older] {
        let api = Api::start(|o| o.generation = generation).await;
        let tokens = api.sign_in(&demo::USER).await;
        let token = Some(tokens.access_token.as_str());
        // Not connected yet: nothing reachable.
        let none: Vec<AvailableRepo> = api.ok("GET", "/repositories/available", token, None).await;
        assert!(none.is_empty());

        api.sandbox.install_app_on_github("uma-dev").expect("install");
        api.sandbox.install_app_on_github("uma-labs").expect("install");
        api.sandbox
            .connect_github(demo::USER.email, "uma-dev")
            .await
            .expect("connected");
        let available: Vec<AvailableRepo> = api.ok("GET", "/repositories/available", token, None).await;
        let names: Vec<_> = available.iter().filter_map(|r| r.full_name.clone()).collect();
        assert!(names.contains(&"uma-dev/api".to_owned()), "{names:?}");
        assert!(names.contains(&"uma-labs/web".to_owned()), "{names:?}");
        assert!(
            available
                .iter()
                .all(|r| r.github_id().is_some() && r.is_imported == Some(false))
        );
        let docs = available
            .iter()
            .find(|r| r.full_name.as_deref() == Some("uma-dev/worker"));
        // An empty description: "" in the contract's DTO, null from a running older server.
        let empty = docs.and_then(|r| r.description.clone());
        assert_eq!(empty, (generation == ApiGeneration::Newer).then(String::new));

        let body = json!({ "repositoryIds": ["uma-dev/api", "uma-labs/web"], "autoDeployEnabled": true });
        let first: ImportResult = api.ok("POST", "/repositories/import", token, Some(body)).await;
        assert_eq!(
            (first.imported, first.skipped, first.failed),
            (Some(2), Some(0), Some(0))
        );
        assert_eq!(first.errors, None);

        // A mixed import: one already there, one on an owner without the App, one malformed.
        let body = json!({ "repositoryIds": ["uma-dev/api", "acme/api", "nonsense", "uma-dev/docs"] });
        let (status, text) = api.send("POST", "/repositories/import", token, Some(body)).await;
        assert_eq!(status, 201, "a partial failure is still 201: {text}");
        let mixed: ImportResult = decode(&text).expect("an import result");
        assert_eq!(
            (mixed.imported, mixed.skipped, mixed.failed),
            (Some(1), Some(1), Some(2))
        );
        let rows = mixed.repositories.unwrap_or_default();
        assert!(rows.iter().any(|r| r.full_name.as_deref() == Some("uma-dev/api")
            && r.status == Some(ImportStatus::AlreadyImported)));
        let errors = mixed.errors.unwrap_or_default();
        assert!(errors.contains(&"Failed to import repository acme/api: GitHub App is not installed for account \"acme\". Please install the app at https://github.com/apps/flui-sandbox/installations/new".to_owned()), "{errors:?}");
        assert!(errors.contains(&"Failed to import repository nonsense: Invalid repository format: nonsense. Expected format: owner/repo".to_owned()), "{errors:?}");

        let list: Vec<Repository> = api.ok("GET", "/repositories", token, None).await;
        assert_eq!(list.len(), 3);
        let api_repo = list
            .iter()
            .find(|r| r.full_name.as_deref() == Some("uma-dev/api"))
            .expect("listed");
        assert_eq!(
            (api_repo.is_private, api_repo.auto_deploy_enabled),
            (Some(true), Some(true))
        );
        let again: Vec<AvailableRepo> = api.ok("GET", "/repositories/available", token, None).await;
        assert!(
            again
                .iter()
                .any(|r| r.full_name.as_deref() == Some("uma-dev/api") && r.is_imported == Some(true))
        );

        // Someone else's repository is "not found"; the owner's goes, once.
        let id = api_repo.id.clone().expect("an id");
        let admin = api.sign_in(&demo::ADMIN).await;
        let foreign = api
            .refused(
                "DELETE",
                &format!("/repositories/{id}"),
                Some(&admin.access_token),
                None,
            )
            .await;
        assert_eq!(foreign.kind(), ErrorKind::NotFound);
        let (status, _) = api
            .send("DELETE", &format!("/repositories/{id}"), token, None)
            .await;
        assert_eq!(status, 204);
        let gone = api
            .refused("DELETE", &format!("/repositories/{id}"), token, None)
            .await;
        assert_eq!(gone.kind(), ErrorKind::NotFound);

        let invalid = api
            .refused(
                "POST",
                "/repositories/import",
                token,
                Some(json!({ "repositoryIds": "uma-dev/api" })),
            )
            .await;
        assert_eq!(invalid.kind(), ErrorKind::Invalid);
        assert!(invalid.messages().len() >= 2, "validation lists each problem");
        api.sandbox.stop().await;
    }
}

#[tokio::test]
async fn the_repository_options_answer_as_their_servers_do() {
    let api = Api::start(|o| {
        o.import_needs_approval = true;
        o.disconnect_admin_only = true;
    })
    .await;
    let tokens = api.sign_in(&demo::USER).await;
    let token = Some(tokens.access_token.as_str());
    let approval = api
        .refused(
            "POST",
            "/repositories/import",
            token,
            Some(json!({ "repositoryIds": ["uma-dev/api"] })),
        )
        .await;
    assert_eq!(approval.kind(), ErrorKind::NeedsApproval);
    let ApiError::Http(refusal) = &approval else {
        panic!("an HTTP refusal")
    };
    let asked = refusal.approval.clone().expect("an approval body");
    assert!(asked.decide_url.is_some() && asked.sentence.is_some());
    let admin_only = api
        .refused(
            "DELETE",
            "/repositories/6f1c0000-0000-0000-0000-000000000000",
            token,
            None,
        )
        .await;
    assert_eq!(admin_only.kind(), ErrorKind::Forbidden);
    api.sandbox.stop().await;

    // PAT mode: without a connection, 404 in Flui's words; with one, the first 100 of the
    // user's repositories, most recently updated first.
    let api = Api::start(|o| {
        o.auth_method = AuthMethod::Pat;
        o.repos_per_account = 60;
    })
    .await;
    let tokens = api.sign_in(&demo::USER).await;
    let token = Some(tokens.access_token.as_str());
    let missing = api.refused("GET", "/repositories/available", token, None).await;
    assert_eq!(missing.kind(), ErrorKind::NotFound);
    let pat = mint_token(&api, "uma-dev", false, &["repo", "read:packages"]).await;
    let _: PatConnected = api
        .ok(
            "POST",
            "/repositories/github/connect-pat",
            token,
            Some(json!({ "personalAccessToken": pat })),
        )
        .await;
    let available: Vec<AvailableRepo> = api.ok("GET", "/repositories/available", token, None).await;
    assert_eq!(available.len(), 100);
    let updated: Vec<_> = available.iter().filter_map(|r| r.updated_at.clone()).collect();
    assert!(updated.windows(2).all(|w| w[0] >= w[1]), "most recent first");
    api.sandbox.stop().await;
}

/// A private key GitHub has never seen: the dashboard's own test key.
const OTHER_KEY: &str = include_str!("../../src/features/admin/testdata/p1.pem");

#[tokio::test]
async fn the_github_app_setup_is_checked_with_github_as_flui_does() {
    use flui_dashboard::api::setup::SetupHealth;
    for generation in [ApiGeneration::Newer, ApiGeneration::Older] {
        let api = Api::start(|o| o.generation = generation).await;
        let admin = api.sign_in(&demo::ADMIN).await;
        let user = api.sign_in(&demo::USER).await;
        let (admin, user) = (
            Some(admin.access_token.as_str()),
            Some(user.access_token.as_str()),
        );
        const SETUP: &str = "/repositories/github/setup";

        // The demo App's key signs a JWT GitHub accepts.
        let health: SetupHealth = api.ok("GET", &format!("{SETUP}/health"), admin, None).await;
        assert!(health.ok, "{health:?}");
        let details = health.details.expect("details");
        assert_eq!(details.app_id().as_deref(), Some("424242"));
        assert_eq!(details.installations_count(), Some(0));

        // Every write is for admins only.
        for (method, path) in [
            ("POST", format!("{SETUP}/github-app")),
            ("POST", format!("{SETUP}/github-app/manifest-start")),
            ("POST", format!("{SETUP}/pat")),
            ("DELETE", SETUP.to_owned()),
        ] {
            let refused = api.refused(method, &path, user, Some(json!({}))).await;
            assert_eq!(refused.kind(), ErrorKind::Forbidden, "{method} {path}");
        }

        // class-validator's refusals, as an array.
        let invalid = api
            .refused("POST", &format!("{SETUP}/github-app"), admin, Some(json!({})))
            .await;
        assert!(
            invalid
                .messages()
                .iter()
                .any(|m| m == "appId should not be empty"),
            "{invalid:?}"
        );

        // A key that is not the App's: GitHub refuses its JWT, Flui says so and keeps what it had.
        let credentials = |key: &str| json!({ "appId": "424242", "appSlug": demo::APP_SLUG, "privateKey": key, "webhookSecret": "w" });
        let wrong = api
            .refused(
                "POST",
                &format!("{SETUP}/github-app"),
                admin,
                Some(credentials(OTHER_KEY)),
            )
            .await;
        assert_eq!(wrong.kind(), ErrorKind::Invalid);
        assert!(
            wrong.messages()[0].starts_with("Invalid GitHub App credentials"),
            "{wrong:?}"
        );
        let status: SetupStatus = api
            .ok(
                "POST",
                &format!("{SETUP}/github-app"),
                admin,
                Some(credentials(demo::APP_PRIVATE_KEY)),
            )
            .await;
        assert_eq!(status.app_slug.as_deref(), Some(demo::APP_SLUG));
        // Omitted optional fields kept their values: the connect link still has the client id.
        let link: InstallUrl = api
            .ok("GET", "/repositories/github-app/install-url", user, None)
            .await;
        let link = link.install_url.unwrap_or_default();
        assert!(link.contains("client_id=Iv1.sandbox0client"), "{link}");

        // The manifest flow's start: the base must be http(s); without one, only the older API guesses it.
        let start = format!("{SETUP}/github-app/manifest-start");
        let bad = api
            .refused(
                "POST",
                &start,
                admin,
                Some(json!({ "name": "X", "webhooksEnabled": true, "publicApiUrl": "ftp://x" })),
            )
            .await;
        assert!(bad.messages()[0].contains("must be an http(s) URL"), "{bad:?}");
        let (status, _) = api
            .send(
                "POST",
                &start,
                admin,
                Some(json!({ "name": "X", "webhooksEnabled": false })),
            )
            .await;
        assert_eq!(
            status,
            if generation == ApiGeneration::Newer {
                400
            } else {
                200
            }
        );

        // The whole round trip through the simulated GitHub.
        let started: serde_json::Value = {
            let (status, text) = api
                .send(
                    "POST",
                    &start,
                    admin,
                    Some(json!({ "name": "Flui Contract", "webhooksEnabled": true, "publicApiUrl": api.sandbox.url() + "/" })),
                )
                .await;
            assert_eq!(status, 200, "{text}");
            serde_json::from_str(&text).expect("JSON")
        };
        assert_eq!(started["githubUrl"], "https://github.com/settings/apps/new");
        let manifest = &started["manifestJson"];
        assert_eq!(
            manifest["callback_urls"][0],
            format!(
                "{}/api/v1/repositories/github-app/user-callback",
                api.sandbox.url()
            )
        );
        assert_eq!(
            manifest["hook_attributes"]["url"],
            format!("{}/api/v1/webhooks/github-app", api.sandbox.url())
        );
        assert_eq!(manifest["request_oauth_on_install"], true);
        let github = api.sandbox.github_url();
        let created = api
            .http
            .post(format!("{github}/settings/apps/new/create"))
            .header("Cookie", "gh_sim_user=ada-admin")
            .form(&[
                ("manifest", manifest.to_string()),
                ("owner", "ada-admin".into()),
                ("name", "Flui Contract".into()),
            ])
            .send()
            .await
            .expect("GitHub answers");
        let back = location(&created);
        assert!(
            back.contains("/manifest-callback/") && back.contains("code="),
            "{back}"
        );
        let finished = api.http.get(&back).send().await.expect("Flui answers");
        assert!(
            location(&finished).ends_with("/apps/repositories/github-setup?manifest=success"),
            "{finished:?}"
        );
        let status: SetupStatus = api.ok("GET", &format!("{SETUP}/status"), user, None).await;
        assert_eq!(status.app_slug.as_deref(), Some("flui-contract"));
        let health: SetupHealth = api.ok("GET", &format!("{SETUP}/health"), admin, None).await;
        assert!(health.ok, "the App made from the manifest works: {health:?}");
        // The state is single use, and a code comes back only once.
        let again = api.http.get(&back).send().await.expect("Flui answers");
        assert!(location(&again).ends_with("manifest=error&reason=invalid_or_expired_state"));
        let no_code = api
            .http
            .get(api.url(&format!("{SETUP}/github-app/manifest-callback/x")))
            .send()
            .await
            .expect("Flui answers");
        assert!(location(&no_code).ends_with("manifest=error&reason=missing_code_or_state"));

        // PAT mode, then reset.
        let pat: SetupStatus = api.ok("POST", &format!("{SETUP}/pat"), admin, None).await;
        assert_eq!(pat.auth_method, Some(Method::Pat));
        let (status, _) = api.send("DELETE", SETUP, admin, None).await;
        assert_eq!(status, 204);
        let gone: SetupStatus = api.ok("GET", &format!("{SETUP}/status"), user, None).await;
        assert!(!gone.configured);
        api.sandbox.stop().await;
    }
}

const INSTALLATIONS: &str = "/repositories/github-app/installations";

/// A form posted to the simulated GitHub's page `path`, signed in there as `login`.
async fn on_github(api: &Api, login: &str, path: &str, form: &[(&str, &str)]) -> u16 {
    api.http
        .post(format!("{}{path}", api.sandbox.github_url()))
        .header("cookie", format!("gh_sim_user={login}"))
        .form(form)
        .send()
        .await
        .expect("GitHub answers")
        .status()
        .as_u16()
}

/// The App's owner redelivers the newest delivery named `what` ("installation.created for
/// uma-dev") from the App's advanced settings on GitHub.
async fn redeliver(api: &Api, what: &str) {
    let advanced = format!("/settings/apps/{}/advanced", demo::APP_SLUG);
    let page = api
        .http
        .get(format!("{}{advanced}", api.sandbox.github_url()))
        .header("cookie", "gh_sim_user=ada-admin")
        .send()
        .await
        .expect("the App's advanced settings")
        .text()
        .await
        .expect("its HTML");
    let delivery = page
        .split("<li>")
        .find(|item| item.starts_with(what))
        .and_then(|item| item.split(r#"name="delivery" value=""#).nth(1))
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no delivery {what:?} in {page}"))
        .to_owned();
    let form = [("delivery", delivery.as_str())];
    assert_eq!(on_github(api, "ada-admin", &advanced, &form).await, 302);
}

#[tokio::test]
async fn installations_follow_githubs_signed_webhooks_in_both_generations() {
    use flui_dashboard::api::installations::decode_installations;
    for (generation, numeric) in [
        (ApiGeneration::Newer, false),
        (ApiGeneration::Newer, true),
        (ApiGeneration::Older, false),
    ] {
        let api = Api::start(|o| {
            o.generation = generation;
            o.numeric_installation_ids = numeric;
        })
        .await;
        let admin = api.sign_in(&demo::ADMIN).await.access_token;
        let admin = Some(admin.as_str());
        let user = api.sign_in(&demo::USER).await.access_token;
        let list = || async {
            let (status, text) = api.send("GET", INSTALLATIONS, admin, None).await;
            assert_eq!(status, 200, "{text}");
            let raw: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            for row in raw.as_array().expect("an array") {
                assert_eq!(row["installationId"].is_number(), numeric, "{row}");
                assert_eq!(
                    row.get("installedByLogin").is_some(),
                    generation == ApiGeneration::Newer,
                    "{row}"
                );
            }
            decode_installations(&text).expect("the dashboard reads it")
        };
        let refused = api.refused("GET", INSTALLATIONS, Some(&user), None).await;
        assert_eq!(refused.kind(), ErrorKind::Forbidden);
        assert!(list().await.is_empty());

        // uma-dev installs the App on GitHub's page: GitHub's webhook makes the record.
        let install = format!("/apps/{}/installations", demo::APP_SLUG);
        let form = [("target", "uma-dev"), ("selection", "all"), ("state", "x")];
        assert_eq!(on_github(&api, "uma-dev", &install, &form).await, 302);
        let rows = list().await;
        assert_eq!(rows.len(), 1, "{rows:?}");
        let row = rows[0].clone();
        let id = row.id.clone().expect("an id in digits");
        assert_eq!((row.account.as_str(), row.organisation), ("uma-dev", false));
        assert_eq!(row.repository_selection, "all");
        match generation {
            // Nobody in Flui is connected as uma-dev yet.
            ApiGeneration::Newer => {
                assert_eq!(
                    (row.user_id, row.installed_by.as_deref()),
                    (None, Some("uma-dev"))
                )
            }
            // The older webhook wrote the GitHub login as the row's user.
            ApiGeneration::Older => assert_eq!(
                (row.user_id.as_deref(), row.installed_by),
                (Some("uma-dev"), None)
            ),
        }

        // A forged or unsigned webhook changes nothing.
        let deleted = json!({ "action": "deleted", "installation": { "id": id.parse::<i64>().unwrap(), "account": { "login": "uma-dev", "type": "User" }, "repository_selection": "all", "suspended_at": null }, "sender": { "login": "uma-dev" } });
        let (status, text) =
            send_webhook(&api.sandbox.url(), "installation", &deleted, "not-the-secret").await;
        assert_eq!(status, 401, "{text}");
        let error = ApiError::from_response(status, &text);
        assert_eq!(error.messages(), ["Invalid webhook signature"]);
        assert_eq!(list().await.len(), 1);
        // Signed, it is GitHub's word: the record goes.
        let (status, text) =
            send_webhook(&api.sandbox.url(), "installation", &deleted, demo::WEBHOOK_SECRET).await;
        assert_eq!((status, text.as_str()), (200, r#"{"received":true}"#));
        assert!(list().await.is_empty());

        // A suspension on GitHub changes only a record Flui has: none comes back.
        let settings = format!("/settings/installations/{id}");
        let suspend = [("action", "suspend")];
        assert_eq!(on_github(&api, "uma-dev", &settings, &suspend).await, 302);
        assert!(list().await.is_empty());
        // GitHub's "created", redelivered by the App's owner, records it again.
        redeliver(&api, "installation.created for uma-dev").await;
        assert_eq!(list().await.len(), 1);
        assert_eq!(on_github(&api, "uma-dev", &settings, &suspend).await, 302);
        let rows = list().await;
        assert!(rows[0].suspended_at.is_some(), "{rows:?}");
        // A "created" for a record Flui has changes nothing.
        redeliver(&api, "installation.created for uma-dev").await;
        assert_eq!(list().await, rows);
        assert_eq!(
            on_github(&api, "uma-dev", &settings, &[("action", "unsuspend")]).await,
            302
        );
        assert_eq!(list().await[0].suspended_at, None);
        // Someone else cannot.
        assert_eq!(
            on_github(&api, "olive-owner", &settings, &[("action", "suspend")]).await,
            403
        );

        // Fewer repositories on GitHub: installation_repositories tells Flui.
        let page = api
            .http
            .get(format!(
                "{}/apps/{}/installations/new?target=uma-dev",
                api.sandbox.github_url(),
                demo::APP_SLUG
            ))
            .header("cookie", "gh_sim_user=uma-dev")
            .send()
            .await
            .expect("the install page")
            .text()
            .await
            .expect("its HTML");
        let repo = page
            .split(r#"name="repo" value=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a repository to tick");
        let form = [
            ("target", "uma-dev"),
            ("selection", "selected"),
            ("repo", repo),
            ("state", "x"),
        ];
        assert_eq!(on_github(&api, "uma-dev", &install, &form).await, 302);
        // The newer API follows it; the older one ignores that event.
        let selection = if generation == ApiGeneration::Newer {
            "selected"
        } else {
            "all"
        };
        assert_eq!(list().await[0].repository_selection, selection);

        // Removing Flui's record: 204, then 404 in Flui's words; a non-number is a 400.
        let path = format!("{INSTALLATIONS}/{id}");
        assert_eq!(api.send("DELETE", &path, Some(&user), None).await.0, 403);
        assert_eq!(api.send("DELETE", &path, admin, None).await.0, 204);
        let again = api.refused("DELETE", &path, admin, None).await;
        assert_eq!(again.kind(), ErrorKind::NotFound);
        assert_eq!(
            again.messages(),
            [format!("Installation {id} not found in the database")]
        );
        let bad = api
            .refused("DELETE", &format!("{INSTALLATIONS}/abc"), admin, None)
            .await;
        assert_eq!(bad.kind(), ErrorKind::Invalid);

        // Uninstalled on GitHub: the record (back after a redelivery) goes for good.
        redeliver(&api, "installation.created for uma-dev").await;
        assert_eq!(list().await.len(), 1);
        assert_eq!(
            on_github(&api, "uma-dev", &settings, &[("action", "uninstall")]).await,
            200
        );
        assert!(list().await.is_empty());
        api.sandbox.stop().await;
    }
    // Without a GitHub App (PAT mode) there is no secret to check a webhook with.
    let api = Api::start(|o| o.auth_method = AuthMethod::Pat).await;
    let body = json!({ "action": "created" });
    let (status, text) = send_webhook(&api.sandbox.url(), "installation", &body, "any").await;
    assert_eq!(status, 401);
    let error = ApiError::from_response(status, &text);
    assert_eq!(error.messages(), ["GitHub App webhook secret is not configured"]);
    api.sandbox.stop().await;
}

//! How a sandbox behaves: which Flui it imitates, and the environment Flui would read.

use std::path::PathBuf;

/// Which API generation to behave as (see `flui-api.md`, "Versions", and §10 for what a
/// running older server answered).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ApiGeneration {
    /// Sends `imageRegistry` and `needed`; the connect flow ends with a claim.
    #[default]
    Newer,
    /// What the official Angular dashboard was written against (`flui-cloud/core`).
    Older,
}

/// Flui's `AUTH_MODE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AuthMode {
    #[default]
    Local,
    Oidc,
}

/// How the demo instance connects to GitHub (`setup/status.authMethod`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AuthMethod {
    /// A GitHub App: users install it and authorise it (the flow this dashboard drives).
    #[default]
    GithubApp,
    /// Each user connects with a personal access token.
    Pat,
}

impl AuthMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GithubApp => "github_app",
            Self::Pat => "pat",
        }
    }
}

#[derive(Clone, Debug)]
pub struct SandboxOptions {
    /// 0 picks a free port.
    pub port: u16,
    /// The SQLite file; the AES key lives beside it (`<name>.key`).
    pub db_path: PathBuf,
    /// Seed demo users and a configured GitHub integration into an empty database.
    pub demo: bool,
    /// How the demo integration is configured.
    pub auth_method: AuthMethod,
    /// Serve the built dashboard from here as well as the API.
    pub dist: Option<PathBuf>,
    /// Serve this as `/assets/config.json` instead of one pointing at the sandbox.
    pub config_json: Option<serde_json::Value>,
    pub generation: ApiGeneration,
    pub auth_mode: AuthMode,
    /// In OIDC mode, the OpenID Provider whose JWT access tokens the API accepts
    /// (`sandbox/oidc/provider.mjs`); `None` leaves OIDC sign-in impossible, as a
    /// misconfigured instance would.
    pub oidc_issuer: Option<String>,
    /// The audience those access tokens must carry.
    pub oidc_audience: String,
    /// `"ghcr"`, or `"flui"` for an instance with its own registry (no GHCR PAT needed).
    pub image_registry: String,
    /// GitHub's web origin; `None` runs the simulated GitHub on `github_port`.
    pub github_url: Option<String>,
    /// Port of the simulated GitHub; 0 picks a free one.
    pub github_port: u16,
    /// Repositories seeded per GitHub account (at least the four named demo ones).
    pub repos_per_account: usize,
    /// List every repository an installation (or a PAT) reaches, not Flui's first 100:
    /// for scale tests of the picker.
    pub every_repository: bool,
    /// The installations list sends `installationId` as a JSON number instead of a
    /// string (the contract leaves it open; a running older server sent strings).
    pub numeric_installation_ids: bool,
    /// `POST /repositories/import` answers with an action-cycle body asking for approval.
    pub import_needs_approval: bool,
    /// Disconnecting a repository is for admins only (403), as on older servers.
    pub disconnect_admin_only: bool,
    /// Lifetime of an access token and of the `flui_session` cookie (Flui: 15 minutes).
    pub access_token_ttl: chrono::Duration,
    pub refresh_token_ttl: chrono::Duration,
    /// CORS inputs, as Flui's environment: FRONTEND_URL, CORS_ORIGINS, API_BASE_URL, NODE_ENV.
    pub frontend_url: Option<String>,
    pub cors_origins: Vec<String>,
    pub api_base_url: Option<String>,
    pub production: bool,
    /// Flui's `PUBLIC_API_URL`: the base the manifest flow gives GitHub when the request
    /// names none.
    pub public_api_url: Option<String>,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        Self {
            port: 0,
            db_path: PathBuf::from(".sandbox/flui-sandbox.db"),
            demo: true,
            auth_method: AuthMethod::GithubApp,
            dist: None,
            config_json: None,
            generation: ApiGeneration::Newer,
            auth_mode: AuthMode::Local,
            oidc_issuer: None,
            oidc_audience: "urn:flui:api".into(),
            image_registry: "ghcr".into(),
            github_url: None,
            github_port: 0,
            repos_per_account: 4,
            every_repository: false,
            numeric_installation_ids: false,
            import_needs_approval: false,
            disconnect_admin_only: false,
            access_token_ttl: chrono::Duration::minutes(15),
            refresh_token_ttl: chrono::Duration::days(7),
            frontend_url: None,
            cors_origins: Vec::new(),
            api_base_url: None,
            production: false,
            public_api_url: None,
        }
    }
}

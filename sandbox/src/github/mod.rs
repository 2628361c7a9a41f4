//! A simulated GitHub on its own port, so the connect round trip crosses origins as in
//! production: a seeded world (users, organisations, repositories), the App install
//! page, OAuth consent, personal access tokens, and the REST calls Flui makes (served under `/api/v3`, as GitHub
//! Enterprise does). It keeps its own tables and shares nothing with the Flui side but
//! HTTP.
//!
//! Who is signed in to this GitHub is a cookie set by its own sign-in page, which simply
//! lists the seeded users: a test or a developer picks one.

mod apps;
mod pages;
mod rest;
mod tokens;
mod webhooks;
mod world;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use axum::Router;
use axum::routing::{get, post};
use rusqlite::Connection;

pub use apps::slug_of;
use pages::*;
use rest::*;
pub use webhooks::sign_webhook;
pub use world::{
    AppRegistration, Approved, account, approve_requests, issue_user_token, next_app_id, register_app,
    repo_ids, save_installation, seed_world,
};

pub struct GithubState {
    db: Mutex<Connection>,
    addr: OnceLock<SocketAddr>,
}

impl GithubState {
    /// Opens its tables in the database file at `path` (a connection of its own).
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        let db = Connection::open(path)?;
        db.busy_timeout(std::time::Duration::from_secs(5))?;
        db.execute_batch("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;")?;
        db.execute_batch(world::SCHEMA)?;
        crate::util::add_missing_columns(&db, "gh_apps", world::APP_ADDED_COLUMNS)?;
        Ok(Self {
            db: Mutex::new(db),
            addr: OnceLock::new(),
        })
    }

    pub fn db(&self) -> MutexGuard<'_, Connection> {
        self.db.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn set_addr(&self, addr: SocketAddr) {
        let _ = self.addr.set(addr);
    }

    /// This GitHub's web origin.
    pub fn url(&self) -> String {
        self.addr.get().map(|a| format!("http://{a}")).unwrap_or_default()
    }

    /// The OAuth codes issued so far, oldest first.
    pub fn issued_oauth_codes(&self) -> Vec<String> {
        let db = self.db();
        let Ok(mut stmt) = db.prepare("SELECT code FROM gh_oauth_codes ORDER BY rowid") else {
            return Vec::new();
        };
        stmt.query_map([], |r| r.get(0))
            .map(|rows| rows.flatten().collect())
            .unwrap_or_default()
    }
}

pub fn router(state: Arc<GithubState>) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/login", get(sign_in_page).post(sign_in))
        .route("/apps/{slug}/installations/new", get(install_page))
        .route("/apps/{slug}/installations", post(install_submit))
        .route("/login/oauth/authorize", get(authorize_page).post(authorize))
        .route("/login/oauth/access_token", post(access_token))
        .route(
            "/organizations/{org}/settings/installations",
            get(requests_page).post(approve),
        )
        .route(
            "/settings/installations/{id}",
            get(installation_page).post(installation_action),
        )
        .route(
            "/organizations/{org}/settings/installations/{id}",
            get(org_installation_page).post(org_installation_action),
        )
        .route(
            "/settings/apps/{slug}/advanced",
            get(advanced_page).post(redeliver),
        )
        .route("/settings/tokens", get(tokens::list).post(tokens::create))
        .route("/settings/tokens/new", get(tokens::new_classic_page))
        .route("/settings/tokens/{id}/revoke", post(tokens::revoke))
        .route("/settings/personal-access-tokens", post(tokens::create))
        .route(
            "/settings/personal-access-tokens/new",
            get(tokens::new_fine_grained_page),
        )
        .route(
            "/settings/apps/new",
            get(apps::new_app_page).post(apps::manifest_for_user),
        )
        .route(
            "/organizations/{org}/settings/apps/new",
            post(apps::manifest_for_org),
        )
        .route("/settings/apps/new/create", post(apps::create_from_manifest))
        .route("/api/v3/app", get(apps::api_app))
        .route(
            "/api/v3/app-manifests/{code}/conversions",
            post(apps::convert_manifest),
        )
        .route("/api/v3/user", get(api_user))
        .route("/api/v3/user/installations", get(api_user_installations))
        .route("/api/v3/user/repos", get(api_user_repositories))
        .route(
            "/api/v3/user/installations/{id}/repositories",
            get(api_installation_repositories),
        )
        .with_state(state)
}

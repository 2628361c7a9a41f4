//! Test hooks: what a test may do to a running sandbox that no user of Flui or GitHub
//! can, such as ending sessions or expiring tokens without waiting. The only place that
//! reaches into both sides' tables.

use rusqlite::Error::QueryReturnedNoRows;

use crate::flui::{self, Outage};
use crate::github;
use crate::util::{iso, random_hex};
use crate::{Sandbox, demo};

impl Sandbox {
    fn user_id(&self, email: &str) -> rusqlite::Result<String> {
        flui::user_by_email(&self.flui.db(), email)?
            .map(|u| u.id)
            .ok_or(QueryReturnedNoRows)
    }

    fn simulated_github(&self) -> rusqlite::Result<&github::GithubState> {
        self.github.as_deref().ok_or(QueryReturnedNoRows)
    }

    /// Stores a GHCR PAT for `email` that expires in `days` (none when `None`), as if the
    /// user had saved it; `verification` is Flui's last check (`VALID`, `INVALID`).
    pub fn seed_ghcr_pat(&self, email: &str, days: Option<i64>, verification: &str) -> rusqlite::Result<()> {
        let user_id = self.user_id(email)?;
        let now = self.flui.now();
        let expires_at = days.map(|d| iso(now + chrono::Duration::days(d)));
        let token_enc = self.flui.vault.seal(&format!("ghp_{}", random_hex(18)));
        let at = iso(now);
        let pat = flui::SavedPat {
            token_enc: &token_enc,
            expires_at: expires_at.as_deref(),
            github_login: "octo-demo",
            scopes: &["read:packages"],
            verification,
            at: &at,
            replaces: false,
        };
        flui::save_ghcr_pat(&self.flui.db(), &user_id, &pat)
    }

    /// Runs Flui's daily re-verification of the stored GHCR tokens now.
    pub async fn verify_ghcr_pats(&self) -> rusqlite::Result<()> {
        flui::verify_ghcr_pats(&self.flui).await
    }

    /// Ends every session of `email` on the server (as an expiry or an administrator
    /// would), so its tokens and cookie are refused from now on.
    pub fn end_sessions(&self, email: &str) -> rusqlite::Result<()> {
        let user_id = self.user_id(email)?;
        flui::revoke_user_tokens(&self.flui.db(), &user_id)
    }

    /// Every access token (and so every session cookie) expires now; refresh tokens stay.
    pub fn expire_access_tokens(&self) -> rusqlite::Result<()> {
        self.flui.oidc_tokens.expire_all();
        flui::expire_access_tokens(&self.flui.db())
    }

    /// The OIDC access tokens the API has seen (for the scans that no token is kept
    /// where it must not be).
    pub fn oidc_access_tokens(&self) -> Vec<String> {
        self.flui.oidc_tokens.all()
    }

    /// Every access and refresh token the API issued or accepted so far.
    pub fn issued_tokens(&self) -> Vec<String> {
        self.flui.issued_tokens()
    }

    /// How many `POST /auth/refresh` requests arrived, answered or refused.
    pub fn refresh_requests(&self) -> usize {
        self.requests("POST", "/api/v1/auth/refresh")
    }

    /// How many `method path` requests the API received (`path` with `/api/v1`).
    pub fn requests(&self, method: &str, path: &str) -> usize {
        self.flui.requests(method, path)
    }

    /// Moves Flui's clock for credentials on by `days` (sessions keep real time, so the
    /// test stays signed in).
    pub fn advance_clock(&self, days: i64) {
        self.flui.advance_clock(chrono::Duration::days(days));
    }

    /// From now on refresh answers 429, as after ten refreshes within a minute.
    pub fn exhaust_refresh_limit(&self) {
        self.flui.exhaust_refresh_limit();
    }

    /// Lifts every rate limit.
    pub fn reset_rate_limits(&self) {
        self.flui.reset_limits();
    }

    /// `method path` (with `/api/v1`) answers `fault` the next `times` times, or until
    /// [`Sandbox::clear_faults`] when `None`.
    pub fn fault(&self, method: &str, path: &str, fault: crate::Fault, times: Option<u32>) {
        self.flui.faults.set(method, path, fault, times);
    }

    pub fn clear_faults(&self) {
        self.flui.faults.clear();
    }

    /// The API stops answering as Flui (`Some`), or comes back (`None`).
    pub fn set_outage(&self, outage: Option<Outage>) {
        self.flui.set_outage(outage);
    }

    /// Every pending connect state and claim expires now, as after 10 minutes.
    pub fn expire_pending_connections(&self) {
        self.flui.pending.expire_all();
    }

    /// The OAuth codes the simulated GitHub has issued, oldest first.
    pub fn issued_oauth_codes(&self) -> Vec<String> {
        self.github
            .as_deref()
            .map(github::GithubState::issued_oauth_codes)
            .unwrap_or_default()
    }

    /// The owners of organisation `org` approve its pending install requests on GitHub.
    pub fn approve_install_requests(&self, org: &str) -> rusqlite::Result<usize> {
        github::approve_requests(&self.simulated_github()?.db(), org).map(|approved| approved.len())
    }

    /// Installs the demo App on GitHub account `login` (all repositories), outside any
    /// Flui round trip, as if done from GitHub's own settings.
    pub fn install_app_on_github(&self, login: &str) -> rusqlite::Result<i64> {
        let db = self.simulated_github()?.db();
        let account = github::account(&db, login)?.ok_or(QueryReturnedNoRows)?;
        github::save_installation(&db, demo::APP_SLUG, account.id, "all", &[])
    }

    /// Connects `email`'s GitHub as GitHub user `login`, as if they had gone through the
    /// App's install and consent pages: Flui holds their user token and knows the
    /// installations it reaches.
    pub async fn connect_github(&self, email: &str, login: &str) -> Result<(), String> {
        let user_id = self.user_id(email).map_err(|e| e.to_string())?;
        let token = {
            let db = self.simulated_github().map_err(|e| e.to_string())?.db();
            let account = github::account(&db, login)
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no GitHub account {login}"))?;
            github::issue_user_token(&db, demo::APP_SLUG, account.id).map_err(|e| e.to_string())?
        };
        flui::adopt_github_token(&self.flui, &user_id, &token)
            .await
            .map_err(|e| format!("{e:?}"))
    }

    /// Limits the demo App's installation on `login` to the repositories named (by
    /// name, without the owner), as a change on GitHub's installation settings would.
    pub fn select_installation_repos(&self, login: &str, names: &[&str]) -> rusqlite::Result<()> {
        let db = self.simulated_github()?.db();
        let account = github::account(&db, login)?.ok_or(QueryReturnedNoRows)?;
        let ids = github::repo_ids(&db, account.id, names)?;
        github::save_installation(&db, demo::APP_SLUG, account.id, "selected", &ids).map(|_| ())
    }

    /// The App's stored private key stops working (another App's key pasted), so the
    /// setup health check fails as GitHub refuses the App's JWT.
    pub fn break_github_app_key(&self) -> rusqlite::Result<()> {
        let other = crate::app_jwt::generate_private_key()
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
        let db = self.flui.db();
        let mut setup = flui::github_setup(&db)?.ok_or(QueryReturnedNoRows)?;
        setup.private_key_enc = Some(self.flui.vault.seal(&other));
        flui::save_github_setup(&db, &setup)
    }

    /// The instance has no GitHub integration configured (as before any admin setup).
    pub fn remove_github_app(&self) -> rusqlite::Result<()> {
        self.flui.db().execute("DELETE FROM github_setup", []).map(|_| ())
    }

    /// Flui forgets its installation records (a stale database), while the users'
    /// GitHub tokens and the installations on GitHub stay.
    pub fn forget_installation_records(&self) -> rusqlite::Result<()> {
        flui::forget_installation_records(&self.flui.db())
    }

    /// Registers an App named `name` on the simulated GitHub, owned by ada-admin, with the
    /// private key `private_pem` (PKCS#1 or PKCS#8), as if made by hand on GitHub's form:
    /// its App ID, slug and client ID. Its callback is this Flui's.
    pub fn register_app_on_github(
        &self,
        name: &str,
        private_pem: &str,
    ) -> Result<(i64, String, String), String> {
        let db = self.simulated_github().map_err(|e| e.to_string())?.db();
        let app = github::AppRegistration {
            app_id: github::next_app_id(&db).map_err(|e| e.to_string())?,
            slug: github::slug_of(name),
            name: name.to_owned(),
            client_id: format!("Iv23{}", crate::util::random_hex(8)),
            client_secret: crate::util::random_hex(20),
            callback_url: demo::callback_url(&self.flui.public_url()),
            public_key: crate::app_jwt::public_key_pem(private_pem)?,
            owner: "ada-admin".into(),
            ..Default::default()
        };
        github::register_app(&db, &app).map_err(|e| e.to_string())?;
        Ok((app.app_id, app.slug, app.client_id))
    }
}

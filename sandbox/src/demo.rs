//! Demo data for `cargo xtask dev` and the tests: two sign-ins and a configured GitHub
//! integration on the Flui side, and the same App registered on the simulated GitHub.
//! Seeded only into an empty database.

use rusqlite::Connection;

use crate::app_jwt;
use crate::flui::{self, GithubSetup};
use crate::github::{self, AppRegistration};
use crate::options::AuthMethod;
use crate::vault::Vault;

pub struct DemoAccount {
    pub email: &'static str,
    pub password: &'static str,
    pub name: &'static str,
    pub role: &'static str,
}

pub const ADMIN: DemoAccount = DemoAccount {
    email: "admin@flui.test",
    password: "admin-demo-password",
    name: "Ada Admin",
    role: "admin",
};

pub const USER: DemoAccount = DemoAccount {
    email: "user@flui.test",
    password: "user-demo-password",
    name: "Uma User",
    role: "operator",
};

pub const APP_SLUG: &str = "flui-sandbox";
const APP_NAME: &str = "Flui Sandbox";
const APP_ID: i64 = 424_242;
const CLIENT_ID: &str = "Iv1.sandbox0client";
const CLIENT_SECRET: &str = "sandbox-client-secret";
/// What the demo App signs its webhooks with, on GitHub and in Flui alike.
pub const WEBHOOK_SECRET: &str = "sandbox-webhook-secret";
/// The demo App's private key: a throwaway made for the sandbox (`openssl genrsa
/// -traditional 2048`), never a real App's.
pub const APP_PRIVATE_KEY: &str = include_str!("demo-app-key.pem");

/// The demo users and the integration, on the Flui side.
pub fn seed_flui(conn: &Connection, vault: &Vault, method: AuthMethod) -> rusqlite::Result<()> {
    if flui::user_by_email(conn, ADMIN.email)?.is_some() {
        return Ok(());
    }
    for account in [ADMIN, USER] {
        flui::create_user(conn, account.email, account.name, account.password, account.role)?;
    }
    let setup = match method {
        AuthMethod::Pat => GithubSetup {
            auth_method: "pat".into(),
            ..GithubSetup::default()
        },
        AuthMethod::GithubApp => GithubSetup {
            auth_method: "github_app".into(),
            app_id: Some(APP_ID.to_string()),
            app_slug: Some(APP_SLUG.into()),
            client_id: Some(CLIENT_ID.into()),
            client_secret_enc: Some(vault.seal(CLIENT_SECRET)),
            webhook_secret_enc: Some(vault.seal(WEBHOOK_SECRET)),
            private_key_enc: Some(vault.seal(APP_PRIVATE_KEY)),
            callback_url: None,
        },
    };
    flui::save_github_setup(conn, &setup)
}

/// The demo App's callback URL on this run's API (the port may change between runs).
pub fn callback_url(flui_url: &str) -> String {
    format!("{flui_url}/api/v1/repositories/github-app/user-callback")
}

/// Points the Flui side's demo App at this run's callback URL, with the demo key (a
/// database kept from an older sandbox had a placeholder).
pub fn point_app_at(conn: &Connection, vault: &Vault, flui_url: &str) -> rusqlite::Result<()> {
    let Some(mut setup) = flui::github_setup(conn)?.filter(|s| s.app_slug.as_deref() == Some(APP_SLUG))
    else {
        return Ok(());
    };
    setup.callback_url = Some(callback_url(flui_url));
    setup.private_key_enc = Some(vault.seal(APP_PRIVATE_KEY));
    flui::save_github_setup(conn, &setup)
}

/// The simulated GitHub's world, and the demo App registered there with the same
/// credentials and callback as on the Flui side.
pub fn seed_github(conn: &Connection, flui_url: &str, repos_per_account: usize) -> rusqlite::Result<()> {
    github::seed_world(conn, repos_per_account.max(4))?;
    github::register_app(
        conn,
        &AppRegistration {
            app_id: APP_ID,
            slug: APP_SLUG.into(),
            name: APP_NAME.into(),
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            callback_url: callback_url(flui_url),
            public_key: app_jwt::public_key_pem(APP_PRIVATE_KEY).map_err(sql_error)?,
            owner: "ada-admin".into(),
            webhook_secret: WEBHOOK_SECRET.into(),
            hook_url: format!("{flui_url}/api/v1/webhooks/github-app"),
            public: true,
        },
    )
}

fn sql_error(message: String) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(message.into())
}

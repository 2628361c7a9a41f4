//! Demo data for `cargo xtask dev` and the tests: two sign-ins and a configured
//! GitHub App, seeded only into an empty database.

use rusqlite::Connection;

use crate::db::{self, GithubSetup};
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
const CLIENT_ID: &str = "Iv1.sandbox0client";
const CLIENT_SECRET: &str = "sandbox-client-secret";

pub fn seed(conn: &Connection, vault: &Vault) -> rusqlite::Result<()> {
    if db::user_by_email(conn, ADMIN.email)?.is_some() {
        return Ok(());
    }
    for account in [ADMIN, USER] {
        db::create_user(conn, account.email, account.name, account.password, account.role)?;
    }
    db::save_github_setup(
        conn,
        &GithubSetup {
            auth_method: "github_app".into(),
            app_id: Some("424242".into()),
            app_slug: Some(APP_SLUG.into()),
            client_id: Some(CLIENT_ID.into()),
            client_secret_enc: Some(vault.seal(CLIENT_SECRET)),
            webhook_secret_enc: Some(vault.seal("sandbox-webhook-secret")),
            private_key_enc: Some(
                vault.seal("-----BEGIN RSA PRIVATE KEY-----\nsandbox\n-----END RSA PRIVATE KEY-----\n"),
            ),
            callback_url: None,
        },
    )
}

/// Points the demo App's callback at this run's API (the port may change between runs)
/// and, when GitHub is the simulated one, registers the same App there, so both ends agree.
pub fn register_app(conn: &Connection, flui_url: &str, simulated_github: bool) -> rusqlite::Result<()> {
    let Some(mut setup) = db::github_setup(conn)?.filter(|s| s.app_slug.as_deref() == Some(APP_SLUG)) else {
        return Ok(());
    };
    let callback = format!("{flui_url}/api/v1/repositories/github-app/user-callback");
    setup.callback_url = Some(callback.clone());
    db::save_github_setup(conn, &setup)?;
    if simulated_github {
        crate::github::register_app(
            conn,
            &crate::github::AppRegistration {
                slug: APP_SLUG.into(),
                name: "Flui Sandbox".into(),
                client_id: CLIENT_ID.into(),
                client_secret: CLIENT_SECRET.into(),
                callback_url: callback,
            },
            424_242,
        )?;
    }
    Ok(())
}

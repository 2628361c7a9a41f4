//! The sandbox's SQLite database: schema and queries.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::clock::{iso, now};

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT NOT NULL,
    password_salt TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'maintainer', 'operator', 'viewer')),
    created_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS github_setup (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    auth_method        TEXT NOT NULL,
    app_id             TEXT,
    app_slug           TEXT,
    client_id          TEXT,
    client_secret_enc  TEXT,
    webhook_secret_enc TEXT,
    private_key_enc    TEXT,
    callback_url       TEXT,
    updated_at         TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS github_connections (
    user_id      TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    github_login TEXT NOT NULL,
    token_enc    TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS installations (
    id                   TEXT PRIMARY KEY,
    installation_id      INTEGER NOT NULL UNIQUE,
    account_login        TEXT NOT NULL,
    account_type         TEXT NOT NULL,
    user_id              TEXT,
    installed_by_login   TEXT,
    repository_selection TEXT NOT NULL,
    suspended_at         TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS installation_access (
    user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    installation_id INTEGER NOT NULL,
    PRIMARY KEY (user_id, installation_id)
);
CREATE TABLE IF NOT EXISTS ghcr_pats (
    user_id          TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    token_enc        TEXT NOT NULL,
    expires_at       TEXT,
    github_login     TEXT,
    scopes           TEXT NOT NULL DEFAULT '',
    verification     TEXT NOT NULL DEFAULT 'VALID',
    last_rotated_at  TEXT,
    last_verified_at TEXT,
    active           INTEGER NOT NULL DEFAULT 1
);
"#;

pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;")?;
    conn.execute_batch(SCHEMA)?;
    conn.execute_batch(crate::github::SCHEMA)?;
    Ok(conn)
}

pub fn sha256_hex(input: &str) -> String {
    hex::encode(Sha256::digest(input.as_bytes()))
}

pub fn random_hex(bytes: usize) -> String {
    let buf: Vec<u8> = (0..bytes).map(|_| rand::random::<u8>()).collect();
    hex::encode(buf)
}

// ---- users --------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: String,
}

impl User {
    pub fn is_admin(&self) -> bool {
        self.role == "admin"
    }

    /// Flui's built-in roles and the permissions the dashboard cares about.
    pub fn permissions(&self) -> Vec<&'static str> {
        match self.role.as_str() {
            "admin" | "maintainer" => vec!["app:read", "app:write", "integration:manage"],
            "operator" => vec!["app:read", "app:write"],
            _ => vec!["app:read"],
        }
    }
}

/// Maps the columns `id, email, name, role` (in that order) of a row.
fn user_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(0)?,
        email: r.get(1)?,
        name: r.get(2)?,
        role: r.get(3)?,
    })
}

fn password_hash(salt: &str, password: &str) -> String {
    // The sandbox holds demo accounts only; a salted SHA-256 keeps the build light.
    sha256_hex(&format!("{salt}:{password}"))
}

pub fn create_user(
    conn: &Connection,
    email: &str,
    name: &str,
    password: &str,
    role: &str,
) -> rusqlite::Result<User> {
    let id = uuid::Uuid::new_v4().to_string();
    let salt = random_hex(16);
    conn.execute(
        "INSERT INTO users (id, email, name, password_salt, password_hash, role, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![id, email, name, salt, password_hash(&salt, password), role, iso(now())],
    )?;
    Ok(User {
        id,
        email: email.to_owned(),
        name: name.to_owned(),
        role: role.to_owned(),
    })
}

pub fn user_by_credentials(conn: &Connection, email: &str, password: &str) -> rusqlite::Result<Option<User>> {
    let row = conn
        .query_row(
            "SELECT id, email, name, role, password_salt, password_hash FROM users WHERE email = ?1",
            params![email],
            |r| Ok((user_from_row(r)?, r.get::<_, String>(4)?, r.get::<_, String>(5)?)),
        )
        .optional()?;
    Ok(row.and_then(|(user, salt, hash)| (password_hash(&salt, password) == hash).then_some(user)))
}

pub fn user_by_email(conn: &Connection, email: &str) -> rusqlite::Result<Option<User>> {
    conn.query_row(
        "SELECT id, email, name, role FROM users WHERE email = ?1",
        params![email],
        user_from_row,
    )
    .optional()
}

// ---- tokens -------------------------------------------------------------------------

/// Issues a random token of `kind`, stored only as a hash.
pub fn issue_token(
    conn: &Connection,
    kind: &str,
    user_id: &str,
    expires_at: DateTime<Utc>,
) -> rusqlite::Result<String> {
    let token = random_hex(32);
    conn.execute(
        "INSERT INTO tokens (token_hash, kind, user_id, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![sha256_hex(&token), kind, user_id, iso(expires_at)],
    )?;
    Ok(token)
}

pub fn user_by_token(conn: &Connection, kind: &str, token: &str) -> rusqlite::Result<Option<User>> {
    conn.query_row(
        "SELECT u.id, u.email, u.name, u.role FROM tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = ?1 AND t.kind = ?2 AND t.expires_at > ?3",
        params![sha256_hex(token), kind, iso(now())],
        user_from_row,
    )
    .optional()
}

pub fn revoke_token(conn: &Connection, token: &str) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM tokens WHERE token_hash = ?1",
        params![sha256_hex(token)],
    )?;
    Ok(())
}

pub fn revoke_user_tokens(conn: &Connection, user_id: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM tokens WHERE user_id = ?1", params![user_id])?;
    Ok(())
}

// ---- GitHub setup ---------------------------------------------------------------------

#[derive(Clone, Debug, Default)]
pub struct GithubSetup {
    pub auth_method: String,
    pub app_id: Option<String>,
    pub app_slug: Option<String>,
    pub client_id: Option<String>,
    pub client_secret_enc: Option<String>,
    pub webhook_secret_enc: Option<String>,
    pub private_key_enc: Option<String>,
    pub callback_url: Option<String>,
}

pub fn github_setup(conn: &Connection) -> rusqlite::Result<Option<GithubSetup>> {
    conn.query_row(
        "SELECT auth_method, app_id, app_slug, client_id, client_secret_enc, webhook_secret_enc, private_key_enc, callback_url
         FROM github_setup WHERE id = 1",
        [],
        |r| {
            Ok(GithubSetup {
                auth_method: r.get(0)?,
                app_id: r.get(1)?,
                app_slug: r.get(2)?,
                client_id: r.get(3)?,
                client_secret_enc: r.get(4)?,
                webhook_secret_enc: r.get(5)?,
                private_key_enc: r.get(6)?,
                callback_url: r.get(7)?,
            })
        },
    )
    .optional()
}

pub fn save_github_setup(conn: &Connection, s: &GithubSetup) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO github_setup (id, auth_method, app_id, app_slug, client_id, client_secret_enc, webhook_secret_enc, private_key_enc, callback_url, updated_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (id) DO UPDATE SET auth_method = ?1, app_id = ?2, app_slug = ?3, client_id = ?4,
           client_secret_enc = ?5, webhook_secret_enc = ?6, private_key_enc = ?7, callback_url = ?8, updated_at = ?9",
        params![
            s.auth_method, s.app_id, s.app_slug, s.client_id, s.client_secret_enc,
            s.webhook_secret_enc, s.private_key_enc, s.callback_url, iso(now())
        ],
    )?;
    Ok(())
}

// ---- GitHub connection -------------------------------------------------------------

#[derive(Clone, Debug)]
pub struct Connected {
    /// The first reachable installation's account and creation time (App mode).
    pub account_login: String,
    pub connected_at: String,
}

/// The user's GitHub connection when they can reach at least one installation.
pub fn github_connection(conn: &Connection, user_id: &str) -> rusqlite::Result<Option<Connected>> {
    conn.query_row(
        "SELECT i.account_login, i.created_at
         FROM github_connections c
         JOIN installation_access a ON a.user_id = c.user_id
         JOIN installations i ON i.installation_id = a.installation_id
         WHERE c.user_id = ?1 AND i.suspended_at IS NULL
         ORDER BY i.created_at ASC LIMIT 1",
        params![user_id],
        |r| {
            Ok(Connected {
                account_login: r.get(0)?,
                connected_at: r.get(1)?,
            })
        },
    )
    .optional()
}

pub fn save_github_connection(
    conn: &Connection,
    user_id: &str,
    login: &str,
    token_enc: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO github_connections (user_id, github_login, token_enc, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (user_id) DO UPDATE SET github_login = ?2, token_enc = ?3",
        params![user_id, login, token_enc, iso(now())],
    )?;
    Ok(())
}

/// The user's stored GitHub user-to-server token (sealed).
pub fn github_token(conn: &Connection, user_id: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT token_enc FROM github_connections WHERE user_id = ?1",
        params![user_id],
        |r| r.get(0),
    )
    .optional()
}

pub struct InstallationRecord<'a> {
    pub installation_id: i64,
    pub account_login: &'a str,
    pub account_type: &'a str,
    pub repository_selection: &'a str,
    pub suspended_at: Option<&'a str>,
}

/// Upserts an installation row (the first user it is found for owns it, as in Flui) and
/// records that `user_id` can reach it.
pub fn record_installation(
    conn: &Connection,
    record: &InstallationRecord<'_>,
    user_id: &str,
    installed_by_login: &str,
) -> rusqlite::Result<()> {
    let at = iso(now());
    conn.execute(
        "INSERT INTO installations (id, installation_id, account_login, account_type, user_id, installed_by_login,
                                    repository_selection, suspended_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
         ON CONFLICT (installation_id) DO UPDATE SET repository_selection = ?7, suspended_at = ?8, updated_at = ?9,
           user_id = COALESCE(installations.user_id, ?5), installed_by_login = COALESCE(installations.installed_by_login, ?6)",
        params![
            uuid::Uuid::new_v4().to_string(),
            record.installation_id,
            record.account_login.to_lowercase(),
            record.account_type,
            user_id,
            installed_by_login,
            record.repository_selection,
            record.suspended_at,
            at
        ],
    )?;
    conn.execute(
        "INSERT OR IGNORE INTO installation_access (user_id, installation_id) VALUES (?1, ?2)",
        params![user_id, record.installation_id],
    )?;
    Ok(())
}

// ---- GHCR PAT -----------------------------------------------------------------------

#[derive(Clone, Debug)]
pub struct GhcrPat {
    pub expires_at: Option<String>,
    pub github_login: Option<String>,
    pub scopes: Vec<String>,
    pub verification: String,
    pub last_rotated_at: Option<String>,
    pub last_verified_at: Option<String>,
}

pub fn ghcr_pat(conn: &Connection, user_id: &str) -> rusqlite::Result<Option<GhcrPat>> {
    conn.query_row(
        "SELECT expires_at, github_login, scopes, verification, last_rotated_at, last_verified_at
         FROM ghcr_pats WHERE user_id = ?1 AND active = 1",
        params![user_id],
        |r| {
            let scopes: String = r.get(2)?;
            Ok(GhcrPat {
                expires_at: r.get(0)?,
                github_login: r.get(1)?,
                scopes: scopes
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
                verification: r.get(3)?,
                last_rotated_at: r.get(4)?,
                last_verified_at: r.get(5)?,
            })
        },
    )
    .optional()
}

#[allow(clippy::too_many_arguments)]
pub fn save_ghcr_pat(
    conn: &Connection,
    user_id: &str,
    token_enc: &str,
    expires_at: Option<&str>,
    github_login: &str,
    scopes: &[&str],
    verification: &str,
) -> rusqlite::Result<()> {
    let at = iso(now());
    conn.execute(
        "INSERT INTO ghcr_pats (user_id, token_enc, expires_at, github_login, scopes, verification, last_rotated_at, last_verified_at, active)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, 1)
         ON CONFLICT (user_id) DO UPDATE SET token_enc = ?2, expires_at = ?3, github_login = ?4, scopes = ?5,
           verification = ?6, last_rotated_at = ?7, last_verified_at = ?7, active = 1",
        params![user_id, token_enc, expires_at, github_login, scopes.join(","), verification, at],
    )?;
    Ok(())
}

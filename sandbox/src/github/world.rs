//! The simulated GitHub's world: accounts, organisations, repositories, the App, its
//! installations and install requests, OAuth codes and tokens.

use rusqlite::{Connection, OptionalExtension, params};

use crate::util::{iso, now, random_hex};

pub const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS gh_accounts (
    id    INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE COLLATE NOCASE,
    type  TEXT NOT NULL CHECK (type IN ('User', 'Organization')),
    name  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS gh_memberships (
    org_id  INTEGER NOT NULL REFERENCES gh_accounts(id),
    user_id INTEGER NOT NULL REFERENCES gh_accounts(id),
    role    TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    PRIMARY KEY (org_id, user_id)
);
CREATE TABLE IF NOT EXISTS gh_repos (
    id             INTEGER PRIMARY KEY,
    owner_id       INTEGER NOT NULL REFERENCES gh_accounts(id),
    name           TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    private        INTEGER NOT NULL DEFAULT 0,
    language       TEXT NOT NULL DEFAULT '',
    default_branch TEXT NOT NULL DEFAULT 'main',
    updated_at     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS gh_apps (
    slug           TEXT PRIMARY KEY,
    app_id         INTEGER NOT NULL,
    name           TEXT NOT NULL,
    client_id      TEXT NOT NULL,
    client_secret  TEXT NOT NULL,
    callback_url   TEXT NOT NULL,
    public_key     TEXT NOT NULL DEFAULT '',
    owner          TEXT NOT NULL DEFAULT '',
    webhook_secret TEXT NOT NULL DEFAULT '',
    hook_url       TEXT NOT NULL DEFAULT '',
    public         INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS gh_manifest_codes (
    code       TEXT PRIMARY KEY,
    slug       TEXT NOT NULL,
    pem        TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS gh_installations (
    id                   INTEGER PRIMARY KEY,
    app_slug             TEXT NOT NULL,
    account_id           INTEGER NOT NULL REFERENCES gh_accounts(id),
    repository_selection TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    suspended_at         TEXT,
    UNIQUE (app_slug, account_id)
);
CREATE TABLE IF NOT EXISTS gh_installation_repos (
    installation_id INTEGER NOT NULL REFERENCES gh_installations(id) ON DELETE CASCADE,
    repo_id         INTEGER NOT NULL REFERENCES gh_repos(id),
    PRIMARY KEY (installation_id, repo_id)
);
CREATE TABLE IF NOT EXISTS gh_install_requests (
    id           INTEGER PRIMARY KEY,
    app_slug     TEXT NOT NULL,
    account_id   INTEGER NOT NULL,
    requester_id INTEGER NOT NULL,
    selection    TEXT NOT NULL,
    repo_ids     TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    approved_at  TEXT
);
CREATE TABLE IF NOT EXISTS gh_deliveries (
    id           INTEGER PRIMARY KEY,
    app_slug     TEXT NOT NULL,
    event        TEXT NOT NULL,
    action       TEXT NOT NULL,
    account      TEXT NOT NULL,
    body         TEXT NOT NULL,
    status       INTEGER,
    delivered_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS gh_oauth_codes (
    code       TEXT PRIMARY KEY,
    app_slug   TEXT NOT NULL,
    user_id    INTEGER NOT NULL,
    expires_at TEXT NOT NULL,
    used       INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS gh_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    app_slug   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS gh_pats (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('classic', 'fine_grained')),
    note       TEXT NOT NULL,
    scopes     TEXT NOT NULL DEFAULT '',
    last_four  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked    INTEGER NOT NULL DEFAULT 0
);
"#;

// ---- the world -----------------------------------------------------------------------

#[derive(Clone, Debug)]
pub struct Account {
    pub id: i64,
    pub login: String,
    pub kind: String,
    pub name: String,
}

pub(super) fn account_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        id: r.get(0)?,
        login: r.get(1)?,
        kind: r.get(2)?,
        name: r.get(3)?,
    })
}

pub fn account(conn: &Connection, login: &str) -> rusqlite::Result<Option<Account>> {
    conn.query_row(
        "SELECT id, login, type, name FROM gh_accounts WHERE login = ?1",
        params![login],
        account_from_row,
    )
    .optional()
}

pub(super) fn account_by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<Account>> {
    conn.query_row(
        "SELECT id, login, type, name FROM gh_accounts WHERE id = ?1",
        params![id],
        account_from_row,
    )
    .optional()
}

pub(super) fn users(conn: &Connection) -> rusqlite::Result<Vec<Account>> {
    let mut stmt =
        conn.prepare("SELECT id, login, type, name FROM gh_accounts WHERE type = 'User' ORDER BY login")?;
    stmt.query_map([], account_from_row)?.collect()
}

/// The accounts `user` may install on: itself, then its organisations, with its role.
pub(super) fn install_targets(conn: &Connection, user: &Account) -> rusqlite::Result<Vec<(Account, bool)>> {
    let mut targets = vec![(user.clone(), true)];
    let mut stmt = conn.prepare(
        "SELECT a.id, a.login, a.type, a.name, m.role FROM gh_memberships m JOIN gh_accounts a ON a.id = m.org_id
         WHERE m.user_id = ?1 ORDER BY a.login",
    )?;
    let orgs = stmt.query_map(params![user.id], |r| {
        Ok((account_from_row(r)?, r.get::<_, String>(4)? == "admin"))
    })?;
    for org in orgs {
        targets.push(org?);
    }
    Ok(targets)
}

pub(super) fn can_administer(conn: &Connection, user: &Account, target: &Account) -> rusqlite::Result<bool> {
    Ok(install_targets(conn, user)?
        .into_iter()
        .any(|(a, admin)| a.id == target.id && admin))
}

#[derive(Clone, Debug)]
pub struct Repo {
    pub id: i64,
    pub owner: String,
    pub name: String,
    pub description: String,
    pub private: bool,
    pub language: String,
    pub default_branch: String,
    pub updated_at: String,
}

pub(super) fn repos_of(conn: &Connection, owner_id: i64) -> rusqlite::Result<Vec<Repo>> {
    let mut stmt = conn.prepare(
        "SELECT r.id, a.login, r.name, r.description, r.private, r.language, r.default_branch, r.updated_at
         FROM gh_repos r JOIN gh_accounts a ON a.id = r.owner_id WHERE r.owner_id = ?1 ORDER BY r.updated_at DESC",
    )?;
    stmt.query_map(params![owner_id], |r| {
        Ok(Repo {
            id: r.get(0)?,
            owner: r.get(1)?,
            name: r.get(2)?,
            description: r.get(3)?,
            private: r.get::<_, i64>(4)? != 0,
            language: r.get(5)?,
            default_branch: r.get(6)?,
            updated_at: r.get(7)?,
        })
    })?
    .collect()
}

/// The ids of `owner_id`'s repositories called `names`.
pub fn repo_ids(conn: &Connection, owner_id: i64, names: &[&str]) -> rusqlite::Result<Vec<i64>> {
    Ok(repos_of(conn, owner_id)?
        .into_iter()
        .filter(|r| names.contains(&r.name.as_str()))
        .map(|r| r.id)
        .collect())
}

/// A GitHub App as GitHub keeps it: its public key (to check the App's JWTs), and the
/// webhook it calls.
#[derive(Clone, Debug, Default)]
pub struct AppRegistration {
    pub app_id: i64,
    pub slug: String,
    pub name: String,
    pub client_id: String,
    pub client_secret: String,
    pub callback_url: String,
    /// SPKI PEM.
    pub public_key: String,
    /// The account that owns it (a user or an organisation login).
    pub owner: String,
    pub webhook_secret: String,
    /// Empty when webhooks are off.
    pub hook_url: String,
    pub public: bool,
}

/// Columns `gh_apps` gained after its first version.
pub(super) const APP_ADDED_COLUMNS: &[(&str, &str)] = &[
    ("public_key", "TEXT NOT NULL DEFAULT ''"),
    ("owner", "TEXT NOT NULL DEFAULT ''"),
    ("webhook_secret", "TEXT NOT NULL DEFAULT ''"),
    ("hook_url", "TEXT NOT NULL DEFAULT ''"),
    ("public", "INTEGER NOT NULL DEFAULT 0"),
];

const APP_COLUMNS: &str = "app_id, slug, name, client_id, client_secret, callback_url, public_key, owner, webhook_secret, hook_url, public";

fn app_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AppRegistration> {
    Ok(AppRegistration {
        app_id: r.get(0)?,
        slug: r.get(1)?,
        name: r.get(2)?,
        client_id: r.get(3)?,
        client_secret: r.get(4)?,
        callback_url: r.get(5)?,
        public_key: r.get(6)?,
        owner: r.get(7)?,
        webhook_secret: r.get(8)?,
        hook_url: r.get(9)?,
        public: r.get(10)?,
    })
}

fn app_where(
    conn: &Connection,
    condition: &str,
    value: &dyn rusqlite::ToSql,
) -> rusqlite::Result<Option<AppRegistration>> {
    conn.query_row(
        &format!("SELECT {APP_COLUMNS} FROM gh_apps WHERE {condition} = ?1"),
        [value],
        app_from_row,
    )
    .optional()
}

pub fn app(conn: &Connection, slug: &str) -> rusqlite::Result<Option<AppRegistration>> {
    app_where(conn, "slug", &slug)
}

pub(super) fn app_by_client_id(
    conn: &Connection,
    client_id: &str,
) -> rusqlite::Result<Option<AppRegistration>> {
    app_where(conn, "client_id", &client_id)
}

pub(super) fn app_by_id(conn: &Connection, app_id: i64) -> rusqlite::Result<Option<AppRegistration>> {
    app_where(conn, "app_id", &app_id)
}

/// Registers (or replaces) an App under its slug.
pub fn register_app(conn: &Connection, app: &AppRegistration) -> rusqlite::Result<()> {
    conn.execute(
        &format!(
            "INSERT OR REPLACE INTO gh_apps ({APP_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
        ),
        params![
            app.app_id, app.slug, app.name, app.client_id, app.client_secret, app.callback_url,
            app.public_key, app.owner, app.webhook_secret, app.hook_url, app.public
        ],
    )?;
    Ok(())
}

/// The next free App ID.
pub fn next_app_id(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COALESCE(MAX(app_id), 1000000) + 1 FROM gh_apps",
        [],
        |r| r.get(0),
    )
}

#[derive(Clone, Debug)]
pub(super) struct Installation {
    pub(super) id: i64,
    pub(super) account: Account,
    pub(super) selection: String,
    pub(super) created_at: String,
    pub(super) suspended_at: Option<String>,
}

pub(super) fn installation_for(
    conn: &Connection,
    slug: &str,
    account_id: i64,
) -> rusqlite::Result<Option<Installation>> {
    let row: Option<(i64, String, String, Option<String>)> = conn
        .query_row(
            "SELECT id, repository_selection, created_at, suspended_at FROM gh_installations WHERE app_slug = ?1 AND account_id = ?2",
            params![slug, account_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((id, selection, created_at, suspended_at)) = row else {
        return Ok(None);
    };
    let Some(account) = account_by_id(conn, account_id)? else {
        return Ok(None);
    };
    Ok(Some(Installation {
        id,
        account,
        selection,
        created_at,
        suspended_at,
    }))
}

/// Installations of `slug` that `user` can reach: on its own account or on an
/// organisation it belongs to (GitHub's `GET /user/installations`).
pub(super) fn reachable_installations(
    conn: &Connection,
    slug: &str,
    user: &Account,
) -> rusqlite::Result<Vec<Installation>> {
    let mut out = Vec::new();
    for (target, _) in install_targets(conn, user)? {
        if let Some(installation) = installation_for(conn, slug, target.id)? {
            out.push(installation);
        }
    }
    Ok(out)
}

pub(super) fn installation_repos(
    conn: &Connection,
    installation: &Installation,
) -> rusqlite::Result<Vec<Repo>> {
    let all = repos_of(conn, installation.account.id)?;
    if installation.selection == "all" {
        return Ok(all);
    }
    let mut stmt = conn.prepare("SELECT repo_id FROM gh_installation_repos WHERE installation_id = ?1")?;
    let ids: Vec<i64> = stmt
        .query_map(params![installation.id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(all.into_iter().filter(|r| ids.contains(&r.id)).collect())
}

pub fn save_installation(
    conn: &Connection,
    slug: &str,
    account_id: i64,
    selection: &str,
    repo_ids: &[i64],
) -> rusqlite::Result<i64> {
    let id = match installation_for(conn, slug, account_id)? {
        Some(existing) => {
            conn.execute(
                "UPDATE gh_installations SET repository_selection = ?1 WHERE id = ?2",
                params![selection, existing.id],
            )?;
            existing.id
        }
        None => {
            let id = 10_000_000 + i64::from(rand::random::<u32>() % 89_999_999);
            conn.execute(
                "INSERT INTO gh_installations (id, app_slug, account_id, repository_selection, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, slug, account_id, selection, iso(now())],
            )?;
            id
        }
    };
    conn.execute(
        "DELETE FROM gh_installation_repos WHERE installation_id = ?1",
        params![id],
    )?;
    if selection == "selected" {
        for repo in repo_ids {
            conn.execute(
                "INSERT OR IGNORE INTO gh_installation_repos (installation_id, repo_id) VALUES (?1, ?2)",
                params![id, repo],
            )?;
        }
    }
    Ok(id)
}

/// A user-to-server token for `user_id` through App `slug`, as the code exchange issues.
pub fn issue_user_token(conn: &Connection, slug: &str, user_id: i64) -> rusqlite::Result<String> {
    let token = format!("ghu_{}", random_hex(18));
    conn.execute(
        "INSERT INTO gh_tokens (token_hash, user_id, app_slug) VALUES (?1, ?2, ?3)",
        params![crate::util::sha256_hex(&token), user_id, slug],
    )?;
    Ok(token)
}

pub(super) fn issue_code(conn: &Connection, slug: &str, user_id: i64) -> rusqlite::Result<String> {
    let code = random_hex(10);
    conn.execute(
        "INSERT INTO gh_oauth_codes (code, app_slug, user_id, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![code, slug, user_id, iso(now() + chrono::Duration::minutes(10))],
    )?;
    Ok(code)
}

/// An installation that an owner's approval created or changed.
pub struct Approved {
    pub slug: String,
    pub id: i64,
    pub existed: bool,
}

/// Approves every pending install request on organisation `org` (what its owner does on
/// GitHub).
pub fn approve_requests(conn: &Connection, org: &str) -> rusqlite::Result<Vec<Approved>> {
    let Some(org) = account(conn, org)? else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare(
        "SELECT id, app_slug, selection, repo_ids FROM gh_install_requests WHERE account_id = ?1 AND approved_at IS NULL",
    )?;
    let pending: Vec<(i64, String, String, String)> = stmt
        .query_map(params![org.id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<Result<_, _>>()?;
    let mut approved = Vec::new();
    for (id, slug, selection, repo_ids) in pending {
        let ids: Vec<i64> = repo_ids.split(',').filter_map(|s| s.parse().ok()).collect();
        let existed = installation_for(conn, &slug, org.id)?.is_some();
        let installation = save_installation(conn, &slug, org.id, &selection, &ids)?;
        conn.execute(
            "UPDATE gh_install_requests SET approved_at = ?1 WHERE id = ?2",
            params![iso(now()), id],
        )?;
        approved.push(Approved {
            slug,
            id: installation,
            existed,
        });
    }
    Ok(approved)
}

/// The installation with GitHub id `id`, and the App it belongs to.
pub(super) fn installation_by_id(
    conn: &Connection,
    id: i64,
) -> rusqlite::Result<Option<(String, Installation)>> {
    let found: Option<(String, i64)> = conn
        .query_row(
            "SELECT app_slug, account_id FROM gh_installations WHERE id = ?1",
            params![id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((slug, account_id)) = found else {
        return Ok(None);
    };
    Ok(installation_for(conn, &slug, account_id)?.map(|i| (slug, i)))
}

/// Suspends (or, with `false`, unsuspends) an installation, as its account's owner does.
pub(super) fn set_suspended(conn: &Connection, id: i64, suspended: bool) -> rusqlite::Result<()> {
    let at = suspended.then(|| iso(now()));
    conn.execute(
        "UPDATE gh_installations SET suspended_at = ?1 WHERE id = ?2",
        params![at, id],
    )?;
    Ok(())
}

/// Uninstalls: the installation is gone from GitHub.
pub(super) fn uninstall(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM gh_installations WHERE id = ?1", params![id])?;
    Ok(())
}

/// Seeds the world into an empty database: each demo Flui user has a GitHub user;
/// `acme` is owned by olive-owner and has uma-dev as a plain member.
pub fn seed_world(conn: &Connection, repos_per_account: usize) -> rusqlite::Result<()> {
    let seeded: i64 = conn.query_row("SELECT COUNT(*) FROM gh_accounts", [], |r| r.get(0))?;
    if seeded > 0 {
        return Ok(());
    }
    let accounts = [
        (1001, "ada-admin", "User", "Ada Admin"),
        (1002, "uma-dev", "User", "Uma User"),
        (1003, "olive-owner", "User", "Olive Owner"),
        (2001, "acme", "Organization", "Acme Corp"),
        (2002, "uma-labs", "Organization", "Uma Labs"),
    ];
    for (id, login, kind, name) in accounts {
        conn.execute(
            "INSERT INTO gh_accounts (id, login, type, name) VALUES (?1, ?2, ?3, ?4)",
            params![id, login, kind, name],
        )?;
    }
    for (org, user, role) in [
        (2001, 1003, "admin"),
        (2001, 1002, "member"),
        (2001, 1001, "member"),
        (2002, 1002, "admin"),
    ] {
        conn.execute(
            "INSERT INTO gh_memberships (org_id, user_id, role) VALUES (?1, ?2, ?3)",
            params![org, user, role],
        )?;
    }
    let named = [
        ("api", "HTTP API of the shop", "Rust", true),
        ("web", "Storefront, server-rendered", "TypeScript", false),
        ("worker", "", "Go", true),
        ("docs", "Public documentation", "", false),
    ];
    let seeding = conn.unchecked_transaction()?;
    let mut next_id = 500_000;
    for owner in [1001, 1002, 2001, 2002] {
        for i in 0..repos_per_account {
            let (name, description, language, private) = match named.get(i) {
                Some(&(n, d, l, p)) => (n.to_owned(), d.to_owned(), l.to_owned(), p),
                None => (
                    format!("service-{i:04}"),
                    format!("Generated repository {i}"),
                    "Rust".to_owned(),
                    i % 3 == 0,
                ),
            };
            next_id += 1;
            let updated = iso(now() - chrono::Duration::hours(i as i64 * 7 + owner % 5));
            conn.execute(
                "INSERT INTO gh_repos (id, owner_id, name, description, private, language, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![next_id, owner, name, description, private as i64, language, updated],
            )?;
        }
    }
    for (name, description, language) in hostile_repos() {
        next_id += 1;
        conn.execute(
            "INSERT INTO gh_repos (id, owner_id, name, description, private, language, updated_at) VALUES (?1, 2002, ?2, ?3, 0, ?4, ?5)",
            params![next_id, name, description, language, iso(now() - chrono::Duration::days(400))],
        )?;
    }
    seeding.commit()
}

/// Repositories of `uma-labs` whose names and descriptions try to be more than text:
/// markup, a right-to-left override that disguises a name, a 10 KB description, emoji.
fn hostile_repos() -> [(String, String, &'static str); 4] {
    [
        (
            "<img src=x onerror=alert(1)>".into(),
            "<script>alert('description')</script><b>bold?</b>".into(),
            "<i>HTML</i>",
        ),
        (
            "invoice-\u{202E}gpj.exe".into(),
            "\u{202E}This description runs right to left".into(),
            "",
        ),
        (
            "long-description".into(),
            "A very long description. ".repeat(420),
            "Rust",
        ),
        (
            "rocket-\u{1F680}".into(),
            "Ships fast \u{1F680}\u{1F525}".into(),
            "Go",
        ),
    ]
}

// ---- personal access tokens ----------------------------------------------------------

/// The scopes the classic token page offers, in GitHub's words.
pub(super) const CLASSIC_SCOPES: [(&str, &str); 7] = [
    ("repo", "Full control of private repositories"),
    ("workflow", "Update GitHub Action workflows"),
    ("write:packages", "Upload packages to GitHub Package Registry"),
    ("read:packages", "Download packages from GitHub Package Registry"),
    ("delete:packages", "Delete packages from GitHub Package Registry"),
    ("admin:repo_hook", "Full control of repository hooks"),
    ("user:email", "Access user email addresses (read-only)"),
];

/// A personal access token as its owner's settings list it (never the token itself).
pub(super) struct PatRow {
    pub(super) id: i64,
    pub(super) kind: String,
    pub(super) note: String,
    pub(super) scopes: String,
    pub(super) last_four: String,
    pub(super) expires_at: Option<String>,
    pub(super) revoked: bool,
}

/// What a token may do: a GitHub App's user token, or a personal access token (classic
/// ones carry scopes; fine-grained ones carry permissions instead, and no scopes).
pub(super) enum Grant {
    App { slug: String },
    Pat { scopes: Option<Vec<String>> },
}

/// Mints a token for `user_id`: `ghp_…` (classic) or `github_pat_…` (fine-grained).
pub(super) fn create_pat(
    conn: &Connection,
    user_id: i64,
    fine_grained: bool,
    note: &str,
    scopes: &[String],
    days: Option<i64>,
) -> rusqlite::Result<String> {
    let (kind, token) = if fine_grained {
        ("fine_grained", format!("github_pat_{}", random_hex(41)))
    } else {
        ("classic", format!("ghp_{}", random_hex(18)))
    };
    conn.execute(
        "INSERT INTO gh_pats (token_hash, user_id, kind, note, scopes, last_four, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            crate::util::sha256_hex(&token),
            user_id,
            kind,
            note,
            scopes.join(","),
            &token[token.len() - 4..],
            iso(now()),
            days.map(|d| iso(now() + chrono::Duration::days(d)))
        ],
    )?;
    Ok(token)
}

pub(super) fn pats_of(conn: &Connection, user_id: i64) -> rusqlite::Result<Vec<PatRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, kind, note, scopes, last_four, expires_at, revoked FROM gh_pats WHERE user_id = ?1 ORDER BY id DESC",
    )?;
    stmt.query_map(params![user_id], |r| {
        Ok(PatRow {
            id: r.get(0)?,
            kind: r.get(1)?,
            note: r.get(2)?,
            scopes: r.get(3)?,
            last_four: r.get(4)?,
            expires_at: r.get(5)?,
            revoked: r.get::<_, i64>(6)? != 0,
        })
    })?
    .collect()
}

/// Revokes token `id` of `user_id`; false when there is no such token.
pub(super) fn revoke_pat(conn: &Connection, user_id: i64, id: i64) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "UPDATE gh_pats SET revoked = 1 WHERE id = ?1 AND user_id = ?2",
        params![id, user_id],
    )? > 0)
}

/// The user a token acts for, and what it may do; `None` for an unknown, revoked or
/// expired token.
pub(super) fn token_grant(conn: &Connection, token: &str) -> rusqlite::Result<Option<(Account, Grant)>> {
    let hash = crate::util::sha256_hex(token);
    let app: Option<(i64, String)> = conn
        .query_row(
            "SELECT user_id, app_slug FROM gh_tokens WHERE token_hash = ?1",
            params![hash],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (user_id, grant) = match app {
        Some((user_id, slug)) => (user_id, Grant::App { slug }),
        None => {
            let pat: Option<(i64, String, String)> = conn
                .query_row(
                    "SELECT user_id, kind, scopes FROM gh_pats
                     WHERE token_hash = ?1 AND revoked = 0 AND (expires_at IS NULL OR expires_at > ?2)",
                    params![hash, iso(now())],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((user_id, kind, scopes)) = pat else {
                return Ok(None);
            };
            let scopes = (kind == "classic").then(|| {
                scopes
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            });
            (user_id, Grant::Pat { scopes })
        }
    };
    Ok(account_by_id(conn, user_id)?.map(|account| (account, grant)))
}

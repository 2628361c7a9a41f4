//! The webhooks the simulated GitHub sends an App when one of its installations is
//! created, changed, suspended or removed through GitHub's pages: to the App's webhook URL
//! when its webhooks are on, signed with its webhook secret as GitHub signs them
//! (`X-Hub-Signature-256: sha256=<HMAC-SHA256 of the body, hex>`).

use std::time::Duration;

use hmac::{Hmac, Mac};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};
use sha2::Sha256;

use super::GithubState;
use super::rest::{account_json, installation_json};
use super::world::{Account, AppRegistration, Installation, Repo};
use crate::util::{iso, now};

/// A webhook made while the database is held, sent once it is released.
pub(super) struct Delivery {
    slug: String,
    url: String,
    secret: String,
    event: String,
    body: String,
}

/// `X-Hub-Signature-256` for `body` under `secret`.
pub fn sign_webhook(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

fn delivery(app: &AppRegistration, event: &'static str, body: Value) -> Option<Delivery> {
    (!app.hook_url.is_empty()).then(|| Delivery {
        slug: app.slug.clone(),
        url: app.hook_url.clone(),
        secret: app.webhook_secret.clone(),
        event: event.to_owned(),
        body: body.to_string(),
    })
}

/// An `installation` event: `created`, `deleted`, `suspend` or `unsuspend`.
pub(super) fn installation_event(
    app: &AppRegistration,
    action: &str,
    installation: &Installation,
    sender: &Account,
) -> Option<Delivery> {
    let mut body = json!({
        "action": action,
        "installation": installation_json(installation, &app.slug),
        "sender": account_json(sender),
    });
    body["installation"]["app_id"] = json!(app.app_id);
    delivery(app, "installation", body)
}

/// An `installation_repositories` event: `added` or `removed`, with the repositories that
/// the installation gained or lost.
pub(super) fn repositories_event(
    app: &AppRegistration,
    installation: &Installation,
    sender: &Account,
    action: &'static str,
    repos: &[&Repo],
) -> Option<Delivery> {
    let repos: Vec<Value> = repos
        .iter()
        .map(|r| json!({ "id": r.id, "name": r.name, "full_name": format!("{}/{}", r.owner, r.name), "private": r.private }))
        .collect();
    let (added, removed) = if action == "added" {
        (repos, Vec::new())
    } else {
        (Vec::new(), repos)
    };
    let body = json!({
        "action": action,
        "installation": installation_json(installation, &app.slug),
        "repository_selection": installation.selection,
        "repositories_added": added,
        "repositories_removed": removed,
        "sender": account_json(sender),
    });
    delivery(app, "installation_repositories", body)
}

/// Sends each webhook once and waits for the answer (GitHub records a failed delivery
/// and moves on; so does this), keeping each among the App's recent deliveries.
pub(super) async fn send(state: &GithubState, deliveries: Vec<Delivery>) {
    let http = reqwest::Client::new();
    for d in deliveries {
        let status = http
            .post(&d.url)
            .header("content-type", "application/json")
            .header("user-agent", "GitHub-Hookshot/sandbox")
            .header("x-github-event", &d.event)
            .header("x-github-delivery", uuid::Uuid::new_v4().to_string())
            .header("x-hub-signature-256", sign_webhook(&d.secret, d.body.as_bytes()))
            .timeout(Duration::from_secs(5))
            .body(d.body.clone())
            .send()
            .await
            .ok()
            .map(|answer| answer.status().as_u16());
        let payload: Value = serde_json::from_str(&d.body).unwrap_or_default();
        let _ = state.db().execute(
            "INSERT INTO gh_deliveries (app_slug, event, action, account, body, status, delivered_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                d.slug,
                d.event,
                payload["action"].as_str().unwrap_or_default(),
                payload["installation"]["account"]["login"]
                    .as_str()
                    .unwrap_or_default(),
                d.body,
                status,
                iso(now())
            ],
        );
    }
}

/// One of an App's recent deliveries.
pub(super) struct Delivered {
    pub id: i64,
    pub event: String,
    pub action: String,
    pub account: String,
    pub status: Option<u16>,
    pub delivered_at: String,
}

/// App `slug`'s deliveries, newest first.
pub(super) fn recent_deliveries(conn: &Connection, slug: &str) -> rusqlite::Result<Vec<Delivered>> {
    let mut stmt = conn.prepare(
        "SELECT id, event, action, account, status, delivered_at FROM gh_deliveries
         WHERE app_slug = ?1 ORDER BY id DESC LIMIT 50",
    )?;
    stmt.query_map(params![slug], |r| {
        Ok(Delivered {
            id: r.get(0)?,
            event: r.get(1)?,
            action: r.get(2)?,
            account: r.get(3)?,
            status: r.get(4)?,
            delivered_at: r.get(5)?,
        })
    })?
    .collect()
}

/// Delivery `id` of `app` again, signed with the App's secret now, to its URL now.
pub(super) fn redelivery(
    conn: &Connection,
    app: &AppRegistration,
    id: i64,
) -> rusqlite::Result<Option<Delivery>> {
    let found: Option<(String, String)> = conn
        .query_row(
            "SELECT event, body FROM gh_deliveries WHERE id = ?1 AND app_slug = ?2",
            params![id, app.slug],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(found.and_then(|(event, body)| {
        (!app.hook_url.is_empty()).then(|| Delivery {
            slug: app.slug.clone(),
            url: app.hook_url.clone(),
            secret: app.webhook_secret.clone(),
            event,
            body,
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::sign_webhook;

    #[test]
    fn signatures_are_githubs() {
        // GitHub's documented example: secret "It's a Secret to Everybody", payload "Hello, World!".
        assert_eq!(
            sign_webhook("It's a Secret to Everybody", b"Hello, World!"),
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        );
    }
}

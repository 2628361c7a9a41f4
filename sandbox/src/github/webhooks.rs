//! The webhooks the simulated GitHub sends an App when one of its installations is
//! created, changed, suspended or removed through GitHub's pages: to the App's webhook URL
//! when its webhooks are on, signed with its webhook secret as GitHub signs them
//! (`X-Hub-Signature-256: sha256=<HMAC-SHA256 of the body, hex>`).

use std::time::Duration;

use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use super::rest::{account_json, installation_json};
use super::world::{Account, AppRegistration, Installation, Repo};

/// A webhook made while the database is held, sent once it is released.
pub(super) struct Delivery {
    url: String,
    secret: String,
    event: &'static str,
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
        url: app.hook_url.clone(),
        secret: app.webhook_secret.clone(),
        event,
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
/// and moves on; so does this).
pub(super) async fn send(deliveries: Vec<Delivery>) {
    let http = reqwest::Client::new();
    for d in deliveries {
        let _ = http
            .post(&d.url)
            .header("content-type", "application/json")
            .header("user-agent", "GitHub-Hookshot/sandbox")
            .header("x-github-event", d.event)
            .header("x-github-delivery", uuid::Uuid::new_v4().to_string())
            .header("x-hub-signature-256", sign_webhook(&d.secret, d.body.as_bytes()))
            .timeout(Duration::from_secs(5))
            .body(d.body)
            .send()
            .await;
    }
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

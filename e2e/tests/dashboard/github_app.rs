//! The admin's GitHub App page (`flui integration setup-github-app`, and the one-click
//! manifest flow) against the sandbox and its simulated GitHub, which checks every App JWT
//! with the App's public key as GitHub does.

use std::path::{Path, PathBuf};
use std::process::Command;

use e2e::{Fault, Page, demo, run};

pub(crate) const CONFIGURE: &str = "/api/v1/repositories/github/setup/github-app";
const MANIFEST_START: &str = "/api/v1/repositories/github/setup/github-app/manifest-start";

/// A fresh RSA key made by `openssl` in `dir`: the PKCS#1 file, the same key in PKCS#8,
/// and the fingerprint GitHub lists for it, as `openssl` computes it.
pub(crate) fn openssl_key(dir: &Path) -> (PathBuf, PathBuf, String) {
    let (p1, p8) = (dir.join("app.private-key.pem"), dir.join("app-pkcs8.pem"));
    let run = |args: &[&str]| {
        let out = Command::new("openssl").args(args).output().expect("openssl runs");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    run(&[
        "genrsa",
        "-traditional",
        "-out",
        &p1.display().to_string(),
        "2048",
    ]);
    run(&[
        "pkey",
        "-in",
        &p1.display().to_string(),
        "-out",
        &p8.display().to_string(),
    ]);
    let der = run(&[
        "rsa",
        "-in",
        &p1.display().to_string(),
        "-pubout",
        "-outform",
        "DER",
    ]);
    let digest = {
        let mut child = Command::new("openssl")
            .args(["sha256", "-binary"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("openssl runs");
        std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), &der).expect("write");
        child.wait_with_output().expect("openssl sha256").stdout
    };
    let base64 = {
        let mut child = Command::new("openssl")
            .args(["base64", "-A"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("openssl runs");
        std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), &digest).expect("write");
        String::from_utf8(child.wait_with_output().expect("openssl base64").stdout).expect("text")
    };
    (p1, p8, format!("SHA256:{}", base64.trim()))
}

/// A line from the middle of a PEM file: what would betray the key if it leaked.
pub(crate) fn key_line(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("the key file");
    text.lines().nth(5).expect("a long key").to_owned()
}

async fn open_as_admin(page: &Page) {
    page.sign_in_to_overview(&demo::ADMIN).await;
    page.goto("/admin/github-app").await;
    page.expect_page("GitHub App").await;
    page.expect_region_text("On this instance", "GitHub accepts the App's credentials.")
        .await;
}

#[tokio::test]
async fn one_click_creation_then_a_user_connects_with_the_new_app() {
    run(
        |_| {},
        |page| async move {
            open_as_admin(&page).await;
            page.expect_region_text("On this instance", "424242").await;
            page.check_accessibility().await;

            // The sandbox's API is on a loopback address over http: both are named.
            page.expect_text("is this computer: GitHub cannot reach it").await;
            page.expect_text("This is plain http").await;
            page.fill("App name", "Flui E2E").await;
            page.expect_text("/apps/flui-e2e").await;
            let callback = format!(
                "{}/api/v1/repositories/github-app/user-callback",
                page.sandbox.url()
            );
            page.expect_text(&callback).await;
            page.click_button("Create on GitHub").await;
            page.expect_text("Fix the address, or confirm that GitHub can reach it as it is.")
                .await;
            assert_eq!(
                page.sandbox.requests("POST", MANIFEST_START),
                0,
                "nothing sent before the warning is accepted"
            );
            page.choose("GitHub can reach this address as it is").await;
            page.click_button("Create on GitHub").await;

            // On GitHub: sign in, review, and a name GitHub already has is refused there.
            page.expect_page("Sign in to GitHub").await;
            page.click_button("Continue as ada-admin").await;
            page.expect_page("Create GitHub App").await;
            page.expect_text(&callback).await;
            page.fill("GitHub App name", "Flui Sandbox").await;
            page.click_button("Create GitHub App for ada-admin").await;
            page.expect_text("Name is already in use").await;
            page.fill("GitHub App name", "Flui E2E").await;
            page.click_button("Create GitHub App for ada-admin").await;

            // Back in the dashboard: confirmed with Flui before any success is claimed.
            page.expect_page("GitHub App").await;
            page.expect_text("The GitHub App flui-e2e was created on GitHub and Flui has its credentials.")
                .await;
            page.expect_path("/apps/repositories/github-setup").await;
            page.expect_region_text("On this instance", "flui-e2e").await;
            page.check_accessibility().await;

            // A user connects GitHub through the new App (this browser is still signed in to
            // GitHub as ada-admin, who installs it on their own account, as the guide says).
            page.click_button("Sign out").await;
            page.sign_in_to_overview(&demo::USER).await;
            page.click_button("Connect GitHub").await;
            page.expect_page("Authorize Flui E2E").await;
            page.click_button("Authorize Flui E2E").await;
            page.expect_page("No installation reachable yet").await;
            page.click_button("Install the GitHub App").await;
            page.expect_page("Install Flui E2E").await;
            page.click_link("ada-admin").await;
            page.click_button("Install").await;
            page.expect_page("GitHub connected").await;
            page.expect_text("Connected as @ada-admin.").await;
        },
    )
    .await;
}

#[tokio::test]
async fn manual_registration_checks_the_key_in_the_browser_and_with_github() {
    run(
        |_| {},
        |page| async move {
            let dir = tempfile::tempdir().expect("a folder");
            let (pkcs1, pkcs8, fingerprint) = openssl_key(dir.path());
            let (app_id, slug, client_id) = page
                .sandbox
                .register_app_on_github("Flui Manual", &std::fs::read_to_string(&pkcs1).expect("key"))
                .expect("the App on GitHub");
            open_as_admin(&page).await;

            // Keys that are no App key are refused on the spot, with what to do.
            let other = tempfile::tempdir().expect("a folder");
            let ssh = other.path().join("id_rsa");
            let made = Command::new("ssh-keygen")
                .args([
                    "-q",
                    "-t",
                    "rsa",
                    "-b",
                    "2048",
                    "-N",
                    "",
                    "-f",
                    &ssh.display().to_string(),
                ])
                .status()
                .expect("ssh-keygen runs");
            assert!(made.success());
            page.upload("Private key file", &ssh).await;
            page.expect_text("This is an OpenSSH key.").await;
            page.upload("Private key file", &ssh.with_extension("pub")).await;
            page.expect_text("This is a public key.").await;

            // PKCS#8, dropped on the field, then pasted: its fingerprint is the one openssl computes.
            let pem8 = std::fs::read_to_string(&pkcs8).expect("key");
            let dropped = page
                .client
                .execute(
                    "const data = new DataTransfer();
                     data.items.add(new File([arguments[0]], 'key.pem'));
                     document.getElementById('private-key').dispatchEvent(
                         new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
                     return true;",
                    vec![serde_json::Value::String(pem8.clone())],
                )
                .await;
            assert!(dropped.is_ok(), "{dropped:?}");
            let expected = format!("RSA private key, 2048 bits, PKCS#8 PEM. Fingerprint {fingerprint}");
            page.expect_text(&expected).await;
            page.fill("Private key", "not a key").await;
            page.expect_text("This is not a PEM private key").await;
            page.expect_text_gone(&expected).await;
            page.fill("Private key", &pem8).await;
            page.expect_text(&expected).await;

            // The right key with a wrong App ID: GitHub refuses, everything typed stays.
            page.fill("App ID", "424242").await;
            page.fill("App slug", &slug).await;
            page.fill("Client ID", &client_id).await;
            page.fill("Client secret", "manual-client-secret").await;
            page.click_button("Generate").await;
            let webhook_secret = page.field_value("Webhook secret").await;
            assert_eq!(webhook_secret.len(), 48, "{webhook_secret}");
            page.click_button("Save the App in Flui").await;
            page.expect_region_text("Replace the configured GitHub App?", "flui-sandbox")
                .await;
            page.check_accessibility().await;
            page.click_button("Replace it").await;
            page.expect_text("Flui could not confirm this App ID and private key with GitHub")
                .await;
            assert_eq!(page.field_value("Client secret").await, "manual-client-secret");
            assert_eq!(page.field_value("Webhook secret").await, webhook_secret);
            page.expect_region_text("On this instance", "flui-sandbox").await;

            // PKCS#1, chosen as a file, with the right App ID: stored, and the secrets leave the page.
            page.upload("Private key file", &pkcs1).await;
            page.expect_text(&format!(
                "RSA private key, 2048 bits, PKCS#1 PEM. Fingerprint {fingerprint}"
            ))
            .await;
            page.fill("App ID", &app_id.to_string()).await;
            page.click_button("Save the App in Flui").await;
            page.click_button("Replace it").await;
            page.expect_text(&format!("Saved: Flui now uses the App {slug}."))
                .await;
            page.expect_region_text("On this instance", &slug).await;
            page.expect_region_text("On this instance", &app_id.to_string())
                .await;
            page.check_accessibility().await;
            for secret in [
                "manual-client-secret",
                webhook_secret.as_str(),
                &key_line(&pkcs1),
                &key_line(&pkcs8),
            ] {
                page.expect_secret_nowhere(secret).await;
                // And again when the test ends, after the rotation below.
                page.handled_secret(secret);
            }
            page.handled_secret("a-rotated-webhook-secret");
            assert_eq!(page.sandbox.requests("POST", CONFIGURE), 2);

            // Rotating the key alone: the optional client ID and secret are kept.
            page.fill("App ID", &app_id.to_string()).await;
            page.fill("App slug", &slug).await;
            page.fill("Webhook secret", "a-rotated-webhook-secret").await;
            page.fill("Private key", &pem8).await;
            page.click_button("Save the App in Flui").await;
            page.click_button("Replace it").await;
            page.expect_text(&format!("Saved: Flui now uses the App {slug}."))
                .await;
            let user = page.elsewhere(&demo::USER).await;
            let (status, link) = user
                .send("GET", "/repositories/github-app/install-url", None)
                .await;
            assert_eq!(status, 200);
            assert!(
                link["installUrl"]
                    .as_str()
                    .unwrap_or_default()
                    .contains(&client_id),
                "{link}"
            );
        },
    )
    .await;
}

#[tokio::test]
async fn pat_mode_and_reset_each_ask_first() {
    run(
        |_| {},
        |page| async move {
            open_as_admin(&page).await;
            page.click_button("Use personal access tokens instead").await;
            page.region("Use personal access tokens instead?").await;
            page.click_button("Switch to tokens").await;
            page.expect_region_text("On this instance", "Personal access tokens")
                .await;
            page.expect_region_text("On this instance", "Nothing to check here")
                .await;

            page.click_button("Reset…").await;
            page.region("Reset the GitHub setup?").await;
            page.expect_text("every user's GitHub connection and every installation record")
                .await;
            assert!(
                !page
                    .button("Reset everything")
                    .await
                    .is_enabled()
                    .await
                    .unwrap_or(true),
                "typed confirmation first"
            );
            page.fill("Type reset to confirm", "reset").await;
            page.check_accessibility().await;
            page.click_button("Reset everything").await;
            page.expect_region_text("On this instance", "Not set up").await;
            assert_eq!(
                page.sandbox
                    .requests("DELETE", "/api/v1/repositories/github/setup"),
                1
            );
        },
    )
    .await;
}

#[tokio::test]
async fn a_user_sees_no_admin_data() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            for path in [
                "/admin/github-app",
                "/apps/repositories/github-setup?manifest=success",
            ] {
                page.goto(path).await;
                page.expect_page("Admin rights needed").await;
            }
            assert_eq!(
                page.sandbox
                    .requests("GET", "/api/v1/repositories/github/setup/health"),
                0
            );
            page.check_accessibility().await;
        },
    )
    .await;
}

#[tokio::test]
async fn leaving_while_flui_confirms_a_return_from_github_is_harmless() {
    run(
        |_| {},
        |page| async move {
            let status = "/api/v1/repositories/github/setup/status";
            page.sign_in_to_overview(&demo::ADMIN).await;
            // Flui does not answer the page's reads of the setup, the confirmation's
            // among them; the admin leaves meanwhile. They end as cancelled once their
            // page is gone, and the confirmation's "read the status again" must not run
            // then (it was a panic that killed the whole dashboard; the harness fails on
            // one).
            page.sandbox.fault("GET", status, Fault::Hang, None);
            page.goto("/apps/repositories/github-setup?manifest=success")
                .await;
            page.expect_page("GitHub App").await;
            page.expect_requests_over("GET", status, 1).await;
            page.sandbox.clear_faults();
            page.click_link("Overview").await;
            page.expect_page("Overview").await;
            // The overview's own read of the setup, answered: the dashboard still runs.
            page.expect_region_text(
                "GitHub App",
                "The Flui GitHub App is registered on this instance.",
            )
            .await;
            page.click_link("GitHub App").await;
            page.expect_region_text("On this instance", "flui-sandbox").await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_return_from_github_is_believed_only_when_flui_confirms_it() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::ADMIN).await;
            // Typed by hand: the App Flui has is not new, so nothing is claimed; nor with none.
            for configured in [true, false] {
                if !configured {
                    page.sandbox.remove_github_app().expect("no App");
                }
                page.goto("/apps/repositories/github-setup?manifest=success")
                    .await;
                page.expect_text("GitHub sent you back, but Flui has no new GitHub App stored")
                    .await;
                page.expect_path("/apps/repositories/github-setup").await;
                page.expect_text_gone("was created on GitHub").await;
            }
            for (reason, words) in [
                (
                    "missing_code_or_state",
                    "GitHub came back to Flui without the one-time code",
                ),
                ("invalid_or_expired_state", "The setup link had expired"),
                ("Name%20is%20already%20in%20use", "Name is already in use"),
            ] {
                page.goto(&format!(
                    "/apps/repositories/github-setup?manifest=error&reason={reason}"
                ))
                .await;
                page.expect_page("GitHub App").await;
                page.expect_text("The App was not created").await;
                page.expect_text(words).await;
                page.expect_path("/apps/repositories/github-setup").await;
            }
            page.check_accessibility().await;
        },
    )
    .await;
}

#[tokio::test]
async fn every_doubtful_address_is_named_before_github_gets_it() {
    run(
        |_| {},
        |page| async move {
            open_as_admin(&page).await;
            for (url, words) in [
                ("https://192.168.1.20", "is a private network address"),
                ("https://203.0.113.9", "is a bare IP address"),
                ("https://flui.local", "is a local network name"),
                ("http://api.flui.example", "This is plain http"),
                (
                    "https://api.flui.example/api/v1",
                    "give the API's base address only",
                ),
                (
                    "https://api.flui.example",
                    "This is not the API this dashboard uses",
                ),
            ] {
                page.fill("Public API URL", url).await;
                page.expect_text(words).await;
                page.expect_text(&format!("{url}/api/v1/webhooks/github-app"))
                    .await;
            }
            page.fill("Public API URL", "api.flui.example").await;
            page.click_button("Create on GitHub").await;
            page.expect_text("Give the API's public address, starting with https://")
                .await;
            page.fill("Public API URL", "https://api.flui.example").await;
            page.fill("Organisation that will own the App (optional)", "-acme")
                .await;
            page.click_button("Create on GitHub").await;
            page.expect_text("Not an organisation name GitHub allows").await;
            assert_eq!(page.sandbox.requests("POST", MANIFEST_START), 0);
            page.check_accessibility().await;
        },
    )
    .await;
}

//! Runtime configuration (`/assets/config.json`). A config.json `deploy/render.sh` would
//! refuse at the container's start-up is served by the sandbox: the dashboard must still
//! explain one served by anything else (the official image, a hand-made ConfigMap).

use e2e::{run, run_same_origin};
use serde_json::json;

#[tokio::test]
async fn a_missing_config_key_shows_the_configuration_error_page() {
    run_same_origin(
        |o| o.config_json = Some(json!({ "authMode": "local" })),
        |page| async move {
            page.goto("/").await;
            page.expect_page("The dashboard is not configured correctly")
                .await;
            page.expect_text("The key \"apiBaseUrl\" is missing from /assets/config.json.")
                .await;
            assert_eq!(page.title().await, "Configuration error · Flui");
        },
    )
    .await;
}

#[tokio::test]
async fn an_invalid_auth_mode_names_the_key() {
    run_same_origin(
        |o| o.config_json = Some(json!({ "apiBaseUrl": "http://127.0.0.1:9", "authMode": "ldap" })),
        |page| async move {
            page.goto("/").await;
            page.expect_page("The dashboard is not configured correctly")
                .await;
            page.expect_text("The key \"authMode\"").await;
        },
    )
    .await;
}

#[tokio::test]
async fn oidc_without_a_client_id_reads_it_from_the_api() {
    run(
        |o| o.auth_mode = e2e::AuthMode::Oidc,
        |page| async move {
            page.goto("/").await;
            page.expect_page("Sign in to Flui").await;
            // The issuer (http://127.0.0.1/sandbox-oidc) and client id come from
            // GET /api/v1/auth/config: the file left them empty.
            page.expect_button("Sign in with 127.0.0.1").await;
        },
    )
    .await;
}

#[tokio::test]
async fn oidc_without_a_client_id_and_no_api_answer_names_the_key() {
    run(
        |o| o.config_json = Some(json!({ "apiBaseUrl": "http://127.0.0.1:9", "authMode": "oidc" })),
        |page| async move {
            page.goto("/").await;
            page.expect_page("The dashboard is not configured correctly")
                .await;
            page.expect_text("The key \"oidcClientId\"").await;
            page.expect_text("could not be read").await;
        },
    )
    .await;
}

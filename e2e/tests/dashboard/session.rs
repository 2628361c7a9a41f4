//! Signing in and out, guards and admin rights.

use e2e::{Outage, demo, free_port, run};
use serde_json::json;

#[tokio::test]
async fn a_wrong_password_shows_a_clear_error_and_keeps_the_email() {
    run(
        |_| {},
        |page| async move {
            page.goto("/login").await;
            page.sign_in(demo::USER.email, "not-the-password").await;
            page.expect_text("The email or password is not correct").await;
            page.check_accessibility().await;
            assert_eq!(page.field_value("Email").await, demo::USER.email);
            assert_eq!(
                page.field_value("Password").await,
                "",
                "the password is not kept in the form"
            );
            assert_eq!(page.path().await, "/login");
        },
    )
    .await;
}

#[tokio::test]
async fn a_signed_out_deep_link_returns_there_after_sign_in() {
    run(
        |_| {},
        |page| async move {
            page.goto("/repositories").await;
            page.expect_page("Sign in to Flui").await;
            page.expect_path("/login?next=/repositories").await;
            page.sign_in(demo::USER.email, demo::USER.password).await;
            page.expect_page("Repositories").await;
            page.expect_path("/repositories").await;
            assert_eq!(page.title().await, "Repositories · Flui");
        },
    )
    .await;
}

#[tokio::test]
async fn users_get_needs_admin_rights_and_admins_get_admin_navigation() {
    run(
        |_| {},
        |page| async move {
            page.goto("/admin/github-app").await;
            page.sign_in(demo::USER.email, demo::USER.password).await;
            page.expect_page("Admin rights needed").await;
            page.expect_text("This page needs admin rights").await;
            let links = page.nav_links().await;
            assert!(links.contains(&"Overview".to_owned()), "{links:?}");
            assert!(
                !links.contains(&"GitHub App".to_owned()),
                "a user sees no admin navigation: {links:?}"
            );
            assert!(!links.contains(&"Installations".to_owned()), "{links:?}");

            page.click_button("Sign out").await;
            page.expect_path("/login").await;
            page.sign_in(demo::ADMIN.email, demo::ADMIN.password).await;
            // A sign-in after a sign-out starts at the overview, not at the last user's page.
            page.expect_page("Overview").await;
            let links = page.nav_links().await;
            assert!(links.contains(&"GitHub App".to_owned()), "{links:?}");
            assert!(links.contains(&"Installations".to_owned()), "{links:?}");
            page.click_link("Installations").await;
            page.expect_page("Installations").await;
            page.expect_path("/admin/installations").await;
        },
    )
    .await;
}

#[tokio::test]
async fn after_sign_out_the_back_button_shows_no_signed_in_data() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            page.expect_region_text("GitHub", "Not connected").await;
            page.click_link("GHCR token").await;
            page.expect_page("GHCR token").await;

            page.click_button("Sign out").await;
            page.expect_page("Sign in to Flui").await;
            page.expect_path("/login").await;
            page.back().await;
            // Back leads to the GHCR token page, whose gate sends a signed-out visitor
            // to sign-in: wait for that route before looking at what shows.
            page.expect_path("/login").await;
            page.expect_page("Sign in to Flui").await;
            let text = page.body_text().await;
            for private in ["Overview", "GHCR token", "Uma User", "Not connected"] {
                assert!(
                    !text.contains(private),
                    "{private:?} shown after sign-out:\n{text}"
                );
            }
            // A reload does not bring the session back either: the session cookie is gone.
            page.goto("/").await;
            page.expect_page("Sign in to Flui").await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_reload_keeps_the_session_through_the_http_only_cookie() {
    run(|_| {}, |page| async move {
        page.sign_in_to_overview(&demo::USER).await;
        page.goto("/ghcr-token").await;
        page.expect_page("GHCR token").await;
        let stored = page
            .client
            .execute("return JSON.stringify([Object.keys(localStorage), Object.keys(sessionStorage), document.cookie]);", vec![])
            .await
            .expect("read storage");
        assert_eq!(stored.as_str(), Some(r#"[[],[],""]"#), "no token in storage or readable cookies");
    })
    .await;
}

#[tokio::test]
async fn an_access_token_expiring_while_the_overview_loads_is_refreshed_exactly_once() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            page.click_link("GHCR token").await;
            page.expect_page("GHCR token").await;
            let before = page.sandbox.refresh_requests();
            page.sandbox.expire_access_tokens().expect("expire the tokens");

            // The overview's three reads all meet a 401: they share one refresh.
            page.click_link("Overview").await;
            page.expect_page("Overview").await;
            page.expect_region_text("GitHub", "Not connected").await;
            page.expect_region_text("GHCR token", "Missing").await;
            assert_eq!(page.sandbox.refresh_requests() - before, 1);
            assert_eq!(page.path().await, "/");
        },
    )
    .await;
}

#[tokio::test]
async fn a_refresh_refused_for_too_many_requests_keeps_the_user_signed_in() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            page.click_link("GHCR token").await;
            page.expect_page("GHCR token").await;
            page.sandbox.expire_access_tokens().expect("expire the tokens");
            page.sandbox.exhaust_refresh_limit();

            page.click_link("Overview").await;
            page.expect_page("Overview").await;
            page.expect_region_text("GitHub", "Wait a minute, then try again.")
                .await;
            page.expect_path("/").await;
            page.expect_button("Sign out").await;

            // Once Flui accepts refreshes again, Retry is all it takes.
            page.sandbox.reset_rate_limits();
            page.click_button_in("GitHub", "Try again").await;
            page.expect_region_text("GitHub", "Not connected").await;
        },
    )
    .await;
}

#[tokio::test]
async fn with_tokens_that_live_20_seconds_an_open_tab_keeps_the_session_past_them() {
    run(
        |o| o.access_token_ttl = chrono::Duration::seconds(20),
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            // What is tested is time passing: the cookie set at sign-in lapses after 20 s.
            tokio::time::sleep(std::time::Duration::from_secs(30)).await;
            assert!(
                page.sandbox.refresh_requests() >= 1,
                "the tab renewed its token before it expired"
            );
            page.goto("/").await;
            page.expect_page("Overview").await;
            page.expect_region_text("GitHub", "Not connected").await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_session_ended_by_the_server_leads_to_sign_in_and_back() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            page.click_link("GHCR token").await;
            page.expect_page("GHCR token").await;

            page.sandbox
                .end_sessions(demo::USER.email)
                .expect("end the sessions");
            page.click_link("Overview").await;
            page.expect_page("Sign in to Flui").await;
            page.sign_in(demo::USER.email, demo::USER.password).await;
            page.expect_page("Overview").await;
            page.expect_region_text("GitHub", "Not connected").await;
        },
    )
    .await;
}

#[tokio::test]
async fn an_unknown_path_shows_the_not_found_page() {
    run(
        |_| {},
        |page| async move {
            page.goto("/no/such/page").await;
            page.expect_page("Page not found").await;
            page.expect_text("There is no page at /no/such/page").await;
            assert_eq!(page.title().await, "Page not found · Flui");
        },
    )
    .await;
}

#[tokio::test]
async fn a_hidden_tab_waits_and_renews_its_session_when_shown_again() {
    run(
        |o| o.access_token_ttl = chrono::Duration::seconds(20),
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            page.set_visibility("hidden").await;
            // The renewal was due at 15 s; a hidden tab does not renew.
            tokio::time::sleep(std::time::Duration::from_secs(25)).await;
            assert_eq!(page.sandbox.refresh_requests(), 0, "no renewal while hidden");

            page.set_visibility("visible").await;
            page.expect_refresh_requests(1).await;
            // The cookie set at sign-in has lapsed; the renewed one keeps the session.
            page.goto("/").await;
            page.expect_page("Overview").await;
        },
    )
    .await;
}

#[tokio::test]
async fn an_api_that_is_not_running_at_start_up_is_not_mistaken_for_signed_out() {
    let dead = format!("http://127.0.0.1:{}", free_port());
    let config = json!({ "apiBaseUrl": dead, "authMode": "local" });
    run(
        move |o| o.config_json = Some(config),
        move |page| async move {
            page.goto("/repositories").await;
            page.expect_page("Flui is not available").await;
            page.expect_text(&format!("The Flui API at {dead} could not be reached."))
                .await;
            page.expect_button("Try again").await;
            page.expect_no_field("Email").await;
            assert_eq!(page.path().await, "/repositories");
        },
    )
    .await;
}

#[tokio::test]
async fn an_api_failing_at_start_up_offers_retry_and_then_sign_in() {
    run(
        |_| {},
        |page| async move {
            page.sandbox.set_outage(Some(Outage::BadGateway));
            page.goto("/").await;
            page.expect_page("Flui is not available").await;
            page.expect_text("it answered HTTP 502").await;
            page.expect_no_field("Email").await;

            page.sandbox.set_outage(None);
            page.click_button("Try again").await;
            page.expect_page("Sign in to Flui").await;
        },
    )
    .await;
}

#[tokio::test]
async fn an_api_answering_garbage_at_start_up_is_not_mistaken_for_signed_out() {
    run(
        |_| {},
        |page| async move {
            page.sandbox.set_outage(Some(Outage::Garbage));
            page.goto("/login").await;
            page.expect_page("Flui is not available").await;
            page.expect_text("sent an answer this dashboard does not understand")
                .await;
            page.expect_no_field("Email").await;
        },
    )
    .await;
}

//! Signing in with OpenID Connect against a real provider (oidc-provider from npm, started
//! per test): the code flow with PKCE, the callback's checks, refresh at the provider,
//! sign-out at both ends; and after each, nothing kept where it must not be.

use e2e::oidc::{self, fill_provider_login, open_provider_sign_in, sign_in_at_provider, sign_in_to_overview};
use e2e::{AuthMode, Page, demo, free_port, run};

/// After a flow: no access token the API saw anywhere a script could read it, nothing
/// left in session storage, nothing in local storage but the theme, and no code or
/// state in the address.
async fn expect_nothing_kept(page: &Page) {
    for token in page.sandbox.oidc_access_tokens() {
        page.expect_secret_nowhere(&token).await;
    }
    let kept = page
        .client
        .execute(
            "return JSON.stringify([Object.keys(sessionStorage), Object.keys(localStorage).filter(k => k !== 'flui-theme'), location.search]);",
            vec![],
        )
        .await
        .expect("read storage");
    let kept = kept.as_str().unwrap_or_default().to_owned();
    assert!(
        kept.starts_with(r#"[[],[],"#) && !kept.contains("code=") && !kept.contains("state="),
        "kept after the flow: {kept}"
    );
}

/// The address the document was loaded from (the callback with its query, even after
/// the dashboard took the query out of the address bar).
async fn loaded_from(page: &Page) -> String {
    page.client
        .execute(
            "return performance.getEntriesByType('navigation')[0].name;",
            vec![],
        )
        .await
        .expect("read the navigation entry")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn signing_in_at_the_provider_lands_on_the_overview_and_keeps_no_token() {
    oidc::run(
        900,
        |_| {},
        |page, provider| async move {
            page.goto("/").await;
            page.expect_page("Sign in to Flui").await;
            page.expect_text(&format!("signs you in with {}", provider.host()))
                .await;
            // OIDC mode offers the provider, not a password form.
            page.expect_no_field("Password").await;
            page.check_accessibility().await;

            sign_in_at_provider(&page, &provider, demo::USER.email).await;
            page.expect_page("Overview").await;
            page.expect_path("/").await;
            page.expect_text("Uma User").await;
            assert!(loaded_from(&page).await.contains("/auth/callback?code="));
            assert_eq!(provider.count("grant authorization_code"), 1);
            expect_nothing_kept(&page).await;

            // A reload keeps the session through the cookie oidc-session set.
            page.goto("/ghcr-token").await;
            page.expect_page("GHCR token").await;
            expect_nothing_kept(&page).await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_deep_link_survives_the_trip_to_the_provider() {
    oidc::run(
        900,
        |_| {},
        |page, provider| async move {
            page.goto("/repositories?q=x").await;
            page.expect_page("Sign in to Flui").await;
            sign_in_at_provider(&page, &provider, demo::USER.email).await;
            page.expect_page("Repositories").await;
            page.expect_path("/repositories?q=x").await;
            expect_nothing_kept(&page).await;
        },
    )
    .await;
}

#[tokio::test]
async fn an_expired_access_token_is_refreshed_once_at_the_provider() {
    oidc::run(
        900,
        |_| {},
        |page, provider| async move {
            sign_in_to_overview(&page, &provider, demo::USER.email).await;
            page.click_link("GHCR token").await;
            page.expect_page("GHCR token").await;
            page.sandbox.expire_access_tokens().expect("expire the tokens");

            // The overview's reads all meet a 401: one refresh at the provider serves them.
            page.click_link("Overview").await;
            page.expect_page("Overview").await;
            page.expect_region_text("GitHub", "Not connected").await;
            page.expect_region_text("GHCR token", "Missing").await;
            assert_eq!(provider.count("grant refresh_token"), 1);
            assert_eq!(
                page.sandbox.refresh_requests(),
                0,
                "nothing went to Flui's own refresh"
            );

            // The new token renewed the session cookie too: a reload stays signed in.
            page.goto("/ghcr-token").await;
            page.expect_page("GHCR token").await;
            expect_nothing_kept(&page).await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_session_lost_without_a_refresh_token_signs_in_again_and_returns() {
    oidc::run(
        900,
        |_| {},
        |page, provider| async move {
            sign_in_to_overview(&page, &provider, demo::USER.email).await;
            // After a reload the tab holds no refresh token; the cookie carries the session.
            page.goto("/repositories").await;
            page.expect_page("Repositories").await;
            page.sandbox.expire_access_tokens().expect("expire the tokens");

            // The next read is refused and cannot be refreshed: a new code flow, which the
            // provider answers at once (its own session lasts), back to the same page.
            page.click_link("GHCR token").await;
            page.expect_page("GHCR token").await;
            page.expect_path("/ghcr-token").await;
            assert_eq!(provider.count("grant authorization_code"), 2);
            expect_nothing_kept(&page).await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_provider_that_does_not_answer_is_explained() {
    // An issuer where nothing listens.
    let issuer = format!("http://127.0.0.1:{}", free_port());
    let host = issuer.trim_start_matches("http://").to_owned();
    run(
        move |o| {
            o.auth_mode = AuthMode::Oidc;
            o.oidc_issuer = Some(issuer);
        },
        move |page| async move {
            page.goto("/").await;
            page.click_button(&format!("Sign in with {host}")).await;
            page.expect_text(&format!("The sign-in service at {host} could not be reached."))
                .await;
            page.expect_text("Check your connection and try again").await;
            page.expect_button(&format!("Sign in with {host}")).await;
            page.expect_path("/login").await;
            page.check_accessibility().await;
            expect_nothing_kept(&page).await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_tampered_state_is_refused_and_trying_again_signs_in() {
    oidc::run(
        900,
        |_| {},
        |page, provider| async move {
            open_provider_sign_in(&page, &provider).await;

            // The answer comes back with a state this tab did not send.
            page.goto("/auth/callback?code=a-code&state=not-the-state-this-tab-sent")
                .await;
            page.expect_page("Sign-in did not finish").await;
            page.expect_text("does not match the sign-in this tab started")
                .await;
            page.expect_path("/auth/callback").await;
            assert_eq!(
                provider.count("grant authorization_code"),
                0,
                "no code was exchanged"
            );
            page.check_accessibility().await;
            expect_nothing_kept(&page).await;

            page.click_button("Try again").await;
            fill_provider_login(&page, &provider, demo::USER.email).await;
            page.expect_page("Overview").await;
            expect_nothing_kept(&page).await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_replayed_callback_is_refused() {
    oidc::run(
        900,
        |_| {},
        |page, provider| async move {
            sign_in_to_overview(&page, &provider, demo::USER.email).await;
            let callback = loaded_from(&page).await;
            assert!(
                callback.contains("code=") && callback.contains("state="),
                "{callback}"
            );

            page.client
                .goto(&callback)
                .await
                .expect("open the callback again");
            page.expect_page("Sign-in did not finish").await;
            page.expect_text("it was used already").await;
            page.expect_path("/auth/callback").await;
            assert_eq!(
                provider.count("grant authorization_code"),
                1,
                "the code was not sent again"
            );
            page.check_accessibility().await;
        },
    )
    .await;
}

#[tokio::test]
async fn access_denied_at_the_provider_is_explained() {
    oidc::run(
        900,
        |_| {},
        |page, provider| async move {
            open_provider_sign_in(&page, &provider).await;
            page.click_link("[ Cancel ]").await;

            page.expect_page("Sign-in did not finish").await;
            page.expect_text(&format!(
                "The sign-in at {} was cancelled or refused.",
                provider.host()
            ))
            .await;
            page.expect_button("Try again").await;
            page.expect_path("/auth/callback").await;
            page.check_accessibility().await;
            expect_nothing_kept(&page).await;
        },
    )
    .await;
}

#[tokio::test]
async fn signing_out_ends_the_session_at_the_provider_and_at_the_api() {
    oidc::run(
        900,
        |_| {},
        |page, provider| async move {
            sign_in_to_overview(&page, &provider, demo::ADMIN.email).await;
            page.click_button("Sign out").await;

            // The provider asks, then sends the browser back to the sign-in page.
            page.click_button("Yes, sign me out").await;
            page.expect_page("Sign in to Flui").await;
            page.expect_text("You are signed out.").await;
            page.expect_path("/login?loggedOut=true").await;
            assert_eq!(provider.count("end_session"), 1);
            page.check_accessibility().await;
            expect_nothing_kept(&page).await;

            // The API's cookie is gone: a reload stays signed out.
            page.goto("/").await;
            page.expect_page("Sign in to Flui").await;
            // The provider's session is gone: it asks who is signing in.
            sign_in_at_provider(&page, &provider, demo::USER.email).await;
            page.expect_page("Overview").await;
            page.expect_text("Uma User").await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_code_the_token_endpoint_refuses_is_explained() {
    oidc::run(900, |_| {}, |page, provider| async move {
        open_provider_sign_in(&page, &provider).await;
        // Back in the dashboard's tab, the trip's PKCE verifier is altered (its state
        // is kept): the provider will refuse to exchange the code for it.
        page.back().await;
        page.expect_page("Sign in to Flui").await;
        page.client
            .execute(
                "const k = 'flui.oidc.trip'; const t = sessionStorage.getItem(k).split('\\n'); \
                 t[3] = 'x'.repeat(43); sessionStorage.setItem(k, t.join('\\n'));",
                vec![],
            )
            .await
            .expect("alter the verifier");
        page.client.forward().await.expect("browser forward");
        fill_provider_login(&page, &provider, demo::USER.email).await;

        page.expect_page("Sign-in did not finish").await;
        page.expect_text(&format!(
            "The sign-in service at {} refused to finish the sign-in (it reported \u{201c}invalid_grant\u{201d}).",
            provider.host()
        ))
        .await;
        page.expect_path("/auth/callback").await;
        assert_eq!(provider.count("grant authorization_code"), 0);
        page.check_accessibility().await;
        expect_nothing_kept(&page).await;

        // The provider's session stands: trying again signs in without its form.
        page.click_button("Try again").await;
        page.expect_page("Overview").await;
    })
    .await;
}

#[tokio::test]
async fn with_provider_tokens_that_live_20_seconds_an_open_tab_renews_them_at_the_provider() {
    oidc::run(
        20,
        |_| {},
        |page, provider| async move {
            sign_in_to_overview(&page, &provider, demo::USER.email).await;
            let first_expires = tokio::time::Instant::now() + std::time::Duration::from_secs(21);
            // What is awaited is time passing: the tab renews a quarter of the token's life
            // before it expires (at 15 s), at the provider.
            let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(40);
            while provider.count("grant refresh_token") == 0 {
                assert!(tokio::time::Instant::now() < deadline, "no renewal within 40 s");
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
            assert_eq!(provider.count("grant refresh_token"), 1);
            // Once the first token has expired, the renewed one serves the page and, after a
            // reload, the cookie oidc-session renewed with it.
            tokio::time::sleep_until(first_expires).await;
            page.click_link("GHCR token").await;
            page.expect_page("GHCR token").await;
            page.goto("/repositories").await;
            page.expect_page("Repositories").await;
            assert_eq!(
                provider.count("grant authorization_code"),
                1,
                "no new sign-in was needed"
            );
            expect_nothing_kept(&page).await;
        },
    )
    .await;
}

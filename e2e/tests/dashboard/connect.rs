//! Connecting GitHub (`flui integration connect github`) through the simulated GitHub.

use e2e::{ApiGeneration, Page, demo, run};

/// From the overview, through GitHub's consent, back to "install the App".
async fn authorize_on_github(page: &Page, gh_login: &str) {
    page.click_button("Connect GitHub").await;
    page.expect_page("Sign in to GitHub").await;
    page.click_button(&format!("Continue as {gh_login}")).await;
    page.expect_page("Authorize Flui Sandbox").await;
    page.click_button("Authorize Flui Sandbox").await;
    page.expect_page("No installation reachable yet").await;
    page.expect_text(&format!("GitHub authorised Flui as @{gh_login}"))
        .await;
    page.expect_path("/github/installed").await;
}

/// From "install the App" to an installation on `account`, with all repositories.
async fn install_on(page: &Page, account: &str, verb: &str) {
    page.click_button("Install the GitHub App").await;
    page.expect_page("Install Flui Sandbox").await;
    page.click_link(account).await;
    page.click_button(verb).await;
}

/// A user connects GitHub on their own account, from a fresh start.
async fn connect(page: &Page) {
    page.sign_in_to_overview(&demo::USER).await;
    page.expect_region_text("GitHub", "Not connected").await;
    authorize_on_github(page, "uma-dev").await;
    install_on(page, "uma-dev", "Install").await;
    page.expect_page("GitHub connected").await;
    page.expect_text("Connected as @uma-dev.").await;
}

#[tokio::test]
async fn connect_with_the_newer_api() {
    run(
        |_| {},
        |page| async move {
            connect(&page).await;
            page.expect_path("/github/installed").await;
            // No GHCR token yet, and this instance needs one.
            page.expect_text("One more step: add a GHCR token").await;
            page.click_link("Skip for now (deploys won't be able to pull images)")
                .await;
            page.expect_page("Repositories").await;
            page.click_link("Overview").await;
            page.expect_page("Overview").await;
            page.expect_region_text("GitHub", "Connected as @uma-dev").await;
        },
    )
    .await;
}

#[tokio::test]
async fn connect_with_the_older_api() {
    run(
        |o| o.generation = ApiGeneration::Older,
        |page| async move {
            connect(&page).await;
            page.expect_path("/github/installed").await;
            page.click_link("Add a GHCR token").await;
            page.expect_page("GHCR token").await;
        },
    )
    .await;
}

#[tokio::test]
async fn with_a_ghcr_token_the_next_step_is_repositories() {
    run(
        |_| {},
        |page| async move {
            page.sandbox
                .seed_ghcr_pat(demo::USER.email, Some(60), "VALID")
                .expect("seed a PAT");
            connect(&page).await;
            page.click_link("Continue to repositories").await;
            page.expect_page("Repositories").await;
        },
    )
    .await;
}

#[tokio::test]
async fn already_connected_needs_no_trip_to_github() {
    run(
        |_| {},
        |page| async move {
            connect(&page).await;
            page.sandbox
                .forget_installation_records()
                .expect("forget records");
            page.goto("/").await;
            page.expect_page("Overview").await;
            page.expect_region_text("GitHub", "Not connected").await;
            page.click_button("Connect GitHub").await;
            page.expect_text("GitHub is already connected as @uma-dev: nothing to do.")
                .await;
            page.expect_region_text("GitHub", "Connected as @uma-dev").await;
            assert_eq!(page.path().await, "/");
            page.check_accessibility().await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_link_to_finish_on_another_device_can_be_copied() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            page.click_button("Copy link").await;
            page.expect_text("It works once, for 10 minutes, and only for you.")
                .await;
            let link = page.field_value("Connection link").await;
            let github = page.sandbox.github_url();
            assert!(
                link.starts_with(&format!("{github}/login/oauth/authorize?")),
                "{link}"
            );
            assert_eq!(page.path().await, "/", "copying a link does not leave the page");
            page.check_accessibility().await;
        },
    )
    .await;
}

#[tokio::test]
async fn an_expired_state_explains_and_starts_afresh() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            page.click_button("Connect GitHub").await;
            page.click_button("Continue as uma-dev").await;
            page.expect_page("Authorize Flui Sandbox").await;
            page.sandbox.expire_pending_connections();
            page.click_button("Authorize Flui Sandbox").await;
            page.expect_page("This connection attempt expired").await;
            page.expect_path("/github/installed").await;
            page.click_button("Start again").await;
            page.expect_page("Authorize Flui Sandbox").await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_reused_code_is_refused_with_a_clear_message() {
    run(|_| {}, |page| async move {
        page.sign_in_to_overview(&demo::USER).await;
        authorize_on_github(&page, "uma-dev").await;
        let used_code = page.sandbox.issued_oauth_codes().pop().expect("a code was issued");
        page.click_button("Install the GitHub App").await;
        page.expect_page("Install Flui Sandbox").await;
        let url = page.client.current_url().await.expect("url");
        let state = url.query_pairs().find(|(k, _)| k == "state").map(|(_, v)| v.into_owned()).expect("state");
        page.client
            .goto(&format!(
                "{}/api/v1/repositories/github-app/user-callback?code={used_code}&state={state}&setup_action=install",
                page.sandbox.url()
            ))
            .await
            .expect("replay the callback");
        page.expect_page("GitHub did not accept the connection").await;
        page.expect_text("The code passed is incorrect or expired.").await;
    })
    .await;
}

/// The user starts connecting, and their Flui session ends while they are on GitHub:
/// the claim arrives at a signed-out dashboard.
async fn return_from_github_signed_out(page: &Page) {
    page.sign_in_to_overview(&demo::USER).await;
    page.click_button("Connect GitHub").await;
    page.click_button("Continue as uma-dev").await;
    page.expect_page("Authorize Flui Sandbox").await;
    page.sandbox
        .end_sessions(demo::USER.email)
        .expect("end the session");
    page.click_button("Authorize Flui Sandbox").await;
}

#[tokio::test]
async fn a_claim_opened_signed_out_completes_after_sign_in() {
    run(
        |_| {},
        |page| async move {
            return_from_github_signed_out(&page).await;
            page.sign_in(demo::USER.email, demo::USER.password).await;
            page.expect_page("No installation reachable yet").await;
            page.expect_path("/github/installed").await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_claim_by_another_user_is_refused() {
    run(
        |_| {},
        |page| async move {
            return_from_github_signed_out(&page).await;
            page.sign_in(demo::ADMIN.email, demo::ADMIN.password).await;
            page.expect_page("This connection was started by someone else")
                .await;
            page.expect_text("Sign out and finish it as them, or start a new connection of your own.")
                .await;
        },
    )
    .await;
}

#[tokio::test]
async fn an_org_members_request_waits_for_the_owner_then_connects() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            authorize_on_github(&page, "uma-dev").await;
            install_on(&page, "acme", "Request").await;
            // Flui passes nothing of GitHub's "request" on: the claim says only that no
            // installation came of this trip.
            page.expect_page("No installation reachable yet").await;
            page.expect_text("If you asked the owners of an organisation to approve the install")
                .await;
            page.expect_path("/github/installed").await;
            page.click_button("Check again").await;
            page.expect_text("Still no installation").await;

            assert_eq!(page.sandbox.approve_install_requests("acme").expect("approve"), 1);
            page.click_button("Check again").await;
            page.expect_page("GitHub connected").await;
            page.expect_text("Connected as @acme.").await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_hostile_message_is_shown_as_inert_text() {
    run(
        |_| {},
        |page| async move {
            let hostile = format!(
                "<img src=x onerror=\"document.title='pwned'\"> 100% sure %zz {}",
                "A".repeat(5000)
            );
            let encoded: String = hostile
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
            page.goto(&format!("/github/installed?error=exchange_failed&msg={encoded}"))
                .await;
            page.expect_page("GitHub did not accept the connection").await;
            page.expect_text("<img src=x onerror=\"document.title='pwned'\"> 100% sure %zz AAAA")
                .await;
            let images = page
                .client
                .find_all(fantoccini::Locator::Css("img"))
                .await
                .expect("query");
            assert!(images.is_empty(), "the message must not become markup");
            assert_ne!(page.title().await, "pwned");
            page.expect_path("/github/installed").await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_refresh_after_success_repeats_nothing() {
    run(
        |_| {},
        |page| async move {
            connect(&page).await;
            page.client.refresh().await.expect("reload");
            page.expect_page("Nothing to finish here").await;
            page.expect_path("/github/installed").await;
        },
    )
    .await;
}

#[tokio::test]
async fn repository_access_updated_is_confirmed() {
    run(
        |_| {},
        |page| async move {
            page.goto("/github/installed?setup_action=update").await;
            page.expect_page("Repository access updated").await;
            page.expect_path("/github/installed").await;
        },
    )
    .await;
}

#[tokio::test]
async fn without_a_github_app_users_ask_and_admins_set_it_up() {
    run(
        |_| {},
        |page| async move {
            page.sandbox.remove_github_app().expect("remove the App");
            page.sign_in_to_overview(&demo::USER).await;
            page.expect_region_text("GitHub", "Ask your administrator to set up the Flui GitHub App.")
                .await;
            assert_eq!(
                page.count_buttons("Connect GitHub").await,
                0,
                "nothing to connect to yet"
            );

            page.click_button("Sign out").await;
            page.sign_in(demo::ADMIN.email, demo::ADMIN.password).await;
            page.expect_page("Overview").await;
            page.expect_region_text("GitHub", "Set up the GitHub App").await;
            page.click_link("Set up the GitHub App").await;
            page.expect_page("GitHub App").await;
        },
    )
    .await;
}

#[tokio::test]
async fn every_error_code_reads_as_a_human_explanation() {
    run(
        |_| {},
        |page| async move {
            for (code, title) in [
                ("missing_state", "The link back from GitHub was incomplete"),
                ("expired_state", "This connection attempt expired"),
                (
                    "no_code&setup_action=install",
                    "GitHub did not authorise the connection",
                ),
                ("exchange_failed", "GitHub did not accept the connection"),
                ("something_new", "The connection did not finish"),
            ] {
                page.goto(&format!("/github/installed?error={code}")).await;
                page.expect_page(title).await;
                // Signed out: starting again begins with signing in.
                page.expect_text("Sign in to start again").await;
            }
        },
    )
    .await;
}

#[tokio::test]
async fn the_older_apis_success_while_signed_out_signs_in_and_comes_back() {
    run(
        |o| o.generation = ApiGeneration::Older,
        |page| async move {
            page.goto("/github/installed?status=connected&login=uma-dev")
                .await;
            page.expect_page("Back from GitHub").await;
            page.expect_text(
                "GitHub authorised Flui as @uma-dev. Sign in to Flui to see where the connection stands.",
            )
            .await;
            page.expect_path("/github/installed").await;
            page.click_link("Sign in to continue").await;
            page.sign_in(demo::USER.email, demo::USER.password).await;
            // Back on the landing page, which now asks Flui where things stand.
            page.expect_page("No installation reachable yet").await;
            page.expect_text("as @uma-dev").await;
            page.click_button("Check again").await;
            page.expect_text("Still no installation").await;
        },
    )
    .await;
}

#[tokio::test]
async fn an_org_members_request_with_the_older_api_waits_then_connects() {
    run(
        |o| o.generation = ApiGeneration::Older,
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            authorize_on_github(&page, "uma-dev").await;
            install_on(&page, "acme", "Request").await;
            // The older callback says "connected" all the same; github/status says no.
            page.expect_page("No installation reachable yet").await;
            page.expect_path("/github/installed").await;
            assert_eq!(page.sandbox.approve_install_requests("acme").expect("approve"), 1);
            page.click_button("Check again").await;
            page.expect_page("GitHub connected").await;
            page.expect_text("Connected as @acme.").await;
        },
    )
    .await;
}

#[tokio::test]
async fn installing_again_when_already_installed_elsewhere_shows_the_connection() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            authorize_on_github(&page, "uma-dev").await;
            // Meanwhile the App gets installed from GitHub's side.
            page.sandbox.install_app_on_github("uma-labs").expect("install");
            page.click_button("Install the GitHub App").await;
            page.expect_page("GitHub connected").await;
            page.expect_text("Connected as @uma-labs.").await;
            page.expect_path("/github/installed").await;
        },
    )
    .await;
}

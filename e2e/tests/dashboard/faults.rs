//! Bad networks and bad data, from the sandbox's fault switch: every fault on a read is
//! explained with a way forward and the page recovers; a hung request is given up; a
//! short `Retry-After` is waited out once. Every test also fails if the wasm panicked
//! (the console check of `e2e::run`).

use std::time::Duration;

use crate::ghcr_token::token_from_github;
use crate::github_app::CONFIGURE;
use e2e::demo::DemoAccount;
use e2e::github::{install_from_github, make_token};
use e2e::{AuthMethod, Fault, Page, demo, run, run_same_origin};

const GITHUB_STATUS: &str = "/api/v1/repositories/github/status";

/// The faults no route answers on purpose, and the words that must then show.
const FAULTS: [(Fault, &str); 8] = [
    (Fault::Status(500), "failed to handle the request"),
    (Fault::HtmlPage(502), "failed to handle the request"),
    (Fault::HtmlPage(503), "failed to handle the request"),
    (Fault::Drop, "could not be reached"),
    (Fault::TruncatedJson, "does not understand"),
    (Fault::WrongShape, "does not understand"),
    (Fault::TooManyRequests { retry_after: 60 }, "too many requests"),
    (Fault::Hang, "did not answer within 15 seconds"),
];

/// The faults for an action whose answer's body is not read: a 200 is done, whatever
/// follows it.
const FAULTS_BEFORE_AN_EMPTY_ANSWER: [(Fault, &str); 6] =
    [FAULTS[0], FAULTS[1], FAULTS[2], FAULTS[3], FAULTS[6], FAULTS[7]];

/// Refusals every route may answer, told in words that depend on the route.
const REFUSALS: [u16; 3] = [403, 404, 409];

/// How long the words of `fault` may take: a hung request is given up after the
/// client's patience (15 s).
fn patience(fault: Fault) -> Duration {
    match fault {
        Fault::Hang => Duration::from_secs(30),
        _ => Duration::from_secs(10),
    }
}

/// The page offers to repeat what failed (Try again, Check again, Reload).
async fn expect_way_forward(page: &Page, case: &str) {
    let text = page.body_text().await.to_lowercase();
    assert!(
        ["try again", "retry", "check again", "reload"]
            .iter()
            .any(|way| text.contains(way)),
        "{case}: no way forward in {text}"
    );
}

/// Opens `path` with `method route` answering each fault in turn: the page must say what
/// happened with a way forward; once the route answers again, the page (with `heading`)
/// shows no error. Then each of `refusals` (statuses whose words depend on the route)
/// must be told in words, and a 401 leads to signing in as `account` and back.
async fn walk(
    page: &Page,
    account: &DemoAccount,
    path: &str,
    heading: &str,
    method: &str,
    route: &str,
    refusals: &[u16],
) {
    for (fault, words) in FAULTS {
        eprintln!("walk: {method} {route} answers {fault:?}, on {path}");
        page.sandbox.fault(method, route, fault, None);
        page.goto(path).await;
        page.expect_text_within(words, patience(fault)).await;
        expect_way_forward(page, &format!("{route} answering {fault:?} on {path}")).await;
        page.sandbox.clear_faults();
        page.goto(path).await;
        page.expect_page(heading).await;
        page.expect_text_gone(words).await;
    }
    for &status in refusals {
        eprintln!("walk: {method} {route} answers {status}, on {path}");
        page.sandbox.fault(method, route, Fault::Status(status), None);
        page.goto(path).await;
        page.expect_alert_in_words().await;
        page.sandbox.clear_faults();
    }
    // 401: the session is over (after a reload this tab holds no refresh token):
    // sign in, and back to the same page.
    eprintln!("walk: {method} {route} answers 401, on {path}");
    page.sandbox.fault(method, route, Fault::Status(401), None);
    page.goto(path).await;
    page.expect_page("Sign in to Flui").await;
    page.sandbox.clear_faults();
    page.sandbox.reset_rate_limits();
    page.sign_in(account.email, account.password).await;
    page.expect_page(heading).await;
    assert_eq!(page.path().await, path, "back where the user was");
}

/// Opens the dialog `dialog` with `open` unless it is open (a failed action may leave it
/// open), then presses `confirm` in it.
async fn confirm_in<O, OFut>(page: &Page, dialog: &str, confirm: &str, open: O)
where
    O: FnOnce() -> OFut,
    OFut: std::future::Future<Output = ()>,
{
    if !page.has_region(dialog).await {
        open().await;
        page.region(dialog).await;
    }
    page.click_button_in(dialog, confirm).await;
}

/// Leaves the overview and comes back: its reads run again.
async fn reopen_overview(page: &Page) {
    page.click_link("GHCR token").await;
    page.expect_page("GHCR token").await;
    page.click_link("Overview").await;
    page.expect_page("Overview").await;
}

#[tokio::test]
async fn every_fault_on_a_read_is_explained_and_the_page_recovers() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            page.expect_region_text("GitHub", "Not connected").await;
            let cases = [
                (
                    Fault::Status(403),
                    "Your account does not have the integration:manage permission this needs.",
                ),
                (Fault::Status(404), "Flui could not find what this asked for."),
                (Fault::Status(409), "The Flui API failed to handle the request"),
                (Fault::Status(500), "The Flui API failed to handle the request"),
                (Fault::HtmlPage(502), "The Flui API failed to handle the request"),
                (Fault::HtmlPage(503), "The Flui API failed to handle the request"),
                (Fault::Drop, "could not be reached"),
                (
                    Fault::TruncatedJson,
                    "sent an answer this dashboard does not understand",
                ),
                (
                    Fault::WrongShape,
                    "sent an answer this dashboard does not understand",
                ),
                (
                    Fault::TooManyRequests { retry_after: 60 },
                    "Wait a minute, then try again.",
                ),
            ];
            for (fault, words) in cases {
                page.sandbox.fault("GET", GITHUB_STATUS, fault, None);
                reopen_overview(&page).await;
                page.expect_region_text("GitHub", words).await;
                // The rest of the page is unaffected and the app still answers.
                page.expect_region_text("GHCR token", "Missing").await;
                page.sandbox.clear_faults();
                reopen_overview(&page).await;
                page.expect_region_text("GitHub", "Not connected").await;
            }
            page.check_accessibility().await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_request_that_hangs_is_given_up_with_a_clear_message() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            page.sandbox.fault("GET", GITHUB_STATUS, Fault::Hang, None);
            page.click_link("GHCR token").await;
            page.expect_page("GHCR token").await;
            // The overview stays busy while its GitHub read waits: not expect_page.
            page.click_link("Overview").await;
            // While the GitHub row waits, the rest of the page shows its data.
            page.expect_region_text("GHCR token", "Missing").await;
            // What is awaited is the client's patience (15 s) running out.
            page.expect_region_text_within(
                "GitHub",
                "did not answer within 15 seconds.",
                Duration::from_secs(30),
            )
            .await;
            page.sandbox.clear_faults();
            page.click_button_in("GitHub", "Try again").await;
            page.expect_region_text("GitHub", "Not connected").await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_short_retry_after_is_waited_out_once() {
    // Flui does not expose Retry-After to other origins: only a dashboard on the API's
    // origin (an ingress routing both) can read it.
    run_same_origin(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            let before = page.sandbox.requests("GET", GITHUB_STATUS);
            // Refused once with Retry-After: 1: the client waits and asks again.
            page.sandbox.fault(
                "GET",
                GITHUB_STATUS,
                Fault::TooManyRequests { retry_after: 1 },
                Some(1),
            );
            reopen_overview(&page).await;
            page.expect_region_text("GitHub", "Not connected").await;
            assert_eq!(page.sandbox.requests("GET", GITHUB_STATUS) - before, 2);

            // Refused twice: it asks again once only, then says how long to wait.
            let before = page.sandbox.requests("GET", GITHUB_STATUS);
            page.sandbox.fault(
                "GET",
                GITHUB_STATUS,
                Fault::TooManyRequests { retry_after: 1 },
                Some(2),
            );
            reopen_overview(&page).await;
            page.expect_region_text("GitHub", "Wait a second, then try again.")
                .await;
            assert_eq!(page.sandbox.requests("GET", GITHUB_STATUS) - before, 2);
            page.click_button_in("GitHub", "Try again").await;
            page.expect_region_text("GitHub", "Not connected").await;
        },
    )
    .await;
}

#[tokio::test]
async fn the_session_check_survives_every_fault() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::ADMIN).await;
            walk(
                &page,
                &demo::ADMIN,
                "/",
                "Overview",
                "GET",
                "/api/v1/auth/me",
                &REFUSALS,
            )
            .await;
            // 404: an older API without the route, which grants by role.
            walk(
                &page,
                &demo::ADMIN,
                "/",
                "Overview",
                "GET",
                "/api/v1/me/permissions",
                &[403, 409],
            )
            .await;
        },
    )
    .await;
}

#[tokio::test]
async fn the_overview_and_banner_reads_survive_every_fault() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            let ghcr = "/api/v1/repositories/github-app/packages-pat/status";
            walk(&page, &demo::USER, "/", "Overview", "GET", ghcr, &REFUSALS).await;
            walk(
                &page,
                &demo::USER,
                "/ghcr-token",
                "GHCR token",
                "GET",
                ghcr,
                &REFUSALS,
            )
            .await;
            walk(
                &page,
                &demo::USER,
                "/",
                "Overview",
                "GET",
                "/api/v1/credentials/status",
                // A refusal leaves the banner out: an API without the route (404) or a
                // user without the right to it has no banner to show.
                &[],
            )
            .await;
        },
    )
    .await;
}

#[tokio::test]
async fn the_repository_reads_survive_every_fault() {
    run(
        |_| {},
        |page| async move {
            page.demo_user_on_github().await;
            page.sign_in_to_overview(&demo::USER).await;
            walk(
                &page,
                &demo::USER,
                "/repositories",
                "Repositories",
                "GET",
                "/api/v1/repositories",
                &REFUSALS,
            )
            .await;
            walk(
                &page,
                &demo::USER,
                "/repositories/connect",
                "Connect repositories",
                "GET",
                "/api/v1/repositories/available",
                // 404: no GitHub connection, which the page leads to making.
                &[403, 409],
            )
            .await;
        },
    )
    .await;
}

#[tokio::test]
async fn the_admin_reads_survive_every_fault() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::ADMIN).await;
            for route in [
                "/api/v1/repositories/github/setup/status",
                "/api/v1/repositories/github/setup/health",
            ] {
                walk(
                    &page,
                    &demo::ADMIN,
                    "/admin/github-app",
                    "GitHub App",
                    "GET",
                    route,
                    &REFUSALS,
                )
                .await;
            }
            walk(
                &page,
                &demo::ADMIN,
                "/admin/installations",
                "Installations",
                "GET",
                "/api/v1/repositories/github-app/installations",
                &REFUSALS,
            )
            .await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_sign_in_that_fails_keeps_the_email_and_works_afterwards() {
    run(
        |_| {},
        |page| async move {
            for (fault, words) in FAULTS {
                page.sandbox.fault("POST", "/api/v1/auth/login", fault, None);
                page.goto("/login").await;
                page.sign_in(demo::USER.email, demo::USER.password).await;
                page.expect_text_within(words, patience(fault)).await;
                assert_eq!(page.field_value("Email").await, demo::USER.email, "{fault:?}");
                assert_eq!(page.field_value("Password").await, "", "{fault:?}");
            }
            page.sandbox.clear_faults();
            page.sandbox.reset_rate_limits();
            page.goto("/login").await;
            page.sign_in(demo::USER.email, demo::USER.password).await;
            page.expect_page("Overview").await;
        },
    )
    .await;
}

/// Runs `act` with `method route` answering each fault, then each of `refusals` (statuses
/// whose words depend on the route), in turn: the page must say what happened in words
/// (with a way forward, for the faults) and keep `kept` (what to check is still there).
/// Then `act` must succeed, with `done` shown. (A 401 is the session's: `session.rs`
/// walks it.)
#[allow(clippy::too_many_arguments)] // each is one column of the walk's table
async fn walk_action<A, Fut, K, KFut>(
    page: &Page,
    faults: &[(Fault, &str)],
    method: &str,
    route: &str,
    refusals: &[u16],
    act: A,
    kept: K,
    done: &str,
) where
    A: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
    K: Fn() -> KFut,
    KFut: std::future::Future<Output = ()>,
{
    for &(fault, words) in faults {
        eprintln!("walk: {method} {route} answers {fault:?}, after an action");
        page.sandbox.fault(method, route, fault, None);
        let asked = page.sandbox.requests(method, route);
        act().await;
        page.expect_requests_over(method, route, asked).await;
        page.expect_text_within(words, patience(fault)).await;
        expect_way_forward(page, &format!("{route} answering {fault:?}")).await;
        kept().await;
        page.sandbox.clear_faults();
    }
    for &status in refusals {
        eprintln!("walk: {method} {route} answers {status}, after an action");
        page.sandbox.fault(method, route, Fault::Status(status), None);
        let asked = page.sandbox.requests(method, route);
        act().await;
        page.expect_requests_over(method, route, asked).await;
        page.expect_alert_in_words().await;
        kept().await;
        page.sandbox.clear_faults();
    }
    act().await;
    page.expect_text(done).await;
}

#[tokio::test]
async fn connecting_github_and_importing_repositories_survive_every_fault() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            // Connect GitHub asks Flui for the install URL first.
            walk_action(
                &page,
                &FAULTS,
                "GET",
                "/api/v1/repositories/github-app/install-url",
                &REFUSALS,
                || async { page.click_button("Connect GitHub").await },
                || async { page.expect_page("Overview").await },
                "Sign in to GitHub",
            )
            .await;

            page.demo_user_on_github().await;
            page.goto("/repositories/connect").await;
            page.expect_page("Connect repositories").await;
            page.click_option("uma-dev/api").await;
            walk_action(
                &page,
                &FAULTS,
                "POST",
                "/api/v1/repositories/import",
                &REFUSALS,
                || async { page.click_button("Connect 1 repository").await },
                // The choice stays, to send again.
                || async { page.expect_text("1 selected").await },
                "1 connected.",
            )
            .await;
        },
    )
    .await;
}

#[tokio::test]
async fn admin_actions_survive_every_fault() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::ADMIN).await;
            page.goto("/admin/installations").await;
            page.expect_page("Installations").await;
            walk_action(
                &page,
                &FAULTS,
                "POST",
                "/api/v1/repositories/github-app/rescan-installations",
                &REFUSALS,
                || async { page.click_button("Rescan my installations").await },
                || async { page.expect_page("Installations").await },
                "Rescanning looks with your own GitHub connection",
            )
            .await;

            page.goto("/admin/github-app").await;
            page.expect_page("GitHub App").await;
            page.fill("App name", "Flui Faults").await;
            walk_action(
                &page,
                &FAULTS,
                "POST",
                "/api/v1/repositories/github/setup/github-app/manifest-start",
                &REFUSALS,
                || async {
                    page.click_button("Create on GitHub").await;
                    if page
                        .body_text()
                        .await
                        .contains("GitHub can reach this address as it is")
                    {
                        page.choose("GitHub can reach this address as it is").await;
                        page.click_button("Create on GitHub").await;
                    }
                },
                // The name typed is still there.
                || async { assert_eq!(page.field_value("App name").await, "Flui Faults") },
                "Sign in to GitHub",
            )
            .await;
        },
    )
    .await;
}

const PAT: &str = "/api/v1/repositories/github-app/packages-pat";

#[tokio::test]
async fn ghcr_token_actions_survive_every_fault() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            let first = token_from_github(&page, None, None).await;
            page.fill("Token", &first).await;
            walk_action(
                &page,
                &FAULTS,
                "POST",
                PAT,
                &REFUSALS,
                || async { page.click_button("Save token").await },
                // The token typed stays, to send again.
                || async { assert_eq!(page.field_value("Token").await, first) },
                "in 90 days",
            )
            .await;

            walk_action(
                &page,
                &FAULTS,
                "PATCH",
                &format!("{PAT}/expiry"),
                &REFUSALS,
                || async {
                    if !page.has_region("Change the expiry").await {
                        page.click_button("Change expiry").await;
                    }
                    page.choose("30 days").await;
                    page.click_button_in("Change the expiry", "Change expiry").await;
                },
                || async { page.expect_region_text("Stored token", "in 90 days").await },
                "in 30 days",
            )
            .await;

            let second = token_from_github(&page, Some("Rotate"), None).await;
            page.fill("Token", &second).await;
            walk_action(
                &page,
                &FAULTS,
                "PUT",
                &format!("{PAT}/rotate"),
                &REFUSALS,
                || async { page.click_button_in("Rotate the token", "Rotate token").await },
                || async { assert_eq!(page.field_value("Token").await, second) },
                "in 90 days",
            )
            .await;

            // A 404 says it is gone already: that is what revoking wanted.
            walk_action(
                &page,
                &FAULTS_BEFORE_AN_EMPTY_ANSWER,
                "DELETE",
                PAT,
                &[403, 409],
                || async {
                    confirm_in(&page, "Revoke the GHCR token?", "Revoke the GHCR token", || {
                        page.click_button("Revoke")
                    })
                    .await
                },
                || async { page.expect_region_text("Stored token", "@uma-dev").await },
                "Add a GHCR token",
            )
            .await;
        },
    )
    .await;
}

#[tokio::test]
async fn connecting_and_disconnecting_with_a_token_survive_every_fault() {
    run(
        |o| o.auth_method = AuthMethod::Pat,
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            let token = make_token(&page, "Create a token on GitHub", "uma-dev", None).await;
            page.goto("/").await;
            page.expect_page("Overview").await;
            let connect = || async { page.click_button("Connect GitHub").await };
            let kept = || async { assert_eq!(page.field_value("Personal access token").await, token) };
            let connected = "Connected as @uma-dev with a personal access token";
            page.fill("Personal access token", &token).await;
            walk_action(
                &page,
                &FAULTS,
                "POST",
                "/api/v1/repositories/github/connect-pat",
                &REFUSALS,
                connect,
                kept,
                connected,
            )
            .await;

            walk_action(
                &page,
                &FAULTS_BEFORE_AN_EMPTY_ANSWER,
                "POST",
                "/api/v1/repositories/github/disconnect",
                &REFUSALS,
                || async {
                    confirm_in(&page, "Disconnect GitHub?", "Disconnect GitHub", || {
                        page.click_button("Disconnect")
                    })
                    .await
                },
                || async { page.expect_region_text("GitHub", connected).await },
                "personal access token per user",
            )
            .await;

            page.fill("Personal access token", &token).await;
            walk_action(
                &page,
                &FAULTS,
                "POST",
                "/api/v1/repositories/github/validate-pat",
                &REFUSALS,
                connect,
                kept,
                connected,
            )
            .await;
        },
    )
    .await;
}

const CLAIM: &str = "/api/v1/repositories/github-app/claim";

/// Signs the demo user in and connects GitHub, whose claim back fails once (500): the
/// landing then offers Try again.
async fn first_claim_fails(page: &Page) {
    page.sign_in_to_overview(&demo::USER).await;
    page.sandbox.fault("POST", CLAIM, Fault::Status(500), Some(1));
    page.click_button("Connect GitHub").await;
    page.click_button("Continue as uma-dev").await;
    page.expect_page("Authorize Flui Sandbox").await;
    page.click_button("Authorize Flui Sandbox").await;
    page.expect_page("The connection could not be finished").await;
}

#[tokio::test]
async fn the_claim_back_from_github_survives_every_fault() {
    run(
        |_| {},
        |page| async move {
            first_claim_fails(&page).await;
            // Only what did not get through is sent again, from the same page: a refusal
            // of the claim itself (404, 409) leaves "Start again" only.
            walk_action(
                &page,
                &FAULTS,
                "POST",
                CLAIM,
                &[],
                || async { page.click_button("Try again").await },
                || async { page.expect_button("Start again").await },
                "No installation reachable yet",
            )
            .await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_claim_whose_session_ended_on_the_way_is_finished_after_sign_in() {
    run(
        |_| {},
        |page| async move {
            first_claim_fails(&page).await;
            // Try again finds the session over: the claim, refused unread, rides along
            // to sign-in.
            page.sandbox.fault("POST", CLAIM, Fault::Status(401), None);
            page.click_button("Try again").await;
            page.expect_page("Sign in to Flui").await;
            // Over again when the landing claims after sign-in (this time the tab holds
            // a refresh token: renewed, and refused again): off to sign-in once more.
            page.sign_in(demo::USER.email, demo::USER.password).await;
            page.expect_requests_over("POST", CLAIM, 3).await;
            page.expect_page("Sign in to Flui").await;
            page.sandbox.clear_faults();
            page.sandbox.reset_rate_limits();
            page.sign_in(demo::USER.email, demo::USER.password).await;
            page.expect_page("No installation reachable yet").await;
            assert_eq!(
                page.path().await,
                "/github/installed",
                "the claim's address is cleaned"
            );
        },
    )
    .await;
}

#[tokio::test]
async fn disconnecting_a_repository_survives_every_fault() {
    run(
        |_| {},
        |page| async move {
            page.demo_user_on_github().await;
            let answer = page.elsewhere(&demo::USER).await.import(&["uma-dev/api"]).await;
            let id = answer["repositories"][0]["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            page.sign_in_to_overview(&demo::USER).await;
            page.goto("/repositories").await;
            page.expect_page("Repositories").await;
            let dialog = "Disconnect uma-dev/api?";
            // A 404 means it is gone already: what disconnecting wanted.
            walk_action(
                &page,
                &FAULTS_BEFORE_AN_EMPTY_ANSWER,
                "DELETE",
                &format!("/api/v1/repositories/{id}"),
                &[403, 409],
                || async {
                    confirm_in(&page, dialog, "Disconnect uma-dev/api", || {
                        page.click_button("Disconnect uma-dev/api")
                    })
                    .await
                },
                || async {
                    page.expect_region_text("Connected repositories (1)", "uma-dev/api")
                        .await
                },
                "Disconnected uma-dev/api.",
            )
            .await;
        },
    )
    .await;
}

#[tokio::test]
async fn removing_an_installation_record_survives_every_fault() {
    run(
        |_| {},
        |page| async move {
            let id = install_from_github(&page, "uma-dev", "uma-dev").await;
            page.sign_in_to_overview(&demo::ADMIN).await;
            page.goto("/admin/installations").await;
            page.expect_page("Installations").await;
            page.expect_text(&id).await;
            let remove = format!("Remove the record of installation {id} (uma-dev)");
            let dialog = "Remove this installation record?";
            // A 404 means it is gone already: what removing wanted.
            walk_action(
                &page,
                &FAULTS_BEFORE_AN_EMPTY_ANSWER,
                "DELETE",
                &format!("/api/v1/repositories/github-app/installations/{id}"),
                &[403, 409],
                || async {
                    confirm_in(&page, dialog, "Remove the record", || {
                        page.click_labelled(&remove)
                    })
                    .await
                },
                || async { page.expect_text(&id).await },
                &format!("Flui forgot installation {id} (uma-dev)"),
            )
            .await;
        },
    )
    .await;
}

#[tokio::test]
async fn the_admin_setup_actions_survive_every_fault() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::ADMIN).await;
            page.goto("/admin/github-app").await;
            page.expect_page("GitHub App").await;
            walk_action(
                &page,
                &FAULTS,
                "POST",
                "/api/v1/repositories/github/setup/pat",
                &REFUSALS,
                || async {
                    confirm_in(
                        &page,
                        "Use personal access tokens instead?",
                        "Switch to tokens",
                        || page.click_button("Use personal access tokens instead"),
                    )
                    .await
                },
                || async { page.expect_page("GitHub App").await },
                "Nothing to check here",
            )
            .await;

            walk_action(
                &page,
                &FAULTS_BEFORE_AN_EMPTY_ANSWER,
                "DELETE",
                "/api/v1/repositories/github/setup",
                &REFUSALS,
                || async {
                    confirm_in(&page, "Reset the GitHub setup?", "Reset everything", || async {
                        page.click_button("Reset…").await;
                        page.fill("Type reset to confirm", "reset").await;
                    })
                    .await
                },
                || async {
                    page.expect_region_text("On this instance", "Personal access tokens")
                        .await
                },
                "Not set up",
            )
            .await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_sign_out_the_api_did_not_finish_says_the_user_is_still_signed_in() {
    run(
        |_| {},
        |page| async move {
            let logout = "/api/v1/auth/oidc-logout";
            // The refresh token's logout is best effort: whatever it answers, the cookie
            // is cleared and the user is out.
            for (fault, _) in FAULTS_BEFORE_AN_EMPTY_ANSWER {
                eprintln!("walk: POST /api/v1/auth/logout answers {fault:?}, at sign-out");
                page.sandbox.reset_rate_limits();
                page.sign_in_to_overview(&demo::USER).await;
                page.sandbox.fault("POST", "/api/v1/auth/logout", fault, None);
                page.click_button("Sign out").await;
                page.expect_text_within("Sign in to Flui", patience(fault)).await;
                page.sandbox.clear_faults();
                page.goto("/").await;
                page.expect_page("Sign in to Flui").await;
            }

            page.sandbox.reset_rate_limits();
            page.sign_in_to_overview(&demo::USER).await;
            // The refresh token's logout ends the session too (it clears the cookie):
            // out, though clearing the cookie failed.
            page.sandbox.fault("POST", logout, Fault::Status(500), None);
            page.click_button("Sign out").await;
            page.expect_page("Sign in to Flui").await;
            page.goto("/").await;
            page.expect_page("Sign in to Flui").await;

            // After a reload the tab holds no refresh token: only the cookie can be
            // cleared, and it was not, so a reload would sign the user back in: the page
            // must not say they are out.
            page.sign_in(demo::USER.email, demo::USER.password).await;
            page.expect_page("Overview").await;
            page.goto("/").await;
            page.expect_page("Overview").await;
            page.click_button("Sign out").await;
            page.expect_text("You are still signed in").await;
            page.expect_alert_in_words().await;
            page.goto("/").await;
            page.expect_page("Overview").await;
            page.sandbox.clear_faults();

            // 404: an API without the route, which has no cookie to clear.
            walk_action(
                &page,
                &FAULTS_BEFORE_AN_EMPTY_ANSWER,
                "POST",
                logout,
                &[403, 409],
                || async { page.click_button("Sign out").await },
                || async { page.expect_text("You are still signed in").await },
                "Sign in to Flui",
            )
            .await;
            page.goto("/").await;
            page.expect_page("Sign in to Flui").await;
        },
    )
    .await;
}

/// One connected repository whose address on GitHub is a script, and whose name and
/// description are markup.
const HOSTILE_REPOSITORIES: &str = r#"[{"id":"6f1c","provider":"github","repositoryName":"x","repositoryFullName":"acme/<img src=x onerror=alert(1)>","owner":"acme","defaultBranch":"main","isPrivate":true,"cloneUrl":"javascript:alert(2)","htmlUrl":"javascript:alert(document.domain)","description":"<a href=\"javascript:alert(3)\">click</a>","language":null,"webhookActive":false,"autoDeployEnabled":false,"createdAt":"2026-11-25T10:00:00.000Z"}]"#;

#[tokio::test]
async fn urls_from_the_api_that_are_not_web_addresses_never_become_links() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            let scripted = || async {
                page.client
                    .execute(
                        "return [...document.querySelectorAll('a[href], form[action]')]
                            .map(e => e.getAttribute('href') || e.getAttribute('action'))
                            .filter(u => !/^(https?:|\\/|#)/i.test(u.trim()))",
                        vec![],
                    )
                    .await
                    .expect("the page's links")
            };

            // The install URL: refused, with words; the browser stays.
            page.sandbox.fault(
                "GET",
                "/api/v1/repositories/github-app/install-url",
                Fault::Json(r#"{"alreadyConnected":false,"installUrl":"javascript:alert(document.domain)"}"#),
                None,
            );
            page.click_button("Connect GitHub").await;
            page.expect_text("does not understand").await;
            assert_eq!(page.path().await, "/");
            page.sandbox.clear_faults();

            // A repository's address: shown as text, never a link; markup stays text.
            page.demo_user_on_github().await;
            page.sandbox.fault(
                "GET",
                "/api/v1/repositories",
                Fault::Json(HOSTILE_REPOSITORIES),
                None,
            );
            page.goto("/repositories").await;
            page.expect_page("Repositories").await;
            page.expect_text("acme/<img src=x onerror=alert(1)>").await;
            page.expect_text(r#"<a href="javascript:alert(3)">click</a>"#)
                .await;
            assert_eq!(
                scripted().await,
                serde_json::json!([]),
                "no link or form to a script"
            );
            assert_eq!(
                page.count_buttons("Open on GitHub: acme/<img src=x onerror=alert(1)>")
                    .await,
                0
            );
        },
    )
    .await;
}

#[tokio::test]
async fn saving_an_app_by_hand_survives_every_fault() {
    run(
        |_| {},
        |page| async move {
            let dir = tempfile::tempdir().expect("a folder");
            let (pkcs1, _, _) = crate::github_app::openssl_key(dir.path());
            let pem = std::fs::read_to_string(&pkcs1).expect("the key");
            let (app_id, slug, client_id) = page
                .sandbox
                .register_app_on_github("Flui Faults", &pem)
                .expect("the App on GitHub");
            let app_id = app_id.to_string();
            page.sign_in_to_overview(&demo::ADMIN).await;
            page.goto("/admin/github-app").await;
            page.expect_page("GitHub App").await;
            page.fill("App ID", &app_id).await;
            page.fill("App slug", &slug).await;
            page.fill("Client ID", &client_id).await;
            page.fill("Client secret", "fault-client-secret").await;
            page.upload("Private key file", &pkcs1).await;
            page.click_button("Generate").await;
            let webhook_secret = page.field_value("Webhook secret").await;
            for secret in [
                "fault-client-secret",
                webhook_secret.as_str(),
                &crate::github_app::key_line(&pkcs1),
            ] {
                page.handled_secret(secret);
            }
            walk_action(
                &page,
                &FAULTS,
                "POST",
                CONFIGURE,
                &REFUSALS,
                || async {
                    confirm_in(&page, "Replace the configured GitHub App?", "Replace it", || {
                        page.click_button("Save the App in Flui")
                    })
                    .await
                },
                // Everything typed stays, the secrets too, to send again.
                || async {
                    assert_eq!(page.field_value("App ID").await, app_id);
                    assert_eq!(page.field_value("Client secret").await, "fault-client-secret");
                    assert_eq!(page.field_value("Webhook secret").await, webhook_secret);
                    assert!(page.field_value("Private key").await.contains("PRIVATE KEY"));
                },
                &format!("Saved: Flui now uses the App {slug}."),
            )
            .await;
        },
    )
    .await;
}

#[tokio::test]
async fn renewing_the_session_survives_every_fault() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            // The access token lapses; the tab holds a refresh token (no reload below),
            // so the next page's reads renew it first.
            let act = || async {
                page.sandbox.expire_access_tokens().expect("expire the tokens");
                if page.path().await == "/ghcr-token" {
                    page.click_link("Overview").await;
                } else {
                    page.click_link("GHCR token").await;
                }
            };
            // 401, 403 and 400 are the session refused: that is `session.rs`'s.
            walk_action(
                &page,
                &FAULTS,
                "POST",
                "/api/v1/auth/refresh",
                &[404, 409],
                act,
                // Still signed in: the navigation stays.
                || async { page.expect_text("Signed in as").await },
                "Missing",
            )
            .await;
        },
    )
    .await;
}

#[tokio::test]
async fn opening_the_session_after_the_provider_survives_every_fault() {
    e2e::oidc::run(
        900,
        |_| {},
        |page, provider| async move {
            let route = "/api/v1/auth/oidc-session";
            // The provider signs the user in; Flui fails to open its session.
            page.sandbox.fault("POST", route, Fault::Status(500), None);
            page.goto("/").await;
            e2e::oidc::sign_in_at_provider(&page, &provider, demo::USER.email).await;
            page.expect_text("failed to handle the request").await;
            page.sandbox.clear_faults();
            // Trying again goes through the provider, whose own session still holds:
            // no form, straight back, and the session is asked for again.
            walk_action(
                &page,
                &FAULTS_BEFORE_AN_EMPTY_ANSWER,
                "POST",
                route,
                &REFUSALS,
                || async { page.click_button("Try again").await },
                || async { page.expect_page("Sign-in did not finish").await },
                "Overview",
            )
            .await;
            page.expect_page("Overview").await;
        },
    )
    .await;
}

#[tokio::test]
async fn reading_the_oidc_settings_from_the_api_survives_every_fault() {
    // OIDC mode with config.json leaving the client id empty: the dashboard asks the API
    // (`GET /auth/config`, given 5 seconds as the official dashboard gives it).
    run(
        |o| o.auth_mode = e2e::AuthMode::Oidc,
        |page| async move {
            let route = "/api/v1/auth/config";
            for (fault, words) in [
                (Fault::Status(500), "could not be read"),
                (Fault::HtmlPage(502), "could not be read"),
                (Fault::Drop, "could not be read"),
                (Fault::TruncatedJson, "could not be read"),
                (Fault::WrongShape, "could not be read"),
                (Fault::TooManyRequests { retry_after: 60 }, "could not be read"),
                (Fault::Status(404), "could not be read"),
                (Fault::MissingFields, "does not name it either"),
                (Fault::Hang, "did not answer within 5 seconds"),
            ] {
                eprintln!("walk: GET {route} answers {fault:?}, at start-up");
                page.sandbox.fault("GET", route, fault, None);
                page.goto("/").await;
                page.expect_page("The dashboard is not configured correctly")
                    .await;
                page.expect_text(words).await;
                page.expect_text("The key \"oidcClientId\"").await;
                expect_way_forward(&page, &format!("{route} answering {fault:?}")).await;
                page.sandbox.clear_faults();
                page.goto("/").await;
                page.expect_page("Sign in to Flui").await;
                page.expect_button("Sign in with 127.0.0.1").await;
            }
        },
    )
    .await;
}

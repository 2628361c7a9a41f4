//! Bad networks and bad data, from the sandbox's fault switch: every fault on a read is
//! explained with a way forward and the page recovers; a hung request is given up; a
//! short `Retry-After` is waited out once. Every test also fails if the wasm panicked
//! (the console check of `e2e::run`).

use std::time::Duration;

use e2e::{Fault, Page, demo, run, run_same_origin};

const GITHUB_STATUS: &str = "/api/v1/repositories/github/status";

/// Leaves the overview and comes back: its reads run again.
async fn reopen_overview(page: &Page) {
    page.click_link("GHCR token").await;
    page.expect_page("GHCR token").await;
    page.click_link("Overview").await;
    page.expect_page("Overview").await;
}

/// Waits up to `secs` for `region` to show `text`, busy or not.
async fn region_shows(page: &Page, region: &str, text: &str, secs: u64) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let shown = page.region(region).await.text().await.unwrap_or_default();
        if shown.contains(text) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{region} never showed {text:?}: {shown}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
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
            region_shows(&page, "GHCR token", "Missing", 10).await;
            // What is awaited is the client's patience (15 s) running out.
            region_shows(&page, "GitHub", "did not answer within 15 seconds.", 30).await;
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

/// The faults no route answers on purpose, and the words that must then show.
const FAULTS: [(Fault, &str); 7] = [
    (Fault::Status(500), "failed to handle the request"),
    (Fault::HtmlPage(502), "failed to handle the request"),
    (Fault::HtmlPage(503), "failed to handle the request"),
    (Fault::Drop, "could not be reached"),
    (Fault::TruncatedJson, "does not understand"),
    (Fault::WrongShape, "does not understand"),
    (Fault::TooManyRequests { retry_after: 60 }, "too many requests"),
];

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
/// shows no error.
async fn walk(page: &Page, path: &str, heading: &str, method: &str, route: &str) {
    for (fault, words) in FAULTS {
        eprintln!("walk: {method} {route} answers {fault:?}, on {path}");
        page.sandbox.fault(method, route, fault, None);
        page.goto(path).await;
        page.expect_text(words).await;
        expect_way_forward(page, &format!("{route} answering {fault:?} on {path}")).await;
        page.sandbox.clear_faults();
        page.goto(path).await;
        page.expect_page(heading).await;
        page.expect_text_gone(words).await;
    }
}

#[tokio::test]
async fn the_session_check_survives_every_fault() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::ADMIN).await;
            walk(&page, "/", "Overview", "GET", "/api/v1/auth/me").await;
            walk(&page, "/", "Overview", "GET", "/api/v1/me/permissions").await;
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
            walk(&page, "/", "Overview", "GET", ghcr).await;
            walk(&page, "/ghcr-token", "GHCR token", "GET", ghcr).await;
            walk(&page, "/", "Overview", "GET", "/api/v1/credentials/status").await;
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
                "/repositories",
                "Repositories",
                "GET",
                "/api/v1/repositories",
            )
            .await;
            walk(
                &page,
                "/repositories/connect",
                "Connect repositories",
                "GET",
                "/api/v1/repositories/available",
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
                walk(&page, "/admin/github-app", "GitHub App", "GET", route).await;
            }
            walk(
                &page,
                "/admin/installations",
                "Installations",
                "GET",
                "/api/v1/repositories/github-app/installations",
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
                page.expect_text(words).await;
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

/// Runs `act` with `method route` answering each fault in turn: the page must say what
/// happened with a way forward, keep `kept` (what to check is still there) and, once the
/// route answers again, `act` must succeed with `done` shown.
async fn walk_action<A, Fut, K, KFut>(page: &Page, method: &str, route: &str, act: A, kept: K, done: &str)
where
    A: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
    K: Fn() -> KFut,
    KFut: std::future::Future<Output = ()>,
{
    for (fault, words) in FAULTS {
        eprintln!("walk: {method} {route} answers {fault:?}, after an action");
        page.sandbox.fault(method, route, fault, None);
        act().await;
        page.expect_text(words).await;
        expect_way_forward(page, &format!("{route} answering {fault:?}")).await;
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
                "GET",
                "/api/v1/repositories/github-app/install-url",
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
                "POST",
                "/api/v1/repositories/import",
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
                "POST",
                "/api/v1/repositories/github-app/rescan-installations",
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
                "POST",
                "/api/v1/repositories/github/setup/github-app/manifest-start",
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

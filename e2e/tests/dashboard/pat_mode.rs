//! Instances in PAT mode: each user connects GitHub with a personal access token of their
//! own, made on the simulated GitHub's token page.

use e2e::github::make_token;
use e2e::{AuthMethod, Page, demo, run};

const VALIDATE: &str = "/api/v1/repositories/github/validate-pat";
const CONNECT: &str = "/api/v1/repositories/github/connect-pat";

/// Every scope PAT mode needs but `workflow`.
const ALL_BUT_WORKFLOW: [&str; 6] = [
    "repo",
    "user:email",
    "admin:repo_hook",
    "write:packages",
    "read:packages",
    "delete:packages",
];

/// A token from GitHub's page, through the link beside the form, back on `back_to`.
async fn token_from_github(page: &Page, back_to: &str, scopes: Option<&[&str]>) -> String {
    let token = make_token(page, "Create a token on GitHub", "uma-dev", scopes).await;
    page.goto(back_to).await;
    token
}

#[tokio::test]
async fn a_user_checks_connects_and_disconnects_with_a_token() {
    run(
        |o| o.auth_method = AuthMethod::Pat,
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            page.expect_region_text("GitHub", "personal access token per user").await;
            assert_eq!(page.count_buttons("Install the GitHub App").await, 0, "no App here");
            let link = page.link_href("Create a token on GitHub").await;
            assert!(
                link.ends_with("/settings/tokens/new?scopes=repo,workflow,user:email,admin:repo_hook,write:packages,read:packages,delete:packages&description=Flui"),
                "{link}"
            );

            // A token short of a scope is checked, and not stored.
            let short = token_from_github(&page, "/", Some(&ALL_BUT_WORKFLOW)).await;
            page.expect_page("Overview").await;
            page.fill("Personal access token", &short).await;
            page.click_button("Connect GitHub").await;
            page.expect_text("The token belongs to @uma-dev.").await;
            page.expect_text("Missing workflow: Flui needs it to add the build workflow to your repositories.")
                .await;
            assert_eq!(page.sandbox.requests("POST", VALIDATE), 1);
            assert_eq!(page.sandbox.requests("POST", CONNECT), 0, "a short token is not stored");
            assert_eq!(page.field_value("Personal access token").await, short, "nothing typed is lost");
            page.check_accessibility().await;

            // One with every scope connects.
            let full = token_from_github(&page, "/", None).await;
            page.expect_page("Overview").await;
            page.fill("Personal access token", &full).await;
            page.click_button("Connect GitHub").await;
            page.expect_region_text("GitHub", "Connected as @uma-dev with a personal access token")
                .await;
            assert_eq!(page.sandbox.requests("POST", CONNECT), 1);
            page.expect_secret_nowhere(&full).await;
            page.expect_secret_nowhere(&short).await;

            // Disconnect, after a confirmation.
            page.click_button_in("GitHub", "Disconnect").await;
            page.region("Disconnect GitHub?").await;
            page.check_accessibility().await;
            page.click_button("Disconnect GitHub").await;
            page.expect_region_text("GitHub", "personal access token per user").await;
            assert_eq!(page.sandbox.requests("POST", "/api/v1/repositories/github/disconnect"), 1);
        },
    )
    .await;
}

#[tokio::test]
async fn the_repositories_page_offers_the_token_form_until_connected() {
    run(
        |o| o.auth_method = AuthMethod::Pat,
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            page.click_link("Repositories").await;
            page.expect_page("Repositories").await;
            page.expect_text("Connect GitHub with a personal access token")
                .await;
            // Not the shape of a GitHub token: refused before anything is sent.
            page.fill("Personal access token", "gho_0auth").await;
            page.click_button("Connect GitHub").await;
            page.expect_text("This is not a GitHub personal access token")
                .await;
            assert_eq!(page.sandbox.requests("POST", VALIDATE), 0);

            let token = token_from_github(&page, "/repositories", None).await;
            page.expect_page("Repositories").await;
            page.fill("Personal access token", &token).await;
            page.click_button("Connect GitHub").await;
            page.expect_text_gone("Connect GitHub with a personal access token")
                .await;
            page.click_link("Overview").await;
            page.expect_region_text("GitHub", "Connected as @uma-dev").await;
        },
    )
    .await;
}

//! `/repositories/connect`, the picker: importing from two owners, a mixed result told per
//! repository, `?repo=` links, search / filters / sort by keyboard kept in the URL, the
//! missing-repository path, and the approval body.

use e2e::github::grant_repository;
use e2e::{Page, demo, run};

const IMPORT: &str = "/api/v1/repositories/import";

/// The demo user has connected GitHub as uma-dev; the App is on uma-dev and uma-labs.
async fn connected(page: &Page) {
    page.demo_user_on_github().await;
    page.sign_in_to_overview(&demo::USER).await;
}

#[tokio::test]
async fn three_repositories_from_two_owners_are_connected_and_listed() {
    run(
        |_| {},
        |page| async move {
            connected(&page).await;
            page.goto("/repositories").await;
            page.click_link("Connect repositories").await;
            page.expect_page("Connect repositories").await;
            page.expect_text("of 12 shown").await;
            page.check_accessibility().await;

            page.click_option("uma-dev/api").await;
            page.click_option("uma-dev/web").await;
            page.keys_to("Owner", "uma-l").await;
            page.expect_path("/repositories/connect?owner=uma-labs").await;
            page.click_option("uma-labs/docs").await;
            assert!(page.option_selected("uma-labs/docs").await);
            page.expect_text("3 selected").await;
            page.choose("Deploy automatically on every push").await;
            page.click_button("Connect 3 repositories").await;
            page.expect_text("3 connected.").await;
            assert_eq!(page.sandbox.requests("POST", IMPORT), 1);
            page.check_accessibility().await;

            page.click_link("See your connected repositories").await;
            let list = page.region("Connected repositories (3)").await;
            let text = list.text().await.expect("the list");
            for name in ["uma-dev/api", "uma-dev/web", "uma-labs/docs", "On push"] {
                assert!(text.contains(name), "{name} in {text}");
            }
        },
    )
    .await;
}

#[tokio::test]
async fn a_mixed_import_reports_each_repository_in_words() {
    run(
        |_| {},
        |page| async move {
            connected(&page).await;
            page.goto("/repositories/connect").await;
            page.click_option("uma-dev/api").await;
            page.click_option("uma-dev/docs").await;
            page.click_option("uma-labs/web").await;
            // Meanwhile: uma-dev/api connected from the CLI, and uma-labs takes the App's
            // access to `web` away on GitHub.
            page.elsewhere(&demo::USER).await.import(&["uma-dev/api"]).await;
            page.sandbox
                .select_installation_repos("uma-labs", &["api"])
                .expect("access changed on GitHub");
            page.click_button("Connect 3 repositories").await;
            page.expect_text("1 connected, 1 already connected, 1 not connected.")
                .await;
            page.expect_text("uma-dev/docs — Connected.").await;
            page.expect_text("uma-dev/api — Already connected: nothing to do.")
                .await;
            page.expect_text("uma-labs/web — Not connected. Flui said:").await;
            page.check_accessibility().await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_repo_link_preselects_it_and_one_that_is_not_there_is_explained() {
    run(
        |_| {},
        |page| async move {
            connected(&page).await;
            page.goto("/repositories/connect?repo=uma-labs/worker").await;
            page.expect_text("1 selected").await;
            assert!(page.option_selected("uma-labs/worker").await);
            assert!(
                page.option_names().await.contains(&"uma-labs/worker".to_owned()),
                "scrolled into view"
            );

            page.goto("/repositories/connect?repo=acme/secret").await;
            page.expect_text("acme/secret is not in the list: the Flui GitHub App cannot see it")
                .await;
            page.expect_text("0 selected").await;
            page.goto("/repositories/connect?repo=not-a-name").await;
            page.expect_text("“not-a-name” is not a repository name: write it as owner/repo")
                .await;
        },
    )
    .await;
}

#[tokio::test]
async fn search_filter_and_sort_work_by_keyboard_and_survive_a_reload() {
    run(
        |o| o.repos_per_account = 30,
        |page| async move {
            connected(&page).await;
            page.goto("/repositories/connect").await;
            page.expect_text("of 64 shown").await;
            page.fill("Search", "service-002").await;
            page.expect_text("20 of 64 shown").await;
            page.keys_to("Owner", "uma-d").await;
            page.expect_text("10 of 64 shown").await;
            page.keys_to("Visibility", "pr").await;
            page.expect_text("3 of 64 shown").await;
            page.keys_to("Sort by", "l").await;
            page.expect_path(
                "/repositories/connect?q=service-002&owner=uma-dev&visibility=private&sort=updated",
            )
            .await;
            let before = page.option_names().await;
            assert!(
                !before.is_empty() && before.iter().all(|n| n.starts_with("uma-dev/service-002")),
                "{before:?}"
            );

            // The listbox by keyboard: Tab to it, arrows, Space, and the count follows.
            page.goto("/repositories/connect?q=service-002&owner=uma-dev&visibility=private&sort=updated")
                .await;
            page.expect_text(&format!("{} of 64 shown", before.len())).await;
            assert_eq!(page.option_names().await, before, "the same view after a reload");
            assert_eq!(page.field_value("Search").await, "service-002");
            page.click_option(&before[0]).await;
            page.press("\u{e015}").await; // ArrowDown
            page.press(" ").await;
            page.expect_text("2 selected").await;
            page.fill("Search", "zzz-nothing").await;
            page.expect_text("0 of 64 shown · 2 selected").await;
            page.check_accessibility().await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_missing_repository_is_granted_on_github_and_appears_after_refresh() {
    run(
        |_| {},
        |page| async move {
            page.sandbox.install_app_on_github("uma-labs").expect("install");
            page.sandbox
                .select_installation_repos("uma-labs", &["api"])
                .expect("only api");
            page.sandbox
                .connect_github(demo::USER.email, "uma-dev")
                .await
                .expect("connected");
            page.sign_in_to_overview(&demo::USER).await;
            page.goto("/repositories/connect?q=uma-labs/web").await;
            page.expect_text("uma-labs/web is not in the list").await;
            page.toggle_details("Why is my repository missing?").await;
            let grant = page.link_href("Grant access on GitHub").await;
            assert_eq!(
                grant,
                format!(
                    "{}/apps/flui-sandbox/installations/new",
                    page.sandbox.github_url()
                )
            );
            // On GitHub's page for the App, uma-labs (owned by uma-dev) grants it `web`.
            grant_repository(&page, "Grant access on GitHub", "uma-dev", "uma-labs", "web").await;
            // GitHub sends the browser to the App's setup URL, without a connection to finish.
            page.expect_text("that change is saved on GitHub").await;
            page.goto("/repositories/connect?q=uma-labs/web").await;
            page.expect_text("1 of 2 shown").await;
            page.click_option("uma-labs/web").await;
            page.expect_text("1 selected").await;
            // Access taken away again on GitHub: Refresh reads the list again, at once.
            page.sandbox
                .select_installation_repos("uma-labs", &["api"])
                .expect("access removed");
            page.toggle_details("Why is my repository missing?").await;
            page.click_button("Refresh the list").await;
            page.expect_text("0 of 1 shown").await;
            page.expect_text("uma-labs/web is not in the list").await;
        },
    )
    .await;
}

#[tokio::test]
async fn an_import_that_needs_approval_shows_the_approval_and_its_link() {
    run(
        |o| o.import_needs_approval = true,
        |page| async move {
            connected(&page).await;
            page.goto("/repositories/connect?repo=uma-dev/api").await;
            page.expect_text("1 selected").await;
            page.click_button("Connect 1 repository").await;
            page.expect_text("This action needs approval before Flui runs it.")
                .await;
            page.expect_text("Connect uma-dev/api to this instance.").await;
            let decide = page.link_href("Review and decide").await;
            assert!(decide.starts_with("https://"), "{decide}");
            page.expect_text("1 selected").await;
        },
    )
    .await;
}

#[tokio::test]
async fn without_a_github_connection_the_picker_leads_to_connecting_first() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            page.goto("/repositories/connect").await;
            page.expect_text("GitHub shows Flui no repository for you yet.")
                .await;
            page.click_link("Connect GitHub on the Repositories page").await;
            page.expect_text("Connect GitHub first").await;
        },
    )
    .await;
    run(
        |o| o.auth_method = e2e::AuthMethod::Pat,
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            page.goto("/repositories/connect").await;
            page.expect_text("Flui has no GitHub connection for your account yet")
                .await;
            page.check_accessibility().await;
        },
    )
    .await;
}

//! `/repositories`: where the user stands (each state of the page), the connected list,
//! disconnecting after a confirmation (and when the server refuses or the repository is
//! already gone), the official dashboard's path, and hostile names shown as plain text.

use e2e::{ApiGeneration, Page, demo, run};
use serde_json::json;

/// The demo user connects GitHub as uma-dev (the App on uma-dev and uma-labs) and
/// imports `names` as `flui repo connect` would; returns the repositories' ids by name.
async fn connect_and_import(page: &Page, names: &[&str]) -> Vec<(String, String)> {
    page.demo_user_on_github().await;
    let answer = page.elsewhere(&demo::USER).await.import(names).await;
    assert_eq!(answer["imported"], json!(names.len()), "{answer}");
    answer["repositories"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            (
                r["fullName"].as_str().unwrap_or_default().to_owned(),
                r["id"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn connected_repositories_are_listed_and_one_is_disconnected_after_a_confirmation() {
    run(
        |_| {},
        |page| async move {
            connect_and_import(&page, &["uma-dev/api", "uma-labs/web", "uma-dev/docs"]).await;
            page.sign_in_to_overview(&demo::USER).await;
            page.click_link("Repositories").await;
            page.expect_page("Repositories").await;
            let list = page.region("Connected repositories (3)").await;
            let text = list.text().await.expect("the list's text");
            for expected in [
                "uma-dev/api",
                "uma-labs/web",
                "uma-dev/docs",
                "HTTP API of the shop",
                "Private",
                "Rust",
                "Off",
            ] {
                assert!(text.contains(expected), "{expected} in {text}");
            }
            let github = page.link_href("Open on GitHub: uma-dev/api").await;
            assert_eq!(github, format!("{}/uma-dev/api", page.sandbox.github_url()));
            page.check_accessibility().await;

            page.click_button("Disconnect uma-dev/api").await;
            let dialog = page.region("Disconnect uma-dev/api?").await;
            let words = dialog.text().await.expect("the dialog's text");
            assert!(
                words.contains("The repository on GitHub is not touched"),
                "{words}"
            );
            assert!(words.contains("stops building and deploying"), "{words}");
            page.check_accessibility().await;
            page.click_button_in("Disconnect uma-dev/api?", "Disconnect uma-dev/api")
                .await;
            page.expect_text("Disconnected uma-dev/api. It stays on GitHub")
                .await;
            let left = page.region("Connected repositories (2)").await;
            let left = left.text().await.expect("the list's text");
            assert!(
                !left.contains("uma-dev/api") && left.contains("uma-labs/web"),
                "{left}"
            );
            assert_eq!(page.count_buttons("Disconnect uma-dev/api").await, 0);
        },
    )
    .await;
}

#[tokio::test]
async fn a_repository_gone_meanwhile_and_an_admin_only_server_are_told_in_words() {
    run(
        |_| {},
        |page| async move {
            let ids = connect_and_import(&page, &["uma-dev/api", "uma-dev/web"]).await;
            page.sign_in_to_overview(&demo::USER).await;
            page.goto("/repositories").await;
            page.region("Connected repositories (2)").await;
            // Disconnected from the CLI while the page is open.
            let (_, id) = ids
                .iter()
                .find(|(name, _)| name == "uma-dev/api")
                .expect("imported");
            let (gone, _) = page
                .elsewhere(&demo::USER)
                .await
                .send("DELETE", &format!("/repositories/{id}"), None)
                .await;
            assert_eq!(gone, 204);
            page.click_button("Disconnect uma-dev/api").await;
            page.click_button_in("Disconnect uma-dev/api?", "Disconnect uma-dev/api")
                .await;
            page.expect_text("uma-dev/api was already disconnected").await;
            page.region("Connected repositories (1)").await;
        },
    )
    .await;
    run(
        |o| o.disconnect_admin_only = true,
        |page| async move {
            connect_and_import(&page, &["uma-dev/api"]).await;
            page.sign_in_to_overview(&demo::USER).await;
            page.goto("/repositories").await;
            page.click_button("Disconnect uma-dev/api").await;
            page.click_button_in("Disconnect uma-dev/api?", "Disconnect uma-dev/api")
                .await;
            page.expect_text("This needs admin rights on this Flui instance.")
                .await;
            page.expect_text("Admin access required").await;
            page.region("Connected repositories (1)").await;
            page.check_accessibility().await;
        },
    )
    .await;
}

#[tokio::test]
async fn every_state_before_the_list_says_where_the_user_stands() {
    run(
        |_| {},
        |page| async move {
            // Not connected: the connect card.
            page.sign_in_to_overview(&demo::USER).await;
            page.goto("/repositories").await;
            page.expect_text("Connect GitHub first").await;
            page.expect_button("Connect GitHub").await;
            page.check_accessibility().await;

            // Connected, nothing imported: the empty state.
            page.sandbox.install_app_on_github("uma-dev").expect("install");
            page.sandbox
                .connect_github(demo::USER.email, "uma-dev")
                .await
                .expect("connected");
            page.goto("/apps/repositories").await;
            page.expect_page("Repositories").await;
            page.expect_text("No repositories connected yet").await;
            let picker = page.link_href("Connect repositories").await;
            assert!(picker.ends_with("/repositories/connect"), "{picker}");

            // The App's key broken: users cannot run the check, admins see its message.
            page.sandbox.break_github_app_key().expect("a broken key");
            page.goto("/repositories").await;
            page.expect_text("No repositories connected yet").await;
        },
    )
    .await;
    run(
        |_| {},
        |page| async move {
            // The admin has one repository connected before the App's key breaks.
            page.sandbox.install_app_on_github("ada-admin").expect("install");
            page.sandbox
                .connect_github(demo::ADMIN.email, "ada-admin")
                .await
                .expect("connected");
            page.elsewhere(&demo::ADMIN)
                .await
                .import(&["ada-admin/api"])
                .await;
            page.sandbox.break_github_app_key().expect("a broken key");
            page.sign_in_to_overview(&demo::ADMIN).await;
            page.goto("/repositories").await;
            page.expect_text("The GitHub App is not working").await;
            page.expect_text("A JSON web token could not be decoded").await;
            page.expect_text("Check the GitHub App").await;
            // What is connected stays listed, and can be disconnected, meanwhile.
            page.region("Connected repositories (1)").await;
            page.expect_button("Disconnect ada-admin/api").await;
            page.check_accessibility().await;

            page.sandbox.remove_github_app().expect("no setup");
            page.goto("/repositories").await;
            page.expect_text("GitHub is not set up on this Flui instance yet")
                .await;
            page.click_link("Set up the GitHub App").await;
            page.expect_path("/admin/github-app").await;
        },
    )
    .await;
    run(
        |_| {},
        |page| async move {
            page.sandbox.remove_github_app().expect("no setup");
            page.sign_in_to_overview(&demo::USER).await;
            page.goto("/repositories").await;
            page.expect_text("Ask an administrator of this Flui instance to set up the Flui GitHub App.")
                .await;
            assert_eq!(page.count_buttons("Connect GitHub").await, 0);
            page.check_accessibility().await;
        },
    )
    .await;
}

#[tokio::test]
async fn hostile_names_and_descriptions_are_plain_text_with_the_override_isolated() {
    run(
        |o| o.generation = ApiGeneration::Older,
        |page| async move {
            let hostile = [
                "uma-labs/<img src=x onerror=alert(1)>",
                "uma-labs/invoice-\u{202E}gpj.exe",
                "uma-labs/long-description",
                "uma-labs/rocket-\u{1F680}",
                "uma-dev/worker",
            ];
            connect_and_import(&page, &hostile).await;
            page.sign_in_to_overview(&demo::USER).await;
            page.goto("/repositories").await;
            let list = page.region("Connected repositories (5)").await;
            let text = list.text().await.expect("the list's text");
            assert!(text.contains("uma-labs/<img src=x onerror=alert(1)>"), "markup shown as text: {text}");
            assert!(text.contains("<script>alert('description')</script><b>bold?</b>"), "{text}");
            assert!(!text.contains("null"), "an older server's null description says nothing: {text}");
            let injected = page
                .client
                .execute(
                    "return document.querySelectorAll('.repos img, .repos script, .repos b').length",
                    vec![],
                )
                .await
                .expect("a count");
            assert_eq!(injected, json!(0), "no markup from the API became elements");
            let isolated = page
                .client
                .execute(
                    "return [...document.querySelectorAll('.repos bdi')].some(b => b.textContent.includes('\u{202E}') && getComputedStyle(b).unicodeBidi === 'isolate')",
                    vec![],
                )
                .await
                .expect("a check");
            assert_eq!(isolated, json!(true), "the right-to-left override is isolated");
            // The 10 KB description is clamped, the rest one click away.
            page.expect_text("… (show all)").await;
            page.check_accessibility().await;
        },
    )
    .await;
}

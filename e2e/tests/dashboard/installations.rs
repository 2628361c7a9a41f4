//! Admin: the installations Flui keeps a record of (`flui integration installations`,
//! `remove-installation`), kept true by the simulated GitHub's signed webhooks.

use e2e::github::{install_from_github, manage_installation, redeliver, send_webhook};
use e2e::{ApiGeneration, Page, demo, run};
use serde_json::json;

const LIST: &str = "/api/v1/repositories/github-app/installations";

/// The admin opens the installations page from the navigation.
async fn open_as_admin(page: &Page) {
    page.sign_in_to_overview(&demo::ADMIN).await;
    page.click_link("Installations").await;
    page.expect_page("Installations").await;
}

#[tokio::test]
async fn installations_are_listed_then_sorted_and_filtered_by_keyboard() {
    run(
        |_| {},
        |page| async move {
            // Two GitHub users install the App from GitHub itself: its webhooks tell Flui.
            let uma = install_from_github(&page, "uma-dev", "uma-dev").await;
            install_from_github(&page, "uma-dev", "uma-labs").await;
            install_from_github(&page, "olive-owner", "acme").await;
            open_as_admin(&page).await;
            page.expect_text("3 installations").await;
            assert_eq!(page.column_sort("Created").await, "descending");
            let mut accounts = page.table_column("Account").await;
            accounts.sort();
            assert_eq!(accounts.len(), 3, "{accounts:?}");
            assert!(accounts[0].starts_with("acme\nOrganisation"), "{accounts:?}");
            assert!(accounts[1].starts_with("uma-dev\nUser"), "{accounts:?}");
            // Nobody in Flui has connected through these accounts yet: each row says so.
            assert!(
                accounts.iter().all(|a| a.contains("No Flui user is connected")),
                "{accounts:?}"
            );
            assert!(
                page.table_column("Installed by")
                    .await
                    .contains(&"@olive-owner".to_owned())
            );
            page.expect_text(&uma).await;
            page.check_accessibility().await;

            // Sort by account with the keyboard: focus the header's button, Enter, Enter.
            page.button("Account")
                .await
                .send_keys("\u{e007}")
                .await
                .expect("Enter");
            assert_eq!(page.column_sort("Account").await, "ascending");
            assert_eq!(page.column_sort("Created").await, "none");
            let first_lines = |column: Vec<String>| -> Vec<String> {
                column
                    .iter()
                    .map(|c| c.lines().next().unwrap_or_default().to_owned())
                    .collect()
            };
            assert_eq!(
                first_lines(page.table_column("Account").await),
                ["acme", "uma-dev", "uma-labs"]
            );
            assert_eq!(
                page.focused_text().await,
                "Account",
                "the focus stays on the header"
            );
            page.press("\u{e007}").await;
            assert_eq!(page.column_sort("Account").await, "descending");
            assert_eq!(
                first_lines(page.table_column("Account").await),
                ["uma-labs", "uma-dev", "acme"]
            );

            // Filter by account text, then by state.
            page.keys_to("Account", "UMA").await;
            page.expect_text("Showing 2 of 3 installations").await;
            assert_eq!(
                first_lines(page.table_column("Account").await),
                ["uma-labs", "uma-dev"]
            );
            page.keys_to("State", "Suspended").await;
            page.expect_text("None matches these filters").await;
            assert!(page.table_column("Account").await.is_empty());
            // Back one option with the keyboard: Active.
            page.keys_to("State", "\u{e013}").await;
            page.expect_text("Showing 2 of 3 installations").await;
            page.check_accessibility().await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_removed_record_comes_back_when_github_reports_the_installation_again() {
    run(
        |_| {},
        |page| async move {
            let id = install_from_github(&page, "uma-dev", "uma-dev").await;
            // Suspended on GitHub: its signed webhook marks the record.
            manage_installation(&page, "uma-dev", &id, "Suspend").await;
            page.expect_text("Suspended since").await;
            open_as_admin(&page).await;
            page.expect_text("1 installation").await;
            let state = page.table_column("State").await;
            assert!(state[0].contains("Suspended\nsince"), "{state:?}");
            page.select("State", "Suspended").await;
            page.expect_text(&id).await;

            let remove = format!("Remove the record of installation {id} (uma-dev)");
            page.click_labelled(&remove).await;
            page.expect_text("This does not uninstall the App on GitHub").await;
            assert_eq!(
                page.link_href("Uninstall on GitHub").await,
                format!("{}/settings/installations/{id}", page.sandbox.github_url())
            );
            page.check_accessibility().await;
            // Cancel keeps it; then remove it for real.
            page.click_button("Cancel").await;
            page.expect_text("1 installation").await;
            page.click_labelled(&remove).await;
            page.click_button("Remove the record").await;
            page.expect_text(&format!("Flui forgot installation {id} (uma-dev)")).await;
            assert!(page.focused_text().await.starts_with("Flui forgot installation"), "the focus moves to what happened");
            page.expect_text("No installations recorded yet").await;

            // A webhook that claims to be GitHub's but is not signed with the secret: refused,
            // and nothing comes back.
            let created = json!({
                "action": "created",
                "installation": { "id": id.parse::<i64>().unwrap(), "account": { "login": "uma-dev", "type": "User" },
                                  "repository_selection": "all", "suspended_at": null },
                "sender": { "login": "uma-dev" },
            });
            let (status, _) = send_webhook(&page.sandbox.url(), "installation", &created, "guessed-secret").await;
            assert_eq!(status, 401);
            page.click_button("Reload").await;
            page.expect_text("No installations recorded yet").await;

            // The App's owner redelivers GitHub's signed "created": the record is back.
            redeliver(&page, "installation.created for uma-dev").await;
            page.goto("/admin/installations").await;
            page.expect_text("1 installation").await;
            page.expect_text(&id).await;
            page.check_accessibility().await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_record_removed_meanwhile_reads_as_already_removed() {
    run(
        |o| o.numeric_installation_ids = true,
        |page| async move {
            // Ids as JSON numbers: listed, copied and removed alike.
            let id = install_from_github(&page, "olive-owner", "acme").await;
            open_as_admin(&page).await;
            page.expect_text(&id).await;
            page.click_labelled(&format!("Copy installation ID {id}")).await;
            page.expect_text("Copied").await;
            page.click_labelled(&format!("Remove the record of installation {id} (acme)"))
                .await;
            assert_eq!(
                page.link_href("Uninstall on GitHub").await,
                format!(
                    "{}/organizations/acme/settings/installations/{id}",
                    page.sandbox.github_url()
                )
            );
            let (status, _) = page
                .elsewhere(&demo::ADMIN)
                .await
                .send(
                    "DELETE",
                    &format!("/repositories/github-app/installations/{id}"),
                    None,
                )
                .await;
            assert_eq!(status, 204);
            page.click_button("Remove the record").await;
            page.expect_text(&format!("Installation {id} (acme) was already removed"))
                .await;
            page.expect_text("No installations recorded yet").await;
        },
    )
    .await;
}

#[tokio::test]
async fn older_records_say_what_they_do_not_know() {
    run(
        |o| o.generation = ApiGeneration::Older,
        |page| async move {
            install_from_github(&page, "uma-dev", "uma-dev").await;
            open_as_admin(&page).await;
            assert_eq!(page.table_column("Installed by").await, ["Unknown"]);
            let user = page.table_column("Flui user").await;
            assert_eq!(
                user,
                ["GitHub @uma-dev (older record: a GitHub login, not a Flui user)"]
            );
            page.check_accessibility().await;
        },
    )
    .await;
}

#[tokio::test]
async fn empty_at_first_then_a_rescan_finds_the_admins_own() {
    run(
        |_| {},
        |page| async move {
            open_as_admin(&page).await;
            page.expect_text("No installations recorded yet").await;
            page.check_accessibility().await;
            page.click_button("Rescan my installations").await;
            page.expect_text("you have none yet").await;
            // The admin connects GitHub, and installs the App on GitHub behind Flui's back
            // (no webhook reached Flui): a rescan finds it.
            page.sandbox
                .connect_github(demo::ADMIN.email, "ada-admin")
                .await
                .expect("GitHub connected");
            page.sandbox
                .install_app_on_github("ada-admin")
                .expect("installed on GitHub");
            page.click_button("Rescan my installations").await;
            page.expect_text("Flui found 1 installation reachable with your GitHub connection")
                .await;
            let user = page.table_column("Flui user").await;
            assert!(user[0].starts_with("You"), "{user:?}");
        },
    )
    .await;
}

#[tokio::test]
async fn a_user_never_sees_the_installations() {
    run(
        |_| {},
        |page| async move {
            install_from_github(&page, "uma-dev", "uma-dev").await;
            page.sign_in_to_overview(&demo::USER).await;
            page.goto("/admin/installations").await;
            page.expect_page("Admin rights needed").await;
            assert_eq!(page.sandbox.requests("GET", LIST), 0);
            let (status, _) = page
                .elsewhere(&demo::USER)
                .await
                .send("GET", "/repositories/github-app/installations", None)
                .await;
            assert_eq!(status, 403);
        },
    )
    .await;
}

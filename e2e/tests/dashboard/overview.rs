//! The overview: `flui integration list` in the browser.

use e2e::{demo, run};

#[tokio::test]
async fn a_user_signs_in_and_sees_what_is_not_connected_yet() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            assert_eq!(page.title().await, "Overview · Flui");
            page.expect_region_text("GitHub", "Not connected").await;
            page.expect_region_text("GHCR token", "Missing").await;
            page.expect_region_text("GHCR token", "Add a GHCR token").await;
        },
    )
    .await;
}

#[tokio::test]
async fn an_expiring_ghcr_token_counts_the_days_forward() {
    run(
        |_| {},
        |page| async move {
            page.sandbox
                .seed_ghcr_pat(demo::USER.email, Some(5), "VALID")
                .expect("seed a PAT");
            page.sign_in_to_overview(&demo::USER).await;
            page.expect_region_text("GHCR token", "Expires in 5 days").await;
            let row = page.region("GHCR token").await.text().await.unwrap_or_default();
            assert!(!row.contains("just now"), "{row}");
        },
    )
    .await;
}

#[tokio::test]
async fn an_instance_with_its_own_registry_needs_no_ghcr_token() {
    run(
        |o| o.image_registry = "flui".into(),
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            page.expect_region_text(
                "GHCR token",
                "Not needed: this instance keeps images in its own registry.",
            )
            .await;
        },
    )
    .await;
}

#[tokio::test]
async fn the_first_deploy_checklist_leads_step_by_step_to_ready() {
    run(
        |_| {},
        |page| async move {
            page.sandbox.install_app_on_github("uma-dev").expect("install");
            page.sandbox
                .connect_github(demo::USER.email, "uma-dev")
                .await
                .expect("GitHub connected");
            page.sandbox
                .seed_ghcr_pat(demo::USER.email, Some(60), "VALID")
                .expect("a GHCR token");
            page.sign_in_to_overview(&demo::USER).await;
            page.expect_region_text("GitHub App", "Set up").await;
            page.expect_region_text("GitHub", "Connected as @uma-dev").await;
            page.expect_region_text("Repositories", "None yet").await;
            page.expect_text_gone("Ready: deploy with flui deploy").await;
            page.check_accessibility().await;

            // The one action that completes the last step: the picker, then back.
            page.click_link("Connect repositories").await;
            page.expect_page("Connect repositories").await;
            page.click_option("uma-dev/api").await;
            page.click_button("Connect 1 repository").await;
            page.expect_text("1 connected.").await;
            page.click_link("Overview").await;
            page.expect_region_text("Repositories", "1 connected").await;
            page.expect_text("Ready: deploy with flui deploy").await;
            page.expect_button("Copy").await;
            page.check_accessibility().await;
        },
    )
    .await;
}

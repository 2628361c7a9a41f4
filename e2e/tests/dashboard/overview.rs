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

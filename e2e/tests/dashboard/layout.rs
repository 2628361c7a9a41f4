//! How the dashboard looks and fits: themes and small screens.

use e2e::{demo, run};

#[tokio::test]
async fn the_dark_theme_is_remembered_across_a_reload_and_stays_accessible() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            page.click_button("Dark theme").await;
            page.goto("/").await;
            // expect_page runs axe again: contrast is now checked in the dark theme.
            page.expect_page("Overview").await;
            let theme = page
                .client
                .execute(
                    "return document.documentElement.getAttribute('data-theme');",
                    vec![],
                )
                .await
                .expect("read the theme");
            assert_eq!(theme.as_str(), Some("dark"));
            let pressed = page
                .button("Dark theme")
                .await
                .attr("aria-pressed")
                .await
                .expect("aria-pressed");
            assert_eq!(pressed.as_deref(), Some("true"));
        },
    )
    .await;
}

#[tokio::test]
async fn the_overview_fits_a_360_pixel_wide_screen() {
    run(
        |_| {},
        |page| async move {
            page.client.set_window_size(360, 760).await.expect("resize");
            page.sign_in_to_overview(&demo::USER).await;
            page.expect_region_text("GitHub", "Not connected").await;
            let fits = page
                .client
                .execute(
                    "return document.documentElement.scrollWidth <= window.innerWidth;",
                    vec![],
                )
                .await
                .expect("measure");
            assert_eq!(fits.as_bool(), Some(true), "the page scrolls sideways at 360 px");
        },
    )
    .await;
}

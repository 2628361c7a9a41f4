//! The GHCR token (`flui integration ghcr-pat set | status | revoke`) and the credentials
//! banner, with tokens made on the simulated GitHub's token page.

use e2e::github::{make_token, revoke_token};
use e2e::{Page, demo, run};

const PAT_PATH: &str = "/api/v1/repositories/github-app/packages-pat";
const BANNER: &str = "Credentials that need attention";

/// A token made on GitHub through the token form's link (with the scopes the link asks
/// for, or exactly `scopes`), back on the token page. `open` is the button that shows the
/// form, when a token is stored already; it is pressed again on the way back.
pub(crate) async fn token_from_github(page: &Page, open: Option<&str>, scopes: Option<&[&str]>) -> String {
    page.goto("/ghcr-token").await;
    page.expect_page("GHCR token").await;
    if let Some(open) = open {
        page.click_button(open).await;
    }
    let token = make_token(page, "Create a token on GitHub", "uma-dev", scopes).await;
    page.goto("/ghcr-token").await;
    page.expect_page("GHCR token").await;
    if let Some(open) = open {
        page.click_button(open).await;
    }
    token
}

/// Stores `token` with the default expiry (90 days).
async fn save(page: &Page, token: &str) {
    page.fill("Token", token).await;
    page.click_button("Save token").await;
    page.expect_region_text("Stored token", "Valid").await;
}

#[tokio::test]
async fn a_token_is_set_shown_changed_rotated_and_revoked() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            page.click_link("GHCR token").await;
            page.expect_page("GHCR token").await;
            let field = page.field("Token").await;
            assert_eq!(
                field.attr("type").await.ok().flatten().as_deref(),
                Some("password")
            );
            assert_eq!(
                page.field_attr("Token", "autocomplete").await.as_deref(),
                Some("off")
            );
            let link = page.link_href("Create a token on GitHub").await;
            assert!(
                link.ends_with(
                    "/settings/tokens/new?scopes=read:packages,delete:packages&description=Flui+GHCR+pull"
                ),
                "{link}"
            );

            let first = token_from_github(&page, None, None).await;
            let banner = page.region(BANNER).await.text().await.unwrap_or_default();
            assert!(
                banner.contains("GHCR token"),
                "the banner names the missing token: {banner}"
            );
            save(&page, &first).await;
            // The banner is read again: the token needs no attention any more.
            page.expect_region_text(BANNER, "GitHub").await;
            let banner = page.region(BANNER).await.text().await.unwrap_or_default();
            assert!(!banner.contains("GHCR token"), "{banner}");
            for shown in ["@uma-dev", "read:packages, delete:packages", "in 90 days"] {
                page.expect_region_text("Stored token", shown).await;
            }
            page.expect_secret_nowhere(&first).await;

            // Change expiry: only the date is sent.
            page.click_button("Change expiry").await;
            page.region("Change the expiry").await;
            page.choose("30 days").await;
            page.click_button_in("Change the expiry", "Change expiry").await;
            page.expect_region_text("Stored token", "in 30 days").await;
            assert_eq!(page.sandbox.requests("PATCH", &format!("{PAT_PATH}/expiry")), 1);

            // Rotate with a second token.
            let second = token_from_github(&page, Some("Rotate"), None).await;
            page.fill("Token", &second).await;
            page.click_button_in("Rotate the token", "Rotate token").await;
            page.expect_region_text("Stored token", "in 90 days").await;
            assert_eq!(page.sandbox.requests("PUT", &format!("{PAT_PATH}/rotate")), 1);
            page.expect_secret_nowhere(&second).await;
            page.expect_secret_nowhere(&first).await;

            // Revoke, after a confirmation that says what it does not do.
            page.click_button("Revoke").await;
            let dialog = page.region("Revoke the GHCR token?").await;
            let words = dialog.text().await.unwrap_or_default();
            assert!(words.contains("does not revoke the token on GitHub"), "{words}");
            assert!(words.contains("deploys stop pulling built images"), "{words}");
            let settings = page.link_href("your token settings on GitHub").await;
            assert_eq!(settings, format!("{}/settings/tokens", page.sandbox.github_url()));
            page.check_accessibility().await;
            page.click_button("Revoke the GHCR token").await;
            page.expect_text("Add a GHCR token").await;
            assert_eq!(page.sandbox.requests("DELETE", PAT_PATH), 1);
        },
    )
    .await;
}

#[tokio::test]
async fn the_revoke_dialog_is_used_with_the_keyboard_and_cancelled_with_escape() {
    run(
        |_| {},
        |page| async move {
            page.sandbox
                .seed_ghcr_pat(demo::USER.email, Some(60), "VALID")
                .expect("seed a PAT");
            page.sign_in_to_overview(&demo::USER).await;
            page.goto("/ghcr-token").await;
            page.expect_page("GHCR token").await;
            page.click_button("Revoke").await;
            page.region("Revoke the GHCR token?").await;
            // The dialog takes the focus, on its safe choice.
            assert_eq!(page.focused_text().await, "Cancel");
            page.press("\u{e00c}").await; // Escape
            page.expect_region_text("Stored token", "Valid").await;
            assert_eq!(
                page.focused_text().await,
                "Revoke",
                "the focus returns to the button"
            );
            assert_eq!(page.sandbox.requests("DELETE", PAT_PATH), 0);
            // Enter on the focused Revoke opens it again; Tab then Enter confirms.
            page.press("\u{e007}").await;
            page.region("Revoke the GHCR token?").await;
            page.press("\u{e004}").await; // Tab
            assert_eq!(page.focused_text().await, "Revoke the GHCR token");
            page.press("\u{e007}").await;
            page.expect_text("Add a GHCR token").await;
            assert_eq!(page.sandbox.requests("DELETE", PAT_PATH), 1);
        },
    )
    .await;
}

#[tokio::test]
async fn a_token_of_the_wrong_kind_is_refused_before_anything_is_sent() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            page.goto("/ghcr-token").await;
            page.expect_page("GHCR token").await;
            page.fill("Token", "gho_an0authtoken").await;
            page.click_button("Save token").await;
            page.expect_text("This is not a GitHub personal access token")
                .await;
            assert_eq!(page.sandbox.requests("POST", PAT_PATH), 0, "nothing was sent");
            assert_eq!(
                page.field_value("Token").await,
                "gho_an0authtoken",
                "nothing typed is lost"
            );
            page.check_accessibility().await;

            // The kind is named as the token is typed; a fine-grained one gets its note.
            page.fill("Token", "github_pat_11ABC").await;
            page.expect_text("needs the Packages: read permission").await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_token_without_read_packages_is_refused_naming_what_it_grants() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            let token = token_from_github(&page, None, Some(&["repo", "workflow"])).await;
            page.fill("Token", &token).await;
            page.click_button("Save token").await;
            page.expect_text("This token lacks the read:packages scope").await;
            page.expect_text("it grants: repo, workflow").await;
            assert_eq!(page.sandbox.requests("POST", PAT_PATH), 1);
            assert_eq!(
                page.field_value("Token").await,
                token,
                "the token stays to correct"
            );
            page.check_accessibility().await;
        },
    )
    .await;
}

#[tokio::test]
async fn a_token_revoked_on_github_turns_invalid_and_the_banner_says_so() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            let token = token_from_github(&page, None, None).await;
            save(&page, &token).await;
            revoke_token(&page, "Flui GHCR pull").await;
            page.sandbox
                .verify_ghcr_pats()
                .await
                .expect("run the daily check");

            let status = "/api/v1/repositories/github-app/packages-pat/status";
            let before = page.sandbox.requests("GET", status);
            page.goto("/").await;
            page.expect_page("Overview").await;
            page.expect_region_text(BANNER, "Invalid").await;
            page.expect_region_text("GHCR token", "Invalid").await;
            assert_eq!(
                page.sandbox.requests("GET", status),
                before + 1,
                "the banner and the overview show one read"
            );
            page.click_link("Replace the GHCR token").await;
            page.expect_page("GHCR token").await;
            page.expect_path("/ghcr-token").await;
            page.expect_region_text("Stored token", "Invalid").await;
            assert_eq!(
                page.sandbox.requests("GET", status),
                before + 2,
                "a page opened later reads it afresh"
            );
        },
    )
    .await;
}

#[tokio::test]
async fn expiry_states_follow_flui_clock_and_the_banner_can_be_dismissed() {
    run(
        |_| {},
        |page| async move {
            page.sandbox
                .seed_ghcr_pat(demo::USER.email, Some(20), "VALID")
                .expect("seed a PAT");
            page.sign_in_to_overview(&demo::USER).await;
            page.expect_region_text("GHCR token", "Expires in 20 days").await;
            // The banner is about GitHub (not connected yet), not about the token.
            let banner = page.region(BANNER).await.text().await.unwrap_or_default();
            assert!(!banner.contains("GHCR token"), "{banner}");

            page.sandbox.advance_clock(10);
            page.goto("/").await;
            page.expect_page("Overview").await;
            page.expect_region_text(BANNER, "Expires in 10 days").await;
            page.click_link("Replace the GHCR token").await;
            page.expect_page("GHCR token").await;
            page.expect_region_text("Stored token", "in 10 days").await;

            // Dismissed, it stays away while moving around the dashboard.
            page.click_button("Dismiss").await;
            page.click_link("Overview").await;
            page.expect_page("Overview").await;
            page.click_link("GHCR token").await;
            page.expect_page("GHCR token").await;
            assert!(!page.body_text().await.contains(BANNER));
            assert_eq!(page.count_buttons("Dismiss").await, 0);

            // Expired: a new visit shows the banner again.
            page.sandbox.advance_clock(15);
            page.goto("/").await;
            page.expect_page("Overview").await;
            page.expect_region_text(BANNER, "Expired 5 days ago").await;
            page.expect_region_text("GHCR token", "Expired 5 days ago").await;
        },
    )
    .await;
}

#[tokio::test]
async fn the_earliest_custom_date_is_tomorrow_where_the_user_is() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            // Kiritimati is 14 hours ahead of UTC, Pago Pago 11 behind (neither has
            // daylight saving): for most of the day, their dates differ.
            let mut earliest = Vec::new();
            for (zone, offset_hours) in [("Pacific/Kiritimati", 14), ("Pacific/Pago_Pago", -11)] {
                page.set_time_zone(zone).await;
                let tomorrow = |offset: i64| {
                    (chrono::Utc::now() + chrono::Duration::hours(offset) + chrono::Duration::days(1))
                        .format("%Y-%m-%d")
                        .to_string()
                };
                let before = tomorrow(offset_hours);
                page.goto("/ghcr-token").await;
                page.expect_page("GHCR token").await;
                let min = page.field_attr("Expiry date", "min").await.unwrap_or_default();
                let after = tomorrow(offset_hours);
                assert!(min == before || min == after, "{zone}: min {min}, tomorrow there {before}");
                earliest.push(min);
            }
            // The page follows the zone rather than the machine's clock.
            let utc_now = chrono::Utc::now();
            let apart = chrono::NaiveDate::parse_from_str(&earliest[0], "%Y-%m-%d")
                .ok()
                .zip(chrono::NaiveDate::parse_from_str(&earliest[1], "%Y-%m-%d").ok())
                .map(|(east, west)| (east - west).num_days());
            assert!(matches!(apart, Some(1) | Some(2)), "{earliest:?} at {utc_now}");

            // A date before the minimum typed anyway is refused before sending.
            page.fill("Token", "ghp_abcdefghijklmnopqrstuvwxyz0123456789").await;
            let date = page.field("Expiry date").await;
            page.client
                .execute(
                    "arguments[0].value = '2020-01-01'; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
                    vec![serde_json::to_value(&date).expect("the date field as an argument")],
                )
                .await
                .expect("type a past date");
            page.click_button("Save token").await;
            page.expect_text("choose tomorrow or later").await;
            assert_eq!(page.sandbox.requests("POST", PAT_PATH), 0);
        },
    )
    .await;
}

#[tokio::test]
async fn after_saving_the_token_the_user_continues_where_they_were_going() {
    run(
        |_| {},
        |page| async move {
            page.sign_in_to_overview(&demo::USER).await;
            let next = "/ghcr-token?next=/repositories";
            page.goto(next).await;
            page.expect_page("GHCR token").await;
            let token = make_token(&page, "Create a token on GitHub", "uma-dev", None).await;
            page.goto(next).await;
            page.expect_page("GHCR token").await;
            page.fill("Token", &token).await;
            page.click_button("Save token").await;
            page.expect_page("Repositories").await;
            page.expect_path("/repositories").await;
            page.expect_secret_nowhere(&token).await;
        },
    )
    .await;
}

/// Revokes the stored GHCR token through the API, as the same user in another tab would.
async fn revoke_elsewhere(page: &Page) {
    let (status, _) = page
        .elsewhere(&demo::USER)
        .await
        .send("DELETE", "/repositories/github-app/packages-pat", None)
        .await;
    assert!((200..300).contains(&status), "{status}");
}

#[tokio::test]
async fn rotating_a_token_revoked_meanwhile_says_so_and_keeps_the_new_one() {
    run(
        |_| {},
        |page| async move {
            page.sandbox
                .seed_ghcr_pat(demo::USER.email, Some(60), "VALID")
                .expect("seed a PAT");
            page.sign_in_to_overview(&demo::USER).await;
            let token = token_from_github(&page, Some("Rotate"), None).await;
            revoke_elsewhere(&page).await;
            page.fill("Token", &token).await;
            page.click_button_in("Rotate the token", "Rotate token").await;
            page.expect_text("There is no stored token to replace any more")
                .await;
            assert_eq!(page.field_value("Token").await, token, "nothing typed is lost");
            page.check_accessibility().await;
        },
    )
    .await;
}

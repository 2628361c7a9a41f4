//! What a user does on the simulated GitHub in these tests: make a personal access token
//! through the page a dashboard link opens, and revoke it.

use crate::Page;

/// Follows the dashboard's link named `link` to GitHub's "new token" page (in this tab),
/// signs in there as `login` if asked, leaves the scopes as the link ticked them (or sets
/// exactly `scopes`), generates the token and returns it as GitHub shows it, once.
pub async fn make_token(page: &Page, link: &str, login: &str, scopes: Option<&[&str]>) -> String {
    let href = page.link_href(link).await;
    assert!(
        href.starts_with(&page.sandbox.github_url()),
        "{link:?} leads to {href}, not to GitHub"
    );
    page.client.goto(&href).await.expect("open GitHub's token page");
    if page.title().await.starts_with("Sign in to GitHub") {
        page.click_button(&format!("Continue as {login}")).await;
    }
    page.expect_page("New personal access token (classic)").await;
    if let Some(scopes) = scopes {
        set_scopes(page, scopes).await;
    }
    page.click_button("Generate token").await;
    page.expect_page("Personal access token created").await;
    let token = page.field_value("New token").await;
    assert!(token.starts_with("ghp_"), "GitHub showed {token:?}");
    token
}

/// Ticks exactly `scopes` among the page's scope boxes.
async fn set_scopes(page: &Page, scopes: &[&str]) {
    let boxes = page
        .client
        .find_all(fantoccini::Locator::Css("input[name=scope]"))
        .await
        .expect("the scope boxes");
    for scope_box in boxes {
        let scope = scope_box.attr("value").await.ok().flatten().unwrap_or_default();
        let ticked = scope_box.prop("checked").await.ok().flatten().as_deref() == Some("true");
        if ticked != scopes.contains(&scope.as_str()) {
            scope_box.click().await.expect("tick or untick a scope");
        }
    }
}

/// Revokes the token noted `note` on GitHub's token list (GitHub must be signed in).
pub async fn revoke_token(page: &Page, note: &str) {
    page.client
        .goto(&format!("{}/settings/tokens", page.sandbox.github_url()))
        .await
        .expect("open GitHub's token list");
    page.expect_page("Personal access tokens").await;
    page.click_button(&format!("Revoke {note}")).await;
    page.expect_text("revoked").await;
}

/// Follows the dashboard's link named `link` to the App's page on GitHub (in this tab),
/// signs in there as `login` if asked, picks the account `owner`, ticks `repo` among the
/// repositories the App may see there and saves. GitHub then sends the browser to the
/// App's setup URL, as it does after a change of access.
pub async fn grant_repository(page: &Page, link: &str, login: &str, owner: &str, repo: &str) {
    let href = page.link_href(link).await;
    assert!(
        href.starts_with(&page.sandbox.github_url()),
        "{link:?} leads to {href}, not to GitHub"
    );
    page.client
        .goto(&href)
        .await
        .expect("open the App's page on GitHub");
    if page.title().await.starts_with("Sign in to GitHub") {
        page.click_button(&format!("Continue as {login}")).await;
    }
    page.click_link(owner).await;
    page.choose("Only select repositories").await;
    page.choose(&format!("{owner}/{repo}")).await;
    page.click_button("Save").await;
}

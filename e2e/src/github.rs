//! What a user does on the simulated GitHub in these tests: make and revoke personal
//! access tokens, grant the App a repository, install, suspend or uninstall it, redeliver
//! its webhooks; and a webhook as if from GitHub.

use crate::Page;

/// Opens `url` on GitHub in this tab, signing in there as `login` if GitHub asks.
async fn open_on_github(page: &Page, url: &str, login: &str) {
    page.client
        .goto(url)
        .await
        .unwrap_or_else(|e| panic!("cannot open {url} on GitHub: {e}"));
    if page.title().await.starts_with("Sign in to GitHub") {
        page.click_button(&format!("Continue as {login}")).await;
    }
}

/// Follows the dashboard's link named `link`, which must lead to GitHub, as `login`.
async fn follow_to_github(page: &Page, link: &str, login: &str) {
    let href = page.link_href(link).await;
    assert!(
        href.starts_with(&page.sandbox.github_url()),
        "{link:?} leads to {href}, not to GitHub"
    );
    open_on_github(page, &href, login).await;
}

/// Follows the dashboard's link named `link` to GitHub's "new token" page (in this tab),
/// signs in there as `login` if asked, leaves the scopes as the link ticked them (or sets
/// exactly `scopes`), generates the token and returns it as GitHub shows it, once.
pub async fn make_token(page: &Page, link: &str, login: &str, scopes: Option<&[&str]>) -> String {
    follow_to_github(page, link, login).await;
    page.expect_page("New personal access token (classic)").await;
    if let Some(scopes) = scopes {
        set_scopes(page, scopes).await;
    }
    page.click_button("Generate token").await;
    page.expect_page("Personal access token created").await;
    let token = page.field_value("New token").await;
    assert!(token.starts_with("ghp_"), "GitHub showed {token:?}");
    // Scanned for when the test ends (GitHub's own page shows it: the test must have
    // left it by then).
    page.handled_secret(&token);
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
    follow_to_github(page, link, login).await;
    page.click_link(owner).await;
    page.choose("Only select repositories").await;
    page.choose(&format!("{owner}/{repo}")).await;
    page.click_button("Save").await;
}

/// GitHub user `login` installs the demo App on account `target` (all repositories)
/// from GitHub's own install page, outside any Flui round trip: GitHub sends its signed
/// `installation` webhook to Flui. Returns the installation's id.
pub async fn install_from_github(page: &Page, login: &str, target: &str) -> String {
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
        .post(format!(
            "{}/apps/{}/installations",
            page.sandbox.github_url(),
            flui_sandbox::demo::APP_SLUG
        ))
        .header("cookie", format!("gh_sim_user={login}"))
        .form(&[("target", target), ("selection", "all"), ("state", "")])
        .send()
        .await
        .expect("GitHub's install form answers");
    let to = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    url::Url::parse(&to)
        .ok()
        .and_then(|u| {
            u.query_pairs()
                .find(|(k, _)| k == "installation_id")
                .map(|(_, v)| v.into_owned())
        })
        .unwrap_or_else(|| panic!("GitHub installed nothing: sent to {to:?}"))
}

/// Opens installation `id`'s settings on GitHub (in this tab), signed in as `login`, and
/// clicks `button` (Suspend, Unsuspend, Uninstall …).
pub async fn manage_installation(page: &Page, login: &str, id: &str, button: &str) {
    let url = format!("{}/settings/installations/{id}", page.sandbox.github_url());
    open_on_github(page, &url, login).await;
    page.click_button(button).await;
}

/// A webhook for the demo App signed with `secret`, as if from GitHub, to the Flui API at
/// `origin`: Flui's status and body.
pub async fn send_webhook(
    origin: &str,
    event: &str,
    body: &serde_json::Value,
    secret: &str,
) -> (u16, String) {
    let body = body.to_string();
    let response = reqwest::Client::new()
        .post(format!("{origin}/api/v1/webhooks/github-app"))
        .header("content-type", "application/json")
        .header("x-github-event", event)
        .header(
            "x-hub-signature-256",
            flui_sandbox::github::sign_webhook(secret, body.as_bytes()),
        )
        .body(body)
        .send()
        .await
        .expect("Flui answers");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

/// The demo App's owner (`ada-admin`) redelivers the newest webhook delivery `what`
/// ("installation.created for uma-dev") from the App's advanced settings on GitHub.
pub async fn redeliver(page: &Page, what: &str) {
    // Signed in to GitHub as its owner, whoever was before.
    let url = format!(
        "{}/login?return_to=/settings/apps/{}/advanced",
        page.sandbox.github_url(),
        flui_sandbox::demo::APP_SLUG
    );
    page.client.goto(&url).await.expect("open GitHub's sign-in");
    page.click_button("Continue as ada-admin").await;
    page.expect_text("Recent deliveries").await;
    page.click_labelled(&format!("Redeliver {what}")).await;
    page.expect_text("Recent deliveries").await;
}

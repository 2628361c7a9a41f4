//! A test's view of the dashboard: act (`goto`, `fill`, `click_*`), find (`heading`,
//! `region`, `field_value`) and check (`expect_*`). Elements are found the way a user
//! finds them: by role (tag), accessible label and visible text, never by CSS class.
//! Every page a test reaches through `expect_page` is checked with axe-core.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use fantoccini::Client;
use fantoccini::Locator;
use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use flui_sandbox::Sandbox;
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct Page {
    pub client: Client,
    pub sandbox: Arc<Sandbox>,
    /// Where the dashboard is served: the sandbox itself, or nginx in front of it.
    pub origin: String,
    /// The browser console so far (chromedriver hands each line out once).
    console: Arc<std::sync::Mutex<Vec<String>>>,
    /// Secrets the test handled (tokens made on GitHub, App secrets, keys), scanned for
    /// at its end with the demo passwords and every token the API issued.
    secrets: Arc<std::sync::Mutex<Vec<String>>>,
}

/// XPath string literal for any text (quotes included).
fn literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

fn axe_source() -> &'static str {
    static AXE: OnceLock<String> = OnceLock::new();
    AXE.get_or_init(|| {
        let path = crate::workspace_root().join("e2e/node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "axe-core is missing at {} ({e}): `cargo xtask test` installs it",
                path.display()
            )
        })
    })
}

/// An element named `name`: by `aria-label`, or by `aria-labelledby` naming an element
/// whose text it is.
fn region_xpath(name: &str) -> String {
    let name = literal(name);
    format!("//*[@aria-label={name} or @aria-labelledby=//*[normalize-space()={name}]/@id]")
}

impl Page {
    pub fn new(client: Client, sandbox: Arc<Sandbox>) -> Self {
        let origin = sandbox.url();
        Self {
            client,
            sandbox,
            origin,
            console: Default::default(),
            secrets: Default::default(),
        }
    }

    /// Notes a secret the test typed or was shown, for the scan at the test's end.
    pub fn handled_secret(&self, secret: &str) {
        if !secret.trim().is_empty() {
            self.secrets
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(secret.to_owned());
        }
    }

    /// The scan every test ends with: none of the secrets the test used (the demo
    /// passwords, every token the API issued, and what it noted with
    /// [`Page::handled_secret`]) is where a script or a later visitor could find it.
    pub async fn expect_no_secret_kept(&self) {
        let mut secrets = vec![
            flui_sandbox::demo::USER.password.to_owned(),
            flui_sandbox::demo::ADMIN.password.to_owned(),
        ];
        secrets.extend(self.sandbox.issued_tokens());
        secrets.extend(
            self.secrets
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .iter()
                .cloned(),
        );
        // In the page the test ended on, a field may hold what the user is still typing:
        // storage, cookies, the address, the markup and the console may not.
        for secret in secrets {
            self.scan_for_secret(&secret, false).await;
        }
    }

    /// The same page, with the dashboard served from `origin`.
    pub fn served_from(self, origin: &str) -> Self {
        Self {
            origin: origin.to_owned(),
            ..self
        }
    }

    /// Every line the browser console printed so far, in this test.
    pub async fn console(&self) -> Vec<String> {
        let new = crate::browser::console_log(&self.client).await;
        let mut all = self.console.lock().unwrap_or_else(|p| p.into_inner());
        all.extend(new);
        all.clone()
    }

    /// Fails on any Content-Security-Policy violation the browser reported on a page of
    /// the dashboard (the provider's and the simulated GitHub's pages are not its own),
    /// and on any error nothing caught: a panic in the wasm (which kills the page), an
    /// uncaught exception or rejected promise.
    pub async fn expect_clean_console(&self) {
        let bad: Vec<String> = self
            .console()
            .await
            .into_iter()
            .filter(|line| {
                (line.contains("Content Security Policy") && line.contains(&self.origin))
                    || ["panicked at", "RuntimeError", "Uncaught"]
                        .iter()
                        .any(|sign| line.contains(sign))
            })
            .collect();
        assert!(bad.is_empty(), "CSP violations or uncaught errors: {bad:#?}");
    }

    // ---- act ---------------------------------------------------------------------

    /// Loads `path` on the dashboard (a full page load).
    pub async fn goto(&self, path: &str) {
        let url = format!("{}{path}", self.origin);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    }

    /// Types into the text field labelled `label`, replacing what is there.
    pub async fn fill(&self, label: &str, value: &str) {
        let field = self.field(label).await;
        field.clear().await.expect("clear the field");
        field.send_keys(value).await.expect("type into the field");
    }

    /// Chooses the file at `path` in the file field labelled `label`.
    pub async fn upload(&self, label: &str, path: &std::path::Path) {
        self.field(label)
            .await
            .send_keys(&path.display().to_string())
            .await
            .expect("choose the file");
    }

    pub async fn click_button(&self, name: &str) {
        let xpath = format!("//button[normalize-space()={}]", literal(name));
        self.wait_for(&xpath, &format!("button \"{name}\""))
            .await
            .click()
            .await
            .expect("click");
    }

    /// Clicks the button named `name` inside the element named `region`.
    pub async fn click_button_in(&self, region: &str, name: &str) {
        let xpath = format!(
            "//*[@aria-label={}]//button[normalize-space()={}]",
            literal(region),
            literal(name)
        );
        self.wait_for(&xpath, &format!("button \"{name}\" in \"{region}\""))
            .await
            .click()
            .await
            .expect("click");
    }

    /// Clicks the button whose accessible name is its `aria-label` `label` (a row's
    /// "Remove…" button, named after its row).
    pub async fn click_labelled(&self, label: &str) {
        let xpath = format!("//button[@aria-label={}]", literal(label));
        self.wait_for(&xpath, &format!("button labelled \"{label}\""))
            .await
            .click()
            .await
            .expect("click");
    }

    pub async fn click_link(&self, name: &str) {
        let xpath = format!("//a[normalize-space()={}]", literal(name));
        self.wait_for(&xpath, &format!("link \"{name}\""))
            .await
            .click()
            .await
            .expect("click");
    }

    /// Clicks the choice (radio button or checkbox) whose label starts with `text`.
    pub async fn choose(&self, text: &str) {
        let xpath = format!("//label[starts-with(normalize-space(), {})]", literal(text));
        self.wait_for(&xpath, &format!("choice \"{text}\""))
            .await
            .click()
            .await
            .expect("click the choice");
    }

    /// Opens (or closes) the disclosure whose summary reads `text`.
    pub async fn toggle_details(&self, text: &str) {
        let xpath = format!("//summary[normalize-space()={}]", literal(text));
        self.wait_for(&xpath, &format!("disclosure \"{text}\""))
            .await
            .click()
            .await
            .expect("click the summary");
    }

    /// Clicks the listbox option that names `text` (a repository's full name, say).
    /// The list draws only the rows in view, so the option is scrolled to the middle of
    /// the list first (as a user would scroll to it) and found again once drawn.
    pub async fn click_option(&self, text: &str) {
        let xpath = format!("//*[@role='option'][.//*[normalize-space()={}]]", literal(text));
        let what = format!("option \"{text}\"");
        let option = self.wait_for(&xpath, &what).await;
        let arg = serde_json::to_value(&option).expect("an element reference");
        self.client
            .execute("arguments[0].scrollIntoView({block: 'center'})", vec![arg])
            .await
            .expect("scroll to the option");
        self.wait_for(&xpath, &what)
            .await
            .click()
            .await
            .expect("click the option");
    }

    /// Whether the listbox option that names `text` is selected (`aria-selected`).
    pub async fn option_selected(&self, text: &str) -> bool {
        let xpath = format!("//*[@role='option'][.//*[normalize-space()={}]]", literal(text));
        let option = self.wait_for(&xpath, &format!("option \"{text}\"")).await;
        option.attr("aria-selected").await.ok().flatten().as_deref() == Some("true")
    }

    /// The options the listbox has in the DOM, by the names they show, in order.
    pub async fn option_names(&self) -> Vec<String> {
        let names = self
            .client
            .execute(
                "return [...document.querySelectorAll('[role=option] .picker-row__name')].map(e => e.textContent)",
                vec![],
            )
            .await
            .expect("the options");
        names
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| n.as_str().map(str::to_owned))
            .collect()
    }

    /// Sends keys to the field labelled `label` (a `<select>` chooses by typed letters).
    pub async fn keys_to(&self, label: &str, keys: &str) {
        self.field(label)
            .await
            .send_keys(keys)
            .await
            .expect("type into the field");
    }

    /// Chooses the option that reads `option` in the `<select>` labelled `label`.
    pub async fn select(&self, label: &str, option: &str) {
        let xpath = format!(
            "//select[@id=//label[normalize-space()={}]/@for]/option[normalize-space()={}]",
            literal(label),
            literal(option)
        );
        self.wait_for(&xpath, &format!("option \"{option}\" of \"{label}\""))
            .await
            .click()
            .await
            .expect("choose the option");
    }

    /// Presses a key (a WebDriver key code such as `"\u{e00c}"`, Escape) where the focus is.
    pub async fn press(&self, key: &str) {
        let focused = self
            .client
            .active_element()
            .await
            .expect("an element with the focus");
        focused.send_keys(key).await.expect("press a key");
    }

    pub async fn back(&self) {
        self.client.back().await.expect("browser back");
    }

    /// Signs in through the form (the page must be on sign-in).
    pub async fn sign_in(&self, email: &str, password: &str) {
        self.expect_page("Sign in to Flui").await;
        self.fill("Email", email).await;
        self.fill("Password", password).await;
        self.click_button("Sign in").await;
    }

    /// Opens the dashboard, signs in as `account` and waits for the overview.
    pub async fn sign_in_to_overview(&self, account: &flui_sandbox::demo::DemoAccount) {
        self.goto("/").await;
        self.sign_in(account.email, account.password).await;
        self.expect_page("Overview").await;
    }

    // ---- find --------------------------------------------------------------------

    async fn wait_for(&self, xpath: &str, what: &str) -> Element {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self
                .client
                .wait()
                .at_most(left)
                .for_element(Locator::XPath(xpath))
                .await
            {
                Ok(element) => return element,
                // A page load under way interrupts the search: look again on the new page.
                Err(e) if e.to_string().contains("aborted by navigation") && !left.is_zero() => {}
                Err(e) => panic!("{what} did not appear within {WAIT:?}: {e}"),
            }
        }
    }

    /// The form field whose `<label>` reads `label`.
    pub async fn field(&self, label: &str) -> Element {
        let xpath = format!("//*[@id=//label[normalize-space()={}]/@for]", literal(label));
        self.wait_for(&xpath, &format!("field labelled \"{label}\""))
            .await
    }

    /// The button whose visible text is `name`.
    pub async fn button(&self, name: &str) -> Element {
        let xpath = format!("//button[normalize-space()={}]", literal(name));
        self.wait_for(&xpath, &format!("button \"{name}\"")).await
    }

    pub async fn field_value(&self, label: &str) -> String {
        self.field(label)
            .await
            .prop("value")
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// Where the link named `name` leads (its `href` as the browser resolves it).
    pub async fn link_href(&self, name: &str) -> String {
        let xpath = format!("//a[normalize-space()={}]", literal(name));
        self.wait_for(&xpath, &format!("link \"{name}\""))
            .await
            .prop("href")
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// An attribute of the field labelled `label` (`min`, `type`, `autocomplete` …).
    pub async fn field_attr(&self, label: &str, attribute: &str) -> Option<String> {
        self.field(label).await.attr(attribute).await.ok().flatten()
    }

    /// The text of the element with the focus.
    pub async fn focused_text(&self) -> String {
        match self.client.active_element().await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// The element named `name` (by `aria-label`), for example an integration row.
    pub async fn region(&self, name: &str) -> Element {
        self.wait_for(&region_xpath(name), &format!("region \"{name}\""))
            .await
    }

    /// The texts of a table's column, by the header it sits under, top to bottom.
    pub async fn table_column(&self, header: &str) -> Vec<String> {
        self.wait_for(&header_xpath(header), &format!("column \"{header}\""))
            .await;
        let cells = self
            .client
            .execute(
                "const th = [...document.querySelectorAll('thead th')].find(h => h.textContent.trim() === arguments[0]);
                 return [...th.closest('table').tBodies[0].rows].map(r => r.cells[th.cellIndex].innerText.trim());",
                vec![json!(header)],
            )
            .await
            .expect("the column's cells");
        cells
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str().map(str::to_owned))
            .collect()
    }

    /// The `aria-sort` of the column headed `header`.
    pub async fn column_sort(&self, header: &str) -> String {
        self.wait_for(&header_xpath(header), &format!("column \"{header}\""))
            .await
            .attr("aria-sort")
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// The current path and query, e.g. `/login?next=/repositories`.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("current URL");
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }

    pub async fn body_text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Names of the links inside the navigation landmark.
    pub async fn nav_links(&self) -> Vec<String> {
        let mut names = Vec::new();
        if let Ok(links) = self.client.find_all(Locator::XPath("//nav//a")).await {
            for link in links {
                names.push(link.text().await.unwrap_or_default().trim().to_owned());
            }
        }
        names
    }

    // ---- check -------------------------------------------------------------------

    /// Waits for the page whose `<h1>` reads `heading`, checks the document title
    /// names it too, and runs the accessibility check.
    pub async fn expect_page(&self, heading: &str) {
        let xpath = format!("//h1[normalize-space()={}]", literal(heading));
        self.wait_for(&xpath, &format!("page \"{heading}\"")).await;
        self.expect_no_busy().await;
        self.check_accessibility().await;
    }

    /// Waits until nothing on the page is still loading (`aria-busy`).
    async fn expect_no_busy(&self) {
        eventually("the page to finish loading", || async {
            let busy = self
                .client
                .find_all(Locator::Css("[aria-busy='true']"))
                .await
                .map(|v| v.len());
            match busy {
                Ok(0) => Ok(()),
                other => Err(format!("{other:?} element(s) still busy")),
            }
        })
        .await;
    }

    /// Waits until the visible text of the page contains `text`.
    pub async fn expect_text(&self, text: &str) {
        self.expect_text_within(text, WAIT).await;
    }

    /// [`Page::expect_text`], waiting up to `wait` (for what the client's own patience
    /// decides).
    pub async fn expect_text_within(&self, text: &str, wait: Duration) {
        eventually_within(wait, &format!("the page to show {text:?}"), || async {
            let body = self.body_text().await;
            if body.contains(text) {
                Ok(())
            } else {
                Err(format!("it shows:\n{body}"))
            }
        })
        .await;
    }

    /// Whether an element named `name` shows on the page now (no waiting).
    pub async fn has_region(&self, name: &str) -> bool {
        let found = self
            .client
            .find_all(Locator::XPath(&region_xpath(name)))
            .await
            .unwrap_or_default();
        for element in found {
            if element.is_displayed().await.unwrap_or(false) {
                return true;
            }
        }
        false
    }

    /// Waits until an alert (`role="alert"`) says what happened in words: a sentence,
    /// not a bare status code or a raw server body. Returns its text.
    pub async fn expect_alert_in_words(&self) -> String {
        let said = std::sync::Mutex::new(String::new());
        eventually("an alert saying what happened", || async {
            let mut texts = Vec::new();
            if let Ok(alerts) = self.client.find_all(Locator::Css("[role=alert]")).await {
                for alert in alerts {
                    texts.push(alert.text().await.unwrap_or_default());
                }
            }
            let worded = texts
                .iter()
                .find(|t| t.split_whitespace().count() >= 4 && t.contains('.') && !t.contains("statusCode"));
            match worded {
                Some(text) => {
                    *said.lock().unwrap_or_else(|p| p.into_inner()) = text.clone();
                    Ok(())
                }
                None => Err(format!("alerts: {texts:?}")),
            }
        })
        .await;
        said.into_inner().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits until the visible text of the page no longer contains `text`.
    pub async fn expect_text_gone(&self, text: &str) {
        eventually(&format!("the page to stop showing {text:?}"), || async {
            if self.body_text().await.contains(text) {
                Err("it still does".to_owned())
            } else {
                Ok(())
            }
        })
        .await;
    }

    /// Waits until the element named `name` shows `text`.
    /// The element is looked up afresh each time: a page may replace it as data arrives.
    pub async fn expect_region_text(&self, name: &str, text: &str) {
        self.expect_region_text_within(name, text, WAIT).await;
    }

    /// [`Page::expect_region_text`], waiting up to `wait` (for what the client's own
    /// patience decides).
    pub async fn expect_region_text_within(&self, name: &str, text: &str, wait: Duration) {
        self.region(name).await;
        let xpath = region_xpath(name);
        eventually_within(wait, &format!("\"{name}\" to show {text:?}"), || async {
            let shown = match self.client.find(Locator::XPath(&xpath)).await {
                Ok(region) => region.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if shown.contains(text) {
                Ok(())
            } else {
                Err(format!("it shows:\n{shown}"))
            }
        })
        .await;
    }

    pub async fn expect_button(&self, name: &str) {
        self.button(name).await;
    }

    /// Checks that no field labelled `label` is on the page (call once the page shows).
    pub async fn expect_no_field(&self, label: &str) {
        let xpath = format!("//label[normalize-space()={}]", literal(label));
        let found = self
            .client
            .find_all(Locator::XPath(&xpath))
            .await
            .map(|v| v.len())
            .unwrap_or(0);
        assert_eq!(found, 0, "a field labelled {label:?} is shown");
    }

    /// The names of the buttons with visible text `name` (to check there are none).
    pub async fn count_buttons(&self, name: &str) -> usize {
        let xpath = format!("//button[normalize-space()={}]", literal(name));
        self.client
            .find_all(Locator::XPath(&xpath))
            .await
            .map(|v| v.len())
            .unwrap_or(0)
    }

    pub async fn expect_path(&self, expected: &str) {
        eventually(&format!("the address to be {expected}"), || async {
            let path = self.path().await;
            if path == expected {
                Ok(())
            } else {
                Err(format!("it is {path}"))
            }
        })
        .await;
    }

    /// Makes the page see itself `hidden` or `visible`, as when the user switches tabs
    /// (headless Chromium keeps every tab visible, and switching tabs through WebDriver
    /// shows the tab it switches to).
    pub async fn set_visibility(&self, state: &str) {
        let script = "Object.defineProperty(document, 'visibilityState', { value: arguments[0], configurable: true });\
                      document.dispatchEvent(new Event('visibilitychange'));";
        self.client
            .execute(script, vec![json!(state)])
            .await
            .expect("set the page's visibility");
    }

    /// Checks that `secret` is nowhere a script or a later visitor could find it: local and
    /// session storage, IndexedDB, script-readable cookies, the address, the document and
    /// its form fields' values, the browser console.
    pub async fn expect_secret_nowhere(&self, secret: &str) {
        self.scan_for_secret(secret, true).await;
    }

    /// The scan of [`Page::expect_secret_nowhere`]; without `fields`, what the user is
    /// typing in the open page (a token refused and left to correct) is not counted.
    async fn scan_for_secret(&self, secret: &str, fields: bool) {
        let script = r#"
            const done = arguments[arguments.length - 1];
            const all = s => Object.keys(s).map(k => k + '=' + s.getItem(k));
            const databases = indexedDB.databases ? indexedDB.databases() : Promise.resolve([]);
            databases.then(dbs => done({
                localStorage: all(localStorage).join('\n'),
                sessionStorage: all(sessionStorage).join('\n'),
                indexedDB: dbs.map(d => d.name).join('\n'),
                cookies: document.cookie,
                address: location.href,
                document: document.documentElement.outerHTML,
                fields: [...document.querySelectorAll('input, textarea')].map(f => f.value).join('\n'),
            })).catch(e => done({ error: String(e) }));
        "#;
        let places = self
            .client
            .execute_async(script, vec![])
            .await
            .expect("read where a secret could be");
        let places = places.as_object().cloned().unwrap_or_default();
        assert!(!places.contains_key("error"), "{places:?}");
        assert_eq!(
            places.get("indexedDB").and_then(Value::as_str),
            Some(""),
            "the dashboard opened an IndexedDB database"
        );
        for (place, value) in &places {
            if place == "fields" && !fields {
                continue;
            }
            let text = value.as_str().unwrap_or_default();
            assert!(!text.contains(secret), "the token is in {place}");
        }
        for line in self.console().await {
            assert!(!line.contains(secret), "the token is in the console: {line}");
        }
    }

    /// Makes the browser's clock read in `zone` (an IANA time zone), as for a user there.
    pub async fn set_time_zone(&self, zone: &str) {
        self.client
            .issue_cmd(crate::browser::Cdp(json!({
                "cmd": "Emulation.setTimezoneOverride",
                "params": { "timezoneId": zone }
            })))
            .await
            .expect("override the time zone");
    }

    /// Waits until the API has had more than `before` requests `method path` (`path` with
    /// `/api/v1`): what the page did went out.
    pub async fn expect_requests_over(&self, method: &str, path: &str, before: usize) {
        eventually(&format!("{method} {path} to be sent"), || async {
            let seen = self.sandbox.requests(method, path);
            if seen > before {
                Ok(())
            } else {
                Err(format!("{seen} so far"))
            }
        })
        .await;
    }

    /// Waits until the sandbox has had `count` refresh requests.
    pub async fn expect_refresh_requests(&self, count: usize) {
        eventually(&format!("{count} refresh request(s)"), || async {
            let seen = self.sandbox.refresh_requests();
            if seen == count {
                Ok(())
            } else {
                Err(format!("{seen} so far"))
            }
        })
        .await;
    }

    pub async fn title(&self) -> String {
        self.client.title().await.unwrap_or_default()
    }

    /// Runs axe-core on the page and fails on any violation.
    pub async fn check_accessibility(&self) {
        let loaded = self
            .client
            .execute("return typeof window.axe !== 'undefined';", vec![])
            .await
            .unwrap_or(Value::Bool(false));
        if loaded != Value::Bool(true) {
            self.client
                .execute(axe_source(), vec![])
                .await
                .expect("inject axe-core");
        }
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] })
              .then(r => done(r.violations.map(v => ({
                  id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.map(n => n.target.join(' ') + '  ' + n.failureSummary)
              }))))
              .catch(e => done([{ id: 'axe-error', help: String(e), nodes: [] }]));
        "#;
        let violations: Result<Value, CmdError> = self.client.execute_async(script, vec![]).await;
        let violations = violations.expect("run axe-core");
        let list = violations.as_array().cloned().unwrap_or_default();
        if !list.is_empty() {
            let path = self.path().await;
            let report: Vec<String> = list.iter().map(|v| format!("{}", json!(v))).collect();
            panic!(
                "{} accessibility violation(s) on {path}:\n{}",
                list.len(),
                report.join("\n")
            );
        }
    }
}

fn header_xpath(header: &str) -> String {
    format!("//thead//th[normalize-space()={}]", literal(header))
}

/// Polls `check` until it passes; after [`WAIT`], fails with what it last saw.
async fn eventually<F, Fut>(what: &str, check: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    eventually_within(WAIT, what, check).await;
}

/// [`eventually`], waiting up to `wait`.
async fn eventually_within<F, Fut>(wait: Duration, what: &str, check: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match check().await {
            Ok(()) => return,
            Err(seen) if tokio::time::Instant::now() >= deadline => {
                panic!("waited {wait:?} for {what}, in vain; {seen}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::literal;

    #[test]
    fn xpath_literals_survive_quotes() {
        assert_eq!(literal("Sign in"), "'Sign in'");
        assert_eq!(literal("it's"), "\"it's\"");
        assert_eq!(literal(r#"a'b"c"#), r#"concat('a', "'", 'b"c')"#);
    }
}

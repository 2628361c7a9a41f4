//! The release build as production serves it: nginx with the exact `deploy/nginx.conf`,
//! its config and CSP rendered by `deploy/render.sh`, on its own origin in front of the
//! API. Every page is walked under the strict CSP; any violation the browser reports
//! fails the test (`e2e::run` checks the console at the end). Every other browser test runs
//! behind nginx too; these check what nginx itself sends.

use e2e::{demo, run};
use reqwest::header::HeaderMap;

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn nginx_serves_the_build_with_strict_headers_and_caching() {
    run(
        |_| {},
        |page| async move {
            let origin = page.origin.clone();
            let http = reqwest::Client::builder()
                .no_gzip()
                .no_brotli()
                .build()
                .expect("an HTTP client");
            let get = |path: &str, encoding: &'static str| {
                http.get(format!("{origin}{path}"))
                    .header("accept-encoding", encoding)
                    .send()
            };

            let index = get("/", "identity").await.expect("index.html");
            assert_eq!(index.status(), 200);
            let headers = index.headers().clone();
            let html = index.text().await.expect("the page");
            let csp = header(&headers, "content-security-policy");
            assert!(
                !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
                "{csp}"
            );
            assert!(
                csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
                "{csp}"
            );
            assert!(
                csp.contains(&format!("connect-src 'self' {};", page.sandbox.url())),
                "{csp}"
            );
            assert!(
                csp.contains(&format!("form-action 'self' {};", page.sandbox.github_url())),
                "{csp}"
            );
            assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
            assert_eq!(header(&headers, "referrer-policy"), "no-referrer");
            assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
            assert_eq!(header(&headers, "cross-origin-opener-policy"), "same-origin");
            assert!(header(&headers, "permissions-policy").contains("camera=()"));
            assert_eq!(header(&headers, "cache-control"), "no-cache");

            // The runtime settings, rendered from the environment, never cached.
            let config = get("/assets/config.json", "identity").await.expect("config.json");
            assert_eq!(header(config.headers(), "cache-control"), "no-cache");
            let config: serde_json::Value = config.json().await.expect("JSON");
            assert_eq!(config["apiBaseUrl"], page.sandbox.url());
            assert_eq!(config["githubUrl"], page.sandbox.github_url());

            // The hashed wasm: a year, immutable, compressed with brotli or gzip as asked.
            let wasm = html
                .split('"')
                .find(|part| part.ends_with("_bg.wasm"))
                .expect("index.html names the wasm")
                .to_owned();
            for (asked, given) in [("br", "br"), ("gzip", "gzip")] {
                let answer = get(&wasm, asked).await.expect("the wasm");
                assert_eq!(answer.status(), 200);
                assert_eq!(header(answer.headers(), "content-encoding"), given);
                assert_eq!(
                    header(answer.headers(), "cache-control"),
                    "public, max-age=31536000, immutable"
                );
                assert!(header(answer.headers(), "content-security-policy").contains("default-src 'self'"));
            }

            // A page of the dashboard is the app; a file that is not there is a 404.
            let deep = get("/repositories/connect?repo=a/b", "identity")
                .await
                .expect("a deep link");
            assert_eq!(deep.status(), 200);
            assert_eq!(deep.text().await.expect("the page"), html);
            assert_eq!(
                get("/missing.js", "identity").await.expect("an answer").status(),
                404
            );
            assert_eq!(
                get("/healthz", "identity").await.expect("an answer").status(),
                200
            );
        },
    )
    .await;
}

#[tokio::test]
async fn every_page_works_behind_nginx_under_the_strict_csp() {
    run(
        |_| {},
        |page| async move {
            page.goto("/login").await;
            page.expect_page("Sign in to Flui").await;
            page.sign_in(demo::ADMIN.email, demo::ADMIN.password).await;
            page.expect_page("Overview").await;
            page.expect_region_text("GitHub", "Not connected").await;

            page.click_link("Repositories").await;
            page.expect_page("Repositories").await;
            page.goto("/repositories/connect").await;
            page.expect_page("Connect repositories").await;
            page.click_link("GHCR token").await;
            page.expect_page("GHCR token").await;
            page.click_link("GitHub App").await;
            page.expect_page("GitHub App").await;
            page.expect_region_text("On this instance", "GitHub accepts the App's credentials.")
                .await;
            page.click_link("Installations").await;
            page.expect_page("Installations").await;
            page.goto("/github/installed").await;
            page.expect_page("Nothing to finish here").await;
            page.goto("/no-such-page").await;
            page.expect_page("Page not found").await;
            page.check_accessibility().await;

            // A form posted to GitHub (the App manifest) is allowed by form-action.
            page.goto("/admin/github-app").await;
            page.expect_page("GitHub App").await;
            page.fill("App name", "Flui Behind Nginx").await;
            page.click_button("Create on GitHub").await;
            page.choose("GitHub can reach this address as it is").await;
            page.click_button("Create on GitHub").await;
            page.expect_page("Sign in to GitHub").await;

            // Signing out clears the cookie at the API's origin, across origins.
            page.goto("/").await;
            page.expect_page("Overview").await;
            page.click_button("Sign out").await;
            page.expect_text("You are signed out.").await;
            page.goto("/").await;
            page.expect_page("Sign in to Flui").await;
        },
    )
    .await;
}

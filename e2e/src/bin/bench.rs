//! `cargo xtask bench`: the release bundle's sizes; every page loaded cold against a static
//! floor; page-load timings of the overview and the picker at scale, in headless Chromium
//! against the sandbox. Prints tables; writes JSON to the path given.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use std::sync::Arc;

use e2e::browser::{Browser, Cdp};
use e2e::{Page, SandboxOptions, demo, dist_dir};
use flui_sandbox::Sandbox;
use serde_json::{Value, json};

const LOADS: usize = 10;

/// Records, from the very start of each page, when both overview rows show data.
const OBSERVER: &str = r#"
(() => {
  const ready = () => {
    const rows = ['GitHub', 'GHCR token'].map(n => document.querySelector(`li[aria-label="${n}"]`));
    return rows.every(r => r && !r.hasAttribute('aria-busy') && r.querySelector('.pill'));
  };
  const mark = () => { if (!window.__rowsReadyAt && ready()) window.__rowsReadyAt = performance.now(); };
  new MutationObserver(mark).observe(document, { subtree: true, childList: true, attributes: true });
})();
"#;

fn compressed_sizes(bytes: &[u8]) -> (usize, usize) {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = gz.write_all(bytes);
    let gzip = gz.finish().map(|v| v.len()).unwrap_or(0);
    let mut br = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
        let _ = writer.write_all(bytes);
    }
    (gzip, br.len())
}

fn bundle_sizes(dist: &Path) -> Vec<Value> {
    let mut rows = Vec::new();
    let Ok(entries) = std::fs::read_dir(dist) else {
        return rows;
    };
    let mut files: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let kind = match path.extension().and_then(|e| e.to_str()) {
            Some("wasm") => "wasm",
            Some("js") => "js",
            Some("css") => "css",
            Some("html") => "index",
            _ => continue,
        };
        let bytes = std::fs::read(&path).unwrap_or_default();
        let (gzip, brotli) = compressed_sizes(&bytes);
        rows.push(json!({ "kind": kind, "file": name, "raw": bytes.len(), "gzip": gzip, "brotli": brotli }));
    }
    rows
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

async fn page_loads(sandbox: Arc<Sandbox>) -> Result<(Vec<f64>, Vec<f64>), String> {
    let browser = Browser::launch().await;
    let client = browser.client.clone();
    let base = sandbox.url();
    let page = Page::new(client.clone(), sandbox);
    let result = async {
        client
            .issue_cmd(Cdp(
                json!({ "cmd": "Page.addScriptToEvaluateOnNewDocument", "params": { "source": OBSERVER } }),
            ))
            .await
            .map_err(|e| format!("cannot install the observer: {e}"))?;
        // Signed in as the tests sign in; the loads below then restore the session
        // from its cookie, as a returning user's do.
        page.sign_in_to_overview(&demo::USER).await;

        let (mut fcp, mut rows) = (Vec::new(), Vec::new());
        for _ in 0..LOADS {
            client
                .goto(&format!("{base}/"))
                .await
                .map_err(|e| e.to_string())?;
            let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
            loop {
                let probe = client
                    .execute(
                        "const p = performance.getEntriesByName('first-contentful-paint')[0]; \
                         return [p ? p.startTime : null, window.__rowsReadyAt || null];",
                        vec![],
                    )
                    .await
                    .map_err(|e| e.to_string())?;
                if let (Some(paint), Some(ready)) = (probe[0].as_f64(), probe[1].as_f64()) {
                    fcp.push(paint);
                    rows.push(ready);
                    break;
                }
                if tokio::time::Instant::now() > deadline {
                    return Err("the overview rows never showed data".to_owned());
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        Ok((fcp, rows))
    }
    .await;
    if result.is_err() {
        browser.dump_diagnostics().await;
    }
    browser.shutdown().await;
    result
}

/// Marks, from the very start of the picker page, when its first rows are painted, and
/// keeps the wasm's exports to read its memory.
const PICKER_OBSERVER: &str = r#"
(() => {
  addEventListener('TrunkApplicationStarted', e => { window.__wasm = e.detail.wasm; });
  const painted = () => requestAnimationFrame(() => setTimeout(() => {
    if (window.__listPaintedAt) return;
    const answer = performance.getEntriesByType('resource').find(e => e.name.includes('/repositories/available'));
    window.__listAnswerAt = answer ? answer.responseEnd : null;
    window.__listPaintedAt = performance.now();
  }));
  new MutationObserver((_, observer) => {
    if (document.querySelector('[role=option]')) { observer.disconnect(); painted(); }
  }).observe(document, { subtree: true, childList: true });
})();
"#;

/// Types into the search field, one keystroke at a time (typing a query, then deleting
/// it), and measures each from the keystroke to the end of the frame that paints it, and
/// to the list updated in the DOM.
const KEYSTROKES: &str = r#"
const done = arguments[arguments.length - 1];
const field = document.getElementById('repo-search');
const word = 'service-01';
const steps = [];
for (let round = 0; round < 3; round++) {
  for (let i = 1; i <= word.length; i++) steps.push(word.slice(0, i));
  for (let i = word.length - 1; i >= 0; i--) steps.push(word.slice(0, i));
}
const list = document.querySelector('.picker-bulk [role=status]');
const times = [], updated = [];
let start = 0, seen = false;
new MutationObserver(() => {
  if (!seen) { seen = true; updated.push(performance.now() - start); }
}).observe(list, { subtree: true, childList: true, characterData: true });
const next = () => {
  if (!steps.length) { done([times, updated]); return; }
  const value = steps.shift();
  // The keystroke lands at the start of a frame, as a real one is handled before the
  // frame's rendering; the timeout after it runs once that frame is painted.
  requestAnimationFrame(() => {
    performance.mark('keystroke');
    seen = false;
    start = performance.now();
    field.value = value;
    field.dispatchEvent(new Event('input', { bubbles: true }));
    setTimeout(() => {
      times.push(performance.now() - start);
      setTimeout(next, 30);
    });
  });
};
next();
"#;

/// Scrolls the list to its end a screen at a time, a frame each.
const SCROLL_TO_END: &str = r#"
const done = arguments[arguments.length - 1];
const list = document.querySelector('[role=listbox]');
const step = () => {
  if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) { done(list.scrollTop); return; }
  list.scrollTop += list.clientHeight;
  requestAnimationFrame(() => setTimeout(step));
};
step();
"#;

/// Cold loads per page (a fresh browser profile each), interleaved with the floor's. On
/// this 2-core machine a run of 7 moved the floor's own median between 48 and 72 ms.
const COLD_ROUNDS: usize = 11;

/// The physical floor: a static page with one form, served by the same server.
const FLOOR_HTML: &str = r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Floor</title></head>
<body><main><h1>Sign in</h1><form><label for="e">Email</label><input id="e" type="email">
<button type="submit">Sign in</button></form></main></body></html>"#;

/// A page of the cold benchmark: its name, path, who is signed in (cookie), and when it is
/// ready (its main control usable, its data shown), as a JS expression.
struct ColdPage {
    name: &'static str,
    path: &'static str,
    who: Option<&'static demo::DemoAccount>,
    ready: &'static str,
}

/// A page is ready when its heading shows and nothing is still loading.
const SETTLED: &str =
    "!!document.querySelector('main h1') && !document.querySelector('[aria-busy=\"true\"]')";

fn cold_pages() -> Vec<ColdPage> {
    let page = |name, path, who, ready| ColdPage {
        name,
        path,
        who,
        ready,
    };
    vec![
        page(
            "floor (static form)",
            "/floor.html",
            None,
            "!!document.querySelector('form input')",
        ),
        page(
            "sign-in",
            "/login",
            None,
            "!!document.getElementById('sign-in-email')",
        ),
        page(
            "overview",
            "/",
            Some(&demo::USER),
            "['GitHub', 'GHCR token'].every(n => { const r = document.querySelector(`li[aria-label=\"${n}\"]`); return r && !r.hasAttribute('aria-busy') && r.querySelector('.pill'); })",
        ),
        page(
            "landing (/github/installed)",
            "/github/installed",
            Some(&demo::USER),
            SETTLED,
        ),
        page("GHCR token", "/ghcr-token", Some(&demo::USER), SETTLED),
        page("repositories", "/repositories", Some(&demo::USER), SETTLED),
        page(
            "picker",
            "/repositories/connect",
            Some(&demo::USER),
            "!!document.querySelector('[role=listbox] [role=option]')",
        ),
        page(
            "GitHub App (admin)",
            "/admin/github-app",
            Some(&demo::ADMIN),
            SETTLED,
        ),
        page(
            "installations (admin)",
            "/admin/installations",
            Some(&demo::ADMIN),
            SETTLED,
        ),
    ]
}

/// `flui_session` for `account`, from a sign-in through the API.
async fn session_cookie(base: &str, account: &demo::DemoAccount) -> Result<String, String> {
    let answer = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "email": account.email, "password": account.password }))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    answer
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|c| c.to_str().ok())
        .find_map(|c| c.strip_prefix("flui_session="))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned)
        .ok_or_else(|| "sign-in set no flui_session cookie".to_owned())
}

/// One cold load: a fresh browser, the session cookie set before anything is loaded,
/// then first contentful paint and "ready", in ms from navigation start.
async fn cold_load(base: &str, page: &ColdPage, cookie: Option<&str>) -> Result<(f64, f64), String> {
    let browser = Browser::launch().await;
    let client = browser.client.clone();
    let result = async {
        let observer = format!(
            "(() => {{ const ready = () => {{ try {{ return {}; }} catch (e) {{ return false; }} }}; \
             const mark = () => {{ if (!window.__readyAt && ready()) window.__readyAt = performance.now(); }}; \
             new MutationObserver(mark).observe(document, {{ subtree: true, childList: true, attributes: true }}); \
             document.addEventListener('DOMContentLoaded', mark); }})();",
            page.ready
        );
        client
            .issue_cmd(Cdp(json!({ "cmd": "Page.addScriptToEvaluateOnNewDocument", "params": { "source": observer } })))
            .await
            .map_err(|e| format!("cannot install the observer: {e}"))?;
        if let Some(value) = cookie {
            client
                .issue_cmd(Cdp(json!({ "cmd": "Network.setCookie", "params": {
                    "name": "flui_session", "value": value, "url": base, "httpOnly": true, "path": "/"
                } })))
                .await
                .map_err(|e| format!("cannot set the session cookie: {e}"))?;
        }
        client
            .goto(&format!("{base}{}", page.path))
            .await
            .map_err(|e| e.to_string())?;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let probe = client
                .execute(
                    "const p = performance.getEntriesByName('first-contentful-paint')[0];                      return [p ? p.startTime : null, window.__readyAt || null];",
                    vec![],
                )
                .await
                .map_err(|e| e.to_string())?;
            if let (Some(paint), Some(ready)) = (probe[0].as_f64(), probe[1].as_f64()) {
                return Ok((paint, ready.max(paint)));
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!("{} was never ready", page.name));
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
    .await;
    if result.is_err() {
        browser.dump_diagnostics().await;
    }
    browser.shutdown().await;
    result
}

/// Every page, cold, interleaved with the floor: per page the median and 90th
/// percentile of first contentful paint and of ready, and each median as a multiple of
/// the floor's.
async fn cold_pages_run() -> Result<Value, String> {
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;
    // The build plus the floor page, served by the same server.
    let served = data.path().join("dist");
    e2e::nginx::copy_dir(&dist_dir(), &served);
    std::fs::write(served.join("floor.html"), FLOOR_HTML).map_err(|e| e.to_string())?;
    let options = SandboxOptions {
        db_path: data.path().join("cold.db"),
        dist: Some(served),
        ..SandboxOptions::default()
    };
    let sandbox = Arc::new(flui_sandbox::start(options).await.map_err(|e| e.to_string())?);
    let base = sandbox.url();
    // The user's GitHub is connected, so the picker has repositories to show.
    for owner in ["uma-dev", "uma-labs"] {
        sandbox.install_app_on_github(owner).map_err(|e| e.to_string())?;
    }
    sandbox
        .connect_github(demo::USER.email, "uma-dev")
        .await
        .map_err(|e| e.to_string())?;
    let pages = cold_pages();
    // One sign-in per account (Flui allows five a minute): the cookie outlives the run.
    let user = session_cookie(&base, &demo::USER).await?;
    let admin = session_cookie(&base, &demo::ADMIN).await?;
    let mut samples: Vec<(Vec<f64>, Vec<f64>)> = vec![(Vec::new(), Vec::new()); pages.len()];
    for _ in 0..COLD_ROUNDS {
        for (page, (fcp, ready)) in pages.iter().zip(samples.iter_mut()) {
            let cookie = page.who.map(|account| {
                if account.email == demo::ADMIN.email {
                    &admin
                } else {
                    &user
                }
            });
            let (paint, done) = cold_load(&base, page, cookie.map(String::as_str)).await?;
            fcp.push(paint);
            ready.push(done);
        }
    }
    if let Ok(sandbox) = Arc::try_unwrap(sandbox) {
        sandbox.stop().await;
    }
    let (floor_fcp, floor_ready) = (median(samples[0].0.clone()), median(samples[0].1.clone()));
    println!(
        "\nEvery page cold ({COLD_ROUNDS} loads each, a fresh browser profile per load, interleaved with the floor)"
    );
    println!(
        "{:<28} {:>16} {:>16} {:>10} {:>10}",
        "page", "FCP med / p90", "ready med / p90", "FCP x", "ready x"
    );
    let mut report = serde_json::Map::new();
    for (page, (fcp, ready)) in pages.iter().zip(samples) {
        let row = json!({
            "path": page.path,
            "firstContentfulPaintMs": { "median": median(fcp.clone()), "p90": percentile(fcp.clone(), 90.0), "samples": fcp },
            "readyMs": { "median": median(ready.clone()), "p90": percentile(ready.clone(), 90.0), "samples": ready },
            "firstContentfulPaintVsFloor": median(fcp.clone()) / floor_fcp,
            "readyVsFloor": median(ready.clone()) / floor_ready,
        });
        println!(
            "{:<28} {:>7.1} / {:>6.1} {:>7.1} / {:>6.1} {:>9.2}x {:>9.2}x",
            page.name,
            row["firstContentfulPaintMs"]["median"]
                .as_f64()
                .unwrap_or(f64::NAN),
            row["firstContentfulPaintMs"]["p90"].as_f64().unwrap_or(f64::NAN),
            row["readyMs"]["median"].as_f64().unwrap_or(f64::NAN),
            row["readyMs"]["p90"].as_f64().unwrap_or(f64::NAN),
            row["firstContentfulPaintVsFloor"].as_f64().unwrap_or(f64::NAN),
            row["readyVsFloor"].as_f64().unwrap_or(f64::NAN),
        );
        report.insert(page.name.to_owned(), row);
    }
    Ok(Value::Object(report))
}

fn percentile(mut values: Vec<f64>, p: f64) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    if values.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * values.len() as f64).ceil() as usize;
    values[rank.clamp(1, values.len()) - 1]
}

/// JS heap plus wasm memory, in MB, after a garbage collection.
async fn memory_mb(client: &fantoccini::Client) -> Result<f64, String> {
    let cdp = |cmd: &str| Cdp(json!({ "cmd": cmd, "params": {} }));
    client
        .issue_cmd(cdp("HeapProfiler.collectGarbage"))
        .await
        .map_err(|e| e.to_string())?;
    let heap = client
        .issue_cmd(cdp("Runtime.getHeapUsage"))
        .await
        .map_err(|e| e.to_string())?;
    let used = heap["usedSize"].as_f64().unwrap_or(f64::NAN);
    let wasm = client
        .execute(
            "return window.__wasm ? window.__wasm.memory.buffer.byteLength : null",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?
        .as_f64()
        .unwrap_or(f64::NAN);
    Ok((used + wasm) / 1_048_576.0)
}

/// The picker with `per_owner` repositories on each of the user's two installations.
async fn picker_run(per_owner: usize) -> Result<Value, String> {
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;
    let options = SandboxOptions {
        db_path: data.path().join("picker.db"),
        dist: Some(dist_dir()),
        repos_per_account: per_owner,
        every_repository: true,
        ..SandboxOptions::default()
    };
    let sandbox = Arc::new(flui_sandbox::start(options).await.map_err(|e| e.to_string())?);
    let browser = Browser::launch().await;
    let client = browser.client.clone();
    let base = sandbox.url();
    let page = Page::new(client.clone(), sandbox.clone());
    page.demo_user_on_github().await;
    let result = async {
        client
            .issue_cmd(Cdp(
                json!({ "cmd": "Page.addScriptToEvaluateOnNewDocument", "params": { "source": PICKER_OBSERVER } }),
            ))
            .await
            .map_err(|e| format!("cannot install the observer: {e}"))?;
        page.sign_in_to_overview(&demo::USER).await;
        let (mut first_paint, mut after_answer) = (Vec::new(), Vec::new());
        for _ in 0..5 {
            client
                .goto(&format!("{base}/repositories/connect"))
                .await
                .map_err(|e| e.to_string())?;
            let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
            loop {
                let at = client
                    .execute("return [window.__listPaintedAt || null, window.__listAnswerAt || null]", vec![])
                    .await
                    .map_err(|e| e.to_string())?;
                if let (Some(at), Some(answer)) = (at[0].as_f64(), at[1].as_f64()) {
                    first_paint.push(at);
                    after_answer.push(at - answer);
                    break;
                }
                if tokio::time::Instant::now() > deadline {
                    return Err("the picker's list never painted".to_owned());
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        let count = client
            .execute("return document.querySelector('[role=option]').getAttribute('aria-setsize')", vec![])
            .await
            .map_err(|e| e.to_string())?;
        let after_load = memory_mb(&client).await?;
        let measured = client.execute_async(KEYSTROKES, vec![]).await.map_err(|e| e.to_string())?;
        let samples = |i: usize| -> Vec<f64> { measured[i].as_array().into_iter().flatten().filter_map(Value::as_f64).collect() };
        let (times, updated) = (samples(0), samples(1));
        client.execute_async(SCROLL_TO_END, vec![]).await.map_err(|e| e.to_string())?;
        let after_scroll = memory_mb(&client).await?;
        Ok(json!({
            "repositories": count.as_str().and_then(|c| c.parse::<u64>().ok()),
            "firstPaintMs": { "median": median(first_paint.clone()), "samples": first_paint },
            "firstPaintAfterTheAnswerMs": { "median": median(after_answer.clone()), "samples": after_answer },
            "keystrokeToPaintMs": {
                "median": median(times.clone()),
                "p95": percentile(times.clone(), 95.0),
                "keystrokes": times.len(),
            },
            "keystrokeToListUpdatedMs": { "median": median(updated.clone()), "p95": percentile(updated, 95.0) },
            "memoryMb": { "afterLoad": after_load, "afterScrollingToTheEnd": after_scroll },
        }))
    }
    .await;
    if result.is_err() {
        browser.dump_diagnostics().await;
    }
    browser.shutdown().await;
    if let Ok(sandbox) = Arc::try_unwrap(sandbox) {
        sandbox.stop().await;
    }
    result
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "bench-results.json".into());
    let dist = dist_dir();
    if !dist.join("index.html").is_file() {
        eprintln!(
            "bench: no release build at {}: run `cargo xtask bench`",
            dist.display()
        );
        return std::process::ExitCode::FAILURE;
    }
    let sizes = bundle_sizes(&dist);

    let data = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("bench: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let options = SandboxOptions {
        db_path: data.path().join("bench.db"),
        dist: Some(dist),
        ..SandboxOptions::default()
    };
    let sandbox = match flui_sandbox::start(options).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("bench: the sandbox did not start: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let sandbox = Arc::new(sandbox);
    let loads = page_loads(sandbox.clone()).await;
    if let Ok(sandbox) = Arc::try_unwrap(sandbox) {
        sandbox.stop().await;
    }
    let (fcp, rows) = match loads {
        Ok(v) => v,
        Err(e) => {
            eprintln!("bench: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };

    println!("\nBundle (release)");
    println!(
        "{:<8} {:<44} {:>10} {:>10} {:>10}",
        "kind", "file", "raw", "gzip", "brotli"
    );
    for row in &sizes {
        println!(
            "{:<8} {:<44} {:>10} {:>10} {:>10}",
            row["kind"].as_str().unwrap_or_default(),
            row["file"].as_str().unwrap_or_default(),
            kb(row["raw"].as_u64().unwrap_or(0)),
            kb(row["gzip"].as_u64().unwrap_or(0)),
            kb(row["brotli"].as_u64().unwrap_or(0)),
        );
    }
    let (fcp_median, rows_median) = (median(fcp.clone()), median(rows.clone()));
    println!("\nOverview page, {LOADS} loads in headless Chromium against the sandbox (median)");
    println!("  first contentful paint      {fcp_median:>8.1} ms");
    println!("  GitHub and GHCR rows shown  {rows_median:>8.1} ms");

    let cold = match cold_pages_run().await {
        Ok(cold) => cold,
        Err(e) => {
            eprintln!("bench: cold page loads: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };

    let mut picker = serde_json::Map::new();
    for (label, per_owner) in [("1000", 498), ("10000", 4998)] {
        match picker_run(per_owner).await {
            Ok(run) => {
                println!(
                    "\nPicker with {} repositories (first paint median of 5 loads; {} keystrokes)",
                    run["repositories"], run["keystrokeToPaintMs"]["keystrokes"]
                );
                println!(
                    "  list painted after load        {:>8.1} ms ({:.1} ms after the API's answer)",
                    run["firstPaintMs"]["median"].as_f64().unwrap_or(f64::NAN),
                    run["firstPaintAfterTheAnswerMs"]["median"]
                        .as_f64()
                        .unwrap_or(f64::NAN)
                );
                println!(
                    "  keystroke to list updated      {:>8.1} / {:.1} ms (median/p95)",
                    run["keystrokeToListUpdatedMs"]["median"]
                        .as_f64()
                        .unwrap_or(f64::NAN),
                    run["keystrokeToListUpdatedMs"]["p95"]
                        .as_f64()
                        .unwrap_or(f64::NAN)
                );
                println!(
                    "  keystroke to paint, median/p95 {:>8.1} / {:.1} ms",
                    run["keystrokeToPaintMs"]["median"].as_f64().unwrap_or(f64::NAN),
                    run["keystrokeToPaintMs"]["p95"].as_f64().unwrap_or(f64::NAN)
                );
                println!(
                    "  JS heap + wasm memory          {:>8.1} MB after load, {:.1} MB after scrolling to the end",
                    run["memoryMb"]["afterLoad"].as_f64().unwrap_or(f64::NAN),
                    run["memoryMb"]["afterScrollingToTheEnd"]
                        .as_f64()
                        .unwrap_or(f64::NAN)
                );
                picker.insert(label.to_owned(), run);
            }
            Err(e) => {
                eprintln!("bench: picker with {label} repositories: {e}");
                return std::process::ExitCode::FAILURE;
            }
        }
    }

    let report = json!({
        "bundle": sizes,
        "pagesCold": cold,
        "picker": picker,
        "overview": {
            "loads": LOADS,
            "firstContentfulPaintMs": { "median": fcp_median, "samples": fcp },
            "rowsShownMs": { "median": rows_median, "samples": rows },
        },
    });
    match std::fs::write(&out, serde_json::to_string_pretty(&report).unwrap_or_default()) {
        Ok(()) => {
            println!("\nwritten to {out}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench: cannot write {out}: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

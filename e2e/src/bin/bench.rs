//! `cargo xtask bench`: the release bundle's sizes, and page-load timings of the overview
//! in headless Chromium against the sandbox. Prints a table; writes JSON to the path given.

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

    let report = json!({
        "bundle": sizes,
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

//! `cargo xtask dev | test | bench | size`: install what is missing, build, run.
//!
//! Every step says what it does; a failing step names itself and stops the run.

mod csp;
mod size;

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const TRUNK_VERSION: &str = "0.21.14";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
const DEV_DIST: &str = "target/dev-dist";
const DEV_DB: &str = ".sandbox/dev.db";

struct Failure(String);

type Step = Result<(), Failure>;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let root = workspace_root();
    if let Err(e) = env::set_current_dir(&root) {
        eprintln!("xtask: cannot enter {}: {e}", root.display());
        return ExitCode::FAILURE;
    }
    let result = match args.first().map(String::as_str) {
        Some("dev") => dev(&args[1..]),
        Some("test") => test(),
        Some("bench") => bench(),
        Some("size") => ensure_build_tools().and_then(|()| size::size()),
        // What the container image's build stage runs: the release build in dist/.
        Some("dist") => ensure_build_tools().and_then(|()| build_release()),
        _ => {
            eprintln!(
                "usage: cargo xtask <command>\n\n  dev [--port N] [--watch] [-- SANDBOX OPTIONS]  build the dashboard and run it against the sandbox\n  test                      install what is missing, then run every check and test\n  bench                     measure bundle sizes, page-load timings and where the wasm's bytes go\n  size                      where the wasm's bytes go, by crate and by dashboard module\n  dist                      install the build tools, then the release build in dist/ (as the Dockerfile does)"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message)) => {
            eprintln!("\nxtask: FAILED: {message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn announce(step: &str) {
    println!("\n==> {step}");
}

/// Runs a command as a named step; a non-zero exit fails the step.
fn run(step: &str, program: &str, args: &[&str]) -> Step {
    run_with_env(step, program, args, &[])
}

fn run_with_env(step: &str, program: &str, args: &[&str], vars: &[(&str, &str)]) -> Step {
    announce(step);
    let status = Command::new(program)
        .args(args)
        .envs(vars.iter().copied())
        .status()
        .map_err(|e| Failure(format!("step \"{step}\": cannot run {program}: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure(format!("step \"{step}\" failed ({status})")))
    }
}

/// The stdout of a command, or None when it cannot run or fails.
fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn on_path(program: &str) -> bool {
    output("sh", &["-c", &format!("command -v {program}")]).is_some_and(|p| !p.is_empty())
}

// ---- tools ---------------------------------------------------------------------------

/// The wasm-bindgen version in Cargo.lock: the CLI must match it exactly.
fn locked_wasm_bindgen() -> Result<String, Failure> {
    let lock =
        fs::read_to_string("Cargo.lock").map_err(|e| Failure(format!("cannot read Cargo.lock: {e}")))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(version.trim_end_matches('"').to_owned());
        }
    }
    Err(Failure("Cargo.lock has no wasm-bindgen entry".into()))
}

fn ensure_build_tools() -> Step {
    announce("tools: checking what is installed");
    let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if targets.lines().any(|t| t == WASM_TARGET) {
        println!("    {WASM_TARGET} target: installed");
    } else {
        run(
            "install the wasm32 target",
            "rustup",
            &["target", "add", WASM_TARGET],
        )?;
    }

    for (component, probe) in [("rustfmt", "rustfmt"), ("clippy", "cargo-clippy")] {
        if output(probe, &["--version"]).is_some() {
            println!("    {component}: installed");
        } else {
            run(
                &format!("install {component}"),
                "rustup",
                &["component", "add", component],
            )?;
        }
    }

    let trunk = output("trunk", &["--version"]).unwrap_or_default();
    if trunk == format!("trunk {TRUNK_VERSION}") {
        println!("    trunk {TRUNK_VERSION}: installed");
    } else {
        run(
            &format!("install trunk {TRUNK_VERSION} (about 10 minutes, once)"),
            "cargo",
            &["install", "trunk", "--version", TRUNK_VERSION, "--locked"],
        )?;
    }

    let wanted = locked_wasm_bindgen()?;
    let trunk_toml = fs::read_to_string("Trunk.toml").unwrap_or_default();
    if !trunk_toml.contains(&format!("wasm_bindgen = \"{wanted}\"")) {
        return Err(Failure(format!(
            "Cargo.lock has wasm-bindgen {wanted}, but Trunk.toml pins another version: make them equal"
        )));
    }
    let installed = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    if installed == format!("wasm-bindgen {wanted}") {
        println!("    wasm-bindgen-cli {wanted}: installed");
    } else {
        // Without --locked: its lockfile wants a crate version the registry does not have.
        run(
            &format!("install wasm-bindgen-cli {wanted} (about 4 minutes, once)"),
            "cargo",
            &["install", "wasm-bindgen-cli", "--version", &wanted],
        )?;
    }
    ensure_npm_package("tools", "binaryen")
}

fn ensure_browser_tools() -> Step {
    // Chromium and its driver for the browser tests; nginx (with its brotli module) serves
    // the release build as production does for one part of them.
    let wanted = [
        ("chromium", Path::new("/usr/bin/chromium").exists()),
        ("chromium-driver", on_path("chromedriver")),
        ("nginx", Path::new("/usr/sbin/nginx").exists()),
        (
            "libnginx-mod-http-brotli-filter",
            Path::new("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so").exists(),
        ),
    ];
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|(_, there)| !there)
        .map(|(package, _)| *package)
        .collect();
    if missing.is_empty() {
        println!("    chromium, chromedriver, nginx with brotli: installed");
    } else {
        let root = output("id", &["-u"]).as_deref() == Some("0");
        let (program, prefix): (&str, &[&str]) = if root {
            ("apt-get", &[])
        } else {
            ("sudo", &["apt-get"])
        };
        let update: Vec<&str> = prefix.iter().copied().chain(["update"]).collect();
        run("refresh the Debian package lists", program, &update)?;
        let install: Vec<&str> = prefix
            .iter()
            .copied()
            .chain(["install", "-y", "--no-install-recommends"])
            .chain(missing.iter().copied())
            .collect();
        run(
            &format!("install {} (Debian packages)", missing.join(", ")),
            program,
            &install,
        )?;
    }
    ensure_npm_package("e2e", "axe-core")
}

/// Installs the npm packages locked in `dir`/package-lock.json, unless `package` is
/// already there at the locked version.
fn ensure_npm_package(dir: &str, package: &str) -> Step {
    let lock = fs::read_to_string(format!("{dir}/package-lock.json")).unwrap_or_default();
    let installed =
        fs::read_to_string(format!("{dir}/node_modules/{package}/package.json")).unwrap_or_default();
    let wanted = version_after(&lock, &format!("\"node_modules/{package}\""));
    match (wanted, version_after(&installed, "")) {
        (Some(wanted), Some(have)) if wanted == have => {
            println!("    {package} {have}: installed");
            Ok(())
        }
        _ => run(
            &format!("install {package} from npm ({dir}/package-lock.json)"),
            "npm",
            &["ci", "--prefix", dir, "--no-audit", "--no-fund"],
        ),
    }
}

/// PATH with the npm build tools (binaryen's wasm-opt) first, for trunk's release builds.
fn tools_path() -> String {
    let tools = workspace_root().join("tools/node_modules/.bin");
    match env::var("PATH") {
        Ok(path) => format!("{}:{path}", tools.display()),
        Err(_) => tools.display().to_string(),
    }
}

/// `trunk build --release`, with wasm-opt from tools/ on the PATH.
fn build_release() -> Step {
    let path = tools_path();
    run_with_env(
        "build the dashboard (release)",
        "trunk",
        &["build", "--release"],
        &[("PATH", &path)],
    )?;
    csp::write_hashes(Path::new("dist")).map_err(Failure)
}

/// The first `"version": "X"` after `marker` in a JSON text.
fn version_after(text: &str, marker: &str) -> Option<String> {
    let rest = &text[text.find(marker)? + marker.len()..];
    let rest = &rest[rest.find("\"version\"")? + "\"version\"".len()..];
    rest.split('"').nth(1).map(str::to_owned)
}

// ---- commands ------------------------------------------------------------------------

fn test() -> Step {
    ensure_build_tools()?;
    ensure_browser_tools()?;
    run(
        "format check (cargo fmt --check)",
        "cargo",
        &["fmt", "--all", "--", "--check"],
    )?;
    run(
        "lint host crates (clippy -D warnings)",
        "cargo",
        &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"],
    )?;
    run(
        "lint the dashboard for wasm32 (clippy -D warnings)",
        "cargo",
        &[
            "clippy",
            "-p",
            "flui-dashboard",
            "--target",
            WASM_TARGET,
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    // The contract and browser tests of OIDC sign-in run a real OpenID Provider.
    ensure_npm_package("sandbox/oidc", "oidc-provider")?;
    run(
        "host tests (unit tests, and the sandbox's answers decoded by the dashboard's types)",
        "cargo",
        &["test", "--workspace", "--lib", "--bins", "--test", "contract"],
    )?;
    build_release()?;
    component_tests()?;
    run_with_env(
        "end-to-end tests (release build behind nginx, in headless Chromium, against the sandbox)",
        "cargo",
        &["test", "--workspace", "--test", "dashboard"],
        &[("FLUI_DIST", "dist")],
    )?;
    println!("\nxtask: all checks and tests passed");
    Ok(())
}

/// wasm-bindgen-test-runner stops Chromium without letting it clean up, and Chromium
/// (with `--disable-dev-shm-usage`) leaves its shared memory and scratch directories in
/// TMPDIR: tens of megabytes a run. The runs get a directory of their own, removed after.
fn component_tests() -> Step {
    let scratch = Path::new("target/tmp/component-tests");
    let _ = fs::remove_dir_all(scratch);
    fs::create_dir_all(scratch).map_err(|e| Failure(format!("cannot create {}: {e}", scratch.display())))?;
    let scratch = scratch
        .canonicalize()
        .map_err(|e| Failure(format!("cannot resolve {}: {e}", scratch.display())))?;
    let result = run_with_env(
        "component tests (wasm-bindgen-test in headless Chromium)",
        "cargo",
        &["test", "-p", "flui-dashboard", "--target", WASM_TARGET],
        &[("TMPDIR", &scratch.to_string_lossy())],
    );
    let _ = fs::remove_dir_all(&scratch);
    result
}

fn dev(args: &[String]) -> Step {
    let mut port = "8787".to_owned();
    let mut watch = false;
    let mut sandbox_args: Vec<String> = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            // Everything after `--` goes to the sandbox (e.g. `--older-api`).
            "--" => sandbox_args.extend(rest.by_ref().cloned()),
            "--port" => {
                port = rest
                    .next()
                    .cloned()
                    .ok_or_else(|| Failure("--port needs a number".into()))?
            }
            "--watch" => watch = true,
            other => return Err(Failure(format!("unknown option for dev: {other}"))),
        }
    }
    ensure_build_tools()?;
    run(
        "build the dashboard (debug)",
        "trunk",
        &["build", "--dist", DEV_DIST],
    )?;
    run("build the sandbox", "cargo", &["build", "-p", "flui-sandbox"])?;

    let mut children = Vec::new();
    // `-- --oidc`: users sign in at a real OpenID Provider (sandbox/oidc) instead.
    if let Some(at) = sandbox_args.iter().position(|a| a == "--oidc") {
        sandbox_args.remove(at);
        ensure_npm_package("sandbox/oidc", "oidc-provider")?;
        announce(&format!(
            "run: the OpenID Provider on {OIDC_ISSUER}/ (sign in with a demo email, any password)"
        ));
        let dashboards = [
            format!("http://127.0.0.1:{port}"),
            format!("http://localhost:{port}"),
        ];
        let provider = Command::new("node")
            .arg("provider.mjs")
            .args([
                "--port",
                OIDC_PORT,
                "--dashboard",
                &dashboards[0],
                "--dashboard",
                &dashboards[1],
            ])
            .current_dir("sandbox/oidc")
            .spawn()
            .map_err(|e| Failure(format!("cannot start the OpenID Provider (node): {e}")))?;
        children.push(provider);
        sandbox_args.extend(["--oidc-issuer".to_owned(), OIDC_ISSUER.to_owned()]);
    }
    if watch {
        announce("watch: trunk rebuilds the dashboard on every change (reload the page)");
        let child = Command::new("trunk")
            .args(["watch", "--dist", DEV_DIST])
            .spawn()
            .map_err(|e| Failure(format!("cannot start trunk watch: {e}")))?;
        children.push(child);
    }
    announce(&format!(
        "run: the sandbox API and the dashboard on http://127.0.0.1:{port}/ (Ctrl-C stops both)"
    ));
    println!("    database: {DEV_DB} (persistent; delete it and .sandbox/dev.key to start afresh)");
    let sandbox = Command::new("target/debug/flui-sandbox")
        .args(["--port", &port, "--db", DEV_DB, "--dist", DEV_DIST])
        .args(&sandbox_args)
        .spawn()
        .map_err(|e| Failure(format!("cannot start the sandbox: {e}")))?;
    children.push(sandbox);
    // Ctrl-C reaches every process of the terminal's foreground group: the sandbox
    // and trunk stop on it too. Wait for the sandbox, then make sure trunk is gone.
    let sandbox_status = children.pop().map(|mut c| c.wait());
    for mut child in children {
        let _ = child.kill();
        let _ = child.wait();
    }
    match sandbox_status {
        Some(Ok(_)) => Ok(()),
        Some(Err(e)) => Err(Failure(format!("the sandbox: {e}"))),
        None => Ok(()),
    }
}

/// Where `cargo xtask dev -- --oidc` runs the OpenID Provider.
const OIDC_PORT: &str = "8789";
const OIDC_ISSUER: &str = "http://127.0.0.1:8789";

const BENCH_RESULTS: &str = "bench-results.json";

fn bench() -> Step {
    ensure_build_tools()?;
    ensure_browser_tools()?;
    build_release()?;
    run_with_env(
        "measure sizes and page loads",
        "cargo",
        &["run", "-p", "e2e", "--bin", "bench", "--", BENCH_RESULTS],
        &[("FLUI_DIST", "dist")],
    )?;
    let report = size::measure()?;
    size::print(&report);
    // The per-crate figures go beside the others, so a later run can be compared.
    let text = fs::read_to_string(BENCH_RESULTS)
        .map_err(|e| Failure(format!("cannot read {BENCH_RESULTS}: {e}")))?;
    let mut results: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| Failure(format!("{BENCH_RESULTS}: {e}")))?;
    let groups = |groups: &[size::Group]| {
        groups
            .iter()
            .map(|g| serde_json::json!({ "name": g.name, "bytes": g.bytes }))
            .collect::<Vec<_>>()
    };
    results["wasmItems"] = serde_json::json!({
        "note": "raw bytes after wasm-bindgen, before wasm-opt and compression, from a build with names kept",
        "total": report.total,
        "byCrate": groups(&report.by_crate),
        "byDashboardModule": groups(&report.by_module),
    });
    let pretty = serde_json::to_string_pretty(&results).unwrap_or_default();
    fs::write(BENCH_RESULTS, pretty).map_err(|e| Failure(format!("cannot write {BENCH_RESULTS}: {e}")))
}

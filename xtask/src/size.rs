//! `cargo xtask size`: where the wasm's bytes go. Builds the dashboard as the release
//! does but with function names kept (and the v0 symbol scheme, which names the types a
//! generic function was made for), runs wasm-bindgen as trunk does, lists every function
//! and data segment with twiggy, and adds them up by crate, and by dashboard module with
//! the generic code made for the module's types.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::{Failure, Step, WASM_TARGET, output, run, run_with_env};

const TWIGGY_VERSION: &str = "0.8.0";
const SIZE_DIR: &str = "target/size";

/// Raw bytes (after wasm-bindgen, before compression) of one group.
pub struct Group {
    pub name: String,
    pub bytes: u64,
}

pub struct SizeReport {
    pub total: u64,
    pub by_crate: Vec<Group>,
    pub by_module: Vec<Group>,
}

fn ensure_twiggy() -> Step {
    if output("twiggy", &["--version"]).as_deref() == Some(&format!("twiggy {TWIGGY_VERSION}")) {
        println!("    twiggy {TWIGGY_VERSION}: installed");
        return Ok(());
    }
    run(
        &format!("install twiggy {TWIGGY_VERSION} (about 3 minutes, once)"),
        "cargo",
        &["install", "twiggy", "--version", TWIGGY_VERSION, "--locked"],
    )
}

/// Builds with names kept and lists the items; returns the figures.
pub fn measure() -> Result<SizeReport, Failure> {
    ensure_twiggy()?;
    // `--config` adds to the flags of .cargo/config.toml rather than replacing them.
    let mangling = format!("target.{WASM_TARGET}.rustflags=[\"-C\", \"symbol-mangling-version=v0\"]");
    run_with_env(
        "build the dashboard with function names kept (release profile otherwise)",
        "cargo",
        &[
            "build",
            "--release",
            "--target",
            WASM_TARGET,
            "--bin",
            "flui-dashboard",
            "--target-dir",
            SIZE_DIR,
            "--config",
            &mangling,
        ],
        &[("CARGO_PROFILE_RELEASE_STRIP", "false")],
    )?;
    let wasm = format!("{SIZE_DIR}/{WASM_TARGET}/release/flui-dashboard.wasm");
    let bindgen = format!("{SIZE_DIR}/bindgen");
    run(
        "run wasm-bindgen on it, as trunk does",
        "wasm-bindgen",
        &["--target", "web", "--no-typescript", "--out-dir", &bindgen, &wasm],
    )?;
    let csv = format!("{SIZE_DIR}/items.csv");
    let listed = std::process::Command::new("twiggy")
        .args(["top", "--format", "csv", "-n", "10000000", "-o", &csv])
        .arg(Path::new(&bindgen).join("flui-dashboard_bg.wasm"))
        .status()
        .map_err(|e| Failure(format!("cannot run twiggy: {e}")))?;
    if !listed.success() {
        return Err(Failure("twiggy could not list the wasm's items".into()));
    }
    let text = fs::read_to_string(&csv).map_err(|e| Failure(format!("cannot read {csv}: {e}")))?;
    Ok(group(&text))
}

pub fn size() -> Step {
    let report = measure()?;
    print(&report);
    Ok(())
}

pub fn print(report: &SizeReport) {
    println!(
        "\nWasm by crate: raw bytes after wasm-bindgen, before wasm-opt and compression ({:.1} KB in all)",
        report.total as f64 / 1024.0
    );
    print_groups(&report.by_crate, 20);
    println!("\nThe dashboard by module: its own functions and the generic code made for its types");
    print_groups(&report.by_module, 20);
}

fn print_groups(groups: &[Group], most: usize) {
    for g in groups.iter().take(most) {
        println!("  {:>9.1} KB  {}", g.bytes as f64 / 1024.0, g.name);
    }
}

/// Adds twiggy's items up. Items wasm-bindgen drops, and the name section, do not count.
fn group(csv: &str) -> SizeReport {
    let mut by_crate: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_module: BTreeMap<String, u64> = BTreeMap::new();
    let mut total = 0;
    for line in csv.lines().skip(1) {
        let Some((name, bytes)) = split_row(line) else {
            continue;
        };
        if name.starts_with("custom section") || name.contains("function names") {
            continue;
        }
        total += bytes;
        *by_crate.entry(crate_of(&name)).or_default() += bytes;
        if let Some(module) = dashboard_module(&name) {
            *by_module.entry(module).or_default() += bytes;
        }
    }
    SizeReport {
        total,
        by_crate: sorted(by_crate),
        by_module: sorted(by_module),
    }
}

fn sorted(map: BTreeMap<String, u64>) -> Vec<Group> {
    let mut groups: Vec<Group> = map
        .into_iter()
        .map(|(name, bytes)| Group { name, bytes })
        .collect();
    groups.sort_by_key(|g| std::cmp::Reverse(g.bytes));
    groups
}

/// The name and shallow size of one CSV row (the name may be quoted, with `""` inside).
fn split_row(line: &str) -> Option<(String, u64)> {
    let (name, rest) = match line.strip_prefix('"') {
        Some(quoted) => {
            let mut name = String::new();
            let mut chars = quoted.char_indices().peekable();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                if c == '"' {
                    if chars.peek().is_some_and(|(_, n)| *n == '"') {
                        chars.next();
                        name.push('"');
                    } else {
                        end = Some(i + 1);
                        break;
                    }
                } else {
                    name.push(c);
                }
            }
            (name, quoted.get(end?..)?.strip_prefix(',')?)
        }
        None => {
            let (name, rest) = line.split_once(',')?;
            (name.to_owned(), rest)
        }
    };
    let bytes = rest.split(',').next()?.parse().ok()?;
    Some((name, bytes))
}

/// The crate a function comes from: the first path in its name (for `<T as Trait>`, the
/// trait's), without the v0 hash. Primitives are `core`'s.
fn crate_of(name: &str) -> String {
    if name.starts_with("data segment") {
        return "(static data)".into();
    }
    let mut rest = name;
    loop {
        rest = rest.trim_start_matches(['<', '&', '(', '[', ' ', '*']);
        for prefix in ["dyn ", "mut ", "const "] {
            rest = rest.strip_prefix(prefix).unwrap_or(rest);
        }
        let ident: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let after = &rest[ident.len()..];
        let hashed = after
            .strip_prefix('[')
            .and_then(|h| h.split_once(']'))
            .is_some_and(|(hash, tail)| {
                hash.chars().all(|c| c.is_ascii_hexdigit()) && tail.starts_with("::")
            });
        if !ident.is_empty() && (after.starts_with("::") || hashed) {
            return ident;
        }
        // `<F as leptos_router::…>`: a type parameter, credited to the trait's crate.
        if let Some((_, tail)) = after.split_once(" as ") {
            rest = tail;
            continue;
        }
        const PRIMITIVES: [&str; 17] = [
            "bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64",
            "i128", "isize", "f32", "f64",
        ];
        return if PRIMITIVES.contains(&ident.as_str()) {
            "core".into()
        } else {
            "(wasm tables, glue)".into()
        };
    }
}

/// The dashboard module an item belongs to, for anything that names a function or type
/// of the dashboard: `features::connect`, `api::client`, `app`.
fn dashboard_module(name: &str) -> Option<String> {
    let at = name.find("flui_dashboard")?;
    let rest = &name[at + "flui_dashboard".len()..];
    let rest = match rest.strip_prefix('[') {
        Some(hashed) => &hashed[hashed.find(']')? + 1..],
        None => rest,
    };
    let mut path = rest.strip_prefix("::")?.split("::").map(|segment| {
        segment
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()
            .unwrap_or_default()
    });
    let top = path.next().filter(|s| !s.is_empty())?;
    // A module is lower case; a component's function (`__component_x`) is not a module.
    let second = path
        .next()
        .filter(|s| s.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .filter(|s| !s.starts_with("__"));
    Some(match second {
        Some(second) if top != "main" => format!("{top}::{second}"),
        _ => top.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_with_quoted_names_split() {
        assert_eq!(
            split_row(r#""<a, b> as ""c""::f",120,0.1,,"#),
            Some((r#"<a, b> as "c"::f"#.to_owned(), 120))
        );
        assert_eq!(split_row("main,491,0.01,,"), Some(("main".to_owned(), 491)));
        assert_eq!(split_row("broken"), None);
    }

    #[test]
    fn items_are_credited_to_their_crate_and_module() {
        assert_eq!(
            crate_of("<reactive_graph[c6d9]::x::Y<T>>::poll"),
            "reactive_graph"
        );
        assert_eq!(crate_of("alloc::sync::Arc<T>::drop_slow"), "alloc");
        assert_eq!(crate_of("data segment \".rodata\""), "(static data)");
        assert_eq!(crate_of("elem[0]"), "(wasm tables, glue)");
        assert_eq!(
            crate_of("<F as leptos_router::matching::ChooseView>::choose::{{closure}}"),
            "leptos_router"
        );
        assert_eq!(
            crate_of("<&mut serde_json::de::Deserializer<R> as X>::f"),
            "serde_json"
        );
        assert_eq!(crate_of("<char>::escape_debug_ext"), "core");
        assert_eq!(
            dashboard_module("<flui_dashboard[1f]::features::connect::landing_page::X as Y>::build"),
            Some("features::connect".into())
        );
        assert_eq!(
            dashboard_module("<reactive_graph::Signal<flui_dashboard::api::client::Api>>::get"),
            Some("api::client".into())
        );
        assert_eq!(dashboard_module("flui_dashboard[1f]::main"), Some("main".into()));
        assert_eq!(
            dashboard_module("flui_dashboard::app::__component_dashboard"),
            Some("app".into())
        );
        assert_eq!(dashboard_module("core::fmt::write"), None);
    }
}

//! The release build served as in production: a real nginx (Debian's package) with the
//! exact `deploy/nginx.conf`, its `config.json` and CSP rendered by `deploy/render.sh`
//! from the environment, as the container does, on its own origin in front of the
//! sandbox's API.

use std::path::Path;
use std::process::Stdio;

use tokio::process::{Child, Command};

use crate::{dist_dir, workspace_root};

/// A running nginx; stopped (and its folder removed) when dropped.
pub struct Nginx {
    child: Child,
    _prefix: tempfile::TempDir,
}

impl Drop for Nginx {
    /// SIGTERM, so the master stops its workers before it exits (killed outright, it
    /// would leave them running), then waits for it a moment.
    fn drop(&mut self) {
        if let Some(pid) = self.child.id() {
            let _ = std::process::Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status();
            for _ in 0..100 {
                if matches!(self.child.try_wait(), Ok(Some(_))) {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
    }
}

/// Copies a folder and everything under it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder for nginx");
    for entry in std::fs::read_dir(from).expect("read the build").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy the build");
        }
    }
}

/// Where `deploy/render.sh` takes the dashboard's `config.json` from.
pub enum Config<'a> {
    /// The `FLUI_*` variables (`FLUI_API_BASE_URL` …), as the container's environment.
    Env(Vec<(&'static str, String)>),
    /// This file, mounted as a ConfigMap is.
    Mounted(&'a serde_json::Value),
}

impl Nginx {
    /// Serves the built dashboard on `port`, its config rendered as `config` says.
    pub async fn start(port: u16, config: Config<'_>) -> Self {
        let prefix = tempfile::tempdir().expect("a folder for nginx");
        let deploy = workspace_root().join("deploy");
        std::fs::copy(deploy.join("nginx.conf"), prefix.path().join("nginx.conf"))
            .expect("copy deploy/nginx.conf");
        let html = prefix.path().join("html");
        copy_dir(&dist_dir(), &html);
        let env = match config {
            Config::Env(env) => env,
            Config::Mounted(json) => {
                std::fs::write(html.join("assets/config.json"), json.to_string()).expect("mount config.json");
                Vec::new()
            }
        };
        let rendered = Command::new("sh")
            .arg(deploy.join("render.sh"))
            .arg(prefix.path())
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .env("FLUI_PORT", port.to_string())
            .output()
            .await
            .expect("run deploy/render.sh");
        assert!(
            rendered.status.success(),
            "deploy/render.sh failed: {}",
            String::from_utf8_lossy(&rendered.stderr)
        );
        // As root (CI), nginx would hand its workers to `nobody`, who cannot read a
        // private temporary folder; the container runs it as its own non-root user.
        let root = std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0"));
        let globals = if root {
            "daemon off; user root;"
        } else {
            "daemon off;"
        };
        let mut prefix_arg = prefix.path().display().to_string();
        prefix_arg.push('/');
        let mut child = Command::new("nginx")
            .args(["-p", &prefix_arg, "-c", "nginx.conf", "-g", globals])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("nginx runs (Debian's nginx package: cargo xtask test installs it)");
        let origin = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return Self {
                    child,
                    _prefix: prefix,
                };
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("nginx exited at start ({status})");
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("nginx did not listen on {origin}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs deploy/render.sh on a folder holding a build's hash file (and `config`, if
    /// given, as a mounted config.json); its exit, stderr and rendered headers.
    fn render(env: &[(&str, &str)], config: Option<&str>) -> (bool, String, String) {
        let prefix = tempfile::tempdir().expect("a folder");
        let html = prefix.path().join("html");
        std::fs::create_dir_all(html.join("assets")).expect("html/assets");
        std::fs::write(html.join("csp-script-hashes"), "'sha256-abc='\n").expect("hashes");
        if let Some(config) = config {
            std::fs::write(html.join("assets/config.json"), config).expect("config.json");
        }
        let out = std::process::Command::new("sh")
            .arg(workspace_root().join("deploy/render.sh"))
            .arg(prefix.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(env.iter().copied())
            .output()
            .expect("sh runs");
        let headers = std::fs::read_to_string(prefix.path().join("conf.d/headers.conf")).unwrap_or_default();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            headers,
        )
    }

    #[test]
    fn the_csp_follows_the_runtime_config() {
        let (ok, err, headers) = render(
            &[
                ("FLUI_API_BASE_URL", "https://api.example.com/"),
                ("FLUI_AUTH_MODE", "oidc"),
                ("FLUI_OIDC_ISSUER", "https://id.example.com/realms/flui"),
                ("FLUI_GITHUB_URL", "https://github.example.com"),
            ],
            None,
        );
        assert!(ok, "{err}");
        assert!(headers.contains(
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-abc='; connect-src 'self' https://api.example.com https://id.example.com;"
        ), "{headers}");
        assert!(
            headers.contains("form-action 'self' https://github.example.com;"),
            "{headers}"
        );
    }

    #[test]
    fn oidc_without_an_issuer_starts_with_a_warning() {
        let (ok, err, headers) = render(
            &[
                ("FLUI_API_BASE_URL", "https://api.example.com"),
                ("FLUI_AUTH_MODE", "oidc"),
            ],
            None,
        );
        assert!(ok, "{err}");
        assert!(err.contains("FLUI_OIDC_ISSUER is empty"), "{err}");
        assert!(
            headers.contains("connect-src 'self' https://api.example.com;"),
            "{headers}"
        );
    }

    #[test]
    fn a_mounted_config_json_is_kept_and_read_for_the_csp() {
        let mounted = r#"{"apiBaseUrl": "https://api.flui.example", "authMode": "local", "githubUrl": ""}"#;
        let (ok, err, headers) = render(&[], Some(mounted));
        assert!(ok, "{err}");
        assert!(
            headers.contains("connect-src 'self' https://api.flui.example;"),
            "{headers}"
        );
        assert!(
            headers.contains("form-action 'self' https://github.com;"),
            "{headers}"
        );
    }

    #[test]
    fn values_that_would_break_the_json_or_the_header_are_refused() {
        for (key, value) in [
            ("FLUI_API_BASE_URL", "javascript:alert(1)"),
            ("FLUI_API_BASE_URL", "https://api.example.com/api/v1"),
            ("FLUI_API_BASE_URL", "https://a.example\"; script-src *"),
            ("FLUI_GITHUB_URL", "https://github.com; default-src *"),
            ("FLUI_AUTH_MODE", "saml"),
            ("FLUI_OIDC_CLIENT_ID", "a\"b"),
            ("FLUI_PORT", "80; listen 81"),
        ] {
            let mut env = vec![("FLUI_API_BASE_URL", "https://api.example.com")];
            env.retain(|(k, _)| *k != key);
            env.push((key, value));
            let (ok, err, _) = render(&env, None);
            assert!(!ok && err.contains(key), "{key}={value}: {err}");
        }
        let (ok, err, _) = render(&[], None);
        assert!(!ok && err.contains("FLUI_API_BASE_URL"), "{err}");
    }
}

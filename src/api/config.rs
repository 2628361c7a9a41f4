//! Runtime settings, read at start-up from `/assets/config.json` on the dashboard's own
//! origin: the same file and keys as the official Flui dashboard, plus `githubUrl`.

use leptos::prelude::Callback;
use miniserde::json::{self, Object, Value};

use super::client::{Api, Client};
use super::error::ApiError;
use super::fetch::{Exchange, Method, fetch};

/// Where the configuration file lives, relative to the dashboard's origin.
pub const CONFIG_PATH: &str = "/assets/config.json";

/// How users sign in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthMode {
    /// Email and password against Flui itself (`AUTH_MODE=local`).
    Local,
    /// An OpenID Connect provider (Zitadel in Flui's deployments).
    Oidc,
}

/// The dashboard's runtime settings, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeConfig {
    /// The API's origin, without a trailing slash and without `/api/v1`.
    pub api_base_url: String,
    pub auth_mode: AuthMode,
    pub oidc_issuer: Option<String>,
    pub oidc_client_id: Option<String>,
    /// GitHub's web origin (GitHub Enterprise, or the sandbox's simulated GitHub).
    pub github_url: String,
}

impl RuntimeConfig {
    /// True when OIDC is chosen but the client id or issuer must still come from
    /// `/auth/config`.
    pub fn needs_oidc_settings(&self) -> bool {
        self.auth_mode == AuthMode::Oidc && (self.oidc_client_id.is_none() || self.oidc_issuer.is_none())
    }
}

/// A configuration problem, naming the key at fault so an operator can fix the file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("{CONFIG_PATH} could not be loaded: {0}")]
    Unreachable(String),
    #[error("{CONFIG_PATH} is not valid JSON.")]
    NotJson,
    #[error("{CONFIG_PATH} must hold a JSON object with the dashboard's settings.")]
    NotAnObject,
    #[error("The key \"{0}\" is missing from {CONFIG_PATH}.")]
    Missing(&'static str),
    #[error("The key \"{key}\" in {CONFIG_PATH} is not valid: {reason}")]
    Invalid { key: &'static str, reason: String },
}

impl ConfigError {
    /// The key at fault, when one key is.
    pub fn key(&self) -> Option<&'static str> {
        match self {
            Self::Missing(key) | Self::Invalid { key, .. } => Some(key),
            _ => None,
        }
    }
}

/// Parses and checks the text of `config.json`.
pub fn parse_config(text: &str) -> Result<RuntimeConfig, ConfigError> {
    let value: Value = json::from_str(text).map_err(|_| ConfigError::NotJson)?;
    let Value::Object(map) = value else {
        return Err(ConfigError::NotAnObject);
    };

    let api_base_url = match optional_string(&map, "apiBaseUrl")? {
        Some(raw) => origin_of("apiBaseUrl", &raw)?,
        None => return Err(ConfigError::Missing("apiBaseUrl")),
    };

    let auth_mode = match optional_string(&map, "authMode")?.as_deref() {
        None | Some("local") => AuthMode::Local,
        Some("oidc") => AuthMode::Oidc,
        Some(other) => {
            return Err(ConfigError::Invalid {
                key: "authMode",
                reason: format!("it must be \"local\" or \"oidc\", not \"{other}\"."),
            });
        }
    };

    let oidc_issuer = optional_string(&map, "oidcIssuer")?;
    if let Some(issuer) = &oidc_issuer {
        check_http_url("oidcIssuer", issuer)?;
    }
    let oidc_client_id = optional_string(&map, "oidcClientId")?;

    let github_url = match optional_string(&map, "githubUrl")? {
        Some(raw) => origin_of("githubUrl", &raw)?,
        None => "https://github.com".to_owned(),
    };

    Ok(RuntimeConfig {
        api_base_url,
        auth_mode,
        oidc_issuer,
        oidc_client_id,
        github_url,
    })
}

/// Reads a key that may be absent, null or an empty string (all meaning "not set"),
/// and must otherwise be a string.
fn optional_string(map: &Object, key: &'static str) -> Result<Option<String>, ConfigError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
        Some(other) => Err(ConfigError::Invalid {
            key,
            reason: format!("it must be a string, not {}.", json::to_string(other)),
        }),
    }
}

fn check_http_url(key: &'static str, raw: &str) -> Result<(), ConfigError> {
    let rest = raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"))
        .ok_or_else(|| ConfigError::Invalid {
            key,
            reason: format!("it must start with http:// or https://, got \"{raw}\"."),
        })?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || host.contains(char::is_whitespace) || host.contains('@') {
        return Err(ConfigError::Invalid {
            key,
            reason: format!("\"{raw}\" has no valid host."),
        });
    }
    Ok(())
}

/// Checks that `raw` is an http(s) origin (a trailing slash is tolerated) and returns it
/// without the slash. A path is refused: the dashboard adds `/api/v1` itself, and a base
/// that already has it would double it.
fn origin_of(key: &'static str, raw: &str) -> Result<String, ConfigError> {
    check_http_url(key, raw)?;
    let trimmed = raw.trim_end_matches('/');
    let after_scheme = trimmed.split_once("://").map(|(_, r)| r).unwrap_or_default();
    if after_scheme.contains(['/', '?', '#']) {
        return Err(ConfigError::Invalid {
            key,
            reason: format!(
                "it must be an origin such as https://api.example.com, with no path (the dashboard adds /api/v1 itself), got \"{raw}\"."
            ),
        });
    }
    Ok(trimmed.to_owned())
}

/// Fetches and checks `/assets/config.json` from the dashboard's own origin.
pub async fn load_config() -> Result<RuntimeConfig, ConfigError> {
    let answer = fetch(Exchange {
        method: Method::Get,
        url: CONFIG_PATH,
        headers: &[("Cache-Control", "no-cache")],
        body: None,
        with_credentials: false,
        abort: None,
    })
    .await
    .map_err(|_| ConfigError::Unreachable("the dashboard's own server did not answer".into()))?;
    if !(200..300).contains(&answer.status) {
        return Err(ConfigError::Unreachable(format!(
            "the server answered {}",
            answer.status
        )));
    }
    let mut config = parse_config(&answer.text)?;
    if config.needs_oidc_settings() {
        // The official dashboard fills a missing client id (and issuer) from the API,
        // giving it 5 seconds, so a hung API cannot hold the dashboard at "Loading".
        let api = Api::with_timeout(Client::new(config.clone(), Callback::new(|_| ())), 5_000);
        let reason = match api.auth_config().await {
            Ok(remote) => {
                if config.oidc_client_id.is_none() {
                    config.oidc_client_id = remote.client_id.filter(|c| !c.is_empty());
                }
                if config.oidc_issuer.is_none() {
                    config.oidc_issuer = remote.issuer.filter(|i| check_http_url("oidcIssuer", i).is_ok());
                }
                "it is empty, and the API's /api/v1/auth/config does not name it either.".to_owned()
            }
            Err(ApiError::Aborted) => {
                "it is empty, and the API's /api/v1/auth/config did not answer within 5 seconds.".to_owned()
            }
            Err(error) => {
                format!("it is empty, and the API's /api/v1/auth/config could not be read ({error}).")
            }
        };
        for (key, missing) in [
            ("oidcClientId", config.oidc_client_id.is_none()),
            ("oidcIssuer", config.oidc_issuer.is_none()),
        ] {
            if missing {
                return Err(ConfigError::Invalid { key, reason });
            }
        }
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_official_dashboards_file_is_accepted() {
        let config = parse_config(
            r#"{"apiBaseUrl":"https://api.flui.example/","wsUrl":"wss://api.flui.example","authMode":"local","oidcIssuer":"","oidcClientId":"","certificateMode":"production"}"#,
        )
        .unwrap();
        assert_eq!(config.api_base_url, "https://api.flui.example");
        assert_eq!(config.auth_mode, AuthMode::Local);
        assert_eq!(config.oidc_issuer, None);
        assert_eq!(config.github_url, "https://github.com");
    }

    #[test]
    fn oidc_without_client_id_asks_the_api() {
        let config = parse_config(
            r#"{"apiBaseUrl":"http://localhost:3000","authMode":"oidc","oidcIssuer":"https://id.example"}"#,
        )
        .unwrap();
        assert!(config.needs_oidc_settings());
    }

    #[test]
    fn github_url_points_at_enterprise_or_the_sandbox() {
        let config =
            parse_config(r#"{"apiBaseUrl":"http://127.0.0.1:8787","githubUrl":"http://127.0.0.1:8788/"}"#)
                .unwrap();
        assert_eq!(config.github_url, "http://127.0.0.1:8788");
    }

    #[test]
    fn each_fault_names_its_key() {
        let cases = [
            (r#"{}"#, "apiBaseUrl"),
            (r#"{"apiBaseUrl":""}"#, "apiBaseUrl"),
            (r#"{"apiBaseUrl":42}"#, "apiBaseUrl"),
            (r#"{"apiBaseUrl":"ftp://x"}"#, "apiBaseUrl"),
            (r#"{"apiBaseUrl":"https://api.example/api/v1"}"#, "apiBaseUrl"),
            (r#"{"apiBaseUrl":"https://"}"#, "apiBaseUrl"),
            (
                r#"{"apiBaseUrl":"https://a.example","authMode":"saml"}"#,
                "authMode",
            ),
            (
                r#"{"apiBaseUrl":"https://a.example","githubUrl":"github.com"}"#,
                "githubUrl",
            ),
            (
                r#"{"apiBaseUrl":"https://a.example","oidcIssuer":"id.example"}"#,
                "oidcIssuer",
            ),
        ];
        for (text, key) in cases {
            let err = parse_config(text).unwrap_err();
            assert_eq!(err.key(), Some(key), "{text}: {err}");
            assert!(err.to_string().contains(key), "{text}: {err}");
        }
    }

    #[test]
    fn broken_files_are_reported_not_panicked_on() {
        assert!(matches!(parse_config("{"), Err(ConfigError::NotJson)));
        assert!(matches!(parse_config("[]"), Err(ConfigError::NotAnObject)));
        assert!(matches!(parse_config(""), Err(ConfigError::NotJson)));
    }
}

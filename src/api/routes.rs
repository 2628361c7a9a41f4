//! API paths (after `/api/v1`, as in `flui-api.md`) and URL building.

use super::config::RuntimeConfig;

pub const AUTH_CONFIG: &str = "/auth/config";
pub const AUTH_LOGIN: &str = "/auth/login";
pub const AUTH_REFRESH: &str = "/auth/refresh";
pub const AUTH_LOGOUT: &str = "/auth/logout";
/// Public; clears the `flui_session` cookie.
pub const AUTH_SESSION_LOGOUT: &str = "/auth/oidc-logout";
pub const AUTH_ME: &str = "/auth/me";
pub const ME_PERMISSIONS: &str = "/me/permissions";

pub const SETUP_STATUS: &str = "/repositories/github/setup/status";
pub const GITHUB_STATUS: &str = "/repositories/github/status";
pub const GHCR_PAT_STATUS: &str = "/repositories/github-app/packages-pat/status";
pub const INSTALL_URL: &str = "/repositories/github-app/install-url";
pub const CLAIM: &str = "/repositories/github-app/claim";
pub const RESCAN_INSTALLATIONS: &str = "/repositories/github-app/rescan-installations";

/// The global prefix Flui's `main.ts` sets.
const PREFIX: &str = "/api/v1";

/// `apiBaseUrl` + `/api/v1` + `path`.
pub fn api_url(config: &RuntimeConfig, path: &str) -> String {
    format!("{}{PREFIX}{path}", config.api_base_url)
}

/// True only for URLs under the configured API's `/api/v1`: the one place the bearer
/// token may be sent.
pub fn is_api_url(config: &RuntimeConfig, url: &str) -> bool {
    url.strip_prefix(config.api_base_url.as_str())
        .and_then(|rest| rest.strip_prefix(PREFIX))
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?']))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::config::parse_config;

    fn config() -> RuntimeConfig {
        parse_config(r#"{"apiBaseUrl":"https://api.flui.example"}"#).unwrap()
    }

    #[test]
    fn urls_get_the_api_prefix() {
        assert_eq!(
            api_url(&config(), GITHUB_STATUS),
            "https://api.flui.example/api/v1/repositories/github/status"
        );
    }

    #[test]
    fn the_token_goes_to_the_api_origin_only() {
        let c = config();
        assert!(is_api_url(&c, "https://api.flui.example/api/v1/auth/me"));
        assert!(!is_api_url(
            &c,
            "https://api.flui.example.evil.test/api/v1/auth/me"
        ));
        assert!(!is_api_url(&c, "https://api.flui.example:444/api/v1/auth/me"));
        assert!(!is_api_url(&c, "https://api.flui.example/api/v10/x"));
        assert!(!is_api_url(&c, "https://github.com/api/v1/x"));
        assert!(!is_api_url(&c, "/api/v1/auth/me"));
    }
}

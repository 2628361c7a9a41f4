//! What a Flui GitHub App is given: every URL computed from one public API base URL, the
//! slug GitHub derives from its name, and what may be wrong with either before GitHub
//! sees them. Plain logic, tested on the host.

/// GitHub's longest App name.
pub const MAX_NAME: usize = 34;

/// The paths Flui serves for its GitHub App (contract §1, §3b, §9).
const CALLBACK: &str = "/api/v1/repositories/github-app/user-callback";
const MANIFEST_CALLBACK: &str = "/api/v1/repositories/github/setup/github-app/manifest-callback/";
const WEBHOOK: &str = "/api/v1/webhooks/github-app";

/// The OAuth callback Flui passes as `redirect_uri`: the App's Callback URL must be this,
/// character for character.
pub fn callback_url(base: &str) -> String {
    format!("{base}{CALLBACK}")
}

pub fn webhook_url(base: &str) -> String {
    format!("{base}{WEBHOOK}")
}

/// Where GitHub sends the browser after creating the App (Flui adds a one-time state).
pub fn manifest_redirect_url(base: &str) -> String {
    format!("{base}{MANIFEST_CALLBACK}…")
}

/// GitHub's form to register a new App, for a personal account or an organisation.
pub fn registration_url(github: &str, org: Option<&str>) -> String {
    match org {
        Some(org) => format!("{github}/organizations/{org}/settings/apps/new"),
        None => format!("{github}/settings/apps/new"),
    }
}

/// The App's public page (what users install from).
pub fn app_page_url(github: &str, slug: &str) -> String {
    format!("{github}/apps/{slug}")
}

/// The App's settings, where "Make public" lives (Advanced → Danger zone).
pub fn advanced_settings_url(github: &str, org: Option<&str>, slug: &str) -> String {
    match org {
        Some(org) => format!("{github}/organizations/{org}/settings/apps/{slug}/advanced"),
        None => format!("{github}/settings/apps/{slug}/advanced"),
    }
}

/// The slug GitHub derives from an App name: lower case, each run of other characters one
/// hyphen, none at either end.
pub fn slug_of(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

/// An App name as GitHub takes it: its slug, or why not.
pub fn check_name(name: &str) -> Result<String, &'static str> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Give the App a name.");
    }
    if name.chars().count() > MAX_NAME {
        return Err("GitHub allows at most 34 characters in an App name.");
    }
    match slug_of(name) {
        slug if slug.is_empty() => {
            Err("The name needs at least one letter or digit: GitHub builds the App's address from them.")
        }
        slug => Ok(slug),
    }
}

/// An organisation's login as GitHub allows it (letters, digits, single inner hyphens, at
/// most 39 characters); empty means a personal account.
pub fn check_org(org: &str) -> Result<Option<String>, &'static str> {
    let org = org.trim();
    if org.is_empty() {
        return Ok(None);
    }
    let valid = org.len() <= 39
        && org.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !org.starts_with('-')
        && !org.ends_with('-')
        && !org.contains("--");
    if valid {
        Ok(Some(org.to_owned()))
    } else {
        Err(
            "Not an organisation name GitHub allows: letters, digits and single hyphens, at most 39 characters.",
        )
    }
}

/// A URL's scheme and host (lower case, IPv6 without brackets), and whether a path follows.
struct Parts<'a> {
    https: bool,
    host: String,
    path: &'a str,
}

fn parts(url: &str) -> Option<Parts<'_>> {
    let (https, rest) = match url.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("https") => (true, rest),
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => (false, rest),
        _ => return None,
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let authority = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split_once(']')?.0,
        None => authority.split(':').next().unwrap_or(""),
    };
    if host.is_empty() {
        return None;
    }
    Some(Parts {
        https,
        host: host.to_ascii_lowercase(),
        path,
    })
}

/// The public API base URL, trimmed of spaces and a trailing `/`: an http(s) URL with a
/// host, or why not.
pub fn check_base(raw: &str) -> Result<String, &'static str> {
    let base = raw.trim().trim_end_matches('/');
    match parts(base) {
        Some(_) if !base.contains(char::is_whitespace) => Ok(base.to_owned()),
        _ => Err(
            "Give the API's public address, starting with https:// (for example https://api.example.com).",
        ),
    }
}

fn ipv4(host: &str) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut parts = host.split('.');
    for byte in &mut out {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *byte = part.parse().ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// The origin of a URL (`scheme://host[:port]`), lower-cased.
fn origin(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_ascii_lowercase();
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    format!("{scheme}://{}", &rest[..end]).to_ascii_lowercase()
}

/// Why GitHub may not reach `base`, or reach the wrong Flui: each a sentence. `api_base`
/// is the API origin this dashboard talks to.
pub fn base_warnings(base: &str, api_base: &str) -> Vec<String> {
    let Some(p) = parts(base) else {
        return Vec::new();
    };
    let mut warnings = Vec::new();
    let host = p.host.as_str();
    let v4 = ipv4(host);
    let v6 = host.contains(':');
    let loopback = host == "localhost"
        || host.ends_with(".localhost")
        || v4.is_some_and(|ip| ip[0] == 127)
        || host == "::1";
    let private = v4.is_some_and(|ip| {
        matches!(ip, [10, ..] | [192, 168, ..] | [169, 254, ..] | [0, ..])
            || (ip[0] == 172 && (16..32).contains(&ip[1]))
            || (ip[0] == 100 && (64..128).contains(&ip[1]))
    }) || (v6
        && (host.starts_with("fc") || host.starts_with("fd") || host.starts_with("fe80")));
    if loopback {
        warnings.push(format!("{host} is this computer: GitHub cannot reach it, so the App's callback and webhooks will fail. Use the address the API has on the internet."));
    } else if private {
        warnings.push(format!("{host} is a private network address: GitHub cannot reach it. Use the address the API has on the internet."));
    } else if v4.is_some() || v6 {
        warnings.push(format!("{host} is a bare IP address: if it changes, the App's URLs on GitHub must be changed too. A host name is safer."));
    }
    if host.ends_with(".local") || host.ends_with(".internal") || host.ends_with(".lan") {
        warnings.push(format!(
            "{host} is a local network name: GitHub cannot resolve it."
        ));
    }
    if !p.https {
        warnings.push(
            "This is plain http: GitHub would send users and webhook secrets unencrypted. Use https."
                .to_owned(),
        );
    }
    if !p.path.is_empty() {
        warnings.push(format!(
            "The address has a path ({}): give the API's base address only; Flui adds /api/v1 itself.",
            p.path
        ));
    }
    if origin(base) != origin(api_base) {
        warnings.push(format!("This is not the API this dashboard uses ({}): GitHub will send users and webhooks to {} instead.", origin(api_base), origin(base)));
    }
    warnings
}

/// The manifest flow's outcome, from the query string Flui's callback redirects with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ManifestReturn {
    /// GitHub and Flui say it worked: still to be confirmed with the setup status.
    Success,
    /// It failed: what happened, and Flui's own words when they are not a known code.
    Failed {
        what: &'static str,
        detail: Option<String>,
    },
}

pub fn manifest_return(manifest: Option<&str>, reason: Option<&str>) -> Option<ManifestReturn> {
    match manifest? {
        "success" => Some(ManifestReturn::Success),
        _ => {
            let (what, detail) = match reason.map(str::trim).filter(|r| !r.is_empty()) {
                Some("missing_code_or_state") => (
                    "GitHub came back to Flui without the one-time code, so no App was stored. This happens when the registration is cancelled on GitHub.",
                    None,
                ),
                Some("invalid_or_expired_state") => (
                    "The setup link had expired (it lasts 10 minutes) or was already used, so Flui did not store the App. If GitHub created it anyway, delete it on GitHub or register it below by hand.",
                    None,
                ),
                Some(other) => (
                    "GitHub created nothing usable, or Flui could not store what GitHub returned.",
                    Some(other.to_owned()),
                ),
                None => (
                    "The App could not be created, and neither GitHub nor Flui said why.",
                    None,
                ),
            };
            Some(ManifestReturn::Failed { what, detail })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const API: &str = "https://api.flui.example";

    #[test]
    fn every_url_comes_from_the_one_base() {
        assert_eq!(
            callback_url(API),
            "https://api.flui.example/api/v1/repositories/github-app/user-callback"
        );
        assert_eq!(
            webhook_url(API),
            "https://api.flui.example/api/v1/webhooks/github-app"
        );
        assert!(manifest_redirect_url(API).starts_with(
            "https://api.flui.example/api/v1/repositories/github/setup/github-app/manifest-callback/"
        ));
        assert_eq!(
            registration_url("https://github.com", None),
            "https://github.com/settings/apps/new"
        );
        assert_eq!(
            registration_url("https://ghe.acme.test", Some("acme")),
            "https://ghe.acme.test/organizations/acme/settings/apps/new"
        );
        assert_eq!(
            advanced_settings_url("https://github.com", Some("acme"), "flui-acme"),
            "https://github.com/organizations/acme/settings/apps/flui-acme/advanced"
        );
    }

    #[test]
    fn names_and_slugs_follow_github() {
        assert_eq!(check_name("Flui Sandbox"), Ok("flui-sandbox".into()));
        assert_eq!(check_name("  Acme's Flui (prod) "), Ok("acme-s-flui-prod".into()));
        assert_eq!(check_name(&"a".repeat(34)), Ok("a".repeat(34)));
        assert!(check_name(&"a".repeat(35)).is_err());
        assert!(check_name("   ").is_err());
        assert!(check_name("!!!").is_err());
        assert_eq!(check_org(""), Ok(None));
        assert_eq!(check_org(" acme-corp "), Ok(Some("acme-corp".into())));
        for bad in ["-acme", "acme-", "ac--me", "ac me", &"a".repeat(40)] {
            assert!(check_org(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_base_must_be_http_with_a_host() {
        assert_eq!(check_base(" https://api.flui.example/ "), Ok(API.into()));
        for bad in [
            "",
            "api.flui.example",
            "ftp://x",
            "https://",
            "https:// x",
            "javascript:alert(1)",
        ] {
            assert!(check_base(bad).is_err(), "{bad}");
        }
    }

    fn warnings(base: &str) -> Vec<String> {
        base_warnings(base, API)
    }

    #[test]
    fn a_good_base_warns_of_nothing() {
        assert!(warnings(API).is_empty());
        assert!(warnings("https://API.flui.example").is_empty());
    }

    #[test]
    fn every_unreachable_or_wrong_base_is_named() {
        let says = |base: &str, words: &str| {
            let w = warnings(base);
            assert!(w.iter().any(|w| w.contains(words)), "{base}: {w:?}");
        };
        says("http://localhost:3000", "this computer");
        says("https://127.0.0.1", "this computer");
        says("https://[::1]:8443", "this computer");
        says("https://flui.localhost", "this computer");
        says("https://10.1.2.3", "private network");
        says("https://172.20.0.5", "private network");
        says("https://192.168.1.10", "private network");
        says("https://[fd00::1]", "private network");
        says("https://203.0.113.7", "bare IP");
        says("https://flui.local", "local network name");
        says("http://api.flui.example", "plain http");
        says("https://api.flui.example/api/v1", "has a path");
        says("https://api.other.example", "not the API this dashboard uses");
        assert!(
            !warnings("https://172.32.0.1")
                .iter()
                .any(|w| w.contains("private"))
        );
    }

    #[test]
    fn manifest_returns_read_each_reason() {
        assert_eq!(manifest_return(None, None), None);
        assert_eq!(
            manifest_return(Some("success"), None),
            Some(ManifestReturn::Success)
        );
        for reason in ["missing_code_or_state", "invalid_or_expired_state"] {
            assert!(matches!(
                manifest_return(Some("error"), Some(reason)),
                Some(ManifestReturn::Failed { detail: None, .. })
            ));
        }
        assert_eq!(
            manifest_return(Some("error"), Some("Name is already in use")),
            Some(ManifestReturn::Failed {
                what: "GitHub created nothing usable, or Flui could not store what GitHub returned.",
                detail: Some("Name is already in use".into())
            })
        );
        assert!(matches!(
            manifest_return(Some("error"), None),
            Some(ManifestReturn::Failed { detail: None, .. })
        ));
    }
}

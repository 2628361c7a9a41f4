//! Which URLs from the API may become links or navigations: only `https:` ones, and those
//! on the configured GitHub origin (which is plain http in the sandbox). Never
//! `javascript:`, `data:`, a relative path, or anything with spaces or control characters.
//! Plain logic, tested on the host.

/// `url`, trimmed, when it may be followed; `github_url` is the configured GitHub origin,
/// if the link may lead there.
pub fn safe_link(url: &str, github_url: Option<&str>) -> Option<String> {
    let url = url.trim();
    let https = url.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://")) && url.len() > 8;
    let on_github = github_url
        .map(|origin| origin.trim_end_matches('/'))
        .filter(|origin| !origin.is_empty())
        .is_some_and(|origin| {
            url.strip_prefix(origin)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?']))
        });
    let clean = !url.chars().any(|c| c.is_whitespace() || c.is_control());
    ((https || on_github) && clean).then(|| url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_and_the_github_origin_become_links() {
        let github = Some("http://127.0.0.1:8788");
        assert_eq!(
            safe_link(" https://flui.example/decide/1 ", None).as_deref(),
            Some("https://flui.example/decide/1")
        );
        assert_eq!(
            safe_link("http://127.0.0.1:8788/apps/x/installations/new", github).as_deref(),
            Some("http://127.0.0.1:8788/apps/x/installations/new")
        );
        for hostile in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "//evil.example",
            "/relative",
            "http://evil.example/",
            "http://127.0.0.1:8788.evil.example/",
            "http://127.0.0.1:87889/",
            "https://a b",
            "https://a\u{0}b",
            "https://",
            "",
        ] {
            assert_eq!(safe_link(hostile, github), None, "{hostile:?}");
        }
        // The GitHub origin counts only when it is configured.
        assert_eq!(safe_link("http://127.0.0.1:8788/x", None), None);
        assert_eq!(safe_link("/x", Some("")), None);
    }
}

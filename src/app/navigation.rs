//! Where sign-in sends people back to, kept safe from open redirects. Plain logic.

use super::routes::Page;

const LOGIN_PATH: &str = Page::SignIn.path();

/// A same-origin path to return to after sign-in. Anything that could leave the
/// dashboard (`//evil.example`, `https://…`, `/\evil`, control characters) becomes `/`.
pub fn safe_next(raw: Option<&str>) -> String {
    match raw {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(|c| c.is_control())
                && !path.starts_with(LOGIN_PATH) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// The path and query to come back to. The router's `search` has no leading `?`.
pub fn path_with_query(pathname: &str, search: &str) -> String {
    let search = search.trim_start_matches('?');
    if search.is_empty() {
        pathname.to_owned()
    } else {
        format!("{pathname}?{search}")
    }
}

/// `/login?next=<path>`, with the path percent-encoded; plain `/login` for the home page.
pub fn login_url(next: &str) -> String {
    if next == "/" || next.is_empty() {
        LOGIN_PATH.to_owned()
    } else {
        format!("{LOGIN_PATH}?next={}", encode_query_value(next))
    }
}

/// The needs-admin page, naming the page that was asked for.
pub fn needs_admin_url(requested: &str) -> String {
    format!(
        "{}?page={}",
        Page::NeedsAdmin.path(),
        encode_query_value(requested)
    )
}

/// Percent-encodes everything but unreserved characters and `/`.
pub fn encode_query_value(value: &str) -> String {
    crate::encoding::percent_encode(value, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(safe_next(Some("/repositories")), "/repositories");
        assert_eq!(
            safe_next(Some("/github/installed?claim=abc")),
            "/github/installed?claim=abc"
        );
        for hostile in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "",
            "/login?next=/x",
            "/a\nb",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn the_query_keeps_its_question_mark() {
        assert_eq!(
            path_with_query("/github/installed", "claim=abc"),
            "/github/installed?claim=abc"
        );
        assert_eq!(
            path_with_query("/github/installed", "?claim=abc"),
            "/github/installed?claim=abc"
        );
        assert_eq!(path_with_query("/repositories", ""), "/repositories");
    }

    #[test]
    fn needs_admin_names_the_page() {
        assert_eq!(
            needs_admin_url("/admin/github-app"),
            "/needs-admin?page=/admin/github-app"
        );
    }

    #[test]
    fn login_url_keeps_the_path_and_query() {
        assert_eq!(login_url("/"), "/login");
        assert_eq!(login_url("/repositories"), "/login?next=/repositories");
        assert_eq!(
            login_url("/github/installed?claim=a&b=c d"),
            "/login?next=/github/installed%3Fclaim%3Da%26b%3Dc%20d"
        );
    }
}

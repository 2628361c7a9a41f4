//! Every path the dashboard serves, once. The route table, links and redirects all take
//! their paths from [`Page`].

use leptos_router::StaticSegment;

/// A page of the dashboard, by the path it lives at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Overview,
    Repositories,
    GhcrToken,
    /// Admin: the GitHub App's credentials in Flui.
    GithubApp,
    /// Admin: the installations Flui knows of.
    Installations,
    /// Where the API's manifest callback sends the browser (`?manifest=…`), the official
    /// dashboard's path for the App setup.
    GithubSetup,
    /// Where the API sends the browser back from GitHub.
    GithubInstalled,
    SignIn,
    /// Where an admin page sends someone without admin rights.
    NeedsAdmin,
}

impl Page {
    pub const ALL: [Page; 9] = [
        Page::Overview,
        Page::Repositories,
        Page::GhcrToken,
        Page::GithubApp,
        Page::Installations,
        Page::GithubSetup,
        Page::GithubInstalled,
        Page::SignIn,
        Page::NeedsAdmin,
    ];

    pub const fn path(self) -> &'static str {
        match self {
            Page::Overview => "/",
            Page::Repositories => "/repositories",
            Page::GhcrToken => "/ghcr-token",
            Page::GithubApp => "/admin/github-app",
            Page::Installations => "/admin/installations",
            Page::GithubSetup => "/apps/repositories/github-setup",
            Page::GithubInstalled => "/github/installed",
            Page::SignIn => "/login",
            Page::NeedsAdmin => "/needs-admin",
        }
    }

    /// The path's segments, for the route table: `/admin/github-app` → `admin`, `github-app`.
    fn segments(self) -> impl Iterator<Item = &'static str> {
        self.path().split('/').filter(|s| !s.is_empty())
    }

    /// The route of a one-segment path.
    pub fn route1(self) -> StaticSegment<&'static str> {
        let mut s = self.segments();
        StaticSegment(s.next().unwrap_or_default())
    }

    /// The route of a two-segment path.
    pub fn route2(self) -> (StaticSegment<&'static str>, StaticSegment<&'static str>) {
        let mut s = self.segments();
        (
            StaticSegment(s.next().unwrap_or_default()),
            StaticSegment(s.next().unwrap_or_default()),
        )
    }

    /// The route of a three-segment path.
    pub fn route3(
        self,
    ) -> (
        StaticSegment<&'static str>,
        StaticSegment<&'static str>,
        StaticSegment<&'static str>,
    ) {
        let mut s = self.segments();
        (
            StaticSegment(s.next().unwrap_or_default()),
            StaticSegment(s.next().unwrap_or_default()),
            StaticSegment(s.next().unwrap_or_default()),
        )
    }

    /// How many segments the route table must give this page (checked by a test, so a
    /// path changed here cannot silently lose a segment there).
    #[cfg(test)]
    fn depth_in_route_table(self) -> usize {
        match self {
            Page::Overview => 0,
            Page::Repositories | Page::GhcrToken | Page::SignIn | Page::NeedsAdmin => 1,
            Page::GithubApp | Page::Installations | Page::GithubInstalled => 2,
            Page::GithubSetup => 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_unique_absolute_and_fit_the_route_table() {
        for page in Page::ALL {
            assert!(page.path().starts_with('/'), "{page:?}");
            assert_eq!(page.segments().count(), page.depth_in_route_table(), "{page:?}");
            let same: Vec<_> = Page::ALL.iter().filter(|p| p.path() == page.path()).collect();
            assert_eq!(same.len(), 1, "{page:?}");
        }
        assert_eq!(Page::GithubSetup.route3().2, StaticSegment("github-setup"));
        assert_eq!(
            Page::GithubApp.route2(),
            (StaticSegment("admin"), StaticSegment("github-app"))
        );
    }
}

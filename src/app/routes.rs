//! Every path the dashboard serves, once. The route table, links and redirects all take
//! their paths from [`Page`].

/// A page of the dashboard, by the path it lives at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Overview,
    Repositories,
    /// The picker: import repositories (`flui repo connect`).
    ConnectRepositories,
    /// The official dashboard's repositories path, where GitHub and Flui send people.
    AppsRepositories,
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
    /// Where the OpenID Provider sends the browser back with a code (OIDC mode).
    AuthCallback,
    /// Where an admin page sends someone without admin rights.
    NeedsAdmin,
}

impl Page {
    pub const ALL: [Page; 12] = [
        Page::Overview,
        Page::Repositories,
        Page::ConnectRepositories,
        Page::AppsRepositories,
        Page::GhcrToken,
        Page::GithubApp,
        Page::Installations,
        Page::GithubSetup,
        Page::GithubInstalled,
        Page::SignIn,
        Page::AuthCallback,
        Page::NeedsAdmin,
    ];

    pub const fn path(self) -> &'static str {
        match self {
            Page::Overview => "/",
            Page::Repositories => "/repositories",
            Page::ConnectRepositories => "/repositories/connect",
            Page::AppsRepositories => "/apps/repositories",
            Page::GhcrToken => "/ghcr-token",
            Page::GithubApp => "/admin/github-app",
            Page::Installations => "/admin/installations",
            Page::GithubSetup => "/apps/repositories/github-setup",
            Page::GithubInstalled => "/github/installed",
            Page::SignIn => "/login",
            Page::AuthCallback => "/auth/callback",
            Page::NeedsAdmin => "/needs-admin",
        }
    }

    /// The page at `path` (a path and query; a trailing `/` is ignored), if the dashboard
    /// serves it.
    pub fn from_path(path: &str) -> Option<Page> {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let path = match path.strip_suffix('/') {
            Some(trimmed) if !trimmed.is_empty() => trimmed,
            _ => path,
        };
        Page::ALL.into_iter().find(|page| page.path() == path)
    }

    /// Whether only admins may open it.
    pub fn admin_only(self) -> bool {
        matches!(self, Page::GithubApp | Page::Installations | Page::GithubSetup)
    }

    /// Whether it is shown only to someone signed in, in the shell.
    pub fn needs_sign_in(self) -> bool {
        !matches!(self, Page::SignIn | Page::AuthCallback | Page::GithubInstalled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_unique_and_absolute() {
        for page in Page::ALL {
            assert!(page.path().starts_with('/'), "{page:?}");
            let same: Vec<_> = Page::ALL.iter().filter(|p| p.path() == page.path()).collect();
            assert_eq!(same.len(), 1, "{page:?}");
        }
    }

    #[test]
    fn a_path_finds_its_page() {
        assert_eq!(Page::from_path("/"), Some(Page::Overview));
        assert_eq!(Page::from_path("/ghcr-token?next=/"), Some(Page::GhcrToken));
        assert_eq!(Page::from_path("/repositories/"), Some(Page::Repositories));
        assert_eq!(
            Page::from_path("/apps/repositories/github-setup?manifest=success"),
            Some(Page::GithubSetup)
        );
        assert_eq!(
            Page::from_path("/admin/installations#top"),
            Some(Page::Installations)
        );
        assert_eq!(
            Page::from_path("/apps/repositories"),
            Some(Page::AppsRepositories)
        );
        assert_eq!(
            Page::from_path("/repositories/connect?repo=a/b"),
            Some(Page::ConnectRepositories)
        );
        assert_eq!(Page::from_path("/ghcr-token/x"), None);
    }

    #[test]
    fn only_sign_in_and_the_install_landing_are_open() {
        let open: Vec<_> = Page::ALL.into_iter().filter(|p| !p.needs_sign_in()).collect();
        assert_eq!(open, [Page::GithubInstalled, Page::SignIn, Page::AuthCallback]);
        assert_eq!(
            Page::from_path("/auth/callback?code=c&state=s"),
            Some(Page::AuthCallback)
        );
        assert!(
            Page::ALL
                .into_iter()
                .filter(|p| p.admin_only())
                .all(|p| p.needs_sign_in())
        );
    }
}

//! `/admin/github-app` (and the manifest callback's `/apps/repositories/github-setup`).

use leptos::prelude::*;

use crate::ui::NotBuilt;

/// Admin: the GitHub App's credentials in Flui (`flui integration setup-github-app`):
/// not built yet.
#[component]
pub fn GithubAppPage() -> impl IntoView {
    view! {
        <NotBuilt title="GitHub App"
            purpose="Register the Flui GitHub App and store its credentials in Flui."
            cli="flui integration setup-github-app" />
    }
}

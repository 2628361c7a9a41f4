//! Pages whose issues have not been done yet. They say so plainly rather than pretend.

use leptos::prelude::*;

use crate::components::PageHeader;

#[component]
fn NotBuiltYet(title: &'static str, purpose: &'static str, cli: &'static str) -> impl IntoView {
    view! {
        <PageHeader title=title purpose=purpose />
        <section class="card notice">
            <h2>"Not built yet"</h2>
            <p>"This page is not in the dashboard yet. Until it is, use the Flui CLI:"</p>
            <pre class="command"><code>{cli}</code></pre>
        </section>
    }
}

/// The user's repositories (`flui repo list | connect | disconnect`).
#[component]
pub fn RepositoriesPage() -> impl IntoView {
    view! {
        <NotBuiltYet title="Repositories"
            purpose="Import the GitHub repositories Flui may build and deploy."
            cli="flui repo list\nflui repo connect <owner/repo>" />
    }
}

/// The GHCR token (`flui integration ghcr-pat`).
#[component]
pub fn GhcrTokenPage() -> impl IntoView {
    view! {
        <NotBuiltYet title="GHCR token"
            purpose="The token your cluster uses to pull built images from GitHub's container registry."
            cli="flui integration ghcr-pat status\nflui integration ghcr-pat set" />
    }
}

/// Admin: the GitHub App's credentials in Flui (`flui integration setup-github-app`).
#[component]
pub fn GithubAppPage() -> impl IntoView {
    view! {
        <NotBuiltYet title="GitHub App"
            purpose="Register the Flui GitHub App and store its credentials in Flui."
            cli="flui integration setup-github-app" />
    }
}

/// Admin: installations tracked by Flui (`flui integration installations`).
#[component]
pub fn InstallationsPage() -> impl IntoView {
    view! {
        <NotBuiltYet title="Installations"
            purpose="Every installation of the GitHub App that Flui knows about."
            cli="flui integration installations\nflui integration remove-installation <installationId>" />
    }
}

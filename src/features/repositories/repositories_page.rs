//! `/repositories`.

use leptos::prelude::*;

use crate::ui::NotBuilt;

/// The user's repositories (`flui repo list | connect | disconnect`): not built yet.
#[component]
pub fn RepositoriesPage() -> impl IntoView {
    view! {
        <NotBuilt title="Repositories"
            purpose="Import the GitHub repositories Flui may build and deploy."
            cli="flui repo list\nflui repo connect <owner/repo>\nflui integration connect github --pat   (instances in PAT mode)" />
    }
}

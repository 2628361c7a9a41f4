//! `/admin/installations`.

use leptos::prelude::*;

use crate::ui::NotBuilt;

/// Admin: installations tracked by Flui (`flui integration installations`): not built yet.
#[component]
pub fn InstallationsPage() -> impl IntoView {
    view! {
        <NotBuilt title="Installations"
            purpose="Every installation of the GitHub App that Flui knows about."
            cli="flui integration installations\nflui integration remove-installation <installationId>" />
    }
}

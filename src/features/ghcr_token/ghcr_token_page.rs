//! `/ghcr-token`.

use leptos::prelude::*;

use crate::ui::NotBuilt;

/// The GHCR token (`flui integration ghcr-pat`): not built yet.
#[component]
pub fn GhcrTokenPage() -> impl IntoView {
    view! {
        <NotBuilt title="GHCR token"
            purpose="The token your cluster uses to pull built images from GitHub's container registry."
            cli="flui integration ghcr-pat status\nflui integration ghcr-pat set" />
    }
}

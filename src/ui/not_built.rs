//! The placeholder of a page whose issue is not done yet.

use leptos::prelude::*;

use super::PageHeader;

/// A page whose issue is not done yet: it says so plainly, and gives the CLI commands
/// that do the job meanwhile.
#[component]
pub fn NotBuilt(
    /// The page's name.
    title: &'static str,
    /// One sentence on what the page is for.
    purpose: &'static str,
    /// The `flui` commands to use until then, one per line.
    cli: &'static str,
) -> impl IntoView {
    view! {
        <PageHeader title=title purpose=purpose />
        <section class="card notice">
            <h2>"Not built yet"</h2>
            <p>"This page is not in the dashboard yet. Until it is, use the Flui CLI:"</p>
            <pre class="command"><code>{cli}</code></pre>
        </section>
    }
}

//! `/needs-admin`: where the admin gate sends someone without admin rights.

use leptos::prelude::*;

use crate::app::router::use_router;
use crate::app::routes::Page;
use crate::ui::PageHeader;

/// Where an admin page sends someone without admin rights.
#[component]
pub fn NeedsAdminPage() -> impl IntoView {
    // Shown as text only; never followed.
    let requested = use_router()
        .query_untracked("page")
        .filter(|p| p.starts_with('/'));
    view! {
        <PageHeader title="Admin rights needed" />
        <section class="card notice" aria-labelledby="needs-admin-title">
            <h2 id="needs-admin-title">"This page needs admin rights"</h2>
            {requested.map(|page| view! { <p>"You asked for " <code>{page}</code> "."</p> })}
            <p>
                "Only administrators of this Flui instance (the " <code>"integration:manage"</code>
                " permission) can manage the GitHub App and its installations. Ask your administrator if you need a change here."
            </p>
            <a href=Page::Overview.path()>"Go to the overview"</a>
        </section>
    }
}

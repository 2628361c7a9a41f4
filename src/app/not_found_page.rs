//! Any path the dashboard does not serve.

use leptos::prelude::*;

use crate::ui::set_title;

use super::router::use_router;

/// Any path the dashboard does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let path = use_router().path_untracked();
    view! {
        {set_title("Page not found")}
        <main id="main" class="standalone">
            <section class="card standalone__card" aria-labelledby="not-found-title">
                <h1 id="not-found-title">"Page not found"</h1>
                <p>"There is no page at " <code>{path}</code> " in this dashboard."</p>
                <a href="/">"Go to the overview"</a>
            </section>
        </main>
    }
}

//! The top of every page.

use leptos::prelude::*;

use super::title::set_title;

/// The top of every page: its `<h1>`, one line on what the page is for, and the
/// document title (the same words, so tabs and history read like the page).
#[component]
pub fn PageHeader(
    /// The page's name.
    title: &'static str,
    /// One sentence on what the page is for.
    #[prop(optional)]
    purpose: Option<&'static str>,
) -> impl IntoView {
    view! {
        {set_title(title)}
        <header class="page-header">
            <h1>{title}</h1>
            {purpose.map(|p| view! { <p class="page-header__purpose">{p}</p> })}
        </header>
    }
}

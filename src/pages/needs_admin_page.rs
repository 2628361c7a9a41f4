use leptos::prelude::*;

use crate::components::{NeedsAdmin, PageHeader};

/// An admin route opened by someone without admin rights.
#[component]
pub fn NeedsAdminPage() -> impl IntoView {
    view! {
        <PageHeader title="Admin rights needed" />
        <NeedsAdmin />
    }
}

//! A confirmation before a destructive action: a real modal `<dialog>` (the page behind
//! is inert, so focus stays inside; Esc cancels; focus returns where it was).

use leptos::html;
use leptos::prelude::*;

/// Asks before doing something that cannot be undone from here.
#[component]
pub fn ConfirmDialog(
    /// Whether the dialog is open; it closes itself by setting this to false.
    open: RwSignal<bool>,
    /// The question, as the dialog's title.
    #[prop(into)]
    title: String,
    /// The button that does it, naming the action ("Disconnect acme/api").
    #[prop(into)]
    confirm: String,
    /// Runs when confirmed.
    on_confirm: Callback<()>,
    /// Whether the confirm button may be used yet (a typed confirmation); always when absent.
    #[prop(optional, into)]
    ready: Option<Signal<bool>>,
    /// What is and is not affected.
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    // The dialog element has to be told to open as a modal; this keeps it in step.
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get() {
            if open.get() {
                if !dialog.open() {
                    let _ = dialog.show_modal();
                }
            } else {
                dialog.close();
            }
        }
    });
    let label = title.clone();
    view! {
        <dialog node_ref=dialog class="dialog" aria-label=label
            on:close=move |_| open.set(false)>
            <h2>{title}</h2>
            {children()}
            <div class="dialog__actions">
                <button type="button" class="button" autofocus on:click=move |_| open.set(false)>
                    "Cancel"
                </button>
                <button type="button" class="button button--danger"
                    prop:disabled=move || ready.is_some_and(|ready| !ready.get())
                    on:click=move |_| {
                        open.set(false);
                        on_confirm.run(());
                    }>
                    {confirm}
                </button>
            </div>
        </dialog>
    }
}

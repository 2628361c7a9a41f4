use leptos::prelude::*;

/// What the last connect attempt came to, for [`ConnectGithub`] to show.
#[derive(Clone, Debug, PartialEq)]
pub enum ConnectNotice {
    AlreadyConnected {
        login: String,
    },
    /// A link to finish on another device; `copied` is false when the clipboard refused.
    Link {
        url: String,
        copied: bool,
    },
    Failed {
        message: String,
    },
    /// The integration is not set up on this instance.
    NotSetUp {
        is_admin: bool,
    },
}

/// "Connect GitHub": one button that goes to GitHub, and "Copy link" to finish on
/// another device (the CLI's `--headless`).
#[component]
pub fn ConnectGithub(
    /// A connect or copy is under way.
    #[prop(into)]
    working: Signal<bool>,
    /// What the last attempt came to.
    #[prop(into)]
    notice: Signal<Option<ConnectNotice>>,
    /// Starts the connection.
    on_connect: Callback<()>,
    /// Gets a link to finish elsewhere.
    on_copy_link: Callback<()>,
    /// The main button's words.
    #[prop(default = "Connect GitHub")]
    label: &'static str,
) -> impl IntoView {
    view! {
        <div class="connect">
            <div class="connect__actions">
                <button type="button" class="button button--primary" prop:disabled=move || working.get()
                    on:click=move |_| on_connect.run(())>
                    {label}
                </button>
                <button type="button" class="button" prop:disabled=move || working.get()
                    on:click=move |_| on_copy_link.run(())>
                    "Copy link"
                </button>
            </div>
            <div class="connect__notice" aria-live="polite">
                {move || notice.get().map(|n| match n {
                    ConnectNotice::AlreadyConnected { login } => view! {
                        <p class="notice-line notice-line--success">"GitHub is already connected as @" {login} ". Nothing more to do."</p>
                    }.into_any(),
                    ConnectNotice::Link { url, copied } => view! {
                        <p class="notice-line">
                            {if copied { "Link copied. " } else { "Copy this link by hand. " }}
                            "Open it where you are signed in to GitHub. It works once, for 10 minutes, and only for you."
                        </p>
                        <div class="field">
                            <label for="connect-link">"Connection link"</label>
                            <input id="connect-link" class="mono" type="text" readonly prop:value=url />
                        </div>
                    }.into_any(),
                    ConnectNotice::Failed { message } => view! {
                        <p class="notice-line notice-line--danger" role="alert">{message}</p>
                    }.into_any(),
                    ConnectNotice::NotSetUp { is_admin: true } => view! {
                        <p class="notice-line notice-line--danger" role="alert">
                            "The GitHub App is not fully set up on this instance. "
                            <a href="/admin/github-app">"Set up the GitHub App"</a>
                        </p>
                    }.into_any(),
                    ConnectNotice::NotSetUp { is_admin: false } => view! {
                        <p class="notice-line notice-line--danger" role="alert">
                            "GitHub is not fully set up on this instance. Ask your administrator to finish setting up the Flui GitHub App."
                        </p>
                    }.into_any(),
                })}
            </div>
        </div>
    }
}

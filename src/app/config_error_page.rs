//! Shown instead of the dashboard when `/assets/config.json` is missing or wrong.

use leptos::prelude::*;

use crate::ui::set_title;

use crate::api::config::{CONFIG_PATH, ConfigError};

/// Shown instead of the app when `/assets/config.json` is missing or wrong.
#[component]
pub fn ConfigErrorPage(
    /// What is wrong with the file.
    error: ConfigError,
) -> impl IntoView {
    let key = error.key();
    view! {
        {set_title("Configuration error")}
        <main id="main" class="standalone">
            <section class="card standalone__card" aria-labelledby="config-error-title">
                <h1 id="config-error-title">"The dashboard is not configured correctly"</h1>
                <p role="alert" class="error-text">{error.to_string()}</p>
                {key.map(|k| view! {
                    <p>"Fix the key " <code>{k}</code> " in " <code>{CONFIG_PATH}</code> " and reload this page."</p>
                })}
                <p class="muted">
                    "The file is served by the dashboard's own web server (in Flui deployments, the "
                    <code>"flui-web-config"</code> " ConfigMap). It needs at least "
                    <code>"apiBaseUrl"</code> ", the origin of the Flui API, for example "
                    <code>"{\"apiBaseUrl\": \"https://api.example.com\", \"authMode\": \"local\"}"</code> "."
                </p>
            </section>
        </main>
    }
}

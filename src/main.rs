//! The dashboard's entry point: a readable panic in the console, then the app.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(flui_dashboard::App);
}

//! The dashboard's entry point: a readable panic in the console, then the app.

fn main() {
    // A panic aborts the wasm instance; say why in the console first (what
    // `console_error_panic_hook` does, without its stack capture, which the size budget
    // cannot spare: the browser prints the stack of the abort anyway).
    std::panic::set_hook(Box::new(|panic| {
        web_sys::console::error_1(&panic.to_string().into());
    }));
    leptos::mount::mount_to_body(flui_dashboard::App);
}

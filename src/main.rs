//! The staff app's entry point (index.html).

fn main() {
    // Panic messages in the console while developing; release builds abort without the
    // formatting machinery a message needs.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(chairside::App);
}

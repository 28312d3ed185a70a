//! The kiosk app's entry point (kiosk.html): only what a paired tablet shows.

fn main() {
    // Panic messages in the console while developing; release builds abort without the
    // formatting machinery a message needs.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    chairside::start_kiosk();
}

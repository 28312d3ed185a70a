//! The kiosk app's entry point (kiosk.html): only what a paired tablet shows.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(chairside::KioskStart);
}

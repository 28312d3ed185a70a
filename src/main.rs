//! Chairside: Open Dental in the browser for dental practice staff and intake kiosks.

mod api;
mod app;
mod components;
mod connection;
mod files;
mod gateway;
mod kiosk;
mod pages;
mod reference;
mod session;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}

//! Chairside: Open Dental in the browser for dental practice staff and intake kiosks.
//!
//! Two apps share this library, each its own Trunk entry and wasm binary so that a device
//! downloads only what it shows: the staff app (`index.html`, `src/main.rs`) and the
//! waiting-room kiosk (`kiosk.html`, `src/bin/chairside-kiosk.rs`), served under `/kiosk/`.

mod api;
mod app;
mod callback;
mod clock;
mod components;
mod connection;
mod files;
mod gateway;
mod kiosk;
mod kiosk_app;
mod pages;
mod perf;
mod reference;
mod session;

pub use app::App;
pub use kiosk_app::start as start_kiosk;

/// Where the kiosk app lives: its page, its files and its service worker's scope.
pub const KIOSK_HOME: &str = "/kiosk/";

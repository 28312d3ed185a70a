//! The staff app's kiosk screens: "Send to kiosk…" on a patient (`send`) and the Kiosks page
//! (`kiosks_page`). The tablet's own app is `crate::kiosk_app`.

mod kiosks_page;
pub mod send;
mod setup_page;

pub use kiosks_page::KiosksPage;

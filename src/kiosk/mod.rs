//! The patient-intake kiosk's plain parts: wire types, the intake's state machine, its idle
//! clock and upload outcomes, the patient's texts in each language, the staff dialog, and
//! every screen as a tree (`view`). The browser side is `kiosk_app`; the HTTP calls are in
//! `gateway::kiosk`.

pub mod i18n;
pub mod idle;
mod intake;
pub mod machine;
pub mod model;
pub mod staff;
pub mod tree;
pub mod upload;
pub mod view;

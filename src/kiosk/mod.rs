//! The patient-intake kiosk's plain parts: wire types, the intake's state machine, its idle
//! clock and upload outcomes, and the patient's texts in each language. The screens are in
//! `pages::kiosk`; the HTTP calls in `gateway::kiosk`.

pub mod i18n;
pub mod idle;
mod intake;
pub mod machine;
pub mod model;
pub mod upload;

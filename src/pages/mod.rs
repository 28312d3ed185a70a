//! One module per screen.

pub mod documents;
pub mod kiosk;
pub mod patient;
pub mod patient_search;
pub mod settings;
pub mod treatment_plans;

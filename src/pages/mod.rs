//! One module per screen.

pub mod patient;
pub mod patient_search;
pub mod settings;

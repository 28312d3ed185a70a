//! The Open Dental REST API as Chairside sees it: wire types, the API's serde conventions,
//! the user-facing error type, paging and connection settings.
//!
//! Shared by the browser app (which sends requests) and the sandbox (which answers them), so
//! both sides agree on field names and formats by construction. Everything here is plain Rust
//! and tested natively.

pub mod connection;
pub mod documents;
pub mod error;
pub mod fetchable;
pub mod kiosk;
pub mod models;
pub mod paging;
pub mod query;
pub mod sftp;
pub mod tooth;
pub mod treatment;
pub mod upload_check;
pub mod wire;

pub use connection::{Credentials, Preset};
pub use error::ApiError;

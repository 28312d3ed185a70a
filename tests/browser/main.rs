//! Browser tests: the real built app in headless Chromium against the sandbox. Each test gets
//! its own sandbox, browser and profile. Run by scripts/test after scripts/build-app.

mod bench;
mod documents;
mod encoder;
mod gateway;
mod harness;
mod images;
mod kiosk;
mod kiosk_edges;
mod sftp;
mod shell;
mod treatment_plans;
mod upload_faults;

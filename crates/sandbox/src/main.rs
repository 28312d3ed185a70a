//! `chairside-sandbox`: serves the emulated Open Dental API (and the built app, if given)
//! until Ctrl-C or SIGTERM.

use chairside_sandbox::{Config, Sandbox};
use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    if let Some(dir) = &config.app_dir {
        if !dir.join("index.html").is_file() {
            eprintln!(
                "chairside-sandbox: warning: {} has no index.html; build the app first.",
                dir.display()
            );
        }
    }
    let sandbox = match Sandbox::start(config.clone()).await {
        Ok(sandbox) => sandbox,
        Err(e) => {
            eprintln!("chairside-sandbox: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The demo keys are printed so a person can type them into the app's settings.
    println!(
        "Chairside sandbox: {}/ (API at {}; developer key {}, customer key {})",
        sandbox.url(),
        sandbox.api_url(),
        config.developer_key,
        config.customer_key
    );
    stop_signal().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}

async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}

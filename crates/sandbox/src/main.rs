//! `chairside-sandbox`: serves the emulated Open Dental API (and the built app, if given)
//! until Ctrl-C or SIGTERM.

use chairside_sandbox::{Config, Sandbox};
use chairside_sftp_server::SftpServer;
use clap::Parser;
use std::process::ExitCode;

#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(flatten)]
    config: Config,
    /// Also start a demo SFTP site on 127.0.0.1 (a free port), for trying the SFTP document
    /// methods; its files are kept in <data-dir>/sftp (a temporary folder with --memory).
    #[arg(long)]
    demo_sftp: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let Cli { config, demo_sftp } = Cli::parse();
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
    // The demo keys are printed so a person can type them into the app's settings; keys given
    // by flag or environment are someone's secrets and never printed.
    let keys = if config.has_demo_keys() {
        format!(
            "developer key {}, customer key {}",
            config.developer_key, config.customer_key
        )
    } else {
        "keys as set by flag or environment, not shown".to_owned()
    };
    println!(
        "Chairside sandbox: {}/ (API at {}; {keys})",
        sandbox.url(),
        sandbox.api_url()
    );
    let _sftp = if demo_sftp {
        match start_demo_sftp(&config).await {
            Ok(server) => Some(server),
            Err(e) => {
                eprintln!("chairside-sandbox: the demo SFTP site did not start: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    chairside_sandbox::stop_signal().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}

/// A local SFTP site with a fresh password, printed so a person can type it into the app.
async fn start_demo_sftp(config: &Config) -> std::io::Result<SftpServer> {
    let root = if config.memory {
        std::env::temp_dir().join(format!("chairside-demo-sftp-{}", std::process::id()))
    } else {
        config.data_dir.join("sftp")
    };
    let (server, line) = chairside_sandbox::demo_sftp::start(&root).await?;
    println!("{line}");
    Ok(server)
}

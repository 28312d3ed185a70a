//! Chairside's sandbox: an emulator of the Open Dental REST API on SQLite, with a seeded demo
//! practice, so the app runs and is tested end to end on one machine.
//!
//! `app(state)` builds the whole router (tests drive it with `tower::ServiceExt::oneshot`);
//! `Sandbox::start` serves it over TCP. The API lives at /api/v1; the built web app, if
//! given, at "/". Tables and demo data are listed in `seed::TABLES`, routes in
//! `routes::api`.

pub mod atoz;
pub mod config;
pub mod db;
pub mod demo_sftp;
pub mod error;
pub mod extract;
pub mod imaging;
pub mod knobs;
pub mod middleware;
pub mod routes;
pub mod seed;
pub mod serving;
pub mod sftp;
pub mod state;
pub mod store;
pub mod temp_dir;
pub mod text;
pub mod web_app;

pub use config::{Config, FailMode};
pub use error::ApiError;
pub use knobs::Knobs;
pub use serving::Serving;
pub use state::AppState;

use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The API at /api/v1 and the web app (or a note that it is not built) everywhere else.
pub fn app(state: AppState) -> Router {
    let web = web_app::web_app(state.app_dir.as_deref().map(|p| p.as_path()));
    Router::new().nest("/api/v1", routes::api(state)).merge(web)
}

/// A running sandbox. Dropping it (or `shutdown().await`) stops the server.
pub struct Sandbox {
    pub addr: SocketAddr,
    pub knobs: Arc<Knobs>,
    /// Where document files are kept (tests look at what arrived).
    pub atoz_dir: std::path::PathBuf,
    serving: Serving,
}

impl Sandbox {
    /// Opens (or creates and seeds) the database, binds, and serves on the current tokio
    /// runtime; returns once the port is listening.
    pub async fn start(config: Config) -> Result<Sandbox, BoxError> {
        let state = AppState::new(&config)?;
        let knobs = state.knobs.clone();
        let atoz_dir = state.atoz_dir.as_ref().clone();
        let listener = tokio::net::TcpListener::bind((config.bind, config.port))
            .await
            .map_err(|e| format!("cannot listen on {}:{}: {e}", config.bind, config.port))?;
        let addr = listener.local_addr()?;
        let serving = Serving::spawn(|stopped| async move {
            let _ = axum::serve(listener, app(state))
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Sandbox {
            addr,
            knobs,
            atoz_dir,
            serving,
        })
    }

    /// "http://127.0.0.1:PORT" (a loopback address when listening on all interfaces).
    pub fn url(&self) -> String {
        serving::local_url("http", self.addr)
    }

    pub fn api_url(&self) -> String {
        format!("{}/api/v1", self.url())
    }

    /// Stops accepting connections and waits (up to five seconds) for requests in progress.
    pub async fn shutdown(self) {
        self.serving.shutdown().await;
    }
}

/// Waits for Ctrl-C or SIGTERM (the binaries stop gracefully on either).
pub async fn stop_signal() {
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

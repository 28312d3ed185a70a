//! chairside-gateway: the office server that holds Open Dental's keys so no browser has to.
//!
//! It serves the built app, signs staff in (argon2id accounts in SQLite, an HttpOnly session
//! cookie), and forwards `/api/v1/*` to Open Dental with the keys added: endpoints in cascade
//! order, the Remote throttle shared fairly between sessions, every request audited. This is
//! the Backend-For-Frontend of the IETF draft "OAuth 2.0 for Browser-Based Applications".
//!
//! `app(state)` is the whole router (tests drive it with `oneshot`); `Gateway::start` serves
//! it over TCP, with TLS when configured.

pub mod accounts;
pub mod arrival;
pub mod audit;
pub mod auth;
pub mod cascade;
pub mod config;
pub mod cookies;
pub mod db;
pub mod error;
pub mod files_site;
pub mod idempotency;
pub mod incoming;
pub mod intake;
pub mod keys;
pub mod kiosk_api;
pub mod kiosks;
pub mod proxy;
pub mod security;
pub mod sessions;
pub mod state;
pub mod throttle;
pub mod thumbnails;
pub mod tls;
pub mod web_app;

use std::net::SocketAddr;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, delete, get, post, put};
use axum::Router;
use chairside_sandbox::serving::{local_url, Serving};

pub use config::Config;
pub use error::GatewayError;
pub use keys::Keys;
pub use state::{GatewayState, Options};

/// Every route, in one list.
pub fn app(state: GatewayState) -> Router {
    // Requests that count as activity need a live session: Open Dental's API, "stay signed in".
    let active = Router::new()
        .route("/api/v1/{*path}", any(proxy::forward))
        .route("/gateway/v1/documents/upload", post(proxy::upload_file))
        .route("/gateway/v1/session/refresh", post(auth::refresh))
        .route("/gateway/v1/documents/{doc_num}/file", get(files_site::document_file))
        .route("/gateway/v1/mounts/{mount_num}/image", get(files_site::mount_image))
        .route("/gateway/v1/kiosks", post(kiosks::pair).get(kiosks::list))
        .route("/gateway/v1/kiosks/{id}/setup", put(kiosks::put_setup))
        .route("/gateway/v1/kiosks/{id}", delete(kiosks::revoke))
        .route("/gateway/v1/kiosks/{id}/intakes", post(kiosks::send_intake))
        .route("/gateway/v1/intakes/{id}", get(kiosks::intake_status))
        .route("/gateway/v1/intakes/{id}/events", get(kiosks::intake_events))
        .route("/gateway/v1/intakes/{id}/cancel", post(kiosks::cancel_intake))
        .route(
            "/gateway/v1/mounts/{mount_num}/thumbnail",
            get(thumbnails::mount_thumbnail),
        )
        .route("/gateway/v1/mounts/{mount_num}/items", get(thumbnails::mount_items))
        .route(
            "/gateway/v1/patients/{pat_num}/thumbnails",
            get(thumbnails::patient_thumbnails),
        )
        .route_layer(from_fn_with_state(state.clone(), auth::require_session));
    // A paired kiosk's own narrow API: never Open Dental's.
    let kiosk = Router::new()
        .route("/gateway/v1/kiosk", get(kiosk_api::current))
        .route("/gateway/v1/kiosk/events", get(kiosk_api::events))
        .route("/gateway/v1/kiosk/intake/{id}/birthdate", post(kiosk_api::birthdate))
        .route("/gateway/v1/kiosk/intake/{id}/photos/{kind}", put(kiosk_api::photo))
        .route("/gateway/v1/kiosk/intake/{id}/steps/{kind}/skip", post(kiosk_api::skip))
        .route("/gateway/v1/kiosk/intake/{id}/finish", post(kiosk_api::finish))
        .route("/gateway/v1/kiosk/intake/{id}/abandon", post(kiosk_api::abandon))
        .route("/gateway/v1/kiosk/intake/{id}/activity", post(kiosk_api::activity))
        .route("/gateway/v1/kiosk/exit", post(kiosk_api::exit))
        .route("/gateway/v1/kiosk/intakes", post(kiosk_api::start_here))
        .route_layer(from_fn_with_state(state.clone(), kiosk_api::require_kiosk));
    // Looking at the queue needs a session but is not activity.
    let quiet = Router::new()
        .route("/gateway/v1/queue", get(auth::queue))
        .route_layer(from_fn_with_state(state.clone(), auth::require_session_quietly));
    let open = Router::new()
        .route("/gateway/v1/session", get(auth::session_status))
        .route("/gateway/v1/sign-in", post(auth::sign_in))
        .route("/gateway/v1/sign-out", post(auth::sign_out));
    Router::new()
        .merge(active)
        .merge(kiosk)
        .merge(quiet)
        .merge(open)
        .fallback(serve_app)
        .layer(from_fn(security::refuse_cross_origin))
        .layer(from_fn_with_state(state.clone(), security::client_and_headers))
        .with_state(state)
}

/// The app's files, and its own routes (which the app renders itself).
async fn serve_app(State(state): State<GatewayState>, req: Request) -> Response {
    let path = req.uri().path();
    if path.starts_with("/api/") || path.starts_with("/gateway/") {
        return GatewayError::NotFound(format!(
            "{} {path} is not a Chairside gateway or Open Dental API address.",
            req.method()
        ))
        .into_response();
    }
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return (StatusCode::METHOD_NOT_ALLOWED, "The app's pages can only be read.").into_response();
    }
    state.app.respond(path, req.headers())
}

/// A running gateway. Dropping it (or `shutdown().await`) stops the server.
pub struct Gateway {
    pub addr: SocketAddr,
    pub state: GatewayState,
    pub https: bool,
    serving: Serving,
}

impl Gateway {
    /// Binds `config.listen` (port 0 picks a free one) and serves on the current runtime.
    pub async fn start(config: Config, keys: Keys, options: Options) -> Result<Gateway, String> {
        let tls = config.tls.as_ref().map(tls::server_config).transpose()?;
        let listen = config.listen;
        let files_site = match &config.sftp {
            Some(site) => Some(files_site::FilesSite::start(site, &config.data_dir).await?),
            None => None,
        };
        let state = GatewayState::new(config, keys, options, files_site)?;
        // Kiosk intakes whose time is up end even when no kiosk asks, so staff see it.
        let weak = state.downgrade();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(kiosks::SWEEP_EVERY);
            loop {
                tick.tick().await;
                let Some(state) = GatewayState::upgrade(&weak) else {
                    break;
                };
                kiosks::sweep(&state);
            }
        });
        if !state.app.has_index() {
            state.log.line(format!(
                "{} has no index.html: build the app with `trunk build --release`",
                state.config.app_dir.display()
            ));
        }
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let router = app(state.clone());
        let https = tls.is_some();
        let serving = match tls {
            Some(tls) => Serving::spawn(|stopped| tls::serve(listener, tls, router, stopped)),
            None => Serving::spawn(|stopped| async move {
                let service = router.into_make_service_with_connect_info::<SocketAddr>();
                let _ = axum::serve(listener, service)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await;
            }),
        };
        Ok(Gateway {
            addr,
            state,
            https,
            serving,
        })
    }

    /// "http(s)://127.0.0.1:PORT" (a loopback address when listening on all interfaces).
    pub fn url(&self) -> String {
        local_url(if self.https { "https" } else { "http" }, self.addr)
    }

    /// Stops accepting connections and waits (up to five seconds) for requests in progress.
    pub async fn shutdown(self) {
        self.serving.shutdown().await;
    }
}

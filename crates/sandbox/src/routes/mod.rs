//! The /api/v1 router: every resource's routes, merged in one list, behind the shared
//! middleware. Their tables and demo data are in `seed` (`seed::TABLES`).

pub mod definitions;
pub mod documents;
pub mod documents_sftp;
pub mod patients;
pub mod providers;
pub mod treatment;

use crate::middleware::{self as mw, TRANSPORT_LIMIT_BYTES};
use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, Method, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::cors::{Any, CorsLayer};

/// The API as mounted at /api/v1. Paths inside are relative to it ("/patients").
pub fn api(state: AppState) -> Router {
    let router = Router::new()
        .merge(providers::routes())
        .merge(definitions::routes())
        .merge(patients::routes())
        .merge(documents::routes())
        .merge(documents_sftp::routes())
        .merge(treatment::routes());
    let middleware = ServiceBuilder::new()
        .layer(cors())
        .layer(from_fn_with_state(state.clone(), mw::record_request))
        .layer(from_fn_with_state(state.clone(), mw::add_latency))
        .layer(from_fn_with_state(state.clone(), mw::require_keys))
        .layer(from_fn_with_state(state.clone(), mw::throttle))
        .layer(from_fn_with_state(state.clone(), mw::inject_failures))
        .layer(from_fn(mw::limit_body))
        // Extractors after `limit_body` may read what it let through (axum's default is 2 MB).
        .layer(DefaultBodyLimit::max(TRANSPORT_LIMIT_BYTES))
        .layer(from_fn(mw::ensure_explanation));
    router
        .fallback(mw::no_such_method)
        // Open Dental answers an unknown method on a known path as an unknown resource.
        .method_not_allowed_fallback(mw::no_such_method)
        .layer(middleware)
        .with_state(state)
}

/// The app may be served from another origin (or opened from a file), so any origin may call.
/// Preflights are answered here, before the key check, and are not counted as requests.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE, Method::OPTIONS])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .max_age(Duration::from_secs(600))
}

/// 201 with `body` and a Location header naming the new document (Upload, SetByUrl,
/// UploadSftp).
pub(crate) fn created_document(doc_num: i64, body: impl serde::Serialize) -> Response {
    let location = format!("/api/v1/documents/{doc_num}");
    (StatusCode::CREATED, [(header::LOCATION, location)], Json(body)).into_response()
}

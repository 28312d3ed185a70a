//! Serving the built web app at "/" as a single-page app: files as they are (the precompressed
//! `.br` / `.gz` copies scripts/build-app writes, when the browser accepts them), and index.html
//! for any other path so deep links such as /patients/12 load the app, which then routes.

use crate::error::plain_text;
use axum::handler::HandlerWithoutStateExt;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::path::{Path, PathBuf};
use tower_http::services::ServeDir;

const NOT_BUILT: &str = "Chairside sandbox: the web app is not being served (start the sandbox with --app-dir \
                         pointing at the built app, e.g. dist/). The Open Dental API emulation is at /api/v1.";

/// Routes for everything outside /api/v1.
pub fn web_app(app_dir: Option<&Path>) -> Router {
    match app_dir {
        Some(dir) => {
            let index = dir.join("index.html");
            let deep_link = move |method: Method, uri: Uri| async move { serve_index(&index, &method, &uri).await };
            let files = ServeDir::new(dir)
                .precompressed_br()
                .precompressed_gzip()
                .call_fallback_on_method_not_allowed(true)
                .fallback(deep_link.into_service());
            Router::new().fallback_service(files)
        }
        None => Router::new().fallback(|uri: Uri| async move {
            let status = if uri.path() == "/" {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            plain_text(status, NOT_BUILT.into())
        }),
    }
}

async fn serve_index(index: &PathBuf, method: &Method, uri: &Uri) -> Response {
    let path = uri.path();
    if method != Method::GET && method != Method::HEAD {
        return plain_text(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("{method} is not allowed for {path}."),
        );
    }
    // A missing asset (it has an extension) or a mistyped API path is an error, not a deep link.
    let last_segment = path.rsplit('/').next().unwrap_or("");
    if last_segment.contains('.') || path.starts_with("/api/") {
        return plain_text(StatusCode::NOT_FOUND, format!("{path} was not found."));
    }
    match tokio::fs::read(index).await {
        Ok(html) => {
            let mut response = (StatusCode::OK, html).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            // The app's assets are hashed; the page naming them must be fetched fresh.
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            response
        }
        Err(e) => plain_text(
            StatusCode::NOT_FOUND,
            format!("The web app has no index.html ({e}); build it (trunk build) and restart the sandbox."),
        ),
    }
}

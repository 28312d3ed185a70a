//! What happens to every /api/v1 request around its handler, outermost first (see
//! `routes::api`): CORS, counting and logging, added latency, the ODFHIR key check, throttle
//! emulation, failure injection, the body limit, and a last guard that no failure leaves
//! without an explanation.

use crate::config::FailMode;
use crate::error::{plain_text, ApiError, ApiResult};
use crate::state::AppState;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use opendental::error::exceeds_body_limit;
use opendental::Credentials;
use std::io;

pub use opendental::error::MAX_BODY_BYTES as TRANSPORT_LIMIT_BYTES;

/// The customer key of an authorized request, for the throttle.
#[derive(Clone)]
struct CustomerKey(String);

/// Adds every request (CORS preflights never get here) to the knobs' log and count. Only the
/// method, path and query are kept; never headers, so never the keys.
pub async fn record_request(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let target = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
    state.knobs.record_request(format!("{} {target}", req.method()));
    next.run(req).await
}

pub async fn add_latency(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let latency = state.knobs.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    next.run(req).await
}

/// `Authorization: ODFHIR {DeveloperKey}/{CustomerKey}` must carry the configured keys.
/// Explanations say which part is wrong but never repeat what was sent.
pub async fn require_keys(State(state): State<AppState>, mut req: Request, next: Next) -> ApiResult<Response> {
    let header = req.headers().get(header::AUTHORIZATION).ok_or_else(|| {
        ApiError::Unauthorized(
            "The Authorization header is missing. Every request needs Authorization: ODFHIR {DeveloperKey}/{CustomerKey}."
                .into(),
        )
    })?;
    let keys = header
        .to_str()
        .ok()
        .and_then(Credentials::from_authorization)
        .ok_or_else(|| {
            ApiError::Unauthorized(
                "The Authorization header is malformed. It must be ODFHIR {DeveloperKey}/{CustomerKey}.".into(),
            )
        })?;
    if keys.developer_key != state.keys.developer_key {
        return Err(ApiError::Unauthorized(
            "Invalid developer key: it is unknown, unassigned, or has been disabled.".into(),
        ));
    }
    if keys.customer_key != state.keys.customer_key {
        return Err(ApiError::Unauthorized(
            "Invalid customer key: it is unknown, not assigned to this developer, or has been disabled.".into(),
        ));
    }
    req.extensions_mut().insert(CustomerKey(keys.customer_key));
    Ok(next.run(req).await)
}

/// Open Dental throttles remote requests per customer key; here they queue for their turn.
pub async fn throttle(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if state.knobs.throttle() {
        let key = req.extensions().get::<CustomerKey>().map_or("", |k| k.0.as_str());
        let turn = state.knobs.book_throttle_turn(key);
        tokio::time::sleep_until(turn).await;
    }
    next.run(req).await
}

/// Fails every Nth matching request as the knobs say. 500 and 504 answer without running the
/// handler; a drop runs it (its changes happen) and then cuts the connection.
pub async fn inject_failures(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let label = format!("{} {}", req.method(), req.uri().path());
    match state.knobs.failure_for(&label) {
        None => next.run(req).await,
        Some(FailMode::ServerError) => ApiError::Internal(
            "Injected failure: the sandbox was told to fail this request. Nothing was changed.".into(),
        )
        .into_response(),
        Some(FailMode::GatewayTimeout) => {
            ApiError::GatewayTimeout("The request did not complete within 60 seconds.".into()).into_response()
        }
        Some(FailMode::Drop) => cut_connection(next.run(req).await),
    }
}

/// The handler's answer with its body cut short: the status line, the headers and one byte go
/// out, then hyper closes the connection mid-body. The client sees a network error after the
/// server did the work. (Closing before any byte would not do: browsers silently re-send a
/// request whose reused connection closes before answering, POSTs included.)
fn cut_connection(response: Response) -> Response {
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let first_byte = futures_util::stream::once(async { Ok::<_, io::Error>(Bytes::from_static(b"{")) });
    // The pause lets hyper flush the headers and the byte before the error closes the socket.
    let then_fail = futures_util::stream::once(async {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        Err(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "injected connection drop",
        ))
    });
    let truncated = futures_util::StreamExt::chain(first_byte, then_fail);
    Response::from_parts(parts, Body::from_stream(truncated))
}

/// POST/PUT bodies over 16.8M characters are refused (apiimplementation.md, "Body"), before
/// any route sees them.
pub async fn limit_body(req: Request, next: Next) -> ApiResult<Response> {
    if !matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH) {
        return Ok(next.run(req).await);
    }
    let (parts, body) = req.into_parts();
    let mut bytes = Vec::with_capacity(body.size_hint().lower().min(TRANSPORT_LIMIT_BYTES as u64) as usize);
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| ApiError::bad_request(format!("The request body could not be read: {e}")))?;
        if bytes.len() + chunk.len() > TRANSPORT_LIMIT_BYTES {
            return Err(body_too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    if exceeds_body_limit(&bytes) {
        return Err(body_too_large());
    }
    Ok(next.run(Request::from_parts(parts, Body::from(bytes))).await)
}

fn body_too_large() -> ApiError {
    ApiError::bad_request(
        "The request body is too large: the JSON body can have a maximum content length of 16.8M characters.",
    )
}

/// A failure must always say why. Handlers do, but this catches anything else (an extractor
/// added later, a framework default) that would answer with an empty body.
pub async fn ensure_explanation(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    let failed = status.is_client_error() || status.is_server_error();
    if failed && response.body().size_hint().exact() == Some(0) {
        let reason = status.canonical_reason().unwrap_or("Request failed");
        return plain_text(status, format!("{reason} (the sandbox gave no further explanation)."));
    }
    response
}

pub async fn no_such_method(req: Request) -> ApiError {
    ApiError::not_found(format!(
        "{} {} is not an Open Dental API method this sandbox knows. Check the path and method.",
        req.method(),
        req.uri().path()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;
    use opendental::error::MAX_BODY_CHARS;

    #[test]
    fn characters_are_counted_not_bytes() {
        assert!(!exceeds_body_limit(b"abc"));
        // Over the limit in bytes but not in characters.
        assert!(!exceeds_body_limit("é".repeat(MAX_BODY_CHARS / 2 + 1).as_bytes()));
        assert!(!exceeds_body_limit("a".repeat(MAX_BODY_CHARS).as_bytes()));
        assert!(exceeds_body_limit("a".repeat(MAX_BODY_CHARS + 1).as_bytes()));
        assert_eq!(StatusCode::BAD_REQUEST, body_too_large().status());
    }
}

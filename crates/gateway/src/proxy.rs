//! `/api/v1/*` to Open Dental: the body limit checked first, the keys added, the browser's
//! cookies and Authorization left behind; endpoints tried in cascade order (a write moves on
//! only if it certainly never left); Remote requests take their throttle turn; the answer
//! comes back as Open Dental gave it, marked `no-store`; every request is audited.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use bytes::Bytes;
use futures_util::StreamExt;
use opendental::error::{exceeds_body_limit, MAX_BODY_BYTES, MAX_BODY_CHARS};

use crate::audit::{patient_of, AuditRow, BODY_WINDOW};
use crate::cascade::{may_fall_over, Endpoint, Failure};
use crate::error::GatewayError;
use crate::idempotency::{Answer, Answered, Attempt, Claim};
use crate::incoming::Incoming;
use crate::sessions::Session;
use crate::state::GatewayState;

pub const ENDPOINT_HEADER: &str = "x-chairside-endpoint";
const IDEMPOTENCY_HEADER: &str = "idempotency-key";
/// Failure bodies are short explanations; anything longer is cut to this.
const MAX_FAILURE_BODY: usize = 64 * 1024;

/// The SFTP methods, which make Open Dental connect to a host the request names.
const SFTP_METHODS: [&str; 4] = [
    "documents/UploadSftp",
    "documents/DownloadSftp",
    "documents/Thumbnails",
    "documents/DownloadMount",
];

pub async fn forward(
    State(state): State<GatewayState>,
    Extension(session): Extension<Session>,
    req: Request,
) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().strip_prefix("/api/v1/").unwrap_or_default().to_owned();
    let query = req.uri().query().map(str::to_owned);
    let idempotency_key = idempotency_key_of(req.headers());
    let body = {
        let (method, path, state) = (method.clone(), path.clone(), state.clone());
        async move {
            refuse_dot_segments(&path)?;
            take_body(&state, &method, &path, req).await
        }
    };
    relay(&state, &session, method, path, query, idempotency_key, body).await
}

/// POST /gateway/v1/documents/upload?meta={Upload as JSON, without RawBase64}: the file's own
/// bytes in, Documents POST Upload out. The browser sends the file as it is instead of building
/// a base64 body (which cost it most of the time from "upload" to the request leaving); the
/// gateway writes Open Dental's JSON and forwards it exactly as `/api/v1/documents/Upload`
/// would be (same audit, Idempotency-Key, thumbnails).
pub async fn upload_file(
    State(state): State<GatewayState>,
    Extension(session): Extension<Session>,
    Query(UploadMeta { meta }): Query<UploadMeta>,
    req: Request,
) -> Response {
    let idempotency_key = idempotency_key_of(req.headers());
    let body = async {
        let upload: opendental::documents::Upload = serde_json::from_str(&meta)
            .map_err(|e| GatewayError::BadRequest(format!("The upload's details could not be read: {e}")))?;
        let (prefix, suffix) = opendental::documents::upload_body_parts(&upload);
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let file = crate::kiosk_api::read_file_body(
            req.into_body(),
            declared,
            prefix.chars().count() + suffix.chars().count(),
            "This file",
        )
        .await?;
        Ok(Incoming::complete(crate::kiosk_api::upload_body(
            &prefix, &file, &suffix,
        )))
    };
    relay(
        &state,
        &session,
        Method::POST,
        "documents/Upload".into(),
        None,
        idempotency_key,
        body,
    )
    .await
}

/// The request's Idempotency-Key, if it has a usable one (8 to 200 characters).
fn idempotency_key_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get(IDEMPOTENCY_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|k| (8..=200).contains(&k.len()))
        .map(str::to_owned)
}

#[derive(serde::Deserialize)]
pub struct UploadMeta {
    meta: String,
}

/// Sends one request's body on to Open Dental and audits it: an upload with an
/// Idempotency-Key exactly once, the patient named, and the patient's thumbnails forgotten when
/// the request may have changed their images.
async fn relay(
    state: &GatewayState,
    session: &Session,
    method: Method,
    path: String,
    query: Option<String>,
    idempotency_key: Option<String>,
    body: impl std::future::Future<Output = Result<Incoming, GatewayError>>,
) -> Response {
    let started = Instant::now();
    let target = match &query {
        Some(q) => format!("{path}?{q}"),
        None => path.clone(),
    };
    let mut audit = AuditRow::begin(session, &state.keys.customer_id, method.as_str(), &target);
    let mut received = None;
    let outcome = async {
        let body = body.await?;
        received = Some(body.clone());
        let upload = method == Method::POST && path.eq_ignore_ascii_case("documents/Upload");
        match idempotency_key.filter(|_| upload) {
            Some(key) => send_once_per_key(state, session, &key, &method, &target, &body, &mut audit).await,
            None => send(state, session, &method, &target, &body, &mut audit).await,
        }
    }
    .await;
    let response = outcome.unwrap_or_else(IntoResponse::into_response);
    // The patient is looked up once the whole body is here (a streamed one may still have
    // been arriving when the answer came); a body that broke off names no one.
    if let Some(body) = received {
        let ends = body.ends(BODY_WINDOW).await.ok();
        audit.pat_num = ends.and_then(|b| patient_of(&path, query.as_deref(), &b));
    }
    // A refused request changed nothing; anything else may have changed the patient's images.
    if !response.status().is_client_error() {
        if let Some(pat_num) = changed_images_of(state, &method, &path, audit.pat_num) {
            state.thumbnails.invalidate(pat_num);
        }
    }
    audit.status = response.status().as_u16();
    audit.duration_ms = started.elapsed().as_millis() as u64;
    state.audit.record(audit);
    response
}

/// The patient whose thumbnails a request may have changed: an upload (Upload, UploadSftp,
/// SetByUrl) names the patient; an edit or delete (PUT, DELETE documents/{DocNum}) of a
/// document the thumbnails index holds, its patient (one it does not hold has no thumbnail).
fn changed_images_of(state: &GatewayState, method: &Method, path: &str, named: Option<i64>) -> Option<i64> {
    let mut segments = path.trim_matches('/').split('/');
    if !segments.next()?.eq_ignore_ascii_case("documents") {
        return None;
    }
    let second = segments.next()?;
    if segments.next().is_some() {
        return None;
    }
    if *method == Method::POST
        && ["Upload", "UploadSftp", "SetByUrl"]
            .iter()
            .any(|m| m.eq_ignore_ascii_case(second))
    {
        return named;
    }
    if matches!(*method, Method::PUT | Method::DELETE) {
        return state.thumbnails.owner_of(second.parse().ok()?);
    }
    None
}

/// The upstream address is the endpoint's base joined with this path, and URL parsing folds
/// `..` (also written `%2e%2e`): such a path could climb out of /api/v1 on the Open Dental
/// server with the keys attached. No API method has one.
fn refuse_dot_segments(path: &str) -> Result<(), GatewayError> {
    let dotty = path.split(['/', '\\']).any(|segment| {
        let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
        decoded == "." || decoded == ".."
    });
    if dotty
        || path.contains('\\')
        || path.to_ascii_lowercase().contains("%2f")
        || path.to_ascii_lowercase().contains("%5c")
    {
        return Err(GatewayError::BadRequest(
            "This address is not an Open Dental API method: it must not contain \".\" or \"..\" parts or encoded slashes."
                .into(),
        ));
    }
    Ok(())
}

/// The request's body: forwarded as it arrives when it may be, otherwise read in full (and
/// refused past the limit) and checked before anything is forwarded.
async fn take_body(state: &GatewayState, method: &Method, path: &str, req: Request) -> Result<Incoming, GatewayError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if let Some(len) = declared.filter(|&len| may_stream(method, path, len)) {
        return Ok(Incoming::read(req.into_body(), len));
    }
    let body = read_body(req.into_body(), declared).await?;
    check_request(state, method, path, &body)?;
    Ok(Incoming::complete(body))
}

/// Whether a body may go upstream before it has all arrived: its Content-Length proves it
/// within the character limit (a character takes at least one byte, and hyper holds the
/// client to that length), and the gateway need not look inside it first.
fn may_stream(method: &Method, path: &str, declared_len: usize) -> bool {
    declared_len <= MAX_BODY_CHARS && !inspected_before_forwarding(method, path)
}

/// Requests whose body `check_request` reads: SetByUrl and the SFTP methods (all small).
fn inspected_before_forwarding(method: &Method, path: &str) -> bool {
    *method == Method::POST && (path.eq_ignore_ascii_case("documents/SetByUrl") || is_sftp_method(path))
}

fn is_sftp_method(path: &str) -> bool {
    SFTP_METHODS.iter().any(|m| m.eq_ignore_ascii_case(path))
}

/// The whole body, refused (400, as Open Dental would) past 16.8M characters.
async fn read_body(body: Body, declared_len: Option<usize>) -> Result<Bytes, GatewayError> {
    let too_large = || {
        GatewayError::BadRequest(
            "The request body is too large: the JSON body can have a maximum content length of 16.8M characters."
                .into(),
        )
    };
    // Sized once from Content-Length: a 16 MB upload is not copied again and again as it grows.
    let mut bytes = Vec::with_capacity(declared_len.unwrap_or(0).min(MAX_BODY_BYTES));
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| unreadable_body(&e))?;
        if bytes.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    if exceeds_body_limit(&bytes) {
        return Err(too_large());
    }
    Ok(Bytes::from(bytes))
}

fn unreadable_body(why: &dyn std::fmt::Display) -> GatewayError {
    GatewayError::BadRequest(format!("The request body could not be read: {why}"))
}

/// Requests that would make Open Dental reach into the office network: SetByUrl with an
/// address inside it (loopback, private, link-local, metadata, credentials), and the SFTP
/// methods naming a host that is not on the administrator's list.
fn check_request(state: &GatewayState, method: &Method, path: &str, body: &[u8]) -> Result<(), GatewayError> {
    if !inspected_before_forwarding(method, path) {
        return Ok(());
    }
    if path.eq_ignore_ascii_case("documents/SetByUrl") {
        let url = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body)
            .ok()
            .and_then(|fields| {
                fields
                    .into_iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case("url"))
                    .and_then(|(_, v)| v.as_str().map(str::to_owned))
            });
        // A missing url is Open Dental's to explain; an address is checked here.
        if let Some(url) = url {
            opendental::fetchable::check_fetchable_url(&url).map_err(|why| {
                GatewayError::Forbidden(format!("Chairside did not pass this address to Open Dental: {why}"))
            })?;
        }
    }
    let allowed = &state.config.proxy.sftp_hosts;
    if !allowed.is_empty() && is_sftp_method(path) {
        let address = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|v| v.get("SftpAddress").and_then(|a| a.as_str()).map(str::to_owned))
            .unwrap_or_default();
        // A malformed address is Open Dental's to explain; only a named host is checked here.
        if let Ok(parsed) = opendental::sftp::SftpAddress::parse(&address) {
            if !allowed.iter().any(|h| h.eq_ignore_ascii_case(&parsed.host)) {
                return Err(GatewayError::Forbidden(format!(
                    "This office's Chairside gateway allows SFTP only to {}; {} is not one of them. Ask your administrator.",
                    allowed.join(", "),
                    parsed.host
                )));
            }
        }
    }
    Ok(())
}

/// An upload with an Idempotency-Key: a key already answered gets that answer again, and the
/// file is not sent twice. A new key is claimed at once, so the file streams upstream.
pub(crate) async fn send_once_per_key(
    state: &GatewayState,
    session: &Session,
    key: &str,
    method: &Method,
    target: &str,
    body: &Incoming,
    audit: &mut AuditRow,
) -> Result<Response, GatewayError> {
    let scoped = format!("{}:{key}", state.keys.customer_id);
    let attempt = match state.idempotency.claim(&scoped, Instant::now()).await {
        Claim::Answered(answered) => return replay(answered, body, audit).await,
        Claim::Send(attempt) => attempt,
    };
    // The last attempt with this key may have been saved: look before sending it again.
    if let Some(unsure) = state.unsure.take(&scoped) {
        let whole = body.whole().await.map_err(|e| unreadable_body(&e.0))?;
        if crate::idempotency::fingerprint(&whole) == unsure {
            let claimed = state
                .idempotency
                .answered_doc_nums(&format!("{}:", state.keys.customer_id));
            let arrived = crate::arrival::find_arrived(state, session, &whole, &claimed, audit).await;
            match arrived {
                Ok(Some(answer)) => {
                    state
                        .idempotency
                        .settle(attempt, Some((unsure, answer.clone())), Instant::now());
                    let mut response = answer_response(&answer);
                    response
                        .headers_mut()
                        .insert("idempotent-replayed", HeaderValue::from_static("found"));
                    return Ok(response);
                }
                Ok(None) => {}
                Err(e) => {
                    // Still unsure, and nothing sent: the next retry looks again.
                    state.unsure.remember(&scoped, unsure);
                    return Err(e);
                }
            }
        }
    }
    match send(state, session, method, target, body, audit).await {
        Ok(response) => {
            let (parts, answer_body) = response.into_parts();
            let bytes = axum::body::to_bytes(answer_body, MAX_FAILURE_BODY * 16).await;
            let Ok(bytes) = bytes else {
                remember_unsure(state, &scoped, body).await;
                state.idempotency.settle(attempt, None, Instant::now());
                return Err(GatewayError::OutcomeUnknown {
                    status: StatusCode::BAD_GATEWAY,
                    message: "Open Dental's answer to this upload broke off, so Chairside cannot tell whether it was \
                              saved. Check the patient's documents before trying again."
                        .into(),
                });
            };
            if parts.status.is_server_error() {
                remember_unsure(state, &scoped, body).await;
            }
            let answer = Answer {
                status: parts.status.as_u16(),
                content_type: header_string(&parts.headers, header::CONTENT_TYPE),
                location: header_string(&parts.headers, header::LOCATION),
                body: bytes.clone(),
            };
            settle_when_fingerprinted(state, attempt, answer, body);
            Ok(Response::from_parts(parts, Body::from(bytes)))
        }
        Err(e) => {
            if matches!(e, GatewayError::OutcomeUnknown { .. }) {
                remember_unsure(state, &scoped, body).await;
            }
            state.idempotency.settle(attempt, None, Instant::now());
            Err(e)
        }
    }
}

/// A 5xx or a broken answer: Open Dental may have saved it. A retry with this key will look.
async fn remember_unsure(state: &GatewayState, scoped_key: &str, body: &Incoming) {
    if let Ok(print) = body.fingerprint().await {
        state.unsure.remember(scoped_key, print);
    }
}

/// Keeps the answer with the fingerprint of the complete body, which retries must match. The
/// hashing is left out of the answer's way; a retry meanwhile waits for the settle.
fn settle_when_fingerprinted(state: &GatewayState, attempt: Attempt, answer: Answer, body: &Incoming) {
    let (state, body) = (state.clone(), body.clone());
    tokio::spawn(async move {
        let kept = body.fingerprint().await.ok().map(|print| (print, answer));
        state.idempotency.settle(attempt, kept, Instant::now());
    });
}

/// A key already answered: the same body gets the kept answer again; a different one is
/// refused. Either way the whole body is needed first, and nothing goes upstream.
async fn replay(answered: Answered, body: &Incoming, audit: &mut AuditRow) -> Result<Response, GatewayError> {
    let print = body.fingerprint().await.map_err(|e| unreadable_body(&e.0))?;
    let Some(answer) = answered.replay_for(&print) else {
        return Err(GatewayError::BadRequest(
            "This upload reused the Idempotency-Key of a different upload, so it was not sent.".into(),
        ));
    };
    audit.endpoint = "(replayed)".into();
    let mut response = answer_response(&answer);
    response
        .headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    Ok(response)
}

fn header_string(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

fn answer_response(answer: &Answer) -> Response {
    let mut headers = HeaderMap::new();
    for (name, value) in [
        (header::CONTENT_TYPE, &answer.content_type),
        (header::LOCATION, &answer.location),
    ] {
        if let Some(v) = value.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
            headers.insert(name, v);
        }
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    (status, headers, Body::from(answer.body.clone())).into_response()
}

/// Tries the endpoints in cascade order.
pub(crate) async fn send(
    state: &GatewayState,
    session: &Session,
    method: &Method,
    target: &str,
    body: &Incoming,
    audit: &mut AuditRow,
) -> Result<Response, GatewayError> {
    let is_read = matches!(*method, Method::GET | Method::HEAD);
    let mut tried = Vec::new();
    for index in state.endpoints.order(Instant::now()) {
        let endpoint = &state.endpoints.list[index];
        audit.endpoint = endpoint.label();
        // Throttled endpoints take a turn in the customer key's queue; the others a slot.
        let slot = if endpoint.config.is_throttled() {
            state.throttle.turn(&state.keys.customer_id, &session.id).await;
            None
        } else {
            Some(
                state
                    .local_slots
                    .clone()
                    .acquire_owned()
                    .await
                    .map_err(|_| GatewayError::Internal("The gateway is shutting down.".into()))?,
            )
        };
        match attempt(state, endpoint, method, target, body, is_read).await {
            Ok(upstream) => {
                state.endpoints.mark_ok(index);
                return Ok(respond(state, endpoint, upstream, slot).await);
            }
            Err((failure, detail)) => {
                // The client's body broke off, so the attempt was abandoned unfinished: not
                // Open Dental's fault, and nothing complete reached it.
                if let Some(why) = body.broken_off() {
                    return Err(unreadable_body(&why.0));
                }
                state.endpoints.mark_failed(index, Instant::now());
                state.log.line(format!(
                    "{} {}: {method} {target} failed: {detail}",
                    endpoint.label(),
                    endpoint.base_url
                ));
                if !may_fall_over(is_read, failure) {
                    return Err(unknown_outcome(endpoint, failure, state));
                }
                tried.push(format!("{} ({detail})", endpoint.label()));
            }
        }
    }
    Err(GatewayError::Unreachable(format!(
        "Open Dental could not be reached: tried {}. Nothing was changed; try again in a moment, and if this \
         goes on, check that the office's Open Dental API service is running.",
        tried.join(", then ")
    )))
}

fn unknown_outcome(endpoint: &Endpoint, failure: Failure, state: &GatewayState) -> GatewayError {
    match failure {
        Failure::Timeout => GatewayError::OutcomeUnknown {
            status: StatusCode::GATEWAY_TIMEOUT,
            message: format!(
                "Open Dental ({}) did not answer within {} seconds. It may still have saved this: check before \
                 trying again.",
                endpoint.label(),
                state.config.cascade.read_timeout_ms / 1000
            ),
        },
        _ => GatewayError::OutcomeUnknown {
            status: StatusCode::BAD_GATEWAY,
            message: format!(
                "The connection to Open Dental ({}) broke before it answered, so Chairside cannot tell whether this \
                 was saved. It may have been: check before trying again.",
                endpoint.label()
            ),
        },
    }
}

/// One try at one endpoint, up to the answer's headers.
async fn attempt(
    state: &GatewayState,
    endpoint: &Endpoint,
    method: &Method,
    target: &str,
    body: &Incoming,
    is_read: bool,
) -> Result<reqwest::Response, (Failure, String)> {
    let url = format!("{}/{target}", endpoint.base_url);
    let mut request = state
        .http
        .request(method.clone(), &url)
        .header(header::AUTHORIZATION, state.keys.authorization())
        .header(header::CONTENT_TYPE, "application/json");
    if !is_read {
        // Each attempt replays the body from its first byte, so after a refused connection
        // the next endpoint gets all of it; the length is known, so it is not sent chunked.
        request = request
            .header(header::CONTENT_LENGTH, body.byte_len())
            .body(reqwest::Body::wrap_stream(body.replay()));
    }
    let timeout = Duration::from_millis(state.config.cascade.read_timeout_ms);
    let answer = tokio::select! {
        answer = request.send() => answer,
        () = answer_deadline(body, timeout) => {
            return Err((Failure::Timeout, format!("no answer within {} ms", timeout.as_millis())))
        }
    };
    match answer {
        Err(e) => {
            let failure = if e.is_connect() {
                Failure::Connect
            } else if e.is_timeout() {
                Failure::Timeout
            } else {
                Failure::Broken
            };
            Err((failure, describe(&e)))
        }
        Ok(response) => Ok(response),
    }
}

/// Open Dental's time to answer counts from when the whole body has arrived: a client's
/// slow upload is not Open Dental being slow.
async fn answer_deadline(body: &Incoming, timeout: Duration) {
    let _ = body.finished().await;
    tokio::time::sleep(timeout).await;
}

/// The innermost cause ("Connection refused (os error 111)"), which says the most.
fn describe(e: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    let text = cause.to_string();
    if e.is_connect() && !text.to_lowercase().contains("connect") {
        format!("could not connect: {text}")
    } else {
        text
    }
}

/// Open Dental's answer for the browser: its status and explanation unchanged (keys scrubbed
/// should a server ever echo them), only the headers the app needs, never cached.
async fn respond(
    state: &GatewayState,
    endpoint: &Endpoint,
    upstream: reqwest::Response,
    slot: Option<tokio::sync::OwnedSemaphorePermit>,
) -> Response {
    let status = upstream.status();
    let mut headers = HeaderMap::new();
    for name in [header::CONTENT_TYPE, header::LOCATION, header::RETRY_AFTER] {
        if let Some(value) = upstream.headers().get(&name) {
            headers.insert(name, value.clone());
        }
    }
    if let Ok(label) = HeaderValue::from_str(&endpoint.label()) {
        headers.insert(ENDPOINT_HEADER, label);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if !status.is_success() {
        let text = match upstream.bytes().await {
            Ok(bytes) => String::from_utf8_lossy(&bytes[..bytes.len().min(MAX_FAILURE_BODY)]).into_owned(),
            Err(e) => format!("(the explanation broke off: {})", describe(&e)),
        };
        headers.remove(header::CONTENT_LENGTH);
        return (status, headers, state.log.scrub(&text)).into_response();
    }
    // The slot is held until the answer has been passed on in full.
    let stream = upstream.bytes_stream().map(move |chunk| {
        let _held = &slot;
        chunk
    });
    (status, headers, Body::from_stream(stream)).into_response()
}

//! A patient's thumbnails for the documents screen, from ONE Documents POST Thumbnails call
//! into a one-use folder on the gateway's SFTP site, answered as one JSON (each 100×100 image
//! base64 inside), so a browser gets 300 previews in one response and decodes only those on
//! screen. The answer is kept per patient until an upload, edit or delete through the gateway
//! for that patient (`invalidate`, which proxy.rs calls and the kiosk may call) or
//! [`KEEP_FOR`], whichever comes first; the browser never keeps it (`no-store`).
//!
//! Mounts are not in Open Dental's thumbnails: a mount's tile is its composite (DownloadSftp
//! with MountNum) made small here, kept the same way. A mount's images one by one come from
//! DownloadMount. The index also tells the document-file route whose document it is serving,
//! so viewing an image needs no extra Open Dental call to audit the patient.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use base64::Engine;
use bytes::Bytes;
use opendental::sftp::{SftpFile, SftpFiles};
use serde::Serialize;

use crate::audit::AuditRow;
use crate::error::GatewayError;
use crate::files_site::written_files;
use crate::sessions::Session;
use crate::state::GatewayState;

/// How long a patient's thumbnails are kept without a change through the gateway (a change
/// made in Open Dental itself shows after this).
pub const KEEP_FOR: Duration = Duration::from_secs(10 * 60);
/// Patients whose thumbnails are kept at once (a few MB each at most); the oldest goes first.
const MAX_PATIENTS: usize = 64;
/// A mount's tile: its composite scaled to fit this square.
const TILE: u32 = 100;

/// One thumbnail as the browser gets it.
#[derive(Serialize)]
struct Thumb<'a> {
    #[serde(rename = "DocNum")]
    doc_num: i64,
    #[serde(rename = "FileName")]
    file_name: &'a str,
    #[serde(rename = "ContentType")]
    content_type: &'static str,
    /// The image, base64.
    #[serde(rename = "Data")]
    data: String,
}

struct Entry {
    made: Instant,
    /// The JSON the browser gets, made once.
    json: Bytes,
    docs: Vec<i64>,
}

#[derive(Default)]
struct Kept {
    patients: HashMap<i64, Entry>,
    /// Bumped by every invalidation, so a Thumbnails call that was under way when the patient's
    /// documents changed does not keep what it brought.
    generation: HashMap<i64, u64>,
    /// Documents whose patient the gateway knows (from thumbnails and looked-up views).
    owners: HashMap<i64, i64>,
    mounts: HashMap<i64, (Instant, Bytes)>,
}

#[derive(Default)]
pub struct ThumbnailCache {
    kept: Mutex<Kept>,
    /// One Thumbnails call per patient at a time: a second request waits for the first's.
    filling: Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>,
}

impl ThumbnailCache {
    /// Forgets the patient's thumbnails (and every mount tile, which are few): the next
    /// documents screen asks Open Dental again. Called after an upload, edit or delete.
    pub fn invalidate(&self, pat_num: i64) {
        let mut kept = self.kept.lock().unwrap();
        kept.patients.remove(&pat_num);
        *kept.generation.entry(pat_num).or_default() += 1;
        kept.mounts.clear();
    }

    /// The patient a document belongs to, if the gateway has seen it.
    pub fn owner_of(&self, doc_num: i64) -> Option<i64> {
        self.kept.lock().unwrap().owners.get(&doc_num).copied()
    }

    pub(crate) fn remember_owner(&self, doc_num: i64, pat_num: i64) {
        let mut kept = self.kept.lock().unwrap();
        if kept.owners.len() > 100_000 {
            kept.owners.clear();
        }
        kept.owners.insert(doc_num, pat_num);
    }

    /// Whether the patient's thumbnails are kept now (tests).
    pub fn is_kept(&self, pat_num: i64) -> bool {
        self.fresh(pat_num).is_some()
    }

    fn fresh(&self, pat_num: i64) -> Option<Bytes> {
        let kept = self.kept.lock().unwrap();
        kept.patients
            .get(&pat_num)
            .filter(|e| e.made.elapsed() < KEEP_FOR)
            .map(|e| e.json.clone())
    }

    fn generation(&self, pat_num: i64) -> u64 {
        self.kept.lock().unwrap().generation.get(&pat_num).copied().unwrap_or(0)
    }

    fn keep(&self, pat_num: i64, generation: u64, json: Bytes, docs: Vec<i64>) {
        let mut kept = self.kept.lock().unwrap();
        if kept.generation.get(&pat_num).copied().unwrap_or(0) != generation {
            return;
        }
        for &doc in &docs {
            kept.owners.insert(doc, pat_num);
        }
        kept.patients.retain(|_, e| e.made.elapsed() < KEEP_FOR);
        if kept.patients.len() >= MAX_PATIENTS {
            if let Some(oldest) = kept.patients.iter().min_by_key(|(_, e)| e.made).map(|(p, _)| *p) {
                kept.patients.remove(&oldest);
            }
        }
        kept.patients.insert(
            pat_num,
            Entry {
                made: Instant::now(),
                json,
                docs,
            },
        );
    }

    fn filling(&self, pat_num: i64) -> Arc<tokio::sync::Mutex<()>> {
        let mut filling = self.filling.lock().unwrap();
        filling.retain(|_, lock| Arc::strong_count(lock) > 1);
        filling.entry(pat_num).or_default().clone()
    }

    fn mount_tile(&self, mount_num: i64) -> Option<Bytes> {
        let kept = self.kept.lock().unwrap();
        kept.mounts
            .get(&mount_num)
            .filter(|(made, _)| made.elapsed() < KEEP_FOR)
            .map(|(_, b)| b.clone())
    }

    fn keep_mount_tile(&self, mount_num: i64, tile: Bytes) {
        let mut kept = self.kept.lock().unwrap();
        kept.mounts.retain(|_, (made, _)| made.elapsed() < KEEP_FOR);
        kept.mounts.insert(mount_num, (Instant::now(), tile));
    }

    /// The documents in the patient's kept thumbnails (tests).
    pub fn kept_documents(&self, pat_num: i64) -> Vec<i64> {
        let kept = self.kept.lock().unwrap();
        kept.patients.get(&pat_num).map(|e| e.docs.clone()).unwrap_or_default()
    }
}

/// GET /gateway/v1/patients/{PatNum}/thumbnails:
/// `{"PatNum": 1, "Thumbnails": [{"DocNum", "FileName", "ContentType", "Data" (base64)}]}`.
pub async fn patient_thumbnails(
    State(state): State<GatewayState>,
    Extension(session): Extension<Session>,
    UrlPath(pat_num): UrlPath<i64>,
) -> Response {
    if let Some(json) = state.thumbnails.fresh(pat_num) {
        return json_response(json, "kept");
    }
    let lock = state.thumbnails.filling(pat_num);
    let _one_at_a_time = lock.lock().await;
    // Another request may have brought them while this one waited.
    if let Some(json) = state.thumbnails.fresh(pat_num) {
        return json_response(json, "kept");
    }
    let generation = state.thumbnails.generation(pat_num);
    let started = Instant::now();
    let mut audit = AuditRow::begin(
        &session,
        &state.keys.customer_id,
        "POST",
        &format!("documents/Thumbnails (patient {pat_num})"),
    );
    audit.pat_num = Some(pat_num);
    let response = match fetch_thumbnails(&state, &session, pat_num, &mut audit).await {
        Ok(Ok((json, docs))) => {
            state.thumbnails.keep(pat_num, generation, json.clone(), docs);
            json_response(json, "fetched")
        }
        Ok(Err(refusal)) => refusal,
        Err(e) => e.into_response(),
    };
    audit.status = response.status().as_u16();
    audit.duration_ms = started.elapsed().as_millis() as u64;
    state.audit.record(audit);
    response
}

fn json_response(json: Bytes, source: &'static str) -> Response {
    let mut response = (StatusCode::OK, Body::from(json)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-chairside-thumbnails", HeaderValue::from_static(source));
    response
}

async fn fetch_thumbnails(
    state: &GatewayState,
    session: &Session,
    pat_num: i64,
    audit: &mut AuditRow,
) -> Result<Result<(Bytes, Vec<i64>), Response>, GatewayError> {
    let (answer, files) = match written_files(state, session, "documents/Thumbnails", "PatNum", pat_num, audit).await? {
        Ok(written) => written,
        Err(refusal) if refusal.status() == StatusCode::NOT_FOUND => {
            // "No documents exist for this patient" is an empty grid; "Patient not found" is not.
            let (parts, body) = refusal.into_parts();
            let text = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
            if String::from_utf8_lossy(&text).contains("No documents") {
                return Ok(Ok((thumbnails_json(pat_num, &[], &[]), Vec::new())));
            }
            return Ok(Err(Response::from_parts(parts, Body::from(text))));
        }
        Err(refusal) => return Ok(Err(refusal)),
    };
    let listed = match serde_json::from_slice::<SftpFiles>(&answer) {
        Ok(SftpFiles::Written(files)) => files,
        // "No documents could be made into thumbnails."
        Ok(SftpFiles::Nothing(_)) => Vec::new(),
        Err(_) => {
            return Err(GatewayError::Unreachable(
                "Open Dental's answer to Thumbnails was not the list of files it wrote.".into(),
            ))
        }
    };
    let docs = listed.iter().map(|f| f.doc_num).collect();
    Ok(Ok((thumbnails_json(pat_num, &listed, &files), docs)))
}

/// The browser's JSON: each listed file that arrived, under its DocNum.
fn thumbnails_json(pat_num: i64, listed: &[SftpFile], files: &[(String, Vec<u8>)]) -> Bytes {
    let thumbs: Vec<Thumb> = listed
        .iter()
        .filter_map(|f| {
            let (name, bytes) = files.iter().find(|(name, _)| name == &f.file_name)?;
            Some(Thumb {
                doc_num: f.doc_num,
                file_name: name,
                content_type: crate::web_app::content_type(name),
                data: base64::engine::general_purpose::STANDARD.encode(bytes),
            })
        })
        .collect();
    Bytes::from(
        serde_json::json!({ "PatNum": pat_num, "Thumbnails": thumbs })
            .to_string()
            .into_bytes(),
    )
}

/// GET /gateway/v1/mounts/{MountNum}/thumbnail: the mount's composite made small (JPEG).
pub async fn mount_thumbnail(
    State(state): State<GatewayState>,
    Extension(session): Extension<Session>,
    UrlPath(mount_num): UrlPath<i64>,
) -> Response {
    if let Some(tile) = state.thumbnails.mount_tile(mount_num) {
        return image_response(tile, "image/jpeg");
    }
    let started = Instant::now();
    let mut audit = AuditRow::begin(
        &session,
        &state.keys.customer_id,
        "POST",
        &format!("documents/DownloadSftp (mount {mount_num}, its tile)"),
    );
    let response = match crate::files_site::download(&state, &session, "MountNum", mount_num, &mut audit).await {
        Ok(Ok((_, composite))) => match tokio::task::spawn_blocking(move || small_jpeg(&composite)).await {
            Ok(Ok(tile)) => {
                let tile = Bytes::from(tile);
                state.thumbnails.keep_mount_tile(mount_num, tile.clone());
                image_response(tile, "image/jpeg")
            }
            _ => GatewayError::Unreachable("Open Dental's composite image of this mount could not be read.".into())
                .into_response(),
        },
        Ok(Err(refusal)) => refusal,
        Err(e) => e.into_response(),
    };
    audit.status = response.status().as_u16();
    audit.duration_ms = started.elapsed().as_millis() as u64;
    state.audit.record(audit);
    response
}

fn small_jpeg(image: &[u8]) -> Result<Vec<u8>, image::ImageError> {
    let small = image::load_from_memory(image)?.thumbnail(TILE, TILE).to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).encode_image(&small)?;
    Ok(out)
}

pub(crate) fn image_response(bytes: Bytes, content_type: &'static str) -> Response {
    let mut response = (StatusCode::OK, Body::from(bytes)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// GET /gateway/v1/mounts/{MountNum}/items: each image of the mount (DownloadMount), as
/// `{"MountNum", "Items": [{"DocNum", "FileName", "ContentType", "Data"}]}`, to view one by one.
pub async fn mount_items(
    State(state): State<GatewayState>,
    Extension(session): Extension<Session>,
    UrlPath(mount_num): UrlPath<i64>,
) -> Response {
    let started = Instant::now();
    let mut audit = AuditRow::begin(
        &session,
        &state.keys.customer_id,
        "POST",
        &format!("documents/DownloadMount (mount {mount_num}, to view)"),
    );
    let response = match written_files(
        &state,
        &session,
        "documents/DownloadMount",
        "MountNum",
        mount_num,
        &mut audit,
    )
    .await
    {
        Ok(Ok((answer, files))) => {
            let listed = match serde_json::from_slice::<SftpFiles>(&answer) {
                Ok(SftpFiles::Written(listed)) => listed,
                _ => Vec::new(),
            };
            let items: Vec<Thumb> = listed
                .iter()
                .filter_map(|f| {
                    let (name, bytes) = files.iter().find(|(name, _)| name == &f.file_name)?;
                    Some(Thumb {
                        doc_num: f.doc_num,
                        file_name: name,
                        content_type: crate::web_app::content_type(name),
                        data: base64::engine::general_purpose::STANDARD.encode(bytes),
                    })
                })
                .collect();
            audit.path = format!(
                "documents/DownloadMount (mount {mount_num}, to view: documents {})",
                items
                    .iter()
                    .map(|i| i.doc_num.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            audit.pat_num = items.iter().find_map(|i| state.thumbnails.owner_of(i.doc_num));
            let json = serde_json::json!({ "MountNum": mount_num, "Items": items }).to_string();
            let mut response = json_response(Bytes::from(json), "fetched");
            response.headers_mut().remove("x-chairside-thumbnails");
            response
        }
        Ok(Err(refusal)) => refusal,
        Err(e) => e.into_response(),
    };
    audit.status = response.status().as_u16();
    audit.duration_ms = started.elapsed().as_millis() as u64;
    state.audit.record(audit);
    response
}

/// The patient of a document from Documents GET (single), for the audit of a view the gateway
/// could not place from its index; remembered, so it is asked once per document.
pub(crate) async fn look_up_owner(state: &GatewayState, session: &Session, doc_num: i64) -> Option<i64> {
    if let Some(owner) = state.thumbnails.owner_of(doc_num) {
        return Some(owner);
    }
    let mut scratch = AuditRow::begin(session, &state.keys.customer_id, "GET", &format!("documents/{doc_num}"));
    let answer = crate::proxy::send(
        state,
        session,
        &axum::http::Method::GET,
        &format!("documents/{doc_num}"),
        &crate::incoming::Incoming::complete(Bytes::new()),
        &mut scratch,
    )
    .await
    .ok()?;
    if !answer.status().is_success() {
        return None;
    }
    let body = axum::body::to_bytes(answer.into_body(), 1024 * 1024).await.ok()?;
    let value: serde_json::Value = serde_json::from_slice(&body).ok()?;
    let pat_num = match &value["PatNum"] {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }?;
    state.thumbnails.remember_owner(doc_num, pat_num);
    Some(pat_num)
}

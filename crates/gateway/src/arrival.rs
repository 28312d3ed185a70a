//! Did an upload arrive whose outcome the gateway could not learn? When the connection broke
//! after an upload had gone, or Open Dental answered 5xx, it may have saved the file or not.
//! A retry with the same Idempotency-Key then looks before it sends: among the patient's
//! documents that agree with every field the upload sent (`opendental::upload_check`), and
//! that no other upload through this gateway was answered with, one whose file has the same
//! content (fetched through the gateway's own SFTP site) is the upload's own.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::http::Method;
use base64::Engine;
use bytes::Bytes;
use opendental::documents::{DocumentListItem, Upload};
use opendental::upload_check::listed_candidates;
use sha2::{Digest, Sha256};

use crate::audit::AuditRow;
use crate::error::GatewayError;
use crate::idempotency::Answer;
use crate::incoming::Incoming;
use crate::sessions::Session;
use crate::state::GatewayState;

/// Keys whose last attempt's outcome is unknown, with the fingerprint of that attempt's body.
#[derive(Default)]
pub struct Unsure(Mutex<HashMap<String, [u8; 32]>>);

impl Unsure {
    pub fn remember(&self, key: &str, fingerprint: [u8; 32]) {
        self.0.lock().unwrap().insert(key.to_owned(), fingerprint);
    }

    /// The fingerprint of the unsure attempt with this key, forgotten as it is taken.
    pub fn take(&self, key: &str) -> Option<[u8; 32]> {
        self.0.lock().unwrap().remove(key)
    }
}

/// Open Dental's page size for lists (apiimplementation.md).
const PAGE: usize = 100;

/// The answer Upload would have given for `body`, if Open Dental already has a document with
/// the same fields and the same file; `None` when it has none (or the gateway cannot look: no
/// SFTP site of its own, or a body that is not an upload).
pub async fn find_arrived(
    state: &GatewayState,
    session: &Session,
    body: &Bytes,
    claimed: &[i64],
    audit: &mut AuditRow,
) -> Result<Option<Answer>, GatewayError> {
    if state.files_site.is_none() {
        return Ok(None);
    }
    let Ok(upload) = serde_json::from_slice::<Upload>(body) else {
        return Ok(None);
    };
    let Ok(content) = base64::engine::general_purpose::STANDARD.decode(upload.raw_base64.trim()) else {
        return Ok(None);
    };
    let content_hash = Sha256::digest(&content);
    let listed = list_documents(state, session, upload.pat_num, audit).await?;
    for doc_num in listed_candidates(&upload, &listed, 0, claimed) {
        let file = crate::files_site::download(state, session, "DocNum", doc_num, audit).await?;
        let Ok((_, bytes)) = file else { continue };
        if Sha256::digest(&bytes) == content_hash {
            let single = get(state, session, &format!("documents/{doc_num}"), audit).await?;
            return Ok(Some(Answer {
                status: 201,
                content_type: Some("application/json".into()),
                location: None,
                body: single,
            }));
        }
    }
    Ok(None)
}

/// Every document and mount of the patient, page by page.
async fn list_documents(
    state: &GatewayState,
    session: &Session,
    pat_num: i64,
    audit: &mut AuditRow,
) -> Result<Vec<DocumentListItem>, GatewayError> {
    let mut all = Vec::new();
    loop {
        let page = get(
            state,
            session,
            &format!("documents?PatNum={pat_num}&Offset={}", all.len()),
            audit,
        )
        .await?;
        let items: Vec<DocumentListItem> = serde_json::from_slice(&page)
            .map_err(|e| GatewayError::Unreachable(format!("Open Dental's list of documents was not readable: {e}")))?;
        let short = items.len() < PAGE;
        all.extend(items);
        if short {
            return Ok(all);
        }
    }
}

/// A GET through the cascade; anything but 2xx is an error saying what Open Dental said.
async fn get(
    state: &GatewayState,
    session: &Session,
    target: &str,
    audit: &mut AuditRow,
) -> Result<Bytes, GatewayError> {
    let response = crate::proxy::send(
        state,
        session,
        &Method::GET,
        target,
        &Incoming::complete(Bytes::new()),
        audit,
    )
    .await?;
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 64 * 1024 * 1024)
        .await
        .map_err(|e| GatewayError::Unreachable(format!("Open Dental's answer broke off: {e}")))?;
    if !status.is_success() {
        return Err(GatewayError::Unreachable(format!(
            "Chairside could not check whether the earlier attempt arrived: Open Dental answered {status}: {}",
            String::from_utf8_lossy(&body[..body.len().min(600)])
        )));
    }
    Ok(body)
}

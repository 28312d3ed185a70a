//! Documents POST Upload from the browser: the body built from the file without a copy in
//! wasm where the browser can, sent with XMLHttpRequest for its progress, named by an
//! Idempotency-Key; and, when its outcome is unknown, the check that finds what it created.

use std::rc::Rc;

use opendental::{
    documents::{base64_len, upload_body_parts, Document, Upload},
    error::MAX_BODY_CHARS,
    query::Query,
    upload_check, ApiError,
};

use super::{through_gateway, transport::UploadCancel, xhr_send, Auth, Client, REQUEST_QUEUE};
use crate::files;
use crate::gateway::hub;

impl Client {
    /// POST Upload of `file`. The size limit is checked from the file's size before anything is
    /// sent. Behind the gateway the file goes as it is, with its details in the address, and the
    /// gateway writes Open Dental's JSON (`/gateway/v1/documents/upload`): the browser builds no
    /// base64 body, which took most of the time from "upload" to the request leaving. Direct,
    /// the body is built by the browser's own base64 or a slice at a time in wasm (see
    /// `files::encode_to_blob`). Either way it goes with XMLHttpRequest, because fetch reports
    /// no upload progress: `on_progress(sent, total)`. `idempotency_key` names the upload: the
    /// same for every try of it (see `idempotency_key`).
    pub async fn upload_document(
        &self,
        meta: &Upload,
        file: &web_sys::Blob,
        idempotency_key: &str,
        on_progress: impl Fn(f64, f64) + 'static,
        cancel: &UploadCancel,
    ) -> Result<Document, ApiError> {
        let (prefix, suffix) = upload_body_parts(meta);
        let chars = prefix.chars().count() + base64_len(file.size() as usize) + suffix.chars().count();
        if chars > MAX_BODY_CHARS {
            return Err(ApiError::BodyTooLarge { chars });
        }
        let on_progress: Rc<dyn Fn(f64, f64)> = Rc::new(on_progress);
        let answer = match self.auth {
            Auth::Keys(_) => {
                let body = files::encode_to_blob(file, &prefix, &suffix)
                    .await
                    .map_err(|detail| ApiError::Network {
                        detail: format!("the file could not be read: {detail}"),
                    })?;
                crate::perf::mark("chairside-upload-encoded");
                let (url, headers) = self.request_parts("documents/Upload", &Query::new());
                let mut headers = headers.to_vec();
                if sends_idempotency_key(&self.base_url, &crate::connection::app_origin()) {
                    headers.push(("Idempotency-Key", idempotency_key.to_owned()));
                }
                let queue = REQUEST_QUEUE.with(Rc::clone);
                let _turn = queue.lock().await;
                xhr_send("POST", &url, &headers, body.as_ref(), on_progress, cancel).await
            }
            // Signed out: the same file goes again after the next sign-in.
            Auth::Gateway => {
                let url = gateway_upload_url(&self.base_url, meta);
                let headers = [
                    ("Content-Type", "application/octet-stream".to_owned()),
                    ("Idempotency-Key", idempotency_key.to_owned()),
                ];
                crate::perf::mark("chairside-upload-encoded");
                loop {
                    let sent_at = js_sys::Date::now();
                    let answer = {
                        let _on_the_wire = hub::sent(sent_at);
                        xhr_send("POST", &url, &headers, file.as_ref(), on_progress.clone(), cancel).await
                    };
                    match answer {
                        Ok(answer) => match through_gateway(sent_at, answer).await {
                            Ok(Some(answer)) => break Ok(answer),
                            Ok(None) => continue,
                            Err(e) => break Err(e),
                        },
                        Err(e) => break Err(e),
                    }
                }
            }
        }
        .map_err(|e| e.redacted(&self.secrets()))?;
        self.interpret(answer.status, &answer.text)
    }

    /// The document an upload whose outcome is unknown created, if Open Dental has it: one of the
    /// patient's documents newer than `newer_than`, not `claimed` by another upload, that agrees
    /// with everything `sent` (see `opendental::upload_check`).
    pub async fn find_upload(&self, sent: &Upload, newer_than: i64, claimed: &[i64]) -> Result<Option<i64>, ApiError> {
        let listed = self.documents(sent.pat_num).await?;
        for doc_num in upload_check::listed_candidates(sent, &listed, newer_than, claimed) {
            if upload_check::is_same_upload(sent, &self.document(doc_num).await?) {
                return Ok(Some(doc_num));
            }
        }
        Ok(None)
    }
}

/// A new key naming one upload (128 random bits, hex): sent with every try of it, so a server
/// that remembers keys (Chairside's gateway) answers a repeat with the first answer instead of
/// storing the file twice.
pub fn idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    let random = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !random {
        // Every browser has crypto.getRandomValues; this only keeps a key unique in one that has not.
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = ((js_sys::Math::random() * 256.0) as u8) ^ (i as u8);
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Open Dental ignores an Idempotency-Key; Chairside's own server (the gateway, or the sandbox)
/// is on the page's origin. Another origin (Open Dental's Local or Service API) gets no such
/// header: one its CORS rules do not list would make the browser refuse the upload.
pub(super) fn sends_idempotency_key(base_url: &str, page_origin: &str) -> bool {
    !page_origin.is_empty()
        && base_url
            .strip_prefix(page_origin)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The gateway's upload of a file as it is: `/gateway/v1/documents/upload?meta=` the Upload's
/// details as JSON (without the data), beside the gateway's `/api/v1`.
pub(super) fn gateway_upload_url(api_base_url: &str, meta: &Upload) -> String {
    let mut details = meta.clone();
    details.raw_base64 = String::new();
    let json = serde_json::to_string(&details).expect("an Upload always serializes");
    format!(
        "{}/gateway/v1/documents/upload?meta={}",
        api_base_url.trim_end_matches('/').trim_end_matches("/api/v1"),
        percent_encoded(&json)
    )
}

/// Every byte but the unreserved ones as %XX (RFC 3986), so any text fits a query value.
fn percent_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

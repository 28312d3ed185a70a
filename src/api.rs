//! The one typed client for the Open Dental API. Pages call these methods; nothing else in the
//! app builds URLs or touches HTTP (the gateway's own endpoints are in `gateway`). Request
//! building and response interpretation are plain functions tested natively; only `send` needs
//! a browser.
//!
//! Two ways to reach Open Dental ([`Auth`]): straight, with the keys typed into this tab (one
//! request at a time, for the remote throttle), or through chairside-gateway, which holds the
//! keys, throttles fairly between users, and may answer "signed out": then the request waits
//! for the next sign-in and goes again, once (the gateway forwarded nothing).

use std::{cell::RefCell, rc::Rc};

use futures::channel::oneshot;
use gloo_net::http::{Method, RequestBuilder};
use opendental::{
    documents::{base64_len, upload_body_parts, Document, DocumentListItem, ImageInfoUpdate, SetByUrl, Upload},
    error::MAX_BODY_CHARS,
    models::{Definition, Patient, PatientListItem, Provider},
    paging::fetch_all,
    query::{self, Query},
    sftp::{DownloadMount, DownloadSftp, SftpFiles, SftpLocation, SftpLogin, SftpUploaded, Thumbnails, UploadSftp},
    treatment::{NewTreatPlanAttach, PriorityUpdate, ProcTp, ProcedureLog, TreatPlan, TreatPlanAttach},
    upload_check, ApiError, Credentials,
};
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{ProgressEvent, XmlHttpRequest};

use crate::{
    files,
    gateway::{self, hub},
};

/// How requests are authorised.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    /// Direct mode: `Authorization: ODFHIR dev/cust` on every request.
    Keys(Credentials),
    /// Gateway mode: no Authorization header at all; the session cookie goes by itself.
    Gateway,
}

/// Where to send requests and how they are authorised.
#[derive(Clone, PartialEq, Eq)]
pub struct Client {
    base_url: String,
    auth: Auth,
}

/// What staff can search patients by (Patients GET multiple).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PatientSearch {
    pub last_name: String,
    pub first_name: String,
    /// yyyy-MM-dd, as an `<input type="date">` gives it.
    pub birthdate: String,
}

impl PatientSearch {
    pub fn is_empty(&self) -> bool {
        self.last_name.trim().is_empty() && self.first_name.trim().is_empty() && self.birthdate.trim().is_empty()
    }

    fn query(&self) -> Query {
        Query::new()
            .param("LName", &self.last_name)
            .param("FName", &self.first_name)
            .param("Birthdate", &self.birthdate)
    }
}

impl Client {
    /// Direct mode: straight to Open Dental with the keys.
    pub fn new(base_url: impl Into<String>, credentials: Credentials) -> Self {
        Self {
            base_url: base_url.into(),
            auth: Auth::Keys(credentials),
        }
    }

    /// Gateway mode: the gateway at the app's own origin forwards /api/v1 and adds the keys.
    pub fn via_gateway(origin: &str) -> Self {
        Self {
            base_url: format!("{}/api/v1", origin.trim_end_matches('/')),
            auth: Auth::Gateway,
        }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Text that must never reach the screen: the keys (none in gateway mode).
    fn secrets(&self) -> Vec<&str> {
        match &self.auth {
            Auth::Keys(credentials) => credentials.secrets().to_vec(),
            Auth::Gateway => Vec::new(),
        }
    }

    /// The URL and headers of a request. Keys travel only in the Authorization header, and only
    /// in direct mode.
    fn request_parts(&self, path: &str, query: &Query) -> (String, Vec<(&'static str, String)>) {
        let mut headers = Vec::with_capacity(2);
        if let Auth::Keys(credentials) = &self.auth {
            headers.push(("Authorization", credentials.authorization()));
        }
        headers.push(("Content-Type", "application/json".to_owned()));
        (query::url(&self.base_url, path, query), headers)
    }

    /// Turns an HTTP answer into the typed value or an `ApiError` with the server's explanation.
    fn interpret<T: DeserializeOwned>(&self, status: u16, body: &str) -> Result<T, ApiError> {
        let result = if (200..300).contains(&status) {
            serde_json::from_str(body).map_err(|e| ApiError::UnexpectedResponse { detail: e.to_string() })
        } else {
            Err(ApiError::from_response(status, body))
        };
        result.map_err(|e| e.redacted(&self.secrets()))
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        query: &Query,
        body: Option<String>,
    ) -> Result<(u16, String), ApiError> {
        let (url, headers) = self.request_parts(path, query);
        let network = |e: gloo_net::Error| ApiError::Network { detail: e.to_string() }.redacted(&self.secrets());
        match self.auth {
            Auth::Keys(_) => {
                // One request at a time: remote Open Dental throttles each customer key to one
                // request per second, so parallel requests only queue up there and risk being
                // refused.
                let queue = REQUEST_QUEUE.with(Rc::clone);
                let _turn = queue.lock().await;
                let answer = fetch(method, &url, &headers, body.as_deref()).await.map_err(network)?;
                Ok((answer.status, answer.text))
            }
            // The gateway queues fairly between users; requests go at once.
            Auth::Gateway => loop {
                let sent_at = js_sys::Date::now();
                let answer = {
                    let _on_the_wire = hub::sent(sent_at);
                    fetch(method.clone(), &url, &headers, body.as_deref())
                        .await
                        .map_err(network)?
                };
                if let Some(answer) = through_gateway(sent_at, answer).await? {
                    return Ok((answer.status, answer.text));
                }
            },
        }
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str, query: &Query) -> Result<T, ApiError> {
        let (status, body) = self.send(Method::GET, path, query, None).await?;
        self.interpret(status, &body)
    }

    /// POST or PUT a JSON body; refused before sending if Open Dental would refuse its size.
    async fn send_json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        value: &impl Serialize,
    ) -> Result<T, ApiError> {
        let body = json_body(value)?;
        let (status, body) = self.send(method, path, &Query::new(), Some(body)).await?;
        self.interpret(status, &body)
    }

    /// Every item of a paged list (see `opendental::paging`).
    pub async fn get_all<T: DeserializeOwned>(&self, path: &str, query: &Query) -> Result<Vec<T>, ApiError> {
        fetch_all(|offset| {
            let page_query = query.clone().with_offset(offset);
            async move { self.get::<Vec<T>>(path, &page_query).await }
        })
        .await
    }

    /// The first page of matches (up to 100): a search, not a listing of the whole practice.
    pub async fn search_patients(&self, search: &PatientSearch) -> Result<Vec<PatientListItem>, ApiError> {
        self.get("patients", &search.query()).await
    }

    pub async fn patient(&self, pat_num: i64) -> Result<Patient, ApiError> {
        self.get(&format!("patients/{pat_num}"), &Query::new()).await
    }

    pub async fn providers(&self) -> Result<Vec<Provider>, ApiError> {
        self.get_all("providers", &Query::new()).await
    }

    /// Visible definitions of one category, in definition order.
    pub async fn definitions(&self, category: i64) -> Result<Vec<Definition>, ApiError> {
        self.get_all("definitions", &Query::new().param("Category", category))
            .await
    }

    pub async fn treat_plans(&self, pat_num: i64) -> Result<Vec<TreatPlan>, ApiError> {
        self.get_all("treatplans", &Query::new().param("PatNum", pat_num)).await
    }

    pub async fn treat_plan_attaches(&self, treat_plan_num: i64) -> Result<Vec<TreatPlanAttach>, ApiError> {
        self.get_all("treatplanattaches", &Query::new().param("TreatPlanNum", treat_plan_num))
            .await
    }

    pub async fn proc_tps(&self, treat_plan_num: i64) -> Result<Vec<ProcTp>, ApiError> {
        self.get_all("proctps", &Query::new().param("TreatPlanNum", treat_plan_num))
            .await
    }

    /// All of a patient's procedures in one listing, to join with attaches (never per row).
    pub async fn procedures(&self, pat_num: i64) -> Result<Vec<ProcedureLog>, ApiError> {
        self.get_all("procedurelogs", &Query::new().param("PatNum", pat_num))
            .await
    }

    /// Every document and mount of the patient, ordered by date created.
    pub async fn documents(&self, pat_num: i64) -> Result<Vec<DocumentListItem>, ApiError> {
        self.get_all("documents", &Query::new().param("PatNum", pat_num)).await
    }

    pub async fn document(&self, doc_num: i64) -> Result<Document, ApiError> {
        self.get(&format!("documents/{doc_num}"), &Query::new()).await
    }

    /// PUT only the fields being changed.
    pub async fn update_document(&self, doc_num: i64, changes: &ImageInfoUpdate) -> Result<Document, ApiError> {
        self.send_json(Method::PUT, &format!("documents/{doc_num}"), changes)
            .await
    }

    pub async fn delete_document(&self, doc_num: i64) -> Result<(), ApiError> {
        let (status, body) = self
            .send(Method::DELETE, &format!("documents/{doc_num}"), &Query::new(), None)
            .await?;
        if (200..300).contains(&status) {
            Ok(())
        } else {
            Err(ApiError::from_response(status, &body).redacted(&self.secrets()))
        }
    }

    pub async fn set_by_url(&self, request: &SetByUrl) -> Result<Document, ApiError> {
        self.send_json(Method::POST, "documents/SetByUrl", request).await
    }

    /// Documents POST UploadSftp: Open Dental pulls the file from the SFTP site.
    pub async fn upload_sftp(&self, request: &UploadSftp) -> Result<SftpUploaded, ApiError> {
        self.send_sftp("documents/UploadSftp", request, &request.login).await
    }

    /// Documents POST DownloadSftp: a document's file, or a mount's composite, onto the site.
    pub async fn download_sftp(&self, request: &DownloadSftp) -> Result<SftpLocation, ApiError> {
        self.send_sftp("documents/DownloadSftp", request, &request.login).await
    }

    /// Documents POST Thumbnails: 100×100 images of the patient's image documents.
    pub async fn thumbnails(&self, request: &Thumbnails) -> Result<SftpFiles, ApiError> {
        self.send_sftp("documents/Thumbnails", request, &request.login).await
    }

    /// Documents POST DownloadMount: each image of a mount, as its own file.
    pub async fn download_mount(&self, request: &DownloadMount) -> Result<SftpFiles, ApiError> {
        self.send_sftp("documents/DownloadMount", request, &request.login).await
    }

    /// An SFTP method's POST. Its password is scrubbed from any message, like the keys.
    async fn send_sftp<T: DeserializeOwned>(
        &self,
        path: &str,
        request: &impl Serialize,
        login: &SftpLogin,
    ) -> Result<T, ApiError> {
        self.send_json(Method::POST, path, request)
            .await
            .map_err(|e| e.redacted(&[&login.password]))
    }

    /// POST Upload of `file`. The size limit is checked from the file's size before anything is
    /// encoded; the body is built by the browser's own base64 or a slice at a time in wasm (see
    /// `files::encode_body`) and sent with
    /// XMLHttpRequest, because fetch reports no upload progress: `on_progress(sent, total)`.
    /// `idempotency_key` names the upload: the same for every try of it (see `idempotency_key`).
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
        let body = files::encode_to_blob(file, &prefix, &suffix)
            .await
            .map_err(|detail| ApiError::Network {
                detail: format!("the file could not be read: {detail}"),
            })?;
        files::mark("chairside-upload-encoded");

        let (url, headers) = self.request_parts("documents/Upload", &Query::new());
        let mut headers = headers.to_vec();
        if sends_idempotency_key(&self.base_url, &files::page_origin()) {
            headers.push(("Idempotency-Key", idempotency_key.to_owned()));
        }
        let on_progress: Rc<dyn Fn(f64, f64)> = Rc::new(on_progress);
        let answer = match self.auth {
            Auth::Keys(_) => {
                let queue = REQUEST_QUEUE.with(Rc::clone);
                let _turn = queue.lock().await;
                xhr_post(&url, &headers, body.as_ref(), on_progress, cancel).await
            }
            // Signed out: the same Blob goes again after the next sign-in.
            Auth::Gateway => loop {
                let sent_at = js_sys::Date::now();
                let answer = {
                    let _on_the_wire = hub::sent(sent_at);
                    xhr_post(&url, &headers, body.as_ref(), on_progress.clone(), cancel).await
                };
                match answer {
                    Ok(answer) => match through_gateway(sent_at, answer).await {
                        Ok(Some(answer)) => break Ok(answer),
                        Ok(None) => continue,
                        Err(e) => break Err(e),
                    },
                    Err(e) => break Err(e),
                }
            },
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

    pub async fn attach_procedure(&self, attach: &NewTreatPlanAttach) -> Result<TreatPlanAttach, ApiError> {
        self.send_json(Method::POST, "treatplanattaches", attach).await
    }

    pub async fn set_priority(&self, treat_plan_attach_num: i64, priority: i64) -> Result<TreatPlanAttach, ApiError> {
        self.send_json(
            Method::PUT,
            &format!("treatplanattaches/{treat_plan_attach_num}"),
            &PriorityUpdate { priority },
        )
        .await
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
fn sends_idempotency_key(base_url: &str, page_origin: &str) -> bool {
    !page_origin.is_empty()
        && base_url
            .strip_prefix(page_origin)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Lets the user stop an upload: before it is sent, or while it is on the wire.
#[derive(Clone, Default)]
pub struct UploadCancel(Rc<RefCell<(bool, Option<XmlHttpRequest>)>>);

impl UploadCancel {
    pub fn cancel(&self) {
        let mut state = self.0.borrow_mut();
        state.0 = true;
        if let Some(xhr) = state.1.take() {
            let _ = xhr.abort();
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.borrow().0
    }
}

/// An HTTP answer: status, body, and the gateway's headers (absent in direct mode).
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) text: String,
    signed_out: Option<String>,
    endpoint: Option<String>,
}

/// One fetch: the request as built, the answer read whole.
async fn fetch(
    method: Method,
    url: &str,
    headers: &[(&'static str, String)],
    body: Option<&str>,
) -> Result<Answer, gloo_net::Error> {
    let mut request = RequestBuilder::new(url).method(method);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let response = match body {
        Some(body) => request.body(body)?.send().await,
        None => request.send().await,
    }?;
    let signed_out = response.headers().get(gateway::SIGNED_OUT_HEADER);
    let endpoint = response.headers().get(gateway::ENDPOINT_HEADER);
    let text = response.text().await?;
    Ok(Answer {
        status: response.status(),
        text,
        signed_out,
        endpoint,
    })
}

/// What a gateway answer means for the request: `Some` to interpret it, `None` to send it
/// again (the gateway said "signed out", forwarded nothing, and someone has signed in since).
async fn through_gateway(sent_at: f64, answer: Answer) -> Result<Option<Answer>, ApiError> {
    if gateway::is_signed_out(answer.status, answer.signed_out.as_deref()) {
        return if hub::wait_for_sign_in().await {
            Ok(None)
        } else {
            Err(ApiError::Cancelled)
        };
    }
    hub::answered(sent_at, (200..300).contains(&answer.status), answer.endpoint.clone());
    Ok(Some(answer))
}

/// Sends `body` with XMLHttpRequest and waits for the answer. Progress events are forwarded;
/// a dropped connection is a network error, an abort by the user is `Cancelled`.
async fn xhr_post(
    url: &str,
    headers: &[(&'static str, String)],
    body: &JsValue,
    on_progress: Rc<dyn Fn(f64, f64)>,
    cancel: &UploadCancel,
) -> Result<Answer, ApiError> {
    xhr_send("POST", url, headers, body, on_progress, cancel).await
}

/// Sends `body` with XMLHttpRequest (for its upload progress); also the kiosk's photo PUT.
pub(crate) async fn xhr_send(
    method: &str,
    url: &str,
    headers: &[(&'static str, String)],
    body: &JsValue,
    on_progress: Rc<dyn Fn(f64, f64)>,
    cancel: &UploadCancel,
) -> Result<Answer, ApiError> {
    let failed = |what: &str| ApiError::Network {
        detail: what.to_owned(),
    };
    if cancel.is_cancelled() {
        return Err(ApiError::Cancelled);
    }
    let xhr = XmlHttpRequest::new().map_err(|_| failed("no XMLHttpRequest"))?;
    xhr.open_with_async(method, url, true)
        .map_err(|_| failed("the address was refused"))?;
    for (name, value) in headers {
        xhr.set_request_header(name, value)
            .map_err(|_| failed("a header was refused"))?;
    }
    let (done, finished) = oneshot::channel::<&'static str>();
    let done = Rc::new(RefCell::new(Some(done)));
    let settle = |outcome: &'static str| {
        let done = done.clone();
        Closure::<dyn FnMut()>::new(move || {
            if let Some(tx) = done.borrow_mut().take() {
                let _ = tx.send(outcome);
            }
        })
    };
    let (on_load, on_error, on_abort) = (settle("load"), settle("error"), settle("abort"));
    xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
    xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    xhr.set_onabort(Some(on_abort.as_ref().unchecked_ref()));
    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
        if e.length_computable() {
            on_progress(e.loaded(), e.total());
        }
    });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    cancel.0.borrow_mut().1 = Some(xhr.clone());
    // `send(body)` for a Blob or a JS string alike (web-sys would copy a string through wasm).
    js_sys::Reflect::get(&xhr, &JsValue::from_str("send"))
        .and_then(|send| send.unchecked_into::<js_sys::Function>().call1(&xhr, body))
        .map_err(|_| failed("the browser refused to send"))?;
    files::mark("chairside-upload-sent");
    files::mark(&format!("chairside-wasm-memory-after={}", files::wasm_memory_bytes()));
    let outcome = finished.await.unwrap_or("error");
    cancel.0.borrow_mut().1 = None;
    match outcome {
        "load" => Ok(Answer {
            status: xhr.status().unwrap_or(0),
            text: xhr.response_text().ok().flatten().unwrap_or_default(),
            signed_out: xhr.get_response_header(gateway::SIGNED_OUT_HEADER).ok().flatten(),
            endpoint: xhr.get_response_header(gateway::ENDPOINT_HEADER).ok().flatten(),
        }),
        "abort" if cancel.is_cancelled() => Err(ApiError::Cancelled),
        _ => Err(failed("the connection closed before Open Dental answered")),
    }
}

/// Serializes a request body, refusing one longer than Open Dental accepts.
fn json_body(value: &impl Serialize) -> Result<String, ApiError> {
    let body = serde_json::to_string(value).map_err(|e| ApiError::UnexpectedResponse { detail: e.to_string() })?;
    // Byte length bounds the character count from above, so only long bodies are counted.
    if body.len() > MAX_BODY_CHARS {
        let chars = body.chars().count();
        if chars > MAX_BODY_CHARS {
            return Err(ApiError::BodyTooLarge { chars });
        }
    }
    Ok(body)
}

thread_local! {
    static REQUEST_QUEUE: Rc<futures::lock::Mutex<()>> = Rc::new(futures::lock::Mutex::new(()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> Client {
        Client::new("http://127.0.0.1:9/api/v1", Credentials::new("devKEY", "custKEY"))
    }

    #[test]
    fn requests_carry_odfhir_and_json_headers_and_no_keys_in_the_url() {
        let search = PatientSearch {
            last_name: "O'Brien".into(),
            first_name: "".into(),
            birthdate: "1980-01-02".into(),
        };
        let (url, headers) = client().request_parts("patients", &search.query());
        assert_eq!(
            url,
            "http://127.0.0.1:9/api/v1/patients?LName=O%27Brien&Birthdate=1980-01-02"
        );
        assert!(!url.contains("KEY"));
        assert_eq!(headers[0], ("Authorization", "ODFHIR devKEY/custKEY".to_owned()));
        assert_eq!(headers[1], ("Content-Type", "application/json".to_owned()));
    }

    #[test]
    fn through_the_gateway_no_authorization_header_and_the_apps_own_origin() {
        let gateway = Client::via_gateway("https://chairside.office.lan/");
        assert_eq!(gateway.base_url(), "https://chairside.office.lan/api/v1");
        let (url, headers) = gateway.request_parts("patients/7", &Query::new());
        assert_eq!(url, "https://chairside.office.lan/api/v1/patients/7");
        assert_eq!(headers, vec![("Content-Type", "application/json".to_owned())]);
        assert!(headers
            .iter()
            .all(|(name, _)| !name.eq_ignore_ascii_case("authorization")));
        // Its errors have nothing to redact, and read as before.
        let e = gateway.interpret::<Patient>(404, "Patient not found.").unwrap_err();
        assert_eq!(e.message(), "Not found in Open Dental: Patient not found.");
    }

    #[test]
    fn success_is_decoded_and_failure_explained_without_keys() {
        let c = client();
        let p: Vec<PatientListItem> = c.interpret(200, r#"[{"PatNum":"7","LName":"Smith"}]"#).unwrap();
        assert_eq!((p[0].pat_num, p[0].l_name.as_str()), (7, "Smith"));

        let e = c.interpret::<Patient>(404, "Patient not found.").unwrap_err();
        assert_eq!(e.message(), "Not found in Open Dental: Patient not found.");

        let e = c.interpret::<Patient>(401, "\"Bad key custKEY\"").unwrap_err();
        assert!(e.is_unauthorized());
        assert!(!e.message().contains("custKEY"), "{}", e.message());

        let e = c.interpret::<Patient>(200, "<html>").unwrap_err();
        assert!(matches!(e, ApiError::UnexpectedResponse { .. }));
    }

    #[test]
    fn bodies_over_the_limit_are_refused_before_sending() {
        assert_eq!(
            json_body(&PriorityUpdate { priority: 24 }).unwrap(),
            r#"{"Priority":24}"#
        );
        let big = "x".repeat(MAX_BODY_CHARS);
        assert!(matches!(json_body(&big), Err(ApiError::BodyTooLarge { chars }) if chars == MAX_BODY_CHARS + 2));
        // Multi-byte text: more bytes than the limit but fewer characters is still allowed.
        let accented = "é".repeat(MAX_BODY_CHARS / 2 + 10);
        assert!(json_body(&accented).is_ok());
    }

    #[test]
    fn the_idempotency_key_goes_only_to_the_pages_own_origin() {
        let origin = "http://127.0.0.1:8080";
        assert!(sends_idempotency_key("http://127.0.0.1:8080/api/v1", origin));
        assert!(!sends_idempotency_key(
            "http://127.0.0.1:8080.evil.example/api/v1",
            origin
        ));
        assert!(!sends_idempotency_key("http://localhost:30222/api/v1", origin));
        assert!(!sends_idempotency_key("https://api.opendental.com/api/v1", origin));
        assert!(!sends_idempotency_key("http://127.0.0.1:8080/api/v1", ""));
    }

    #[test]
    fn empty_search_is_recognised() {
        assert!(PatientSearch::default().is_empty());
        assert!(!PatientSearch {
            birthdate: "2000-01-01".into(),
            ..Default::default()
        }
        .is_empty());
    }
}

//! The one typed client for the Open Dental API. Pages call these methods; nothing else in the
//! app builds URLs or touches HTTP (the gateway's own endpoints are in `gateway`). Request
//! building and response interpretation are plain functions tested natively; only `send` needs
//! a browser.
//!
//! Two ways to reach Open Dental ([`Auth`]): straight, with the keys typed into this tab (one
//! request at a time, for the remote throttle), or through chairside-gateway, which holds the
//! keys, throttles fairly between users, and may answer "signed out": then the request waits
//! for the next sign-in and goes again, once (the gateway forwarded nothing).

use std::rc::Rc;

use gloo_net::http::Method;
use opendental::{
    documents::{Document, DocumentListItem, ImageInfoUpdate, SetByUrl},
    error::MAX_BODY_CHARS,
    models::Definition,
    paging::fetch_all,
    query::{self, Query},
    sftp::{DownloadMount, DownloadSftp, SftpFiles, SftpLocation, SftpLogin, SftpUploaded, Thumbnails, UploadSftp},
    treatment::{NewTreatPlanAttach, PlanProcedure, PriorityUpdate, TreatPlanAttach},
    ApiError, Credentials,
};
use serde::{de::DeserializeOwned, Serialize};

use crate::gateway::hub;

mod models;
mod transport;
mod upload;

pub use models::{Patient, PatientListItem, ProcTp, Provider, TreatPlan};

pub use transport::UploadCancel;
pub(crate) use transport::{fetch, through_gateway, xhr_send};
pub use upload::idempotency_key;
#[cfg(test)]
use upload::sends_idempotency_key;

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
    /// Set by [`Client::cancelled_on_cleanup`]: reads stop when it aborts.
    abort: Option<web_sys::AbortSignal>,
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
            abort: None,
        }
    }

    /// Gateway mode: the gateway at the app's own origin forwards /api/v1 and adds the keys.
    pub fn via_gateway(origin: &str) -> Self {
        Self {
            base_url: format!("{}/api/v1", origin.trim_end_matches('/')),
            auth: Auth::Gateway,
            abort: None,
        }
    }

    /// This client's reads are cancelled when the reactive owner it is made in is cleaned up:
    /// a resource that runs again, a page that is left (as leptos' `examples/hackernews` does).
    /// Only reads: a change already sent is left to finish, so its outcome is never unknown.
    pub fn cancelled_on_cleanup(mut self) -> Self {
        if let Ok(controller) = web_sys::AbortController::new() {
            self.abort = Some(controller.signal());
            let controller = send_wrapper::SendWrapper::new(controller);
            leptos::prelude::on_cleanup(move || controller.abort());
        }
        self
    }

    fn read_was_cancelled(&self) -> bool {
        self.abort.as_ref().is_some_and(web_sys::AbortSignal::aborted)
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
        let abort = if method == Method::GET {
            self.abort.as_ref()
        } else {
            None
        };
        let network = |e: gloo_net::Error| {
            if abort.is_some() && self.read_was_cancelled() {
                ApiError::Cancelled
            } else {
                ApiError::Network { detail: e.to_string() }.redacted(&self.secrets())
            }
        };
        match self.auth {
            Auth::Keys(_) => {
                // One request at a time: remote Open Dental throttles each customer key to one
                // request per second, so parallel requests only queue up there and risk being
                // refused.
                let queue = REQUEST_QUEUE.with(Rc::clone);
                let _turn = queue.lock().await;
                // A read for a page left while it waited gives its turn away unsent.
                if abort.is_some() && self.read_was_cancelled() {
                    return Err(ApiError::Cancelled);
                }
                let answer = fetch(method, &url, &headers, body.as_deref(), abort)
                    .await
                    .map_err(network)?;
                Ok((answer.status, answer.text))
            }
            // The gateway queues fairly between users; requests go at once.
            Auth::Gateway => loop {
                let sent_at = js_sys::Date::now();
                let answer = {
                    let _on_the_wire = hub::sent(sent_at);
                    fetch(method.clone(), &url, &headers, body.as_deref(), abort)
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
    pub async fn procedures(&self, pat_num: i64) -> Result<Vec<PlanProcedure>, ApiError> {
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
mod tests;

//! The one typed client for the Open Dental API. Pages call these methods; nothing else in the
//! app builds URLs or touches HTTP. Request building and response interpretation are plain
//! functions tested natively; only `send` needs a browser.

use std::rc::Rc;

use gloo_net::http::{Method, RequestBuilder};
use opendental::{
    models::{Patient, PatientListItem, Provider},
    paging::fetch_all,
    query::{self, Query},
    ApiError, Credentials,
};
use serde::de::DeserializeOwned;

/// Where to send requests and with which keys.
#[derive(Clone, PartialEq, Eq)]
pub struct Client {
    base_url: String,
    credentials: Credentials,
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
    pub fn new(base_url: impl Into<String>, credentials: Credentials) -> Self {
        Self {
            base_url: base_url.into(),
            credentials,
        }
    }

    /// The URL and headers of a request. Keys travel only in the Authorization header.
    fn request_parts(&self, path: &str, query: &Query) -> (String, [(&'static str, String); 2]) {
        (
            query::url(&self.base_url, path, query),
            [
                ("Authorization", self.credentials.authorization()),
                ("Content-Type", "application/json".to_owned()),
            ],
        )
    }

    /// Turns an HTTP answer into the typed value or an `ApiError` with the server's explanation.
    fn interpret<T: DeserializeOwned>(&self, status: u16, body: &str) -> Result<T, ApiError> {
        let result = if (200..300).contains(&status) {
            serde_json::from_str(body).map_err(|e| ApiError::UnexpectedResponse { detail: e.to_string() })
        } else {
            Err(ApiError::from_response(status, body))
        };
        result.map_err(|e| e.redacted(&self.credentials.secrets()))
    }

    async fn send(&self, method: Method, path: &str, query: &Query) -> Result<(u16, String), ApiError> {
        let (url, headers) = self.request_parts(path, query);
        let mut request = RequestBuilder::new(&url).method(method);
        for (name, value) in &headers {
            request = request.header(name, value);
        }
        // One request at a time: remote Open Dental throttles each customer key to one request
        // per second, so parallel requests only queue up there and risk being refused.
        let queue = REQUEST_QUEUE.with(Rc::clone);
        let _turn = queue.lock().await;
        let network =
            |e: gloo_net::Error| ApiError::Network { detail: e.to_string() }.redacted(&self.credentials.secrets());
        let response = request.send().await.map_err(network)?;
        let body = response.text().await.map_err(network)?;
        Ok((response.status(), body))
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str, query: &Query) -> Result<T, ApiError> {
        let (status, body) = self.send(Method::GET, path, query).await?;
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
    fn empty_search_is_recognised() {
        assert!(PatientSearch::default().is_empty());
        assert!(!PatientSearch {
            birthdate: "2000-01-01".into(),
            ..Default::default()
        }
        .is_empty());
    }
}

//! Helpers shared by the sandbox's integration tests.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use chairside_sandbox::{app, AppState, Config};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub const DEV_KEY: &str = "chairside-demo-dev";
pub const CUST_KEY: &str = "chairside-demo-cust";
pub const AUTH: &str = "ODFHIR chairside-demo-dev/chairside-demo-cust";

/// The app on a fresh in-memory demo practice, and its state for turning knobs.
pub fn test_app() -> (Router, AppState) {
    test_app_with(Config::for_tests())
}

pub fn test_app_with(config: Config) -> (Router, AppState) {
    let state = AppState::new(&config).expect("sandbox state");
    (app(state.clone()), state)
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// A failure as the API must send it: this status, a plain-text explanation.
    pub fn assert_failure(&self, status: u16) -> &str {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.body);
        assert_eq!(self.content_type(), "text/plain; charset=utf-8");
        assert!(self.body.trim().len() > 10, "explanation too short: {:?}", self.body);
        &self.body
    }
}

pub async fn request(app: &Router, method: Method, uri: &str, auth: Option<&str>, body: Option<Vec<u8>>) -> Answer {
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(auth) = auth {
        builder = builder.header("authorization", auth);
    }
    if body.is_some() {
        builder = builder.header("content-type", "application/json");
    }
    let req = builder.body(body.map(Body::from).unwrap_or_else(Body::empty)).unwrap();
    let response = app.clone().oneshot(req).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.expect("complete body").to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).expect("UTF-8 body"),
    }
}

/// GET with the right keys.
pub async fn get(app: &Router, uri: &str) -> Answer {
    request(app, Method::GET, uri, Some(AUTH), None).await
}

/// GET with the right keys, expecting 200 and JSON.
pub async fn get_json(app: &Router, uri: &str) -> serde_json::Value {
    let answer = get(app, uri).await;
    assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
    assert!(
        answer.content_type().starts_with("application/json"),
        "{uri}: {}",
        answer.content_type()
    );
    answer.json()
}

pub fn field<'a>(items: &'a serde_json::Value, name: &str) -> Vec<&'a serde_json::Value> {
    items
        .as_array()
        .expect("a list")
        .iter()
        .map(|item| &item[name])
        .collect()
}

pub fn pat_nums(items: &serde_json::Value) -> Vec<i64> {
    field(items, "PatNum")
        .into_iter()
        .map(|v| v.as_i64().expect("PatNum is a number"))
        .collect()
}

/// Same field names as the documented example, and each value of the same JSON type, whole
/// numbers told from decimals ("FeeAmt": 204.0 is not 204). Fields in `lenient` skip the type
/// check, for a page's own inconsistencies (the patient list example's numeric Zip).
pub fn assert_shaped_like(actual: &serde_json::Value, documented: &str, lenient: &[&str]) {
    let documented: serde_json::Value = serde_json::from_str(documented).unwrap();
    assert_eq!(sorted_keys(actual), sorted_keys(&documented));
    for (name, doc_value) in documented.as_object().unwrap() {
        if lenient.contains(&name.as_str()) {
            continue;
        }
        let kind = |v: &serde_json::Value| match v {
            serde_json::Value::Number(n) if n.is_f64() => "decimal",
            serde_json::Value::Number(_) => "whole number",
            serde_json::Value::String(_) => "string",
            other => panic!("unexpected {other}"),
        };
        assert_eq!(
            kind(&actual[name]),
            kind(doc_value),
            "{name}: {} vs {doc_value}",
            actual[name]
        );
    }
}

pub fn sorted_keys(value: &serde_json::Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().expect("an object").keys().cloned().collect();
    keys.sort();
    keys
}

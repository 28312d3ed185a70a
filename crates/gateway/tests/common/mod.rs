//! What the gateway tests share: a fake Open Dental that records what reaches it, gateways
//! in front of it with an in-memory database and a captured log, and a signed-in client.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Router;
use chairside_gateway::config::{EndpointConfig, EndpointKind};
use chairside_gateway::{Config, Gateway, Keys, Options};

pub const DEV_KEY: &str = "dev-KEY-5f3a9c";
pub const CUST_KEY: &str = "cust-KEY-81d2e7";
pub const USER: &str = "alice";
pub const PASSWORD: &str = "correct horse battery";

/// What reached a fake upstream.
#[derive(Clone, Debug)]
pub struct Seen {
    pub at: Instant,
    pub method: String,
    pub path: String,
    pub authorization: Option<String>,
    pub cookie: Option<String>,
    pub body_len: usize,
}

/// A fake Open Dental: answers `[{"echo":"<method> <path>"}]`, after `delay`; a path with
/// "fail401" gets a 401 that quotes the Authorization header back (a careless server).
pub struct FakeUpstream {
    pub addr: SocketAddr,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    _server: tokio::task::JoinHandle<()>,
}

#[derive(Clone)]
struct FakeState {
    seen: Arc<Mutex<Vec<Seen>>>,
    delay: Duration,
}

async fn fake_answer(State(state): State<FakeState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let path = parts.uri.path_and_query().map_or("", |p| p.as_str()).to_owned();
    state.seen.lock().unwrap().push(Seen {
        at: Instant::now(),
        method: parts.method.to_string(),
        path: path.clone(),
        authorization: header("authorization"),
        cookie: header("cookie"),
        body_len: body.len(),
    });
    if !state.delay.is_zero() {
        tokio::time::sleep(state.delay).await;
    }
    if path.contains("fail401") {
        let quoted = format!("Invalid key in {}", header("authorization").unwrap_or_default());
        return (StatusCode::UNAUTHORIZED, quoted).into_response();
    }
    let status = if parts.method == "POST" {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    (
        status,
        [("content-type", "application/json"), ("set-cookie", "upstream=1")],
        Bytes::from(serde_json::json!([{ "echo": format!("{} {path}", parts.method), "len": body.len() }]).to_string()),
    )
        .into_response()
}

impl FakeUpstream {
    pub async fn start(delay: Duration) -> FakeUpstream {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let app = Router::new().fallback(fake_answer).with_state(FakeState {
            seen: seen.clone(),
            delay,
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeUpstream {
            addr,
            seen,
            _server: server,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}/api/v1", self.addr)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// An address where nothing listens: connecting is refused.
pub fn refusing_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}/api/v1")
}

pub fn endpoint(kind: EndpointKind, url: &str, label: &str) -> EndpointConfig {
    EndpointConfig {
        kind,
        url: url.into(),
        label: Some(label.into()),
        throttled: None,
    }
}

pub fn config(endpoints: Vec<EndpointConfig>) -> Config {
    let mut config =
        Config::from_toml("[[endpoints]]\nkind = \"local\"\nurl = \"http://127.0.0.1:9/api/v1\"\n").unwrap();
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.endpoints = endpoints;
    config.app_dir = std::path::PathBuf::from("/nonexistent-chairside-dist");
    config
}

/// A gateway with one account (alice) and a captured log.
pub async fn gateway(config: Config) -> Gateway {
    let gateway = Gateway::start(
        config,
        Keys::new(DEV_KEY, CUST_KEY).unwrap(),
        Options {
            in_memory: true,
            capture_log: true,
        },
    )
    .await
    .expect("the gateway starts");
    gateway.state.accounts.add(USER, PASSWORD).unwrap();
    gateway
}

/// A fake API Service and a gateway in front of it: the set-up most tests need.
pub async fn service_gateway() -> (FakeUpstream, Gateway) {
    let upstream = FakeUpstream::start(Duration::ZERO).await;
    let gateway = gateway(config(vec![endpoint(
        EndpointKind::Service,
        &upstream.url(),
        "API Service",
    )]))
    .await;
    (upstream, gateway)
}

/// The `Cookie` header value a browser would send after this sign-in answer.
pub fn cookie_of(response: &reqwest::Response) -> String {
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap();
    set_cookie.split(';').next().unwrap().to_owned()
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// Signs in; returns the `Cookie` header value to send.
pub async fn sign_in(gateway: &Gateway, user: &str, password: &str) -> reqwest::Response {
    http()
        .post(format!("{}/gateway/v1/sign-in", gateway.url()))
        .json(&serde_json::json!({ "username": user, "password": password }))
        .send()
        .await
        .unwrap()
}

pub async fn session_cookie(gateway: &Gateway) -> String {
    let response = sign_in(gateway, USER, PASSWORD).await;
    assert_eq!(response.status(), 200, "alice signs in");
    cookie_of(&response)
}

/// A client session: the cookie, sent with every request as a browser would.
pub struct Staff {
    pub base: String,
    pub cookie: String,
    client: reqwest::Client,
}

impl Staff {
    pub async fn sign_in(gateway: &Gateway) -> Staff {
        Staff {
            base: gateway.url(),
            cookie: session_cookie(gateway).await,
            client: http(),
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, path: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("content-type", "application/json")
            .header("sec-fetch-site", "same-origin")
            .body(body)
            .send()
            .await
            .unwrap()
    }
}

//! The office gateway (`chairside-gateway`, see crates/gateway/README.md): start-up detection,
//! sign-in and sign-out, the session's timing, and the throttle queue.
//!
//! Everything under /gateway/v1 is called from here and nowhere else; the Open Dental API goes
//! through `api::Client`, which reports what it sees (requests pending, the session extended,
//! the endpoint that answered, "signed out") to the [`hub`] so the session screens can follow.
//! Deciding things (which mode, signed out or not, when to warn, what to say) is plain Rust,
//! tested natively; only the `async` calls need a browser.

pub mod hub;
mod images;
pub mod kiosk;

pub use images::{
    document_file_url, fetch_file, mount_image_url, mount_items, mount_thumbnail_url, thumbnails, EncodedImage,
    FetchedFile,
};

use gloo_net::http::{Request, RequestBuilder};
use serde::{Deserialize, Serialize};

use crate::kiosk::model::KioskRef;

/// Response header of /api/v1 answers: the Open Dental endpoint that answered.
pub const ENDPOINT_HEADER: &str = "X-Chairside-Endpoint";
/// Response header of a 401 that the gateway (not Open Dental) sent: no session.
pub const SIGNED_OUT_HEADER: &str = "X-Chairside-Signed-Out";
/// The idle warning appears this long before the session would end.
pub const WARN_BEFORE_MS: f64 = 60_000.0;

const SESSION: &str = "/gateway/v1/session";
const SIGN_IN: &str = "/gateway/v1/sign-in";
const SIGN_OUT: &str = "/gateway/v1/sign-out";
const REFRESH: &str = "/gateway/v1/session/refresh";
const QUEUE: &str = "/gateway/v1/queue";

/// The Open Dental endpoint the gateway is using.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Endpoint {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub label: String,
}

/// The gateway's session body (GET session, sign-in, refresh). Missing fields read as empty or
/// zero, so a newer gateway with more fields, or fewer, never breaks start-up.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionBody {
    #[serde(default)]
    pub gateway: bool,
    #[serde(default)]
    pub signed_in: bool,
    #[serde(default)]
    pub user: String,
    #[serde(default)]
    pub idle_timeout_secs: u64,
    #[serde(default)]
    pub idle_remaining_secs: u64,
    #[serde(default)]
    pub absolute_remaining_secs: u64,
    #[serde(default)]
    pub endpoint: Option<Endpoint>,
    /// This device is a paired kiosk (its credential came with the request).
    #[serde(default)]
    pub kiosk: Option<KioskRef>,
}

impl SessionBody {
    pub fn endpoint_label(&self) -> String {
        self.endpoint.as_ref().map(|e| e.label.clone()).unwrap_or_default()
    }
}

/// How the app talks to Open Dental, decided once at start-up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Keys typed into this tab, requests straight to an Open Dental API.
    Direct,
    /// Behind chairside-gateway; the body says whether someone is signed in.
    Gateway(SessionBody),
}

/// Gateway mode only for JSON with `"gateway": true`; a 404, the app's own index.html (trunk
/// serve, the sandbox) or anything else means direct mode.
pub fn mode_from_response(status: u16, body: &str) -> Mode {
    if status != 200 {
        return Mode::Direct;
    }
    #[derive(Deserialize)]
    struct Probe {
        gateway: bool,
    }
    if !serde_json::from_str::<Probe>(body).is_ok_and(|probe| probe.gateway) {
        return Mode::Direct;
    }
    match serde_json::from_str::<SessionBody>(body) {
        Ok(session) => Mode::Gateway(session),
        // Gateway, but a field of an unexpected type: treat as signed out, so the user signs in.
        Err(_) => Mode::Gateway(SessionBody {
            gateway: true,
            ..Default::default()
        }),
    }
}

/// The gateway's own 401 (no session): nothing was forwarded, so the request may be re-sent
/// after signing in again. Open Dental's 401 (wrong keys on the gateway) has no such header.
pub fn is_signed_out(status: u16, signed_out_header: Option<&str>) -> bool {
    status == 401 && signed_out_header.is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// Why a session ended, as far as this tab can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// No request for the idle timeout.
    Idle,
    /// The session's absolute lifetime ran out.
    Absolute,
    /// The gateway said so (it restarted, an administrator ended it, another tab signed out).
    Gateway,
}

/// Where the session stands at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionTime {
    Active,
    /// Idle end is near and staying signed in would help: whole seconds left (at least 1).
    Warning {
        seconds_left: u64,
    },
    Ended(Ended),
}

/// This tab's view of the session's deadlines, in `Date.now()` milliseconds. The gateway
/// extends the idle time with every accepted /api/v1 request; the tab counts only successful
/// ones and from when they were sent, so it errs towards warning early, never late.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SessionClock {
    idle_timeout_ms: f64,
    idle_deadline: f64,
    absolute_deadline: f64,
}

impl SessionClock {
    pub fn from_body(body: &SessionBody, now: f64) -> Self {
        SessionClock {
            idle_timeout_ms: body.idle_timeout_secs as f64 * 1000.0,
            idle_deadline: now + body.idle_remaining_secs as f64 * 1000.0,
            absolute_deadline: now + body.absolute_remaining_secs as f64 * 1000.0,
        }
    }

    /// A request sent at `sent_at` was answered successfully: idle time starts again from then.
    pub fn extended(self, sent_at: f64) -> Self {
        SessionClock {
            idle_deadline: self.idle_deadline.max(sent_at + self.idle_timeout_ms),
            ..self
        }
    }

    pub fn idle_timeout_secs(&self) -> u64 {
        (self.idle_timeout_ms / 1000.0).round() as u64
    }

    pub fn at(&self, now: f64) -> SessionTime {
        if now >= self.absolute_deadline {
            return SessionTime::Ended(Ended::Absolute);
        }
        if now >= self.idle_deadline {
            return SessionTime::Ended(Ended::Idle);
        }
        let idle_left = self.idle_deadline - now;
        // No warning when the absolute end comes first: staying signed in would not help.
        if idle_left <= WARN_BEFORE_MS && self.idle_deadline < self.absolute_deadline {
            return SessionTime::Warning {
                seconds_left: (idle_left / 1000.0).ceil().max(1.0) as u64,
            };
        }
        SessionTime::Active
    }
}

/// The idle warning's sentence.
pub fn warning_text(seconds_left: u64) -> String {
    let unit = if seconds_left == 1 { "second" } else { "seconds" };
    format!("You will be signed out in {seconds_left} {unit} because of inactivity.")
}

/// The sign-in-again dialog's sentence.
pub fn expiry_text(ended: Ended, idle_timeout_secs: u64) -> String {
    match ended {
        Ended::Idle => {
            let minutes = (idle_timeout_secs as f64 / 60.0).round().max(1.0) as u64;
            let unit = if minutes == 1 { "minute" } else { "minutes" };
            format!(
                "You were signed out after {minutes} {unit} without activity. Sign in again to continue where you were."
            )
        }
        Ended::Absolute => "Your session reached its time limit. Sign in again to continue where you were.".to_owned(),
        Ended::Gateway => "You were signed out of Chairside. Sign in again to continue where you were.".to_owned(),
    }
}

/// GET /gateway/v1/queue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct QueueStatus {
    #[serde(default)]
    pub waiting: u32,
    #[serde(default)]
    pub ahead: u32,
}

impl QueueStatus {
    /// What the throttle indicator says, or nothing when none of this session's requests wait.
    pub fn text(&self) -> Option<String> {
        match (self.waiting, self.ahead) {
            (0, _) => None,
            (_, 0) => Some("Waiting for Open Dental: next".to_owned()),
            (_, ahead) => Some(format!("Waiting for Open Dental: {ahead} ahead")),
        }
    }
}

#[derive(Serialize)]
struct SignInBody<'a> {
    username: &'a str,
    password: &'a str,
}

/// The outcome of POST sign-in: the session, or the sentence to show (the gateway's own text,
/// verbatim, whenever it sent one).
pub fn sign_in_outcome(status: u16, body: &str, retry_after: Option<&str>) -> Result<SessionBody, String> {
    if status == 200 {
        return match serde_json::from_str::<SessionBody>(body) {
            Ok(session) if session.signed_in => Ok(session),
            _ => Err(
                "The Chairside gateway answered in a form this app does not understand. Reload the page and try again."
                    .into(),
            ),
        };
    }
    let text = body.trim();
    if !text.is_empty() && !text.starts_with('<') {
        return Err(text.chars().take(600).collect());
    }
    Err(match status {
        401 => "The username or password is not right.".to_owned(),
        429 => match retry_after.and_then(|s| s.trim().parse::<u64>().ok()) {
            Some(secs) => format!("Too many failed sign-ins. Try again in {secs} seconds."),
            None => "Too many failed sign-ins. Try again later.".to_owned(),
        },
        403 => "The gateway refused this sign-in because it came from another site.".to_owned(),
        _ => format!("The Chairside gateway could not sign you in (HTTP {status}). Try again."),
    })
}

pub(crate) fn network_problem(e: gloo_net::Error) -> String {
    format!("Could not reach the Chairside gateway ({e}). Check this computer's connection and try again.")
}

fn no_store(request: RequestBuilder) -> RequestBuilder {
    request
        .cache(web_sys::RequestCache::NoStore)
        .header("Accept", "application/json")
}

/// Which mode to run in: one same-origin GET at start-up (it does not extend the session).
/// `None` when nothing answered (no network).
pub async fn detect_reachable() -> Option<Mode> {
    let response = no_store(Request::get(SESSION)).send().await.ok()?;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    Some(mode_from_response(status, &body))
}

/// The session as the gateway sees it now (does not extend it).
pub async fn session() -> Result<SessionBody, String> {
    let response = no_store(Request::get(SESSION)).send().await.map_err(network_problem)?;
    let body = response.text().await.map_err(network_problem)?;
    match mode_from_response(response.status(), &body) {
        Mode::Gateway(session) => Ok(session),
        Mode::Direct => Err("The Chairside gateway answered in a form this app does not understand.".into()),
    }
}

pub async fn sign_in(username: &str, password: &str) -> Result<SessionBody, String> {
    let response = no_store(Request::post(SIGN_IN))
        .json(&SignInBody { username, password })
        .map_err(network_problem)?
        .send()
        .await
        .map_err(network_problem)?;
    let retry_after = response.headers().get("Retry-After");
    let body = response.text().await.map_err(network_problem)?;
    sign_in_outcome(response.status(), &body, retry_after.as_deref())
}

/// Ends the session (204; a 401 means it had already ended, which is as good).
pub async fn sign_out() -> Result<(), String> {
    let response = Request::post(SIGN_OUT).send().await.map_err(network_problem)?;
    match response.status() {
        200..=299 | 401 => Ok(()),
        status => {
            let body = response.text().await.unwrap_or_default();
            Err(match body.trim() {
                text if !text.is_empty() && !text.starts_with('<') => text.chars().take(600).collect(),
                _ => format!("The Chairside gateway could not sign you out (HTTP {status}). Try again."),
            })
        }
    }
}

/// Extends the idle time. `Ok(None)`: the session had already ended.
pub async fn refresh() -> Result<Option<SessionBody>, String> {
    let response = no_store(Request::post(REFRESH)).send().await.map_err(network_problem)?;
    if response.status() == 401 {
        return Ok(None);
    }
    let body = response.text().await.map_err(network_problem)?;
    match (response.status(), serde_json::from_str::<SessionBody>(&body)) {
        (200, Ok(session)) if session.signed_in => Ok(Some(session)),
        (200, Ok(_)) => Ok(None),
        _ => Err("The Chairside gateway could not extend the session. Try again.".into()),
    }
}

/// How this session's requests stand in the gateway's throttle queue.
pub async fn queue() -> Result<QueueStatus, String> {
    let response = no_store(Request::get(QUEUE)).send().await.map_err(network_problem)?;
    if response.status() != 200 {
        return Err(format!("HTTP {}", response.status()));
    }
    let body = response.text().await.map_err(network_problem)?;
    serde_json::from_str(&body).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests;

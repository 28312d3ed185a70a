//! The office gateway (`chairside-gateway`, see crates/gateway/README.md): start-up detection,
//! sign-in and sign-out, the session's timing, and the throttle queue.
//!
//! Everything under /gateway/v1 is called from here and nowhere else; the Open Dental API goes
//! through `api::Client`, which reports what it sees (requests pending, the session extended,
//! the endpoint that answered, "signed out") to the [`hub`] so the session screens can follow.
//! Deciding things (which mode, signed out or not, when to warn, what to say) is plain Rust,
//! tested natively; only the `async` calls need a browser.

pub mod kiosk;

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

fn network_problem(e: gloo_net::Error) -> String {
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

// ---- Images: the gateway's own SFTP site (see crates/gateway/README.md, "Images") ----

/// One thumbnail (or one image of a mount), as the gateway sends it: the bytes are base64, and
/// are turned into a picture only when it is on screen.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct EncodedImage {
    #[serde(rename = "DocNum")]
    pub doc_num: i64,
    #[serde(rename = "FileName", default)]
    pub file_name: String,
    #[serde(rename = "ContentType", default)]
    pub content_type: String,
    #[serde(rename = "Data", default)]
    pub data: String,
}

#[derive(Deserialize)]
struct ThumbnailsBody {
    #[serde(rename = "Thumbnails", default)]
    thumbnails: Vec<EncodedImage>,
}

#[derive(Deserialize)]
struct MountItemsBody {
    #[serde(rename = "Items", default)]
    items: Vec<EncodedImage>,
}

pub fn document_file_url(doc_num: i64) -> String {
    format!("/gateway/v1/documents/{doc_num}/file")
}

pub fn mount_image_url(mount_num: i64) -> String {
    format!("/gateway/v1/mounts/{mount_num}/image")
}

pub fn mount_thumbnail_url(mount_num: i64) -> String {
    format!("/gateway/v1/mounts/{mount_num}/thumbnail")
}

/// A file from the gateway, kept as the browser's own Blob (a 5 MB X-ray is not copied into
/// the app's memory).
#[derive(Clone, Debug)]
pub struct FetchedFile {
    pub blob: web_sys::Blob,
    pub content_type: String,
    pub file_name: String,
}

/// The patient's thumbnails (one Thumbnails call, or the gateway's kept copy).
pub async fn thumbnails(pat_num: i64) -> Result<Vec<EncodedImage>, String> {
    let response = get_image(&format!("/gateway/v1/patients/{pat_num}/thumbnails")).await?;
    let body = response.text().await.map_err(network_problem)?;
    serde_json::from_str::<ThumbnailsBody>(&body)
        .map(|b| b.thumbnails)
        .map_err(|e| format!("The gateway's thumbnails could not be read: {e}"))
}

/// Each image of a mount (one DownloadMount).
pub async fn mount_items(mount_num: i64) -> Result<Vec<EncodedImage>, String> {
    let response = get_image(&format!("/gateway/v1/mounts/{mount_num}/items")).await?;
    let body = response.text().await.map_err(network_problem)?;
    serde_json::from_str::<MountItemsBody>(&body)
        .map(|b| b.items)
        .map_err(|e| format!("The mount's images could not be read: {e}"))
}

/// A document's file, a mount's composite or its tile, by one of the URLs above.
pub async fn fetch_file(url: &str) -> Result<FetchedFile, String> {
    let response = get_image(url).await?;
    let content_type = response.headers().get("content-type").unwrap_or_default();
    let file_name = response
        .headers()
        .get("content-disposition")
        .and_then(|d| {
            d.split("filename=\"")
                .nth(1)
                .map(|n| n.trim_end_matches('"').to_owned())
        })
        .unwrap_or_default();
    let raw: web_sys::Response = response.into();
    let promise = raw.blob().map_err(|e| format!("{e:?}"))?;
    let blob = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|_| "The file broke off on its way from the gateway. Try again.".to_owned())?;
    Ok(FetchedFile {
        blob: blob.into(),
        content_type,
        file_name,
    })
}

/// A GET to the gateway's image routes, reported to the [`hub`] like an /api/v1 request (the
/// session is extended; "signed out" waits for the same user to sign in again, then goes
/// again: these are reads). Errors are the gateway's or Open Dental's own text.
async fn get_image(url: &str) -> Result<gloo_net::http::Response, String> {
    loop {
        let sent_at = js_sys::Date::now();
        let on_the_wire = hub::sent(sent_at);
        let response = Request::get(url)
            .cache(web_sys::RequestCache::NoStore)
            .send()
            .await
            .map_err(network_problem)?;
        let status = response.status();
        if is_signed_out(status, response.headers().get(SIGNED_OUT_HEADER).as_deref()) {
            drop(on_the_wire);
            if hub::wait_for_sign_in().await {
                continue;
            }
            return Err("You were signed out.".into());
        }
        hub::answered(
            sent_at,
            (200..300).contains(&status),
            response.headers().get(ENDPOINT_HEADER),
        );
        if (200..300).contains(&status) {
            return Ok(response);
        }
        let text = response.text().await.unwrap_or_default();
        let text = text.trim();
        return Err(if text.is_empty() || text.starts_with('<') {
            format!("The gateway could not get this file (HTTP {status}).")
        } else {
            text.chars().take(600).collect()
        });
    }
}

/// Where `api::Client` (gateway mode) reports what it sees, and where requests that met "signed
/// out" wait for the next sign-in. Plain Rust: one listener (the session screens), set once.
pub mod hub {
    use std::{cell::RefCell, collections::BTreeMap, rc::Rc};

    use futures::channel::oneshot;

    /// What happened to an /api/v1 request.
    #[derive(Clone, Debug, PartialEq)]
    pub enum Notice {
        /// A request went on the wire (the first of several pending ones, or another).
        Started,
        /// A request sent at `sent_at` was answered successfully: the session was extended.
        Extended { sent_at: f64 },
        /// The endpoint that answered (X-Chairside-Endpoint).
        Endpoint(String),
        /// The gateway answered "signed out"; a request now waits for a sign-in.
        SignedOut,
    }

    #[derive(Default)]
    struct Hub {
        next_id: u64,
        /// Requests on the wire: id → when sent.
        pending: BTreeMap<u64, f64>,
        waiters: Vec<oneshot::Sender<()>>,
        listener: Option<Rc<dyn Fn(Notice)>>,
    }

    thread_local! {
        static HUB: RefCell<Hub> = RefCell::new(Hub::default());
    }

    /// The session screens' ear. Replaces any earlier listener.
    pub fn listen(listener: impl Fn(Notice) + 'static) {
        HUB.with(|h| h.borrow_mut().listener = Some(Rc::new(listener)));
    }

    fn tell(notice: Notice) {
        // Called outside the borrow, so the listener may call back into the hub.
        if let Some(listener) = HUB.with(|h| h.borrow().listener.clone()) {
            listener(notice);
        }
    }

    /// A request on the wire until dropped (answered, failed, or abandoned).
    pub struct OnTheWire(u64);

    impl Drop for OnTheWire {
        fn drop(&mut self) {
            HUB.with(|h| h.borrow_mut().pending.remove(&self.0));
        }
    }

    pub fn sent(now: f64) -> OnTheWire {
        let id = HUB.with(|h| {
            let mut h = h.borrow_mut();
            h.next_id += 1;
            let id = h.next_id;
            h.pending.insert(id, now);
            id
        });
        tell(Notice::Started);
        OnTheWire(id)
    }

    /// When the oldest request still on the wire was sent.
    pub fn oldest_pending() -> Option<f64> {
        HUB.with(|h| h.borrow().pending.values().copied().reduce(f64::min))
    }

    /// A request sent at `sent_at` got an answer other than "signed out".
    pub fn answered(sent_at: f64, success: bool, endpoint: Option<String>) {
        if let Some(label) = endpoint.filter(|l| !l.trim().is_empty()) {
            tell(Notice::Endpoint(label.trim().to_owned()));
        }
        if success {
            tell(Notice::Extended { sent_at });
        }
    }

    /// Waits until someone signs in again (same user). `false` if that will never happen here
    /// (the page is going away, e.g. a different user signed in).
    pub async fn wait_for_sign_in() -> bool {
        let (tx, rx) = oneshot::channel();
        HUB.with(|h| h.borrow_mut().waiters.push(tx));
        tell(Notice::SignedOut);
        rx.await.is_ok()
    }

    /// The same user signed in again: every waiting request goes again, once.
    pub fn signed_in_again() {
        let waiters = HUB.with(|h| std::mem::take(&mut h.borrow_mut().waiters));
        for waiter in waiters {
            let _ = waiter.send(());
        }
    }

    /// How many requests wait for a sign-in.
    #[cfg(test)]
    pub fn waiting_for_sign_in() -> usize {
        HUB.with(|h| h.borrow().waiters.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIGNED_IN: &str = r#"{"gateway":true,"signedIn":true,"user":"alice",
        "idleTimeoutSecs":900,"idleRemainingSecs":893,"absoluteRemainingSecs":43100,
        "endpoint":{"kind":"service","label":"API Service"}}"#;

    #[test]
    fn only_json_saying_gateway_true_means_gateway_mode() {
        assert_eq!(
            mode_from_response(200, r#"{"gateway":true,"signedIn":false}"#),
            Mode::Gateway(SessionBody {
                gateway: true,
                ..Default::default()
            })
        );
        let Mode::Gateway(s) = mode_from_response(200, SIGNED_IN) else {
            panic!("gateway")
        };
        assert!(s.signed_in);
        assert_eq!(s.user, "alice");
        assert_eq!(
            (s.idle_timeout_secs, s.idle_remaining_secs, s.absolute_remaining_secs),
            (900, 893, 43100)
        );
        assert_eq!(s.endpoint_label(), "API Service");
        assert_eq!(s.endpoint.unwrap().kind, "service");
        assert_eq!(s.kiosk, None, "a staff device");

        // A paired kiosk without a staff session: the kiosk, never the sign-in page.
        let Mode::Gateway(k) = mode_from_response(
            200,
            r#"{"gateway":true,"signedIn":false,"kiosk":{"id":3,"name":"Front desk tablet"}}"#,
        ) else {
            panic!("gateway")
        };
        assert!(!k.signed_in);
        assert_eq!(
            k.kiosk.map(|k| (k.id, k.name)),
            Some((3, "Front desk tablet".to_owned()))
        );

        // trunk serve and the sandbox answer with the app's index.html; elsewhere a 404.
        assert_eq!(mode_from_response(200, "<!doctype html><html></html>"), Mode::Direct);
        assert_eq!(mode_from_response(404, "Not found"), Mode::Direct);
        assert_eq!(mode_from_response(404, r#"{"gateway":true}"#), Mode::Direct);
        assert_eq!(mode_from_response(200, r#"{"gateway":false}"#), Mode::Direct);
        assert_eq!(mode_from_response(200, r#"{"gateway":"true"}"#), Mode::Direct);
        assert_eq!(mode_from_response(200, r#"[1,2]"#), Mode::Direct);
        assert_eq!(mode_from_response(200, ""), Mode::Direct);
        // Gateway with a surprising field: still gateway mode, signed out.
        assert_eq!(
            mode_from_response(200, r#"{"gateway":true,"signedIn":"yes"}"#),
            Mode::Gateway(SessionBody {
                gateway: true,
                ..Default::default()
            })
        );
    }

    #[test]
    fn signed_out_needs_401_and_the_gateways_header() {
        assert!(is_signed_out(401, Some("true")));
        assert!(is_signed_out(401, Some(" True ")));
        assert!(
            !is_signed_out(401, None),
            "Open Dental's own 401: wrong keys on the gateway"
        );
        assert!(!is_signed_out(401, Some("false")));
        assert!(!is_signed_out(403, Some("true")));
        assert!(!is_signed_out(200, Some("true")));
    }

    fn clock() -> SessionClock {
        // 900 s idle timeout, 893 s left, 43100 s absolute, at t = 1000 ms.
        let Mode::Gateway(s) = mode_from_response(200, SIGNED_IN) else {
            panic!()
        };
        SessionClock::from_body(&s, 1_000.0)
    }

    #[test]
    fn the_warning_comes_one_minute_before_idle_expiry_and_counts_down() {
        let c = clock();
        let idle_end = 1_000.0 + 893_000.0;
        assert_eq!(c.at(1_000.0), SessionTime::Active);
        assert_eq!(c.at(idle_end - 60_001.0), SessionTime::Active);
        assert_eq!(c.at(idle_end - 60_000.0), SessionTime::Warning { seconds_left: 60 });
        assert_eq!(c.at(idle_end - 59_000.0), SessionTime::Warning { seconds_left: 59 });
        assert_eq!(c.at(idle_end - 58_500.0), SessionTime::Warning { seconds_left: 59 });
        assert_eq!(c.at(idle_end - 1.0), SessionTime::Warning { seconds_left: 1 });
        assert_eq!(c.at(idle_end), SessionTime::Ended(Ended::Idle));
        assert_eq!(c.idle_timeout_secs(), 900);
    }

    #[test]
    fn a_successful_request_restarts_idle_time_from_when_it_was_sent() {
        let c = clock();
        let idle_end = 1_000.0 + 893_000.0;
        let later = c.extended(500_000.0);
        assert_eq!(later.at(idle_end + 1.0), SessionTime::Active);
        assert_eq!(
            later.at(500_000.0 + 900_000.0 - 30_000.0),
            SessionTime::Warning { seconds_left: 30 }
        );
        assert_eq!(later.at(500_000.0 + 900_000.0), SessionTime::Ended(Ended::Idle));
        // An old answer arriving late never shortens what a newer one gave.
        assert_eq!(later.extended(2_000.0), later);
    }

    #[test]
    fn the_absolute_end_needs_sign_in_and_no_warning_when_it_comes_first() {
        let body = SessionBody {
            gateway: true,
            signed_in: true,
            idle_timeout_secs: 900,
            idle_remaining_secs: 900,
            absolute_remaining_secs: 100,
            ..Default::default()
        };
        let c = SessionClock::from_body(&body, 0.0);
        assert_eq!(
            c.at(50_000.0),
            SessionTime::Active,
            "no idle warning: staying would not help"
        );
        assert_eq!(c.at(100_000.0), SessionTime::Ended(Ended::Absolute));
        assert_eq!(c.extended(99_000.0).at(100_000.0), SessionTime::Ended(Ended::Absolute));
    }

    #[test]
    fn warnings_and_expiry_are_worded_for_people() {
        assert_eq!(
            warning_text(59),
            "You will be signed out in 59 seconds because of inactivity."
        );
        assert_eq!(
            warning_text(1),
            "You will be signed out in 1 second because of inactivity."
        );
        assert_eq!(
            expiry_text(Ended::Idle, 900),
            "You were signed out after 15 minutes without activity. Sign in again to continue where you were."
        );
        assert!(expiry_text(Ended::Idle, 60).contains("after 1 minute without"));
        assert!(expiry_text(Ended::Absolute, 900).contains("time limit"));
        assert!(expiry_text(Ended::Gateway, 900).starts_with("You were signed out of Chairside."));
    }

    #[test]
    fn the_queue_indicator_says_how_many_are_ahead() {
        assert_eq!(QueueStatus { waiting: 0, ahead: 0 }.text(), None);
        assert_eq!(QueueStatus { waiting: 0, ahead: 4 }.text(), None);
        assert_eq!(
            QueueStatus { waiting: 1, ahead: 0 }.text().as_deref(),
            Some("Waiting for Open Dental: next")
        );
        assert_eq!(
            QueueStatus { waiting: 3, ahead: 2 }.text().as_deref(),
            Some("Waiting for Open Dental: 2 ahead")
        );
        let parsed: QueueStatus = serde_json::from_str(r#"{"waiting":2,"ahead":5}"#).unwrap();
        assert_eq!(parsed, QueueStatus { waiting: 2, ahead: 5 });
    }

    #[test]
    fn sign_in_failures_show_the_gateways_text_verbatim() {
        assert_eq!(sign_in_outcome(200, SIGNED_IN, None).unwrap().user, "alice");
        assert_eq!(
            sign_in_outcome(401, "The username or password is not right.", None),
            Err("The username or password is not right.".into())
        );
        let limited = "Too many failed sign-ins for this account or address. Try again in 32 seconds.";
        assert_eq!(sign_in_outcome(429, limited, Some("32")), Err(limited.into()));
        // Without a text, a sentence of our own; never a bare status.
        assert_eq!(
            sign_in_outcome(429, "", Some("32")),
            Err("Too many failed sign-ins. Try again in 32 seconds.".into())
        );
        assert_eq!(
            sign_in_outcome(401, "", None),
            Err("The username or password is not right.".into())
        );
        assert!(sign_in_outcome(502, "<html>Bad gateway</html>", None)
            .unwrap_err()
            .contains("could not sign you in"));
        assert!(sign_in_outcome(200, r#"{"gateway":true,"signedIn":false}"#, None).is_err());
    }

    #[test]
    fn the_hub_tracks_requests_on_the_wire_and_wakes_waiters_after_sign_in() {
        use std::{cell::RefCell, future::Future, rc::Rc};

        let heard = Rc::new(RefCell::new(Vec::new()));
        let ear = heard.clone();
        hub::listen(move |n| ear.borrow_mut().push(n));

        assert_eq!(hub::oldest_pending(), None);
        let first = hub::sent(10.0);
        let second = hub::sent(20.0);
        assert_eq!(hub::oldest_pending(), Some(10.0));
        drop(first);
        assert_eq!(hub::oldest_pending(), Some(20.0));
        drop(second);
        assert_eq!(hub::oldest_pending(), None);

        hub::answered(20.0, true, Some("Remote".into()));
        hub::answered(30.0, false, Some(" ".into()));
        assert_eq!(
            *heard.borrow(),
            vec![
                hub::Notice::Started,
                hub::Notice::Started,
                hub::Notice::Endpoint("Remote".into()),
                hub::Notice::Extended { sent_at: 20.0 },
            ]
        );

        let mut waiting = Box::pin(hub::wait_for_sign_in());
        let waker = futures::task::noop_waker();
        let mut cx = std::task::Context::from_waker(&waker);
        assert!(waiting.as_mut().poll(&mut cx).is_pending());
        assert_eq!(heard.borrow().last(), Some(&hub::Notice::SignedOut));
        assert_eq!(hub::waiting_for_sign_in(), 1);
        hub::signed_in_again();
        assert_eq!(hub::waiting_for_sign_in(), 0);
        assert_eq!(waiting.as_mut().poll(&mut cx), std::task::Poll::Ready(true));
    }
}

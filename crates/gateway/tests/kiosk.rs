//! Kiosks through the gateway (issue 11), against the sandbox with the gateway's own SFTP
//! site: a paired tablet can reach nothing of Open Dental, sees only the first name of the
//! patient staff sent it, and its photos land once, for that patient, in the step's category.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chairside_gateway::config::EndpointKind;
use chairside_gateway::files_site::SftpSiteConfig;
use chairside_gateway::{Gateway, Keys, Options};
use chairside_sandbox::{FailMode, Sandbox};
use common::*;
use serde_json::{json, Value};

const KIOSK_ONLY: &str =
    "This device is a kiosk: it can add photos for the patient staff send to it, and nothing else.";
const JANE: i64 = 1;
const JANE_BIRTHDATE: &str = "1976-05-24";
/// What the tablet must never see of Jane.
const SECRETS: [&str; 6] = ["1976-05-24", "1976", "05/24", "Smith", "patNum", "docNum"];

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn sandbox_and_gateway() -> (Sandbox, Gateway, Dir) {
    let sandbox = Sandbox::start(chairside_sandbox::Config {
        developer_key: DEV_KEY.into(),
        customer_key: CUST_KEY.into(),
        ..chairside_sandbox::Config::for_tests()
    })
    .await
    .unwrap();
    let mut bytes = [0u8; 6];
    getrandom::getrandom(&mut bytes).unwrap();
    let dir = Dir(std::env::temp_dir().join(format!(
        "chairside-gw-kiosk-{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )));
    let mut cfg = config(vec![endpoint(EndpointKind::Sandbox, &sandbox.api_url(), "Sandbox")]);
    cfg.data_dir = dir.0.clone();
    cfg.sftp = Some(SftpSiteConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        address: None,
    });
    let gw = Gateway::start(
        cfg,
        Keys::new(DEV_KEY, CUST_KEY).unwrap(),
        Options {
            in_memory: true,
            capture_log: true,
        },
    )
    .await
    .unwrap();
    gw.state.accounts.add(USER, PASSWORD).unwrap();
    (sandbox, gw, dir)
}

/// A browser: its own cookies (as Set-Cookie left them) and every answer it got, as text.
struct Device {
    base: String,
    client: reqwest::Client,
    cookies: Mutex<BTreeMap<String, String>>,
    seen: Mutex<Vec<String>>,
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|_| panic!("not JSON: {}", self.text))
    }
}

impl Device {
    fn new(gw: &Gateway) -> Device {
        Device {
            base: gw.url(),
            client: http(),
            cookies: Mutex::new(BTreeMap::new()),
            seen: Mutex::new(Vec::new()),
        }
    }

    async fn signed_in(gw: &Gateway) -> Device {
        let device = Device::new(gw);
        let r = device
            .send(
                "POST",
                "/gateway/v1/sign-in",
                json!({"username": USER, "password": PASSWORD}),
            )
            .await;
        assert_eq!(r.status, 200);
        device
    }

    /// A tablet: signed in, then made a kiosk (which ends its staff session).
    async fn kiosk(gw: &Gateway, name: &str) -> (Device, Value) {
        let tablet = Device::signed_in(gw).await;
        let r = tablet.send("POST", "/gateway/v1/kiosks", json!({ "name": name })).await;
        assert_eq!(r.status, 201, "{}", r.text);
        assert!(tablet.cookie("chairside-kiosk").is_some());
        assert!(
            tablet.cookie("chairside-session").is_none(),
            "the staff session is gone"
        );
        tablet.seen.lock().unwrap().clear();
        (tablet, r.json())
    }

    fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    fn cookie_header(&self) -> String {
        let cookies = self.cookies.lock().unwrap();
        cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&self, headers: &reqwest::header::HeaderMap) {
        let mut cookies = self.cookies.lock().unwrap();
        for set in headers.get_all("set-cookie") {
            let set = set.to_str().unwrap();
            let (name, value) = set.split(';').next().unwrap().split_once('=').unwrap();
            if value.is_empty() || set.contains("Max-Age=0") {
                cookies.remove(name);
            } else {
                cookies.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    fn request(&self, method: &str, path: &str) -> reqwest::RequestBuilder {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self
            .client
            .request(method.clone(), format!("{}{path}", self.base))
            .header("cookie", self.cookie_header());
        if method != reqwest::Method::GET {
            request = request.header("sec-fetch-site", "same-origin");
        }
        request
    }

    async fn finish(&self, request: reqwest::RequestBuilder) -> Answer {
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        self.keep_cookies(&headers);
        let text = response.text().await.unwrap();
        self.seen.lock().unwrap().push(format!("{status} {headers:?} {text}"));
        Answer { status, headers, text }
    }

    async fn send(&self, method: &str, path: &str, body: Value) -> Answer {
        self.finish(
            self.request(method, path)
                .header("content-type", "application/json")
                .body(body.to_string()),
        )
        .await
    }

    async fn get(&self, path: &str) -> Answer {
        self.finish(self.request("GET", path)).await
    }

    async fn photo(&self, intake: &str, kind: &str, key: &str, bytes: &[u8]) -> Answer {
        self.finish(
            self.request("PUT", &format!("/gateway/v1/kiosk/intake/{intake}/photos/{kind}"))
                .header("content-type", "image/png")
                .header("idempotency-key", key)
                .body(bytes.to_vec()),
        )
        .await
    }

    async fn events(&self, path: &str) -> Events {
        let response = self.request("GET", path).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        Events {
            response,
            buffer: String::new(),
        }
    }

    /// Asserts that nothing this device was answered names the patient beyond her first name.
    fn assert_saw_nothing_secret(&self, extra: &[String]) {
        let seen = self.seen.lock().unwrap();
        for text in seen.iter().chain(extra) {
            for secret in SECRETS {
                assert!(!text.contains(secret), "{secret:?} reached the tablet in: {text}");
            }
        }
    }
}

/// A server-sent event stream being read.
struct Events {
    response: reqwest::Response,
    buffer: String,
}

impl Events {
    /// The next event (name, data), skipping keep-alive comments; `None` once the stream ends
    /// or nothing comes within `wait`.
    async fn next(&mut self, wait: Duration) -> Option<(String, String)> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(at) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..at + 2).collect();
                let mut name = String::new();
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        name = v.trim().to_owned();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                if name.is_empty() && data.is_empty() {
                    continue;
                }
                return Some((name, data));
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .ok()?
                .ok()??;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// Events until one satisfies `want`; all of them are returned (for scanning).
    async fn until(&mut self, wait: Duration, want: impl Fn(&str, &Value) -> bool) -> Vec<(String, String)> {
        let mut got = Vec::new();
        loop {
            let (name, data) = self
                .next(wait)
                .await
                .unwrap_or_else(|| panic!("no wanted event within {wait:?}; got {got:?}"));
            let value: Value = serde_json::from_str(&data).unwrap_or(Value::Null);
            let done = want(&name, &value);
            got.push((name, data));
            if done {
                return got;
            }
        }
    }
}

async fn send_intake(staff: &Device, kiosk_id: i64, pat_num: i64) -> Value {
    let r = staff
        .send(
            "POST",
            &format!("/gateway/v1/kiosks/{kiosk_id}/intakes"),
            json!({ "patNum": pat_num }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()
}

async fn confirm(tablet: &Device, intake: &str) {
    let r = tablet
        .send(
            "POST",
            &format!("/gateway/v1/kiosk/intake/{intake}/birthdate"),
            json!({ "birthdate": JANE_BIRTHDATE }),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["confirmed"], true);
}

/// A tiny file that is a PNG to the gateway's eyes; `tag` makes each one distinct.
fn png(tag: &str) -> Vec<u8> {
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    bytes.extend_from_slice(tag.as_bytes());
    bytes
}

async fn documents_of(staff: &Device, pat_num: i64) -> Vec<Value> {
    let r = staff.get(&format!("/api/v1/documents?PatNum={pat_num}")).await;
    assert_eq!(r.status, 200);
    serde_json::from_str(&r.text).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kiosk_credential_alone_gets_403_on_every_open_dental_path_and_nothing_is_forwarded() {
    let (upstream, gw) = service_gateway().await;
    let staff = Device::signed_in(&gw).await;
    let staff_cookie = staff.cookie("chairside-session").unwrap();
    let (tablet, kiosk) = Device::kiosk(&gw, "Front desk tablet").await;
    assert_eq!(kiosk["name"], "Front desk tablet");
    let session = tablet.get("/gateway/v1/session").await.json();
    assert_eq!(session["signedIn"], false);
    assert_eq!(session["kiosk"]["name"], "Front desk tablet");
    assert!(staff.get("/gateway/v1/session").await.json().get("kiosk").is_none());
    // Paired again, the device is a new kiosk and the one it was is gone.
    let r = tablet
        .send(
            "POST",
            "/gateway/v1/sign-in",
            json!({"username": USER, "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, 200);
    let again = tablet
        .send("POST", "/gateway/v1/kiosks", json!({"name": "Front desk tablet"}))
        .await;
    assert_eq!(again.status, 201);
    let listed = staff.get("/gateway/v1/kiosks").await.json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_ne!(listed[0]["id"], kiosk["id"]);
    assert!(tablet.cookie("chairside-session").is_none());

    let forwarded = upstream.seen().len();
    let paths = [
        "/api/v1/patients",
        "/api/v1/patients/1",
        "/api/v1/patients%2F1",
        "/api/v1/documents?PatNum=1",
        "/api/v1/documents/Upload",
        "/api/v1/documents/DownloadSftp",
        "/api/v1/%70atients/1",
        "/api/v1/a/%2e%2e/patients",
        "/api/v1/definitions?Category=18",
        "/gateway/v1/documents/1/file",
        "/gateway/v1/mounts/1/image",
        "/gateway/v1/queue",
        "/gateway/v1/session/refresh",
        "/gateway/v1/kiosks",
        "/gateway/v1/kiosks/1",
        "/gateway/v1/kiosks/1/setup",
        "/gateway/v1/kiosks/1/intakes",
        "/gateway/v1/intakes/abc",
        "/gateway/v1/intakes/abc/events",
        "/gateway/v1/intakes/abc/cancel",
    ];
    let mut refused = 0;
    for path in paths {
        for method in ["GET", "POST", "PUT", "DELETE"] {
            let r = tablet.send(method, path, json!({"PatNum": 1})).await;
            // A route that has no such method says so (405) before anything else; every
            // request that names an address the kiosk might use is refused as a kiosk.
            if r.status == 405 {
                continue;
            }
            assert_eq!(r.status, 403, "{method} {path}: {}", r.text);
            assert_eq!(r.text, KIOSK_ONLY, "{method} {path}");
            refused += 1;
        }
    }
    assert!(refused >= 60, "{refused}");
    assert_eq!(upstream.seen().len(), forwarded, "nothing reached Open Dental");

    // The device that paired is no longer signed in as staff; the desk still is.
    let old = Device::new(&gw);
    old.cookies
        .lock()
        .unwrap()
        .insert("chairside-session".into(), staff_cookie.clone());
    assert_eq!(old.get("/api/v1/patients").await.status, 200, "the desk's own session");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_desk_sends_a_patient_the_tablet_shows_her_within_two_seconds_and_her_photos_land_with_her() {
    let (sandbox, gw, _dir) = sandbox_and_gateway().await;
    let staff = Device::signed_in(&gw).await;
    let (tablet, kiosk) = Device::kiosk(&gw, "Front desk tablet").await;
    let kiosk_id = kiosk["id"].as_i64().unwrap();
    // Defaults from the practice's image categories (Category 18).
    let categories: Vec<i64> = kiosk["setup"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["category"].as_i64().unwrap())
        .collect();
    assert_eq!(categories, [13, 17, 17, 18]);
    assert_eq!(kiosk["setup"]["idleSeconds"], 90);

    let mut stream = tablet.events("/gateway/v1/kiosk/events").await;
    let first = stream.until(Duration::from_secs(2), |name, _| name == "kiosk").await;
    assert_eq!(
        serde_json::from_str::<Value>(&first[0].1).unwrap()["intake"],
        Value::Null
    );
    let listed = staff.get("/gateway/v1/kiosks").await.json();
    assert_eq!(listed[0]["connected"], true);

    let sent_at = Instant::now();
    let status = send_intake(&staff, kiosk_id, JANE).await;
    let shown = stream
        .until(Duration::from_secs(2), |_, v| v["intake"].is_object())
        .await;
    let elapsed = sent_at.elapsed();
    println!("send to kiosk → tablet has the intake: {} ms", elapsed.as_millis());
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    let id = status["id"].as_str().unwrap().to_owned();
    assert!(id.len() >= 22, "at least 128 random bits");
    assert_eq!(status["patientName"], "Jane Smith");
    assert_eq!(status["startedBy"], USER);
    assert_eq!(status["state"], "waiting");
    let view: Value = serde_json::from_str(&shown.last().unwrap().1).unwrap();
    assert_eq!(view["intake"]["firstName"], "Jane");
    assert_eq!(view["intake"]["language"], "en");
    assert_eq!(view["intake"]["triesLeft"], 3);

    // A second intake for the same kiosk waits for this one.
    let busy = staff
        .send(
            "POST",
            &format!("/gateway/v1/kiosks/{kiosk_id}/intakes"),
            json!({ "patNum": 2 }),
        )
        .await;
    assert_eq!(busy.status, 409);
    assert!(busy.text.contains("Jane") && busy.text.contains(USER), "{}", busy.text);

    // Staff watch it live.
    let mut watching = staff.events(&format!("/gateway/v1/intakes/{id}/events")).await;
    watching
        .until(Duration::from_secs(2), |_, v| v["state"] == "waiting")
        .await;

    // Before the birthdate: no photos.
    let early = tablet.photo(&id, "selfie", "key-early-000001", &png("early")).await;
    assert_eq!(early.status, 403);
    confirm(&tablet, &id).await;
    watching
        .until(Duration::from_secs(2), |_, v| v["state"] == "confirmed")
        .await;

    // The tablet tries to choose another patient and category everywhere it can.
    let selfie = png(r#"{"PatNum":5,"DocCategory":14,"ImgType":"Radiograph"}"#);
    let r = tablet
        .finish(
            tablet
                .request(
                    "PUT",
                    &format!("/gateway/v1/kiosk/intake/{id}/photos/selfie?PatNum=5&DocCategory=14"),
                )
                .header("content-type", "image/png")
                .header("idempotency-key", "key-selfie-000001")
                .header("PatNum", "5")
                .header("DocCategory", "14")
                .body(selfie.clone()),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json(), json!({"kind": "selfie", "status": "arrived"}));
    let arrived = watching
        .until(Duration::from_secs(2), |_, v| v["steps"][0]["status"] == "arrived")
        .await;
    let staff_view: Value = serde_json::from_str(&arrived.last().unwrap().1).unwrap();
    let doc_num = staff_view["steps"][0]["docNum"].as_i64().unwrap();

    let doc = documents_of(&staff, JANE)
        .await
        .into_iter()
        .find(|d| d["DocNum"].as_i64() == Some(doc_num))
        .expect("the photo is Jane's");
    assert_eq!(doc["DocCategory"].as_i64(), Some(13), "the selfie's category: {doc}");
    assert_eq!(doc["Description"], "Patient photo (kiosk)");
    let single = staff.get(&format!("/api/v1/documents/{doc_num}")).await.json();
    assert_eq!(single["ImgType"], "Photo");
    assert_eq!(chairside_sandbox::atoz::copies_of(&sandbox.atoz_dir, &selfie), 1);
    let file = staff.get(&format!("/gateway/v1/documents/{doc_num}/file")).await;
    assert_eq!(file.status, 200);
    assert!(documents_of(&staff, 5)
        .await
        .iter()
        .all(|d| d["Description"] != "Patient photo (kiosk)"));

    // Skip, finish; staff see each.
    let skipped = tablet
        .send(
            "POST",
            &format!("/gateway/v1/kiosk/intake/{id}/steps/cardFront/skip"),
            json!({}),
        )
        .await;
    assert_eq!(skipped.status, 200);
    assert_eq!(skipped.json()["steps"][1]["status"], "skipped");
    assert_eq!(
        tablet
            .send("POST", &format!("/gateway/v1/kiosk/intake/{id}/finish"), json!({}))
            .await
            .status,
        200
    );
    let last = watching
        .until(Duration::from_secs(2), |_, v| v["state"] == "finished")
        .await;
    assert!(
        watching.next(Duration::from_secs(2)).await.is_none(),
        "the stream ends after the end"
    );
    assert!(!last.is_empty());
    let after = stream.until(Duration::from_secs(2), |_, v| v["intake"].is_null()).await;

    // The audit log has the kiosk's upload, for Jane.
    let rows = gw.state.audit.query(&Default::default()).unwrap();
    let upload = rows
        .iter()
        .find(|r| r.path.contains("documents/Upload"))
        .expect("the upload is audited");
    assert_eq!(upload.actor, "kiosk:Front desk tablet");
    assert_eq!(upload.pat_num, Some(JANE));
    assert_eq!(upload.status, 201);
    for what in ["paired", "started", "ended finished"] {
        assert!(rows.iter().any(|r| r.path.contains(what)), "{what} is audited");
    }

    // Nothing the tablet got, its event stream included, says more than "Jane".
    let streamed: Vec<String> = first
        .iter()
        .chain(&shown)
        .chain(&after)
        .map(|(n, d)| format!("{n} {d}"))
        .collect();
    tablet.assert_saw_nothing_secret(&streamed);
    assert!(tablet.seen.lock().unwrap().iter().all(|s| s.contains("no-store")));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_staff_panel_left_open_after_sign_out_hears_nothing_more_of_the_patient() {
    let (_sandbox, gw, _dir) = sandbox_and_gateway().await;
    let staff = Device::signed_in(&gw).await;
    let (tablet, kiosk) = Device::kiosk(&gw, "Tablet").await;
    let id = send_intake(&staff, kiosk["id"].as_i64().unwrap(), JANE).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut watching = staff.events(&format!("/gateway/v1/intakes/{id}/events")).await;
    watching
        .until(Duration::from_secs(2), |_, v| v["state"] == "waiting")
        .await;
    assert_eq!(staff.send("POST", "/gateway/v1/sign-out", json!({})).await.status, 204);
    confirm(&tablet, &id).await;
    let heard = watching
        .until(Duration::from_secs(2), |name, _| name == "signed-out")
        .await;
    assert_eq!(
        heard,
        [("signed-out".to_owned(), "{}".to_owned())],
        "no status after sign-out"
    );
    assert!(
        watching.next(Duration::from_millis(300)).await.is_none(),
        "and the stream ends"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn three_wrong_birthdates_lock_the_visit_and_staff_see_it() {
    let (_sandbox, gw, _dir) = sandbox_and_gateway().await;
    let staff = Device::signed_in(&gw).await;
    let (tablet, kiosk) = Device::kiosk(&gw, "Tablet").await;
    let status = send_intake(&staff, kiosk["id"].as_i64().unwrap(), JANE).await;
    let id = status["id"].as_str().unwrap();
    let path = format!("/gateway/v1/kiosk/intake/{id}/birthdate");
    for (guess, left) in [("1976-05-25", 2), ("1967-05-24", 1)] {
        let r = tablet.send("POST", &path, json!({ "birthdate": guess })).await;
        assert_eq!(r.status, 422);
        assert_eq!(r.json()["triesLeft"], left);
    }
    let r = tablet.send("POST", &path, json!({ "birthdate": "1976-24-05" })).await;
    assert_eq!(r.status, 410);
    assert_eq!(r.text, "This visit has ended.");
    let r = tablet.send("POST", &path, json!({ "birthdate": JANE_BIRTHDATE })).await;
    assert_eq!(r.status, 410, "the right date is too late now");
    let seen = staff.get(&format!("/gateway/v1/intakes/{id}")).await.json();
    assert_eq!(seen["state"], "lockedOut");
    assert_eq!(seen["birthdateMisses"], 3);
    assert!(seen["endedAt"].is_string());
    let misses = gw
        .state
        .audit
        .query(&Default::default())
        .unwrap()
        .into_iter()
        .filter(|r| r.path.contains("birthdate (miss"))
        .count();
    assert_eq!(misses, 3);
    tablet.assert_saw_nothing_secret(&[]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_replayed_photo_lands_once_also_when_the_first_answer_was_lost_or_a_500() {
    let (sandbox, gw, _dir) = sandbox_and_gateway().await;
    let staff = Device::signed_in(&gw).await;
    let (tablet, kiosk) = Device::kiosk(&gw, "Tablet").await;
    let status = send_intake(&staff, kiosk["id"].as_i64().unwrap(), JANE).await;
    let id = status["id"].as_str().unwrap();
    confirm(&tablet, id).await;
    let copies = |bytes: &[u8]| chairside_sandbox::atoz::copies_of(&sandbox.atoz_dir, bytes);

    // The same key twice: one document, the same answer.
    let selfie = png("selfie, sent twice");
    let first = tablet.photo(id, "selfie", "key-replay-000001", &selfie).await;
    let again = tablet.photo(id, "selfie", "key-replay-000001", &selfie).await;
    assert_eq!((first.status, again.status), (201, 201));
    assert_eq!(first.text, again.text);
    assert_eq!(copies(&selfie), 1);

    // Open Dental saves it, then the connection breaks before the answer.
    let card = png("card front, answer lost");
    sandbox.knobs.fail_requests(1, FailMode::Drop, "POST /documents/Upload");
    let lost = tablet.photo(id, "cardFront", "key-dropped-00001", &card).await;
    assert_eq!(lost.status, 502, "{}", lost.text);
    sandbox.knobs.stop_failing();
    assert_eq!(copies(&card), 1, "it was saved");
    let retry = tablet.photo(id, "cardFront", "key-dropped-00001", &card).await;
    assert_eq!(retry.status, 201, "{}", retry.text);
    assert_eq!(copies(&card), 1, "and not stored twice");
    let seen = staff.get(&format!("/gateway/v1/intakes/{id}")).await.json();
    assert_eq!(seen["steps"][1]["status"], "arrived");
    let card_doc = seen["steps"][1]["docNum"].as_i64().unwrap();
    let file = staff.get(&format!("/gateway/v1/documents/{card_doc}/file")).await;
    assert_eq!(file.status, 200);

    // A 500 saved nothing: the retry looks, finds nothing, sends once.
    let back = png("card back, refused once");
    sandbox
        .knobs
        .fail_requests(1, FailMode::ServerError, "POST /documents/Upload");
    let refused = tablet.photo(id, "cardBack", "key-refused-00001", &back).await;
    assert_eq!(refused.status, 502);
    sandbox.knobs.stop_failing();
    assert_eq!(copies(&back), 0);
    assert_eq!(
        tablet.photo(id, "cardBack", "key-refused-00001", &back).await.status,
        201
    );
    assert_eq!(copies(&back), 1);

    // A retry while the first attempt is still on its way waits for it; a tablet that gave
    // up on its request (Wi-Fi gone) does not stop the upload, and its retry gets the answer.
    sandbox.knobs.set_latency_ms(400);
    let id_photo = png("photo ID, retried while in flight");
    let (a, b) = tokio::join!(tablet.photo(id, "photoId", "key-inflight-0001", &id_photo), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        tablet.photo(id, "photoId", "key-inflight-0001", &id_photo).await
    });
    assert_eq!((a.status, b.status), (201, 201), "{} / {}", a.text, b.text);
    assert_eq!(copies(&id_photo), 1);
    let given_up = png("photo ID, the tablet gave up waiting");
    let impatient = tablet
        .request("PUT", &format!("/gateway/v1/kiosk/intake/{id}/photos/photoId"))
        .header("content-type", "image/png")
        .header("idempotency-key", "key-gave-up-00001")
        .timeout(Duration::from_millis(150))
        .body(given_up.clone())
        .send()
        .await;
    assert!(impatient.is_err(), "the tablet stopped waiting");
    let retried = tablet.photo(id, "photoId", "key-gave-up-00001", &given_up).await;
    assert_eq!(retried.status, 201, "{}", retried.text);
    sandbox.knobs.set_latency_ms(0);
    assert_eq!(copies(&given_up), 1);
    assert_eq!(copies(&id_photo), 0, "the retake replaced it");

    // The same key with a different photo is refused and sends nothing.
    let other = png("a different photo under a used key");
    let misuse = tablet.photo(id, "selfie", "key-replay-000001", &other).await;
    assert_eq!(misuse.status, 400);
    assert_eq!(copies(&other), 0);
    // Without a key, nothing is sent either.
    let keyless = tablet
        .finish(
            tablet
                .request("PUT", &format!("/gateway/v1/kiosk/intake/{id}/photos/photoId"))
                .header("content-type", "image/png")
                .body(png("no key")),
        )
        .await;
    assert_eq!(keyless.status, 400);
    assert_eq!(copies(&png("no key")), 0);
    tablet.assert_saw_nothing_secret(&[]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_retake_leaves_one_document_for_the_step_and_oversized_photos_are_refused_unsent() {
    let (sandbox, gw, _dir) = sandbox_and_gateway().await;
    let staff = Device::signed_in(&gw).await;
    let (tablet, kiosk) = Device::kiosk(&gw, "Tablet").await;
    let status = send_intake(&staff, kiosk["id"].as_i64().unwrap(), JANE).await;
    let id = status["id"].as_str().unwrap();
    confirm(&tablet, id).await;
    let before = documents_of(&staff, JANE).await.len();
    let (first, second) = (png("photo ID, first take"), png("photo ID, retake"));
    // Staff looking at her images meanwhile are never shown thumbnails from before a photo.
    let thumbnails = format!("/gateway/v1/patients/{JANE}/thumbnails");
    assert_eq!(staff.get(&thumbnails).await.status, 200);
    assert!(gw.state.thumbnails.is_kept(JANE));
    assert_eq!(
        tablet.photo(id, "photoId", "key-take-0000001", &first).await.status,
        201
    );
    assert!(
        !gw.state.thumbnails.is_kept(JANE),
        "a kiosk photo forgets her thumbnails"
    );
    assert_eq!(staff.get(&thumbnails).await.status, 200);
    assert_eq!(
        tablet.photo(id, "photoId", "key-take-0000002", &second).await.status,
        201
    );
    assert!(!gw.state.thumbnails.is_kept(JANE), "so does a retake");
    let copies = |bytes: &[u8]| chairside_sandbox::atoz::copies_of(&sandbox.atoz_dir, bytes);
    assert_eq!((copies(&first), copies(&second)), (0, 1));
    let documents = documents_of(&staff, JANE).await;
    assert_eq!(documents.len(), before + 1, "the step holds one document");
    let seen = staff.get(&format!("/gateway/v1/intakes/{id}")).await.json();
    let held = seen["steps"][3]["docNum"].as_i64().unwrap();
    assert!(documents.iter().any(|d| d["DocNum"].as_i64() == Some(held)));
    // A late retry of the first take changes nothing.
    assert_eq!(
        tablet.photo(id, "photoId", "key-take-0000001", &first).await.status,
        201
    );
    assert_eq!((copies(&first), copies(&second)), (0, 1));
    assert_eq!(documents_of(&staff, JANE).await.len(), before + 1);

    // Too large for Open Dental's limit once in base64: 413, and nothing reaches it.
    sandbox.knobs.clear_request_log();
    // (Its Content-Length is enough: the answer comes before the body, which a client would
    // still be writing, so the request is written by hand.)
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let huge = opendental::error::MAX_BODY_CHARS / 4 * 3 + 1;
    let mut conn = tokio::net::TcpStream::connect(gw.addr).await.unwrap();
    let head = format!(
        "PUT /gateway/v1/kiosk/intake/{id}/photos/selfie HTTP/1.1\r\nHost: {}\r\nCookie: {}\r\n\
         Content-Type: image/jpeg\r\nIdempotency-Key: key-too-large-001\r\nContent-Length: {huge}\r\n\r\n",
        gw.addr,
        tablet.cookie_header()
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    conn.write_all(&[7u8; 4096]).await.unwrap();
    let mut answer = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(5), conn.read(&mut answer))
        .await
        .unwrap()
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("too large"), "{answer}");
    assert!(sandbox.knobs.requests().is_empty(), "{:?}", sandbox.knobs.requests());
}

#[tokio::test(flavor = "multi_thread")]
async fn after_finish_cancel_abandon_lockout_and_expiry_every_intake_endpoint_answers_410() {
    let (_sandbox, gw, _dir) = sandbox_and_gateway().await;
    let staff = Device::signed_in(&gw).await;
    let (tablet, kiosk) = Device::kiosk(&gw, "Tablet").await;
    let kiosk_id = kiosk["id"].as_i64().unwrap();
    let all_410 = |id: String| {
        let tablet = &tablet;
        async move {
            let base = format!("/gateway/v1/kiosk/intake/{id}");
            for (method, path) in [
                ("POST", format!("{base}/birthdate")),
                ("POST", format!("{base}/steps/selfie/skip")),
                ("POST", format!("{base}/steps/nonsense/skip")),
                ("POST", format!("{base}/finish")),
                ("POST", format!("{base}/abandon")),
                ("POST", format!("{base}/activity")),
            ] {
                let r = tablet.send(method, &path, json!({"birthdate": JANE_BIRTHDATE})).await;
                assert_eq!((r.status, r.text.as_str()), (410, "This visit has ended."), "{path}");
            }
            let r = tablet.photo(&id, "selfie", "key-after-end-0001", &png("late")).await;
            assert_eq!(r.status, 410, "photo");
        }
    };
    let end_by = |how: &'static str, id: String| {
        let (tablet, staff) = (&tablet, &staff);
        async move {
            let r = match how {
                "cancel" => {
                    staff
                        .send("POST", &format!("/gateway/v1/intakes/{id}/cancel"), json!({}))
                        .await
                }
                _ => {
                    tablet
                        .send(
                            "POST",
                            &format!("/gateway/v1/kiosk/intake/{id}/{how}"),
                            json!({"reason": "idle"}),
                        )
                        .await
                }
            };
            assert_eq!(r.status, 200, "{how}: {}", r.text);
        }
    };
    for (how, state) in [("finish", "finished"), ("cancel", "canceled"), ("abandon", "abandoned")] {
        let id = send_intake(&staff, kiosk_id, JANE).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        confirm(&tablet, &id).await;
        end_by(how, id.clone()).await;
        assert_eq!(
            staff.get(&format!("/gateway/v1/intakes/{id}")).await.json()["state"],
            state
        );
        all_410(id.clone()).await;
        let again = staff
            .send("POST", &format!("/gateway/v1/intakes/{id}/cancel"), json!({}))
            .await;
        assert_eq!(again.status, 410, "cancelling an ended intake");
    }
    // Unknown ids, and another kiosk's intake, look the same as ended ones.
    all_410("AAAAAAAAAAAAAAAAAAAAAAAA".into()).await;
    let (other, other_kiosk) = Device::kiosk(&gw, "Annex").await;
    let theirs = send_intake(&staff, other_kiosk["id"].as_i64().unwrap(), JANE).await;
    all_410(theirs["id"].as_str().unwrap().to_owned()).await;
    assert_eq!(
        other.get("/gateway/v1/kiosk").await.json()["intake"]["firstName"],
        "Jane",
        "their intake is untouched"
    );

    // Expiry: idle seconds + a minute with no kiosk request; staff see it without the kiosk asking.
    let id = send_intake(&staff, kiosk_id, JANE).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut watching = staff.events(&format!("/gateway/v1/intakes/{id}/events")).await;
    watching
        .until(Duration::from_secs(2), |_, v| v["state"] == "waiting")
        .await;
    gw.state.clock.advance(Duration::from_secs(90 + 59));
    assert_eq!(
        tablet
            .send("POST", &format!("/gateway/v1/kiosk/intake/{id}/activity"), json!({}))
            .await
            .status,
        204,
        "not yet, and this counts as activity"
    );
    gw.state.clock.advance(Duration::from_secs(90 + 61));
    watching
        .until(Duration::from_secs(3), |_, v| v["state"] == "expired")
        .await;
    all_410(id).await;

    // However busy, thirty minutes at most.
    let id = send_intake(&staff, kiosk_id, JANE).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for _ in 0..31 {
        gw.state.clock.advance(Duration::from_secs(60));
        let r = tablet
            .send("POST", &format!("/gateway/v1/kiosk/intake/{id}/activity"), json!({}))
            .await;
        if r.status == 410 {
            break;
        }
    }
    let staff = Device::signed_in(&gw).await;
    assert_eq!(
        staff.get(&format!("/gateway/v1/intakes/{id}")).await.json()["state"],
        "expired"
    );
    let rows = gw.state.audit.query(&Default::default()).unwrap();
    assert!(rows.iter().any(|r| r.path.contains("ended expired")));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_kiosk_gets_401_its_cookie_cleared_its_stream_closed_and_its_visit_canceled() {
    let (_sandbox, gw, _dir) = sandbox_and_gateway().await;
    let staff = Device::signed_in(&gw).await;
    let (tablet, kiosk) = Device::kiosk(&gw, "Tablet").await;
    let kiosk_id = kiosk["id"].as_i64().unwrap();
    let id = send_intake(&staff, kiosk_id, JANE).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut stream = tablet.events("/gateway/v1/kiosk/events").await;
    stream
        .until(Duration::from_secs(2), |_, v| v["intake"].is_object())
        .await;
    let cookie = tablet.cookie("chairside-kiosk").unwrap();

    assert_eq!(
        staff
            .send("DELETE", &format!("/gateway/v1/kiosks/{kiosk_id}"), json!({}))
            .await
            .status,
        204
    );
    stream.until(Duration::from_secs(2), |name, _| name == "revoked").await;
    assert!(stream.next(Duration::from_secs(2)).await.is_none(), "and it ends");
    assert_eq!(
        staff.get(&format!("/gateway/v1/intakes/{id}")).await.json()["state"],
        "canceled"
    );
    assert!(staff
        .get("/gateway/v1/kiosks")
        .await
        .json()
        .as_array()
        .unwrap()
        .is_empty());

    let r = tablet.get("/gateway/v1/kiosk").await;
    assert_eq!(r.status, 401);
    assert!(r.headers["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    assert!(tablet.cookie("chairside-kiosk").is_none());
    // Even presented again, the old credential is refused, here and on Open Dental's paths.
    let thief = Device::new(&gw);
    thief.cookies.lock().unwrap().insert("chairside-kiosk".into(), cookie);
    assert_eq!(thief.get("/gateway/v1/kiosk").await.status, 401);
    assert_eq!(
        thief
            .send("POST", &format!("/gateway/v1/kiosk/intake/{id}/finish"), json!({}))
            .await
            .status,
        401
    );
    assert_eq!(thief.get("/api/v1/patients/1").await.status, 401);
    assert_eq!(thief.get("/gateway/v1/session").await.json().get("kiosk"), None);
    // Never paired at all: 401 too.
    assert_eq!(Device::new(&gw).get("/gateway/v1/kiosk").await.status, 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn starting_on_the_tablet_needs_both_cookies_and_ends_the_staff_session_there() {
    let (_sandbox, gw, _dir) = sandbox_and_gateway().await;
    let (tablet, _) = Device::kiosk(&gw, "Tablet").await;
    let start = json!({ "patNum": JANE });
    let r = tablet.send("POST", "/gateway/v1/kiosk/intakes", start.clone()).await;
    assert_eq!(r.status, 401, "a kiosk alone cannot start one");
    let staff_only = Device::signed_in(&gw).await;
    let r = staff_only
        .send("POST", "/gateway/v1/kiosk/intakes", start.clone())
        .await;
    assert_eq!(r.status, 401, "staff alone are not a kiosk");

    // Staff sign in on the tablet: both cookies, and then /api/v1 works as staff.
    let r = tablet
        .send(
            "POST",
            "/gateway/v1/sign-in",
            json!({"username": USER, "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(tablet.get("/api/v1/patients/1").await.status, 200);
    let staff_cookie = tablet.cookie("chairside-session").unwrap();
    let r = tablet.send("POST", "/gateway/v1/kiosk/intakes", start).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json()["intake"]["firstName"], "Jane");
    assert!(
        tablet.cookie("chairside-session").is_none(),
        "the staff cookie is cleared"
    );
    assert_eq!(tablet.get("/api/v1/patients/1").await.status, 403);
    let replay = Device::new(&gw);
    replay
        .cookies
        .lock()
        .unwrap()
        .insert("chairside-session".into(), staff_cookie);
    assert_eq!(replay.get("/api/v1/patients/1").await.status, 401, "that session ended");
}

#[tokio::test(flavor = "multi_thread")]
async fn jose_whose_language_is_spa_gets_spanish_and_patients_without_a_birthdate_are_refused() {
    let (_sandbox, gw, _dir) = sandbox_and_gateway().await;
    let staff = Device::signed_in(&gw).await;
    let (tablet, kiosk) = Device::kiosk(&gw, "Tablet").await;
    let found: Vec<Value> = serde_json::from_str(&staff.get("/api/v1/patients?FName=Jos%C3%A9").await.text).unwrap();
    let jose = found
        .iter()
        .find(|p| p["FName"] == "José")
        .expect("José is in the sandbox")["PatNum"]
        .as_i64()
        .unwrap();
    let status = send_intake(&staff, kiosk["id"].as_i64().unwrap(), jose).await;
    assert_eq!(status["language"], "es");
    let view = tablet.get("/gateway/v1/kiosk").await.json();
    assert_eq!(view["intake"]["language"], "es");
    assert_eq!(view["intake"]["firstName"], "José");
    let cancel = format!("/gateway/v1/intakes/{}/cancel", status["id"].as_str().unwrap());
    assert_eq!(staff.send("POST", &cancel, json!({})).await.status, 200);

    // A patient without a birthdate cannot be confirmed; unknown patients and kiosks are 404.
    let found: Vec<Value> =
        serde_json::from_str(&staff.get("/api/v1/patients?LName=Johnson&FName=Brody").await.text).unwrap();
    let brody = found[0]["PatNum"].as_i64().unwrap();
    let kiosk_id = kiosk["id"].as_i64().unwrap();
    let path = format!("/gateway/v1/kiosks/{kiosk_id}/intakes");
    let r = staff.send("POST", &path, json!({ "patNum": brody })).await;
    assert_eq!(r.status, 422);
    assert!(r.text.contains("Brody has no birthdate"), "{}", r.text);
    assert_eq!(staff.send("POST", &path, json!({ "patNum": 999999 })).await.status, 404);
    let unknown = staff
        .send("POST", "/gateway/v1/kiosks/999/intakes", json!({ "patNum": JANE }))
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(
        tablet.get("/gateway/v1/kiosk").await.json()["intake"],
        Value::Null,
        "nothing was sent"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn setup_is_validated_and_takes_effect_for_the_next_intake() {
    let (_sandbox, gw, _dir) = sandbox_and_gateway().await;
    let staff = Device::signed_in(&gw).await;
    let (tablet, kiosk) = Device::kiosk(&gw, "Tablet").await;
    let kiosk_id = kiosk["id"].as_i64().unwrap();
    let path = format!("/gateway/v1/kiosks/{kiosk_id}/setup");
    let good = kiosk["setup"].clone();
    let broken = |change: &dyn Fn(&mut Value)| {
        let mut s = good.clone();
        change(&mut s);
        s
    };
    for (bad, why) in [
        (
            broken(&|s| {
                s["steps"]
                    .as_array_mut()
                    .unwrap()
                    .iter_mut()
                    .for_each(|st| st["enabled"] = json!(false))
            }),
            "at least one step",
        ),
        (broken(&|s| s["idleSeconds"] = json!(1)), "between 2 and 600"),
        (broken(&|s| s["idleSeconds"] = json!(601)), "between 2 and 600"),
        (broken(&|s| s["steps"][0]["category"] = json!(0)), "image category"),
        (broken(&|s| s["steps"][1]["description"] = json!("")), "1 to 255"),
        (
            broken(&|s| s["steps"][1]["description"] = json!("x".repeat(256))),
            "1 to 255",
        ),
        (json!({"steps": "nope"}), "not a kiosk setup"),
    ] {
        let r = staff.send("PUT", &path, bad).await;
        assert_eq!(r.status, 422, "{why}");
        assert!(r.text.contains(why), "{why}: {}", r.text);
    }
    assert_eq!(
        staff
            .send("PUT", "/gateway/v1/kiosks/999/setup", good.clone())
            .await
            .status,
        404
    );
    for name in ["   ".to_owned(), "x".repeat(61)] {
        let r = staff.send("POST", "/gateway/v1/kiosks", json!({ "name": name })).await;
        assert_eq!(r.status, 422, "{name:?}");
    }
    assert!(
        staff.cookie("chairside-session").is_some(),
        "a refused pairing keeps the session"
    );
    let mut stream = tablet.events("/gateway/v1/kiosk/events").await;
    stream
        .until(Duration::from_secs(2), |_, v| v["idleSeconds"] == 90)
        .await;

    let only_selfie = broken(&|s| {
        s["idleSeconds"] = json!(45);
        for i in 1..4 {
            s["steps"][i]["enabled"] = json!(false);
        }
    });
    let r = staff.send("PUT", &path, only_selfie).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["setup"]["idleSeconds"], 45);
    stream
        .until(Duration::from_secs(2), |_, v| v["idleSeconds"] == 45)
        .await;
    let status = send_intake(&staff, kiosk_id, JANE).await;
    assert_eq!(status["steps"].as_array().unwrap().len(), 1);
    let id = status["id"].as_str().unwrap();
    confirm(&tablet, id).await;
    assert_eq!(
        tablet
            .photo(id, "cardFront", "key-disabled-0001", &png("x"))
            .await
            .status,
        404
    );
    assert_eq!(
        tablet
            .photo(id, "nonsense", "key-nonsense-0001", &png("x"))
            .await
            .status,
        404
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn cross_origin_posts_are_refused_and_change_nothing() {
    let (_sandbox, gw, _dir) = sandbox_and_gateway().await;
    let staff = Device::signed_in(&gw).await;
    let (tablet, kiosk) = Device::kiosk(&gw, "Tablet").await;
    let id = send_intake(&staff, kiosk["id"].as_i64().unwrap(), JANE).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cross = |device: &Device, method: &str, path: String| {
        device
            .request(method, &path)
            .header("sec-fetch-site", "cross-site")
            .header("origin", "https://evil.example")
            .header("content-type", "application/json")
            .body(json!({"birthdate": "2000-01-01", "name": "Evil", "patNum": 1}).to_string())
    };
    for path in [
        format!("/gateway/v1/kiosk/intake/{id}/birthdate"),
        format!("/gateway/v1/kiosk/intake/{id}/finish"),
        "/gateway/v1/kiosk/exit".to_owned(),
    ] {
        let r = tablet.finish(cross(&tablet, "POST", path.clone())).await;
        assert_eq!(r.status, 403, "{path}");
    }
    for (method, path) in [
        ("POST", "/gateway/v1/kiosks".to_owned()),
        ("POST", format!("/gateway/v1/intakes/{id}/cancel")),
        ("DELETE", format!("/gateway/v1/kiosks/{}", kiosk["id"])),
    ] {
        assert_eq!(
            staff.finish(cross(&staff, method, path.clone())).await.status,
            403,
            "{path}"
        );
    }
    let seen = staff.get(&format!("/gateway/v1/intakes/{id}")).await.json();
    assert_eq!(
        (seen["state"].as_str(), seen["birthdateMisses"].as_i64()),
        (Some("waiting"), Some(0))
    );
    assert_eq!(
        staff.get("/gateway/v1/kiosks").await.json().as_array().unwrap().len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn leaving_kiosk_mode_needs_a_staff_password() {
    let (_sandbox, gw, _dir) = sandbox_and_gateway().await;
    let (tablet, _) = Device::kiosk(&gw, "Tablet").await;
    let wrong = tablet
        .send(
            "POST",
            "/gateway/v1/kiosk/exit",
            json!({"username": USER, "password": "not the password"}),
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.text, "The username or password is not right.");
    let empty = tablet.send("POST", "/gateway/v1/kiosk/exit", json!({})).await;
    assert_eq!(empty.status, 401, "no staff session here");
    assert_eq!(tablet.get("/gateway/v1/kiosk").await.status, 200, "still a kiosk");
    let right = tablet
        .send(
            "POST",
            "/gateway/v1/kiosk/exit",
            json!({"username": USER, "password": PASSWORD}),
        )
        .await;
    assert_eq!(right.status, 204);
    assert!(tablet.cookie("chairside-kiosk").is_none());
    assert_eq!(tablet.get("/gateway/v1/session").await.json().get("kiosk"), None);
    let staff = Device::signed_in(&gw).await;
    assert!(staff
        .get("/gateway/v1/kiosks")
        .await
        .json()
        .as_array()
        .unwrap()
        .is_empty());
}

//! The patient-intake kiosk through the gateway, with two devices: staff at their desk and a
//! paired tablet (a second Chromium with its own profile, tablet-sized). Pairing, sending an
//! intake from the desk (and the time it takes to show), the birthdate checked by the gateway,
//! photos arriving live on the desk, Spanish, the idle reset leaving nothing behind, leaving
//! kiosk mode, revoking, the installable shell and a photo taken while the network is down.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::{json, Value};

use crate::harness::{Browser, Session, TempDir, STAFF_PASSWORD, STAFF_USER};
pub(crate) use chairside_sandbox::seed::patients::SMITH_JANE as JANE;

const TABLET: &str = "Front desk tablet";

/// The sandbox's José Núñez (Language `spa`), found by name.
async fn jose(b: &Browser) -> i64 {
    let found = fetch_json(b, "/api/v1/patients?LName=N%C3%BA%C3%B1ez&FName=Jos%C3%A9").await;
    found[0]["PatNum"].as_i64().expect("José is in the sandbox")
}

/// GET `path` as the page (with its cookies).
pub(crate) async fn fetch_json(s: &Session, path: &str) -> Value {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         fetch('{path}', {{ credentials: 'same-origin' }}).then(r => r.json()).then(done, e => done(String(e)));"
    );
    s.client.execute_async(&script, vec![]).await.unwrap()
}

async fn status_of(s: &Session, path: &str) -> u64 {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         fetch('{path}', {{ credentials: 'same-origin' }}).then(r => done(r.status), e => done(0));"
    );
    s.client.execute_async(&script, vec![]).await.unwrap().as_u64().unwrap()
}

/// Staff sign in on the desk; a tablet-sized second device signs in, is made a kiosk with
/// `idle_seconds` (set on the desk's Kiosks page), and waits for a patient.
pub(crate) async fn set_up_kiosk(b: &Browser, idle_seconds: u32) -> Session {
    b.sign_in().await;
    let tablet = b.another_device().await;
    tablet.client.set_window_size(800, 1280).await.unwrap();
    tablet.sign_in().await;
    tablet.goto("/kiosks").await;
    tablet.fill("#kiosk-name-input", TABLET).await;
    tablet.find("#pair-kiosk-submit").await.click().await.unwrap();
    tablet
        .wait_for_text("#kiosk-title", "Please hand this tablet to the front desk.")
        .await;
    assert_eq!(tablet.path().await, "/kiosk/");
    assert!(
        tablet.client.find(Locator::Css("#sign-out")).await.is_err(),
        "no staff screen on the kiosk"
    );
    // The kiosk runs its own, smaller app: this page loaded the kiosk's wasm and not the staff's.
    let wasm = tablet
        .script(
            "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)
               .filter(p => p.endsWith('.wasm'))",
        )
        .await;
    let wasm: Vec<String> = serde_json::from_value(wasm).unwrap();
    assert!(
        wasm.len() == 1 && wasm[0].starts_with("/kiosk/chairside-kiosk-"),
        "{wasm:?}"
    );
    assert_eq!(
        status_of(&tablet, &format!("/api/v1/patients/{JANE}")).await,
        403,
        "pairing ended the tablet's staff session"
    );
    if idle_seconds != 90 {
        b.goto("/kiosks").await;
        b.find(".kiosk-row .kiosk-edit").await.click().await.unwrap();
        b.fill(".kiosk-row .kiosk-idle", &idle_seconds.to_string()).await;
        b.find(".kiosk-setup button[type=submit]").await.click().await.unwrap();
        b.wait_for_text(".kiosk-setup", "Kiosk setup saved").await;
    }
    tablet
}

/// Staff send patient `pat_num` to the tablet from their desk; returns when the tablet shows
/// `hello`, and how long that took from the click.
pub(crate) async fn send_from_desk(b: &Browser, tablet: &Session, pat_num: i64, hello: &str) -> Duration {
    b.goto(&format!("/patients/{pat_num}")).await;
    b.find("#patient-name").await;
    b.find("#send-to-kiosk").await.click().await.unwrap();
    let choice = b.find("button.send-kiosk").await;
    assert_eq!(choice.text().await.unwrap(), TABLET);
    let clicked = Instant::now();
    choice.click().await.unwrap();
    loop {
        let shown = tablet.client.find(Locator::Css("#kiosk-title")).await.ok();
        if let Some(title) = shown {
            if title.text().await.unwrap_or_default().contains(hello) {
                break;
            }
        }
        assert!(
            clicked.elapsed() < Duration::from_secs(15),
            "the tablet never showed {hello:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took = clicked.elapsed();
    b.find("#intake-progress").await;
    took
}

pub(crate) async fn enter_birthdate(tablet: &Session, day: &str, month: &str, year: &str) {
    tablet.fill("#kiosk-birth-day", day).await;
    tablet.fill("#kiosk-birth-month", month).await;
    tablet.fill("#kiosk-birth-year", year).await;
    tablet.find("#kiosk-check").await.click().await.unwrap();
}

/// Staff send Jane; she starts and confirms her birthdate (the gateway checks it).
pub(crate) async fn start_for_jane(b: &Browser, tablet: &Session) {
    send_from_desk(b, tablet, JANE, "Hello, Jane.").await;
    tablet.find("#kiosk-start").await.click().await.unwrap();
    tablet.wait_for_text("#kiosk-title", "Your date of birth").await;
    enter_birthdate(tablet, "24", "05", "1976").await;
    tablet.wait_for_text("#kiosk-title", "Your photo").await;
    // The new step's title takes the focus, so a screen reader announces it.
    tablet
        .wait_for_focus("el.id === 'kiosk-title'", "moved to the step title")
        .await;
}

pub(crate) fn photo(dir: &TempDir, name: &str) -> String {
    let pixels = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([(x * 4) as u8, (y * 5) as u8, 120]));
    let path = dir.0.join(name);
    pixels.save_with_format(&path, image::ImageFormat::Jpeg).unwrap();
    path.display().to_string()
}

pub(crate) async fn take_photo_and_send(tablet: &Session, path: &str, next_title: &str) {
    tablet.find("#kiosk-camera").await.send_keys(path).await.unwrap();
    tablet.find("img.kiosk-preview").await;
    tablet.find("#kiosk-use").await.click().await.unwrap();
    tablet.wait_for_text("#kiosk-title", next_title).await;
}

/// The staff panel's word on one step.
async fn wait_for_step(b: &Browser, kind: &str, status: &str) {
    b.find(&format!(
        "#intake-progress li[data-kind='{kind}'][data-status='{status}']"
    ))
    .await;
}

async fn wait_for_state(b: &Browser, state: &str) {
    b.find(&format!("#intake-progress .intake-state[data-state='{state}']"))
        .await;
}

/// Jane's documents, read by the desk (staff session).
pub(crate) async fn janes_documents(b: &Browser) -> Vec<Value> {
    fetch_json(b, &format!("/api/v1/documents?PatNum={JANE}"))
        .await
        .as_array()
        .cloned()
        .unwrap_or_default()
}

pub(crate) fn categories_of(docs: &[Value], description: &str) -> Vec<i64> {
    docs.iter()
        .filter(|d| d["Description"] == description)
        .map(|d| d["DocCategory"].as_i64().unwrap())
        .collect()
}

/// Everything the tablet holds that a person could look at: the page, both storages, the
/// history state. Returns what mentions the patient.
async fn patient_traces(tablet: &Session, needles: &[&str]) -> Vec<String> {
    let everything = tablet
        .script(
            "return [document.documentElement.outerHTML, JSON.stringify(sessionStorage),
                     JSON.stringify(localStorage), JSON.stringify(history.state), location.href].join(' ')",
        )
        .await;
    let everything = everything.as_str().unwrap_or_default().to_owned();
    needles
        .iter()
        .filter_map(|s| {
            everything
                .find(s)
                .map(|i| everything[i.saturating_sub(80)..(i + 40).min(everything.len())].to_owned())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn direct_mode_offers_no_kiosk() {
    let b = Browser::start_direct().await;
    b.connect_with_demo_keys().await;
    b.goto(&format!("/patients/{JANE}")).await;
    b.wait_for_text("#patient-name", "Smith, Jane").await;
    assert!(
        b.client.find(Locator::Css("#send-to-kiosk")).await.is_err(),
        "no \"Send to kiosk\" in direct mode"
    );
    assert!(
        b.client
            .find(Locator::XPath("//nav//a[normalize-space()='Kiosks']"))
            .await
            .is_err(),
        "no Kiosks link in direct mode"
    );
    b.goto("/kiosks").await;
    b.wait_for_text("#kiosk-needs-gateway", "only behind the office's Chairside gateway")
        .await;
    assert!(b.client.find(Locator::Css("#pair-kiosk")).await.is_err());
    assert_eq!(b.console_errors().await, Vec::<String>::new());
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_send_an_intake_the_patient_confirms_and_uploads_and_staff_see_each_photo_arrive() {
    let b = Browser::start().await;
    let tablet = set_up_kiosk(&b, 90).await;
    let dir = TempDir::new("kiosk");
    let took = send_from_desk(&b, &tablet, JANE, "Hello, Jane.").await;
    eprintln!(
        "kiosk: \"Send to kiosk\" → the tablet shows the intake: {} ms",
        took.as_millis()
    );
    assert!(took < Duration::from_secs(2), "shown within 2 s: {took:?}");
    wait_for_state(&b, "Waiting").await;

    tablet.find("#kiosk-start").await.click().await.unwrap();
    // A wrong birthdate first: the gateway says so and how many tries are left.
    enter_birthdate(&tablet, "25", "05", "1976").await;
    tablet
        .wait_for_text("#kiosk-birthdate-error", "does not match our records. 2 tries left.")
        .await;
    enter_birthdate(&tablet, "24", "05", "1976").await;
    tablet.wait_for_text("#kiosk-title", "Your photo").await;
    wait_for_state(&b, "Confirmed").await;
    assert_eq!(
        patient_traces(&tablet, &["Smith", "1976-05-24"]).await,
        Vec::<String>::new(),
        "no last name and no birthdate on the tablet"
    );

    b.sandbox.knobs.clear_request_log();
    take_photo_and_send(&tablet, &photo(&dir, "selfie.jpg"), "Insurance card, front").await;
    wait_for_step(&b, "selfie", "arrived").await;
    take_photo_and_send(&tablet, &photo(&dir, "front.jpg"), "Insurance card, back").await;
    wait_for_step(&b, "cardFront", "arrived").await;
    // A retake replaces the preview; the photo sent is the second one.
    tablet
        .find("#kiosk-camera")
        .await
        .send_keys(&photo(&dir, "back-1.jpg"))
        .await
        .unwrap();
    tablet.find("#kiosk-retake").await.click().await.unwrap();
    take_photo_and_send(&tablet, &photo(&dir, "back-2.jpg"), "Photo ID").await;
    wait_for_step(&b, "cardBack", "arrived").await;
    tablet.find("#kiosk-skip").await.click().await.unwrap();
    tablet.wait_for_text("#kiosk-title", "Thank you, Jane!").await;
    wait_for_step(&b, "photoId", "skipped").await;
    wait_for_state(&b, "Finished").await;
    let requests = b.sandbox.knobs.requests();
    assert!(
        requests.iter().all(|r| r.starts_with("POST /documents/Upload")),
        "the photos became Uploads and nothing else: {requests:?}"
    );
    assert_eq!(requests.len(), 3);

    tablet.find("#kiosk-done").await.click().await.unwrap();
    tablet
        .wait_for_text("#kiosk-title", "Please hand this tablet to the front desk.")
        .await;
    assert_eq!(patient_traces(&tablet, &["Jane"]).await, Vec::<String>::new());
    let docs = janes_documents(&b).await;
    assert_eq!(
        categories_of(&docs, "Patient photo (kiosk)"),
        [13],
        "to Patient Pictures (P)"
    );
    assert_eq!(categories_of(&docs, "Insurance card front (kiosk)"), [17]);
    assert_eq!(categories_of(&docs, "Insurance card back (kiosk)"), [17]);
    assert!(categories_of(&docs, "Photo ID (kiosk)").is_empty(), "skipped");
    // Refusals the test asked for (403) and the wrong birthdate (422) are logged as failed
    // loads; nothing else may be.
    let errors: Vec<String> = tablet
        .console_errors()
        .await
        .into_iter()
        .filter(|e| !e.contains("Failed to load resource"))
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    tablet.close().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_spanish_patient_reads_the_kiosk_in_spanish() {
    let b = Browser::start().await;
    let tablet = set_up_kiosk(&b, 90).await;
    let jose = jose(&b).await;
    send_from_desk(&b, &tablet, jose, "Hola, José.").await;
    let lang = "return document.documentElement.lang";
    assert_eq!(tablet.script(lang).await, json!("es"));
    tablet.wait_for_text(".kiosk-bar", "Registro").await;
    let today = tablet.find("#kiosk-today").await.text().await.unwrap();
    let parts: Vec<u32> = today.split('/').map(|p| p.parse().unwrap()).collect();
    assert!(
        parts[0] > 0 && parts[0] <= 31 && parts[1] <= 12 && parts[2] > 2000,
        "dd/mm/yyyy: {today}"
    );
    // The patient may switch to English and back.
    tablet.find("#kiosk-lang-en").await.click().await.unwrap();
    tablet.wait_for_text("#kiosk-title", "Hello, José.").await;
    assert_eq!(tablet.script(lang).await, json!("en"));
    tablet.find("#kiosk-lang-es").await.click().await.unwrap();
    tablet.wait_for_text("#kiosk-title", "Hola, José.").await;
    assert_eq!(tablet.script(lang).await, json!("es"));
    tablet.find("#kiosk-start").await.click().await.unwrap();
    tablet.wait_for_text("#kiosk-title", "Su fecha de nacimiento").await;
    let order = tablet
        .script("return Array.from(document.querySelectorAll('.kiosk-date input')).map(i => i.id)")
        .await;
    assert_eq!(
        order,
        json!(["kiosk-birth-day", "kiosk-birth-month", "kiosk-birth-year"]),
        "day first, as Spanish writes dates"
    );
    tablet.wait_for_text("#kiosk-date-hint", "24/05/1976").await;
    enter_birthdate(&tablet, "31", "01", "1954").await;
    tablet
        .wait_for_text("#kiosk-birthdate-error", "Le quedan 2 intentos.")
        .await;
    enter_birthdate(&tablet, "30", "01", "1954").await;
    tablet.wait_for_text("#kiosk-title", "Su foto").await;
    tablet.wait_for_text(".kiosk-step", "Saltar este paso").await;
    // Staff cancel: the tablet says so in Spanish and forgets José.
    b.find("#cancel-intake").await.click().await.unwrap();
    wait_for_state(&b, "Canceled").await;
    tablet.wait_for_text("#kiosk-title", "Esta visita ha terminado.").await;
    assert_eq!(patient_traces(&tablet, &["José"]).await, Vec::<String>::new());
    tablet.close().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_idle_intake_warns_can_be_extended_and_then_resets_leaving_nothing() {
    let b = Browser::start().await;
    let tablet = set_up_kiosk(&b, 4).await;
    let dir = TempDir::new("kiosk-idle");
    start_for_jane(&b, &tablet).await;
    tablet
        .find("#kiosk-camera")
        .await
        .send_keys(&photo(&dir, "selfie.jpg"))
        .await
        .unwrap();
    let url = tablet
        .find("img.kiosk-preview")
        .await
        .attr("src")
        .await
        .unwrap()
        .unwrap();
    assert!(url.starts_with("blob:"));

    // The warning counts down; one tap keeps the intake.
    tablet.wait_for_text("#idle-text", "we will start over in").await;
    tablet.find("#kiosk-still-here").await.click().await.unwrap();
    assert!(
        tablet.client.find(Locator::Css("#kiosk-still-here")).await.is_err(),
        "the warning goes away"
    );
    tablet.find("img.kiosk-preview").await;

    // Left alone, it resets: the gateway hears it was abandoned.
    tablet.wait_for_text("#kiosk-title", "This visit has ended.").await;
    tablet.wait_for_text(".kiosk-card", "without activity").await;
    wait_for_state(&b, "Abandoned").await;
    assert_eq!(patient_traces(&tablet, &["Jane", "blob:"]).await, Vec::<String>::new());
    let revoked = tablet
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const img = new Image();
             img.onload = () => done('still there');
             img.onerror = () => done('revoked');
             img.src = arguments[0];",
            vec![json!(url)],
        )
        .await
        .unwrap();
    assert_eq!(revoked, json!("revoked"), "the photo's object URL was revoked");
    assert_eq!(tablet.path().await, "/kiosk/");
    tablet.client.back().await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(tablet.path().await, "/kiosk/", "back stays at the kiosk");
    assert_eq!(patient_traces(&tablet, &["Jane"]).await, Vec::<String>::new());
    tablet.client.refresh().await.unwrap();
    tablet
        .wait_for_text("#kiosk-title", "Please hand this tablet to the front desk.")
        .await;
    assert_eq!(patient_traces(&tablet, &["Jane"]).await, Vec::<String>::new());
    tablet.close().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn leaving_kiosk_mode_needs_a_staff_sign_in() {
    let b = Browser::start().await;
    let tablet = set_up_kiosk(&b, 90).await;
    tablet.find(".kiosk-staff").await.click().await.unwrap();
    tablet.find("#kiosk-staff-exit").await.click().await.unwrap();
    tablet.fill("#kiosk-exit-username", STAFF_USER).await;
    tablet.fill("#kiosk-exit-password", "not the password").await;
    tablet.find("#kiosk-exit-submit").await.click().await.unwrap();
    tablet.wait_for_text("#kiosk-exit-error", "not right").await;
    assert_eq!(tablet.path().await, "/kiosk/");
    assert_eq!(status_of(&tablet, "/gateway/v1/kiosk").await, 200, "still a kiosk");
    tablet.fill("#kiosk-exit-password", STAFF_PASSWORD).await;
    tablet.find("#kiosk-exit-submit").await.click().await.unwrap();
    // A staff device again: the sign-in page, no service worker.
    tablet.find("#username").await;
    assert_eq!(status_of(&tablet, "/gateway/v1/kiosk").await, 401);
    let workers = tablet
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             navigator.serviceWorker.getRegistrations().then(r => done(r.length));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(workers, json!(0), "the kiosk's service worker is gone");
    b.goto("/kiosks").await;
    b.find("#no-kiosks").await;
    tablet.close().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_kiosk_leaves_the_kiosk_screen() {
    let b = Browser::start().await;
    let tablet = set_up_kiosk(&b, 90).await;
    start_for_jane(&b, &tablet).await;
    b.goto("/kiosks").await;
    b.wait_for_text(".kiosk-row", "connected").await;
    b.find(".kiosk-row .kiosk-revoke").await.click().await.unwrap();
    b.find(".kiosk-row .kiosk-revoke-confirm").await.click().await.unwrap();
    b.find("#no-kiosks").await;
    tablet.find("#username").await;
    assert!(tablet.client.find(Locator::Css(".kiosk")).await.is_err());
    assert_eq!(patient_traces(&tablet, &["Jane"]).await, Vec::<String>::new());
    tablet.close().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_can_start_an_intake_on_the_tablet_itself_and_leave_no_session_there() {
    let b = Browser::start().await;
    let tablet = set_up_kiosk(&b, 90).await;
    tablet.find(".kiosk-staff").await.click().await.unwrap();
    tablet.find("#kiosk-staff-start").await.click().await.unwrap();
    tablet.fill("#kiosk-username", STAFF_USER).await;
    tablet.fill("#kiosk-password", STAFF_PASSWORD).await;
    tablet.find("#kiosk-sign-in-submit").await.click().await.unwrap();
    tablet.fill("#kiosk-search-last", "Smith").await;
    tablet.find("#kiosk-search").await.click().await.unwrap();
    tablet
        .find(".kiosk-start-here[data-pat-num='1']")
        .await
        .click()
        .await
        .unwrap();
    tablet.wait_for_text("#kiosk-title", "Hello, Jane.").await;
    assert!(tablet.client.find(Locator::Css(".kiosk-staff-dialog")).await.is_err());
    assert_eq!(
        status_of(&tablet, &format!("/api/v1/patients/{JANE}")).await,
        403,
        "the staff session on the tablet ended"
    );
    assert_eq!(patient_traces(&tablet, &["Smith"]).await, Vec::<String>::new());
    tablet.close().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_kiosk_is_installable_and_its_shell_survives_a_reload_without_the_network() {
    let b = Browser::start().await;
    b.goto("/").await;
    b.find("#sign-in").await;
    assert_eq!(
        b.script("return document.querySelector('link[rel=manifest]')").await,
        json!(null),
        "the staff app is not the installable kiosk"
    );
    let tablet = set_up_kiosk(&b, 90).await;
    // The kiosk app's own page links the manifest; manifest and worker are served and
    // revalidated (not cached for a year).
    let linked = tablet
        .script("return document.querySelector('link[rel=manifest]').getAttribute('href')")
        .await;
    assert_eq!(linked, json!("/kiosk/manifest.webmanifest"));
    let headers = tablet
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             Promise.all(['/kiosk/manifest.webmanifest', '/kiosk/kiosk-sw.js'].map(p => fetch(p).then(r =>
               [r.status, r.headers.get('cache-control'), r.headers.get('content-type')]))).then(done);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(headers[0][0], 200);
    assert_eq!(headers[0][1], "no-cache");
    assert_eq!(headers[1][0], 200);
    assert_eq!(
        headers[1][1], "no-cache",
        "a service worker must never be stuck in a cache"
    );
    assert!(headers[1][2].as_str().unwrap().starts_with("text/javascript"));
    let manifest = fetch_json(&tablet, "/kiosk/manifest.webmanifest").await;
    assert_eq!(manifest["start_url"], "/kiosk/");
    assert_eq!(manifest["scope"], "/kiosk/");
    assert_eq!(manifest["display"], "fullscreen");
    assert!(manifest["icons"].as_array().unwrap().len() >= 2);
    // A kiosk that opens a staff address is taken back to the kiosk.
    tablet.goto("/patients").await;
    tablet
        .wait_for_text("#kiosk-title", "Please hand this tablet to the front desk.")
        .await;
    assert_eq!(tablet.path().await, "/kiosk/");
    // Registered on the kiosk only, and controlling it once active.
    let wait_active = "const done = arguments[arguments.length - 1];
         navigator.serviceWorker.ready.then(r => done(r.active ? r.active.scriptURL : null));";
    let script = tablet.client.execute_async(wait_active, vec![]).await.unwrap();
    assert!(script.as_str().unwrap().ends_with("/kiosk/kiosk-sw.js"), "{script}");
    let desk_workers = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             navigator.serviceWorker.getRegistrations().then(r => done(r.length));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(desk_workers, json!(0), "no service worker on a staff device");
    let cached = tablet
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             (async () => { const out = [];
               for (const name of await caches.keys()) {
                 for (const req of await (await caches.open(name)).keys()) out.push(new URL(req.url).pathname);
               }
               return out; })().then(done);",
            vec![],
        )
        .await
        .unwrap();
    let cached: Vec<String> = serde_json::from_value(cached).unwrap();
    assert!(cached.contains(&"/kiosk/index.html".to_owned()), "{cached:?}");
    assert!(cached.iter().any(|p| p.ends_with("_bg.wasm")), "{cached:?}");
    assert!(
        cached.iter().all(|p| p.starts_with("/kiosk/")),
        "only the kiosk app's own files: {cached:?}"
    );
    // Reloads so the service worker controls the page, then the Wi-Fi drops and it reloads.
    tablet.client.refresh().await.unwrap();
    tablet.find("#kiosk-title").await;
    tablet.set_offline(true).await;
    tablet.client.refresh().await.unwrap();
    tablet.wait_for_text("#kiosk-title", "Waiting for the network").await;
    tablet.set_offline(false).await;
    tablet
        .wait_for_text("#kiosk-title", "Please hand this tablet to the front desk.")
        .await;
    tablet.close().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_photo_taken_offline_waits_and_uploads_once_when_the_network_is_back() {
    let b = Browser::start().await;
    let tablet = set_up_kiosk(&b, 120).await;
    let dir = TempDir::new("kiosk-offline");
    start_for_jane(&b, &tablet).await;
    b.sandbox.knobs.clear_request_log();
    tablet.set_offline(true).await;
    tablet
        .find("#kiosk-camera")
        .await
        .send_keys(&photo(&dir, "selfie.jpg"))
        .await
        .unwrap();
    tablet.find("img.kiosk-preview").await;
    tablet.find("#kiosk-use").await.click().await.unwrap();
    tablet.wait_for_text("#kiosk-offline", "network is down").await;
    assert_eq!(b.requests_starting("POST /documents/Upload"), 0);
    assert_eq!(
        patient_traces(&tablet, &["sessionStorage"]).await.len(),
        0,
        "(nothing stored)"
    );
    let stored = tablet
        .script("return sessionStorage.length + localStorage.length")
        .await;
    assert_eq!(stored, json!(0), "the photo waits in memory, never in storage");
    tablet.set_offline(false).await;
    tablet.wait_for_text("#kiosk-title", "Insurance card, front").await;
    wait_for_step(&b, "selfie", "arrived").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(b.requests_starting("POST /documents/Upload"), 1, "once");
    assert_eq!(
        categories_of(&janes_documents(&b).await, "Patient photo (kiosk)").len(),
        1
    );
    tablet.close().await;
    b.close().await;
}

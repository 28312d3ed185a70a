//! The patient-intake kiosk: a full session, idle reset that leaves nothing behind, the back
//! button and reload after a reset, the staff PIN, and a failed upload retried once.
//!
//! The kiosk is offered only behind chairside-gateway (a tablet handed to patients must never
//! hold Open Dental keys): these run through the gateway, and direct mode is checked not to
//! offer the kiosk at all.

use std::time::Duration;

use chairside_sandbox::FailMode;
use fantoccini::Locator;
use serde_json::Value;

use crate::harness::{Browser, TempDir, CUST_KEY, DEV_KEY};

const PIN: &str = "2468";
const TAB: &str = "\u{E004}";
const SHIFT_TAB: &str = "\u{E008}\u{E004}";
const ESCAPE: &str = "\u{E00C}";

pub(crate) async fn set_up_kiosk(b: &Browser, idle_seconds: u32) {
    b.connect_with_demo_keys().await;
    b.goto("/kiosk-setup").await;
    b.fill("#kiosk-idle", &idle_seconds.to_string()).await;
    b.fill("#kiosk-new-pin", PIN).await;
    b.find(".kiosk-setup button[type=submit]").await.click().await.unwrap();
    b.wait_for_text(".kiosk-setup", "saved").await;
}

/// Staff open Smith, Jane and hand her the tablet, which asks for her birthdate.
async fn hand_to_jane(b: &Browser) {
    b.goto("/patients/1").await;
    b.find("#patient-name").await;
    b.find("#start-kiosk").await.click().await.unwrap();
    b.wait_for_path("/kiosk").await;
    b.wait_for_text("#kiosk-title", "Hello, Jane.").await;
    b.find("#kiosk-birthdate").await;
}

/// Staff open Smith, Jane and hand her the tablet; she confirms her birthdate.
pub(crate) async fn start_for_jane(b: &Browser) {
    hand_to_jane(b).await;
    b.script(
        "const el = document.getElementById('kiosk-birthdate'); el.value = '1976-05-24';
         el.dispatchEvent(new Event('input', { bubbles: true }));",
    )
    .await;
    b.find(".kiosk-card button[type=submit]").await.click().await.unwrap();
    b.wait_for_text("#kiosk-title", "Your photo").await;
    // The new step's title takes the focus, so a screen reader announces it.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while b
        .client
        .active_element()
        .await
        .unwrap()
        .attr("id")
        .await
        .unwrap()
        .as_deref()
        != Some("kiosk-title")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "focus did not move to the step title"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn photo(dir: &TempDir, name: &str) -> String {
    let pixels = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([(x * 4) as u8, (y * 5) as u8, 120]));
    let path = dir.0.join(name);
    pixels.save_with_format(&path, image::ImageFormat::Jpeg).unwrap();
    path.display().to_string()
}

async fn take_photo_and_send(b: &Browser, path: &str, next_title: &str) {
    b.find("#kiosk-camera").await.send_keys(path).await.unwrap();
    b.find("img.kiosk-preview").await;
    b.find("#kiosk-use").await.click().await.unwrap();
    b.wait_for_text("#kiosk-title", next_title).await;
}

/// The patient's documents, read by the test through the API (not by the kiosk).
async fn janes_documents(b: &Browser) -> Vec<Value> {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         fetch('/api/v1/documents?PatNum=1', {{ headers: {{ 'Authorization': 'ODFHIR {DEV_KEY}/{CUST_KEY}' }} }})
           .then(r => r.json()).then(done);"
    );
    b.client
        .execute_async(&script, vec![])
        .await
        .unwrap()
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn count_described(docs: &[Value], description: &str) -> Vec<i64> {
    docs.iter()
        .filter(|d| d["Description"] == description)
        .map(|d| d["DocCategory"].as_i64().unwrap())
        .collect()
}

async fn page_mentions_jane(b: &Browser) -> bool {
    let text = b.body_text().await;
    let storage = b
        .script(
            "return JSON.stringify(sessionStorage) + JSON.stringify(localStorage) + document.documentElement.outerHTML",
        )
        .await;
    let everything = format!("{text} {}", storage.as_str().unwrap_or_default());
    // "Smith" alone is in the search screen's hint, so look for the first name and birthdate.
    let found: Vec<String> = ["Jane", "1976-05-24"]
        .iter()
        .filter_map(|s| {
            everything
                .find(s)
                .map(|i| everything[i.saturating_sub(80)..(i + 40).min(everything.len())].to_owned())
        })
        .collect();
    if !found.is_empty() {
        eprintln!("patient data still on the page: {found:?}");
    }
    !found.is_empty()
}

#[tokio::test(flavor = "multi_thread")]
async fn direct_mode_offers_no_kiosk() {
    let b = Browser::start_direct().await;
    b.connect_with_demo_keys().await;
    b.goto("/patients/1").await;
    b.wait_for_text("#patient-name", "Smith, Jane").await;
    assert!(
        b.client.find(Locator::Css("#start-kiosk")).await.is_err(),
        "no \"Hand to patient (kiosk)\" in direct mode"
    );
    assert!(
        b.client
            .find(Locator::XPath("//nav//a[normalize-space()='Kiosk']"))
            .await
            .is_err(),
        "no Kiosk link in direct mode"
    );
    b.goto("/kiosk-setup").await;
    b.wait_for_text("#kiosk-needs-gateway", "only behind the office's Chairside gateway")
        .await;
    assert!(b.client.find(Locator::Css("#kiosk-new-pin")).await.is_err());
    assert_eq!(b.console_errors().await, Vec::<String>::new());
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_patient_completes_a_session_and_photos_land_in_their_categories() {
    let b = Browser::start().await;
    set_up_kiosk(&b, 120).await;
    let dir = TempDir::new("kiosk");
    start_for_jane(&b).await;
    b.sandbox.knobs.clear_request_log();

    take_photo_and_send(&b, &photo(&dir, "selfie.jpg"), "Insurance card, front").await;
    take_photo_and_send(&b, &photo(&dir, "front.jpg"), "Insurance card, back").await;
    take_photo_and_send(&b, &photo(&dir, "back.jpg"), "Photo ID").await;
    b.client
        .find(Locator::XPath("//button[normalize-space()='Skip this step']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_for_text("#kiosk-title", "Thank you, Jane!").await;
    let requests = b.sandbox.knobs.requests();
    assert!(
        requests.iter().all(|r| r.starts_with("POST /documents/Upload")),
        "the kiosk calls only Upload: {requests:?}"
    );
    assert_eq!(requests.len(), 3);
    b.client
        .find(Locator::XPath("//button[normalize-space()='Done']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_for_text("#kiosk-title", "Please hand this tablet to the front desk.")
        .await;

    let docs = janes_documents(&b).await;
    assert_eq!(
        count_described(&docs, "Patient photo (kiosk)"),
        [13],
        "the selfie goes to Patient Pictures (P)"
    );
    assert_eq!(count_described(&docs, "Insurance card front (kiosk)"), [17]);
    assert_eq!(count_described(&docs, "Insurance card back (kiosk)"), [17]);
    assert!(count_described(&docs, "Photo ID (kiosk)").is_empty(), "skipped");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_idle_session_warns_can_be_extended_and_then_resets_leaving_nothing() {
    let b = Browser::start().await;
    set_up_kiosk(&b, 4).await;
    let dir = TempDir::new("kiosk-idle");
    start_for_jane(&b).await;
    b.find("#kiosk-camera")
        .await
        .send_keys(&photo(&dir, "selfie.jpg"))
        .await
        .unwrap();
    b.find("img.kiosk-preview").await;

    // The warning counts down; one tap keeps the session.
    b.find("#kiosk-still-here").await.click().await.unwrap();
    assert!(
        b.client.find(Locator::Css("#kiosk-still-here")).await.is_err(),
        "the warning goes away"
    );
    b.find("img.kiosk-preview").await;

    // Left alone, it resets.
    b.wait_for_text("#kiosk-title", "Please hand this tablet to the front desk.")
        .await;
    assert!(
        !page_mentions_jane(&b).await,
        "nothing of the patient in the DOM or storage"
    );
    let blobs = b
        .script("return document.querySelectorAll('img[src^=\"blob:\"]').length")
        .await;
    assert_eq!(blobs.as_u64(), Some(0), "no photo left on screen");
    assert_eq!(b.path().await, "/kiosk");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn back_and_reload_after_a_reset_show_nothing_of_the_patient() {
    let b = Browser::start().await;
    set_up_kiosk(&b, 120).await;
    start_for_jane(&b).await;
    b.find(".kiosk-staff").await; // still in the session
    b.client.back().await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        b.path().await,
        "/kiosk",
        "back cannot leave the kiosk for a staff screen"
    );

    b.client.refresh().await.unwrap();
    b.wait_for_text("#kiosk-title", "Please hand this tablet to the front desk.")
        .await;
    assert!(!page_mentions_jane(&b).await, "a reload forgets the patient");
    // Walk back through every entry the app made in this tab (beyond them is the browser's own
    // start page).
    let app = b.url("/");
    for _ in 0..3 {
        b.client.back().await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        if !b.client.current_url().await.unwrap().as_str().starts_with(&app) {
            break;
        }
        // An older entry may be another document that loads afresh: wait for it to lock.
        b.wait_for_path("/kiosk").await;
        b.wait_for_text("#kiosk-title", "Please hand this tablet to the front desk.")
            .await;
        assert!(!page_mentions_jane(&b).await, "back shows nothing of the patient");
    }
    b.goto("/patients/1").await;
    b.wait_for_text("#kiosk-title", "Please hand this tablet to the front desk.")
        .await;
    assert!(
        !page_mentions_jane(&b).await,
        "typing a staff URL shows the kiosk, not the patient"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn leaving_kiosk_mode_needs_the_staff_pin() {
    let b = Browser::start().await;
    set_up_kiosk(&b, 120).await;
    start_for_jane(&b).await;
    b.find(".kiosk-staff").await.click().await.unwrap();
    b.fill("#kiosk-pin", "1111").await;
    b.find(".kiosk-dialog button[type=submit]").await.click().await.unwrap();
    b.wait_for_text(".kiosk-dialog [role=alert]", "not right").await;
    assert_eq!(b.path().await, "/kiosk");
    b.fill("#kiosk-pin", PIN).await;
    b.find(".kiosk-dialog button[type=submit]").await.click().await.unwrap();
    b.wait_for_path("/patients").await;
    b.find("nav a[href='/patients']").await;
    assert!(
        !page_mentions_jane(&b).await,
        "the search was cleared before the hand-over"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_upload_is_retried_and_lands_once() {
    let b = Browser::start().await;
    set_up_kiosk(&b, 120).await;
    let dir = TempDir::new("kiosk-retry");
    start_for_jane(&b).await;
    // Every second upload fails with a 500 (nothing saved): the card photos each need a retry.
    b.sandbox
        .knobs
        .fail_requests(2, FailMode::ServerError, "POST /documents/Upload");
    b.sandbox.knobs.clear_request_log();
    take_photo_and_send(&b, &photo(&dir, "selfie.jpg"), "Insurance card, front").await;
    take_photo_and_send(&b, &photo(&dir, "front.jpg"), "Insurance card, back").await;
    take_photo_and_send(&b, &photo(&dir, "back.jpg"), "Photo ID").await;
    b.sandbox.knobs.stop_failing();
    let uploads = b.requests_starting("POST /documents/Upload");
    assert_eq!(
        uploads, 5,
        "each card photo failed once and was retried: 3 photos, 5 requests"
    );
    let docs = janes_documents(&b).await;
    assert_eq!(count_described(&docs, "Patient photo (kiosk)").len(), 1);
    assert_eq!(
        count_described(&docs, "Insurance card front (kiosk)").len(),
        1,
        "landed once"
    );
    assert_eq!(count_described(&docs, "Insurance card back (kiosk)").len(), 1);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_staff_dialog_is_modal_takes_the_focus_and_gives_it_back() {
    let b = Browser::start().await;
    set_up_kiosk(&b, 120).await;
    hand_to_jane(&b).await;
    let in_dialog = "el.closest('dialog[open]') !== null";
    for close_with in ["Escape", "Cancel"] {
        b.find(".kiosk-staff").await.click().await.unwrap();
        b.wait_for_focus("el.id === 'kiosk-pin'", "moved to the PIN").await;
        for keys in [TAB, TAB, TAB, TAB, SHIFT_TAB, SHIFT_TAB, SHIFT_TAB, SHIFT_TAB] {
            b.press(keys).await;
            b.wait_for_focus(in_dialog, "stayed in the staff dialog").await;
        }
        // The patient's birthdate form behind it is out of reach (inert).
        let behind = b
            .script(
                "const date = document.getElementById('kiosk-birthdate'); date.focus();
                 return [document.activeElement === date, document.querySelector('dialog[open]')?.matches(':modal') === true];",
            )
            .await;
        assert_eq!(
            behind[0],
            serde_json::json!(false),
            "the birthdate field took the focus"
        );
        assert_eq!(behind[1], serde_json::json!(true), "the dialog is modal");
        match close_with {
            "Escape" => b.press(ESCAPE).await,
            _ => b
                .client
                .find(Locator::XPath("//dialog//button[normalize-space()='Cancel']"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap(),
        }
        b.wait_for_focus(
            "el.matches('.kiosk-staff')",
            &format!("went back to Staff after {close_with}"),
        )
        .await;
        assert!(
            b.client.find(Locator::Css("#kiosk-pin")).await.is_err(),
            "the dialog closed"
        );
    }
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn at_phone_width_the_kiosk_header_keeps_one_line_and_shows_larger_text_is_on() {
    let b = Browser::start().await;
    set_up_kiosk(&b, 120).await;
    hand_to_jane(&b).await;
    b.client.set_window_size(412, 915).await.unwrap();
    let width = b.script("return window.innerWidth").await;
    assert!(width.as_f64().unwrap() <= 412.0, "the window is phone-sized: {width}");
    let toggle_look = "const t = document.querySelector('.kiosk-toggle'); const s = getComputedStyle(t);
                       return [t.getAttribute('aria-pressed'), s.backgroundColor, s.color, getComputedStyle(t, '::before').content];";
    let mut looks = Vec::new();
    for large in [false, true] {
        if large {
            b.find(".kiosk-toggle").await.click().await.unwrap();
        }
        let lines = b
            .script(
                "return ['.kiosk-bar .brand', '.kiosk-toggle', '.kiosk-staff'].map(css => {
                   const range = document.createRange();
                   range.selectNodeContents(document.querySelector(css));
                   const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
                   return [css, tops.size];
                 }).concat([['header height', Math.round(document.querySelector('.kiosk-bar').getBoundingClientRect().height)]]);",
            )
            .await;
        let lines = lines.as_array().unwrap();
        for item in &lines[..3] {
            assert_eq!(
                item[1], 1,
                "larger text {large}: {} wraps onto {} lines",
                item[0], item[1]
            );
        }
        let height = lines[3][1].as_i64().unwrap();
        assert!(
            height <= 80,
            "larger text {large}: the header takes {height} px, more than one row"
        );
        looks.push(b.script(toggle_look).await);
    }
    assert_eq!(
        (&looks[0][0], &looks[1][0]),
        (&serde_json::json!("false"), &serde_json::json!("true"))
    );
    assert_ne!(
        (&looks[0][1], &looks[0][3]),
        (&looks[1][1], &looks[1][3]),
        "the pressed toggle looks different: {looks:?}"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_idle_timeout_keeps_what_is_typed_and_explains_the_range_when_complete() {
    let b = Browser::start().await;
    b.connect_with_demo_keys().await;
    b.goto("/kiosk-setup").await;
    let idle = b.find("#kiosk-idle").await;
    let value = || async {
        b.find("#kiosk-idle")
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    };
    for typed in ["120", "10", "", "30"] {
        idle.clear().await.unwrap();
        assert_eq!(value().await, "", "clearing leaves the field empty");
        idle.send_keys(typed).await.unwrap();
        assert_eq!(value().await, typed, "what was typed stays as typed");
    }
    b.fill("#kiosk-idle", "1").await;
    b.fill("#kiosk-new-pin", PIN).await;
    assert_eq!(value().await, "1");
    let invalid = b.find("#kiosk-idle").await.attr("aria-invalid").await.unwrap();
    assert_eq!(invalid.as_deref(), Some("true"), "checked on leaving the field");
    b.wait_for_text("#kiosk-idle-help", "“1” is not allowed").await;
    b.find(".kiosk-setup button[type=submit]").await.click().await.unwrap();
    b.wait_for_text(".kiosk-setup [role=alert]", "Not saved.").await;
    assert_eq!(value().await, "1", "the typed value is kept to be corrected");
    b.fill("#kiosk-idle", "45").await;
    b.find(".kiosk-setup button[type=submit]").await.click().await.unwrap();
    b.wait_for_text(".kiosk-setup", "Kiosk setup saved").await;
    b.client.refresh().await.unwrap();
    b.find("#kiosk-idle").await;
    assert_eq!(value().await, "45", "saved");
    b.close().await;
}

/// Every photo lands once and the patient is never sent to the front desk, when every second
/// upload fails in `mode`: the kiosk finds out whether a failed one arrived before sending it
/// again. Returns the uploads sent.
async fn kiosk_uploads_through(mode: FailMode) -> usize {
    let b = Browser::start().await;
    set_up_kiosk(&b, 120).await;
    let dir = TempDir::new("kiosk-faults");
    start_for_jane(&b).await;
    b.sandbox.knobs.fail_requests(2, mode, "POST /documents/Upload");
    b.sandbox.knobs.clear_request_log();
    take_photo_and_send(&b, &photo(&dir, "selfie.jpg"), "Insurance card, front").await;
    take_photo_and_send(&b, &photo(&dir, "front.jpg"), "Insurance card, back").await;
    take_photo_and_send(&b, &photo(&dir, "back.jpg"), "Photo ID").await;
    take_photo_and_send(&b, &photo(&dir, "id.jpg"), "Thank you, Jane!").await;
    b.sandbox.knobs.stop_failing();
    assert!(
        b.body_text().await.contains("You're all set"),
        "{mode:?}: no photo was left for the front desk"
    );
    let uploads = b.requests_starting("POST /documents/Upload");
    let docs = janes_documents(&b).await;
    for description in [
        "Patient photo (kiosk)",
        "Insurance card front (kiosk)",
        "Insurance card back (kiosk)",
        "Photo ID (kiosk)",
    ] {
        assert_eq!(
            count_described(&docs, description).len(),
            1,
            "{mode:?}: {description} landed exactly once"
        );
    }
    eprintln!("kiosk, {mode:?}: 4 photos, {uploads} uploads sent, 0 lost, 0 duplicated");
    b.close().await;
    uploads
}

#[tokio::test(flavor = "multi_thread")]
async fn kiosk_photos_whose_connection_dropped_are_found_not_sent_again() {
    // Photos 2 and 4 are dropped after Open Dental saved them: found, never sent twice.
    assert_eq!(kiosk_uploads_through(FailMode::Drop).await, 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn kiosk_photos_after_a_504_are_checked_then_sent_again() {
    // Photos 2, 3 and 4 each fail once (a 504 saves nothing here): looked for, then sent again.
    assert_eq!(kiosk_uploads_through(FailMode::GatewayTimeout).await, 7);
}

//! The kiosk's screens under strain and at the edges: photos through upload failures (the
//! tablet retries with the same key; the gateway stores each once), the modal staff dialog,
//! a phone-width header and touch targets, and the setup form's idle timeout.

use chairside_sandbox::FailMode;
use fantoccini::Locator;
use serde_json::json;

use crate::{
    harness::{Browser, TempDir},
    kiosk::{
        categories_of, enter_birthdate, fetch_json, janes_documents, photo, send_from_desk, set_up_kiosk,
        start_for_jane, take_photo_and_send, JANE,
    },
};

const TAB: &str = "\u{E004}";
const SHIFT_TAB: &str = "\u{E008}\u{E004}";
const ESCAPE: &str = "\u{E00C}";

/// Every photo lands once and the patient is never sent to the front desk, when every second
/// upload fails in `mode`: the tablet sends it again with the same key and the gateway makes
/// sure it is stored once. Returns the uploads Open Dental saw.
async fn kiosk_uploads_through(mode: FailMode) -> usize {
    let b = Browser::start().await;
    let tablet = set_up_kiosk(&b, 120).await;
    let dir = TempDir::new("kiosk-faults");
    start_for_jane(&b, &tablet).await;
    b.sandbox.knobs.fail_requests(2, mode, "POST /documents/Upload");
    b.sandbox.knobs.clear_request_log();
    take_photo_and_send(&tablet, &photo(&dir, "selfie.jpg"), "Insurance card, front").await;
    take_photo_and_send(&tablet, &photo(&dir, "front.jpg"), "Insurance card, back").await;
    take_photo_and_send(&tablet, &photo(&dir, "back.jpg"), "Photo ID").await;
    take_photo_and_send(&tablet, &photo(&dir, "id.jpg"), "Thank you, Jane!").await;
    b.sandbox.knobs.stop_failing();
    let uploads = b.requests_starting("POST /documents/Upload");
    let docs = janes_documents(&b).await;
    for description in [
        "Patient photo (kiosk)",
        "Insurance card front (kiosk)",
        "Insurance card back (kiosk)",
        "Photo ID (kiosk)",
    ] {
        assert_eq!(
            categories_of(&docs, description).len(),
            1,
            "{mode:?}: {description} landed exactly once"
        );
    }
    eprintln!("kiosk, {mode:?}: 4 photos, {uploads} uploads sent, 0 lost, 0 duplicated");
    tablet.close().await;
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

#[tokio::test(flavor = "multi_thread")]
async fn the_staff_dialog_is_modal_takes_the_focus_and_gives_it_back() {
    let b = Browser::start().await;
    let tablet = set_up_kiosk(&b, 120).await;
    send_from_desk(&b, &tablet, JANE, "Hello, Jane.").await;
    tablet.find("#kiosk-start").await.click().await.unwrap();
    tablet.find("#kiosk-birth-day").await;
    let in_dialog = "el.closest('dialog[open]') !== null";
    for close_with in ["Escape", "Cancel"] {
        tablet.find(".kiosk-staff").await.click().await.unwrap();
        tablet
            .wait_for_focus("el.id === 'kiosk-staff-start'", "moved into the dialog")
            .await;
        for keys in [TAB, TAB, TAB, TAB, SHIFT_TAB, SHIFT_TAB, SHIFT_TAB, SHIFT_TAB] {
            tablet.press(keys).await;
            tablet.wait_for_focus(in_dialog, "stayed in the staff dialog").await;
        }
        let behind = tablet
            .script(
                "const day = document.getElementById('kiosk-birth-day'); day.focus();
                 return [document.activeElement === day, document.querySelector('dialog[open]')?.matches(':modal') === true];",
            )
            .await;
        assert_eq!(
            behind,
            json!([false, true]),
            "the form behind is out of reach; the dialog is modal"
        );
        match close_with {
            "Escape" => tablet.press(ESCAPE).await,
            _ => tablet.find("#kiosk-staff-cancel").await.click().await.unwrap(),
        }
        tablet
            .wait_for_focus(
                "el.matches('.kiosk-staff')",
                &format!("went back to Staff after {close_with}"),
            )
            .await;
        assert!(tablet.client.find(Locator::Css(".kiosk-staff-dialog")).await.is_err());
    }
    tablet.close().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn at_phone_width_the_kiosk_header_keeps_one_line_and_shows_larger_text_is_on() {
    let b = Browser::start().await;
    let tablet = set_up_kiosk(&b, 120).await;
    send_from_desk(&b, &tablet, JANE, "Hello, Jane.").await;
    tablet.client.set_window_size(412, 915).await.unwrap();
    let width = tablet.script("return window.innerWidth").await;
    assert!(width.as_f64().unwrap() <= 412.0, "the window is phone-sized: {width}");
    let toggle_look = "const t = document.querySelector('.kiosk-toggle'); const s = getComputedStyle(t);
                       return [t.getAttribute('aria-pressed'), s.backgroundColor, s.color, getComputedStyle(t, '::before').content];";
    let mut looks = Vec::new();
    for large in [false, true] {
        if large {
            tablet.find(".kiosk-toggle").await.click().await.unwrap();
        }
        let lines = tablet
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
        looks.push(tablet.script(toggle_look).await);
    }
    assert_eq!((&looks[0][0], &looks[1][0]), (&json!("false"), &json!("true")));
    assert_ne!(
        (&looks[0][1], &looks[0][3]),
        (&looks[1][1], &looks[1][3]),
        "the pressed toggle looks different: {looks:?}"
    );
    // Every target the patient touches is at least 64 px high.
    let small = tablet
        .script(
            "return Array.from(document.querySelectorAll('.kiosk-main button, .kiosk-main label.kiosk-primary, .kiosk-main label.kiosk-secondary'))
               .filter(e => e.getBoundingClientRect().height < 64).map(e => e.outerHTML.slice(0, 80));",
        )
        .await;
    assert_eq!(small, json!([]), "targets under 64 px");
    tablet.close().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_idle_timeout_keeps_what_is_typed_and_explains_the_range_when_complete() {
    let b = Browser::start().await;
    let tablet = set_up_kiosk(&b, 90).await;
    b.goto("/kiosks").await;
    b.find(".kiosk-row .kiosk-edit").await.click().await.unwrap();
    let idle = b.find(".kiosk-row .kiosk-idle").await;
    let value = || async {
        b.find(".kiosk-row .kiosk-idle")
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
    b.fill(".kiosk-row .kiosk-idle", "1").await;
    b.find(".kiosk-row input[type=text][id$='-description']")
        .await
        .click()
        .await
        .unwrap();
    assert_eq!(value().await, "1");
    let invalid = b
        .find(".kiosk-row .kiosk-idle")
        .await
        .attr("aria-invalid")
        .await
        .unwrap();
    assert_eq!(invalid.as_deref(), Some("true"), "checked on leaving the field");
    b.wait_for_text(".kiosk-idle-help", "“1” is not allowed").await;
    b.find(".kiosk-setup button[type=submit]").await.click().await.unwrap();
    b.wait_for_text(".kiosk-setup [role=alert]", "Not saved.").await;
    assert_eq!(value().await, "1", "the typed value is kept to be corrected");
    b.fill(".kiosk-row .kiosk-idle", "45").await;
    b.find(".kiosk-setup button[type=submit]").await.click().await.unwrap();
    b.wait_for_text(".kiosk-setup", "Kiosk setup saved").await;
    b.client.refresh().await.unwrap();
    b.find(".kiosk-row .kiosk-edit").await.click().await.unwrap();
    assert_eq!(value().await, "45", "saved on the gateway");
    let state = fetch_json(&b, "/gateway/v1/kiosks").await;
    assert_eq!(state[0]["setup"]["idleSeconds"], 45);
    tablet.close().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn three_wrong_birthdates_lock_the_intake_and_tell_staff() {
    let b = Browser::start().await;
    let tablet = set_up_kiosk(&b, 90).await;
    send_from_desk(&b, &tablet, JANE, "Hello, Jane.").await;
    tablet.find("#kiosk-start").await.click().await.unwrap();
    for (day, left) in [("01", "2 tries left"), ("02", "1 try left")] {
        enter_birthdate(&tablet, day, "01", "1980").await;
        tablet.wait_for_text("#kiosk-birthdate-error", left).await;
    }
    enter_birthdate(&tablet, "03", "01", "1980").await;
    tablet
        .wait_for_text("#kiosk-title", "We could not confirm who you are.")
        .await;
    tablet
        .wait_for_text(".kiosk-card", "Please hand this tablet to the front desk.")
        .await;
    b.find("#intake-progress .intake-state[data-state='LockedOut']").await;
    b.wait_for_text("#intake-progress", "Locked out").await;
    assert!(
        b.client.find(Locator::Css("#cancel-intake")).await.is_err(),
        "nothing left to cancel"
    );
    tablet.close().await;
    b.close().await;
}

//! Chairside through the gateway as staff use it: sign in (deep link kept), every screen,
//! sign-out; an idle sign-out that keeps the screen, its input and a queued file; and after
//! all of it, no Open Dental key anywhere the browser can see.

use std::time::Duration;

use chairside_sandbox::Config;
use fantoccini::Locator;
use serde_json::Value;

use crate::documents::{choose_files, sample_files, wait_for_status};
use crate::harness::{Browser, TempDir, STAFF_PASSWORD, STAFF_USER};
use chairside_sandbox::seed::patients::SMITH_JANE as JANE;

const DEV: &str = "gw-dev-KEY-4417";
const CUST: &str = "gw-cust-KEY-9921";

async fn keyed_browser() -> Browser {
    Browser::start_with(Config {
        developer_key: DEV.into(),
        customer_key: CUST.into(),
        ..Config::for_tests()
    })
    .await
}

/// Keeps a copy of every response body the page's own code reads from now on.
const RECORD_RESPONSES: &str = r#"
window.__seen = [];
const fetch0 = window.fetch;
window.fetch = async (...args) => {
  const r = await fetch0(...args);
  r.clone().text().then(t => window.__seen.push(String(args[0]) + ' ' + r.status + ' ' + t));
  return r;
};
const send0 = XMLHttpRequest.prototype.send;
XMLHttpRequest.prototype.send = function (...args) {
  this.addEventListener('loadend', () => window.__seen.push(this.responseURL + ' ' + this.status + ' ' + this.responseText));
  return send0.apply(this, args);
};
"#;

/// Everything the browser holds that a key could hide in.
async fn everything_the_browser_holds(b: &Browser) -> String {
    let page: Value = b
        .script(
            "const dump = s => Object.keys(s).map(k => k + '=' + s.getItem(k)).join('\\n');
             return [dump(localStorage), dump(sessionStorage), document.cookie, location.href,
                     performance.getEntriesByType('resource').map(e => e.name).join('\\n'),
                     (window.__seen || []).join('\\n'), document.documentElement.outerHTML].join('\\n')",
        )
        .await;
    let cookies = b.client.get_all_cookies().await.unwrap();
    let cookie_text: Vec<String> = cookies.iter().map(|c| format!("{}={}", c.name(), c.value())).collect();
    format!("{}\n{}", page.as_str().unwrap_or_default(), cookie_text.join("\n"))
}

async fn click_nav(b: &Browser, xpath: &str) {
    b.client
        .find(Locator::XPath(xpath))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_sign_in_use_every_screen_and_sign_out_and_no_key_reaches_the_browser() {
    let b = keyed_browser().await;
    // A deep link while signed out: sign in, and the same screen opens.
    b.goto(&format!("/patients/{JANE}/documents")).await;
    b.find("#sign-in").await;
    let recording = b.script(&format!("{RECORD_RESPONSES}; return true")).await;
    assert_eq!(recording, Value::Bool(true));
    b.fill("#username", STAFF_USER).await;
    b.fill("#password", STAFF_PASSWORD).await;
    b.find("#sign-in-submit").await.click().await.unwrap();
    b.find("table.documents-table tbody tr").await;
    assert_eq!(b.path().await, format!("/patients/{JANE}/documents"));
    b.wait_for_text(".connection-chip", "Sandbox").await;

    // Documents: upload a file.
    let dir = TempDir::new("gateway-upload");
    let (png, _) = sample_files(&dir);
    choose_files(&b, &[png]).await;
    b.fill("#upload-1-description", "Through the gateway").await;
    b.find("#upload-all").await.click().await.unwrap();
    wait_for_status(&b, "#upload-1", "done").await;
    assert_eq!(b.requests_starting("POST /documents/Upload"), 1);

    // Treatment plans: change a priority.
    b.find("nav.patient-nav a[href$='treatment-plans']")
        .await
        .click()
        .await
        .unwrap();
    b.find("table.plan-table tbody.priority-group").await;
    let select = b.find("table.plan-table select[id^='priority-']").await;
    let id = select.attr("id").await.unwrap().unwrap();
    let options: Value = b
        .script(&format!(
            "const s = document.getElementById('{id}'); return Array.from(s.options).map(o => o.value).filter(v => v !== s.value)"
        ))
        .await;
    let other = options[0].as_str().unwrap().to_owned();
    select.select_by_value(&other).await.unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while b.requests_starting("PUT /treatplanattaches") == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the priority change never reached Open Dental"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Patients: search.
    click_nav(&b, "//nav[@aria-label='Main']//a[normalize-space()='Patients']").await;
    b.fill("#lname", "smi").await;
    b.press("\u{E007}").await;
    b.wait_for_text(".result-count", "found").await;

    // Connection: who is signed in, and where Open Dental is; no key fields.
    click_nav(&b, "//nav[@aria-label='Main']//a[normalize-space()='Connection']").await;
    b.wait_for_text("#signed-in-user", STAFF_USER).await;
    b.wait_for_text("#endpoint-in-use", "Sandbox").await;
    assert!(b
        .client
        .find(Locator::Css("#developer-key, #customer-key"))
        .await
        .is_err());

    // Kiosks are offered behind the gateway.
    click_nav(&b, "//nav[@aria-label='Main']//a[normalize-space()='Kiosks']").await;
    b.wait_for_text("h1", "Kiosks").await;
    b.find("#pair-kiosk").await;

    let held = everything_the_browser_holds(&b).await;
    let seen: Value = b.script("return (window.__seen || []).length").await;
    assert!(seen.as_u64().unwrap() >= 8, "the recorder saw the API answers: {seen}");
    assert!(!held.contains(DEV) && !held.contains(CUST), "a key reached the browser");
    let session = b
        .client
        .get_all_cookies()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.name() == "chairside-session")
        .expect("the session cookie");
    assert_eq!(session.http_only(), Some(true));
    assert_eq!(format!("{:?}", session.same_site()), "Some(Strict)");
    let script_can_read: Value = b.script("return document.cookie").await;
    assert!(!script_can_read.as_str().unwrap().contains("chairside-session"));

    // Sign out: the sign-in screen, and the API refuses this browser.
    b.find("#sign-out").await.click().await.unwrap();
    b.find("#sign-in").await;
    let status: Value = b
        .client
        .execute_async(
            "const done = arguments[0]; fetch('/api/v1/patients/1').then(r => done(r.status))",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(status, 401);
    let held = everything_the_browser_holds(&b).await;
    assert!(!held.contains(DEV) && !held.contains(CUST), "a key reached the browser");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn after_an_idle_sign_out_signing_in_again_keeps_the_screen_its_input_and_the_queued_file() {
    let b = Browser::start().await;
    b.sign_in().await;
    b.goto(&format!("/patients/{JANE}/documents")).await;
    b.find("table.documents-table tbody tr").await;
    let dir = TempDir::new("gateway-idle");
    let (png, _) = sample_files(&dir);
    choose_files(&b, &[png]).await;
    b.fill("#upload-1-description", "Kept across sign-in").await;
    // A form being filled in, not sent.
    b.find("#by-url-title button").await.click().await.unwrap();
    b.fill("#by-url-address", "https://example.org/half-typed.pdf").await;
    b.fill("#by-url-description", "Not sent yet").await;

    // Sixteen quiet minutes pass on the gateway's clock; the next request finds the session gone.
    b.gateway
        .as_ref()
        .unwrap()
        .state
        .clock
        .advance(Duration::from_secs(16 * 60));
    b.find("#upload-all").await.click().await.unwrap();
    b.wait_for_text("#session-expired", "Sign in again").await;
    assert_eq!(
        b.requests_starting("POST /documents/Upload"),
        0,
        "nothing went through while signed out"
    );
    let unsent =
        "return [document.getElementById('by-url-address').value, document.getElementById('by-url-description').value]";
    assert_eq!(
        b.script(unsent).await,
        serde_json::json!(["https://example.org/half-typed.pdf", "Not sent yet"])
    );

    b.fill("#reauth-password", STAFF_PASSWORD).await;
    b.find("#reauth-submit").await.click().await.unwrap();
    wait_for_status(&b, "#upload-1", "done").await;
    assert!(
        b.client.find(Locator::Css("#session-expired")).await.is_err(),
        "the dialog closed"
    );
    assert_eq!(b.path().await, format!("/patients/{JANE}/documents"));
    assert_eq!(
        b.requests_starting("POST /documents/Upload"),
        1,
        "the queued file was sent once"
    );
    crate::documents::wait_for_row(&b, "Kept across sign-in").await;
    assert_eq!(
        b.script(unsent).await,
        serde_json::json!(["https://example.org/half-typed.pdf", "Not sent yet"]),
        "the unsent form is as it was"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_password_is_explained_and_repeated_failures_are_slowed_down() {
    let b = Browser::start().await;
    b.goto("/patients").await;
    let gateway = b.gateway.as_ref().unwrap();
    let failures = || {
        gateway
            .state
            .log
            .lines()
            .iter()
            .filter(|l| l.starts_with("failed sign-in"))
            .count()
    };
    for attempt in 1..=5 {
        b.fill("#username", STAFF_USER).await;
        b.fill("#password", "not the password").await;
        b.find("#sign-in-submit").await.click().await.unwrap();
        b.wait_for_text("#sign-in-error", "The username or password is not right.")
            .await;
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while failures() < attempt {
            assert!(
                std::time::Instant::now() < deadline,
                "attempt {attempt} never reached the gateway"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    b.fill("#password", STAFF_PASSWORD).await;
    b.find("#sign-in-submit").await.click().await.unwrap();
    b.wait_for_text("#sign-in-error", "Try again in").await;
    let typed = b.find("#username").await.prop("value").await.unwrap();
    assert_eq!(typed.as_deref(), Some(STAFF_USER), "the username is kept");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_minute_before_the_idle_sign_out_a_warning_offers_to_stay_signed_in() {
    // One idle minute: the warning is due as soon as staff sign in.
    let b = Browser::start_with_gateway(Config::for_tests(), |g| g.sessions.idle_minutes = 1).await;
    b.sign_in().await;
    let text = b.wait_for_text("#idle-warning", "signed out in").await;
    assert!(text.contains("seconds"), "{text}");
    let gateway = b.gateway.as_ref().unwrap();
    // Time passes on the gateway; "Stay signed in" gives the session its whole minute again.
    gateway.state.clock.advance(Duration::from_secs(40));
    b.find("#stay-signed-in").await.click().await.unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let remaining: Value = b
            .client
            .execute_async(
                "const done = arguments[0]; fetch('/gateway/v1/session').then(r => r.json()).then(s => done(s.idleRemainingSecs))",
                vec![],
            )
            .await
            .unwrap();
        if remaining.as_u64().unwrap_or(0) > 55 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "Stay signed in never extended the session: {remaining}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Still signed in and working.
    b.goto(&format!("/patients/{JANE}")).await;
    b.wait_for_text("#patient-name", "Smith, Jane").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn while_requests_wait_for_the_shared_throttle_the_app_says_so() {
    // Open Dental as Remote, one request per 1.5 s: a screen's requests queue at the gateway.
    let b = Browser::start_with_gateway(Config::for_tests(), |g| {
        g.endpoints[0].throttled = Some(true);
        g.throttle.interval_ms = 1500;
    })
    .await;
    b.sign_in().await;
    b.find("nav a[href='/patients']").await;
    b.goto(&format!("/patients/{JANE}/treatment-plans")).await;
    let said = b.wait_for_text("#throttle-wait", "Waiting for Open Dental").await;
    assert!(said.contains("ahead") || said.contains("next"), "{said}");
    b.find("table.plan-table tbody.priority-group").await;
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while !b.find("#throttle-wait").await.text().await.unwrap().is_empty() {
        assert!(std::time::Instant::now() < deadline, "the indicator never cleared");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    b.close().await;
}

//! The walking skeleton: loading, connecting, searching, selecting and deep links.

use fantoccini::Locator;

use crate::harness::{Browser, CUST_KEY, DEV_KEY};

const ENTER: &str = "\u{E007}";
const TAB: &str = "\u{E004}";
const ARROW_DOWN: &str = "\u{E015}";

fn result_link(name: &str) -> String {
    format!("//ol[contains(@class,'results')]//a[contains(., \"{name}\")]")
}

async fn search_last_name(b: &Browser, text: &str) {
    b.goto("/patients").await;
    b.fill("#lname", text).await;
    b.press(ENTER).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn app_loads_without_console_errors_and_asks_for_a_connection() {
    let b = Browser::start_direct().await;
    b.goto("/").await;
    b.wait_for_path("/settings").await;
    b.wait_for_text("h1", "Connection to Open Dental").await;
    assert!(
        b.client
            .find(Locator::XPath("//nav//a[normalize-space()='Patients']"))
            .await
            .is_err(),
        "no Patients screen is offered before connecting"
    );
    assert_eq!(b.console_errors().await, Vec::<String>::new());
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_gateway_the_app_runs_in_direct_mode_and_says_so() {
    let b = Browser::start_direct().await;
    b.goto("/settings").await;
    b.wait_for_text("#direct-mode", "Direct mode").await;
    b.wait_for_text(".connection-chip", "Not connected").await;
    b.connect_with_demo_keys().await;
    b.wait_for_text(".connection-chip", "Direct: Sandbox").await;
    assert!(
        b.client.find(Locator::Css("#sign-out, #sign-in")).await.is_err(),
        "no sign-in or sign-out without a gateway"
    );
    assert_eq!(b.console_errors().await, Vec::<String>::new());
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_keys_show_the_servers_401_explanation_and_keep_the_input() {
    let b = Browser::start_direct().await;
    b.connect("wrong-dev-key", "wrong-cust-key").await;
    let alert = b
        .wait_for_text("[role=alert]", "Open Dental did not accept the API keys: ")
        .await;
    let explanation = alert.split_once(": ").unwrap().1;
    assert!(
        !explanation.contains("(HTTP 401)"),
        "the server's own explanation is shown, not a fallback: {alert}"
    );
    let page = b.body_text().await;
    assert!(
        !page.contains("wrong-dev-key") && !page.contains("wrong-cust-key"),
        "keys never shown: {page}"
    );
    assert!(
        !b.client.current_url().await.unwrap().as_str().contains("wrong"),
        "keys never in the URL"
    );
    let typed = b.find("#customer-key").await.prop("value").await.unwrap();
    assert_eq!(typed.as_deref(), Some("wrong-cust-key"), "what the user typed is kept");
    assert!(b
        .client
        .find(Locator::XPath("//nav//a[normalize-space()='Patients']"))
        .await
        .is_err());
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_search_select_and_reload_the_deep_link() {
    let b = Browser::start().await;
    b.connect_with_demo_keys().await;
    b.find("nav a[href='/patients']").await.click().await.unwrap();
    b.wait_for_path("/patients").await;

    search_last_name(&b, "smi").await;
    b.wait_for_text(".result-count", "found").await;
    let link = b
        .client
        .wait()
        .for_element(Locator::XPath(&result_link("Smith, Jane")))
        .await
        .unwrap();
    let href = link.attr("href").await.unwrap().unwrap();
    link.click().await.unwrap();
    b.wait_for_path(&href).await;
    b.wait_for_text("#patient-name", "Smith, Jane").await;
    b.wait_for_text("#patient-birthdate", "Born 1976-05-24").await;

    b.client.refresh().await.unwrap();
    b.wait_for_text("#patient-name", "Smith, Jane").await;
    b.wait_for_text("#patient-birthdate", "Born 1976-05-24").await;
    assert_eq!(b.path().await, href, "the patient stays in the URL across a reload");
    assert_eq!(b.console_errors().await, Vec::<String>::new());
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn search_results_are_keyboard_navigable() {
    let b = Browser::start().await;
    b.connect_with_demo_keys().await;
    search_last_name(&b, "smi").await;
    b.wait_for_text(".result-count", "found").await;
    let links = b.client.find_all(Locator::Css(".results a")).await.unwrap();
    assert!(links.len() >= 2, "the demo practice has several Smiths");
    let second = links[1].attr("href").await.unwrap().unwrap();
    b.script("document.querySelector('.results a').focus()").await;
    b.press(ARROW_DOWN).await;
    let focused = b.client.active_element().await.unwrap().attr("href").await.unwrap();
    assert_eq!(
        focused.as_deref(),
        Some(second.as_str()),
        "Down moves to the next result"
    );
    b.press(ENTER).await;
    b.wait_for_path(&second).await;
    b.find("#patient-name").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn names_with_apostrophes_and_accents_are_found() {
    let b = Browser::start().await;
    b.connect_with_demo_keys().await;
    search_last_name(&b, "o'b").await;
    b.client
        .wait()
        .for_element(Locator::XPath(&result_link("O'Brien")))
        .await
        .unwrap();
    b.goto("/patients").await;
    b.fill("#lname", "").await;
    b.fill("#fname", "zoë").await;
    b.press(ENTER).await;
    b.client
        .wait()
        .for_element(Locator::XPath(&result_link("Müller, Zoë")))
        .await
        .unwrap();
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deep_link_opened_before_connecting_lands_after_connecting() {
    let b = Browser::start_direct().await;
    b.goto("/patients/1").await;
    b.wait_for_text("h1", "Connect to Open Dental first").await;
    b.find("main a[href^='/settings']").await.click().await.unwrap();
    b.wait_for_path("/settings").await;
    b.find("#preset").await.select_by_value("sandbox").await.unwrap();
    b.fill("#developer-key", DEV_KEY).await;
    b.fill("#customer-key", CUST_KEY).await;
    b.find("button[type=submit]").await.click().await.unwrap();
    b.wait_for_path("/patients/1").await;
    b.find("#patient-name").await;

    b.goto("/patients/999999").await;
    b.wait_for_text("[role=alert]", "Not found in Open Dental: ").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn skip_to_main_content_moves_the_keyboard_to_the_main_content() {
    let b = Browser::start().await;
    b.connect_with_demo_keys().await;
    b.goto("/patients").await;
    b.find("#lname").await;
    b.press(TAB).await;
    b.wait_for_focus("el.classList.contains('skip-link')", "reached the skip link first")
        .await;
    b.press(ENTER).await;
    b.wait_for_focus("el.id === 'main'", "moved to the main content").await;
    b.press(TAB).await;
    b.wait_for_focus(
        "el !== document.getElementById('main') && document.getElementById('main').contains(el)",
        "went on inside the main content",
    )
    .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_page_says_loading_until_the_app_runs_and_why_if_it_cannot() {
    let b = Browser::start().await;
    b.goto("/patients").await;
    b.find("#sign-in").await;
    assert!(
        b.client.find(Locator::Css("#boot")).await.is_err(),
        "the start-up panel is gone once the app runs"
    );
    b.close().await;

    // The same app with its WebAssembly damaged (a download cut short, say).
    let broken = crate::harness::TempDir::new("broken-dist");
    // Only the staff app's own files: the kiosk's folder is not needed, and
    // the precompressed copies would be served instead of the damaged wasm.
    for entry in std::fs::read_dir(crate::harness::dist_dir()).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() || name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        let target = broken.0.join(&name);
        std::fs::copy(entry.path(), &target).unwrap();
        if target.to_string_lossy().ends_with("_bg.wasm") {
            let bytes = std::fs::read(&target).unwrap();
            std::fs::write(&target, &bytes[..bytes.len() / 3]).unwrap();
        }
    }
    let b = Browser::start_direct_serving(broken.0.clone()).await;
    b.goto("/").await;
    let said = b.wait_for_text("#boot-status", "could not start").await;
    assert!(said.contains("Reload the page"), "{said}");
    b.close().await;
}

/// A screen's reads stop when the user leaves it (an AbortController per resource, aborted on
/// cleanup), so a slow answer nobody will see does not keep the connection busy.
#[tokio::test(flavor = "multi_thread")]
async fn leaving_a_screen_stops_its_reads() {
    use chairside_sandbox::seed::patients::SMITH_JANE;
    let b = Browser::start().await;
    b.sign_in().await;
    b.goto(&format!("/patients/{SMITH_JANE}")).await;
    b.wait_for_text(".summary", "Address").await;
    // Note every fetch the page aborts (the app's requests go through window.fetch).
    b.script(
        "window.abortedFetches = []; const fetchAsBefore = window.fetch; \
         window.fetch = function (request, init) { \
           const signal = (init && init.signal) || (request && request.signal); \
           if (signal) signal.addEventListener('abort', () => window.abortedFetches.push(String(request.url || request))); \
           return fetchAsBefore.apply(this, arguments); };",
    )
    .await;
    b.sandbox.knobs.set_latency_ms(4_000);
    b.sandbox.knobs.clear_request_log();
    b.find("nav.patient-nav a[href$='/documents']")
        .await
        .click()
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while b.requests_starting("GET /documents") == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the documents list was never asked for"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let left_at = std::time::Instant::now();
    b.find(&format!("nav.patient-nav a[href$='/patients/{SMITH_JANE}']"))
        .await
        .click()
        .await
        .unwrap();
    let aborted = loop {
        let aborted = b.script("return window.abortedFetches;").await;
        let aborted: Vec<String> = serde_json::from_value(aborted).unwrap();
        if aborted.iter().any(|url| url.contains("/api/v1/documents?")) {
            break aborted;
        }
        assert!(
            left_at.elapsed() < std::time::Duration::from_secs(3),
            "the documents list was still awaited after leaving the screen: {aborted:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(
        aborted.iter().all(|url| !url.contains("/api/v1/patients")),
        "the summary's own reads go on: {aborted:?}"
    );
    // Nothing is left broken: the screen opens again and lists Jane's documents.
    b.sandbox.knobs.set_latency_ms(0);
    b.find("nav.patient-nav a[href$='/documents']")
        .await
        .click()
        .await
        .unwrap();
    b.find(".documents-list").await;
    let errors = b.console_errors().await;
    assert!(errors.is_empty(), "{errors:?}");
    b.close().await;
}

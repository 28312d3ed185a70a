//! Performance figures (not timed tests): run by scripts/bench with `--ignored --nocapture`.
//! Each prints what it measured and how; none asserts a time.

use std::time::{Duration, Instant};

use fantoccini::Locator;

use chairside_sandbox::seed::patients::{SMITH_JANE, SMITH_JOHN};

use crate::harness::{
    choose_file_to_upload, performance_marks, pseudo_random_bytes, upload_chosen_file, Browser, TempDir,
};

/// Process ids of Chromium's renderers (the page's JS, wasm and DOM live there).
fn renderer_pids() -> Vec<u32> {
    let mut pids = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let cmdline = String::from_utf8_lossy(&cmdline);
        if cmdline.contains("chromium") && cmdline.contains("--type=renderer") {
            pids.push(pid);
        }
    }
    pids
}

fn status_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// One 12 MiB upload from the documents screen: (upload started → request sent in ms, of which
/// started → body encoded, the renderer's peak memory growth over it in bytes, the encoder the
/// app used).
async fn measure_upload(b: &Browser, path: &str) -> (f64, f64, f64, String) {
    choose_file_to_upload(b, SMITH_JANE, path).await;
    // Peak resident memory of the renderer from here on: reset the high-water mark, read it after.
    let pids = renderer_pids();
    let rss_before: u64 = pids.iter().map(|p| status_kib(*p, "VmRSS:")).sum();
    for pid in &pids {
        let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
    }
    upload_chosen_file(b).await;
    let peak: u64 = pids.iter().map(|p| status_kib(*p, "VmHWM:")).sum();
    let marks = performance_marks(b).await;
    let at = |name: &str| {
        marks
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| *t)
            .unwrap_or(f64::NAN)
    };
    let encoder = marks
        .iter()
        .find_map(|(n, _)| n.strip_prefix("chairside-upload-encoder="))
        .unwrap_or("?")
        .to_owned();
    let extra = (peak.saturating_sub(rss_before)) as f64 * 1024.0;
    (
        at("chairside-upload-sent") - at("chairside-upload-begin"),
        at("chairside-upload-encoded") - at("chairside-upload-begin"),
        extra,
        encoder,
    )
}

fn min_median_max(mut values: Vec<f64>) -> (f64, f64, f64) {
    values.sort_by(|a, b| a.total_cmp(b));
    (values[0], values[values.len() / 2], values[values.len() - 1])
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run by scripts/bench"]
async fn bench_upload_of_a_12_mib_file() {
    let dir = TempDir::new("bench");
    let path = dir.0.join("bench-12mib.jpg");
    let data = pseudo_random_bytes(12 * 1024 * 1024, 0x2545F4914F6CDD1D);
    std::fs::write(&path, &data).unwrap();
    let path = path.display().to_string();
    let file = data.len() as f64;
    println!("12 MiB upload (random bytes), headless Chromium, release build, 5 runs each (min / median / max):");
    // Behind the gateway (the file as it is), then direct with the browser's own toBase64, then
    // direct with the base64-crate fallback in a browser without it (a fresh browser each, so
    // one's memory does not count against the other).
    for (behind_gateway, without_native) in [(true, false), (false, false), (false, true)] {
        let b = if behind_gateway {
            Browser::start().await
        } else {
            Browser::start_direct().await
        };
        if without_native {
            b.cdp(
                "Page.addScriptToEvaluateOnNewDocument",
                serde_json::json!({ "source": "delete Uint8Array.prototype.toBase64;" }),
            )
            .await;
        }
        b.connect_with_demo_keys().await;
        let mut times = Vec::new();
        let mut encoding = Vec::new();
        let mut growth = Vec::new();
        let mut encoders = Vec::new();
        for _ in 0..5 {
            let (ms, encoded_ms, extra, encoder) = measure_upload(&b, &path).await;
            times.push(ms);
            encoding.push(encoded_ms);
            growth.push(extra / file);
            encoders.push(encoder);
        }
        let (t0, t1, t2) = min_median_max(times);
        let (e0, e1, e2) = min_median_max(encoding);
        let (m0, m1, m2) = min_median_max(growth);
        let how = if behind_gateway {
            "behind the gateway, the file as it is".to_owned()
        } else {
            format!(
                "direct, encoder {}",
                encoders.first().map(String::as_str).unwrap_or("?")
            )
        };
        println!(
            "  {how:<38} upload started → request sent {t0:5.1} / {t1:5.1} / {t2:5.1} ms \
             (started → body encoded {e0:5.1} / {e1:5.1} / {e2:5.1} ms); \
             renderer peak RSS growth {m0:.2} / {m1:.2} / {m2:.2}× the file",
        );
        assert!(encoders.iter().all(|e| e == &encoders[0]), "{encoders:?}");
        b.close().await;
    }
    println!("  (times from the app's performance marks chairside-upload-begin → -sent; memory is the");
    println!("   renderer's VmHWM after clear_refs, minus VmRSS before: JS heap, wasm and the browser's copies)");

    // The browser's own alternative, for the README: readAsDataURL of a file of the same size.
    let b = Browser::start().await;
    b.goto("/").await;
    let data_url_ms = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const bytes = new Uint8Array(12 * 1024 * 1024);
             for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
             const file = new File([bytes], 'same-size.jpg');
             const t0 = performance.now();
             const r = new FileReader();
             r.onload = () => done(performance.now() - t0);
             r.readAsDataURL(file);",
            vec![],
        )
        .await
        .unwrap();
    println!(
        "  FileReader.readAsDataURL of a 12 MiB file (base64 as a JS string, before any body is built): {:.1} ms",
        data_url_ms.as_f64().unwrap_or(f64::NAN)
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run by scripts/bench"]
async fn bench_render_500_documents() {
    let b = Browser::start().await;
    b.connect_with_demo_keys().await;
    // 500 documents for a patient without any, added through the API before the page loads.
    let client = reqwest_free_post_many(&b, 40, 500).await;
    b.goto("/patients/40").await;
    b.find("#patient-name").await;
    let ms = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const t0 = performance.now();
             document.querySelector(\"nav.patient-nav a[href$='/documents']\").click();
             const check = () => {
               const n = document.querySelectorAll('table.documents-table tbody tr').length;
               if (n >= 500) {
                 const net = performance.getEntriesByType('resource').filter(e => e.name.includes('/documents?')).pop();
                 done([performance.now() - t0, net ? performance.now() - (net.responseEnd) : -1, n]);
               } else requestAnimationFrame(check);
             };
             requestAnimationFrame(check);",
            vec![],
        )
        .await
        .unwrap();
    println!(
        "500 documents: click → 500 rows painted {:.1} ms; last documents response → rows {:.1} ms ({} rows; {client} created)",
        ms[0].as_f64().unwrap_or(f64::NAN),
        ms[1].as_f64().unwrap_or(f64::NAN),
        ms[2]
    );
    let _ = b.client.find(Locator::Css("body")).await;
    b.close().await;
}

/// Creates `count` small documents for `pat_num` through the sandbox's API from inside the page
/// (fetch with the demo keys), so no HTTP client is needed here.
async fn reqwest_free_post_many(b: &Browser, pat_num: i64, count: usize) -> usize {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         (async () => {{
           let made = 0;
           for (let i = 0; i < {count}; i++) {{
             const r = await fetch('/api/v1/documents/SetByUrl', {{
               method: 'POST',
               headers: {{ 'Authorization': 'ODFHIR {dev}/{cust}', 'Content-Type': 'application/json' }},
               body: JSON.stringify({{ PatNum: {pat_num}, url: 'https://example.org/scan-' + i + '.pdf', Description: 'Scan ' + i }})
             }});
             if (r.status === 201) made++;
           }}
           done(made);
         }})();",
        dev = crate::harness::DEV_KEY,
        cust = crate::harness::CUST_KEY,
    );
    b.client
        .execute_async(&script, vec![])
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(0) as usize
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run by scripts/bench"]
async fn bench_treatment_plan_of_200_procedures() {
    let b = Browser::start().await;
    b.connect_with_demo_keys().await;
    // Smith, John: an Active plan of 200 procedures.
    b.goto(&format!("/patients/{SMITH_JOHN}")).await;
    b.find("#patient-name").await;
    b.sandbox.knobs.clear_request_log();
    let render = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const t0 = performance.now();
             document.querySelector(\"nav.patient-nav a[href$='/treatment-plans']\").click();
             const check = () => {
               const n = document.querySelectorAll('table.plan-table tr[data-attach]').length;
               if (n >= 200) {
                 const api = performance.getEntriesByType('resource').filter(e => e.name.includes('/api/v1/'));
                 const last = Math.max(...api.map(e => e.responseEnd));
                 done([performance.now() - t0, performance.now() - last, n]);
               } else requestAnimationFrame(check);
             };
             requestAnimationFrame(check);",
            vec![],
        )
        .await
        .unwrap();
    let requests = b.sandbox.knobs.requests();
    println!(
        "200-procedure plan: click → rows painted {:.1} ms; last API response → rows painted {:.1} ms ({} rows, {} requests: {:?})",
        render[0].as_f64().unwrap_or(f64::NAN),
        render[1].as_f64().unwrap_or(f64::NAN),
        render[2],
        requests.len(),
        requests.iter().map(|r| r.split('?').next().unwrap_or_default()).collect::<Vec<_>>()
    );
    // Regroup: change one row's priority and time until it stands in its new group. The PUT is
    // answered later; the regroup happens before it.
    let mut samples = Vec::new();
    for round in 0..5 {
        let ms = b
            .client
            .execute_async(
                &format!(
                    "const done = arguments[arguments.length - 1];
                     const select = document.querySelectorAll('table.plan-table select.priority')[{round} * 7];
                     const attach = select.closest('tr').dataset.attach;
                     const target = Array.from(select.options).map(o => o.value).find(v => v !== select.value);
                     const inGroup = () => {{
                       const row = document.querySelector('tr[data-attach=\"' + attach + '\"]');
                       return row && row.closest('tbody').dataset.priority === target;
                     }};
                     const t0 = performance.now();
                     const observer = new MutationObserver(() => {{
                       if (inGroup()) {{ observer.disconnect(); done(performance.now() - t0); }}
                     }});
                     observer.observe(document.querySelector('table.plan-table'), {{ childList: true, subtree: true }});
                     select.value = target;
                     select.dispatchEvent(new Event('change', {{ bubbles: true }}));"
                ),
                vec![],
            )
            .await
            .unwrap();
        samples.push(ms.as_f64().unwrap_or(f64::NAN));
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    println!("  regroup after a priority change (change event → row in its new group): {samples:.1?} ms");
    b.close().await;
}

/// Screenshots of each screen for a person to look at: `SCREENSHOTS=dir cargo test --test
/// browser -- --ignored screenshots`.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "writes screenshots for review"]
async fn screenshots() {
    let dir = std::path::PathBuf::from(std::env::var("SCREENSHOTS").unwrap_or_else(|_| "screenshots".into()));
    std::fs::create_dir_all(&dir).unwrap();
    let b = Browser::start().await;
    let shot = |name: &'static str| {
        let client = b.client.clone();
        let path = dir.join(format!("{name}.png"));
        async move { std::fs::write(path, client.screenshot().await.unwrap()).unwrap() }
    };
    // Through the gateway: the sign-in screen, then the connection screen once signed in.
    b.goto("/patients").await;
    b.find("#sign-in").await;
    shot("sign-in").await;
    b.connect_with_demo_keys().await;
    b.goto("/settings").await;
    b.find("#signed-in-user").await;
    shot("settings").await;
    b.goto("/patients").await;
    b.fill("#lname", "smi").await;
    b.press("\u{E007}").await;
    b.wait_for_text(".result-count", "found").await;
    shot("search").await;
    b.goto(&format!("/patients/{SMITH_JANE}/documents")).await;
    b.find("table.documents-table tbody tr").await;
    b.find("table.documents-table tbody tr[id^='doc-'] button.link")
        .await
        .click()
        .await
        .unwrap();
    b.find("#edit-description").await;
    shot("documents").await;
    let site = chairside_sftp_server::TempSite::start("frontdesk", "pw-for-shot")
        .await
        .unwrap();
    b.find(".sftp h3 button").await.click().await.unwrap();
    b.find("input[name=sftp-action][value=send]")
        .await
        .click()
        .await
        .unwrap();
    b.fill("#sftp-username", "frontdesk").await;
    b.fill("#sftp-password", "pw-for-shot").await;
    b.find("#sftp-item").await.select_by_value("mount:1").await.unwrap();
    b.fill("#sftp-address", &site.address("/exports/")).await;
    b.find(".sftp button[type=submit]").await.click().await.unwrap();
    b.wait_for_text(".sftp .notice.success", "Written to").await;
    b.script("document.querySelector('.sftp').scrollIntoView()").await;
    shot("sftp").await;
    b.goto(&format!("/patients/{SMITH_JANE}/treatment-plans")).await;
    b.find("table.plan-table tbody.priority-group").await;
    shot("treatment-plan").await;
    // The session ends while staff are on a screen: the sign-in dialog covers it.
    b.gateway
        .as_ref()
        .unwrap()
        .state
        .clock
        .advance(std::time::Duration::from_secs(16 * 60));
    b.find("nav.patient-nav a[href$='documents']")
        .await
        .click()
        .await
        .unwrap();
    b.find("#session-expired").await;
    shot("session-expired").await;
    b.close().await;
}

/// A kiosk photo of phone size (4032×3024 JPEG), from "Use this photo" to the next step, and a
/// portrait tablet screenshot of the step for review (`SCREENSHOTS=dir`).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run by scripts/bench"]
async fn bench_kiosk_photo_to_uploaded() {
    let desk = Browser::start().await;
    let b = crate::kiosk::set_up_kiosk(&desk, 120).await;
    b.client.set_window_size(768, 1024).await.unwrap();
    crate::kiosk::start_for_jane(&desk, &b).await;

    let dir = TempDir::new("kiosk-bench");
    let path = dir.0.join("phone.jpg");
    let mut state = 1u32;
    let pixels = image::RgbImage::from_fn(4032, 3024, |x, y| {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        image::Rgb([(x / 16) as u8, (y / 12) as u8, (state >> 24) as u8])
    });
    pixels.save_with_format(&path, image::ImageFormat::Jpeg).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    b.find("#kiosk-camera")
        .await
        .send_keys(&path.display().to_string())
        .await
        .unwrap();
    b.find("img.kiosk-preview").await;
    if let Ok(dir) = std::env::var("SCREENSHOTS") {
        std::fs::write(
            std::path::Path::new(&dir).join("kiosk-preview.png"),
            b.client.screenshot().await.unwrap(),
        )
        .unwrap();
    }
    let started = Instant::now();
    b.find("#kiosk-use").await.click().await.unwrap();
    b.wait_for_text("#kiosk-title", "Insurance card, front").await;
    println!(
        "kiosk: a {:.1} MB 4032×3024 photo, \"Use this photo\" → next step (resized to 1600 px, uploaded): {} ms",
        size as f64 / 1e6,
        started.elapsed().as_millis()
    );
    b.close().await;
    desk.close().await;
}

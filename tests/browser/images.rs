//! Seeing the images through the gateway's own SFTP site: thumbnails on the documents screen,
//! the viewer (real size, zoom, rotate, next with the arrow keys, Escape gives the focus back),
//! requests per screen, and nothing left on the gateway's SFTP site afterwards.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::Browser;
use chairside_sandbox::seed::{
    documents::{JANE_CONSENT_PDF, JANE_INSURANCE_BACK, JANE_INSURANCE_FRONT as INSURANCE_FRONT, JANE_PA_XRAY},
    patients::SMITH_JANE as JANE,
};

const ESCAPE: &str = "\u{E00C}";
const ARROW_RIGHT: &str = "\u{E014}";

/// Whether the page can still load an image from an object URL (a revoked one fails; the CSP
/// lets images, not fetch, use blob: URLs).
async fn object_url_alive(b: &Browser, url: &str) -> bool {
    b.client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const img = new Image();
             img.onload = () => done(true);
             img.onerror = () => done(false);
             img.src = arguments[0];",
            vec![Value::from(url)],
        )
        .await
        .unwrap()
        .as_bool()
        .unwrap()
}

pub(crate) async fn open_documents_with_thumbnails(b: &Browser, pat_num: i64) {
    b.connect_with_demo_keys().await;
    b.goto(&format!("/patients/{pat_num}/documents")).await;
    b.find(".documents-list[data-thumbnails=ready]").await;
}

/// Waits until `js` (an expression) is truthy; returns its last value.
pub(crate) async fn wait_until(b: &Browser, js: &str, what: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let value = b.script(&format!("return ({js});")).await;
        if value.as_bool() != Some(false) && !value.is_null() && value != 0 {
            return value;
        }
        assert!(Instant::now() < deadline, "never: {what} (last {value})");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Whether the gateway's SFTP site is empty once requests under way (a next image fetched
/// ahead) have finished.
async fn site_empties(b: &Browser) -> bool {
    let site = b.gateway.as_ref().unwrap().state.files_site.as_ref().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while site.folders_in_use() != 0 {
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    true
}

#[tokio::test(flavor = "multi_thread")]
async fn the_documents_screen_shows_thumbnails_for_janes_images_and_icons_for_the_rest() {
    let b = Browser::start().await;
    open_documents_with_thumbnails(&b, JANE).await;
    let gateway = b.gateway.as_ref().unwrap();
    let with_thumbnails = gateway.state.thumbnails.kept_documents(JANE);
    assert!(with_thumbnails.len() >= 6, "{with_thumbnails:?}");
    for doc in &with_thumbnails {
        // Only what is on screen is decoded: bring it there.
        b.script(&format!(
            "document.querySelector('#view-doc-{doc}').scrollIntoView({{block: 'center'}})"
        ))
        .await;
        wait_until(
            &b,
            &format!(
                "(() => {{ const img = document.querySelector('#view-doc-{doc} .thumb img'); \
                 return img && img.complete && img.naturalWidth > 0 && img.naturalWidth <= 100 \
                 && img.src.startsWith('blob:'); }})()"
            ),
            &format!("document {doc}'s thumbnail is painted"),
        )
        .await;
    }
    // The PDF has its type icon; the mount its composite.
    let pdf = b.find(&format!("#view-doc-{JANE_CONSENT_PDF} .type-icon.pdf")).await;
    assert_eq!(pdf.text().await.unwrap(), "PDF");
    wait_until(
        &b,
        "document.querySelector('#view-mount-1 .thumb.mount img')?.naturalWidth > 0",
        "the mount's composite tile",
    )
    .await;
    // Named for a screen reader by description, date, category and teeth.
    let label = b
        .find(&format!("#view-doc-{JANE_PA_XRAY}"))
        .await
        .attr("aria-label")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(label, "View PA #3, 2023-02-14, X-Rays, teeth 2, 3, 4");

    // The grid shows the same pictures.
    b.find("#show-grid").await.click().await.unwrap();
    wait_until(
        &b,
        &format!("document.querySelector('.documents-grid #view-doc-{INSURANCE_FRONT} img')?.naturalWidth > 0"),
        "the grid's thumbnail",
    )
    .await;
    let shown = b
        .script(&format!(
            "const r = document.querySelector('.documents-grid #view-doc-{INSURANCE_FRONT} img').getBoundingClientRect(); \
             return [r.width, r.height];"
        ))
        .await;
    assert_eq!(shown, serde_json::json!([100, 100]), "100×100 in the grid");
    // Leaving the screen revokes every thumbnail's object URL.
    let tile_url = b
        .script(&format!(
            "return document.querySelector('.documents-grid #view-doc-{INSURANCE_FRONT} img').src"
        ))
        .await;
    let tile_url = tile_url.as_str().unwrap().to_owned();
    assert!(object_url_alive(&b, &tile_url).await);
    b.find(&format!("nav.patient-nav a[href$='/patients/{JANE}']"))
        .await
        .click()
        .await
        .unwrap();
    b.find(".summary").await;
    assert!(!object_url_alive(&b, &tile_url).await, "revoked with the screen");
    assert!(site_empties(&b).await);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_viewer_shows_the_real_size_zooms_rotates_moves_on_and_gives_the_focus_back() {
    let b = Browser::start().await;
    open_documents_with_thumbnails(&b, JANE).await;
    b.find(&format!("#view-doc-{INSURANCE_FRONT}"))
        .await
        .click()
        .await
        .unwrap();
    let natural = wait_until(
        &b,
        "(() => { const img = document.querySelector('dialog.viewer #viewer-image'); \
         return img && img.complete && img.naturalWidth > 0 && [img.naturalWidth, img.naturalHeight]; })()",
        "the image is shown",
    )
    .await;
    let file = chairside_sandbox::atoz::all_files(&b.sandbox.atoz_dir)
        .into_iter()
        .find(|p| p.file_name().is_some_and(|n| n == "SmithJane5.jpg") && !p.parent().unwrap().ends_with("Thumbnails"))
        .expect("the file in the A-to-Z folder");
    let (width, height) = image::ImageReader::open(&file)
        .unwrap()
        .with_guessed_format()
        .unwrap()
        .into_dimensions()
        .unwrap();
    assert_eq!(
        natural,
        serde_json::json!([width, height]),
        "the file itself, not a thumbnail"
    );
    let alt = b.find("#viewer-image").await.attr("alt").await.unwrap().unwrap();
    assert_eq!(alt, "Insurance card front, 2023-01-10, Insurance Cards");

    let transform = || async {
        b.script("return document.querySelector('#viewer-image').style.transform")
            .await
    };
    // A small image fits at 100 %; 100 % is one image pixel per CSS pixel.
    b.find("#viewer-actual").await.click().await.unwrap();
    assert_eq!(b.find("#viewer-zoom").await.text().await.unwrap(), "100 %");
    let before = transform().await;
    assert!(before.as_str().unwrap().contains("scale(1, 1)"), "{before}");
    b.find("#viewer-zoom-in").await.click().await.unwrap();
    assert_eq!(b.find("#viewer-zoom").await.text().await.unwrap(), "125 %");
    let zoomed = transform().await;
    assert_ne!(zoomed, before);
    assert!(zoomed.as_str().unwrap().contains("scale(1.25"), "{zoomed}");
    let shown = b
        .script(
            "const r = document.querySelector('#viewer-image').getBoundingClientRect(); \
             return [Math.round(r.width), Math.round(r.height)];",
        )
        .await;
    assert_eq!(shown, serde_json::json!([width * 5 / 4, height * 5 / 4]));
    b.find("#viewer-rotate-right").await.click().await.unwrap();
    assert!(transform().await.as_str().unwrap().contains("rotate(90deg)"));
    let turned = b
        .script("const r = document.querySelector('#viewer-image').getBoundingClientRect(); return r.height > r.width;")
        .await;
    assert_eq!(turned, Value::Bool(true), "turned a quarter, the card stands upright");

    // Brightness changes the view; Reset puts it back.
    b.script(
        "const s = document.querySelector('#viewer-brightness'); s.value = '150'; \
         s.dispatchEvent(new Event('input', { bubbles: true }));",
    )
    .await;
    assert_eq!(
        b.script("return document.querySelector('#viewer-image').style.filter")
            .await,
        "brightness(1.5) contrast(1)"
    );
    b.find("#viewer-reset").await.click().await.unwrap();
    assert_eq!(
        b.script("return document.querySelector('#viewer-image').style.filter")
            .await,
        "none"
    );

    // The first of the list: Previous is off, Next on.
    let disabled = |id: &'static str| {
        let b = &b;
        async move {
            b.script(&format!("return document.querySelector('#{id}').disabled"))
                .await
        }
    };
    assert_eq!(disabled("viewer-previous").await, true);
    assert_eq!(disabled("viewer-next").await, false);

    // The arrow key moves to the next document: the card's back.
    b.find("#viewer-close").await.send_keys(ARROW_RIGHT).await.unwrap();
    b.wait_for_text("#viewer-title", "Insurance card back").await;
    b.wait_for_text("#viewer-info", "2 of 11").await;
    assert_eq!(disabled("viewer-previous").await, false);
    assert_eq!(disabled("viewer-next").await, false);
    wait_until(
        &b,
        "document.querySelector('#viewer-image')?.naturalWidth > 0",
        "the next image is shown",
    )
    .await;
    let download = b.find("#viewer-download").await;
    assert!(download.attr("href").await.unwrap().unwrap().starts_with("blob:"));
    assert_eq!(download.attr("download").await.unwrap().unwrap(), "SmithJane6.jpg");

    let shown_url = download.attr("href").await.unwrap().unwrap();
    assert!(object_url_alive(&b, &shown_url).await);
    // Escape closes it; the focus is on the document shown last.
    b.press(ESCAPE).await;
    b.wait_for_focus(
        &format!("el && el.id === 'view-doc-{JANE_INSURANCE_BACK}'"),
        "returned to the card's back",
    )
    .await;
    assert_eq!(
        b.script("return document.querySelectorAll('dialog.viewer').length")
            .await,
        0
    );
    assert!(
        !object_url_alive(&b, &shown_url).await,
        "the viewer's object URL is revoked"
    );

    // Viewed twice through the gateway: audited with user, patient and document.
    let gateway = b.gateway.as_ref().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let rows = gateway
            .state
            .audit
            .query(&chairside_gateway::audit::AuditFilter::default())
            .unwrap();
        let viewed: Vec<_> = rows
            .iter()
            .filter(|r| r.path.contains("to view") && r.pat_num == Some(JANE) && r.actor == "user:frontdesk")
            .map(|r| r.path.clone())
            .collect();
        if viewed.iter().any(|p| p.contains("document 5,")) && viewed.iter().any(|p| p.contains("document 6,")) {
            break;
        }
        assert!(Instant::now() < deadline, "views not audited: {viewed:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(site_empties(&b).await, "nothing is left on the gateway's SFTP site");
    let site = gateway.state.files_site.as_ref().unwrap();
    assert_eq!(std::fs::read_dir(site.root()).unwrap().count(), 0);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_wheel_zooms_about_the_pointer_and_a_swipe_moves_on() {
    let b = Browser::start().await;
    open_documents_with_thumbnails(&b, JANE).await;
    b.find(&format!("#view-doc-{INSURANCE_FRONT}"))
        .await
        .click()
        .await
        .unwrap();
    wait_until(
        &b,
        "document.querySelector('#viewer-image')?.naturalWidth > 0",
        "the image",
    )
    .await;
    assert_eq!(
        b.find("#viewer-zoom").await.text().await.unwrap(),
        "100 %",
        "a small image fits at 100 %"
    );
    let zoom = b
        .script(
            "const stage = document.querySelector('#viewer-stage'); const r = stage.getBoundingClientRect();
             stage.dispatchEvent(new WheelEvent('wheel', { deltaY: -100, clientX: r.left + r.width / 2 + 40,
               clientY: r.top + r.height / 2, bubbles: true, cancelable: true }));
             return document.querySelector('#viewer-image').style.transform;",
        )
        .await;
    b.wait_for_text("#viewer-zoom", "110 %").await;
    let pan = b
        .script(
            r"const m = document.querySelector('#viewer-image').style.transform
               .match(/\) translate\(([-\d.]+)px, ([-\d.]+)px\)/);
             return [parseFloat(m[1]), parseFloat(m[2])];",
        )
        .await;
    let (dx, dy) = (pan[0].as_f64().unwrap(), pan[1].as_f64().unwrap());
    // The point 40 px right of the centre stays put: the image moves 4 px left (to the pixel).
    assert!(
        (dx + 4.0).abs() < 0.5 && dy.abs() < 0.5,
        "zoomed about the pointer: moved by ({dx}, {dy}) (before: {zoom})"
    );
    b.find("#viewer-fit").await.click().await.unwrap();
    // A finger moving 120 px to the left: the next document.
    b.script(
        "const stage = document.querySelector('#viewer-stage'); const r = stage.getBoundingClientRect();
         const at = (x) => ({ pointerId: 7, pointerType: 'touch', isPrimary: true, clientX: x,
           clientY: r.top + r.height / 2, bubbles: true, cancelable: true });
         stage.dispatchEvent(new PointerEvent('pointerdown', at(r.left + 400)));
         stage.dispatchEvent(new PointerEvent('pointermove', at(r.left + 340)));
         stage.dispatchEvent(new PointerEvent('pointerup', at(r.left + 280)));",
    )
    .await;
    b.wait_for_text("#viewer-title", "Insurance card back").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_thumbnails_the_list_still_stands_with_icons_and_says_why() {
    let b = Browser::start().await;
    b.sandbox.knobs.fail_requests(
        1,
        chairside_sandbox::FailMode::ServerError,
        "POST /documents/Thumbnails",
    );
    open_documents_with_thumbnails(&b, JANE).await;
    b.wait_for_text(".thumbnails-problem", "Thumbnails are not available")
        .await;
    let icon = b.find(&format!("#view-doc-{INSURANCE_FRONT} .type-icon")).await;
    assert_eq!(icon.text().await.unwrap(), "IMG");
    // The viewer still opens the file itself.
    b.find(&format!("#view-doc-{INSURANCE_FRONT}"))
        .await
        .click()
        .await
        .unwrap();
    wait_until(
        &b,
        "document.querySelector('#viewer-image')?.naturalWidth > 0",
        "the image",
    )
    .await;
    assert!(site_empties(&b).await);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pdf_opens_in_the_browsers_own_viewer_and_a_mount_image_by_image() {
    let b = Browser::start().await;
    open_documents_with_thumbnails(&b, JANE).await;
    b.find(&format!("#view-doc-{JANE_CONSENT_PDF}"))
        .await
        .click()
        .await
        .unwrap();
    let frame = b.find("dialog.viewer iframe#viewer-pdf").await;
    assert!(frame.attr("src").await.unwrap().unwrap().starts_with("blob:"));
    assert_eq!(
        frame.attr("title").await.unwrap().unwrap(),
        "Consent for extraction, 2023-06-02, Documents, tooth 1"
    );
    b.press(ESCAPE).await;
    b.wait_for_focus(
        &format!("el && el.id === 'view-doc-{JANE_CONSENT_PDF}'"),
        "returned to the PDF",
    )
    .await;

    b.find("#view-mount-1").await.click().await.unwrap();
    wait_until(
        &b,
        "document.querySelector('#viewer-image')?.naturalWidth > 0",
        "the composite",
    )
    .await;
    b.find("#viewer-mount-images").await.click().await.unwrap();
    let images = wait_until(
        &b,
        "document.querySelectorAll('.mount-parts button.mount-image').length",
        "the mount's images",
    )
    .await;
    assert_eq!(images, 4);
    b.find(".mount-parts button.mount-image:nth-of-type(2)")
        .await
        .click()
        .await
        .unwrap();
    b.wait_for_text("#viewer-info", "image 1 of the mount").await;
    let size = wait_until(
        &b,
        "(() => { const img = document.querySelector('#viewer-image'); \
         return img && img.naturalWidth > 0 && [img.naturalWidth, img.naturalHeight]; })()",
        "the mount's first image",
    )
    .await;
    assert_eq!(size, serde_json::json!([160, 120]), "one image, not the composite");
    assert_eq!(b.requests_starting("POST /documents/DownloadMount"), 1);
    b.press(ESCAPE).await;
    b.wait_for_focus("el && el.id === 'view-mount-1'", "returned to the mount")
        .await;
    assert!(site_empties(&b).await);
    b.close().await;
}

/// Uploads each JPEG for the patient through the gateway from inside the signed-in page;
/// returns their DocNums.
async fn upload_jpegs(b: &Browser, pat_num: i64, jpegs: &[Vec<u8>], description: &str) -> Vec<i64> {
    use base64::Engine;
    let encoded: Vec<Value> = jpegs
        .iter()
        .map(|j| Value::from(base64::engine::general_purpose::STANDARD.encode(j)))
        .collect();
    let made = b
        .client
        .execute_async(
            &format!(
                "const done = arguments[arguments.length - 1];
                 const files = arguments[0];
                 (async () => {{
                   const made = [];
                   for (let i = 0; i < files.length; i++) {{
                     const r = await fetch('/api/v1/documents/Upload', {{
                       method: 'POST',
                       headers: {{ 'Content-Type': 'application/json' }},
                       body: JSON.stringify({{ PatNum: {pat_num}, rawBase64: files[i], extension: '.jpg',
                         Description: '{description} ' + (i + 1), ImgType: 'Photo' }})
                     }});
                     if (r.status === 201) made.push((await r.json()).DocNum);
                   }}
                   done(made);
                 }})();"
            ),
            vec![Value::Array(encoded)],
        )
        .await
        .unwrap();
    made.as_array().unwrap().iter().map(|d| d.as_i64().unwrap()).collect()
}

fn jpeg(width: u32, height: u32, seed: u32, quality: u8) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        image::Rgb([(x + seed) as u8, (y * 2) as u8, (state >> 24) as u8])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&pixels)
        .unwrap();
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run by scripts/bench"]
async fn bench_viewer_click_to_painted_for_a_5_mb_jpeg() {
    let b = Browser::start().await;
    b.sandbox.knobs.set_import_uploads(true);
    b.connect_with_demo_keys().await;
    b.goto("/patients/40").await;
    b.find("#patient-name").await;
    // About 5 MB: noise compresses poorly.
    let big = jpeg(2380, 1785, 7, 92);
    let made = upload_jpegs(&b, 40, std::slice::from_ref(&big), "Full-mouth photo").await;
    let doc = made[0];
    b.goto("/patients/40/documents").await;
    b.find(".documents-list[data-thumbnails=ready]").await;
    let mut samples = Vec::new();
    for _ in 0..20 {
        let ms = b
            .client
            .execute_async(
                &format!(
                    "const done = arguments[arguments.length - 1];
                     const t0 = performance.now();
                     document.querySelector('#view-doc-{doc}').click();
                     const check = () => {{
                       const m = performance.getEntriesByName('chairside-viewer-painted').filter(e => e.startTime > t0);
                       if (m.length) done(m[0].startTime - t0); else setTimeout(check, 5);
                     }};
                     check();"
                ),
                vec![],
            )
            .await
            .unwrap();
        samples.push(ms.as_f64().unwrap());
        b.press(ESCAPE).await;
        b.wait_for_focus(&format!("el && el.id === 'view-doc-{doc}'"), "back on the tile")
            .await;
    }
    let mut sorted = samples.clone();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "viewer: a {:.1} MB 2380×1785 JPEG, click → image painted (DownloadSftp through the gateway's SFTP site, \
         sandbox, Blob, decode, two frames), 20 opens: p50 {:.0} ms, p95 {:.0} ms (min {:.0}, max {:.0})",
        big.len() as f64 / 1e6,
        percentile(&sorted, 0.5),
        percentile(&sorted, 0.95),
        sorted[0],
        sorted[sorted.len() - 1]
    );
    assert!(site_empties(&b).await);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run by scripts/bench"]
async fn bench_documents_screen_with_300_images() {
    let b = Browser::start().await;
    b.sandbox.knobs.set_import_uploads(true);
    b.connect_with_demo_keys().await;
    b.goto("/patients/41").await;
    b.find("#patient-name").await;
    let photos: Vec<Vec<u8>> = (0..300).map(|i| jpeg(320, 240, i, 80)).collect();
    let mut made = Vec::new();
    // In batches: one script may run only so long.
    for batch in photos.chunks(20) {
        made.extend(upload_jpegs(&b, 41, batch, "Photo").await);
    }
    assert_eq!(made.len(), 300);
    // A debug build of the sandbox makes 300 thumbnails slowly.
    b.client
        .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
            Some(Duration::from_secs(600)),
            None,
            None,
        ))
        .await
        .unwrap();
    let gateway = b.gateway.as_ref().unwrap();
    for (round, grid) in [
        ("first ever: Open Dental makes 300 thumbnails", false),
        ("cold: the gateway asks Open Dental, which has them", false),
        ("warm: kept by the gateway", false),
        ("warm, grid", true),
    ] {
        if round.starts_with("cold") {
            gateway.state.thumbnails.invalidate(41);
        }
        b.goto("/patients/41").await;
        b.find("#patient-name").await;
        b.sandbox.knobs.clear_request_log();
        let result = b
            .client
            .execute_async(
                &format!(
                    "const done = arguments[arguments.length - 1];
                     const grid = {grid};
                     const t0 = performance.now();
                     document.querySelector(\"nav.patient-nav a[href$='/documents']\").click();
                     let first = null, clicked = false;
                     const check = () => {{
                       if (grid && !clicked) {{
                         const button = document.querySelector('#show-grid');
                         if (button) {{ button.click(); clicked = true; }}
                       }}
                       const tiles = Array.from(document.querySelectorAll(grid ? '.documents-grid .thumb' : 'td.preview .thumb'))
                         .filter(t => {{ const r = t.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight && r.width > 0; }});
                       const painted = tiles.filter(t => {{ const i = t.querySelector('img'); return i && i.complete && i.naturalWidth > 0; }});
                       if (painted.length && first === null) first = performance.now() - t0;
                       if (tiles.length && painted.length === tiles.length && (!grid || clicked)) {{
                         const decoded = document.querySelectorAll('.thumb img').length;
                         done([first, performance.now() - t0, tiles.length, decoded]);
                       }} else requestAnimationFrame(check);
                     }};
                     requestAnimationFrame(check);"
                ),
                vec![],
            )
            .await
            .unwrap();
        let requests: Vec<String> = b
            .sandbox
            .knobs
            .requests()
            .iter()
            .map(|r| r.split('?').next().unwrap_or_default().to_owned())
            .collect();
        println!(
            "300 images ({round}): click → first thumbnail {:.0} ms, all {} on screen {:.0} ms; pictures made (of 300): {}; \
             requests to Open Dental: {} {:?}",
            result[0].as_f64().unwrap_or(f64::NAN),
            result[2],
            result[1].as_f64().unwrap_or(f64::NAN),
            result[3],
            requests.len(),
            requests
        );
    }
    // Scrolling to the end and back paints what comes on screen.
    let scroll = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const t0 = performance.now();
             window.scrollTo(0, document.body.scrollHeight);
             const check = () => {
               const tiles = Array.from(document.querySelectorAll('.documents-grid .thumb'))
                 .filter(t => { const r = t.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; });
               if (tiles.length && tiles.every(t => t.querySelector('img')?.naturalWidth > 0))
                 done([performance.now() - t0, document.querySelectorAll('.thumb img').length]);
               else requestAnimationFrame(check);
             };
             requestAnimationFrame(check);",
            vec![],
        )
        .await
        .unwrap();
    println!(
        "  scrolled to the end: tiles on screen painted in {:.0} ms; pictures held: {} of 300",
        scroll[0].as_f64().unwrap_or(f64::NAN),
        scroll[1]
    );
    b.close().await;
}

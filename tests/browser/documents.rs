//! Documents: the list with a mount and a pending import, edit and delete, uploads through the
//! file input (with progress, the size limit, and retry after a failure), add by URL, and
//! requests per screen.

use std::time::{Duration, Instant};

use chairside_sandbox::FailMode;
use fantoccini::Locator;

use crate::harness::{Browser, TempDir};
use chairside_sandbox::seed::patients::SMITH_JANE as JANE;

const TAB: &str = "\u{E004}";
const SHIFT_TAB: &str = "\u{E008}\u{E004}";
const ESCAPE: &str = "\u{E00C}";

async fn open_documents(b: &Browser) {
    b.connect_with_demo_keys().await;
    b.goto(&format!("/patients/{JANE}/documents")).await;
    b.find("table.documents-table tbody tr").await;
}

/// The rows' texts, read in one script call so a re-render cannot leave a stale element.
async fn row_texts(b: &Browser) -> Vec<String> {
    let rows = b
        .script(
            "return Array.from(document.querySelectorAll('table.documents-table tbody tr'))\
             .map(r => r.innerText.replace(/\\s+/g, ' ').trim())",
        )
        .await;
    rows.as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_str().map(str::to_owned))
        .collect()
}

async fn alerts(b: &Browser) -> Vec<String> {
    let texts = b
        .script("return Array.from(document.querySelectorAll('[role=alert]')).map(a => a.innerText)")
        .await;
    texts
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str().map(str::to_owned))
        .collect()
}

pub(crate) async fn wait_for_row(b: &Browser, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(row) = row_texts(b).await.into_iter().find(|r| r.contains(needle)) {
            return row;
        }
        assert!(
            Instant::now() < deadline,
            "no row with {needle:?}: {:?}; alerts on screen: {:?}",
            row_texts(b).await,
            alerts(b).await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) async fn wait_for_status(b: &Browser, item: &str, status: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let el = b.find(item).await;
        let now = el.attr("data-status").await.unwrap().unwrap_or_default();
        if now == status {
            return;
        }
        let text = el.text().await.unwrap_or_default();
        assert!(
            Instant::now() < deadline,
            "{item} never reached {status}; it is {now}: {text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Files on disk for the file input: a real PNG and a small PDF.
pub(crate) fn sample_files(dir: &TempDir) -> (String, String) {
    // 1x1 red PNG.
    let png: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xDE, 0x00, 0x00, 0x00,
        0x0C, 0x49, 0x44, 0x41, 0x54, 0x08, 0xD7, 0x63, 0xF8, 0xCF, 0xC0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0x18,
        0xDD, 0x8D, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];
    let pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
    let png_path = dir.0.join("intraoral-left.png");
    let pdf_path = dir.0.join("consent-form.pdf");
    std::fs::write(&png_path, png).unwrap();
    std::fs::write(&pdf_path, pdf).unwrap();
    (png_path.display().to_string(), pdf_path.display().to_string())
}

pub(crate) async fn choose_files(b: &Browser, paths: &[String]) {
    b.find("#upload-files")
        .await
        .send_keys(&paths.join("\n"))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_list_shows_mounts_as_mounts_and_badges_pending_imports_without_their_note() {
    let b = Browser::start().await;
    open_documents(&b).await;
    let rows = row_texts(&b).await;
    assert!(
        rows.iter().any(|r| r.contains("Mount")),
        "a mount is listed as a mount: {rows:?}"
    );
    assert!(
        rows.iter().any(|r| r.contains("Waiting for import in Open Dental")),
        "pending import badged: {rows:?}"
    );
    assert!(
        rows.iter().any(|r| r.contains("X-Rays")),
        "category names shown: {rows:?}"
    );
    let source = b.client.source().await.unwrap();
    assert!(!source.contains("_rawBase64_"), "the raw Note is never rendered");

    let all = rows.len();
    b.find("#category-filter")
        .await
        .select_by_label("X-Rays")
        .await
        .unwrap();
    let filtered = row_texts(&b).await;
    assert!(
        filtered.len() < all && !filtered.is_empty(),
        "{} of {all}",
        filtered.len()
    );
    assert!(filtered.iter().all(|r| r.contains("X-Rays")), "{filtered:?}");
    assert_eq!(b.console_errors().await, Vec::<String>::new());
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn image_info_edits_are_saved_and_survive_a_reload() {
    let b = Browser::start().await;
    open_documents(&b).await;
    let first_doc = b.find("table.documents-table tbody tr[id^='doc-'] button.link").await;
    let row_id = b
        .find("table.documents-table tbody tr[id^='doc-']")
        .await
        .attr("id")
        .await
        .unwrap()
        .unwrap();
    first_doc.click().await.unwrap();
    b.find("#edit-description").await;
    b.fill("#edit-description", "Edited in the browser test").await;
    b.fill("#edit-teeth", "33").await;
    b.wait_for_text("#edit-teeth-hint", "1–32").await;
    b.fill("#edit-teeth", "1-3").await;
    b.wait_for_text("#edit-teeth-hint", "Teeth: 1, 2, 3").await;
    b.find(".edit-form button[type=submit]").await.click().await.unwrap();
    wait_for_row(&b, "Edited in the browser test").await;

    b.client.refresh().await.unwrap();
    let row = wait_for_row(&b, "Edited in the browser test").await;
    assert!(row.contains("1, 2, 3"), "teeth saved expanded: {row}");
    b.find(&format!("#{row_id} button.link")).await.click().await.unwrap();
    let value = b.find("#edit-description").await.prop("value").await.unwrap();
    assert_eq!(value.as_deref(), Some("Edited in the browser test"));
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_document_is_deleted_after_a_confirmation_that_names_it() {
    let b = Browser::start().await;
    open_documents(&b).await;
    let row = b.find("table.documents-table tbody tr[id^='doc-']").await;
    let row_id = row.attr("id").await.unwrap().unwrap();
    let name = row
        .find(Locator::Css("button.link"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    row.find(Locator::Css("button.link"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.find(".edit-form button.danger").await.click().await.unwrap();
    let question = b.find("#confirm-delete-text").await.text().await.unwrap();
    assert!(
        question.contains(&name),
        "the confirmation names the document: {question}"
    );
    b.find("#confirm-delete").await.click().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while b.client.find(Locator::Css(&format!("#{row_id}"))).await.is_ok() {
        assert!(Instant::now() < deadline, "the row never went away");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    b.client.refresh().await.unwrap();
    b.find("table.documents-table tbody tr").await;
    assert!(
        b.client.find(Locator::Css(&format!("#{row_id}"))).await.is_err(),
        "deleted on the server"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_image_and_a_pdf_are_uploaded_through_the_file_input_with_chosen_categories() {
    let b = Browser::start().await;
    open_documents(&b).await;
    let dir = TempDir::new("uploads");
    let (png, pdf) = sample_files(&dir);
    let png_bytes = std::fs::metadata(&png).unwrap().len();
    choose_files(&b, &[png, pdf]).await;
    let size = b.find("#upload-1 .queue-head .meta").await.text().await.unwrap();
    assert_eq!(
        size,
        format!("{png_bytes} bytes"),
        "a small file's size in the unit that fits"
    );
    b.find("#upload-1-category")
        .await
        .select_by_label("Photos")
        .await
        .unwrap();
    b.find("#upload-2-category")
        .await
        .select_by_label("Documents")
        .await
        .unwrap();
    b.find("#upload-all").await.click().await.unwrap();
    wait_for_status(&b, "#upload-1", "done").await;
    wait_for_status(&b, "#upload-2", "done").await;
    let photo = wait_for_row(&b, "intraoral-left").await;
    assert!(photo.contains("Photos"), "{photo}");
    let consent = wait_for_row(&b, "consent-form").await;
    assert!(consent.contains("Documents"), "{consent}");
    let uploads = b.requests_starting("POST /documents/Upload");
    assert_eq!(uploads, 2);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_file_and_a_pasted_image_join_the_queue_and_upload() {
    let b = Browser::start().await;
    open_documents(&b).await;
    let dir = TempDir::new("drop-paste");
    let (png, _) = sample_files(&dir);
    let bytes = std::fs::read(&png).unwrap();
    // What the browser hands the page for a drop from the desktop and for a pasted screenshot:
    // File objects in a DataTransfer (WebDriver cannot drag real files or use the clipboard).
    let handed = b
        .client
        .execute(
            "const file = name => new File([new Uint8Array(arguments[0])], name, {type: 'image/png'});\
             const dropped = new DataTransfer(); dropped.items.add(file('dropped-scan.png'));\
             const zone = document.querySelector('.drop-zone');\
             const drop = new DragEvent('drop', {dataTransfer: dropped, bubbles: true, cancelable: true});\
             zone.dispatchEvent(drop);\
             const pasted = new DataTransfer(); pasted.items.add(file('image.png'));\
             const paste = new ClipboardEvent('paste', {clipboardData: pasted, bubbles: true, cancelable: true});\
             document.body.dispatchEvent(paste);\
             return [drop.defaultPrevented, paste.defaultPrevented];",
            vec![serde_json::json!(bytes)],
        )
        .await
        .unwrap();
    assert_eq!(handed, serde_json::json!([true, true]), "the app took both");
    wait_for_status(&b, "#upload-1", "ready").await;
    wait_for_status(&b, "#upload-2", "ready").await;
    b.find("#upload-all").await.click().await.unwrap();
    wait_for_status(&b, "#upload-1", "done").await;
    wait_for_status(&b, "#upload-2", "done").await;
    wait_for_row(&b, "dropped-scan").await;
    assert_eq!(b.requests_starting("POST /documents/Upload"), 2);
    // Jane's only PNG files are these two, and her pending PNG once Open Dental has imported it
    // (making its thumbnail does).
    let folder = b.sandbox.atoz_dir.join("S").join("SmithJane1");
    let pngs: Vec<Vec<u8>> = std::fs::read_dir(&folder)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".png") && e.file_name() != "SmithJane10.png")
        .map(|e| std::fs::read(e.path()).unwrap())
        .collect();
    assert_eq!(pngs.len(), 2);
    assert!(
        pngs.iter().all(|file| *file == bytes),
        "the bytes that arrived are the file's"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_over_the_limit_is_refused_before_encoding_and_the_limit_is_stated() {
    let b = Browser::start().await;
    open_documents(&b).await;
    let dir = TempDir::new("too-large");
    let path = dir.0.join("scan-archive.bin");
    std::fs::write(&path, vec![7u8; 13_000_000]).unwrap();
    choose_files(&b, &[path.display().to_string()]).await;
    wait_for_status(&b, "#upload-1", "too-large").await;
    let text = b.find("#upload-1 .status").await.text().await.unwrap();
    assert!(
        text.contains("13.0 MB") && text.contains("12.6 MB"),
        "states the size and the limit: {text}"
    );
    assert!(
        b.client.find(Locator::Css("#upload-1 button.primary")).await.is_err(),
        "nothing to upload or shrink"
    );
    assert!(!b
        .sandbox
        .knobs
        .requests()
        .iter()
        .any(|r| r.contains("/documents/Upload")));
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_retry_after_a_dropped_connection_or_a_server_error_leaves_exactly_one_document() {
    let b = Browser::start().await;
    open_documents(&b).await;
    let dir = TempDir::new("retry");
    let (png, pdf) = sample_files(&dir);

    // The server saves the file, then the connection drops before the answer.
    b.sandbox
        .knobs
        .fail_requests(1, FailMode::Drop, "POST /documents/Upload");
    choose_files(&b, &[png]).await;
    b.find("#upload-1 button.primary").await.click().await.unwrap();
    wait_for_status(&b, "#upload-1", "failed").await;
    b.sandbox.knobs.stop_failing();
    b.find("#upload-1 button.primary").await.click().await.unwrap();
    wait_for_status(&b, "#upload-1", "done").await;
    b.wait_for_text("#upload-1 .status", "not sent again").await;

    // The server refuses with a 500 without saving: the retry sends it.
    b.sandbox
        .knobs
        .fail_requests(1, FailMode::ServerError, "POST /documents/Upload");
    choose_files(&b, &[pdf]).await;
    b.find("#upload-2 button.primary").await.click().await.unwrap();
    wait_for_status(&b, "#upload-2", "failed").await;
    let message = b.find("#upload-2 .status").await.text().await.unwrap();
    assert!(
        message.contains("Injected failure"),
        "the server's explanation is shown: {message}"
    );
    b.sandbox.knobs.stop_failing();
    b.find("#upload-2 button.primary").await.click().await.unwrap();
    wait_for_status(&b, "#upload-2", "done").await;

    b.client.refresh().await.unwrap();
    b.find("table.documents-table tbody tr").await;
    let rows = row_texts(&b).await;
    assert_eq!(
        rows.iter().filter(|r| r.contains("intraoral-left")).count(),
        1,
        "{rows:?}"
    );
    assert_eq!(
        rows.iter().filter(|r| r.contains("consent-form")).count(),
        1,
        "{rows:?}"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_document_can_be_added_by_url() {
    let b = Browser::start().await;
    open_documents(&b).await;
    b.find(".by-url h3 button").await.click().await.unwrap();
    b.fill("#by-url-address", "ftp://example.org/scan.pdf").await;
    b.find(".by-url button[type=submit]").await.click().await.unwrap();
    b.wait_for_text(".by-url [role=alert]", "http://").await;
    b.fill("#by-url-address", "https://example.org/referral-letter.pdf")
        .await;
    b.fill("#by-url-description", "Referral letter").await;
    b.find(".by-url button[type=submit]").await.click().await.unwrap();
    let row = wait_for_row(&b, "Referral letter").await;
    assert!(row.contains("Waiting for download by Open Dental"), "{row}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_documents_screen_needs_two_requests_cold_and_one_warm_plus_session_data_and_mount_tiles() {
    let b = Browser::start().await;
    b.connect_with_demo_keys().await;
    // Ready once the thumbnails have arrived and the mount's tile is painted.
    let (cold, warm) = b
        .requests_to_open(
            JANE,
            "/documents",
            ".documents-list[data-thumbnails=ready] #view-mount-1 .thumb img",
        )
        .await;
    assert_eq!(
        cold,
        [
            "GET /definitions",
            "GET /documents",
            "POST /documents/DownloadSftp",
            "POST /documents/Thumbnails"
        ],
        "image categories (once per session), the listing, one Thumbnails call, the mount's tile"
    );
    assert_eq!(
        warm,
        ["GET /documents"],
        "image categories cached by the app; thumbnails and the tile by the gateway"
    );
    // Another patient in the same session, with no mount: the listing and one Thumbnails call.
    let (cold, warm) = b
        .requests_to_open_in_app(
            chairside_sandbox::seed::patients::OBRIEN_SEAN,
            "/documents",
            ".documents-list[data-thumbnails=ready]",
        )
        .await;
    assert_eq!(
        (cold, warm),
        (
            vec!["GET /documents".to_owned(), "POST /documents/Thumbnails".to_owned()],
            vec!["GET /documents".to_owned()]
        ),
        "a documents screen: two requests cold, one warm"
    );
    b.close().await;
}

/// A small JPEG carrying EXIF orientation 6 (shot with the phone turned), padded past Open
/// Dental's limit with comment segments that decoders skip.
fn oversized_rotated_jpeg() -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(40, 20, |x, _| image::Rgb([(x * 6) as u8, 90, 160]));
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&pixels)
        .unwrap();
    let exif: &[u8] = &[
        0xFF, 0xE1, 0x00, 0x22, b'E', b'x', b'i', b'f', 0, 0, b'M', b'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, 0x00,
        0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];
    let mut out = vec![0xFF, 0xD8];
    out.extend_from_slice(exif);
    let comment = vec![b'x'; 65_533];
    while out.len() < 13_200_000 {
        out.extend_from_slice(&[0xFF, 0xFE, 0xFF, 0xFF]);
        out.extend_from_slice(&comment);
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// The newest document file, leaving out the `Thumbnails` folders where Open Dental caches
/// the 100×100 copies (the documents screen asks for thumbnails after an upload, so one can be
/// newer than the upload itself).
fn newest_file(dir: &std::path::Path) -> std::path::PathBuf {
    let mut newest: Option<(std::time::SystemTime, std::path::PathBuf)> = None;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                if !path.ends_with("Thumbnails") {
                    stack.push(path);
                }
            } else {
                let modified = entry.metadata().unwrap().modified().unwrap();
                if newest.as_ref().is_none_or(|(t, _)| modified > *t) {
                    newest = Some((modified, path));
                }
            }
        }
    }
    newest.expect("a file arrived").1
}

#[tokio::test(flavor = "multi_thread")]
async fn a_photo_over_the_limit_is_shrunk_upright_when_the_user_agrees() {
    let b = Browser::start().await;
    open_documents(&b).await;
    let dir = TempDir::new("shrink");
    let path = dir.0.join("phone-photo.jpg");
    std::fs::write(&path, oversized_rotated_jpeg()).unwrap();
    choose_files(&b, &[path.display().to_string()]).await;
    wait_for_status(&b, "#upload-1", "too-large").await;
    let offer = b.find("#upload-1 button.primary").await;
    assert!(
        offer.text().await.unwrap().contains("smaller"),
        "shrinking is offered, not done unasked"
    );
    offer.click().await.unwrap();
    wait_for_status(&b, "#upload-1", "ready").await;
    b.find("#upload-1 button.primary").await.click().await.unwrap();
    wait_for_status(&b, "#upload-1", "done").await;

    let stored = newest_file(&b.sandbox.atoz_dir);
    assert_eq!(stored.extension().and_then(|e| e.to_str()), Some("jpg"));
    let (width, height) = image::image_dimensions(&stored).unwrap();
    assert_eq!(
        (width, height),
        (20, 40),
        "EXIF orientation 6 applied: the photo is stored upright"
    );
    assert!(std::fs::metadata(&stored).unwrap().len() < 1_000_000);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_delete_confirmation_takes_the_focus_keeps_it_and_gives_it_back() {
    let b = Browser::start().await;
    open_documents(&b).await;
    b.find("table.documents-table tbody tr[id^='doc-'] button.link")
        .await
        .click()
        .await
        .unwrap();
    let in_dialog = "el.closest('[role=alertdialog]') !== null";
    let on_delete_button = "el.matches('.edit-form button.danger')";
    for close_with in ["Keep it", "Escape"] {
        b.find(".edit-form button.danger").await.click().await.unwrap();
        b.wait_for_focus("el.id === 'keep-document'", "moved to the safe answer")
            .await;
        for keys in [TAB, TAB, TAB, SHIFT_TAB, SHIFT_TAB, SHIFT_TAB] {
            b.press(keys).await;
            b.wait_for_focus(in_dialog, "stayed in the dialog").await;
        }
        // The page behind is out of reach while the question is open.
        let behind = b
            .script(
                "document.querySelector('.edit-form button[type=submit]').focus();
                 return document.activeElement.closest('[role=alertdialog]') !== null;",
            )
            .await;
        assert_eq!(
            behind,
            serde_json::json!(true),
            "the form behind the dialog took the focus"
        );
        match close_with {
            "Keep it" => b.find("#keep-document").await.click().await.unwrap(),
            _ => b.press(ESCAPE).await,
        }
        b.wait_for_focus(on_delete_button, &format!("went back to Delete… after {close_with}"))
            .await;
        assert!(
            b.client.find(Locator::Css("#confirm-delete")).await.is_err(),
            "the question closed"
        );
    }
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn add_by_url_refuses_addresses_inside_the_office_before_sending() {
    let b = Browser::start().await;
    open_documents(&b).await;
    b.find(".by-url h3 button").await.click().await.unwrap();
    b.sandbox.knobs.clear_request_log();
    for (url, explanation) in [
        ("http://169.254.169.254/latest/meta-data/iam/", "cloud metadata address"),
        ("http://192.168.1.20/scans/x.pdf", "private office network address"),
        ("http://localhost:30222/api/v1/x.pdf", "names this computer"),
        ("http://2130706433/x.pdf", "127.0.0.1 is this computer"),
        ("http://[::ffff:10.0.0.1]/x.pdf", "private office network address"),
        (
            "https://scanner:secret@files.example.org/x.pdf",
            "user name or password",
        ),
    ] {
        b.fill("#by-url-address", url).await;
        b.find(".by-url button[type=submit]").await.click().await.unwrap();
        b.wait_for_text(".by-url [role=alert]", explanation).await;
    }
    assert_eq!(
        b.requests_starting("POST /documents/SetByUrl"),
        0,
        "refused before sending"
    );
    let typed = b.find("#by-url-address").await.prop("value").await.unwrap();
    assert_eq!(
        typed.as_deref(),
        Some("https://scanner:secret@files.example.org/x.pdf"),
        "the input is kept"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_documents_list_starts_above_the_fold() {
    let b = Browser::start().await;
    b.client.set_window_size(1280, 800).await.unwrap();
    open_documents(&b).await;
    let third_row_bottom = || async {
        let measured = b
            .script(
                "const rows = document.querySelectorAll('table.documents-table tbody tr');
                 return [rows[2].getBoundingClientRect().bottom, window.innerHeight];",
            )
            .await;
        (measured[0].as_f64().unwrap(), measured[1].as_f64().unwrap())
    };
    // Measured once the thumbnails are in: the screen as it settles.
    b.find(".documents-list[data-thumbnails=ready]").await;
    let (after, viewport) = third_row_bottom().await;
    assert!(
        after <= viewport,
        "the first three documents are not on screen: the third ends at {after} px of {viewport}"
    );
    b.close().await;
}

//! Uploads arrive exactly once whatever fails: under an injected 500, 504 or dropped connection,
//! with Retry pressed as a user would, for the two cases that lost or repeated files: two files
//! with the same name and date but different types (`scan3.png`, `scan3.pdf`), and a file whose
//! description the user tries to change before Retry. Documents are counted by their stored
//! bytes. Every try of one upload carries the same Idempotency-Key, and different uploads
//! different keys.

use std::time::{Duration, SystemTime};

use chairside_sandbox::FailMode;

use crate::harness::{Browser, TempDir};
use chairside_sandbox::seed::patients::SMITH_JANE as JANE;

/// A file with its own bytes (the sandbox stores any bytes), all with the same date.
fn file(dir: &TempDir, name: &str, fill: u8) -> (String, Vec<u8>) {
    let mut bytes = format!("{name}: ").into_bytes();
    bytes.extend(std::iter::repeat_n(fill, 300));
    let path = dir.0.join(name);
    std::fs::write(&path, &bytes).unwrap();
    let same_time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_709_632_800);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(same_time)
        .unwrap();
    (path.display().to_string(), bytes)
}

/// How many files in the sandbox's A-to-Z folder hold exactly `bytes`.
fn stored_copies(b: &Browser, bytes: &[u8]) -> usize {
    chairside_sandbox::atoz::copies_of(&b.sandbox.atoz_dir, bytes)
}

async fn status_of(b: &Browser, item: &str) -> (String, String) {
    let el = b.find(item).await;
    let status = el.attr("data-status").await.unwrap().unwrap_or_default();
    (status, el.text().await.unwrap_or_default())
}

async fn wait_for_status(b: &Browser, item: &str, wanted: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let (status, text) = status_of(b, item).await;
        if status == wanted {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{item} never reached {wanted}; it is {status}: {text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Whether the item's description input takes typing.
async fn description_editable(b: &Browser, item: u32) -> bool {
    b.script(&format!(
        "return !document.getElementById('upload-{item}-description').matches(':disabled')"
    ))
    .await
        == serde_json::json!(true)
}

/// What a user does after an unclear failure: change the description if the screen allows it,
/// then press Retry.
async fn edit_then_retry(b: &Browser, item: u32) -> bool {
    let editable = description_editable(b, item).await;
    if editable {
        b.fill(&format!("#upload-{item}-description"), "edited before retry")
            .await;
    }
    b.find(&format!("#upload-{item} button.primary"))
        .await
        .click()
        .await
        .unwrap();
    wait_for_status(b, &format!("#upload-{item}"), "done").await;
    editable
}

struct Figures {
    files: usize,
    retries: usize,
    uploads_sent: usize,
    lost: usize,
    duplicated: usize,
}

async fn upload_through(mode: FailMode) -> Figures {
    let b = Browser::start().await;
    b.connect_with_demo_keys().await;
    b.goto(&format!("/patients/{JANE}/documents")).await;
    b.find("table.documents-table tbody tr").await;
    // Records the Idempotency-Key of every upload the page sends.
    b.script(
        "window.uploadKeys = [];
         const set = XMLHttpRequest.prototype.setRequestHeader;
         XMLHttpRequest.prototype.setRequestHeader = function (name, value) {
           if (name.toLowerCase() === 'idempotency-key') window.uploadKeys.push(value);
           return set.call(this, name, value);
         };",
    )
    .await;
    let dir = TempDir::new("upload-faults");
    let (png, png_bytes) = file(&dir, "scan3.png", b'p');
    let (pdf, pdf_bytes) = file(&dir, "scan3.pdf", b'd');
    let (edited, edited_bytes) = file(&dir, "edit-me.png", b'e');

    // Same name and date, different types: the second upload fails.
    b.sandbox.knobs.fail_requests(2, mode, "POST /documents/Upload");
    b.find("#upload-files")
        .await
        .send_keys(&format!("{png}\n{pdf}"))
        .await
        .unwrap();
    b.find("#upload-all").await.click().await.unwrap();
    wait_for_status(&b, "#upload-1", "done").await;
    wait_for_status(&b, "#upload-2", "failed").await;
    b.sandbox.knobs.stop_failing();
    b.find("#upload-2 button.primary").await.click().await.unwrap();
    wait_for_status(&b, "#upload-2", "done").await;

    // A field the user would change after the failure, before Retry.
    b.sandbox.knobs.fail_requests(1, mode, "POST /documents/Upload");
    b.find("#upload-files").await.send_keys(&edited).await.unwrap();
    b.find("#upload-3 button.primary").await.click().await.unwrap();
    wait_for_status(&b, "#upload-3", "failed").await;
    b.sandbox.knobs.stop_failing();
    let could_edit = edit_then_retry(&b, 3).await;

    let copies: Vec<usize> = [&png_bytes, &pdf_bytes, &edited_bytes]
        .iter()
        .map(|bytes| stored_copies(&b, bytes))
        .collect();
    let figures = Figures {
        files: 3,
        retries: 2,
        uploads_sent: b.requests_starting("POST /documents/Upload"),
        lost: copies.iter().filter(|&&c| c == 0).count(),
        duplicated: copies.iter().map(|&c| c.saturating_sub(1)).sum(),
    };
    eprintln!(
        "{mode:?}: {} files, {} retries, {} uploads sent, {} lost, {} duplicated (copies {copies:?})",
        figures.files, figures.retries, figures.uploads_sent, figures.lost, figures.duplicated
    );
    assert_eq!(
        copies,
        [1, 1, 1],
        "{mode:?}: stored copies of scan3.png, scan3.pdf, edit-me.png"
    );
    assert!(
        !could_edit,
        "{mode:?}: the fields of an upload whose outcome is unknown are frozen"
    );

    // One key per upload, the same for each of its tries.
    let keys: Vec<String> = serde_json::from_value(b.script("return window.uploadKeys").await).unwrap();
    let mut distinct = keys.clone();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        3,
        "{mode:?}: one key per file, kept across its tries: {keys:?}"
    );
    assert!(
        distinct
            .iter()
            .all(|k| k.len() == 32 && k.chars().all(|c| c.is_ascii_hexdigit())),
        "{keys:?}"
    );
    let mut unique = distinct.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 3, "{mode:?}: different files, different keys: {keys:?}");
    b.close().await;
    figures
}

#[tokio::test(flavor = "multi_thread")]
async fn uploads_arrive_exactly_once_through_500s() {
    let figures = upload_through(FailMode::ServerError).await;
    assert_eq!(figures.uploads_sent, 5, "each failed upload sent again once");
}

#[tokio::test(flavor = "multi_thread")]
async fn uploads_arrive_exactly_once_through_504s() {
    let figures = upload_through(FailMode::GatewayTimeout).await;
    assert_eq!(figures.uploads_sent, 5, "each failed upload sent again once");
}

#[tokio::test(flavor = "multi_thread")]
async fn uploads_arrive_exactly_once_through_dropped_connections() {
    let figures = upload_through(FailMode::Drop).await;
    assert_eq!(
        figures.uploads_sent, 3,
        "a dropped upload had arrived and was not sent again"
    );
}

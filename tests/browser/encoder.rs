//! Uploads are base64-encoded by the browser's own `Uint8Array.prototype.toBase64` where it has
//! one, and by the `base64` crate in wasm where it has not; both must store the very same file.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::harness::{Browser, Session, TempDir};

const JANE: i64 = 1;

/// Uploads `path` from the documents screen and returns the encoder the upload's
/// `chairside-upload-encoder=…` performance mark names.
async fn upload(s: &Session, path: &str) -> String {
    s.goto(&format!("/patients/{JANE}/documents")).await;
    s.find("table.documents-table tbody tr").await;
    s.find("#upload-files").await.send_keys(path).await.unwrap();
    s.find("#upload-1 button.primary").await.click().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status = s
            .find("#upload-1")
            .await
            .attr("data-status")
            .await
            .unwrap()
            .unwrap_or_default();
        if status == "done" {
            break;
        }
        assert!(
            status != "failed" && Instant::now() < deadline,
            "the upload ended as {status}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let marks = s
        .script(
            "return performance.getEntriesByType('mark').map(m => m.name)
               .filter(n => n.startsWith('chairside-upload-encoder='))",
        )
        .await;
    let marks: Vec<String> = serde_json::from_value(marks).unwrap();
    assert_eq!(marks.len(), 1, "{marks:?}");
    marks[0].trim_start_matches("chairside-upload-encoder=").to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_native_encoder_is_used_where_present_and_both_encoders_store_the_same_bytes() {
    let b = Browser::start().await;
    // 4.5 MiB and 7 bytes: three whole 1.5 MiB slices and a last one whose base64 is padded.
    let mut state = 0x9E3779B97F4A7C15u64;
    let bytes: Vec<u8> = (0..3 * 3 * 512 * 1024 + 7)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    let dir = TempDir::new("encoder");
    let path = dir.0.join("scan-both-ways.jpg");
    std::fs::write(&path, &bytes).unwrap();
    let path = path.display().to_string();

    b.sign_in().await;
    let has_native = b
        .script("return typeof Uint8Array.prototype.toBase64 === 'function'")
        .await;
    assert_eq!(has_native, json!(true), "this Chromium has toBase64 (140+)");
    assert_eq!(upload(&b, &path).await, "native");
    assert_eq!(chairside_sandbox::atoz::copies_of(&b.sandbox.atoz_dir, &bytes), 1);

    // A browser without it: the method is gone before the app starts.
    let older = b.another_device().await;
    older
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "delete Uint8Array.prototype.toBase64;" }),
        )
        .await;
    older.sign_in().await;
    assert_eq!(
        older.script("return typeof Uint8Array.prototype.toBase64").await,
        json!("undefined")
    );
    assert_eq!(upload(&older, &path).await, "wasm");
    assert_eq!(
        chairside_sandbox::atoz::copies_of(&b.sandbox.atoz_dir, &bytes),
        2,
        "both uploads stored exactly the file's bytes"
    );
    older.close().await;
    b.close().await;
}

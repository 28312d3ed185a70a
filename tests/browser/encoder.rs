//! Direct to Open Dental, uploads are base64-encoded by the browser's own
//! `Uint8Array.prototype.toBase64` where it has one, and by the `base64` crate in wasm where it
//! has not; both must store the very same file. Behind the gateway the file goes as it is and
//! the gateway encodes it; that too must store the very same file.

use chairside_sandbox::seed::patients::SMITH_JANE;
use serde_json::json;

use crate::harness::{
    choose_file_to_upload, performance_marks, pseudo_random_bytes, upload_chosen_file, Browser, Session, TempDir,
    CUST_KEY, DEV_KEY,
};

/// Uploads `path` from Jane's documents screen and returns the encoders the upload's
/// `chairside-upload-encoder=…` performance marks name (none when nothing was encoded).
async fn upload(s: &Session, path: &str) -> Vec<String> {
    choose_file_to_upload(s, SMITH_JANE, path).await;
    upload_chosen_file(s).await;
    performance_marks(s)
        .await
        .into_iter()
        .filter_map(|(name, _)| name.strip_prefix("chairside-upload-encoder=").map(str::to_owned))
        .collect()
}

/// 4.5 MiB and 7 bytes: three whole 1.5 MiB slices and a last one whose base64 is padded.
fn odd_sized_file(dir: &TempDir) -> (Vec<u8>, String) {
    let bytes = pseudo_random_bytes(3 * 3 * 512 * 1024 + 7, 0x9E3779B97F4A7C15);
    let path = dir.0.join("scan-both-ways.jpg");
    std::fs::write(&path, &bytes).unwrap();
    (bytes, path.display().to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn behind_the_gateway_the_file_goes_as_it_is_and_is_stored_byte_for_byte() {
    let b = Browser::start().await;
    let dir = TempDir::new("raw-upload");
    let (bytes, path) = odd_sized_file(&dir);
    b.sign_in().await;
    b.sandbox.knobs.clear_request_log();
    assert_eq!(
        upload(&b, &path).await,
        Vec::<String>::new(),
        "nothing is encoded in the browser"
    );
    assert_eq!(chairside_sandbox::atoz::copies_of(&b.sandbox.atoz_dir, &bytes), 1);
    assert_eq!(b.requests_starting("POST /documents/Upload"), 1);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_native_encoder_is_used_where_present_and_both_encoders_store_the_same_bytes() {
    let b = Browser::start_direct().await;
    let dir = TempDir::new("encoder");
    let (bytes, path) = odd_sized_file(&dir);

    b.connect_with_demo_keys().await;
    let has_native = b
        .script("return typeof Uint8Array.prototype.toBase64 === 'function'")
        .await;
    assert_eq!(has_native, json!(true), "this Chromium has toBase64 (140+)");
    assert_eq!(upload(&b, &path).await, ["native"]);
    assert_eq!(chairside_sandbox::atoz::copies_of(&b.sandbox.atoz_dir, &bytes), 1);

    // A browser without it: the method is gone before the app starts.
    let older = b.another_device().await;
    older
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "delete Uint8Array.prototype.toBase64;" }),
        )
        .await;
    older.connect(DEV_KEY, CUST_KEY).await;
    older.wait_for_text(".test-result", "Connected.").await;
    assert_eq!(
        older.script("return typeof Uint8Array.prototype.toBase64").await,
        json!("undefined")
    );
    assert_eq!(upload(&older, &path).await, ["wasm"]);
    assert_eq!(
        chairside_sandbox::atoz::copies_of(&b.sandbox.atoz_dir, &bytes),
        2,
        "both uploads stored exactly the file's bytes"
    );
    older.close().await;
    b.close().await;
}

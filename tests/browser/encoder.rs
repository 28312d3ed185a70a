//! Uploads are base64-encoded by the browser's own `Uint8Array.prototype.toBase64` where it has
//! one, and by the `base64` crate in wasm where it has not; both must store the very same file.

use chairside_sandbox::seed::patients::SMITH_JANE;
use serde_json::json;

use crate::harness::{
    choose_file_to_upload, performance_marks, pseudo_random_bytes, upload_chosen_file, Browser, Session, TempDir,
};

/// Uploads `path` from Jane's documents screen and returns the encoder the upload's
/// `chairside-upload-encoder=…` performance mark names.
async fn upload(s: &Session, path: &str) -> String {
    choose_file_to_upload(s, SMITH_JANE, path).await;
    upload_chosen_file(s).await;
    let encoders: Vec<String> = performance_marks(s)
        .await
        .into_iter()
        .filter_map(|(name, _)| name.strip_prefix("chairside-upload-encoder=").map(str::to_owned))
        .collect();
    assert_eq!(encoders.len(), 1, "{encoders:?}");
    encoders[0].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_native_encoder_is_used_where_present_and_both_encoders_store_the_same_bytes() {
    let b = Browser::start().await;
    // 4.5 MiB and 7 bytes: three whole 1.5 MiB slices and a last one whose base64 is padded.
    let bytes = pseudo_random_bytes(3 * 3 * 512 * 1024 + 7, 0x9E3779B97F4A7C15);
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

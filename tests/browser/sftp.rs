//! The SFTP panel of the documents screen, one test per action, against a real SFTP server on
//! 127.0.0.1: the files that arrive there (or in the sandbox, for an import) are checked, and
//! the password never reaches storage or the page.

use std::path::PathBuf;

use chairside_sftp_server::TempSite;

use crate::harness::Browser;
use chairside_sandbox::seed::{documents::JANE_PA_XRAY, patients::SMITH_JANE as JANE};

const USER: &str = "frontdesk";
const PASSWORD: &str = "Sftp-pass-7731";

fn stored(b: &Browser, file_name: &str) -> Vec<u8> {
    let path: PathBuf = chairside_sandbox::atoz::file_path(&b.sandbox.atoz_dir, "SmithJane1", file_name).unwrap();
    std::fs::read(path).unwrap()
}

async fn open_documents(b: &Browser) {
    b.connect_with_demo_keys().await;
    b.goto(&format!("/patients/{JANE}/documents")).await;
    b.find("table.documents-table tbody tr").await;
}

async fn log_in(b: &Browser, password: &str) {
    b.fill("#sftp-username", USER).await;
    b.fill("#sftp-password", password).await;
}

/// The documents screen with the SFTP panel open on `action`, logged in as the site's user.
async fn open_panel(b: &Browser, action: &str, password: &str) {
    open_documents(b).await;
    b.find(".sftp h3 button").await.click().await.unwrap();
    b.find(&format!("input[name=sftp-action][value={action}]"))
        .await
        .click()
        .await
        .unwrap();
    log_in(b, password).await;
}

async fn submit(b: &Browser) {
    b.find(".sftp button[type=submit]").await.click().await.unwrap();
}

/// Neither storage holds the password, and neither the page's text nor its markup shows it.
async fn assert_password_nowhere(b: &Browser) {
    let stored = b
        .script(
            "const all = s => Array.from({length: s.length}, (_, i) => s.key(i) + '=' + s.getItem(s.key(i))).join('\\n');\
             return all(sessionStorage) + '\\n' + all(localStorage) + '\\n' + document.body.innerText\
             + document.documentElement.outerHTML + location.href",
        )
        .await;
    let stored = stored.as_str().unwrap();
    assert!(!stored.contains(PASSWORD), "the password is stored or shown: {stored}");
}

#[tokio::test(flavor = "multi_thread")]
async fn import_from_sftp_adds_the_file_to_the_patients_documents() {
    let site = TempSite::start(USER, PASSWORD).await.unwrap();
    let card = {
        let pixels = image::RgbImage::from_fn(64, 40, |x, y| image::Rgb([(x * 4) as u8, (y * 6) as u8, 120]));
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
            .encode_image(&pixels)
            .unwrap();
        jpeg
    };
    site.put("/incoming/card-front.jpg", &card);

    let b = Browser::start().await;
    open_panel(&b, "import", PASSWORD).await;
    // Checked before sending: an address that ends in a folder.
    b.fill("#sftp-address", &site.address("/incoming/")).await;
    submit(&b).await;
    b.wait_for_text(".sftp [role=alert]", "file's name").await;
    assert_eq!(b.requests_starting("POST /documents/UploadSftp"), 0);

    b.fill("#sftp-address", &site.address("/incoming/card-front.jpg")).await;
    b.find("#sftp-category")
        .await
        .select_by_label("Insurance Cards")
        .await
        .unwrap();
    b.fill("#sftp-description", "Card from the SFTP site").await;
    submit(&b).await;
    let said = b.wait_for_text(".sftp .notice.success", "Imported as document").await;
    assert!(said.contains("Insurance Cards"), "{said}");
    let row = crate::documents::wait_for_row(&b, "Card from the SFTP site").await;
    assert!(row.contains("Insurance Cards"), "{row}");
    assert_eq!(b.requests_starting("POST /documents/UploadSftp"), 1);
    let doc_num: i64 = said
        .split("document ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a DocNum in {said:?}"));
    assert_eq!(
        stored(&b, &format!("SmithJane{doc_num}.jpg")),
        card,
        "the bytes that arrived"
    );
    assert_password_nowhere(&b).await;

    // The username and address are remembered for the session; the password is not.
    b.goto(&format!("/patients/{JANE}/documents")).await;
    b.find(".sftp h3 button").await.click().await.unwrap();
    let values = b
        .script(
            "return [document.querySelector('#sftp-username').value, document.querySelector('#sftp-password').value,\
             document.querySelector('#sftp-address').value]",
        )
        .await;
    assert_eq!(
        values,
        serde_json::json!([USER, "", site.address("/incoming/card-front.jpg")])
    );
    assert!(b.console_errors().await.is_empty());
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn send_writes_a_document_and_a_mount_composite_to_the_site() {
    let site = TempSite::start(USER, PASSWORD).await.unwrap();
    let b = Browser::start().await;
    open_documents(&b).await;
    // From the document's details: the panel opens on Send with it chosen, ready for the address.
    b.find(&format!("tr#doc-{JANE_PA_XRAY} button.link"))
        .await
        .click()
        .await
        .unwrap();
    b.find(".detail-panel .send-to-sftp").await.click().await.unwrap();
    b.find("#sftp-item").await;
    let ready = b
        .script("return [document.querySelector('#sftp-item').value, document.activeElement.id]")
        .await;
    assert_eq!(ready, serde_json::json!(["doc:2", "sftp-address"]));
    b.fill("#sftp-address", &site.address("/exports/")).await;
    log_in(&b, "wrong-password").await;
    submit(&b).await;
    let why = b.wait_for_text(".sftp [role=alert]", "authentication failed").await;
    assert!(!why.contains("wrong-password"), "{why}");

    b.fill("#sftp-password", PASSWORD).await;
    submit(&b).await;
    let written = site.address("/exports/SmithJane2.jpg");
    b.wait_for_text(".sftp .notice.success", &format!("Written to {written}"))
        .await;
    assert_eq!(site.read("/exports/SmithJane2.jpg"), stored(&b, "SmithJane2.jpg"));

    b.find("#sftp-item").await.select_by_value("mount:1").await.unwrap();
    b.fill("#sftp-address", &site.address("/exports/4BW.jpg")).await;
    submit(&b).await;
    b.wait_for_text(".sftp .notice.success", "4BW.jpg").await;
    let composite = image::load_from_memory(&site.read("/exports/4BW.jpg")).unwrap();
    assert_eq!(
        (composite.width(), composite.height()),
        (670, 120),
        "four 160×120 images, 10 px apart"
    );
    assert_password_nowhere(&b).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn thumbnails_are_sent_and_listed() {
    let site = TempSite::start(USER, PASSWORD).await.unwrap();
    let b = Browser::start().await;
    open_panel(&b, "thumbnails", PASSWORD).await;
    b.fill("#sftp-address", &site.address("/thumbs")).await;
    submit(&b).await;
    let said = b.wait_for_text(".sftp .notice.success", "Wrote 7 files to").await;
    assert!(said.contains("SmithJane1.jpg (document 1)"), "{said}");
    for name in ["SmithJane1.jpg", "SmithJane2.jpg", "SmithJane5.jpg"] {
        let thumb = image::load_from_memory(&site.read(&format!("/thumbs/{name}"))).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (100, 100), "{name}");
    }
    assert_password_nowhere(&b).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mounts_images_are_sent_one_by_one() {
    let site = TempSite::start(USER, PASSWORD).await.unwrap();
    let b = Browser::start().await;
    open_panel(&b, "mount-images", PASSWORD).await;
    b.fill("#sftp-address", &site.address("/mounts/")).await;
    submit(&b).await;
    b.wait_for_text(".sftp [role=alert]", "Choose the mount").await;
    b.find("#sftp-mount").await.select_by_value("mount:1").await.unwrap();
    submit(&b).await;
    let said = b.wait_for_text(".sftp .notice.success", "Wrote 4 files to").await;
    for doc_num in [12, 11, 14, 13] {
        let name = format!("SmithJane{doc_num}.jpg");
        assert!(said.contains(&name), "{said}");
        assert_eq!(site.read(&format!("/mounts/{name}")), stored(&b, &name));
    }
    assert_eq!(b.requests_starting("POST /documents/DownloadMount"), 1);
    b.close().await;
}

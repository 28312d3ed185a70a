//! The gateway's own SFTP site against the sandbox's SFTP methods: the bytes a browser gets
//! are Open Dental's file (a JPEG, a PNG, a PDF, a mount's composite), every request has its
//! own folder and account, and nothing is left on the site afterwards.

mod common;

use std::path::{Path, PathBuf};

use base64::Engine;
use chairside_gateway::config::EndpointKind;
use chairside_gateway::files_site::SftpSiteConfig;
use chairside_gateway::{Gateway, Keys, Options};
use chairside_sandbox::Sandbox;
use common::*;

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn sandbox_and_gateway(with_site: bool) -> (Sandbox, Gateway, Dir) {
    let sandbox = Sandbox::start(chairside_sandbox::Config {
        developer_key: DEV_KEY.into(),
        customer_key: CUST_KEY.into(),
        ..chairside_sandbox::Config::for_tests()
    })
    .await
    .unwrap();
    let mut bytes = [0u8; 6];
    getrandom::getrandom(&mut bytes).unwrap();
    let dir = Dir(std::env::temp_dir().join(format!(
        "chairside-gw-files-{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )));
    let mut cfg = config(vec![endpoint(EndpointKind::Sandbox, &sandbox.api_url(), "Sandbox")]);
    cfg.data_dir = dir.0.clone();
    if with_site {
        cfg.sftp = Some(SftpSiteConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            address: None,
        });
    }
    let gw = Gateway::start(
        cfg,
        Keys::new(DEV_KEY, CUST_KEY).unwrap(),
        Options {
            in_memory: true,
            capture_log: true,
        },
    )
    .await
    .unwrap();
    gw.state.accounts.add(USER, PASSWORD).unwrap();
    (sandbox, gw, dir)
}

/// The file of that name in the sandbox's A-to-Z folder.
fn atoz_file(atoz: &Path, name: &str) -> Vec<u8> {
    let path = chairside_sandbox::atoz::all_files(atoz)
        .into_iter()
        .find(|p| p.file_name().is_some_and(|n| n == name))
        .unwrap_or_else(|| panic!("no {name} in the A-to-Z folder"));
    std::fs::read(path).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_get_open_dentals_own_bytes_for_a_jpeg_a_png_a_pdf_and_a_mount() {
    let (sandbox, gw, _dir) = sandbox_and_gateway(true).await;
    let staff = Staff::sign_in(&gw).await;

    // A PNG of our own, uploaded through the gateway first.
    let png: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xDE, 0x00, 0x00, 0x00,
        0x0C, 0x49, 0x44, 0x41, 0x54, 0x08, 0xD7, 0x63, 0xF8, 0xCF, 0xC0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0x18,
        0xDD, 0x8D, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];
    let upload = serde_json::json!({
        "PatNum": 1,
        "rawBase64": base64::engine::general_purpose::STANDARD.encode(png),
        "extension": ".png",
        "Description": "viewer test",
    });
    let uploaded = staff.post("/api/v1/documents/Upload", upload.to_string()).await;
    assert_eq!(uploaded.status(), 201);

    let documents: Vec<serde_json::Value> = staff.get("/api/v1/documents?PatNum=1").await.json().await.unwrap();
    let mut checked = Vec::new();
    for (extension, content_type) in [
        (".jpg", "image/jpeg"),
        (".png", "image/png"),
        (".pdf", "application/pdf"),
    ] {
        // filePath is the file's place in Open Dental's A-to-Z folder; its last part the name.
        let file_name = |d: &serde_json::Value| {
            let path = d["filePath"].as_str().unwrap_or_default();
            path.rsplit(['\\', '/']).next().unwrap_or_default().to_owned()
        };
        let doc = documents
            .iter()
            .find(|d| file_name(d).ends_with(extension) && d["Note"].as_str().unwrap_or("").is_empty())
            .unwrap_or_else(|| panic!("Jane has a {extension} document: {documents:?}"));
        let doc_num = doc["DocNum"].as_i64().unwrap();
        let name = &file_name(doc);
        let r = staff.get(&format!("/gateway/v1/documents/{doc_num}/file")).await;
        assert_eq!(r.status(), 200, "{name}");
        assert_eq!(r.headers()["content-type"], content_type);
        assert_eq!(r.headers()["cache-control"], "no-store");
        assert!(r.headers()["content-disposition"].to_str().unwrap().contains(name));
        let got = r.bytes().await.unwrap();
        assert_eq!(
            got.as_ref(),
            atoz_file(&sandbox.atoz_dir, name).as_slice(),
            "{name} arrives byte for byte"
        );
        checked.push(name.to_owned());
    }
    assert!(checked.iter().any(|n| n.ends_with(".png")));

    let mount = staff.get("/gateway/v1/mounts/1/image").await;
    assert_eq!(mount.status(), 200);
    let image = mount.bytes().await.unwrap();
    assert!(
        image.starts_with(&[0xFF, 0xD8]) || image.starts_with(&[0x89, b'P', b'N', b'G']),
        "a composite image"
    );

    // Open Dental's own explanation for a document it does not have.
    let missing = staff.get("/gateway/v1/documents/999999/file").await;
    assert_eq!(missing.status(), 404);

    let site = gw.state.files_site.as_ref().unwrap();
    assert_eq!(site.folders_in_use(), 0, "every request's folder is gone");
    let downloads = sandbox
        .knobs
        .requests()
        .iter()
        .filter(|r| r.starts_with("POST /documents/DownloadSftp"))
        .count();
    assert_eq!(downloads, 5, "one DownloadSftp per file asked for");
    let viewed = gw
        .state
        .audit
        .query(&chairside_gateway::audit::AuditFilter::default())
        .unwrap()
        .into_iter()
        .filter(|r| r.path.contains("to view"))
        .count();
    assert_eq!(viewed, 5, "each view is in the audit log");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_its_own_sftp_site_the_gateway_says_how_to_add_one() {
    let (_sandbox, gw, _dir) = sandbox_and_gateway(false).await;
    let staff = Staff::sign_in(&gw).await;
    let r = staff.get("/gateway/v1/documents/1/file").await;
    assert_eq!(r.status(), 503);
    assert!(r.text().await.unwrap().contains("add [sftp]"));
    // Signed out, nothing at all.
    let r = http()
        .get(format!("{}/gateway/v1/documents/1/file", gw.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

fn copies_in_atoz(atoz: &Path, bytes: &[u8]) -> usize {
    chairside_sandbox::atoz::copies_of(atoz, bytes)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_retry_after_an_unknown_outcome_finds_its_own_upload_by_content_and_never_a_look_alike() {
    use chairside_sandbox::FailMode;
    let (sandbox, gw, _dir) = sandbox_and_gateway(true).await;
    let staff = Staff::sign_in(&gw).await;
    // Every upload here has the same fields: only the file's content tells them apart.
    let upload = |content: &[u8]| {
        serde_json::json!({
            "PatNum": 1,
            "rawBase64": base64::engine::general_purpose::STANDARD.encode(content),
            "extension": ".png",
            "Description": "Scan from the front desk",
            "DateCreated": "2026-11-22 09:30:00",
        })
        .to_string()
    };
    let send = |content: &'static [u8], key: &'static str| {
        http()
            .post(format!("{}/api/v1/documents/Upload", gw.url()))
            .header("cookie", &staff.cookie)
            .header("idempotency-key", key)
            .body(upload(content))
            .send()
    };
    let (look_alike, dropped, refused): (&[u8], &[u8], &[u8]) = (
        b"an earlier scan, same fields",
        b"the scan whose answer was lost",
        b"a scan refused with a 500",
    );

    let first = send(look_alike, "key-look-alike-01").await.unwrap();
    assert_eq!(first.status(), 201, "{}", first.text().await.unwrap());

    // Open Dental saves it, then the connection breaks before the answer arrives.
    sandbox.knobs.fail_requests(1, FailMode::Drop, "POST /documents/Upload");
    let lost = send(dropped, "key-dropped-00001").await.unwrap();
    assert_eq!(lost.status(), 502);
    assert!(lost.text().await.unwrap().contains("cannot tell whether it was saved"));
    sandbox.knobs.stop_failing();
    assert_eq!(copies_in_atoz(&sandbox.atoz_dir, dropped), 1, "it was saved");

    let retry = send(dropped, "key-dropped-00001").await.unwrap();
    assert_eq!(retry.status(), 201);
    assert_eq!(retry.headers()["idempotent-replayed"], "found");
    let found: serde_json::Value = retry.json().await.unwrap();
    let doc_num = found["DocNum"].as_i64().unwrap();
    let file = staff
        .get(&format!("/gateway/v1/documents/{doc_num}/file"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(
        file.as_ref(),
        dropped,
        "the retry names the upload's own document, not the look-alike"
    );
    assert_eq!(
        copies_in_atoz(&sandbox.atoz_dir, dropped),
        1,
        "and it was not stored twice"
    );
    // Asked again, the key is answered as before, without looking.
    let again = send(dropped, "key-dropped-00001").await.unwrap();
    assert_eq!(again.headers()["idempotent-replayed"], "true");

    // A 500 saved nothing: the retry looks, finds nothing, and sends.
    sandbox
        .knobs
        .fail_requests(1, FailMode::ServerError, "POST /documents/Upload");
    assert_eq!(send(refused, "key-refused-00001").await.unwrap().status(), 500);
    sandbox.knobs.stop_failing();
    let sent = send(refused, "key-refused-00001").await.unwrap();
    assert_eq!(sent.status(), 201);
    assert!(sent.headers().get("idempotent-replayed").is_none());
    assert_eq!(copies_in_atoz(&sandbox.atoz_dir, refused), 1);
    assert_eq!(copies_in_atoz(&sandbox.atoz_dir, look_alike), 1);
    assert_eq!(gw.state.files_site.as_ref().unwrap().folders_in_use(), 0);
}

fn thumbnail_in_atoz(atoz: &Path, name: &str) -> Vec<u8> {
    let path = chairside_sandbox::atoz::all_files(atoz)
        .into_iter()
        .find(|p| p.file_name().is_some_and(|n| n == name) && p.parent().is_some_and(|d| d.ends_with("Thumbnails")))
        .unwrap_or_else(|| panic!("no thumbnail of {name} in the A-to-Z folder"));
    std::fs::read(path).unwrap()
}

fn requests_to(sandbox: &Sandbox, prefix: &str) -> usize {
    sandbox
        .knobs
        .requests()
        .iter()
        .filter(|r| r.starts_with(prefix))
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn thumbnails_come_from_one_call_are_kept_and_an_upload_or_edit_forgets_them() {
    let (sandbox, gw, _dir) = sandbox_and_gateway(true).await;
    let staff = Staff::sign_in(&gw).await;

    let first = staff.get("/gateway/v1/patients/1/thumbnails").await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["cache-control"], "no-store");
    assert_eq!(first.headers()["x-chairside-thumbnails"], "fetched");
    let index: serde_json::Value = first.json().await.unwrap();
    let thumbs = index["Thumbnails"].as_array().unwrap().clone();
    assert!(thumbs.len() >= 2, "Jane's images have thumbnails: {index}");
    for t in &thumbs {
        let name = t["FileName"].as_str().unwrap();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(t["Data"].as_str().unwrap())
            .unwrap();
        assert_eq!(
            bytes,
            thumbnail_in_atoz(&sandbox.atoz_dir, name),
            "{name}: Open Dental's own thumbnail"
        );
        let image = image::load_from_memory(&bytes).unwrap();
        assert!(image.width() <= 100 && image.height() <= 100);
        assert!(t["ContentType"].as_str().unwrap().starts_with("image/"));
    }
    assert_eq!(requests_to(&sandbox, "POST /documents/Thumbnails"), 1);
    assert_eq!(gw.state.files_site.as_ref().unwrap().folders_in_use(), 0);

    // Kept: a second screen asks Open Dental nothing, and viewing an image needs no lookup.
    let again = staff.get("/gateway/v1/patients/1/thumbnails").await;
    assert_eq!(again.headers()["x-chairside-thumbnails"], "kept");
    assert_eq!(requests_to(&sandbox, "POST /documents/Thumbnails"), 1);
    let viewed_doc = thumbs[0]["DocNum"].as_i64().unwrap();
    sandbox.knobs.clear_request_log();
    let file = staff.get(&format!("/gateway/v1/documents/{viewed_doc}/file")).await;
    assert_eq!(file.status(), 200);
    assert!(!file.bytes().await.unwrap().is_empty());
    assert_eq!(
        sandbox
            .knobs
            .requests()
            .iter()
            .map(|r| r.split('?').next().unwrap().to_owned())
            .collect::<Vec<_>>(),
        ["POST /documents/DownloadSftp"],
        "the patient came from the index"
    );
    let audited = gw
        .state
        .audit
        .query(&chairside_gateway::audit::AuditFilter::default())
        .unwrap()
        .into_iter()
        .find(|r| r.path.contains(&format!("document {viewed_doc}, to view")))
        .expect("the view is audited");
    assert_eq!((audited.actor, audited.pat_num), (format!("user:{USER}"), Some(1)));

    // An upload through the gateway forgets them; the next screen sees the new image.
    let png = tiny_png();
    let upload = serde_json::json!({
        "PatNum": 1,
        "rawBase64": base64::engine::general_purpose::STANDARD.encode(&png),
        "extension": ".png",
        "Description": "fresh photo",
    });
    let uploaded = staff.post("/api/v1/documents/Upload", upload.to_string()).await;
    assert_eq!(uploaded.status(), 201);
    let new_doc = uploaded.json::<serde_json::Value>().await.unwrap()["DocNum"]
        .as_i64()
        .unwrap();
    assert!(
        !gw.state.thumbnails.is_kept(1),
        "an upload forgets the patient's thumbnails"
    );
    let after: serde_json::Value = staff
        .get("/gateway/v1/patients/1/thumbnails")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        requests_to(&sandbox, "POST /documents/Thumbnails"),
        1,
        "asked again (log cleared above)"
    );
    assert!(
        after["Thumbnails"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["DocNum"] == new_doc),
        "the new image is in the grid: {after}"
    );

    // An edit of one of them forgets them too; another patient's are left alone.
    staff.get("/gateway/v1/patients/2/thumbnails").await;
    let kept_before = gw.state.thumbnails.is_kept(2);
    let edit = http()
        .put(format!("{}/api/v1/documents/{new_doc}", gw.url()))
        .header("cookie", &staff.cookie)
        .body(r#"{"Description":"fresh photo, left side"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(edit.status(), 200, "{}", edit.text().await.unwrap());
    assert!(!gw.state.thumbnails.is_kept(1));
    assert_eq!(gw.state.thumbnails.is_kept(2), kept_before);
    assert_eq!(gw.state.files_site.as_ref().unwrap().folders_in_use(), 0);
}

fn tiny_png() -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(30, 20, |x, y| image::Rgb([(x * 8) as u8, (y * 12) as u8, 99]));
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mount_has_a_small_tile_and_its_images_one_by_one_as_open_dental_has_them() {
    let (sandbox, gw, _dir) = sandbox_and_gateway(true).await;
    let staff = Staff::sign_in(&gw).await;
    let tile = staff.get("/gateway/v1/mounts/1/thumbnail").await;
    assert_eq!(tile.status(), 200);
    assert_eq!(tile.headers()["cache-control"], "no-store");
    let tile = image::load_from_memory(&tile.bytes().await.unwrap()).unwrap();
    assert!(tile.width() <= 100 && tile.height() <= 100 && tile.width().max(tile.height()) == 100);
    staff.get("/gateway/v1/mounts/1/thumbnail").await;
    assert_eq!(
        requests_to(&sandbox, "POST /documents/DownloadSftp"),
        1,
        "the tile is kept"
    );

    let items = staff.get("/gateway/v1/mounts/1/items").await;
    assert_eq!(items.status(), 200);
    assert_eq!(items.headers()["cache-control"], "no-store");
    let items: serde_json::Value = items.json().await.unwrap();
    let items = items["Items"].as_array().unwrap();
    assert!(items.len() >= 2, "{items:?}");
    for item in items {
        let name = item["FileName"].as_str().unwrap();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(item["Data"].as_str().unwrap())
            .unwrap();
        assert_eq!(bytes, atoz_file(&sandbox.atoz_dir, name), "{name} byte for byte");
    }
    assert_eq!(requests_to(&sandbox, "POST /documents/DownloadMount"), 1);
    let audited = gw
        .state
        .audit
        .query(&chairside_gateway::audit::AuditFilter::default())
        .unwrap()
        .into_iter()
        .any(|r| r.path == "documents/DownloadMount (mount 1, to view: documents 12, 11, 14, 13)");
    assert!(audited, "the mount's images viewed are audited by document");
    assert_eq!(gw.state.files_site.as_ref().unwrap().folders_in_use(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_view_the_index_cannot_place_is_audited_with_its_patient_from_documents_get() {
    let (_sandbox, gw, _dir) = sandbox_and_gateway(true).await;
    let staff = Staff::sign_in(&gw).await;
    let documents: Vec<serde_json::Value> = staff.get("/api/v1/documents?PatNum=1").await.json().await.unwrap();
    let pdf = documents
        .iter()
        .find(|d| d["filePath"].as_str().unwrap_or("").ends_with(".pdf"))
        .expect("Jane has a PDF");
    let doc_num = pdf["DocNum"].as_i64().unwrap();
    assert_eq!(
        staff
            .get(&format!("/gateway/v1/documents/{doc_num}/file"))
            .await
            .status(),
        200
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let row = gw
            .state
            .audit
            .query(&chairside_gateway::audit::AuditFilter::default())
            .unwrap()
            .into_iter()
            .find(|r| r.path.contains(&format!("document {doc_num}, to view")));
        if let Some(row) = row {
            assert_eq!(row.pat_num, Some(1));
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the view was never audited");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

//! The SFTP document methods (apidocuments.md) against a real SFTP server on 127.0.0.1
//! (`chairside-sftp-server`: SSH with a password, SFTP over a temporary folder). The tests look
//! at the files that actually arrive in that folder.

mod common;

use axum::http::{Method, StatusCode};
use chairside_sandbox::seed::definitions::INSURANCE_CARDS;
use chairside_sandbox::seed::documents::*;
use chairside_sandbox::seed::patients::{DANGELO_MARIA, MULLER_ZOE, SMITH_JANE};
use chairside_sandbox::AppState;
use chairside_sftp_server::TempSite;
use common::*;
use image::GenericImageView;
use opendental::sftp::{NO_MOUNT_IMAGES, NO_THUMBNAILS};
use serde_json::{json, Value};

const USER: &str = "practice";
const PASSWORD: &str = "pw-Ω-never-shown";

/// The test's SFTP site, and the login fields a body needs for it.
struct Site(TempSite);

impl std::ops::Deref for Site {
    type Target = TempSite;

    fn deref(&self) -> &TempSite {
        &self.0
    }
}

impl Site {
    async fn start() -> Site {
        Site(TempSite::start(USER, PASSWORD).await.unwrap())
    }

    /// A body's SFTP fields with this site's login.
    fn login(&self, path: &str, mut body: Value) -> Value {
        body["SftpAddress"] = json!(self.address(path));
        body["SftpUsername"] = json!(USER);
        body["SftpPassword"] = json!(PASSWORD);
        body
    }
}

async fn post(app: &axum::Router, method: &str, body: &Value) -> Answer {
    let answer = request(
        app,
        Method::POST,
        &format!("/api/v1/documents/{method}"),
        Some(AUTH),
        Some(serde_json::to_vec(body).unwrap()),
    )
    .await;
    assert!(
        !answer.body.contains(PASSWORD),
        "the password came back: {}",
        answer.body
    );
    answer
}

/// A document's file as the sandbox keeps it.
fn stored(state: &AppState, image_folder: &str, file_name: &str) -> Vec<u8> {
    std::fs::read(chairside_sandbox::atoz::file_path(&state.atoz_dir, image_folder, file_name).unwrap()).unwrap()
}

async fn document(app: &axum::Router, doc_num: i64) -> Value {
    get_json(app, &format!("/api/v1/documents/{doc_num}")).await
}

fn png(width: u32, height: u32, color: [u8; 3]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(width, height, image::Rgb(color)))
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

const UPLOAD_SFTP_ANSWER: &str = r#"{"DocNum": 411, "filePath": "\\server\\OpenDentImages\\S\\SmithJohn15\\SmithJRadiograph.png",
  "Description": "SmithJRadiograph.png", "ToothNumbers": "1,2,3,4,5,8", "Note": "", "DateCreated": "2021-05-26 08:16:46",
  "DateTStamp": "2021-05-26 08:16:46", "DocCategory": 14, "docCategory": "Lab Cases", "serverDateTime": "2021-05-26 08:16:46"}"#;

#[tokio::test]
async fn upload_sftp_pulls_the_file_into_the_patients_documents() {
    let (app, state) = test_app();
    let site = Site::start().await;
    let card = png(90, 60, [10, 120, 200]);
    site.put("/incoming/Card Front.PNG", &card);

    let answer = post(
        &app,
        "UploadSftp",
        &site.login(
            "/incoming/Card Front.PNG",
            json!({"PatNum": SMITH_JANE, "DocCategory": INSURANCE_CARDS, "ImgType": "Photo", "ToothNumbers": "1-3",
                   "Description": "Insurance card (front)", "DateCreated": "2026-11-20 10:00:00"}),
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let uploaded = answer.json();
    assert_shaped_like(&uploaded, UPLOAD_SFTP_ANSWER, &[]);
    assert_eq!(uploaded["ToothNumbers"], "1,2,3");
    assert_eq!(uploaded["docCategory"], "Insurance Cards");
    assert_eq!(uploaded["Description"], "Insurance card (front)");
    assert_eq!(uploaded["DateCreated"], "2026-11-20 10:00:00");
    let doc_num = uploaded["DocNum"].as_i64().unwrap();

    let stored_doc = document(&app, doc_num).await;
    assert_eq!(stored_doc["PatNum"], SMITH_JANE);
    assert_eq!(stored_doc["ImgType"], "Photo");
    let file_name = stored_doc["FileName"].as_str().unwrap();
    assert_eq!(file_name, format!("SmithJane{doc_num}.PNG"));
    assert!(uploaded["filePath"]
        .as_str()
        .unwrap()
        .ends_with(&format!("\\SmithJane1\\{file_name}")));
    assert_eq!(stored(&state, "SmithJane1", file_name), card, "the bytes that arrived");
    let list = get_json(&app, &format!("/api/v1/documents?PatNum={SMITH_JANE}")).await;
    assert!(field(&list, "DocNum").contains(&&json!(doc_num)));

    // Defaults as documented: no Description, the first image category, today.
    site.put("/incoming/note.pdf", b"%PDF-1.4 a note");
    let answer = post(
        &app,
        "UploadSftp",
        &site.login("/incoming/note.pdf", json!({"PatNum": SMITH_JANE})),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let plain = answer.json();
    assert_eq!(plain["Description"], "");
    assert_eq!(plain["DocCategory"], 13);
    assert!(plain["DateCreated"].as_str().unwrap().starts_with(&chrono_today()));
}

fn chrono_today() -> String {
    // serverDateTime is the sandbox's "now"; its date is today's.
    chairside_sandbox::text::server_date_time()[..10].to_owned()
}

#[tokio::test]
async fn download_sftp_writes_the_document_creating_folders_and_overwriting() {
    let (app, state) = test_app();
    let site = Site::start().await;
    let original = stored(&state, "SmithJane1", "SmithJane2.jpg");

    // A folder address: the document's FileName is used, and the folders are made.
    let answer = post(
        &app,
        "DownloadSftp",
        &site.login("/exports/2026/", json!({"DocNum": JANE_PA_XRAY})),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    assert_eq!(
        answer.json(),
        json!({"location": site.address("/exports/2026/SmithJane2.jpg")})
    );
    assert_eq!(site.read("/exports/2026/SmithJane2.jpg"), original);

    // A file address replaces what is there.
    site.put("/exports/pa.jpg", &vec![b'x'; original.len() * 2]);
    let answer = post(
        &app,
        "DownloadSftp",
        &site.login("/exports/pa.jpg", json!({"DocNum": JANE_PA_XRAY})),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    assert_eq!(site.read("/exports/pa.jpg"), original);

    // The extension must be the document's.
    let answer = post(
        &app,
        "DownloadSftp",
        &site.login("/exports/pa.png", json!({"DocNum": JANE_PA_XRAY})),
    )
    .await;
    let why = answer.assert_failure(400);
    assert!(why.contains("Invalid file extension") && why.contains(".jpg"), "{why}");
    assert!(!site.local_path("/exports/pa.png").exists());

    // A document still pending import is imported first, then written.
    let answer = post(
        &app,
        "DownloadSftp",
        &site.login("/pending/", json!({"DocNum": JANE_PENDING_DOC})),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let written = site.read("/pending/SmithJane10.png");
    assert_eq!(image::guess_format(&written).unwrap(), image::ImageFormat::Png);
    assert_eq!(stored(&state, "SmithJane1", "SmithJane10.png"), written);
    let listed = get_json(&app, &format!("/api/v1/documents?PatNum={SMITH_JANE}")).await;
    let pending = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["DocNum"] == JANE_PENDING_DOC)
        .unwrap();
    assert_eq!(pending["Note"], "", "imported: the marker is gone");

    // A pending download has no file to write.
    let answer = post(
        &app,
        "DownloadSftp",
        &site.login("/x/", json!({"DocNum": SEAN_PENDING_URL})),
    )
    .await;
    assert!(answer.assert_failure(400).contains("has no file yet"));
}

#[tokio::test]
async fn download_sftp_of_a_mount_writes_a_composite_in_mount_order() {
    let (app, state) = test_app();
    let site = Site::start().await;
    let answer = post(
        &app,
        "DownloadSftp",
        &site.login("/mounts/4BW.png", json!({"MountNum": JANE_MOUNT})),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let composite = image::load_from_memory(&site.read("/mounts/4BW.png")).unwrap();
    // Four 160×120 radiographs, 10 pixels apart.
    assert_eq!(composite.dimensions(), (670, 120));
    for (place, doc_num) in JANE_MOUNT_ITEMS.iter().enumerate() {
        let item = image::load_from_memory(&stored(&state, "SmithJane1", &format!("SmithJane{doc_num}.jpg"))).unwrap();
        let x = place as u32 * 170;
        for (dx, dy) in [(20, 20), (80, 60), (140, 100)] {
            let want = item.get_pixel(dx, dy);
            let got = composite.get_pixel(x + dx, dy);
            for c in 0..3 {
                assert!(
                    want[c].abs_diff(got[c]) <= 3,
                    "item {place} (document {doc_num}) at ({dx},{dy}): {want:?} vs {got:?}"
                );
            }
        }
    }
    assert_eq!(
        composite.get_pixel(165, 60).0[..3],
        [0, 0, 0],
        "the gap is the mount's background"
    );

    // A folder address: a JPEG named after the mount.
    let answer = post(
        &app,
        "DownloadSftp",
        &site.login("/mounts/", json!({"MountNum": JANE_MOUNT})),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    assert_eq!(answer.json()["location"], site.address("/mounts/Mount1.jpg"));
    let jpeg = site.read("/mounts/Mount1.jpg");
    assert_eq!(image::guess_format(&jpeg).unwrap(), image::ImageFormat::Jpeg);
    assert_eq!(image::load_from_memory(&jpeg).unwrap().dimensions(), (670, 120));

    let answer = post(
        &app,
        "DownloadSftp",
        &site.login("/mounts/4BW.pdf", json!({"MountNum": JANE_MOUNT})),
    )
    .await;
    assert!(answer.assert_failure(400).contains("Invalid file extension"));
}

#[tokio::test]
async fn thumbnails_are_100_by_100_for_each_image_document() {
    let (app, state) = test_app();
    let site = Site::start().await;
    let answer = post(
        &app,
        "Thumbnails",
        &site.login("/Thumbnails/", json!({"PatNum": SMITH_JANE})),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let files = answer.json();
    let mut doc_nums: Vec<i64> = field(&files, "DocNum").iter().map(|v| v.as_i64().unwrap()).collect();
    doc_nums.sort();
    // Her photos, radiographs and cards, and the pending PNG (imported); not the PDFs, the
    // text export, or the mount.
    assert_eq!(
        doc_nums,
        [
            JANE_PATIENT_PICTURE,
            JANE_PA_XRAY,
            JANE_PANO,
            JANE_INTRAORAL_PHOTO,
            JANE_INSURANCE_FRONT,
            JANE_INSURANCE_BACK,
            JANE_PENDING_DOC
        ]
    );
    for file in files.as_array().unwrap() {
        let name = file["FileName"].as_str().unwrap();
        let bytes = site.read(&format!("/Thumbnails/{name}"));
        let thumb = image::load_from_memory(&bytes).unwrap();
        assert_eq!(thumb.dimensions(), (100, 100), "{name}");
        let original = stored(&state, "SmithJane1", name);
        assert_eq!(
            image::guess_format(&bytes).unwrap(),
            image::guess_format(&original).unwrap(),
            "{name} keeps its format"
        );
    }
    assert!(!site.local_path("/Thumbnails/SmithJane7.pdf").exists());

    // A second run overwrites the same files (kept thumbnails are reused).
    let again = post(
        &app,
        "Thumbnails",
        &site.login("/Thumbnails", json!({"PatNum": SMITH_JANE})),
    )
    .await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.json(), files);

    // A patient with only a PDF: nothing to make.
    let pdf = json!({"PatNum": DANGELO_MARIA, "rawBase64": "JVBERi0xLjQ=", "extension": ".pdf"});
    let uploaded = request(
        &app,
        Method::POST,
        "/api/v1/documents/Upload",
        Some(AUTH),
        Some(pdf.to_string().into()),
    )
    .await;
    assert_eq!(uploaded.status, StatusCode::CREATED);
    let answer = post(&app, "Thumbnails", &site.login("/t/", json!({"PatNum": DANGELO_MARIA}))).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json(), json!(NO_THUMBNAILS));

    // A patient with no documents at all.
    let answer = post(&app, "Thumbnails", &site.login("/t/", json!({"PatNum": MULLER_ZOE}))).await;
    assert_eq!(answer.assert_failure(404), "No documents exist for this patient.");
}

#[tokio::test]
async fn download_mount_writes_each_image_of_the_mount() {
    let (app, state) = test_app();
    let site = Site::start().await;
    let answer = post(
        &app,
        "DownloadMount",
        &site.login("/Mounts/", json!({"MountNum": JANE_MOUNT})),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let files = answer.json();
    let listed: Vec<i64> = field(&files, "DocNum").iter().map(|v| v.as_i64().unwrap()).collect();
    assert_eq!(listed, JANE_MOUNT_ITEMS, "in mount order");
    for doc_num in JANE_MOUNT_ITEMS {
        let name = format!("SmithJane{doc_num}.jpg");
        assert_eq!(
            site.read(&format!("/Mounts/{name}")),
            stored(&state, "SmithJane1", &name)
        );
    }

    // A mount whose images are gone: nothing to write.
    for doc_num in JANE_MOUNT_ITEMS {
        let gone = request(
            &app,
            Method::DELETE,
            &format!("/api/v1/documents/{doc_num}"),
            Some(AUTH),
            None,
        )
        .await;
        assert_eq!(gone.status, StatusCode::OK);
    }
    let answer = post(
        &app,
        "DownloadMount",
        &site.login("/Mounts2/", json!({"MountNum": JANE_MOUNT})),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json(), json!(NO_MOUNT_IMAGES));
}

#[tokio::test]
async fn missing_fields_and_unknown_records_are_explained_without_connecting() {
    let (app, _state) = test_app();
    let site = Site::start().await;
    let cases = [
        (
            "UploadSftp",
            json!({"SftpAddress": "h/a.png", "SftpUsername": "u", "SftpPassword": "p"}),
            "PatNum is required.",
        ),
        (
            "UploadSftp",
            json!({"PatNum": SMITH_JANE, "SftpUsername": "u", "SftpPassword": "p"}),
            "SftpAddress is required.",
        ),
        (
            "UploadSftp",
            json!({"PatNum": SMITH_JANE, "SftpAddress": "h/a.png", "SftpPassword": "p"}),
            "SftpUsername is required.",
        ),
        (
            "UploadSftp",
            json!({"PatNum": SMITH_JANE, "SftpAddress": "h/a.png", "SftpUsername": "u"}),
            "SftpPassword is required.",
        ),
        (
            "DownloadSftp",
            json!({"SftpAddress": "h/a.png", "SftpUsername": "u", "SftpPassword": "p"}),
            "DocNum or MountNum is required.",
        ),
        (
            "Thumbnails",
            json!({"SftpAddress": "h/", "SftpUsername": "u", "SftpPassword": "p"}),
            "PatNum is required.",
        ),
        (
            "DownloadMount",
            json!({"SftpAddress": "h/", "SftpUsername": "u", "SftpPassword": "p"}),
            "MountNum is required.",
        ),
        (
            "DownloadMount",
            json!({"MountNum": 1, "SftpUsername": "u", "SftpPassword": "p"}),
            "SftpAddress is required.",
        ),
    ];
    for (method, body, explanation) in cases {
        assert_eq!(
            post(&app, method, &body).await.assert_failure(400),
            explanation,
            "{method} {body}"
        );
    }
    // A password of the wrong type is refused without being quoted back.
    let numeric =
        json!({"PatNum": SMITH_JANE, "SftpAddress": "h/a.png", "SftpUsername": "u", "SftpPassword": 90210377});
    let why = post(&app, "UploadSftp", &numeric).await;
    assert!(
        why.assert_failure(400).contains("invalid field") && !why.body.contains("90210377"),
        "{}",
        why.body
    );
    let answer = post(
        &app,
        "UploadSftp",
        &site.login("/incoming/", json!({"PatNum": SMITH_JANE})),
    )
    .await;
    assert!(answer.assert_failure(400).contains("names a folder"));
    let answer = post(
        &app,
        "UploadSftp",
        &site.login("/incoming/README", json!({"PatNum": SMITH_JANE})),
    )
    .await;
    assert!(answer.assert_failure(400).contains("Invalid file extension"));
    let mut scheme = site.login("/a.png", json!({"PatNum": SMITH_JANE}));
    scheme["SftpAddress"] = json!(format!("sftp://{}", site.address("/a.png")));
    assert!(post(&app, "UploadSftp", &scheme)
        .await
        .assert_failure(400)
        .contains("without \"sftp://\""));

    let not_found = [
        ("UploadSftp", json!({"PatNum": 99999}), "/a.png", "Patient not found."),
        ("Thumbnails", json!({"PatNum": 99999}), "/t/", "Patient not found."),
        ("DownloadSftp", json!({"DocNum": 99999}), "/d/", "Document not found."),
        ("DownloadSftp", json!({"MountNum": 99999}), "/d/", "Mount not found."),
        ("DownloadMount", json!({"MountNum": 99999}), "/d/", "Mount not found."),
    ];
    for (method, body, path, explanation) in not_found {
        assert_eq!(
            post(&app, method, &site.login(path, body)).await.assert_failure(404),
            explanation,
            "{method}"
        );
    }
    assert_eq!(
        std::fs::read_dir(site.root()).unwrap().count(),
        0,
        "nothing was written"
    );
}

#[tokio::test]
async fn connection_and_login_failures_name_the_cause() {
    let (app, _state) = test_app();
    let site = Site::start().await;
    site.put("/incoming/a.png", &png(4, 4, [1, 2, 3]));
    let body = |address: String, password: &str| json!({"PatNum": SMITH_JANE, "SftpAddress": address, "SftpUsername": USER, "SftpPassword": password});

    let wrong = post(
        &app,
        "UploadSftp",
        &body(site.address("/incoming/a.png"), "not-the-password"),
    )
    .await;
    let why = wrong.assert_failure(400);
    assert!(why.contains("authentication failed") && why.contains(USER), "{why}");
    assert!(!why.contains("not-the-password"));

    let unknown = post(
        &app,
        "UploadSftp",
        &body("no-such-sftp-host.invalid/a.png".into(), PASSWORD),
    )
    .await;
    assert!(
        unknown
            .assert_failure(400)
            .contains("\"no-such-sftp-host.invalid\" could not be found"),
        "{}",
        unknown.body
    );

    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let refused = post(&app, "UploadSftp", &body(format!("127.0.0.1:{port}/a.png"), PASSWORD)).await;
    assert!(refused.assert_failure(400).contains("refused"), "{}", refused.body);

    // Something that is not an SSH server.
    let http = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let http_port = http.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = http.accept().await {
            use tokio::io::AsyncWriteExt;
            let _ = socket
                .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                .await;
        }
    });
    let not_ssh = post(
        &app,
        "UploadSftp",
        &body(format!("127.0.0.1:{http_port}/a.png"), PASSWORD),
    )
    .await;
    assert!(
        not_ssh
            .assert_failure(400)
            .contains("did not answer as an SFTP (SSH) server"),
        "{}",
        not_ssh.body
    );

    let missing = post(&app, "UploadSftp", &body(site.address("/incoming/b.png"), PASSWORD)).await;
    let why = missing.assert_failure(400);
    assert!(why.contains("/incoming/b.png") && why.contains("no such file"), "{why}");

    // Nothing was created by any of these.
    let list = get_json(&app, &format!("/api/v1/documents?PatNum={SMITH_JANE}")).await;
    assert_eq!(list.as_array().unwrap().len(), JANE_LIST_LEN);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_large_file_goes_both_ways_intact() {
    let (app, state) = test_app();
    let site = Site::start().await;
    // 12 MiB that no compression shrinks, as big as an Upload could carry.
    let mut seed = 0x2545_f491_u32;
    let big: Vec<u8> = (0..12 * 1024 * 1024)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as u8
        })
        .collect();
    site.put("/incoming/scan.tif", &big);
    let started = std::time::Instant::now();
    let answer = post(
        &app,
        "UploadSftp",
        &site.login("/incoming/scan.tif", json!({"PatNum": SMITH_JANE})),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let pulled = started.elapsed();
    let doc_num = answer.json()["DocNum"].as_i64().unwrap();
    let file_name = format!("SmithJane{doc_num}.tif");
    assert!(stored(&state, "SmithJane1", &file_name) == big, "pulled intact");

    let started = std::time::Instant::now();
    let answer = post(&app, "DownloadSftp", &site.login("/out/", json!({"DocNum": doc_num}))).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let pushed = started.elapsed();
    assert!(site.read(&format!("/out/{file_name}")) == big, "written intact");
    eprintln!("12 MiB over SFTP: pulled in {pulled:?}, written in {pushed:?}");
}

/// Every file in the sandbox's A-to-Z folder, thumbnails included, and the patient's listing
/// (which shows pending imports in their Notes) without the server's clock.
async fn sandbox_data(app: &axum::Router, state: &AppState) -> (Vec<(std::path::PathBuf, Vec<u8>)>, Value) {
    let mut files = Vec::new();
    let mut folders = vec![state.atoz_dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    let mut listed = get_json(app, &format!("/api/v1/documents?PatNum={SMITH_JANE}")).await;
    for item in listed.as_array_mut().unwrap() {
        item.as_object_mut().unwrap().remove("serverDateTime");
    }
    (files, listed)
}

#[tokio::test]
async fn a_refused_connection_login_or_write_changes_nothing() {
    let (app, state) = test_app();
    let site = Site::start().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let refused_host = closed.local_addr().unwrap().to_string();
    drop(closed);
    // A file where the folder should be: the site refuses the write.
    site.put("/blocked", b"a file, not a folder");
    let before = sandbox_data(&app, &state).await;
    let requests = [
        ("Thumbnails", json!({"PatNum": SMITH_JANE}), "/t/"),
        ("DownloadSftp", json!({"DocNum": JANE_PENDING_DOC}), "/d/"),
        ("DownloadSftp", json!({"MountNum": JANE_MOUNT}), "/m/"),
        ("DownloadMount", json!({"MountNum": JANE_MOUNT}), "/m/"),
    ];
    for (method, body, folder) in requests {
        let refused =
            json!({"SftpAddress": format!("{refused_host}{folder}"), "SftpUsername": USER, "SftpPassword": PASSWORD});
        let wrong_password =
            json!({"SftpAddress": site.address(folder), "SftpUsername": USER, "SftpPassword": "wrong"});
        let blocked = site.login("/blocked/", json!({}));
        for (case, login) in [
            ("refused", refused),
            ("wrong password", wrong_password),
            ("write refused", blocked),
        ] {
            let mut request = body.clone();
            for field in ["SftpAddress", "SftpUsername", "SftpPassword"] {
                request[field] = login[field].clone();
            }
            let answer = post(&app, method, &request).await;
            answer.assert_failure(400);
            assert!(
                sandbox_data(&app, &state).await == before,
                "{method} ({case}) was refused but changed the sandbox's data: {}",
                answer.body
            );
        }
    }
    // The same requests to the real site import the pending upload and keep thumbnails.
    let answer = post(&app, "Thumbnails", &site.login("/t/", json!({"PatNum": SMITH_JANE}))).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    assert!(sandbox_data(&app, &state).await != before);
}

//! Documents (apidocuments.md) through `app(state)`: GET single and multiple (with mounts),
//! POST Upload and SetByUrl, PUT, DELETE, the demo files in the A-to-Z folder, and the
//! --import-uploads knob.

mod common;

use axum::http::{Method, StatusCode};
use base64::Engine;
use chairside_sandbox::config::ImportUploads;
use chairside_sandbox::seed::definitions::{OLD_SCANS, PHOTOS, X_RAYS};
use chairside_sandbox::seed::documents::*;
use chairside_sandbox::seed::patients::{OBRIEN_SEAN, SMITH_JANE, SMITH_JOHN};
use chairside_sandbox::seed::providers::{DOC1, DOC2, HYG2};
use chairside_sandbox::{AppState, Config};
use common::*;
use opendental::documents::{
    pending_import, Document, DocumentFields, DocumentListItem, PendingImport, SetByUrl, Upload,
};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::Instant;

const DOC_LIST_ITEM: &str = r#"{"DocNum": 34, "MountNum": 0, "filePath": "\\server\\OpenDentImages\\S\\SmithJohn15\\exampleimage.jpg",
  "Description": "Scanned image", "PatNum": "101", "Note": "", "DateCreated": "2021-04-08 08:12:21",
  "docCategory": "Lab Cases", "DocCategory": 14, "ToothNumbers": "1,2,3,4,5", "ProvNum": "0", "PrintHeading": "false",
  "DateTStamp": "2021-04-18 11:45:01", "serverDateTime": "2021-05-20 13:30:54"}"#;

const DOC_MOUNT_ITEM: &str = r#"{"DocNum": 0, "MountNum": 15, "filePath": "", "Description": " 5/11/2021: 4BW",
  "PatNum": "101", "Note": "Bitewings", "DateCreated": "2021-05-11 13:26:39", "docCategory": "Lab Cases",
  "DocCategory": 14, "ToothNumbers": "", "ProvNum": "0", "PrintHeading": "", "DateTStamp": "",
  "serverDateTime": "2021-05-20 13:30:54"}"#;

const DOC_DOCUMENT: &str = r#"{"DocNum": 7, "Description": "1-26-2009", "DateCreated": "2009-01-26 00:00:00",
  "DocCategory": 190, "docCategory": "Patient Pictures", "PatNum": 15, "FileName": "SmithJohn7.jpg", "ImgType": "Photo",
  "ToothNumbers": "", "DateTStamp": "2010-03-01 12:44:26", "ProvNum": 0, "PrintHeading": "false"}"#;

/// Same field names as the documented example, and each value of the same JSON type.
fn assert_shaped_like(actual: &Value, documented: &str) {
    let documented: Value = serde_json::from_str(documented).unwrap();
    assert_eq!(sorted_keys(actual), sorted_keys(&documented), "{actual}");
    let kind = |v: &Value| match v {
        Value::Number(_) => "number",
        Value::String(_) => "string",
        other => panic!("unexpected {other}"),
    };
    for (name, doc_value) in documented.as_object().unwrap() {
        assert_eq!(kind(&actual[name]), kind(doc_value), "{name}: {}", actual[name]);
    }
}

async fn send(app: &axum::Router, method: Method, uri: &str, body: &Value) -> Answer {
    request(app, method, uri, Some(AUTH), Some(serde_json::to_vec(body).unwrap())).await
}

async fn post(app: &axum::Router, uri: &str, body: &Value) -> Answer {
    send(app, Method::POST, uri, body).await
}

async fn put(app: &axum::Router, uri: &str, body: &Value) -> Answer {
    send(app, Method::PUT, uri, body).await
}

async fn delete(app: &axum::Router, uri: &str) -> Answer {
    request(app, Method::DELETE, uri, Some(AUTH), None).await
}

async fn list(app: &axum::Router, pat_num: i64) -> Vec<Value> {
    get_json(app, &format!("/api/v1/documents?PatNum={pat_num}"))
        .await
        .as_array()
        .unwrap()
        .clone()
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// An Upload body as the app's client writes it.
fn upload_body(pat_num: i64, bytes: &[u8], extension: &str, fields: DocumentFields) -> Value {
    serde_json::to_value(Upload {
        pat_num,
        raw_base64: b64(bytes),
        extension: extension.into(),
        fields,
    })
    .unwrap()
}

/// Where the sandbox keeps a file of `image_folder`.
fn file_on_disk(state: &AppState, image_folder: &str, file_name: &str) -> PathBuf {
    chairside_sandbox::atoz::file_path(&state.atoz_dir, image_folder, file_name).unwrap()
}

/// Everything under the A-to-Z folder, to check that a refused request wrote nothing.
fn files_in(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_in(&path));
        } else {
            found.push(path);
        }
    }
    found.sort();
    found
}

fn doc_nums(items: &[Value]) -> Vec<i64> {
    items.iter().map(|d| d["DocNum"].as_i64().unwrap()).collect()
}

// ---- GET multiple ----

#[tokio::test]
async fn the_list_has_documents_and_mounts_shaped_as_documented_in_date_order() {
    let (app, _) = test_app();
    let items = list(&app, 1).await;
    assert_eq!(items.len(), JANE_LIST_LEN);
    let dates: Vec<&str> = items.iter().map(|d| d["DateCreated"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    // Same DateCreated: by DocNum. DocNum order is not date order.
    assert_eq!(
        doc_nums(&items)[..3],
        [JANE_INSURANCE_FRONT, JANE_INSURANCE_BACK, JANE_PATIENT_PICTURE]
    );

    let mounts: Vec<&Value> = items.iter().filter(|d| d["MountNum"] != 0).collect();
    assert_eq!(mounts.len(), 1);
    let mount = mounts[0];
    assert_shaped_like(mount, DOC_MOUNT_ITEM);
    assert_eq!(mount["DocNum"], 0);
    assert_eq!(mount["MountNum"], JANE_MOUNT);
    for empty in ["filePath", "ToothNumbers", "PrintHeading", "DateTStamp"] {
        assert_eq!(mount[empty], "", "{empty}");
    }
    assert_eq!(
        (
            &mount["Description"],
            &mount["Note"],
            &mount["DocCategory"],
            &mount["docCategory"]
        ),
        (&json!("4BW"), &json!("Bitewings"), &json!(14), &json!("X-Rays"))
    );
    assert_eq!((&mount["PatNum"], &mount["ProvNum"]), (&json!("1"), &json!("1")));
    // The mount's radiographs belong to it and are not listed on their own.
    for item in JANE_MOUNT_ITEMS {
        assert!(!doc_nums(&items).contains(&item), "{item}");
    }

    for d in items.iter().filter(|d| d["MountNum"] == 0) {
        assert_shaped_like(d, DOC_LIST_ITEM);
        assert_eq!(d["PatNum"], "1");
        assert!(d["ProvNum"].as_str().unwrap().parse::<i64>().is_ok());
        assert!(["true", "false"].contains(&d["PrintHeading"].as_str().unwrap()));
        assert!(chairside_sandbox::text::is_date_time(
            d["serverDateTime"].as_str().unwrap()
        ));
        assert!(chairside_sandbox::text::is_date_time(d["DateTStamp"].as_str().unwrap()));
    }
    let picture = items.iter().find(|d| d["DocNum"] == JANE_PATIENT_PICTURE).unwrap();
    assert_eq!(
        picture["filePath"],
        r"\\server\OpenDentImages\S\SmithJane1\SmithJane1.jpg"
    );
    assert_eq!(
        (&picture["docCategory"], &picture["DocCategory"], &picture["Note"]),
        (&json!("Patient Pictures"), &json!(13), &json!(""))
    );
    let pa = items.iter().find(|d| d["DocNum"] == JANE_PA_XRAY).unwrap();
    assert_eq!((&pa["ToothNumbers"], &pa["ProvNum"]), (&json!("2,3,4"), &json!("1")));
    let consent = items.iter().find(|d| d["DocNum"] == JANE_CONSENT_PDF).unwrap();
    assert_eq!(consent["PrintHeading"], "true");

    // The client's wire type reads it, and tells pending imports apart.
    let typed: Vec<DocumentListItem> = serde_json::from_value(Value::Array(items.clone())).unwrap();
    assert!(typed.iter().filter(|d| d.is_mount()).count() == 1);
    let pending: Vec<i64> = typed
        .iter()
        .filter(|d| d.pending_import() == Some(PendingImport::Upload))
        .map(|d| d.doc_num)
        .collect();
    assert_eq!(pending, [JANE_PENDING_DOC]);
    let note = &typed.iter().find(|d| d.doc_num == JANE_PENDING_DOC).unwrap().note;
    assert!(
        note.starts_with("_rawBase64_:.png_") && note.len() > 250_000,
        "{}",
        note.len()
    );
}

#[tokio::test]
async fn every_seeded_file_is_in_the_atoz_folder_and_pending_ones_are_not() {
    let (app, state) = test_app();
    for (pat_num, folder) in [(1, "SmithJane1"), (2, "SmithJohn2"), (3, "OBrienSean3")] {
        let items = list(&app, pat_num).await;
        let mut docs: Vec<i64> = doc_nums(&items).into_iter().filter(|&n| n != 0).collect();
        docs.extend(match pat_num {
            1 => JANE_MOUNT_ITEMS.to_vec(),
            2 => JOHN_MOUNT_ITEMS.to_vec(),
            _ => vec![],
        });
        for doc_num in docs {
            let doc: Document =
                serde_json::from_value(get_json(&app, &format!("/api/v1/documents/{doc_num}")).await).unwrap();
            let path = file_on_disk(&state, folder, &doc.file_name);
            if doc_num == JANE_PENDING_DOC || doc_num == SEAN_PENDING_URL {
                assert!(!path.exists(), "{doc_num}: {path:?}");
                continue;
            }
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{doc_num}: {path:?}: {e}"));
            match doc.file_name.rsplit('.').next().unwrap() {
                "jpg" => {
                    let img = image::load_from_memory(&bytes).unwrap();
                    assert!(img.width() >= 64 && img.height() >= 48);
                }
                "pdf" => assert!(bytes.starts_with(b"%PDF-") && bytes.ends_with(b"%%EOF\n")),
                "txt" => assert!(String::from_utf8(bytes).unwrap().starts_with("Tooth,")),
                other => panic!("{other}"),
            }
        }
    }
    let john = list(&app, 2).await;
    let mount = john.iter().find(|d| d["MountNum"] == JOHN_MOUNT).unwrap();
    assert_eq!(mount["Description"], "2BW");
    let sean = list(&app, 3).await;
    let url = sean.iter().find(|d| d["DocNum"] == SEAN_PENDING_URL).unwrap();
    assert_eq!(url["Note"], format!("_download_:{SEAN_PENDING_URL_ADDRESS}"));
    assert_eq!(pending_import(url["Note"].as_str().unwrap()), Some(PendingImport::Url));
    assert!(list(&app, 50).await.is_empty());
}

#[tokio::test]
async fn the_list_needs_a_known_patient_and_is_paged() {
    let (app, _) = test_app();
    let text = get(&app, "/api/v1/documents").await.assert_failure(400).to_owned();
    assert!(text.contains("PatNum is required"), "{text}");
    let text = get(&app, "/api/v1/documents?PatNum=9999")
        .await
        .assert_failure(404)
        .to_owned();
    assert!(text.contains("Patient not found"), "{text}");
    get(&app, "/api/v1/documents?PatNum=abc").await.assert_failure(400);
    get(&app, &format!("/api/v1/documents?PatNum={SMITH_JANE}&Offset=-1"))
        .await
        .assert_failure(400);

    let all = list(&app, 1).await;
    let page = get_json(&app, &format!("/api/v1/documents?PatNum={SMITH_JANE}&Offset=3&Limit=4")).await;
    assert_eq!(page.as_array().unwrap(), &all[3..7]);
}

// ---- GET single ----

#[tokio::test]
async fn a_single_document_found_missing_and_malformed() {
    let (app, _) = test_app();
    let pa = get_json(&app, &format!("/api/v1/documents/{JANE_PA_XRAY}")).await;
    assert_shaped_like(&pa, DOC_DOCUMENT);
    assert_eq!(
        pa,
        json!({"DocNum": JANE_PA_XRAY, "Description": "PA #3", "DateCreated": "2023-02-14 09:40:05",
            "DocCategory": X_RAYS, "docCategory": "X-Rays", "PatNum": SMITH_JANE, "FileName": "SmithJane2.jpg",
            "ImgType": "Radiograph", "ToothNumbers": "2,3,4", "DateTStamp": "2023-02-14 09:40:05", "ProvNum": DOC1,
            "PrintHeading": "false"})
    );
    // Mount items and other patients' documents are there too.
    let item = get_json(&app, &format!("/api/v1/documents/{}", JANE_MOUNT_ITEMS[0])).await;
    assert_eq!(item["ImgType"], "Radiograph");
    let sean = get_json(&app, &format!("/api/v1/documents/{SEAN_PHOTO_ID}")).await;
    assert_eq!(
        (&sean["FileName"], &sean["PatNum"]),
        (&json!("OBrienSean30.jpg"), &json!(3))
    );

    let missing = get(&app, "/api/v1/documents/9999").await;
    assert_eq!(missing.assert_failure(404), "Document not found.");
    get(&app, "/api/v1/documents/abc").await.assert_failure(400);
    // Not API methods: a POST to a document, a GET of Upload.
    post(&app, "/api/v1/documents/7", &json!({})).await.assert_failure(404);
    get(&app, "/api/v1/documents/Upload").await.assert_failure(404);
}

// ---- POST Upload ----

#[tokio::test]
async fn upload_writes_the_file_and_answers_201_with_the_document() {
    let (app, state) = test_app();
    let bytes: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
    let body = upload_body(
        1,
        &bytes,
        ".png",
        DocumentFields {
            description: Some("Extraoral".into()),
            date_created: Some("2022-03-15 14:30:00".into()),
            doc_category: Some(15),
            img_type: Some("Photo".into()),
            tooth_numbers: Some("1-5,8".into()),
            prov_num: Some(2),
            print_heading: Some("true".into()),
        },
    );
    let answer = post(&app, "/api/v1/documents/Upload", &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let created = answer.json();
    assert_shaped_like(&created, DOC_DOCUMENT);
    let doc_num = created["DocNum"].as_i64().unwrap();
    assert!(doc_num > SEAN_PENDING_URL);
    assert_eq!(answer.headers["location"], format!("/api/v1/documents/{doc_num}"));
    assert_eq!(
        created,
        json!({"DocNum": doc_num, "Description": "Extraoral", "DateCreated": "2022-03-15 14:30:00",
            "DocCategory": PHOTOS, "docCategory": "Photos", "PatNum": SMITH_JANE, "FileName": format!("SmithJane{doc_num}.png"),
            "ImgType": "Photo", "ToothNumbers": "1,2,3,4,5,8", "DateTStamp": created["DateTStamp"], "ProvNum": DOC2,
            "PrintHeading": "true"})
    );
    assert!(chairside_sandbox::text::is_date_time(
        created["DateTStamp"].as_str().unwrap()
    ));
    let on_disk = std::fs::read(file_on_disk(&state, "SmithJane1", &format!("SmithJane{doc_num}.png"))).unwrap();
    assert_eq!(on_disk, bytes);
    assert_eq!(get_json(&app, &format!("/api/v1/documents/{doc_num}")).await, created);
    let listed = list(&app, 1).await;
    let row = listed.iter().find(|d| d["DocNum"] == doc_num).unwrap();
    assert_eq!(row["Note"], "");
    assert_eq!(
        row["filePath"],
        format!(r"\\server\OpenDentImages\S\SmithJane1\SmithJane{doc_num}.png")
    );
    // The answer reads as the client's type.
    let typed: Document = serde_json::from_value(created).unwrap();
    assert!(typed.print_heading);

    // Another patient's folder and letter; base64 with line breaks is accepted.
    let wrapped = b64(b"%PDF-1.4 tiny")
        .chars()
        .collect::<Vec<_>>()
        .chunks(8)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("\r\n");
    let answer = post(
        &app,
        "/api/v1/documents/Upload",
        &json!({"PatNum": OBRIEN_SEAN, "rawBase64": wrapped, "extension": ".pdf"}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let sean_doc = answer.json();
    let file_name = sean_doc["FileName"].as_str().unwrap();
    assert!(file_name.starts_with("OBrienSean") && file_name.ends_with(".pdf"));
    assert_eq!(
        std::fs::read(file_on_disk(&state, "OBrienSean3", file_name)).unwrap(),
        b"%PDF-1.4 tiny"
    );
}

#[tokio::test]
async fn upload_defaults_to_the_first_category_and_document_type() {
    let (app, _) = test_app();
    let answer = post(
        &app,
        "/api/v1/documents/Upload",
        &json!({"PatNum": SMITH_JOHN, "rawBase64": b64(b"hello"), "extension": "txt"}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let d = answer.json();
    let doc_num = d["DocNum"].as_i64().unwrap();
    assert_eq!(
        (
            &d["DocCategory"],
            &d["docCategory"],
            &d["ImgType"],
            &d["ProvNum"],
            &d["PrintHeading"]
        ),
        (
            &json!(13),
            &json!("Patient Pictures"),
            &json!("Document"),
            &json!(0),
            &json!("false")
        )
    );
    assert_eq!((&d["Description"], &d["ToothNumbers"]), (&json!(""), &json!("")));
    // "txt" without its dot is taken as ".txt".
    assert_eq!(d["FileName"], format!("SmithJohn{doc_num}.txt"));
    let created = d["DateCreated"].as_str().unwrap();
    assert!(chairside_sandbox::text::is_date_time(created));
    assert_eq!(created[..10], chairside_sandbox::text::server_date_time()[..10]);
}

#[tokio::test]
async fn upload_refuses_what_is_missing_or_invalid_and_writes_nothing() {
    let (app, state) = test_app();
    let files_before = files_in(&state.atoz_dir);
    let ok = json!({"PatNum": SMITH_JANE, "rawBase64": b64(b"abc"), "extension": ".jpg"});
    let with = |name: &str, value: Value| {
        let mut body = ok.clone();
        body[name] = value;
        body
    };
    let without = |name: &str| {
        let mut body = ok.clone();
        body.as_object_mut().unwrap().remove(name);
        body
    };
    let cases = [
        (without("PatNum"), "PatNum is required"),
        (with("PatNum", json!(0)), "PatNum is required"),
        (without("rawBase64"), "rawBase64 is required"),
        (with("rawBase64", json!("")), "rawBase64 is required"),
        (without("extension"), "extension is required"),
        (with("rawBase64", json!("not base64!")), "base64"),
        (with("rawBase64", json!("QUJ")), "base64"),
        (with("rawBase64", json!("data:image/jpeg;base64,QUJD")), "data URL"),
        (with("extension", json!(".j/pg")), "extension"),
        (with("extension", json!(".averyverylongone")), "extension"),
        (with("extension", json!(".")), "extension"),
        (with("DocCategory", json!(16)), "hidden"),
        (with("DocCategory", json!(6)), "not an image category"),
        (with("DocCategory", json!(999)), "not an image category"),
        (with("ImgType", json!("Xray")), "ImgType"),
        (with("ToothNumbers", json!("1-33")), "ToothNumbers"),
        (with("ToothNumbers", json!("5-1")), "ToothNumbers"),
        (with("DateCreated", json!("2022-03-15")), "yyyy-MM-dd HH:mm:ss"),
        (with("DateCreated", json!("03/15/2022 14:30:00")), "yyyy-MM-dd HH:mm:ss"),
        (with("ProvNum", json!(99)), "ProvNum"),
        (with("PrintHeading", json!("yes")), "PrintHeading"),
        (with("DocCategory", json!("fourteen")), "invalid field"),
    ];
    for (body, expected) in cases {
        let answer = post(&app, "/api/v1/documents/Upload", &body).await;
        let text = answer.assert_failure(400);
        assert!(text.contains(expected), "{body}: {text}");
    }
    let unknown = post(&app, "/api/v1/documents/Upload", &with("PatNum", json!(9999))).await;
    assert!(unknown.assert_failure(404).contains("Patient not found"));
    request(
        &app,
        Method::POST,
        "/api/v1/documents/Upload",
        Some(AUTH),
        Some(Vec::new()),
    )
    .await
    .assert_failure(400);
    assert_eq!(list(&app, 1).await.len(), JANE_LIST_LEN);
    assert_eq!(files_in(&state.atoz_dir), files_before);

    // A hidden provider may be named on upload (only PUT requires a visible one).
    let answer = post(&app, "/api/v1/documents/Upload", &with("ProvNum", json!(4))).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
}

#[tokio::test]
async fn with_imports_off_an_upload_stays_pending_in_the_note() {
    let (app, state) = test_app();
    state.knobs.set_import_uploads(false);
    let bytes = b"\xFF\xD8\xFF\xE0 a jpeg, nearly";
    let answer = post(
        &app,
        "/api/v1/documents/Upload",
        &upload_body(1, bytes, ".jpg", DocumentFields::default()),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let doc_num = answer.json()["DocNum"].as_i64().unwrap();
    let file_name = format!("SmithJane{doc_num}.jpg");
    assert_eq!(answer.json()["FileName"], file_name.as_str());
    assert!(!file_on_disk(&state, "SmithJane1", &file_name).exists());
    let listed = list(&app, 1).await;
    let row = listed.iter().find(|d| d["DocNum"] == doc_num).unwrap();
    assert_eq!(row["Note"], format!("_rawBase64_:.jpg_{}", b64(bytes)));
    assert_eq!(
        pending_import(row["Note"].as_str().unwrap()),
        Some(PendingImport::Upload)
    );

    state.knobs.set_import_uploads(true);
    let answer = post(
        &app,
        "/api/v1/documents/Upload",
        &upload_body(1, bytes, ".jpg", DocumentFields::default()),
    )
    .await;
    let file_name = answer.json()["FileName"].as_str().unwrap().to_owned();
    assert_eq!(
        std::fs::read(file_on_disk(&state, "SmithJane1", &file_name)).unwrap(),
        bytes
    );

    // The same knob as a flag.
    use clap::Parser;
    let config = Config::try_parse_from(["chairside-sandbox", "--memory", "--import-uploads=never"]).unwrap();
    assert_eq!(config.import_uploads, ImportUploads::Never);
    assert_eq!(
        Config::try_parse_from(["chairside-sandbox"]).unwrap().import_uploads,
        ImportUploads::AtOnce
    );
    let (app, _) = test_app_with(config);
    let answer = post(
        &app,
        "/api/v1/documents/Upload",
        &upload_body(2, bytes, ".jpg", DocumentFields::default()),
    )
    .await;
    let doc_num = answer.json()["DocNum"].as_i64().unwrap();
    let row = list(&app, 2)
        .await
        .into_iter()
        .find(|d| d["DocNum"] == doc_num)
        .unwrap();
    assert!(row["Note"].as_str().unwrap().starts_with("_rawBase64_:.jpg_"));
}

#[tokio::test]
async fn a_twelve_megabyte_upload_goes_through_whole() {
    let (app, state) = test_app();
    let bytes: Vec<u8> = (0..12 * 1024 * 1024u32).map(|i| (i ^ (i >> 11)) as u8).collect();
    let upload = Upload {
        pat_num: 1,
        extension: ".jpg".into(),
        ..Default::default()
    };
    // Built as the app builds it: the JSON around the data.
    let (prefix, suffix) = opendental::documents::upload_body_parts(&upload);
    let body = format!("{prefix}{}{suffix}", b64(&bytes));
    assert!(
        body.len() > 16_000_000 && body.len() <= opendental::error::MAX_BODY_CHARS,
        "{}",
        body.len()
    );
    let started = Instant::now();
    let answer = request(
        &app,
        Method::POST,
        "/api/v1/documents/Upload",
        Some(AUTH),
        Some(body.into_bytes()),
    )
    .await;
    let elapsed = started.elapsed();
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let file_name = answer.json()["FileName"].as_str().unwrap().to_owned();
    let on_disk = std::fs::read(file_on_disk(&state, "SmithJane1", &file_name)).unwrap();
    assert!(on_disk == bytes, "the file differs from the upload");
    // Generous: a debug build on a busy machine. Release is far faster.
    assert!(elapsed.as_secs() < 30, "{elapsed:?}");
    eprintln!("12 MB upload took {elapsed:?}");
}

// ---- POST SetByUrl ----

#[tokio::test]
async fn set_by_url_leaves_a_pending_download() {
    let (app, state) = test_app();
    let body = serde_json::to_value(SetByUrl {
        pat_num: 1,
        url: "https://www.somesite.com/images/myimage.jpg?size=large".into(),
        fields: DocumentFields {
            doc_category: Some(15),
            description: Some("Extraoral".into()),
            img_type: Some("Photo".into()),
            tooth_numbers: Some("1,2".into()),
            ..Default::default()
        },
    })
    .unwrap();
    let answer = post(&app, "/api/v1/documents/SetByUrl", &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let created = answer.json();
    assert_shaped_like(&created, DOC_DOCUMENT);
    let doc_num = created["DocNum"].as_i64().unwrap();
    assert_eq!(answer.headers["location"], format!("/api/v1/documents/{doc_num}"));
    assert_eq!(
        (
            &created["Description"],
            &created["docCategory"],
            &created["ImgType"],
            &created["ToothNumbers"]
        ),
        (&json!("Extraoral"), &json!("Photos"), &json!("Photo"), &json!("1,2"))
    );
    assert_eq!(created["FileName"], format!("SmithJane{doc_num}.jpg"));
    assert!(!file_on_disk(&state, "SmithJane1", &format!("SmithJane{doc_num}.jpg")).exists());
    let row = list(&app, 1)
        .await
        .into_iter()
        .find(|d| d["DocNum"] == doc_num)
        .unwrap();
    assert_eq!(
        row["Note"],
        "_download_:https://www.somesite.com/images/myimage.jpg?size=large"
    );

    // No extension in the URL: the file name has none either.
    let answer = post(
        &app,
        "/api/v1/documents/SetByUrl",
        &json!({"PatNum": SMITH_JOHN, "url": "http://x.example/get?id=4"}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let d = answer.json();
    assert_eq!(d["FileName"], format!("SmithJohn{}", d["DocNum"]));
    assert_eq!((&d["DocCategory"], &d["ImgType"]), (&json!(13), &json!("Document")));

    let cases = [
        (json!({"url": "https://x.example/a.jpg"}), "PatNum is required"),
        (json!({"PatNum": SMITH_JANE}), "url is required"),
        (json!({"PatNum": SMITH_JANE, "url": " "}), "url is required"),
        (json!({"PatNum": SMITH_JANE, "url": "ftp://x.example/a.jpg"}), "http"),
        (json!({"PatNum": SMITH_JANE, "url": "x.example/a.jpg"}), "http"),
        (
            json!({"PatNum": SMITH_JANE, "url": "https://x.example/a.jpg", "ImgType": "Scan"}),
            "ImgType",
        ),
        (
            json!({"PatNum": SMITH_JANE, "url": "https://x.example/a.jpg", "ToothNumbers": "0"}),
            "ToothNumbers",
        ),
        (
            json!({"PatNum": SMITH_JANE, "url": "https://x.example/a.jpg", "DateCreated": "today"}),
            "DateCreated",
        ),
    ];
    for (body, expected) in cases {
        let text = post(&app, "/api/v1/documents/SetByUrl", &body)
            .await
            .assert_failure(400)
            .to_owned();
        assert!(text.contains(expected), "{body}: {text}");
    }
    post(
        &app,
        "/api/v1/documents/SetByUrl",
        &json!({"PatNum": 9999, "url": "https://x.example/a.jpg"}),
    )
    .await
    .assert_failure(404);
}

// ---- PUT ----

#[tokio::test]
async fn put_changes_only_the_fields_sent() {
    let (app, _) = test_app();
    let uri = format!("/api/v1/documents/{JANE_PA_XRAY}");
    let before = get_json(&app, &uri).await;
    let answer = put(&app, &uri, &json!({"Description": "Pano"})).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let after = answer.json();
    assert_shaped_like(&after, DOC_DOCUMENT);
    for (name, value) in before.as_object().unwrap() {
        match name.as_str() {
            "Description" => assert_eq!(after[name], "Pano"),
            "DateTStamp" => assert_ne!(&after[name], value, "DateTStamp must move"),
            _ => assert_eq!(&after[name], value, "{name}"),
        }
    }

    // The documented example, every field at once.
    let answer = put(
        &app,
        &uri,
        &json!({"Description": "Pano", "DateCreated": "2024-01-25 07:45:35", "DocCategory": PHOTOS,
            "ImgType": "Radiograph", "ToothNumbers": "12-15,20,21", "ProvNum": DOC2, "PrintHeading": "true"}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let d = answer.json();
    assert_eq!(
        (
            &d["DateCreated"],
            &d["DocCategory"],
            &d["docCategory"],
            &d["ToothNumbers"],
            &d["ProvNum"],
            &d["PrintHeading"]
        ),
        (
            &json!("2024-01-25 07:45:35"),
            &json!(15),
            &json!("Photos"),
            &json!("12,13,14,15,20,21"),
            &json!(2),
            &json!("true")
        )
    );
    assert_eq!(get_json(&app, &uri).await, d);
    // The client's update type, and clearing fields.
    let update = opendental::documents::ImageInfoUpdate {
        tooth_numbers: Some(String::new()),
        prov_num: Some(0),
        print_heading: Some("false".into()),
        ..Default::default()
    };
    let d = put(&app, &uri, &serde_json::to_value(update).unwrap()).await.json();
    assert_eq!(
        (&d["ToothNumbers"], &d["ProvNum"], &d["PrintHeading"]),
        (&json!(""), &json!(0), &json!("false"))
    );
    assert_eq!(d["Description"], "Pano");
}

#[tokio::test]
async fn put_checks_each_field_and_the_document() {
    let (app, _) = test_app();
    let uri = format!("/api/v1/documents/{JANE_PATIENT_PICTURE}");
    let before = get_json(&app, &uri).await;
    let cases = [
        (json!({}), "No fields to update"),
        (json!({"Note": "not an image-info field"}), "No fields to update"),
        (json!({"ProvNum": HYG2}), "hidden provider"),
        (json!({"ProvNum": 99}), "not a provider"),
        (json!({"DocCategory": OLD_SCANS}), "hidden"),
        (json!({"DocCategory": 21}), "not an image category"),
        (json!({"ImgType": "photograph"}), "ImgType"),
        (json!({"ToothNumbers": "1,2,x"}), "ToothNumbers"),
        (json!({"DateCreated": "2024-01-25T07:45:35"}), "yyyy-MM-dd HH:mm:ss"),
        (json!({"PrintHeading": "1"}), "PrintHeading"),
        (json!({"Description": "ok", "ImgType": "bad"}), "ImgType"),
    ];
    for (body, expected) in cases {
        let text = put(&app, &uri, &body).await.assert_failure(400).to_owned();
        assert!(text.contains(expected), "{body}: {text}");
    }
    // Nothing was half-applied.
    assert_eq!(get_json(&app, &uri).await, before);
    request(&app, Method::PUT, &uri, Some(AUTH), Some(Vec::new()))
        .await
        .assert_failure(400);
    let missing = put(&app, "/api/v1/documents/9999", &json!({"Description": "x"})).await;
    assert!(missing.assert_failure(404).contains("Document not found"));
    put(&app, "/api/v1/documents/x", &json!({"Description": "x"}))
        .await
        .assert_failure(400);

    // A hidden provider the document already has may be sent back unchanged.
    let created = post(
        &app,
        "/api/v1/documents/Upload",
        &json!({"PatNum": SMITH_JANE, "rawBase64": b64(b"x"), "extension": ".txt", "ProvNum": HYG2}),
    )
    .await
    .json();
    let answer = put(
        &app,
        &format!("/api/v1/documents/{}", created["DocNum"]),
        &json!({"ProvNum": HYG2, "Description": "kept"}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    // Case of ImgType and PrintHeading does not matter; the canonical spelling is stored.
    let d = put(&app, &uri, &json!({"ImgType": "attachment", "PrintHeading": "TRUE"}))
        .await
        .json();
    assert_eq!(
        (&d["ImgType"], &d["PrintHeading"]),
        (&json!("Attachment"), &json!("true"))
    );
}

// ---- DELETE ----

#[tokio::test]
async fn delete_removes_the_row_and_its_file() {
    let (app, state) = test_app();
    let path = file_on_disk(&state, "SmithJane1", "SmithJane2.jpg");
    assert!(path.exists());
    let uri = format!("/api/v1/documents/{JANE_PA_XRAY}");
    let answer = delete(&app, &uri).await;
    assert_eq!((answer.status, answer.body.as_str()), (StatusCode::OK, ""));
    assert!(!path.exists());
    get(&app, &uri).await.assert_failure(404);
    assert!(delete(&app, &uri)
        .await
        .assert_failure(404)
        .contains("Document not found"));
    assert!(!doc_nums(&list(&app, 1).await).contains(&JANE_PA_XRAY));
    assert_eq!(list(&app, 1).await.len(), JANE_LIST_LEN - 1);
    delete(&app, "/api/v1/documents/abc").await.assert_failure(400);

    // A pending upload has no file; deleting it is fine.
    assert_eq!(
        delete(&app, &format!("/api/v1/documents/{JANE_PENDING_DOC}"))
            .await
            .status,
        StatusCode::OK
    );

    // A mount item leaves its mount; the mount stays with the rest in order.
    let item = JANE_MOUNT_ITEMS[1];
    assert_eq!(
        delete(&app, &format!("/api/v1/documents/{item}")).await.status,
        StatusCode::OK
    );
    let items: Vec<i64> = state
        .db
        .call(|conn| {
            let mut stmt = conn.prepare("SELECT DocNum FROM mountitem WHERE MountNum = ?1 ORDER BY ItemOrder")?;
            let rows = stmt.query_map([JANE_MOUNT], |r| r.get(0))?;
            rows.collect()
        })
        .unwrap();
    assert_eq!(items, [JANE_MOUNT_ITEMS[0], JANE_MOUNT_ITEMS[2], JANE_MOUNT_ITEMS[3]]);
    assert!(list(&app, 1).await.iter().any(|d| d["MountNum"] == JANE_MOUNT));

    // An uploaded document's file goes too, and its DocNum is not given out again.
    let created = post(
        &app,
        "/api/v1/documents/Upload",
        &json!({"PatNum": SMITH_JANE, "rawBase64": b64(b"x"), "extension": ".txt"}),
    )
    .await
    .json();
    let doc_num = created["DocNum"].as_i64().unwrap();
    let path = file_on_disk(&state, "SmithJane1", created["FileName"].as_str().unwrap());
    assert!(path.exists());
    assert_eq!(
        delete(&app, &format!("/api/v1/documents/{doc_num}")).await.status,
        StatusCode::OK
    );
    assert!(!path.exists());
    let next = post(
        &app,
        "/api/v1/documents/Upload",
        &json!({"PatNum": SMITH_JANE, "rawBase64": b64(b"y"), "extension": ".txt"}),
    )
    .await
    .json();
    assert!(next["DocNum"].as_i64().unwrap() > doc_num);
}

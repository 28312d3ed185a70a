//! Documents (apidocuments.md): GET single, GET multiple (documents and mounts), POST Upload,
//! POST SetByUrl, PUT (Image Info) and DELETE. Files live in the A-to-Z folder (`atoz.rs`).
//!
//! Pending imports work as in Open Dental: an upload made while `--import-uploads never` is in
//! force is only a row whose Note is `_rawBase64_:` + extension + `_` + the data (no file yet),
//! and SetByUrl always leaves `_download_:` + URL, since the sandbox does not download. With
//! `at-once` (the default) Upload writes the file and leaves the Note empty. A pending row
//! already has the FileName its file will get, so a later import only writes the file.

use crate::atoz;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Params};
use crate::state::AppState;
use crate::text;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use opendental::documents::{
    Document, DocumentFields, DocumentListItem, ImageInfoUpdate, SetByUrl, Upload, DOWNLOAD_PREFIX, IMG_TYPES,
    RAW_BASE64_PREFIX,
};
use opendental::models::def_category::IMAGE_CATS;
use opendental::tooth;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Deserialize;

/// As Open Dental's tables: a document may be an item of a mount (`mountitem.DocNum`); mount
/// items keep their order and place in the mount for composites. AUTOINCREMENT so a deleted
/// DocNum (and its file name) is never given out again, as in Open Dental's MySQL tables.
/// Enumerations are stored as the text the API uses; PrintHeading as 0/1.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS document (
    DocNum       INTEGER PRIMARY KEY AUTOINCREMENT,
    PatNum       INTEGER NOT NULL,
    Description  TEXT NOT NULL DEFAULT '',
    DateCreated  TEXT NOT NULL,
    DocCategory  INTEGER NOT NULL,
    FileName     TEXT NOT NULL DEFAULT '',
    ImgType      TEXT NOT NULL DEFAULT 'Document',
    ToothNumbers TEXT NOT NULL DEFAULT '',
    Note         TEXT NOT NULL DEFAULT '',
    ProvNum      INTEGER NOT NULL DEFAULT 0,
    PrintHeading INTEGER NOT NULL DEFAULT 0,
    DateTStamp   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS document_PatNum ON document (PatNum);
CREATE TABLE IF NOT EXISTS mount (
    MountNum    INTEGER PRIMARY KEY AUTOINCREMENT,
    PatNum      INTEGER NOT NULL,
    Description TEXT NOT NULL DEFAULT '',
    Note        TEXT NOT NULL DEFAULT '',
    DateCreated TEXT NOT NULL,
    DocCategory INTEGER NOT NULL,
    ProvNum     INTEGER NOT NULL DEFAULT 0,
    Width       INTEGER NOT NULL DEFAULT 0,
    Height      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS mount_PatNum ON mount (PatNum);
CREATE TABLE IF NOT EXISTS mountitem (
    MountItemNum INTEGER PRIMARY KEY AUTOINCREMENT,
    MountNum     INTEGER NOT NULL,
    ItemOrder    INTEGER NOT NULL,
    DocNum       INTEGER NOT NULL,
    Xpos         INTEGER NOT NULL DEFAULT 0,
    Ypos         INTEGER NOT NULL DEFAULT 0,
    Width        INTEGER NOT NULL DEFAULT 0,
    Height       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS mountitem_MountNum ON mountitem (MountNum, ItemOrder);
CREATE INDEX IF NOT EXISTS mountitem_DocNum ON mountitem (DocNum);";

/// A document with its category's name.
const SELECT_DOCUMENT: &str = "
SELECT d.*, COALESCE(c.ItemName, '') AS categoryName
FROM document d
LEFT JOIN definition c ON c.DefNum = d.DocCategory";

/// The patient's tree as Documents GET (multiple) lists it: loose documents and mounts.
/// Documents that are items of a mount are left out: they belong to their mount, as in Open
/// Dental's imaging tree (the reference page does not say; this is the sandbox's reading).
/// Ordered by DateCreated; on a tie documents come before mounts, then by number.
const SELECT_TREE: &str = "
SELECT d.DocNum, 0 AS MountNum, d.FileName, d.Description, d.Note, d.DateCreated, d.DocCategory,
       COALESCE(c.ItemName, '') AS categoryName, d.ToothNumbers, d.ProvNum, d.PrintHeading, d.DateTStamp,
       0 AS IsMount
FROM document d
LEFT JOIN definition c ON c.DefNum = d.DocCategory
WHERE d.PatNum = ?1 AND NOT EXISTS (SELECT 1 FROM mountitem mi WHERE mi.DocNum = d.DocNum)
UNION ALL
SELECT 0, m.MountNum, '', m.Description, m.Note, m.DateCreated, m.DocCategory,
       COALESCE(c.ItemName, ''), '', m.ProvNum, 0, '', 1
FROM mount m
LEFT JOIN definition c ON c.DefNum = m.DocCategory
WHERE m.PatNum = ?1
ORDER BY DateCreated, IsMount, DocNum, MountNum
LIMIT ?2 OFFSET ?3";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/documents", get(list))
        .route("/documents/Upload", post(upload))
        .route("/documents/SetByUrl", post(set_by_url))
        .route("/documents/{DocNum}", get(single).put(update).delete(delete))
        .merge(super::documents_sftp::routes())
}

// ---- GET ----

/// Documents GET (multiple).
async fn list(State(state): State<AppState>, params: Params) -> ApiResult<Json<Vec<DocumentListItem>>> {
    let pat_num = params
        .int("PatNum")?
        .ok_or_else(|| ApiError::bad_request("PatNum is required."))?;
    let paging = params.paging()?;
    let server_date_time = text::server_date_time();
    let items = with_db(&state, |conn| {
        let patient = find_patient(conn, pat_num)?;
        let mut stmt = conn.prepare(SELECT_TREE)?;
        let rows = stmt.query_map(rusqlite::params![pat_num, paging.limit, paging.offset], |row| {
            tree_item(row, &patient, &server_date_time)
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?;
    Ok(Json(items))
}

/// Documents GET (single).
async fn single(State(state): State<AppState>, Path(doc_num): Path<String>) -> ApiResult<Json<Document>> {
    let doc_num = parse_doc_num(&doc_num)?;
    with_db(&state, |conn| find_document(conn, doc_num)).map(Json)
}

fn tree_item(row: &Row, patient: &Patient, server_date_time: &str) -> rusqlite::Result<DocumentListItem> {
    let is_mount: bool = row.get("IsMount")?;
    let file_name: String = row.get("FileName")?;
    let print_heading: bool = row.get("PrintHeading")?;
    Ok(DocumentListItem {
        doc_num: row.get("DocNum")?,
        mount_num: row.get("MountNum")?,
        // Mounts have no file of their own.
        file_path: if is_mount {
            String::new()
        } else {
            atoz::server_path(&patient.image_folder, &file_name)
        },
        description: row.get("Description")?,
        pat_num: patient.pat_num,
        // As stored, pending-import markers included: the client must recognise them.
        note: row.get("Note")?,
        date_created: row.get("DateCreated")?,
        doc_category_name: row.get("categoryName")?,
        doc_category: row.get("DocCategory")?,
        tooth_numbers: row.get("ToothNumbers")?,
        prov_num: row.get("ProvNum")?,
        print_heading: if is_mount {
            String::new()
        } else {
            print_heading.to_string()
        },
        date_t_stamp: row.get("DateTStamp")?,
        server_date_time: server_date_time.to_owned(),
    })
}

fn document_from_row(row: &Row) -> rusqlite::Result<Document> {
    Ok(Document {
        doc_num: row.get("DocNum")?,
        description: row.get("Description")?,
        date_created: row.get("DateCreated")?,
        doc_category: row.get("DocCategory")?,
        doc_category_name: row.get("categoryName")?,
        pat_num: row.get("PatNum")?,
        file_name: row.get("FileName")?,
        img_type: row.get("ImgType")?,
        tooth_numbers: row.get("ToothNumbers")?,
        date_t_stamp: row.get("DateTStamp")?,
        prov_num: row.get("ProvNum")?,
        print_heading: row.get("PrintHeading")?,
    })
}

// ---- POST Upload and SetByUrl ----

/// Upload's body with the required fields optional, so that a missing one is explained as
/// "PatNum is required." rather than as a JSON error.
#[derive(Deserialize)]
struct UploadBody {
    #[serde(rename = "PatNum")]
    pat_num: Option<i64>,
    #[serde(rename = "rawBase64")]
    raw_base64: Option<String>,
    extension: Option<String>,
    #[serde(flatten)]
    fields: DocumentFields,
}

impl UploadBody {
    fn into_upload(self) -> ApiResult<Upload> {
        Ok(Upload {
            pat_num: required(self.pat_num.filter(|&n| n != 0), "PatNum")?,
            raw_base64: required(self.raw_base64.filter(|s| !s.is_empty()), "rawBase64")?,
            extension: required(self.extension.filter(|s| !s.trim().is_empty()), "extension")?,
            fields: self.fields,
        })
    }
}

#[derive(Deserialize)]
struct SetByUrlBody {
    #[serde(rename = "PatNum")]
    pat_num: Option<i64>,
    url: Option<String>,
    #[serde(flatten)]
    fields: DocumentFields,
}

impl SetByUrlBody {
    fn into_set_by_url(self) -> ApiResult<SetByUrl> {
        Ok(SetByUrl {
            pat_num: required(self.pat_num.filter(|&n| n != 0), "PatNum")?,
            url: required(self.url.filter(|s| !s.trim().is_empty()), "url")?,
            fields: self.fields,
        })
    }
}

pub(crate) fn required<T>(value: Option<T>, name: &str) -> ApiResult<T> {
    value.ok_or_else(|| ApiError::bad_request(format!("{name} is required.")))
}

/// Documents POST Upload: 201 with the new document.
async fn upload(State(state): State<AppState>, ApiJson(body): ApiJson<UploadBody>) -> ApiResult<Response> {
    let Upload {
        pat_num,
        raw_base64,
        extension,
        fields,
    } = body.into_upload()?;
    let extension = check_extension(&extension)?;
    let (patient, info) = with_db(&state, |conn| {
        let patient = find_patient(conn, pat_num)?;
        Ok((patient, check_new_fields(conn, &fields)?))
    })?;
    let bytes = decode_base64(&raw_base64)?;
    let at_once = state.knobs.import_uploads_at_once();
    let note = if at_once {
        String::new()
    } else {
        // Open Dental's marker: the extension, "_", then the data (base64 has no "_", so the
        // extension can be read back).
        let mut note = String::with_capacity(RAW_BASE64_PREFIX.len() + extension.len() + 1 + raw_base64.len());
        note.push_str(RAW_BASE64_PREFIX);
        note.push_str(&extension);
        note.push('_');
        note.push_str(&raw_base64);
        note
    };
    drop(raw_base64);
    let created = if at_once {
        insert_with_file(&state, &patient, info, &extension, bytes).await?
    } else {
        with_db(&state, |conn| insert_document(conn, &patient, info, &extension, note))?
    };
    Ok(created_response(created))
}

/// Documents POST SetByUrl: 201 with the new document, whose file stays pending.
async fn set_by_url(State(state): State<AppState>, ApiJson(body): ApiJson<SetByUrlBody>) -> ApiResult<Response> {
    let SetByUrl { pat_num, url, fields } = body.into_set_by_url()?;
    let url = check_url(&url)?;
    // The file will get the URL's extension, if it has a sensible one.
    let extension = url_extension(url).unwrap_or_default();
    let note = format!("{DOWNLOAD_PREFIX}{url}");
    let created = with_db(&state, |conn| {
        let patient = find_patient(conn, pat_num)?;
        let info = check_new_fields(conn, &fields)?;
        insert_document(conn, &patient, info, &extension, note)
    })?;
    Ok(created_response(created))
}

fn created_response(document: Document) -> Response {
    created(document.doc_num, document)
}

/// 201 with `body` and a Location header naming the new document.
pub(crate) fn created(doc_num: i64, body: impl serde::Serialize) -> Response {
    let location = format!("/api/v1/documents/{doc_num}");
    (StatusCode::CREATED, [(header::LOCATION, location)], Json(body)).into_response()
}

/// A new document whose file is stored at once (Upload, UploadSftp). No row without its file:
/// if the file cannot be written the row is removed again.
pub(crate) async fn insert_with_file(
    state: &AppState,
    patient: &Patient,
    info: ImageInfo,
    extension: &str,
    bytes: Vec<u8>,
) -> ApiResult<Document> {
    let created = with_db(state, |conn| {
        insert_document(conn, patient, info, extension, String::new())
    })?;
    let atoz_dir = state.atoz_dir.clone();
    let (folder, file_name) = (patient.image_folder.clone(), created.file_name.clone());
    let written = tokio::task::spawn_blocking(move || atoz::write_file(&atoz_dir, &folder, &file_name, &bytes))
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r.map_err(|e| e.to_string()));
    if let Err(e) = written {
        let doc_num = created.doc_num;
        with_db(state, |conn| {
            conn.execute("DELETE FROM document WHERE DocNum = ?1", [doc_num])?;
            Ok(())
        })?;
        return Err(ApiError::Internal(format!(
            "The sandbox could not write the file to its A-to-Z folder: {e}"
        )));
    }
    Ok(created)
}

/// Inserts the row; its FileName needs the DocNum, so it is set in the same transaction.
pub(crate) fn insert_document(
    conn: &mut Connection,
    patient: &Patient,
    info: ImageInfo,
    extension: &str,
    note: String,
) -> ApiResult<Document> {
    let now = text::server_date_time();
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO document (PatNum, Description, DateCreated, DocCategory, ImgType, ToothNumbers, Note,
             ProvNum, PrintHeading, DateTStamp)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        rusqlite::params![
            patient.pat_num,
            info.description.unwrap_or_default(),
            info.date_created.unwrap_or_else(|| now.clone()),
            info.doc_category,
            info.img_type.unwrap_or("Document"),
            info.tooth_numbers.unwrap_or_default(),
            note,
            info.prov_num.unwrap_or(0),
            info.print_heading.unwrap_or(false),
            now,
        ],
    )?;
    let doc_num = tx.last_insert_rowid();
    let file_name = atoz::document_file_name(&patient.l_name, &patient.f_name, doc_num, extension);
    tx.execute(
        "UPDATE document SET FileName = ?1 WHERE DocNum = ?2",
        rusqlite::params![file_name, doc_num],
    )?;
    let document = find_document(&tx, doc_num)?;
    tx.commit()?;
    Ok(document)
}

// ---- PUT and DELETE ----

/// Documents PUT: changes only the fields sent. An empty object is refused, since a request
/// that changes nothing is most likely a client bug.
async fn update(
    State(state): State<AppState>,
    Path(doc_num): Path<String>,
    ApiJson(changes): ApiJson<ImageInfoUpdate>,
) -> ApiResult<Json<Document>> {
    let doc_num = parse_doc_num(&doc_num)?;
    if changes == ImageInfoUpdate::default() {
        return Err(ApiError::bad_request(
            "No fields to update. Send at least one of Description, DateCreated, DocCategory, ImgType, ToothNumbers, \
             ProvNum, PrintHeading.",
        ));
    }
    let document = with_db(&state, |conn| {
        let current = find_document(conn, doc_num)?;
        let info = check_fields(conn, &changes, Some(&current))?;
        let tx = conn.transaction()?;
        let set = |column: &str, value: Value| {
            tx.execute(
                &format!("UPDATE document SET {column} = ?1 WHERE DocNum = ?2"),
                rusqlite::params![value, doc_num],
            )
        };
        if let Some(v) = info.description {
            set("Description", Value::Text(v))?;
        }
        if let Some(v) = info.date_created {
            set("DateCreated", Value::Text(v))?;
        }
        set("DocCategory", Value::Integer(info.doc_category))?;
        if let Some(v) = info.img_type {
            set("ImgType", Value::Text(v.to_owned()))?;
        }
        if let Some(v) = info.tooth_numbers {
            set("ToothNumbers", Value::Text(v))?;
        }
        if let Some(v) = info.prov_num {
            set("ProvNum", Value::Integer(v))?;
        }
        if let Some(v) = info.print_heading {
            set("PrintHeading", Value::Integer(v.into()))?;
        }
        set("DateTStamp", Value::Text(text::server_date_time()))?;
        let document = find_document(&tx, doc_num)?;
        tx.commit()?;
        Ok(document)
    })?;
    Ok(Json(document))
}

/// Documents DELETE: the row, its place in a mount, and its file. 200 with an empty body.
async fn delete(State(state): State<AppState>, Path(doc_num): Path<String>) -> ApiResult<StatusCode> {
    let doc_num = parse_doc_num(&doc_num)?;
    let (image_folder, file_name) = with_db(&state, |conn| {
        let document = find_document(conn, doc_num)?;
        let patient = find_patient(conn, document.pat_num)?;
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM mountitem WHERE DocNum = ?1", [doc_num])?;
        tx.execute("DELETE FROM document WHERE DocNum = ?1", [doc_num])?;
        tx.commit()?;
        Ok((patient.image_folder, document.file_name))
    })?;
    // A pending import has no file yet, and a file name the sandbox would not have made
    // (a hand-edited row) is left alone rather than refused: the row is gone either way.
    if !file_name.is_empty() {
        let _ = atoz::remove_file(&state.atoz_dir, &image_folder, &file_name);
    }
    Ok(StatusCode::OK)
}

// ---- Lookups ----

/// Runs `f` on the database; `f` may fail with any API error (404, 400) as well as SQL ones.
pub(crate) fn with_db<T>(state: &AppState, f: impl FnOnce(&mut Connection) -> ApiResult<T>) -> ApiResult<T> {
    state.db.call(|conn| Ok(f(conn)))?
}

fn parse_doc_num(doc_num: &str) -> ApiResult<i64> {
    doc_num
        .trim()
        .parse()
        .map_err(|_| ApiError::bad_request(format!("DocNum \"{doc_num}\" is not a number.")))
}

pub(crate) fn find_document(conn: &Connection, doc_num: i64) -> ApiResult<Document> {
    conn.query_row(
        &format!("{SELECT_DOCUMENT} WHERE d.DocNum = ?1"),
        [doc_num],
        document_from_row,
    )
    .optional()?
    .ok_or_else(|| ApiError::not_found("Document not found."))
}

/// What a document's file name and folder need from its patient.
pub(crate) struct Patient {
    pub pat_num: i64,
    pub l_name: String,
    pub f_name: String,
    pub image_folder: String,
}

/// The patient, with an image folder: like Open Dental, one is named and saved the first
/// time a patient without one gets a document.
pub(crate) fn find_patient(conn: &Connection, pat_num: i64) -> ApiResult<Patient> {
    let patient = conn
        .query_row(
            "SELECT PatNum, LName, FName, ImageFolder FROM patient WHERE PatNum = ?1 AND PatStatus <> 'Deleted'",
            [pat_num],
            |row| {
                Ok(Patient {
                    pat_num: row.get(0)?,
                    l_name: row.get(1)?,
                    f_name: row.get(2)?,
                    image_folder: row.get(3)?,
                })
            },
        )
        .optional()?;
    let mut patient = patient.ok_or_else(|| ApiError::not_found("Patient not found."))?;
    if patient.image_folder.is_empty() {
        patient.image_folder = text::image_folder_name(&patient.l_name, &patient.f_name, pat_num);
        conn.execute(
            "UPDATE patient SET ImageFolder = ?1 WHERE PatNum = ?2",
            rusqlite::params![patient.image_folder, pat_num],
        )?;
    }
    Ok(patient)
}

// ---- Checking fields ----

/// Image-info fields after checking; `None` = not sent. The category is always known: the
/// default (new documents) or the current one (PUT) when not sent.
pub(crate) struct ImageInfo {
    description: Option<String>,
    date_created: Option<String>,
    doc_category: i64,
    img_type: Option<&'static str>,
    tooth_numbers: Option<String>,
    prov_num: Option<i64>,
    print_heading: Option<bool>,
}

/// Upload and SetByUrl: any provider on file (or 0) may be named.
pub(crate) fn check_new_fields(conn: &Connection, fields: &DocumentFields) -> ApiResult<ImageInfo> {
    check_fields(conn, fields, None)
}

/// Checks every field sent. For PUT (`current` given) the provider must not be hidden, as
/// documented; a hidden category or provider the document already has may be sent back
/// unchanged, so a form that sends every field still works.
fn check_fields(conn: &Connection, fields: &DocumentFields, current: Option<&Document>) -> ApiResult<ImageInfo> {
    let doc_category = match (fields.doc_category, current) {
        (Some(def_num), _) => check_category(conn, def_num, current.map(|d| d.doc_category))?,
        (None, Some(current)) => current.doc_category,
        (None, None) => default_category(conn)?,
    };
    let prov_num = match fields.prov_num {
        Some(prov_num) => Some(check_provider(conn, prov_num, current.map(|d| d.prov_num))?),
        None => None,
    };
    Ok(ImageInfo {
        description: fields.description.clone(),
        date_created: fields.date_created.as_deref().map(check_date_time).transpose()?,
        doc_category,
        img_type: fields.img_type.as_deref().map(check_img_type).transpose()?,
        tooth_numbers: fields.tooth_numbers.as_deref().map(check_tooth_numbers).transpose()?,
        prov_num,
        print_heading: fields.print_heading.as_deref().map(check_print_heading).transpose()?,
    })
}

/// "Default is first in DocCategory": the first visible image category in definition order.
fn default_category(conn: &Connection) -> ApiResult<i64> {
    conn.query_row(
        "SELECT DefNum FROM definition WHERE Category = ?1 AND IsHidden = 0 ORDER BY ItemOrder, DefNum LIMIT 1",
        [IMAGE_CATS],
        |row| row.get(0),
    )
    .optional()?
    .ok_or_else(|| ApiError::bad_request("There are no image categories (definitions with Category 18)."))
}

/// A visible image category; a hidden one only if it is `current`.
fn check_category(conn: &Connection, def_num: i64, current: Option<i64>) -> ApiResult<i64> {
    let hidden: Option<bool> = conn
        .query_row(
            "SELECT IsHidden FROM definition WHERE DefNum = ?1 AND Category = ?2",
            [def_num, IMAGE_CATS],
            |row| row.get(0),
        )
        .optional()?;
    match hidden {
        None => Err(ApiError::bad_request(format!(
            "DocCategory {def_num} is not an image category: use the DefNum of a definition with Category 18."
        ))),
        Some(true) if current != Some(def_num) => Err(ApiError::bad_request(format!(
            "DocCategory {def_num} is a hidden image category: choose a visible one."
        ))),
        Some(_) => Ok(def_num),
    }
}

/// 0 (none) or a provider on file. For PUT (`current` given) the provider must not be hidden
/// unless it is the document's provider already.
fn check_provider(conn: &Connection, prov_num: i64, current: Option<i64>) -> ApiResult<i64> {
    if prov_num == 0 {
        return Ok(0);
    }
    let hidden: Option<bool> = conn
        .query_row("SELECT IsHidden FROM provider WHERE ProvNum = ?1", [prov_num], |row| {
            row.get(0)
        })
        .optional()?;
    match hidden {
        None => Err(ApiError::bad_request(format!(
            "ProvNum {prov_num} is not a provider: use 0 or the ProvNum of a provider."
        ))),
        Some(true) if current.is_some_and(|c| c != prov_num) => Err(ApiError::bad_request(format!(
            "ProvNum {prov_num} is a hidden provider: use 0 or a provider who is not hidden."
        ))),
        Some(_) => Ok(prov_num),
    }
}

fn check_date_time(value: &str) -> ApiResult<String> {
    let value = value.trim();
    if text::is_date_time(value) {
        Ok(value.to_owned())
    } else {
        Err(ApiError::bad_request(format!(
            "DateCreated \"{value}\" is not a date and time: use yyyy-MM-dd HH:mm:ss format."
        )))
    }
}

/// One of the five types, in its canonical spelling whatever the case sent.
fn check_img_type(value: &str) -> ApiResult<&'static str> {
    IMG_TYPES
        .iter()
        .find(|t| t.eq_ignore_ascii_case(value.trim()))
        .copied()
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "ImgType \"{value}\" is not valid: use one of {}.",
                IMG_TYPES.join(", ")
            ))
        })
}

/// Stored expanded, as Open Dental does: "1-5,8" -> "1,2,3,4,5,8".
fn check_tooth_numbers(value: &str) -> ApiResult<String> {
    tooth::expand(value).map_err(|why| ApiError::bad_request(format!("ToothNumbers \"{value}\" is not valid: {why}")))
}

fn check_print_heading(value: &str) -> ApiResult<bool> {
    match value.trim() {
        v if v.eq_ignore_ascii_case("true") => Ok(true),
        v if v.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(ApiError::bad_request(format!(
            "PrintHeading must be \"true\" or \"false\", not \"{value}\"."
        ))),
    }
}

/// ".jpg": a dot and 1-10 letters or digits. "jpg" without the dot is taken as ".jpg", since
/// the intent is plain; the case is kept, as Open Dental keeps it.
pub(crate) fn check_extension(value: &str) -> ApiResult<String> {
    let value = value.trim();
    let bare = value.strip_prefix('.').unwrap_or(value);
    if (1..=10).contains(&bare.len()) && bare.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(format!(".{bare}"))
    } else {
        Err(ApiError::bad_request(format!(
            "extension \"{value}\" is not a file extension: send a dot and 1 to 10 letters or digits, such as \".jpg\" \
             or \".pdf\"."
        )))
    }
}

/// The file's bytes. Whitespace (line breaks every 76 characters, as some encoders write) is
/// ignored, as .NET's Convert.FromBase64String does; anything else must be standard base64.
pub(crate) fn decode_base64(raw: &str) -> ApiResult<Vec<u8>> {
    let engine = base64::engine::general_purpose::STANDARD;
    let decoded = if raw.bytes().any(|b| b.is_ascii_whitespace()) {
        let compact: Vec<u8> = raw.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        engine.decode(compact)
    } else {
        engine.decode(raw)
    };
    decoded.map_err(|e| {
        let hint = if raw.starts_with("data:") {
            " Send only the base64 data, without the \"data:...;base64,\" prefix of a data URL."
        } else {
            " Use standard base64 (A-Z, a-z, 0-9, + and /, padded with =)."
        };
        ApiError::bad_request(format!("rawBase64 is not valid base64: {e}.{hint}"))
    })
}

/// An absolute http or https URL with a host.
fn check_url(value: &str) -> ApiResult<&str> {
    let url = value.trim();
    let lower = url.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
    match host {
        Some(host) if !host.is_empty() && !host.starts_with(':') && !url.contains(char::is_whitespace) => Ok(url),
        _ => Err(ApiError::bad_request(format!(
            "url \"{value}\" is not a web address: send an absolute http:// or https:// URL."
        ))),
    }
}

/// ".jpg" for "https://x/images/photo.JPG?size=2"; `None` if the last segment has none.
fn url_extension(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next()?;
    let after_scheme = path.split_once("://").map_or(path, |(_, rest)| rest);
    let (_, path) = after_scheme.split_once('/')?;
    opendental::documents::extension_of(path.rsplit('/').next()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_get_their_dot_and_are_checked() {
        assert_eq!(check_extension(".jpg").unwrap(), ".jpg");
        assert_eq!(check_extension("PDF").unwrap(), ".PDF");
        assert_eq!(check_extension(" .jpeg ").unwrap(), ".jpeg");
        for bad in ["", ".", "..jpg", ".j pg", ".abcdefghijk", "a/b", ".tar.gz"] {
            assert!(check_extension(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn base64_is_decoded_with_whitespace_ignored_and_explained_when_wrong() {
        assert_eq!(decode_base64("QUJD").unwrap(), b"ABC");
        assert_eq!(decode_base64("QU\r\nJD").unwrap(), b"ABC");
        assert!(decode_base64("QUJ").is_err());
        assert!(decode_base64("QU*D").is_err());
        let data_url = decode_base64("data:image/png;base64,QUJD").unwrap_err();
        assert!(data_url.explanation().contains("data URL"), "{data_url}");
    }

    #[test]
    fn urls_must_be_absolute_http() {
        assert!(check_url("https://www.somesite.com/myimage.jpg").is_ok());
        assert!(check_url("HTTP://127.0.0.1:8080/x").is_ok());
        for bad in [
            "ftp://x/y.jpg",
            "www.somesite.com/a.jpg",
            "https://",
            "https:///a",
            "http://a b/c",
            "/x.jpg",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
        assert_eq!(
            url_extension("https://x/images/photo.JPG?size=2").as_deref(),
            Some(".jpg")
        );
        assert_eq!(url_extension("https://x/images/"), None);
        assert_eq!(url_extension("https://x.com"), None);
        assert_eq!(url_extension("https://x/download?id=3"), None);
    }

    #[test]
    fn simple_fields_are_checked_and_normalised() {
        assert_eq!(check_img_type("radiograph").unwrap(), "Radiograph");
        assert!(check_img_type("Xray").is_err());
        assert_eq!(check_tooth_numbers("1-5,8").unwrap(), "1,2,3,4,5,8");
        assert!(check_tooth_numbers("33").unwrap_err().explanation().contains("1–32"));
        assert!(check_print_heading("TRUE").unwrap());
        assert!(check_print_heading("yes").is_err());
        assert_eq!(check_date_time("2024-01-25 07:45:35").unwrap(), "2024-01-25 07:45:35");
        assert!(check_date_time("2024-01-25").is_err());
    }
}

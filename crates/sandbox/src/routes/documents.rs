//! Documents (apidocuments.md): GET single, GET multiple (documents and mounts), POST Upload,
//! POST SetByUrl, PUT (Image Info) and DELETE. Files live in the A-to-Z folder (`atoz.rs`).
//!
//! Pending imports work as in Open Dental: an upload made while `--import-uploads never` is in
//! force is only a row whose Note is `_rawBase64_:` + extension + `_` + the data (no file yet),
//! and SetByUrl always leaves `_download_:` + URL, since the sandbox does not download. With
//! `at-once` (the default) Upload writes the file and leaves the Note empty. A pending row
//! already has the FileName its file will get, so a later import only writes the file.

use super::created_document;
use crate::atoz;
use crate::error::{ApiError, ApiResult};
use crate::extract::{required, ApiJson, Params, PathNum};
use crate::state::AppState;
use crate::store::documents::{
    check_extension, check_fields, check_new_fields, decode_base64, find_document, find_patient, insert_document,
    insert_with_file, Patient,
};
use crate::text;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use opendental::documents::{
    Document, DocumentFields, DocumentListItem, ImageInfoUpdate, SetByUrl, Upload, DOWNLOAD_PREFIX, RAW_BASE64_PREFIX,
};
use rusqlite::types::Value;
use rusqlite::Row;
use serde::Deserialize;

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
}

// ---- GET ----

/// Documents GET (multiple).
async fn list(State(state): State<AppState>, params: Params) -> ApiResult<Json<Vec<DocumentListItem>>> {
    let pat_num = params
        .int("PatNum")?
        .ok_or_else(|| ApiError::bad_request("PatNum is required."))?;
    let paging = params.paging()?;
    let server_date_time = text::server_date_time();
    let items = state.db.with_db(|conn| {
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
async fn single(State(state): State<AppState>, PathNum(doc_num): PathNum) -> ApiResult<Json<Document>> {
    state.db.with_db(|conn| find_document(conn, doc_num)).map(Json)
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

/// Documents POST Upload: 201 with the new document.
async fn upload(State(state): State<AppState>, ApiJson(body): ApiJson<UploadBody>) -> ApiResult<Response> {
    let Upload {
        pat_num,
        raw_base64,
        extension,
        fields,
    } = body.into_upload()?;
    let extension = check_extension(&extension)?;
    let (patient, info) = state.db.with_db(|conn| {
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
        state
            .db
            .with_db(|conn| insert_document(conn, &patient, info, &extension, note))?
    };
    Ok(created_document(created.doc_num, created))
}

/// Documents POST SetByUrl: 201 with the new document, whose file stays pending.
async fn set_by_url(State(state): State<AppState>, ApiJson(body): ApiJson<SetByUrlBody>) -> ApiResult<Response> {
    let SetByUrl { pat_num, url, fields } = body.into_set_by_url()?;
    let url = check_url(&url)?;
    // The file will get the URL's extension, if it has a sensible one.
    let extension = url_extension(url).unwrap_or_default();
    let note = format!("{DOWNLOAD_PREFIX}{url}");
    let created = state.db.with_db(|conn| {
        let patient = find_patient(conn, pat_num)?;
        let info = check_new_fields(conn, &fields)?;
        insert_document(conn, &patient, info, &extension, note)
    })?;
    Ok(created_document(created.doc_num, created))
}

// ---- PUT and DELETE ----

/// Documents PUT: changes only the fields sent. An empty object is refused, since a request
/// that changes nothing is most likely a client bug.
async fn update(
    State(state): State<AppState>,
    PathNum(doc_num): PathNum,
    ApiJson(changes): ApiJson<ImageInfoUpdate>,
) -> ApiResult<Json<Document>> {
    if changes == ImageInfoUpdate::default() {
        return Err(ApiError::bad_request(
            "No fields to update. Send at least one of Description, DateCreated, DocCategory, ImgType, ToothNumbers, \
             ProvNum, PrintHeading.",
        ));
    }
    let document = state.db.with_db(|conn| {
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
async fn delete(State(state): State<AppState>, PathNum(doc_num): PathNum) -> ApiResult<StatusCode> {
    let (image_folder, file_name) = state.db.with_db(|conn| {
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
}

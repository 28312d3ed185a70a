//! The documents store: what the document routes (routes/documents.rs) and the SFTP ones
//! (routes/documents_sftp.rs) share about stored documents and their patients. Finding rows,
//! inserting a document (with its file, or pending), and checking the fields a client sends
//! against the practice's definitions and providers. No HTTP here: callers answer.

use crate::atoz;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::text;
use base64::Engine;
use opendental::documents::{Document, DocumentFields, IMG_TYPES};
use opendental::models::def_category::IMAGE_CATS;
use opendental::tooth;
use rusqlite::{Connection, OptionalExtension, Row};

/// A document with its category's name.
const SELECT_DOCUMENT: &str = "
SELECT d.*, COALESCE(c.ItemName, '') AS categoryName
FROM document d
LEFT JOIN definition c ON c.DefNum = d.DocCategory";

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

// ---- Inserting ----

/// A new document whose file is stored at once (Upload, UploadSftp). No row without its file:
/// if the file cannot be written the row is removed again.
pub(crate) async fn insert_with_file(
    state: &AppState,
    patient: &Patient,
    info: ImageInfo,
    extension: &str,
    bytes: Vec<u8>,
) -> ApiResult<Document> {
    let created = state
        .db
        .with_db(|conn| insert_document(conn, patient, info, extension, String::new()))?;
    let atoz_dir = state.atoz_dir.clone();
    let (folder, file_name) = (patient.image_folder.clone(), created.file_name.clone());
    let written = tokio::task::spawn_blocking(move || atoz::write_file(&atoz_dir, &folder, &file_name, &bytes))
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r.map_err(|e| e.to_string()));
    if let Err(e) = written {
        let doc_num = created.doc_num;
        state.db.with_db(|conn| {
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

// ---- Checking fields ----

/// Image-info fields after checking; `None` = not sent. The category is always known: the
/// default (new documents) or the current one (PUT) when not sent.
pub(crate) struct ImageInfo {
    pub description: Option<String>,
    pub date_created: Option<String>,
    pub doc_category: i64,
    pub img_type: Option<&'static str>,
    pub tooth_numbers: Option<String>,
    pub prov_num: Option<i64>,
    pub print_heading: Option<bool>,
}

/// Upload and SetByUrl: any provider on file (or 0) may be named.
pub(crate) fn check_new_fields(conn: &Connection, fields: &DocumentFields) -> ApiResult<ImageInfo> {
    check_fields(conn, fields, None)
}

/// Checks every field sent. For PUT (`current` given) the provider must not be hidden, as
/// documented; a hidden category or provider the document already has may be sent back
/// unchanged, so a form that sends every field still works.
pub(crate) fn check_fields(
    conn: &Connection,
    fields: &DocumentFields,
    current: Option<&Document>,
) -> ApiResult<ImageInfo> {
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

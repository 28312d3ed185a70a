//! The SFTP document methods (apidocuments.md): POST UploadSftp, DownloadSftp (a document, or
//! a mount's composite image), Thumbnails and DownloadMount, talking to the SFTP site the
//! request names through `sftp.rs`.
//!
//! Everything that needs no network is checked first (required fields, the address, the
//! patient, document or mount, the extension), so a bad request never opens a connection.
//! A document still pending import (`_rawBase64_:` in its Note) is imported when its file is
//! needed, as Open Dental imports it when the document is first opened.

use super::documents::{
    check_extension, check_new_fields, created, decode_base64, find_document, find_patient, insert_with_file, required,
    with_db, Patient,
};
use crate::atoz;
use crate::error::{ApiError, ApiResult};
use crate::extract::parse_json;
use crate::imaging::{self, MountItem};
use crate::sftp::Sftp;
use crate::state::AppState;
use crate::text;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use opendental::documents::{extension_of, pending_import, DocumentFields, PendingImport, RAW_BASE64_PREFIX};
use opendental::sftp::{
    DownloadItem, SftpAddress, SftpFile, SftpLocation, SftpUploaded, NO_MOUNT_IMAGES, NO_THUMBNAILS,
};
use rusqlite::OptionalExtension;
use serde::de::DeserializeOwned;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/documents/UploadSftp", post(upload_sftp))
        .route("/documents/DownloadSftp", post(download_sftp))
        .route("/documents/Thumbnails", post(thumbnails))
        .route("/documents/DownloadMount", post(download_mount))
}

// ---- The login every method carries ----

/// A JSON body like `ApiJson`, except that an explanation never repeats the password, even
/// when it was sent as the wrong type (serde quotes such values).
struct SftpJson<T>(T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for SftpJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> ApiResult<Self> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::bad_request(format!("The request body could not be read: {}", e.body_text())))?;
        // Syntax errors name a line and column, never the text.
        let value: serde_json::Value = parse_json(&bytes)?;
        let password = match value.get("SftpPassword") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        serde_json::from_value(value).map(SftpJson).map_err(|e| {
            let mut explanation = format!("The request body has an invalid field: {e}.");
            if !password.is_empty() {
                explanation = explanation.replace(&password, "•••");
            }
            ApiError::bad_request(explanation)
        })
    }
}

/// As sent; each field is required. No Debug: it holds the password.
#[derive(Deserialize)]
struct LoginFields {
    #[serde(rename = "SftpAddress")]
    address: Option<String>,
    #[serde(rename = "SftpUsername")]
    username: Option<String>,
    #[serde(rename = "SftpPassword")]
    password: Option<String>,
}

struct Login {
    address: SftpAddress,
    username: String,
    password: String,
}

impl LoginFields {
    fn check(self) -> ApiResult<Login> {
        let address = required(self.address.filter(|s| !s.trim().is_empty()), "SftpAddress")?;
        let username = required(self.username.filter(|s| !s.is_empty()), "SftpUsername")?;
        let password = required(self.password.filter(|s| !s.is_empty()), "SftpPassword")?;
        Ok(Login {
            address: SftpAddress::parse(&address).map_err(ApiError::bad_request)?,
            username,
            password,
        })
    }
}

impl Login {
    async fn connect(&self) -> ApiResult<Sftp> {
        Sftp::connect(&self.address, &self.username, &self.password).await
    }
}

// ---- UploadSftp ----

#[derive(Deserialize)]
struct UploadSftpBody {
    #[serde(rename = "PatNum")]
    pat_num: Option<i64>,
    #[serde(flatten)]
    login: LoginFields,
    #[serde(flatten)]
    fields: DocumentFields,
}

/// Pulls the file at the address into the patient's documents: 201 with the new document.
async fn upload_sftp(State(state): State<AppState>, SftpJson(body): SftpJson<UploadSftpBody>) -> ApiResult<Response> {
    let pat_num = required(body.pat_num.filter(|&n| n != 0), "PatNum")?;
    let login = body.login.check()?;
    let file_name = login.address.file_name.clone().ok_or_else(|| {
        ApiError::bad_request(
            "SftpAddress names a folder: end it with the file's name, such as MySftpSite/Documents/scan.png.",
        )
    })?;
    let extension = extension_of(&file_name).ok_or_else(|| {
        ApiError::bad_request(format!(
            "Invalid file extension: \"{file_name}\" has none. Open Dental stores a file by its extension, such as \
             .jpg or .pdf."
        ))
    })?;
    // As sent ("Scan.PNG" keeps ".PNG"), like Upload's extension.
    let extension = check_extension(&file_name[file_name.len() - extension.len()..])?;
    let (patient, info) = with_db(&state, |conn| {
        let patient = find_patient(conn, pat_num)?;
        Ok((patient, check_new_fields(conn, &body.fields)?))
    })?;

    let sftp = login.connect().await?;
    let path = login.address.file_path(&file_name);
    let read = sftp.read(&path).await;
    sftp.close().await;
    let bytes = read?;

    let document = insert_with_file(&state, &patient, info, &extension, bytes).await?;
    let answer = SftpUploaded {
        doc_num: document.doc_num,
        file_path: atoz::server_path(&patient.image_folder, &document.file_name),
        description: document.description,
        tooth_numbers: document.tooth_numbers,
        note: String::new(),
        date_created: document.date_created,
        date_t_stamp: document.date_t_stamp,
        doc_category: document.doc_category,
        doc_category_name: document.doc_category_name,
        server_date_time: text::server_date_time(),
    };
    Ok(created(answer.doc_num, answer))
}

// ---- DownloadSftp ----

#[derive(Deserialize)]
struct DownloadSftpBody {
    #[serde(rename = "DocNum")]
    doc_num: Option<i64>,
    #[serde(rename = "MountNum")]
    mount_num: Option<i64>,
    #[serde(flatten)]
    login: LoginFields,
}

/// Writes a document's file, or a mount's composite, to the address: 201 with its location.
async fn download_sftp(
    State(state): State<AppState>,
    SftpJson(body): SftpJson<DownloadSftpBody>,
) -> ApiResult<Response> {
    let item = match (body.doc_num.filter(|&n| n != 0), body.mount_num.filter(|&n| n != 0)) {
        (Some(doc_num), None) => DownloadItem::Document(doc_num),
        (None, Some(mount_num)) => DownloadItem::Mount(mount_num),
        (None, None) => return Err(ApiError::bad_request("DocNum or MountNum is required.")),
        (Some(_), Some(_)) => return Err(ApiError::bad_request("Send DocNum or MountNum, not both.")),
    };
    let login = body.login.check()?;
    let (path, bytes) = match item {
        DownloadItem::Document(doc_num) => {
            let document = with_db(&state, |conn| find_document(conn, doc_num))?;
            let ours = extension_of(&document.file_name).unwrap_or_default();
            if let Some(asked) = &login.address.file_name {
                let theirs = extension_of(asked).unwrap_or_default();
                if theirs != ours {
                    return Err(ApiError::bad_request(format!(
                        "Invalid file extension: document {doc_num} is a {} file, so SftpAddress must name a {} \
                         file (or end in / to use its file name, {}).",
                        shown_extension(&ours),
                        shown_extension(&ours),
                        document.file_name
                    )));
                }
            }
            let bytes = document_file(&state, doc_num).await?.ok_or_else(|| {
                ApiError::bad_request(format!(
                    "Document {doc_num} has no file yet: Open Dental has not downloaded it from its URL."
                ))
            })?;
            (login.address.file_path(&document.file_name), bytes)
        }
        DownloadItem::Mount(mount_num) => {
            let default_name = format!("Mount{mount_num}.jpg");
            let asked = login.address.file_name.as_deref().unwrap_or(&default_name);
            let format = extension_of(asked)
                .as_deref()
                .and_then(imaging::image_format)
                .filter(|f| matches!(f, image::ImageFormat::Jpeg | image::ImageFormat::Png))
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "Invalid file extension: a mount's composite image is written as .jpg or .png, not \"{asked}\"."
                    ))
                })?;
            let mount = with_db(&state, |conn| find_mount(conn, mount_num))?;
            let mut items = Vec::with_capacity(mount.items.len());
            for place in &mount.items {
                let image = match place.doc_num {
                    Some(doc_num) => document_file(&state, doc_num).await?,
                    None => None,
                };
                items.push(MountItem {
                    x: place.x,
                    y: place.y,
                    width: place.width,
                    height: place.height,
                    image,
                });
            }
            let bytes =
                tokio::task::spawn_blocking(move || imaging::composite(mount.width, mount.height, &items, format))
                    .await
                    .map_err(|e| ApiError::Internal(e.to_string()))?
                    .map_err(ApiError::Internal)?;
            (login.address.file_path(&default_name), bytes)
        }
    };
    let sftp = login.connect().await?;
    let written = sftp.write(&path, &bytes).await;
    sftp.close().await;
    written?;
    let location = SftpLocation {
        location: login.address.location(&path),
    };
    Ok((StatusCode::CREATED, Json(location)).into_response())
}

fn shown_extension(extension: &str) -> String {
    if extension.is_empty() {
        "extensionless".into()
    } else {
        extension.to_owned()
    }
}

// ---- Thumbnails ----

#[derive(Deserialize)]
struct ThumbnailsBody {
    #[serde(rename = "PatNum")]
    pat_num: Option<i64>,
    #[serde(flatten)]
    login: LoginFields,
}

/// Writes a 100×100 thumbnail of each of the patient's image documents into the address's
/// folder, named as the document's file: 201 with the files, or 200 with a message if none.
async fn thumbnails(State(state): State<AppState>, SftpJson(body): SftpJson<ThumbnailsBody>) -> ApiResult<Response> {
    let pat_num = required(body.pat_num.filter(|&n| n != 0), "PatNum")?;
    let login = body.login.check()?;
    let (patient, documents, mounts) = with_db(&state, |conn| {
        let patient = find_patient(conn, pat_num)?;
        // The documents Documents GET lists: mount items belong to their mount.
        let mut stmt = conn.prepare(
            "SELECT DocNum, FileName FROM document d WHERE PatNum = ?1
               AND NOT EXISTS (SELECT 1 FROM mountitem mi WHERE mi.DocNum = d.DocNum)
             ORDER BY DateCreated, DocNum",
        )?;
        let documents = stmt
            .query_map([pat_num], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mounts: i64 = conn.query_row("SELECT COUNT(*) FROM mount WHERE PatNum = ?1", [pat_num], |row| {
            row.get(0)
        })?;
        Ok((patient, documents, mounts))
    })?;
    if documents.is_empty() && mounts == 0 {
        return Err(ApiError::not_found("No documents exist for this patient."));
    }
    let mut made = Vec::new();
    for (doc_num, file_name) in documents {
        let Some(format) = extension_of(&file_name).as_deref().and_then(imaging::image_format) else {
            continue;
        };
        if let Some(bytes) = thumbnail(&state, &patient, doc_num, &file_name, format).await? {
            made.push((SftpFile { doc_num, file_name }, bytes));
        }
    }
    if made.is_empty() {
        return Ok((StatusCode::OK, Json(NO_THUMBNAILS)).into_response());
    }
    write_files(&login, login.address.as_folder(), made).await
}

/// The document's thumbnail, made once and kept in the patient's Thumbnails folder as Open
/// Dental keeps them; `None` if the document has no file or it is not a readable image.
async fn thumbnail(
    state: &AppState,
    patient: &Patient,
    doc_num: i64,
    file_name: &str,
    format: image::ImageFormat,
) -> ApiResult<Option<Vec<u8>>> {
    let cached = atoz::file_path(&state.atoz_dir, &patient.image_folder, file_name)
        .ok()
        .and_then(|path| path.parent().map(|p| p.join("Thumbnails").join(file_name)));
    if let Some(bytes) = cached.as_ref().and_then(|p| std::fs::read(p).ok()) {
        return Ok(Some(bytes));
    }
    let Some(original) = document_file(state, doc_num).await? else {
        return Ok(None);
    };
    let made = tokio::task::spawn_blocking(move || imaging::thumbnail(&original, format))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    if let (Some(bytes), Some(path)) = (&made, cached) {
        // A cache: failing to keep it costs only time.
        let _ = std::fs::create_dir_all(path.parent().unwrap_or(&path)).and_then(|_| std::fs::write(&path, bytes));
    }
    Ok(made)
}

// ---- DownloadMount ----

#[derive(Deserialize)]
struct DownloadMountBody {
    #[serde(rename = "MountNum")]
    mount_num: Option<i64>,
    #[serde(flatten)]
    login: LoginFields,
}

/// Writes each image of the mount, as its document's file, into the address's folder: 201
/// with the files, or 200 with a message if the mount has none.
async fn download_mount(
    State(state): State<AppState>,
    SftpJson(body): SftpJson<DownloadMountBody>,
) -> ApiResult<Response> {
    let mount_num = required(body.mount_num.filter(|&n| n != 0), "MountNum")?;
    let login = body.login.check()?;
    let mount = with_db(&state, |conn| find_mount(conn, mount_num))?;
    let mut files = Vec::new();
    for place in mount.items {
        let (Some(doc_num), Some(file_name)) = (place.doc_num, place.file_name) else {
            continue;
        };
        if let Some(bytes) = document_file(&state, doc_num).await? {
            files.push((SftpFile { doc_num, file_name }, bytes));
        }
    }
    if files.is_empty() {
        return Ok((StatusCode::OK, Json(NO_MOUNT_IMAGES)).into_response());
    }
    write_files(&login, login.address.as_folder(), files).await
}

/// One connection for all the files; 201 with their list.
async fn write_files(login: &Login, folder: String, files: Vec<(SftpFile, Vec<u8>)>) -> ApiResult<Response> {
    let sftp = login.connect().await?;
    let mut written = Ok(());
    for (file, bytes) in &files {
        written = sftp
            .write(&opendental::sftp::join(&folder, &file.file_name), bytes)
            .await;
        if written.is_err() {
            break;
        }
    }
    sftp.close().await;
    written?;
    let list: Vec<SftpFile> = files.into_iter().map(|(file, _)| file).collect();
    Ok((StatusCode::CREATED, Json(list)).into_response())
}

// ---- Files and mounts ----

/// The document's file. A pending upload is imported first; `None` for a pending download
/// (the sandbox never downloads). A file missing from the A-to-Z folder is the sandbox's fault.
async fn document_file(state: &AppState, doc_num: i64) -> ApiResult<Option<Vec<u8>>> {
    let (patient, file_name, note) = with_db(state, |conn| {
        let (pat_num, file_name, note): (i64, String, String) = conn.query_row(
            "SELECT PatNum, FileName, Note FROM document WHERE DocNum = ?1",
            [doc_num],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
        Ok((find_patient(conn, pat_num)?, file_name, note))
    })?;
    match pending_import(&note) {
        Some(PendingImport::Url) => return Ok(None),
        Some(PendingImport::Upload) => {
            let data = note[RAW_BASE64_PREFIX.len()..]
                .split_once('_')
                .map(|(_, data)| data)
                .unwrap_or_default();
            let bytes = decode_base64(data)?;
            atoz::write_file(&state.atoz_dir, &patient.image_folder, &file_name, &bytes)
                .map_err(|e| ApiError::Internal(format!("The sandbox could not import document {doc_num}: {e}")))?;
            with_db(state, |conn| {
                conn.execute("UPDATE document SET Note = '' WHERE DocNum = ?1", [doc_num])?;
                Ok(())
            })?;
            return Ok(Some(bytes));
        }
        None => {}
    }
    let path = atoz::file_path(&state.atoz_dir, &patient.image_folder, &file_name).map_err(|e| {
        ApiError::Internal(format!(
            "Document {doc_num} has a file name the sandbox cannot use: {e}"
        ))
    })?;
    tokio::fs::read(&path).await.map(Some).map_err(|e| {
        ApiError::Internal(format!(
            "The file of document {doc_num} ({file_name}) is missing from the sandbox's A-to-Z folder: {e}"
        ))
    })
}

struct Mount {
    width: u32,
    height: u32,
    items: Vec<Place>,
}

/// A place in a mount, in item order, and the document in it (if any).
struct Place {
    x: u32,
    y: u32,
    width: u32,
    height: u32,
    doc_num: Option<i64>,
    file_name: Option<String>,
}

fn find_mount(conn: &mut rusqlite::Connection, mount_num: i64) -> ApiResult<Mount> {
    let size: Option<(u32, u32)> = conn
        .query_row(
            "SELECT Width, Height FROM mount WHERE MountNum = ?1",
            [mount_num],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let (width, height) = size.ok_or_else(|| ApiError::not_found("Mount not found."))?;
    let mut stmt = conn.prepare(
        "SELECT mi.Xpos, mi.Ypos, mi.Width, mi.Height, d.DocNum, d.FileName
         FROM mountitem mi LEFT JOIN document d ON d.DocNum = mi.DocNum
         WHERE mi.MountNum = ?1 ORDER BY mi.ItemOrder, mi.MountItemNum",
    )?;
    let items = stmt
        .query_map([mount_num], |row| {
            Ok(Place {
                x: row.get(0)?,
                y: row.get(1)?,
                width: row.get(2)?,
                height: row.get(3)?,
                doc_num: row.get(4)?,
                file_name: row.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Mount { width, height, items })
}

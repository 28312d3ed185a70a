//! The SFTP document methods (apidocuments.md): POST UploadSftp, DownloadSftp (a document, or
//! a mount's composite image), Thumbnails and DownloadMount, talking to the SFTP site the
//! request names through `sftp.rs`.
//!
//! Everything that needs no network is checked first (required fields, the address, the
//! patient, document or mount, the extension), so a bad request never opens a connection; the
//! connection and login come next, before any file is read or made. A document still pending
//! import (`_rawBase64_:` in its Note) is imported when its file is needed, as Open Dental
//! imports it when the document is first opened; that import, like the thumbnails a request
//! keeps, is saved only once the SFTP site has taken the files (`Keep`), so a refused request
//! changes nothing.

use super::created_document;
use crate::atoz;
use crate::error::{ApiError, ApiResult};
use crate::extract::{parse_json, required};
use crate::imaging::{self, MountItem};
use crate::sftp::Sftp;
use crate::state::AppState;
use crate::store::documents::{
    check_extension, check_new_fields, decode_base64, find_document, find_patient, insert_with_file, Patient,
};
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
use std::path::PathBuf;

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
    let (patient, info) = state.db.with_db(|conn| {
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
    Ok(created_document(answer.doc_num, answer))
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
    let plan = match item {
        DownloadItem::Document(doc_num) => {
            let (document, note) = state
                .db
                .with_db(|conn| Ok((find_document(conn, doc_num)?, note_of(conn, doc_num)?)))?;
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
            if pending_import(&note) == Some(PendingImport::Url) {
                return Err(no_file_yet(doc_num));
            }
            Download::Document {
                doc_num,
                path: login.address.file_path(&document.file_name),
            }
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
            Download::Mount {
                mount: state.db.with_db(|conn| find_mount(conn, mount_num))?,
                format,
                path: login.address.file_path(&default_name),
            }
        }
    };
    let sftp = login.connect().await?;
    let mut keep = Keep::default();
    let written = match plan.bytes(&state, &mut keep).await {
        Ok(bytes) => sftp.write(plan.path(), &bytes).await,
        Err(e) => Err(e),
    };
    sftp.close().await;
    written?;
    keep.save(&state);
    let location = SftpLocation {
        location: login.address.location(plan.path()),
    };
    Ok((StatusCode::CREATED, Json(location)).into_response())
}

/// What DownloadSftp writes, once the request has been checked.
enum Download {
    Document {
        doc_num: i64,
        path: String,
    },
    Mount {
        mount: Mount,
        format: image::ImageFormat,
        path: String,
    },
}

impl Download {
    fn path(&self) -> &str {
        match self {
            Download::Document { path, .. } | Download::Mount { path, .. } => path,
        }
    }

    /// The document's file, or the mount's composite image.
    async fn bytes(&self, state: &AppState, keep: &mut Keep) -> ApiResult<Vec<u8>> {
        match self {
            Download::Document { doc_num, .. } => document_file(state, *doc_num, keep)
                .await?
                .ok_or_else(|| no_file_yet(*doc_num)),
            Download::Mount { mount, format, .. } => {
                let mut items = Vec::with_capacity(mount.items.len());
                for place in &mount.items {
                    let image = match place.doc_num {
                        Some(doc_num) => document_file(state, doc_num, keep).await?,
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
                let (width, height, format) = (mount.width, mount.height, *format);
                tokio::task::spawn_blocking(move || imaging::composite(width, height, &items, format))
                    .await
                    .map_err(|e| ApiError::Internal(e.to_string()))?
                    .map_err(ApiError::Internal)
            }
        }
    }
}

fn no_file_yet(doc_num: i64) -> ApiError {
    ApiError::bad_request(format!(
        "Document {doc_num} has no file yet: Open Dental has not downloaded it from its URL."
    ))
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
    let (patient, documents, mounts) = state.db.with_db(|conn| {
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
    let images: Vec<(i64, String, image::ImageFormat)> = documents
        .into_iter()
        .filter_map(|(doc_num, file_name)| {
            let format = extension_of(&file_name).as_deref().and_then(imaging::image_format)?;
            Some((doc_num, file_name, format))
        })
        .collect();
    if images.is_empty() {
        return Ok(no_thumbnails());
    }
    let sftp = login.connect().await?;
    let mut keep = Keep::default();
    let mut made = Vec::new();
    let collected = async {
        for (doc_num, file_name, format) in images {
            if let Some(bytes) = thumbnail(&state, &patient, doc_num, &file_name, format, &mut keep).await? {
                made.push((SftpFile { doc_num, file_name }, bytes));
            }
        }
        Ok(())
    }
    .await;
    let folder = login.address.as_folder();
    send_files(&state, sftp, folder, collected.map(|()| made), keep, no_thumbnails).await
}

fn no_thumbnails() -> Response {
    (StatusCode::OK, Json(NO_THUMBNAILS)).into_response()
}

/// The document's thumbnail, as Open Dental keeps it in the patient's Thumbnails folder (made
/// once; a new one is kept only if the request succeeds); `None` if the document has no file
/// or it is not a readable image.
async fn thumbnail(
    state: &AppState,
    patient: &Patient,
    doc_num: i64,
    file_name: &str,
    format: image::ImageFormat,
    keep: &mut Keep,
) -> ApiResult<Option<Vec<u8>>> {
    let cached = atoz::file_path(&state.atoz_dir, &patient.image_folder, file_name)
        .ok()
        .and_then(|path| path.parent().map(|p| p.join("Thumbnails").join(file_name)));
    if let Some(bytes) = cached.as_ref().and_then(|p| std::fs::read(p).ok()) {
        return Ok(Some(bytes));
    }
    let Some(original) = document_file(state, doc_num, keep).await? else {
        return Ok(None);
    };
    let made = tokio::task::spawn_blocking(move || imaging::thumbnail(&original, format))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    if let (Some(bytes), Some(path)) = (&made, cached) {
        keep.thumbnails.push((path, bytes.clone()));
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
    let mount = state.db.with_db(|conn| find_mount(conn, mount_num))?;
    let documents: Vec<(i64, String)> = mount
        .items
        .into_iter()
        .filter_map(|place| Some((place.doc_num?, place.file_name?)))
        .collect();
    if documents.is_empty() {
        return Ok(no_mount_images());
    }
    let sftp = login.connect().await?;
    let mut keep = Keep::default();
    let mut files = Vec::new();
    let collected = async {
        for (doc_num, file_name) in documents {
            if let Some(bytes) = document_file(&state, doc_num, &mut keep).await? {
                files.push((SftpFile { doc_num, file_name }, bytes));
            }
        }
        Ok(())
    }
    .await;
    let folder = login.address.as_folder();
    send_files(&state, sftp, folder, collected.map(|()| files), keep, no_mount_images).await
}

fn no_mount_images() -> Response {
    (StatusCode::OK, Json(NO_MOUNT_IMAGES)).into_response()
}

/// Ends Thumbnails and DownloadMount alike: the files made (or `nothing` when there are none)
/// go over the one connection, which is then closed; what was imported or cached on the way
/// is kept only if the whole request succeeded, so a refused request changes nothing.
async fn send_files(
    state: &AppState,
    sftp: Sftp,
    folder: String,
    made: ApiResult<Vec<(SftpFile, Vec<u8>)>>,
    keep: Keep,
    nothing: fn() -> Response,
) -> ApiResult<Response> {
    let answer = match made {
        Ok(made) if made.is_empty() => Ok(nothing()),
        Ok(made) => write_files(&sftp, folder, made).await,
        Err(e) => Err(e),
    };
    sftp.close().await;
    let answer = answer?;
    keep.save(state);
    Ok(answer)
}

/// Every file over the one connection; 201 with their list.
async fn write_files(sftp: &Sftp, folder: String, files: Vec<(SftpFile, Vec<u8>)>) -> ApiResult<Response> {
    for (file, bytes) in &files {
        sftp.write(&opendental::sftp::join(&folder, &file.file_name), bytes)
            .await?;
    }
    let list: Vec<SftpFile> = files.into_iter().map(|(file, _)| file).collect();
    Ok((StatusCode::CREATED, Json(list)).into_response())
}

// ---- Files and mounts ----

/// What a request changes in the sandbox besides the SFTP site: pending uploads it imported and
/// thumbnails it made. Collected while it works and saved only after the site took the files.
#[derive(Default)]
struct Keep {
    imports: Vec<Import>,
    thumbnails: Vec<(PathBuf, Vec<u8>)>,
}

/// A pending upload's file, decoded from its Note.
struct Import {
    doc_num: i64,
    image_folder: String,
    file_name: String,
    bytes: Vec<u8>,
}

impl Keep {
    /// Imports and thumbnails are caches of what the database already holds: one that cannot be
    /// saved leaves the document pending, or the thumbnail to be made again, as before.
    fn save(self, state: &AppState) {
        for import in self.imports {
            let written = atoz::write_file(&state.atoz_dir, &import.image_folder, &import.file_name, &import.bytes);
            if written.is_ok() {
                let _ = state.db.with_db(|conn| {
                    conn.execute("UPDATE document SET Note = '' WHERE DocNum = ?1", [import.doc_num])?;
                    Ok(())
                });
            }
        }
        for (path, bytes) in self.thumbnails {
            let _ = std::fs::create_dir_all(path.parent().unwrap_or(&path)).and_then(|_| std::fs::write(&path, bytes));
        }
    }
}

fn note_of(conn: &rusqlite::Connection, doc_num: i64) -> ApiResult<String> {
    Ok(
        conn.query_row("SELECT Note FROM document WHERE DocNum = ?1", [doc_num], |row| {
            row.get(0)
        })?,
    )
}

/// The document's file. A pending upload's comes from its Note (and is imported with `keep`);
/// `None` for a pending download (the sandbox never downloads). A file missing from the A-to-Z
/// folder is the sandbox's fault.
async fn document_file(state: &AppState, doc_num: i64, keep: &mut Keep) -> ApiResult<Option<Vec<u8>>> {
    if let Some(import) = keep.imports.iter().find(|i| i.doc_num == doc_num) {
        return Ok(Some(import.bytes.clone()));
    }
    let (patient, file_name, note) = state.db.with_db(|conn| {
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
            keep.imports.push(Import {
                doc_num,
                image_folder: patient.image_folder,
                file_name,
                bytes: bytes.clone(),
            });
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

//! The gateway's own SFTP site. Open Dental's API hands out a document's file only by writing
//! it to an SFTP site (Documents POST DownloadSftp, apidocuments.md), so the gateway is that
//! site: for each request a fresh folder and a fresh account that opens only that folder,
//! Open Dental writes the file there, the gateway gives it to the signed-in browser that asked,
//! and the folder and account are gone when the answer leaves, whatever happened.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use bytes::Bytes;
use chairside_sftp_server::SftpServer;
use opendental::sftp::DownloadItem;
use serde::Deserialize;

use crate::audit::AuditRow;
use crate::error::GatewayError;
use crate::incoming::Incoming;
use crate::sessions::{random_token, Session};
use crate::state::GatewayState;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SftpSiteConfig {
    /// Where the SFTP site listens, e.g. 0.0.0.0:2222.
    pub listen: SocketAddr,
    /// How Open Dental reaches it (`host:port` as the office's Open Dental sees the gateway).
    /// Needed when `listen` is all interfaces; otherwise the listening address.
    #[serde(default)]
    pub address: Option<String>,
}

pub struct FilesSite {
    server: SftpServer,
    /// The first segment of the SftpAddress Open Dental is given.
    address: String,
    root: PathBuf,
}

/// A folder and an account for one request; both removed when this is dropped.
struct OneUseFolder<'a> {
    site: &'a FilesSite,
    username: String,
    password: String,
    path: PathBuf,
}

impl Drop for OneUseFolder<'_> {
    fn drop(&mut self) {
        self.site.server.remove_account(&self.username);
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

impl FilesSite {
    /// Starts the site over `<data_dir>/sftp`, emptied first: files of an earlier run are
    /// never served.
    pub async fn start(config: &SftpSiteConfig, data_dir: &Path) -> Result<FilesSite, String> {
        let root = data_dir.join("sftp");
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).map_err(|e| format!("cannot create {}: {e}", root.display()))?;
        // The site's own account opens everything: its password is random and never leaves here.
        let server = SftpServer::start_on(config.listen, &root, "gateway", &random_token())
            .await
            .map_err(|e| format!("the SFTP site cannot listen on {}: {e}", config.listen))?;
        let address = match &config.address {
            Some(address) => address.trim().trim_end_matches('/').to_owned(),
            None if server.addr().ip().is_unspecified() => {
                return Err(format!(
                    "[sftp] listens on {} (every interface): set address to how Open Dental reaches this server, \
                     e.g. address = \"192.168.1.5:{}\"",
                    config.listen,
                    server.addr().port()
                ))
            }
            None => server.host(),
        };
        Ok(FilesSite {
            server,
            address,
            root: std::fs::canonicalize(&root).map_err(|e| e.to_string())?,
        })
    }

    pub fn address(&self) -> &str {
        &self.address
    }

    /// Folders of requests still in progress (tests check that none are left).
    pub fn folders_in_use(&self) -> usize {
        std::fs::read_dir(&self.root).map_or(0, |d| d.count())
    }

    fn one_use_folder(&self) -> Result<OneUseFolder<'_>, GatewayError> {
        let name: String = random_token()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(20)
            .collect();
        let path = self.root.join(&name);
        std::fs::create_dir(&path)
            .map_err(|e| GatewayError::Internal(format!("The gateway could not make a folder for the file: {e}")))?;
        let folder = OneUseFolder {
            site: self,
            username: format!("req-{name}"),
            password: random_token(),
            path,
        };
        self.server
            .add_account(&folder.username, &folder.password, &folder.path)
            .map_err(|e| GatewayError::Internal(format!("The gateway could not open its SFTP site: {e}")))?;
        Ok(folder)
    }
}

/// GET /gateway/v1/documents/{DocNum}/file: the document's file, as Open Dental has it.
pub async fn document_file(
    State(state): State<GatewayState>,
    Extension(session): Extension<Session>,
    UrlPath(doc_num): UrlPath<i64>,
) -> Response {
    fetch(&state, &session, DownloadItem::Document(doc_num)).await
}

/// GET /gateway/v1/mounts/{MountNum}/image: the mount's composite image.
pub async fn mount_image(
    State(state): State<GatewayState>,
    Extension(session): Extension<Session>,
    UrlPath(mount_num): UrlPath<i64>,
) -> Response {
    fetch(&state, &session, DownloadItem::Mount(mount_num)).await
}

async fn fetch(state: &GatewayState, session: &Session, item: DownloadItem) -> Response {
    let started = Instant::now();
    let (what, field, number) = match item {
        DownloadItem::Document(n) => ("document", "DocNum", n),
        DownloadItem::Mount(n) => ("mount", "MountNum", n),
    };
    let mut audit = AuditRow::begin(
        session,
        &state.keys.customer_id,
        "POST",
        &format!("documents/DownloadSftp ({what} {number}, to view)"),
    );
    let response = match fetch_file(state, session, field, number, &mut audit).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    };
    audit.status = response.status().as_u16();
    audit.duration_ms = started.elapsed().as_millis() as u64;
    state.audit.record(audit);
    response
}

async fn fetch_file(
    state: &GatewayState,
    session: &Session,
    field: &str,
    number: i64,
    audit: &mut AuditRow,
) -> Result<Response, GatewayError> {
    let (name, bytes) = match download(state, session, field, number, audit).await? {
        Ok(file) => file,
        // Open Dental's explanation (not found, not an image, …) as it gave it.
        Err(refusal) => return Ok(refusal),
    };
    let mut response = (StatusCode::OK, Body::from(bytes)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(crate::web_app::content_type(&name)),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let safe_name: String = name
        .chars()
        .filter(|c| c.is_ascii_graphic() && !matches!(c, '"' | '\\' | ';'))
        .collect();
    if let Ok(value) = HeaderValue::from_str(&format!("inline; filename=\"{safe_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// Open Dental's file (`field` "DocNum") or composite (`field` "MountNum"), written by
/// DownloadSftp into a one-use folder: its name and bytes, or Open Dental's refusal as it gave it.
pub(crate) async fn download(
    state: &GatewayState,
    session: &Session,
    field: &str,
    number: i64,
    audit: &mut AuditRow,
) -> Result<Result<(String, Vec<u8>), Response>, GatewayError> {
    let site = state.files_site.as_ref().ok_or_else(|| {
        GatewayError::Unavailable(
            "This gateway has no SFTP site of its own, so it cannot show document files: add [sftp] to its \
             configuration (see gateway.example.toml)."
                .into(),
        )
    })?;
    let folder = site.one_use_folder()?;
    let request = serde_json::json!({
        field: number,
        "SftpAddress": format!("{}/", site.address),
        "SftpUsername": folder.username,
        "SftpPassword": folder.password,
    });
    let upstream = crate::proxy::send(
        state,
        session,
        &Method::POST,
        "documents/DownloadSftp",
        &Incoming::complete(Bytes::from(request.to_string())),
        audit,
    )
    .await?;
    if !upstream.status().is_success() {
        return Ok(Err(upstream));
    }
    // The answer is only a location; read it to the end so the request's slot is given back.
    let _ = axum::body::to_bytes(upstream.into_body(), 1024 * 1024).await;
    the_one_file(&folder.path).map(Ok)
}

/// The file Open Dental wrote into the folder.
fn the_one_file(folder: &Path) -> Result<(String, Vec<u8>), GatewayError> {
    let written: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(|e| GatewayError::Internal(format!("The gateway could not read its SFTP folder: {e}")))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .collect();
    let [path] = written.as_slice() else {
        return Err(GatewayError::Unreachable(format!(
            "Open Dental said it wrote the file, but {} arrived on the gateway's SFTP site.",
            if written.is_empty() {
                "none".to_owned()
            } else {
                format!("{} files", written.len())
            }
        )));
    };
    let bytes = std::fs::read(path)
        .map_err(|e| GatewayError::Internal(format!("The gateway could not read the file Open Dental wrote: {e}")))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((name, bytes))
}

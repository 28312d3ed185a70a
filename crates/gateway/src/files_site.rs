//! The gateway's own SFTP site. Open Dental's API hands out a document's file only by writing
//! it to an SFTP site (Documents POST DownloadSftp, apidocuments.md), so the gateway is that
//! site: for each request a fresh folder and a fresh account that opens only that folder,
//! Open Dental writes the file there, the gateway gives it to the signed-in browser that asked,
//! and the folder and account are gone when the answer leaves, whatever happened. A sweep
//! removes anything else that appears on the site (a write that arrived after its request had
//! given up) once it is a minute old, and only regular files inside the folder are ever read:
//! a link written there cannot make the gateway serve a file from outside its data dir.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

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
    /// Folders of requests in progress, which the sweep leaves alone however long they take.
    in_use: Arc<Mutex<HashSet<String>>>,
}

/// How old something on the site must be before the sweep removes it.
pub const SWEEP_AFTER: Duration = Duration::from_secs(60);
/// The most a request may make the gateway read from its folder (Open Dental's own upload
/// limit is 16.8M characters; a patient's thumbnails are a few hundred small files).
const MAX_FOLDER_BYTES: u64 = 512 * 1024 * 1024;

/// A folder and an account for one request; both removed when this is dropped.
struct OneUseFolder<'a> {
    site: &'a FilesSite,
    name: String,
    username: String,
    password: String,
    path: PathBuf,
}

impl Drop for OneUseFolder<'_> {
    fn drop(&mut self) {
        self.site.server.remove_account(&self.username);
        let _ = std::fs::remove_dir_all(&self.path);
        self.site.in_use.lock().unwrap().remove(&self.name);
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
        let site = FilesSite {
            server,
            address,
            root: std::fs::canonicalize(&root).map_err(|e| e.to_string())?,
            in_use: Arc::default(),
        };
        site.start_sweeping();
        Ok(site)
    }

    /// Every 15 seconds, removes what no request is using and is older than [`SWEEP_AFTER`].
    fn start_sweeping(&self) {
        let (root, in_use) = (self.root.clone(), Arc::downgrade(&self.in_use));
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(15));
            loop {
                every.tick().await;
                // The site is gone (the gateway stopped): so is the sweep.
                let Some(in_use) = in_use.upgrade() else { return };
                sweep(&root, &in_use, SWEEP_AFTER);
            }
        });
    }

    /// Sweeps now, removing what is older than `age` and not in use; returns how many it removed.
    pub fn sweep_now(&self, age: Duration) -> usize {
        sweep(&self.root, &self.in_use, age)
    }

    /// The local folder that is the site's root (tests put strays there).
    pub fn root(&self) -> &Path {
        &self.root
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
        self.in_use.lock().unwrap().insert(name.clone());
        if let Err(e) = std::fs::create_dir(&path) {
            self.in_use.lock().unwrap().remove(&name);
            return Err(GatewayError::Internal(format!(
                "The gateway could not make a folder for the file: {e}"
            )));
        }
        let folder = OneUseFolder {
            site: self,
            username: format!("req-{name}"),
            name,
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
    // Whose image this is: from the thumbnails index when the gateway has it.
    audit.pat_num = match item {
        DownloadItem::Document(n) => state.thumbnails.owner_of(n),
        DownloadItem::Mount(_) => None,
    };
    let response = match fetch_file(state, session, field, number, &mut audit).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    };
    audit.status = response.status().as_u16();
    audit.duration_ms = started.elapsed().as_millis() as u64;
    match item {
        // Otherwise Documents GET (single) says, after the file has gone: the view waits for
        // no extra call.
        DownloadItem::Document(doc_num) if audit.pat_num.is_none() && response.status().is_success() => {
            let (state, session) = (state.clone(), session.clone());
            tokio::spawn(async move {
                audit.pat_num = crate::thumbnails::look_up_owner(&state, &session, doc_num).await;
                state.audit.record(audit);
            });
        }
        _ => state.audit.record(audit),
    }
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

fn sweep(root: &Path, in_use: &Mutex<HashSet<String>>, age: Duration) -> usize {
    let Ok(entries) = std::fs::read_dir(root) else { return 0 };
    let now = SystemTime::now();
    let mut removed = 0;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if in_use.lock().unwrap().contains(&name) {
            continue;
        }
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_none_or(|elapsed| elapsed >= age);
        if !old {
            continue;
        }
        let gone = if meta.is_dir() {
            std::fs::remove_dir_all(entry.path())
        } else {
            std::fs::remove_file(entry.path())
        };
        if gone.is_ok() {
            removed += 1;
        }
    }
    removed
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
    let files = match written_files(state, session, "documents/DownloadSftp", field, number, audit).await? {
        Ok((_, files)) => files,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let mut files = files.into_iter();
    match (files.next(), files.next()) {
        (Some(file), None) => Ok(Ok(file)),
        (first, _) => Err(GatewayError::Unreachable(format!(
            "Open Dental said it wrote the file, but {} arrived on the gateway's SFTP site.",
            if first.is_none() {
                "none".to_owned()
            } else {
                format!("{} files", 2 + files.count())
            }
        ))),
    }
}

/// Asks Open Dental (`method`: DownloadSftp, Thumbnails, DownloadMount, with `field` =
/// `number`) to write into a one-use folder: its answer's status and body and the files that
/// arrived (name and bytes, by name), or its refusal as it gave it. The folder is gone when
/// this returns.
pub(crate) async fn written_files(
    state: &GatewayState,
    session: &Session,
    method: &str,
    field: &str,
    number: i64,
    audit: &mut AuditRow,
) -> Result<Result<(Bytes, Vec<(String, Vec<u8>)>), Response>, GatewayError> {
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
        method,
        &Incoming::complete(Bytes::from(request.to_string())),
        audit,
    )
    .await?;
    if !upstream.status().is_success() {
        return Ok(Err(upstream));
    }
    // The answer is a location or a list of files; read it to the end so the request's slot
    // is given back.
    let answer = axum::body::to_bytes(upstream.into_body(), 4 * 1024 * 1024)
        .await
        .unwrap_or_default();
    let files = files_in(&folder.path)?;
    Ok(Ok((answer, files)))
}

/// The regular files Open Dental wrote directly into the folder, by name. Anything else (a
/// folder, a link that could point outside the data dir) is never read.
fn files_in(folder: &Path) -> Result<Vec<(String, Vec<u8>)>, GatewayError> {
    let unreadable =
        |e: std::io::Error| GatewayError::Internal(format!("The gateway could not read its SFTP folder: {e}"));
    let mut files = Vec::new();
    let mut total = 0u64;
    for entry in std::fs::read_dir(folder).map_err(unreadable)?.filter_map(Result::ok) {
        // The entry itself, not what a link points to.
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        if !meta.file_type().is_file() {
            continue;
        }
        total += meta.len();
        if total > MAX_FOLDER_BYTES {
            return Err(GatewayError::Unreachable(
                "Open Dental wrote more to the gateway's SFTP site than one request may bring.".into(),
            ));
        }
        let bytes = std::fs::read(entry.path()).map_err(|e| {
            GatewayError::Internal(format!("The gateway could not read the file Open Dental wrote: {e}"))
        })?;
        files.push((entry.file_name().to_string_lossy().into_owned(), bytes));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chairside_sandbox::sftp::Sftp;
    use opendental::sftp::SftpAddress;

    async fn site() -> (FilesSite, PathBuf) {
        let data = std::env::temp_dir().join(format!(
            "chairside-site-{}",
            &random_token()[..12].replace(['-', '_'], "x")
        ));
        let config = SftpSiteConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            address: None,
        };
        (FilesSite::start(&config, &data).await.unwrap(), data)
    }

    async fn login(site: &FilesSite, folder: &OneUseFolder<'_>) -> Sftp {
        let address = SftpAddress::parse(&format!("{}/", site.address())).unwrap();
        Sftp::connect(&address, &folder.username, &folder.password)
            .await
            .unwrap()
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn one_requests_account_sees_only_its_own_folder() {
        let (site, data) = site().await;
        let (a, b) = (site.one_use_folder().unwrap(), site.one_use_folder().unwrap());
        assert_ne!(a.password, b.password);
        let as_a = login(&site, &a).await;
        as_a.write("/x-ray.jpg", b"patient A's x-ray").await.unwrap();
        assert_eq!(std::fs::read(a.path.join("x-ray.jpg")).unwrap(), b"patient A's x-ray");

        let as_b = login(&site, &b).await;
        for path in [
            "/x-ray.jpg".to_owned(),
            format!("/{}/x-ray.jpg", a.name),
            format!("/../{}/x-ray.jpg", a.name),
            format!("../{}/x-ray.jpg", a.name),
        ] {
            assert!(as_b.read(&path).await.is_err(), "B cannot read {path}");
        }
        // B's password does not open A's account.
        let address = SftpAddress::parse(&format!("{}/", site.address())).unwrap();
        assert!(Sftp::connect(&address, &a.username, &b.password).await.is_err());
        as_a.close().await;
        as_b.close().await;

        // Once the request is over, its account opens nothing and its folder is gone.
        let (a_name, a_user, a_password) = (a.name.clone(), a.username.clone(), a.password.clone());
        drop(a);
        assert!(Sftp::connect(&address, &a_user, &a_password).await.is_err());
        assert!(!site.root().join(&a_name).exists());
        drop(b);
        assert_eq!(site.folders_in_use(), 0);
        let _ = std::fs::remove_dir_all(data);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn the_sweep_removes_leftovers_but_not_folders_in_use() {
        let (site, data) = site().await;
        let busy = site.one_use_folder().unwrap();
        std::fs::write(busy.path.join("arriving.jpg"), b"still being written").unwrap();
        // A write that arrived after its request gave up, and a stray file.
        std::fs::create_dir(site.root().join("late")).unwrap();
        std::fs::write(site.root().join("late").join("scan.pdf"), b"%PDF").unwrap();
        std::fs::write(site.root().join("stray.jpg"), b"x").unwrap();

        assert_eq!(site.sweep_now(SWEEP_AFTER), 0, "nothing is a minute old yet");
        assert_eq!(site.sweep_now(Duration::ZERO), 2);
        assert!(!site.root().join("late").exists());
        assert!(
            busy.path.join("arriving.jpg").exists(),
            "a request in progress keeps its folder"
        );
        drop(busy);
        assert_eq!(site.folders_in_use(), 0);
        let _ = std::fs::remove_dir_all(data);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn only_regular_files_in_the_folder_are_read_never_a_link_out_of_it() {
        let (site, data) = site().await;
        let folder = site.one_use_folder().unwrap();
        let outside = data.join("outside-secret.txt");
        std::fs::write(&outside, b"gateway secret").unwrap();
        std::os::unix::fs::symlink(&outside, folder.path.join("innocent.jpg")).unwrap();
        std::fs::create_dir(folder.path.join("sub")).unwrap();
        std::fs::write(folder.path.join("sub").join("deeper.jpg"), b"x").unwrap();
        std::fs::write(folder.path.join("real.png"), b"png").unwrap();
        let files = files_in(&folder.path).unwrap();
        assert_eq!(files, vec![("real.png".to_owned(), b"png".to_vec())]);
        drop(folder);
        let _ = std::fs::remove_dir_all(data);
    }
}

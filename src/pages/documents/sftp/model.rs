//! The SFTP panel's plain parts: the four actions, what is remembered, the checks made before
//! anything is sent, the chosen document or mount as a typed value (a string only as a
//! `<select>`'s value), and what an answer says.

use std::collections::BTreeMap;

use opendental::{
    documents::{extension_of, DocumentFields, DocumentListItem},
    sftp::{
        DownloadItem, DownloadMount, DownloadSftp, SftpAddress, SftpFile, SftpFiles, SftpLogin, Thumbnails, UploadSftp,
    },
};
use serde::{Deserialize, Serialize};

use crate::connection::storage::Place;

const MEMORY_KEY: &str = "chairside.sftp";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SftpAction {
    Import,
    Send,
    Thumbnails,
    MountImages,
}

impl SftpAction {
    pub const ALL: [SftpAction; 4] = [Self::Import, Self::Send, Self::Thumbnails, Self::MountImages];

    pub fn id(self) -> &'static str {
        match self {
            Self::Import => "import",
            Self::Send => "send",
            Self::Thumbnails => "thumbnails",
            Self::MountImages => "mount-images",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Import => "Import a file from the SFTP site",
            Self::Send => "Send a document or mount",
            Self::Thumbnails => "Send thumbnails of all images",
            Self::MountImages => "Send a mount's images one by one",
        }
    }

    pub fn submit_label(self) -> &'static str {
        match self {
            Self::Import => "Import file",
            Self::Send => "Send to SFTP",
            Self::Thumbnails => "Send thumbnails",
            Self::MountImages => "Send mount images",
        }
    }

    pub fn address_help(self) -> &'static str {
        match self {
            Self::Import => "The server, then the file's full path. Open Dental reads it from there.",
            Self::Send => {
                "The server, then a folder ending in / (the document's own file name is used) or a full file path. \
                 A mount is written as one .jpg or .png image."
            }
            Self::Thumbnails => "The server, then a folder. Each thumbnail is named after its document's file.",
            Self::MountImages => "The server, then a folder. Each image keeps its document's file name.",
        }
    }

    pub fn placeholder(self) -> &'static str {
        match self {
            Self::Import => "sftp.example.com/incoming/scan.jpg",
            Self::Send => "sftp.example.com/exports/",
            Self::Thumbnails => "sftp.example.com/thumbnails/",
            Self::MountImages => "sftp.example.com/mounts/",
        }
    }
}

/// What is remembered for the session: never the password.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SftpMemory {
    pub username: String,
    /// By action id.
    pub addresses: BTreeMap<String, String>,
}

impl SftpMemory {
    pub fn load() -> SftpMemory {
        Place::Session.load(MEMORY_KEY).unwrap_or_default()
    }

    pub fn save(&self) {
        Place::Session.save(MEMORY_KEY, self);
    }
}

/// The login part of any action, checked before anything is sent.
pub fn check_login(action: SftpAction, address: &str, username: &str, password: &str) -> Result<SftpLogin, String> {
    let parsed = SftpAddress::parse(address).map_err(|e| e.replace("SftpAddress", "The SFTP address"))?;
    if action == SftpAction::Import {
        let name = parsed.file_name.as_deref().ok_or(
            "The SFTP address ends in a folder: end it with the file's name, e.g. sftp.example.com/incoming/scan.jpg.",
        )?;
        if extension_of(name).is_none() {
            return Err(format!(
                "“{name}” has no file extension: Open Dental needs one (.jpg, .pdf…) to store the file."
            ));
        }
    }
    if username.trim().is_empty() {
        return Err("Enter the SFTP username.".into());
    }
    if password.is_empty() {
        return Err("Enter the SFTP password.".into());
    }
    Ok(SftpLogin {
        address: address.trim().to_owned(),
        username: username.trim().to_owned(),
        password: password.to_owned(),
    })
}

/// A choice held as a typed value and written as a string only as an `<option>`'s value.
pub trait SelectValue: Sized {
    fn to_value(&self) -> String;
    /// `None` for the empty "Choose…" option and for anything that is not such a value.
    fn from_value(value: &str) -> Option<Self>;
}

/// A document or mount to send: "doc:2", "mount:1".
impl SelectValue for DownloadItem {
    fn to_value(&self) -> String {
        match self {
            DownloadItem::Document(n) => format!("doc:{n}"),
            DownloadItem::Mount(n) => format!("mount:{n}"),
        }
    }

    fn from_value(value: &str) -> Option<Self> {
        let (kind, number) = value.split_once(':')?;
        let number = number.parse().ok().filter(|n| *n > 0)?;
        match kind {
            "doc" => Some(DownloadItem::Document(number)),
            "mount" => Some(DownloadItem::Mount(number)),
            _ => None,
        }
    }
}

/// The mount whose images to send (its MountNum), written as the mount's item value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MountChoice(pub i64);

impl SelectValue for MountChoice {
    fn to_value(&self) -> String {
        DownloadItem::Mount(self.0).to_value()
    }

    fn from_value(value: &str) -> Option<Self> {
        match DownloadItem::from_value(value)? {
            DownloadItem::Mount(n) => Some(MountChoice(n)),
            DownloadItem::Document(_) => None,
        }
    }
}

/// What a listed document or mount is when chosen.
pub fn item_of(listed: &DocumentListItem) -> DownloadItem {
    if listed.is_mount() {
        DownloadItem::Mount(listed.mount_num)
    } else {
        DownloadItem::Document(listed.doc_num)
    }
}

/// "PA #3 · 2023-02-14 · SmithJane2.jpg" for a document; "4BW · 2024-03-05 · mount" for a mount.
pub fn item_label(item: &DocumentListItem) -> String {
    let description = match item.description.trim() {
        "" => "(no description)",
        d => d,
    };
    let date = item.date_created.get(..10).unwrap_or(&item.date_created);
    let file = if item.is_mount() {
        "mount"
    } else {
        item.file_path.rsplit(['\\', '/']).next().unwrap_or("")
    };
    format!("{description} · {date} · {file}")
}

/// A request ready to send.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    Import(UploadSftp),
    Send(DownloadSftp),
    Thumbnails(Thumbnails),
    MountImages(DownloadMount),
}

/// The request for `action`, or why it cannot be sent yet. `fields` (the image info) is read
/// only for an import.
pub fn prepare(
    action: SftpAction,
    pat_num: i64,
    login: SftpLogin,
    item: Option<DownloadItem>,
    mount: Option<MountChoice>,
    fields: impl FnOnce() -> Result<DocumentFields, String>,
) -> Result<Request, String> {
    Ok(match action {
        SftpAction::Import => Request::Import(UploadSftp {
            pat_num,
            login,
            fields: fields()?,
        }),
        SftpAction::Send => {
            let item = item.ok_or("Choose the document or mount to send.")?;
            Request::Send(DownloadSftp::new(item, login))
        }
        SftpAction::Thumbnails => Request::Thumbnails(Thumbnails { pat_num, login }),
        SftpAction::MountImages => {
            let MountChoice(mount_num) = mount.ok_or("Choose the mount whose images to send.")?;
            Request::MountImages(DownloadMount { mount_num, login })
        }
    })
}

/// What the last action did, as the result area says it.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Imported { doc_num: i64, category: String },
    Written(String),
    Files { folder: String, files: Vec<SftpFile> },
    Nothing(String),
}

impl Outcome {
    pub fn from_files(folder: String, answer: SftpFiles) -> Outcome {
        match answer {
            SftpFiles::Written(files) if !files.is_empty() => Outcome::Files { folder, files },
            SftpFiles::Written(_) => Outcome::Nothing("Nothing was written.".into()),
            SftpFiles::Nothing(message) => Outcome::Nothing(message),
        }
    }

    pub fn summary(&self) -> String {
        match self {
            Outcome::Imported { doc_num, category } => {
                format!("Imported as document {doc_num} in {category}. It is in the list below.")
            }
            Outcome::Written(location) => format!("Written to {location}"),
            Outcome::Files { folder, files } => {
                let n = files.len();
                format!("Wrote {n} file{} to {folder}:", if n == 1 { "" } else { "s" })
            }
            Outcome::Nothing(message) => message.clone(),
        }
    }
}

/// The folder an answer's files went to, as the user wrote the address.
pub fn folder_shown(address: &str) -> String {
    let address = address.trim();
    if address.ends_with('/') {
        address.to_owned()
    } else {
        format!("{address}/")
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;

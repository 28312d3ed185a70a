//! The SFTP document methods (apidocuments.md): UploadSftp, DownloadSftp, Thumbnails and
//! DownloadMount. Each names an SFTP site by address ("MySftpSite/myUsername/Documents/x.png":
//! the first segment is the host, optionally `host:port`; the rest is the path on the site)
//! and carries a username and password that Open Dental uses once and does not keep.

use crate::documents::DocumentFields;
use crate::wire::{lenient_i64, lenient_string};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The port SFTP servers listen on unless the address names another.
pub const DEFAULT_PORT: u16 = 22;

/// Where on which server: an `SftpAddress` taken apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SftpAddress {
    /// A name or IP address; an IPv6 address without its brackets.
    pub host: String,
    pub port: u16,
    /// The folder, from the site's root: "/myUsername/Documents", or "/".
    pub folder: String,
    /// The last segment, if the address does not end in "/".
    pub file_name: Option<String>,
}

impl SftpAddress {
    /// Reads an address as the reference pages write them. Explains what is wrong.
    pub fn parse(address: &str) -> Result<SftpAddress, String> {
        let address = address.trim();
        if address.is_empty() {
            return Err("SftpAddress is required.".into());
        }
        if let Some((scheme, _)) = address.split_once("://") {
            return Err(format!(
                "SftpAddress starts with the server's name, without \"{scheme}://\": for example \
                 sftp.example.com/exports/ or 192.168.1.20:2222/exports/."
            ));
        }
        if address.contains('\\') {
            return Err("SftpAddress separates folders with /, not \\.".into());
        }
        let (host_port, path) = match address.strip_prefix('[') {
            // [IPv6]:port/path
            Some(rest) => {
                let (ip, rest) = rest
                    .split_once(']')
                    .ok_or("SftpAddress has a \"[\" without its \"]\" around an IPv6 address.")?;
                let (port, path) = rest.split_once('/').unwrap_or((rest, ""));
                (format!("[{ip}]{port}"), path)
            }
            None => {
                let (host_port, path) = address.split_once('/').unwrap_or((address, ""));
                (host_port.to_owned(), path)
            }
        };
        let (host, port) = split_port(&host_port)?;
        if host.is_empty() {
            return Err("SftpAddress must start with the SFTP server's name or IP address.".into());
        }
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        if segments.iter().any(|s| *s == "." || *s == "..") {
            return Err("SftpAddress must not contain \".\" or \"..\" folders: give the full path.".into());
        }
        let (folders, file_name) = match (path.ends_with('/') || segments.is_empty(), segments.split_last()) {
            (false, Some((last, folders))) => (folders, Some((*last).to_owned())),
            _ => (&segments[..], None),
        };
        Ok(SftpAddress {
            host,
            port,
            folder: format!("/{}", folders.join("/")),
            file_name,
        })
    }

    /// "host" or "host:port", as the address wrote it.
    pub fn server(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        if self.port == DEFAULT_PORT {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }

    /// The file's path on the server, with `default_name` when the address names a folder.
    pub fn file_path(&self, default_name: &str) -> String {
        join(&self.folder, self.file_name.as_deref().unwrap_or(default_name))
    }

    /// The whole address as a folder, for methods that write several files: a last segment
    /// without "/" is a folder too ("site/Thumbnails" = "site/Thumbnails/").
    pub fn as_folder(&self) -> String {
        match &self.file_name {
            Some(name) => join(&self.folder, name),
            None => self.folder.clone(),
        }
    }

    /// An address for `path` on the same server, as the methods report where they wrote.
    pub fn location(&self, path: &str) -> String {
        format!("{}{path}", self.server())
    }
}

/// "/a" + "b" = "/a/b"; "/" + "b" = "/b".
pub fn join(folder: &str, name: &str) -> String {
    format!("{}/{name}", folder.trim_end_matches('/'))
}

fn split_port(host_port: &str) -> Result<(String, u16), String> {
    let bad_port = |port: &str| format!("SftpAddress has \"{port}\" as the port: use a number from 1 to 65535.");
    if let Some(rest) = host_port.strip_prefix('[') {
        let (ip, port) = rest.split_once(']').unwrap_or((rest, ""));
        return match port.strip_prefix(':') {
            Some(p) => Ok((
                ip.to_owned(),
                p.parse().ok().filter(|&p| p != 0).ok_or_else(|| bad_port(p))?,
            )),
            None => Ok((ip.to_owned(), DEFAULT_PORT)),
        };
    }
    match host_port.rsplit_once(':') {
        Some((host, port)) => Ok((
            host.to_owned(),
            port.parse().ok().filter(|&p| p != 0).ok_or_else(|| bad_port(port))?,
        )),
        None => Ok((host_port.to_owned(), DEFAULT_PORT)),
    }
}

/// The SFTP site and login every method carries. Debug never prints the password.
#[derive(Serialize, Deserialize, Clone, PartialEq, Default)]
pub struct SftpLogin {
    #[serde(rename = "SftpAddress")]
    pub address: String,
    #[serde(rename = "SftpUsername")]
    pub username: String,
    #[serde(rename = "SftpPassword")]
    pub password: String,
}

impl fmt::Debug for SftpLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SftpLogin")
            .field("address", &self.address)
            .field("username", &self.username)
            .field("password", &"(hidden)")
            .finish()
    }
}

/// Documents POST UploadSftp: pulls the file at the address into the patient's documents.
#[derive(Serialize, Clone, Debug, PartialEq, Default)]
pub struct UploadSftp {
    #[serde(rename = "PatNum")]
    pub pat_num: i64,
    #[serde(flatten)]
    pub login: SftpLogin,
    #[serde(flatten)]
    pub fields: DocumentFields,
}

/// What DownloadSftp writes: one document's file, or a mount's composite image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DownloadItem {
    Document(i64),
    Mount(i64),
}

/// Documents POST DownloadSftp.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct DownloadSftp {
    #[serde(rename = "DocNum", skip_serializing_if = "Option::is_none")]
    pub doc_num: Option<i64>,
    #[serde(rename = "MountNum", skip_serializing_if = "Option::is_none")]
    pub mount_num: Option<i64>,
    #[serde(flatten)]
    pub login: SftpLogin,
}

impl DownloadSftp {
    pub fn new(item: DownloadItem, login: SftpLogin) -> DownloadSftp {
        let (doc_num, mount_num) = match item {
            DownloadItem::Document(n) => (Some(n), None),
            DownloadItem::Mount(n) => (None, Some(n)),
        };
        DownloadSftp {
            doc_num,
            mount_num,
            login,
        }
    }
}

/// Documents POST Thumbnails: 100×100 images of every image document of the patient.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Thumbnails {
    #[serde(rename = "PatNum")]
    pub pat_num: i64,
    #[serde(flatten)]
    pub login: SftpLogin,
}

/// Documents POST DownloadMount: each image of a mount, as its own file.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct DownloadMount {
    #[serde(rename = "MountNum")]
    pub mount_num: i64,
    #[serde(flatten)]
    pub login: SftpLogin,
}

/// UploadSftp's answer: the new document, shaped as the page's example.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default)]
pub struct SftpUploaded {
    #[serde(rename = "DocNum", with = "lenient_i64")]
    pub doc_num: i64,
    #[serde(rename = "filePath", with = "lenient_string")]
    pub file_path: String,
    #[serde(rename = "Description", with = "lenient_string")]
    pub description: String,
    #[serde(rename = "ToothNumbers", with = "lenient_string")]
    pub tooth_numbers: String,
    #[serde(rename = "Note", with = "lenient_string")]
    pub note: String,
    #[serde(rename = "DateCreated", with = "lenient_string")]
    pub date_created: String,
    #[serde(rename = "DateTStamp", with = "lenient_string")]
    pub date_t_stamp: String,
    #[serde(rename = "DocCategory", with = "lenient_i64")]
    pub doc_category: i64,
    #[serde(rename = "docCategory", with = "lenient_string")]
    pub doc_category_name: String,
    #[serde(rename = "serverDateTime", with = "lenient_string")]
    pub server_date_time: String,
}

/// One file written by Thumbnails or DownloadMount.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(default)]
pub struct SftpFile {
    #[serde(rename = "DocNum", with = "lenient_i64")]
    pub doc_num: i64,
    #[serde(rename = "FileName", with = "lenient_string")]
    pub file_name: String,
}

/// DownloadSftp's answer: 201 with where the file was saved. The page writes it as
/// `"location": The full filepath of the saved file`, so a bare string is read as well.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(from = "LocationWire")]
pub struct SftpLocation {
    pub location: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum LocationWire {
    Object { location: String },
    Text(String),
}

impl From<LocationWire> for SftpLocation {
    fn from(wire: LocationWire) -> Self {
        match wire {
            LocationWire::Object { location } | LocationWire::Text(location) => SftpLocation { location },
        }
    }
}

/// Thumbnails' and DownloadMount's answer: 201 with the files written, or 200 with a message
/// ("No documents could be made into thumbnails.") when there was nothing to write.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(untagged)]
pub enum SftpFiles {
    Written(Vec<SftpFile>),
    Nothing(String),
}

pub const NO_THUMBNAILS: &str = "No documents could be made into thumbnails.";
pub const NO_MOUNT_IMAGES: &str = "No mount images could be downloaded.";

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> SftpAddress {
        SftpAddress::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn addresses_name_the_host_then_the_path() {
        let a = parse("MySftpSite/myUsername/Documents/SmithJohn389.png");
        assert_eq!((a.host.as_str(), a.port), ("MySftpSite", 22));
        assert_eq!(a.folder, "/myUsername/Documents");
        assert_eq!(a.file_name.as_deref(), Some("SmithJohn389.png"));
        assert_eq!(a.file_path("ignored.png"), "/myUsername/Documents/SmithJohn389.png");
        assert_eq!(
            a.location(&a.file_path("x")),
            "MySftpSite/myUsername/Documents/SmithJohn389.png"
        );

        let folder = parse("127.0.0.1:2222/exports/");
        assert_eq!((folder.host.as_str(), folder.port), ("127.0.0.1", 2222));
        assert_eq!(folder.file_name, None);
        assert_eq!(folder.file_path("SmithJane2.jpg"), "/exports/SmithJane2.jpg");
        assert_eq!(
            folder.location("/exports/SmithJane2.jpg"),
            "127.0.0.1:2222/exports/SmithJane2.jpg"
        );

        assert_eq!(parse("site/Thumbnails").as_folder(), "/Thumbnails");
        assert_eq!(parse("site/Thumbnails/").as_folder(), "/Thumbnails");
        assert_eq!(parse("site").as_folder(), "/");
        assert_eq!(parse(" site// a //b.png ").file_path("x"), "/ a /b.png");

        let v6 = parse("[::1]:2222/x/y.jpg");
        assert_eq!((v6.host.as_str(), v6.port), ("::1", 2222));
        assert_eq!(v6.server(), "[::1]:2222");
        assert_eq!(parse("[::1]/x/").port, 22);
    }

    #[test]
    fn bad_addresses_are_explained() {
        for (address, says) in [
            ("", "required"),
            ("sftp://site/a.png", "without \"sftp://\""),
            ("site\\a\\b.png", "not \\"),
            ("/exports/a.png", "server's name"),
            (":22/a.png", "server's name"),
            ("site:port/a.png", "port"),
            ("site:0/a.png", "port"),
            ("site/../etc/passwd", ".."),
            ("[::1/x", "]"),
        ] {
            let err = SftpAddress::parse(address).unwrap_err();
            assert!(err.contains(says), "{address}: {err}");
        }
    }

    #[test]
    fn requests_match_the_reference_examples() {
        let login = SftpLogin {
            address: "MySftpSite/myUsername/Documents/FMX.jpg".into(),
            username: "myUsername".into(),
            password: "myPassword".into(),
        };
        let body = serde_json::to_value(DownloadSftp::new(DownloadItem::Mount(20), login.clone())).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "MountNum": 20,
                "SftpAddress": "MySftpSite/myUsername/Documents/FMX.jpg",
                "SftpUsername": "myUsername",
                "SftpPassword": "myPassword"
            })
        );
        assert!(!format!("{login:?}").contains("myPassword"));
        let upload = UploadSftp {
            pat_num: 15,
            login,
            fields: DocumentFields {
                doc_category: Some(14),
                ..Default::default()
            },
        };
        let body = serde_json::to_value(&upload).unwrap();
        assert_eq!(body["PatNum"], 15);
        assert_eq!(body["DocCategory"], 14);
        assert!(body.get("Description").is_none());
        assert!(!format!("{upload:?}").contains("myPassword"));
    }

    #[test]
    fn answers_are_read_as_the_examples_show_them() {
        let files: SftpFiles = serde_json::from_str(
            r#"[{"DocNum":440,"FileName":"SmithJohn440.gif"},{"DocNum":"441","FileName":"SmithJohn441.gif"}]"#,
        )
        .unwrap();
        assert_eq!(
            files,
            SftpFiles::Written(vec![
                SftpFile {
                    doc_num: 440,
                    file_name: "SmithJohn440.gif".into()
                },
                SftpFile {
                    doc_num: 441,
                    file_name: "SmithJohn441.gif".into()
                },
            ])
        );
        for answer in [r#"{"location":"site/a/b.png"}"#, r#""site/a/b.png""#] {
            let location: SftpLocation = serde_json::from_str(answer).unwrap();
            assert_eq!(location.location, "site/a/b.png");
        }
        let nothing: SftpFiles = serde_json::from_str(&format!("\"{NO_THUMBNAILS}\"")).unwrap();
        assert_eq!(nothing, SftpFiles::Nothing(NO_THUMBNAILS.into()));
        let uploaded: SftpUploaded = serde_json::from_str(
            r#"{"DocNum":411,"filePath":"\\\\server\\OpenDentImages\\S\\SmithJohn15\\SmithJRadiograph.png",
                "Description":"SmithJRadiograph.png","ToothNumbers":"1,2,3,4,5,8","Note":"",
                "DateCreated":"2021-05-26 08:16:46","DateTStamp":"2021-05-26 08:16:46","DocCategory":14,
                "docCategory":"Lab Cases","serverDateTime":"2021-05-26 08:16:46"}"#,
        )
        .unwrap();
        assert_eq!(uploaded.doc_num, 411);
        assert_eq!(uploaded.doc_category_name, "Lab Cases");
    }
}

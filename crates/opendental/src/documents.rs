//! Documents and mounts (apidocuments.md): the wire types of every method, image types, and
//! the pending-import markers Open Dental keeps in a Note until the file is imported.

use crate::wire::{lenient_i64, string_bool};
use serde::{Deserialize, Serialize, Serializer};

/// ImgType values the API accepts.
pub const IMG_TYPES: [&str; 5] = ["Document", "Radiograph", "Photo", "File", "Attachment"];

/// Note prefixes of documents Open Dental has not imported yet: Upload stores
/// `_rawBase64_:` + extension + data, SetByUrl stores `_download_:` + URL.
pub const RAW_BASE64_PREFIX: &str = "_rawBase64_:";
pub const DOWNLOAD_PREFIX: &str = "_download_:";

/// Why a document's file is not in Open Dental yet, judged from its Note. Never show the Note
/// itself for these: it can be megabytes of base64.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PendingImport {
    Upload,
    Url,
}

pub fn pending_import(note: &str) -> Option<PendingImport> {
    if note.starts_with(RAW_BASE64_PREFIX) {
        Some(PendingImport::Upload)
    } else if note.starts_with(DOWNLOAD_PREFIX) {
        Some(PendingImport::Url)
    } else {
        None
    }
}

fn i64_as_string<S: Serializer>(value: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&value.to_string())
}

/// Documents GET (single) and the answer of Upload, SetByUrl and PUT.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default)]
pub struct Document {
    #[serde(rename = "DocNum", with = "lenient_i64")]
    pub doc_num: i64,
    #[serde(rename = "Description")]
    pub description: String,
    /// "yyyy-MM-dd HH:mm:ss".
    #[serde(rename = "DateCreated")]
    pub date_created: String,
    #[serde(rename = "DocCategory", with = "lenient_i64")]
    pub doc_category: i64,
    #[serde(rename = "docCategory")]
    pub doc_category_name: String,
    #[serde(rename = "PatNum", with = "lenient_i64")]
    pub pat_num: i64,
    #[serde(rename = "FileName")]
    pub file_name: String,
    #[serde(rename = "ImgType")]
    pub img_type: String,
    #[serde(rename = "ToothNumbers")]
    pub tooth_numbers: String,
    #[serde(rename = "DateTStamp")]
    pub date_t_stamp: String,
    #[serde(rename = "ProvNum", with = "lenient_i64")]
    pub prov_num: i64,
    #[serde(rename = "PrintHeading", with = "string_bool")]
    pub print_heading: bool,
}

/// One row of Documents GET (multiple): a document, or a mount (DocNum 0, MountNum set, and
/// no filePath, ToothNumbers, PrintHeading or DateTStamp). PatNum and ProvNum come as strings.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default)]
pub struct DocumentListItem {
    #[serde(rename = "DocNum", with = "lenient_i64")]
    pub doc_num: i64,
    #[serde(rename = "MountNum", with = "lenient_i64")]
    pub mount_num: i64,
    #[serde(rename = "filePath")]
    pub file_path: String,
    #[serde(rename = "Description")]
    pub description: String,
    #[serde(
        rename = "PatNum",
        serialize_with = "i64_as_string",
        deserialize_with = "lenient_i64::deserialize"
    )]
    pub pat_num: i64,
    /// May hold a pending-import marker and megabytes of base64: see `pending_import`.
    #[serde(rename = "Note")]
    pub note: String,
    #[serde(rename = "DateCreated")]
    pub date_created: String,
    #[serde(rename = "docCategory")]
    pub doc_category_name: String,
    #[serde(rename = "DocCategory", with = "lenient_i64")]
    pub doc_category: i64,
    #[serde(rename = "ToothNumbers")]
    pub tooth_numbers: String,
    #[serde(
        rename = "ProvNum",
        serialize_with = "i64_as_string",
        deserialize_with = "lenient_i64::deserialize"
    )]
    pub prov_num: i64,
    /// "true"/"false" for documents, "" for mounts.
    #[serde(rename = "PrintHeading")]
    pub print_heading: String,
    #[serde(rename = "DateTStamp")]
    pub date_t_stamp: String,
    #[serde(rename = "serverDateTime")]
    pub server_date_time: String,
}

impl DocumentListItem {
    pub fn is_mount(&self) -> bool {
        self.doc_num == 0 && self.mount_num != 0
    }

    pub fn pending_import(&self) -> Option<PendingImport> {
        pending_import(&self.note)
    }
}

/// Fields shared by Upload, SetByUrl and UploadSftp; all optional (the server has defaults).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct DocumentFields {
    #[serde(rename = "Description", skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// "yyyy-MM-dd HH:mm:ss".
    #[serde(rename = "DateCreated", skip_serializing_if = "Option::is_none")]
    pub date_created: Option<String>,
    /// DefNum of a Category-18 definition.
    #[serde(rename = "DocCategory", skip_serializing_if = "Option::is_none")]
    pub doc_category: Option<i64>,
    #[serde(rename = "ImgType", skip_serializing_if = "Option::is_none")]
    pub img_type: Option<String>,
    #[serde(rename = "ToothNumbers", skip_serializing_if = "Option::is_none")]
    pub tooth_numbers: Option<String>,
    #[serde(rename = "ProvNum", skip_serializing_if = "Option::is_none")]
    pub prov_num: Option<i64>,
    /// "true"/"false".
    #[serde(rename = "PrintHeading", skip_serializing_if = "Option::is_none")]
    pub print_heading: Option<String>,
}

/// Documents POST Upload.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Upload {
    #[serde(rename = "PatNum")]
    pub pat_num: i64,
    #[serde(rename = "rawBase64")]
    pub raw_base64: String,
    /// With the dot: ".jpg".
    pub extension: String,
    #[serde(flatten)]
    pub fields: DocumentFields,
}

/// Documents POST SetByUrl.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct SetByUrl {
    #[serde(rename = "PatNum")]
    pub pat_num: i64,
    pub url: String,
    #[serde(flatten)]
    pub fields: DocumentFields,
}

/// Documents PUT: only the fields being changed are sent.
pub type ImageInfoUpdate = DocumentFields;

/// The extension Upload needs, from a file name: ".jpg" for "IMG_1.JPG"; `None` without one.
pub fn extension_of(file_name: &str) -> Option<String> {
    let (stem, ext) = file_name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty() && ext.len() <= 10 && ext.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| format!(".{}", ext.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_list_with_a_mount_and_writes_strings_where_it_does() {
        let json = r#"[{"DocNum": 34, "MountNum": 0, "filePath": "\\\\server\\\\x.jpg", "Description": "Scanned image",
            "PatNum": "101", "Note": "", "DateCreated": "2021-04-08 08:12:21", "docCategory": "Lab Cases",
            "DocCategory": 14, "ToothNumbers": "1,2,3,4,5", "ProvNum": "0", "PrintHeading": "false",
            "DateTStamp": "2021-04-18 11:45:01", "serverDateTime": "2021-05-20 13:30:54"},
            {"DocNum": 0, "MountNum": 15, "filePath": "", "Description": " 5/11/2021: 4BW", "PatNum": "101",
            "Note": "Bitewings", "DateCreated": "2021-05-11 13:26:39", "docCategory": "Lab Cases", "DocCategory": 14,
            "ToothNumbers": "", "ProvNum": "0", "PrintHeading": "", "DateTStamp": "", "serverDateTime": "2021-05-20 13:30:54"}]"#;
        let list: Vec<DocumentListItem> = serde_json::from_str(json).unwrap();
        assert_eq!(
            (list[0].pat_num, list[0].is_mount(), list[1].is_mount()),
            (101, false, true)
        );
        let back = serde_json::to_value(&list[1]).unwrap();
        assert_eq!(back["PatNum"], "101");
        assert_eq!(back["ProvNum"], "0");
        assert_eq!(back["DocNum"], 0);
        assert_eq!(back["PrintHeading"], "");
    }

    #[test]
    fn reads_a_single_document_and_writes_upload_bodies_as_documented() {
        let d: Document = serde_json::from_str(
            r#"{"DocNum": 7, "Description": "1-26-2009", "DateCreated": "2009-01-26 00:00:00", "DocCategory": 190,
                "docCategory": "Patient Pictures", "PatNum": 15, "FileName": "SmithJohn7.jpg", "ImgType": "Photo",
                "ToothNumbers": "", "DateTStamp": "2010-03-01 12:44:26", "ProvNum": 0, "PrintHeading": "false"}"#,
        )
        .unwrap();
        assert_eq!((d.doc_num, d.doc_category, d.print_heading), (7, 190, false));
        assert_eq!(serde_json::to_value(&d).unwrap()["PrintHeading"], "false");

        let upload = Upload {
            pat_num: 101,
            raw_base64: "AAAA".into(),
            extension: ".jpg".into(),
            fields: DocumentFields {
                doc_category: Some(47),
                img_type: Some("Photo".into()),
                ..Default::default()
            },
        };
        assert_eq!(
            serde_json::to_string(&upload).unwrap(),
            r#"{"PatNum":101,"rawBase64":"AAAA","extension":".jpg","DocCategory":47,"ImgType":"Photo"}"#
        );
        let update = ImageInfoUpdate {
            description: Some("Pano".into()),
            ..Default::default()
        };
        assert_eq!(serde_json::to_string(&update).unwrap(), r#"{"Description":"Pano"}"#);
    }

    #[test]
    fn pending_imports_are_recognised_by_their_prefix() {
        assert_eq!(pending_import("_rawBase64_:.jpg_AAAA"), Some(PendingImport::Upload));
        assert_eq!(pending_import("_download_:https://x/y.jpg"), Some(PendingImport::Url));
        assert_eq!(pending_import("Bitewings"), None);
    }

    #[test]
    fn extensions_come_from_the_file_name() {
        assert_eq!(extension_of("IMG_0001.JPG").as_deref(), Some(".jpg"));
        assert_eq!(extension_of("scan.final.pdf").as_deref(), Some(".pdf"));
        assert_eq!(extension_of("README"), None);
        assert_eq!(extension_of(".bashrc"), None);
        assert_eq!(extension_of("a.b c"), None);
    }
}

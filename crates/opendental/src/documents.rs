//! Documents and mounts (apidocuments.md): the wire types of every method, image types, and
//! the pending-import markers Open Dental keeps in a Note until the file is imported.

pub use crate::fetchable::check_fetchable_url;
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

/// The JSON of an Upload split around its base64 data: `prefix + base64 + suffix` is the
/// whole body. Lets the app check the size before encoding and encode straight into the body,
/// without holding the data twice.
pub fn upload_body_parts(upload: &Upload) -> (String, String) {
    let mut meta = upload.clone();
    meta.raw_base64 = String::new();
    let json = serde_json::to_string(&meta).expect("an Upload always serializes");
    let marker = "\"rawBase64\":\"";
    let at = json.find(marker).expect("rawBase64 is always present") + marker.len();
    (json[..at].to_owned(), json[at..].to_owned())
}

/// Characters of base64 for `bytes` bytes of data (padded).
pub fn base64_len(bytes: usize) -> usize {
    bytes.div_ceil(3) * 4
}

/// Characters the Upload body will have for a file of `file_bytes`, before encoding it.
pub fn upload_body_chars(upload: &Upload, file_bytes: usize) -> usize {
    let (prefix, suffix) = upload_body_parts(upload);
    prefix.chars().count() + base64_len(file_bytes) + suffix.chars().count()
}

/// The largest file whose Upload body stays within Open Dental's limit (about 12.6 MB).
pub fn max_upload_bytes(upload: &Upload) -> usize {
    let overhead = upload_body_chars(upload, 0);
    (crate::error::MAX_BODY_CHARS.saturating_sub(overhead) / 4) * 3
}

/// A sensible image type for a file of this MIME type.
pub fn default_img_type(mime: &str) -> &'static str {
    if mime.starts_with("image/") {
        "Photo"
    } else if mime == "application/pdf" || mime.starts_with("text/") {
        "Document"
    } else {
        "File"
    }
}

/// Open Dental's date-time format, "yyyy-MM-dd HH:mm:ss".
pub fn format_date_time(year: u32, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> String {
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
}

/// "2024-01-25 07:45:35" -> "2024-01-25T07:45:35" for `<input type="datetime-local">`, and back.
pub fn to_datetime_local(date_time: &str) -> String {
    date_time.trim().replacen(' ', "T", 1)
}

pub fn from_datetime_local(value: &str) -> Option<String> {
    let value = value.trim().replacen('T', " ", 1);
    let (date, time) = value.split_once(' ')?;
    let time = match time.len() {
        5 => format!("{time}:00"),
        8 => time.to_owned(),
        _ => return None,
    };
    let ok = date.len() == 10
        && date.as_bytes()[4] == b'-'
        && date.as_bytes()[7] == b'-'
        && time.as_bytes()[2] == b':'
        && time.as_bytes()[5] == b':'
        && date.chars().chain(time.chars()).filter(|c| c.is_ascii_digit()).count() == 14;
    ok.then(|| format!("{date} {time}"))
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
    fn upload_body_parts_surround_the_data_and_predict_the_size() {
        let upload = Upload {
            pat_num: 1,
            extension: ".jpg".into(),
            fields: DocumentFields {
                description: Some("Zoë's \"card\"".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let (prefix, suffix) = upload_body_parts(&upload);
        let body = format!("{prefix}QUJD{suffix}");
        let parsed: Upload = serde_json::from_str(&body).unwrap();
        assert_eq!(parsed.raw_base64, "QUJD");
        assert_eq!(parsed.fields.description.as_deref(), Some("Zoë's \"card\""));
        assert_eq!(upload_body_chars(&upload, 3), body.chars().count());
        assert_eq!(base64_len(0), 0);
        assert_eq!(base64_len(1), 4);
        assert_eq!(base64_len(12 * 1024 * 1024), 16_777_216);
    }

    #[test]
    fn the_largest_upload_is_about_twelve_and_a_half_megabytes() {
        let upload = Upload {
            pat_num: 1,
            extension: ".jpg".into(),
            ..Default::default()
        };
        let max = max_upload_bytes(&upload);
        assert!(upload_body_chars(&upload, max) <= crate::error::MAX_BODY_CHARS);
        assert!(upload_body_chars(&upload, max + 3) > crate::error::MAX_BODY_CHARS);
        assert!((12_500_000..12_700_000).contains(&max), "{max}");
        // 12 MiB of data fits; 13 MB does not.
        assert!((12 * 1024 * 1024..13_000_000).contains(&max));
    }

    #[test]
    fn image_types_and_dates_for_the_upload_form() {
        assert_eq!(default_img_type("image/jpeg"), "Photo");
        assert_eq!(default_img_type("application/pdf"), "Document");
        assert_eq!(default_img_type("application/zip"), "File");
        assert_eq!(format_date_time(2024, 1, 5, 7, 4, 3), "2024-01-05 07:04:03");
        assert_eq!(to_datetime_local("2024-01-25 07:45:35"), "2024-01-25T07:45:35");
        assert_eq!(
            from_datetime_local("2024-01-25T07:45").as_deref(),
            Some("2024-01-25 07:45:00")
        );
        assert_eq!(
            from_datetime_local("2024-01-25T07:45:35").as_deref(),
            Some("2024-01-25 07:45:35")
        );
        assert_eq!(from_datetime_local("yesterday"), None);
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

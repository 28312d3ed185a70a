//! Documents and mounts of the first patients, with real files in the A-to-Z folder: small
//! JPEG photos and radiographs, PDFs, a text export, one upload still pending (its PNG only in
//! the Note, as `_rawBase64_:`) and one pending download. Jane Smith has every category and
//! image type and a four-image bitewing mount; John a few documents and a two-image mount;
//! Seán two documents and the pending download.
//!
//! Traps for clients, on purpose: DocNum order is not DateCreated order, two documents share
//! a DateCreated, and mount items are not in DocNum order.

use super::definitions::{
    DOCUMENTS as DOCUMENTS_CAT, INSURANCE_CARDS, PATIENT_PICTURES, PHOTOS, PHOTO_ID, TREATMENT_PLANS, X_RAYS,
};
use super::patients::{OBRIEN_SEAN, SMITH_JANE, SMITH_JOHN};
use super::providers::{DOC1, DOC2, HYG1};
use super::Rng;
use crate::atoz;
use crate::db::{SeedContext, Table};
use crate::BoxError;
use base64::Engine;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ExtendedColorType, ImageEncoder};
use opendental::documents::{DOWNLOAD_PREFIX, RAW_BASE64_PREFIX};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// As Open Dental's tables: a document may be an item of a mount (`mountitem.DocNum`); mount
/// items keep their order and place in the mount for composites. AUTOINCREMENT so a deleted
/// DocNum (and its file name) is never given out again, as in Open Dental's MySQL tables.
/// Enumerations are stored as the text the API uses; PrintHeading as 0/1.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS document (
    DocNum       INTEGER PRIMARY KEY AUTOINCREMENT,
    PatNum       INTEGER NOT NULL,
    Description  TEXT NOT NULL DEFAULT '',
    DateCreated  TEXT NOT NULL,
    DocCategory  INTEGER NOT NULL,
    FileName     TEXT NOT NULL DEFAULT '',
    ImgType      TEXT NOT NULL DEFAULT 'Document',
    ToothNumbers TEXT NOT NULL DEFAULT '',
    Note         TEXT NOT NULL DEFAULT '',
    ProvNum      INTEGER NOT NULL DEFAULT 0,
    PrintHeading INTEGER NOT NULL DEFAULT 0,
    DateTStamp   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS document_PatNum ON document (PatNum);
CREATE TABLE IF NOT EXISTS mount (
    MountNum    INTEGER PRIMARY KEY AUTOINCREMENT,
    PatNum      INTEGER NOT NULL,
    Description TEXT NOT NULL DEFAULT '',
    Note        TEXT NOT NULL DEFAULT '',
    DateCreated TEXT NOT NULL,
    DocCategory INTEGER NOT NULL,
    ProvNum     INTEGER NOT NULL DEFAULT 0,
    Width       INTEGER NOT NULL DEFAULT 0,
    Height      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS mount_PatNum ON mount (PatNum);
CREATE TABLE IF NOT EXISTS mountitem (
    MountItemNum INTEGER PRIMARY KEY AUTOINCREMENT,
    MountNum     INTEGER NOT NULL,
    ItemOrder    INTEGER NOT NULL,
    DocNum       INTEGER NOT NULL,
    Xpos         INTEGER NOT NULL DEFAULT 0,
    Ypos         INTEGER NOT NULL DEFAULT 0,
    Width        INTEGER NOT NULL DEFAULT 0,
    Height       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS mountitem_MountNum ON mountitem (MountNum, ItemOrder);
CREATE INDEX IF NOT EXISTS mountitem_DocNum ON mountitem (DocNum);";

/// The documents schema and demo data, seeded once under this name.
pub const TABLE: Table = Table {
    name: "documents",
    schema: SCHEMA,
    seed,
};

pub const JANE_PATIENT_PICTURE: i64 = 1;
/// Periapical radiograph, ToothNumbers "2,3,4".
pub const JANE_PA_XRAY: i64 = 2;
pub const JANE_PANO: i64 = 3;
pub const JANE_INTRAORAL_PHOTO: i64 = 4;
/// Front and back share a DateCreated (the oldest of Jane's documents).
pub const JANE_INSURANCE_FRONT: i64 = 5;
pub const JANE_INSURANCE_BACK: i64 = 6;
/// A PDF, ImgType Document, PrintHeading true.
pub const JANE_CONSENT_PDF: i64 = 7;
/// A text file, ImgType File.
pub const JANE_PERIO_EXPORT: i64 = 8;
/// A PDF, ImgType Attachment.
pub const JANE_LAB_SLIP: i64 = 9;
/// Uploaded but not imported: no file, Note = `_rawBase64_:.png_` + about 300 KB of base64.
pub const JANE_PENDING_DOC: i64 = 10;
/// The "4BW" bitewing mount (category X-Rays) and its radiographs in mount order.
pub const JANE_MOUNT: i64 = 1;
pub const JANE_MOUNT_ITEMS: [i64; 4] = [12, 11, 14, 13];
/// Rows of Documents GET for Jane: her ten loose documents and the mount.
pub const JANE_LIST_LEN: usize = 11;

pub const JOHN_PATIENT_PICTURE: i64 = 20;
pub const JOHN_PANO: i64 = 21;
pub const JOHN_TREATMENT_PLAN_PDF: i64 = 22;
pub const JOHN_MOUNT: i64 = 2;
pub const JOHN_MOUNT_ITEMS: [i64; 2] = [23, 24];

pub const SEAN_PHOTO_ID: i64 = 30;
pub const SEAN_REFERRAL_PDF: i64 = 31;
/// Set by URL: Note = `_download_:` + `SEAN_PENDING_URL_ADDRESS`, no file.
pub const SEAN_PENDING_URL: i64 = 32;
pub const SEAN_PENDING_URL_ADDRESS: &str = "https://example.com/referrals/obrien-perio-report.pdf";

/// Size of the demo photos and radiographs, in pixels.
const IMAGE_SIZE: (u32, u32) = (160, 120);

/// What a demo document's file is.
#[derive(Clone, Copy)]
enum Content {
    /// A JPEG photo in one of a few color schemes.
    Photo(u8),
    /// A JPEG scan of a card.
    Card(u8),
    /// A grayscale JPEG radiograph.
    Xray(u8),
    /// A one-page PDF with this title.
    Pdf(&'static str),
    Text(&'static str),
    /// Uploaded while imports were off: a PNG kept in the Note, no file.
    PendingUpload,
    /// Set by URL: no file until Open Dental downloads it.
    PendingUrl(&'static str),
}

impl Content {
    fn extension(self) -> &'static str {
        match self {
            Content::Photo(_) | Content::Card(_) | Content::Xray(_) => ".jpg",
            Content::Pdf(_) | Content::PendingUrl(_) => ".pdf",
            Content::Text(_) => ".txt",
            Content::PendingUpload => ".png",
        }
    }
}

struct DemoDocument {
    doc_num: i64,
    pat_num: i64,
    description: &'static str,
    date_created: &'static str,
    category: i64,
    img_type: &'static str,
    teeth: &'static str,
    prov_num: i64,
    print_heading: bool,
    content: Content,
}

#[rustfmt::skip]
const DEMO_DOCUMENTS: &[DemoDocument] = &[
    // Jane Smith.
    doc(JANE_PATIENT_PICTURE, SMITH_JANE, "Patient picture", "2023-02-14 09:12:31", PATIENT_PICTURES, "Photo", "", 0, Content::Photo(0)),
    doc(JANE_PA_XRAY, SMITH_JANE, "PA #3", "2023-02-14 09:40:05", X_RAYS, "Radiograph", "2,3,4", DOC1, Content::Xray(0)),
    doc(JANE_PANO, SMITH_JANE, "Panoramic", "2024-03-05 10:02:17", X_RAYS, "Radiograph", "", DOC2, Content::Xray(1)),
    doc(JANE_INTRAORAL_PHOTO, SMITH_JANE, "Intraoral upper occlusal", "2024-03-05 10:20:44", PHOTOS, "Photo", "", DOC2, Content::Photo(1)),
    doc(JANE_INSURANCE_FRONT, SMITH_JANE, "Insurance card front", "2023-01-10 08:05:12", INSURANCE_CARDS, "Photo", "", 0, Content::Card(0)),
    doc(JANE_INSURANCE_BACK, SMITH_JANE, "Insurance card back", "2023-01-10 08:05:12", INSURANCE_CARDS, "Photo", "", 0, Content::Card(1)),
    DemoDocument { print_heading: true, ..doc(JANE_CONSENT_PDF, SMITH_JANE, "Consent for extraction", "2023-06-02 14:22:10", DOCUMENTS_CAT, "Document", "1", DOC1, Content::Pdf("Consent for extraction of tooth #1")) },
    doc(JANE_PERIO_EXPORT, SMITH_JANE, "Perio chart export", "2023-11-20 10:00:00", DOCUMENTS_CAT, "File", "", HYG1, Content::Text(PERIO_EXPORT)),
    doc(JANE_LAB_SLIP, SMITH_JANE, "Lab slip - crown #19", "2024-09-18 15:45:00", DOCUMENTS_CAT, "Attachment", "19", DOC1, Content::Pdf("Lab slip: PFM crown, tooth #19, shade A2")),
    doc(JANE_PENDING_DOC, SMITH_JANE, "Smile photo from phone", "2025-01-08 16:30:00", PHOTOS, "Photo", "", 0, Content::PendingUpload),
    // Jane's bitewings, items of JANE_MOUNT.
    doc(11, SMITH_JANE, "BW right premolars", "2024-03-05 09:55:00", X_RAYS, "Radiograph", "4,5,28,29", DOC1, Content::Xray(2)),
    doc(12, SMITH_JANE, "BW right molars", "2024-03-05 09:55:00", X_RAYS, "Radiograph", "2,3,30,31", DOC1, Content::Xray(3)),
    doc(13, SMITH_JANE, "BW left premolars", "2024-03-05 09:55:00", X_RAYS, "Radiograph", "12,13,20,21", DOC1, Content::Xray(4)),
    doc(14, SMITH_JANE, "BW left molars", "2024-03-05 09:55:00", X_RAYS, "Radiograph", "14,15,18,19", DOC1, Content::Xray(5)),
    // John Smith.
    doc(JOHN_PATIENT_PICTURE, SMITH_JOHN, "Patient picture", "2022-08-01 10:00:00", PATIENT_PICTURES, "Photo", "", 0, Content::Photo(2)),
    doc(JOHN_PANO, SMITH_JOHN, "Panoramic", "2022-08-01 10:15:00", X_RAYS, "Radiograph", "", DOC2, Content::Xray(6)),
    doc(JOHN_TREATMENT_PLAN_PDF, SMITH_JOHN, "Treatment plan (signed)", "2024-05-14 11:30:00", TREATMENT_PLANS, "Document", "", DOC2, Content::Pdf("Treatment plan for John Smith")),
    doc(23, SMITH_JOHN, "BW right", "2022-08-01 10:10:00", X_RAYS, "Radiograph", "2,3,4,5,28,29,30,31", DOC2, Content::Xray(7)),
    doc(24, SMITH_JOHN, "BW left", "2022-08-01 10:10:00", X_RAYS, "Radiograph", "12,13,14,15,18,19,20,21", DOC2, Content::Xray(8)),
    // Seán O'Brien.
    doc(SEAN_PHOTO_ID, OBRIEN_SEAN, "Driver license", "2024-07-22 09:00:00", PHOTO_ID, "Photo", "", 0, Content::Card(2)),
    doc(SEAN_REFERRAL_PDF, OBRIEN_SEAN, "Referral to periodontist", "2024-07-22 09:05:00", DOCUMENTS_CAT, "Document", "", DOC1, Content::Pdf("Referral to Dr. Patel, periodontics")),
    doc(SEAN_PENDING_URL, OBRIEN_SEAN, "Perio report", "2024-07-30 13:00:00", DOCUMENTS_CAT, "Document", "", 0, Content::PendingUrl(SEAN_PENDING_URL_ADDRESS)),
];

#[allow(clippy::too_many_arguments)]
const fn doc(
    doc_num: i64,
    pat_num: i64,
    description: &'static str,
    date_created: &'static str,
    category: i64,
    img_type: &'static str,
    teeth: &'static str,
    prov_num: i64,
    content: Content,
) -> DemoDocument {
    DemoDocument {
        doc_num,
        pat_num,
        description,
        date_created,
        category,
        img_type,
        teeth,
        prov_num,
        print_heading: false,
        content,
    }
}

struct DemoMount {
    mount_num: i64,
    pat_num: i64,
    description: &'static str,
    note: &'static str,
    date_created: &'static str,
    category: i64,
    prov_num: i64,
    /// In mount order, laid out left to right.
    items: &'static [i64],
}

const MOUNTS: &[DemoMount] = &[
    DemoMount {
        mount_num: JANE_MOUNT,
        pat_num: SMITH_JANE,
        description: "4BW",
        note: "Bitewings",
        date_created: "2024-03-05 09:55:00",
        category: X_RAYS,
        prov_num: DOC1,
        items: &JANE_MOUNT_ITEMS,
    },
    DemoMount {
        mount_num: JOHN_MOUNT,
        pat_num: SMITH_JOHN,
        description: "2BW",
        note: "",
        date_created: "2022-08-01 10:10:00",
        category: X_RAYS,
        prov_num: DOC2,
        items: &JOHN_MOUNT_ITEMS,
    },
];

/// Space between mount items, in pixels.
const MOUNT_GAP: u32 = 10;

const PERIO_EXPORT: &str = "Tooth,Site,Depth,Bleeding\r\n2,MB,3,N\r\n2,B,2,N\r\n2,DB,4,Y\r\n3,MB,3,N\r\n3,B,2,N\r\n\
3,DB,5,Y\r\n14,MB,4,Y\r\n14,B,3,N\r\n14,DB,3,N\r\n";

pub fn seed(ctx: &SeedContext) -> Result<(), BoxError> {
    let files = demo_files()?;
    let mut insert = ctx.tx.prepare(
        "INSERT INTO document (DocNum, PatNum, Description, DateCreated, DocCategory, FileName, ImgType,
             ToothNumbers, Note, ProvNum, PrintHeading, DateTStamp)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?4)",
    )?;
    for d in DEMO_DOCUMENTS {
        let (l_name, f_name, folder): (String, String, String) = ctx.tx.query_row(
            "SELECT LName, FName, ImageFolder FROM patient WHERE PatNum = ?1",
            [d.pat_num],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let file_name = atoz::document_file_name(&l_name, &f_name, d.doc_num, d.content.extension());
        let teeth = opendental::tooth::expand(d.teeth)?;
        let note = match d.content {
            Content::PendingUpload => Cow::Borrowed(files.pending_note.as_str()),
            Content::PendingUrl(url) => Cow::Owned(format!("{DOWNLOAD_PREFIX}{url}")),
            _ => Cow::Borrowed(""),
        };
        insert.execute(rusqlite::params![
            d.doc_num,
            d.pat_num,
            d.description,
            d.date_created,
            d.category,
            file_name,
            d.img_type,
            teeth,
            note,
            d.prov_num,
            d.print_heading,
        ])?;
        if let Some(bytes) = files.by_doc.get(&d.doc_num) {
            atoz::write_file(ctx.atoz_dir, &folder, &file_name, bytes)?;
        }
    }
    let (w, h) = IMAGE_SIZE;
    for m in MOUNTS {
        let count = m.items.len() as u32;
        ctx.tx.execute(
            "INSERT INTO mount (MountNum, PatNum, Description, Note, DateCreated, DocCategory, ProvNum, Width, Height)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            rusqlite::params![
                m.mount_num,
                m.pat_num,
                m.description,
                m.note,
                m.date_created,
                m.category,
                m.prov_num,
                count * w + (count - 1) * MOUNT_GAP,
                h
            ],
        )?;
        for (i, doc_num) in m.items.iter().enumerate() {
            let i = i as u32;
            ctx.tx.execute(
                "INSERT INTO mountitem (MountNum, ItemOrder, DocNum, Xpos, Ypos, Width, Height)
                 VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6)",
                rusqlite::params![m.mount_num, i + 1, doc_num, i * (w + MOUNT_GAP), w, h],
            )?;
        }
    }
    Ok(())
}

/// The files' bytes by DocNum and the pending upload's Note. Encoded once per process: every
/// in-memory sandbox a test starts seeds the same files.
struct DemoFiles {
    by_doc: HashMap<i64, Vec<u8>>,
    pending_note: String,
}

fn demo_files() -> Result<&'static DemoFiles, BoxError> {
    static FILES: OnceLock<DemoFiles> = OnceLock::new();
    if let Some(files) = FILES.get() {
        return Ok(files);
    }
    let mut by_doc = HashMap::new();
    let mut pending_note = String::new();
    for d in DEMO_DOCUMENTS {
        let bytes = match d.content {
            Content::Photo(v) => jpeg_rgb(&photo(v))?,
            Content::Card(v) => jpeg_rgb(&card(v))?,
            Content::Xray(v) => jpeg_gray(&xray(v))?,
            Content::Pdf(title) => pdf(title, d.description),
            Content::Text(text) => text.as_bytes().to_vec(),
            Content::PendingUpload => {
                let png = noisy_png()?;
                pending_note = format!(
                    "{RAW_BASE64_PREFIX}{}_{}",
                    d.content.extension(),
                    base64::engine::general_purpose::STANDARD.encode(png)
                );
                continue;
            }
            Content::PendingUrl(_) => continue,
        };
        by_doc.insert(d.doc_num, bytes);
    }
    Ok(FILES.get_or_init(|| DemoFiles { by_doc, pending_note }))
}

// ---- Pictures ----

fn photo(variant: u8) -> image::RgbImage {
    let (w, h) = IMAGE_SIZE;
    let (top, bottom, accent) = [
        ([120, 170, 220], [230, 235, 240], [240, 200, 170]),
        ([150, 40, 50], [220, 120, 120], [250, 250, 245]),
        ([90, 140, 90], [200, 220, 190], [235, 195, 160]),
    ][variant as usize % 3];
    image::RgbImage::from_fn(w, h, |x, y| {
        let (cx, cy) = (x as f32 - w as f32 / 2.0, y as f32 - h as f32 / 2.0);
        if (cx * cx) / 1600.0 + (cy * cy) / 900.0 < 1.0 {
            return image::Rgb(accent);
        }
        let t = y as f32 / h as f32;
        image::Rgb(std::array::from_fn(|i| {
            (top[i] as f32 * (1.0 - t) + bottom[i] as f32 * t) as u8
        }))
    })
}

fn card(variant: u8) -> image::RgbImage {
    let (w, h) = IMAGE_SIZE;
    let band = [[30, 80, 160], [60, 60, 60], [20, 120, 90]][variant as usize % 3];
    image::RgbImage::from_fn(w, h, |x, y| {
        let text_line = y > 40 && (y - 40) % 14 < 5 && x > 12 && x < w - 12 - (y % 3) * 20;
        match (y < 28, text_line) {
            (true, _) => image::Rgb(band),
            (false, true) => image::Rgb([70, 70, 80]),
            _ => image::Rgb([246, 244, 238]),
        }
    })
}

/// Dark film with a row of bright teeth and darker pulp.
fn xray(variant: u8) -> image::GrayImage {
    let (w, h) = IMAGE_SIZE;
    let teeth = 3 + u32::from(variant % 3);
    let mut rng = Rng::new(u64::from(variant) + 7);
    let noise: Vec<u8> = (0..w * h).map(|_| rng.between(0, 18) as u8).collect();
    image::GrayImage::from_fn(w, h, |x, y| {
        let slot = w / teeth;
        let (pos, mid) = (x % slot, slot / 2);
        let half_width = slot as f32 * 0.38 * (1.0 - (y as f32 / h as f32 - 0.5).abs() * 0.6);
        let dx = (pos as f32 - mid as f32).abs();
        let base = if dx < half_width * 0.18 && y > h / 5 {
            120
        } else if dx < half_width {
            205
        } else {
            40
        };
        image::Luma([base + noise[(y * w + x) as usize]])
    })
}

/// A phone photo's worth of data (about 300 KB of base64): noise does not compress.
fn noisy_png() -> Result<Vec<u8>, BoxError> {
    let (w, h) = (320, 240);
    let mut rng = Rng::new(20_250_108);
    let pixels: Vec<u8> = (0..w * h * 3).map(|_| rng.next_u64() as u8).collect();
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::NoFilter).write_image(
        &pixels,
        w,
        h,
        ExtendedColorType::Rgb8,
    )?;
    Ok(out)
}

fn jpeg_rgb(img: &image::RgbImage) -> Result<Vec<u8>, BoxError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 85).write_image(img, img.width(), img.height(), ExtendedColorType::Rgb8)?;
    Ok(out)
}

fn jpeg_gray(img: &image::GrayImage) -> Result<Vec<u8>, BoxError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 85).write_image(img, img.width(), img.height(), ExtendedColorType::L8)?;
    Ok(out)
}

/// A valid one-page PDF (Helvetica text), written by hand with a correct cross-reference
/// table so that viewers open it without repairing it.
fn pdf(title: &str, subtitle: &str) -> Vec<u8> {
    let escape = |s: &str| s.replace('\\', "\\\\").replace('(', "\\(").replace(')', "\\)");
    let content = format!(
        "BT /F1 20 Tf 72 720 Td ({}) Tj /F1 12 Tf 0 -30 Td ({}) Tj 0 -20 Td (Demo document of the Chairside sandbox.) Tj ET",
        escape(title),
        escape(subtitle)
    );
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{object}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1));
    for offset in offsets {
        out.push_str(&format!("{offset:010} 00000 n \n"));
    }
    out.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_files_are_real_images_and_pdfs() {
        let files = demo_files().unwrap();
        let jpeg = &files.by_doc[&JANE_PATIENT_PICTURE];
        assert_eq!(image::guess_format(jpeg).unwrap(), image::ImageFormat::Jpeg);
        let decoded = image::load_from_memory(&files.by_doc[&JANE_PA_XRAY]).unwrap();
        assert_eq!((decoded.width(), decoded.height()), IMAGE_SIZE);
        let pdf = &files.by_doc[&JANE_CONSENT_PDF];
        assert!(pdf.starts_with(b"%PDF-1.4") && pdf.ends_with(b"%%EOF\n"));
        // The xref offsets point at the objects.
        let text = String::from_utf8(pdf.clone()).unwrap();
        let at = text.find("0000000000 65535 f \n").unwrap() + 20;
        let first: usize = text[at..at + 10].parse().unwrap();
        assert!(text[first..].starts_with("1 0 obj"));

        let note = &files.pending_note;
        let data = note.strip_prefix("_rawBase64_:.png_").expect("marker");
        assert!((280_000..340_000).contains(&data.len()), "{}", data.len());
        let png = base64::engine::general_purpose::STANDARD.decode(data).unwrap();
        assert_eq!(image::guess_format(&png).unwrap(), image::ImageFormat::Png);
        assert!(!files.by_doc.contains_key(&JANE_PENDING_DOC));
    }

    #[test]
    fn mount_items_and_constants_agree_with_the_list() {
        for m in MOUNTS {
            for item in m.items {
                let d = DEMO_DOCUMENTS.iter().find(|d| d.doc_num == *item).unwrap();
                assert_eq!((d.pat_num, d.date_created), (m.pat_num, m.date_created));
            }
        }
        let jane_loose = DEMO_DOCUMENTS
            .iter()
            .filter(|d| d.pat_num == SMITH_JANE && !JANE_MOUNT_ITEMS.contains(&d.doc_num))
            .count();
        assert_eq!(jane_loose + 1, JANE_LIST_LEN);
    }
}

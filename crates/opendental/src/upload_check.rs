//! Did an upload whose outcome is unknown arrive? After a dropped connection or a 5xx Open
//! Dental may or may not have saved the file, and listing the patient's documents is the only
//! way the API offers to find out. A document counts as the upload's own only if it agrees with
//! everything that upload sent (its extension and image type included) and is not already
//! known to be another upload's: a sibling such as `scan3.png` beside `scan3.pdf`, or the same
//! file added twice, is never taken for it. (Behind the gateway the upload's Idempotency-Key
//! makes this exact; this is the best the API itself allows.)

use crate::documents::{extension_of, Document, DocumentListItem, Upload};
use crate::tooth;

/// The fields both the list and a single document show, to compare with what was sent.
struct Stored<'a> {
    description: &'a str,
    date_created: &'a str,
    doc_category: i64,
    tooth_numbers: &'a str,
    prov_num: i64,
    print_heading: bool,
    /// Unknown for a list row without a file path.
    file_name: Option<&'a str>,
    /// Only a single document shows it.
    img_type: Option<&'a str>,
}

/// DocNums of listed documents that may be `sent`: newer than `newer_than`, not `claimed` by
/// another upload, and agreeing with every field sent. Confirm each with `is_same_upload` on
/// the document itself, which also shows the image type.
pub fn listed_candidates(sent: &Upload, items: &[DocumentListItem], newer_than: i64, claimed: &[i64]) -> Vec<i64> {
    items
        .iter()
        .filter(|i| !i.is_mount() && i.doc_num > newer_than && !claimed.contains(&i.doc_num))
        .filter(|i| {
            let file_name = i.file_path.rsplit(['\\', '/']).next().filter(|n| !n.is_empty());
            agrees(
                sent,
                &Stored {
                    description: &i.description,
                    date_created: &i.date_created,
                    doc_category: i.doc_category,
                    tooth_numbers: &i.tooth_numbers,
                    prov_num: i.prov_num,
                    print_heading: i.print_heading.eq_ignore_ascii_case("true"),
                    file_name,
                    img_type: None,
                },
            )
        })
        .map(|i| i.doc_num)
        .collect()
}

/// Whether `doc` (Documents GET single) agrees with everything `sent`.
pub fn is_same_upload(sent: &Upload, doc: &Document) -> bool {
    doc.pat_num == sent.pat_num
        && agrees(
            sent,
            &Stored {
                description: &doc.description,
                date_created: &doc.date_created,
                doc_category: doc.doc_category,
                tooth_numbers: &doc.tooth_numbers,
                prov_num: doc.prov_num,
                print_heading: doc.print_heading,
                file_name: Some(&doc.file_name),
                img_type: Some(&doc.img_type),
            },
        )
}

/// Fields not sent take Open Dental's defaults (no description, teeth or provider, no print
/// heading); the date and category are then the server's choice and match anything.
fn agrees(sent: &Upload, stored: &Stored) -> bool {
    let fields = &sent.fields;
    let teeth = |t: &str| tooth::expand(t).unwrap_or_else(|_| t.trim().to_owned());
    let extension_agrees = stored
        .file_name
        .is_none_or(|name| extension_of(name).is_some_and(|ext| ext.eq_ignore_ascii_case(sent.extension.trim())));
    fields.description.as_deref().unwrap_or("").trim() == stored.description.trim()
        && fields
            .date_created
            .as_deref()
            .is_none_or(|d| d.trim() == stored.date_created)
        && fields.doc_category.is_none_or(|c| c == stored.doc_category)
        && teeth(fields.tooth_numbers.as_deref().unwrap_or("")) == teeth(stored.tooth_numbers)
        && fields.prov_num.unwrap_or(0) == stored.prov_num
        && fields
            .print_heading
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case("true"))
            == stored.print_heading
        && extension_agrees
        && fields
            .img_type
            .as_deref()
            .zip(stored.img_type)
            .is_none_or(|(sent, stored)| sent.eq_ignore_ascii_case(stored))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::DocumentFields;

    fn sent(extension: &str, img_type: &str) -> Upload {
        Upload {
            pat_num: 1,
            raw_base64: String::new(),
            extension: extension.into(),
            fields: DocumentFields {
                description: Some("scan3".into()),
                date_created: Some("2024-01-02 03:04:05".into()),
                doc_category: Some(14),
                img_type: Some(img_type.into()),
                tooth_numbers: Some("1,2,3".into()),
                prov_num: None,
                print_heading: None,
            },
        }
    }

    fn listed(doc_num: i64, file: &str) -> DocumentListItem {
        DocumentListItem {
            doc_num,
            file_path: format!("\\\\server\\OpenDentImages\\S\\SmithJane1\\{file}"),
            description: "scan3".into(),
            pat_num: 1,
            date_created: "2024-01-02 03:04:05".into(),
            doc_category: 14,
            tooth_numbers: "1,2,3".into(),
            print_heading: "false".into(),
            ..Default::default()
        }
    }

    fn single(doc_num: i64, file: &str, img_type: &str) -> Document {
        Document {
            doc_num,
            description: "scan3".into(),
            date_created: "2024-01-02 03:04:05".into(),
            doc_category: 14,
            pat_num: 1,
            file_name: file.into(),
            img_type: img_type.into(),
            tooth_numbers: "1,2,3".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_sibling_with_the_same_name_and_date_but_another_extension_is_not_the_upload() {
        let items = [listed(11, "SmithJane11.png"), listed(12, "SmithJane12.pdf")];
        assert_eq!(listed_candidates(&sent(".pdf", "Document"), &items, 10, &[]), [12]);
        assert_eq!(listed_candidates(&sent(".PNG", "Photo"), &items, 10, &[]), [11]);
        assert_eq!(
            listed_candidates(&sent(".jpg", "Photo"), &items, 10, &[]),
            Vec::<i64>::new()
        );
    }

    #[test]
    fn only_newer_unclaimed_documents_that_agree_on_every_field_sent_are_candidates() {
        let pdf = sent(".pdf", "Document");
        let mut older = listed(5, "SmithJane5.pdf");
        older.doc_num = 5;
        let claimed = listed(11, "SmithJane11.pdf");
        let mount = DocumentListItem {
            mount_num: 3,
            ..listed(0, "")
        };
        let mut other_teeth = listed(13, "SmithJane13.pdf");
        other_teeth.tooth_numbers = "1,2".into();
        let mut other_date = listed(14, "SmithJane14.pdf");
        other_date.date_created = "2024-01-02 03:04:06".into();
        let mut other_category = listed(15, "SmithJane15.pdf");
        other_category.doc_category = 15;
        let mut other_description = listed(16, "SmithJane16.pdf");
        other_description.description = "scan3 (edited)".into();
        let mut with_provider = listed(17, "SmithJane17.pdf");
        with_provider.prov_num = 2;
        let mut with_heading = listed(18, "SmithJane18.pdf");
        with_heading.print_heading = "true".into();
        let same = listed(19, "SmithJane19.pdf");
        let items = [
            older,
            claimed,
            mount,
            other_teeth,
            other_date,
            other_category,
            other_description,
            with_provider,
            with_heading,
            same,
        ];
        assert_eq!(listed_candidates(&pdf, &items, 10, &[11]), [19]);
    }

    #[test]
    fn teeth_compare_expanded_and_unsent_fields_take_the_defaults() {
        let mut ranged = sent(".pdf", "Document");
        ranged.fields.tooth_numbers = Some("1-3".into());
        assert_eq!(listed_candidates(&ranged, &[listed(11, "a11.pdf")], 10, &[]), [11]);

        let bare = Upload {
            pat_num: 1,
            extension: ".pdf".into(),
            ..Default::default()
        };
        let mut plain = listed(12, "a12.pdf");
        plain.description = String::new();
        plain.tooth_numbers = String::new();
        assert_eq!(listed_candidates(&bare, &[plain.clone()], 10, &[]), [12]);
        plain.description = "x".into();
        assert!(listed_candidates(&bare, &[plain], 10, &[]).is_empty());
    }

    #[test]
    fn the_document_itself_confirms_the_image_type_extension_and_patient() {
        let pdf = sent(".pdf", "Document");
        assert!(is_same_upload(&pdf, &single(12, "SmithJane12.pdf", "Document")));
        assert!(is_same_upload(&pdf, &single(12, "SmithJane12.PDF", "document")));
        assert!(!is_same_upload(&pdf, &single(12, "SmithJane12.pdf", "Photo")));
        assert!(!is_same_upload(&pdf, &single(12, "SmithJane12.png", "Document")));
        let mut someone_else = single(12, "SmithJane12.pdf", "Document");
        someone_else.pat_num = 2;
        assert!(!is_same_upload(&pdf, &someone_else));
    }
}

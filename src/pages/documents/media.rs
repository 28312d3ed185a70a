//! What kind of file a document is and how it is named to a screen reader: plain Rust, tested
//! natively. The list has no ImgType; the file's extension says enough to pick an icon, and
//! the viewer goes by the Content-Type the gateway sends with the file.

use opendental::documents::DocumentListItem;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Image,
    Pdf,
    Word,
    Mount,
    Other,
}

impl Kind {
    /// The type icon's label, for documents without a thumbnail.
    pub fn icon_label(self) -> &'static str {
        match self {
            Kind::Image => "IMG",
            Kind::Pdf => "PDF",
            Kind::Word => "DOC",
            Kind::Mount => "MOUNT",
            Kind::Other => "FILE",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Kind::Image => "image",
            Kind::Pdf => "pdf",
            Kind::Word => "word",
            Kind::Mount => "mount",
            Kind::Other => "other",
        }
    }
}

pub fn kind_of(item: &DocumentListItem) -> Kind {
    if item.is_mount() {
        return Kind::Mount;
    }
    let name = item.file_path.rsplit(['\\', '/']).next().unwrap_or_default();
    match name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .as_deref()
    {
        Some("jpg" | "jpeg" | "png" | "gif" | "bmp" | "tif" | "tiff" | "webp") => Kind::Image,
        Some("pdf") => Kind::Pdf,
        Some("doc" | "docx" | "rtf" | "odt") => Kind::Word,
        _ => Kind::Other,
    }
}

/// "doc-12" or "mount-3": the item's key in the list (element ids build on it).
pub fn item_key(item: &DocumentListItem) -> String {
    if item.is_mount() {
        format!("mount-{}", item.mount_num)
    } else {
        format!("doc-{}", item.doc_num)
    }
}

pub fn title_of(item: &DocumentListItem) -> String {
    let description = item.description.trim();
    if !description.is_empty() {
        return description.to_owned();
    }
    let name = item.file_path.rsplit(['\\', '/']).next().unwrap_or_default();
    if name.is_empty() {
        "(no description)".to_owned()
    } else {
        name.to_owned()
    }
}

/// The image's accessible text: description, date, category and teeth, as staff read them in
/// Open Dental's Image Info.
pub fn accessible_text(item: &DocumentListItem) -> String {
    let mut parts = vec![title_of(item)];
    if item.is_mount() {
        parts[0] = format!("Mount: {}", parts[0]);
    }
    let date = item.date_created.get(..10).unwrap_or(&item.date_created);
    if !date.is_empty() {
        parts.push(date.to_owned());
    }
    if !item.doc_category_name.trim().is_empty() {
        parts.push(item.doc_category_name.trim().to_owned());
    }
    let teeth = item.tooth_numbers.trim();
    if !teeth.is_empty() {
        let label = if teeth.contains([',', '-']) { "teeth" } else { "tooth" };
        parts.push(format!("{label} {}", teeth.replace(',', ", ")));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(path: &str) -> DocumentListItem {
        DocumentListItem {
            doc_num: 7,
            file_path: path.into(),
            ..Default::default()
        }
    }

    #[test]
    fn kinds_come_from_the_extension_and_mounts_are_mounts() {
        assert_eq!(kind_of(&item("\\\\srv\\A\\BW.JPG")), Kind::Image);
        assert_eq!(kind_of(&item("\\\\srv\\A\\consent.pdf")), Kind::Pdf);
        assert_eq!(kind_of(&item("\\\\srv\\A\\letter.docx")), Kind::Word);
        assert_eq!(kind_of(&item("")), Kind::Other);
        assert_eq!(kind_of(&item("\\\\srv\\A.dir\\noext")), Kind::Other);
        let mount = DocumentListItem {
            mount_num: 3,
            ..Default::default()
        };
        assert_eq!(kind_of(&mount), Kind::Mount);
        assert_eq!(item_key(&mount), "mount-3");
        assert_eq!(item_key(&item("")), "doc-7");
    }

    #[test]
    fn the_accessible_text_names_description_date_category_and_teeth() {
        let bitewing = DocumentListItem {
            description: " Bitewing left ".into(),
            date_created: "2026-01-10 09:30:00".into(),
            doc_category_name: "X-Rays".into(),
            tooth_numbers: "2,3,4".into(),
            ..item("\\\\srv\\A\\x.jpg")
        };
        assert_eq!(
            accessible_text(&bitewing),
            "Bitewing left, 2026-01-10, X-Rays, teeth 2, 3, 4"
        );
        let photo = DocumentListItem {
            tooth_numbers: "8".into(),
            doc_category_name: "".into(),
            ..item("\\\\srv\\A\\smile.png")
        };
        assert_eq!(accessible_text(&photo), "smile.png, tooth 8");
    }
}

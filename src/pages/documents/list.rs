//! The documents table: filter by category, mounts shown as mounts, pending imports badged.
//! A document's Note is never rendered: while Open Dental has not imported it, it holds the
//! whole file as base64.

use leptos::prelude::*;
use opendental::documents::{DocumentListItem, PendingImport};

use super::DocumentsContext;

/// What the detail panel shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Selection {
    Document(i64),
    Mount(Box<DocumentListItem>),
}

/// "Pending import" text for a badge, if any.
pub fn pending_badge(item: &DocumentListItem) -> Option<&'static str> {
    match item.pending_import()? {
        PendingImport::Upload => Some("Waiting for import in Open Dental"),
        PendingImport::Url => Some("Waiting for download by Open Dental"),
    }
}

#[component]
pub fn DocumentList(items: Vec<DocumentListItem>, selected: RwSignal<Option<Selection>>) -> impl IntoView {
    let context = expect_context::<DocumentsContext>();
    context
        .newest_doc
        .set(items.iter().map(|i| i.doc_num).max().unwrap_or(0));
    let filter = RwSignal::new(String::new());
    let total = items.len();
    // Only categories that occur, in definition order.
    let used: Vec<(i64, String)> = context
        .categories
        .iter()
        .filter(|c| items.iter().any(|i| i.doc_category == c.def_num))
        .map(|c| (c.def_num, c.item_name.clone()))
        .collect();
    let items = StoredValue::new(items);
    let shown = move || {
        let filter = filter.get().parse::<i64>().ok();
        items.with_value(|items| {
            items
                .iter()
                .filter(|i| filter.is_none_or(|f| i.doc_category == f))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="documents-list">
            <div class="toolbar">
                <label for="category-filter">"Category"</label>
                <select id="category-filter" on:change:target=move |ev| filter.set(ev.target().value())>
                    <option value="">{format!("All categories ({total})")}</option>
                    {used.into_iter().map(|(num, name)| view! { <option value=num.to_string()>{name}</option> }).collect_view()}
                </select>
                <span class="meta" role="status">{move || format!("{} shown", shown().len())}</span>
            </div>
            <Show when=move || total != 0 fallback=|| view! { <p>"No documents or images yet."</p> }>
                <table class="documents-table card">
                    <caption class="visually-hidden">"Documents and mounts, oldest first"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Date"</th>
                            <th scope="col">"Description"</th>
                            <th scope="col">"Category"</th>
                            <th scope="col">"Type"</th>
                            <th scope="col">"Teeth"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=shown
                            key=|i| (i.doc_num, i.mount_num, i.date_t_stamp.clone(), i.description.clone(), i.note.len())
                            children=move |item| view! { <DocumentRow item selected /> }
                        />
                    </tbody>
                </table>
            </Show>
        </div>
    }
}

#[component]
fn DocumentRow(item: DocumentListItem, selected: RwSignal<Option<Selection>>) -> impl IntoView {
    let selection = if item.is_mount() {
        Selection::Mount(Box::new(item.clone()))
    } else {
        Selection::Document(item.doc_num)
    };
    let is_selected = {
        let selection = selection.clone();
        Signal::derive(move || selected.with(|s| s.as_ref() == Some(&selection)))
    };
    let kind = if item.is_mount() {
        "Mount".to_owned()
    } else {
        document_type(&item)
    };
    let description = if item.description.trim().is_empty() {
        "(no description)".to_owned()
    } else {
        item.description.trim().to_owned()
    };
    let row_id = if item.is_mount() {
        format!("mount-{}", item.mount_num)
    } else {
        format!("doc-{}", item.doc_num)
    };
    let badge = pending_badge(&item);
    view! {
        <tr id=row_id class:selected=is_selected class:mount=item.is_mount()>
            <td>{item.date_created.get(..10).unwrap_or(&item.date_created).to_owned()}</td>
            <td>
                <button
                    type="button"
                    class="link"
                    aria-pressed=move || is_selected.get().to_string()
                    on:click=move |_| selected.set(Some(selection.clone()))
                >
                    {description}
                </button>
                {item.is_mount().then(|| view! { <span class="badge mount">"Mount"</span> })}
                {badge.map(|text| view! { <span class="badge pending">{text}</span> })}
            </td>
            <td>{item.doc_category_name.clone()}</td>
            <td>{kind}</td>
            <td>{item.tooth_numbers.replace(',', ", ")}</td>
        </tr>
    }
}

/// The list has no ImgType; the file extension says enough to tell a PDF from a photo.
fn document_type(item: &DocumentListItem) -> String {
    let path = item.file_path.to_ascii_lowercase();
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("jpg" | "jpeg" | "png" | "gif" | "bmp" | "tif" | "tiff" | "webp" | "heic") => "Image".into(),
        Some("pdf") => "PDF".into(),
        Some("dcm") => "DICOM".into(),
        Some(ext) if !ext.contains('\\') => ext.to_ascii_uppercase(),
        _ => "Document".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_documents_are_badged_and_others_not() {
        let mut item = DocumentListItem {
            note: "_rawBase64_:.jpg_AAAA".into(),
            ..Default::default()
        };
        assert_eq!(pending_badge(&item), Some("Waiting for import in Open Dental"));
        item.note = "_download_:https://x".into();
        assert_eq!(pending_badge(&item), Some("Waiting for download by Open Dental"));
        item.note = "Bitewings".into();
        assert_eq!(pending_badge(&item), None);
    }

    #[test]
    fn types_come_from_the_file_extension() {
        let item = |p: &str| DocumentListItem {
            file_path: p.into(),
            ..Default::default()
        };
        assert_eq!(document_type(&item("\\\\s\\A\\x.JPG")), "Image");
        assert_eq!(document_type(&item("\\\\s\\A\\x.pdf")), "PDF");
        assert_eq!(document_type(&item("")), "Document");
    }
}

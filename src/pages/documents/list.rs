//! The documents table (or a grid of tiles): filter by category, a 100×100 preview of each
//! (thumbnail, mount composite or type icon) that opens the viewer, mounts shown as mounts,
//! pending imports badged. A document's Note is never rendered: while Open Dental has not
//! imported it, it holds the whole file as base64.

use leptos::prelude::*;
use opendental::documents::{DocumentListItem, PendingImport};

use super::media::{accessible_text, item_key, title_of};
use super::thumbs::{Pictures, Thumb};
use super::DocumentsContext;

/// Opens the viewer on the items shown, at one of them.
#[derive(Clone, Copy)]
pub struct OpenViewer(pub Callback<(Vec<DocumentListItem>, usize)>);

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
    let grid = RwSignal::new(false);
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
    let pictures = expect_context::<Pictures>();
    // For tests and the benchmark: the thumbnails have arrived.
    let thumbnails_state = move || {
        pictures
            .thumbnails
            .with(|t| if t.is_some() { "ready" } else { "waiting" })
    };
    view! {
        <div class="documents-list" data-thumbnails=thumbnails_state>
            <div class="toolbar">
                <label for="category-filter">"Category"</label>
                <select id="category-filter" on:change:target=move |ev| filter.set(ev.target().value())>
                    <option value="">{format!("All categories ({total})")}</option>
                    {used.into_iter().map(|(num, name)| view! { <option value=num.to_string()>{name}</option> }).collect_view()}
                </select>
                <span class="meta" role="status">{move || format!("{} shown", shown().len())}</span>
                <span class="layout-toggle" role="group" aria-label="Show as">
                    <button type="button" id="show-list" aria-pressed=move || (!grid.get()).to_string()
                        on:click=move |_| grid.set(false)>"List"</button>
                    <button type="button" id="show-grid" aria-pressed=move || grid.get().to_string()
                        on:click=move |_| grid.set(true)>"Grid"</button>
                </span>
            </div>
            {move || pictures.problem.get().map(|text| view! { <p class="meta thumbnails-problem" role="status">{text}</p> })}
            <Show when=move || total != 0 fallback=|| view! { <p>"No documents or images yet."</p> }>
                <Show when=move || grid.get()>
                    <ul class="documents-grid" aria-label="Documents and mounts, oldest first">
                        <For
                            each=move || shown().into_iter().enumerate()
                            key=|(_, i)| (i.doc_num, i.mount_num, i.date_t_stamp.clone(), i.description.clone(), i.note.len())
                            children=move |(_, item)| {
                                let caption = title_of(&item);
                                let date = item.date_created.get(..10).unwrap_or(&item.date_created).to_owned();
                                view! {
                                    <li class="tile">
                                        <PreviewButton item shown />
                                        <span class="caption">{caption}</span>
                                        <span class="meta">{date}</span>
                                    </li>
                                }
                            }
                        />
                    </ul>
                </Show>
                <table class="documents-table card" hidden=move || grid.get()>
                    <caption class="visually-hidden">"Documents and mounts, oldest first"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Preview"</th>
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
                            children=move |item| view! { <DocumentRow item selected shown /> }
                        />
                    </tbody>
                </table>
            </Show>
        </div>
    }
}

/// The item's preview; a button that opens the viewer where files can be fetched (gateway mode).
#[component]
fn PreviewButton<F>(item: DocumentListItem, shown: F) -> impl IntoView
where
    F: Fn() -> Vec<DocumentListItem> + Copy + Send + Sync + 'static,
{
    let pictures = expect_context::<Pictures>();
    if !pictures.can_view {
        return view! { <Thumb item /> }.into_any();
    }
    let open = expect_context::<OpenViewer>();
    let key = item_key(&item);
    let label = format!("View {}", accessible_text(&item));
    let on_click = {
        let key = key.clone();
        move |_| {
            let items = shown();
            let at = items.iter().position(|i| item_key(i) == key).unwrap_or(0);
            open.0.run((items, at));
        }
    };
    view! {
        <button type="button" class="thumb-button" id=format!("view-{key}") aria-label=label on:click=on_click>
            <Thumb item />
        </button>
    }
    .into_any()
}

#[component]
fn DocumentRow<F>(item: DocumentListItem, selected: RwSignal<Option<Selection>>, shown: F) -> impl IntoView
where
    F: Fn() -> Vec<DocumentListItem> + Copy + Send + Sync + 'static,
{
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
            <td class="preview"><PreviewButton item=item.clone() shown /></td>
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

//! Uploading files (Documents POST Upload): pick, drop, paste or take a photo; set each file's
//! image info; watch its progress; cancel or retry. One file is read and encoded at a time, so
//! memory holds at most one file's data and its base64.
//!
//! After an unclear failure (the connection dropped, or a 5xx, possibly after Open Dental saved
//! the file) the file's fields are frozen as they were sent, and Retry first looks for that very
//! upload among the patient's documents (`opendental::upload_check`), sending it again, with the
//! same Idempotency-Key, only if it is not there: an upload is neither lost nor duplicated.

use std::rc::Rc;

use leptos::{ev, prelude::*, task::spawn_local};
use opendental::documents::{default_img_type, extension_of, Upload};
use wasm_bindgen::JsCast;
use web_sys::{Blob, File, FileList};

mod item;
mod status;

use self::{
    item::QueueItem,
    status::{limit_explanation, readable_size, upload_limit, Status},
};
use super::{fields::FieldsForm, DocumentsContext};
use crate::api::{idempotency_key, UploadCancel};

/// One file in the queue. The file itself stays in the browser (a `Blob`) until it is sent.
#[derive(Clone, Copy)]
struct Entry {
    id: u32,
    name: StoredValue<String>,
    blob: StoredValue<(Blob, String), LocalStorage>,
    size: RwSignal<f64>,
    form: RwSignal<FieldsForm>,
    status: RwSignal<Status>,
    cancel: StoredValue<UploadCancel, LocalStorage>,
    /// What the last try sent, kept while its outcome is unknown.
    attempt: StoredValue<Option<Attempt>>,
    /// Documents newer than this are candidates when checking for an earlier copy.
    newer_than: i64,
}

/// One upload as sent (its data aside) and the key that names it: every try of it sends the
/// same, and it is settled by finding exactly this among the patient's documents.
#[derive(Clone, Debug, PartialEq)]
struct Attempt {
    key: String,
    sent: Upload,
}

#[component]
pub fn UploadPanel() -> impl IntoView {
    let context = expect_context::<DocumentsContext>();
    let queue = RwSignal::new(Vec::<Entry>::new());
    let next_id = StoredValue::new(0u32);
    // Only one upload reads, encodes and sends at a time: bounded memory, ordered requests.
    let one_at_a_time = StoredValue::new_local(Rc::new(futures::lock::Mutex::new(())));
    // Documents known to be uploads from this queue: never taken for another file's.
    let claimed = StoredValue::new(Vec::<i64>::new());
    let newest_doc = context.newest_doc;

    let add_files = {
        let context = context.clone();
        move |files: FileList| {
            let default_category = context
                .categories
                .first()
                .map(|c| c.def_num.to_string())
                .unwrap_or_default();
            for i in 0..files.length() {
                let Some(file) = files.get(i) else { continue };
                let id = next_id.try_update_value(|n| {
                    *n += 1;
                    *n
                });
                let entry = new_entry(
                    id.unwrap_or(0),
                    &file,
                    &default_category,
                    context.pat_num,
                    newest_doc.get_untracked(),
                );
                queue.update(|q| q.push(entry));
            }
            context
                .announce
                .run(format!("{} file(s) added to the upload queue.", files.length()));
        }
    };

    // Paste from the clipboard anywhere on this screen.
    let paste_handle = {
        let add_files = add_files.clone();
        window_event_listener(ev::paste, move |ev: web_sys::ClipboardEvent| {
            if let Some(files) = ev.clipboard_data().and_then(|d| d.files()).filter(|f| f.length() > 0) {
                ev.prevent_default();
                add_files(files);
            }
        })
    };
    on_cleanup(move || paste_handle.remove());

    let start = {
        let context = context.clone();
        Callback::new(move |entry: Entry| {
            let context = context.clone();
            let lock = one_at_a_time.get_value();
            spawn_local(async move { run_upload(entry, context, lock, claimed).await });
        })
    };
    let upload_all = move |_| {
        for entry in queue.get_untracked() {
            if entry.status.with_untracked(Status::offers_upload) {
                start.run(entry);
            }
        }
    };
    let remove = Callback::new(move |id: u32| queue.update(|q| q.retain(|e| e.id != id)));

    let on_drop = {
        let add_files = add_files.clone();
        move |ev: ev::DragEvent| {
            ev.prevent_default();
            if let Some(files) = ev.data_transfer().and_then(|d| d.files()) {
                add_files(files);
            }
        }
    };
    let on_pick = {
        let add_files = add_files.clone();
        move |ev: ev::Event| {
            let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
                return;
            };
            if let Some(files) = input.files() {
                add_files(files);
            }
            // Let the same file be picked again after removing it.
            input.set_value("");
        }
    };
    let on_pick_camera = on_pick.clone();

    view! {
        <section class="upload card" aria-labelledby="upload-title">
            // Named for screen readers; the drop zone says what it is to the eye, in one line
            // that keeps the documents list in view.
            <h3 id="upload-title" class="visually-hidden">"Upload files"</h3>
            <div
                class="drop-zone"
                on:dragover=|ev: ev::DragEvent| ev.prevent_default()
                on:drop=on_drop
            >
                <p>"Drop or paste files here, or"</p>
                <label class="button" for="upload-files">"Choose files"</label>
                <input id="upload-files" class="file-input" type="file" multiple on:change=on_pick />
                <label class="button" for="upload-camera">"Take a photo"</label>
                <input id="upload-camera" class="file-input" type="file" accept="image/*" capture="environment" on:change=on_pick_camera />
                <p class="hint" title=limit_explanation()>
                    {format!("Up to {} per file.", readable_size(upload_limit(context.pat_num, ".jpg")))}
                </p>
            </div>
            <Show when=move || queue.with(|q| !q.is_empty())>
                <ul class="queue" aria-label="Upload queue">
                    <For
                        each=move || queue.get()
                        key=|e| e.id
                        children=move |entry| view! { <QueueItem entry start remove /> }
                    />
                </ul>
                <div class="actions">
                    <button
                        type="button"
                        id="upload-all"
                        class="primary"
                        on:click=upload_all
                        disabled=move || queue.with(|q| !q.iter().any(|e| e.status.with(Status::offers_upload)))
                    >
                        "Upload all ready files"
                    </button>
                </div>
            </Show>
        </section>
    }
}

fn new_entry(id: u32, file: &File, default_category: &str, pat_num: i64, newer_than: i64) -> Entry {
    let name = file.name();
    let mime = file.type_();
    let extension = extension_of(&name)
        .or_else(|| extension_for_mime(&mime))
        .unwrap_or_default();
    let stem = name
        .rsplit_once('.')
        .map(|(s, _)| s.to_owned())
        .unwrap_or_else(|| name.clone());
    let form = FieldsForm {
        description: stem,
        date: opendental::documents::to_datetime_local(&crate::clock::last_modified(file)),
        category: default_category.to_owned(),
        img_type: default_img_type(&mime).to_owned(),
        teeth: String::new(),
        provider: "0".into(),
        print_heading: false,
    };
    let is_image = mime.starts_with("image/");
    let size = file.size();
    let status = Status::for_new_file(pat_num, &extension, size, is_image);
    Entry {
        id,
        name: StoredValue::new(name),
        blob: StoredValue::new_local((file.clone().into(), extension)),
        size: RwSignal::new(size),
        form: RwSignal::new(form),
        status: RwSignal::new(status),
        cancel: StoredValue::new_local(UploadCancel::default()),
        attempt: StoredValue::new(None),
        newer_than,
    }
}

fn extension_for_mime(mime: &str) -> Option<String> {
    let ext = match mime {
        "image/jpeg" => ".jpg",
        "image/png" => ".png",
        "image/gif" => ".gif",
        "image/webp" => ".webp",
        "image/heic" => ".heic",
        "application/pdf" => ".pdf",
        _ => return None,
    };
    Some(ext.to_owned())
}

/// The try to make now: the unsettled one again, unchanged, or a new one from the fields.
fn next_attempt(entry: &Entry, pat_num: i64) -> Result<Attempt, String> {
    if entry.status.with_untracked(Status::unclear) {
        if let Some(attempt) = entry.attempt.get_value() {
            return Ok(attempt);
        }
    }
    let fields = entry.form.with_untracked(|f| f.to_fields())?;
    let (_, extension) = entry.blob.get_value();
    Ok(Attempt {
        key: idempotency_key(),
        sent: Upload {
            pat_num,
            raw_base64: String::new(),
            extension,
            fields,
        },
    })
}

async fn run_upload(
    entry: Entry,
    context: DocumentsContext,
    lock: Rc<futures::lock::Mutex<()>>,
    claimed: StoredValue<Vec<i64>>,
) {
    let attempt = match next_attempt(&entry, context.pat_num) {
        Ok(attempt) => attempt,
        Err(message) => return entry.status.set(Status::invalid(message)),
    };
    let retry_after_unclear = entry.status.with_untracked(Status::unclear);
    entry.attempt.set_value(Some(attempt.clone()));
    entry.cancel.set_value(UploadCancel::default());
    entry.status.set(Status::Waiting);
    let _turn = lock.lock().await;
    if entry.cancel.with_value(UploadCancel::is_cancelled) {
        return entry.status.set(Status::cancelled_before_sending(retry_after_unclear));
    }

    if retry_after_unclear {
        entry.status.set(Status::Checking);
        let known = claimed.get_value();
        let answer = context
            .client
            .find_upload(&attempt.sent, entry.newer_than, &known)
            .await;
        let found = answer.as_ref().ok().copied().flatten();
        if let Some(doc_num) = found {
            claimed.update_value(|c| c.push(doc_num));
            entry.attempt.set_value(None);
        }
        if let Some(settled) = Status::after_check(answer.as_ref().copied()) {
            entry.status.set(settled);
            if found.is_some() {
                context.reload.run(());
            }
            return;
        }
    }

    entry.status.set(Status::Reading);
    crate::perf::mark("chairside-upload-begin");
    crate::perf::mark(&format!(
        "chairside-wasm-memory-before={}",
        crate::perf::wasm_memory_bytes()
    ));
    let (blob, _) = entry.blob.get_value();
    let total = blob.size();
    entry.status.set(Status::Sending { sent: 0.0, total });
    let status = entry.status;
    let cancel = entry.cancel.get_value();
    // Stopped after the whole file went out, the upload may have been saved all the same.
    let fully_sent = Rc::new(std::cell::Cell::new(false));
    let on_progress = {
        let fully_sent = fully_sent.clone();
        move |sent, total| {
            fully_sent.set(sent >= total);
            status.set(Status::Sending { sent, total });
        }
    };
    let result = context
        .client
        .upload_document(&attempt.sent, &blob, &attempt.key, on_progress, &cancel)
        .await;
    entry.status.set(Status::after_send(&result, fully_sent.get()));
    if let Ok(doc) = result {
        claimed.update_value(|c| c.push(doc.doc_num));
        entry.attempt.set_value(None);
        context.announce.run(format!(
            "Uploaded “{}” to {}.",
            entry.name.get_value(),
            doc.doc_category_name
        ));
        context.reload.run(());
    }
}

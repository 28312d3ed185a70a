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
use opendental::{
    documents::{default_img_type, extension_of, max_upload_bytes, upload_body_chars, Upload},
    error::MAX_BODY_CHARS,
    ApiError,
};
use wasm_bindgen::JsCast;
use web_sys::{Blob, File, FileList};

use super::{
    fields::{FieldsEditor, FieldsForm},
    DocumentsContext, WithProviders,
};
use crate::{
    api::{idempotency_key, UploadCancel},
    components::ErrorNotice,
    files,
};

#[derive(Clone, Debug, PartialEq)]
enum Status {
    Ready,
    /// Over Open Dental's limit; images may be shrunk with the user's agreement.
    TooLarge {
        can_shrink: bool,
    },
    Shrinking,
    Waiting,
    Reading,
    Sending {
        sent: f64,
        total: f64,
    },
    Checking,
    Done {
        note: Option<String>,
    },
    Failed {
        message: String,
        unclear: bool,
    },
    Cancelled,
}

impl Status {
    fn busy(&self) -> bool {
        matches!(
            self,
            Status::Shrinking | Status::Waiting | Status::Reading | Status::Sending { .. } | Status::Checking
        )
    }

    /// Open Dental may or may not have the file: its fields stay as they were sent.
    fn unclear(&self) -> bool {
        matches!(self, Status::Failed { unclear: true, .. })
    }
}

/// One file in the queue. The file itself stays in the browser (a `Blob`) until it is sent.
#[derive(Clone, Copy)]
struct Entry {
    id: u32,
    name: StoredValue<String>,
    blob: StoredValue<(Blob, String), LocalStorage>,
    size: RwSignal<f64>,
    is_image: bool,
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

fn is_unclear(error: &ApiError) -> bool {
    matches!(error, ApiError::Network { .. }) || error.status().is_some_and(|s| s >= 500)
}

/// A size in the unit that fits it: "92 bytes", "4.3 KB", "12.6 MB" (decimal units, as the
/// limit is stated).
pub fn readable_size(bytes: f64) -> String {
    match bytes {
        b if b < 1_000.0 => format!("{b:.0} {}", if b == 1.0 { "byte" } else { "bytes" }),
        b if b < 999_950.0 => format!("{:.1} KB", b / 1_000.0),
        b => format!("{:.1} MB", b / 1_000_000.0),
    }
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
            if entry.status.get_untracked() == Status::Ready {
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
                <p class="hint" title=format!(
                    "Open Dental accepts {:.1} million characters per request, and encoding adds a third.",
                    MAX_BODY_CHARS as f64 / 1e6
                )>{format!("Up to {} per file.", readable_size(upload_limit()))}</p>
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
                        disabled=move || queue.with(|q| !q.iter().any(|e| e.status.get() == Status::Ready))
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
        date: opendental::documents::to_datetime_local(&files::last_modified(file)),
        category: default_category.to_owned(),
        img_type: default_img_type(&mime).to_owned(),
        teeth: String::new(),
        provider: "0".into(),
        print_heading: false,
    };
    let is_image = mime.starts_with("image/");
    let size = file.size();
    let status = if extension.is_empty() {
        Status::Failed {
            message:
                "This file has no extension (like .jpg or .pdf), which Open Dental needs. Rename it and add it again."
                    .into(),
            unclear: false,
        }
    } else if over_limit(pat_num, &extension, size) {
        Status::TooLarge { can_shrink: is_image }
    } else {
        Status::Ready
    };
    Entry {
        id,
        name: StoredValue::new(name),
        blob: StoredValue::new_local((file.clone().into(), extension)),
        size: RwSignal::new(size),
        is_image,
        form: RwSignal::new(form),
        status: RwSignal::new(status),
        cancel: StoredValue::new_local(UploadCancel::default()),
        attempt: StoredValue::new(None),
        newer_than,
    }
}

/// The largest file Open Dental accepts in one upload.
fn upload_limit() -> f64 {
    max_upload_bytes(&Upload {
        extension: ".jpg".into(),
        ..Default::default()
    }) as f64
}

fn over_limit(pat_num: i64, extension: &str, size: f64) -> bool {
    let meta = Upload {
        pat_num,
        extension: extension.to_owned(),
        ..Default::default()
    };
    upload_body_chars(&meta, size as usize) > MAX_BODY_CHARS
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
        Err(message) => {
            return entry.status.set(Status::Failed {
                message,
                unclear: false,
            })
        }
    };
    let retry_after_unclear = entry.status.with_untracked(Status::unclear);
    entry.attempt.set_value(Some(attempt.clone()));
    entry.cancel.set_value(UploadCancel::default());
    entry.status.set(Status::Waiting);
    let _turn = lock.lock().await;
    if entry.cancel.with_value(UploadCancel::is_cancelled) {
        return entry.status.set(if retry_after_unclear {
            Status::Failed {
                message: "Not checked: Open Dental may still have the earlier attempt.".into(),
                unclear: true,
            }
        } else {
            Status::Cancelled
        });
    }

    if retry_after_unclear {
        entry.status.set(Status::Checking);
        let known = claimed.get_value();
        match context
            .client
            .find_upload(&attempt.sent, entry.newer_than, &known)
            .await
        {
            Ok(Some(doc_num)) => {
                claimed.update_value(|c| c.push(doc_num));
                entry.attempt.set_value(None);
                entry.status.set(Status::Done {
                    note: Some(format!("Open Dental had received it before the connection dropped (document #{doc_num}); it was not sent again.")),
                });
                context.reload.run(());
                return;
            }
            Ok(None) => {}
            Err(e) => {
                return entry.status.set(Status::Failed {
                    message: format!(
                        "Could not check whether the earlier attempt arrived, so it was not sent again. {}",
                        e.message()
                    ),
                    unclear: true,
                })
            }
        }
    }

    entry.status.set(Status::Reading);
    files::mark("chairside-upload-begin");
    files::mark(&format!("chairside-wasm-memory-before={}", files::wasm_memory_bytes()));
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
    match result {
        Ok(doc) => {
            claimed.update_value(|c| c.push(doc.doc_num));
            entry.attempt.set_value(None);
            entry.status.set(Status::Done { note: None });
            context.announce.run(format!(
                "Uploaded “{}” to {}.",
                entry.name.get_value(),
                doc.doc_category_name
            ));
            context.reload.run(());
        }
        Err(ApiError::Cancelled) if fully_sent.get() => entry.status.set(Status::Failed {
            message: "Stopped after the whole file had been sent, so Open Dental may have saved it.".into(),
            unclear: true,
        }),
        Err(ApiError::Cancelled) => entry.status.set(Status::Cancelled),
        // A refusal settles it: the earlier try was looked for and is not there either.
        Err(e) => entry.status.set(Status::Failed {
            message: e.message(),
            unclear: is_unclear(&e),
        }),
    }
}

#[component]
fn QueueItem(entry: Entry, start: Callback<Entry>, remove: Callback<u32>) -> impl IntoView {
    let context = expect_context::<DocumentsContext>();
    let name = entry.name.get_value();
    let id = entry.id;
    let categories = context.categories.clone();
    let status = entry.status;
    let shows_fields = move || {
        matches!(
            status.get(),
            Status::Ready | Status::Failed { .. } | Status::Cancelled | Status::TooLarge { .. }
        )
    };
    let frozen = move || status.with(Status::unclear);
    let legend = format!("Image info of {name}");

    let shrink = move |_| {
        status.set(Status::Shrinking);
        let (blob, _) = entry.blob.get_value();
        let Ok(file) = blob.dyn_into::<File>() else { return };
        spawn_local(async move {
            match files::downscale(&file, upload_limit() as usize).await {
                Ok(smaller) => {
                    entry.size.set(smaller.size());
                    entry.blob.set_value((smaller, ".jpg".into()));
                    status.set(Status::Ready);
                }
                Err(files::DownscaleError::CannotDecode) => status.set(Status::Failed {
                    message:
                        "This browser cannot open this photo format (HEIC, for example), so it cannot be made smaller. \
                              Save it as JPEG and add it again."
                            .into(),
                    unclear: false,
                }),
                Err(files::DownscaleError::Failed(why)) => status.set(Status::Failed {
                    message: format!("The photo could not be made smaller: {why}."),
                    unclear: false,
                }),
            }
        });
    };

    let status_text = move || match status.get() {
        Status::Ready => "Ready to upload.".to_owned(),
        Status::TooLarge { .. } => format!(
            "Too large: {} is over the {} Open Dental accepts in one upload.",
            readable_size(entry.size.get()),
            readable_size(upload_limit())
        ),
        Status::Shrinking => "Making the photo smaller…".into(),
        Status::Waiting => "Waiting for the upload before it…".into(),
        Status::Reading => "Reading the file…".into(),
        Status::Sending { sent, total } => format!("Uploading: {} of {}", readable_size(sent), readable_size(total)),
        Status::Checking => "Checking whether the earlier attempt arrived…".into(),
        Status::Done { note } => note.unwrap_or_else(|| "Uploaded.".into()),
        Status::Failed { message, .. } => message,
        Status::Cancelled => "Cancelled. Nothing was saved.".into(),
    };

    view! {
        <li class="queue-item" id=format!("upload-{id}") data-status=move || status_name(&status.get())>
            <div class="queue-head">
                <strong class="file-name">{name.clone()}</strong>
                <span class="meta">{move || readable_size(entry.size.get())}</span>
            </div>
            <Show when=shows_fields>
                // Shown but not editable while it is unknown whether Open Dental has the file:
                // Retry must look for exactly what was sent.
                <fieldset class="upload-fields" disabled=frozen aria-describedby=format!("upload-{id}-frozen")>
                    <legend class="visually-hidden">{legend.clone()}</legend>
                    <WithProviders children={
                        let categories = categories.clone();
                        Box::new(move |providers| {
                            view! { <FieldsEditor form=entry.form categories=categories.clone() providers id=format!("upload-{id}") /> }
                                .into_any()
                        })
                    } />
                    <p class="hint" id=format!("upload-{id}-frozen") hidden=move || !frozen()>
                        "These are the details that were sent. They can be changed once Retry has found out whether the file arrived."
                    </p>
                </fieldset>
            </Show>
            <progress
                max=move || match status.get() { Status::Sending { total, .. } => total.max(1.0), _ => 1.0 }
                value=move || match status.get() {
                    Status::Sending { sent, .. } => sent,
                    Status::Done { .. } => 1.0,
                    _ => 0.0,
                }
                aria-label=format!("Upload progress of {name}")
            ></progress>
            <p
                class=move || if matches!(status.get(), Status::Failed { .. } | Status::TooLarge { .. }) { "status error-text" } else { "status" }
                role="status"
                aria-live="polite"
            >
                {status_text}
            </p>
            <div class="actions">
                <Show when=move || status.get() == Status::Ready>
                    <button type="button" class="primary" on:click=move |_| start.run(entry)>"Upload"</button>
                </Show>
                <Show when=move || matches!(status.get(), Status::Failed { .. } | Status::Cancelled) && entry.status.with(|s| !matches!(s, Status::Failed { message, .. } if message.contains("no extension")))>
                    <button type="button" class="primary" on:click=move |_| start.run(entry)>"Retry"</button>
                </Show>
                <Show when=move || matches!(status.get(), Status::TooLarge { can_shrink: true }) && entry.is_image>
                    <button type="button" class="primary" on:click=shrink>"Make it smaller and upload as JPEG"</button>
                </Show>
                <Show when=move || status.get().busy() && !matches!(status.get(), Status::Shrinking | Status::Checking)>
                    <button type="button" on:click=move |_| entry.cancel.with_value(UploadCancel::cancel)>"Cancel"</button>
                </Show>
                <Show when=move || !status.get().busy()>
                    <button type="button" on:click=move |_| remove.run(id)>
                        {move || if matches!(status.get(), Status::Done { .. }) { "Clear" } else { "Remove" }}
                    </button>
                </Show>
            </div>
            {move || match status.get() {
                Status::Failed { unclear: true, .. } => Some(view! {
                    <ErrorNotice message="Open Dental may have saved this file before the connection failed. Retry checks the patient's documents first and only sends it if it is not there." />
                }),
                _ => None,
            }}
        </li>
    }
}

fn status_name(status: &Status) -> &'static str {
    match status {
        Status::Ready => "ready",
        Status::TooLarge { .. } => "too-large",
        Status::Shrinking => "shrinking",
        Status::Waiting => "waiting",
        Status::Reading => "reading",
        Status::Sending { .. } => "sending",
        Status::Checking => "checking",
        Status::Done { .. } => "done",
        Status::Failed { .. } => "failed",
        Status::Cancelled => "cancelled",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_shown_in_the_unit_that_fits() {
        assert_eq!(readable_size(92.0), "92 bytes");
        assert_eq!(readable_size(1.0), "1 byte");
        assert_eq!(readable_size(999.0), "999 bytes");
        assert_eq!(readable_size(4_321.0), "4.3 KB");
        assert_eq!(readable_size(999_949.0), "999.9 KB");
        assert_eq!(readable_size(999_999.0), "1.0 MB");
        assert_eq!(readable_size(13_000_000.0), "13.0 MB");
    }

    #[test]
    fn only_dropped_connections_and_server_errors_are_unclear() {
        assert!(is_unclear(&ApiError::Network { detail: String::new() }));
        assert!(is_unclear(&ApiError::from_response(504, "")));
        assert!(is_unclear(&ApiError::from_response(500, "")));
        assert!(!is_unclear(&ApiError::from_response(400, "bad")));
        assert!(!is_unclear(&ApiError::Cancelled));
    }

    #[test]
    fn the_size_limit_is_checked_from_the_file_size() {
        assert!(!over_limit(1, ".jpg", 12.0 * 1024.0 * 1024.0));
        assert!(over_limit(1, ".jpg", 13_000_000.0));
    }
}

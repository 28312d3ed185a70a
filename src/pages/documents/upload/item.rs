//! One file in the upload queue: its image info, progress, status line and buttons, all read
//! off its `Status`.

use leptos::{prelude::*, task::spawn_local};
use wasm_bindgen::JsCast;
use web_sys::File;

use super::{
    status::{readable_size, upload_limit, Retry, Status},
    Entry,
};
use crate::{
    api::UploadCancel,
    components::ErrorNotice,
    files,
    pages::documents::{fields::FieldsEditor, DocumentsContext},
};

#[component]
pub(super) fn QueueItem(entry: Entry, start: Callback<Entry>, remove: Callback<u32>) -> impl IntoView {
    let context = expect_context::<DocumentsContext>();
    let name = entry.name.get_value();
    let id = entry.id;
    let categories = context.categories.clone();
    let status = entry.status;
    let frozen = move || status.with(Status::unclear);
    let legend = format!("Image info of {name}");
    // A shrunk photo is sent as a JPEG.
    let shrink_to = upload_limit(context.pat_num, ".jpg");

    let shrink = move |_| {
        status.set(Status::Shrinking);
        let (blob, _) = entry.blob.get_value();
        let Ok(file) = blob.dyn_into::<File>() else { return };
        spawn_local(async move {
            match files::downscale(&file, shrink_to as usize).await {
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
                    retry: Retry::Send,
                }),
                Err(files::DownscaleError::Failed(why)) => status.set(Status::Failed {
                    message: format!("The photo could not be made smaller: {why}."),
                    retry: Retry::Send,
                }),
            }
        });
    };

    view! {
        <li class="queue-item" id=format!("upload-{id}") data-status=move || status.with(Status::name)>
            <div class="queue-head">
                <strong class="file-name">{name.clone()}</strong>
                <span class="meta">{move || readable_size(entry.size.get())}</span>
            </div>
            <Show when=move || status.with(Status::shows_fields)>
                // Shown but not editable while it is unknown whether Open Dental has the file:
                // Retry must look for exactly what was sent.
                <fieldset class="upload-fields" disabled=frozen aria-describedby=format!("upload-{id}-frozen")>
                    <legend class="visually-hidden">{legend.clone()}</legend>
                    <FieldsEditor form=entry.form categories=categories.clone() id=format!("upload-{id}") />
                    <p class="hint" id=format!("upload-{id}-frozen") hidden=move || !frozen()>
                        "These are the details that were sent. They can be changed once Retry has found out whether the file arrived."
                    </p>
                </fieldset>
            </Show>
            <progress
                max=move || status.with(Status::progress).1
                value=move || status.with(Status::progress).0
                aria-label=format!("Upload progress of {name}")
            ></progress>
            <p
                class=move || if status.with(Status::is_problem) { "status error-text" } else { "status" }
                role="status"
                aria-live="polite"
            >
                {move || status.with(|s| s.text(entry.size.get()))}
            </p>
            <div class="actions">
                <Show when=move || status.with(Status::offers_upload)>
                    <button type="button" class="primary" on:click=move |_| start.run(entry)>"Upload"</button>
                </Show>
                <Show when=move || status.with(Status::offers_retry)>
                    <button type="button" class="primary" on:click=move |_| start.run(entry)>"Retry"</button>
                </Show>
                <Show when=move || status.with(Status::offers_shrink)>
                    <button type="button" class="primary" on:click=shrink>"Make it smaller and upload as JPEG"</button>
                </Show>
                <Show when=move || status.with(Status::offers_cancel)>
                    <button type="button" on:click=move |_| entry.cancel.with_value(UploadCancel::cancel)>"Cancel"</button>
                </Show>
                <Show when=move || status.with(Status::offers_remove)>
                    <button type="button" on:click=move |_| remove.run(id)>
                        {move || if matches!(status.get(), Status::Done { .. }) { "Clear" } else { "Remove" }}
                    </button>
                </Show>
            </div>
            {move || status.with(Status::unclear).then(|| view! {
                <ErrorNotice message="Open Dental may have saved this file before the connection failed. Retry checks the patient's documents first and only sends it if it is not there." />
            })}
        </li>
    }
}

//! One document: its image info (GET single), an edit form that PUTs only what changed, and
//! delete with a confirmation that names the document. Mounts show what the list knows.

use leptos::prelude::*;
use opendental::{
    documents::{Document, DocumentFields, DocumentListItem},
    sftp::DownloadItem,
    ApiError,
};

use super::{
    fields::{is_empty, FieldsEditor, FieldsForm},
    list::Selection,
    sftp::SftpPanelState,
    DocumentsContext,
};
use crate::components::{action_failure, ErrorNotice, Loaded, ModalDialog};

#[component]
pub fn DetailPanel(selection: Selection, selected: RwSignal<Option<Selection>>) -> impl IntoView {
    let close = move |_| selected.set(None);
    let body = match selection {
        Selection::Document(doc_num) => view! { <DocumentDetail doc_num selected /> }.into_any(),
        Selection::Mount(mount) => view! { <MountDetail mount=*mount /> }.into_any(),
    };
    view! {
        <aside class="detail-panel card" aria-labelledby="detail-title">
            <div class="detail-head">
                <h3 id="detail-title">"Details"</h3>
                <button type="button" on:click=close aria-label="Close details">"Close"</button>
            </div>
            {body}
        </aside>
    }
}

#[component]
fn MountDetail(mount: DocumentListItem) -> impl IntoView {
    view! {
        <dl class="summary">
            <dt>"Mount"</dt>
            <dd>{mount.description.trim().to_owned()}</dd>
            <dt>"Date"</dt>
            <dd>{mount.date_created.clone()}</dd>
            <dt>"Category"</dt>
            <dd>{mount.doc_category_name.clone()}</dd>
            <dt>"Mount number"</dt>
            <dd>{mount.mount_num}</dd>
        </dl>
        <p class="hint">"A mount arranges several images; its layout is edited in Open Dental."</p>
        <div class="actions">
            <SendToSftp item=DownloadItem::Mount(mount.mount_num) />
        </div>
    }
}

#[component]
fn DocumentDetail(doc_num: i64, selected: RwSignal<Option<Selection>>) -> impl IntoView {
    let context = expect_context::<DocumentsContext>();
    let client = context.client.clone();
    let version = RwSignal::new(0u32);
    let document = LocalResource::new(move || {
        let client = client.clone();
        version.track();
        async move { client.document(doc_num).await }
    });
    let on_saved = Callback::new(move |()| version.update(|v| *v += 1));
    view! {
        <Loaded resource=document loading="Loading the document…" let:doc>
            <DocumentInfo doc selected on_saved />
        </Loaded>
    }
}

#[component]
fn DocumentInfo(doc: Document, selected: RwSignal<Option<Selection>>, on_saved: Callback<()>) -> impl IntoView {
    let context = expect_context::<DocumentsContext>();
    let original = FieldsForm::from_document(&doc);
    let form = RwSignal::new(original.clone());
    // What the form's own check found (a date or teeth Open Dental would refuse).
    let invalid = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let name = if doc.description.trim().is_empty() {
        doc.file_name.clone()
    } else {
        doc.description.trim().to_owned()
    };
    let doc_num = doc.doc_num;

    let save = Action::new_local({
        let context = context.clone();
        move |changes: &DocumentFields| {
            let (context, changes) = (context.clone(), changes.clone());
            async move {
                let saved = context.client.update_document(doc_num, &changes).await?;
                context
                    .announce
                    .run(format!("Saved the image info of “{}”.", saved.description));
                context.reload.run(());
                on_saved.run(());
                Ok::<_, ApiError>(())
            }
        }
    });
    let delete = Action::new_local({
        let (context, name) = (context.clone(), name.clone());
        move |()| {
            let (context, name) = (context.clone(), name.clone());
            async move {
                context.client.delete_document(doc_num).await?;
                context.announce.run(format!("Deleted “{name}”."));
                selected.set(None);
                context.reload.run(());
                Ok::<_, ApiError>(())
            }
        }
    });
    let busy = move || save.pending().get() || delete.pending().get();
    let save_failure = action_failure(save, "Not saved.");
    // Shown in the confirmation, which is modal.
    let delete_failure = action_failure(delete, "Not deleted.");

    let submit = {
        let context = context.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if busy() {
                return;
            }
            invalid.set(None);
            save.value().set(None);
            match form.with_untracked(|f| f.changes_from(&original)) {
                Err(reason) => invalid.set(Some(reason)),
                Ok(changes) if is_empty(&changes) => context.announce.run("Nothing has changed.".into()),
                Ok(changes) => {
                    save.dispatch(changes);
                }
            }
        }
    };
    let keep = move || {
        delete.value().set(None);
        confirming.set(false);
    };

    let question = StoredValue::new(format!(
        "Delete “{name}” ({})? Open Dental removes the file too. This cannot be undone.",
        doc.date_created
    ));
    let categories = context.categories.clone();
    view! {
        <dl class="summary">
            <dt>"File"</dt>
            <dd>{doc.file_name.clone()}</dd>
            <dt>"Category"</dt>
            <dd>{doc.doc_category_name.clone()}</dd>
            <dt>"Last changed"</dt>
            <dd>{doc.date_t_stamp.clone()}</dd>
        </dl>
        <form class="form edit-form" on:submit=submit>
            <FieldsEditor form categories=categories.clone() id="edit" with_print_heading=true />
            {move || invalid.get().or_else(save_failure).map(|message| view! { <ErrorNotice message /> })}
            <div class="actions">
                <button type="submit" class="primary" disabled=busy>"Save changes"</button>
                <SendToSftp item=DownloadItem::Document(doc_num) />
                <button type="button" class="danger" on:click=move |_| confirming.set(true) disabled=busy>
                    "Delete…"
                </button>
            </div>
        </form>
        <Show when=move || confirming.get()>
            // The safe answer has the focus, so Enter never deletes by accident.
            <ModalDialog
                class="confirm card"
                alert=true
                labelled_by="confirm-delete-title"
                described_by="confirm-delete-text"
                initial_focus="keep-document"
                on_cancel=move |()| keep()
            >
                <h4 id="confirm-delete-title">"Delete this document?"</h4>
                <p id="confirm-delete-text">{question.get_value()}</p>
                {move || delete_failure().map(|message| view! { <ErrorNotice message /> })}
                <div class="actions">
                    <button
                        type="button"
                        class="danger"
                        id="confirm-delete"
                        on:click=move |_| {
                            if !busy() {
                                delete.value().set(None);
                                delete.dispatch(());
                            }
                        }
                        disabled=busy
                    >
                        "Delete document"
                    </button>
                    <button type="button" id="keep-document" on:click=move |_| keep()>"Keep it"</button>
                </div>
            </ModalDialog>
        </Show>
    }
}

/// Opens the SFTP panel ready to send this document or mount.
#[component]
fn SendToSftp(item: DownloadItem) -> impl IntoView {
    let panel = expect_context::<SftpPanelState>();
    view! { <button type="button" class="send-to-sftp" on:click=move |_| panel.send(item)>"Send to SFTP…"</button> }
}

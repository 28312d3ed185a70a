//! The SFTP panel: the four SFTP document methods as one form. Open Dental itself connects to
//! the office's SFTP site: UploadSftp imports a file from it; DownloadSftp writes a document
//! (or a mount's composite image) to it; Thumbnails writes 100×100 images of the patient's
//! image documents; DownloadMount writes a mount's images one by one.
//!
//! The password lives only in this panel's input while it is open: it is never stored, never
//! put in a URL, and scrubbed from any message. The username and each action's address are
//! remembered for the tab's session (sessionStorage), so repeated work is quick.

mod model;

use leptos::prelude::*;
use opendental::{documents::DocumentListItem, sftp::DownloadItem};

use self::model::{
    check_login, folder_shown, item_label, item_of, prepare, MountChoice, Outcome, Request, SelectValue, SftpAction,
    SftpMemory,
};
use super::{
    fields::{FieldsEditor, FieldsForm},
    DocumentsContext,
};
use crate::components::{focus_later, ErrorNotice};

/// What the rest of the documents screen may ask of the panel: "Send to SFTP…" in the detail
/// panel opens it on Send with that document or mount chosen. Provided by the screen.
#[derive(Clone, Copy)]
pub struct SftpPanelState {
    open: RwSignal<bool>,
    action: RwSignal<SftpAction>,
    /// The document or mount to send.
    item: RwSignal<Option<DownloadItem>>,
    /// The mount whose images to send.
    mount: RwSignal<Option<MountChoice>>,
}

impl SftpPanelState {
    pub fn new() -> Self {
        SftpPanelState {
            open: RwSignal::new(false),
            action: RwSignal::new(SftpAction::Import),
            item: RwSignal::new(None),
            mount: RwSignal::new(None),
        }
    }

    /// Opens the panel on Send with `item` chosen, and moves focus to the address.
    pub fn send(&self, item: DownloadItem) {
        self.item.set(Some(item));
        self.action.set(SftpAction::Send);
        self.open.set(true);
        focus_later("sftp-address");
    }
}

#[component]
pub fn SftpPanel(documents: LocalResource<Result<Vec<DocumentListItem>, String>>) -> impl IntoView {
    let context = expect_context::<DocumentsContext>();
    let SftpPanelState {
        open,
        action,
        item,
        mount,
    } = expect_context();
    let memory = SftpMemory::load();
    let username = RwSignal::new(memory.username.clone());
    // Only here, only while the panel is open.
    let password = RwSignal::new(String::new());
    let addresses = RwSignal::new(memory.addresses.clone());
    let form = RwSignal::new(FieldsForm::new_document(&context.categories));
    // A check that failed before anything was sent; the answer is the action's value.
    let invalid = RwSignal::new(None::<String>);
    let work = {
        let context = context.clone();
        Action::new_local(move |(request, address): &(Request, String)| {
            let (request, address) = (request.clone(), address.clone());
            let context = context.clone();
            async move {
                let done = run(&context, request, &address).await?;
                // Announced by the panel's own status region, not the page's.
                if matches!(done, Outcome::Imported { .. }) {
                    context.reload.run(());
                }
                Ok::<_, String>(done)
            }
        })
    };
    let busy = work.pending();
    let problem = move || {
        invalid.get().or_else(|| {
            work.value()
                .with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned()))
        })
    };
    let outcome = move || work.value().with(|v| v.as_ref().and_then(|r| r.as_ref().ok().cloned()));

    let categories = StoredValue::new(context.categories.clone());
    let listed = move || documents.get().and_then(Result::ok).unwrap_or_default();
    let address = move || addresses.with(|a| a.get(action.get().id()).cloned().unwrap_or_default());
    let toggle = move |_| {
        open.update(|o| *o = !*o);
        if !open.get_untracked() {
            password.set(String::new());
        }
    };

    let pat_num = context.pat_num;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        invalid.set(None);
        work.clear();
        let action = action.get_untracked();
        let address = addresses.with_untracked(|a| a.get(action.id()).cloned().unwrap_or_default());
        let request =
            check_login(action, &address, &username.get_untracked(), &password.get_untracked()).and_then(|login| {
                prepare(
                    action,
                    pat_num,
                    login,
                    item.get_untracked(),
                    mount.get_untracked(),
                    || form.with_untracked(|f| f.to_fields()),
                )
            });
        let request = match request {
            Ok(request) => request,
            Err(message) => return invalid.set(Some(message)),
        };
        SftpMemory {
            username: username.get_untracked().trim().to_owned(),
            addresses: addresses.get_untracked(),
        }
        .save();
        work.dispatch((request, address));
    };

    view! {
        <section class="sftp card" aria-labelledby="sftp-title">
            <h3 id="sftp-title">
                <button type="button" class="link" aria-expanded=move || open.get().to_string() on:click=toggle>
                    "SFTP"
                </button>
            </h3>
            <Show when=move || open.get()>
                <form class="form sftp-form" on:submit=submit>
                    <p class="hint">
                        "Open Dental connects to your SFTP site itself. The password goes with each request and is never saved."
                    </p>
                    <fieldset class="sftp-actions">
                        <legend>"What to do"</legend>
                        {SftpAction::ALL
                            .into_iter()
                            .map(|a| {
                                view! {
                                    <label class="check">
                                        <input
                                            type="radio"
                                            name="sftp-action"
                                            value=a.id()
                                            prop:checked=move || action.get() == a
                                            on:change=move |_| {
                                                action.set(a);
                                                invalid.set(None);
                                                work.clear();
                                            }
                                        />
                                        {a.label()}
                                    </label>
                                }
                            })
                            .collect_view()}
                    </fieldset>
                    <div class="fields-grid">
                        <div>
                            <label for="sftp-username">"SFTP username"</label>
                            <input
                                id="sftp-username"
                                type="text"
                                autocomplete="off"
                                spellcheck="false"
                                prop:value=move || username.get()
                                on:input:target=move |ev| username.set(ev.target().value())
                            />
                        </div>
                        <div>
                            <label for="sftp-password">"SFTP password"</label>
                            <input
                                id="sftp-password"
                                type="password"
                                autocomplete="off"
                                prop:value=move || password.get()
                                on:input:target=move |ev| password.set(ev.target().value())
                            />
                        </div>
                    </div>
                    {move || {
                        let a = action.get();
                        view! {
                            <ItemChoice action=a listed=Signal::derive(listed) item mount />
                            <label for="sftp-address">"SFTP address"</label>
                            <input
                                id="sftp-address"
                                type="text"
                                spellcheck="false"
                                aria-describedby="sftp-address-help"
                                placeholder=a.placeholder()
                                prop:value=address
                                on:input:target=move |ev| {
                                    addresses.update(|m| {
                                        m.insert(a.id().to_owned(), ev.target().value());
                                    })
                                }
                            />
                            <p class="hint" id="sftp-address-help">{a.address_help()}</p>
                        }
                    }}
                    <Show when=move || action.get() == SftpAction::Import>
                        <FieldsEditor form categories=categories.get_value() id="sftp" />
                    </Show>
                    {move || problem().map(|message| view! { <ErrorNotice message /> })}
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || busy.get()>
                            {move || if busy.get() { "Working…" } else { action.get().submit_label() }}
                        </button>
                    </div>
                    <div role="status" aria-live="polite">
                        {move || busy.get().then(|| view! { <p class="loading">"Open Dental is working with the SFTP site…"</p> })}
                        {move || outcome().map(|done| view! { <OutcomeNotice done /> })}
                    </div>
                </form>
            </Show>
        </section>
    }
}

/// The document or mount to send (DownloadSftp) or the mount (DownloadMount); nothing for
/// the other actions. Chosen from the patient's list, never typed.
#[component]
fn ItemChoice(
    action: SftpAction,
    listed: Signal<Vec<DocumentListItem>>,
    item: RwSignal<Option<DownloadItem>>,
    mount: RwSignal<Option<MountChoice>>,
) -> impl IntoView {
    match action {
        SftpAction::Send => Some(
            view! {
                <label for="sftp-item">"Document or mount"</label>
                <select id="sftp-item" on:change:target=move |ev| item.set(DownloadItem::from_value(&ev.target().value()))>
                    <option value="" prop:selected=move || item.with(Option::is_none)>"Choose…"</option>
                    {move || {
                        let all = listed.get();
                        let (mounts, docs): (Vec<_>, Vec<_>) = all.iter().partition(|i| i.is_mount());
                        let options = |list: Vec<&DocumentListItem>| {
                            list.into_iter().map(|i| choice(item_of(i), item_label(i), item)).collect_view()
                        };
                        view! {
                            <optgroup label="Documents">{options(docs)}</optgroup>
                            <optgroup label="Mounts (one composite image)">{options(mounts)}</optgroup>
                        }
                    }}
                </select>
            }
            .into_any(),
        ),
        SftpAction::MountImages => Some(
            view! {
                <label for="sftp-mount">"Mount"</label>
                <select id="sftp-mount" on:change:target=move |ev| mount.set(MountChoice::from_value(&ev.target().value()))>
                    <option value="" prop:selected=move || mount.with(Option::is_none)>"Choose…"</option>
                    {move || {
                        listed
                            .get()
                            .iter()
                            .filter(|i| i.is_mount())
                            .map(|i| choice(MountChoice(i.mount_num), item_label(i), mount))
                            .collect_view()
                    }}
                </select>
            }
            .into_any(),
        ),
        SftpAction::Import | SftpAction::Thumbnails => None,
    }
}

/// One `<option>`, selected while `chosen` holds its value (which "Send to SFTP…" may set while
/// the list is shown).
fn choice<T>(value: T, label: String, chosen: RwSignal<Option<T>>) -> impl IntoView
where
    T: SelectValue + Copy + PartialEq + Send + Sync + 'static,
{
    view! { <option value=value.to_value() prop:selected=move || chosen.get() == Some(value)>{label}</option> }
}

#[component]
fn OutcomeNotice(done: Outcome) -> impl IntoView {
    let files = match &done {
        Outcome::Files { files, .. } => Some(view! {
            <ul class="sftp-files">
                {files
                    .iter()
                    .map(|f| view! { <li>{format!("{} (document {})", f.file_name, f.doc_num)}</li> })
                    .collect_view()}
            </ul>
        }),
        _ => None,
    };
    let class = if matches!(done, Outcome::Nothing(_)) {
        "notice"
    } else {
        "notice success"
    };
    view! {
        <div class=class>
            <p>{done.summary()}</p>
            {files}
        </div>
    }
}

async fn run(context: &DocumentsContext, request: Request, address: &str) -> Result<Outcome, String> {
    let client = &context.client;
    let failed = |e: opendental::ApiError| format!("Not done. {}", e.message());
    match request {
        Request::Import(request) => client
            .upload_sftp(&request)
            .await
            .map_err(failed)
            .map(|doc| Outcome::Imported {
                doc_num: doc.doc_num,
                category: doc.doc_category_name,
            }),
        Request::Send(request) => client
            .download_sftp(&request)
            .await
            .map_err(failed)
            .map(|answer| Outcome::Written(answer.location)),
        Request::Thumbnails(request) => client
            .thumbnails(&request)
            .await
            .map_err(failed)
            .map(|answer| Outcome::from_files(folder_shown(address), answer)),
        Request::MountImages(request) => client
            .download_mount(&request)
            .await
            .map_err(failed)
            .map(|answer| Outcome::from_files(folder_shown(address), answer)),
    }
}

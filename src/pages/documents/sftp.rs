//! The SFTP panel: the four SFTP document methods as one form. Open Dental itself connects to
//! the office's SFTP site: UploadSftp imports a file from it; DownloadSftp writes a document
//! (or a mount's composite image) to it; Thumbnails writes 100×100 images of the patient's
//! image documents; DownloadMount writes a mount's images one by one.
//!
//! The password lives only in this panel's input while it is open: it is never stored, never
//! put in a URL, and scrubbed from any message. The username and each action's address are
//! remembered for the tab's session (sessionStorage), so repeated work is quick.

use std::collections::BTreeMap;

use leptos::{prelude::*, task::spawn_local};
use opendental::{
    documents::{extension_of, DocumentListItem},
    sftp::{
        DownloadItem, DownloadMount, DownloadSftp, SftpAddress, SftpFile, SftpFiles, SftpLogin, Thumbnails, UploadSftp,
    },
};
use serde::{Deserialize, Serialize};

use super::{
    fields::{FieldsEditor, FieldsForm},
    DocumentsContext, WithProviders,
};
use crate::components::{focus_later, ErrorNotice};

const MEMORY_KEY: &str = "chairside.sftp";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SftpAction {
    Import,
    Send,
    Thumbnails,
    MountImages,
}

impl SftpAction {
    pub const ALL: [SftpAction; 4] = [Self::Import, Self::Send, Self::Thumbnails, Self::MountImages];

    pub fn id(self) -> &'static str {
        match self {
            Self::Import => "import",
            Self::Send => "send",
            Self::Thumbnails => "thumbnails",
            Self::MountImages => "mount-images",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Import => "Import a file from the SFTP site",
            Self::Send => "Send a document or mount",
            Self::Thumbnails => "Send thumbnails of all images",
            Self::MountImages => "Send a mount's images one by one",
        }
    }

    fn submit_label(self) -> &'static str {
        match self {
            Self::Import => "Import file",
            Self::Send => "Send to SFTP",
            Self::Thumbnails => "Send thumbnails",
            Self::MountImages => "Send mount images",
        }
    }

    fn address_help(self) -> &'static str {
        match self {
            Self::Import => "The server, then the file's full path. Open Dental reads it from there.",
            Self::Send => {
                "The server, then a folder ending in / (the document's own file name is used) or a full file path. \
                 A mount is written as one .jpg or .png image."
            }
            Self::Thumbnails => "The server, then a folder. Each thumbnail is named after its document's file.",
            Self::MountImages => "The server, then a folder. Each image keeps its document's file name.",
        }
    }

    fn placeholder(self) -> &'static str {
        match self {
            Self::Import => "sftp.example.com/incoming/scan.jpg",
            Self::Send => "sftp.example.com/exports/",
            Self::Thumbnails => "sftp.example.com/thumbnails/",
            Self::MountImages => "sftp.example.com/mounts/",
        }
    }
}

/// What the rest of the documents screen may ask of the panel: "Send to SFTP…" in the detail
/// panel opens it on Send with that document or mount chosen. Provided by the screen.
#[derive(Clone, Copy)]
pub struct SftpPanelState {
    open: RwSignal<bool>,
    action: RwSignal<SftpAction>,
    /// `item_value` of the document or mount to send; "" for none.
    item: RwSignal<String>,
    /// `item_value` of the mount whose images to send.
    mount: RwSignal<String>,
}

impl SftpPanelState {
    pub fn new() -> Self {
        SftpPanelState {
            open: RwSignal::new(false),
            action: RwSignal::new(SftpAction::Import),
            item: RwSignal::new(String::new()),
            mount: RwSignal::new(String::new()),
        }
    }

    /// Opens the panel on Send with `item` chosen, and moves focus to the address.
    pub fn send(&self, item: DownloadItem) {
        self.item.set(item_value(item));
        self.action.set(SftpAction::Send);
        self.open.set(true);
        focus_later("sftp-address");
    }
}

/// What is remembered for the session: never the password.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SftpMemory {
    pub username: String,
    /// By action id.
    pub addresses: BTreeMap<String, String>,
}

impl SftpMemory {
    fn load() -> SftpMemory {
        session_storage()
            .and_then(|s| s.get_item(MEMORY_KEY).ok().flatten())
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }

    fn save(&self) {
        if let (Some(storage), Ok(json)) = (session_storage(), serde_json::to_string(self)) {
            let _ = storage.set_item(MEMORY_KEY, &json);
        }
    }
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The login part of any action, checked before anything is sent.
pub fn check_login(action: SftpAction, address: &str, username: &str, password: &str) -> Result<SftpLogin, String> {
    let parsed = SftpAddress::parse(address).map_err(|e| e.replace("SftpAddress", "The SFTP address"))?;
    if action == SftpAction::Import {
        let name = parsed.file_name.as_deref().ok_or(
            "The SFTP address ends in a folder: end it with the file's name, e.g. sftp.example.com/incoming/scan.jpg.",
        )?;
        if extension_of(name).is_none() {
            return Err(format!(
                "“{name}” has no file extension: Open Dental needs one (.jpg, .pdf…) to store the file."
            ));
        }
    }
    if username.trim().is_empty() {
        return Err("Enter the SFTP username.".into());
    }
    if password.is_empty() {
        return Err("Enter the SFTP password.".into());
    }
    Ok(SftpLogin {
        address: address.trim().to_owned(),
        username: username.trim().to_owned(),
        password: password.to_owned(),
    })
}

/// A document or mount as a `<select>` value ("doc:2", "mount:1") and back.
pub fn item_value(item: DownloadItem) -> String {
    match item {
        DownloadItem::Document(n) => format!("doc:{n}"),
        DownloadItem::Mount(n) => format!("mount:{n}"),
    }
}

pub fn parse_item(value: &str) -> Option<DownloadItem> {
    let (kind, number) = value.split_once(':')?;
    let number = number.parse().ok().filter(|n| *n > 0)?;
    match kind {
        "doc" => Some(DownloadItem::Document(number)),
        "mount" => Some(DownloadItem::Mount(number)),
        _ => None,
    }
}

/// "PA #3 · 2023-02-14 · SmithJane2.jpg" for a document; "4BW · 2024-03-05 · mount" for a mount.
pub fn item_label(item: &DocumentListItem) -> String {
    let description = match item.description.trim() {
        "" => "(no description)",
        d => d,
    };
    let date = item.date_created.get(..10).unwrap_or(&item.date_created);
    let file = if item.is_mount() {
        "mount"
    } else {
        item.file_path.rsplit(['\\', '/']).next().unwrap_or("")
    };
    format!("{description} · {date} · {file}")
}

/// What the last action did, as the result area says it.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Imported { doc_num: i64, category: String },
    Written(String),
    Files { folder: String, files: Vec<SftpFile> },
    Nothing(String),
}

impl Outcome {
    pub fn from_files(folder: String, answer: SftpFiles) -> Outcome {
        match answer {
            SftpFiles::Written(files) if !files.is_empty() => Outcome::Files { folder, files },
            SftpFiles::Written(_) => Outcome::Nothing("Nothing was written.".into()),
            SftpFiles::Nothing(message) => Outcome::Nothing(message),
        }
    }

    pub fn summary(&self) -> String {
        match self {
            Outcome::Imported { doc_num, category } => {
                format!("Imported as document {doc_num} in {category}. It is in the list below.")
            }
            Outcome::Written(location) => format!("Written to {location}"),
            Outcome::Files { folder, files } => {
                let n = files.len();
                format!("Wrote {n} file{} to {folder}:", if n == 1 { "" } else { "s" })
            }
            Outcome::Nothing(message) => message.clone(),
        }
    }
}

/// The folder an answer's files went to, as the user wrote the address.
fn folder_shown(address: &str) -> String {
    let address = address.trim();
    if address.ends_with('/') {
        address.to_owned()
    } else {
        format!("{address}/")
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
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<Outcome>);

    let categories = StoredValue::new(context.categories.clone());
    let listed = move || documents.get().and_then(Result::ok).unwrap_or_default();
    let address = move || addresses.with(|a| a.get(action.get().id()).cloned().unwrap_or_default());
    let toggle = move |_| {
        open.update(|o| *o = !*o);
        if !open.get_untracked() {
            password.set(String::new());
        }
    };

    let submit = {
        let context = context.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            problem.set(None);
            outcome.set(None);
            let action = action.get_untracked();
            let address = addresses.with_untracked(|a| a.get(action.id()).cloned().unwrap_or_default());
            let login = match check_login(action, &address, &username.get_untracked(), &password.get_untracked()) {
                Ok(login) => login,
                Err(message) => return problem.set(Some(message)),
            };
            let request = match prepare(
                action,
                &context,
                login,
                &item.get_untracked(),
                &mount.get_untracked(),
                form,
            ) {
                Ok(request) => request,
                Err(message) => return problem.set(Some(message)),
            };
            SftpMemory {
                username: username.get_untracked().trim().to_owned(),
                addresses: addresses.get_untracked(),
            }
            .save();
            busy.set(true);
            let context = context.clone();
            spawn_local(async move {
                let result = run(&context, request, &address).await;
                busy.set(false);
                match result {
                    Ok(done) => {
                        // Announced by the panel's own status region, not the page's.
                        if matches!(done, Outcome::Imported { .. }) {
                            context.reload.run(());
                        }
                        outcome.set(Some(done));
                    }
                    Err(message) => problem.set(Some(message)),
                }
            });
        }
    };

    view! {
        <section class="sftp card" aria-labelledby="sftp-title">
            <h3 id="sftp-title">
                <button type="button" class="link" aria-expanded=move || open.get().to_string() on:click=toggle>
                    "SFTP"
                </button>
            </h3>
            <Show when=move || open.get()>
                <form class="form sftp-form" on:submit=submit.clone()>
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
                                                problem.set(None);
                                                outcome.set(None);
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
                        <WithProviders children={
                            let categories = categories.get_value();
                            Box::new(move |providers| {
                                view! { <FieldsEditor form categories=categories.clone() providers id="sftp" /> }.into_any()
                            })
                        } />
                    </Show>
                    {move || problem.get().map(|message| view! { <ErrorNotice message /> })}
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || busy.get()>
                            {move || if busy.get() { "Working…" } else { action.get().submit_label() }}
                        </button>
                    </div>
                    <div role="status" aria-live="polite">
                        {move || busy.get().then(|| view! { <p class="loading">"Open Dental is working with the SFTP site…"</p> })}
                        {move || outcome.get().map(|done| view! { <OutcomeNotice done /> })}
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
    item: RwSignal<String>,
    mount: RwSignal<String>,
) -> impl IntoView {
    // Selection follows the signal, which "Send to SFTP…" may set while the list is shown.
    let option = move |i: &DocumentListItem, chosen: RwSignal<String>| {
        let value = item_value(if i.is_mount() {
            DownloadItem::Mount(i.mount_num)
        } else {
            DownloadItem::Document(i.doc_num)
        });
        let this = value.clone();
        view! { <option value=value prop:selected=move || chosen.get() == this>{item_label(i)}</option> }
    };
    match action {
        SftpAction::Send => Some(
            view! {
                <label for="sftp-item">"Document or mount"</label>
                <select id="sftp-item" on:change:target=move |ev| item.set(ev.target().value())>
                    <option value="" prop:selected=move || item.get().is_empty()>"Choose…"</option>
                    {move || {
                        let all = listed.get();
                        let (mounts, docs): (Vec<_>, Vec<_>) = all.iter().partition(|i| i.is_mount());
                        view! {
                            <optgroup label="Documents">{docs.into_iter().map(|i| option(i, item)).collect_view()}</optgroup>
                            <optgroup label="Mounts (one composite image)">
                                {mounts.into_iter().map(|i| option(i, item)).collect_view()}
                            </optgroup>
                        }
                    }}
                </select>
            }
            .into_any(),
        ),
        SftpAction::MountImages => Some(
            view! {
                <label for="sftp-mount">"Mount"</label>
                <select id="sftp-mount" on:change:target=move |ev| mount.set(ev.target().value())>
                    <option value="" prop:selected=move || mount.get().is_empty()>"Choose…"</option>
                    {move || listed.get().iter().filter(|i| i.is_mount()).map(|i| option(i, mount)).collect_view()}
                </select>
            }
            .into_any(),
        ),
        SftpAction::Import | SftpAction::Thumbnails => None,
    }
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

/// A request ready to send.
enum Request {
    Import(UploadSftp),
    Send(DownloadSftp),
    Thumbnails(Thumbnails),
    MountImages(DownloadMount),
}

fn prepare(
    action: SftpAction,
    context: &DocumentsContext,
    login: SftpLogin,
    item: &str,
    mount: &str,
    form: RwSignal<FieldsForm>,
) -> Result<Request, String> {
    Ok(match action {
        SftpAction::Import => Request::Import(UploadSftp {
            pat_num: context.pat_num,
            login,
            fields: form.with_untracked(|f| f.to_fields())?,
        }),
        SftpAction::Send => {
            let item = parse_item(item).ok_or("Choose the document or mount to send.")?;
            Request::Send(DownloadSftp::new(item, login))
        }
        SftpAction::Thumbnails => Request::Thumbnails(Thumbnails {
            pat_num: context.pat_num,
            login,
        }),
        SftpAction::MountImages => match parse_item(mount) {
            Some(DownloadItem::Mount(mount_num)) => Request::MountImages(DownloadMount { mount_num, login }),
            _ => return Err("Choose the mount whose images to send.".into()),
        },
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_checked_before_sending() {
        let ok = check_login(SftpAction::Import, " site:2222/in/scan.jpg ", " me ", "pw").unwrap();
        assert_eq!(
            (ok.address.as_str(), ok.username.as_str(), ok.password.as_str()),
            ("site:2222/in/scan.jpg", "me", "pw")
        );
        assert!(check_login(SftpAction::Import, "site/in/", "me", "pw")
            .unwrap_err()
            .contains("file's name"));
        assert!(check_login(SftpAction::Import, "site/in/README", "me", "pw")
            .unwrap_err()
            .contains("extension"));
        assert!(check_login(SftpAction::Send, "site/out/", "me", "pw").is_ok());
        assert!(check_login(SftpAction::Thumbnails, "site", "me", "pw").is_ok());
        assert!(check_login(SftpAction::Send, "sftp://site/out/", "me", "pw")
            .unwrap_err()
            .starts_with("The SFTP address"));
        assert_eq!(
            check_login(SftpAction::Send, "site/out/", " ", "pw").unwrap_err(),
            "Enter the SFTP username."
        );
        assert_eq!(
            check_login(SftpAction::Send, "site/out/", "me", "").unwrap_err(),
            "Enter the SFTP password."
        );
    }

    #[test]
    fn items_round_trip_through_select_values() {
        for item in [DownloadItem::Document(2), DownloadItem::Mount(1)] {
            assert_eq!(parse_item(&item_value(item)), Some(item));
        }
        for bad in ["", "doc:", "doc:0", "mount:x", "file:3"] {
            assert_eq!(parse_item(bad), None, "{bad}");
        }
        let doc = DocumentListItem {
            doc_num: 2,
            description: "PA #3".into(),
            date_created: "2023-02-14 09:40:05".into(),
            file_path: r"\\server\OpenDentImages\S\SmithJane1\SmithJane2.jpg".into(),
            ..Default::default()
        };
        assert_eq!(item_label(&doc), "PA #3 · 2023-02-14 · SmithJane2.jpg");
        let mount = DocumentListItem {
            mount_num: 1,
            description: "4BW".into(),
            date_created: "2024-03-05 09:55:00".into(),
            ..Default::default()
        };
        assert_eq!(item_label(&mount), "4BW · 2024-03-05 · mount");
    }

    #[test]
    fn outcomes_say_what_happened() {
        let files = vec![SftpFile {
            doc_num: 12,
            file_name: "SmithJane12.jpg".into(),
        }];
        let done = Outcome::from_files(folder_shown("site/Mounts"), SftpFiles::Written(files));
        assert_eq!(done.summary(), "Wrote 1 file to site/Mounts/:");
        let nothing = Outcome::from_files(
            "x/".into(),
            SftpFiles::Nothing("No mount images could be downloaded.".into()),
        );
        assert_eq!(nothing.summary(), "No mount images could be downloaded.");
        assert_eq!(Outcome::Written("site/a.jpg".into()).summary(), "Written to site/a.jpg");
    }

    #[test]
    fn the_password_is_never_remembered() {
        let memory = SftpMemory {
            username: "me".into(),
            addresses: BTreeMap::from([("send".to_owned(), "site/out/".to_owned())]),
        };
        let json = serde_json::to_string(&memory).unwrap();
        assert!(!json.to_lowercase().contains("password"));
        assert_eq!(serde_json::from_str::<SftpMemory>(&json).unwrap(), memory);
    }
}

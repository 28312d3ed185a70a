//! The patient's documents and images: the list (all pages, with category names, mounts as
//! mounts, pending imports badged), a detail panel to edit or delete, uploads with progress,
//! adding by URL, and the SFTP methods (import from, and send to, the office's SFTP site).
//!
//! Thumbnails in the list and a grid, and a viewer (gateway mode: the files come through the
//! gateway's own SFTP site).
//!
//! Requests to Open Dental: image categories (cached per session), the documents listing and,
//! behind the gateway, one Thumbnails call (kept by the gateway per patient) and one
//! DownloadSftp per mount tile (kept likewise): cold 3 plus one per mount on screen, warm 1.
//! Providers are fetched (once per session) only when a form that needs them opens.

mod by_url;
mod detail;
mod fields;
mod list;
pub mod media;
mod sftp;
mod thumbs;
mod upload;
pub mod view_state;
mod viewer;

use std::sync::Arc;

use leptos::prelude::*;
use opendental::models::Definition;

use crate::{
    api::Client,
    components::{ErrorNotice, Loaded},
    connection::use_connection,
    pages::patient::SelectedPatient,
    reference::image_categories,
};

/// What every part of the screen needs.
#[derive(Clone)]
pub struct DocumentsContext {
    pub client: Client,
    pub pat_num: i64,
    /// Visible image categories, in definition order.
    pub categories: Arc<Vec<Definition>>,
    /// Fetch the list again after a change, so it shows the server's state.
    pub reload: Callback<()>,
    /// Announce the outcome of an action (aria-live).
    pub announce: Callback<String>,
    /// The highest DocNum in the list as last loaded: a document above it is newer.
    pub newest_doc: RwSignal<i64>,
}

#[component]
pub fn DocumentsPage() -> impl IntoView {
    let connection = use_connection();
    let SelectedPatient { pat_num, .. } = expect_context();
    let version = RwSignal::new(0u32);
    let announcement = RwSignal::new(String::new());

    let categories = image_categories();
    let documents = LocalResource::new(move || {
        let client = connection.current_client();
        let pat_num = pat_num.get();
        version.track();
        async move {
            let (Some(client), Some(pat_num)) = (client, pat_num) else {
                return Err("Choose a patient first.".to_owned());
            };
            client.documents(pat_num).await.map_err(|e| e.message())
        }
    });

    view! {
        <section class="page documents">
            <h2>"Documents and images"</h2>
            <p class="visually-hidden" role="status" aria-live="polite">{move || announcement.get()}</p>
            <Loaded resource=categories loading="Loading documents…" let:categories>
                {match (connection.client(), pat_num.get_untracked()) {
                    (Some(client), Some(pat_num)) => {
                        provide_context(DocumentsContext {
                            client,
                            pat_num,
                            categories,
                            reload: Callback::new(move |()| version.update(|v| *v += 1)),
                            announce: Callback::new(move |text: String| announcement.set(text)),
                            newest_doc: RwSignal::new(0),
                        });
                        view! { <DocumentsScreen documents version /> }.into_any()
                    }
                    _ => view! { <ErrorNotice message="Not connected." /> }.into_any(),
                }}
            </Loaded>
        </section>
    }
}

#[component]
fn DocumentsScreen(
    documents: LocalResource<Result<Vec<opendental::documents::DocumentListItem>, String>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let selected = RwSignal::new(None::<list::Selection>);
    provide_context(sftp::SftpPanelState::new());
    let context = expect_context::<DocumentsContext>();
    let pictures = thumbs::Pictures::new(use_connection().is_gateway());
    provide_context(pictures);
    // The patient's thumbnails, side by side with the listing; again after a change (the
    // gateway forgot its copy when the change went through it).
    if pictures.can_view {
        let pat_num = context.pat_num;
        Effect::new(move |_| {
            version.track();
            leptos::task::spawn_local(async move {
                let answer = crate::gateway::thumbnails(pat_num).await;
                crate::perf::mark("chairside-thumbnails-arrived");
                let map = match answer {
                    Ok(thumbnails) => {
                        let _ = pictures.problem.try_set(None);
                        thumbnails.into_iter().map(|t| (t.doc_num, t)).collect()
                    }
                    // The list stands without them: type icons, and why.
                    Err(message) => {
                        let _ = pictures
                            .problem
                            .try_set(Some(format!("Thumbnails are not available: {message}")));
                        Default::default()
                    }
                };
                let _ = pictures.thumbnails.try_set(Some(std::rc::Rc::new(map)));
            });
        });
    }
    let viewing = RwSignal::new(None::<(Vec<opendental::documents::DocumentListItem>, usize)>);
    provide_context(list::OpenViewer(Callback::new(move |open| viewing.set(Some(open)))));
    let close_viewer = Callback::new(move |key: String| {
        viewing.set(None);
        // After the dialog has given the focus back to where it opened: the document shown last.
        crate::components::focus_later(format!("view-{key}"));
    });
    view! {
        <div class="document-tools">
            <upload::UploadPanel />
            <by_url::ByUrlPanel />
            <sftp::SftpPanel documents />
        </div>
        <div class="documents-layout">
            <Loaded resource=documents loading="Loading documents…" keep_shown=true let:items>
                <list::DocumentList items selected />
            </Loaded>
            {move || selected.get().map(|selection| view! { <detail::DetailPanel selection selected /> })}
        </div>
        {move || viewing.get().map(|(items, start)| view! { <viewer::Viewer items start on_close=close_viewer /> })}
    }
}

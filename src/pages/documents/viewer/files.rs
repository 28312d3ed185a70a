//! What the viewer's stage shows, and the files behind it: fetched through the gateway, kept
//! while the viewer is open (the current one and those fetched ahead), each shown through an
//! object URL that is revoked when it is replaced.

use std::collections::HashMap;

use leptos::{prelude::*, task::spawn_local};
use opendental::documents::DocumentListItem;

use super::super::media::{item_key, kind_of, Kind};
use super::super::thumbs::ObjectUrl;
use super::super::view_state::{step_from, Step};
use crate::gateway::{self, FetchedFile};

/// Files kept while the viewer is open: the current one and those fetched ahead.
const KEPT_FILES: usize = 5;

/// What the stage shows.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Shown {
    Loading,
    Image {
        url: String,
        name: String,
    },
    Pdf {
        url: String,
        name: String,
    },
    /// Not something a browser shows (Word, DICOM): offered for download.
    Other {
        url: String,
        name: String,
    },
    Failed(String),
}

impl Shown {
    /// How a file of `content_type` is shown: images the browser draws (not TIFF), PDFs in
    /// its own viewer, anything else offered for download.
    fn of(content_type: &str, url: String, name: String) -> Shown {
        let kind = content_type.to_ascii_lowercase();
        if kind.starts_with("image/") && !kind.contains("tiff") {
            Shown::Image { url, name }
        } else if kind.starts_with("application/pdf") {
            Shown::Pdf { url, name }
        } else {
            Shown::Other { url, name }
        }
    }
}

pub(super) async fn fetch_item(item: &DocumentListItem) -> Result<FetchedFile, String> {
    let url = if item.is_mount() {
        gateway::mount_image_url(item.mount_num)
    } else {
        gateway::document_file_url(item.doc_num)
    };
    gateway::fetch_file(&url).await
}

pub(super) fn present(
    file: &FetchedFile,
    current_url: StoredValue<Option<ObjectUrl>, LocalStorage>,
    shown: RwSignal<Shown>,
) {
    let Some(object_url) = ObjectUrl::new(&file.blob) else {
        return shown.set(Shown::Failed("The browser could not open this file.".into()));
    };
    // The old picture's URL is revoked once the new one is shown.
    shown.set(Shown::of(
        &file.content_type,
        object_url.as_str().to_owned(),
        file.file_name.clone(),
    ));
    current_url.set_value(Some(object_url));
}

pub(super) fn keep(files: StoredValue<HashMap<String, FetchedFile>, LocalStorage>, key: String, file: FetchedFile) {
    let _ = files.try_update_value(|f| {
        if f.len() >= KEPT_FILES && !f.contains_key(&key) {
            if let Some(any) = f.keys().next().cloned() {
                f.remove(&any);
            }
        }
        f.insert(key, file);
    });
}

/// Fetches the next and previous documents ahead, one at a time, only while none of this
/// session's requests wait for the throttle (behind Remote, viewing comes first).
pub(super) fn prefetch(
    at: usize,
    items: StoredValue<Vec<DocumentListItem>>,
    files: StoredValue<HashMap<String, FetchedFile>, LocalStorage>,
) {
    let len = items.with_value(Vec::len);
    let ahead: Vec<DocumentListItem> = [Step::Next, Step::Previous]
        .into_iter()
        .filter_map(|step| step_from(at, len, step))
        .filter_map(|i| items.try_with_value(|items| items[i].clone()))
        // Only images and mounts: a PDF or Word file is opened by choice.
        .filter(|item| item.is_mount() || kind_of(item) == Kind::Image)
        .collect();
    spawn_local(async move {
        for item in ahead {
            let key = item_key(&item);
            if files.try_with_value(|f| f.contains_key(&key)) != Some(false) {
                continue;
            }
            match gateway::queue().await {
                Ok(queue) if queue.waiting == 0 => {}
                _ => return,
            }
            if let Ok(file) = fetch_item(&item).await {
                keep(files, key, file);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::Shown;

    fn shown(content_type: &str) -> Shown {
        Shown::of(content_type, "blob:x".into(), "f".into())
    }

    #[test]
    fn images_are_drawn_pdfs_shown_and_the_rest_offered_for_download() {
        let (url, name) = ("blob:x".to_owned(), "f".to_owned());
        assert_eq!(
            shown("image/jpeg"),
            Shown::Image {
                url: url.clone(),
                name: name.clone()
            }
        );
        assert_eq!(
            shown("IMAGE/PNG"),
            Shown::Image {
                url: url.clone(),
                name: name.clone()
            }
        );
        assert_eq!(
            shown("application/pdf"),
            Shown::Pdf {
                url: url.clone(),
                name: name.clone()
            }
        );
        // Browsers do not draw TIFF.
        assert_eq!(
            shown("image/tiff"),
            Shown::Other {
                url: url.clone(),
                name: name.clone()
            }
        );
        assert_eq!(shown("application/msword"), Shown::Other { url, name });
    }
}

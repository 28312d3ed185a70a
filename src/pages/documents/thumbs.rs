//! Thumbnails in the list and the grid: the patient's thumbnails arrive in one response (base64,
//! from the gateway's one Thumbnails call); a picture is made (a Blob and an object URL) only
//! while its tile is on screen, and revoked when it scrolls away or the screen closes, so a
//! patient with hundreds of images scrolls without holding hundreds of decoded bitmaps.
//! Documents that are not images get a type icon; mounts their composite, made small by the
//! gateway and fetched when first on screen.

use std::{cell::RefCell, collections::HashMap, rc::Rc};

use base64::{engine::general_purpose::STANDARD, Engine};
use leptos::{prelude::*, task::spawn_local};
use opendental::documents::DocumentListItem;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

use super::media::{item_key, kind_of, Kind};
use crate::gateway::{self, EncodedImage};

/// An object URL, revoked when dropped.
pub struct ObjectUrl(String);

impl ObjectUrl {
    pub fn new(blob: &web_sys::Blob) -> Option<ObjectUrl> {
        web_sys::Url::create_object_url_with_blob(blob).ok().map(ObjectUrl)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Drop for ObjectUrl {
    fn drop(&mut self) {
        let _ = web_sys::Url::revoke_object_url(&self.0);
    }
}

/// The bytes as a Blob of that type.
pub fn blob_of(bytes: &[u8], content_type: &str) -> Option<web_sys::Blob> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()
}

/// What the screen knows about pictures: the patient's thumbnails by DocNum, mount tiles once
/// fetched, and the one observer that tells tiles when they are on screen.
#[derive(Clone, Copy)]
pub struct Pictures {
    /// `None` until the thumbnails arrive (or when there is no gateway to ask).
    pub thumbnails: RwSignal<Option<Rc<HashMap<i64, EncodedImage>>>, LocalStorage>,
    mount_tiles: StoredValue<HashMap<i64, web_sys::Blob>, LocalStorage>,
    visibility: StoredValue<Option<Visibility>, LocalStorage>,
    /// Why there are no thumbnails, when asking for them failed.
    pub problem: RwSignal<Option<String>>,
    /// Whether files can be fetched at all (gateway mode).
    pub can_view: bool,
}

impl Pictures {
    pub fn new(can_view: bool) -> Pictures {
        Pictures {
            thumbnails: RwSignal::new_local(None),
            mount_tiles: StoredValue::new_local(HashMap::new()),
            visibility: StoredValue::new_local(Visibility::new()),
            problem: RwSignal::new(None),
            can_view,
        }
    }
}

/// What each tile does when it comes on or goes off screen, by its `data-tile` key.
type Watchers = Rc<RefCell<HashMap<String, Box<dyn Fn(bool)>>>>;

/// One IntersectionObserver for every tile, dispatching by the tile's `data-tile` key.
struct Visibility {
    observer: IntersectionObserver,
    watchers: Watchers,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl Visibility {
    fn new() -> Option<Visibility> {
        let watchers: Watchers = Rc::default();
        let callback = {
            let watchers = watchers.clone();
            Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                for entry in entries.iter() {
                    let entry: IntersectionObserverEntry = entry.unchecked_into();
                    let Some(key) = entry.target().get_attribute("data-tile") else {
                        continue;
                    };
                    if let Some(watch) = watchers.borrow().get(&key) {
                        watch(entry.is_intersecting());
                    }
                }
            })
        };
        let options = IntersectionObserverInit::new();
        // A screenful ahead, so a picture is ready as its tile scrolls in.
        options.set_root_margin("300px 0px");
        let observer = IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &options).ok()?;
        Some(Visibility {
            observer,
            watchers,
            _callback: callback,
        })
    }
}

/// A 100×100 preview of the item: its thumbnail, its mount's composite, or a type icon.
#[component]
pub fn Thumb(item: DocumentListItem) -> impl IntoView {
    let pictures = expect_context::<Pictures>();
    let kind = kind_of(&item);
    let key = format!("{}-{}", item_key(&item), next_tile_number());
    let src = RwSignal::new(String::new());
    let url = StoredValue::new_local(None::<ObjectUrl>);
    let on_screen = RwSignal::new(false);
    let tile = NodeRef::<leptos::html::Span>::new();

    let (doc_num, mount_num) = (item.doc_num, item.mount_num);
    let thumbnail = move || {
        pictures
            .thumbnails
            .with(|t| t.as_ref().and_then(|t| t.get(&doc_num).cloned()))
    };
    let has_picture = Memo::new(move |_| {
        (kind == Kind::Mount && pictures.can_view)
            || pictures
                .thumbnails
                .with(|t| t.as_ref().is_some_and(|t| t.contains_key(&doc_num)))
    });

    // A picture while on screen; none (and the URL revoked) once it leaves.
    Effect::new(move |_| {
        if !on_screen.get() || !has_picture.get() {
            url.set_value(None);
            src.set(String::new());
            return;
        }
        if url.with_value(Option::is_some) {
            return;
        }
        if kind == Kind::Mount {
            let kept = pictures.mount_tiles.with_value(|m| m.get(&mount_num).cloned());
            match kept {
                Some(blob) => show(&blob, url, src),
                None => spawn_local(async move {
                    if let Ok(file) = gateway::fetch_file(&gateway::mount_thumbnail_url(mount_num)).await {
                        let _ = pictures
                            .mount_tiles
                            .try_update_value(|m| m.insert(mount_num, file.blob.clone()));
                        if on_screen.try_get_untracked() == Some(true) {
                            show(&file.blob, url, src);
                        }
                    }
                }),
            }
        } else if let Some(t) = thumbnail() {
            if let Some(blob) = STANDARD
                .decode(t.data.as_bytes())
                .ok()
                .and_then(|bytes| blob_of(&bytes, &t.content_type))
            {
                show(&blob, url, src);
            }
        }
    });

    {
        let key = key.clone();
        tile.on_load(move |el| {
            pictures.visibility.with_value(|v| {
                if let Some(v) = v {
                    v.watchers
                        .borrow_mut()
                        .insert(key.clone(), Box::new(move |visible| on_screen.set(visible)));
                    v.observer.observe(&el);
                }
            });
        });
    }
    {
        let key = key.clone();
        on_cleanup(move || {
            let _ = pictures.visibility.try_with_value(|v| {
                if let Some(v) = v {
                    v.watchers.borrow_mut().remove(&key);
                    if let Some(el) = tile.get_untracked() {
                        v.observer.unobserve(&el);
                    }
                }
            });
            // Revoked with the screen.
            let _ = url.try_set_value(None);
        });
    }

    view! {
        <span class=format!("thumb {}", kind.class()) data-tile=key node_ref=tile>
            {move || {
                let src = src.get();
                if src.is_empty() {
                    view! {
                        <span class=format!("type-icon {}", kind.class()) aria-hidden="true">
                            {if has_picture.get() { "" } else { kind.icon_label() }}
                        </span>
                    }
                        .into_any()
                } else {
                    // The button around it names the document; the picture adds nothing to say.
                    view! { <img src=src alt="" width="100" height="100" decoding="async" /> }.into_any()
                }
            }}
        </span>
    }
}

fn show(blob: &web_sys::Blob, url: StoredValue<Option<ObjectUrl>, LocalStorage>, src: RwSignal<String>) {
    if let Some(object_url) = ObjectUrl::new(blob) {
        src.set(object_url.as_str().to_owned());
        url.set_value(Some(object_url));
    }
}

/// Tiles of the same item in the list and the grid are told apart.
fn next_tile_number() -> u32 {
    thread_local! {
        static NEXT: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    }
    NEXT.with(|n| {
        n.set(n.get() + 1);
        n.get()
    })
}

//! The image viewer: a modal dialog over the documents screen showing one document full size
//! (DownloadSftp through the gateway), a mount's composite with its images one by one
//! (DownloadMount), or a PDF in the browser's own viewer. Zoom (wheel, pinch, buttons, fit,
//! 100 %), pan, rotate, flip, brightness and contrast change only the view (`ViewState`);
//! nothing is written back. Arrow keys and swipes go to the next and previous document, which
//! are fetched ahead when the throttle has nothing waiting. Escape closes it and the focus goes
//! back to the document on screen. Every object URL is revoked when it is replaced and when the
//! viewer closes.

use std::collections::HashMap;

use base64::{engine::general_purpose::STANDARD, Engine};
use leptos::{ev, prelude::*, task::spawn_local};
use opendental::documents::DocumentListItem;

use self::{
    commands::Command,
    files::{fetch_item, keep, prefetch, present, Shown},
    tools::ViewerTools,
};
use super::media::{accessible_text, item_key, title_of};
use super::thumbs::{blob_of, ObjectUrl};
use super::view_state::{step_from, swipe, Size, Step, ViewState};
use crate::components::{sleep_ms, ModalDialog};
use crate::gateway::{self, EncodedImage, FetchedFile};

mod commands;
mod files;
mod tools;

/// Which picture of the current item: the document (or a mount's composite), or one of the
/// mount's images.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Whole,
    MountImage(usize),
}

#[component]
pub fn Viewer(
    items: Vec<DocumentListItem>,
    start: usize,
    /// Called with the key of the document shown last, for the focus to go back to it.
    on_close: Callback<String>,
) -> impl IntoView {
    let items = StoredValue::new(items);
    let len = items.with_value(Vec::len);
    let index = RwSignal::new(start.min(len.saturating_sub(1)));
    let part = RwSignal::new(Part::Whole);
    let view = RwSignal::new(ViewState::default());
    let shown = RwSignal::new(Shown::Loading);
    let natural = RwSignal::new(Size::new(0.0, 0.0));
    let stage_size = RwSignal::new(Size::new(0.0, 0.0));
    let waiting = RwSignal::new(None::<String>);
    let mount_images = RwSignal::new_local(None::<Result<Vec<EncodedImage>, String>>);
    let files = StoredValue::new_local(HashMap::<String, FetchedFile>::new());
    let current_url = StoredValue::new_local(None::<ObjectUrl>);
    let stage = NodeRef::<leptos::html::Div>::new();
    let item = move || items.with_value(|i| i[index.get()].clone());
    let current_key = move || items.with_value(|i| item_key(&i[index.get_untracked()]));

    let measure = move || {
        if let Some(el) = stage.get_untracked() {
            stage_size.set(Size::new(el.client_width() as f64, el.client_height() as f64));
        }
    };

    // Whatever the index or part, fetch (or take from what was fetched ahead) and show.
    Effect::new(move |_| {
        let (i, part) = (index.get(), part.get());
        let item = items.with_value(|items| items[i].clone());
        view.set(ViewState::default());
        natural.set(Size::new(0.0, 0.0));
        crate::perf::mark("chairside-viewer-open");
        match part {
            Part::Whole => {
                let key = item_key(&item);
                if let Some(file) = files.with_value(|f| f.get(&key).cloned()) {
                    present(&file, current_url, shown);
                    prefetch(i, items, files);
                    return;
                }
                shown.set(Shown::Loading);
                spawn_local(async move {
                    let answer = fetch_item(&item).await;
                    // Moved on meanwhile, or closed: this answer is not shown.
                    if index.try_get_untracked() != Some(i) || part != Part::Whole {
                        if let Ok(file) = answer {
                            keep(files, key, file);
                        }
                        return;
                    }
                    match answer {
                        Ok(file) => {
                            present(&file, current_url, shown);
                            keep(files, key, file);
                            prefetch(i, items, files);
                        }
                        Err(message) => shown.set(Shown::Failed(message)),
                    }
                });
            }
            Part::MountImage(n) => {
                let image = mount_images
                    .with_untracked(|m| m.as_ref().and_then(|m| m.as_ref().ok()).and_then(|m| m.get(n).cloned()));
                let Some(image) = image else { return };
                let file = STANDARD
                    .decode(image.data.as_bytes())
                    .ok()
                    .and_then(|bytes| blob_of(&bytes, &image.content_type))
                    .map(|blob| FetchedFile {
                        blob,
                        content_type: image.content_type.clone(),
                        file_name: image.file_name.clone(),
                    });
                match file {
                    Some(file) => present(&file, current_url, shown),
                    None => shown.set(Shown::Failed("This image of the mount could not be read.".into())),
                }
            }
        }
    });

    // While Open Dental writes the file: the throttle queue, if anything waits.
    Effect::new(move |_| {
        if shown.get() != Shown::Loading {
            waiting.set(None);
            return;
        }
        let at = index.get_untracked();
        spawn_local(async move {
            loop {
                sleep_ms(700).await;
                if shown.try_get_untracked() != Some(Shown::Loading) || index.try_get_untracked() != Some(at) {
                    return;
                }
                if let Ok(queue) = gateway::queue().await {
                    let _ = waiting.try_set(queue.text());
                }
            }
        });
    });

    on_cleanup(move || {
        // Every picture this viewer made goes with it.
        let _ = current_url.try_set_value(None);
        let _ = files.try_update_value(HashMap::clear);
    });

    let go = move |step: Step| {
        if let Some(next) = step_from(index.get_untracked(), len, step) {
            part.set(Part::Whole);
            mount_images.set(None);
            index.set(next);
        }
    };

    let with_view = move |change: fn(&mut ViewState, Size, Size)| {
        measure();
        let (n, s) = (natural.get_untracked(), stage_size.get_untracked());
        view.update(|v| change(v, n, s));
    };
    let run = move |command: Command| match command {
        Command::Go(step) => go(step),
        Command::ZoomIn => with_view(|v, n, s| v.zoom_in(n, s)),
        Command::ZoomOut => with_view(|v, n, s| v.zoom_out(n, s)),
        other => view.update(|v| {
            other.apply_to_view(v);
        }),
    };

    let on_key = move |ev: ev::KeyboardEvent| {
        // Sliders and buttons keep their own keys.
        let in_control = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|el| el.tag_name().eq_ignore_ascii_case("input"));
        if in_control || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        if let Some(command) = Command::for_key(&ev.key()) {
            ev.prevent_default();
            run(command);
        }
    };

    // Pointers on the stage: one drags (pan when zoomed in, else a swipe), two pinch.
    let pointers = StoredValue::new(HashMap::<i32, (f64, f64)>::new());
    let gesture_start = StoredValue::new(None::<(f64, f64)>);
    let relative = move |x: f64, y: f64| -> (f64, f64) {
        let Some(el) = stage.get_untracked() else {
            return (0.0, 0.0);
        };
        let rect = el.get_bounding_client_rect();
        (
            x - rect.left() - rect.width() / 2.0,
            y - rect.top() - rect.height() / 2.0,
        )
    };
    let on_pointer_down = move |ev: ev::PointerEvent| {
        if !matches!(shown.get_untracked(), Shown::Image { .. }) {
            return;
        }
        measure();
        if let Some(el) = stage.get_untracked() {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
        let at = (ev.client_x() as f64, ev.client_y() as f64);
        pointers.update_value(|p| {
            p.insert(ev.pointer_id(), at);
        });
        if pointers.with_value(HashMap::len) == 1 {
            gesture_start.set_value(Some(at));
        } else {
            gesture_start.set_value(None);
        }
    };
    let on_pointer_move = move |ev: ev::PointerEvent| {
        let id = ev.pointer_id();
        let Some(before) = pointers.with_value(|p| p.get(&id).copied()) else {
            return;
        };
        let now = (ev.client_x() as f64, ev.client_y() as f64);
        let (n, s) = (natural.get_untracked(), stage_size.get_untracked());
        let others: Vec<(f64, f64)> =
            pointers.with_value(|p| p.iter().filter(|(k, _)| **k != id).map(|(_, v)| *v).collect());
        match others.as_slice() {
            [] => {
                if view.with_untracked(|v| v.is_zoomed_in(n, s)) {
                    view.update(|v| v.pan_by(now.0 - before.0, now.1 - before.1));
                }
            }
            [other, ..] => {
                let distance = |a: (f64, f64), b: (f64, f64)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
                let centre = relative((now.0 + other.0) / 2.0, (now.1 + other.1) / 2.0);
                view.update(|v| v.pinch(distance(before, *other), distance(now, *other), centre, n, s));
            }
        }
        pointers.update_value(|p| {
            p.insert(id, now);
        });
    };
    let on_pointer_up = move |ev: ev::PointerEvent| {
        pointers.update_value(|p| {
            p.remove(&ev.pointer_id());
        });
        let (n, s) = (natural.get_untracked(), stage_size.get_untracked());
        if let Some(start) = gesture_start.get_value() {
            gesture_start.set_value(None);
            if !view.with_untracked(|v| v.is_zoomed_in(n, s)) {
                if let Some(step) = swipe(ev.client_x() as f64 - start.0, ev.client_y() as f64 - start.1) {
                    go(step);
                }
            }
        }
    };
    let on_wheel = move |ev: ev::WheelEvent| {
        if !matches!(shown.get_untracked(), Shown::Image { .. }) {
            return;
        }
        ev.prevent_default();
        measure();
        let at = relative(ev.client_x() as f64, ev.client_y() as f64);
        let (n, s) = (natural.get_untracked(), stage_size.get_untracked());
        view.update(|v| v.wheel(ev.delta_y(), at, n, s));
    };

    let on_image_load = move |ev: ev::Event| {
        let Some(img) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlImageElement>(t).ok())
        else {
            return;
        };
        natural.set(Size::new(img.natural_width() as f64, img.natural_height() as f64));
        measure();
        // Painted: the frame after the decoded image is laid out (for scripts/bench).
        request_animation_frame(move || {
            request_animation_frame(|| crate::perf::mark("chairside-viewer-painted"));
        });
    };

    let load_mount_images = move |_| {
        let item = item();
        mount_images.set(Some(Ok(Vec::new())));
        spawn_local(async move {
            let answer = gateway::mount_items(item.mount_num).await;
            let _ = mount_images.try_set(Some(answer));
        });
    };

    let title = move || title_of(&item());
    let info = move || {
        let item = item();
        let position = format!("{} of {len}", index.get() + 1);
        let part = match part.get() {
            Part::Whole if item.is_mount() => " · composite".to_owned(),
            Part::Whole => String::new(),
            Part::MountImage(n) => format!(" · image {} of the mount", n + 1),
        };
        format!("{} · {position}{part}", accessible_text(&item))
    };
    // Set through the CSSOM (`style:`), which the gateway's CSP allows; a style attribute it
    // would refuse.
    let transform = move || view.get().transform_css(natural.get(), stage_size.get());
    let filter = move || view.get().filter_css();
    let visibility = move || {
        if natural.get().width == 0.0 {
            "hidden"
        } else {
            "visible"
        }
    };
    let percent = Signal::derive(move || view.get().percent(natural.get(), stage_size.get()));
    let close = move || on_close.run(current_key());

    view! {
        <ModalDialog
            class="viewer"
            labelled_by="viewer-title"
            described_by="viewer-info"
            initial_focus="viewer-close"
            on_cancel=move |()| close()
        >
            <div class="viewer-frame" on:keydown=on_key>
                <header class="viewer-head">
                    <h3 id="viewer-title">{title}</h3>
                    <p id="viewer-info" class="meta" aria-live="polite">{info}</p>
                    <button type="button" id="viewer-close" on:click=move |_| close()>"Close"</button>
                </header>
                <ViewerTools index len view percent shown run=Callback::new(run) />
                {move || item().is_mount().then(|| view! {
                    <div class="mount-parts" role="group" aria-label="The mount's images">
                        <button type="button" aria-pressed=move || (part.get() == Part::Whole).to_string()
                            on:click=move |_| part.set(Part::Whole)>"Composite"</button>
                        {move || match mount_images.get() {
                            None => view! {
                                <button type="button" id="viewer-mount-images" on:click=load_mount_images>"Images one by one"</button>
                            }.into_any(),
                            Some(Ok(list)) if list.is_empty() => view! {
                                <span class="meta" role="status">"Getting the mount's images from Open Dental…"</span>
                            }.into_any(),
                            Some(Ok(list)) => list.iter().enumerate().map(|(n, _)| view! {
                                <button type="button" class="mount-image"
                                    aria-pressed=move || (part.get() == Part::MountImage(n)).to_string()
                                    on:click=move |_| part.set(Part::MountImage(n))>{format!("Image {}", n + 1)}</button>
                            }).collect_view().into_any(),
                            Some(Err(message)) => view! { <span class="error-text" role="alert">{message}</span> }.into_any(),
                        }}
                    </div>
                })}
                <div
                    class="viewer-stage"
                    id="viewer-stage"
                    node_ref=stage
                    on:pointerdown=on_pointer_down
                    on:pointermove=on_pointer_move
                    on:pointerup=on_pointer_up
                    on:pointercancel=move |ev: ev::PointerEvent| {
                        pointers.update_value(|p| { p.remove(&ev.pointer_id()); });
                        gesture_start.set_value(None);
                    }
                    on:wheel=on_wheel
                >
                    {move || match shown.get() {
                        Shown::Loading => view! {
                            <div class="viewer-progress" role="status">
                                <progress aria-label="Getting the file"></progress>
                                <p>"Open Dental is writing the file to the gateway…"</p>
                                {move || waiting.get().map(|text| view! { <p class="meta">{text}</p> })}
                            </div>
                        }.into_any(),
                        Shown::Image { url, .. } => view! {
                            <img id="viewer-image" src=url alt=move || accessible_text(&item())
                                style:transform=transform style:filter=filter style:visibility=visibility
                                on:load=on_image_load draggable="false" />
                        }.into_any(),
                        Shown::Pdf { url, .. } => view! {
                            <iframe id="viewer-pdf" src=url title=move || accessible_text(&item())></iframe>
                        }.into_any(),
                        Shown::Other { name, .. } => view! {
                            <p class="viewer-note">
                                {format!("{name}: the browser cannot show this kind of file. Download it to open it.")}
                            </p>
                        }.into_any(),
                        Shown::Failed(message) => view! {
                            <p class="viewer-note error-text" role="alert">{message}</p>
                        }.into_any(),
                    }}
                </div>
            </div>
        </ModalDialog>
    }
}

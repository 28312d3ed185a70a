//! Carries out what the intake machine (`kiosk::machine`) decides: HTTP calls, timers, the
//! photos in memory, the event stream, the page's language, the service worker. Views send
//! events through [`Kiosk::send`] and read the machine; nothing here decides anything.

use std::{collections::HashMap, sync::Arc, time::Duration};

use leptos::{ev, prelude::*, task::spawn_local};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{Blob, EventSource, MessageEvent};

use crate::{
    components::sleep_ms,
    files,
    gateway::kiosk::{self as api, KioskError},
    kiosk::{
        i18n::Lang,
        machine::{Effect, Event, Machine},
        model::KioskState,
    },
};

/// Sent photos are made this size (longest side, pixels): enough to read a card or recognise a
/// face, small enough to send quickly over a waiting-room connection.
pub const KIOSK_PHOTO_PX: f64 = 1600.0;
/// The app shell's service worker (copied into dist by Trunk), registered only in kiosk mode.
const SERVICE_WORKER: &str = "/kiosk/kiosk-sw.js";

/// The kiosk on this device: the machine, and the photos (with their object URLs) that exist
/// only in memory, each until it arrives, is retaken or skipped, or the visit ends.
#[derive(Clone, Copy)]
pub struct Kiosk {
    pub machine: RwSignal<Machine>,
    /// The patient's language, apart: most texts depend on nothing else.
    pub lang: Memo<Lang>,
    photos: StoredValue<HashMap<usize, Photo>, LocalStorage>,
    /// How much of the photo on its way has been sent, in percent.
    pub progress: RwSignal<Option<u8>>,
    stream: StoredValue<Option<Stream>, LocalStorage>,
    /// Skip, finish, abandon and "still here" reach the gateway one at a time, in the order
    /// the machine decided them: a skip overtaken by "finish" would get 410 and never be seen
    /// by staff.
    control: StoredValue<Arc<futures::lock::Mutex<()>>, LocalStorage>,
}

struct Photo {
    blob: Blob,
    url: String,
    /// Made 1600 px JPEG already (its retries send the same bytes).
    resized: bool,
}

struct Stream {
    source: EventSource,
    _closures: Vec<Closure<dyn FnMut(MessageEvent)>>,
}

pub fn use_kiosk() -> Kiosk {
    expect_context::<Kiosk>()
}

impl Kiosk {
    pub fn new(online: bool) -> Self {
        let machine = RwSignal::new(Machine::new(online));
        Kiosk {
            machine,
            lang: Memo::new(move |_| machine.with(|m| m.lang)),
            photos: StoredValue::new_local(HashMap::new()),
            progress: RwSignal::new(None),
            stream: StoredValue::new_local(None),
            control: StoredValue::new_local(Arc::new(futures::lock::Mutex::new(()))),
        }
    }

    /// An event for the machine; what it decides is carried out.
    pub fn send(self, event: Event) {
        let now = js_sys::Date::now();
        // Only a change reaches the screens (the clock ticks four times a second).
        let mut next = self.machine.get_untracked();
        let effects = next.handle(event, now);
        if self.machine.with_untracked(|m| *m != next) {
            self.machine.set(next);
        }
        for effect in effects {
            self.run(effect);
        }
    }

    /// The patient took or chose a photo for the step on screen.
    pub fn photo_taken(self, index: usize, file: web_sys::File) {
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&file) else {
            return;
        };
        self.drop_photo(index);
        self.photos.update_value(|p| {
            p.insert(
                index,
                Photo {
                    blob: file.into(),
                    url,
                    resized: false,
                },
            );
        });
        self.send(Event::PhotoTaken {
            key: crate::api::idempotency_key(),
        });
    }

    pub fn photo_url(self, index: usize) -> Option<String> {
        self.photos.with_value(|p| p.get(&index).map(|p| p.url.clone()))
    }

    fn drop_photo(self, index: usize) {
        self.photos.update_value(|photos| {
            if let Some(photo) = photos.remove(&index) {
                let _ = web_sys::Url::revoke_object_url(&photo.url);
            }
        });
    }

    fn run(self, effect: Effect) {
        match effect {
            Effect::CheckBirthdate { intake, birthdate } => spawn_local(async move {
                let answer = api::check_birthdate(&intake, &birthdate).await;
                self.send(Event::Birthdate { intake, answer });
            }),
            Effect::Upload {
                intake,
                step,
                kind,
                key,
            } => spawn_local(async move {
                let Some(photo) = self.ready_photo(step).await else {
                    return;
                };
                let content_type = if photo.1 { "image/jpeg" } else { original_type(&photo.0) };
                self.progress.set(Some(0));
                let progress = self.progress;
                let outcome = api::put_photo(&intake, kind, &photo.0, content_type, &key, move |sent, total| {
                    progress.set(Some(crate::kiosk::upload::percent(sent, total)))
                })
                .await;
                self.progress.set(None);
                self.send(Event::Upload {
                    intake,
                    step,
                    key,
                    outcome,
                });
            }),
            Effect::RetryAfter { ms, intake, step, key } => spawn_local(async move {
                sleep_ms(ms).await;
                self.send(Event::RetryDue { intake, step, key });
            }),
            Effect::SkipStep { intake, kind } => spawn_local(async move {
                let _turn = self.control_turn().await;
                self.after(&intake, api::skip_step(&intake, kind).await)
            }),
            Effect::Finish { intake } => spawn_local(async move {
                let _turn = self.control_turn().await;
                let _ = api::finish(&intake).await;
            }),
            Effect::Abandon { intake } => spawn_local(async move {
                let _turn = self.control_turn().await;
                let _ = api::abandon(&intake).await;
            }),
            Effect::Activity { intake } => spawn_local(async move {
                let _turn = self.control_turn().await;
                self.after(&intake, api::activity(&intake).await)
            }),
            Effect::DropPhoto(index) => self.drop_photo(index),
            Effect::ForgetPatient => self.forget(),
            Effect::LeaveKioskMode => spawn_local(leave_kiosk_mode()),
            Effect::Reconnect => reload(),
        }
    }

    /// This call's turn among the control calls (taken in the order the tasks start).
    async fn control_turn(self) -> futures::lock::OwnedMutexGuard<()> {
        self.control.get_value().lock_owned().await
    }

    /// A kiosk call's failure that matters to the machine.
    fn after(self, intake: &str, result: Result<(), KioskError>) {
        match result {
            Err(KioskError::Gone) => self.send(Event::Gone {
                intake: intake.to_owned(),
            }),
            Err(KioskError::Revoked) => self.send(Event::Revoked),
            _ => {}
        }
    }

    /// The step's photo as it is sent (1600 px upright JPEG, made once; a format the browser
    /// cannot decode goes as it is), and whether it was resized.
    async fn ready_photo(self, step: usize) -> Option<(Blob, bool)> {
        let (blob, resized) = self
            .photos
            .with_value(|p| p.get(&step).map(|p| (p.blob.clone(), p.resized)))?;
        if resized {
            return Some((blob, true));
        }
        match files::resize_photo(&blob, KIOSK_PHOTO_PX).await {
            Ok(smaller) => {
                self.photos.update_value(|p| {
                    if let Some(photo) = p.get_mut(&step).filter(|p| p.blob == blob) {
                        photo.blob = smaller.clone();
                        photo.resized = true;
                    }
                });
                Some((smaller, true))
            }
            Err(_) => Some((blob, false)),
        }
    }

    /// Every photo and object URL dropped; the history entry says only /kiosk/.
    fn forget(self) {
        self.photos.update_value(|photos| {
            for (_, photo) in photos.drain() {
                let _ = web_sys::Url::revoke_object_url(&photo.url);
            }
        });
        self.progress.set(None);
        stay_at_kiosk_address();
    }

    /// Listens to the kiosk's event stream, reconnecting after a drop; a closed stream whose
    /// GET answers 401 means this device is no longer a kiosk.
    pub fn listen(self) {
        let Ok(source) = EventSource::new(api::KIOSK_EVENTS) else {
            return;
        };
        let on_state = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            if let Some(state) = e
                .data()
                .as_string()
                .and_then(|d| serde_json::from_str::<KioskState>(&d).ok())
            {
                self.send(Event::State(state));
            }
        });
        let on_revoked = Closure::<dyn FnMut(MessageEvent)>::new(move |_| {
            self.close_stream();
            self.send(Event::Revoked);
        });
        let on_error = Closure::<dyn FnMut(MessageEvent)>::new(move |_| {
            let closed = self
                .stream
                .with_value(|s| s.as_ref().map(|s| s.source.ready_state() == EventSource::CLOSED));
            if closed == Some(true) {
                self.close_stream();
                spawn_local(self.reconnect());
            }
        });
        let _ = source.add_event_listener_with_callback("kiosk", on_state.as_ref().unchecked_ref());
        let _ = source.add_event_listener_with_callback("revoked", on_revoked.as_ref().unchecked_ref());
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        self.close_stream();
        self.stream.set_value(Some(Stream {
            source,
            _closures: vec![on_state, on_revoked, on_error],
        }));
    }

    fn close_stream(self) {
        self.stream.update_value(|s| {
            if let Some(stream) = s.take() {
                stream.source.close();
            }
        });
    }

    async fn reconnect(self) {
        loop {
            sleep_ms(2_000).await;
            match api::state().await {
                Ok(state) => {
                    self.send(Event::State(state));
                    return self.listen();
                }
                Err(KioskError::Revoked) => return self.send(Event::Revoked),
                Err(_) => {}
            }
        }
    }

    /// The clock, touches, the network, the page's language, and the app shell's cache.
    pub fn start(self) {
        let tick = set_interval_with_handle(move || self.send(Event::Tick), Duration::from_millis(250)).ok();
        let handles = [
            window_event_listener(ev::pointerdown, move |_| self.send(Event::Touch)),
            window_event_listener(ev::keydown, move |_| self.send(Event::Touch)),
            window_event_listener(ev::input, move |_| self.send(Event::Touch)),
            window_event_listener(ev::online, move |_| self.send(Event::Online(true))),
            window_event_listener(ev::offline, move |_| self.send(Event::Online(false))),
            // Whatever address was typed or gone back to, the kiosk stays at /kiosk/.
            window_event_listener(ev::popstate, |_| stay_at_kiosk_address()),
        ];
        stay_at_kiosk_address();
        leptos::prelude::Effect::new(move |_| {
            let code = self.lang.get().code();
            if let Some(html) = document().document_element() {
                let _ = html.set_attribute("lang", code);
            }
        });
        register_service_worker();
        on_cleanup(move || {
            if let Some(tick) = tick {
                tick.clear();
            }
            for handle in handles {
                handle.remove();
            }
            self.close_stream();
        });
    }
}

fn original_type(blob: &Blob) -> &'static str {
    if blob.type_() == "image/png" {
        "image/png"
    } else {
        "image/jpeg"
    }
}

pub fn stay_at_kiosk_address() {
    let Some(window) = web_sys::window() else { return };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(crate::KIOSK_HOME));
    }
}

fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// Whether a service worker controls this page: only a kiosk registers one, so a page that
/// loads without the network and is controlled is a kiosk's.
pub fn controlled_by_service_worker() -> bool {
    web_sys::window().is_some_and(|w| w.navigator().service_worker().controller().is_some())
}

fn register_service_worker() {
    let Some(window) = web_sys::window() else { return };
    let _ = window.navigator().service_worker().register(SERVICE_WORKER);
}

/// This device is a kiosk no more: its service worker and cached shell go, and the app starts
/// afresh (as a staff device: the sign-in page).
pub async fn leave_kiosk_mode() {
    if let Some(window) = web_sys::window() {
        let container = window.navigator().service_worker();
        if let Ok(list) = wasm_bindgen_futures::JsFuture::from(container.get_registrations()).await {
            for registration in js_sys::Array::from(&list).iter() {
                if let Ok(registration) = registration.dyn_into::<web_sys::ServiceWorkerRegistration>() {
                    if let Ok(done) = registration.unregister() {
                        let _ = wasm_bindgen_futures::JsFuture::from(done).await;
                    }
                }
            }
        }
        if let Ok(caches) = window.caches() {
            if let Ok(names) = wasm_bindgen_futures::JsFuture::from(caches.keys()).await {
                for name in js_sys::Array::from(&names).iter() {
                    if let Some(name) = name.as_string() {
                        let _ = wasm_bindgen_futures::JsFuture::from(caches.delete(&name)).await;
                    }
                }
            }
        }
        let _ = window.location().replace("/");
    }
}

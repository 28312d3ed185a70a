//! Carries out what the intake machine (`kiosk::machine`) decides: HTTP calls, timers, the
//! photos in memory, the event stream, the page's language, the service worker; and redraws
//! the page after every change. Nothing here decides anything.

use std::{cell::RefCell, collections::HashMap, rc::Rc};

use futures::lock::{Mutex, MutexGuard};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{Blob, Element, EventSource, HtmlElement, KeyboardEvent, MessageEvent};

use super::dom::{self, Dialogs};
use crate::{
    callback, files,
    gateway::kiosk::{self as api, KioskError},
    kiosk::{
        i18n::today,
        machine::{Effect, Event, Machine, Screen},
        model::KioskState,
        tree::El,
        view::{page, Ui},
    },
};

/// Sent photos are made this size (longest side, pixels): enough to read a card or recognise a
/// face, small enough to send quickly over a waiting-room connection.
const KIOSK_PHOTO_PX: f64 = 1600.0;
/// The app shell's service worker (copied into dist by Trunk), registered only in kiosk mode.
const SERVICE_WORKER: &str = "/kiosk/kiosk-sw.js";

/// The kiosk on this device (one per page; clones share it).
#[derive(Clone)]
pub struct Kiosk(Rc<Inner>);

struct Inner {
    state: RefCell<State>,
    page: RefCell<Page>,
    stream: RefCell<Option<Stream>>,
    /// Skip, finish, abandon and "still here" reach the gateway one at a time, in the order
    /// the machine decided them: a skip overtaken by "finish" would get 410 and never be seen
    /// by staff.
    control: Mutex<()>,
}

struct State {
    machine: Machine,
    ui: Ui,
    /// The photos (with their object URLs) that exist only in memory, each until it arrives,
    /// is retaken or skipped, or the visit ends.
    photos: HashMap<usize, Photo>,
}

/// What is on the page: its root element, the tree it was drawn from, its open dialogs.
struct Page {
    root: Element,
    drawn: El,
    dialogs: Dialogs,
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

impl Kiosk {
    /// Draws the kiosk into `body`. `online`: paired and heard from the gateway (else started
    /// from the service worker's shell, waiting for the network).
    pub fn mount(body: &HtmlElement, kiosk_name: String, online: bool) -> Option<Kiosk> {
        let doc = dom::document()?;
        let state = State {
            machine: Machine::new(online),
            ui: Ui {
                kiosk_name,
                ..Ui::default()
            },
            photos: HashMap::new(),
        };
        let drawn = page(&state.machine, &state.ui);
        let root = dom::build(&doc, &drawn.clone().into())?.dyn_into::<Element>().ok()?;
        body.append_child(&root).ok()?;
        let kiosk = Kiosk(Rc::new(Inner {
            state: RefCell::new(state),
            page: RefCell::new(Page {
                root,
                drawn,
                dialogs: Dialogs::default(),
            }),
            stream: RefCell::new(None),
            control: Mutex::new(()),
        }));
        kiosk.redraw();
        Some(kiosk)
    }

    pub fn root(&self) -> Option<Element> {
        Some(self.0.page.try_borrow().ok()?.root.clone())
    }

    /// Draws the page afresh from the state (only what changed is touched), then moves the
    /// focus: to a new screen's title, so a screen reader announces it and the keyboard starts
    /// from the top; into a dialog that opened; back from one that closed.
    fn redraw(&self) {
        let Some(doc) = dom::document() else { return };
        let (tree, lang) = {
            let mut state = self.0.state.borrow_mut();
            let State { machine, ui, photos } = &mut *state;
            ui.today = today(machine.lang.texts());
            ui.photo = match machine.screen {
                Screen::Step(index) => photos.get(&index).map(|p| p.url.clone()),
                _ => None,
            };
            (page(machine, ui), machine.lang)
        };
        let mut page = self.0.page.borrow_mut();
        let before = screen_key(&page.drawn);
        dom::patch(&doc, &page.root, &page.drawn, &tree);
        let new_screen = screen_key(&tree) != before;
        page.drawn = tree;
        let Page { root, dialogs, .. } = &mut *page;
        dialogs.sync(root);
        if new_screen {
            dom::focus("kiosk-title");
        }
        if let Some(html) = doc.document_element() {
            if html.get_attribute("lang").as_deref() != Some(lang.code()) {
                let _ = html.set_attribute("lang", lang.code());
            }
        }
    }

    pub fn dialog_key(&self, ev: &KeyboardEvent) -> Option<String> {
        self.0.page.borrow().dialogs.key(ev)
    }

    pub fn update_ui(&self, change: impl FnOnce(&mut Ui)) {
        change(&mut self.0.state.borrow_mut().ui);
        self.redraw();
    }

    pub fn with_ui<T>(&self, read: impl FnOnce(&Ui) -> T) -> T {
        read(&self.0.state.borrow().ui)
    }

    /// An event for the machine; what it decides is carried out, and a change redrawn.
    pub fn send(&self, event: Event) {
        let now = js_sys::Date::now();
        let (changed, effects) = {
            let mut state = self.0.state.borrow_mut();
            let before = state.machine.clone();
            let effects = state.machine.handle(event, now);
            (state.machine != before, effects)
        };
        for effect in effects {
            self.run(effect);
        }
        if changed {
            self.redraw();
        }
    }

    /// The patient took or chose a photo for the step on screen.
    pub fn photo_taken(&self, file: web_sys::File) {
        let Screen::Step(index) = self.0.state.borrow().machine.screen else {
            return;
        };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&file) else {
            return;
        };
        self.drop_photo(index);
        let photo = Photo {
            blob: file.into(),
            url,
            resized: false,
        };
        self.0.state.borrow_mut().photos.insert(index, photo);
        self.send(Event::PhotoTaken {
            key: crate::api::idempotency_key(),
        });
    }

    fn drop_photo(&self, index: usize) {
        if let Some(photo) = self.0.state.borrow_mut().photos.remove(&index) {
            let _ = web_sys::Url::revoke_object_url(&photo.url);
        }
    }

    fn run(&self, effect: Effect) {
        use wasm_bindgen_futures::spawn_local;
        let k = self.clone();
        match effect {
            Effect::CheckBirthdate { intake, birthdate } => spawn_local(async move {
                let answer = api::check_birthdate(&intake, &birthdate).await;
                k.send(Event::Birthdate { intake, answer });
            }),
            Effect::Upload {
                intake,
                step,
                kind,
                key,
            } => spawn_local(async move {
                let Some((photo, resized)) = k.ready_photo(step).await else {
                    return;
                };
                let content_type = if resized { "image/jpeg" } else { original_type(&photo) };
                k.set_progress(Some(0));
                let progress = k.clone();
                let outcome = api::put_photo(&intake, kind, &photo, content_type, &key, move |sent, total| {
                    progress.set_progress(Some(crate::kiosk::upload::percent(sent, total)))
                })
                .await;
                k.set_progress(None);
                k.send(Event::Upload {
                    intake,
                    step,
                    key,
                    outcome,
                });
            }),
            Effect::RetryAfter { ms, intake, step, key } => spawn_local(async move {
                sleep_ms(ms).await;
                k.send(Event::RetryDue { intake, step, key });
            }),
            Effect::SkipStep { intake, kind } => spawn_local(async move {
                let result = {
                    let _turn = k.control_turn().await;
                    api::skip_step(&intake, kind).await
                };
                k.after(&intake, result)
            }),
            Effect::Finish { intake } => spawn_local(async move {
                let _turn = k.control_turn().await;
                let _ = api::finish(&intake).await;
            }),
            Effect::Abandon { intake } => spawn_local(async move {
                let _turn = k.control_turn().await;
                let _ = api::abandon(&intake).await;
            }),
            Effect::Activity { intake } => spawn_local(async move {
                let result = {
                    let _turn = k.control_turn().await;
                    api::activity(&intake).await
                };
                k.after(&intake, result)
            }),
            Effect::DropPhoto(index) => self.drop_photo(index),
            Effect::ForgetPatient => self.forget(),
            Effect::LeaveKioskMode => wasm_bindgen_futures::spawn_local(leave_kiosk_mode()),
            Effect::Reconnect => reload(),
        }
    }

    fn set_progress(&self, progress: Option<u8>) {
        let changed = {
            let mut state = self.0.state.borrow_mut();
            std::mem::replace(&mut state.ui.progress, progress) != progress
        };
        if changed {
            self.redraw();
        }
    }

    /// This call's turn among the control calls (taken in the order the tasks start).
    async fn control_turn(&self) -> MutexGuard<'_, ()> {
        self.0.control.lock().await
    }

    /// A kiosk call's failure that matters to the machine.
    fn after(&self, intake: &str, result: Result<(), KioskError>) {
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
    async fn ready_photo(&self, step: usize) -> Option<(Blob, bool)> {
        let (blob, resized) = {
            let state = self.0.state.borrow();
            let photo = state.photos.get(&step)?;
            (photo.blob.clone(), photo.resized)
        };
        if resized {
            return Some((blob, true));
        }
        match files::resize_photo(&blob, KIOSK_PHOTO_PX).await {
            Ok(smaller) => {
                let mut state = self.0.state.borrow_mut();
                if let Some(photo) = state.photos.get_mut(&step).filter(|p| p.blob == blob) {
                    photo.blob = smaller.clone();
                    photo.resized = true;
                }
                Some((smaller, true))
            }
            Err(_) => Some((blob, false)),
        }
    }

    /// Every photo and object URL dropped; the history entry says only /kiosk/.
    fn forget(&self) {
        {
            let mut state = self.0.state.borrow_mut();
            for (_, photo) in state.photos.drain() {
                let _ = web_sys::Url::revoke_object_url(&photo.url);
            }
            state.ui.progress = None;
        }
        stay_at_kiosk_address();
    }

    /// Listens to the kiosk's event stream, reconnecting after a drop; a closed stream whose
    /// GET answers 401 means this device is no longer a kiosk.
    pub fn listen(&self) {
        let Ok(source) = EventSource::new(api::KIOSK_EVENTS) else {
            return;
        };
        let k = self.clone();
        let on_state = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            if let Some(state) = e
                .data()
                .as_string()
                .and_then(|d| serde_json::from_str::<KioskState>(&d).ok())
            {
                k.send(Event::State(state));
            }
        });
        let k = self.clone();
        let on_revoked = Closure::<dyn FnMut(MessageEvent)>::new(move |_| {
            k.close_stream();
            k.send(Event::Revoked);
        });
        let k = self.clone();
        let on_error = Closure::<dyn FnMut(MessageEvent)>::new(move |_| {
            let closed =
                k.0.stream
                    .borrow()
                    .as_ref()
                    .map(|s| s.source.ready_state() == EventSource::CLOSED);
            if closed == Some(true) {
                k.close_stream();
                wasm_bindgen_futures::spawn_local(k.clone().reconnect());
            }
        });
        let _ = source.add_event_listener_with_callback("kiosk", on_state.as_ref().unchecked_ref());
        let _ = source.add_event_listener_with_callback("revoked", on_revoked.as_ref().unchecked_ref());
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        self.close_stream();
        *self.0.stream.borrow_mut() = Some(Stream {
            source,
            _closures: vec![on_state, on_revoked, on_error],
        });
    }

    fn close_stream(&self) {
        if let Some(stream) = self.0.stream.borrow_mut().take() {
            stream.source.close();
        }
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

    /// The clock, touches, the network, the address, and the app shell's cache. The page lives
    /// as long as the tablet shows it, so these are never removed.
    pub fn start(&self) {
        let Some(window) = web_sys::window() else { return };
        let k = self.clone();
        let tick = Closure::<dyn Fn()>::new(move || k.send(Event::Tick));
        let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), 250);
        tick.forget();
        let on = |kind: &str, event: fn() -> Event| {
            let k = self.clone();
            let listener = Closure::<dyn Fn()>::new(move || k.send(event()));
            let _ = window.add_event_listener_with_callback(kind, listener.as_ref().unchecked_ref());
            listener.forget();
        };
        on("pointerdown", || Event::Touch);
        on("keydown", || Event::Touch);
        on("input", || Event::Touch);
        on("online", || Event::Online(true));
        on("offline", || Event::Online(false));
        // Whatever address was typed or gone back to, the kiosk stays at /kiosk/.
        let stay = Closure::<dyn Fn()>::new(stay_at_kiosk_address);
        let _ = window.add_event_listener_with_callback("popstate", stay.as_ref().unchecked_ref());
        stay.forget();
        stay_at_kiosk_address();
        let _ = window.navigator().service_worker().register(SERVICE_WORKER);
    }
}

/// Which screen (or none) the tree shows: its section's key.
fn screen_key(page: &El) -> Option<&str> {
    let main = page.elements().find(|e| e.tag == "main")?;
    main.elements().next().map(|screen| screen.key.as_str())
}

pub async fn sleep_ms(ms: u32) {
    let Some(window) = web_sys::window() else { return };
    let (settle, settled) = callback::channel::<()>();
    let done = settle.with(());
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(done.as_ref().unchecked_ref(), ms as i32);
    settled.wait().await;
}

fn original_type(blob: &Blob) -> &'static str {
    if blob.type_() == "image/png" {
        "image/png"
    } else {
        "image/jpeg"
    }
}

fn stay_at_kiosk_address() {
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

/// This device is a kiosk no more: its service worker and cached shell go, and the app starts
/// afresh (as a staff device: the sign-in page).
pub async fn leave_kiosk_mode() {
    let Some(window) = web_sys::window() else { return };
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

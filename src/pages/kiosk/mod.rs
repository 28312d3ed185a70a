//! Patient-intake kiosk: staff hand the tablet to one patient, who confirms their birthdate and
//! photographs themselves, their insurance card and their ID; the photos go straight into Open
//! Dental with Documents POST Upload.
//!
//! Privacy: the patient exists only in memory. Kiosk URLs never name a patient (so history,
//! reload and URL editing reveal nothing); while the device is locked as a kiosk, every staff
//! screen is replaced by the kiosk screen and nothing but Upload is called, and, only when an
//! upload's outcome is unknown, this patient's documents to find out (`retry`; nothing of
//! them is shown or kept). A reset (finishing,
//! idle timeout, staff exit) revokes photo URLs, drops every photo and patient detail, and
//! replaces the history entry. Leaving kiosk mode needs the staff PIN.

mod retry;
pub mod setup;
mod setup_page;

use std::{collections::HashMap, time::Duration};

use leptos::{ev, prelude::*, task::spawn_local};
use leptos_router::{hooks::use_navigate, NavigateOptions};
use opendental::{
    documents::{DocumentFields, Upload},
    models::Patient,
    wire::date_or_none,
    ApiError,
};
use wasm_bindgen::JsCast;
use web_sys::Blob;

pub use setup_page::KioskSetupPage;

use crate::{
    api::{idempotency_key, Client, UploadCancel},
    components::{focus_later, sleep_ms, ModalDialog},
    connection::use_connection,
    files,
};
use setup::{KioskSetup, StepSetup};

/// Sent photos are made this size (longest side, pixels): enough to read a card or recognise a
/// face, small enough to send quickly over a waiting-room connection.
pub const KIOSK_PHOTO_PX: f64 = 1600.0;
const LOCK_KEY: &str = "chairside.kiosk-locked";

/// What one step has come to.
#[derive(Clone, Debug, PartialEq)]
enum StepState {
    Waiting,
    Preview(String),
    Sending {
        sent: f64,
        total: f64,
        attempt: usize,
    },
    /// Finding out whether an upload that failed unclearly arrived.
    Checking,
    Sent,
    Failed,
    Skipped,
}

/// The patient's session: in memory only, gone on reset.
#[derive(Clone, Debug, PartialEq)]
struct Session {
    /// Tells sessions apart, so work left over from one (a retry waiting) never touches the next.
    id: f64,
    pat_num: i64,
    first_name: String,
    birthdate: String,
    confirmed: bool,
    wrong_birthdates: u8,
    step: usize,
    steps: Vec<StepSetup>,
    idle_seconds: u32,
}

/// App-wide kiosk state.
#[derive(Clone, Copy)]
pub struct Kiosk {
    pub locked: RwSignal<bool>,
    session: RwSignal<Option<Session>>,
    states: RwSignal<Vec<StepState>>,
    /// Photos by step, with their object URLs; never anywhere but memory.
    photos: StoredValue<HashMap<usize, (Blob, String)>, LocalStorage>,
    /// Documents this session's photos became: never taken for another photo's.
    claimed: StoredValue<Vec<i64>>,
    notice: RwSignal<Option<String>>,
}

impl Kiosk {
    /// Whether this tab was made a kiosk (kept in sessionStorage so a reload stays locked).
    pub fn locked_in_storage() -> bool {
        session_storage()
            .and_then(|s| s.get_item(LOCK_KEY).ok().flatten())
            .is_some()
    }

    pub fn restore() -> Self {
        Kiosk {
            locked: RwSignal::new(Self::locked_in_storage()),
            session: RwSignal::new(None),
            states: RwSignal::new(Vec::new()),
            photos: StoredValue::new_local(HashMap::new()),
            claimed: StoredValue::new(Vec::new()),
            notice: RwSignal::new(None),
        }
    }

    /// Locks the device as a kiosk for this patient.
    pub fn start(&self, patient: &Patient, setup: &KioskSetup) {
        let first_name = if patient.preferred.trim().is_empty() {
            &patient.f_name
        } else {
            &patient.preferred
        };
        let steps = setup.enabled_steps();
        self.states.set(vec![StepState::Waiting; steps.len()]);
        self.session.set(Some(Session {
            id: js_sys::Math::random(),
            pat_num: patient.pat_num,
            first_name: first_name.trim().to_owned(),
            birthdate: patient.birthdate.clone(),
            confirmed: false,
            wrong_birthdates: 0,
            step: 0,
            steps,
            idle_seconds: setup.idle_seconds.max(2),
        }));
        self.notice.set(None);
        if let Some(s) = session_storage() {
            let _ = s.set_item(LOCK_KEY, "locked");
        }
        self.locked.set(true);
    }

    /// Forgets the patient entirely; the kiosk waits for the front desk.
    pub fn reset(&self, notice: Option<&str>) {
        self.photos.update_value(|photos| {
            for (_, url) in photos.values() {
                let _ = web_sys::Url::revoke_object_url(url);
            }
            photos.clear();
        });
        self.claimed.set_value(Vec::new());
        self.session.set(None);
        self.states.set(Vec::new());
        self.notice.set(notice.map(str::to_owned));
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/kiosk"));
        }
    }

    pub fn unlock(&self) {
        self.reset(None);
        if let Some(s) = session_storage() {
            let _ = s.remove_item(LOCK_KEY);
        }
        self.locked.set(false);
    }
}

pub fn use_kiosk() -> Kiosk {
    expect_context::<Kiosk>()
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The whole screen while the device is a kiosk, whatever the URL says.
#[component]
pub fn KioskScreen() -> impl IntoView {
    let kiosk = use_kiosk();
    // Whatever address was typed or gone back to, the kiosk stays at /kiosk. The history entry
    // is replaced directly (the kiosk screen does not depend on the route, and no routes are
    // mounted to follow the back button).
    stay_at_kiosk_address();
    let back_handle = window_event_listener(ev::popstate, |_| stay_at_kiosk_address());
    on_cleanup(move || back_handle.remove());
    let large = RwSignal::new(false);
    let exiting = RwSignal::new(false);
    let screen = Memo::new(move |_| {
        kiosk.session.with(|s| match s {
            None => Screen::HandBack,
            Some(s) if !s.confirmed => Screen::Confirm,
            Some(s) if s.step < s.steps.len() => Screen::Step(s.step),
            Some(_) => Screen::Thanks,
        })
    });
    // Each new screen takes the focus on its title, so a screen reader announces it and the
    // keyboard starts from the top.
    Effect::new(move |previous: Option<Screen>| {
        let now = screen.get();
        if previous.is_some_and(|p| p != now) {
            focus_later("kiosk-title");
        }
        now
    });
    view! {
        <div class="kiosk" class:large=move || large.get()>
            <header class="kiosk-bar">
                <span class="brand">"Check-in"</span>
                // Larger text and more contrast; the pressed state shows as a filled, ticked button.
                <button type="button" class="kiosk-toggle" aria-pressed=move || large.get().to_string() on:click=move |_| large.update(|l| *l = !*l)>
                    "Larger text"
                </button>
                <button type="button" class="kiosk-staff" on:click=move |_| exiting.set(true)>"Staff"</button>
            </header>
            <main id="main" class="kiosk-main" tabindex="-1">
                {move || match screen.get() {
                    Screen::HandBack => view! { <HandBack /> }.into_any(),
                    Screen::Confirm => view! { <ConfirmIdentity /> }.into_any(),
                    Screen::Step(index) => view! { <PhotoStep index /> }.into_any(),
                    Screen::Thanks => view! { <ThankYou /> }.into_any(),
                }}
            </main>
            <Show when=move || kiosk.session.with(Option::is_some)>
                <IdleWatch />
            </Show>
            <Show when=move || exiting.get()>
                <ExitDialog exiting />
            </Show>
        </div>
    }
}

fn stay_at_kiosk_address() {
    let Some(window) = web_sys::window() else { return };
    if window.location().pathname().ok().as_deref() != Some("/kiosk") {
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/kiosk"));
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Screen {
    HandBack,
    Confirm,
    Step(usize),
    Thanks,
}

#[component]
fn HandBack() -> impl IntoView {
    let kiosk = use_kiosk();
    view! {
        <section class="kiosk-card" aria-labelledby="kiosk-title">
            <h1 id="kiosk-title" tabindex="-1">"Please hand this tablet to the front desk."</h1>
            <p>"They will set it up for you."</p>
            {move || kiosk.notice.get().map(|n| view! { <p class="kiosk-notice" role="status">{n}</p> })}
        </section>
    }
}

#[component]
fn ConfirmIdentity() -> impl IntoView {
    let kiosk = use_kiosk();
    let name = kiosk
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.first_name.clone()).unwrap_or_default());
    let birthdate = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let typed = birthdate.get_untracked();
        let Some(expected) = kiosk
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.birthdate.clone()))
        else {
            return;
        };
        if date_or_none(&expected).is_some() && typed.trim() == expected.trim() {
            kiosk.session.update(|s| {
                if let Some(s) = s {
                    s.confirmed = true;
                }
            });
            return;
        }
        let tries = kiosk.session.try_update(|s| {
            s.as_mut().map(|s| {
                s.wrong_birthdates += 1;
                s.wrong_birthdates
            })
        });
        if tries.flatten().unwrap_or(3) >= 3 {
            kiosk.reset(Some("We could not confirm who you are. Please see the front desk."));
        } else {
            problem.set(Some("That date does not match our records. Please try again.".into()));
        }
    };
    view! {
        <form class="kiosk-card" on:submit=submit aria-labelledby="kiosk-title">
            <h1 id="kiosk-title" tabindex="-1">{format!("Hello, {name}.")}</h1>
            <p>"To protect your privacy, please enter your date of birth."</p>
            <label for="kiosk-birthdate">"Date of birth"</label>
            <input id="kiosk-birthdate" type="date" required bind:value=birthdate />
            {move || problem.get().map(|p| view! { <p class="kiosk-error" role="alert">{p}</p> })}
            <button type="submit" class="kiosk-primary">"Continue"</button>
        </form>
    }
}

fn advance(kiosk: Kiosk) {
    kiosk.session.update(|s| {
        if let Some(s) = s {
            s.step += 1;
        }
    });
}

fn set_state(kiosk: Kiosk, index: usize, state: StepState) {
    kiosk.states.update(|states| {
        if let Some(slot) = states.get_mut(index) {
            *slot = state;
        }
    });
}

fn drop_photo(kiosk: Kiosk, index: usize) {
    kiosk.photos.update_value(|photos| {
        if let Some((_, url)) = photos.remove(&index) {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });
}

#[component]
fn PhotoStep(index: usize) -> impl IntoView {
    let kiosk = use_kiosk();
    let connection = use_connection();
    let Some(session) = kiosk.session.get_untracked() else {
        return ().into_any();
    };
    let step = session.steps[index].clone();
    let count = session.steps.len();
    let state = Memo::new(move |_| {
        kiosk
            .states
            .with(|s| s.get(index).cloned().unwrap_or(StepState::Waiting))
    });
    let title = step.kind.title();

    let on_file = move |ev: ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&file) else {
            return;
        };
        drop_photo(kiosk, index);
        kiosk.photos.update_value(|p| {
            p.insert(index, (file.into(), url.clone()));
        });
        set_state(kiosk, index, StepState::Preview(url));
    };
    let retake = move |_| {
        drop_photo(kiosk, index);
        set_state(kiosk, index, StepState::Waiting);
    };
    let skip = move |_| {
        drop_photo(kiosk, index);
        set_state(kiosk, index, StepState::Skipped);
        advance(kiosk);
    };
    let send = {
        let step = step.clone();
        move |_| {
            let Some(client) = connection.client() else { return };
            let Some((blob, _)) = kiosk.photos.with_value(|p| p.get(&index).cloned()) else {
                return;
            };
            let photo = Photo {
                index,
                session_id: session.id,
                pat_num: session.pat_num,
                step: step.clone(),
            };
            spawn_local(photo.send(kiosk, client, blob));
        }
    };

    let camera_label = "Take a photo";
    view! {
        <section class="kiosk-card kiosk-step" aria-labelledby="kiosk-title">
            <p class="kiosk-count">{format!("Step {} of {count}", index + 1)}</p>
            <h1 id="kiosk-title" tabindex="-1">{title}</h1>
            <p>{step.kind.instruction()}</p>
            {move || match state.get() {
                StepState::Waiting => view! {
                    <div class="kiosk-actions">
                        <label class="kiosk-primary" for="kiosk-camera">{camera_label}</label>
                        <input id="kiosk-camera" class="file-input" type="file" accept="image/*" capture=step.kind.camera() on:change=on_file />
                        <label class="kiosk-secondary" for="kiosk-library">"Choose from photos"</label>
                        <input id="kiosk-library" class="file-input" type="file" accept="image/*" on:change=on_file />
                        <button type="button" class="kiosk-secondary" on:click=skip>"Skip this step"</button>
                    </div>
                }.into_any(),
                StepState::Preview(url) => view! {
                    <img class="kiosk-preview" src=url alt=format!("Your photo: {title}") />
                    <div class="kiosk-actions">
                        <button type="button" class="kiosk-primary" id="kiosk-use" on:click=send.clone()>"Use this photo"</button>
                        <button type="button" class="kiosk-secondary" on:click=retake>"Retake"</button>
                        <button type="button" class="kiosk-secondary" on:click=skip>"Skip this step"</button>
                    </div>
                }.into_any(),
                StepState::Sending { sent, total, attempt } => view! {
                    <progress class="kiosk-progress" max=total.max(1.0) value=sent aria-label="Sending your photo"></progress>
                    <p role="status" aria-live="polite">
                        {if attempt > 1 { format!("Sending your photo… (try {attempt})") } else { "Sending your photo…".to_owned() }}
                    </p>
                }.into_any(),
                StepState::Checking => view! {
                    <progress class="kiosk-progress" aria-label="Checking that your photo arrived"></progress>
                    <p role="status" aria-live="polite">"Making sure your photo arrived…"</p>
                }.into_any(),
                StepState::Failed => view! {
                    <p class="kiosk-error" role="alert">
                        "We could not send this photo. Please ask the front desk for help."
                    </p>
                    <div class="kiosk-actions">
                        <button type="button" class="kiosk-secondary" on:click=move |_| advance(kiosk)>"Continue"</button>
                    </div>
                }.into_any(),
                StepState::Sent | StepState::Skipped => ().into_any(),
            }}
        </section>
    }
    .into_any()
}

/// One photo on its way: which step of which session it belongs to.
struct Photo {
    index: usize,
    session_id: f64,
    pat_num: i64,
    step: StepSetup,
}

impl Photo {
    /// Whether its session is still the kiosk's: one that ended (and maybe another that began)
    /// while this photo was on its way must not be touched.
    fn current(&self, kiosk: Kiosk) -> bool {
        kiosk.session.with_untracked(|s| s.as_ref().map(|s| s.id)) == Some(self.session_id)
    }

    /// Sends the photo until it is settled: in Open Dental exactly once, or handed to the front
    /// desk (see `retry`).
    async fn send(self, kiosk: Kiosk, client: Client, photo: Blob) {
        let index = self.index;
        set_state(
            kiosk,
            index,
            StepState::Sending {
                sent: 0.0,
                total: 1.0,
                attempt: 1,
            },
        );
        // Downscale upright for the purpose; a format the browser cannot decode is sent as it is.
        let (body, extension) = match files::resize_photo(&photo, KIOSK_PHOTO_PX).await {
            Ok(smaller) => (smaller, ".jpg".to_owned()),
            Err(_) => {
                let name = photo
                    .clone()
                    .dyn_into::<web_sys::File>()
                    .map(|f| f.name())
                    .unwrap_or_default();
                let ext = opendental::documents::extension_of(&name).unwrap_or_else(|| ".jpg".into());
                (photo, ext)
            }
        };
        let sent = Upload {
            pat_num: self.pat_num,
            raw_base64: String::new(),
            extension,
            fields: DocumentFields {
                description: Some(self.step.description.clone()),
                date_created: Some(files::now()),
                doc_category: Some(self.step.category),
                img_type: Some(self.step.img_type.clone()),
                ..Default::default()
            },
        };
        let key = idempotency_key();
        let mut tries = retry::Tries::default();
        let mut attempt = 1;
        let mut next = retry::Step::Send;
        loop {
            if !self.current(kiosk) {
                return;
            }
            next = match next {
                retry::Step::Send => {
                    let (session_id, this) = (self.session_id, attempt);
                    let progress = move |sent: f64, total: f64| {
                        if kiosk.session.with_untracked(|s| s.as_ref().map(|s| s.id)) == Some(session_id) {
                            set_state(
                                kiosk,
                                index,
                                StepState::Sending {
                                    sent,
                                    total,
                                    attempt: this,
                                },
                            );
                        }
                    };
                    let result = client
                        .upload_document(&sent, &body, &key, progress, &UploadCancel::default())
                        .await;
                    match result {
                        Ok(doc) if self.current(kiosk) => return self.arrived(kiosk, doc.doc_num),
                        Ok(_) => return,
                        Err(error) => {
                            log_failure(&error);
                            tries.after_failure(&error)
                        }
                    }
                }
                retry::Step::Wait(ms) => {
                    sleep_ms(ms).await;
                    attempt += 1;
                    tries.after_wait()
                }
                retry::Step::Check => {
                    set_state(kiosk, index, StepState::Checking);
                    let claimed = kiosk.claimed.get_value();
                    match client.find_upload(&sent, 0, &claimed).await {
                        Ok(Some(doc_num)) if self.current(kiosk) => return self.arrived(kiosk, doc_num),
                        Ok(Some(_)) => return,
                        Ok(None) => tries.after_not_found(),
                        Err(error) => {
                            log_failure(&error);
                            tries.after_failure(&error)
                        }
                    }
                }
                retry::Step::GiveUp => return set_state(kiosk, index, StepState::Failed),
            };
        }
    }

    /// In Open Dental: nothing of the photo needs to stay on the device.
    fn arrived(&self, kiosk: Kiosk, doc_num: i64) {
        kiosk.claimed.update_value(|c| c.push(doc_num));
        drop_photo(kiosk, self.index);
        set_state(kiosk, self.index, StepState::Sent);
        advance(kiosk);
    }
}

/// Never the patient's data: only what went wrong, for the front desk's console.
fn log_failure(error: &ApiError) {
    leptos::logging::warn!("kiosk upload failed: {}", error.message());
}

#[component]
fn ThankYou() -> impl IntoView {
    let kiosk = use_kiosk();
    let name = kiosk
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.first_name.clone()).unwrap_or_default());
    let failed = kiosk.states.with_untracked(|s| s.contains(&StepState::Failed));
    view! {
        <section class="kiosk-card" aria-labelledby="kiosk-title">
            <h1 id="kiosk-title" tabindex="-1">{format!("Thank you, {name}!")}</h1>
            <p>
                {if failed {
                    "Some photos could not be sent. Please hand the tablet to the front desk; they will help."
                } else {
                    "You're all set. Please hand the tablet back to the front desk."
                }}
            </p>
            <button type="button" class="kiosk-primary" on:click=move |_| kiosk.reset(None)>"Done"</button>
        </section>
    }
}

/// Resets the session after `idle_seconds` without a touch or key, warning first.
#[component]
fn IdleWatch() -> impl IntoView {
    let kiosk = use_kiosk();
    let idle = kiosk
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.idle_seconds).unwrap_or(90)) as f64;
    let warn_at = idle - (idle / 2.0).min(20.0);
    let last = StoredValue::new(js_sys::Date::now());
    let remaining = RwSignal::new(None::<u32>);
    let touch = move || {
        last.set_value(js_sys::Date::now());
        remaining.set(None);
    };
    let handles = [
        window_event_listener(ev::pointerdown, move |_| touch()),
        window_event_listener(ev::keydown, move |_| touch()),
        window_event_listener(ev::input, move |_| touch()),
    ];
    let tick = set_interval_with_handle(
        move || {
            let elapsed = (js_sys::Date::now() - last.get_value()) / 1000.0;
            if elapsed >= idle {
                kiosk.reset(Some("The session ended after a while without activity."));
            } else if elapsed >= warn_at {
                remaining.set(Some((idle - elapsed).ceil() as u32));
            }
        },
        Duration::from_millis(250),
    )
    .ok();
    on_cleanup(move || {
        for handle in handles {
            handle.remove();
        }
        if let Some(tick) = tick {
            tick.clear();
        }
    });
    view! {
        <Show when=move || remaining.with(Option::is_some)>
            <ModalDialog
                class="kiosk-dialog"
                alert=true
                labelled_by="idle-title"
                described_by="idle-text"
                initial_focus="kiosk-still-here"
                on_cancel=move |()| touch()
            >
                <div class="kiosk-card">
                    <h2 id="idle-title">"Are you still there?"</h2>
                    <p id="idle-text" aria-live="assertive">
                        {move || format!(
                            "To protect your privacy we will start over in {} seconds.",
                            remaining.get().unwrap_or(0)
                        )}
                    </p>
                    <button type="button" class="kiosk-primary" id="kiosk-still-here" on:click=move |_| touch()>"I'm still here"</button>
                </div>
            </ModalDialog>
        </Show>
    }
}

#[component]
fn ExitDialog(exiting: RwSignal<bool>) -> impl IntoView {
    let kiosk = use_kiosk();
    let navigate = use_navigate();
    let pin = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let ok = KioskSetup::load().is_some_and(|s| s.pin_matches(&pin.get_untracked()));
        pin.set(String::new());
        if ok {
            exiting.set(false);
            kiosk.unlock();
            navigate(
                "/patients",
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        } else {
            problem.set(Some("That PIN is not right.".into()));
        }
    };
    let cancel = move || {
        pin.set(String::new());
        exiting.set(false);
    };
    view! {
        <ModalDialog class="kiosk-dialog" labelled_by="exit-title" initial_focus="kiosk-pin" on_cancel=move |()| cancel()>
            <form class="kiosk-card" on:submit=submit>
                <h2 id="exit-title">"Staff: leave kiosk mode"</h2>
                <label for="kiosk-pin">"Staff PIN"</label>
                <input id="kiosk-pin" type="password" inputmode="numeric" autocomplete="off" bind:value=pin />
                {move || problem.get().map(|p| view! { <p class="kiosk-error" role="alert">{p}</p> })}
                <div class="kiosk-actions">
                    <button type="submit" class="kiosk-primary">"Leave kiosk mode"</button>
                    <button type="button" class="kiosk-secondary" on:click=move |_| cancel()>"Cancel"</button>
                </div>
            </form>
        </ModalDialog>
    }
}

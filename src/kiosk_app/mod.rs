//! The kiosk app (kiosk.html, served under /kiosk/): what a paired tablet runs. It waits for
//! the intake staff send (event stream); the patient confirms their birthdate (checked by the
//! gateway, which never tells the tablet) and photographs themselves, their insurance card and
//! their ID. The decisions are plain Rust in `crate::kiosk` (machine, views, staff dialog),
//! tested natively; this module carries them out in the browser: one page redrawn from state
//! after every change (`dom::patch`), and every click, submit and file choice read from the
//! control's `data-do` by one listener on the page.
//!
//! No Leptos here, on purpose: the tablet's first load is budgeted (issue 13).

mod dom;
mod runtime;
mod staff;

use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{Element, Event as DomEvent, HtmlInputElement, KeyboardEvent};

use crate::{
    gateway::{self, Mode},
    kiosk::{
        i18n::{birthdate_iso, Lang},
        machine::Event,
        staff::{StaffDialog, View},
        view::{BIRTH_DAY, BIRTH_MONTH, BIRTH_YEAR},
    },
};
use runtime::Kiosk;

/// Starts the kiosk app: a paired device shows the kiosk; without the network, the shell its
/// service worker kept waits for it (only a kiosk registers one); any other device is sent to
/// the staff app.
pub fn start() {
    let Some(doc) = dom::document() else { return };
    let Some(body) = doc.body() else { return };
    let Ok(loading) = doc.create_element("p") else { return };
    loading.set_class_name("startup");
    let _ = loading.set_attribute("role", "status");
    loading.set_text_content(Some("Loading…"));
    let _ = body.append_child(&loading);
    wasm_bindgen_futures::spawn_local(async move {
        let kiosk = match gateway::detect_reachable().await {
            Some(Mode::Gateway(session)) if session.kiosk.is_some() => session.kiosk,
            None if runtime::controlled_by_service_worker() => None,
            _ => {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().replace("/");
                }
                return;
            }
        };
        loading.remove();
        let online = kiosk.is_some();
        let Some(kiosk) = Kiosk::mount(&body, kiosk.map(|k| k.name).unwrap_or_default(), online) else {
            return;
        };
        listen_to_the_page(&kiosk);
        kiosk.start();
        if online {
            kiosk.listen();
        }
    });
}

/// One listener per kind of event on the page: what a control does is its `data-do`.
fn listen_to_the_page(kiosk: &Kiosk) {
    let Some(root) = kiosk.root() else { return };
    let on = |kind: &str, handle: fn(&Kiosk, &DomEvent)| {
        let kiosk = kiosk.clone();
        let listener = Closure::<dyn Fn(DomEvent)>::new(move |ev: DomEvent| handle(&kiosk, &ev));
        let _ = root.add_event_listener_with_callback(kind, listener.as_ref().unchecked_ref());
        // The page lives as long as the tablet shows it.
        listener.forget();
    };
    on("click", |kiosk, ev| {
        let Some(button) = target(ev).and_then(|t| t.closest("button[data-do]").ok().flatten()) else {
            return;
        };
        if let Some(action) = button.get_attribute("data-do") {
            clicked(kiosk, &action, Some(&button));
        }
    });
    on("submit", |kiosk, ev| {
        ev.prevent_default();
        if let Some(action) = target(ev).and_then(|form| form.get_attribute("data-do")) {
            submitted(kiosk, &action);
        }
    });
    on("change", |kiosk, ev| {
        let Some(input) = target(ev).and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else {
            return;
        };
        if input.get_attribute("data-do").as_deref() != Some("photo") {
            return;
        }
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        kiosk.photo_taken(file);
    });
    on("keydown", |kiosk, ev| {
        if let Some(cancel) = ev.dyn_ref::<KeyboardEvent>().and_then(|k| kiosk.dialog_key(k)) {
            clicked(kiosk, &cancel, None);
        }
    });
}

fn target(ev: &DomEvent) -> Option<Element> {
    ev.target()?.dyn_into::<Element>().ok()
}

fn clicked(kiosk: &Kiosk, action: &str, button: Option<&Element>) {
    let event = match action {
        "start" => Event::Start,
        "use" => Event::UsePhoto,
        "retake" => Event::Retake,
        "skip" => Event::Skip,
        "try-again" => Event::TryAgain,
        "done" => Event::Finished,
        "still-here" => Event::StillHere,
        "large" => return kiosk.update_ui(|ui| ui.large = !ui.large),
        "staff" => return kiosk.update_ui(|ui| ui.staff = Some(StaffDialog::new())),
        "staff-sign-in" => return staff::show(kiosk, View::SignIn),
        "staff-exit" => return staff::show(kiosk, View::Exit),
        "staff-cancel" => return staff::close(kiosk),
        "start-here" => {
            if let Some(pat_num) = button
                .and_then(|b| b.get_attribute("data-pat-num"))
                .and_then(|n| n.parse().ok())
            {
                staff::start_here(kiosk, pat_num);
            }
            return;
        }
        other => match other.strip_prefix("lang-") {
            Some(code) => Event::ChooseLanguage(Lang::from_code(code)),
            None => return,
        },
    };
    kiosk.send(event);
}

fn submitted(kiosk: &Kiosk, action: &str) {
    match action {
        // Read from the fields when sent: what is on screen is what goes, however it was typed.
        "birthdate" => kiosk.send(Event::SubmitBirthdate(birthdate_iso(
            &dom::input_value(BIRTH_DAY),
            &dom::input_value(BIRTH_MONTH),
            &dom::input_value(BIRTH_YEAR),
        ))),
        "sign-in" => staff::sign_in(kiosk),
        "search" => staff::search(kiosk),
        "exit" => staff::exit(kiosk),
        _ => {}
    }
}

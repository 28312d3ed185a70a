//! The patient-intake kiosk's screens. A paired device (the gateway's kiosk credential) shows
//! only these, never the staff sign-in: it waits for the intake staff send (event stream),
//! and the patient confirms their birthdate (checked by the gateway, which never tells the
//! tablet) and photographs themselves, their insurance card and their ID. The plain parts
//! (state machine, texts) are in `crate::kiosk`; `runtime` carries out what they decide.
//!
//! Staff screens: "Send to kiosk…" on a patient (`send`) and the Kiosks page (`kiosks_page`).

mod kiosks_page;
mod runtime;
mod screens;
pub mod send;
mod setup_page;
mod staff_dialog;

use leptos::prelude::*;

pub use kiosks_page::KiosksPage;

use crate::{
    components::focus_later,
    kiosk::{i18n::today, machine::Screen, model::KioskRef},
};
use runtime::{controlled_by_service_worker, Kiosk};
use screens::{Birthdate, Done, Ended, IdleWarning, Offline, PhotoStep, Waiting, Welcome};
use staff_dialog::StaffDialog;

/// The kiosk app's start: a paired device shows the kiosk; without the network, the shell its
/// service worker kept waits for it (only a kiosk registers one); any other device is sent to
/// the staff app.
#[component]
pub fn KioskStart() -> impl IntoView {
    let kiosk = RwSignal::new(None::<Option<KioskRef>>);
    leptos::task::spawn_local(async move {
        match crate::gateway::detect_reachable().await {
            Some(crate::gateway::Mode::Gateway(session)) if session.kiosk.is_some() => kiosk.set(Some(session.kiosk)),
            None if controlled_by_service_worker() => kiosk.set(Some(None)),
            _ => {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().replace("/");
                }
            }
        }
    });
    move || match kiosk.get() {
        Some(kiosk) => view! { <KioskApp kiosk /> }.into_any(),
        None => view! { <p class="startup" role="status">"Loading…"</p> }.into_any(),
    }
}

/// The whole app on a paired device; `None`: started without the network (from the service
/// worker's shell), waiting for it.
#[component]
pub fn KioskApp(kiosk: Option<KioskRef>) -> impl IntoView {
    let runtime = Kiosk::new(kiosk.is_some());
    provide_context(runtime);
    runtime.start();
    if kiosk.is_some() {
        runtime.listen();
    }
    let name = kiosk.map(|k| k.name).unwrap_or_default();
    let large = RwSignal::new(false);
    let staff = RwSignal::new(false);
    let screen = Memo::new(move |_| runtime.machine.with(|m| m.screen));
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
                <span class="brand">{move || screens::texts().brand}</span>
                <span class="kiosk-today" id="kiosk-today">{move || today(screens::texts())}</span>
                // Larger text and more contrast; the pressed state shows as a filled, ticked button.
                <button type="button" class="kiosk-toggle" aria-pressed=move || large.get().to_string() on:click=move |_| large.update(|l| *l = !*l)>
                    {move || screens::texts().larger_text}
                </button>
                <button type="button" class="kiosk-staff" on:click=move |_| staff.set(true)>{move || screens::texts().staff}</button>
            </header>
            <main id="main" class="kiosk-main" tabindex="-1">
                {move || match screen.get() {
                    Screen::Offline => view! { <Offline /> }.into_any(),
                    Screen::Waiting => view! { <Waiting name=name.clone() /> }.into_any(),
                    Screen::Welcome => view! { <Welcome /> }.into_any(),
                    Screen::Birthdate => view! { <Birthdate /> }.into_any(),
                    Screen::Step(index) => view! { <PhotoStep index /> }.into_any(),
                    Screen::Done => view! { <Done /> }.into_any(),
                    Screen::Ended(reason) => view! { <Ended reason /> }.into_any(),
                }}
            </main>
            <IdleWarning />
            <Show when=move || staff.get()>
                <StaffDialog open=staff />
            </Show>
        </div>
    }
}

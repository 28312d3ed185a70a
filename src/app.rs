//! The shell: routes, top bar, and the state that outlives a page.

use leptos::prelude::*;
use leptos_router::{
    components::{ParentRoute, Redirect, Route, Router, Routes, A},
    path,
};

use crate::{
    components::skip_to_main,
    connection::{use_connection, Connection},
    pages::{
        documents::DocumentsPage,
        kiosk::{Kiosk, KioskScreen, KioskSetupPage},
        patient::{PatientLayout, PatientSummary},
        patient_search::{PatientSearchPage, SearchState},
        settings::SettingsPage,
        treatment_plans::TreatmentPlansPage,
    },
    reference::ReferenceData,
};

#[component]
pub fn App() -> impl IntoView {
    provide_context(Connection::restore());
    provide_context(SearchState::new());
    provide_context(ReferenceData::new());
    let kiosk = Kiosk::restore();
    provide_context(kiosk);
    // A page restored from the back-forward cache keeps its old state; if this tab has become
    // a kiosk since, lock it and forget what staff had on screen.
    let search = expect_context::<SearchState>();
    let _ = window_event_listener(leptos::ev::pageshow, move |_| {
        if Kiosk::locked_in_storage() && !kiosk.locked.get_untracked() {
            search.clear();
            kiosk.locked.set(true);
        }
    });

    view! {
        <Router>
            // While the device is a kiosk, no staff screen exists at all, whatever the URL.
            <Show when=move || !kiosk.locked.get() fallback=KioskScreen>
            <a class="skip-link" href="#main" on:click=skip_to_main>"Skip to main content"</a>
            <TopBar />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/settings") view=SettingsPage />
                    <Route path=path!("/kiosk-setup") view=KioskSetupPage />
                    <Route path=path!("/kiosk") view=|| view! { <Redirect path="/patients" /> } />
                    <Route path=path!("/patients") view=PatientSearchPage />
                    <ParentRoute path=path!("/patients/:pat_num") view=PatientLayout>
                        <Route path=path!("") view=PatientSummary />
                        <Route path=path!("documents") view=DocumentsPage />
                        <Route path=path!("treatment-plans") view=TreatmentPlansPage />
                    </ParentRoute>
                </Routes>
            </main>
            </Show>
        </Router>
    }
}

/// Brand and navigation. Only screens that work for the current state are offered.
#[component]
fn TopBar() -> impl IntoView {
    let connection = use_connection();
    view! {
        <header class="topbar">
            <span class="brand">"Chairside"</span>
            <nav aria-label="Main">
                <Show when=move || connection.is_connected()>
                    <A href="/patients">"Patients"</A>
                    <A href="/kiosk-setup">"Kiosk"</A>
                </Show>
                <A href="/settings">"Connection"</A>
            </nav>
            <span class="connection-chip">
                {move || match connection.get() {
                    Some(c) => format!("Connected: {}", c.preset().label()),
                    None => "Not connected".to_owned(),
                }}
            </span>
        </header>
    }
}

#[component]
fn Home() -> impl IntoView {
    let connection = use_connection();
    let target = if connection.is_connected() {
        "/patients"
    } else {
        "/settings"
    };
    view! { <Redirect path=target /> }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Page not found"</h1>
            <p>"There is no such page in Chairside. " <A href="/patients">"Find a patient"</A> "."</p>
        </section>
    }
}

//! Start-up (which mode), the shell: routes, top bar, and the state that outlives a page.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    components::{ParentRoute, Redirect, Route, Router, Routes, A},
    path,
};

use crate::{
    components::skip_to_main,
    connection::{use_connection, Connection, Mode},
    gateway,
    pages::{
        documents::DocumentsPage,
        kiosk::{Kiosk, KioskScreen, KioskSetupPage},
        patient::{PatientLayout, PatientSummary},
        patient_search::{PatientSearchPage, SearchState},
        settings::SettingsPage,
        treatment_plans::TreatmentPlansPage,
    },
    reference::ReferenceData,
    session::{use_gateway_session, GatewayApp, SignOutButton, ThrottleWait},
};

/// Finds out first whether a Chairside gateway serves the app (one fast same-origin request),
/// then runs in that mode.
#[component]
pub fn App() -> impl IntoView {
    let mode = RwSignal::new(None::<gateway::Mode>);
    spawn_local(async move { mode.set(Some(gateway::detect().await)) });
    move || match mode.get() {
        None => view! { <p class="startup" role="status">"Loading…"</p> }.into_any(),
        Some(gateway::Mode::Direct) => view! { <Shell mode=Mode::Direct /> }.into_any(),
        Some(gateway::Mode::Gateway(session)) => view! {
            <GatewayApp session>
                <Shell mode=Mode::Gateway />
            </GatewayApp>
        }
        .into_any(),
    }
}

/// Routes, top bar, and the state that outlives a page.
#[component]
fn Shell(mode: Mode) -> impl IntoView {
    provide_context(match mode {
        Mode::Direct => Connection::direct(),
        Mode::Gateway => Connection::gateway(),
    });
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

/// Brand and navigation. Only screens that work for the current state are offered: the kiosk
/// only behind the gateway (a waiting-room tablet must never hold Open Dental keys).
#[component]
fn TopBar() -> impl IntoView {
    let connection = use_connection();
    let gateway_session = use_gateway_session();
    view! {
        <header class="topbar">
            <span class="brand">"Chairside"</span>
            <nav aria-label="Main">
                <Show when=move || connection.is_connected()>
                    <A href="/patients">"Patients"</A>
                    <Show when=move || connection.is_gateway()>
                        <A href="/kiosk-setup">"Kiosk"</A>
                    </Show>
                </Show>
                <A href="/settings">"Connection"</A>
            </nav>
            {match gateway_session {
                Some(session) => {
                    view! {
                        <span class="connection-chip">
                            {move || session.endpoint.with(|label| gateway_chip(label))}
                        </span>
                        <ThrottleWait />
                        <SignOutButton id="sign-out" />
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <span class="connection-chip">
                            {move || match connection.saved() {
                                Some(c) => format!("Direct: {}", c.preset().label()),
                                None => "Not connected".to_owned(),
                            }}
                        </span>
                    }
                        .into_any()
                }
            }}
        </header>
    }
}

/// The chip's text in gateway mode.
fn gateway_chip(label: &str) -> String {
    if label.trim().is_empty() {
        "Open Dental via gateway".to_owned()
    } else {
        format!("Open Dental: {} · via gateway", label.trim())
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

#[cfg(test)]
mod tests {
    use super::gateway_chip;

    #[test]
    fn the_chip_names_the_endpoint_the_gateway_uses() {
        assert_eq!(gateway_chip("API Service"), "Open Dental: API Service · via gateway");
        assert_eq!(gateway_chip(""), "Open Dental via gateway");
    }
}

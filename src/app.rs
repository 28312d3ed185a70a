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
        kiosk::KiosksPage,
        patient::{PatientLayout, PatientSummary},
        patient_search::{PatientSearchPage, SearchState},
        settings::SettingsPage,
        treatment_plans::TreatmentPlansPage,
    },
    reference::ReferenceData,
    session::{use_gateway_session, GatewayApp, SignOutButton, ThrottleWait},
};

/// How this page runs, decided once at start-up.
#[derive(Clone)]
enum Start {
    Direct,
    Gateway(gateway::SessionBody),
    /// A paired kiosk: it runs the kiosk app (`/kiosk/`), never the staff sign-in.
    Kiosk,
}

async fn start() -> Start {
    match gateway::detect_reachable().await {
        Some(gateway::Mode::Gateway(session)) if session.kiosk.is_some() => Start::Kiosk,
        Some(gateway::Mode::Gateway(session)) => Start::Gateway(session),
        Some(gateway::Mode::Direct) | None => Start::Direct,
    }
}

/// Finds out first whether a Chairside gateway serves the app (one fast same-origin request),
/// and whether this device is a kiosk, then runs in that mode.
#[component]
pub fn App() -> impl IntoView {
    let mode = RwSignal::new(None::<Start>);
    spawn_local(async move { mode.set(Some(start().await)) });
    move || match mode.get() {
        None => view! { <p class="startup" role="status">"Loading…"</p> }.into_any(),
        Some(Start::Direct) => view! { <Shell mode=Mode::Direct /> }.into_any(),
        Some(Start::Kiosk) => {
            go_to_kiosk();
            view! { <p class="startup" role="status">"Opening the kiosk…"</p> }.into_any()
        }
        Some(Start::Gateway(session)) => view! {
            <GatewayApp session>
                <Shell mode=Mode::Gateway />
            </GatewayApp>
        }
        .into_any(),
    }
}

fn go_to_kiosk() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().replace(crate::KIOSK_HOME);
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

    view! {
        <Router>
            <a class="skip-link" href="#main" on:click=skip_to_main>"Skip to main content"</a>
            <TopBar />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/settings") view=SettingsPage />
                    <Route path=path!("/kiosks") view=KiosksPage />
                    <Route path=path!("/kiosk-setup") view=|| view! { <Redirect path="/kiosks" /> } />
                    <Route path=path!("/kiosk") view=|| view! { <Redirect path="/patients" /> } />
                    <Route path=path!("/patients") view=PatientSearchPage />
                    <ParentRoute path=path!("/patients/:pat_num") view=PatientLayout>
                        <Route path=path!("") view=PatientSummary />
                        <Route path=path!("documents") view=DocumentsPage />
                        <Route path=path!("treatment-plans") view=TreatmentPlansPage />
                    </ParentRoute>
                </Routes>
            </main>
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
                        <A href="/kiosks">"Kiosks"</A>
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

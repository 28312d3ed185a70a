//! Staff's Kiosks page (gateway mode): the paired kiosks, each one's setup, revoking one, and
//! making this device a kiosk.

use leptos::prelude::*;

use super::setup_page::SetupForm;
use crate::{
    components::{action_failure, ErrorNotice, Loaded, RequireConnection},
    connection::use_connection,
    gateway::kiosk as api,
    kiosk::model::KioskInfo,
    reference::image_categories,
};

#[component]
pub fn KiosksPage() -> impl IntoView {
    if !use_connection().is_gateway() {
        return view! { <KioskNeedsGateway /> }.into_any();
    }
    view! {
        <RequireConnection>
            <Kiosks />
        </RequireConnection>
    }
    .into_any()
}

/// Direct mode: a kiosk would hold this tab's Open Dental keys on a tablet in the waiting room.
#[component]
fn KioskNeedsGateway() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Kiosks"</h1>
            <p id="kiosk-needs-gateway">
                "The patient-intake kiosk is offered only behind the office's Chairside gateway. "
                "In direct mode the Open Dental keys are in this browser tab, and a tablet handed to patients must never hold them."
            </p>
        </section>
    }
}

#[component]
fn Kiosks() -> impl IntoView {
    // Which kiosk was revoked, and how it went; the list loads again after each.
    let revoke = Action::new_local(|id: &i64| {
        let id = *id;
        async move { (id, api::revoke(id).await) }
    });
    let kiosks = LocalResource::new(move || {
        revoke.version().track();
        api::kiosks()
    });
    view! {
        <section class="page kiosks-page">
            <h1>"Kiosks"</h1>
            <p class="hint">
                "A kiosk is a tablet paired with the gateway: it can add photos for the patient you send to it, and nothing else. "
                "Send a patient from their screen with “Send to kiosk…”."
            </p>
            <Loaded resource=kiosks loading="Loading kiosks…" keep_shown=true let:list>
                {if list.is_empty() {
                    view! { <p id="no-kiosks">"No device is a kiosk yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="kiosk-list">
                            {list.into_iter().map(|k| view! { <KioskRow kiosk=k revoke /> }).collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </Loaded>
            <MakeThisDeviceAKiosk />
        </section>
    }
}

#[component]
fn KioskRow(kiosk: KioskInfo, revoke: Action<i64, (i64, Result<(), String>)>) -> impl IntoView {
    let id = kiosk.id;
    let editing = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let problem = move || match revoke.value().get() {
        Some((revoked, Err(message))) if revoked == id && !revoke.pending().get() => Some(message),
        _ => None,
    };
    let status = if kiosk.connected { "connected" } else { "not connected" };
    let intake = kiosk.intake.as_ref().map(|i| {
        format!(
            "With {} (sent by {}): {}",
            i.patient_name,
            i.started_by,
            i.state.describe()
        )
    });
    let categories = image_categories();
    let info = kiosk.clone();
    view! {
        <li class="card kiosk-row" id=format!("kiosk-{id}") data-kiosk-name=kiosk.name.clone()>
            <h2>{kiosk.name.clone()}</h2>
            <p class="hint">
                <span class=format!("kiosk-status {}", status.replace(' ', "-"))>{status}</span>
                {format!(" · paired by {} on {}", kiosk.paired_by, kiosk.paired_at.get(..10).unwrap_or(&kiosk.paired_at))}
            </p>
            {intake.map(|text| view! { <p class="kiosk-intake-now">{text}</p> })}
            <div class="actions">
                <button type="button" class="kiosk-edit" aria-expanded=move || editing.get().to_string() on:click=move |_| editing.update(|e| *e = !*e)>
                    "Setup"
                </button>
                <button type="button" class="danger kiosk-revoke" on:click=move |_| confirming.set(true)>"Revoke"</button>
            </div>
            <Show when=move || confirming.get()>
                <p role="alert">
                    "Revoke this kiosk? The tablet stops working at once; any visit on it ends. "
                    <button type="button" class="danger kiosk-revoke-confirm" on:click=move |_| {
                        revoke.dispatch(id);
                    }>"Revoke"</button>
                    <button type="button" on:click=move |_| confirming.set(false)>"Keep"</button>
                </p>
            </Show>
            {move || problem().map(|message| view! { <ErrorNotice message /> })}
            <Show when=move || editing.get()>
                {
                    let info = info.clone();
                    view! {
                        <Loaded resource=categories loading="Loading image categories…" let:categories>
                            <SetupForm kiosk=info.clone() categories on_saved=Callback::new(|_| ()) />
                        </Loaded>
                    }
                }
            </Show>
        </li>
    }
}

/// Pairs this device: it gets the kiosk credential, its staff session ends, and it shows the
/// kiosk.
#[component]
fn MakeThisDeviceAKiosk() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let invalid = RwSignal::new(None::<String>);
    let pair = Action::new_local(|typed: &String| {
        let typed = typed.clone();
        async move {
            let paired = api::pair(&typed).await.map(|_| ());
            // Nothing of the staff screens stays in memory: the kiosk starts afresh.
            if paired.is_ok() {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().replace(crate::KIOSK_HOME);
                }
            }
            paired
        }
    });
    // Busy until the page is replaced, once paired.
    let busy = move || pair.pending().get() || pair.value().with(|v| matches!(v, Some(Ok(()))));
    let failure = action_failure(pair, "");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy() {
            return;
        }
        invalid.set(None);
        pair.value().set(None);
        let typed = name.get_untracked().trim().to_owned();
        if typed.is_empty() || typed.chars().count() > 60 {
            return invalid.set(Some(
                "Name the kiosk (1 to 60 characters), such as “Front desk tablet”.".into(),
            ));
        }
        pair.dispatch(typed);
    };
    view! {
        <form class="card form" id="pair-kiosk" on:submit=submit>
            <h2>"Make this device a kiosk"</h2>
            <p class="hint">"Do this on the tablet itself. You will be signed out on it; leaving kiosk mode later needs a staff sign-in."</p>
            <label for="kiosk-name-input">"Kiosk name"</label>
            <input id="kiosk-name-input" type="text" maxlength="60" placeholder="Front desk tablet" bind:value=name />
            {move || invalid.get().or_else(failure).map(|message| view! { <ErrorNotice message /> })}
            <div class="actions">
                <button type="submit" class="primary" id="pair-kiosk-submit" disabled=busy>"Make this device a kiosk"</button>
            </div>
        </form>
    }
}

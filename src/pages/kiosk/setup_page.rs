//! Staff set the kiosk up on the device: steps, where each photo goes, the idle timeout and
//! the PIN that leaves kiosk mode.

use std::sync::Arc;

use leptos::{prelude::*, task::spawn_local};
use opendental::{documents::IMG_TYPES, models::Definition};

use super::setup::{check_idle_seconds, check_pin, KioskSetup};
use crate::{
    components::{ErrorNotice, Loading, RequireConnection},
    connection::use_connection,
    reference::image_categories,
};

#[component]
pub fn KioskSetupPage() -> impl IntoView {
    if !use_connection().is_gateway() {
        return view! { <KioskNeedsGateway /> }.into_any();
    }
    view! {
        <RequireConnection>
            <KioskSetupForm />
        </RequireConnection>
    }
    .into_any()
}

/// Direct mode: a kiosk would hold this tab's Open Dental keys on a tablet in the waiting room.
#[component]
fn KioskNeedsGateway() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Kiosk setup"</h1>
            <p id="kiosk-needs-gateway">
                "The patient-intake kiosk is offered only behind the office's Chairside gateway. "
                "In direct mode the Open Dental keys are in this browser tab, and a tablet handed to patients must never hold them."
            </p>
        </section>
    }
}

#[component]
fn KioskSetupForm() -> impl IntoView {
    let categories = image_categories();
    view! {
        <section class="page">
            <h1>"Kiosk setup"</h1>
            <p class="hint">
                "Saved on this device only. To start a session, open a patient and choose “Hand to patient (kiosk)”."
            </p>
            <Suspense fallback=|| view! { <Loading what="Loading image categories…" /> }>
                {move || Suspend::new(async move {
                    match categories.await {
                        Ok(categories) => view! { <SetupForm categories /> }.into_any(),
                        Err(message) => view! { <ErrorNotice message /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SetupForm(categories: Arc<Vec<Definition>>) -> impl IntoView {
    let initial = KioskSetup::load().unwrap_or_else(|| KioskSetup::defaults(&categories));
    let had_pin = initial.has_pin();
    // The idle timeout exactly as typed: checked when complete, never rewritten while typing.
    let idle_text = RwSignal::new(initial.idle_seconds.to_string());
    let idle_problem = RwSignal::new(None::<String>);
    let setup = RwSignal::new(initial);
    let pin = RwSignal::new(String::new());
    let status = RwSignal::new(None::<Result<String, String>>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut next = setup.get_untracked();
        match check_idle_seconds(&idle_text.get_untracked()) {
            Ok(seconds) => next.idle_seconds = seconds,
            Err(why) => {
                idle_problem.set(Some(why.clone()));
                return status.set(Some(Err(format!("Not saved. {why}"))));
            }
        }
        let typed = pin.get_untracked();
        if !typed.trim().is_empty() || !next.has_pin() {
            match check_pin(&typed) {
                Ok(pin_ok) => {
                    let salt = format!("{:x}", (js_sys::Math::random() * 1e15) as u64);
                    next.set_pin(&pin_ok, &salt);
                }
                Err(e) => return status.set(Some(Err(e))),
            }
        }
        if next.enabled_steps().is_empty() {
            return status.set(Some(Err("Offer at least one step.".into())));
        }
        next.save();
        setup.set(next);
        pin.set(String::new());
        spawn_local(async move { status.set(Some(Ok("Kiosk setup saved on this device.".into()))) });
    };
    let step_count = setup.with_untracked(|s| s.steps.len());
    view! {
        <form class="card form kiosk-setup" on:submit=save>
            {(0..step_count)
                .map(|i| {
                    let kind = setup.with_untracked(|s| s.steps[i].kind);
                    let current = setup.with_untracked(|s| s.steps[i].clone());
                    let id = |f: &str| format!("step-{i}-{f}");
                    view! {
                        <fieldset>
                            <legend>{kind.title()}</legend>
                            <label class="check">
                                <input
                                    type="checkbox"
                                    id=id("enabled")
                                    prop:checked=current.enabled
                                    on:change:target=move |ev| setup.update(|s| s.steps[i].enabled = ev.target().checked())
                                />
                                "Offer this step"
                            </label>
                            <label for=id("category")>"Image category"</label>
                            <select id=id("category") on:change:target=move |ev| {
                                setup.update(|s| s.steps[i].category = ev.target().value().parse().unwrap_or(0))
                            }>
                                {categories
                                    .iter()
                                    .map(|c| view! { <option value=c.def_num.to_string() selected=c.def_num == current.category>{c.item_name.clone()}</option> })
                                    .collect_view()}
                            </select>
                            <label for=id("type")>"Image type"</label>
                            <select id=id("type") on:change:target=move |ev| setup.update(|s| s.steps[i].img_type = ev.target().value())>
                                {IMG_TYPES
                                    .iter()
                                    .map(|t| view! { <option value=*t selected=*t == current.img_type>{*t}</option> })
                                    .collect_view()}
                            </select>
                            <label for=id("description")>"Description"</label>
                            <input
                                id=id("description")
                                type="text"
                                prop:value=current.description.clone()
                                on:input:target=move |ev| setup.update(|s| s.steps[i].description = ev.target().value())
                            />
                        </fieldset>
                    }
                })
                .collect_view()}
            <label for="kiosk-idle">"Start over after this many seconds without a touch"</label>
            <input
                id="kiosk-idle"
                type="text"
                inputmode="numeric"
                autocomplete="off"
                aria-describedby="kiosk-idle-help"
                aria-invalid=move || idle_problem.with(Option::is_some).to_string()
                prop:value=idle_text.get_untracked()
                on:input:target=move |ev| {
                    idle_text.set(ev.target().value());
                    idle_problem.set(None);
                }
                on:blur=move |_| idle_problem.set(check_idle_seconds(&idle_text.get_untracked()).err())
            />
            <p id="kiosk-idle-help" class=move || if idle_problem.with(Option::is_some) { "hint error-text" } else { "hint" } aria-live="polite">
                {move || idle_problem.get().unwrap_or_else(|| "From 2 to 600 seconds (10 minutes).".into())}
            </p>
            <label for="kiosk-new-pin">{if had_pin { "New staff PIN (leave empty to keep the current one)" } else { "Staff PIN (4–8 digits), needed to leave kiosk mode" }}</label>
            <input id="kiosk-new-pin" type="password" inputmode="numeric" autocomplete="new-password" bind:value=pin />
            <div class="actions">
                <button type="submit" class="primary">"Save kiosk setup"</button>
            </div>
            {move || match status.get() {
                Some(Ok(text)) => view! { <p class="notice success" role="status">{text}</p> }.into_any(),
                Some(Err(message)) => view! { <ErrorNotice message /> }.into_any(),
                None => ().into_any(),
            }}
        </form>
    }
}

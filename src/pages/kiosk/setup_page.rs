//! One kiosk's setup, held by the gateway: which steps are offered and, per step, the image
//! category, type and description; and the idle timeout. Takes effect for the next intake.

use std::sync::Arc;

use leptos::prelude::*;
use opendental::{documents::IMG_TYPES, models::Definition};

use crate::{
    components::ErrorNotice,
    gateway::kiosk as api,
    kiosk::model::{check_idle_seconds, KioskInfo, KioskSetup, StepLabels},
};

#[component]
pub fn SetupForm(kiosk: KioskInfo, categories: Arc<Vec<Definition>>, on_saved: Callback<KioskInfo>) -> impl IntoView {
    let id = kiosk.id;
    let initial = kiosk.setup;
    // The idle timeout exactly as typed: checked when complete, never rewritten while typing.
    let idle_text = RwSignal::new(initial.idle_seconds.to_string());
    let idle_problem = RwSignal::new(None::<String>);
    let setup = RwSignal::new(initial);
    // Why the form was not sent (its own check); otherwise the last save says how it went.
    let invalid = RwSignal::new(None::<String>);
    let save_setup = Action::new_local(move |next: &KioskSetup| {
        let next = next.clone();
        async move {
            let info = api::save_setup(id, &next).await?;
            setup.set(info.setup.clone());
            on_saved.run(info);
            Ok::<_, String>(())
        }
    });
    let busy = save_setup.pending();
    let status = move || match (invalid.get(), save_setup.value().get()) {
        (Some(why), _) | (None, Some(Err(why))) => Some(Err(format!("Not saved. {why}"))),
        (None, Some(Ok(()))) => Some(Ok("Kiosk setup saved. It applies from the next intake.")),
        (None, None) => None,
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut next = setup.get_untracked();
        let checked = check_idle_seconds(&idle_text.get_untracked()).map(|seconds| next.idle_seconds = seconds);
        if let Err(why) = &checked {
            idle_problem.set(Some(why.clone()));
        }
        match checked.and_then(|()| next.validate()) {
            Err(why) => {
                save_setup.value().set(None);
                invalid.set(Some(why));
            }
            Ok(()) => {
                invalid.set(None);
                save_setup.dispatch(next);
            }
        }
    };
    let step_count = setup.with_untracked(|s| s.steps.len());
    let field_id = move |i: usize, f: &str| format!("kiosk-{id}-step-{i}-{f}");
    view! {
        <form class="card form kiosk-setup" id=format!("kiosk-{id}-setup") on:submit=save>
            {(0..step_count)
                .map(|i| {
                    let current = setup.with_untracked(|s| s.steps[i].clone());
                    view! {
                        <fieldset>
                            <legend>{current.kind.staff_name()}</legend>
                            <label class="check">
                                <input
                                    type="checkbox"
                                    id=field_id(i, "enabled")
                                    prop:checked=current.enabled
                                    on:change:target=move |ev| setup.update(|s| s.steps[i].enabled = ev.target().checked())
                                />
                                "Offer this step"
                            </label>
                            <label for=field_id(i, "category")>"Image category"</label>
                            <select id=field_id(i, "category") on:change:target=move |ev| {
                                setup.update(|s| s.steps[i].category = ev.target().value().parse().unwrap_or(0))
                            }>
                                {categories
                                    .iter()
                                    .map(|c| view! { <option value=c.def_num.to_string() selected=c.def_num == current.category>{c.item_name.clone()}</option> })
                                    .collect_view()}
                            </select>
                            <label for=field_id(i, "type")>"Image type"</label>
                            <select id=field_id(i, "type") on:change:target=move |ev| setup.update(|s| s.steps[i].img_type = ev.target().value())>
                                {IMG_TYPES
                                    .iter()
                                    .map(|t| view! { <option value=*t selected=*t == current.img_type>{*t}</option> })
                                    .collect_view()}
                            </select>
                            <label for=field_id(i, "description")>"Description"</label>
                            <input
                                id=field_id(i, "description")
                                type="text"
                                prop:value=current.description.clone()
                                on:input:target=move |ev| setup.update(|s| s.steps[i].description = ev.target().value())
                            />
                        </fieldset>
                    }
                })
                .collect_view()}
            <label for=format!("kiosk-{id}-idle")>"Start over after this many seconds without a touch"</label>
            <input
                id=format!("kiosk-{id}-idle")
                class="kiosk-idle"
                type="text"
                inputmode="numeric"
                autocomplete="off"
                aria-describedby=format!("kiosk-{id}-idle-help")
                aria-invalid=move || idle_problem.with(Option::is_some).to_string()
                prop:value=idle_text.get_untracked()
                on:input:target=move |ev| {
                    idle_text.set(ev.target().value());
                    idle_problem.set(None);
                }
                on:blur=move |_| idle_problem.set(check_idle_seconds(&idle_text.get_untracked()).err())
            />
            <p id=format!("kiosk-{id}-idle-help") class=move || if idle_problem.with(Option::is_some) { "hint error-text kiosk-idle-help" } else { "hint kiosk-idle-help" } aria-live="polite">
                {move || idle_problem.get().unwrap_or_else(|| "From 2 to 600 seconds (10 minutes).".into())}
            </p>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || busy.get()>"Save kiosk setup"</button>
            </div>
            {move || match status() {
                Some(Ok(text)) => view! { <p class="notice success" role="status">{text}</p> }.into_any(),
                Some(Err(message)) => view! { <ErrorNotice message /> }.into_any(),
                None => ().into_any(),
            }}
        </form>
    }
}

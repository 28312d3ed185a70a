//! On a patient's screen (gateway mode): "Send to kiosk…" picks a paired kiosk and starts the
//! patient's intake on it; then a live panel follows it (identity confirmed, each photo
//! arrived, finished, abandoned, locked out, expired) and can cancel it.

use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{EventSource, MessageEvent};

use crate::{
    components::{action_failure, ErrorNotice, Loaded, ModalDialog},
    gateway::kiosk as api,
    kiosk::model::{IntakeStatus, StepLabels, StepStatus},
};

#[component]
pub fn SendToKiosk(pat_num: i64) -> impl IntoView {
    let choosing = RwSignal::new(false);
    let intake = RwSignal::new(None::<IntakeStatus>);
    let on_sent = Callback::new(move |status: IntakeStatus| {
        choosing.set(false);
        intake.set(Some(status));
    });
    view! {
        <div class="kiosk-start">
            <button type="button" id="send-to-kiosk" on:click=move |_| choosing.set(true)>"Send to kiosk…"</button>
            <Show when=move || choosing.get()>
                <ChooseKiosk pat_num on_sent on_close=Callback::new(move |()| choosing.set(false)) />
            </Show>
            {move || intake.get().map(|initial| view! { <IntakeProgress initial /> })}
        </div>
    }
}

#[component]
fn ChooseKiosk(pat_num: i64, on_sent: Callback<IntakeStatus>, on_close: Callback<()>) -> impl IntoView {
    let kiosks = LocalResource::new(api::kiosks);
    let send = Action::new_local(move |kiosk: &i64| {
        let kiosk = *kiosk;
        async move {
            let status = api::send_intake(kiosk, pat_num).await?;
            on_sent.run(status);
            Ok::<_, String>(())
        }
    });
    let problem = action_failure(send, "");
    view! {
        <ModalDialog labelled_by="send-kiosk-title" on_cancel=on_close class="send-kiosk-dialog">
            <div class="card">
                <h2 id="send-kiosk-title">"Send to kiosk"</h2>
                <Loaded resource=kiosks loading="Loading kiosks…" let:list>
                    {if list.is_empty() {
                        view! {
                            <p>"No device is a kiosk yet. Pair one on the " <a href="/kiosks">"Kiosks"</a> " page."</p>
                        }.into_any()
                    } else {
                        view! {
                            <ul class="kiosk-choices">
                                {list.into_iter().map(|k| {
                                    let id = k.id;
                                    let busy = k.intake.as_ref().map(|i| format!(" · with {} now", i.patient_name)).unwrap_or_default();
                                    let status = if k.connected { "connected" } else { "not connected" };
                                    view! {
                                        <li>
                                            <button type="button" class="send-kiosk" data-kiosk-id=id on:click=move |_| {
                                                send.dispatch(id);
                                            }>
                                                {k.name.clone()}
                                            </button>
                                            <span class=format!("kiosk-status {}", status.replace(' ', "-"))>{format!(" {status}{busy}")}</span>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </Loaded>
                {move || problem().map(|message| view! { <ErrorNotice message /> })}
                <div class="actions">
                    <button type="button" on:click=move |_| on_close.run(())>"Close"</button>
                </div>
            </div>
        </ModalDialog>
    }
}

/// The intake as it happens, from its event stream (which ends after the intake does).
#[component]
fn IntakeProgress(initial: IntakeStatus) -> impl IntoView {
    let id = initial.id.clone();
    let status = RwSignal::new(initial);
    let source = EventSource::new(&api::intake_events_url(&id)).ok();
    let on_status = Closure::<dyn FnMut(MessageEvent)>::new({
        let source = source.clone();
        move |e: MessageEvent| {
            let Some(next) = e
                .data()
                .as_string()
                .and_then(|d| serde_json::from_str::<IntakeStatus>(&d).ok())
            else {
                return;
            };
            // The stream ends with the intake; the browser would reconnect to an ended stream.
            if next.ended() {
                if let Some(source) = &source {
                    source.close();
                }
            }
            status.set(next);
        }
    });
    if let Some(source) = &source {
        let _ = source.add_event_listener_with_callback("status", on_status.as_ref().unchecked_ref());
    }
    let kept = StoredValue::new_local(Some(on_status));
    on_cleanup({
        let source = source.clone();
        move || {
            if let Some(source) = source {
                source.close();
            }
            kept.set_value(None);
        }
    });
    let cancel = Action::new_local(move |id: &String| {
        let id = id.clone();
        async move {
            status.set(api::cancel_intake(&id).await?);
            Ok::<_, String>(())
        }
    });
    let problem = action_failure(cancel, "");
    view! {
        <section class="card intake-progress" id="intake-progress" aria-labelledby="intake-progress-title" aria-live="polite">
            <h2 id="intake-progress-title">{move || status.with(|s| format!("Kiosk: {}", s.kiosk_name))}</h2>
            <p class="intake-state" data-state=move || status.with(|s| format!("{:?}", s.state))>
                {move || status.with(|s| s.state.describe())}
            </p>
            <ul class="intake-steps">
                {move || status.with(|s| s.steps.iter().map(|step| {
                    let text = match step.status {
                        StepStatus::Arrived => "arrived",
                        StepStatus::Skipped => "skipped",
                        _ => "waiting",
                    };
                    view! {
                        <li data-kind=step.kind.id() data-status=text>{format!("{}: {text}", step.kind.staff_name())}</li>
                    }
                }).collect_view())}
            </ul>
            {move || problem().map(|message| view! { <ErrorNotice message /> })}
            <Show when=move || status.with(|s| !s.ended())>
                <button type="button" class="danger" id="cancel-intake" on:click=move |_| {
                    cancel.dispatch(status.with_untracked(|s| s.id.clone()));
                }>"Cancel intake"</button>
            </Show>
        </section>
    }
}

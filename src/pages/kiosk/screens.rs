//! The patient's screens: each renders the machine's state in the patient's language and
//! forwards what the patient does as an event. Targets are at least 64 px (style/main.css).

use leptos::{ev, html, prelude::*};
use wasm_bindgen::JsCast;

use super::runtime::use_kiosk;
use crate::{
    components::ModalDialog,
    kiosk::{
        i18n::{birthdate_iso, DateOrder, Lang, Texts},
        machine::{BirthdateError, EndReason, Event, Phase},
        model::StepLabels,
    },
};

/// The patient's language's texts (tracked).
pub fn texts() -> &'static Texts {
    use_kiosk().lang.get().texts()
}

fn first_name() -> String {
    use_kiosk()
        .machine
        .with_untracked(|m| m.intake.as_ref().map(|i| i.first_name.clone()).unwrap_or_default())
}

#[component]
pub fn Waiting(#[prop(into)] name: String) -> impl IntoView {
    view! {
        <section class="kiosk-card" aria-labelledby="kiosk-title">
            <h1 id="kiosk-title" tabindex="-1">{move || texts().waiting_title}</h1>
            <p>{move || texts().waiting_body}</p>
            <p class="kiosk-notice" id="kiosk-name">{name}</p>
        </section>
    }
}

#[component]
pub fn Offline() -> impl IntoView {
    view! {
        <section class="kiosk-card" aria-labelledby="kiosk-title">
            <h1 id="kiosk-title" tabindex="-1">{move || texts().offline_title}</h1>
            <p role="status">{move || texts().offline_body}</p>
        </section>
    }
}

#[component]
pub fn Welcome() -> impl IntoView {
    let kiosk = use_kiosk();
    let name = first_name();
    let current = move || kiosk.lang.get();
    view! {
        <section class="kiosk-card" aria-labelledby="kiosk-title">
            <h1 id="kiosk-title" tabindex="-1">{move || (texts().hello)(&name)}</h1>
            <p>{move || texts().welcome_body}</p>
            <div class="kiosk-languages" role="group" aria-label=move || texts().choose_language>
                {Lang::ALL
                    .into_iter()
                    .map(|lang| view! {
                        <button
                            type="button"
                            class="kiosk-secondary kiosk-language"
                            lang=lang.code()
                            id=format!("kiosk-lang-{}", lang.code())
                            aria-pressed=move || (current() == lang).to_string()
                            on:click=move |_| kiosk.send(Event::ChooseLanguage(lang))
                        >
                            {lang.texts().name}
                        </button>
                    })
                    .collect_view()}
            </div>
            <button type="button" class="kiosk-primary" id="kiosk-start" on:click=move |_| kiosk.send(Event::Start)>
                {move || texts().start}
            </button>
        </section>
    }
}

#[component]
pub fn Birthdate() -> impl IntoView {
    let kiosk = use_kiosk();
    // Read from the fields when sent: what is on screen is what goes, however it was typed.
    let (day, month, year) = (
        NodeRef::<html::Input>::new(),
        NodeRef::<html::Input>::new(),
        NodeRef::<html::Input>::new(),
    );
    let typed = |field: NodeRef<html::Input>| field.get_untracked().map(|i| i.value()).unwrap_or_default();
    let checking = Memo::new(move |_| kiosk.machine.with(|m| m.intake.as_ref().is_some_and(|i| i.checking)));
    let problem = Memo::new(move |_| {
        kiosk
            .machine
            .with(|m| m.intake.as_ref().and_then(|i| i.birthdate_error.clone()))
    });
    let error = move || {
        let t = texts();
        problem.get().map(|e| match e {
            BirthdateError::Local(problem) => problem.text(t).to_owned(),
            BirthdateError::Wrong(left) => (t.birthdate_wrong)(left),
            BirthdateError::Unreachable => t.birthdate_unreachable.to_owned(),
        })
    };
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        kiosk.send(Event::SubmitBirthdate(birthdate_iso(
            &typed(day),
            &typed(month),
            &typed(year),
        )));
    };
    let field = move |id: &'static str, value: NodeRef<html::Input>, label: fn(&Texts) -> &'static str, size: u32| {
        view! {
            <div class="kiosk-date-part">
                <label for=id>{move || label(texts())}</label>
                <input
                    id=id
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    maxlength=size
                    size=size
                    class=format!("kiosk-date-{size}")
                    node_ref=value
                />
            </div>
        }
    };
    view! {
        <form class="kiosk-card" on:submit=submit aria-labelledby="kiosk-title">
            <h1 id="kiosk-title" tabindex="-1">{move || texts().birthdate_title}</h1>
            <p>{move || texts().birthdate_intro}</p>
            <fieldset class="kiosk-date" aria-describedby="kiosk-date-hint">
                <legend>{move || texts().birthdate_legend}</legend>
                {move || match texts().date_order {
                    DateOrder::MonthDayYear => view! {
                        {field("kiosk-birth-month", month, |t| t.month, 2)}
                        {field("kiosk-birth-day", day, |t| t.day, 2)}
                        {field("kiosk-birth-year", year, |t| t.year, 4)}
                    }.into_any(),
                    DateOrder::DayMonthYear => view! {
                        {field("kiosk-birth-day", day, |t| t.day, 2)}
                        {field("kiosk-birth-month", month, |t| t.month, 2)}
                        {field("kiosk-birth-year", year, |t| t.year, 4)}
                    }.into_any(),
                }}
            </fieldset>
            <p id="kiosk-date-hint" class="kiosk-notice">{move || texts().date_example()}</p>
            <div role="alert" id="kiosk-birthdate-error">
                {move || error().map(|e| view! { <p class="kiosk-error">{e}</p> })}
            </div>
            <button type="submit" class="kiosk-primary" id="kiosk-check" disabled=checking>
                {move || if checking.get() { texts().checking } else { texts().check }}
            </button>
        </form>
    }
}

#[component]
pub fn PhotoStep(index: usize) -> impl IntoView {
    let kiosk = use_kiosk();
    let Some(step) = kiosk.machine.with_untracked(|m| m.step(index).cloned()) else {
        return ().into_any();
    };
    let count = kiosk
        .machine
        .with_untracked(|m| m.intake.as_ref().map_or(0, |i| i.steps.len()));
    let kind = step.kind;
    let phase = Memo::new(move |_| {
        kiosk
            .machine
            .with(|m| m.step(index).map_or(Phase::Skipped, |s| s.phase))
    });
    let title = move || (texts().step_title)(kind);
    let on_file = move |ev: ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        kiosk.photo_taken(index, file);
    };
    let capture = move || {
        view! {
            <div class="kiosk-actions">
                <label class="kiosk-primary" for="kiosk-camera">{move || texts().take_photo}</label>
                <input id="kiosk-camera" class="file-input" type="file" accept="image/*" capture=kind.camera() on:change=on_file />
                <label class="kiosk-secondary" for="kiosk-library">{move || texts().choose_photo}</label>
                <input id="kiosk-library" class="file-input" type="file" accept="image/*" on:change=on_file />
                <SkipButton />
            </div>
        }
    };
    let preview = move || {
        kiosk
            .photo_url(index)
            .map(|url| view! { <img class="kiosk-preview" src=url alt=move || (texts().your_photo)(title()) /> })
    };
    view! {
        <section class="kiosk-card kiosk-step" aria-labelledby="kiosk-title">
            <p class="kiosk-count">{move || (texts().step_count)(index + 1, count)}</p>
            <h1 id="kiosk-title" tabindex="-1">{title}</h1>
            <p>{move || (texts().step_instruction)(kind)}</p>
            {move || match phase.get() {
                Phase::Capture => capture().into_any(),
                Phase::Refused { too_large } => view! {
                    <p class="kiosk-error" role="alert">{move || if too_large { texts().too_large } else { texts().refused }}</p>
                    {capture()}
                }.into_any(),
                Phase::Preview => view! {
                    {preview()}
                    <div class="kiosk-actions">
                        <button type="button" class="kiosk-primary" id="kiosk-use" on:click=move |_| kiosk.send(Event::UsePhoto)>{move || texts().use_photo}</button>
                        <RetakeButton />
                        <SkipButton />
                    </div>
                }.into_any(),
                Phase::Sending { attempt } => view! { <Sending attempt /> }.into_any(),
                Phase::Retrying { wait_ms, .. } => view! {
                    <progress class="kiosk-progress" aria-hidden="true"></progress>
                    <p role="status" aria-live="polite">{move || (texts().retrying_in)(wait_ms.div_ceil(1000))}</p>
                }.into_any(),
                Phase::Offline { .. } => view! {
                    {preview()}
                    <p class="kiosk-waiting" role="status" aria-live="polite" id="kiosk-offline">{move || texts().offline_photo}</p>
                    <div class="kiosk-actions">
                        <RetakeButton />
                        <SkipButton />
                    </div>
                }.into_any(),
                Phase::NotSent => view! {
                    <p class="kiosk-error" role="alert">{move || texts().not_sent}</p>
                    <div class="kiosk-actions">
                        <button type="button" class="kiosk-primary" id="kiosk-try-again" on:click=move |_| kiosk.send(Event::TryAgain)>{move || texts().try_again}</button>
                        <RetakeButton />
                        <SkipButton />
                    </div>
                }.into_any(),
                Phase::Arrived | Phase::Skipped => view! { <p role="status">{move || texts().arrived}</p> }.into_any(),
            }}
        </section>
    }
    .into_any()
}

#[component]
fn Sending(attempt: u32) -> impl IntoView {
    let kiosk = use_kiosk();
    view! {
        {move || match kiosk.progress.get() {
            // Whole percents: an attribute from a float would bring float formatting into the
            // kiosk's wasm for nothing the patient can see.
            Some(percent) => view! { <progress class="kiosk-progress" max="100" value=percent aria-hidden="true"></progress> }.into_any(),
            None => view! { <progress class="kiosk-progress" aria-hidden="true"></progress> }.into_any(),
        }}
        <p role="status" aria-live="polite" id="kiosk-sending">
            {move || if attempt > 1 { (texts().sending_try)(attempt) } else { texts().sending.to_owned() }}
        </p>
    }
}

#[component]
fn SkipButton() -> impl IntoView {
    let kiosk = use_kiosk();
    view! {
        <button type="button" class="kiosk-secondary" id="kiosk-skip" on:click=move |_| kiosk.send(Event::Skip)>{move || texts().skip}</button>
    }
}

#[component]
fn RetakeButton() -> impl IntoView {
    let kiosk = use_kiosk();
    view! {
        <button type="button" class="kiosk-secondary" id="kiosk-retake" on:click=move |_| kiosk.send(Event::Retake)>{move || texts().retake}</button>
    }
}

#[component]
pub fn Done() -> impl IntoView {
    let kiosk = use_kiosk();
    let name = first_name();
    view! {
        <section class="kiosk-card" aria-labelledby="kiosk-title">
            <h1 id="kiosk-title" tabindex="-1">{move || (texts().thanks)(&name)}</h1>
            <p>{move || texts().all_set}</p>
            <button type="button" class="kiosk-primary" id="kiosk-done" on:click=move |_| kiosk.send(Event::Finished)>{move || texts().done}</button>
        </section>
    }
}

#[component]
pub fn Ended(reason: EndReason) -> impl IntoView {
    let title = move || match reason {
        EndReason::LockedOut => texts().locked_out,
        _ => texts().ended_title,
    };
    let why = move || match reason {
        EndReason::Idle => Some(texts().ended_idle),
        EndReason::Ended | EndReason::LockedOut => None,
    };
    view! {
        <section class="kiosk-card" aria-labelledby="kiosk-title">
            <h1 id="kiosk-title" tabindex="-1">{title}</h1>
            {move || why().map(|w| view! { <p>{w}</p> })}
            <p>{move || texts().see_front_desk}</p>
        </section>
    }
}

/// "Are you still there?" before the reset, counting down.
#[component]
pub fn IdleWarning() -> impl IntoView {
    let kiosk = use_kiosk();
    let seconds = Memo::new(move |_| kiosk.machine.with(|m| m.warning));
    view! {
        <Show when=move || seconds.with(Option::is_some)>
            <ModalDialog
                class="kiosk-dialog"
                alert=true
                labelled_by="idle-title"
                described_by="idle-text"
                initial_focus="kiosk-still-here"
                on_cancel=move |()| kiosk.send(Event::StillHere)
            >
                <div class="kiosk-card">
                    <h2 id="idle-title">{move || texts().idle_title}</h2>
                    <p id="idle-text" aria-live="assertive">{move || (texts().idle_text)(seconds.get().unwrap_or(0))}</p>
                    <button type="button" class="kiosk-primary" id="kiosk-still-here" on:click=move |_| kiosk.send(Event::StillHere)>
                        {move || texts().still_here}
                    </button>
                </div>
            </ModalDialog>
        </Show>
    }
}

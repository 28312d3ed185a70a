//! The viewer's toolbar: previous and next, zoom, fit, 100 %, rotate, flip, brightness and
//! contrast, and Download. Each button sends a `Command`; the viewer carries it out.

use leptos::prelude::*;

use super::super::view_state::{Step, ViewState};
use super::{commands::Command, files::Shown};

#[component]
pub(super) fn ViewerTools(
    index: RwSignal<usize>,
    len: usize,
    view: RwSignal<ViewState>,
    #[prop(into)] percent: Signal<u32>,
    shown: RwSignal<Shown>,
    run: Callback<Command>,
) -> impl IntoView {
    let is_image = move || matches!(shown.get(), Shown::Image { .. });
    view! {
        <div class="viewer-tools" role="toolbar" aria-label="View" aria-controls="viewer-stage">
            <button type="button" id="viewer-previous" on:click=move |_| run.run(Command::Go(Step::Previous))
                disabled=move || index.get() == 0 aria-keyshortcuts="ArrowLeft">"‹ Previous"</button>
            <button type="button" id="viewer-next" on:click=move |_| run.run(Command::Go(Step::Next))
                disabled={move || index.get() + 1 >= len} aria-keyshortcuts="ArrowRight">"Next ›"</button>
            <span class="separator" aria-hidden="true"></span>
            <button type="button" id="viewer-zoom-out" disabled=move || !is_image()
                on:click=move |_| run.run(Command::ZoomOut) aria-label="Zoom out">"−"</button>
            <span class="zoom-level" id="viewer-zoom" aria-live="polite">{move || format!("{} %", percent.get())}</span>
            <button type="button" id="viewer-zoom-in" disabled=move || !is_image()
                on:click=move |_| run.run(Command::ZoomIn) aria-label="Zoom in">"+"</button>
            <button type="button" id="viewer-fit" disabled=move || !is_image()
                on:click=move |_| run.run(Command::Fit)>"Fit"</button>
            <button type="button" id="viewer-actual" disabled=move || !is_image()
                on:click=move |_| run.run(Command::ActualSize)>"100 %"</button>
            <button type="button" id="viewer-rotate-left" disabled=move || !is_image()
                on:click=move |_| run.run(Command::RotateLeft) aria-label="Rotate left">"⟲"</button>
            <button type="button" id="viewer-rotate-right" disabled=move || !is_image()
                on:click=move |_| run.run(Command::RotateRight) aria-label="Rotate right">"⟳"</button>
            <button type="button" id="viewer-flip-h" disabled=move || !is_image()
                aria-pressed=move || view.get().flip_horizontal.to_string()
                on:click=move |_| run.run(Command::FlipHorizontally)>"Flip ↔"</button>
            <button type="button" id="viewer-flip-v" disabled=move || !is_image()
                aria-pressed=move || view.get().flip_vertical.to_string()
                on:click=move |_| run.run(Command::FlipVertically)>"Flip ↕"</button>
            <label class="slider">
                "Brightness"
                <input type="range" id="viewer-brightness" min="0" max="200" step="5"
                    disabled=move || !is_image()
                    prop:value=move || view.get().brightness.to_string()
                    on:input:target=move |ev| {
                        if let Ok(b) = ev.target().value().parse() { run.run(Command::Brightness(b)) }
                    } />
            </label>
            <label class="slider">
                "Contrast"
                <input type="range" id="viewer-contrast" min="0" max="200" step="5"
                    disabled=move || !is_image()
                    prop:value=move || view.get().contrast.to_string()
                    on:input:target=move |ev| {
                        if let Ok(c) = ev.target().value().parse() { run.run(Command::Contrast(c)) }
                    } />
            </label>
            <button type="button" id="viewer-reset" disabled=move || !is_image()
                on:click=move |_| run.run(Command::ResetAdjustments)>"Reset"</button>
            {move || {
                let (url, name) = match shown.get() {
                    Shown::Image { url, name } | Shown::Pdf { url, name } | Shown::Other { url, name } => (url, name),
                    _ => return None,
                };
                Some(view! { <a class="button" id="viewer-download" href=url download=name>"Download"</a> })
            }}
        </div>
    }
}

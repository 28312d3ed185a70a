//! Small pieces shared by pages.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_location};
use wasm_bindgen::JsCast;

use crate::connection::use_connection;

/// A failure, announced to screen readers at once.
#[component]
pub fn ErrorNotice(#[prop(into)] message: String) -> impl IntoView {
    view! {
        <div class="notice error" role="alert">
            {message}
        </div>
    }
}

/// Progress text for async work, announced politely.
#[component]
pub fn Loading(#[prop(into)] what: String) -> impl IntoView {
    view! {
        <p class="loading" role="status" aria-live="polite">
            {what}
        </p>
    }
}

/// Renders its children only once a connection is set up; otherwise points to Settings and
/// comes back here afterwards.
#[component]
pub fn RequireConnection(children: ChildrenFn) -> impl IntoView {
    let connection = use_connection();
    let location = use_location();
    let settings_link = move || format!("/settings?next={}", opendental::query::encode(&location.pathname.get()));
    view! {
        <Show
            when=move || connection.is_connected()
            fallback=move || {
                view! {
                    <section class="page">
                        <h1>"Connect to Open Dental first"</h1>
                        <p>
                            "Chairside needs the address of your Open Dental API and your keys. "
                            <A href=settings_link>"Set up the connection"</A>
                            "."
                        </p>
                    </section>
                }
            }
        >
            {children()}
        </Show>
    }
}

/// Waits `ms` milliseconds.
pub async fn sleep_ms(ms: u32) {
    let (tx, rx) = futures::channel::oneshot::channel::<()>();
    set_timeout(
        move || {
            let _ = tx.send(());
        },
        std::time::Duration::from_millis(ms as u64),
    );
    let _ = rx.await;
}

/// Focuses the element with `id` once the page has rendered it.
pub fn focus_later(id: &'static str) {
    request_animation_frame(move || {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

//! Small pieces shared by pages.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_location};

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

//! Gateway mode's components: the sign-in page and form, the sign-in-again dialog, the idle
//! warning, the throttle wait and sign-out. They show what `GatewaySession` holds.

use std::time::Duration;

use leptos::{ev, html, prelude::*, task::spawn_local};
use wasm_bindgen::JsCast;

use super::{focus_element, leave_to_start, GatewaySession};
use crate::{
    components::{focus_later, ErrorNotice},
    gateway::{self, hub, warning_text, Ended, SessionBody, SessionTime},
};

/// Gateway mode: the sign-in page until someone signs in, then the app (`children`), with the
/// session's warning and dialog over it.
#[component]
pub fn GatewayApp(session: SessionBody, children: ChildrenFn) -> impl IntoView {
    let state = GatewaySession::new(&session);
    provide_context(state);
    hub::listen(move |notice| state.hear(notice));
    let tick = set_interval_with_handle(move || state.tick(), Duration::from_secs(1)).ok();
    // Timers slow down in background tabs; catch up as soon as the tab is back.
    let back = window_event_listener(ev::focus, move |_| state.tick());
    on_cleanup(move || {
        if let Some(tick) = tick {
            tick.clear();
        }
        back.remove();
    });
    let on_signed_in = Callback::new(move |body: SessionBody| {
        state.user.set(body.user.clone());
        state.update_from(&body);
        state.started.set(true);
        focus_later("main");
    });
    view! {
        <Show when=move || state.started.get() fallback=move || view! { <SignInPage on_signed_in /> }>
            // Inert while the dialog is open: kept as it is, out of reach of keyboard and
            // screen reader, and hidden from view by the dialog's backdrop.
            <div class="app-root" inert=move || state.ended.get().is_some()>
                {children()}
            </div>
            <IdleWarning />
            <SessionExpiredDialog />
        </Show>
    }
}

/// The whole page before anyone has signed in. The address the user opened stays as it is, so
/// it is shown after signing in.
#[component]
fn SignInPage(on_signed_in: Callback<SessionBody>) -> impl IntoView {
    focus_later("username");
    view! {
        <main id="main" class="sign-in-page" tabindex="-1">
            <section class="card sign-in-card" aria-labelledby="sign-in-title">
                <p class="brand">"Chairside"</p>
                <h1 id="sign-in-title">"Sign in"</h1>
                <SignInForm
                    form_id="sign-in"
                    username_id="username"
                    password_id="password"
                    initial_username=String::new()
                    on_signed_in
                />
            </section>
        </main>
    }
}

/// Username, password, "Sign in"; the gateway's answer on failure, verbatim. What was typed as
/// the username stays; the password is cleared.
#[component]
fn SignInForm(
    form_id: &'static str,
    username_id: &'static str,
    password_id: &'static str,
    initial_username: String,
    on_signed_in: Callback<SessionBody>,
) -> impl IntoView {
    let username = RwSignal::new(initial_username);
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let password_input = NodeRef::<html::Input>::new();
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (name, secret) = (username.get_untracked().trim().to_owned(), password.get_untracked());
        if name.is_empty() || secret.is_empty() {
            problem.set(Some("Enter your username and your password.".into()));
            return;
        }
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            let result = gateway::sign_in(&name, &secret).await;
            password.set(String::new());
            busy.set(false);
            match result {
                Ok(body) => on_signed_in.run(body),
                Err(message) => {
                    problem.set(Some(message));
                    if let Some(input) = password_input.get_untracked() {
                        let _ = input.focus();
                    }
                }
            }
        });
    };
    let error_id = format!("{form_id}-error");
    view! {
        <form id=form_id class="form sign-in-form" on:submit=submit>
            <label for=username_id>"Username"</label>
            <input
                id=username_id
                name="username"
                type="text"
                autocomplete="username"
                autocapitalize="none"
                spellcheck="false"
                required
                bind:value=username
            />
            <label for=password_id>"Password"</label>
            <input
                id=password_id
                name="password"
                type="password"
                autocomplete="current-password"
                required
                node_ref=password_input
                bind:value=password
            />
            <div id=error_id>
                {move || problem.get().map(|message| view! { <ErrorNotice message /> })}
            </div>
            <div class="actions">
                <button type="submit" id=format!("{form_id}-submit") class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </div>
        </form>
    }
}

#[component]
fn SessionExpiredDialog() -> impl IntoView {
    let session = expect_context::<GatewaySession>();
    view! {
        <Show when=move || session.ended.get().is_some()>
            <SignInAgain />
        </Show>
    }
}

/// The modal dialog over the mounted screen: every form being edited and every queued file
/// stays as it was; requests that met "signed out" wait for it and then go again.
#[component]
fn SignInAgain() -> impl IntoView {
    let session = expect_context::<GatewaySession>();
    let why = session.ended.get_untracked().unwrap_or(Ended::Gateway);
    let user = session.user.get_untracked();
    focus_later(if user.is_empty() {
        "reauth-username"
    } else {
        "reauth-password"
    });
    let on_signed_in = Callback::new(move |body: SessionBody| session.resumed(body));
    view! {
        <div class="modal-backdrop">
            <div
                id="session-expired"
                class="modal card"
                role="dialog"
                aria-modal="true"
                aria-labelledby="session-expired-title"
                aria-describedby="session-expired-text"
                on:keydown=keep_focus_inside
            >
                <h2 id="session-expired-title">"Sign in again"</h2>
                <p id="session-expired-text">{session.expiry_sentence(why)}</p>
                <SignInForm
                    form_id="reauth"
                    username_id="reauth-username"
                    password_id="reauth-password"
                    initial_username=user
                    on_signed_in
                />
            </div>
        </div>
    }
}

/// Tab and Shift+Tab go round the dialog's controls and never leave it.
fn keep_focus_inside(ev: ev::KeyboardEvent) {
    if ev.key() != "Tab" {
        return;
    }
    let Some(dialog) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return;
    };
    let Ok(list) = dialog.query_selector_all(
        "input:not([disabled]), button:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href]",
    ) else {
        return;
    };
    let count = list.length();
    let (Some(first), Some(last)) = (list.item(0), list.item(count.saturating_sub(1))) else {
        return;
    };
    let active: Option<web_sys::Node> = document().active_element().map(Into::into);
    let inside = active.as_ref().is_some_and(|a| dialog.contains(Some(a)));
    let target = if ev.shift_key() && (!inside || active.as_ref() == Some(&first)) {
        Some(last)
    } else if !ev.shift_key() && (!inside || active.as_ref() == Some(&last)) {
        Some(first)
    } else {
        None
    };
    if let Some(el) = target.and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
        ev.prevent_default();
        focus_element(&el);
    }
}

/// A minute before the idle end: a prominent, non-modal warning with a countdown, announced as
/// an alert. It takes the focus only from nobody (someone may be typing in a field); when it
/// did, the focus goes back afterwards.
#[component]
fn IdleWarning() -> impl IntoView {
    let session = expect_context::<GatewaySession>();
    let seconds = Memo::new(move |_| match session.time() {
        SessionTime::Warning { seconds_left } if session.ended.get().is_none() => Some(seconds_left),
        _ => None,
    });
    let showing = Memo::new(move |_| seconds.get().is_some());
    let took_focus = StoredValue::new(false);
    Effect::new(move |_| {
        if showing.get() {
            let nobody = document().active_element().is_none_or(|e| e.tag_name() == "BODY");
            took_focus.set_value(nobody);
            if nobody {
                focus_later("stay-signed-in");
            }
        } else if took_focus.get_value() {
            took_focus.set_value(false);
            if document().active_element().is_none_or(|e| e.tag_name() == "BODY") {
                focus_later("main");
            }
        }
    });
    let stay = Action::new_local(move |_: &()| async move { session.stay().await });
    view! {
        <Show when=move || seconds.get().is_some()>
            <div
                id="idle-warning"
                class="idle-warning"
                role="alertdialog"
                aria-modal="false"
                aria-labelledby="idle-warning-title"
                aria-describedby="idle-warning-text"
            >
                <h2 id="idle-warning-title">"Still working?"</h2>
                <p id="idle-warning-text">{move || seconds.get().map(warning_text)}</p>
                <button
                    type="button"
                    id="stay-signed-in"
                    class="primary"
                    disabled=move || stay.pending().get()
                    on:click=move |_| {
                        stay.dispatch(());
                    }
                >
                    "Stay signed in"
                </button>
                {move || stay.value().get().and_then(Result::err).map(|message| view! { <ErrorNotice message /> })}
            </div>
        </Show>
    }
}

/// Near the connection chip: how this session's requests stand in the gateway's throttle queue.
/// Always in the page (a live region must exist before it speaks), empty when nothing waits.
#[component]
pub fn ThrottleWait() -> impl IntoView {
    let session = expect_context::<GatewaySession>();
    view! {
        <span id="throttle-wait" class="throttle-wait" role="status" aria-live="polite">
            {move || session.queue.get()}
        </span>
    }
}

/// Signs out, forgets everything of the session in this tab, and opens the sign-in page.
#[component]
pub fn SignOutButton(id: &'static str) -> impl IntoView {
    let sign_out = Action::new_local(|_: &()| async {
        let result = gateway::sign_out().await;
        if result.is_ok() {
            leave_to_start();
        }
        result.map_err(|message| format!("You are still signed in. {message}"))
    });
    view! {
        <button
            type="button"
            id=id
            class="sign-out"
            disabled=move || sign_out.pending().get()
            on:click=move |_| {
                sign_out.dispatch(());
            }
        >
            "Sign out"
        </button>
        {move || {
            sign_out
                .value()
                .get()
                .and_then(Result::err)
                .map(|message| view! { <span class="sign-out-problem" role="alert">{message}</span> })
        }}
    }
}

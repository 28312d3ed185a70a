//! The tablet's discreet "Staff" button: a staff member signs in to start an intake here, or
//! leaves kiosk mode with their username and password. Staff screens are in English. Nothing
//! of a staff session stays on the tablet: starting an intake ends it (the gateway clears the
//! cookie), and closing the dialog signs out.
//!
//! Part of the kiosk app, whose size is budgeted: its requests are `spawn_local` with their own
//! signals, not Actions (the staff dialog's and sign-in form's Actions measured 6.5 KB brotli).

use leptos::{ev, prelude::*, task::spawn_local};

use super::runtime::{leave_kiosk_mode, use_kiosk};
use crate::{
    components::{ErrorNotice, ModalDialog},
    gateway::{
        self,
        kiosk::{self as api, PatientChoice},
        SessionBody,
    },
    kiosk::machine::Event,
    session::SignInForm,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum View {
    Menu,
    SignIn,
    Search,
    Exit,
}

#[component]
pub fn StaffDialog(open: RwSignal<bool>) -> impl IntoView {
    let view = RwSignal::new(View::Menu);
    let signed_in = StoredValue::new(false);
    let close = move || {
        if signed_in.get_value() {
            signed_in.set_value(false);
            spawn_local(async {
                let _ = gateway::sign_out().await;
            });
        }
        open.set(false);
    };
    let on_signed_in = Callback::new(move |_: SessionBody| {
        signed_in.set_value(true);
        view.set(View::Search);
    });
    let started = Callback::new(move |()| {
        // The gateway ended the staff session when it started the intake.
        signed_in.set_value(false);
        open.set(false);
    });
    view! {
        <ModalDialog class="kiosk-dialog kiosk-staff-dialog" labelled_by="staff-title" on_cancel=move |()| close()>
            <div class="kiosk-card">
                <h2 id="staff-title">"Staff"</h2>
                {move || match view.get() {
                    View::Menu => view! {
                        <div class="kiosk-actions">
                            <button type="button" class="kiosk-primary" id="kiosk-staff-start" on:click=move |_| view.set(View::SignIn)>
                                "Start an intake on this tablet"
                            </button>
                            <button type="button" class="kiosk-secondary" id="kiosk-staff-exit" on:click=move |_| view.set(View::Exit)>
                                "Leave kiosk mode"
                            </button>
                        </div>
                    }.into_any(),
                    View::SignIn => view! {
                        <p>"Sign in to choose the patient."</p>
                        <SignInForm
                            form_id="kiosk-sign-in"
                            username_id="kiosk-username"
                            password_id="kiosk-password"
                            initial_username=String::new()
                            on_signed_in
                        />
                    }.into_any(),
                    View::Search => view! { <StartHere started /> }.into_any(),
                    View::Exit => view! { <Exit /> }.into_any(),
                }}
                <button type="button" class="kiosk-secondary" id="kiosk-staff-cancel" on:click=move |_| close()>"Cancel"</button>
            </div>
        </ModalDialog>
    }
}

/// Finds the patient by last name and starts their intake on this tablet.
#[component]
fn StartHere(started: Callback<()>) -> impl IntoView {
    let kiosk = use_kiosk();
    let last_name = RwSignal::new(String::new());
    let found = RwSignal::new(None::<Result<Vec<PatientChoice>, String>>);
    let problem = RwSignal::new(None::<String>);
    let search = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let query = last_name.get_untracked();
        spawn_local(async move { found.set(Some(api::find_patients(&query).await)) });
    };
    let start = move |pat_num: i64| {
        spawn_local(async move {
            match api::start_here(pat_num).await {
                Ok(state) => {
                    found.set(None);
                    started.run(());
                    kiosk.send(Event::State(state));
                }
                Err(message) => problem.set(Some(message)),
            }
        })
    };
    view! {
        <form class="form" on:submit=search>
            <label for="kiosk-search-last">"Patient's last name"</label>
            <input id="kiosk-search-last" type="text" autocomplete="off" bind:value=last_name />
            <button type="submit" class="kiosk-primary" id="kiosk-search">"Search"</button>
        </form>
        {move || problem.get().map(|message| view! { <ErrorNotice message /> })}
        {move || match found.get() {
            None => ().into_any(),
            Some(Err(message)) => view! { <ErrorNotice message /> }.into_any(),
            Some(Ok(patients)) => view! {
                <ul class="kiosk-patients">
                    {patients
                        .into_iter()
                        .map(|p| {
                            let pat_num = p.pat_num;
                            view! {
                                <li>
                                    <span>{format!("{}, {} ({})", p.l_name, p.f_name, p.birthdate)}</span>
                                    <button type="button" class="kiosk-primary kiosk-start-here" data-pat-num=pat_num on:click=move |_| start(pat_num)>
                                        "Start intake here"
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}

/// Leaving kiosk mode: a staff member's username and password, checked by the gateway.
#[component]
fn Exit() -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let (name, secret) = (username.get_untracked(), password.get_untracked());
        password.set(String::new());
        busy.set(true);
        spawn_local(async move {
            match api::exit(name.trim(), &secret).await {
                Ok(()) => leave_kiosk_mode().await,
                Err(message) => {
                    busy.set(false);
                    problem.set(Some(message));
                }
            }
        });
    };
    view! {
        <form class="form" id="kiosk-exit" on:submit=submit>
            <p>"A staff member's sign-in ends kiosk mode on this tablet."</p>
            <label for="kiosk-exit-username">"Username"</label>
            <input id="kiosk-exit-username" type="text" autocomplete="off" autocapitalize="none" bind:value=username />
            <label for="kiosk-exit-password">"Password"</label>
            <input id="kiosk-exit-password" type="password" autocomplete="off" bind:value=password />
            <div role="alert" id="kiosk-exit-error">{move || problem.get().map(|p| view! { <p class="kiosk-error">{p}</p> })}</div>
            <button type="submit" class="kiosk-primary" id="kiosk-exit-submit" disabled=move || busy.get()>"Leave kiosk mode"</button>
        </form>
    }
}

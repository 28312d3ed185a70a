//! The Connection screen. Behind the gateway: who is signed in, the endpoint in use, and sign
//! out; no keys. In direct mode: where Open Dental is, the two keys, and a test that proves
//! both.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    components::A,
    hooks::{use_navigate, use_query_map},
    NavigateOptions,
};
use opendental::Preset;

use crate::{
    components::ErrorNotice,
    connection::{app_origin, use_connection, SavedConnection},
    session::{use_gateway_session, GatewaySession, SignOutButton},
};

/// What the last "Save and test" did.
#[derive(Clone, PartialEq)]
enum TestState {
    Idle,
    Testing,
    Connected { base_url: String, providers: usize },
    Failed(String),
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    match use_gateway_session() {
        Some(session) => view! { <GatewayConnection session /> }.into_any(),
        None => view! { <DirectSettings /> }.into_any(),
    }
}

/// Gateway mode: nothing to set up here; the gateway holds the keys.
#[component]
fn GatewayConnection(session: GatewaySession) -> impl IntoView {
    view! {
        <section class="page settings">
            <h1>"Connection to Open Dental"</h1>
            <div class="card gateway-connection">
                <p class="mode-badge">"Through the Chairside gateway"</p>
                <dl class="summary">
                    <dt>"Signed in as"</dt>
                    <dd id="signed-in-user">{move || session.user.get()}</dd>
                    <dt>"Open Dental endpoint in use"</dt>
                    <dd id="endpoint-in-use">
                        {move || session.endpoint.with(|label| if label.is_empty() { "Not known yet".to_owned() } else { label.clone() })}
                    </dd>
                </dl>
                <p class="hint">
                    "The office's Chairside gateway holds the Open Dental keys and chooses the endpoint; this browser never sees a key."
                </p>
                <div class="actions">
                    <SignOutButton id="connection-sign-out" />
                </div>
            </div>
        </section>
    }
}

/// Direct mode: keys typed into this tab.
#[component]
fn DirectSettings() -> impl IntoView {
    let connection = use_connection();
    let saved = connection.saved().unwrap_or_default();
    let query = use_query_map();
    let navigate = use_navigate();

    // The form starts from what is saved, so nothing the user set up is lost.
    let preset = RwSignal::new(if saved.preset.is_empty() {
        Preset::Sandbox.id().to_owned()
    } else {
        saved.preset.clone()
    });
    let host = RwSignal::new(saved.host.clone());
    let developer_key = RwSignal::new(saved.developer_key.clone());
    let customer_key = RwSignal::new(saved.customer_key.clone());
    let remember = RwSignal::new(saved.remember);
    let state = RwSignal::new(TestState::Idle);

    let current_preset = move || Preset::from_id(&preset.get()).unwrap_or(Preset::Sandbox);
    let base_url = Memo::new(move |_| current_preset().base_url(&host.get(), &app_origin()));

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if state.get_untracked() == TestState::Testing {
            return;
        }
        let url = match base_url.get_untracked() {
            Ok(url) => url,
            Err(problem) => return state.set(TestState::Failed(problem)),
        };
        let candidate = SavedConnection {
            preset: preset.get_untracked(),
            host: host.get_untracked().trim().to_owned(),
            base_url: url.clone(),
            developer_key: developer_key.get_untracked().trim().to_owned(),
            customer_key: customer_key.get_untracked().trim().to_owned(),
            remember: remember.get_untracked(),
        };
        if !candidate.credentials().is_complete() {
            return state.set(TestState::Failed(
                "Enter both the developer key and the customer key.".into(),
            ));
        }
        state.set(TestState::Testing);
        let navigate = navigate.clone();
        let next = query
            .with_untracked(|q| q.get("next"))
            .filter(|n| n.starts_with('/') && !n.starts_with("//"));
        spawn_local(async move {
            match candidate.client().providers().await {
                Ok(providers) => {
                    connection.save(candidate);
                    state.set(TestState::Connected {
                        base_url: url,
                        providers: providers.len(),
                    });
                    if let Some(next) = next {
                        navigate(&next, NavigateOptions::default());
                    }
                }
                Err(e) => state.set(TestState::Failed(e.message())),
            }
        });
    };

    let forget = move |_| {
        connection.forget();
        developer_key.set(String::new());
        customer_key.set(String::new());
        remember.set(false);
        state.set(TestState::Idle);
    };

    let host_label = move || match current_preset() {
        Preset::ApiService => Some(("Office server (name or IP address)", "192.168.1.10")),
        Preset::Custom => Some(("API address", "https://example.org/api/v1")),
        _ => None,
    };

    view! {
        <section class="page settings">
            <h1>"Connection to Open Dental"</h1>
            <div class="direct-mode">
                <p class="mode-badge" id="direct-mode">"Direct mode"</p>
                <p class="hint">
                    "The keys are kept in this browser tab. Direct mode is for developers and for a workstation's Local API; "
                    "an office should run the Chairside gateway, so that the keys stay off browsers."
                </p>
            </div>
            <form class="card form" on:submit=on_submit autocomplete="off">
                <label for="preset">"Where is Open Dental?"</label>
                <select id="preset" prop:value=move || preset.get() on:change:target=move |ev| preset.set(ev.target().value())>
                    {Preset::ALL
                        .into_iter()
                        .map(|p| view! { <option value=p.id() selected=p.id() == preset.get_untracked()>{p.label()}</option> })
                        .collect_view()}
                </select>
                {move || {
                    host_label()
                        .map(|(label, example)| {
                            view! {
                                <label for="host">{label}</label>
                                <input id="host" type="text" placeholder=example spellcheck="false" bind:value=host />
                            }
                        })
                }}
                <p class="hint" id="base-url-hint">
                    {move || match base_url.get() {
                        Ok(url) => format!("Requests go to {url}"),
                        Err(problem) => problem,
                    }}
                </p>
                <label for="developer-key">"Developer key"</label>
                <input id="developer-key" type="password" autocomplete="off" spellcheck="false" bind:value=developer_key />
                <label for="customer-key">"Customer key"</label>
                <input id="customer-key" type="password" autocomplete="off" spellcheck="false" bind:value=customer_key />
                <label class="check">
                    <input id="remember" type="checkbox" bind:checked=remember />
                    "Remember the keys on this device"
                </label>
                <p class="hint">
                    "Otherwise they are kept only until this browser tab closes. Don't remember them on a shared computer."
                </p>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || state.get() == TestState::Testing>
                        "Save and test connection"
                    </button>
                    <Show when=move || connection.is_connected()>
                        <button type="button" on:click=forget>"Forget keys"</button>
                    </Show>
                </div>
            </form>
            <div class="test-result" aria-live="polite">
                {move || match state.get() {
                    TestState::Idle => ().into_any(),
                    TestState::Testing => view! { <p role="status">"Testing the connection…"</p> }.into_any(),
                    TestState::Connected { base_url, providers } => {
                        view! {
                            <div class="notice success" role="status">
                                <p>{format!("Connected. Open Dental at {base_url} accepted the keys ({providers} providers).")}</p>
                                <p><A href="/patients">"Find a patient"</A></p>
                            </div>
                        }
                            .into_any()
                    }
                    TestState::Failed(message) => view! { <ErrorNotice message /> }.into_any(),
                }}
            </div>
        </section>
    }
}

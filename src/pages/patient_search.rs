//! Find a patient by last name, first name, birthdate or PatNum.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::{hooks::use_navigate, NavigateOptions};
use opendental::{paging::PAGE_LIMIT, wire::date_or_none};

use crate::api::PatientListItem;
use wasm_bindgen::JsCast;

use crate::{
    api::PatientSearch,
    components::{ErrorNotice, RequireConnection},
    connection::use_connection,
};

/// The search form and its last results, kept for the whole visit so that coming back from a
/// patient shows the same list and nothing typed is lost.
#[derive(Clone, Copy)]
pub struct SearchState {
    last_name: RwSignal<String>,
    first_name: RwSignal<String>,
    birthdate: RwSignal<String>,
    pat_num: RwSignal<String>,
    results: RwSignal<Option<Result<Vec<PatientListItem>, String>>>,
    pending: RwSignal<bool>,
    /// Numbers searches so an older, slower answer never replaces a newer one.
    generation: RwSignal<u64>,
}

impl SearchState {
    pub fn new() -> Self {
        Self {
            last_name: RwSignal::new(String::new()),
            first_name: RwSignal::new(String::new()),
            birthdate: RwSignal::new(String::new()),
            pat_num: RwSignal::new(String::new()),
            results: RwSignal::new(None),
            pending: RwSignal::new(false),
            generation: RwSignal::new(0),
        }
    }
}

#[component]
pub fn PatientSearchPage() -> impl IntoView {
    view! {
        <RequireConnection>
            <PatientSearchForm />
        </RequireConnection>
    }
}

#[component]
fn PatientSearchForm() -> impl IntoView {
    let connection = use_connection();
    let state = expect_context::<SearchState>();
    let navigate = use_navigate();
    let problem = RwSignal::new(None::<String>);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.set(None);
        let pat_num = state.pat_num.get_untracked();
        let pat_num = pat_num.trim();
        if !pat_num.is_empty() {
            match pat_num.parse::<i64>() {
                Ok(n) if n > 0 => navigate(&format!("/patients/{n}"), NavigateOptions::default()),
                _ => problem.set(Some("A patient number is a whole number, like 48.".into())),
            }
            return;
        }
        let search = PatientSearch {
            last_name: state.last_name.get_untracked(),
            first_name: state.first_name.get_untracked(),
            birthdate: state.birthdate.get_untracked(),
        };
        if search.is_empty() {
            problem.set(Some(
                "Enter a last name, first name, birthdate or patient number.".into(),
            ));
            return;
        }
        let Some(client) = connection.client() else { return };
        let generation = state.generation.get_untracked() + 1;
        state.generation.set(generation);
        state.pending.set(true);
        spawn_local(async move {
            let result = client.search_patients(&search).await.map_err(|e| e.message());
            if state.generation.get_untracked() == generation {
                state.results.set(Some(result));
                state.pending.set(false);
            }
        });
    };

    view! {
        <section class="page">
            <h1>"Find a patient"</h1>
            <form class="card form search-form" on:submit=on_submit role="search">
                <div class="fields">
                    <div>
                        <label for="lname">"Last name"</label>
                        <input id="lname" type="text" autocomplete="off" bind:value=state.last_name />
                    </div>
                    <div>
                        <label for="fname">"First name"</label>
                        <input id="fname" type="text" autocomplete="off" bind:value=state.first_name />
                    </div>
                    <div>
                        <label for="birthdate">"Birthdate"</label>
                        <input id="birthdate" type="date" bind:value=state.birthdate />
                    </div>
                    <div>
                        <label for="patnum">"Patient number"</label>
                        <input id="patnum" type="text" inputmode="numeric" autocomplete="off" bind:value=state.pat_num />
                    </div>
                </div>
                <p class="hint">"Names match in part and ignore case: “smi” finds Smith."</p>
                <button type="submit" class="primary" disabled=move || state.pending.get()>
                    "Search"
                </button>
            </form>
            {move || problem.get().map(|message| view! { <ErrorNotice message /> })}
            <SearchResults state />
        </section>
    }
}

#[component]
fn SearchResults(state: SearchState) -> impl IntoView {
    let status = move || {
        if state.pending.get() {
            return "Searching…".to_owned();
        }
        match state.results.get() {
            Some(Ok(list)) if list.is_empty() => "No patients match.".to_owned(),
            Some(Ok(list)) if list.len() >= PAGE_LIMIT => {
                format!(
                    "Showing the first {} matches. Add a first name or birthdate to narrow the search.",
                    list.len()
                )
            }
            Some(Ok(list)) if list.len() == 1 => "1 patient found.".to_owned(),
            Some(Ok(list)) => format!("{} patients found.", list.len()),
            _ => String::new(),
        }
    };

    view! {
        <p class="result-count" role="status" aria-live="polite">
            {status}
        </p>
        {move || match state.results.get() {
            Some(Err(message)) => view! { <ErrorNotice message /> }.into_any(),
            Some(Ok(list)) if !list.is_empty() => {
                view! {
                    <ol class="results card" aria-label="Matching patients" on:keydown=move_focus_with_arrows>
                        {list.into_iter().map(|p| view! { <PatientResult patient=p /> }).collect_view()}
                    </ol>
                }
                    .into_any()
            }
            _ => ().into_any(),
        }}
    }
}

#[component]
fn PatientResult(patient: PatientListItem) -> impl IntoView {
    let born = date_or_none(&patient.birthdate)
        .map(|d| format!("born {d}"))
        .unwrap_or_else(|| "no birthdate".into());
    let phone = [&patient.wireless_phone, &patient.hm_phone, &patient.wk_phone]
        .into_iter()
        .find(|p| !p.is_empty())
        .cloned();
    view! {
        <li>
            <a href=format!("/patients/{}", patient.pat_num)>
                <span class="name">{patient.display_name()}</span>
                <span class="meta">{born}</span>
                <span class="meta">{format!("#{}", patient.pat_num)}</span>
                <span class="meta">{patient.pat_status}</span>
                <span class="meta">{phone}</span>
            </a>
        </li>
    }
}

/// Up/Down (and Home/End) move between result links, as in a list box.
fn move_focus_with_arrows(ev: leptos::ev::KeyboardEvent) {
    let Some(list) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return;
    };
    let Ok(links) = list.query_selector_all("a") else {
        return;
    };
    let count = links.length();
    if count == 0 {
        return;
    }
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let current = (0..count).find(|&i| {
        links
            .get(i)
            .map(|n| Some(n.unchecked_into::<web_sys::Element>()) == active)
            .unwrap_or(false)
    });
    let target = match (ev.key().as_str(), current) {
        ("ArrowDown", Some(i)) => (i + 1).min(count - 1),
        ("ArrowDown", None) | ("Home", _) => 0,
        ("ArrowUp", Some(i)) => i.saturating_sub(1),
        ("End", _) => count - 1,
        _ => return,
    };
    ev.prevent_default();
    if let Some(link) = links
        .get(target)
        .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = link.focus();
    }
}

//! The selected patient: a header with name and birthdate on every patient screen, and the
//! patient's summary. The PatNum lives in the URL so links and reloads land here.

use leptos::prelude::*;
use leptos_router::{
    components::{Outlet, A},
    hooks::use_params,
    params::Params,
};
use opendental::{wire::date_or_none, ApiError};

use crate::api::Patient;

use crate::{
    components::{ErrorNotice, Loading, RequireConnection},
    connection::use_connection,
    pages::kiosk::send::SendToKiosk,
};

#[derive(Params, Clone, PartialEq)]
struct PatientParams {
    pat_num: Option<String>,
}

/// The patient every child screen works on; one GET per patient, shared by header and pages.
#[derive(Clone, Copy)]
pub struct SelectedPatient {
    pub pat_num: Memo<Option<i64>>,
    pub patient: LocalResource<Result<Patient, String>>,
}

#[component]
pub fn PatientLayout() -> impl IntoView {
    view! {
        <RequireConnection>
            <PatientScreens />
        </RequireConnection>
    }
}

#[component]
fn PatientScreens() -> impl IntoView {
    let connection = use_connection();
    let params = use_params::<PatientParams>();
    let pat_num = Memo::new(move |_| {
        params
            .read()
            .as_ref()
            .ok()
            .and_then(|p| p.pat_num.as_deref()?.parse::<i64>().ok())
            .filter(|n| *n > 0)
    });
    let patient = LocalResource::new(move || {
        let client = connection.current_client();
        let pat_num = pat_num.get();
        async move {
            let (Some(client), Some(pat_num)) = (client, pat_num) else {
                return Err(
                    "That address does not name a patient. Patient numbers are whole numbers, like 48.".to_owned(),
                );
            };
            client.patient(pat_num).await.map_err(|e: ApiError| e.message())
        }
    });
    provide_context(SelectedPatient { pat_num, patient });

    view! {
        <Transition fallback=|| view! { <Loading what="Loading the patient…" /> }>
            {move || Suspend::new(async move {
                match patient.await {
                    Ok(p) => {
                        let pat_num = p.pat_num;
                        view! {
                            <PatientHeader patient=p.clone() />
                            <PatientNav pat_num />
                            // Only behind the gateway: a kiosk never holds keys.
                            {connection.is_gateway().then(|| view! { <SendToKiosk pat_num /> })}
                            <Outlet />
                        }
                            .into_any()
                    }
                    Err(message) => {
                        view! {
                            <section class="page">
                                <h1>"Patient not available"</h1>
                                <ErrorNotice message />
                                <p><A href="/patients">"Back to patient search"</A></p>
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn PatientHeader(patient: Patient) -> impl IntoView {
    let born = date_or_none(&patient.birthdate)
        .map(|d| format!("Born {d}"))
        .unwrap_or_else(|| "Birthdate not recorded".into());
    view! {
        <header class="patient-header" aria-label="Selected patient">
            <h1 id="patient-name">{patient.display_name()}</h1>
            <p>
                <span id="patient-birthdate">{born}</span>
                <span>{format!("Patient #{}", patient.pat_num)}</span>
                <span>{patient.pat_status.clone()}</span>
            </p>
        </header>
    }
}

/// The patient's screens. Only screens that work are listed.
#[component]
fn PatientNav(pat_num: i64) -> impl IntoView {
    view! {
        <nav class="patient-nav" aria-label="Patient">
            <A href=format!("/patients/{pat_num}") exact=true>"Summary"</A>
            <A href=format!("/patients/{pat_num}/documents")>"Documents"</A>
            <A href=format!("/patients/{pat_num}/treatment-plans")>"Treatment plans"</A>
        </nav>
    }
}

/// The patient's contact and account details from Patients GET (single).
#[component]
pub fn PatientSummary() -> impl IntoView {
    let SelectedPatient { patient, .. } = expect_context();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move { patient.await.ok().map(|p| view! { <SummaryCard patient=p /> }) })}
        </Suspense>
    }
}

#[component]
fn SummaryCard(patient: Patient) -> impl IntoView {
    let address = [patient.address.as_str(), patient.address2.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .chain(
            std::iter::once(format!("{} {} {}", patient.city, patient.state, patient.zip).trim())
                .filter(|s| !s.is_empty()),
        )
        .collect::<Vec<_>>()
        .join(", ");
    let rows: Vec<(&str, String)> = vec![
        ("Address", address),
        ("Mobile", patient.wireless_phone.clone()),
        ("Home phone", patient.hm_phone.clone()),
        ("Work phone", patient.wk_phone.clone()),
        ("Email", patient.email.clone()),
        ("Primary provider", patient.pri_prov_abbr.clone()),
        ("Billing type", patient.billing_type.clone()),
        ("Balance", format!("{:.2}", patient.est_balance)),
        (
            "First visit",
            date_or_none(&patient.date_first_visit).unwrap_or("").to_owned(),
        ),
    ];
    view! {
        <section class="page">
            <h2>"Summary"</h2>
            <dl class="card summary">
                {rows
                    .into_iter()
                    .filter(|(_, value)| !value.trim().is_empty())
                    .map(|(label, value)| view! { <dt>{label}</dt> <dd>{value}</dd> })
                    .collect_view()}
            </dl>
        </section>
    }
}

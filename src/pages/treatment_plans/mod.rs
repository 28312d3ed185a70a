//! The patient's treatment plans. Active and Inactive plans show their attached procedures
//! grouped by priority with subtotals, each with a priority dropdown that saves at once;
//! Saved plans show their frozen ProcTPs, read-only.
//!
//! Requests: the plan list, the priorities (cached per session), one listing of the patient's
//! procedures, and the chosen plan's attaches (or ProcTPs): 4 cold, 3 warm.
//!
//! The parts: `editor` (an Active or Inactive plan's rows and their priority dropdowns, with
//! the optimistic change kept as plain data in `pending`), `attach` (the form that attaches a
//! procedure) and `saved` (a Saved plan, read-only).

mod attach;
mod editor;
mod pending;
mod saved;

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use opendental::{
    models::{def_category, Definition},
    treatment::{PlanProcedure, TpStatus},
    wire::date_or_none,
};

use crate::{
    api::{Client, TreatPlan},
    components::Loaded,
    connection::use_connection,
    pages::patient::SelectedPatient,
    reference::use_reference_data,
};

/// What a plan screen needs besides the plan itself.
#[derive(Clone)]
struct PlanContext {
    client: Client,
    priorities: Arc<Vec<Definition>>,
    procedures: Arc<Vec<PlanProcedure>>,
}

/// The plan to open: the one named in the URL, else the Active one, else the first.
fn chosen_plan(plans: &[TreatPlan], requested: Option<i64>) -> Option<TreatPlan> {
    requested
        .and_then(|n| plans.iter().find(|p| p.treat_plan_num == n))
        .or_else(|| plans.iter().find(|p| p.tp_status == TpStatus::Active))
        .or_else(|| plans.first())
        .cloned()
}

fn plan_date(plan: &TreatPlan) -> String {
    date_or_none(&plan.date_tp)
        .or_else(|| date_or_none(&plan.sec_date_entry))
        .unwrap_or("")
        .to_owned()
}

#[component]
pub fn TreatmentPlansPage() -> impl IntoView {
    let connection = use_connection();
    let reference = use_reference_data();
    let SelectedPatient { pat_num, .. } = expect_context();
    let query = use_query_map();

    // Everything the screen needs for this patient, fetched one request at a time.
    let data = LocalResource::new(move || {
        let client = connection.current_client();
        let pat_num = pat_num.get();
        async move {
            let (Some(client), Some(pat_num)) = (client, pat_num) else {
                return Err("Choose a patient first.".to_owned());
            };
            let priorities = reference
                .definitions(&client, def_category::TX_PRIORITIES)
                .await
                .map_err(|e| e.message())?;
            let plans = client.treat_plans(pat_num).await.map_err(|e| e.message())?;
            let procedures = Arc::new(client.procedures(pat_num).await.map_err(|e| e.message())?);
            Ok((
                plans,
                PlanContext {
                    client,
                    priorities,
                    procedures,
                },
            ))
        }
    });

    view! {
        <section class="page treatment-plans">
            <h2>"Treatment plans"</h2>
            <Loaded resource=data loading="Loading treatment plans…" keep_shown=true let:loaded>
                {move || {
                    let (plans, context) = loaded.clone();
                    let requested = query.read().get("plan").and_then(|p| p.parse::<i64>().ok());
                    match chosen_plan(&plans, requested) {
                        None => view! { <p>"This patient has no treatment plans."</p> }.into_any(),
                        Some(chosen) => view! {
                            <PlanList plans=plans.clone() chosen=chosen.treat_plan_num />
                            <PlanDetail plan=chosen context />
                        }
                            .into_any(),
                    }
                }}
            </Loaded>
        </section>
    }
}

#[component]
fn PlanList(plans: Vec<TreatPlan>, chosen: i64) -> impl IntoView {
    view! {
        <nav aria-label="Treatment plans">
            <ul class="plan-list">
                {plans
                    .into_iter()
                    .map(|plan| {
                        let href = format!("/patients/{}/treatment-plans?plan={}", plan.pat_num, plan.treat_plan_num);
                        let current = (plan.treat_plan_num == chosen).then_some("page");
                        let status_class = format!("badge status-{}", plan.tp_status.as_str().to_lowercase());
                        view! {
                            <li>
                                <a href=href aria-current=current>
                                    <span class="plan-heading">{plan.heading.clone()}</span>
                                    <span class=status_class>{plan.tp_status.to_string()}</span>
                                    <span class="meta">{plan_date(&plan)}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

#[component]
fn PlanDetail(plan: TreatPlan, context: PlanContext) -> impl IntoView {
    let heading = format!("{} ({})", plan.heading, plan.tp_status);
    let body = if plan.uses_attaches() {
        view! { <AttachedProcedures plan context /> }.into_any()
    } else {
        view! { <saved::SavedPlan plan client=context.client /> }.into_any()
    };
    view! {
        <article class="plan-detail" aria-labelledby="plan-title">
            <h3 id="plan-title">{heading}</h3>
            {body}
        </article>
    }
}

/// Loads an Active/Inactive plan's attaches, then hands them to the editor.
#[component]
fn AttachedProcedures(plan: TreatPlan, context: PlanContext) -> impl IntoView {
    let client = context.client.clone();
    let plan_num = plan.treat_plan_num;
    let plan_status = plan.tp_status.clone();
    let attaches = LocalResource::new(move || {
        let client = client.clone();
        async move { client.treat_plan_attaches(plan_num).await }
    });
    view! {
        <Loaded resource=attaches loading="Loading the plan's procedures…" let:attaches>
            <editor::PlanEditor plan_num plan_status=plan_status.clone() attaches context=context.clone() />
        </Loaded>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(num: i64, status: TpStatus) -> TreatPlan {
        TreatPlan {
            treat_plan_num: num,
            tp_status: status,
            ..Default::default()
        }
    }

    #[test]
    fn opens_the_requested_plan_else_the_active_one_else_the_first() {
        let plans = vec![
            plan(1, TpStatus::Saved),
            plan(2, TpStatus::Inactive),
            plan(3, TpStatus::Active),
        ];
        assert_eq!(chosen_plan(&plans, Some(2)).unwrap().treat_plan_num, 2);
        assert_eq!(chosen_plan(&plans, Some(99)).unwrap().treat_plan_num, 3);
        assert_eq!(chosen_plan(&plans, None).unwrap().treat_plan_num, 3);
        assert_eq!(chosen_plan(&plans[..2], None).unwrap().treat_plan_num, 1);
        assert!(chosen_plan(&[], None).is_none());
    }
}

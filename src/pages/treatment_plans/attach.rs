//! The form that attaches one of the patient's treatment-planned procedures to the plan.

use std::sync::Arc;

use leptos::prelude::*;
use opendental::{
    models::Definition,
    treatment::{
        attachable, cents, format_money, NewTreatPlanAttach, PlanProcedure, PlanRow, TpStatus, TreatPlanAttach,
    },
};

use crate::{api::Client, components::ErrorNotice};

/// Attach a treatment-planned procedure that is not yet on this plan, optionally with a priority.
#[component]
pub(super) fn AttachForm(
    plan_num: i64,
    plan_status: TpStatus,
    rows: RwSignal<Vec<PlanRow>>,
    procedures: Arc<Vec<PlanProcedure>>,
    priorities: Arc<Vec<Definition>>,
    client: Client,
    on_attached: Callback<(TreatPlanAttach, PlanProcedure)>,
) -> impl IntoView {
    let candidates = {
        let procedures = procedures.clone();
        Memo::new(move |_| {
            rows.with(|rows| {
                let attaches: Vec<TreatPlanAttach> = rows.iter().map(|r| r.attach.clone()).collect();
                attachable(&procedures, &attaches, &plan_status)
                    .into_iter()
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    };
    let chosen = RwSignal::new(String::new());
    let priority = RwSignal::new("0".to_owned());
    // A form that cannot be sent is explained here; a refused attach in the action's value.
    let invalid = RwSignal::new(None::<String>);
    let attach = Action::new_local(move |(request, procedure): &(NewTreatPlanAttach, PlanProcedure)| {
        let (request, procedure) = (request.clone(), procedure.clone());
        let client = client.clone();
        async move {
            match client.attach_procedure(&request).await {
                Ok(attach) => {
                    chosen.set(String::new());
                    on_attached.run((attach, procedure));
                    Ok(())
                }
                Err(e) => Err(format!("The procedure was not attached. {}", e.message())),
            }
        }
    });
    let problem = move || {
        invalid.get().or_else(|| {
            attach
                .value()
                .with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned()))
        })
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        invalid.set(None);
        attach.clear();
        let Some(procedure) = chosen
            .get_untracked()
            .parse::<i64>()
            .ok()
            .and_then(|n| candidates.with_untracked(|c| c.iter().find(|p| p.proc_num == n).cloned()))
        else {
            invalid.set(Some("Choose a procedure to attach.".into()));
            return;
        };
        let priority_num = priority.get_untracked().parse::<i64>().unwrap_or(0);
        let request = NewTreatPlanAttach {
            treat_plan_num: plan_num,
            proc_num: procedure.proc_num,
            priority: (priority_num != 0).then_some(priority_num),
        };
        attach.dispatch((request, procedure));
    };

    view! {
        <form class="card form attach-form" on:submit=on_submit>
            <h4>"Attach a treatment-planned procedure"</h4>
            <Show
                when=move || candidates.with(|c| !c.is_empty())
                fallback=|| view! { <p class="hint">"Every treatment-planned procedure of this patient is on this plan."</p> }
            >
                <label for="attach-procedure">"Procedure"</label>
                <select id="attach-procedure" on:change:target=move |ev| chosen.set(ev.target().value()) prop:value=move || chosen.get()>
                    <option value="">"Choose…"</option>
                    {move || {
                        candidates
                            .get()
                            .into_iter()
                            .map(|p| {
                                let text = format!(
                                    "{} {}{}{} — {}",
                                    p.proc_code,
                                    p.descript,
                                    if p.tooth_num.is_empty() { String::new() } else { format!(", tooth {}", p.tooth_num) },
                                    if p.surf.is_empty() { String::new() } else { format!(" {}", p.surf) },
                                    format_money(cents(p.proc_fee))
                                );
                                view! { <option value=p.proc_num.to_string()>{text}</option> }
                            })
                            .collect_view()
                    }}
                </select>
                <label for="attach-priority">"Priority (optional)"</label>
                <select id="attach-priority" on:change:target=move |ev| priority.set(ev.target().value()) prop:value=move || priority.get()>
                    <option value="0">"none"</option>
                    {priorities.iter().map(|d| view! { <option value=d.def_num.to_string()>{d.item_name.clone()}</option> }).collect_view()}
                </select>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || attach.pending().get()>
                        "Attach to plan"
                    </button>
                </div>
            </Show>
            {move || problem().map(|message| view! { <ErrorNotice message /> })}
        </form>
    }
}

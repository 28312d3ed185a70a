//! The patient's treatment plans. Active and Inactive plans show their attached procedures
//! grouped by priority with subtotals, each with a priority dropdown that saves at once;
//! Saved plans show their frozen ProcTPs, read-only.
//!
//! Requests: the plan list, the priorities (cached per session), one listing of the patient's
//! procedures, and the chosen plan's attaches (or ProcTPs): 4 cold, 3 warm.

use std::{collections::HashMap, sync::Arc};

use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::use_query_map;
use opendental::{
    models::{def_category, Definition},
    treatment::{
        attachable, cents, format_money, group_by_priority, join_attaches, total_cents, NewTreatPlanAttach, PlanRow,
        PriorityGroup, ProcTp, ProcedureLog, TreatPlan, TreatPlanAttach,
    },
    wire::date_or_none,
};

use crate::{
    api::Client,
    components::{ErrorNotice, Loading},
    connection::use_connection,
    pages::patient::SelectedPatient,
    reference::use_reference_data,
};

/// What a plan screen needs besides the plan itself.
#[derive(Clone)]
struct PlanContext {
    client: Client,
    priorities: Arc<Vec<Definition>>,
    procedures: Arc<Vec<ProcedureLog>>,
}

/// The plan to open: the one named in the URL, else the Active one, else the first.
fn chosen_plan(plans: &[TreatPlan], requested: Option<i64>) -> Option<TreatPlan> {
    requested
        .and_then(|n| plans.iter().find(|p| p.treat_plan_num == n))
        .or_else(|| plans.iter().find(|p| p.tp_status == "Active"))
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
            <Transition fallback=|| view! { <Loading what="Loading treatment plans…" /> }>
                {move || {
                    let requested = query.read().get("plan").and_then(|p| p.parse::<i64>().ok());
                    Suspend::new(async move {
                        match data.await {
                            Err(message) => view! { <ErrorNotice message /> }.into_any(),
                            Ok((plans, _)) if plans.is_empty() => {
                                view! { <p>"This patient has no treatment plans."</p> }.into_any()
                            }
                            Ok((plans, context)) => {
                                let chosen = chosen_plan(&plans, requested).expect("plans is not empty");
                                view! {
                                    <PlanList plans=plans chosen=chosen.treat_plan_num />
                                    <PlanDetail plan=chosen context />
                                }
                                    .into_any()
                            }
                        }
                    })
                }}
            </Transition>
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
                        let status_class = format!("badge status-{}", plan.tp_status.to_lowercase());
                        view! {
                            <li>
                                <a href=href aria-current=current>
                                    <span class="plan-heading">{plan.heading.clone()}</span>
                                    <span class=status_class>{plan.tp_status.clone()}</span>
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
        view! { <SavedPlan plan client=context.client /> }.into_any()
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
        async move { client.treat_plan_attaches(plan_num).await.map_err(|e| e.message()) }
    });
    view! {
        <Suspense fallback=|| view! { <Loading what="Loading the plan's procedures…" /> }>
            {move || {
                let context = context.clone();
                let plan_status = plan_status.clone();
                Suspend::new(async move {
                    match attaches.await {
                        Ok(attaches) => view! { <PlanEditor plan_num plan_status attaches context /> }.into_any(),
                        Err(message) => view! { <ErrorNotice message /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// A short name for a procedure in messages and accessible names: "D2391 resin, tooth 3 MO".
fn procedure_name(row: &PlanRow) -> String {
    match &row.procedure {
        Some(p) => {
            let mut name = format!("{} {}", p.proc_code, p.descript);
            if !p.tooth_num.is_empty() {
                name.push_str(&format!(", tooth {}", p.tooth_num));
            }
            if !p.surf.is_empty() {
                name.push_str(&format!(" {}", p.surf));
            }
            name
        }
        None => format!("procedure #{}", row.attach.proc_num),
    }
}

/// Outcome of the last change, for the live region.
#[derive(Clone, PartialEq)]
enum Notice {
    Saved(String),
    Failed(String),
}

#[component]
fn PlanEditor(
    plan_num: i64,
    plan_status: String,
    attaches: Vec<TreatPlanAttach>,
    context: PlanContext,
) -> impl IntoView {
    let PlanContext {
        client,
        priorities,
        procedures,
    } = context;
    let rows = RwSignal::new(join_attaches(&attaches, &procedures));
    let groups = {
        let priorities = priorities.clone();
        Memo::new(move |_| rows.with(|rows| group_by_priority(rows, &priorities)))
    };
    let notice = RwSignal::new(None::<Notice>);
    // What the server last confirmed per attach, and a counter per attach so only the answer
    // to the latest change may roll a row back.
    let confirmed = StoredValue::new(
        attaches
            .iter()
            .map(|a| (a.treat_plan_attach_num, a.clone()))
            .collect::<HashMap<_, _>>(),
    );
    let versions = StoredValue::new(HashMap::<i64, u64>::new());

    let label_of = {
        let priorities = priorities.clone();
        move |priority: i64| {
            priorities
                .iter()
                .find(|d| d.def_num == priority)
                .map(|d| d.item_name.clone())
                .unwrap_or_default()
        }
    };

    let change_priority = {
        let client = client.clone();
        let label_of = label_of.clone();
        Callback::new(move |(attach_num, priority): (i64, i64)| {
            let Some(row) =
                rows.with_untracked(|r| r.iter().find(|r| r.attach.treat_plan_attach_num == attach_num).cloned())
            else {
                return;
            };
            if row.attach.priority == priority {
                return;
            }
            let name = procedure_name(&row);
            let label = label_of(priority);
            set_row_priority(rows, attach_num, priority, &label);
            keep_focus_on_priority(attach_num);
            let version = versions.try_update_value(|v| {
                let n = v.entry(attach_num).or_default();
                *n += 1;
                *n
            });
            let client = client.clone();
            spawn_local(async move {
                let result = client.set_priority(attach_num, priority).await;
                let latest = versions.with_value(|v| v.get(&attach_num).copied()) == version;
                match result {
                    Ok(saved) => {
                        confirmed.update_value(|c| {
                            c.insert(attach_num, saved.clone());
                        });
                        if latest {
                            set_row_priority(rows, attach_num, saved.priority, &saved.priority_label);
                            let shown = if saved.priority == 0 {
                                "none".to_owned()
                            } else {
                                saved.priority_label
                            };
                            notice.set(Some(Notice::Saved(format!("Priority of {name} set to {shown}."))));
                        }
                    }
                    Err(error) => {
                        if latest {
                            if let Some(back) = confirmed.with_value(|c| c.get(&attach_num).cloned()) {
                                set_row_priority(rows, attach_num, back.priority, &back.priority_label);
                                keep_focus_on_priority(attach_num);
                            }
                        }
                        notice.set(Some(Notice::Failed(format!(
                            "The priority of {name} was not changed. {}",
                            error.message()
                        ))));
                    }
                }
            });
        })
    };

    let on_attached = Callback::new(move |(attach, procedure): (TreatPlanAttach, ProcedureLog)| {
        confirmed.update_value(|c| {
            c.insert(attach.treat_plan_attach_num, attach.clone());
        });
        let name = format!("{} {}", procedure.proc_code, procedure.descript);
        rows.update(|r| {
            r.push(PlanRow {
                attach,
                procedure: Some(procedure),
            })
        });
        notice.set(Some(Notice::Saved(format!("Attached {name}."))));
    });

    let total = move || format_money(groups.with(|g| total_cents(g)));
    let priorities_for_rows = priorities.clone();

    view! {
        <div class="plan-notice" aria-live="polite">
            {move || match notice.get() {
                Some(Notice::Saved(text)) => view! { <p class="notice success" role="status">{text}</p> }.into_any(),
                Some(Notice::Failed(text)) => view! { <ErrorNotice message=text /> }.into_any(),
                None => ().into_any(),
            }}
        </div>
        <table class="plan-table card">
            <caption class="visually-hidden">"Procedures on this plan, grouped by priority"</caption>
            <thead>
                <tr>
                    <th scope="col">"Priority"</th>
                    <th scope="col">"Tooth"</th>
                    <th scope="col">"Surf"</th>
                    <th scope="col">"Code"</th>
                    <th scope="col">"Description"</th>
                    <th scope="col" class="num">"Fee"</th>
                </tr>
            </thead>
            // Keyed by the group's members: only groups whose rows changed are rebuilt.
            <For
                each=move || groups.get()
                key=|g: &PriorityGroup| {
                    (g.priority, g.subtotal_cents, g.rows.iter().map(|r| r.attach.treat_plan_attach_num).collect::<Vec<_>>())
                }
                children=move |group: PriorityGroup| {
                    view! { <GroupRows group priorities=priorities_for_rows.clone() on_change=change_priority /> }
                }
            />
            <tfoot>
                <tr class="total">
                    <th scope="row" colspan="5">"Plan total"</th>
                    <td class="num" id="plan-total">{total}</td>
                </tr>
            </tfoot>
        </table>
        <AttachForm plan_num plan_status rows procedures priorities client on_attached />
    }
}

fn set_row_priority(rows: RwSignal<Vec<PlanRow>>, attach_num: i64, priority: i64, label: &str) {
    rows.update(|rows| {
        if let Some(row) = rows.iter_mut().find(|r| r.attach.treat_plan_attach_num == attach_num) {
            row.attach.priority = priority;
            row.attach.priority_label = label.to_owned();
        }
    });
}

/// A row moves to another group when its priority changes, which rebuilds its dropdown; put
/// the keyboard focus back on it once the page has updated.
fn keep_focus_on_priority(attach_num: i64) {
    let was_focused = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .map(|e| e.id() == priority_select_id(attach_num))
        .unwrap_or(false);
    if was_focused {
        request_animation_frame(move || {
            use wasm_bindgen::JsCast;
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&priority_select_id(attach_num)))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        });
    }
}

fn priority_select_id(attach_num: i64) -> String {
    format!("priority-{attach_num}")
}

#[component]
fn GroupRows(group: PriorityGroup, priorities: Arc<Vec<Definition>>, on_change: Callback<(i64, i64)>) -> impl IntoView {
    let label = group.label.clone();
    let group_id = format!("group-{}", group.priority);
    view! {
        <tbody class="priority-group" data-priority=group.priority.to_string()>
            <tr class="group-heading">
                <th scope="rowgroup" colspan="6" id=group_id>
                    {format!("Priority: {label}")}
                </th>
            </tr>
            {group
                .rows
                .into_iter()
                .map(|row| view! { <ProcedureRow row priorities=priorities.clone() on_change /> })
                .collect_view()}
            <tr class="subtotal">
                <th scope="row" colspan="5">{format!("Subtotal {label}")}</th>
                <td class="num">{format_money(group.subtotal_cents)}</td>
            </tr>
        </tbody>
    }
}

#[component]
fn ProcedureRow(row: PlanRow, priorities: Arc<Vec<Definition>>, on_change: Callback<(i64, i64)>) -> impl IntoView {
    let attach_num = row.attach.treat_plan_attach_num;
    let current = row.attach.priority;
    let accessible_name = format!("Priority for {}", procedure_name(&row));
    let fee = format_money(row.fee_cents());
    let unknown_current = (current != 0 && !priorities.iter().any(|d| d.def_num == current)).then(
        || view! { <option value=current.to_string() selected=true>{row.attach.priority_label.clone()}</option> },
    );
    let (tooth, surf, code, descript) = match &row.procedure {
        Some(p) => (
            p.tooth_num.clone(),
            p.surf.clone(),
            p.proc_code.clone(),
            p.descript.clone(),
        ),
        None => (
            String::new(),
            String::new(),
            String::new(),
            "Procedure not found in Open Dental".to_owned(),
        ),
    };
    view! {
        <tr data-attach=attach_num.to_string()>
            <td>
                <select
                    id=priority_select_id(attach_num)
                    class="priority"
                    aria-label=accessible_name
                    on:change:target=move |ev| on_change.run((attach_num, ev.target().value().parse().unwrap_or(0)))
                >
                    <option value="0" selected=current == 0>"none"</option>
                    {priorities
                        .iter()
                        .map(|d| {
                            view! {
                                <option value=d.def_num.to_string() selected=d.def_num == current>{d.item_name.clone()}</option>
                            }
                        })
                        .collect_view()}
                    {unknown_current}
                </select>
            </td>
            <td>{tooth}</td>
            <td>{surf}</td>
            <td>{code}</td>
            <td>{descript}</td>
            <td class="num">{fee}</td>
        </tr>
    }
}

/// Attach a treatment-planned procedure that is not yet on this plan, optionally with a priority.
#[component]
fn AttachForm(
    plan_num: i64,
    plan_status: String,
    rows: RwSignal<Vec<PlanRow>>,
    procedures: Arc<Vec<ProcedureLog>>,
    priorities: Arc<Vec<Definition>>,
    client: Client,
    on_attached: Callback<(TreatPlanAttach, ProcedureLog)>,
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
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.set(None);
        let Some(procedure) = chosen
            .get_untracked()
            .parse::<i64>()
            .ok()
            .and_then(|n| candidates.with_untracked(|c| c.iter().find(|p| p.proc_num == n).cloned()))
        else {
            problem.set(Some("Choose a procedure to attach.".into()));
            return;
        };
        let priority_num = priority.get_untracked().parse::<i64>().unwrap_or(0);
        let request = NewTreatPlanAttach {
            treat_plan_num: plan_num,
            proc_num: procedure.proc_num,
            priority: (priority_num != 0).then_some(priority_num),
        };
        busy.set(true);
        let client = client.clone();
        spawn_local(async move {
            match client.attach_procedure(&request).await {
                Ok(attach) => {
                    chosen.set(String::new());
                    on_attached.run((attach, procedure));
                }
                Err(e) => problem.set(Some(format!("The procedure was not attached. {}", e.message()))),
            }
            busy.set(false);
        });
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
                    <button type="submit" class="primary" disabled=move || busy.get()>
                        "Attach to plan"
                    </button>
                </div>
            </Show>
            {move || problem.get().map(|message| view! { <ErrorNotice message /> })}
        </form>
    }
}

/// A Saved plan: the ProcTP copies, read-only, with insurance and patient amounts.
#[component]
fn SavedPlan(plan: TreatPlan, client: Client) -> impl IntoView {
    let plan_num = plan.treat_plan_num;
    let proc_tps = LocalResource::new(move || {
        let client = client.clone();
        async move { client.proc_tps(plan_num).await.map_err(|e| e.message()) }
    });
    view! {
        <p class="hint">"A saved plan is a record of what was presented; it cannot be changed."</p>
        <Suspense fallback=|| view! { <Loading what="Loading the saved plan…" /> }>
            {move || Suspend::new(async move {
                match proc_tps.await {
                    Ok(items) => view! { <SavedPlanTable items /> }.into_any(),
                    Err(message) => view! { <ErrorNotice message /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SavedPlanTable(items: Vec<ProcTp>) -> impl IntoView {
    let mut items = items;
    items.sort_by_key(|p| p.item_order);
    let sum = |f: fn(&ProcTp) -> f64| format_money(items.iter().map(|p| cents(f(p))).sum());
    let totals = [
        sum(|p| p.fee_amt),
        sum(|p| p.pri_ins_amt),
        sum(|p| p.sec_ins_amt),
        sum(|p| p.discount),
        sum(|p| p.pat_amt),
    ];
    view! {
        <table class="plan-table saved card">
            <caption class="visually-hidden">"Procedures on this saved plan"</caption>
            <thead>
                <tr>
                    <th scope="col">"Priority"</th>
                    <th scope="col">"Tooth"</th>
                    <th scope="col">"Surf"</th>
                    <th scope="col">"Code"</th>
                    <th scope="col">"Description"</th>
                    <th scope="col" class="num">"Fee"</th>
                    <th scope="col" class="num">"Pri Ins"</th>
                    <th scope="col" class="num">"Sec Ins"</th>
                    <th scope="col" class="num">"Discount"</th>
                    <th scope="col" class="num">"Patient"</th>
                </tr>
            </thead>
            <tbody>
                {items
                    .iter()
                    .map(|p| {
                        view! {
                            <tr>
                                <td>{p.priority_label.clone()}</td>
                                <td>{p.tooth_num_tp.clone()}</td>
                                <td>{p.surf.clone()}</td>
                                <td>{p.proc_code.clone()}</td>
                                <td>{p.descript.clone()}</td>
                                <td class="num">{format_money(cents(p.fee_amt))}</td>
                                <td class="num">{format_money(cents(p.pri_ins_amt))}</td>
                                <td class="num">{format_money(cents(p.sec_ins_amt))}</td>
                                <td class="num">{format_money(cents(p.discount))}</td>
                                <td class="num">{format_money(cents(p.pat_amt))}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
            <tfoot>
                <tr class="total">
                    <th scope="row" colspan="5">"Total"</th>
                    {totals.into_iter().map(|t| view! { <td class="num">{t}</td> }).collect_view()}
                </tr>
            </tfoot>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(num: i64, status: &str) -> TreatPlan {
        TreatPlan {
            treat_plan_num: num,
            tp_status: status.into(),
            ..Default::default()
        }
    }

    #[test]
    fn opens_the_requested_plan_else_the_active_one_else_the_first() {
        let plans = vec![plan(1, "Saved"), plan(2, "Inactive"), plan(3, "Active")];
        assert_eq!(chosen_plan(&plans, Some(2)).unwrap().treat_plan_num, 2);
        assert_eq!(chosen_plan(&plans, Some(99)).unwrap().treat_plan_num, 3);
        assert_eq!(chosen_plan(&plans, None).unwrap().treat_plan_num, 3);
        assert_eq!(chosen_plan(&plans[..2], None).unwrap().treat_plan_num, 1);
        assert!(chosen_plan(&[], None).is_none());
    }
}

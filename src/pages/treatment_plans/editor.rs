//! An Active or Inactive plan's procedures grouped by priority, each with a dropdown that
//! saves the new priority at once (shown before the answer; `pending` decides what shows
//! after it), and the plan's total.

use std::sync::Arc;

use leptos::prelude::*;
use opendental::{
    models::Definition,
    treatment::{
        format_money, group_by_priority, join_attaches, total_cents, PlanProcedure, PlanRow, PriorityGroup, TpStatus,
        TreatPlanAttach,
    },
    ApiError,
};

use super::{
    attach::AttachForm,
    pending::{Edit, PendingEdits, Settled, Shown},
    PlanContext,
};
use crate::components::ErrorNotice;

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
pub(super) fn PlanEditor(
    plan_num: i64,
    plan_status: TpStatus,
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
    let pending = StoredValue::new(PendingEdits::new(&attaches));

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

    let attach_client = client.clone();
    // Every answer is settled inside the action, not only the latest dispatch's (which is all
    // `value()` keeps): an older edit's answer still confirms or reports.
    let save_priority = Action::new_local(move |(edit, priority, name): &(Edit, i64, String)| {
        let (edit, priority, name) = (*edit, *priority, name.clone());
        let client = client.clone();
        async move {
            let answer = client.set_priority(edit.attach_num, priority).await;
            // Nothing to show if the plan was left while the answer was on its way.
            let Some(settled) = pending.try_update_value(|p| p.settle(edit, answer)) else {
                return;
            };
            show_settled(rows, notice, edit.attach_num, &name, settled);
        }
    });

    let change_priority = Callback::new(move |(attach_num, priority): (i64, i64)| {
        let Some(row) =
            rows.with_untracked(|r| r.iter().find(|r| r.attach.treat_plan_attach_num == attach_num).cloned())
        else {
            return;
        };
        if row.attach.priority == priority {
            return;
        }
        set_row_priority(
            rows,
            attach_num,
            &Shown {
                priority,
                label: label_of(priority),
            },
        );
        keep_focus_on_priority(attach_num);
        let Some(edit) = pending.try_update_value(|p| p.begin(attach_num)) else {
            return;
        };
        save_priority.dispatch((edit, priority, procedure_name(&row)));
    });

    let on_attached = Callback::new(move |(attach, procedure): (TreatPlanAttach, PlanProcedure)| {
        pending.update_value(|p| p.confirm(&attach));
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
        <AttachForm plan_num plan_status rows procedures priorities client=attach_client on_attached />
    }
}

/// Applies an answer to the screen: the row's priority and the live region's message.
fn show_settled(
    rows: RwSignal<Vec<PlanRow>>,
    notice: RwSignal<Option<Notice>>,
    attach_num: i64,
    name: &str,
    settled: Settled<ApiError>,
) {
    let failed =
        |error: &ApiError| Notice::Failed(format!("The priority of {name} was not changed. {}", error.message()));
    match settled {
        Settled::Saved(shown) => {
            // Usually the priority already shown; after a newer edit failed, an older one's.
            set_row_priority(rows, attach_num, &shown);
            keep_focus_on_priority(attach_num);
            let label = if shown.priority == 0 {
                "none"
            } else {
                shown.label.as_str()
            };
            notice.set(Some(Notice::Saved(format!("Priority of {name} set to {label}."))));
        }
        Settled::Overtaken => {}
        Settled::RolledBack { back, error } => {
            if let Some(back) = back {
                set_row_priority(rows, attach_num, &back);
                keep_focus_on_priority(attach_num);
            }
            notice.set(Some(failed(&error)));
        }
        Settled::FailedOvertaken(error) => notice.set(Some(failed(&error))),
    }
}

fn set_row_priority(rows: RwSignal<Vec<PlanRow>>, attach_num: i64, shown: &Shown) {
    rows.update(|rows| {
        if let Some(row) = rows.iter_mut().find(|r| r.attach.treat_plan_attach_num == attach_num) {
            row.attach.priority = shown.priority;
            row.attach.priority_label = shown.label.clone();
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

//! A Saved plan: what was presented, as ProcTP copies with insurance and patient amounts.

use leptos::prelude::*;
use opendental::treatment::{cents, format_money};

use crate::api::{ProcTp, TreatPlan};

use crate::{api::Client, components::Loaded};

/// A Saved plan: the ProcTP copies, read-only, with insurance and patient amounts.
#[component]
pub(super) fn SavedPlan(plan: TreatPlan, client: Client) -> impl IntoView {
    let plan_num = plan.treat_plan_num;
    let proc_tps = LocalResource::new(move || {
        let client = client.clone();
        async move { client.proc_tps(plan_num).await }
    });
    view! {
        <p class="hint">"A saved plan is a record of what was presented; it cannot be changed."</p>
        <Loaded resource=proc_tps loading="Loading the saved plan…" let:items>
            <SavedPlanTable items />
        </Loaded>
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

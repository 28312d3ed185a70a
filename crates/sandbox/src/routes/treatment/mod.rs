//! Treatment plans and what hangs off them, one module per reference page: TreatPlans GET
//! (apitreatplans.md), TreatPlanAttaches GET/POST/PUT (apitreatplanattaches.md), ProcTPs GET
//! (apiproctps.md) and ProcedureLogs GET single and multiple (apiprocedurelogs.md).
//!
//! They share one resource because their demo data is one story: Active and Inactive plans
//! list procedures through treatplanattach rows, Saved plans hold frozen proctp copies of
//! procedures. A `priority` label is always read from the Category-20 definition at answer
//! time, never stored, so renaming a priority in Setup shows on every plan at once.

mod procedurelogs;
mod proctps;
mod treatplanattaches;
mod treatplans;

use crate::error::{ApiError, ApiResult};
use crate::extract::Params;
use crate::state::AppState;
use axum::Router;
use opendental::models::def_category::TX_PRIORITIES;
use opendental::treatment::TpStatus;
use rusqlite::{Connection, OptionalExtension};

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(treatplans::routes())
        .merge(treatplanattaches::routes())
        .merge(proctps::routes())
        .merge(procedurelogs::routes())
}

/// The SQL expression for the `priority` label of the row aliased `alias`: the name of its
/// Priority's Category-20 definition, "" for none (0) or for a DefNum that is not a priority.
fn priority_label(alias: &str) -> String {
    format!(
        "COALESCE((SELECT d.ItemName FROM definition d WHERE d.DefNum = {alias}.Priority AND d.Category = \
         {TX_PRIORITIES}), '')"
    )
}

/// TreatPlanAttaches GET and ProcTPs GET cannot list "everything": the plan is required.
fn required_plan_num(params: &Params) -> ApiResult<i64> {
    params
        .int("TreatPlanNum")?
        .ok_or_else(|| ApiError::bad_request("TreatPlanNum is required."))
}

/// What the other pages need to know about a plan.
struct Plan {
    pat_num: i64,
    status: TpStatus,
}

impl Plan {
    fn is_saved(&self) -> bool {
        self.status == TpStatus::Saved
    }
}

fn find_plan(conn: &Connection, treat_plan_num: i64) -> ApiResult<Plan> {
    conn.query_row(
        "SELECT PatNum, TPStatus FROM treatplan WHERE TreatPlanNum = ?1",
        [treat_plan_num],
        |row| {
            Ok(Plan {
                pat_num: row.get(0)?,
                status: TpStatus::from(row.get::<_, String>(1)?),
            })
        },
    )
    .optional()?
    .ok_or_else(|| {
        ApiError::not_found(format!(
            "TreatPlan not found. No treatplan has TreatPlanNum {treat_plan_num}."
        ))
    })
}

/// 0 (no priority), or the DefNum of a treatment-plan priority.
fn check_priority(conn: &Connection, priority: i64) -> ApiResult<i64> {
    if priority == 0 {
        return Ok(0);
    }
    let is_priority = conn
        .query_row(
            "SELECT 1 FROM definition WHERE DefNum = ?1 AND Category = ?2",
            [priority, TX_PRIORITIES],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if is_priority {
        Ok(priority)
    } else {
        Err(ApiError::bad_request(format!(
            "Priority is invalid: {priority} is not a treatment plan priority. Use 0 for none, or the DefNum of a \
             definition with Category 20 (Definitions GET?Category=20)."
        )))
    }
}

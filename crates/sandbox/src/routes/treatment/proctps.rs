//! ProcTPs GET (apiproctps.md): the frozen copies of procedures on a Saved plan, with the
//! insurance estimates of the day it was saved, in the plan's own order (ItemOrder).

use super::{find_plan, priority_label, required_plan_num};
use crate::error::{ApiError, ApiResult};
use crate::extract::Params;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use opendental::treatment::ProcTp;
use rusqlite::Row;

pub fn routes() -> Router<AppState> {
    Router::new().route("/proctps", get(list))
}

async fn list(State(state): State<AppState>, params: Params) -> ApiResult<Json<Vec<ProcTp>>> {
    let paging = params.paging()?;
    let treat_plan_num = required_plan_num(&params)?;
    let items = state.db.with_db(|conn| {
        let plan = find_plan(conn, treat_plan_num)?;
        if !plan.is_saved() {
            return Err(ApiError::bad_request(format!(
                "The treatment plan is {}. ProcTPs are only for Saved treatment plans; an Active or Inactive plan's \
                 procedures are TreatPlanAttaches (use TreatPlanAttaches GET).",
                plan.status
            )));
        }
        let sql = format!(
            "SELECT p.*, {} AS Label FROM proctp p WHERE p.TreatPlanNum = ?1
             ORDER BY p.ItemOrder, p.ProcTPNum LIMIT ?2 OFFSET ?3",
            priority_label("p")
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(
            rusqlite::params![treat_plan_num, paging.limit, paging.offset],
            proc_tp_from_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?;
    Ok(Json(items))
}

fn proc_tp_from_row(row: &Row) -> rusqlite::Result<ProcTp> {
    let fee_amt: f64 = row.get("FeeAmt")?;
    Ok(ProcTp {
        proc_tp_num: row.get("ProcTPNum")?,
        treat_plan_num: row.get("TreatPlanNum")?,
        pat_num: row.get("PatNum")?,
        proc_num_orig: row.get("ProcNumOrig")?,
        item_order: row.get("ItemOrder")?,
        priority: row.get("Priority")?,
        priority_label: row.get("Label")?,
        tooth_num_tp: row.get("ToothNumTP")?,
        surf: row.get("Surf")?,
        proc_code: row.get("ProcCode")?,
        descript: row.get("Descript")?,
        fee_amt,
        pri_ins_amt: row.get("PriInsAmt")?,
        sec_ins_amt: row.get("SecInsAmt")?,
        pat_amt: row.get("PatAmt")?,
        discount: row.get("Discount")?,
        // The demo practice uses neither prognosis nor diagnosis definitions, nor sales tax.
        prognosis: String::new(),
        dx: String::new(),
        proc_abbr: row.get("ProcAbbr")?,
        sec_user_num_entry: row.get("SecUserNumEntry")?,
        sec_date_entry: row.get("SecDateEntry")?,
        sec_date_t_edit: row.get("SecDateTEdit")?,
        // FeeAllowed is 0 without a PPO fee schedule, as in the page's example.
        fee_allowed: 0.0,
        tax_amt: 0.0,
        prov_num: row.get("ProvNum")?,
        date_tp: row.get("DateTP")?,
        clinic_num: row.get("ClinicNum")?,
        // The fee the category percentage applied to: the office's own fee (the page's
        // examples have CatPercUCR equal to FeeAmt).
        cat_perc_ucr: fee_amt,
    })
}

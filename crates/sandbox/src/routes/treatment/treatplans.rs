//! TreatPlans GET (apitreatplans.md): a patient's plans, or every plan edited since a time,
//! ordered by TreatPlanNum.

use crate::error::{ApiError, ApiResult};
use crate::extract::Params;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use opendental::treatment::{TpStatus, TreatPlan};
use rusqlite::types::Value;
use rusqlite::Row;

pub fn routes() -> Router<AppState> {
    Router::new().route("/treatplans", get(list))
}

async fn list(State(state): State<AppState>, params: Params) -> ApiResult<Json<Vec<TreatPlan>>> {
    let paging = params.paging()?;
    let pat_num = params.int("PatNum")?;
    // Matched as ASP.NET reads an enumeration: any case, answered in the canonical one.
    let status = match params.text("TPStatus") {
        None => None,
        Some(s) => Some(
            TpStatus::KNOWN
                .into_iter()
                .find(|t| t.as_str().eq_ignore_ascii_case(s))
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "TPStatus must be \"Saved\", \"Active\" or \"Inactive\", not \"{s}\"."
                    ))
                })?,
        ),
    };
    let edited_after = params.date_time("SecDateTEdit")?.map(str::to_owned);
    let plans = state.db.with_db(|conn| {
        if let Some(pat_num) = pat_num {
            let known: bool = conn.query_row(
                "SELECT EXISTS(SELECT 1 FROM patient WHERE PatNum = ?1 AND PatStatus <> 'Deleted')",
                [pat_num],
                |r| r.get(0),
            )?;
            if !known {
                return Err(ApiError::not_found("Patient not found."));
            }
        }
        let mut sql = String::from("SELECT * FROM treatplan WHERE 1 = 1");
        let mut args: Vec<Value> = Vec::new();
        if let Some(pat_num) = pat_num {
            sql.push_str(" AND PatNum = ?");
            args.push(Value::Integer(pat_num));
        }
        if let Some(status) = status {
            sql.push_str(" AND TPStatus = ?");
            args.push(Value::Text(status.to_string()));
        }
        if let Some(edited_after) = edited_after {
            // "altered after the specified date and time"
            sql.push_str(" AND SecDateTEdit > ?");
            args.push(Value::Text(edited_after));
        }
        sql.push_str(" ORDER BY TreatPlanNum LIMIT ? OFFSET ?");
        args.extend([Value::Integer(paging.limit), Value::Integer(paging.offset)]);
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), plan_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?;
    Ok(Json(plans))
}

fn plan_from_row(row: &Row) -> rusqlite::Result<TreatPlan> {
    Ok(TreatPlan {
        treat_plan_num: row.get("TreatPlanNum")?,
        pat_num: row.get("PatNum")?,
        date_tp: row.get("DateTP")?,
        heading: row.get("Heading")?,
        note: row.get("Note")?,
        // The demo practice signs on screen (no Topaz pad), has no responsible parties other
        // than the patient, no practice signature box and no TP sheets saved to Images.
        sig_is_topaz: false,
        respons_party: 0,
        doc_num: 0,
        tp_status: TpStatus::from(row.get::<_, String>("TPStatus")?),
        sec_user_num_entry: row.get("SecUserNumEntry")?,
        sec_date_entry: row.get("SecDateEntry")?,
        sec_date_t_edit: row.get("SecDateTEdit")?,
        user_num_presenter: row.get("UserNumPresenter")?,
        tp_type: row.get("TPType")?,
        date_t_signed: row.get("DateTSigned")?,
        date_t_practice_signed: "0001-01-01 00:00:00".into(),
        signature_text: row.get("SignatureText")?,
        signature_practice_text: String::new(),
        is_signed: row.get("IsSigned")?,
        is_signed_practice: false,
    })
}

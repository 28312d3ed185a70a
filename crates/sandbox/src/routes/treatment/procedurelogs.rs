//! ProcedureLogs GET single and multiple (apiprocedurelogs.md). Each procedure carries its
//! code's text (`procCode`, `descript`) and its provider's abbreviation (`provAbbr`), joined
//! in at answer time, and the server's clock (`serverDateTime`).

use super::priority_label;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Params, PathNum};
use crate::state::AppState;
use crate::text::server_date_time;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use opendental::treatment::ProcedureLog;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/procedurelogs", get(list))
        .route("/procedurelogs/{ProcNum}", get(single))
}

/// The ProcStatus values the page documents.
const PROC_STATUSES: [&str; 8] = ["TP", "C", "EC", "EO", "R", "D", "Cn", "TPi"];

/// Parameters that must equal a column, all whole numbers.
const NUMBER_FILTERS: [&str; 5] = ["PatNum", "AptNum", "PlannedAptNum", "ClinicNum", "CodeNum"];

fn select() -> String {
    format!(
        "SELECT p.*, {} AS Label, COALESCE(c.ProcCode, '') AS CodeText, COALESCE(c.Descript, '') AS CodeDescript,
                COALESCE(v.Abbr, '') AS ProvAbbr
         FROM procedurelog p
         LEFT JOIN procedurecode c ON c.CodeNum = p.CodeNum
         LEFT JOIN provider v ON v.ProvNum = p.ProvNum",
        priority_label("p")
    )
}

/// ProcedureLogs GET (multiple), by ProcNum.
async fn list(State(state): State<AppState>, params: Params) -> ApiResult<Json<Vec<ProcedureLog>>> {
    let paging = params.paging()?;
    let mut sql = format!("{} WHERE 1 = 1", select());
    let mut args: Vec<Value> = Vec::new();
    for name in NUMBER_FILTERS {
        if let Some(n) = params.int(name)? {
            sql.push_str(&format!(" AND p.{name} = ?"));
            args.push(Value::Integer(n));
        }
    }
    if let Some(status) = params.text("ProcStatus") {
        // Any case, as ASP.NET reads an enumeration ("tpi" is "TPi").
        let status = PROC_STATUSES
            .iter()
            .find(|s| s.eq_ignore_ascii_case(status))
            .ok_or_else(|| {
                ApiError::bad_request(format!(
                    "ProcStatus must be one of {}, not \"{status}\".",
                    PROC_STATUSES.join(", ")
                ))
            })?;
        sql.push_str(" AND p.ProcStatus = ?");
        args.push(Value::Text(status.to_string()));
    }
    if let Some(stamp) = params.date_time("DateTStamp")? {
        // "created on or after the specified date and time"
        sql.push_str(" AND p.DateTStamp >= ?");
        args.push(Value::Text(stamp.to_owned()));
    }
    sql.push_str(" ORDER BY p.ProcNum LIMIT ? OFFSET ?");
    args.extend([Value::Integer(paging.limit), Value::Integer(paging.offset)]);
    let now = server_date_time();
    let procedures = state.db.with_db(|conn| {
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |row| procedure_from_row(row, &now))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?;
    Ok(Json(procedures))
}

/// ProcedureLogs GET (single).
async fn single(State(state): State<AppState>, PathNum(proc_num): PathNum) -> ApiResult<Json<ProcedureLog>> {
    let now = server_date_time();
    let procedure = state.db.with_db(|conn| {
        conn.query_row(&format!("{} WHERE p.ProcNum = ?1", select()), [proc_num], |row| {
            procedure_from_row(row, &now)
        })
        .optional()?
        .ok_or_else(|| ApiError::not_found(format!("Procedure not found. No procedurelog has ProcNum {proc_num}.")))
    })?;
    Ok(Json(procedure))
}

fn procedure_from_row(row: &Row, server_date_time: &str) -> rusqlite::Result<ProcedureLog> {
    Ok(ProcedureLog {
        proc_num: row.get("ProcNum")?,
        pat_num: row.get("PatNum")?,
        apt_num: row.get("AptNum")?,
        proc_date: row.get("ProcDate")?,
        proc_fee: row.get("ProcFee")?,
        surf: row.get("Surf")?,
        tooth_num: row.get("ToothNum")?,
        tooth_range: row.get("ToothRange")?,
        priority: row.get("Priority")?,
        priority_label: row.get("Label")?,
        proc_status: row.get("ProcStatus")?,
        prov_num: row.get("ProvNum")?,
        prov_abbr: row.get("ProvAbbr")?,
        // The demo practice uses no diagnosis or prognosis definitions, sites, prostheses,
        // Canadian codes, time units or locking.
        dx: 0,
        dx_name: String::new(),
        planned_apt_num: row.get("PlannedAptNum")?,
        place_service: "Office".into(),
        prosthesis: String::new(),
        date_original_prosth: "0001-01-01".into(),
        claim_note: String::new(),
        date_entry_c: row.get("DateEntryC")?,
        clinic_num: row.get("ClinicNum")?,
        code_num: row.get("CodeNum")?,
        proc_code: row.get("CodeText")?,
        descript: row.get("CodeDescript")?,
        unit_qty: 1,
        base_units: 0,
        date_tp: row.get("DateTP")?,
        site_num: 0,
        hide_graphics: false,
        canadian_type_codes: String::new(),
        proc_time: "00:00:00".into(),
        proc_time_end: "00:00:00".into(),
        date_t_stamp: row.get("DateTStamp")?,
        prognosis: 0,
        is_locked: false,
        billing_note: String::new(),
        discount: row.get("Discount")?,
        is_date_prosth_est: false,
        sec_date_entry: row.get("SecDateEntry")?,
        server_date_time: Some(server_date_time.to_owned()),
    })
}

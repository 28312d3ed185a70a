//! Treatment plans and what hangs off them (apitreatplans.md, apitreatplanattaches.md,
//! apiproctps.md, apiprocedurelogs.md): TreatPlans GET, TreatPlanAttaches GET/POST/PUT,
//! ProcTPs GET, ProcedureLogs GET (multiple and single).
//!
//! Active and Inactive plans list their procedures through treatplanattach rows; Saved plans
//! hold frozen proctp copies. The lowercase `priority` label is read from the Category-20
//! definition at answer time, so renaming a priority shows everywhere.

use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Params};
use crate::state::AppState;
use crate::text::server_date_time;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use opendental::models::def_category::TX_PRIORITIES;
use opendental::treatment::{ProcTp, ProcedureLog, TreatPlan, TreatPlanAttach};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Deserialize;

pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS procedurelog (
    ProcNum       INTEGER PRIMARY KEY,
    PatNum        INTEGER NOT NULL,
    AptNum        INTEGER NOT NULL DEFAULT 0,
    ProcDate      TEXT NOT NULL,
    ProcFee       REAL NOT NULL,
    Surf          TEXT NOT NULL DEFAULT '',
    ToothNum      TEXT NOT NULL DEFAULT '',
    ToothRange    TEXT NOT NULL DEFAULT '',
    Priority      INTEGER NOT NULL DEFAULT 0,
    ProcStatus    TEXT NOT NULL,
    ProvNum       INTEGER NOT NULL DEFAULT 0,
    PlannedAptNum INTEGER NOT NULL DEFAULT 0,
    ClinicNum     INTEGER NOT NULL DEFAULT 0,
    CodeNum       INTEGER NOT NULL,
    ProcCode      TEXT NOT NULL,
    Descript      TEXT NOT NULL,
    ProcAbbr      TEXT NOT NULL DEFAULT '',
    DateTP        TEXT NOT NULL,
    DateEntryC    TEXT NOT NULL,
    DateTStamp    TEXT NOT NULL,
    SecDateEntry  TEXT NOT NULL,
    Discount      REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS treatplan (
    TreatPlanNum  INTEGER PRIMARY KEY,
    PatNum        INTEGER NOT NULL,
    DateTP        TEXT NOT NULL,
    Heading       TEXT NOT NULL,
    Note          TEXT NOT NULL DEFAULT '',
    TPStatus      TEXT NOT NULL,
    SecDateEntry  TEXT NOT NULL,
    SecDateTEdit  TEXT NOT NULL,
    TPType        TEXT NOT NULL DEFAULT 'Insurance',
    DateTSigned   TEXT NOT NULL DEFAULT '0001-01-01 00:00:00',
    SignatureText TEXT NOT NULL DEFAULT '',
    IsSigned      INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS treatplanattach (
    TreatPlanAttachNum INTEGER PRIMARY KEY AUTOINCREMENT,
    TreatPlanNum       INTEGER NOT NULL,
    ProcNum            INTEGER NOT NULL,
    Priority           INTEGER NOT NULL DEFAULT 0,
    UNIQUE (TreatPlanNum, ProcNum)
);
CREATE TABLE IF NOT EXISTS proctp (
    ProcTPNum    INTEGER PRIMARY KEY,
    TreatPlanNum INTEGER NOT NULL,
    PatNum       INTEGER NOT NULL,
    ProcNumOrig  INTEGER NOT NULL,
    ItemOrder    INTEGER NOT NULL,
    Priority     INTEGER NOT NULL DEFAULT 0,
    ToothNumTP   TEXT NOT NULL DEFAULT '',
    Surf         TEXT NOT NULL DEFAULT '',
    ProcCode     TEXT NOT NULL,
    Descript     TEXT NOT NULL,
    FeeAmt       REAL NOT NULL,
    PriInsAmt    REAL NOT NULL DEFAULT 0,
    SecInsAmt    REAL NOT NULL DEFAULT 0,
    PatAmt       REAL NOT NULL DEFAULT 0,
    Discount     REAL NOT NULL DEFAULT 0,
    ProcAbbr     TEXT NOT NULL DEFAULT '',
    ProvNum      INTEGER NOT NULL DEFAULT 0,
    DateTP       TEXT NOT NULL,
    SecDateEntry TEXT NOT NULL,
    SecDateTEdit TEXT NOT NULL
);";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/treatplans", get(list_plans))
        .route("/treatplanattaches", get(list_attaches).post(attach))
        .route("/treatplanattaches/{TreatPlanAttachNum}", put(set_priority))
        .route("/proctps", get(list_proc_tps))
        .route("/procedurelogs", get(list_procedures))
        .route("/procedurelogs/{ProcNum}", get(single_procedure))
}

const TP_STATUSES: [&str; 3] = ["Saved", "Active", "Inactive"];
const PROC_STATUSES: [&str; 8] = ["TP", "C", "EC", "EO", "R", "D", "Cn", "TPi"];

/// The SQL for a priority's label: the Category-20 definition's name, "" for none.
const PRIORITY_LABEL: &str =
    "COALESCE((SELECT ItemName FROM definition d WHERE d.DefNum = {}.Priority AND d.Category = 20), '')";

fn priority_label(table: &str) -> String {
    PRIORITY_LABEL.replace("{}", table)
}

fn path_number(raw: &str, name: &str) -> ApiResult<i64> {
    raw.trim()
        .parse()
        .map_err(|_| ApiError::bad_request(format!("{name} in the URL must be a whole number, not \"{raw}\".")))
}

// ---- TreatPlans GET ----

async fn list_plans(State(state): State<AppState>, params: Params) -> ApiResult<Json<Vec<TreatPlan>>> {
    let paging = params.paging()?;
    let pat_num = params.int("PatNum")?;
    let status = params.text("TPStatus").map(str::to_owned);
    if let Some(s) = &status {
        if !TP_STATUSES.contains(&s.as_str()) {
            return Err(ApiError::bad_request(format!(
                "TPStatus must be \"Saved\", \"Active\" or \"Inactive\", not \"{s}\"."
            )));
        }
    }
    let edited_after = params.date_time("SecDateTEdit")?.map(str::to_owned);
    state
        .db
        .call(move |conn| -> rusqlite::Result<ApiResult<Vec<TreatPlan>>> {
            if let Some(p) = pat_num {
                if !exists(conn, "SELECT 1 FROM patient WHERE PatNum = ?1", p)? {
                    return Ok(Err(ApiError::not_found("Patient not found.")));
                }
            }
            let mut sql = String::from("SELECT * FROM treatplan WHERE 1 = 1");
            let mut args: Vec<Value> = Vec::new();
            if let Some(p) = pat_num {
                sql.push_str(" AND PatNum = ?");
                args.push(Value::Integer(p));
            }
            if let Some(s) = status {
                sql.push_str(" AND TPStatus = ?");
                args.push(Value::Text(s));
            }
            if let Some(t) = edited_after {
                sql.push_str(" AND SecDateTEdit > ?");
                args.push(Value::Text(t));
            }
            sql.push_str(" ORDER BY TreatPlanNum LIMIT ? OFFSET ?");
            args.extend([Value::Integer(paging.limit), Value::Integer(paging.offset)]);
            let mut stmt = conn.prepare(&sql)?;
            let plans = stmt
                .query_map(rusqlite::params_from_iter(args), plan_from_row)?
                .collect::<rusqlite::Result<_>>()?;
            Ok(Ok(plans))
        })?
        .map(Json)
}

fn plan_from_row(row: &Row) -> rusqlite::Result<TreatPlan> {
    let signed: bool = row.get::<_, i64>("IsSigned")? != 0;
    Ok(TreatPlan {
        treat_plan_num: row.get("TreatPlanNum")?,
        pat_num: row.get("PatNum")?,
        date_tp: row.get("DateTP")?,
        heading: row.get("Heading")?,
        note: row.get("Note")?,
        sig_is_topaz: false,
        respons_party: 0,
        doc_num: 0,
        tp_status: row.get("TPStatus")?,
        sec_user_num_entry: 1,
        sec_date_entry: row.get("SecDateEntry")?,
        sec_date_t_edit: row.get("SecDateTEdit")?,
        user_num_presenter: 0,
        tp_type: row.get("TPType")?,
        date_t_signed: row.get("DateTSigned")?,
        date_t_practice_signed: "0001-01-01 00:00:00".into(),
        signature_text: row.get("SignatureText")?,
        signature_practice_text: String::new(),
        is_signed: signed,
        is_signed_practice: false,
    })
}

/// The plan's status, or the documented 404.
fn plan_status(conn: &Connection, treat_plan_num: i64) -> rusqlite::Result<ApiResult<String>> {
    let status: Option<String> = conn
        .query_row(
            "SELECT TPStatus FROM treatplan WHERE TreatPlanNum = ?1",
            [treat_plan_num],
            |r| r.get(0),
        )
        .optional()?;
    Ok(status.ok_or_else(|| ApiError::not_found("TreatPlan not found.")))
}

fn exists(conn: &Connection, sql: &str, num: i64) -> rusqlite::Result<bool> {
    Ok(conn.query_row(sql, [num], |_| Ok(())).optional()?.is_some())
}

fn required_plan_num(params: &Params) -> ApiResult<i64> {
    params
        .int("TreatPlanNum")?
        .ok_or_else(|| ApiError::bad_request("TreatPlanNum is required."))
}

// ---- TreatPlanAttaches ----

async fn list_attaches(State(state): State<AppState>, params: Params) -> ApiResult<Json<Vec<TreatPlanAttach>>> {
    let paging = params.paging()?;
    let plan = required_plan_num(&params)?;
    state
        .db
        .call(move |conn| -> rusqlite::Result<ApiResult<Vec<TreatPlanAttach>>> {
            match plan_status(conn, plan)? {
                Err(e) => return Ok(Err(e)),
                Ok(s) if s == "Saved" => return Ok(Err(ApiError::bad_request(
                    "TreatPlanAttaches are only for Active and Inactive treatment plans. Use ProcTPs for a Saved plan.",
                ))),
                Ok(_) => {}
            }
            let sql = format!(
                "SELECT a.*, {} AS Label FROM treatplanattach a WHERE a.TreatPlanNum = ?1
             ORDER BY a.TreatPlanAttachNum LIMIT ?2 OFFSET ?3",
                priority_label("a")
            );
            let mut stmt = conn.prepare(&sql)?;
            let list = stmt
                .query_map(rusqlite::params![plan, paging.limit, paging.offset], attach_from_row)?
                .collect::<rusqlite::Result<_>>()?;
            Ok(Ok(list))
        })?
        .map(Json)
}

fn attach_from_row(row: &Row) -> rusqlite::Result<TreatPlanAttach> {
    Ok(TreatPlanAttach {
        treat_plan_attach_num: row.get("TreatPlanAttachNum")?,
        treat_plan_num: row.get("TreatPlanNum")?,
        proc_num: row.get("ProcNum")?,
        priority: row.get("Priority")?,
        priority_label: row.get("Label")?,
    })
}

fn read_attach(conn: &Connection, num: i64) -> rusqlite::Result<Option<TreatPlanAttach>> {
    let sql = format!(
        "SELECT a.*, {} AS Label FROM treatplanattach a WHERE a.TreatPlanAttachNum = ?1",
        priority_label("a")
    );
    conn.query_row(&sql, [num], attach_from_row).optional()
}

/// 0, or the DefNum of a treatment-plan priority.
fn check_priority(conn: &Connection, priority: i64) -> rusqlite::Result<ApiResult<()>> {
    if priority == 0 {
        return Ok(Ok(()));
    }
    let known = conn
        .query_row(
            "SELECT 1 FROM definition WHERE DefNum = ?1 AND Category = ?2",
            [priority, TX_PRIORITIES],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    Ok(if known {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "Priority {priority} is invalid. It must be 0 or the DefNum of a treatment plan priority (definition Category 20)."
        )))
    })
}

/// The POST body, read with every field optional so a missing one gets its own explanation.
#[derive(Deserialize)]
struct NewAttachBody {
    #[serde(rename = "TreatPlanNum")]
    treat_plan_num: Option<i64>,
    #[serde(rename = "ProcNum")]
    proc_num: Option<i64>,
    #[serde(rename = "Priority")]
    priority: Option<i64>,
}

async fn attach(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<NewAttachBody>,
) -> ApiResult<(StatusCode, Json<TreatPlanAttach>)> {
    let plan = body
        .treat_plan_num
        .ok_or_else(|| ApiError::bad_request("TreatPlanNum is required."))?;
    let proc_num = body
        .proc_num
        .ok_or_else(|| ApiError::bad_request("ProcNum is required."))?;
    let priority = body.priority.unwrap_or(0);
    state
        .db
        .call(move |conn| -> rusqlite::Result<ApiResult<TreatPlanAttach>> {
            let status = match plan_status(conn, plan)? {
                Ok(s) => s,
                Err(e) => return Ok(Err(e)),
            };
            let owner: Option<i64> = conn
                .query_row("SELECT PatNum FROM procedurelog WHERE ProcNum = ?1", [proc_num], |r| {
                    r.get(0)
                })
                .optional()?;
            let Some(owner) = owner else {
                return Ok(Err(ApiError::not_found("Procedure not found.")));
            };
            if status == "Saved" {
                return Ok(Err(ApiError::bad_request(
                    "Procedures can only be attached to Active or Inactive treatment plans.",
                )));
            }
            let plan_patient: i64 =
                conn.query_row("SELECT PatNum FROM treatplan WHERE TreatPlanNum = ?1", [plan], |r| {
                    r.get(0)
                })?;
            if owner != plan_patient {
                return Ok(Err(ApiError::bad_request(
                    "The procedure belongs to a different patient than the treatment plan.",
                )));
            }
            if exists(
                conn,
                &format!("SELECT 1 FROM treatplanattach WHERE TreatPlanNum = {plan} AND ProcNum = ?1"),
                proc_num,
            )? {
                return Ok(Err(ApiError::bad_request(
                    "The procedure is already attached to this treatment plan.",
                )));
            }
            if let Err(e) = check_priority(conn, priority)? {
                return Ok(Err(e));
            }
            conn.execute(
                "INSERT INTO treatplanattach (TreatPlanNum, ProcNum, Priority) VALUES (?1, ?2, ?3)",
                [plan, proc_num, priority],
            )?;
            let created = read_attach(conn, conn.last_insert_rowid())?.expect("just inserted");
            Ok(Ok(created))
        })?
        .map(|a| (StatusCode::CREATED, Json(a)))
}

#[derive(Deserialize)]
struct PriorityBody {
    #[serde(rename = "Priority")]
    priority: Option<i64>,
}

async fn set_priority(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<PriorityBody>,
) -> ApiResult<Json<TreatPlanAttach>> {
    let num = path_number(&raw, "TreatPlanAttachNum")?;
    state
        .db
        .call(move |conn| -> rusqlite::Result<ApiResult<TreatPlanAttach>> {
            if read_attach(conn, num)?.is_none() {
                return Ok(Err(ApiError::not_found("TreatPlanAttach not found.")));
            }
            let Some(priority) = body.priority else {
                return Ok(Err(ApiError::bad_request("Priority is required.")));
            };
            if let Err(e) = check_priority(conn, priority)? {
                return Ok(Err(e));
            }
            conn.execute(
                "UPDATE treatplanattach SET Priority = ?1 WHERE TreatPlanAttachNum = ?2",
                [priority, num],
            )?;
            Ok(Ok(read_attach(conn, num)?.expect("exists")))
        })?
        .map(Json)
}

// ---- ProcTPs GET ----

async fn list_proc_tps(State(state): State<AppState>, params: Params) -> ApiResult<Json<Vec<ProcTp>>> {
    let paging = params.paging()?;
    let plan = required_plan_num(&params)?;
    state
        .db
        .call(move |conn| -> rusqlite::Result<ApiResult<Vec<ProcTp>>> {
            match plan_status(conn, plan)? {
                Err(e) => return Ok(Err(e)),
                Ok(s) if s != "Saved" => return Ok(Err(ApiError::bad_request(
                    "ProcTPs are only for Saved treatment plans. Use TreatPlanAttaches for an Active or Inactive plan.",
                ))),
                Ok(_) => {}
            }
            let sql = format!(
            "SELECT p.*, {} AS Label FROM proctp p WHERE p.TreatPlanNum = ?1 ORDER BY p.ItemOrder LIMIT ?2 OFFSET ?3",
            priority_label("p")
        );
            let mut stmt = conn.prepare(&sql)?;
            let list = stmt
                .query_map(rusqlite::params![plan, paging.limit, paging.offset], proc_tp_from_row)?
                .collect::<rusqlite::Result<_>>()?;
            Ok(Ok(list))
        })?
        .map(Json)
}

fn proc_tp_from_row(row: &Row) -> rusqlite::Result<ProcTp> {
    let fee: f64 = row.get("FeeAmt")?;
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
        fee_amt: fee,
        pri_ins_amt: row.get("PriInsAmt")?,
        sec_ins_amt: row.get("SecInsAmt")?,
        pat_amt: row.get("PatAmt")?,
        discount: row.get("Discount")?,
        prognosis: String::new(),
        dx: String::new(),
        proc_abbr: row.get("ProcAbbr")?,
        sec_user_num_entry: 1,
        sec_date_entry: row.get("SecDateEntry")?,
        sec_date_t_edit: row.get("SecDateTEdit")?,
        fee_allowed: 0.0,
        tax_amt: 0.0,
        prov_num: row.get("ProvNum")?,
        date_tp: row.get("DateTP")?,
        clinic_num: 0,
        cat_perc_ucr: fee,
    })
}

// ---- ProcedureLogs GET ----

async fn list_procedures(State(state): State<AppState>, params: Params) -> ApiResult<Json<Vec<ProcedureLog>>> {
    let paging = params.paging()?;
    let mut filters: Vec<(&str, Value)> = Vec::new();
    for name in ["PatNum", "AptNum", "PlannedAptNum", "ClinicNum", "CodeNum"] {
        if let Some(n) = params.int(name)? {
            filters.push((name, Value::Integer(n)));
        }
    }
    if let Some(status) = params.text("ProcStatus") {
        if !PROC_STATUSES.contains(&status) {
            return Err(ApiError::bad_request(format!(
                "ProcStatus must be one of TP, C, EC, EO, R, D, Cn or TPi, not \"{status}\"."
            )));
        }
        filters.push(("ProcStatus", Value::Text(status.to_owned())));
    }
    let stamp = params.date_time("DateTStamp")?.map(str::to_owned);
    let now = server_date_time();
    let procedures = state.db.call(move |conn| {
        let mut sql = format!(
            "SELECT p.*, {} AS Label FROM procedurelog p WHERE 1 = 1",
            priority_label("p")
        );
        let mut args: Vec<Value> = Vec::new();
        for (name, value) in filters {
            sql.push_str(&format!(" AND p.{name} = ?"));
            args.push(value);
        }
        if let Some(stamp) = stamp {
            sql.push_str(" AND p.DateTStamp >= ?");
            args.push(Value::Text(stamp));
        }
        sql.push_str(" ORDER BY p.ProcNum LIMIT ? OFFSET ?");
        args.extend([Value::Integer(paging.limit), Value::Integer(paging.offset)]);
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |row| procedure_from_row(row, &now))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
    })?;
    Ok(Json(procedures))
}

async fn single_procedure(State(state): State<AppState>, Path(raw): Path<String>) -> ApiResult<Json<ProcedureLog>> {
    let num = path_number(&raw, "ProcNum")?;
    let now = server_date_time();
    let sql = format!(
        "SELECT p.*, {} AS Label FROM procedurelog p WHERE p.ProcNum = ?1",
        priority_label("p")
    );
    state
        .db
        .call(move |conn| {
            conn.query_row(&sql, [num], |row| procedure_from_row(row, &now))
                .optional()
        })?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("Procedure not found."))
}

fn procedure_from_row(row: &Row, now: &str) -> rusqlite::Result<ProcedureLog> {
    let prov_num: i64 = row.get("ProvNum")?;
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
        prov_num,
        prov_abbr: ["", "DOC1", "DOC2", "HYG1", "HYG2"]
            .get(prov_num as usize)
            .copied()
            .unwrap_or("")
            .to_owned(),
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
        proc_code: row.get("ProcCode")?,
        descript: row.get("Descript")?,
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
        server_date_time: Some(now.to_owned()),
    })
}

//! TreatPlanAttaches GET, POST and PUT (apitreatplanattaches.md): which procedures are on an
//! Active or Inactive plan, and at what priority. Saved plans keep ProcTPs instead, so they
//! are refused here with a pointer to the right page.

use super::{check_priority, find_plan, priority_label, required_plan_num, Plan};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Params, PathNum};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use opendental::treatment::TreatPlanAttach;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/treatplanattaches", get(list).post(create))
        .route("/treatplanattaches/{TreatPlanAttachNum}", put(update))
}

fn select() -> String {
    format!("SELECT a.*, {} AS Label FROM treatplanattach a", priority_label("a"))
}

fn refuse_saved(plan: &Plan) -> ApiResult<()> {
    if plan.is_saved() {
        return Err(ApiError::bad_request(
            "The treatment plan is Saved. TreatPlanAttaches are only for Active and Inactive treatment plans; a Saved \
             plan's procedures are ProcTPs (use ProcTPs GET).",
        ));
    }
    Ok(())
}

/// TreatPlanAttaches GET, in the order the procedures were attached.
async fn list(State(state): State<AppState>, params: Params) -> ApiResult<Json<Vec<TreatPlanAttach>>> {
    let paging = params.paging()?;
    let treat_plan_num = required_plan_num(&params)?;
    let attaches = state.db.with_db(|conn| {
        refuse_saved(&find_plan(conn, treat_plan_num)?)?;
        let sql = format!(
            "{} WHERE a.TreatPlanNum = ?1 ORDER BY a.TreatPlanAttachNum LIMIT ?2 OFFSET ?3",
            select()
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(
            rusqlite::params![treat_plan_num, paging.limit, paging.offset],
            attach_from_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?;
    Ok(Json(attaches))
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

fn find_attach(conn: &Connection, num: i64) -> ApiResult<TreatPlanAttach> {
    conn.query_row(
        &format!("{} WHERE a.TreatPlanAttachNum = ?1", select()),
        [num],
        attach_from_row,
    )
    .optional()?
    .ok_or_else(|| {
        ApiError::not_found(format!(
            "TreatPlanAttach not found. No treatplanattach has TreatPlanAttachNum {num}."
        ))
    })
}

/// The POST body. Every field is optional here (unlike `opendental::treatment::NewTreatPlanAttach`,
/// which a client sends) so that a missing one gets its own explanation, not serde's.
#[derive(Deserialize)]
struct NewAttachBody {
    #[serde(rename = "TreatPlanNum")]
    treat_plan_num: Option<i64>,
    #[serde(rename = "ProcNum")]
    proc_num: Option<i64>,
    #[serde(rename = "Priority")]
    priority: Option<i64>,
}

/// TreatPlanAttaches POST: 201 with the new attach.
async fn create(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<NewAttachBody>,
) -> ApiResult<(StatusCode, Json<TreatPlanAttach>)> {
    let treat_plan_num = body
        .treat_plan_num
        .ok_or_else(|| ApiError::bad_request("TreatPlanNum is required."))?;
    let proc_num = body
        .proc_num
        .ok_or_else(|| ApiError::bad_request("ProcNum is required."))?;
    let attach = state.db.with_db(|conn| {
        let plan = find_plan(conn, treat_plan_num)?;
        let (pat_num, proc_status): (i64, String) = conn
            .query_row(
                "SELECT PatNum, ProcStatus FROM procedurelog WHERE ProcNum = ?1",
                [proc_num],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| {
                ApiError::not_found(format!("Procedure not found. No procedurelog has ProcNum {proc_num}."))
            })?;
        refuse_saved(&plan)?;
        if pat_num != plan.pat_num {
            return Err(ApiError::bad_request(format!(
                "The procedure belongs to a different patient (PatNum {pat_num}) than the treatment plan (PatNum {}).",
                plan.pat_num
            )));
        }
        // Treatment Plan module: "Only procedures with a Treatment Planned (TP) status can be
        // on an active plan"; inactive plans may also hold TPi ones.
        let allowed = plan.status.attachable_proc_statuses();
        if !allowed.contains(&proc_status.as_str()) {
            return Err(ApiError::bad_request(format!(
                "The procedure's ProcStatus is {proc_status}. Only treatment-planned procedures ({}) can be attached \
                 to an {} treatment plan.",
                allowed.join(" or "),
                plan.status
            )));
        }
        let attached: bool = conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM treatplanattach WHERE TreatPlanNum = ?1 AND ProcNum = ?2)",
            [treat_plan_num, proc_num],
            |r| r.get(0),
        )?;
        if attached {
            return Err(ApiError::bad_request(
                "The procedure is already attached to this treatment plan. Use TreatPlanAttaches PUT to change its \
                 priority.",
            ));
        }
        let priority = check_priority(conn, body.priority.unwrap_or(0))?;
        conn.execute(
            "INSERT INTO treatplanattach (TreatPlanNum, ProcNum, Priority) VALUES (?1, ?2, ?3)",
            [treat_plan_num, proc_num, priority],
        )?;
        find_attach(conn, conn.last_insert_rowid())
    })?;
    Ok((StatusCode::CREATED, Json(attach)))
}

/// The PUT body; `Priority` is optional here only to explain its absence.
#[derive(Deserialize)]
struct PriorityBody {
    #[serde(rename = "Priority")]
    priority: Option<i64>,
}

/// TreatPlanAttaches PUT: changes the Priority and nothing else.
async fn update(
    State(state): State<AppState>,
    PathNum(num): PathNum,
    ApiJson(body): ApiJson<PriorityBody>,
) -> ApiResult<Json<TreatPlanAttach>> {
    let attach = state.db.with_db(|conn| {
        find_attach(conn, num)?;
        let priority = body
            .priority
            .ok_or_else(|| ApiError::bad_request("Priority is required."))?;
        let priority = check_priority(conn, priority)?;
        conn.execute(
            "UPDATE treatplanattach SET Priority = ?1 WHERE TreatPlanAttachNum = ?2",
            [priority, num],
        )?;
        find_attach(conn, num)
    })?;
    Ok(Json(attach))
}

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
use rusqlite::{Connection, OptionalExtension};

/// Open Dental's columns, with enumerations stored as the text the API uses (TPStatus
/// "Active", ProcStatus "TP"). Money is REAL, as the API's numbers are; amounts are always
/// whole cents. procedurecode is the fee schedule's code list that procedures point into.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS procedurecode (
    CodeNum   INTEGER PRIMARY KEY,
    ProcCode  TEXT NOT NULL UNIQUE,
    Descript  TEXT NOT NULL,
    AbbrDesc  TEXT NOT NULL
);
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
    DateTP        TEXT NOT NULL,
    DateEntryC    TEXT NOT NULL DEFAULT '0001-01-01',
    DateTStamp    TEXT NOT NULL,
    SecDateEntry  TEXT NOT NULL,
    Discount      REAL NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS procedurelog_patient ON procedurelog (PatNum, ProcStatus);
CREATE TABLE IF NOT EXISTS treatplan (
    TreatPlanNum     INTEGER PRIMARY KEY,
    PatNum           INTEGER NOT NULL,
    DateTP           TEXT NOT NULL DEFAULT '0001-01-01',
    Heading          TEXT NOT NULL,
    Note             TEXT NOT NULL DEFAULT '',
    TPStatus         TEXT NOT NULL,
    SecUserNumEntry  INTEGER NOT NULL DEFAULT 0,
    SecDateEntry     TEXT NOT NULL,
    SecDateTEdit     TEXT NOT NULL,
    UserNumPresenter INTEGER NOT NULL DEFAULT 0,
    TPType           TEXT NOT NULL DEFAULT 'Insurance',
    DateTSigned      TEXT NOT NULL DEFAULT '0001-01-01 00:00:00',
    SignatureText    TEXT NOT NULL DEFAULT '',
    IsSigned         INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS treatplanattach (
    TreatPlanAttachNum INTEGER PRIMARY KEY,
    TreatPlanNum       INTEGER NOT NULL,
    ProcNum            INTEGER NOT NULL,
    Priority           INTEGER NOT NULL DEFAULT 0,
    UNIQUE (TreatPlanNum, ProcNum)
);
CREATE TABLE IF NOT EXISTS proctp (
    ProcTPNum       INTEGER PRIMARY KEY,
    TreatPlanNum    INTEGER NOT NULL,
    PatNum          INTEGER NOT NULL,
    ProcNumOrig     INTEGER NOT NULL,
    ItemOrder       INTEGER NOT NULL,
    Priority        INTEGER NOT NULL DEFAULT 0,
    ToothNumTP      TEXT NOT NULL DEFAULT '',
    Surf            TEXT NOT NULL DEFAULT '',
    ProcCode        TEXT NOT NULL,
    Descript        TEXT NOT NULL,
    FeeAmt          REAL NOT NULL,
    PriInsAmt       REAL NOT NULL DEFAULT 0,
    SecInsAmt       REAL NOT NULL DEFAULT 0,
    PatAmt          REAL NOT NULL DEFAULT 0,
    Discount        REAL NOT NULL DEFAULT 0,
    ProcAbbr        TEXT NOT NULL DEFAULT '',
    SecUserNumEntry INTEGER NOT NULL DEFAULT 0,
    SecDateEntry    TEXT NOT NULL,
    SecDateTEdit    TEXT NOT NULL,
    ProvNum         INTEGER NOT NULL DEFAULT 0,
    DateTP          TEXT NOT NULL,
    ClinicNum       INTEGER NOT NULL DEFAULT 0
);";

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

/// Runs `f` on the database; `f` may fail with an API error (a 404, a 400) as well as an SQL
/// one, so checks and writes happen under one lock.
fn with_db<T>(state: &AppState, f: impl FnOnce(&mut Connection) -> ApiResult<T>) -> ApiResult<T> {
    state.db.call(|conn| Ok(f(conn)))?
}

/// A number in the URL ("/procedurelogs/{ProcNum}").
fn path_number(raw: &str, name: &str) -> ApiResult<i64> {
    raw.trim()
        .parse()
        .map_err(|_| ApiError::bad_request(format!("{name} \"{raw}\" is not a number.")))
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
    /// "Active", "Inactive" or "Saved".
    status: String,
}

impl Plan {
    fn is_saved(&self) -> bool {
        self.status == "Saved"
    }
}

fn find_plan(conn: &Connection, treat_plan_num: i64) -> ApiResult<Plan> {
    conn.query_row(
        "SELECT PatNum, TPStatus FROM treatplan WHERE TreatPlanNum = ?1",
        [treat_plan_num],
        |row| {
            Ok(Plan {
                pat_num: row.get(0)?,
                status: row.get(1)?,
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

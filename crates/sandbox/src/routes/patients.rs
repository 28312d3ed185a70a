//! Patients GET single and GET multiple (apipatients.md). The list is the Patient Select
//! window's search: partial, case-insensitive names (accents ignored too), exact birthdate.

use crate::error::{ApiError, ApiResult};
use crate::extract::{Params, PathNum};
use crate::state::AppState;
use crate::text;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use opendental::models::{Patient, PatientListItem};
use rusqlite::types::Value;
use rusqlite::Row;

/// PatStatus values the API documents.
pub const PAT_STATUSES: [&str; 6] = [
    "Patient",
    "NonPatient",
    "Inactive",
    "Archived",
    "Deceased",
    "Prospective",
];

/// The patient row with its display fields: provider abbreviations and billing type name.
const SELECT: &str = "
SELECT p.*,
       COALESCE(pri.Abbr, '') AS priProvAbbr,
       COALESCE(sec.Abbr, '') AS secProvAbbr,
       COALESCE(bt.ItemName, '') AS billingTypeName
FROM patient p
LEFT JOIN provider pri ON pri.ProvNum = p.PriProv
LEFT JOIN provider sec ON sec.ProvNum = p.SecProv
LEFT JOIN definition bt ON bt.DefNum = p.BillingType";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/patients", get(search))
        .route("/patients/{PatNum}", get(single))
}

/// Text parameters that match part of a field; `?1` is the parameter's value. Both sides are
/// folded (case and accents); first names also match the preferred name, as in the Patient
/// Select window.
const CONTAINS_FILTERS: [(&str, &str); 7] = [
    ("LName", "instr(fold(p.LName), ?1) > 0"),
    (
        "FName",
        "(instr(fold(p.FName), ?1) > 0 OR instr(fold(p.Preferred), ?1) > 0)",
    ),
    (
        "Address",
        "(instr(fold(p.Address), ?1) > 0 OR instr(fold(p.Address2), ?1) > 0)",
    ),
    ("City", "instr(fold(p.City), ?1) > 0"),
    ("State", "instr(fold(p.State), ?1) > 0"),
    ("Email", "instr(fold(p.Email), ?1) > 0"),
    ("ChartNumber", "instr(fold(p.ChartNumber), ?1) > 0"),
];

/// Patients GET (multiple), ordered by last name, first name, PatNum.
async fn search(State(state): State<AppState>, params: Params) -> ApiResult<Json<Vec<PatientListItem>>> {
    let paging = params.paging()?;
    // Each clause calls its value ?1; it is renumbered to its place among all the values.
    let mut clauses = vec!["p.PatStatus <> 'Deleted'".to_owned()];
    let mut args: Vec<Value> = Vec::new();
    let mut add = |clause: &str, value: Value| {
        args.push(value);
        let n = args.len();
        clauses.push(clause.replace("?1", &format!("?{n}")));
    };
    for (name, clause) in CONTAINS_FILTERS {
        if let Some(value) = params.text(name) {
            add(clause, Value::Text(text::fold(value)));
        }
    }
    if let Some(phone) = params.text("Phone").map(text::digits).filter(|d| !d.is_empty()) {
        add(
            "(instr(digits(p.HmPhone), ?1) > 0 OR instr(digits(p.WkPhone), ?1) > 0 OR instr(digits(p.WirelessPhone), ?1) > 0)",
            Value::Text(phone),
        );
    }
    if let Some(ssn) = params.text("SSN").map(text::digits).filter(|d| !d.is_empty()) {
        add("instr(digits(p.SSN), ?1) > 0", Value::Text(ssn));
    }
    if let Some(birthdate) = params.date("Birthdate")? {
        add("p.Birthdate = ?1", Value::Text(birthdate.to_owned()));
    }
    if let Some(status) = params.text("PatStatus") {
        let status = PAT_STATUSES
            .iter()
            .find(|s| s.eq_ignore_ascii_case(status))
            .ok_or_else(|| ApiError::bad_request(format!("PatStatus must be one of {}.", PAT_STATUSES.join(", "))))?;
        add("p.PatStatus = ?1", Value::Text(status.to_string()));
    }
    if params.bool("hideInactive", false)? {
        clauses.push("p.PatStatus <> 'Inactive'".into());
    }
    if params.bool("guarOnly", false)? {
        clauses.push("p.Guarantor = p.PatNum".into());
    }
    let n = args.len();
    let sql = format!(
        "{SELECT} WHERE {} ORDER BY fold(p.LName), fold(p.FName), p.PatNum LIMIT ?{} OFFSET ?{}",
        clauses.join(" AND "),
        n + 1,
        n + 2
    );
    args.extend([Value::Integer(paging.limit), Value::Integer(paging.offset)]);
    let patients = state.db.call(|conn| {
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |row| {
            patient_from_row(row).map(list_item)
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
    })?;
    Ok(Json(patients))
}

/// Patients GET (single).
async fn single(State(state): State<AppState>, PathNum(pat_num): PathNum) -> ApiResult<Json<Patient>> {
    let patient = state.db.call(|conn| {
        let mut stmt = conn.prepare(&format!("{SELECT} WHERE p.PatNum = ?1 AND p.PatStatus <> 'Deleted'"))?;
        let mut rows = stmt.query_map([pat_num], patient_from_row)?;
        rows.next().transpose()
    })?;
    patient
        .map(Json)
        .ok_or_else(|| ApiError::not_found("Patient not found."))
}

fn patient_from_row(row: &Row) -> rusqlite::Result<Patient> {
    Ok(Patient {
        pat_num: row.get("PatNum")?,
        l_name: row.get("LName")?,
        f_name: row.get("FName")?,
        middle_i: row.get("MiddleI")?,
        preferred: row.get("Preferred")?,
        pat_status: row.get("PatStatus")?,
        gender: row.get("Gender")?,
        position: row.get("Position")?,
        birthdate: row.get("Birthdate")?,
        ssn: row.get("SSN")?,
        address: row.get("Address")?,
        address2: row.get("Address2")?,
        city: row.get("City")?,
        state: row.get("State")?,
        zip: row.get("Zip")?,
        hm_phone: row.get("HmPhone")?,
        wk_phone: row.get("WkPhone")?,
        wireless_phone: row.get("WirelessPhone")?,
        guarantor: row.get("Guarantor")?,
        email: row.get("Email")?,
        est_balance: row.get("EstBalance")?,
        pri_prov: row.get("PriProv")?,
        pri_prov_abbr: row.get("priProvAbbr")?,
        sec_prov: row.get("SecProv")?,
        sec_prov_abbr: row.get("secProvAbbr")?,
        fee_sched: row.get("FeeSched")?,
        billing_type: row.get("billingTypeName")?,
        image_folder: row.get("ImageFolder")?,
        fam_fin_urg_note: row.get("FamFinUrgNote")?,
        chart_number: row.get("ChartNumber")?,
        medicaid_id: row.get("MedicaidID")?,
        bal_total: row.get("BalTotal")?,
        employer_num: row.get("EmployerNum")?,
        date_first_visit: row.get("DateFirstVisit")?,
        clinic_num: row.get("ClinicNum")?,
        // The demo practice does not use clinics or sites.
        clinic_abbr: String::new(),
        premed: row.get("Premed")?,
        ward: row.get("Ward")?,
        prefer_confirm_method: row.get("PreferConfirmMethod")?,
        prefer_contact_method: row.get("PreferContactMethod")?,
        prefer_recall_method: row.get("PreferRecallMethod")?,
        language: row.get("Language")?,
        admit_date: row.get("AdmitDate")?,
        site_desc: String::new(),
        date_t_stamp: row.get("DateTStamp")?,
        super_family: row.get("SuperFamily")?,
        txt_msg_ok: row.get("TxtMsgOk")?,
        sec_date_entry: row.get("SecDateEntry")?,
    })
}

/// The Patient Select window's subset of a patient.
fn list_item(p: Patient) -> PatientListItem {
    PatientListItem {
        pat_num: p.pat_num,
        l_name: p.l_name,
        f_name: p.f_name,
        middle_i: p.middle_i,
        preferred: p.preferred,
        pat_status: p.pat_status,
        birthdate: p.birthdate,
        ssn: p.ssn,
        address: p.address,
        address2: p.address2,
        city: p.city,
        state: p.state,
        zip: p.zip,
        hm_phone: p.hm_phone,
        wk_phone: p.wk_phone,
        wireless_phone: p.wireless_phone,
        email: p.email,
        pri_prov_abbr: p.pri_prov_abbr,
        sec_prov_abbr: p.sec_prov_abbr,
        billing_type: p.billing_type,
        chart_number: p.chart_number,
        clinic_num: p.clinic_num,
        clinic_abbr: p.clinic_abbr,
        site_desc: p.site_desc,
        txt_msg_ok: p.txt_msg_ok,
    }
}

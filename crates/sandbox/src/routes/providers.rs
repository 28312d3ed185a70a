//! Providers GET single and multiple (apiproviders.md).

use crate::error::{ApiError, ApiResult};
use crate::extract::{Params, PathNum};
use crate::state::AppState;
use crate::text::server_date_time;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use opendental::models::Provider;
use rusqlite::types::Value;
use rusqlite::Row;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/providers", get(list))
        .route("/providers/{ProvNum}", get(single))
}

/// All providers in list order. `ClinicNum` narrows to non-hidden providers and, as
/// documented, leaves `serverDateTime` empty; `DateTStamp` returns those changed after it.
async fn list(State(state): State<AppState>, params: Params) -> ApiResult<Json<Vec<Provider>>> {
    let paging = params.paging()?;
    let date_t_stamp = params.date_time("DateTStamp")?.map(str::to_owned);
    let clinic_num = params.int("ClinicNum")?;
    if clinic_num.is_some_and(|c| c != 0) {
        // The demo practice does not use clinics.
        return Err(ApiError::not_found("Clinic not found"));
    }
    let mut sql = String::from("SELECT * FROM provider WHERE 1 = 1");
    let mut args: Vec<Value> = Vec::new();
    if clinic_num.is_some() {
        sql.push_str(" AND IsHidden = 0");
    }
    if let Some(stamp) = date_t_stamp {
        sql.push_str(" AND DateTStamp > ?");
        args.push(Value::Text(stamp));
    }
    sql.push_str(" ORDER BY ItemOrder, ProvNum LIMIT ? OFFSET ?");
    args.extend([Value::Integer(paging.limit), Value::Integer(paging.offset)]);

    let now = if clinic_num.is_some() {
        String::new()
    } else {
        server_date_time()
    };
    let providers = state.db.call(|conn| {
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |row| provider_from_row(row, &now))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
    })?;
    Ok(Json(providers))
}

async fn single(State(state): State<AppState>, PathNum(prov_num): PathNum) -> ApiResult<Json<Provider>> {
    let now = server_date_time();
    let provider = state.db.call(|conn| {
        let mut stmt = conn.prepare("SELECT * FROM provider WHERE ProvNum = ?1")?;
        let mut rows = stmt.query_map([prov_num], |row| provider_from_row(row, &now))?;
        rows.next().transpose()
    })?;
    provider
        .map(Json)
        .ok_or_else(|| ApiError::not_found("Provider not found."))
}

fn provider_from_row(row: &Row, server_date_time: &str) -> rusqlite::Result<Provider> {
    Ok(Provider {
        prov_num: row.get("ProvNum")?,
        abbr: row.get("Abbr")?,
        l_name: row.get("LName")?,
        f_name: row.get("FName")?,
        mi: row.get("MI")?,
        suffix: row.get("Suffix")?,
        fee_sched: row.get("FeeSched")?,
        specialty: row.get("Specialty")?,
        ssn: row.get("SSN")?,
        state_license: row.get("StateLicense")?,
        is_secondary: row.get("IsSecondary")?,
        prov_color: row.get("ProvColor")?,
        is_hidden: row.get("IsHidden")?,
        using_tin: row.get("UsingTIN")?,
        sig_on_file: row.get("SigOnFile")?,
        national_prov_id: row.get("NationalProvID")?,
        date_t_stamp: row.get("DateTStamp")?,
        is_not_person: row.get("IsNotPerson")?,
        prov_status: row.get("ProvStatus")?,
        is_hidden_report: row.get("IsHiddenReport")?,
        birthdate: row.get("Birthdate")?,
        sched_note: row.get("SchedNote")?,
        preferred_name: row.get("PreferredName")?,
        server_date_time: Some(server_date_time.to_owned()),
    })
}

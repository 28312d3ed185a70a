//! Definitions GET (apidefinitions.md): the practice's configurable lists, such as image
//! categories (18) and treatment-plan priorities (20), in definition order.

use crate::error::ApiResult;
use crate::extract::Params;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use opendental::models::Definition;
use rusqlite::types::Value;

pub fn routes() -> Router<AppState> {
    Router::new().route("/definitions", get(list))
}

/// Ordered by category, then the order the office set, which is not DefNum order.
async fn list(State(state): State<AppState>, params: Params) -> ApiResult<Json<Vec<Definition>>> {
    let paging = params.paging()?;
    let category = params.int("Category")?;
    let include_hidden = params.bool("includeHidden", false)?;
    let mut sql = String::from("SELECT DefNum, Category, ItemName, ItemValue, IsHidden FROM definition WHERE 1 = 1");
    let mut args: Vec<Value> = Vec::new();
    if let Some(category) = category {
        sql.push_str(" AND Category = ?");
        args.push(Value::Integer(category));
    }
    if !include_hidden {
        sql.push_str(" AND IsHidden = 0");
    }
    sql.push_str(" ORDER BY Category, ItemOrder, DefNum LIMIT ? OFFSET ?");
    args.extend([Value::Integer(paging.limit), Value::Integer(paging.offset)]);
    let definitions = state.db.call(|conn| {
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |row| {
            let category: i64 = row.get("Category")?;
            Ok(Definition {
                def_num: row.get("DefNum")?,
                item_name: row.get("ItemName")?,
                item_value: row.get("ItemValue")?,
                category,
                category_name: category_name(category).to_owned(),
                is_hidden: row.get("IsHidden")?,
            })
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
    })?;
    Ok(Json(definitions))
}

/// Open Dental's DefCat names, which the API returns in the lowercase `category` field.
pub fn category_name(category: i64) -> &'static str {
    const NAMES: [&str; 28] = [
        "AccountColors",
        "AdjTypes",
        "ApptConfirmed",
        "ApptProcsQuickAdd",
        "BillingTypes",
        "ClaimFormats",
        "DunningMessages",
        "FeeSchedNamesOld",
        "MedicalNotes",
        "OperatoriesOld",
        "PaymentTypes",
        "ProcCodeCats",
        "ProgNoteColors",
        "RecallUnschedStatus",
        "ServiceNotes",
        "DiscountTypes",
        "Diagnosis",
        "AppointmentColors",
        "ImageCats",
        "ApptPhoneNotes",
        "TxPriorities",
        "MiscColors",
        "ChartGraphicColors",
        "ContactCategories",
        "LetterMergeCats",
        "BlockoutTypes",
        "ProcButtonCats",
        "CommLogTypes",
    ];
    match category {
        35 => "ProviderSpecialties",
        c => usize::try_from(c)
            .ok()
            .and_then(|i| NAMES.get(i))
            .copied()
            .unwrap_or(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use opendental::models::def_category;

    #[test]
    fn category_names_match_open_dental() {
        assert_eq!(category_name(1), "AdjTypes");
        assert_eq!(category_name(def_category::BILLING_TYPES), "BillingTypes");
        assert_eq!(category_name(def_category::IMAGE_CATS), "ImageCats");
        assert_eq!(category_name(def_category::TX_PRIORITIES), "TxPriorities");
        assert_eq!(category_name(35), "ProviderSpecialties");
        assert_eq!(category_name(-1), "");
    }
}

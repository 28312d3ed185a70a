//! What the app reads of Open Dental's bigger records: only the fields a screen shows or a
//! request needs, under Open Dental's names and with the same lenient parsing as the full
//! models in `opendental` (which the sandbox and gateway use). serde skips the rest unread, and
//! the wasm carries no code for fields nobody shows (issue 13: each field of a derived model is
//! code; the full Patient alone was 24 KiB).

use opendental::{
    models::display_name,
    treatment::TpStatus,
    wire::{lenient_f64, lenient_i64, lenient_string, string_bool},
};
use serde::Deserialize;

/// Patients GET (single): the patient's header and summary card.
#[derive(Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default, rename_all = "PascalCase")]
pub struct Patient {
    #[serde(with = "lenient_i64")]
    pub pat_num: i64,
    pub l_name: String,
    pub f_name: String,
    pub middle_i: String,
    pub preferred: String,
    pub pat_status: String,
    pub birthdate: String,
    pub address: String,
    pub address2: String,
    pub city: String,
    pub state: String,
    #[serde(with = "lenient_string")]
    pub zip: String,
    pub hm_phone: String,
    pub wk_phone: String,
    pub wireless_phone: String,
    pub email: String,
    #[serde(with = "lenient_f64")]
    pub est_balance: f64,
    #[serde(rename = "priProvAbbr")]
    pub pri_prov_abbr: String,
    pub billing_type: String,
    pub date_first_visit: String,
}

impl Patient {
    pub fn display_name(&self) -> String {
        display_name(&self.l_name, &self.f_name, &self.middle_i, &self.preferred)
    }
}

/// Patients GET (multiple): one row of the search results.
#[derive(Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default, rename_all = "PascalCase")]
pub struct PatientListItem {
    #[serde(with = "lenient_i64")]
    pub pat_num: i64,
    pub l_name: String,
    pub f_name: String,
    pub middle_i: String,
    pub preferred: String,
    pub pat_status: String,
    pub birthdate: String,
    pub hm_phone: String,
    pub wk_phone: String,
    pub wireless_phone: String,
}

impl PatientListItem {
    pub fn display_name(&self) -> String {
        display_name(&self.l_name, &self.f_name, &self.middle_i, &self.preferred)
    }
}

/// Providers GET: the document form's provider choice.
#[derive(Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default, rename_all = "PascalCase")]
pub struct Provider {
    #[serde(with = "lenient_i64")]
    pub prov_num: i64,
    pub abbr: String,
    pub l_name: String,
    pub f_name: String,
    #[serde(with = "string_bool")]
    pub is_hidden: bool,
}

/// TreatPlans GET: the plan list and which kind of plan it is.
#[derive(Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default, rename_all = "PascalCase")]
pub struct TreatPlan {
    #[serde(with = "lenient_i64")]
    pub treat_plan_num: i64,
    #[serde(with = "lenient_i64")]
    pub pat_num: i64,
    #[serde(rename = "DateTP")]
    pub date_tp: String,
    pub heading: String,
    #[serde(rename = "TPStatus")]
    pub tp_status: TpStatus,
    pub sec_date_entry: String,
}

impl TreatPlan {
    /// Active and Inactive plans list TreatPlanAttaches; Saved plans hold ProcTP copies.
    pub fn uses_attaches(&self) -> bool {
        self.tp_status.uses_attaches()
    }
}

/// ProcTPs GET: one row of a saved plan.
#[derive(Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default, rename_all = "PascalCase")]
pub struct ProcTp {
    #[serde(with = "lenient_i64")]
    pub item_order: i64,
    #[serde(rename = "priority")]
    pub priority_label: String,
    #[serde(rename = "ToothNumTP")]
    pub tooth_num_tp: String,
    pub surf: String,
    pub proc_code: String,
    pub descript: String,
    #[serde(with = "lenient_f64")]
    pub fee_amt: f64,
    #[serde(with = "lenient_f64")]
    pub pri_ins_amt: f64,
    #[serde(with = "lenient_f64")]
    pub sec_ins_amt: f64,
    #[serde(with = "lenient_f64")]
    pub pat_amt: f64,
    #[serde(with = "lenient_f64")]
    pub discount: f64,
}

//! Resources as the API documents them. Field names follow the wire (PascalCase, with the
//! read-only display fields in lowercase); numbers and booleans go through `wire`'s lenient
//! helpers so the client accepts either form. `#[serde(default)]` lets a client read older
//! servers that leave a field out.

use crate::wire::{lenient_f64, lenient_i64, lenient_string, string_bool};
use serde::{Deserialize, Serialize};

/// Definition categories the app uses (apidefinitions.md; definition.Category).
pub mod def_category {
    pub const BILLING_TYPES: i64 = 4;
    pub const IMAGE_CATS: i64 = 18;
    pub const TX_PRIORITIES: i64 = 20;
}

/// One row of Patients GET (multiple): the Patient Select window's fields (apipatients.md).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
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
    #[serde(rename = "SSN")]
    pub ssn: String,
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
    #[serde(rename = "priProvAbbr")]
    pub pri_prov_abbr: String,
    #[serde(rename = "secProvAbbr")]
    pub sec_prov_abbr: String,
    pub billing_type: String,
    pub chart_number: String,
    #[serde(with = "lenient_i64")]
    pub clinic_num: i64,
    #[serde(rename = "clinicAbbr")]
    pub clinic_abbr: String,
    #[serde(rename = "siteDesc")]
    pub site_desc: String,
    pub txt_msg_ok: String,
}

/// Patients GET (single) (apipatients.md).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default, rename_all = "PascalCase")]
pub struct Patient {
    #[serde(with = "lenient_i64")]
    pub pat_num: i64,
    pub l_name: String,
    pub f_name: String,
    pub middle_i: String,
    pub preferred: String,
    pub pat_status: String,
    pub gender: String,
    pub position: String,
    pub birthdate: String,
    #[serde(rename = "SSN")]
    pub ssn: String,
    pub address: String,
    pub address2: String,
    pub city: String,
    pub state: String,
    #[serde(with = "lenient_string")]
    pub zip: String,
    pub hm_phone: String,
    pub wk_phone: String,
    pub wireless_phone: String,
    #[serde(with = "lenient_i64")]
    pub guarantor: i64,
    pub email: String,
    #[serde(with = "lenient_f64")]
    pub est_balance: f64,
    #[serde(with = "lenient_i64")]
    pub pri_prov: i64,
    #[serde(rename = "priProvAbbr")]
    pub pri_prov_abbr: String,
    #[serde(with = "lenient_i64")]
    pub sec_prov: i64,
    #[serde(rename = "secProvAbbr")]
    pub sec_prov_abbr: String,
    #[serde(with = "lenient_i64")]
    pub fee_sched: i64,
    pub billing_type: String,
    pub image_folder: String,
    pub fam_fin_urg_note: String,
    pub chart_number: String,
    #[serde(rename = "MedicaidID")]
    pub medicaid_id: String,
    #[serde(with = "lenient_f64")]
    pub bal_total: f64,
    #[serde(with = "lenient_i64")]
    pub employer_num: i64,
    pub date_first_visit: String,
    #[serde(with = "lenient_i64")]
    pub clinic_num: i64,
    #[serde(rename = "clinicAbbr")]
    pub clinic_abbr: String,
    #[serde(with = "string_bool")]
    pub premed: bool,
    pub ward: String,
    pub prefer_confirm_method: String,
    pub prefer_contact_method: String,
    pub prefer_recall_method: String,
    pub language: String,
    pub admit_date: String,
    #[serde(rename = "siteDesc")]
    pub site_desc: String,
    pub date_t_stamp: String,
    #[serde(with = "lenient_i64")]
    pub super_family: i64,
    pub txt_msg_ok: String,
    pub sec_date_entry: String,
}

/// How a patient's name is written in lists and headers: "Last, First M (Preferred)".
pub fn display_name(l_name: &str, f_name: &str, middle_i: &str, preferred: &str) -> String {
    let mut name = format!("{}, {}", l_name.trim(), f_name.trim());
    if !middle_i.trim().is_empty() {
        name.push(' ');
        name.push_str(middle_i.trim());
    }
    if !preferred.trim().is_empty() && preferred.trim() != f_name.trim() {
        name.push_str(&format!(" ({})", preferred.trim()));
    }
    name
}

impl Patient {
    pub fn display_name(&self) -> String {
        display_name(&self.l_name, &self.f_name, &self.middle_i, &self.preferred)
    }
}

impl PatientListItem {
    pub fn display_name(&self) -> String {
        display_name(&self.l_name, &self.f_name, &self.middle_i, &self.preferred)
    }
}

/// Definitions GET (apidefinitions.md). The API returns them in definition order.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default)]
pub struct Definition {
    #[serde(rename = "DefNum", with = "lenient_i64")]
    pub def_num: i64,
    #[serde(rename = "ItemName")]
    pub item_name: String,
    #[serde(rename = "ItemValue")]
    pub item_value: String,
    #[serde(rename = "Category", with = "lenient_i64")]
    pub category: i64,
    /// The category's name, e.g. "ImageCats" (read-only).
    #[serde(rename = "category")]
    pub category_name: String,
    #[serde(rename = "isHidden", with = "string_bool")]
    pub is_hidden: bool,
}

/// Providers GET (apiproviders.md).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default, rename_all = "PascalCase")]
pub struct Provider {
    #[serde(with = "lenient_i64")]
    pub prov_num: i64,
    pub abbr: String,
    pub l_name: String,
    pub f_name: String,
    #[serde(rename = "MI")]
    pub mi: String,
    pub suffix: String,
    #[serde(with = "lenient_i64")]
    pub fee_sched: i64,
    #[serde(with = "lenient_i64")]
    pub specialty: i64,
    #[serde(rename = "SSN")]
    pub ssn: String,
    pub state_license: String,
    #[serde(with = "string_bool")]
    pub is_secondary: bool,
    #[serde(rename = "provColor")]
    pub prov_color: String,
    #[serde(with = "string_bool")]
    pub is_hidden: bool,
    #[serde(rename = "UsingTIN", with = "string_bool")]
    pub using_tin: bool,
    #[serde(with = "string_bool")]
    pub sig_on_file: bool,
    #[serde(rename = "NationalProvID")]
    pub national_prov_id: String,
    pub date_t_stamp: String,
    #[serde(with = "string_bool")]
    pub is_not_person: bool,
    pub prov_status: String,
    #[serde(with = "string_bool")]
    pub is_hidden_report: bool,
    pub birthdate: String,
    pub sched_note: String,
    pub preferred_name: String,
    #[serde(rename = "serverDateTime", skip_serializing_if = "Option::is_none")]
    pub server_date_time: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    // The example responses below are copied from the reference pages, quirks included.

    #[test]
    fn reads_the_documented_patient_list_example() {
        let json = r#"[{"PatNum": 16, "LName": "Smith", "FName": "Jane", "MiddleI": "", "Preferred": "",
          "PatStatus": "Patient", "Birthdate": "1976-05-24", "SSN": "632458956",
          "Address": "125 Satin Heights", "Address2": "", "City": "San Jose", "State": "CA",
          "Zip": 90011, "HmPhone": "(536)624-5871", "WkPhone": "(536)987-4822", "WirelessPhone": "",
          "Email": "smithfam@yahoo.com", "priProvAbbr": "DOC1", "secProvAbbr": "",
          "BillingType": "Standard Account", "ChartNumber": "", "ClinicNum": 0, "clinicAbbr": "",
          "siteDesc": "", "TxtMsgOk": "Unknown"}]"#;
        let list: Vec<PatientListItem> = serde_json::from_str(json).unwrap();
        assert_eq!(list[0].pat_num, 16);
        assert_eq!(list[0].zip, "90011");
        assert_eq!(list[0].ssn, "632458956");
        assert_eq!(list[0].pri_prov_abbr, "DOC1");
        assert_eq!(list[0].display_name(), "Smith, Jane");
    }

    #[test]
    fn reads_the_documented_single_patient_and_writes_the_same_names() {
        let json = r#"{"PatNum": 48, "LName": "Smith", "FName": "Jane", "MiddleI": "", "Preferred": "",
          "PatStatus": "Patient", "Gender": "Female", "Position": "Single", "Birthdate": "1976-05-24",
          "SSN": "", "Address": "125 Satin Heights", "Address2": "", "City": "San Jose", "State": "CA",
          "Zip": "97301", "HmPhone": "(536)624-5871", "WkPhone": "(536)987-4822",
          "WirelessPhone": "(536)987-4822", "Guarantor": 48, "Email": "smithfam@yahoo.com",
          "EstBalance": 0.0, "PriProv": 1, "priProvAbbr": "DOC", "SecProv": 0, "secProvAbbr": "",
          "FeeSched": 0, "BillingType": "Standard Account", "ImageFolder": "SmithJane48",
          "FamFinUrgNote": "CC on file expiring soon", "ChartNumber": "", "MedicaidID": "",
          "BalTotal": 111.9, "EmployerNum": 0, "DateFirstVisit": "2021-12-16", "ClinicNum": 0,
          "clinicAbbr": "", "Premed":"false", "Ward": "", "PreferConfirmMethod": "None",
          "PreferContactMethod": "WirelessPh", "PreferRecallMethod": "TextMessage", "Language": "spa",
          "AdmitDate": "0001-01-01", "siteDesc": "", "DateTStamp": "2021-12-08 15:34:34",
          "SuperFamily": 0, "TxtMsgOk": "Unknown", "SecDateEntry":"2021-12-04"}"#;
        let p: Patient = serde_json::from_str(json).unwrap();
        assert_eq!((p.pat_num, p.bal_total, p.premed), (48, 111.9, false));
        assert_eq!(p.date_t_stamp, "2021-12-08 15:34:34");
        let back = serde_json::to_value(&p).unwrap();
        let original: serde_json::Value = serde_json::from_str(json).unwrap();
        let names = |v: &serde_json::Value| {
            let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        };
        assert_eq!(names(&back), names(&original));
        assert_eq!(back["Premed"], "false");
    }

    #[test]
    fn reads_definitions_and_providers_as_documented() {
        let d: Definition = serde_json::from_str(
            r#"{"DefNum": 293, "ItemName": "Sales Tax", "ItemValue": "+", "Category": 1,
                "category": "AdjTypes", "isHidden": "false"}"#,
        )
        .unwrap();
        assert_eq!(
            (d.def_num, d.category, d.category_name.as_str(), d.is_hidden),
            (293, 1, "AdjTypes", false)
        );
        assert_eq!(serde_json::to_value(&d).unwrap()["isHidden"], "false");

        let p: Provider = serde_json::from_str(
            r#"{"ProvNum": 4, "Abbr": "HYG2", "LName": "Bently", "FName": "Bruce", "MI": "",
                "Suffix": "", "FeeSched": 53, "Specialty": 265, "SSN": "", "StateLicense": "",
                "IsSecondary": "true", "provColor": "164,164,255", "IsHidden": "false",
                "UsingTIN": "false", "SigOnFile": "false", "NationalProvID": "",
                "DateTStamp": "2016-03-03 13:10:47", "IsNotPerson": "false", "ProvStatus": "Active",
                "IsHiddenReport": "false", "Birthdate": "0001-01-01", "SchedNote": "",
                "PreferredName": "", "serverDateTime": "2021-01-16 12:55:39"}"#,
        )
        .unwrap();
        assert!(p.is_secondary && !p.is_hidden);
        assert_eq!(p.server_date_time.as_deref(), Some("2021-01-16 12:55:39"));
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["UsingTIN"], "false");
        assert_eq!(v["provColor"], "164,164,255");
    }

    #[test]
    fn names_read_naturally() {
        assert_eq!(display_name("O'Brien", "Seán", "P", "Shawn"), "O'Brien, Seán P (Shawn)");
        assert_eq!(display_name("Smith", "Jane", "", "Jane"), "Smith, Jane");
    }
}

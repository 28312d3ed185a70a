//! Treatment plans (apitreatplans.md, apitreatplanattaches.md, apiproctps.md,
//! apiprocedurelogs.md) and how Open Dental's Treatment Plan module presents them: procedures
//! grouped by priority in definition order, with a subtotal per priority and a total
//! (manual-treatmentplan.md, "Show" and "Sort By").

use crate::models::Definition;
use crate::wire::{lenient_f64, lenient_i64, string_bool};
use serde::{Deserialize, Serialize};

/// TreatPlans GET.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default, rename_all = "PascalCase")]
pub struct TreatPlan {
    #[serde(with = "lenient_i64")]
    pub treat_plan_num: i64,
    #[serde(with = "lenient_i64")]
    pub pat_num: i64,
    #[serde(rename = "DateTP")]
    pub date_tp: String,
    pub heading: String,
    pub note: String,
    #[serde(with = "string_bool")]
    pub sig_is_topaz: bool,
    #[serde(with = "lenient_i64")]
    pub respons_party: i64,
    #[serde(with = "lenient_i64")]
    pub doc_num: i64,
    #[serde(rename = "TPStatus")]
    pub tp_status: TpStatus,
    #[serde(with = "lenient_i64")]
    pub sec_user_num_entry: i64,
    pub sec_date_entry: String,
    #[serde(rename = "SecDateTEdit")]
    pub sec_date_t_edit: String,
    #[serde(with = "lenient_i64")]
    pub user_num_presenter: i64,
    #[serde(rename = "TPType")]
    pub tp_type: String,
    #[serde(rename = "DateTSigned")]
    pub date_t_signed: String,
    #[serde(rename = "DateTPracticeSigned")]
    pub date_t_practice_signed: String,
    pub signature_text: String,
    pub signature_practice_text: String,
    #[serde(rename = "isSigned", with = "string_bool")]
    pub is_signed: bool,
    #[serde(rename = "isSignedPractice", with = "string_bool")]
    pub is_signed_practice: bool,
}

impl TreatPlan {
    /// Active and Inactive plans list TreatPlanAttaches; Saved plans hold ProcTP copies.
    pub fn uses_attaches(&self) -> bool {
        self.tp_status.uses_attaches()
    }
}

/// A plan's TPStatus. A value the page does not document (a newer Open Dental's) is kept as
/// sent, so it still shows and goes back unchanged.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Hash)]
#[serde(from = "String", into = "String")]
pub enum TpStatus {
    Active,
    Inactive,
    Saved,
    Other(String),
}

impl TpStatus {
    /// The documented values, in the page's order.
    pub const KNOWN: [TpStatus; 3] = [TpStatus::Saved, TpStatus::Active, TpStatus::Inactive];

    pub fn as_str(&self) -> &str {
        match self {
            TpStatus::Active => "Active",
            TpStatus::Inactive => "Inactive",
            TpStatus::Saved => "Saved",
            TpStatus::Other(s) => s,
        }
    }

    /// Active and Inactive plans list TreatPlanAttaches; Saved plans hold ProcTP copies.
    pub fn uses_attaches(&self) -> bool {
        matches!(self, TpStatus::Active | TpStatus::Inactive)
    }

    /// The ProcStatus values a procedure needs to be attached to a plan of this status: TP,
    /// and on an Inactive plan also "Treatment Planned Inactive" (TPi) (manual-treatmentplan.md).
    pub fn attachable_proc_statuses(&self) -> &'static [&'static str] {
        match self {
            TpStatus::Inactive => &["TP", "TPi"],
            _ => &["TP"],
        }
    }
}

/// An empty status, as a plan without one has always read.
impl Default for TpStatus {
    fn default() -> Self {
        TpStatus::Other(String::new())
    }
}

impl From<String> for TpStatus {
    fn from(s: String) -> Self {
        match s.as_str() {
            "Active" => TpStatus::Active,
            "Inactive" => TpStatus::Inactive,
            "Saved" => TpStatus::Saved,
            _ => TpStatus::Other(s),
        }
    }
}

impl From<&str> for TpStatus {
    fn from(s: &str) -> Self {
        TpStatus::from(s.to_owned())
    }
}

impl From<TpStatus> for String {
    fn from(status: TpStatus) -> Self {
        match status {
            TpStatus::Other(s) => s,
            known => known.as_str().to_owned(),
        }
    }
}

impl std::fmt::Display for TpStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// TreatPlanAttaches GET/POST/PUT.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default)]
pub struct TreatPlanAttach {
    #[serde(rename = "TreatPlanAttachNum", with = "lenient_i64")]
    pub treat_plan_attach_num: i64,
    #[serde(rename = "TreatPlanNum", with = "lenient_i64")]
    pub treat_plan_num: i64,
    #[serde(rename = "ProcNum", with = "lenient_i64")]
    pub proc_num: i64,
    /// definition.DefNum in Category 20, or 0 for none.
    #[serde(rename = "Priority", with = "lenient_i64")]
    pub priority: i64,
    /// The priority's name ("" for none); read-only.
    #[serde(rename = "priority")]
    pub priority_label: String,
}

/// Body of TreatPlanAttaches POST.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct NewTreatPlanAttach {
    #[serde(rename = "TreatPlanNum")]
    pub treat_plan_num: i64,
    #[serde(rename = "ProcNum")]
    pub proc_num: i64,
    #[serde(rename = "Priority", skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
}

/// Body of TreatPlanAttaches PUT.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PriorityUpdate {
    #[serde(rename = "Priority")]
    pub priority: i64,
}

/// ProcTPs GET: frozen copies of procedures on a Saved plan.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default, rename_all = "PascalCase")]
pub struct ProcTp {
    #[serde(rename = "ProcTPNum", with = "lenient_i64")]
    pub proc_tp_num: i64,
    #[serde(with = "lenient_i64")]
    pub treat_plan_num: i64,
    #[serde(with = "lenient_i64")]
    pub pat_num: i64,
    #[serde(with = "lenient_i64")]
    pub proc_num_orig: i64,
    #[serde(with = "lenient_i64")]
    pub item_order: i64,
    #[serde(with = "lenient_i64")]
    pub priority: i64,
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
    pub prognosis: String,
    pub dx: String,
    pub proc_abbr: String,
    #[serde(with = "lenient_i64")]
    pub sec_user_num_entry: i64,
    pub sec_date_entry: String,
    #[serde(rename = "SecDateTEdit")]
    pub sec_date_t_edit: String,
    #[serde(with = "lenient_f64")]
    pub fee_allowed: f64,
    #[serde(with = "lenient_f64")]
    pub tax_amt: f64,
    #[serde(with = "lenient_i64")]
    pub prov_num: i64,
    #[serde(rename = "DateTP")]
    pub date_tp: String,
    #[serde(with = "lenient_i64")]
    pub clinic_num: i64,
    #[serde(rename = "CatPercUCR", with = "lenient_f64")]
    pub cat_perc_ucr: f64,
}

/// ProcedureLogs GET (multiple and single). `ProcFee` arrives as a string ("130.00").
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default, rename_all = "PascalCase")]
pub struct ProcedureLog {
    #[serde(with = "lenient_i64")]
    pub proc_num: i64,
    #[serde(with = "lenient_i64")]
    pub pat_num: i64,
    #[serde(with = "lenient_i64")]
    pub apt_num: i64,
    pub proc_date: String,
    #[serde(serialize_with = "fee_as_string", deserialize_with = "lenient_f64::deserialize")]
    pub proc_fee: f64,
    pub surf: String,
    pub tooth_num: String,
    pub tooth_range: String,
    #[serde(with = "lenient_i64")]
    pub priority: i64,
    #[serde(rename = "priority")]
    pub priority_label: String,
    /// "TP", "C", "EC", "EO", "R", "D", "Cn" or "TPi".
    pub proc_status: String,
    #[serde(with = "lenient_i64")]
    pub prov_num: i64,
    #[serde(rename = "provAbbr")]
    pub prov_abbr: String,
    #[serde(with = "lenient_i64")]
    pub dx: i64,
    #[serde(rename = "dxName")]
    pub dx_name: String,
    #[serde(with = "lenient_i64")]
    pub planned_apt_num: i64,
    pub place_service: String,
    pub prosthesis: String,
    pub date_original_prosth: String,
    pub claim_note: String,
    #[serde(rename = "DateEntryC")]
    pub date_entry_c: String,
    #[serde(with = "lenient_i64")]
    pub clinic_num: i64,
    #[serde(with = "lenient_i64")]
    pub code_num: i64,
    #[serde(rename = "procCode")]
    pub proc_code: String,
    #[serde(rename = "descript")]
    pub descript: String,
    #[serde(with = "lenient_i64")]
    pub unit_qty: i64,
    #[serde(with = "lenient_i64")]
    pub base_units: i64,
    #[serde(rename = "DateTP")]
    pub date_tp: String,
    #[serde(with = "lenient_i64")]
    pub site_num: i64,
    #[serde(with = "string_bool")]
    pub hide_graphics: bool,
    pub canadian_type_codes: String,
    pub proc_time: String,
    pub proc_time_end: String,
    pub date_t_stamp: String,
    #[serde(with = "lenient_i64")]
    pub prognosis: i64,
    #[serde(with = "string_bool")]
    pub is_locked: bool,
    pub billing_note: String,
    #[serde(with = "lenient_f64")]
    pub discount: f64,
    #[serde(with = "string_bool")]
    pub is_date_prosth_est: bool,
    pub sec_date_entry: String,
    #[serde(rename = "serverDateTime", skip_serializing_if = "Option::is_none")]
    pub server_date_time: Option<String>,
}

fn fee_as_string<S: serde::Serializer>(fee: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("{fee:.2}"))
}

/// Money in cents, so subtotals add up exactly.
pub fn cents(amount: f64) -> i64 {
    (amount * 100.0).round() as i64
}

/// "1,234.50" from cents.
pub fn format_money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.abs();
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped}.{:02}", cents % 100)
}

/// A procedure as the treatment-plan screen reads it (ProcedureLogs GET): only what the plan
/// shows and joins on. A client deserializes this rather than [`ProcedureLog`], so a browser
/// carries no code for the other thirty fields (serde skips them unread).
#[derive(Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default, rename_all = "PascalCase")]
pub struct PlanProcedure {
    #[serde(with = "lenient_i64")]
    pub proc_num: i64,
    #[serde(deserialize_with = "lenient_f64::deserialize")]
    pub proc_fee: f64,
    pub surf: String,
    pub tooth_num: String,
    /// "TP", "C", "EC", "EO", "R", "D", "Cn" or "TPi".
    pub proc_status: String,
    #[serde(rename = "procCode")]
    pub proc_code: String,
    #[serde(rename = "descript")]
    pub descript: String,
    #[serde(rename = "DateTP")]
    pub date_tp: String,
}

/// One attached procedure as the plan screen shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanRow {
    pub attach: TreatPlanAttach,
    /// `None` when the procedure is not among the patient's procedures (deleted, say).
    pub procedure: Option<PlanProcedure>,
}

impl PlanRow {
    pub fn fee_cents(&self) -> i64 {
        self.procedure.as_ref().map(|p| cents(p.proc_fee)).unwrap_or(0)
    }
}

/// Procedures sharing a priority, with their subtotal.
#[derive(Clone, Debug, PartialEq)]
pub struct PriorityGroup {
    /// DefNum of the priority; 0 for none.
    pub priority: i64,
    pub label: String,
    pub rows: Vec<PlanRow>,
    pub subtotal_cents: i64,
}

/// Joins attaches to the patient's procedures (one listing, never a request per row).
pub fn join_attaches(attaches: &[TreatPlanAttach], procedures: &[PlanProcedure]) -> Vec<PlanRow> {
    let by_num: std::collections::HashMap<i64, &PlanProcedure> = procedures.iter().map(|p| (p.proc_num, p)).collect();
    attaches
        .iter()
        .map(|a| PlanRow {
            attach: a.clone(),
            procedure: by_num.get(&a.proc_num).map(|p| (*p).clone()),
        })
        .collect()
}

/// Groups rows by priority like Open Dental: "no priority" first (its order lookup gives -1),
/// then the priorities in definition order, then any priority missing from the definitions
/// (hidden or deleted) under the label the server gave. Within a group, by date, then tooth,
/// then order of entry.
pub fn group_by_priority(rows: &[PlanRow], priorities: &[Definition]) -> Vec<PriorityGroup> {
    let order_of = |priority: i64| -> (usize, i64) {
        if priority == 0 {
            return (0, 0);
        }
        match priorities.iter().position(|d| d.def_num == priority) {
            Some(i) => (1 + i, 0),
            None => (1 + priorities.len(), priority),
        }
    };
    let mut sorted: Vec<&PlanRow> = rows.iter().collect();
    sorted.sort_by(|a, b| {
        let key = |r: &PlanRow| {
            let p = r.procedure.as_ref();
            (
                order_of(r.attach.priority),
                p.map(|p| p.date_tp.clone()).unwrap_or_default(),
                p.map(|p| tooth_sort_key(&p.tooth_num)).unwrap_or((0, 0)),
                r.attach.proc_num,
            )
        };
        key(a).cmp(&key(b))
    });
    let mut groups: Vec<PriorityGroup> = Vec::new();
    for row in sorted {
        let priority = row.attach.priority;
        if groups.last().map(|g| g.priority) != Some(priority) {
            let label = if priority == 0 {
                "No priority".to_owned()
            } else {
                priorities
                    .iter()
                    .find(|d| d.def_num == priority)
                    .map(|d| d.item_name.clone())
                    .unwrap_or_else(|| row.attach.priority_label.clone())
            };
            groups.push(PriorityGroup {
                priority,
                label,
                rows: Vec::new(),
                subtotal_cents: 0,
            });
        }
        let group = groups.last_mut().expect("a group was just pushed");
        group.subtotal_cents += row.fee_cents();
        group.rows.push(row.clone());
    }
    groups
}

/// Teeth sort numerically (1–32), then primary letters (A–T), then the rest; none first.
fn tooth_sort_key(tooth: &str) -> (u8, u32) {
    let tooth = tooth.trim();
    if tooth.is_empty() {
        (0, 0)
    } else if let Ok(n) = tooth.parse::<u32>() {
        (1, n)
    } else if let Some(c) = tooth.chars().next().filter(|c| c.is_ascii_uppercase()) {
        (2, c as u32)
    } else {
        (3, 0)
    }
}

/// Total of a plan's rows.
pub fn total_cents(groups: &[PriorityGroup]) -> i64 {
    groups.iter().map(|g| g.subtotal_cents).sum()
}

/// The patient's treatment-planned procedures not yet on this plan, for "Attach". An Inactive
/// plan may also hold "Treatment Planned Inactive" (TPi) procedures (manual-treatmentplan.md).
pub fn attachable<'a>(
    procedures: &'a [PlanProcedure],
    attaches: &[TreatPlanAttach],
    plan_status: &TpStatus,
) -> Vec<&'a PlanProcedure> {
    let attached: std::collections::HashSet<i64> = attaches.iter().map(|a| a.proc_num).collect();
    let allowed = plan_status.attachable_proc_statuses();
    procedures
        .iter()
        .filter(|p| allowed.contains(&p.proc_status.as_str()) && !attached.contains(&p.proc_num))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(def_num: i64, name: &str) -> Definition {
        Definition {
            def_num,
            item_name: name.into(),
            category: 20,
            ..Default::default()
        }
    }

    fn proc(proc_num: i64, fee: f64, date: &str, tooth: &str) -> PlanProcedure {
        PlanProcedure {
            proc_num,
            proc_fee: fee,
            date_tp: date.into(),
            tooth_num: tooth.into(),
            proc_status: "TP".into(),
            ..Default::default()
        }
    }

    fn attach(num: i64, proc_num: i64, priority: i64, label: &str) -> TreatPlanAttach {
        TreatPlanAttach {
            treat_plan_attach_num: num,
            treat_plan_num: 1,
            proc_num,
            priority,
            priority_label: label.into(),
        }
    }

    /// Priorities whose DefNums are not in display order, as in a real office.
    fn priorities() -> Vec<Definition> {
        vec![
            def(151, "1"),
            def(152, "2"),
            def(148, "Wait"),
            def(149, "Low"),
            def(159, "Recmend"),
        ]
    }

    #[test]
    fn groups_in_definition_order_with_none_first_and_exact_subtotals() {
        let procs = vec![
            proc(1, 100.10, "2024-01-01", "3"),
            proc(2, 200.20, "2024-01-01", "14"),
            proc(3, 0.10, "2024-01-02", ""),
            proc(4, 0.20, "2024-01-01", "2"),
            proc(5, 55.0, "2024-01-01", "A"),
        ];
        let attaches = vec![
            attach(10, 1, 148, "Wait"),
            attach(11, 2, 151, "1"),
            attach(12, 3, 148, "Wait"),
            attach(13, 4, 0, ""),
            attach(14, 5, 151, "1"),
        ];
        let groups = group_by_priority(&join_attaches(&attaches, &procs), &priorities());
        let shape: Vec<(&str, Vec<i64>, i64)> = groups
            .iter()
            .map(|g| {
                (
                    g.label.as_str(),
                    g.rows.iter().map(|r| r.attach.proc_num).collect(),
                    g.subtotal_cents,
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                ("No priority", vec![4], 20),
                ("1", vec![2, 5], 25520),
                ("Wait", vec![1, 3], 10020)
            ]
        );
        assert_eq!(total_cents(&groups), 35560);
    }

    #[test]
    fn unknown_priorities_come_last_under_the_servers_label_and_missing_procedures_cost_nothing() {
        let groups = group_by_priority(
            &join_attaches(&[attach(1, 99, 777, "Old"), attach(2, 98, 159, "Recmend")], &[]),
            &priorities(),
        );
        assert_eq!(
            groups.iter().map(|g| g.label.as_str()).collect::<Vec<_>>(),
            vec!["Recmend", "Old"]
        );
        assert!(groups
            .iter()
            .all(|g| g.subtotal_cents == 0 && g.rows[0].procedure.is_none()));
    }

    #[test]
    fn attachable_is_tp_procedures_not_on_the_plan_and_tpi_too_on_inactive_plans() {
        let mut done = proc(3, 1.0, "", "");
        done.proc_status = "C".into();
        let mut inactive = proc(4, 1.0, "", "");
        inactive.proc_status = "TPi".into();
        let procs = vec![proc(1, 1.0, "", ""), proc(2, 1.0, "", ""), done, inactive];
        let nums = |status: TpStatus| -> Vec<i64> {
            attachable(&procs, &[attach(1, 1, 0, "")], &status)
                .iter()
                .map(|p| p.proc_num)
                .collect()
        };
        assert_eq!(nums(TpStatus::Active), vec![2]);
        assert_eq!(nums(TpStatus::Inactive), vec![2, 4]);
    }

    #[test]
    fn plan_status_is_typed_and_an_unknown_one_is_kept_as_sent() {
        for status in TpStatus::KNOWN {
            let json = serde_json::to_value(&status).unwrap();
            assert_eq!(json, status.as_str());
            assert_eq!(serde_json::from_value::<TpStatus>(json).unwrap(), status);
        }
        let odd: TpStatus = serde_json::from_str("\"Archived\"").unwrap();
        assert_eq!(odd, TpStatus::Other("Archived".into()));
        assert_eq!(serde_json::to_value(&odd).unwrap(), "Archived");
        assert!(!odd.uses_attaches() && !TpStatus::Saved.uses_attaches());
        assert!(TpStatus::Active.uses_attaches() && TpStatus::Inactive.uses_attaches());
        assert_eq!(TreatPlan::default().tp_status.as_str(), "");
    }

    #[test]
    fn money_formats_with_thousands() {
        assert_eq!(format_money(123456789), "1,234,567.89");
        assert_eq!(format_money(5), "0.05");
        assert_eq!(format_money(-100000), "-1,000.00");
        assert_eq!(cents(0.1 + 0.2), 30);
    }

    #[test]
    fn reads_the_documented_examples() {
        let a: Vec<TreatPlanAttach> = serde_json::from_str(
            r#"[{"TreatPlanAttachNum": 3211, "TreatPlanNum": 1845, "ProcNum": 1977, "Priority": 151, "priority": "1"},
                {"TreatPlanAttachNum": 3234, "TreatPlanNum": 1845, "ProcNum": 11005, "Priority": 0, "priority": ""}]"#,
        )
        .unwrap();
        assert_eq!(
            (a[0].priority, a[0].priority_label.as_str(), a[1].priority),
            (151, "1", 0)
        );

        let sample = r#"{"ProcNum": 20, "PatNum": 12, "ProcFee": "130.00", "Surf": "MODL", "ToothNum": "4",
                "Priority": 0, "priority": "", "ProcStatus": "C", "procCode": "D0120",
                "descript": "periodic oral evaluation - established patient", "HideGraphics": "false",
                "IsLocked": "false", "Discount": 0.0, "DateTP": "2022-04-17"}"#;
        let p: ProcedureLog = serde_json::from_str(sample).unwrap();
        // The plan screen's lean reading of the same record agrees on every field it keeps.
        let lean: PlanProcedure = serde_json::from_str(sample).unwrap();
        assert_eq!(
            lean,
            PlanProcedure {
                proc_num: p.proc_num,
                proc_fee: p.proc_fee,
                surf: p.surf.clone(),
                tooth_num: p.tooth_num.clone(),
                proc_status: p.proc_status.clone(),
                proc_code: p.proc_code.clone(),
                descript: p.descript.clone(),
                date_tp: p.date_tp.clone(),
            }
        );
        assert_eq!((lean.proc_num, lean.proc_code.as_str()), (20, "D0120"));
        assert_eq!(
            (p.proc_fee, p.proc_code.as_str(), p.tooth_num.as_str()),
            (130.0, "D0120", "4")
        );
        let back = serde_json::to_value(&p).unwrap();
        assert_eq!(back["ProcFee"], "130.00");
        assert_eq!(back["IsLocked"], "false");
        assert_eq!(back["procCode"], "D0120");

        let tp: TreatPlan = serde_json::from_str(
            r#"{"TreatPlanNum": 1786, "PatNum": 1897, "DateTP": "0001-01-01", "Heading": "Active Treatment Plan",
                "TPStatus": "Active", "SigIsTopaz": "false", "isSigned": "false", "isSignedPractice": "false",
                "SecDateTEdit": "2022-07-02 09:39:54", "DateTSigned": "0001-01-01 00:00:00"}"#,
        )
        .unwrap();
        assert!(tp.uses_attaches());
        assert_eq!(tp.tp_status, TpStatus::Active);
        assert_eq!(serde_json::to_value(&tp).unwrap()["TPStatus"], "Active");

        let ptp: ProcTp = serde_json::from_str(
            r#"{"ProcTPNum": 976, "TreatPlanNum": 963, "ToothNumTP": "13", "Surf": "MOD", "ProcCode": "D2393",
                "FeeAmt": 204.0, "PriInsAmt": 80.0, "PatAmt": 70.0, "Discount": 54.0, "CatPercUCR": 204.0}"#,
        )
        .unwrap();
        assert_eq!(
            (ptp.proc_tp_num, ptp.tooth_num_tp.as_str(), ptp.pat_amt),
            (976, "13", 70.0)
        );
        assert_eq!(serde_json::to_value(&ptp).unwrap()["ProcTPNum"], 976);
    }
}

//! Demo treatment: procedures with real CDT codes and the office's fees, Active, Inactive and
//! Saved plans told as one story per patient, priorities spread like a real office's, and one
//! plan of 200 procedures for performance work.
//!
//! Jane Smith (1) had an exam, a cleaning and a filling planned in February, saved and signed
//! with a crown on 14, and done in March (the crown is still to do). Her Active plan holds
//! the crown and more, her Inactive plan the root canal and crown on 19 she declined in favour
//! of a filling (TPi procedures), and two procedures charted in October are on no plan yet.

use super::definitions::{PRIORITY_1, PRIORITY_2, PRIORITY_3, PRIORITY_LOW, PRIORITY_RECMEND, PRIORITY_WAIT};
use super::patients::{DANGELO_MARIA, MULLER_ZOE, OBRIEN_SEAN, SMITH_JANE, SMITH_JOHN};
use super::providers::{DOC1, DOC2, HYG1};
use super::Rng;
use crate::db::{SeedContext, Table};
use crate::BoxError;
use rusqlite::Transaction;

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

/// The treatment schema and demo data, seeded once under this name.
pub const TABLE: Table = Table {
    name: "treatment",
    schema: SCHEMA,
    seed,
};

pub const JANE_ACTIVE_PLAN: i64 = 101;
pub const JANE_INACTIVE_PLAN: i64 = 102;
pub const JANE_SAVED_PLAN: i64 = 103;
pub const JANE_ACTIVE_PLAN_SIZE: usize = 8;
pub const JANE_INACTIVE_PLAN_SIZE: usize = 3;
pub const JANE_SAVED_PLAN_SIZE: usize = 5;
/// Jane's treatment-planned (TP) procedures on no plan, to attach from the app.
pub const JANE_UNATTACHED: [i64; 2] = [1012, 1013];
/// Jane's completed (C) procedures, which no plan may take.
pub const JANE_COMPLETED: [i64; 3] = [1001, 1002, 1003];
/// Jane's TPi procedures, on her Inactive plan only.
pub const JANE_INACTIVE_PROCEDURES: [i64; 3] = [1014, 1015, 1016];
/// Smith, John's Active plan, and his treatment-planned procedures: the plan's 200 and one
/// on no plan.
pub const JOHN_BIG_PLAN: i64 = 201;
pub const JOHN_BIG_PLAN_SIZE: usize = 200;
pub const JOHN_TP_PROCEDURES: usize = 201;
pub const SEAN_ACTIVE_PLAN: i64 = 301;
pub const SEAN_SAVED_PLAN: i64 = 302;
pub const MARIA_ACTIVE_PLAN: i64 = 401;
pub const ZOE_ACTIVE_PLAN: i64 = 501;

/// Open Dental's default treatment plan note (the TreatmentPlanNote preference).
const NOTE: &str = "If you have dental insurance, please be aware that THIS IS AN ESTIMATE ONLY. Coverage may be \
                    different if your deductible has not been met, annual maximum has been met, or if your coverage \
                    table is lower than average.";

/// The demo fee schedule: (CDT code, description, abbreviation, fee in cents). CodeNum is
/// the position plus one.
const CODES: [(&str, &str, &str, i64); 14] = [
    ("D0120", "periodic oral evaluation - established patient", "PerEx", 6500),
    ("D1110", "prophylaxis - adult", "Pro", 9800),
    ("D0274", "bitewings - four radiographic images", "4BW", 7200),
    ("D0220", "intraoral - periapical first radiographic image", "PA", 3100),
    (
        "D2391",
        "resin-based composite - one surface, posterior",
        "C1(P)",
        16500,
    ),
    (
        "D2392",
        "resin-based composite - two surfaces, posterior",
        "C2(P)",
        21500,
    ),
    (
        "D2393",
        "resin-based composite - three surfaces, posterior",
        "C3(P)",
        26400,
    ),
    ("D2740", "crown - porcelain/ceramic", "CrPorc", 125000),
    ("D2750", "crown - porcelain fused to high noble metal", "PFM", 115000),
    ("D2950", "core buildup, including any pins when required", "BU", 28500),
    (
        "D3330",
        "endodontic therapy, molar tooth (excluding final restoration)",
        "RCTMolar",
        115000,
    ),
    (
        "D4341",
        "periodontal scaling and root planing - four or more teeth per quadrant",
        "SRP",
        24500,
    ),
    ("D7140", "extraction, erupted tooth or exposed root", "Ext", 19500),
    (
        "D6010",
        "surgical placement of implant body: endosteal implant",
        "Impl",
        210000,
    ),
];

fn code(cdt: &str) -> (i64, &'static str, &'static str, i64) {
    let i = CODES
        .iter()
        .position(|c| c.0 == cdt)
        .unwrap_or_else(|| panic!("{cdt} is not in the demo fee schedule"));
    (i as i64 + 1, CODES[i].1, CODES[i].2, CODES[i].3)
}

/// Hygienists do cleanings, periodontal scaling and radiographs; the dentist the rest.
fn provider_for(cdt: &str, dentist: i64) -> i64 {
    match cdt {
        "D1110" | "D4341" | "D0274" => HYG1,
        _ => dentist,
    }
}

/// One procedurelog row. `tooth` is a tooth number; quadrant codes (D4341) name their
/// quadrant in `surf`, as Open Dental stores them.
#[derive(Clone, Copy)]
struct Procedure {
    pat_num: i64,
    cdt: &'static str,
    tooth: &'static str,
    surf: &'static str,
    status: &'static str,
    /// When it was treatment-planned (DateTP).
    planned: &'static str,
    /// When it was completed, for "C".
    completed: Option<&'static str>,
}

/// Procedures numbered from 1001 in the order they are added.
struct Procedures {
    rows: Vec<Procedure>,
}

impl Procedures {
    const FIRST: i64 = 1001;

    fn add(&mut self, pat_num: i64, status: &'static str, planned: &'static str, (cdt, tooth, surf): Item) -> i64 {
        self.rows.push(Procedure {
            pat_num,
            cdt,
            tooth,
            surf,
            status,
            planned,
            completed: None,
        });
        Self::FIRST + self.rows.len() as i64 - 1
    }

    fn add_completed(&mut self, pat_num: i64, planned: &'static str, completed: &'static str, item: Item) -> i64 {
        let num = self.add(pat_num, "C", planned, item);
        self.rows.last_mut().expect("just added").completed = Some(completed);
        num
    }

    fn get(&self, proc_num: i64) -> &Procedure {
        &self.rows[(proc_num - Self::FIRST) as usize]
    }
}

/// (CDT code, tooth, surface or quadrant).
type Item = (&'static str, &'static str, &'static str);

struct Plan {
    num: i64,
    pat_num: i64,
    status: &'static str,
    heading: &'static str,
    /// SecDateEntry, and for a Saved plan its DateTP.
    entered: &'static str,
    signed_by: Option<&'static str>,
    /// (ProcNum, Priority) on an Active or Inactive plan.
    attaches: Vec<(i64, i64)>,
    /// (ProcNum, Priority) copied into a Saved plan, in ItemOrder.
    copies: Vec<(i64, i64)>,
    /// Secondary insurance pays half of what the primary leaves.
    secondary: bool,
}

pub fn seed(ctx: &SeedContext) -> Result<(), BoxError> {
    let mut procs = Procedures { rows: Vec::new() };
    let mut plans = Vec::new();

    // Jane. ProcNums 1001-1003 done, 1004-1011 Active, 1012-1013 on no plan, 1014-1016 TPi.
    let (feb, mar, sep, oct, jun) = ("2025-02-18", "2025-03-11", "2025-09-02", "2025-10-14", "2025-06-20");
    let exam = procs.add_completed(SMITH_JANE, feb, mar, ("D0120", "", ""));
    let cleaning = procs.add_completed(SMITH_JANE, feb, mar, ("D1110", "", ""));
    let filling = procs.add_completed(SMITH_JANE, feb, mar, ("D2391", "13", "O"));
    let buildup = procs.add(SMITH_JANE, "TP", feb, ("D2950", "14", ""));
    let crown = procs.add(SMITH_JANE, "TP", feb, ("D2740", "14", ""));
    let mut jane_active = vec![(buildup, PRIORITY_1), (crown, PRIORITY_1)];
    for (item, priority) in [
        (("D2392", "3", "MO"), PRIORITY_1),
        (("D2392", "19", "DO"), PRIORITY_2),
        (("D2391", "30", "O"), PRIORITY_2),
        (("D4341", "", "UR"), PRIORITY_WAIT),
        (("D7140", "1", ""), PRIORITY_RECMEND),
        (("D1110", "", ""), 0),
    ] {
        jane_active.push((procs.add(SMITH_JANE, "TP", sep, item), priority));
    }
    let unattached = [
        procs.add(SMITH_JANE, "TP", oct, ("D2392", "4", "DO")),
        procs.add(SMITH_JANE, "TP", oct, ("D0220", "31", "")),
    ];
    assert_eq!(unattached, JANE_UNATTACHED);
    assert_eq!([exam, cleaning, filling], JANE_COMPLETED);
    let declined: Vec<i64> = [("D3330", "19", ""), ("D2950", "19", ""), ("D2750", "19", "")]
        .into_iter()
        .map(|item| procs.add(SMITH_JANE, "TPi", jun, item))
        .collect();
    assert_eq!(declined, JANE_INACTIVE_PROCEDURES);
    plans.push(Plan {
        num: JANE_ACTIVE_PLAN,
        pat_num: SMITH_JANE,
        status: "Active",
        heading: "Active Treatment Plan",
        entered: feb,
        signed_by: None,
        attaches: jane_active,
        copies: Vec::new(),
        secondary: true,
    });
    plans.push(Plan {
        num: JANE_INACTIVE_PLAN,
        pat_num: SMITH_JANE,
        status: "Inactive",
        heading: "Inactive Treatment Plan",
        entered: jun,
        signed_by: None,
        attaches: declined.iter().map(|&p| (p, PRIORITY_2)).collect(),
        copies: Vec::new(),
        secondary: true,
    });
    plans.push(Plan {
        num: JANE_SAVED_PLAN,
        pat_num: SMITH_JANE,
        status: "Saved",
        heading: "Saved Treatment Plan",
        entered: feb,
        signed_by: Some("Jane Smith"),
        attaches: Vec::new(),
        copies: vec![
            (exam, 0),
            (cleaning, 0),
            (filling, PRIORITY_1),
            (buildup, PRIORITY_1),
            (crown, PRIORITY_1),
        ],
        secondary: true,
    });

    // John: 200 on one plan with every priority, then one on no plan.
    let spread = [
        0,
        PRIORITY_1,
        PRIORITY_2,
        PRIORITY_3,
        PRIORITY_WAIT,
        PRIORITY_LOW,
        PRIORITY_RECMEND,
    ];
    const TEETH: [&str; 12] = ["2", "3", "4", "5", "12", "13", "14", "15", "18", "19", "30", "31"];
    const DATES: [&str; 4] = ["2025-01-07", "2025-02-04", "2025-04-15", "2025-05-20"];
    const ITEMS: [Item; 10] = [
        ("D2391", "", "O"),
        ("D2391", "", "M"),
        ("D2392", "", "MO"),
        ("D2392", "", "DO"),
        ("D2393", "", "MOD"),
        ("D2740", "", ""),
        ("D2750", "", ""),
        ("D2950", "", ""),
        ("D3330", "", ""),
        ("D7140", "", ""),
    ];
    let mut rng = Rng::new(20);
    let mut john_plan = Vec::new();
    for i in 0..JOHN_BIG_PLAN_SIZE {
        let (cdt, _, surf) = rng.pick(&ITEMS);
        let item = (cdt, TEETH[i % TEETH.len()], surf);
        let proc_num = procs.add(SMITH_JOHN, "TP", DATES[i * DATES.len() / JOHN_BIG_PLAN_SIZE], item);
        john_plan.push((proc_num, spread[i % spread.len()]));
    }
    procs.add(SMITH_JOHN, "TP", "2025-11-03", ("D4341", "", "LL"));
    plans.push(Plan {
        num: JOHN_BIG_PLAN,
        pat_num: SMITH_JOHN,
        status: "Active",
        heading: "Active Treatment Plan",
        entered: DATES[0],
        signed_by: None,
        attaches: john_plan,
        copies: Vec::new(),
        secondary: false,
    });

    // Seán: a root canal and crown on 18 to do; a Saved plan from last winter, all done.
    let (nov, dec, aug) = ("2024-11-18", "2024-12-02", "2025-08-08");
    let sean_done: Vec<i64> = [("D0120", "", ""), ("D0274", "", ""), ("D2392", "12", "MO")]
        .into_iter()
        .map(|item| procs.add_completed(OBRIEN_SEAN, nov, dec, item))
        .collect();
    let sean_active = [
        (("D3330", "18", ""), PRIORITY_1),
        (("D2950", "18", ""), PRIORITY_1),
        (("D2750", "18", ""), PRIORITY_1),
        (("D1110", "", ""), PRIORITY_LOW),
    ]
    .into_iter()
    .map(|(item, priority)| (procs.add(OBRIEN_SEAN, "TP", aug, item), priority))
    .collect();
    plans.push(Plan {
        num: SEAN_ACTIVE_PLAN,
        pat_num: OBRIEN_SEAN,
        status: "Active",
        heading: "Active Treatment Plan",
        entered: nov,
        signed_by: None,
        attaches: sean_active,
        copies: Vec::new(),
        secondary: false,
    });
    plans.push(Plan {
        num: SEAN_SAVED_PLAN,
        pat_num: OBRIEN_SEAN,
        status: "Saved",
        heading: "Saved Treatment Plan",
        entered: nov,
        signed_by: None,
        attaches: Vec::new(),
        copies: sean_done.iter().map(|&p| (p, 0)).collect(),
        secondary: false,
    });

    // Maria and Zoë: small Active plans.
    for (num, pat_num, planned, items) in [
        (
            MARIA_ACTIVE_PLAN,
            DANGELO_MARIA,
            "2025-07-01",
            vec![(("D2392", "3", "MO"), PRIORITY_1), (("D1110", "", ""), 0)],
        ),
        (
            ZOE_ACTIVE_PLAN,
            MULLER_ZOE,
            "2025-05-12",
            vec![
                (("D0220", "32", ""), 0),
                (("D7140", "32", ""), PRIORITY_1),
                (("D0120", "", ""), 0),
            ],
        ),
    ] {
        let attaches = items
            .into_iter()
            .map(|(item, priority)| (procs.add(pat_num, "TP", planned, item), priority))
            .collect();
        plans.push(Plan {
            num,
            pat_num,
            status: "Active",
            heading: "Active Treatment Plan",
            entered: planned,
            signed_by: None,
            attaches,
            copies: Vec::new(),
            secondary: false,
        });
    }

    insert_codes(ctx.tx)?;
    insert_procedures(ctx.tx, &procs)?;
    insert_plans(ctx.tx, &procs, &plans)?;
    Ok(())
}

fn insert_codes(tx: &Transaction) -> rusqlite::Result<()> {
    let mut insert =
        tx.prepare("INSERT INTO procedurecode (CodeNum, ProcCode, Descript, AbbrDesc) VALUES (?1, ?2, ?3, ?4)")?;
    for (i, (cdt, descript, abbr, _)) in CODES.iter().enumerate() {
        insert.execute(rusqlite::params![i as i64 + 1, cdt, descript, abbr])?;
    }
    Ok(())
}

fn insert_procedures(tx: &Transaction, procs: &Procedures) -> rusqlite::Result<()> {
    let mut insert = tx.prepare(
        "INSERT INTO procedurelog (ProcNum, PatNum, ProcDate, ProcFee, Surf, ToothNum, ProcStatus, ProvNum, CodeNum,
             DateTP, DateEntryC, DateTStamp, SecDateEntry)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    for (i, p) in procs.rows.iter().enumerate() {
        let (code_num, _, _, fee) = code(p.cdt);
        let dentist = if p.pat_num == OBRIEN_SEAN { DOC2 } else { DOC1 };
        // A planned procedure's date is the day it was charted; a completed one's the day
        // it was done, which is also when it was last edited.
        let (proc_date, entry_c, stamp) = match p.completed {
            Some(done) => (done, done, format!("{done} 16:45:12")),
            None => (p.planned, "0001-01-01", format!("{} 09:30:00", p.planned)),
        };
        insert.execute(rusqlite::params![
            Procedures::FIRST + i as i64,
            p.pat_num,
            proc_date,
            fee as f64 / 100.0,
            p.surf,
            p.tooth,
            p.status,
            provider_for(p.cdt, dentist),
            code_num,
            p.planned,
            entry_c,
            stamp,
            format!("{} 09:30:00", p.planned),
        ])?;
    }
    Ok(())
}

fn insert_plans(tx: &Transaction, procs: &Procedures, plans: &[Plan]) -> rusqlite::Result<()> {
    let mut insert_plan = tx.prepare(
        "INSERT INTO treatplan (TreatPlanNum, PatNum, DateTP, Heading, Note, TPStatus, SecUserNumEntry, SecDateEntry,
             SecDateTEdit, DateTSigned, SignatureText, IsSigned)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?8, ?9, ?10, ?11)",
    )?;
    let mut insert_attach =
        tx.prepare("INSERT INTO treatplanattach (TreatPlanNum, ProcNum, Priority) VALUES (?1, ?2, ?3)")?;
    let mut insert_copy = tx.prepare(
        "INSERT INTO proctp (TreatPlanNum, PatNum, ProcNumOrig, ItemOrder, Priority, ToothNumTP, Surf, ProcCode,
             Descript, FeeAmt, PriInsAmt, SecInsAmt, PatAmt, Discount, ProcAbbr, SecUserNumEntry, SecDateEntry,
             SecDateTEdit, ProvNum, DateTP)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 1, ?16, ?17, ?18, ?16)",
    )?;
    for plan in plans {
        let saved = plan.status == "Saved";
        insert_plan.execute(rusqlite::params![
            plan.num,
            plan.pat_num,
            if saved { plan.entered } else { "0001-01-01" },
            plan.heading,
            NOTE,
            plan.status,
            plan.entered,
            format!("{} 10:15:00", plan.entered),
            match plan.signed_by {
                Some(_) => format!("{} 10:20:00", plan.entered),
                None => "0001-01-01 00:00:00".to_owned(),
            },
            plan.signed_by.unwrap_or(""),
            plan.signed_by.is_some(),
        ])?;
        for &(proc_num, priority) in &plan.attaches {
            let p = procs.get(proc_num);
            assert_eq!(p.pat_num, plan.pat_num, "an attach must be the plan's patient's");
            insert_attach.execute([plan.num, proc_num, priority])?;
        }
        for (order, &(proc_num, priority)) in plan.copies.iter().enumerate() {
            let p = procs.get(proc_num);
            let (_, descript, abbr, fee) = code(p.cdt);
            let estimate = Estimate::of(p.cdt, fee, plan.secondary);
            let dentist = if p.pat_num == OBRIEN_SEAN { DOC2 } else { DOC1 };
            insert_copy.execute(rusqlite::params![
                plan.num,
                plan.pat_num,
                proc_num,
                order as i64,
                priority,
                p.tooth,
                p.surf,
                p.cdt,
                descript,
                fee as f64 / 100.0,
                estimate.primary as f64 / 100.0,
                estimate.secondary as f64 / 100.0,
                estimate.patient as f64 / 100.0,
                estimate.discount as f64 / 100.0,
                abbr,
                plan.entered,
                format!("{} 10:15:00", plan.entered),
                provider_for(p.cdt, dentist),
            ])?;
        }
    }
    Ok(())
}

/// A Saved plan's estimate of one procedure, in cents, adding up:
/// fee = primary + secondary + discount + patient.
#[derive(Debug, PartialEq)]
struct Estimate {
    primary: i64,
    secondary: i64,
    discount: i64,
    patient: i64,
}

impl Estimate {
    /// The usual 100/80/50 plan: diagnostic and preventive in full, basic at 80%, major
    /// (crowns, buildups, implants) at 50%, where the office takes 5% off the fee.
    fn of(cdt: &str, fee: i64, secondary: bool) -> Estimate {
        let major = cdt.starts_with("D27") || cdt == "D2950" || cdt.starts_with("D6");
        let percent = if cdt.starts_with("D0") || cdt.starts_with("D1") {
            100
        } else if major {
            50
        } else {
            80
        };
        let discount = if major { fee * 5 / 100 } else { 0 };
        let primary = (fee - discount) * percent / 100;
        let secondary = if secondary { (fee - discount - primary) / 2 } else { 0 };
        Estimate {
            primary,
            secondary,
            discount,
            patient: fee - discount - primary - secondary,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_add_up_to_the_fee() {
        assert_eq!(
            Estimate::of("D2740", 125000, true),
            Estimate {
                primary: 59375,
                secondary: 29687,
                discount: 6250,
                patient: 29688
            }
        );
        assert_eq!(Estimate::of("D0120", 6500, true).patient, 0);
        for (cdt, _, _, fee) in CODES {
            for secondary in [false, true] {
                let e = Estimate::of(cdt, fee, secondary);
                assert_eq!(e.primary + e.secondary + e.discount + e.patient, fee, "{cdt}");
                assert!(e.patient >= 0 && e.secondary >= 0);
            }
        }
    }

    #[test]
    fn every_code_is_in_the_fee_schedule() {
        assert_eq!(
            code("D0120"),
            (1, "periodic oral evaluation - established patient", "PerEx", 6500)
        );
        assert_eq!(code("D6010").0, CODES.len() as i64);
        assert_eq!(provider_for("D4341", DOC2), HYG1);
        assert_eq!(provider_for("D2740", DOC2), DOC2);
    }
}

//! Demo treatment plans: procedures with real CDT codes and fees, Active, Inactive and Saved
//! plans, priorities spread like a real office's, and one plan of 200 procedures for
//! performance work.

use crate::db::SeedContext;
use crate::seed::definitions::{PRIORITY_1, PRIORITY_2, PRIORITY_3, PRIORITY_LOW, PRIORITY_RECMEND, PRIORITY_WAIT};
use crate::seed::Rng;
use crate::BoxError;

/// Smith, Jane's plans.
pub const JANE_ACTIVE_PLAN: i64 = 101;
pub const JANE_INACTIVE_PLAN: i64 = 102;
pub const JANE_SAVED_PLAN: i64 = 103;
/// Jane's treatment-planned procedures on no plan, to attach from the app.
pub const JANE_UNATTACHED: [i64; 2] = [1009, 1010];
/// Smith, John's Active plan with 200 procedures.
pub const JOHN_BIG_PLAN: i64 = 201;
pub const JOHN_BIG_PLAN_SIZE: usize = 200;
pub const SEAN_ACTIVE_PLAN: i64 = 301;
pub const SEAN_SAVED_PLAN: i64 = 302;

/// A procedure code of the demo fee schedule; `CODES[n - 1]` has CodeNum n.
struct Code {
    num: i64,
    code: &'static str,
    descript: &'static str,
    abbr: &'static str,
    fee: f64,
    needs_tooth: bool,
    /// Surfaces (or quadrants) to spread over; "" for none.
    surfaces: &'static [&'static str],
}

const CODES: [Code; 14] = [
    Code {
        num: 1,
        code: "D0120",
        descript: "periodic oral evaluation - established patient",
        abbr: "PerEx",
        fee: 65.0,
        needs_tooth: false,
        surfaces: &[""],
    },
    Code {
        num: 2,
        code: "D1110",
        descript: "prophylaxis - adult",
        abbr: "Pro",
        fee: 98.0,
        needs_tooth: false,
        surfaces: &[""],
    },
    Code {
        num: 3,
        code: "D0274",
        descript: "bitewings - four radiographic images",
        abbr: "4BW",
        fee: 72.0,
        needs_tooth: false,
        surfaces: &[""],
    },
    Code {
        num: 4,
        code: "D2391",
        descript: "resin-based composite - one surface, posterior",
        abbr: "C1(P)",
        fee: 165.0,
        needs_tooth: true,
        surfaces: &["O", "M", "D"],
    },
    Code {
        num: 5,
        code: "D2392",
        descript: "resin-based composite - two surfaces, posterior",
        abbr: "C2(P)",
        fee: 215.0,
        needs_tooth: true,
        surfaces: &["MO", "DO", "OL"],
    },
    Code {
        num: 6,
        code: "D2393",
        descript: "resin-based composite - three surfaces, posterior",
        abbr: "C3(P)",
        fee: 264.0,
        needs_tooth: true,
        surfaces: &["MOD", "MOL"],
    },
    Code {
        num: 7,
        code: "D2740",
        descript: "crown - porcelain/ceramic",
        abbr: "CrPorc",
        fee: 1250.0,
        needs_tooth: true,
        surfaces: &[""],
    },
    Code {
        num: 8,
        code: "D2750",
        descript: "crown - porcelain fused to high noble metal",
        abbr: "PFM",
        fee: 1150.0,
        needs_tooth: true,
        surfaces: &[""],
    },
    Code {
        num: 9,
        code: "D2950",
        descript: "core buildup, including any pins when required",
        abbr: "BU",
        fee: 285.0,
        needs_tooth: true,
        surfaces: &[""],
    },
    Code {
        num: 10,
        code: "D3330",
        descript: "endodontic therapy, molar tooth (excluding final restoration)",
        abbr: "RCTMolar",
        fee: 1150.0,
        needs_tooth: true,
        surfaces: &[""],
    },
    Code {
        num: 11,
        code: "D4341",
        descript: "periodontal scaling and root planing - four or more teeth per quadrant",
        abbr: "SRP",
        fee: 245.0,
        needs_tooth: false,
        surfaces: &["UR", "UL", "LR", "LL"],
    },
    Code {
        num: 12,
        code: "D7140",
        descript: "extraction, erupted tooth or exposed root",
        abbr: "Ext",
        fee: 195.0,
        needs_tooth: true,
        surfaces: &[""],
    },
    Code {
        num: 13,
        code: "D6010",
        descript: "surgical placement of implant body: endosteal implant",
        abbr: "Impl",
        fee: 2100.0,
        needs_tooth: true,
        surfaces: &[""],
    },
    Code {
        num: 14,
        code: "D0220",
        descript: "intraoral - periapical first radiographic image",
        abbr: "PA",
        fee: 31.0,
        needs_tooth: true,
        surfaces: &[""],
    },
];

const POSTERIOR_TEETH: [&str; 12] = ["2", "3", "4", "5", "12", "13", "14", "15", "18", "19", "30", "31"];

struct Procedure {
    proc_num: i64,
    pat_num: i64,
    code: usize,
    tooth: &'static str,
    surf: &'static str,
    status: &'static str,
    date: String,
}

pub fn seed(ctx: &SeedContext) -> Result<(), BoxError> {
    let tx = ctx.tx;
    let mut rng = Rng::new(20);
    let mut next_proc = 1001;
    let mut procedure =
        |pat_num: i64, code: usize, tooth: &'static str, surf: &'static str, status: &'static str, date: &str| {
            let p = Procedure {
                proc_num: next_proc,
                pat_num,
                code,
                tooth,
                surf,
                status,
                date: date.to_owned(),
            };
            next_proc += 1;
            p
        };

    // Jane: 8 on the Active plan, 2 treatment-planned but on no plan, 3 on the Inactive plan,
    // and 3 done already.
    let jane_active = [
        procedure(1, 5, "3", "MO", "TP", "2025-09-02"),
        procedure(1, 9, "14", "", "TP", "2025-09-02"),
        procedure(1, 7, "14", "", "TP", "2025-09-02"),
        procedure(1, 5, "19", "DO", "TP", "2025-09-02"),
        procedure(1, 4, "30", "O", "TP", "2025-09-02"),
        procedure(1, 11, "", "UR", "TP", "2025-09-02"),
        procedure(1, 12, "1", "", "TP", "2025-09-02"),
        procedure(1, 2, "", "", "TP", "2025-09-02"),
    ];
    let jane_priorities = [
        PRIORITY_1,
        PRIORITY_1,
        PRIORITY_1,
        PRIORITY_2,
        PRIORITY_2,
        PRIORITY_WAIT,
        PRIORITY_RECMEND,
        0,
    ];
    let jane_unattached = vec![
        procedure(1, 5, "4", "DO", "TP", "2025-10-14"),
        procedure(1, 14, "31", "", "TP", "2025-10-14"),
    ];
    let jane_inactive = vec![
        procedure(1, 13, "19", "", "TP", "2025-06-20"),
        procedure(1, 10, "19", "", "TP", "2025-06-20"),
        procedure(1, 8, "19", "", "TP", "2025-06-20"),
    ];
    let jane_done = vec![
        procedure(1, 1, "", "", "C", "2025-03-11"),
        procedure(1, 2, "", "", "C", "2025-03-11"),
        procedure(1, 4, "13", "O", "C", "2025-03-11"),
    ];
    debug_assert_eq!(
        jane_unattached.iter().map(|p| p.proc_num).collect::<Vec<_>>(),
        JANE_UNATTACHED
    );

    // John: 200 on one plan, priorities spread over all of them, plus 1 on no plan.
    let spread = [
        0,
        PRIORITY_1,
        PRIORITY_2,
        PRIORITY_3,
        PRIORITY_WAIT,
        PRIORITY_LOW,
        PRIORITY_RECMEND,
    ];
    let mut john_big = Vec::new();
    let mut john_priorities = Vec::new();
    for i in 0..JOHN_BIG_PLAN_SIZE {
        let code = 3 + (rng.next_u64() % 10) as usize;
        let tooth = POSTERIOR_TEETH[i % POSTERIOR_TEETH.len()];
        let c = &CODES[code - 1];
        let surf = c.surfaces[i % c.surfaces.len()];
        let tooth = if c.needs_tooth { tooth } else { "" };
        john_big.push(procedure(
            2,
            code,
            tooth,
            surf,
            "TP",
            &format!("2025-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
        ));
        john_priorities.push(spread[i % spread.len()]);
    }
    let john_unattached = vec![procedure(2, 1, "", "", "TP", "2025-11-01")];

    // Seán: 4 on an Active plan; a Saved plan of 3 done earlier.
    let sean_active = vec![
        procedure(3, 6, "18", "MOD", "TP", "2025-08-08"),
        procedure(3, 9, "18", "", "TP", "2025-08-08"),
        procedure(3, 8, "18", "", "TP", "2025-08-08"),
        procedure(3, 2, "", "", "TP", "2025-08-08"),
    ];
    let sean_done = vec![
        procedure(3, 1, "", "", "C", "2024-12-02"),
        procedure(3, 3, "", "", "C", "2024-12-02"),
        procedure(3, 5, "12", "MO", "C", "2024-12-02"),
    ];
    let small = [
        (
            4,
            401,
            vec![
                procedure(4, 5, "3", "MO", "TP", "2025-07-01"),
                procedure(4, 2, "", "", "TP", "2025-07-01"),
            ],
        ),
        (
            5,
            501,
            vec![
                procedure(5, 12, "32", "", "TP", "2025-05-12"),
                procedure(5, 14, "32", "", "TP", "2025-05-12"),
                procedure(5, 1, "", "", "TP", "2025-05-12"),
            ],
        ),
    ];

    let mut insert_proc = tx.prepare(
        "INSERT INTO procedurelog (ProcNum, PatNum, ProcDate, ProcFee, Surf, ToothNum, ProcStatus, ProvNum, CodeNum,
             ProcCode, Descript, ProcAbbr, DateTP, DateEntryC, DateTStamp, SecDateEntry)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?;
    let all = jane_active
        .iter()
        .chain(&jane_unattached)
        .chain(&jane_inactive)
        .chain(&jane_done)
        .chain(&john_big)
        .chain(&john_unattached)
        .chain(&sean_active)
        .chain(&sean_done)
        .chain(small.iter().flat_map(|(_, _, procs)| procs));
    for p in all {
        let Code {
            num: code_num,
            code,
            descript,
            abbr,
            fee,
            ..
        } = CODES[p.code - 1];
        let done = p.status == "C";
        insert_proc.execute(rusqlite::params![
            p.proc_num,
            p.pat_num,
            if done { p.date.as_str() } else { "0001-01-01" },
            fee,
            p.surf,
            p.tooth,
            p.status,
            if p.code == 1 || p.code == 10 { 3 } else { 1 },
            code_num,
            code,
            descript,
            abbr,
            p.date,
            if done { p.date.as_str() } else { "0001-01-01" },
            format!("{} 09:30:00", p.date),
            format!("{} 09:30:00", p.date),
        ])?;
    }

    let mut insert_plan = tx.prepare(
        "INSERT INTO treatplan (TreatPlanNum, PatNum, DateTP, Heading, Note, TPStatus, SecDateEntry, SecDateTEdit,
             DateTSigned, SignatureText, IsSigned)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    let note = "If you have dental insurance, please be aware that THIS IS AN ESTIMATE ONLY.";
    let plans: [(i64, i64, &str, &str, &str, &str); 8] = [
        (
            JANE_ACTIVE_PLAN,
            1,
            "0001-01-01",
            "Active Treatment Plan",
            "Active",
            "2025-09-02",
        ),
        (
            JANE_INACTIVE_PLAN,
            1,
            "0001-01-01",
            "Inactive Treatment Plan",
            "Inactive",
            "2025-06-20",
        ),
        (
            JANE_SAVED_PLAN,
            1,
            "2025-03-11",
            "Saved Treatment Plan",
            "Saved",
            "2025-03-11",
        ),
        (
            JOHN_BIG_PLAN,
            2,
            "0001-01-01",
            "Active Treatment Plan",
            "Active",
            "2025-01-01",
        ),
        (
            SEAN_ACTIVE_PLAN,
            3,
            "0001-01-01",
            "Active Treatment Plan",
            "Active",
            "2025-08-08",
        ),
        (
            SEAN_SAVED_PLAN,
            3,
            "2024-12-02",
            "Saved Treatment Plan",
            "Saved",
            "2024-12-02",
        ),
        (401, 4, "0001-01-01", "Active Treatment Plan", "Active", "2025-07-01"),
        (501, 5, "0001-01-01", "Active Treatment Plan", "Active", "2025-05-12"),
    ];
    for (num, pat, date_tp, heading, status, entered) in plans {
        let saved = status == "Saved";
        insert_plan.execute(rusqlite::params![
            num,
            pat,
            date_tp,
            heading,
            note,
            status,
            entered,
            format!("{entered} 10:15:00"),
            if saved {
                format!("{entered} 10:20:00")
            } else {
                "0001-01-01 00:00:00".to_owned()
            },
            if saved { "Patient signed at the front desk" } else { "" },
            saved as i64,
        ])?;
    }

    let mut insert_attach =
        tx.prepare("INSERT INTO treatplanattach (TreatPlanNum, ProcNum, Priority) VALUES (?1, ?2, ?3)")?;
    for (p, priority) in jane_active.iter().zip(jane_priorities) {
        insert_attach.execute([JANE_ACTIVE_PLAN, p.proc_num, priority])?;
    }
    for (p, priority) in jane_inactive.iter().zip([PRIORITY_1, PRIORITY_2, PRIORITY_2]) {
        insert_attach.execute([JANE_INACTIVE_PLAN, p.proc_num, priority])?;
    }
    for (p, priority) in john_big.iter().zip(john_priorities) {
        insert_attach.execute([JOHN_BIG_PLAN, p.proc_num, priority])?;
    }
    for (p, priority) in sean_active
        .iter()
        .zip([PRIORITY_1, PRIORITY_1, PRIORITY_1, PRIORITY_LOW])
    {
        insert_attach.execute([SEAN_ACTIVE_PLAN, p.proc_num, priority])?;
    }
    for (_, plan, procs) in &small {
        for (i, p) in procs.iter().enumerate() {
            insert_attach.execute([*plan, p.proc_num, if i == 0 { PRIORITY_1 } else { 0 }])?;
        }
    }

    // Saved plans: frozen copies with insurance estimates. Patient = fee - insurance - discount.
    let mut insert_tp = tx.prepare(
        "INSERT INTO proctp (TreatPlanNum, PatNum, ProcNumOrig, ItemOrder, Priority, ToothNumTP, Surf, ProcCode, Descript,
             FeeAmt, PriInsAmt, SecInsAmt, PatAmt, Discount, ProcAbbr, ProvNum, DateTP, SecDateEntry, SecDateTEdit)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 1, ?16, ?16, ?17)",
    )?;
    let jane_saved: Vec<&Procedure> = jane_done.iter().chain(jane_active.iter().take(2)).collect();
    for (plan, procs) in [
        (JANE_SAVED_PLAN, jane_saved),
        (SEAN_SAVED_PLAN, sean_done.iter().collect()),
    ] {
        let date: String = if plan == JANE_SAVED_PLAN {
            "2025-03-11".into()
        } else {
            "2024-12-02".into()
        };
        for (order, p) in procs.iter().enumerate() {
            let Code {
                code,
                descript,
                abbr,
                fee,
                ..
            } = CODES[p.code - 1];
            let primary = (fee * 0.6).round();
            let secondary = if order % 2 == 0 { (fee * 0.1).round() } else { 0.0 };
            let discount = if order == 0 { 10.0 } else { 0.0 };
            let patient = fee - primary - secondary - discount;
            let priority = [PRIORITY_1, PRIORITY_2, 0][order % 3];
            insert_tp.execute(rusqlite::params![
                plan,
                p.pat_num,
                p.proc_num,
                order as i64,
                priority,
                p.tooth,
                p.surf,
                code,
                descript,
                fee,
                primary,
                secondary,
                patient,
                discount,
                abbr,
                date,
                format!("{date} 10:20:00"),
            ])?;
        }
    }
    Ok(())
}

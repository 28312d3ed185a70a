//! 150 patients: fifteen hand-written ones that tests and demos name (PatNums 1-15), then
//! generated families of common surnames so that lists need more than one page.
//! Addresses are in Oregon; phone numbers use the fictional 555-01xx range and e-mail
//! addresses the reserved example.com domain.

use super::definitions::{INSURANCE_ONLY, STANDARD_ACCOUNT};
use super::providers::{DOC1, DOC2, HYG1};
use super::Rng;
use crate::db::{SeedContext, Table};
use crate::text::{fold, image_folder_name};
use crate::BoxError;
use rusqlite::named_params;

/// Enumerations (PatStatus, Gender, ...) are stored as the text the API uses. BillingType is a
/// DefNum (category 4) as in Open Dental; the API shows its name.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS patient (
    PatNum              INTEGER PRIMARY KEY,
    LName               TEXT NOT NULL,
    FName               TEXT NOT NULL,
    MiddleI             TEXT NOT NULL DEFAULT '',
    Preferred           TEXT NOT NULL DEFAULT '',
    PatStatus           TEXT NOT NULL DEFAULT 'Patient',
    Gender              TEXT NOT NULL DEFAULT 'Unknown',
    Position            TEXT NOT NULL DEFAULT 'Single',
    Birthdate           TEXT NOT NULL DEFAULT '0001-01-01',
    SSN                 TEXT NOT NULL DEFAULT '',
    Address             TEXT NOT NULL DEFAULT '',
    Address2            TEXT NOT NULL DEFAULT '',
    City                TEXT NOT NULL DEFAULT '',
    State               TEXT NOT NULL DEFAULT '',
    Zip                 TEXT NOT NULL DEFAULT '',
    HmPhone             TEXT NOT NULL DEFAULT '',
    WkPhone             TEXT NOT NULL DEFAULT '',
    WirelessPhone       TEXT NOT NULL DEFAULT '',
    Guarantor           INTEGER NOT NULL DEFAULT 0,
    Email               TEXT NOT NULL DEFAULT '',
    EstBalance          REAL NOT NULL DEFAULT 0,
    PriProv             INTEGER NOT NULL DEFAULT 0,
    SecProv             INTEGER NOT NULL DEFAULT 0,
    FeeSched            INTEGER NOT NULL DEFAULT 0,
    BillingType         INTEGER NOT NULL DEFAULT 0,
    ImageFolder         TEXT NOT NULL DEFAULT '',
    FamFinUrgNote       TEXT NOT NULL DEFAULT '',
    ChartNumber         TEXT NOT NULL DEFAULT '',
    MedicaidID          TEXT NOT NULL DEFAULT '',
    BalTotal            REAL NOT NULL DEFAULT 0,
    EmployerNum         INTEGER NOT NULL DEFAULT 0,
    DateFirstVisit      TEXT NOT NULL DEFAULT '0001-01-01',
    ClinicNum           INTEGER NOT NULL DEFAULT 0,
    Premed              INTEGER NOT NULL DEFAULT 0,
    Ward                TEXT NOT NULL DEFAULT '',
    PreferConfirmMethod TEXT NOT NULL DEFAULT 'None',
    PreferContactMethod TEXT NOT NULL DEFAULT 'None',
    PreferRecallMethod  TEXT NOT NULL DEFAULT 'None',
    Language            TEXT NOT NULL DEFAULT '',
    AdmitDate           TEXT NOT NULL DEFAULT '0001-01-01',
    DateTStamp          TEXT NOT NULL,
    SuperFamily         INTEGER NOT NULL DEFAULT 0,
    TxtMsgOk            TEXT NOT NULL DEFAULT 'Unknown',
    SecDateEntry        TEXT NOT NULL DEFAULT '0001-01-01'
);";

/// The patients schema and demo data, seeded once under this name.
pub const TABLE: Table = Table {
    name: "patients",
    schema: SCHEMA,
    seed,
};

pub const PATIENT_COUNT: i64 = 150;

pub const SMITH_JANE: i64 = 1;
pub const SMITH_JOHN: i64 = 2;
pub const OBRIEN_SEAN: i64 = 3;
pub const DANGELO_MARIA: i64 = 4;
pub const MULLER_ZOE: i64 = 5;
pub const NUNEZ_JOSE: i64 = 6;
/// Birthdate 0001-01-01 ("none").
pub const JOHNSON_BRODY: i64 = 7;
/// PatStatus Inactive.
pub const THOMPSON_GREGORY: i64 = 8;
/// PatStatus Archived.
pub const ARCHER_WILMA: i64 = 9;

/// A patient row as inserted. Fields left at `Default` take the column defaults' meaning.
#[derive(Clone)]
struct NewPatient {
    l_name: &'static str,
    f_name: &'static str,
    middle_i: &'static str,
    preferred: &'static str,
    pat_status: &'static str,
    gender: &'static str,
    position: &'static str,
    birthdate: String,
    ssn: String,
    address: String,
    city: &'static str,
    state: &'static str,
    zip: &'static str,
    hm_phone: String,
    wk_phone: String,
    wireless_phone: String,
    email: String,
    est_balance: f64,
    pri_prov: i64,
    sec_prov: i64,
    billing_type: i64,
    fam_fin_urg_note: &'static str,
    date_first_visit: String,
    premed: bool,
    prefer_confirm: &'static str,
    prefer_contact: &'static str,
    prefer_recall: &'static str,
    language: &'static str,
    txt_msg_ok: &'static str,
    date_t_stamp: String,
}

impl Default for NewPatient {
    fn default() -> Self {
        NewPatient {
            l_name: "",
            f_name: "",
            middle_i: "",
            preferred: "",
            pat_status: "Patient",
            gender: "Unknown",
            position: "Single",
            birthdate: "0001-01-01".into(),
            ssn: String::new(),
            address: String::new(),
            city: "",
            state: "",
            zip: "",
            hm_phone: String::new(),
            wk_phone: String::new(),
            wireless_phone: String::new(),
            email: String::new(),
            est_balance: 0.0,
            pri_prov: DOC1,
            sec_prov: 0,
            billing_type: STANDARD_ACCOUNT,
            fam_fin_urg_note: "",
            date_first_visit: "2019-03-12".into(),
            premed: false,
            prefer_confirm: "None",
            prefer_contact: "None",
            prefer_recall: "None",
            language: "",
            txt_msg_ok: "Unknown",
            date_t_stamp: "2024-11-04 10:12:45".into(),
        }
    }
}

pub fn seed(ctx: &SeedContext) -> Result<(), BoxError> {
    let mut patients = named_patients();
    let mut rng = Rng::new(20_240_524);
    while (patients.len() as i64) < PATIENT_COUNT {
        patients.push(generated_patient(&mut rng, patients.len()));
    }
    let mut insert = ctx.tx.prepare(
        "INSERT INTO patient (PatNum, LName, FName, MiddleI, Preferred, PatStatus, Gender, Position, Birthdate,
             SSN, Address, City, State, Zip, HmPhone, WkPhone, WirelessPhone, Guarantor, Email, EstBalance,
             PriProv, SecProv, BillingType, ImageFolder, FamFinUrgNote, BalTotal, DateFirstVisit, Premed,
             PreferConfirmMethod, PreferContactMethod, PreferRecallMethod, Language, DateTStamp, TxtMsgOk,
             SecDateEntry)
         VALUES (:num, :lname, :fname, :mi, :preferred, :status, :gender, :position, :birthdate,
             :ssn, :address, :city, :state, :zip, :hm, :wk, :wireless, :num, :email, :balance,
             :pri, :sec, :billing, :folder, :urgent, :balance, :first_visit, :premed,
             :confirm, :contact, :recall, :language, :stamp, :txt, :first_visit)",
    )?;
    for (i, p) in patients.iter().enumerate() {
        let pat_num = i as i64 + 1;
        insert.execute(named_params! {
            ":num": pat_num, ":lname": p.l_name, ":fname": p.f_name, ":mi": p.middle_i,
            ":preferred": p.preferred, ":status": p.pat_status, ":gender": p.gender, ":position": p.position,
            ":birthdate": p.birthdate, ":ssn": p.ssn, ":address": p.address, ":city": p.city,
            ":state": p.state, ":zip": p.zip, ":hm": p.hm_phone, ":wk": p.wk_phone,
            ":wireless": p.wireless_phone, ":email": p.email, ":balance": p.est_balance,
            ":pri": p.pri_prov, ":sec": p.sec_prov, ":billing": p.billing_type,
            ":folder": image_folder_name(p.l_name, p.f_name, pat_num), ":urgent": p.fam_fin_urg_note,
            ":first_visit": p.date_first_visit, ":premed": p.premed, ":confirm": p.prefer_confirm,
            ":contact": p.prefer_contact, ":recall": p.prefer_recall, ":language": p.language,
            ":stamp": p.date_t_stamp, ":txt": p.txt_msg_ok,
        })?;
    }
    Ok(())
}

/// PatNums 1-15, in this order: the Smiths of the reference page, names with apostrophes,
/// accents and spaces, no birthdate, and the Inactive and Archived statuses.
fn named_patients() -> Vec<NewPatient> {
    let salem = |address: &str| NewPatient {
        address: address.into(),
        city: "Salem",
        state: "OR",
        zip: "97301",
        ..Default::default()
    };
    vec![
        NewPatient {
            l_name: "Smith",
            f_name: "Jane",
            gender: "Female",
            position: "Married",
            birthdate: "1976-05-24".into(),
            ssn: "900458956".into(),
            hm_phone: "(503)555-0148".into(),
            wk_phone: "(503)555-0172".into(),
            wireless_phone: "(503)555-0190".into(),
            email: "smithfam@example.com".into(),
            est_balance: 111.9,
            sec_prov: HYG1,
            fam_fin_urg_note: "CC on file expiring soon",
            date_first_visit: "2021-12-16".into(),
            prefer_contact: "WirelessPh",
            prefer_recall: "TextMessage",
            txt_msg_ok: "Yes",
            date_t_stamp: "2021-12-08 15:34:34".into(),
            ..salem("125 Satin Heights")
        },
        NewPatient {
            l_name: "Smith",
            f_name: "John",
            gender: "Male",
            position: "Married",
            birthdate: "1979-06-23".into(),
            ssn: "900664588".into(),
            hm_phone: "(503)555-0148".into(),
            wk_phone: "(503)555-0165".into(),
            wireless_phone: "(503)555-0121".into(),
            email: "johns@example.com".into(),
            sec_prov: HYG1,
            date_first_visit: "2021-12-16".into(),
            txt_msg_ok: "Yes",
            ..salem("125 Satin Heights")
        },
        NewPatient {
            l_name: "O'Brien",
            f_name: "Seán",
            middle_i: "P",
            preferred: "Shawn",
            gender: "Male",
            birthdate: "1988-03-17".into(),
            address: "4410 NE Alberta St".into(),
            city: "Portland",
            state: "OR",
            zip: "97211",
            wireless_phone: "(503)555-0133".into(),
            email: "sean.obrien@example.com".into(),
            pri_prov: DOC2,
            prefer_contact: "Email",
            ..Default::default()
        },
        NewPatient {
            l_name: "D'Angelo",
            f_name: "Maria",
            gender: "Female",
            position: "Widowed",
            birthdate: "1965-11-02".into(),
            hm_phone: "(503)555-0110".into(),
            est_balance: 42.5,
            billing_type: INSURANCE_ONLY,
            premed: true,
            prefer_confirm: "HmPhone",
            ..salem("2250 Lancaster Dr NE")
        },
        NewPatient {
            l_name: "Müller",
            f_name: "Zoë",
            gender: "Female",
            position: "Child",
            birthdate: "2012-07-09".into(),
            address: "815 Pine St".into(),
            city: "Silverton",
            state: "OR",
            zip: "97381",
            hm_phone: "(503)555-0157".into(),
            language: "ger",
            ..Default::default()
        },
        NewPatient {
            l_name: "Núñez",
            f_name: "José",
            middle_i: "A",
            gender: "Male",
            position: "Married",
            birthdate: "1954-01-30".into(),
            address: "1630 Front St NE".into(),
            city: "Woodburn",
            state: "OR",
            zip: "97071",
            wireless_phone: "(503)555-0186".into(),
            pri_prov: DOC2,
            language: "spa",
            prefer_contact: "TextMessage",
            txt_msg_ok: "Yes",
            ..Default::default()
        },
        NewPatient {
            l_name: "Johnson",
            f_name: "Brody",
            gender: "Male",
            wk_phone: "(503)555-0103".into(),
            ..Default::default()
        },
        NewPatient {
            l_name: "Thompson",
            f_name: "Gregory",
            pat_status: "Inactive",
            gender: "Male",
            position: "Divorced",
            birthdate: "1971-08-14".into(),
            hm_phone: "(503)555-0119".into(),
            date_first_visit: "2009-05-20".into(),
            ..salem("3390 Commercial St SE")
        },
        NewPatient {
            l_name: "Archer",
            f_name: "Wilma",
            pat_status: "Archived",
            gender: "Female",
            position: "Widowed",
            birthdate: "1938-02-11".into(),
            date_first_visit: "2004-01-08".into(),
            ..salem("77 Court St NE")
        },
        NewPatient {
            l_name: "De Angelo",
            f_name: "Anthony",
            gender: "Male",
            birthdate: "1992-09-05".into(),
            wireless_phone: "(503)555-0161".into(),
            email: "tony.deangelo@example.com".into(),
            ..salem("560 Liberty St SE")
        },
        NewPatient {
            l_name: "Smith-Jones",
            f_name: "Olivia",
            gender: "Female",
            birthdate: "2001-04-22".into(),
            address: "2900 NW Circle Blvd".into(),
            city: "Corvallis",
            state: "OR",
            zip: "97330",
            wireless_phone: "(541)555-0144".into(),
            email: "olivia.sj@example.com".into(),
            pri_prov: DOC2,
            ..Default::default()
        },
        NewPatient {
            l_name: "Lefèvre",
            f_name: "Chloé",
            gender: "Female",
            position: "Married",
            birthdate: "1983-12-01".into(),
            address: "1205 Willamette St".into(),
            city: "Eugene",
            state: "OR",
            zip: "97401",
            wireless_phone: "(541)555-0178".into(),
            language: "fre",
            ..Default::default()
        },
        NewPatient {
            l_name: "García",
            f_name: "Lucía",
            gender: "Female",
            birthdate: "1999-06-15".into(),
            wireless_phone: "(503)555-0127".into(),
            language: "spa",
            ..salem("1840 Center St NE")
        },
        NewPatient {
            l_name: "Çelik",
            f_name: "Ayşe",
            gender: "Female",
            position: "Married",
            birthdate: "1990-10-10".into(),
            address: "330 Ferry St SW".into(),
            city: "Albany",
            state: "OR",
            zip: "97321",
            wireless_phone: "(541)555-0152".into(),
            language: "tur",
            ..Default::default()
        },
        NewPatient {
            l_name: "Nguyen",
            f_name: "Minh",
            gender: "Male",
            birthdate: "1985-02-28".into(),
            wireless_phone: "(503)555-0139".into(),
            email: "minh.nguyen@example.com".into(),
            ..salem("4125 State St")
        },
    ]
}

const SURNAMES: [&str; 20] = [
    "Anderson", "Brown", "Davis", "Garcia", "Harris", "Jackson", "Johnson", "Lee", "Lopez", "Martin", "Martinez",
    "Miller", "Moore", "Nguyen", "Patel", "Smith", "Taylor", "Thomas", "Williams", "Wilson",
];

/// (first name, gender, a preferred name some use)
const FIRST_NAMES: [(&str, &str, &str); 32] = [
    ("James", "Male", "Jim"),
    ("Mary", "Female", ""),
    ("Robert", "Male", "Bob"),
    ("Patricia", "Female", "Patty"),
    ("Michael", "Male", "Mike"),
    ("Jennifer", "Female", "Jen"),
    ("William", "Male", "Bill"),
    ("Linda", "Female", ""),
    ("David", "Male", "Dave"),
    ("Elizabeth", "Female", "Liz"),
    ("Richard", "Male", "Rick"),
    ("Barbara", "Female", ""),
    ("Joseph", "Male", "Joe"),
    ("Susan", "Female", "Sue"),
    ("Thomas", "Male", "Tom"),
    ("Jessica", "Female", "Jess"),
    ("Daniel", "Male", "Dan"),
    ("Sarah", "Female", ""),
    ("Matthew", "Male", "Matt"),
    ("Karen", "Female", ""),
    ("Anthony", "Male", "Tony"),
    ("Emily", "Female", ""),
    ("Andrew", "Male", "Andy"),
    ("Olivia", "Female", ""),
    ("Joshua", "Male", "Josh"),
    ("Sophia", "Female", ""),
    ("Ethan", "Male", ""),
    ("Ava", "Female", ""),
    ("Noah", "Male", ""),
    ("Isabella", "Female", "Bella"),
    ("Liam", "Male", ""),
    ("Mia", "Female", ""),
];

/// (city, state, zip, area code)
const CITIES: [(&str, &str, &str, &str); 8] = [
    ("Salem", "OR", "97301", "503"),
    ("Salem", "OR", "97302", "503"),
    ("Keizer", "OR", "97303", "503"),
    ("Portland", "OR", "97205", "503"),
    ("Albany", "OR", "97321", "541"),
    ("Corvallis", "OR", "97330", "541"),
    ("Eugene", "OR", "97401", "541"),
    ("Vancouver", "WA", "98660", "360"),
];

const STREETS: [&str; 12] = [
    "Oak St",
    "Maple Ave",
    "Cedar Ln",
    "Elm St",
    "Lancaster Dr NE",
    "Commercial St SE",
    "Madrona Ave S",
    "River Rd N",
    "Orchard Heights Rd NW",
    "Sunnyview Rd NE",
    "Mission St SE",
    "Liberty Rd S",
];

const CONTACT_METHODS: [&str; 5] = ["None", "HmPhone", "WirelessPh", "Email", "TextMessage"];

/// The `index`th patient (0-based) after the named ones.
fn generated_patient(rng: &mut Rng, index: usize) -> NewPatient {
    let l_name = SURNAMES[(index * 7) % SURNAMES.len()];
    let (f_name, gender, nickname) = FIRST_NAMES[(index * 5 + index / SURNAMES.len()) % FIRST_NAMES.len()];
    let year = rng.between(1940, 2019);
    let birthdate = format!("{year}-{:02}-{:02}", rng.between(1, 12), rng.between(1, 28));
    let position = if year >= 2008 {
        "Child"
    } else {
        rng.pick(&["Married", "Married", "Single", "Single", "Divorced", "Widowed"])
    };
    let (city, state, zip, area) = rng.pick(&CITIES);
    let phone = |rng: &mut Rng| format!("({area})555-01{:02}", rng.between(0, 99));
    let first_visit_year = rng.between(2010, 2024);
    let date_first_visit = format!("{first_visit_year}-{:02}-{:02}", rng.between(1, 12), rng.between(1, 28));
    NewPatient {
        l_name,
        f_name,
        middle_i: if rng.chance(40) {
            rng.pick(&["A", "B", "C", "D", "E", "J", "K", "L", "M", "R", "S", "T"])
        } else {
            ""
        },
        preferred: if !nickname.is_empty() && rng.chance(30) {
            nickname
        } else {
            ""
        },
        gender,
        position,
        ssn: if rng.chance(50) {
            format!("9{:08}", rng.between(0, 99_999_999))
        } else {
            String::new()
        },
        address: format!("{} {}", rng.between(100, 9899), rng.pick(&STREETS)),
        city,
        state,
        zip,
        hm_phone: if rng.chance(60) { phone(rng) } else { String::new() },
        wk_phone: if rng.chance(25) { phone(rng) } else { String::new() },
        wireless_phone: if rng.chance(80) { phone(rng) } else { String::new() },
        email: if rng.chance(60) {
            format!("{}.{}{}@example.com", fold(f_name), fold(l_name), rng.between(1, 99))
        } else {
            String::new()
        },
        est_balance: if rng.chance(35) {
            rng.between(500, 60_000) as f64 / 100.0
        } else {
            0.0
        },
        pri_prov: if rng.chance(65) { DOC1 } else { DOC2 },
        sec_prov: if rng.chance(40) { HYG1 } else { 0 },
        billing_type: if rng.chance(15) {
            INSURANCE_ONLY
        } else {
            STANDARD_ACCOUNT
        },
        birthdate,
        premed: rng.chance(5),
        prefer_confirm: rng.pick(&CONTACT_METHODS),
        prefer_contact: rng.pick(&CONTACT_METHODS),
        prefer_recall: rng.pick(&CONTACT_METHODS),
        txt_msg_ok: rng.pick(&["Unknown", "Yes", "No"]),
        date_t_stamp: format!(
            "{date_first_visit} {:02}:{:02}:{:02}",
            rng.between(8, 17),
            rng.between(0, 59),
            rng.between(0, 59)
        ),
        date_first_visit,
        ..Default::default()
    }
}

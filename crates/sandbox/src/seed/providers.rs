//! Providers: two dentists and two hygienists, one of them hidden (no longer with the
//! practice), as the reference page's examples show them.

use super::definitions::{SPECIALTY_GENERAL, SPECIALTY_HYGIENIST};
use crate::db::{SeedContext, Table};
use crate::BoxError;
use rusqlite::named_params;

pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS provider (
    ProvNum        INTEGER PRIMARY KEY,
    Abbr           TEXT NOT NULL,
    LName          TEXT NOT NULL DEFAULT '',
    FName          TEXT NOT NULL DEFAULT '',
    MI             TEXT NOT NULL DEFAULT '',
    Suffix         TEXT NOT NULL DEFAULT '',
    FeeSched       INTEGER NOT NULL DEFAULT 0,
    Specialty      INTEGER NOT NULL DEFAULT 0,
    SSN            TEXT NOT NULL DEFAULT '',
    StateLicense   TEXT NOT NULL DEFAULT '',
    IsSecondary    INTEGER NOT NULL DEFAULT 0,
    ProvColor      TEXT NOT NULL DEFAULT '0,0,0',
    IsHidden       INTEGER NOT NULL DEFAULT 0,
    UsingTIN       INTEGER NOT NULL DEFAULT 0,
    SigOnFile      INTEGER NOT NULL DEFAULT 0,
    NationalProvID TEXT NOT NULL DEFAULT '',
    DateTStamp     TEXT NOT NULL,
    IsNotPerson    INTEGER NOT NULL DEFAULT 0,
    ProvStatus     TEXT NOT NULL DEFAULT 'Active',
    IsHiddenReport INTEGER NOT NULL DEFAULT 0,
    Birthdate      TEXT NOT NULL DEFAULT '0001-01-01',
    SchedNote      TEXT NOT NULL DEFAULT '',
    PreferredName  TEXT NOT NULL DEFAULT '',
    ItemOrder      INTEGER NOT NULL DEFAULT 0
);";

/// The providers schema and demo data, seeded once under this name.
pub const TABLE: Table = Table {
    name: "providers",
    schema: SCHEMA,
    seed,
};

pub const DOC1: i64 = 1;
pub const DOC2: i64 = 2;
pub const HYG1: i64 = 3;
pub const HYG2: i64 = 4;

pub fn seed(ctx: &SeedContext) -> Result<(), BoxError> {
    // (ProvNum, Abbr, LName, FName, MI, Suffix, Specialty, SSN, StateLicense, IsSecondary,
    //  ProvColor, IsHidden, UsingTIN, SigOnFile, NationalProvID, DateTStamp)
    #[rustfmt::skip]
    let providers = [
        (DOC1, "DOC1", "Albert", "Brian", "L", "DDS", SPECIALTY_GENERAL, "1522864182", "D7601", false,
         "164,255,164", false, true, true, "1679608723", "2021-08-04 08:33:01"),
        (DOC2, "DOC2", "Okafor", "Grace", "", "DMD", SPECIALTY_GENERAL, "", "D8812", false,
         "255,214,164", false, false, true, "1184736252", "2022-02-10 16:04:12"),
        (HYG1, "HYG1", "Jones", "Tina", "", "RDH", SPECIALTY_HYGIENIST, "", "H1044", true,
         "203,151,255", false, false, false, "1657398425", "2021-08-15 13:18:51"),
        (HYG2, "HYG2", "Bently", "Bruce", "", "RDH", SPECIALTY_HYGIENIST, "", "H0912", true,
         "164,164,255", true, false, false, "", "2016-03-03 13:10:47"),
    ];
    let mut insert = ctx.tx.prepare(
        "INSERT INTO provider (ProvNum, Abbr, LName, FName, MI, Suffix, FeeSched, Specialty, SSN, StateLicense,
             IsSecondary, ProvColor, IsHidden, UsingTIN, SigOnFile, NationalProvID, DateTStamp, ItemOrder)
         VALUES (:num, :abbr, :lname, :fname, :mi, :suffix, 53, :specialty, :ssn, :license,
             :secondary, :color, :hidden, :tin, :sig, :npi, :stamp, :order)",
    )?;
    for (order, p) in providers.iter().enumerate() {
        insert.execute(named_params! {
            ":num": p.0, ":abbr": p.1, ":lname": p.2, ":fname": p.3, ":mi": p.4, ":suffix": p.5,
            ":specialty": p.6, ":ssn": p.7, ":license": p.8, ":secondary": p.9, ":color": p.10,
            ":hidden": p.11, ":tin": p.12, ":sig": p.13, ":npi": p.14, ":stamp": p.15, ":order": order as i64,
        })?;
    }
    Ok(())
}

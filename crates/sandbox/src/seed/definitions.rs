//! Definitions of a typical office. DefNums are fixed so tests and other seeds can use them;
//! treatment-plan priorities were "created" in a different order than they are displayed,
//! so a client that sorts by DefNum instead of definition order shows them wrongly.

use crate::db::{SeedContext, Table};
use crate::BoxError;
use opendental::models::def_category::{BILLING_TYPES, IMAGE_CATS, TX_PRIORITIES};

pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS definition (
    DefNum    INTEGER PRIMARY KEY,
    Category  INTEGER NOT NULL,
    ItemOrder INTEGER NOT NULL,
    ItemName  TEXT NOT NULL,
    ItemValue TEXT NOT NULL DEFAULT '',
    ItemColor TEXT NOT NULL DEFAULT '0,0,0',
    IsHidden  INTEGER NOT NULL DEFAULT 0
);";

/// The definitions schema and demo data, seeded once under this name.
pub const TABLE: Table = Table {
    name: "definitions",
    schema: SCHEMA,
    seed,
};

const ADJ_TYPES: i64 = 1;
const PROVIDER_SPECIALTIES: i64 = 35;

pub const STANDARD_ACCOUNT: i64 = 6;
pub const INSURANCE_ONLY: i64 = 7;
pub const SPECIALTY_GENERAL: i64 = 9;
pub const SPECIALTY_HYGIENIST: i64 = 10;

/// Image categories (18) in display order. ItemValue holds the usage letters
/// (manual-definitionsimagecat.md): P = patient pictures, X = show in Chart module,
/// T = tooth charts, R = treatment plans.
pub const IMAGE_CATEGORIES: [(i64, &str, &str, bool); 8] = [
    (13, "Patient Pictures", "P", false),
    (14, "X-Rays", "XT", false),
    (15, "Photos", "X", false),
    (16, "Old Scans", "", true),
    (17, "Insurance Cards", "", false),
    (18, "Photo ID", "", false),
    (19, "Documents", "X", false),
    (20, "Treatment Plans", "R", false),
];
pub const PATIENT_PICTURES: i64 = 13;
pub const X_RAYS: i64 = 14;
pub const PHOTOS: i64 = 15;
pub const OLD_SCANS: i64 = 16;
pub const INSURANCE_CARDS: i64 = 17;
pub const PHOTO_ID: i64 = 18;
pub const DOCUMENTS: i64 = 19;
pub const TREATMENT_PLANS: i64 = 20;

/// Treatment-plan priorities (20) in display order, with DefNums deliberately out of order.
pub const TX_PRIORITY_DEFS: [(i64, &str, &str); 6] = [
    (24, "1", "255,0,0"),
    (22, "2", "255,128,0"),
    (26, "3", "0,128,0"),
    (21, "Wait", "128,128,128"),
    (25, "Low", "0,0,255"),
    (23, "Recmend", "128,0,128"),
];
pub const PRIORITY_1: i64 = 24;
pub const PRIORITY_2: i64 = 22;
pub const PRIORITY_3: i64 = 26;
pub const PRIORITY_WAIT: i64 = 21;
pub const PRIORITY_LOW: i64 = 25;
pub const PRIORITY_RECMEND: i64 = 23;

pub fn seed(ctx: &SeedContext) -> Result<(), BoxError> {
    let mut insert = ctx.tx.prepare(
        "INSERT INTO definition (DefNum, Category, ItemOrder, ItemName, ItemValue, ItemColor, IsHidden)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut add = |category: i64, defs: &[(i64, &str, &str, &str, bool)]| -> rusqlite::Result<()> {
        for (order, (num, name, value, color, hidden)) in defs.iter().enumerate() {
            insert.execute(rusqlite::params![
                num,
                category,
                order as i64,
                name,
                value,
                color,
                hidden
            ])?;
        }
        Ok(())
    };
    add(
        ADJ_TYPES,
        &[
            (1, "Professional Discount", "-", "0,0,0", false),
            (2, "Cash Discount", "-", "0,0,0", false),
            (3, "Sales Tax", "+", "0,0,0", false),
            (4, "Finance Charge", "+", "0,0,0", false),
            (5, "Bad Debt Write Off", "-", "0,0,0", true),
        ],
    )?;
    add(
        BILLING_TYPES,
        &[
            (STANDARD_ACCOUNT, "Standard Account", "", "0,0,0", false),
            (INSURANCE_ONLY, "Insurance Only", "", "0,0,0", false),
        ],
    )?;
    add(
        PROVIDER_SPECIALTIES,
        &[
            (SPECIALTY_GENERAL, "General", "", "0,0,0", false),
            (SPECIALTY_HYGIENIST, "Hygienist", "", "0,0,0", false),
            (11, "Endodontics", "", "0,0,0", false),
            (12, "Orthodontics", "", "0,0,0", false),
        ],
    )?;
    let image_cats: Vec<_> = IMAGE_CATEGORIES
        .iter()
        .map(|&(num, name, value, hidden)| (num, name, value, "0,0,0", hidden))
        .collect();
    add(IMAGE_CATS, &image_cats)?;
    let priorities: Vec<_> = TX_PRIORITY_DEFS
        .iter()
        .map(|&(num, name, color)| (num, name, "", color, false))
        .collect();
    add(TX_PRIORITIES, &priorities)?;
    Ok(())
}

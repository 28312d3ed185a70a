//! The demo practice, created once when a database is new: deterministic, so PatNums, DefNums
//! and ProvNums are the same on every machine and tests can name them.

pub mod definitions;
pub mod documents;
pub mod patients;
pub mod providers;
pub mod treatment;

use crate::db::Table;

/// Every table group, in seeding order: a group's demo data may refer to rows of the ones
/// before it. To add one, write `seed/<name>.rs` with its `SCHEMA`, `seed` and `TABLE`, list
/// it here, and merge its routes in `routes::api`. Existing data directories get the new
/// tables and their demo data on their next start.
pub const TABLES: &[Table] = &[
    providers::TABLE,
    definitions::TABLE,
    patients::TABLE,
    // Writes its demo files into the A-to-Z folder; needs patients, definitions, providers.
    documents::TABLE,
    // TreatPlans, TreatPlanAttaches, ProcTPs and ProcedureLogs (and the procedure codes they
    // show): one story per patient, so seeded together. Needs patients, definitions, providers.
    treatment::TABLE,
];

/// A small deterministic generator (SplitMix64) for varied but repeatable demo data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `range` (inclusive).
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }

    /// True `percent` percent of the time.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next_u64() % items.len() as u64) as usize]
    }
}

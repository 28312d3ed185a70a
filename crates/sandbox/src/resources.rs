//! Every emulated Open Dental resource in one list: its table, its demo data and its routes.
//!
//! To add a resource (Documents, TreatPlans, ...): write `routes/<name>.rs` (or a folder
//! `routes/<name>/`, one module per reference page, as treatment has) with a `SCHEMA`
//! (`CREATE TABLE IF NOT EXISTS ...`) and a `routes()` function, write `seed/<name>.rs` with a
//! `seed` function, and add a `Resource` below. Existing data directories get the new table
//! and its demo data on their next start.

use crate::db::SeedContext;
use crate::state::AppState;
use crate::{routes, seed, BoxError};
use axum::Router;

pub struct Resource {
    /// Recorded in the `seeded` table once the demo data is in.
    pub name: &'static str,
    /// Idempotent DDL, run on every start.
    pub schema: &'static str,
    pub seed: fn(&SeedContext) -> Result<(), BoxError>,
    /// Routes relative to /api/v1.
    pub routes: fn() -> Router<AppState>,
}

/// In seeding order: a resource's demo data may refer to rows of the ones before it.
pub const RESOURCES: &[Resource] = &[
    Resource {
        name: "providers",
        schema: routes::providers::SCHEMA,
        seed: seed::providers::seed,
        routes: routes::providers::routes,
    },
    Resource {
        name: "definitions",
        schema: routes::definitions::SCHEMA,
        seed: seed::definitions::seed,
        routes: routes::definitions::routes,
    },
    Resource {
        name: "patients",
        schema: routes::patients::SCHEMA,
        seed: seed::patients::seed,
        routes: routes::patients::routes,
    },
    // Writes its demo files into the A-to-Z folder; needs patients, definitions, providers.
    Resource {
        name: "documents",
        schema: routes::documents::SCHEMA,
        seed: seed::documents::seed,
        routes: routes::documents::routes,
    },
    // TreatPlans, TreatPlanAttaches, ProcTPs and ProcedureLogs (and the procedure codes they
    // show): one story per patient, so seeded together. Needs patients, definitions, providers.
    Resource {
        name: "treatment",
        schema: routes::treatment::SCHEMA,
        seed: seed::treatment::seed,
        routes: routes::treatment::routes,
    },
];

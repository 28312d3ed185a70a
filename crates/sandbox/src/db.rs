//! The SQLite database: opening it, creating each table, and seeding each table's demo data
//! once. One connection behind a mutex is plenty for an emulator; handlers keep their calls
//! short and never hold the lock across an `.await`. Nothing here knows about HTTP: the
//! tables are listed in `seed::TABLES`, the routes in `routes::api`.

use crate::error::{ApiError, ApiResult};
use crate::text;
use crate::BoxError;
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, Transaction};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// What a resource's seed function gets: the open transaction and the A-to-Z folder (for
/// resources whose rows have files).
pub struct SeedContext<'a> {
    pub tx: &'a Transaction<'a>,
    pub atoz_dir: &'a Path,
}

/// A group of tables with its DDL and demo data (`seed/<name>.rs` defines one beside its seed).
pub struct Table {
    /// Recorded in the `seeded` table once the demo data is in.
    pub name: &'static str,
    /// Idempotent DDL (`CREATE TABLE IF NOT EXISTS ...`), run on every start.
    pub schema: &'static str,
    pub seed: fn(&SeedContext) -> Result<(), BoxError>,
}

#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

impl Db {
    /// Opens the database file (created if missing), or an in-memory one for `None`.
    pub fn open(path: Option<&Path>) -> rusqlite::Result<Db> {
        let conn = match path {
            Some(path) => Connection::open(path)?,
            None => Connection::open_in_memory()?,
        };
        register_functions(&conn)?;
        Ok(Db {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` with the connection; `f` may fail with an API error (a 404, a 400) as well as
    /// an SQL one, so checks and writes happen under one lock. A panic in an earlier call
    /// leaves the connection usable, so a poisoned lock is taken over rather than failing every
    /// later request.
    pub fn with_db<T>(&self, f: impl FnOnce(&mut Connection) -> ApiResult<T>) -> ApiResult<T> {
        let mut conn = self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut conn)
    }

    /// `with_db` for a plain SQL call.
    pub fn call<T>(&self, f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>) -> ApiResult<T> {
        self.with_db(|conn| f(conn).map_err(ApiError::from))
    }

    /// Creates missing tables and seeds every table group not seeded yet, each in its own
    /// transaction. Tracking seeding per group means a data directory made by an older
    /// sandbox gets demo data for tables added since, without touching what it holds.
    pub fn prepare(&self, tables: &[Table], atoz_dir: &Path) -> Result<(), BoxError> {
        let mut conn = self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        conn.execute_batch("CREATE TABLE IF NOT EXISTS seeded (Resource TEXT PRIMARY KEY NOT NULL);")?;
        for table in tables {
            conn.execute_batch(table.schema)?;
        }
        for table in tables {
            let tx = conn.transaction()?;
            let done: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM seeded WHERE Resource = ?1)",
                [table.name],
                |r| r.get(0),
            )?;
            if !done {
                (table.seed)(&SeedContext { tx: &tx, atoz_dir })
                    .map_err(|e| format!("seeding {} failed: {e}", table.name))?;
                tx.execute("INSERT INTO seeded (Resource) VALUES (?1)", [table.name])?;
            }
            tx.commit()?;
        }
        Ok(())
    }
}

/// SQL functions for searches: `fold(text)` (case and accents folded, see `text::fold`) and
/// `digits(text)`. SQLite's own LIKE folds ASCII case only.
fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("fold", 1, flags, |ctx| {
        Ok(ctx
            .get::<Option<String>>(0)?
            .map(|s| text::fold(&s))
            .unwrap_or_default())
    })?;
    conn.create_scalar_function("digits", 1, flags, |ctx| {
        Ok(ctx
            .get::<Option<String>>(0)?
            .map(|s| text::digits(&s))
            .unwrap_or_default())
    })
}

//! The gateway's own SQLite database: staff accounts, paired kiosks and the audit log. One connection,
//! shared behind a mutex; the audit writer batches its inserts (see `audit.rs`).

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS users (
    username      TEXT PRIMARY KEY COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    created       TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    id          INTEGER PRIMARY KEY,
    time        TEXT NOT NULL,
    actor       TEXT NOT NULL,
    customer    TEXT NOT NULL,
    method      TEXT NOT NULL,
    path        TEXT NOT NULL,
    pat_num     INTEGER,
    status      INTEGER NOT NULL,
    endpoint    TEXT NOT NULL,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_time ON audit (time);
CREATE INDEX IF NOT EXISTS audit_patient ON audit (pat_num, time);
CREATE TABLE IF NOT EXISTS kiosks (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    paired_by   TEXT NOT NULL,
    paired_at   TEXT NOT NULL,
    last_seen   TEXT,
    setup       TEXT NOT NULL,
    revoked_at  TEXT
);
";

#[derive(Clone)]
pub struct Db(Arc<Mutex<Connection>>);

impl Db {
    /// Opens (or creates) `gateway.sqlite` in `data_dir`, creating the folder, readable only
    /// by the gateway's user (password hashes and who looked at which patient live there).
    pub fn open(data_dir: &Path) -> Result<Db, String> {
        std::fs::create_dir_all(data_dir).map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(data_dir, std::fs::Permissions::from_mode(0o700));
        }
        let path = data_dir.join("gateway.sqlite");
        let conn = Connection::open(&path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| e.to_string())?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(|e| e.to_string())?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(|e| e.to_string())?;
        Db::with_connection(conn)
    }

    pub fn in_memory() -> Db {
        Db::with_connection(Connection::open_in_memory().expect("SQLite opens in memory")).expect("schema applies")
    }

    fn with_connection(conn: Connection) -> Result<Db, String> {
        conn.execute_batch(SCHEMA)
            .map_err(|e| format!("cannot set up the gateway database: {e}"))?;
        Ok(Db(Arc::new(Mutex::new(conn))))
    }

    pub fn with<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, String> {
        let conn = self.0.lock().unwrap_or_else(|p| p.into_inner());
        f(&conn).map_err(|e| format!("gateway database: {e}"))
    }
}

//! The audit log: one row per proxied request (time, who, method, path, the patient it
//! concerns where the path, query or body names one, status, endpoint, duration). Never keys,
//! passwords, cookies or bodies. Rows are written by one thread in batches, so a request never
//! waits for the disk.

use std::sync::mpsc;

use rusqlite::params;
use serde::Serialize;

use crate::db::Db;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditRow {
    /// UTC, `yyyy-MM-dd HH:mm:ss.SSS`.
    pub time: String,
    /// "user:alice" or, later, "device:…".
    pub actor: String,
    /// The customer key's id (`Keys::customer_id`), never the key.
    pub customer: String,
    pub method: String,
    /// The path below /api/v1 with its query.
    pub path: String,
    pub pat_num: Option<i64>,
    pub status: u16,
    pub endpoint: String,
    pub duration_ms: u64,
}

impl AuditRow {
    /// A row for a request `session` makes now; status, endpoint and duration are filled in
    /// as it goes.
    pub fn begin(session: &crate::sessions::Session, customer: &str, method: &str, path: &str) -> AuditRow {
        AuditRow {
            time: chrono::Utc::now().format("%Y-%m-%d %H:%M:%S%.3f").to_string(),
            actor: format!("user:{}", session.user),
            customer: customer.to_owned(),
            method: method.to_owned(),
            path: path.to_owned(),
            pat_num: None,
            status: 0,
            endpoint: "-".into(),
            duration_ms: 0,
        }
    }
}

enum Message {
    Row(AuditRow),
    Flush(std::sync::mpsc::Sender<()>),
}

#[derive(Clone)]
pub struct AuditLog {
    db: Db,
    tx: mpsc::Sender<Message>,
}

/// What `chairside-gateway audit` may filter by.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub user: Option<String>,
    pub pat_num: Option<i64>,
    /// `yyyy-MM-dd` or `yyyy-MM-dd HH:mm:ss` (UTC).
    pub since: Option<String>,
    pub limit: Option<u32>,
}

impl AuditLog {
    pub fn start(db: Db) -> AuditLog {
        let (tx, rx) = mpsc::channel::<Message>();
        let writer_db = db.clone();
        std::thread::Builder::new()
            .name("chairside-audit".into())
            .spawn(move || write_rows(writer_db, rx))
            .expect("the audit writer thread starts");
        AuditLog { db, tx }
    }

    pub fn record(&self, row: AuditRow) {
        let _ = self.tx.send(Message::Row(row));
    }

    /// Waits until every row recorded so far is in the database.
    pub fn flush(&self) {
        let (done, wait) = mpsc::channel();
        if self.tx.send(Message::Flush(done)).is_ok() {
            let _ = wait.recv();
        }
    }

    pub fn query(&self, filter: &AuditFilter) -> Result<Vec<AuditRow>, String> {
        self.flush();
        query(&self.db, filter)
    }
}

pub fn query(db: &Db, filter: &AuditFilter) -> Result<Vec<AuditRow>, String> {
    let since = filter.since.as_deref().map(normalize_since).transpose()?;
    db.with(|c| {
        let mut stmt = c.prepare(
            "SELECT time, actor, customer, method, path, pat_num, status, endpoint, duration_ms FROM audit
             WHERE (?1 IS NULL OR actor = 'user:' || ?1)
               AND (?2 IS NULL OR pat_num = ?2)
               AND (?3 IS NULL OR time >= ?3)
             ORDER BY id DESC LIMIT ?4",
        )?;
        let rows = stmt.query_map(
            params![filter.user, filter.pat_num, since, filter.limit.unwrap_or(1000)],
            |r| {
                Ok(AuditRow {
                    time: r.get(0)?,
                    actor: r.get(1)?,
                    customer: r.get(2)?,
                    method: r.get(3)?,
                    path: r.get(4)?,
                    pat_num: r.get(5)?,
                    status: r.get(6)?,
                    endpoint: r.get(7)?,
                    duration_ms: r.get::<_, i64>(8)?.max(0) as u64,
                })
            },
        )?;
        let mut rows: Vec<AuditRow> = rows.collect::<rusqlite::Result<_>>()?;
        rows.reverse();
        Ok(rows)
    })
}

fn normalize_since(since: &str) -> Result<String, String> {
    let s = since.trim();
    let ok = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
        || chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").is_ok();
    ok.then(|| s.to_owned())
        .ok_or_else(|| format!("--since {since:?}: use yyyy-MM-dd or \"yyyy-MM-dd HH:mm:ss\" (UTC)"))
}

fn write_rows(db: Db, rx: mpsc::Receiver<Message>) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        let mut flushes = Vec::new();
        let rows: Vec<AuditRow> = batch
            .into_iter()
            .filter_map(|m| match m {
                Message::Row(row) => Some(row),
                Message::Flush(done) => {
                    flushes.push(done);
                    None
                }
            })
            .collect();
        if !rows.is_empty() {
            let written = db.with(|c| {
                let tx = c.unchecked_transaction()?;
                {
                    let mut stmt = tx.prepare_cached(
                        "INSERT INTO audit (time, actor, customer, method, path, pat_num, status, endpoint, duration_ms)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    )?;
                    for r in &rows {
                        stmt.execute(params![
                            r.time,
                            r.actor,
                            r.customer,
                            r.method,
                            r.path,
                            r.pat_num,
                            r.status,
                            r.endpoint,
                            r.duration_ms.min(i64::MAX as u64) as i64
                        ])?;
                    }
                }
                tx.commit()
            });
            if let Err(e) = written {
                eprintln!("chairside-gateway: could not write {} audit rows: {e}", rows.len());
            }
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}

/// The patient a request concerns, if its path (`patients/48`), query (`PatNum=48`) or JSON
/// body (a top-level `"PatNum"`) names one.
pub fn patient_of(path: &str, query: Option<&str>, body: &[u8]) -> Option<i64> {
    let mut segments = path.trim_matches('/').split('/');
    if segments.next().is_some_and(|s| s.eq_ignore_ascii_case("patients")) {
        if let Some(n) = segments.next().and_then(|s| s.parse().ok()) {
            return Some(n);
        }
    }
    if let Some(n) = query.into_iter().flat_map(|q| q.split('&')).find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        name.eq_ignore_ascii_case("PatNum")
            .then(|| value.parse().ok())
            .flatten()
    }) {
        return Some(n);
    }
    pat_num_in_body(body)
}

/// How far from either end of a body `patient_of` looks for PatNum.
pub const BODY_WINDOW: usize = 64 * 1024;

/// Finds `"PatNum": 48` or `"PatNum":"48"` in a JSON body without parsing it all: an upload's
/// body is megabytes of base64, which cannot contain a quote, so the field is near one end.
fn pat_num_in_body(body: &[u8]) -> Option<i64> {
    const NEEDLE: &[u8] = b"\"PatNum\"";
    let head = &body[..body.len().min(BODY_WINDOW)];
    let tail = &body[body.len().saturating_sub(BODY_WINDOW)..];
    [head, tail].into_iter().find_map(|part| {
        let at = part.windows(NEEDLE.len()).position(|w| w == NEEDLE)?;
        let rest =
            std::str::from_utf8(&part[at + NEEDLE.len()..][..part.len().saturating_sub(at + NEEDLE.len()).min(40)])
                .ok()?;
        let rest = rest
            .trim_start()
            .strip_prefix(':')?
            .trim_start()
            .trim_start_matches('"');
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(actor: &str, pat_num: Option<i64>, time: &str) -> AuditRow {
        AuditRow {
            time: time.into(),
            actor: actor.into(),
            customer: "cust-00000000".into(),
            method: "GET".into(),
            path: "documents?PatNum=48".into(),
            pat_num,
            status: 200,
            endpoint: "Sandbox".into(),
            duration_ms: 3,
        }
    }

    #[test]
    fn patients_are_found_in_path_query_or_body() {
        assert_eq!(patient_of("patients/48", None, b""), Some(48));
        assert_eq!(patient_of("/patients", Some("LName=smi"), b""), None);
        assert_eq!(patient_of("documents", Some("PatNum=12&Offset=100"), b""), Some(12));
        assert_eq!(patient_of("documents/7", None, b""), None);
        let upload = format!(
            "{{\"PatNum\": 101,\"rawBase64\":\"{}\",\"extension\":\".jpg\"}}",
            "A".repeat(200_000)
        );
        assert_eq!(patient_of("documents/Upload", None, upload.as_bytes()), Some(101));
        assert_eq!(
            patient_of("documents/Upload", None, br#"{"x":1,"PatNum":"77"}"#),
            Some(77)
        );
        assert_eq!(patient_of("documents/SetByUrl", None, br#"{"PatNum":"x"}"#), None);
    }

    #[test]
    fn rows_are_written_and_filtered() {
        let db = Db::in_memory();
        let log = AuditLog::start(db);
        log.record(row("user:alice", Some(48), "2026-11-20 10:00:00.000"));
        log.record(row("user:bob", Some(48), "2026-11-21 10:00:00.000"));
        log.record(row("user:alice", None, "2026-11-22 10:00:00.000"));
        let all = log.query(&AuditFilter::default()).unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(all[0].actor, "user:alice");
        let alice = AuditFilter {
            user: Some("alice".into()),
            ..Default::default()
        };
        assert_eq!(log.query(&alice).unwrap().len(), 2);
        let patient = AuditFilter {
            pat_num: Some(48),
            since: Some("2026-11-21".into()),
            ..Default::default()
        };
        let rows = log.query(&patient).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].actor, "user:bob");
        assert!(log
            .query(&AuditFilter {
                since: Some("last week".into()),
                ..Default::default()
            })
            .is_err());
    }
}

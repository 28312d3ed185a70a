//! Staff accounts (argon2id hashes in the gateway's database) and the sign-in brake: after
//! five failures an account, and separately an address, must wait before trying again, and
//! the wait doubles with each further failure.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use rusqlite::{params, OptionalExtension};

use crate::db::Db;

pub const MIN_PASSWORD_CHARS: usize = 10;

#[derive(Clone)]
pub struct Accounts {
    db: Db,
}

/// Verifying against this when the account does not exist takes as long as a real check, so
/// timing does not tell which usernames exist.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("no such account, no such password").expect("argon2 hashes"))
}

pub fn hash_password(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| format!("could not hash the password: {e}"))
}

fn check_username(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    ok.then_some(())
        .ok_or_else(|| format!("{name:?} is not a usable username: use 1 to 64 letters, digits, '.', '_', '-' or '@'"))
}

pub fn check_password(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "the password must be at least {MIN_PASSWORD_CHARS} characters long"
        ));
    }
    Ok(())
}

impl Accounts {
    pub fn new(db: Db) -> Accounts {
        Accounts { db }
    }

    pub fn add(&self, username: &str, password: &str) -> Result<(), String> {
        check_username(username)?;
        check_password(password)?;
        let hash = hash_password(password)?;
        let created = chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string();
        let added = self.db.with(|c| {
            c.execute(
                "INSERT INTO users (username, password_hash, created) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                params![username, hash, created],
            )
        })?;
        if added == 0 {
            return Err(format!("there is already a user {username}"));
        }
        Ok(())
    }

    pub fn set_password(&self, username: &str, password: &str) -> Result<(), String> {
        check_password(password)?;
        let hash = hash_password(password)?;
        let changed = self.db.with(|c| {
            c.execute(
                "UPDATE users SET password_hash = ?2 WHERE username = ?1",
                params![username, hash],
            )
        })?;
        if changed == 0 {
            return Err(format!("there is no user {username}"));
        }
        Ok(())
    }

    pub fn remove(&self, username: &str) -> Result<(), String> {
        let removed = self
            .db
            .with(|c| c.execute("DELETE FROM users WHERE username = ?1", params![username]))?;
        if removed == 0 {
            return Err(format!("there is no user {username}"));
        }
        Ok(())
    }

    /// (username, created) of every account.
    pub fn list(&self) -> Result<Vec<(String, String)>, String> {
        self.db.with(|c| {
            let mut stmt = c.prepare("SELECT username, created FROM users ORDER BY username")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        })
    }

    pub fn is_empty(&self) -> Result<bool, String> {
        self.db
            .with(|c| c.query_row("SELECT COUNT(*) = 0 FROM users", [], |r| r.get(0)))
    }

    /// The account's own spelling of the name if the password is right. Slow on purpose
    /// (argon2): call it off the async threads.
    pub fn verify(&self, username: &str, password: &str) -> Option<String> {
        let found: Option<(String, String)> = self
            .db
            .with(|c| {
                c.query_row(
                    "SELECT username, password_hash FROM users WHERE username = ?1",
                    params![username],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
            })
            .ok()
            .flatten();
        let stored = found.as_ref().map_or(dummy_hash(), |(_, h)| h.as_str());
        let parsed = PasswordHash::new(stored).ok()?;
        let right = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
        found.filter(|_| right).map(|(name, _)| name)
    }
}

/// Failed sign-ins per account and per address.
pub struct SignInBrake {
    free_failures: u32,
    first_wait: Duration,
    longest_wait: Duration,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Default for SignInBrake {
    fn default() -> Self {
        SignInBrake {
            free_failures: 5,
            first_wait: Duration::from_secs(5),
            longest_wait: Duration::from_secs(15 * 60),
            failures: Mutex::new(HashMap::new()),
        }
    }
}

impl SignInBrake {
    /// The wait after `count` failures, the last at `last`.
    fn wait_after(&self, count: u32) -> Duration {
        if count < self.free_failures {
            return Duration::ZERO;
        }
        let doublings = (count - self.free_failures).min(16);
        (self.first_wait * 2u32.pow(doublings)).min(self.longest_wait)
    }

    /// How long these subjects ("user:alice", "addr:10.0.0.5") must still wait, if at all.
    pub fn must_wait(&self, subjects: &[String], now: Instant) -> Option<Duration> {
        let table = self.failures.lock().unwrap();
        subjects
            .iter()
            .filter_map(|s| table.get(s))
            .map(|&(count, last)| (last + self.wait_after(count)).saturating_duration_since(now))
            .filter(|wait| !wait.is_zero())
            .max()
    }

    pub fn failed(&self, subjects: &[String], now: Instant) {
        let mut table = self.failures.lock().unwrap();
        // Forget failures long past, so the table does not grow forever.
        table.retain(|_, (_, last)| now.saturating_duration_since(*last) < self.longest_wait * 2);
        for s in subjects {
            let entry = table.entry(s.clone()).or_insert((0, now));
            *entry = (entry.0 + 1, now);
        }
    }

    pub fn succeeded(&self, subjects: &[String]) {
        let mut table = self.failures.lock().unwrap();
        for s in subjects {
            table.remove(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_store_argon2id_hashes_and_check_passwords() {
        let accounts = Accounts::new(Db::in_memory());
        assert!(accounts.is_empty().unwrap());
        accounts.add("alice", "correct horse battery").unwrap();
        assert!(
            accounts.add("ALICE", "another password").is_err(),
            "names are case-blind"
        );
        assert!(accounts.add("bob", "short").unwrap_err().contains("at least 10"));
        assert!(accounts.add("bo b", "long enough password").is_err());

        let stored: String = Db::with(&accounts.db, |c| {
            c.query_row("SELECT password_hash FROM users", [], |r| r.get(0))
        })
        .unwrap();
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(!stored.contains("correct horse"));

        assert_eq!(
            accounts.verify("Alice", "correct horse battery").as_deref(),
            Some("alice")
        );
        assert_eq!(accounts.verify("alice", "wrong password here"), None);
        assert_eq!(accounts.verify("nobody", "correct horse battery"), None);

        accounts.set_password("alice", "a new long password").unwrap();
        assert_eq!(accounts.verify("alice", "correct horse battery"), None);
        assert!(accounts.verify("alice", "a new long password").is_some());
        assert_eq!(accounts.list().unwrap()[0].0, "alice");
        accounts.remove("alice").unwrap();
        assert!(accounts.remove("alice").is_err());
        assert!(accounts.is_empty().unwrap());
    }

    #[test]
    fn five_failures_then_doubling_waits_per_subject() {
        let brake = SignInBrake::default();
        let t0 = Instant::now();
        let alice = vec!["user:alice".to_owned(), "addr:10.0.0.5".to_owned()];
        for i in 0..4 {
            brake.failed(&alice, t0 + Duration::from_secs(i));
            assert_eq!(brake.must_wait(&alice, t0 + Duration::from_secs(i)), None);
        }
        brake.failed(&alice, t0 + Duration::from_secs(4));
        assert_eq!(
            brake.must_wait(&alice, t0 + Duration::from_secs(4)),
            Some(Duration::from_secs(5))
        );
        // The same address trying another account is slowed too; another address for alice too.
        let same_addr = vec!["user:bob".to_owned(), "addr:10.0.0.5".to_owned()];
        assert!(brake.must_wait(&same_addr, t0 + Duration::from_secs(5)).is_some());
        let other_addr = vec!["user:alice".to_owned(), "addr:10.0.0.9".to_owned()];
        assert!(brake.must_wait(&other_addr, t0 + Duration::from_secs(5)).is_some());
        assert_eq!(brake.must_wait(&alice, t0 + Duration::from_secs(9)), None);
        brake.failed(&alice, t0 + Duration::from_secs(9));
        assert_eq!(
            brake.must_wait(&alice, t0 + Duration::from_secs(9)),
            Some(Duration::from_secs(10))
        );
        for _ in 0..20 {
            brake.failed(&alice, t0 + Duration::from_secs(9));
        }
        assert_eq!(
            brake.must_wait(&alice, t0 + Duration::from_secs(9)),
            Some(Duration::from_secs(900))
        );
        brake.succeeded(&alice);
        assert_eq!(brake.must_wait(&alice, t0 + Duration::from_secs(9)), None);
    }
}

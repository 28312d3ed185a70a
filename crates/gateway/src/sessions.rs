//! Staff sessions: a random token in an HttpOnly cookie, and the session it names held here
//! on the server, with an idle timeout and an absolute lifetime. Only a hash of each token is
//! kept, so the table itself holds nothing a browser could present.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine;
use sha2::{Digest, Sha256};

/// The gateway's clock. Tests move it forward to expire sessions without waiting.
#[derive(Default)]
pub struct Clock {
    skew: Mutex<Duration>,
}

impl Clock {
    pub fn now(&self) -> Instant {
        Instant::now() + *self.skew.lock().unwrap()
    }

    pub fn advance(&self, by: Duration) {
        *self.skew.lock().unwrap() += by;
    }
}

/// A signed-in staff member's session.
#[derive(Clone, Debug)]
pub struct Session {
    /// A short random id, not the token: names the session in throttle queues and logs.
    pub id: String,
    pub user: String,
    pub created: Instant,
    pub last_seen: Instant,
}

/// How long a session has left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Remaining {
    pub idle: Duration,
    pub absolute: Duration,
}

pub struct Sessions {
    idle: Duration,
    absolute: Duration,
    by_token_hash: Mutex<HashMap<String, Session>>,
}

/// 32 random bytes from the operating system, URL-safe base64.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).expect("the operating system provides random bytes");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) fn token_hash(token: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

impl Sessions {
    pub fn new(idle: Duration, absolute: Duration) -> Sessions {
        Sessions {
            idle,
            absolute,
            by_token_hash: Mutex::new(HashMap::new()),
        }
    }

    pub fn idle_timeout(&self) -> Duration {
        self.idle
    }

    /// Starts a session for `user`; returns the token for the cookie.
    pub fn create(&self, user: &str, now: Instant) -> (String, Session) {
        let token = random_token();
        let session = Session {
            id: random_token()[..12].to_owned(),
            user: user.to_owned(),
            created: now,
            last_seen: now,
        };
        let mut table = self.by_token_hash.lock().unwrap();
        table.retain(|_, s| self.alive(s, now));
        table.insert(token_hash(&token), session.clone());
        (token, session)
    }

    fn alive(&self, s: &Session, now: Instant) -> bool {
        now.saturating_duration_since(s.last_seen) < self.idle
            && now.saturating_duration_since(s.created) < self.absolute
    }

    /// The live session a token names. `touch` counts this as activity (it extends the idle
    /// timeout); an expired session is removed.
    pub fn get(&self, token: &str, now: Instant, touch: bool) -> Option<Session> {
        let key = token_hash(token);
        let mut table = self.by_token_hash.lock().unwrap();
        let session = table.get_mut(&key)?;
        if !self.alive(session, now) {
            table.remove(&key);
            return None;
        }
        if touch {
            session.last_seen = now;
        }
        Some(session.clone())
    }

    pub fn remaining(&self, s: &Session, now: Instant) -> Remaining {
        Remaining {
            idle: self.idle.saturating_sub(now.saturating_duration_since(s.last_seen)),
            absolute: self.absolute.saturating_sub(now.saturating_duration_since(s.created)),
        }
    }

    pub fn remove(&self, token: &str) {
        self.by_token_hash.lock().unwrap().remove(&token_hash(token));
    }

    /// Ends every session of `user` (the account was removed or its password changed).
    pub fn remove_user(&self, user: &str) {
        self.by_token_hash.lock().unwrap().retain(|_, s| s.user != user);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_and_absolute_expiry() {
        let sessions = Sessions::new(Duration::from_secs(900), Duration::from_secs(3600));
        let t0 = Instant::now();
        let (token, s) = sessions.create("alice", t0);
        assert_ne!(token, s.id);
        assert!(token.len() >= 43, "256 bits of randomness");
        assert!(sessions.get("not-a-token", t0, true).is_none());

        // Activity keeps it alive past the idle timeout...
        let t1 = t0 + Duration::from_secs(800);
        assert!(sessions.get(&token, t1, true).is_some());
        let t2 = t1 + Duration::from_secs(800);
        let s = sessions.get(&token, t2, false).unwrap();
        assert_eq!(
            sessions.remaining(&s, t2),
            Remaining {
                idle: Duration::from_secs(100),
                absolute: Duration::from_secs(2000)
            }
        );
        // ...a look without touching does not.
        assert!(sessions.get(&token, t2 + Duration::from_secs(101), true).is_none());
        assert!(
            sessions.get(&token, t2, true).is_none(),
            "an expired session is gone for good"
        );

        // Busy all the time: still ends at the absolute lifetime.
        let (token, _) = sessions.create("bob", t0);
        for minutes in (10..=50).step_by(10) {
            assert!(sessions
                .get(&token, t0 + Duration::from_secs(minutes * 60), true)
                .is_some());
        }
        assert!(sessions.get(&token, t0 + Duration::from_secs(3600), true).is_none());
    }

    #[test]
    fn sign_out_and_account_removal_end_sessions() {
        let sessions = Sessions::new(Duration::from_secs(900), Duration::from_secs(3600));
        let now = Instant::now();
        let (a, _) = sessions.create("alice", now);
        let (b, _) = sessions.create("bob", now);
        let (a2, _) = sessions.create("alice", now);
        sessions.remove(&a);
        assert!(sessions.get(&a, now, true).is_none());
        sessions.remove_user("alice");
        assert!(sessions.get(&a2, now, true).is_none());
        assert!(sessions.get(&b, now, true).is_some());
    }
}

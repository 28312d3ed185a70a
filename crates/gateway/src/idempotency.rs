//! Uploads carry an `Idempotency-Key`. The gateway remembers Open Dental's answer to each
//! key, so a retry after the browser lost that answer gets the same document back without the
//! file being sent again; a retry while the first attempt is still on its way waits for it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use bytes::Bytes;
use sha2::{Digest, Sha256};
use tokio::sync::watch;

/// What Open Dental answered, kept to be given again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub body: Bytes,
}

enum Entry {
    /// The first attempt is on its way (its body perhaps still arriving); the channel says
    /// when it is settled.
    InFlight { settled: watch::Receiver<bool> },
    Done {
        fingerprint: [u8; 32],
        answer: Answer,
        at: Instant,
    },
}

pub struct Idempotency {
    keep_for: Duration,
    entries: Mutex<HashMap<String, Entry>>,
}

/// What to do with a request that carries a key.
pub enum Claim {
    /// Send it; call `settle` with the outcome.
    Send(Attempt),
    /// Already answered: given again only to the same body (see `Answered::replay_for`).
    Answered(Answered),
}

/// A key's kept answer, with the fingerprint of the body that got it.
pub struct Answered {
    fingerprint: [u8; 32],
    answer: Answer,
}

impl Answered {
    /// The answer to give again, or `None` if the key came with a different body (a client
    /// bug, refused).
    pub fn replay_for(self, body_fingerprint: &[u8; 32]) -> Option<Answer> {
        (self.fingerprint == *body_fingerprint).then_some(self.answer)
    }
}

/// The right (and duty) to settle one key.
pub struct Attempt {
    key: String,
    settled: watch::Sender<bool>,
}

pub fn fingerprint(body: &[u8]) -> [u8; 32] {
    Sha256::digest(body).into()
}

impl Idempotency {
    pub fn new(keep_for: Duration) -> Idempotency {
        Idempotency {
            keep_for,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// Claims `key` (scoped by the caller, e.g. customer and key). A new key is claimed at
    /// once, before its body has arrived, so the body can be forwarded as it comes.
    pub async fn claim(&self, key: &str, now: Instant) -> Claim {
        loop {
            let mut waiting = {
                let mut entries = self.entries.lock().unwrap();
                entries.retain(
                    |_, e| !matches!(e, Entry::Done { at, .. } if now.saturating_duration_since(*at) > self.keep_for),
                );
                match entries.get(key) {
                    Some(Entry::Done {
                        fingerprint, answer, ..
                    }) => {
                        return Claim::Answered(Answered {
                            fingerprint: *fingerprint,
                            answer: answer.clone(),
                        })
                    }
                    // Settled yet still in flight: that attempt was dropped without an
                    // outcome (its handler cancelled). Nothing is known of it; this one sends.
                    Some(Entry::InFlight { settled }) if !*settled.borrow() => settled.clone(),
                    _ => {
                        let (tx, rx) = watch::channel(false);
                        entries.insert(key.to_owned(), Entry::InFlight { settled: rx });
                        return Claim::Send(Attempt {
                            key: key.to_owned(),
                            settled: tx,
                        });
                    }
                }
            };
            // Another attempt with this key is on its way: wait for it, then look again.
            let _ = waiting.wait_for(|done| *done).await;
        }
    }

    /// The DocNums that answered keys starting with `prefix` (one customer's): documents known
    /// to be those uploads' own, so never taken for another's.
    pub fn answered_doc_nums(&self, prefix: &str) -> Vec<i64> {
        let entries = self.entries.lock().unwrap();
        entries
            .iter()
            .filter(|(key, _)| key.starts_with(prefix))
            .filter_map(|(_, entry)| match entry {
                Entry::Done { answer, .. } => serde_json::from_slice::<serde_json::Value>(&answer.body).ok(),
                _ => None,
            })
            .filter_map(|doc| {
                let num = &doc["DocNum"];
                num.as_i64().or_else(|| num.as_str().and_then(|s| s.parse().ok()))
            })
            .collect()
    }

    /// Records the outcome: the answer and the fingerprint of the complete body it was given
    /// for. A definite answer (2xx) is kept and given to retries; anything else frees the key,
    /// so a retry is sent (the caller's own checks decide whether to).
    pub fn settle(&self, attempt: Attempt, outcome: Option<([u8; 32], Answer)>, now: Instant) {
        let mut entries = self.entries.lock().unwrap();
        if !matches!(entries.get(&attempt.key), Some(Entry::InFlight { .. })) {
            return;
        }
        match outcome.filter(|(_, a)| (200..300).contains(&a.status)) {
            Some((fingerprint, answer)) => {
                entries.insert(
                    attempt.key.clone(),
                    Entry::Done {
                        fingerprint,
                        answer,
                        at: now,
                    },
                );
            }
            None => {
                entries.remove(&attempt.key);
            }
        }
        drop(entries);
        let _ = attempt.settled.send(true);
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        // An attempt dropped without settling (the handler was cancelled) must not leave
        // waiters hanging: they look again, and `claim` hands the key to the first of them.
        let _ = self.settled.send(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16) -> Answer {
        Answer {
            status,
            content_type: Some("application/json".into()),
            location: None,
            body: Bytes::from_static(b"{\"DocNum\":41}"),
        }
    }

    fn replayed(claim: Claim, body: &[u8]) -> Option<Answer> {
        match claim {
            Claim::Answered(answered) => answered.replay_for(&fingerprint(body)),
            Claim::Send(_) => panic!("expected the kept answer"),
        }
    }

    #[tokio::test]
    async fn a_settled_key_is_replayed_a_failed_one_is_freed_a_different_body_refused() {
        let ids = Idempotency::new(Duration::from_secs(3600));
        let now = Instant::now();
        let Claim::Send(first) = ids.claim("k1", now).await else {
            panic!("first claim sends")
        };
        ids.settle(first, Some((fingerprint(b"body"), answer(201))), now);
        assert_eq!(replayed(ids.claim("k1", now).await, b"body"), Some(answer(201)));
        assert_eq!(replayed(ids.claim("k1", now).await, b"other body"), None, "mismatch");

        let Claim::Send(failed) = ids.claim("k2", now).await else {
            panic!()
        };
        ids.settle(failed, None, now);
        assert!(matches!(ids.claim("k2", now).await, Claim::Send(_)));

        // Expired answers are forgotten.
        let later = now + Duration::from_secs(3601);
        assert!(matches!(ids.claim("k1", later).await, Claim::Send(_)));
    }

    #[tokio::test]
    async fn a_retry_during_the_first_attempt_waits_for_its_answer() {
        let ids = std::sync::Arc::new(Idempotency::new(Duration::from_secs(3600)));
        let now = Instant::now();
        let Claim::Send(first) = ids.claim("k", now).await else {
            panic!()
        };
        let retry = {
            let ids = ids.clone();
            tokio::spawn(async move { ids.claim("k", now).await })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!retry.is_finished());
        ids.settle(first, Some((fingerprint(b"body"), answer(201))), now);
        assert_eq!(replayed(retry.await.unwrap(), b"body"), Some(answer(201)));
    }

    #[tokio::test]
    async fn an_attempt_dropped_unsettled_hands_the_key_to_the_retry_waiting_for_it() {
        let ids = std::sync::Arc::new(Idempotency::new(Duration::from_secs(3600)));
        let now = Instant::now();
        let Claim::Send(first) = ids.claim("k", now).await else {
            panic!()
        };
        let retry = {
            let ids = ids.clone();
            tokio::spawn(async move { ids.claim("k", now).await })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(first);
        let claimed = tokio::time::timeout(Duration::from_secs(2), retry)
            .await
            .expect("the waiting retry is not left spinning")
            .unwrap();
        let Claim::Send(second) = claimed else {
            panic!("the retry sends")
        };
        // And a third waits for the second, as before.
        let third = {
            let ids = ids.clone();
            tokio::spawn(async move { ids.claim("k", now).await })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!third.is_finished());
        ids.settle(second, Some((fingerprint(b"body"), answer(201))), now);
        assert_eq!(replayed(third.await.unwrap(), b"body"), Some(answer(201)));
    }
}

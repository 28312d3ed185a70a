//! Test and demo knobs that can be turned while the server runs: added latency, injected
//! failures, throttle emulation, and the request log that tests use to count requests per
//! screen. The middleware in `middleware.rs` reads them on every API request.

use crate::config::{Config, FailMode};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use tokio::time::Instant;

/// The request log keeps this many entries; a demo left running for days must not grow
/// without bound. `request_count` keeps counting past it.
const REQUEST_LOG_CAPACITY: usize = 10_000;

/// Open Dental's remote throttle for keys with more than read-only permission
/// (apiimplementation.md, "Throttling").
const THROTTLE_INTERVAL: Duration = Duration::from_secs(1);

pub struct Knobs {
    latency_ms: AtomicU64,
    failures: Mutex<FailurePlan>,
    throttle: AtomicBool,
    /// Documents POST Upload writes the file at once (else it stays pending in the Note).
    import_uploads: AtomicBool,
    /// When each customer key may next be served, while throttling.
    next_turn: Mutex<HashMap<String, Instant>>,
    request_count: AtomicU64,
    request_log: Mutex<VecDeque<String>>,
}

struct FailurePlan {
    every: u64,
    mode: FailMode,
    matching: String,
    /// Matching requests seen since the plan was set.
    seen: u64,
}

impl Knobs {
    pub fn new(config: &Config) -> Knobs {
        Knobs {
            latency_ms: AtomicU64::new(config.latency_ms),
            failures: Mutex::new(FailurePlan {
                every: config.fail_every,
                mode: config.fail_mode,
                matching: config.fail_match.clone(),
                seen: 0,
            }),
            throttle: AtomicBool::new(config.throttle),
            import_uploads: AtomicBool::new(config.import_uploads == crate::config::ImportUploads::AtOnce),
            next_turn: Mutex::new(HashMap::new()),
            request_count: AtomicU64::new(0),
            request_log: Mutex::new(VecDeque::new()),
        }
    }

    pub fn set_latency_ms(&self, ms: u64) {
        self.latency_ms.store(ms, Ordering::Relaxed);
    }

    pub fn latency(&self) -> Duration {
        Duration::from_millis(self.latency_ms.load(Ordering::Relaxed))
    }

    /// From now on every `every`th request whose "METHOD /path" contains `matching` fails in
    /// `mode` (the first `every - 1` succeed). Restarts the count.
    pub fn fail_requests(&self, every: u64, mode: FailMode, matching: &str) {
        *lock(&self.failures) = FailurePlan {
            every,
            mode,
            matching: matching.to_owned(),
            seen: 0,
        };
    }

    pub fn stop_failing(&self) {
        self.fail_requests(0, FailMode::ServerError, "");
    }

    /// Counts `request` (e.g. "PUT /treatplanattaches/5") against the failure plan and says
    /// whether and how this one must fail.
    pub fn failure_for(&self, request: &str) -> Option<FailMode> {
        let mut plan = lock(&self.failures);
        if plan.every == 0 || !request.contains(plan.matching.as_str()) {
            return None;
        }
        plan.seen += 1;
        plan.seen.is_multiple_of(plan.every).then_some(plan.mode)
    }

    pub fn set_throttle(&self, on: bool) {
        self.throttle.store(on, Ordering::Relaxed);
        if !on {
            lock(&self.next_turn).clear();
        }
    }

    pub fn throttle(&self) -> bool {
        self.throttle.load(Ordering::Relaxed)
    }

    /// `--import-uploads`: true = at-once, false = never.
    pub fn set_import_uploads(&self, at_once: bool) {
        self.import_uploads.store(at_once, Ordering::Relaxed);
    }

    pub fn import_uploads_at_once(&self) -> bool {
        self.import_uploads.load(Ordering::Relaxed)
    }

    /// Books the next free one-second slot for `customer_key` and returns when it starts.
    /// Requests are served in the order they asked, one per interval.
    pub fn book_throttle_turn(&self, customer_key: &str) -> Instant {
        let now = Instant::now();
        let mut turns = lock(&self.next_turn);
        let turn = turns.get(customer_key).map_or(now, |&next| next.max(now));
        turns.insert(customer_key.to_owned(), turn + THROTTLE_INTERVAL);
        turn
    }

    /// API requests received (CORS preflights excluded) since start or the last
    /// `clear_request_log`.
    pub fn request_count(&self) -> u64 {
        self.request_count.load(Ordering::Relaxed)
    }

    /// "METHOD /path?query" of each counted request, oldest first (the path is after
    /// /api/v1; headers are never logged, so the keys never are).
    pub fn requests(&self) -> Vec<String> {
        lock(&self.request_log).iter().cloned().collect()
    }

    /// Empties the log and restarts `request_count` from zero.
    pub fn clear_request_log(&self) {
        let mut log = lock(&self.request_log);
        log.clear();
        self.request_count.store(0, Ordering::Relaxed);
    }

    pub fn record_request(&self, request: String) {
        let mut log = lock(&self.request_log);
        if log.len() == REQUEST_LOG_CAPACITY {
            log.pop_front();
        }
        log.push_back(request);
        self.request_count.fetch_add(1, Ordering::Relaxed);
    }
}

/// A panic while holding one of these locks leaves plain data behind, still usable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_nth_matching_request_fails() {
        let knobs = Knobs::new(&Config::for_tests());
        assert_eq!(knobs.failure_for("GET /patients"), None);
        knobs.fail_requests(3, FailMode::GatewayTimeout, "PUT /treatplanattaches");
        let outcomes: Vec<_> = (0..7)
            .map(|i| knobs.failure_for(&format!("PUT /treatplanattaches/{i}")).is_some())
            .collect();
        assert_eq!(outcomes, [false, false, true, false, false, true, false]);
        // Other requests neither fail nor move the count.
        assert_eq!(knobs.failure_for("GET /treatplanattaches?TreatPlanNum=1"), None);
        assert_eq!(knobs.failure_for("PUT /treatplanattaches/8"), None);
        assert_eq!(
            knobs.failure_for("PUT /treatplanattaches/9"),
            Some(FailMode::GatewayTimeout)
        );
        knobs.stop_failing();
        assert_eq!(knobs.failure_for("PUT /treatplanattaches/9"), None);
    }

    #[tokio::test]
    async fn throttle_turns_are_a_second_apart_per_customer() {
        let knobs = Knobs::new(&Config::for_tests());
        let a1 = knobs.book_throttle_turn("a");
        let a2 = knobs.book_throttle_turn("a");
        let b1 = knobs.book_throttle_turn("b");
        assert_eq!(a2 - a1, THROTTLE_INTERVAL);
        assert!(b1 < a2);
    }

    #[test]
    fn the_log_is_bounded_but_the_count_is_not() {
        let knobs = Knobs::new(&Config::for_tests());
        for i in 0..REQUEST_LOG_CAPACITY + 5 {
            knobs.record_request(format!("GET /patients/{i}"));
        }
        assert_eq!(knobs.request_count(), REQUEST_LOG_CAPACITY as u64 + 5);
        assert_eq!(knobs.requests().len(), REQUEST_LOG_CAPACITY);
        assert_eq!(knobs.requests()[0], "GET /patients/5");
        knobs.clear_request_log();
        assert_eq!((knobs.request_count(), knobs.requests().len()), (0, 0));
    }
}

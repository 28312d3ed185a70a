//! Which Open Dental endpoint to try, and when a failed request may go to the next one
//! (apilocal.md recommends cascading from the office's Local/Service endpoint to Remote).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::EndpointConfig;

pub struct Endpoint {
    pub config: EndpointConfig,
    /// The base URL without a trailing slash.
    pub base_url: String,
    failed_until: Mutex<Option<Instant>>,
}

impl Endpoint {
    pub fn label(&self) -> String {
        self.config.label()
    }
}

/// The configured endpoints and their health.
pub struct Endpoints {
    pub list: Vec<Endpoint>,
    cooldown: Duration,
}

/// How an attempt at one endpoint ended without an HTTP answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The connection could not be made: not one byte of the request left.
    Connect,
    /// No answer in time.
    Timeout,
    /// The connection broke after the request had started.
    Broken,
}

/// Whether a request that failed this way may be sent to the next endpoint. Reads are safe
/// to repeat; a write may be repeated only if it certainly never reached Open Dental.
pub fn may_fall_over(is_read: bool, failure: Failure) -> bool {
    is_read || failure == Failure::Connect
}

impl Endpoints {
    pub fn new(configs: &[EndpointConfig], cooldown: Duration) -> Endpoints {
        let list = configs
            .iter()
            .map(|config| Endpoint {
                base_url: config.url.trim().trim_end_matches('/').to_owned(),
                config: config.clone(),
                failed_until: Mutex::new(None),
            })
            .collect();
        Endpoints { list, cooldown }
    }

    fn cooling_until(&self, index: usize, now: Instant) -> Option<Instant> {
        self.list[index]
            .failed_until
            .lock()
            .unwrap()
            .filter(|until| *until > now)
    }

    /// The order to try: endpoints not cooling down, in configured order, then the cooling
    /// ones, soonest back first, so a request is never refused only because all failed lately.
    pub fn order(&self, now: Instant) -> Vec<usize> {
        let (mut ready, mut cooling): (Vec<usize>, Vec<usize>) =
            (0..self.list.len()).partition(|&i| self.cooling_until(i, now).is_none());
        cooling.sort_by_key(|&i| self.cooling_until(i, now));
        ready.append(&mut cooling);
        ready
    }

    pub fn mark_failed(&self, index: usize, now: Instant) {
        *self.list[index].failed_until.lock().unwrap() = Some(now + self.cooldown);
    }

    pub fn mark_ok(&self, index: usize) {
        *self.list[index].failed_until.lock().unwrap() = None;
    }

    /// The endpoint requests go to now (for the connection chip).
    pub fn current(&self, now: Instant) -> &Endpoint {
        &self.list[self.order(now)[0]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::EndpointKind;

    fn endpoints() -> Endpoints {
        let e = |kind, url: &str| EndpointConfig {
            kind,
            url: url.into(),
            label: None,
            throttled: None,
        };
        Endpoints::new(
            &[
                e(EndpointKind::Local, "http://localhost:30222/api/v1/"),
                e(EndpointKind::Service, "http://server:30223/api/v1"),
                e(EndpointKind::Remote, "https://api.opendental.com/api/v1"),
            ],
            Duration::from_secs(30),
        )
    }

    #[test]
    fn failed_endpoints_cool_down_then_come_back_in_configured_order() {
        let e = endpoints();
        let t0 = Instant::now();
        assert_eq!(e.order(t0), [0, 1, 2]);
        assert_eq!(e.list[0].base_url, "http://localhost:30222/api/v1");
        e.mark_failed(0, t0);
        e.mark_failed(1, t0 + Duration::from_secs(5));
        assert_eq!(e.order(t0 + Duration::from_secs(6)), [2, 0, 1]);
        assert_eq!(e.current(t0 + Duration::from_secs(6)).label(), "Remote");
        // All down: still tried, soonest back first.
        e.mark_failed(2, t0 + Duration::from_secs(6));
        assert_eq!(e.order(t0 + Duration::from_secs(7)), [0, 1, 2]);
        // 0 is back; 1 comes back before 2.
        assert_eq!(e.order(t0 + Duration::from_secs(31)), [0, 1, 2]);
        e.mark_failed(0, t0 + Duration::from_secs(31));
        assert_eq!(e.order(t0 + Duration::from_secs(32)), [1, 2, 0]);
        e.mark_ok(1);
        assert_eq!(e.order(t0 + Duration::from_secs(7)), [1, 2, 0]);
    }

    #[test]
    fn only_reads_or_writes_that_never_left_fall_over() {
        assert!(may_fall_over(true, Failure::Connect));
        assert!(may_fall_over(true, Failure::Timeout));
        assert!(may_fall_over(true, Failure::Broken));
        assert!(may_fall_over(false, Failure::Connect));
        assert!(!may_fall_over(false, Failure::Timeout));
        assert!(!may_fall_over(false, Failure::Broken));
    }
}

//! The kiosk's idle clock: a warning, then a reset, after `idle_seconds` without a touch or
//! key; and how often a patient's touches tell the gateway they are still there (the gateway
//! ends an intake after `idle_seconds + 60` s without a request about it).

/// Where the idle time stands at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Idle {
    Active,
    /// Whole seconds left before the reset (at least 1).
    Warning(u32),
    TimedOut,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IdleClock {
    idle_ms: f64,
    /// The last touch, in `Date.now()` milliseconds.
    last_touch: f64,
    /// The last time the gateway heard about this intake.
    last_ping: f64,
}

impl IdleClock {
    pub fn new(idle_seconds: u32, now: f64) -> Self {
        IdleClock {
            idle_ms: idle_seconds.max(2) as f64 * 1000.0,
            last_touch: now,
            last_ping: now,
        }
    }

    /// The warning shows for the last half of the idle time, at most 20 s.
    fn warn_ms(&self) -> f64 {
        (self.idle_ms / 2.0).min(20_000.0)
    }

    pub fn at(&self, now: f64) -> Idle {
        let elapsed = now - self.last_touch;
        if elapsed >= self.idle_ms {
            Idle::TimedOut
        } else if elapsed >= self.idle_ms - self.warn_ms() {
            Idle::Warning(((self.idle_ms - elapsed) / 1000.0).ceil().max(1.0) as u32)
        } else {
            Idle::Active
        }
    }

    /// A touch or key. `true` when the gateway should hear of it now (POST activity): a touch
    /// after half the idle time without any request, so a patient who is busy but sends
    /// nothing (typing slowly, framing a photo) never outlives the gateway's intake.
    pub fn touch(&mut self, now: f64) -> bool {
        self.last_touch = now;
        if now - self.last_ping >= self.idle_ms / 2.0 {
            self.last_ping = now;
            return true;
        }
        false
    }

    /// A request about the intake reached the gateway (which extends its expiry).
    pub fn pinged(&mut self, now: f64) {
        self.last_ping = self.last_ping.max(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_for_the_last_part_then_times_out() {
        let clock = IdleClock::new(90, 0.0);
        assert_eq!(clock.at(69_999.0), Idle::Active);
        assert_eq!(clock.at(70_000.0), Idle::Warning(20));
        assert_eq!(clock.at(89_001.0), Idle::Warning(1));
        assert_eq!(clock.at(90_000.0), Idle::TimedOut);
        // Short timeouts warn for half of it.
        let short = IdleClock::new(4, 0.0);
        assert_eq!(short.at(1_999.0), Idle::Active);
        assert_eq!(short.at(2_000.0), Idle::Warning(2));
        assert_eq!(short.at(4_000.0), Idle::TimedOut);
        assert_eq!(IdleClock::new(0, 0.0).at(1_999.0), Idle::Warning(1), "at least 2 s");
    }

    #[test]
    fn a_touch_starts_over_and_tells_the_gateway_at_most_every_half_timeout() {
        let mut clock = IdleClock::new(60, 0.0);
        assert!(!clock.touch(10_000.0), "the gateway heard of the intake 10 s ago");
        assert_eq!(clock.at(60_000.0), Idle::Warning(10));
        assert!(clock.touch(30_000.0));
        assert!(!clock.touch(31_000.0));
        assert_eq!(clock.at(70_999.0), Idle::Active, "the last touch counts");
        assert_eq!(clock.at(71_000.0), Idle::Warning(20));
        clock.pinged(70_000.0);
        assert!(!clock.touch(95_000.0), "an upload at 70 s counted");
        assert!(clock.touch(100_000.0));
    }
}

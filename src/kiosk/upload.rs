//! What becomes of one photo's PUT: arrived, refused (final: the patient retakes or skips),
//! gone (the intake ended), or unclear (the network, or a 5xx). An unclear one goes again with
//! the same Idempotency-Key, so the gateway stores it once however often it is sent: after a
//! pause while online, or as soon as the network is back.

/// Pauses before the automatic retries, in milliseconds; after the last, the patient is asked.
pub const BACKOFF_MS: [u32; 4] = [1_000, 2_000, 4_000, 8_000];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Arrived,
    /// A 4xx other than 410: sending it again would not help. 413: too large.
    Refused {
        too_large: bool,
    },
    /// 410: the intake has ended.
    Gone,
    /// 401: this device is no longer a kiosk.
    Revoked,
    /// No answer, or a 5xx.
    Unclear {
        offline: bool,
    },
}

impl Outcome {
    /// From the HTTP status, or `None` when no answer came (network error).
    pub fn from_status(status: Option<u16>, online: bool) -> Outcome {
        match status {
            Some(200..=299) => Outcome::Arrived,
            Some(410) => Outcome::Gone,
            Some(401) => Outcome::Revoked,
            Some(413) => Outcome::Refused { too_large: true },
            Some(s) if (400..500).contains(&s) && s != 408 && s != 429 => Outcome::Refused { too_large: false },
            Some(_) => Outcome::Unclear { offline: false },
            None => Outcome::Unclear { offline: !online },
        }
    }
}

/// The pause before retry number `retry` (0-based), or `None` when the patient should decide.
pub fn backoff(retry: u32) -> Option<u32> {
    BACKOFF_MS.get(retry as usize).copied()
}

/// How much of an upload has been sent, in whole percent (0 to 100).
pub fn percent(sent: f64, total: f64) -> u8 {
    if total <= 0.0 {
        return 0;
    }
    (sent / total * 100.0).floor().clamp(0.0, 100.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_whole_percent_and_never_past_the_ends() {
        assert_eq!(percent(0.0, 0.0), 0, "nothing to send yet");
        assert_eq!(percent(0.0, 1000.0), 0);
        assert_eq!(percent(999.0, 1000.0), 99, "not 100 until it is all sent");
        assert_eq!(percent(1000.0, 1000.0), 100);
        assert_eq!(percent(2000.0, 1000.0), 100);
    }

    #[test]
    fn statuses_become_outcomes() {
        assert_eq!(Outcome::from_status(Some(201), true), Outcome::Arrived);
        assert_eq!(Outcome::from_status(Some(410), true), Outcome::Gone);
        assert_eq!(Outcome::from_status(Some(401), true), Outcome::Revoked);
        assert_eq!(
            Outcome::from_status(Some(413), true),
            Outcome::Refused { too_large: true }
        );
        for refused in [400, 403, 404, 415, 422] {
            assert_eq!(
                Outcome::from_status(Some(refused), true),
                Outcome::Refused { too_large: false }
            );
        }
        for unclear in [408, 429, 500, 502, 503, 504] {
            assert_eq!(
                Outcome::from_status(Some(unclear), true),
                Outcome::Unclear { offline: false }
            );
        }
        assert_eq!(Outcome::from_status(None, true), Outcome::Unclear { offline: false });
        assert_eq!(Outcome::from_status(None, false), Outcome::Unclear { offline: true });
    }

    #[test]
    fn each_retry_waits_longer_then_the_patient_decides() {
        let waits: Vec<Option<u32>> = (0..5).map(backoff).collect();
        assert_eq!(waits, [Some(1_000), Some(2_000), Some(4_000), Some(8_000), None]);
    }
}

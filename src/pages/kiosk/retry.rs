//! How a kiosk upload is tried until it is settled. A refusal (4xx) is final. Any other failure
//! leaves it unknown whether Open Dental saved the photo: a dropped connection, a 504 that may
//! still complete, and a 500 too (a real Open Dental can fail after saving). Then, after a pause,
//! the kiosk first looks for exactly that upload among the patient's documents and sends it
//! again (with the same Idempotency-Key) only if it is not there, up to three times; after that
//! the patient is sent to the front desk and the photo is kept until the session ends.

use opendental::ApiError;

/// Waits before the automatic retries, in milliseconds.
pub const BACKOFF_MS: [u32; 3] = [1_000, 2_000, 4_000];

/// What the kiosk does next with a photo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Send,
    /// Pause for this many milliseconds, then check.
    Wait(u32),
    /// Look for the upload among the patient's documents.
    Check,
    /// Give up: the front desk takes over.
    GiveUp,
}

/// The retries of one photo.
#[derive(Debug, Default)]
pub struct Tries {
    retries: usize,
}

impl Tries {
    /// After a failed send, or a failed check.
    pub fn after_failure(&mut self, error: &ApiError) -> Step {
        if !is_unclear(error) {
            return Step::GiveUp;
        }
        match BACKOFF_MS.get(self.retries) {
            Some(&ms) => {
                self.retries += 1;
                Step::Wait(ms)
            }
            None => Step::GiveUp,
        }
    }

    /// After a pause: every retry follows an unclear failure, so it checks first.
    pub fn after_wait(&self) -> Step {
        Step::Check
    }

    /// After a check that did not find the upload.
    pub fn after_not_found(&self) -> Step {
        Step::Send
    }
}

/// Whether Open Dental may have saved the photo despite `error`.
pub fn is_unclear(error: &ApiError) -> bool {
    matches!(error, ApiError::Network { .. }) || error.status().is_some_and(|s| s >= 500)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_final_and_everything_else_is_unclear() {
        assert!(is_unclear(&ApiError::Network { detail: String::new() }));
        assert!(is_unclear(&ApiError::from_response(500, "")));
        assert!(is_unclear(&ApiError::from_response(503, "")));
        assert!(is_unclear(&ApiError::from_response(504, "")));
        assert!(!is_unclear(&ApiError::from_response(400, "bad")));
        assert!(!is_unclear(&ApiError::from_response(401, "key")));
        assert!(!is_unclear(&ApiError::Cancelled));
        assert_eq!(
            Tries::default().after_failure(&ApiError::from_response(400, "bad")),
            Step::GiveUp
        );
    }

    #[test]
    fn each_unclear_failure_waits_longer_then_checks_before_sending_again() {
        let mut tries = Tries::default();
        let dropped = ApiError::Network { detail: String::new() };
        let mut steps = Vec::new();
        for _ in 0..4 {
            let step = tries.after_failure(&dropped);
            steps.push(step);
            if step != Step::GiveUp {
                assert_eq!(tries.after_wait(), Step::Check);
                assert_eq!(tries.after_not_found(), Step::Send);
            }
        }
        assert_eq!(
            steps,
            [Step::Wait(1_000), Step::Wait(2_000), Step::Wait(4_000), Step::GiveUp]
        );
    }

    #[test]
    fn a_failed_check_counts_as_a_try() {
        let mut tries = Tries::default();
        assert_eq!(
            tries.after_failure(&ApiError::from_response(500, "")),
            Step::Wait(1_000)
        );
        assert_eq!(
            tries.after_failure(&ApiError::from_response(504, "")),
            Step::Wait(2_000)
        );
        assert_eq!(tries.after_failure(&ApiError::from_response(404, "gone")), Step::GiveUp);
    }
}

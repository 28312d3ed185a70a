//! When a kiosk upload may be tried again by itself. The kiosk may call only Upload, so it
//! cannot look for an earlier copy the way the staff screen does: it retries only failures
//! where Open Dental certainly did not save the photo, and otherwise sends the patient to the
//! front desk rather than risk a duplicate.

use opendental::ApiError;

/// Waits before the automatic retries, in milliseconds.
pub const BACKOFF_MS: [u32; 3] = [1_000, 2_000, 4_000];

/// `fully_sent`: the whole body had gone out when the failure came.
pub fn is_safe_to_retry(error: &ApiError, fully_sent: bool) -> bool {
    match error {
        // The connection failed before the request was complete: nothing was saved.
        ApiError::Network { .. } => !fully_sent,
        // Open Dental answered that it failed; a 504 may still complete, so not that one.
        ApiError::Status { status, .. } => (500..600).contains(status) && *status != 504,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_certain_failures_are_retried() {
        let network = ApiError::Network { detail: String::new() };
        assert!(is_safe_to_retry(&network, false));
        assert!(!is_safe_to_retry(&network, true), "dropped after sending: maybe saved");
        assert!(is_safe_to_retry(&ApiError::from_response(500, ""), true));
        assert!(is_safe_to_retry(&ApiError::from_response(503, ""), true));
        assert!(!is_safe_to_retry(&ApiError::from_response(504, ""), true));
        assert!(!is_safe_to_retry(&ApiError::from_response(400, "bad"), true));
        assert!(!is_safe_to_retry(&ApiError::Cancelled, false));
    }
}

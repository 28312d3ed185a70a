//! One error type for every way a request can fail, each turned into a sentence a person at
//! the front desk can act on. Open Dental sends an explanation with failures
//! (apispecification.md: "A failure should return an explanation of why it failed"); it may
//! come as plain text, a JSON string, or a JSON object with a message field, and we always
//! show it verbatim. A bare status code is never shown on its own.

use std::fmt;

/// Longest explanation we show; anything longer is cut (an HTML error page, say).
const MAX_EXPLANATION_CHARS: usize = 600;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// No HTTP answer at all: offline, wrong address, CORS refusal, connection dropped.
    Network { detail: String },
    /// An HTTP answer with a failure status, and the server's explanation if it gave one.
    Status { status: u16, explanation: Option<String> },
    /// A success status whose body was not what the API documents.
    UnexpectedResponse { detail: String },
    /// Refused before sending: the JSON body would exceed Open Dental's limit.
    BodyTooLarge { chars: usize },
    /// The user cancelled the request before an answer came.
    Cancelled,
}

/// Open Dental's limit on a POST/PUT body (apiimplementation.md, "Body").
pub const MAX_BODY_CHARS: usize = 16_800_000;

/// Bodies up to this many bytes are worth reading in full: 16.8M characters can take four
/// bytes each. Anything longer is over the character limit whatever it holds.
pub const MAX_BODY_BYTES: usize = MAX_BODY_CHARS * 4 + 1024 * 1024;

/// Whether a UTF-8 body has more than 16.8M characters. Every byte but a continuation byte
/// starts a character, and a body with fewer bytes than the limit cannot be over it.
pub fn exceeds_body_limit(bytes: &[u8]) -> bool {
    bytes.len() > MAX_BODY_CHARS && bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count() > MAX_BODY_CHARS
}

impl ApiError {
    /// Classifies an HTTP answer. Call only for non-2xx statuses.
    pub fn from_response(status: u16, body: &str) -> Self {
        ApiError::Status {
            status,
            explanation: explanation_from_body(body),
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    /// The sentence to show the user.
    pub fn message(&self) -> String {
        match self {
            ApiError::Network { detail } => format!(
                "Could not reach the Open Dental API ({}). Check the address in Settings, that the \
                 API service is running, and this computer's connection, then try again.",
                if detail.trim().is_empty() {
                    "no answer"
                } else {
                    detail.trim()
                }
            ),
            ApiError::UnexpectedResponse { detail } => {
                format!("Open Dental answered in a form Chairside does not understand: {detail}")
            }
            ApiError::BodyTooLarge { chars } => format!(
                "This is too large to send: Open Dental accepts at most {:.1} million characters in \
                 one request, and this would need {:.1} million.",
                MAX_BODY_CHARS as f64 / 1e6,
                *chars as f64 / 1e6
            ),
            ApiError::Cancelled => "Cancelled before Open Dental answered.".to_owned(),
            ApiError::Status { status, explanation } => {
                let (what, fallback) = status_meaning(*status);
                match explanation {
                    Some(text) => format!("{what}: {text}"),
                    None => format!("{what}: {fallback} (HTTP {status})."),
                }
            }
        }
    }

    /// Replaces any secret (an API key) that found its way into the text with "•••", so keys
    /// never reach the screen or a log even if a server echoes them back.
    pub fn redacted(self, secrets: &[&str]) -> Self {
        let scrub = |text: String| {
            secrets
                .iter()
                .filter(|s| s.len() >= 4)
                .fold(text, |t, s| t.replace(s, "•••"))
        };
        match self {
            ApiError::Network { detail } => ApiError::Network { detail: scrub(detail) },
            ApiError::UnexpectedResponse { detail } => ApiError::UnexpectedResponse { detail: scrub(detail) },
            ApiError::Status { status, explanation } => ApiError::Status {
                status,
                explanation: explanation.map(scrub),
            },
            other => other,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ApiError {}

/// What a status means to the user, and what to say when the server gave no explanation.
fn status_meaning(status: u16) -> (&'static str, &'static str) {
    match status {
        400 => ("Open Dental could not accept the request", "it gave no reason"),
        401 => (
            "Open Dental did not accept the API keys",
            "the developer or customer key is wrong, disabled, or lacks permission for this",
        ),
        404 => ("Not found in Open Dental", "the record or method does not exist"),
        410 => (
            "This Open Dental API method has been retired",
            "it is no longer available",
        ),
        504 => (
            "Open Dental did not finish within 60 seconds",
            "the office's server may still complete the request, so check before trying again",
        ),
        429 => (
            "Open Dental is limiting the request rate",
            "wait a moment and try again",
        ),
        500..=599 => ("Open Dental reported a server error", "it gave no details"),
        _ => ("Open Dental refused the request", "it gave no reason"),
    }
}

/// The explanation in a failure body: plain text, a JSON string, or a JSON object with a
/// message field. `None` when the body is empty or an HTML page with nothing to quote.
pub fn explanation_from_body(body: &str) -> Option<String> {
    let body = body.trim().trim_start_matches('\u{feff}');
    if body.is_empty() {
        return None;
    }
    let text = match serde_json::from_str::<serde_json::Value>(body) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Object(map)) => {
            let field = [
                "message",
                "Message",
                "error",
                "Error",
                "detail",
                "title",
                "ExceptionMessage",
            ]
            .iter()
            .find_map(|k| map.get(*k).and_then(|v| v.as_str()).map(str::to_owned))
            .or_else(|| {
                map.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("message"))
                    .and_then(|(_, v)| v.as_str().map(str::to_owned))
            });
            field.unwrap_or_else(|| body.to_owned())
        }
        _ if body.starts_with('<') => return None,
        _ => body.to_owned(),
    };
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.chars().count() > MAX_EXPLANATION_CHARS {
        let cut: String = text.chars().take(MAX_EXPLANATION_CHARS).collect();
        return Some(format!("{cut}…"));
    }
    Some(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explanation_in_every_documented_shape() {
        assert_eq!(
            explanation_from_body("PatNum is required."),
            Some("PatNum is required.".into())
        );
        assert_eq!(
            explanation_from_body("\"Patient not found.\""),
            Some("Patient not found.".into())
        );
        assert_eq!(
            explanation_from_body(r#"{"message":"Invalid DocCategory."}"#),
            Some("Invalid DocCategory.".into())
        );
        assert_eq!(
            explanation_from_body(r#"{"Message":"An error has occurred."}"#),
            Some("An error has occurred.".into())
        );
        assert_eq!(
            explanation_from_body(r#"{"MESSAGE":"odd casing"}"#),
            Some("odd casing".into())
        );
        assert_eq!(explanation_from_body("  "), None);
        assert_eq!(explanation_from_body("\"\""), None);
        assert_eq!(explanation_from_body("<html><body>Bad Gateway</body></html>"), None);
        assert_eq!(explanation_from_body(r#"{"code":7}"#), Some(r#"{"code":7}"#.into()));
    }

    #[test]
    fn long_explanations_are_cut() {
        let long = "x".repeat(5000);
        let got = explanation_from_body(&long).unwrap();
        assert_eq!(got.chars().count(), MAX_EXPLANATION_CHARS + 1);
        assert!(got.ends_with('…'));
    }

    #[test]
    fn every_status_gets_a_sentence_with_the_explanation() {
        for status in [400, 401, 404, 410, 500, 504, 418] {
            let e = ApiError::from_response(status, "\"Because.\"");
            let m = e.message();
            assert!(m.ends_with(": Because."), "{status}: {m}");
            assert!(m.len() > "Because.".len() + 10, "{status}: {m}");
        }
        assert_eq!(
            ApiError::from_response(401, "").message(),
            "Open Dental did not accept the API keys: the developer or customer key is wrong, \
             disabled, or lacks permission for this (HTTP 401)."
        );
        assert!(ApiError::from_response(504, "").message().contains("60 seconds"));
        assert!(ApiError::from_response(401, "x").is_unauthorized());
    }

    #[test]
    fn network_and_size_messages() {
        let m = ApiError::Network {
            detail: "Failed to fetch".into(),
        }
        .message();
        assert!(m.starts_with("Could not reach the Open Dental API (Failed to fetch)."));
        let m = ApiError::BodyTooLarge { chars: 20_000_000 }.message();
        assert!(m.contains("16.8 million") && m.contains("20.0 million"), "{m}");
    }

    #[test]
    fn keys_are_scrubbed_from_every_message() {
        let e =
            ApiError::from_response(401, "Key devKEY123/custKEY456 is disabled").redacted(&["devKEY123", "custKEY456"]);
        assert_eq!(
            e.message(),
            "Open Dental did not accept the API keys: Key •••/••• is disabled"
        );
        let e = ApiError::Network {
            detail: "devKEY123".into(),
        }
        .redacted(&["devKEY123"]);
        assert!(!e.message().contains("devKEY123"));
    }
}

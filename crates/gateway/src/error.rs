//! Every refusal the gateway makes itself, each answered with a sentence the app shows as is.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Marks a 401 that means "sign in to Chairside again" (rather than Open Dental refusing
/// the keys): nothing was forwarded, so the app may send the same request after signing in.
pub const SIGNED_OUT_HEADER: &str = "x-chairside-signed-out";

#[derive(Debug)]
pub enum GatewayError {
    SignedOut(String),
    WrongPassword,
    TooManyAttempts {
        wait_secs: u64,
    },
    Forbidden(String),
    BadRequest(String),
    NotFound(String),
    /// A kiosk credential that is unknown or revoked: the caller clears the cookie.
    NotAKiosk(String),
    Conflict(String),
    /// The thing asked about has ended for good (a kiosk intake).
    Gone(String),
    TooLarge(String),
    UnsupportedType(String),
    Unprocessable(String),
    /// Something this gateway is not set up to do.
    Unavailable(String),
    /// No Open Dental endpoint answered; nothing was changed.
    Unreachable(String),
    /// A write's connection broke, or it got no answer in time: Open Dental may have done it.
    OutcomeUnknown {
        status: StatusCode,
        message: String,
    },
    Internal(String),
}

impl GatewayError {
    pub fn status(&self) -> StatusCode {
        match self {
            GatewayError::SignedOut(_) | GatewayError::WrongPassword => StatusCode::UNAUTHORIZED,
            GatewayError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            GatewayError::Forbidden(_) => StatusCode::FORBIDDEN,
            GatewayError::BadRequest(_) => StatusCode::BAD_REQUEST,
            GatewayError::NotFound(_) => StatusCode::NOT_FOUND,
            GatewayError::NotAKiosk(_) => StatusCode::UNAUTHORIZED,
            GatewayError::Conflict(_) => StatusCode::CONFLICT,
            GatewayError::Gone(_) => StatusCode::GONE,
            GatewayError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            GatewayError::UnsupportedType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            GatewayError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            GatewayError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            GatewayError::Unreachable(_) => StatusCode::BAD_GATEWAY,
            GatewayError::OutcomeUnknown { status, .. } => *status,
            GatewayError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn message(&self) -> String {
        match self {
            GatewayError::WrongPassword => "The username or password is not right.".into(),
            GatewayError::TooManyAttempts { wait_secs } => format!(
                "Too many failed sign-ins for this account or from this computer. Try again in {wait_secs} seconds."
            ),
            GatewayError::SignedOut(m)
            | GatewayError::Forbidden(m)
            | GatewayError::BadRequest(m)
            | GatewayError::NotFound(m)
            | GatewayError::NotAKiosk(m)
            | GatewayError::Conflict(m)
            | GatewayError::Gone(m)
            | GatewayError::TooLarge(m)
            | GatewayError::UnsupportedType(m)
            | GatewayError::Unprocessable(m)
            | GatewayError::Unavailable(m)
            | GatewayError::Unreachable(m)
            | GatewayError::Internal(m) => m.clone(),
            GatewayError::OutcomeUnknown { message, .. } => message.clone(),
        }
    }
}

impl IntoResponse for GatewayError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status(),
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            self.message(),
        )
            .into_response();
        let headers = response.headers_mut();
        match self {
            GatewayError::SignedOut(_) => {
                headers.insert(SIGNED_OUT_HEADER, HeaderValue::from_static("true"));
            }
            GatewayError::TooManyAttempts { wait_secs } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(wait_secs));
            }
            _ => {}
        }
        response
    }
}

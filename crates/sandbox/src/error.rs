//! Failures as Open Dental sends them: a status code and an explanation in plain text
//! (apispecification.md: "A failure should return an explanation of why it failed"). The body
//! is never empty, so a client always has something to show.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// 400: missing or invalid parameters, fields or body.
    BadRequest(String),
    /// 401: missing, malformed or wrong ODFHIR keys.
    Unauthorized(String),
    /// 404: no such record, or no such API method.
    NotFound(String),
    /// 500: the sandbox itself failed (or was told to fail).
    Internal(String),
    /// 504: the request "did not complete within the 60 second time limit".
    GatewayTimeout(String),
}

impl ApiError {
    pub fn bad_request(explanation: impl Into<String>) -> Self {
        ApiError::BadRequest(explanation.into())
    }

    pub fn not_found(explanation: impl Into<String>) -> Self {
        ApiError::NotFound(explanation.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::GatewayTimeout(_) => StatusCode::GATEWAY_TIMEOUT,
        }
    }

    pub fn explanation(&self) -> &str {
        match self {
            ApiError::BadRequest(s)
            | ApiError::Unauthorized(s)
            | ApiError::NotFound(s)
            | ApiError::Internal(s)
            | ApiError::GatewayTimeout(s) => s,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status(), self.explanation())
    }
}

impl std::error::Error for ApiError {}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::Internal(format!("The sandbox database failed: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        plain_text(self.status(), self.explanation().to_owned())
    }
}

/// A `text/plain; charset=utf-8` response.
pub fn plain_text(status: StatusCode, text: String) -> Response {
    let mut response = (status, text).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

pub type ApiResult<T> = Result<T, ApiError>;

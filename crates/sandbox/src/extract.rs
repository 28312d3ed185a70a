//! Reading requests the way Open Dental does, with its explanations on failure: query
//! parameters (names matched case-insensitively, as ASP.NET binds them), paging, a number in
//! the path, and JSON bodies.

use crate::error::{ApiError, ApiResult};
use crate::text;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use opendental::paging::PAGE_LIMIT;
use serde::de::DeserializeOwned;

/// The query parameters of a request.
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> ApiResult<Self> {
        let Query(pairs) = Query::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::bad_request(format!("The URL parameters could not be read: {}", e.body_text())))?;
        Ok(Params(pairs))
    }
}

impl Params {
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Params {
        Params(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    /// The trimmed value of `name`; an empty value counts as absent.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    pub fn int(&self, name: &str) -> ApiResult<Option<i64>> {
        self.text(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| ApiError::bad_request(format!("{name} must be a whole number, not \"{v}\".")))
            })
            .transpose()
    }

    /// "true" or "false" (any case); absent is `default`.
    pub fn bool(&self, name: &str, default: bool) -> ApiResult<bool> {
        match self.text(name) {
            None => Ok(default),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
            Some(v) => Err(ApiError::bad_request(format!(
                "{name} must be \"true\" or \"false\", not \"{v}\"."
            ))),
        }
    }

    /// A date in "yyyy-MM-dd" format.
    pub fn date(&self, name: &str) -> ApiResult<Option<&str>> {
        match self.text(name) {
            Some(v) if !text::is_date(v) => Err(ApiError::bad_request(format!("{name} must be in yyyy-MM-dd format."))),
            v => Ok(v),
        }
    }

    /// A date-time in "yyyy-MM-dd HH:mm:ss" format.
    pub fn date_time(&self, name: &str) -> ApiResult<Option<&str>> {
        match self.text(name) {
            Some(v) if !text::is_date_time(v) => Err(ApiError::bad_request(format!(
                "{name} format must be yyyy-MM-dd HH:mm:ss"
            ))),
            v => Ok(v),
        }
    }

    /// `Offset` and `Limit` (apiimplementation.md, "Pagination").
    pub fn paging(&self) -> ApiResult<Paging> {
        let offset = self.int("Offset")?.unwrap_or(0);
        let limit = self.int("Limit")?.unwrap_or(PAGE_LIMIT as i64);
        if offset < 0 {
            return Err(ApiError::bad_request("Offset cannot be negative."));
        }
        if limit < 1 {
            return Err(ApiError::bad_request("Limit must be at least 1."));
        }
        Ok(Paging {
            offset,
            limit: limit.min(PAGE_LIMIT as i64),
        })
    }
}

/// The number a route names in its path ("/documents/{DocNum}"), refused as
/// `DocNum "x" is not a number.` with the name the route gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathNum(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for PathNum {
    /// A path that cannot be decoded is answered as axum answers it.
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let Path(params) = Path::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        match params.as_slice() {
            [(name, raw)] => path_number(name, raw).map(PathNum).map_err(IntoResponse::into_response),
            _ => Err(
                ApiError::Internal(format!("PathNum is for routes with one parameter, not {params:?}."))
                    .into_response(),
            ),
        }
    }
}

fn path_number(name: &str, raw: &str) -> ApiResult<i64> {
    raw.trim()
        .parse()
        .map_err(|_| ApiError::bad_request(format!("{name} \"{raw}\" is not a number.")))
}

/// One page of a list: at most 100 items from `offset`. Larger limits are cut to 100, the
/// hard limit of the remote API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    pub offset: i64,
    pub limit: i64,
}

/// A JSON body, refused with an explanation when it is missing or malformed. POST and PUT
/// routes take their body through this so they all answer alike.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> ApiResult<Self> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::bad_request(format!("The request body could not be read: {}", e.body_text())))?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// A body field the request must carry: "PatNum is required." when it is missing.
pub fn required<T>(value: Option<T>, name: &str) -> ApiResult<T> {
    value.ok_or_else(|| ApiError::bad_request(format!("{name} is required.")))
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request(
            "The request body is empty. Send the fields as a JSON object.",
        ));
    }
    serde_json::from_slice(bytes).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => {
            ApiError::bad_request(format!("The request body has an invalid field: {e}."))
        }
        _ => ApiError::bad_request(format!("The request body is not valid JSON: {e}.")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_read_case_insensitively_and_checked() {
        let p = Params::from_pairs(&[
            ("lname", " smi "),
            ("Category", "x"),
            ("includeHidden", "TRUE"),
            ("FName", ""),
        ]);
        assert_eq!(p.text("LName"), Some("smi"));
        assert_eq!(p.text("FName"), None);
        assert!(p.int("Category").unwrap_err().explanation().contains("Category"));
        assert!(p.bool("includeHidden", false).unwrap());
        assert!(!p.bool("hideInactive", false).unwrap());
        assert!(Params::from_pairs(&[("Birthdate", "5/24/1976")])
            .date("Birthdate")
            .is_err());
    }

    #[test]
    fn path_numbers_are_trimmed_and_explained_with_their_name() {
        assert_eq!(path_number("DocNum", " 12 ").unwrap(), 12);
        let refused = path_number("ProcNum", "12a").unwrap_err();
        assert_eq!(refused.explanation(), "ProcNum \"12a\" is not a number.");
    }

    #[test]
    fn paging_defaults_and_caps() {
        assert_eq!(Params::default().paging().unwrap(), Paging { offset: 0, limit: 100 });
        let p = Params::from_pairs(&[("Offset", "100"), ("Limit", "500")]);
        assert_eq!(
            p.paging().unwrap(),
            Paging {
                offset: 100,
                limit: 100
            }
        );
        assert!(Params::from_pairs(&[("Offset", "ten")]).paging().is_err());
        assert!(Params::from_pairs(&[("Limit", "-1")]).paging().is_err());
    }

    #[test]
    fn json_bodies_are_explained() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Body {
            #[serde(rename = "PatNum")]
            pat_num: i64,
        }
        assert!(parse_json::<Body>(b"  ").unwrap_err().explanation().contains("empty"));
        assert!(parse_json::<Body>(b"{\"PatNum\":")
            .unwrap_err()
            .explanation()
            .contains("not valid JSON"));
        assert!(parse_json::<Body>(b"{\"PatNum\":\"x\"}")
            .unwrap_err()
            .explanation()
            .contains("invalid field"));
        assert_eq!(parse_json::<Body>(b"{\"PatNum\":5}").unwrap().pat_num, 5);
    }
}

//! Request building and answer interpretation, natively.

use super::*;
use opendental::documents::Upload;

fn client() -> Client {
    Client::new("http://127.0.0.1:9/api/v1", Credentials::new("devKEY", "custKEY"))
}

#[test]
fn requests_carry_odfhir_and_json_headers_and_no_keys_in_the_url() {
    let search = PatientSearch {
        last_name: "O'Brien".into(),
        first_name: "".into(),
        birthdate: "1980-01-02".into(),
    };
    let (url, headers) = client().request_parts("patients", &search.query());
    assert_eq!(
        url,
        "http://127.0.0.1:9/api/v1/patients?LName=O%27Brien&Birthdate=1980-01-02"
    );
    assert!(!url.contains("KEY"));
    assert_eq!(headers[0], ("Authorization", "ODFHIR devKEY/custKEY".to_owned()));
    assert_eq!(headers[1], ("Content-Type", "application/json".to_owned()));
}

#[test]
fn through_the_gateway_no_authorization_header_and_the_apps_own_origin() {
    let gateway = Client::via_gateway("https://chairside.office.lan/");
    assert_eq!(gateway.base_url(), "https://chairside.office.lan/api/v1");
    let (url, headers) = gateway.request_parts("patients/7", &Query::new());
    assert_eq!(url, "https://chairside.office.lan/api/v1/patients/7");
    assert_eq!(headers, vec![("Content-Type", "application/json".to_owned())]);
    assert!(headers
        .iter()
        .all(|(name, _)| !name.eq_ignore_ascii_case("authorization")));
    // Its errors have nothing to redact, and read as before.
    let e = gateway.interpret::<Patient>(404, "Patient not found.").unwrap_err();
    assert_eq!(e.message(), "Not found in Open Dental: Patient not found.");
}

#[test]
fn success_is_decoded_and_failure_explained_without_keys() {
    let c = client();
    let p: Vec<PatientListItem> = c.interpret(200, r#"[{"PatNum":"7","LName":"Smith"}]"#).unwrap();
    assert_eq!((p[0].pat_num, p[0].l_name.as_str()), (7, "Smith"));

    let e = c.interpret::<Patient>(404, "Patient not found.").unwrap_err();
    assert_eq!(e.message(), "Not found in Open Dental: Patient not found.");

    let e = c.interpret::<Patient>(401, "\"Bad key custKEY\"").unwrap_err();
    assert!(e.is_unauthorized());
    assert!(!e.message().contains("custKEY"), "{}", e.message());

    let e = c.interpret::<Patient>(200, "<html>").unwrap_err();
    assert!(matches!(e, ApiError::UnexpectedResponse { .. }));
}

#[test]
fn bodies_over_the_limit_are_refused_before_sending() {
    assert_eq!(
        json_body(&PriorityUpdate { priority: 24 }).unwrap(),
        r#"{"Priority":24}"#
    );
    let big = "x".repeat(MAX_BODY_CHARS);
    assert!(matches!(json_body(&big), Err(ApiError::BodyTooLarge { chars }) if chars == MAX_BODY_CHARS + 2));
    // Multi-byte text: more bytes than the limit but fewer characters is still allowed.
    let accented = "é".repeat(MAX_BODY_CHARS / 2 + 10);
    assert!(json_body(&accented).is_ok());
}

#[test]
fn the_idempotency_key_goes_only_to_the_pages_own_origin() {
    let origin = "http://127.0.0.1:8080";
    assert!(sends_idempotency_key("http://127.0.0.1:8080/api/v1", origin));
    assert!(!sends_idempotency_key(
        "http://127.0.0.1:8080.evil.example/api/v1",
        origin
    ));
    assert!(!sends_idempotency_key("http://localhost:30222/api/v1", origin));
    assert!(!sends_idempotency_key("https://api.opendental.com/api/v1", origin));
    assert!(!sends_idempotency_key("http://127.0.0.1:8080/api/v1", ""));
}

#[test]
fn empty_search_is_recognised() {
    assert!(PatientSearch::default().is_empty());
    assert!(!PatientSearch {
        birthdate: "2000-01-01".into(),
        ..Default::default()
    }
    .is_empty());
}

#[test]
fn a_file_for_the_gateway_carries_its_details_in_the_address() {
    let meta = Upload {
        pat_num: 12,
        raw_base64: "ignored".into(),
        extension: ".jpg".into(),
        fields: opendental::documents::DocumentFields {
            description: Some("Café & co/2".into()),
            ..Default::default()
        },
    };
    let url = super::upload::gateway_upload_url("http://127.0.0.1:8080/api/v1", &meta);
    let (address, query) = url.split_once("?meta=").unwrap();
    assert_eq!(address, "http://127.0.0.1:8080/gateway/v1/documents/upload");
    assert!(
        query
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
        "{query}"
    );
    // Decoded, it is the Upload without its data.
    let bytes: Vec<u8> = {
        let mut out = Vec::new();
        let mut rest = query.as_bytes();
        while let Some((&b, tail)) = rest.split_first() {
            if b == b'%' {
                out.push(u8::from_str_radix(std::str::from_utf8(&tail[..2]).unwrap(), 16).unwrap());
                rest = &tail[2..];
            } else {
                out.push(b);
                rest = tail;
            }
        }
        out
    };
    let decoded: Upload = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(
        decoded,
        Upload {
            raw_base64: String::new(),
            ..meta
        }
    );
}

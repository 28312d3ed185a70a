//! The emulated API through `app(state)` and `oneshot`: keys, CORS, each resource, paging,
//! limits, knobs and the web app.

mod common;

use axum::http::{Method, StatusCode};
use chairside_sandbox::seed::patients::{DANGELO_MARIA, OBRIEN_SEAN, SMITH_JANE, SMITH_JOHN};
use chairside_sandbox::seed::providers::{DOC1, HYG2};
use chairside_sandbox::temp_dir::TempDir;
use chairside_sandbox::{Config, FailMode};
use common::*;
use std::time::{Duration, Instant};

// ---- Keys and CORS ----

#[tokio::test]
async fn requests_without_the_right_keys_get_401_with_an_explanation() {
    let (app, state) = test_app();
    let cases = [
        (None, "missing"),
        (Some("ODFHIR wrongdev123/chairside-demo-cust"), "developer key"),
        (Some("ODFHIR chairside-demo-dev/wrongcust456"), "customer key"),
        (Some("Bearer chairside-demo-dev/chairside-demo-cust"), "malformed"),
        (Some("ODFHIR chairside-demo-dev"), "malformed"),
        (Some("ODFHIR /chairside-demo-cust"), "malformed"),
    ];
    for (auth, expected) in cases {
        let answer = request(&app, Method::GET, "/api/v1/patients", auth, None).await;
        let text = answer.assert_failure(401);
        assert!(text.contains(expected), "{auth:?}: {text}");
        for secret in ["wrongdev123", "wrongcust456", DEV_KEY, CUST_KEY] {
            assert!(!text.contains(secret), "{auth:?} echoed a key: {text}");
        }
    }
    // Unknown paths are refused the same way before anything else.
    request(&app, Method::GET, "/api/v1/nothing", None, None)
        .await
        .assert_failure(401);
    assert!(state
        .knobs
        .requests()
        .iter()
        .all(|r| !r.contains(DEV_KEY) && !r.contains(CUST_KEY)));
}

#[tokio::test]
async fn cors_preflights_are_answered_without_keys_and_not_counted() {
    let (app, state) = test_app();
    let req = axum::http::Request::builder()
        .method(Method::OPTIONS)
        .uri("/api/v1/patients?LName=smi")
        .header("origin", "http://localhost:9000")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization,content-type")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = tower::ServiceExt::oneshot(app.clone(), req).await.unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let headers = response.headers();
    assert_eq!(headers["access-control-allow-origin"], "*");
    let allowed_headers = headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(allowed_headers.contains("authorization") && allowed_headers.contains("content-type"));
    let allowed_methods = headers["access-control-allow-methods"].to_str().unwrap();
    for method in ["GET", "POST", "PUT", "DELETE"] {
        assert!(allowed_methods.contains(method), "{allowed_methods}");
    }
    assert_eq!(state.knobs.request_count(), 0);

    // Ordinary answers, failures included, carry the CORS header too.
    let req = axum::http::Request::builder()
        .uri(format!("/api/v1/patients/{SMITH_JANE}"))
        .header("origin", "http://localhost:9000")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = tower::ServiceExt::oneshot(app, req).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
}

// ---- Patients ----

#[tokio::test]
async fn patient_search_is_partial_and_case_insensitive() {
    let (app, _) = test_app();
    for query in ["smi", "SMI", "sMiTh"] {
        let found = get_json(&app, &format!("/api/v1/patients?LName={query}")).await;
        let names: Vec<String> = found
            .as_array()
            .unwrap()
            .iter()
            .map(|p| format!("{}, {}", p["LName"].as_str().unwrap(), p["FName"].as_str().unwrap()))
            .collect();
        assert!(
            names.contains(&"Smith, Jane".to_string()) && names.contains(&"Smith, John".to_string()),
            "{names:?}"
        );
        assert!(names.iter().all(|n| n.to_lowercase().starts_with("smith")), "{names:?}");
    }
    let jane = get_json(
        &app,
        "/api/v1/patients?LName=smi&FName=j&Birthdate=1976-05-24&hideInactive=true",
    )
    .await;
    assert_eq!(pat_nums(&jane), [1]);
    assert_eq!(jane[0]["FName"], "Jane");
    let by_first_name = get_json(&app, "/api/v1/patients?FName=AN&LName=smith").await;
    assert!(field(&by_first_name, "FName").contains(&&serde_json::json!("Jane")));
    let by_birthdate = get_json(&app, "/api/v1/patients?Birthdate=1979-06-23").await;
    assert_eq!(pat_nums(&by_birthdate), [2]);
    let none = get_json(&app, "/api/v1/patients?LName=zzzz").await;
    assert_eq!(none, serde_json::json!([]));
}

#[tokio::test]
async fn patient_search_finds_apostrophes_accents_and_spaces() {
    let (app, _) = test_app();
    let cases = [
        ("LName=o'b", 3),
        ("LName=O%E2%80%99Brien", 3), // a curly apostrophe, as phones type it
        ("LName=obrien", 0),
        ("FName=sean", 3),
        ("FName=Se%C3%A1n", 3),
        ("FName=shawn", 3), // the preferred name
        ("LName=d'angelo", 4),
        ("LName=muller", 5),
        ("LName=M%C3%9CLLER&FName=zoe", 5),
        ("LName=nunez", 6),
        ("FName=jos%C3%A9&LName=n%C3%BA", 6),
        ("LName=De%20Angelo", 10),
        ("LName=de+angelo", 10),
        ("LName=celik", 14),
    ];
    for (query, expected) in cases {
        let found = pat_nums(&get_json(&app, &format!("/api/v1/patients?{query}")).await);
        if expected == 0 {
            assert!(found.is_empty(), "{query}: {found:?}");
        } else {
            assert_eq!(found, [expected], "{query}");
        }
    }
    let obrien = get_json(&app, &format!("/api/v1/patients/{OBRIEN_SEAN}")).await;
    assert_eq!(
        (obrien["LName"].as_str(), obrien["FName"].as_str()),
        (Some("O'Brien"), Some("Seán"))
    );
}

#[tokio::test]
async fn patient_search_filters_status_and_checks_its_parameters() {
    let (app, _) = test_app();
    assert_eq!(
        pat_nums(&get_json(&app, "/api/v1/patients?LName=thompson&FName=gregory").await),
        [8]
    );
    assert!(
        pat_nums(&get_json(&app, "/api/v1/patients?LName=thompson&FName=gregory&hideInactive=true").await).is_empty()
    );
    let inactive = get_json(&app, "/api/v1/patients?PatStatus=Inactive").await;
    assert_eq!(pat_nums(&inactive), [8]);
    let archived = get_json(&app, "/api/v1/patients?PatStatus=Archived").await;
    assert_eq!(pat_nums(&archived), [9]);
    let no_birthdate = get_json(&app, "/api/v1/patients?Birthdate=0001-01-01").await;
    assert_eq!(pat_nums(&no_birthdate), [7]);

    for bad in ["Birthdate=05/24/1976", "Birthdate=1976-5-24", "Birthdate=1976-02-30"] {
        let text = get(&app, &format!("/api/v1/patients?{bad}"))
            .await
            .assert_failure(400)
            .to_owned();
        assert!(text.contains("yyyy-MM-dd"), "{bad}: {text}");
    }
    for bad in [
        "Offset=ten",
        "Limit=many",
        "Offset=-1",
        "hideInactive=maybe",
        "PatStatus=Sleeping",
    ] {
        get(&app, &format!("/api/v1/patients?{bad}")).await.assert_failure(400);
    }
}

#[tokio::test]
async fn patient_lists_are_paged_by_100_and_ordered_by_name() {
    let (app, _) = test_app();
    let first = get_json(&app, "/api/v1/patients").await;
    let second = get_json(&app, "/api/v1/patients?Offset=100").await;
    assert_eq!(first.as_array().unwrap().len(), 100);
    assert_eq!(second.as_array().unwrap().len(), 50);
    let mut all = pat_nums(&first);
    all.extend(pat_nums(&second));
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        (1..=150).collect::<Vec<_>>(),
        "two pages cover every patient once"
    );
    assert!(get_json(&app, "/api/v1/patients?Offset=150")
        .await
        .as_array()
        .unwrap()
        .is_empty());

    let capped = get_json(&app, "/api/v1/patients?Limit=1000").await;
    assert_eq!(capped.as_array().unwrap().len(), 100);
    let window = get_json(&app, "/api/v1/patients?Offset=5&Limit=10").await;
    assert_eq!(pat_nums(&window), all[5..15]);

    // Ordered by last name, first name, PatNum, ignoring case and accents.
    let key = |p: &serde_json::Value| {
        let fold = |s: &str| chairside_sandbox::text::fold(s);
        (
            fold(p["LName"].as_str().unwrap()),
            fold(p["FName"].as_str().unwrap()),
            p["PatNum"].as_i64().unwrap(),
        )
    };
    let keys: Vec<_> = first
        .as_array()
        .unwrap()
        .iter()
        .chain(second.as_array().unwrap())
        .map(key)
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "not in name order");
    assert_eq!(first[0]["LName"], "Anderson");
}

#[tokio::test]
async fn single_patient_found_missing_and_malformed() {
    let (app, _) = test_app();
    let jane = get_json(&app, &format!("/api/v1/patients/{SMITH_JANE}")).await;
    assert_eq!(
        (jane["LName"].as_str(), jane["FName"].as_str()),
        (Some("Smith"), Some("Jane"))
    );
    assert_eq!(jane["Birthdate"], "1976-05-24");
    assert_eq!(jane["Guarantor"], 1);
    assert_eq!(jane["priProvAbbr"], "DOC1");
    assert_eq!(jane["secProvAbbr"], "HYG1");
    assert_eq!(jane["BillingType"], "Standard Account");
    assert_eq!(jane["ImageFolder"], "SmithJane1");
    assert_eq!(
        get_json(&app, &format!("/api/v1/patients/{OBRIEN_SEAN}")).await["ImageFolder"],
        "OBrienSean3"
    );

    let missing = get(&app, "/api/v1/patients/9999").await;
    assert_eq!(missing.assert_failure(404), "Patient not found.");
    get(&app, "/api/v1/patients/abc").await.assert_failure(400);
}

/// The documented examples (apipatients.md), with the page's missing commas after "Premed"
/// restored.
const DOC_PATIENT_LIST_ITEM: &str = r#"{"PatNum": 16, "LName": "Smith", "FName": "Jane", "MiddleI": "",
  "Preferred": "", "PatStatus": "Patient", "Birthdate": "1976-05-24", "SSN": "632458956",
  "Address": "125 Satin Heights", "Address2": "", "City": "San Jose", "State": "CA", "Zip": 90011,
  "HmPhone": "(536)624-5871", "WkPhone": "(536)987-4822", "WirelessPhone": "", "Email": "smithfam@yahoo.com",
  "priProvAbbr": "DOC1", "secProvAbbr": "", "BillingType": "Standard Account", "ChartNumber": "",
  "ClinicNum": 0, "clinicAbbr": "", "siteDesc": "", "TxtMsgOk": "Unknown"}"#;

const DOC_PATIENT: &str = r#"{"PatNum": 48, "LName": "Smith", "FName": "Jane", "MiddleI": "", "Preferred": "",
  "PatStatus": "Patient", "Gender": "Female", "Position": "Single", "Birthdate": "1976-05-24", "SSN": "",
  "Address": "125 Satin Heights", "Address2": "", "City": "San Jose", "State": "CA", "Zip": "97301",
  "HmPhone": "(536)624-5871", "WkPhone": "(536)987-4822", "WirelessPhone": "(536)987-4822", "Guarantor": 48,
  "Email": "smithfam@yahoo.com", "EstBalance": 0.0, "PriProv": 1, "priProvAbbr": "DOC", "SecProv": 0,
  "secProvAbbr": "", "FeeSched": 0, "BillingType": "Standard Account", "ImageFolder": "SmithJane48",
  "FamFinUrgNote": "CC on file expiring soon", "ChartNumber": "", "MedicaidID": "", "BalTotal": 111.9,
  "EmployerNum": 0, "DateFirstVisit": "2021-12-16", "ClinicNum": 0, "clinicAbbr": "", "Premed":"false",
  "Ward": "", "PreferConfirmMethod": "None", "PreferContactMethod": "WirelessPh",
  "PreferRecallMethod": "TextMessage", "Language": "spa", "AdmitDate": "0001-01-01", "siteDesc": "",
  "DateTStamp": "2021-12-08 15:34:34", "SuperFamily": 0, "TxtMsgOk": "Unknown", "SecDateEntry":"2021-12-04"}"#;

#[tokio::test]
async fn patient_fields_match_the_documented_examples() {
    let (app, _) = test_app();
    let list = get_json(&app, "/api/v1/patients?LName=smith&FName=jane").await;
    assert_shaped_like(&list[0], DOC_PATIENT_LIST_ITEM, &["Zip"]);
    assert_eq!(list[0]["Zip"], "97301");
    let single = get_json(&app, &format!("/api/v1/patients/{SMITH_JANE}")).await;
    assert_shaped_like(&single, DOC_PATIENT, &[]);
    assert_eq!(single["Premed"], "false");
    assert_eq!(single["BalTotal"], 111.9);
    assert_eq!(
        get_json(&app, &format!("/api/v1/patients/{DANGELO_MARIA}")).await["Premed"],
        "true"
    );
}

// ---- Definitions ----

#[tokio::test]
async fn treatment_plan_priorities_come_in_definition_order_not_defnum_order() {
    let (app, _) = test_app();
    let priorities = get_json(&app, "/api/v1/definitions?Category=20").await;
    let names: Vec<&str> = field(&priorities, "ItemName")
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(names, ["1", "2", "3", "Wait", "Low", "Recmend"]);
    let def_nums: Vec<i64> = field(&priorities, "DefNum")
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(def_nums, [24, 22, 26, 21, 25, 23]);
    let mut sorted = def_nums.clone();
    sorted.sort();
    assert_ne!(sorted, def_nums, "DefNum order must differ from display order");
    for p in priorities.as_array().unwrap() {
        assert_eq!(
            (p["Category"].as_i64(), p["category"].as_str()),
            (Some(20), Some("TxPriorities"))
        );
        assert_eq!(p["isHidden"], "false");
    }
    // The documented example's shape.
    assert_shaped_like(
        &priorities[0],
        r#"{"DefNum": 293, "ItemName": "Sales Tax", "ItemValue": "+", "Category": 1, "category": "AdjTypes",
            "isHidden": "false"}"#,
        &[],
    );
}

#[tokio::test]
async fn image_categories_hide_hidden_ones_unless_asked() {
    let (app, _) = test_app();
    let visible = get_json(&app, "/api/v1/definitions?Category=18").await;
    let names: Vec<&str> = field(&visible, "ItemName")
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Patient Pictures",
            "X-Rays",
            "Photos",
            "Insurance Cards",
            "Photo ID",
            "Documents",
            "Treatment Plans"
        ]
    );
    assert_eq!(visible[0]["ItemValue"], "P");
    assert_eq!(visible[0]["category"], "ImageCats");
    let all = get_json(&app, "/api/v1/definitions?Category=18&includeHidden=true").await;
    let old_scans: Vec<_> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["isHidden"] == "true")
        .collect();
    assert_eq!(old_scans.len(), 1);
    assert_eq!(old_scans[0]["ItemName"], "Old Scans");
    assert_eq!(all.as_array().unwrap().len(), 8);

    let everything = get_json(&app, "/api/v1/definitions").await;
    let categories: Vec<i64> = field(&everything, "Category")
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert!(categories.windows(2).all(|w| w[0] <= w[1]));
    for (category, name) in [
        (1, "AdjTypes"),
        (4, "BillingTypes"),
        (18, "ImageCats"),
        (20, "TxPriorities"),
    ] {
        let defs = everything
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["Category"] == category)
            .collect::<Vec<_>>();
        assert!(
            !defs.is_empty() && defs.iter().all(|d| d["category"] == name),
            "{category}"
        );
    }
    let billing = get_json(&app, "/api/v1/definitions?Category=4").await;
    assert_eq!(
        field(&billing, "ItemName"),
        [
            &serde_json::json!("Standard Account"),
            &serde_json::json!("Insurance Only")
        ]
    );
    get(&app, "/api/v1/definitions?Category=images")
        .await
        .assert_failure(400);
    get(&app, "/api/v1/definitions?includeHidden=yes")
        .await
        .assert_failure(400);
}

// ---- Providers ----

const DOC_PROVIDER: &str = r#"{"ProvNum": 4, "Abbr": "HYG2", "LName": "Bently", "FName": "Bruce", "MI": "",
  "Suffix": "", "FeeSched": 53, "Specialty": 265, "SSN": "", "StateLicense": "", "IsSecondary": "true",
  "provColor": "164,164,255", "IsHidden": "false", "UsingTIN": "false", "SigOnFile": "false",
  "NationalProvID": "", "DateTStamp": "2016-03-03 13:10:47", "IsNotPerson": "false", "ProvStatus": "Active",
  "IsHiddenReport": "false", "Birthdate": "0001-01-01", "SchedNote": "", "PreferredName": "",
  "serverDateTime": "2021-01-16 12:55:39"}"#;

#[tokio::test]
async fn providers_list_single_and_missing() {
    let (app, _) = test_app();
    let providers = get_json(&app, "/api/v1/providers").await;
    let abbrs: Vec<&str> = field(&providers, "Abbr").iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(abbrs, ["DOC1", "DOC2", "HYG1", "HYG2"]);
    assert_eq!(providers[0]["LName"], "Albert");
    assert_eq!(providers[0]["FName"], "Brian");
    for p in providers.as_array().unwrap() {
        assert_shaped_like(p, DOC_PROVIDER, &[]);
        assert!(chairside_sandbox::text::is_date_time(
            p["serverDateTime"].as_str().unwrap()
        ));
    }
    assert_eq!(
        (providers[2]["IsSecondary"].as_str(), providers[3]["IsHidden"].as_str()),
        (Some("true"), Some("true"))
    );

    let hyg2 = get_json(&app, &format!("/api/v1/providers/{HYG2}")).await;
    assert_shaped_like(&hyg2, DOC_PROVIDER, &[]);
    assert_eq!(hyg2["Abbr"], "HYG2");
    let missing = get(&app, "/api/v1/providers/99").await;
    assert!(missing.assert_failure(404).contains("Provider"));
    get(&app, "/api/v1/providers/x").await.assert_failure(400);

    // With ClinicNum: hidden providers left out and no serverDateTime, as documented.
    let clinic = get_json(&app, "/api/v1/providers?ClinicNum=0").await;
    assert_eq!(clinic.as_array().unwrap().len(), 3);
    assert_eq!(clinic[0]["serverDateTime"], "");
    let recent = get_json(&app, "/api/v1/providers?DateTStamp=2021-08-10%2000%3A00%3A00").await;
    assert_eq!(
        field(&recent, "Abbr"),
        [&serde_json::json!("DOC2"), &serde_json::json!("HYG1")]
    );
    let text = get(&app, "/api/v1/providers?DateTStamp=2021-08-10")
        .await
        .assert_failure(400)
        .to_owned();
    assert!(text.contains("yyyy-MM-dd HH:mm:ss"));
}

// ---- Routing, bodies, knobs ----

#[tokio::test]
async fn unknown_methods_and_paths_get_404_with_an_explanation() {
    let (app, _) = test_app();
    let text = get(&app, "/api/v1/appointmentz").await.assert_failure(404).to_owned();
    assert!(text.contains("/appointmentz"));
    request(
        &app,
        Method::DELETE,
        &format!("/api/v1/patients/{SMITH_JANE}"),
        Some(AUTH),
        None,
    )
    .await
    .assert_failure(404);
    request(&app, Method::PUT, "/api/v1/patients", Some(AUTH), Some(b"{}".to_vec()))
        .await
        .assert_failure(404);
}

#[tokio::test]
async fn bodies_over_16_8_million_characters_are_refused() {
    let (app, _) = test_app();
    let limit = opendental::error::MAX_BODY_CHARS;
    // Over the limit: 400 with the documented limit, before routing.
    let mut body = Vec::with_capacity(limit + 3);
    body.extend_from_slice(b"\"");
    body.resize(limit + 2, b'a');
    body.push(b'"');
    let too_big = request(
        &app,
        Method::PUT,
        &format!("/api/v1/patients/{SMITH_JANE}"),
        Some(AUTH),
        Some(body),
    )
    .await;
    assert!(
        too_big.assert_failure(400).contains("16.8M characters"),
        "{}",
        too_big.body
    );

    // More bytes than the limit but fewer characters (two bytes each), and far over axum's
    // default 2 MB: passes the limit and reaches routing (no PUT route here yet, so 404).
    let body = "é".repeat(limit / 2 - 10);
    let big_but_allowed = request(
        &app,
        Method::PUT,
        &format!("/api/v1/patients/{SMITH_JANE}"),
        Some(AUTH),
        Some(body.into_bytes()),
    )
    .await;
    big_but_allowed.assert_failure(404);
}

#[tokio::test]
async fn injected_500_and_504_fail_every_nth_matching_request() {
    let (app, state) = test_app();
    state.knobs.fail_requests(2, FailMode::ServerError, "GET /patients/");
    assert_eq!(
        get(&app, &format!("/api/v1/patients/{SMITH_JANE}")).await.status,
        StatusCode::OK
    );
    let failed = get(&app, &format!("/api/v1/patients/{SMITH_JANE}")).await;
    assert!(failed.assert_failure(500).contains("Injected failure"));
    // Not matching: neither failed nor counted.
    assert_eq!(get(&app, "/api/v1/patients?LName=smi").await.status, StatusCode::OK);
    assert_eq!(
        get(&app, &format!("/api/v1/patients/{SMITH_JOHN}")).await.status,
        StatusCode::OK
    );
    get(&app, &format!("/api/v1/patients/{SMITH_JOHN}"))
        .await
        .assert_failure(500);

    state.knobs.fail_requests(1, FailMode::GatewayTimeout, "");
    let timed_out = get(&app, "/api/v1/definitions").await;
    assert!(timed_out.assert_failure(504).contains("60 seconds"));
    state.knobs.stop_failing();
    assert_eq!(get(&app, "/api/v1/definitions").await.status, StatusCode::OK);

    // The --fail-* flags set the same plan at start.
    let config = Config {
        fail_every: 1,
        fail_mode: FailMode::GatewayTimeout,
        ..Config::for_tests()
    };
    let (app, _) = test_app_with(config);
    get(&app, "/api/v1/providers").await.assert_failure(504);
}

#[tokio::test]
async fn injected_drops_run_the_request_then_break_the_body() {
    let (app, state) = test_app();
    state
        .knobs
        .fail_requests(1, FailMode::Drop, &format!("GET /patients/{SMITH_JANE}"));
    let req = axum::http::Request::builder()
        .uri(format!("/api/v1/patients/{SMITH_JANE}"))
        .header("authorization", AUTH)
        .body(axum::body::Body::empty())
        .unwrap();
    let response = tower::ServiceExt::oneshot(app, req).await.unwrap();
    let body = http_body_util::BodyExt::collect(response.into_body()).await;
    assert!(body.is_err(), "the body must fail");
    assert_eq!(state.knobs.requests(), [format!("GET /patients/{SMITH_JANE}")]);
}

#[tokio::test]
async fn latency_is_added_to_every_answer() {
    let (app, state) = test_app();
    state.knobs.set_latency_ms(300);
    let started = Instant::now();
    get(&app, "/api/v1/providers").await;
    request(&app, Method::GET, "/api/v1/providers", None, None)
        .await
        .assert_failure(401);
    assert!(
        started.elapsed() >= Duration::from_millis(600),
        "{:?}",
        started.elapsed()
    );
    state.knobs.set_latency_ms(0);
    let started = Instant::now();
    get(&app, "/api/v1/providers").await;
    assert!(started.elapsed() < Duration::from_millis(300));
}

#[tokio::test]
async fn throttle_spaces_requests_a_second_apart() {
    let (app, state) = test_app();
    state.knobs.set_throttle(true);
    let started = Instant::now();
    let doc1 = format!("/api/v1/providers/{DOC1}");
    let (a, b) = tokio::join!(get(&app, "/api/v1/providers"), get(&app, &doc1));
    assert_eq!((a.status, b.status), (StatusCode::OK, StatusCode::OK));
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    state.knobs.set_throttle(false);
    let started = Instant::now();
    get(&app, "/api/v1/providers").await;
    assert!(started.elapsed() < Duration::from_millis(500));
}

#[tokio::test]
async fn requests_are_counted_and_logged_without_headers() {
    let (app, state) = test_app();
    get(&app, "/api/v1/patients?LName=smi&FName=j").await;
    get(&app, "/api/v1/definitions?Category=20").await;
    request(&app, Method::GET, "/api/v1/providers", None, None).await;
    assert_eq!(state.knobs.request_count(), 3);
    assert_eq!(
        state.knobs.requests(),
        [
            "GET /patients?LName=smi&FName=j",
            "GET /definitions?Category=20",
            "GET /providers"
        ]
    );
    // The web app is not an API request.
    request(&app, Method::GET, "/", None, None).await;
    assert_eq!(state.knobs.request_count(), 3);
    state.knobs.clear_request_log();
    assert_eq!((state.knobs.request_count(), state.knobs.requests().len()), (0, 0));
}

// ---- The web app ----

#[tokio::test]
async fn without_an_app_dir_the_root_explains() {
    let (app, _) = test_app();
    let root = request(&app, Method::GET, "/", None, None).await;
    assert_eq!(root.status, StatusCode::OK);
    assert!(root.body.contains("--app-dir"), "{}", root.body);
}

#[tokio::test]
async fn the_app_is_served_with_deep_links_falling_back_to_index_html() {
    let dist = TempDir::new("dist");
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>Chairside</title>",
    )
    .unwrap();
    std::fs::write(dist.path().join("app-123.js"), "console.log(1)").unwrap();
    let config = Config {
        app_dir: Some(dist.path().to_owned()),
        ..Config::for_tests()
    };
    let (app, _) = test_app_with(config);

    for path in ["/", "/patients/12", "/patients/12/documents", "/kiosk"] {
        let page = request(&app, Method::GET, path, None, None).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.body.contains("<title>Chairside</title>"), "{path}: {}", page.body);
        assert!(page.content_type().starts_with("text/html"), "{path}");
    }
    let script = request(&app, Method::GET, "/app-123.js", None, None).await;
    assert_eq!(
        (script.status, script.body.as_str()),
        (StatusCode::OK, "console.log(1)")
    );
    request(&app, Method::GET, "/app-999.js", None, None)
        .await
        .assert_failure(404);
    // The API is still the API.
    assert_eq!(get(&app, "/api/v1/patients/12").await.status, StatusCode::OK);
    get(&app, "/api/v1/nothing").await.assert_failure(404);
}

#[tokio::test]
async fn the_app_is_served_precompressed_to_browsers_that_accept_it() {
    use axum::body::Body;
    use axum::http::{header, Request};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let dist = TempDir::new("dist");
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>Chairside</title>",
    )
    .unwrap();
    std::fs::write(dist.path().join("app-123_bg.wasm"), b"the wasm, raw").unwrap();
    std::fs::write(dist.path().join("app-123_bg.wasm.br"), b"the wasm, brotli").unwrap();
    std::fs::write(dist.path().join("app-123_bg.wasm.gz"), b"the wasm, gzip").unwrap();
    let (app, _) = test_app_with(Config {
        app_dir: Some(dist.path().to_owned()),
        ..Config::for_tests()
    });
    for (accept, coding, body) in [
        (Some("gzip, deflate, br"), Some("br"), "the wasm, brotli"),
        (Some("gzip"), Some("gzip"), "the wasm, gzip"),
        (None, None, "the wasm, raw"),
    ] {
        let mut request = Request::get("/app-123_bg.wasm");
        if let Some(accept) = accept {
            request = request.header(header::ACCEPT_ENCODING, accept);
        }
        let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{accept:?}");
        let encoding = response
            .headers()
            .get(header::CONTENT_ENCODING)
            .map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(encoding.as_deref(), coding, "{accept:?}");
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "application/wasm",
            "the type of the file, not of its compression"
        );
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(bytes, body.as_bytes(), "{accept:?}");
    }
}

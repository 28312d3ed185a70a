//! TreatPlans, TreatPlanAttaches, ProcTPs and ProcedureLogs against the reference pages.

mod common;

use axum::http::{Method, StatusCode};
use chairside_sandbox::seed::definitions::{PRIORITY_1, PRIORITY_2, PRIORITY_LOW, PRIORITY_WAIT};
use chairside_sandbox::seed::treatment::{
    JANE_ACTIVE_PLAN, JANE_INACTIVE_PLAN, JANE_SAVED_PLAN, JANE_UNATTACHED, JOHN_BIG_PLAN, JOHN_BIG_PLAN_SIZE,
};
use chairside_sandbox::FailMode;
use common::*;

async fn send(app: &axum::Router, method: Method, uri: &str, body: &str) -> Answer {
    request(app, method, uri, Some(AUTH), Some(body.as_bytes().to_vec())).await
}

#[tokio::test]
async fn treat_plans_by_patient_and_status_with_documented_fields() {
    let (app, _) = test_app();
    let plans = get_json(&app, "/api/v1/treatplans?PatNum=1").await;
    let statuses: Vec<&str> = field(&plans, "TPStatus").iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(statuses, ["Active", "Inactive", "Saved"]);
    // Key set and types of the documented example.
    let example: serde_json::Value = serde_json::from_str(
        r#"{"TreatPlanNum": 1786, "PatNum": 1897, "DateTP": "0001-01-01", "Heading": "Active Treatment Plan",
        "Note": "", "SigIsTopaz": "false", "ResponsParty": 0, "DocNum": 0, "TPStatus": "Active",
        "SecUserNumEntry": 12, "SecDateEntry": "2022-07-02", "SecDateTEdit": "2022-07-02 09:39:54",
        "UserNumPresenter": 0, "TPType": "Insurance", "DateTSigned": "0001-01-01 00:00:00",
        "DateTPracticeSigned": "0001-01-01 00:00:00", "SignatureText": "", "SignaturePracticeText": "",
        "isSigned": "false", "isSignedPractice": "false"}"#,
    )
    .unwrap();
    assert_eq!(sorted_keys(&plans[0]), sorted_keys(&example));
    assert_eq!(plans[2]["isSigned"], "true");
    assert!(plans[0]["TreatPlanNum"].is_i64());

    let saved = get_json(&app, "/api/v1/treatplans?PatNum=1&TPStatus=Saved").await;
    assert_eq!(field(&saved, "TreatPlanNum"), [&serde_json::json!(JANE_SAVED_PLAN)]);
    get(&app, "/api/v1/treatplans?TPStatus=Pending")
        .await
        .assert_failure(400);
    get(&app, "/api/v1/treatplans?PatNum=99999").await.assert_failure(404);
    get(&app, "/api/v1/treatplans?SecDateTEdit=yesterday")
        .await
        .assert_failure(400);
}

#[tokio::test]
async fn attaches_list_with_priority_labels_and_refuse_what_the_page_refuses() {
    let (app, _) = test_app();
    let attaches = get_json(
        &app,
        &format!("/api/v1/treatplanattaches?TreatPlanNum={JANE_ACTIVE_PLAN}"),
    )
    .await;
    assert_eq!(attaches.as_array().unwrap().len(), 8);
    let example: serde_json::Value = serde_json::from_str(
        r#"{"TreatPlanAttachNum": 3211, "TreatPlanNum": 1845, "ProcNum": 1977, "Priority": 151, "priority": "1"}"#,
    )
    .unwrap();
    assert_eq!(sorted_keys(&attaches[0]), sorted_keys(&example));
    for a in attaches.as_array().unwrap() {
        let label = a["priority"].as_str().unwrap();
        match a["Priority"].as_i64().unwrap() {
            0 => assert_eq!(label, ""),
            p if p == PRIORITY_1 => assert_eq!(label, "1"),
            p if p == PRIORITY_WAIT => assert_eq!(label, "Wait"),
            _ => assert!(!label.is_empty()),
        }
    }
    assert!(get(&app, "/api/v1/treatplanattaches")
        .await
        .assert_failure(400)
        .contains("TreatPlanNum is required"));
    get(&app, "/api/v1/treatplanattaches?TreatPlanNum=abc")
        .await
        .assert_failure(400);
    get(&app, "/api/v1/treatplanattaches?TreatPlanNum=99999")
        .await
        .assert_failure(404);
    let saved = get(
        &app,
        &format!("/api/v1/treatplanattaches?TreatPlanNum={JANE_SAVED_PLAN}"),
    )
    .await;
    assert!(saved.assert_failure(400).contains("ProcTPs"));
}

#[tokio::test]
async fn attaching_a_procedure() {
    let (app, _) = test_app();
    let [first, second] = JANE_UNATTACHED;
    let created = send(
        &app,
        Method::POST,
        "/api/v1/treatplanattaches",
        &format!(r#"{{"TreatPlanNum": {JANE_ACTIVE_PLAN}, "ProcNum": {first}, "Priority": {PRIORITY_WAIT}}}"#),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let body = created.json();
    assert_eq!(
        (body["ProcNum"].as_i64(), body["Priority"].as_i64()),
        (Some(first), Some(PRIORITY_WAIT))
    );
    assert_eq!(body["priority"], "Wait");

    let without_priority = send(
        &app,
        Method::POST,
        "/api/v1/treatplanattaches",
        &format!(r#"{{"TreatPlanNum": {JANE_INACTIVE_PLAN}, "ProcNum": {second}}}"#),
    )
    .await;
    assert_eq!(without_priority.status, StatusCode::CREATED);
    assert_eq!(
        (
            without_priority.json()["Priority"].as_i64(),
            without_priority.json()["priority"].as_str()
        ),
        (Some(0), Some(""))
    );

    let post = |body: String| {
        let app = app.clone();
        async move { send(&app, Method::POST, "/api/v1/treatplanattaches", &body).await }
    };
    let duplicate = post(format!(r#"{{"TreatPlanNum": {JANE_ACTIVE_PLAN}, "ProcNum": {first}}}"#)).await;
    assert!(duplicate.assert_failure(400).contains("already attached"));
    assert!(post(format!(r#"{{"ProcNum": {first}}}"#))
        .await
        .assert_failure(400)
        .contains("TreatPlanNum is required"));
    assert!(post(format!(r#"{{"TreatPlanNum": {JANE_ACTIVE_PLAN}}}"#))
        .await
        .assert_failure(400)
        .contains("ProcNum is required"));
    post(format!(r#"{{"TreatPlanNum": 99999, "ProcNum": {first}}}"#))
        .await
        .assert_failure(404);
    post(format!(r#"{{"TreatPlanNum": {JANE_ACTIVE_PLAN}, "ProcNum": 99999}}"#))
        .await
        .assert_failure(404);
    // John's procedure on Jane's plan.
    let johns = get_json(&app, "/api/v1/procedurelogs?PatNum=2&Limit=1").await[0]["ProcNum"]
        .as_i64()
        .unwrap();
    let other = post(format!(r#"{{"TreatPlanNum": {JANE_ACTIVE_PLAN}, "ProcNum": {johns}}}"#)).await;
    assert!(other.assert_failure(400).contains("different patient"));
    let bad_priority = post(format!(
        r#"{{"TreatPlanNum": {JANE_INACTIVE_PLAN}, "ProcNum": {first}, "Priority": 13}}"#
    ))
    .await;
    assert!(
        bad_priority.assert_failure(400).contains("Category 20"),
        "an image category is not a priority"
    );
    post(format!(r#"{{"TreatPlanNum": {JANE_SAVED_PLAN}, "ProcNum": {first}}}"#))
        .await
        .assert_failure(400);
    post("{not json".into()).await.assert_failure(400);
}

#[tokio::test]
async fn changing_a_priority_changes_only_the_priority() {
    let (app, _) = test_app();
    let attaches = get_json(
        &app,
        &format!("/api/v1/treatplanattaches?TreatPlanNum={JANE_ACTIVE_PLAN}"),
    )
    .await;
    let target = &attaches[0];
    let num = target["TreatPlanAttachNum"].as_i64().unwrap();
    let answer = send(
        &app,
        Method::PUT,
        &format!("/api/v1/treatplanattaches/{num}"),
        &format!(r#"{{"Priority": {PRIORITY_LOW}}}"#),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let updated = answer.json();
    assert_eq!(
        (updated["Priority"].as_i64(), updated["priority"].as_str()),
        (Some(PRIORITY_LOW), Some("Low"))
    );
    assert_eq!(updated["ProcNum"], target["ProcNum"]);
    assert_eq!(updated["TreatPlanNum"], target["TreatPlanNum"]);

    send(
        &app,
        Method::PUT,
        "/api/v1/treatplanattaches/99999",
        r#"{"Priority": 0}"#,
    )
    .await
    .assert_failure(404);
    send(
        &app,
        Method::PUT,
        &format!("/api/v1/treatplanattaches/{num}"),
        r#"{"Priority": 777}"#,
    )
    .await
    .assert_failure(400);
    send(&app, Method::PUT, &format!("/api/v1/treatplanattaches/{num}"), r#"{}"#)
        .await
        .assert_failure(400);
    send(&app, Method::PUT, "/api/v1/treatplanattaches/abc", r#"{"Priority": 0}"#)
        .await
        .assert_failure(400);
}

#[tokio::test]
async fn an_injected_failure_changes_nothing() {
    let (app, state) = test_app();
    let attaches = get_json(
        &app,
        &format!("/api/v1/treatplanattaches?TreatPlanNum={JANE_ACTIVE_PLAN}"),
    )
    .await;
    let num = attaches[0]["TreatPlanAttachNum"].as_i64().unwrap();
    state
        .knobs
        .fail_requests(1, FailMode::ServerError, "PUT /treatplanattaches");
    send(
        &app,
        Method::PUT,
        &format!("/api/v1/treatplanattaches/{num}"),
        &format!(r#"{{"Priority": {PRIORITY_2}}}"#),
    )
    .await
    .assert_failure(500);
    state.knobs.stop_failing();
    let after = get_json(
        &app,
        &format!("/api/v1/treatplanattaches?TreatPlanNum={JANE_ACTIVE_PLAN}"),
    )
    .await;
    assert_eq!(after[0]["Priority"], attaches[0]["Priority"]);
}

#[tokio::test]
async fn proc_tps_belong_to_saved_plans_and_add_up() {
    let (app, _) = test_app();
    let items = get_json(&app, &format!("/api/v1/proctps?TreatPlanNum={JANE_SAVED_PLAN}")).await;
    assert_eq!(items.as_array().unwrap().len(), 5);
    let example: serde_json::Value = serde_json::from_str(
        r#"{"ProcTPNum": 976, "TreatPlanNum": 963, "PatNum": 722, "ProcNumOrig": 1154, "ItemOrder": 0, "Priority": 0,
        "priority": "", "ToothNumTP": "13", "Surf": "MOD", "ProcCode": "D2393", "Descript": "x", "FeeAmt": 204.0,
        "PriInsAmt": 80.0, "SecInsAmt": 0.0, "PatAmt": 70.0, "Discount": 54.0, "Prognosis": "", "Dx": "",
        "ProcAbbr": "C3 (P)", "SecUserNumEntry": 12, "SecDateEntry": "2023-01-24", "SecDateTEdit": "2023-01-24 09:33:46",
        "FeeAllowed": 0.0, "TaxAmt": 0.0, "ProvNum": 11, "DateTP": "2022-12-19", "ClinicNum": 3, "CatPercUCR": 204.0}"#,
    )
    .unwrap();
    assert_eq!(sorted_keys(&items[0]), sorted_keys(&example));
    for (i, item) in items.as_array().unwrap().iter().enumerate() {
        assert_eq!(item["ItemOrder"].as_i64(), Some(i as i64));
        let f = |k: &str| item[k].as_f64().unwrap();
        assert!((f("FeeAmt") - f("PriInsAmt") - f("SecInsAmt") - f("Discount") - f("PatAmt")).abs() < 0.005);
    }
    get(&app, "/api/v1/proctps").await.assert_failure(400);
    get(&app, "/api/v1/proctps?TreatPlanNum=99999")
        .await
        .assert_failure(404);
    let active = get(&app, &format!("/api/v1/proctps?TreatPlanNum={JANE_ACTIVE_PLAN}")).await;
    assert!(active.assert_failure(400).contains("TreatPlanAttaches"));
}

#[tokio::test]
async fn procedure_logs_page_filter_and_read_singly() {
    let (app, _) = test_app();
    let mut all = Vec::new();
    for offset in [0, 100, 200] {
        let page = get_json(
            &app,
            &format!("/api/v1/procedurelogs?PatNum=2&ProcStatus=TP&Offset={offset}"),
        )
        .await;
        all.extend(page.as_array().unwrap().clone());
    }
    assert_eq!(all.len(), JOHN_BIG_PLAN_SIZE + 1, "200 on the plan and 1 not");
    assert!(all.iter().all(|p| p["ProcStatus"] == "TP" && p["PatNum"] == 2));
    let plan = get_json(
        &app,
        &format!("/api/v1/treatplanattaches?TreatPlanNum={JOHN_BIG_PLAN}&Offset=100"),
    )
    .await;
    assert_eq!(plan.as_array().unwrap().len(), 100);

    let one = &get_json(&app, "/api/v1/procedurelogs?PatNum=1&ProcStatus=C").await[0];
    let example: serde_json::Value = serde_json::from_str(
        r#"{"ProcNum": 1, "PatNum": 1, "AptNum": 12, "ProcDate": "2021-04-01", "ProcFee": "255.00", "Surf": "MODL",
        "ToothNum": "4", "ToothRange": "", "Priority": 0, "priority": "", "ProcStatus": "C", "ProvNum": 1,
        "provAbbr": "DOC1", "Dx": 0, "dxName": "", "PlannedAptNum": 0, "PlaceService": "Office", "Prosthesis": "",
        "DateOriginalProsth": "0001-01-01", "ClaimNote": "", "DateEntryC": "2021-11-03", "ClinicNum": 0, "CodeNum": 2,
        "procCode": "D0120", "descript": "x", "UnitQty": 1, "BaseUnits": 0, "DateTP": "2021-04-01", "SiteNum": 0,
        "HideGraphics": "false", "CanadianTypeCodes": "", "ProcTime": "13:00:00", "ProcTimeEnd": "00:00:00",
        "DateTStamp": "2021-11-03 05:30:06", "Prognosis": 0, "IsLocked": "false", "BillingNote": "", "Discount": 15.0,
        "IsDateProsthEst": "false", "SecDateEntry": "2021-11-03 05:28:49", "serverDateTime": "2021-11-03 09:32:45"}"#,
    )
    .unwrap();
    assert_eq!(sorted_keys(one), sorted_keys(&example));
    assert!(
        one["ProcFee"].as_str().unwrap().contains('.'),
        "ProcFee is a string like \"65.00\""
    );
    assert_eq!(one["IsLocked"], "false");

    let num = one["ProcNum"].as_i64().unwrap();
    let single = get_json(&app, &format!("/api/v1/procedurelogs/{num}")).await;
    assert_eq!(single["ProcNum"].as_i64(), Some(num));
    get(&app, "/api/v1/procedurelogs/99999").await.assert_failure(404);
    get(&app, "/api/v1/procedurelogs/abc").await.assert_failure(400);
    get(&app, "/api/v1/procedurelogs?ProcStatus=Done")
        .await
        .assert_failure(400);
    get(&app, "/api/v1/procedurelogs?DateTStamp=now")
        .await
        .assert_failure(400);
}

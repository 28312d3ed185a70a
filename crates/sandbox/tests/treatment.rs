//! TreatPlans, TreatPlanAttaches, ProcTPs and ProcedureLogs against their reference pages,
//! and the demo plans the app is built against.

mod common;

use axum::http::{Method, StatusCode};
use chairside_sandbox::seed::definitions::{
    IMAGE_CATEGORIES, PRIORITY_1, PRIORITY_2, PRIORITY_LOW, PRIORITY_RECMEND, PRIORITY_WAIT,
};
use chairside_sandbox::seed::patients::{OBRIEN_SEAN, SMITH_JANE, SMITH_JOHN};
use chairside_sandbox::seed::treatment::{
    JANE_ACTIVE_PLAN, JANE_ACTIVE_PLAN_SIZE, JANE_COMPLETED, JANE_INACTIVE_PLAN, JANE_INACTIVE_PLAN_SIZE,
    JANE_INACTIVE_PROCEDURES, JANE_SAVED_PLAN, JANE_SAVED_PLAN_SIZE, JANE_UNATTACHED, JOHN_BIG_PLAN,
    JOHN_BIG_PLAN_SIZE, JOHN_TP_PROCEDURES, SEAN_ACTIVE_PLAN, SEAN_SAVED_PLAN,
};
use chairside_sandbox::temp_dir::TempDir;
use chairside_sandbox::{Config, FailMode};
use common::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;

// The reference pages' examples, for field names and JSON types.
const DOC_TREAT_PLAN: &str = r#"{"TreatPlanNum": 1788, "PatNum": 1906, "DateTP": "0001-01-01",
  "Heading": "Saved Treatment Plan", "Note": "Please read this carefully", "SigIsTopaz": "false", "ResponsParty": 0,
  "DocNum": 0, "TPStatus": "Saved", "SecUserNumEntry": 13, "SecDateEntry": "2022-07-02",
  "SecDateTEdit": "2022-07-02 11:39:54", "UserNumPresenter": 0, "TPType": "Insurance",
  "DateTSigned": "2022-07-02 11:39:54", "DateTPracticeSigned": "2022-07-02 11:39:54", "SignatureText": "Brandon Booter",
  "SignaturePracticeText": "Dr. Carl Moore", "isSigned": "true", "isSignedPractice": "true"}"#;
const DOC_ATTACH: &str =
    r#"{"TreatPlanAttachNum": 70, "TreatPlanNum": 9, "ProcNum": 132, "Priority": 148, "priority": "Wait"}"#;
const DOC_PROC_TP: &str = r#"{"ProcTPNum": 976, "TreatPlanNum": 963, "PatNum": 722, "ProcNumOrig": 1154,
  "ItemOrder": 0, "Priority": 0, "priority": "", "ToothNumTP": "13", "Surf": "MOD", "ProcCode": "D2393",
  "Descript": "resin-based composite - three surfaces, posterior", "FeeAmt": 204.0, "PriInsAmt": 80.0,
  "SecInsAmt": 0.0, "PatAmt": 70.0, "Discount": 54.0, "Prognosis": "", "Dx": "", "ProcAbbr": "C3 (P)",
  "SecUserNumEntry": 12, "SecDateEntry": "2023-01-24", "SecDateTEdit": "2023-01-24 09:33:46", "FeeAllowed": 0.0,
  "TaxAmt": 0.0, "ProvNum": 11, "DateTP": "2022-12-19", "ClinicNum": 3, "CatPercUCR": 204.0}"#;
const DOC_PROCEDURE: &str = r#"{"ProcNum": 20, "PatNum": 12, "AptNum": 1341, "ProcDate": "2022-05-05",
  "ProcFee": "130.00", "Surf": "MODL", "ToothNum": "4", "ToothRange": "", "Priority": 0, "priority": "",
  "ProcStatus": "C", "ProvNum": 2, "provAbbr": "DOC2", "Dx": 0, "dxName": "", "PlannedAptNum": 0,
  "PlaceService": "Office", "Prosthesis": "", "DateOriginalProsth": "0001-01-01", "ClaimNote": "",
  "DateEntryC": "2022-04-17", "ClinicNum": 0, "CodeNum": 2, "procCode": "D0120",
  "descript": "periodic oral evaluation - established patient", "UnitQty": 1, "BaseUnits": 0, "DateTP": "2022-04-17",
  "SiteNum": 0, "HideGraphics": "false", "CanadianTypeCodes": "", "ProcTime": "00:00:00", "ProcTimeEnd": "00:00:00",
  "DateTStamp": "2022-05-05 07:00:34", "Prognosis": 0, "IsLocked": "false", "BillingNote": "", "Discount": 0.0,
  "IsDateProsthEst": "false", "SecDateEntry": "2022-04-17 09:38:21", "serverDateTime": "2025-06-17 09:00:34"}"#;

async fn send(app: &axum::Router, method: Method, uri: &str, body: &str) -> Answer {
    request(app, method, uri, Some(AUTH), Some(body.as_bytes().to_vec())).await
}

async fn post_attach(app: &axum::Router, body: &str) -> Answer {
    send(app, Method::POST, "/api/v1/treatplanattaches", body).await
}

async fn put_priority(app: &axum::Router, attach_num: i64, body: &str) -> Answer {
    send(
        app,
        Method::PUT,
        &format!("/api/v1/treatplanattaches/{attach_num}"),
        body,
    )
    .await
}

async fn attaches_of(app: &axum::Router, plan: i64) -> Vec<Value> {
    let list = get_json(app, &format!("/api/v1/treatplanattaches?TreatPlanNum={plan}")).await;
    list.as_array().unwrap().clone()
}

/// How many attaches have each `priority` label.
fn label_counts(attaches: &[Value]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for a in attaches {
        *counts.entry(a["priority"].as_str().unwrap().to_owned()).or_insert(0) += 1;
    }
    counts
}

fn nums(items: &Value, name: &str) -> Vec<i64> {
    field(items, name).iter().map(|v| v.as_i64().unwrap()).collect()
}

// ---- TreatPlans ----

#[tokio::test]
async fn treat_plans_list_a_patients_plans_shaped_as_documented() {
    let (app, _) = test_app();
    let plans = get_json(&app, &format!("/api/v1/treatplans?PatNum={SMITH_JANE}")).await;
    assert_eq!(
        nums(&plans, "TreatPlanNum"),
        [JANE_ACTIVE_PLAN, JANE_INACTIVE_PLAN, JANE_SAVED_PLAN]
    );
    let statuses: Vec<&str> = field(&plans, "TPStatus").iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(statuses, ["Active", "Inactive", "Saved"]);
    for plan in plans.as_array().unwrap() {
        assert_shaped_like(plan, DOC_TREAT_PLAN, &[]);
    }
    let (active, saved) = (&plans[0], &plans[2]);
    assert_eq!(
        (
            active["Heading"].as_str(),
            active["DateTP"].as_str(),
            active["isSigned"].as_str()
        ),
        (Some("Active Treatment Plan"), Some("0001-01-01"), Some("false"))
    );
    assert_eq!(saved["Heading"], "Saved Treatment Plan");
    assert_ne!(saved["DateTP"], "0001-01-01", "a Saved plan has its date");
    assert_eq!(
        (saved["isSigned"].as_str(), saved["SignatureText"].as_str()),
        (Some("true"), Some("Jane Smith"))
    );
    assert_ne!(saved["DateTSigned"], "0001-01-01 00:00:00");
    assert!(saved["Note"].as_str().unwrap().contains("ESTIMATE ONLY"));
    assert_eq!(
        nums(
            &get_json(&app, &format!("/api/v1/treatplans?PatNum={OBRIEN_SEAN}")).await,
            "TreatPlanNum"
        ),
        [SEAN_ACTIVE_PLAN, SEAN_SAVED_PLAN]
    );
    // A patient without plans has an empty list, not a 404.
    assert_eq!(get_json(&app, "/api/v1/treatplans?PatNum=100").await, json!([]));
}

#[tokio::test]
async fn treat_plans_filter_by_status_and_edit_time_and_check_their_parameters() {
    let (app, _) = test_app();
    let saved = get_json(&app, &format!("/api/v1/treatplans?PatNum={SMITH_JANE}&TPStatus=Saved")).await;
    assert_eq!(nums(&saved, "TreatPlanNum"), [JANE_SAVED_PLAN]);
    // Every patient has at most one Active plan.
    let active = get_json(&app, "/api/v1/treatplans?TPStatus=active").await;
    let mut patients = nums(&active, "PatNum");
    assert_eq!(patients.len(), 5);
    patients.dedup();
    assert_eq!(patients.len(), 5);
    assert!(field(&active, "TPStatus").iter().all(|s| *s == "Active"));
    let inactive = get_json(&app, "/api/v1/treatplans?TPStatus=Inactive").await;
    assert_eq!(nums(&inactive, "TreatPlanNum"), [JANE_INACTIVE_PLAN]);

    let all = get_json(&app, "/api/v1/treatplans").await;
    let all_nums = nums(&all, "TreatPlanNum");
    let mut sorted = all_nums.clone();
    sorted.sort();
    assert_eq!(all_nums, sorted, "ordered by TreatPlanNum");
    let page = get_json(&app, "/api/v1/treatplans?Offset=2&Limit=3").await;
    assert_eq!(nums(&page, "TreatPlanNum"), all_nums[2..5]);

    // Only plans edited after the time.
    let since = "2025-06-01 00:00:00";
    let edited = get_json(
        &app,
        &format!("/api/v1/treatplans?SecDateTEdit={}", since.replace(' ', "%20")),
    )
    .await;
    assert!(!edited.as_array().unwrap().is_empty() && edited.as_array().unwrap().len() < all_nums.len());
    assert!(field(&edited, "SecDateTEdit")
        .iter()
        .all(|t| t.as_str().unwrap() > since));

    assert!(get(&app, "/api/v1/treatplans?TPStatus=Pending")
        .await
        .assert_failure(400)
        .contains("TPStatus"));
    assert!(get(&app, "/api/v1/treatplans?SecDateTEdit=2025-06-01")
        .await
        .assert_failure(400)
        .contains("yyyy-MM-dd HH:mm:ss"));
    get(&app, "/api/v1/treatplans?PatNum=abc").await.assert_failure(400);
    assert!(get(&app, "/api/v1/treatplans?PatNum=99999")
        .await
        .assert_failure(404)
        .contains("Patient not found"));
}

// ---- TreatPlanAttaches GET ----

#[tokio::test]
async fn attaches_list_with_priority_labels_from_the_definitions() {
    let (app, _) = test_app();
    let attaches = attaches_of(&app, JANE_ACTIVE_PLAN).await;
    assert_eq!(attaches.len(), JANE_ACTIVE_PLAN_SIZE);
    for a in &attaches {
        assert_shaped_like(a, DOC_ATTACH, &[]);
        assert_eq!(a["TreatPlanNum"], JANE_ACTIVE_PLAN);
    }
    let expected: BTreeMap<String, usize> = [("1", 3), ("2", 2), ("Wait", 1), ("Recmend", 1), ("", 1)]
        .into_iter()
        .map(|(l, n)| (l.to_owned(), n))
        .collect();
    assert_eq!(label_counts(&attaches), expected);
    for a in &attaches {
        let label = a["priority"].as_str().unwrap();
        let expected = match a["Priority"].as_i64().unwrap() {
            0 => "",
            p if p == PRIORITY_1 => "1",
            p if p == PRIORITY_2 => "2",
            p if p == PRIORITY_WAIT => "Wait",
            p if p == PRIORITY_RECMEND => "Recmend",
            p => panic!("unexpected priority {p}"),
        };
        assert_eq!(label, expected);
    }
    // None of Jane's unattached procedures is on it.
    let on_plan: Vec<i64> = attaches.iter().map(|a| a["ProcNum"].as_i64().unwrap()).collect();
    assert!(JANE_UNATTACHED.iter().all(|p| !on_plan.contains(p)));
    assert_eq!(
        attaches_of(&app, JANE_INACTIVE_PLAN).await.len(),
        JANE_INACTIVE_PLAN_SIZE
    );
}

#[tokio::test]
async fn renaming_a_priority_shows_on_every_attach() {
    let (app, state) = test_app();
    state
        .db
        .call(|conn| {
            conn.execute(
                "UPDATE definition SET ItemName = 'Urgent' WHERE DefNum = ?1",
                [PRIORITY_1],
            )
        })
        .unwrap();
    let attaches = attaches_of(&app, JANE_ACTIVE_PLAN).await;
    assert_eq!(label_counts(&attaches)["Urgent"], 3);
    assert!(!label_counts(&attaches).contains_key("1"));
    let items = get_json(&app, &format!("/api/v1/proctps?TreatPlanNum={JANE_SAVED_PLAN}")).await;
    assert!(field(&items, "priority").contains(&&json!("Urgent")));
}

#[tokio::test]
async fn attaches_need_a_known_active_or_inactive_plan() {
    let (app, _) = test_app();
    assert!(get(&app, "/api/v1/treatplanattaches")
        .await
        .assert_failure(400)
        .contains("TreatPlanNum is required."));
    get(&app, "/api/v1/treatplanattaches?TreatPlanNum=abc")
        .await
        .assert_failure(400);
    assert!(get(&app, "/api/v1/treatplanattaches?TreatPlanNum=99999")
        .await
        .assert_failure(404)
        .contains("TreatPlan not found"));
    let saved = get(
        &app,
        &format!("/api/v1/treatplanattaches?TreatPlanNum={JANE_SAVED_PLAN}"),
    )
    .await;
    assert!(saved.assert_failure(400).contains("ProcTPs"));
}

#[tokio::test]
async fn the_big_plan_comes_in_pages_of_100_over_every_priority() {
    let (app, _) = test_app();
    let mut all = Vec::new();
    for (offset, expected) in [(0, 100), (100, 100), (200, 0)] {
        let page = get_json(
            &app,
            &format!("/api/v1/treatplanattaches?TreatPlanNum={JOHN_BIG_PLAN}&Offset={offset}"),
        )
        .await;
        assert_eq!(page.as_array().unwrap().len(), expected, "offset {offset}");
        all.extend(page.as_array().unwrap().clone());
    }
    assert_eq!(all.len(), JOHN_BIG_PLAN_SIZE);
    assert_eq!(label_counts(&all).len(), 7, "no priority and all six priorities");
}

// ---- TreatPlanAttaches POST ----

#[tokio::test]
async fn attaching_a_procedure_answers_201_with_the_attach() {
    let (app, _) = test_app();
    let [first, second] = JANE_UNATTACHED;
    let created = post_attach(
        &app,
        &format!(r#"{{"TreatPlanNum": {JANE_ACTIVE_PLAN}, "ProcNum": {first}, "Priority": {PRIORITY_WAIT}}}"#),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let body = created.json();
    assert_shaped_like(&body, DOC_ATTACH, &[]);
    assert_eq!(
        (
            body["TreatPlanNum"].as_i64(),
            body["ProcNum"].as_i64(),
            body["Priority"].as_i64(),
            body["priority"].as_str()
        ),
        (Some(JANE_ACTIVE_PLAN), Some(first), Some(PRIORITY_WAIT), Some("Wait"))
    );
    let after = attaches_of(&app, JANE_ACTIVE_PLAN).await;
    assert_eq!(after.len(), JANE_ACTIVE_PLAN_SIZE + 1);
    assert_eq!(after.last().unwrap(), &body);

    // Priority is optional (0, no label); TP procedures may go on an Inactive plan too.
    let without_priority = post_attach(
        &app,
        &format!(r#"{{"TreatPlanNum": {JANE_INACTIVE_PLAN}, "ProcNum": {second}}}"#),
    )
    .await;
    assert_eq!(
        without_priority.status,
        StatusCode::CREATED,
        "{}",
        without_priority.body
    );
    assert_eq!(
        (
            without_priority.json()["Priority"].as_i64(),
            without_priority.json()["priority"].as_str()
        ),
        (Some(0), Some(""))
    );
    let explicit_zero = post_attach(
        &app,
        &format!(r#"{{"TreatPlanNum": {JANE_ACTIVE_PLAN}, "ProcNum": {second}, "Priority": 0}}"#),
    )
    .await;
    assert_eq!(explicit_zero.status, StatusCode::CREATED, "{}", explicit_zero.body);
}

#[tokio::test]
async fn attaching_refuses_what_open_dental_refuses() {
    let (app, _) = test_app();
    let [first, _] = JANE_UNATTACHED;
    let post = |body: String| {
        let app = app.clone();
        async move { post_attach(&app, &body).await }
    };
    assert!(post(format!(r#"{{"ProcNum": {first}}}"#))
        .await
        .assert_failure(400)
        .contains("TreatPlanNum is required."));
    assert!(post(format!(r#"{{"TreatPlanNum": {JANE_ACTIVE_PLAN}}}"#))
        .await
        .assert_failure(400)
        .contains("ProcNum is required."));
    assert!(post(format!(r#"{{"TreatPlanNum": 99999, "ProcNum": {first}}}"#))
        .await
        .assert_failure(404)
        .contains("TreatPlan not found"));
    assert!(
        post(format!(r#"{{"TreatPlanNum": {JANE_ACTIVE_PLAN}, "ProcNum": 99999}}"#))
            .await
            .assert_failure(404)
            .contains("Procedure not found")
    );
    assert!(
        post(format!(r#"{{"TreatPlanNum": {JANE_SAVED_PLAN}, "ProcNum": {first}}}"#))
            .await
            .assert_failure(400)
            .contains("Saved")
    );

    // John's procedure on Jane's plan.
    let johns = get_json(&app, &format!("/api/v1/procedurelogs?PatNum={SMITH_JOHN}&Limit=1")).await[0]["ProcNum"]
        .as_i64()
        .unwrap();
    assert!(
        post(format!(r#"{{"TreatPlanNum": {JANE_ACTIVE_PLAN}, "ProcNum": {johns}}}"#))
            .await
            .assert_failure(400)
            .contains("different patient")
    );
    // Done work, and a TPi procedure on an Active plan.
    let done = JANE_COMPLETED[0];
    assert!(
        post(format!(r#"{{"TreatPlanNum": {JANE_ACTIVE_PLAN}, "ProcNum": {done}}}"#))
            .await
            .assert_failure(400)
            .contains("ProcStatus is C")
    );
    let declined = JANE_INACTIVE_PROCEDURES[0];
    assert!(post(format!(
        r#"{{"TreatPlanNum": {JANE_ACTIVE_PLAN}, "ProcNum": {declined}}}"#
    ))
    .await
    .assert_failure(400)
    .contains("ProcStatus is TPi"));
    // Already on the plan.
    let on_plan = attaches_of(&app, JANE_ACTIVE_PLAN).await[0]["ProcNum"]
        .as_i64()
        .unwrap();
    assert!(post(format!(
        r#"{{"TreatPlanNum": {JANE_ACTIVE_PLAN}, "ProcNum": {on_plan}}}"#
    ))
    .await
    .assert_failure(400)
    .contains("already attached"));
    // An image category is a definition, but not a priority; 777 is nothing.
    let image_category = IMAGE_CATEGORIES[0].0;
    for priority in [image_category, 777, -1] {
        let answer = post(format!(
            r#"{{"TreatPlanNum": {JANE_ACTIVE_PLAN}, "ProcNum": {first}, "Priority": {priority}}}"#
        ))
        .await;
        assert!(answer.assert_failure(400).contains("Priority is invalid"));
    }
    assert!(post("{not json".into())
        .await
        .assert_failure(400)
        .contains("not valid JSON"));
    post(format!(r#"{{"TreatPlanNum": "plan", "ProcNum": {first}}}"#))
        .await
        .assert_failure(400);
    post(String::new()).await.assert_failure(400);

    // Nothing of the above was attached.
    assert_eq!(attaches_of(&app, JANE_ACTIVE_PLAN).await.len(), JANE_ACTIVE_PLAN_SIZE);
}

// ---- TreatPlanAttaches PUT ----

#[tokio::test]
async fn changing_a_priority_changes_only_the_priority() {
    let (app, _) = test_app();
    let before = attaches_of(&app, JANE_ACTIVE_PLAN).await;
    let target = &before[0];
    let num = target["TreatPlanAttachNum"].as_i64().unwrap();
    let answer = put_priority(&app, num, &format!(r#"{{"Priority": {PRIORITY_LOW}}}"#)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let updated = answer.json();
    assert_shaped_like(&updated, DOC_ATTACH, &[]);
    let mut expected = target.clone();
    expected["Priority"] = json!(PRIORITY_LOW);
    expected["priority"] = json!("Low");
    assert_eq!(updated, expected);
    // The list agrees; the other attaches are untouched.
    let after = attaches_of(&app, JANE_ACTIVE_PLAN).await;
    assert_eq!(after[0], expected);
    assert_eq!(after[1..], before[1..]);

    // Back to none.
    let cleared = put_priority(&app, num, r#"{"Priority": 0}"#).await.json();
    assert_eq!(
        (cleared["Priority"].as_i64(), cleared["priority"].as_str()),
        (Some(0), Some(""))
    );
}

#[tokio::test]
async fn changing_a_priority_checks_the_attach_and_the_priority() {
    let (app, _) = test_app();
    let num = attaches_of(&app, JANE_ACTIVE_PLAN).await[0]["TreatPlanAttachNum"]
        .as_i64()
        .unwrap();
    assert!(put_priority(&app, 99999, r#"{"Priority": 0}"#)
        .await
        .assert_failure(404)
        .contains("TreatPlanAttach not found"));
    assert!(put_priority(&app, num, r#"{"Priority": 777}"#)
        .await
        .assert_failure(400)
        .contains("Priority is invalid"));
    assert!(put_priority(&app, num, "{}")
        .await
        .assert_failure(400)
        .contains("Priority is required"));
    put_priority(&app, num, "{\"Priority\": ").await.assert_failure(400);
    send(&app, Method::PUT, "/api/v1/treatplanattaches/abc", r#"{"Priority": 0}"#)
        .await
        .assert_failure(400);
    assert_eq!(
        attaches_of(&app, JANE_ACTIVE_PLAN).await[0]["Priority"],
        PRIORITY_1,
        "unchanged"
    );
}

#[tokio::test]
async fn an_injected_failure_on_the_nth_put_changes_nothing() {
    let (app, state) = test_app();
    let num = attaches_of(&app, JANE_ACTIVE_PLAN).await[0]["TreatPlanAttachNum"]
        .as_i64()
        .unwrap();
    state
        .knobs
        .fail_requests(2, FailMode::ServerError, "PUT /treatplanattaches");
    let first = put_priority(&app, num, &format!(r#"{{"Priority": {PRIORITY_LOW}}}"#)).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    // GETs do not match the plan and are not counted.
    attaches_of(&app, JANE_ACTIVE_PLAN).await;
    let second = put_priority(&app, num, &format!(r#"{{"Priority": {PRIORITY_2}}}"#)).await;
    assert!(second.assert_failure(500).contains("Nothing was changed"));
    let after = attaches_of(&app, JANE_ACTIVE_PLAN).await;
    assert_eq!(
        (after[0]["Priority"].as_i64(), after[0]["priority"].as_str()),
        (Some(PRIORITY_LOW), Some("Low"))
    );
    // The third goes through again.
    let third = put_priority(&app, num, &format!(r#"{{"Priority": {PRIORITY_2}}}"#)).await;
    assert_eq!(third.json()["priority"], "2");
}

// ---- ProcTPs ----

#[tokio::test]
async fn proc_tps_are_the_saved_plans_copies_and_add_up() {
    let (app, _) = test_app();
    let items = get_json(&app, &format!("/api/v1/proctps?TreatPlanNum={JANE_SAVED_PLAN}")).await;
    assert_eq!(items.as_array().unwrap().len(), JANE_SAVED_PLAN_SIZE);
    let plan_date =
        get_json(&app, &format!("/api/v1/treatplans?PatNum={SMITH_JANE}&TPStatus=Saved")).await[0]["DateTP"].clone();
    for (i, item) in items.as_array().unwrap().iter().enumerate() {
        assert_shaped_like(item, DOC_PROC_TP, &[]);
        assert_eq!(item["ItemOrder"].as_i64(), Some(i as i64));
        assert_eq!(
            (item["TreatPlanNum"].as_i64(), item["PatNum"].as_i64()),
            (Some(JANE_SAVED_PLAN), Some(1))
        );
        assert_eq!(item["DateTP"], plan_date);
        let f = |k: &str| item[k].as_f64().unwrap();
        assert!(f("FeeAmt") > 0.0 && f("PatAmt") >= 0.0);
        assert!(
            (f("FeeAmt") - f("PriInsAmt") - f("SecInsAmt") - f("Discount") - f("PatAmt")).abs() < 0.005,
            "{item}"
        );
        // A copy of the procedure it came from.
        let original = get_json(&app, &format!("/api/v1/procedurelogs/{}", item["ProcNumOrig"])).await;
        assert_eq!(original["PatNum"], 1);
        assert_eq!(item["ProcCode"], original["procCode"]);
        assert_eq!(item["Descript"], original["descript"]);
        assert_eq!(item["ToothNumTP"], original["ToothNum"]);
        assert_eq!(item["Surf"], original["Surf"]);
        assert_eq!(format!("{:.2}", f("FeeAmt")), original["ProcFee"].as_str().unwrap());
    }
    let sums = |k: &str| {
        items
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i[k].as_f64().unwrap())
            .sum::<f64>()
    };
    assert!(
        sums("SecInsAmt") > 0.0 && sums("Discount") > 0.0,
        "Jane has secondary insurance and a discount"
    );
    let sean = get_json(&app, &format!("/api/v1/proctps?TreatPlanNum={SEAN_SAVED_PLAN}")).await;
    assert_eq!(sean.as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn proc_tps_need_a_known_saved_plan() {
    let (app, _) = test_app();
    assert!(get(&app, "/api/v1/proctps")
        .await
        .assert_failure(400)
        .contains("TreatPlanNum is required."));
    get(&app, "/api/v1/proctps?TreatPlanNum=x").await.assert_failure(400);
    assert!(get(&app, "/api/v1/proctps?TreatPlanNum=99999")
        .await
        .assert_failure(404)
        .contains("TreatPlan not found"));
    for plan in [JANE_ACTIVE_PLAN, JANE_INACTIVE_PLAN] {
        let answer = get(&app, &format!("/api/v1/proctps?TreatPlanNum={plan}")).await;
        assert!(answer.assert_failure(400).contains("TreatPlanAttaches"));
    }
}

// ---- ProcedureLogs ----

#[tokio::test]
async fn procedure_logs_come_in_pages_of_100() {
    let (app, _) = test_app();
    let mut all = Vec::new();
    for (offset, expected) in [(0, 100), (100, 100), (200, 1)] {
        let page = get_json(
            &app,
            &format!("/api/v1/procedurelogs?PatNum={SMITH_JOHN}&ProcStatus=TP&Offset={offset}"),
        )
        .await;
        assert_eq!(page.as_array().unwrap().len(), expected, "offset {offset}");
        all.extend(page.as_array().unwrap().clone());
    }
    assert_eq!(all.len(), JOHN_TP_PROCEDURES);
    assert!(all.iter().all(|p| p["ProcStatus"] == "TP" && p["PatNum"] == 2));
    let proc_nums: Vec<i64> = all.iter().map(|p| p["ProcNum"].as_i64().unwrap()).collect();
    assert!(
        proc_nums.windows(2).all(|w| w[0] < w[1]),
        "ordered by ProcNum, no repeats"
    );
    // A larger Limit is cut to 100; a smaller one is kept.
    let capped = get_json(&app, &format!("/api/v1/procedurelogs?PatNum={SMITH_JOHN}&Limit=500")).await;
    assert_eq!(capped.as_array().unwrap().len(), 100);
    let small = get_json(
        &app,
        &format!("/api/v1/procedurelogs?PatNum={SMITH_JOHN}&Offset=3&Limit=2"),
    )
    .await;
    assert_eq!(nums(&small, "ProcNum"), proc_nums[3..5]);
}

#[tokio::test]
async fn procedure_logs_are_shaped_as_documented() {
    let (app, _) = test_app();
    let done = get_json(&app, &format!("/api/v1/procedurelogs?PatNum={SMITH_JANE}&ProcStatus=C")).await;
    assert_eq!(nums(&done, "ProcNum"), JANE_COMPLETED);
    for p in done.as_array().unwrap() {
        assert_shaped_like(p, DOC_PROCEDURE, &[]);
        assert_ne!(
            p["DateEntryC"], "0001-01-01",
            "completed procedures have their completion date"
        );
    }
    let exam = &done[0];
    assert_eq!(
        (
            exam["procCode"].as_str(),
            exam["descript"].as_str(),
            exam["ProcFee"].as_str(),
            exam["provAbbr"].as_str()
        ),
        (
            Some("D0120"),
            Some("periodic oral evaluation - established patient"),
            Some("65.00"),
            Some("DOC1")
        )
    );
    let server_time = exam["serverDateTime"].as_str().unwrap();
    assert_eq!(server_time.len(), 19);

    let single = get_json(&app, &format!("/api/v1/procedurelogs/{}", JANE_UNATTACHED[0])).await;
    assert_shaped_like(&single, DOC_PROCEDURE, &[]);
    assert_eq!(
        (single["ProcStatus"].as_str(), single["DateEntryC"].as_str()),
        (Some("TP"), Some("0001-01-01"))
    );
    // Hygiene is the hygienist's; a quadrant procedure names its quadrant.
    let jane = get_json(&app, &format!("/api/v1/procedurelogs?PatNum={SMITH_JANE}")).await;
    let srp = jane
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["procCode"] == "D4341")
        .expect("Jane has scaling and root planing planned");
    assert_eq!(
        (srp["Surf"].as_str(), srp["provAbbr"].as_str(), srp["ProcFee"].as_str()),
        (Some("UR"), Some("HYG1"), Some("245.00"))
    );
}

#[tokio::test]
async fn procedure_logs_filter_and_check_their_parameters() {
    let (app, _) = test_app();
    let tpi = get_json(
        &app,
        &format!("/api/v1/procedurelogs?PatNum={SMITH_JANE}&ProcStatus=tpi"),
    )
    .await;
    assert_eq!(nums(&tpi, "ProcNum"), JANE_INACTIVE_PROCEDURES);
    assert!(field(&tpi, "ProcStatus").iter().all(|s| *s == "TPi"));

    let crowns = get_json(&app, &format!("/api/v1/procedurelogs?PatNum={SMITH_JANE}&CodeNum=8")).await;
    assert!(!crowns.as_array().unwrap().is_empty());
    assert!(field(&crowns, "procCode").iter().all(|c| *c == "D2740"));

    let since = "2025-10-01 00:00:00";
    let recent = get_json(
        &app,
        &format!(
            "/api/v1/procedurelogs?PatNum={SMITH_JANE}&DateTStamp={}",
            since.replace(' ', "%20")
        ),
    )
    .await;
    assert_eq!(nums(&recent, "ProcNum"), JANE_UNATTACHED);

    assert_eq!(get_json(&app, "/api/v1/procedurelogs?AptNum=99").await, json!([]));
    assert_eq!(get_json(&app, "/api/v1/procedurelogs?ClinicNum=1").await, json!([]));
    assert_eq!(get_json(&app, "/api/v1/procedurelogs?PlannedAptNum=5").await, json!([]));

    assert!(get(&app, "/api/v1/procedurelogs?ProcStatus=Done")
        .await
        .assert_failure(400)
        .contains("ProcStatus"));
    get(&app, "/api/v1/procedurelogs?DateTStamp=2025-10-01")
        .await
        .assert_failure(400);
    get(&app, "/api/v1/procedurelogs?PatNum=one").await.assert_failure(400);
    get(&app, "/api/v1/procedurelogs?CodeNum=D2740")
        .await
        .assert_failure(400);
}

#[tokio::test]
async fn a_single_procedure_found_missing_and_malformed() {
    let (app, _) = test_app();
    let one = get_json(&app, &format!("/api/v1/procedurelogs/{}", JANE_COMPLETED[2])).await;
    assert_eq!(
        (one["ProcNum"].as_i64(), one["ToothNum"].as_str(), one["Surf"].as_str()),
        (Some(JANE_COMPLETED[2]), Some("13"), Some("O"))
    );
    assert!(get(&app, "/api/v1/procedurelogs/99999")
        .await
        .assert_failure(404)
        .contains("Procedure not found"));
    get(&app, "/api/v1/procedurelogs/abc").await.assert_failure(400);
}

// ---- The demo data as a whole ----

#[tokio::test]
async fn every_plan_holds_only_its_patients_procedures() {
    let (app, _) = test_app();
    let plans = get_json(&app, "/api/v1/treatplans").await;
    for plan in plans.as_array().unwrap() {
        let (num, pat_num, status) = (
            &plan["TreatPlanNum"],
            &plan["PatNum"],
            plan["TPStatus"].as_str().unwrap(),
        );
        let procs = get_json(&app, &format!("/api/v1/procedurelogs?PatNum={pat_num}&Limit=100")).await;
        let mut procs = procs.as_array().unwrap().clone();
        for offset in [100, 200] {
            let more = get_json(&app, &format!("/api/v1/procedurelogs?PatNum={pat_num}&Offset={offset}")).await;
            procs.extend(more.as_array().unwrap().clone());
        }
        let proc = |proc_num: &Value| {
            procs
                .iter()
                .find(|p| p["ProcNum"] == *proc_num)
                .unwrap_or_else(|| panic!("plan {num}: procedure {proc_num} is not patient {pat_num}'s"))
                .clone()
        };
        if status == "Saved" {
            let items = get_json(&app, &format!("/api/v1/proctps?TreatPlanNum={num}")).await;
            assert!(!items.as_array().unwrap().is_empty());
            for item in items.as_array().unwrap() {
                let original = proc(&item["ProcNumOrig"]);
                assert_eq!(item["ProcCode"], original["procCode"]);
            }
        } else {
            let mut attaches = Vec::new();
            for offset in [0, 100] {
                let page = get_json(
                    &app,
                    &format!("/api/v1/treatplanattaches?TreatPlanNum={num}&Offset={offset}"),
                )
                .await;
                attaches.extend(page.as_array().unwrap().clone());
            }
            assert!(!attaches.is_empty());
            for a in &attaches {
                let status_of_proc = proc(&a["ProcNum"])["ProcStatus"].clone();
                let allowed: &[&str] = if status == "Active" { &["TP"] } else { &["TP", "TPi"] };
                assert!(
                    allowed.iter().any(|s| status_of_proc == *s),
                    "plan {num}: {status_of_proc}"
                );
            }
        }
    }
}

#[tokio::test]
async fn a_data_dir_from_before_treatment_gets_it_and_keeps_changes_over_restarts() {
    let data = TempDir::new("treatment");
    let config = Config {
        memory: false,
        data_dir: data.path().join("data"),
        ..Config::for_tests()
    };
    let db_file = config.data_dir.join("chairside.sqlite");
    {
        let (app, _state) = test_app_with(config.clone());
        assert_eq!(attaches_of(&app, JANE_ACTIVE_PLAN).await.len(), JANE_ACTIVE_PLAN_SIZE);
    }
    // Make it a data directory of a sandbox that had no treatment yet, with an edit of its own.
    {
        let conn = rusqlite::Connection::open(&db_file).unwrap();
        conn.execute_batch(
            "DROP TABLE procedurecode; DROP TABLE procedurelog; DROP TABLE treatplan; DROP TABLE treatplanattach;
             DROP TABLE proctp; DELETE FROM seeded WHERE Resource = 'treatment';
             UPDATE patient SET FName = 'Janet' WHERE PatNum = 1;",
        )
        .unwrap();
    }
    {
        let (app, _state) = test_app_with(config.clone());
        assert_eq!(
            get_json(&app, &format!("/api/v1/patients/{SMITH_JANE}")).await["FName"],
            "Janet"
        );
        assert_eq!(attaches_of(&app, JANE_ACTIVE_PLAN).await.len(), JANE_ACTIVE_PLAN_SIZE);
        let created = post_attach(
            &app,
            &format!(
                r#"{{"TreatPlanNum": {JANE_ACTIVE_PLAN}, "ProcNum": {}}}"#,
                JANE_UNATTACHED[0]
            ),
        )
        .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    }
    // Seeded once: the attach is still there and nothing was added twice.
    let (app, _state) = test_app_with(config);
    assert_eq!(
        attaches_of(&app, JANE_ACTIVE_PLAN).await.len(),
        JANE_ACTIVE_PLAN_SIZE + 1
    );
    let all_plans = get_json(&app, &format!("/api/v1/treatplans?PatNum={SMITH_JANE}")).await;
    assert_eq!(all_plans.as_array().unwrap().len(), 3);
    let tps = get_json(
        &app,
        &format!("/api/v1/procedurelogs?PatNum={SMITH_JOHN}&ProcStatus=TP&Offset=200"),
    )
    .await;
    assert_eq!(tps.as_array().unwrap().len(), JOHN_TP_PROCEDURES - 200);
}

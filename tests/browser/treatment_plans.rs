//! Treatment plans: priority dropdowns that regroup and persist, rollback on failure,
//! attaching, Saved plans read-only, keyboard use, and requests per screen.

use chairside_sandbox::seed::definitions::{PRIORITY_1, PRIORITY_2, PRIORITY_WAIT};
use chairside_sandbox::seed::patients::SMITH_JANE as JANE;
use chairside_sandbox::FailMode;
use fantoccini::{elements::Element, Locator};

use crate::harness::Browser;

const ARROW_DOWN: &str = "\u{E015}";

async fn open_plans(b: &Browser) {
    b.connect_with_demo_keys().await;
    b.goto(&format!("/patients/{JANE}/treatment-plans")).await;
    b.find("table.plan-table tbody.priority-group").await;
}

/// The attach numbers in the group of `priority`, in display order.
async fn group_members(b: &Browser, priority: i64) -> Vec<String> {
    let rows = b
        .client
        .find_all(Locator::Css(&format!(
            "tbody[data-priority='{priority}'] tr[data-attach]"
        )))
        .await
        .unwrap();
    let mut members = Vec::new();
    for row in rows {
        members.push(row.attr("data-attach").await.unwrap().unwrap());
    }
    members
}

async fn subtotal(b: &Browser, priority: i64) -> Option<String> {
    let el = b
        .client
        .find(Locator::Css(&format!(
            "tbody[data-priority='{priority}'] tr.subtotal td"
        )))
        .await
        .ok()?;
    Some(el.text().await.unwrap())
}

async fn wait_until_in_group(b: &Browser, attach: &str, priority: i64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !group_members(b, priority).await.iter().any(|a| a == attach) {
        assert!(
            std::time::Instant::now() < deadline,
            "attach {attach} never showed under priority {priority}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn select_for(b: &Browser, attach: &str) -> Element {
    b.find(&format!("#priority-{attach}")).await
}

fn money(text: &str) -> i64 {
    let digits: String = text.chars().filter(|c| c.is_ascii_digit() || *c == '-').collect();
    digits.parse().unwrap()
}

async fn fee_of(b: &Browser, attach: &str) -> i64 {
    money(
        &b.find(&format!("tr[data-attach='{attach}'] td.num"))
            .await
            .text()
            .await
            .unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn changing_a_priority_regroups_updates_subtotals_and_persists() {
    let b = Browser::start().await;
    open_plans(&b).await;
    let moving = group_members(&b, PRIORITY_1).await[0].clone();
    let fee = fee_of(&b, &moving).await;
    let before_1 = money(&subtotal(&b, PRIORITY_1).await.unwrap());
    let before_wait = money(&subtotal(&b, PRIORITY_WAIT).await.unwrap());
    let total = b.find("#plan-total").await.text().await.unwrap();

    select_for(&b, &moving)
        .await
        .select_by_value(&PRIORITY_WAIT.to_string())
        .await
        .unwrap();
    wait_until_in_group(&b, &moving, PRIORITY_WAIT).await;
    assert!(!group_members(&b, PRIORITY_1).await.contains(&moving));
    assert_eq!(money(&subtotal(&b, PRIORITY_1).await.unwrap()), before_1 - fee);
    assert_eq!(money(&subtotal(&b, PRIORITY_WAIT).await.unwrap()), before_wait + fee);
    assert_eq!(
        b.find("#plan-total").await.text().await.unwrap(),
        total,
        "the total does not change"
    );
    b.wait_for_text(".plan-notice", "set to Wait").await;
    assert!(b
        .sandbox
        .knobs
        .requests()
        .iter()
        .any(|r| r.starts_with(&format!("PUT /treatplanattaches/{moving}"))));

    b.client.refresh().await.unwrap();
    b.find("table.plan-table tbody.priority-group").await;
    assert!(
        group_members(&b, PRIORITY_WAIT).await.contains(&moving),
        "the change was saved in Open Dental"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_priority_change_rolls_back_and_explains() {
    let b = Browser::start().await;
    open_plans(&b).await;
    let moving = group_members(&b, PRIORITY_1).await[0].clone();
    b.sandbox
        .knobs
        .fail_requests(1, FailMode::ServerError, "PUT /treatplanattaches");

    select_for(&b, &moving)
        .await
        .select_by_value(&PRIORITY_2.to_string())
        .await
        .unwrap();
    let alert = b.wait_for_text(".plan-notice [role=alert]", "was not changed").await;
    assert!(
        alert.contains("Open Dental reported a server error: Injected failure"),
        "{alert}"
    );
    wait_until_in_group(&b, &moving, PRIORITY_1).await;
    assert!(!group_members(&b, PRIORITY_2).await.contains(&moving));
    let shown = select_for(&b, &moving).await.prop("value").await.unwrap();
    assert_eq!(
        shown.as_deref(),
        Some(PRIORITY_1.to_string().as_str()),
        "the dropdown shows the saved priority again"
    );
    b.sandbox.knobs.stop_failing();

    b.client.refresh().await.unwrap();
    b.find("table.plan-table tbody.priority-group").await;
    assert!(
        group_members(&b, PRIORITY_1).await.contains(&moving),
        "nothing changed on the server"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_treatment_planned_procedure_can_be_attached_with_a_priority() {
    let b = Browser::start().await;
    open_plans(&b).await;
    let before = group_members(&b, PRIORITY_2).await;
    let choices = b
        .client
        .find_all(Locator::Css("#attach-procedure option:not([value=''])"))
        .await
        .unwrap();
    assert!(!choices.is_empty(), "Jane has unattached treatment-planned procedures");
    let proc_num = choices[0].attr("value").await.unwrap().unwrap();
    let choice_count = choices.len();
    b.find("#attach-procedure")
        .await
        .select_by_value(&proc_num)
        .await
        .unwrap();
    b.find("#attach-priority")
        .await
        .select_by_value(&PRIORITY_2.to_string())
        .await
        .unwrap();
    b.find(".attach-form button[type=submit]").await.click().await.unwrap();
    b.wait_for_text(".plan-notice", "Attached").await;
    let after = group_members(&b, PRIORITY_2).await;
    assert_eq!(
        after.len(),
        before.len() + 1,
        "the new row appears in its priority group"
    );
    let remaining = b
        .client
        .find_all(Locator::Css("#attach-procedure option:not([value=''])"))
        .await
        .map(|o| o.len())
        .unwrap_or(0);
    assert_eq!(
        remaining,
        choice_count - 1,
        "an attached procedure is no longer offered"
    );

    b.client.refresh().await.unwrap();
    b.find("table.plan-table tbody.priority-group").await;
    assert_eq!(
        group_members(&b, PRIORITY_2).await.len(),
        before.len() + 1,
        "the attach was saved"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_saved_plan_shows_its_proctps_and_offers_no_editing() {
    let b = Browser::start().await;
    open_plans(&b).await;
    b.client
        .find(Locator::XPath(
            "//ul[@class='plan-list']//a[.//span[normalize-space()='Saved']]",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_for_text("#plan-title", "(Saved)").await;
    b.find("table.plan-table.saved tbody tr").await;
    let detail = b.find(".plan-detail").await;
    assert!(
        detail
            .find_all(Locator::Css("select, input, button"))
            .await
            .unwrap()
            .is_empty(),
        "nothing to edit"
    );
    let headings = b.find("table.saved thead").await.text().await.unwrap();
    for column in ["Fee", "Pri Ins", "Sec Ins", "Discount", "Patient"] {
        assert!(headings.contains(column), "{column} column: {headings}");
    }
    b.find("table.saved tfoot .total").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_priority_can_be_changed_with_the_keyboard_alone() {
    let b = Browser::start().await;
    open_plans(&b).await;
    let moving = group_members(&b, PRIORITY_1).await[0].clone();
    let name = select_for(&b, &moving).await.attr("aria-label").await.unwrap().unwrap();
    assert!(
        name.starts_with("Priority for D"),
        "the dropdown says which procedure it sets: {name}"
    );
    b.script(&format!("document.getElementById('priority-{moving}').focus()"))
        .await;
    // Down from "1" selects the next priority in definition order: "2".
    b.press(ARROW_DOWN).await;
    wait_until_in_group(&b, &moving, PRIORITY_2).await;
    b.wait_for_text(".plan-notice", "set to 2").await;
    let focused = b.client.active_element().await.unwrap().attr("id").await.unwrap();
    assert_eq!(
        focused,
        Some(format!("priority-{moving}")),
        "focus stays on the dropdown after the row moves"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_plan_screen_needs_four_requests_cold_and_three_warm() {
    let b = Browser::start().await;
    b.connect_with_demo_keys().await;
    let (cold, warm) = b
        .requests_to_open(JANE, "/treatment-plans", "table.plan-table tbody.priority-group")
        .await;
    assert_eq!(
        cold,
        [
            "GET /definitions",
            "GET /procedurelogs",
            "GET /treatplanattaches",
            "GET /treatplans"
        ]
    );
    assert_eq!(
        warm,
        ["GET /procedurelogs", "GET /treatplanattaches", "GET /treatplans"],
        "priorities are cached"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_attach_selects_stay_inside_their_card_at_any_width() {
    let b = Browser::start().await;
    open_plans(&b).await;
    b.find("#attach-procedure").await;
    for width in [1280, 800, 412] {
        b.client.set_window_size(width, 900).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let overflow = b
            .script(
                "const card = document.querySelector('form.attach-form').getBoundingClientRect();
                 return ['attach-procedure', 'attach-priority'].map(id => {
                   const r = document.getElementById(id).getBoundingClientRect();
                   return [id, Math.round(r.left - card.left), Math.round(card.right - r.right)];
                 });",
            )
            .await;
        for item in overflow.as_array().unwrap() {
            let (left, right) = (item[1].as_i64().unwrap(), item[2].as_i64().unwrap());
            assert!(
                left >= 0 && right >= 0,
                "at {width} px {} sticks out of its card: {left} px inside on the left, {right} px on the right",
                item[0]
            );
        }
    }
    b.close().await;
}

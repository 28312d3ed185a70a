//! What each screen shows for a state, and what its controls ask for.

use super::*;
use crate::kiosk::{
    machine::{BirthdateAnswer, Event},
    model::{KioskIntake, KioskRef, KioskState, KioskStep, StepKind, StepStatus},
    staff::Choice,
};

fn with_intake(language: &str) -> Machine {
    let mut m = Machine::new(true);
    m.handle(
        Event::State(KioskState {
            kiosk: KioskRef {
                id: 3,
                name: "Front desk tablet".into(),
            },
            idle_seconds: 60,
            intake: Some(KioskIntake {
                id: "a".into(),
                first_name: "Jane".into(),
                language: language.into(),
                confirmed: false,
                tries_left: 3,
                steps: [StepKind::Selfie, StepKind::CardFront]
                    .into_iter()
                    .map(|kind| KioskStep {
                        kind,
                        status: StepStatus::Waiting,
                    })
                    .collect(),
            }),
        }),
        0.0,
    );
    m
}

fn on_step_0() -> Machine {
    let mut m = with_intake("en");
    m.handle(Event::Start, 0.0);
    m.handle(Event::SubmitBirthdate(Ok("1976-05-24".into())), 0.0);
    m.handle(
        Event::Birthdate {
            intake: "a".into(),
            answer: BirthdateAnswer::Confirmed,
        },
        0.0,
    );
    m
}

fn ids(tree: &El) -> Vec<&str> {
    tree.all().into_iter().filter_map(|e| e.get("id")).collect()
}

fn action(tree: &El, id: &str) -> Option<String> {
    tree.find(id)?.get("data-do").map(str::to_owned)
}

#[test]
fn waiting_shows_the_kiosks_name_and_the_bar_its_date_and_text_size() {
    let ui = Ui {
        kiosk_name: "Front desk tablet".into(),
        today: "Sunday, November 22, 2026".into(),
        large: true,
        ..Ui::default()
    };
    let page = page(&Machine::new(true), &ui);
    assert_eq!(page.get("class"), Some("kiosk large"));
    assert_eq!(page.find("kiosk-name").unwrap().text_content(), "Front desk tablet");
    assert_eq!(
        page.find("kiosk-today").unwrap().text_content(),
        "Sunday, November 22, 2026"
    );
    let toggle = page
        .all()
        .into_iter()
        .find(|e| e.get("data-do") == Some("large"))
        .unwrap();
    assert_eq!(toggle.get("aria-pressed"), Some("true"));
    assert_eq!(
        page.find("kiosk-title").unwrap().text_content(),
        Lang::En.texts().waiting_title
    );
    assert!(page.find("idle-dialog").is_none() && page.find("staff-dialog").is_none());
}

#[test]
fn welcome_greets_by_first_name_and_presses_the_chosen_language() {
    let page = page(&with_intake("es"), &Ui::default());
    assert!(page.find("kiosk-title").unwrap().text_content().contains("Jane"));
    assert_eq!(page.find("kiosk-lang-es").unwrap().get("aria-pressed"), Some("true"));
    assert_eq!(page.find("kiosk-lang-en").unwrap().get("aria-pressed"), Some("false"));
    assert_eq!(action(&page, "kiosk-lang-en").as_deref(), Some("lang-en"));
    assert_eq!(action(&page, "kiosk-start").as_deref(), Some("start"));
}

#[test]
fn the_birthdate_fields_follow_the_languages_order_and_show_the_problem() {
    let mut m = with_intake("en");
    m.handle(Event::Start, 0.0);
    let english = page(&m, &Ui::default());
    let order = |tree: &El| -> Vec<String> {
        ids(tree)
            .into_iter()
            .filter(|id| id.starts_with("kiosk-birth-"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(order(&english), [BIRTH_MONTH, BIRTH_DAY, BIRTH_YEAR]);
    assert_eq!(english.find(BIRTH_YEAR).unwrap().get("maxlength"), Some("4"));
    assert!(english.find("kiosk-birthdate-error").unwrap().children.is_empty());
    m.handle(Event::ChooseLanguage(Lang::Es), 0.0);
    assert_eq!(order(&page(&m, &Ui::default())), [BIRTH_DAY, BIRTH_MONTH, BIRTH_YEAR]);

    m.handle(Event::SubmitBirthdate(Ok("1976-05-24".into())), 0.0);
    let checking = page(&m, &Ui::default());
    assert_eq!(checking.find("kiosk-check").unwrap().get("disabled"), Some(""));
    m.handle(
        Event::Birthdate {
            intake: "a".into(),
            answer: BirthdateAnswer::Wrong { tries_left: 2 },
        },
        0.0,
    );
    let wrong = page(&m, &Ui::default());
    assert_eq!(wrong.find("kiosk-check").unwrap().get("disabled"), None);
    let error = wrong.find("kiosk-birthdate-error").unwrap();
    assert_eq!(error.get("role"), Some("alert"));
    assert!(error.text_content().contains('2'), "{}", error.text_content());
}

#[test]
fn a_photo_step_offers_the_camera_then_the_preview_then_the_progress() {
    let mut m = on_step_0();
    let capture = page(&m, &Ui::default());
    let camera = capture.find("kiosk-camera").unwrap();
    assert_eq!(camera.get("capture"), Some("user"));
    assert_eq!(camera.get("data-do"), Some("photo"));
    assert_eq!(capture.find("kiosk-library").unwrap().get("capture"), None);
    assert_eq!(action(&capture, "kiosk-skip").as_deref(), Some("skip"));
    let section = capture.find("main").unwrap().elements().next().unwrap();
    assert_eq!(section.key, "step-0");
    assert_eq!(section.get("class"), Some("kiosk-card kiosk-step"));

    m.handle(Event::PhotoTaken { key: "k1".into() }, 0.0);
    let ui = Ui {
        photo: Some("blob:photo".into()),
        ..Ui::default()
    };
    let preview = page(&m, &ui);
    let img = preview.all().into_iter().find(|e| e.tag == "img").unwrap();
    assert_eq!(img.get("src"), Some("blob:photo"));
    assert!(img.get("alt").is_some_and(|a| !a.is_empty()));
    assert_eq!(action(&preview, "kiosk-use").as_deref(), Some("use"));
    assert_eq!(action(&preview, "kiosk-retake").as_deref(), Some("retake"));

    m.handle(Event::UsePhoto, 0.0);
    let sending = page(
        &m,
        &Ui {
            progress: Some(40),
            ..ui
        },
    );
    let bar = sending.all().into_iter().find(|e| e.tag == "progress").unwrap();
    assert_eq!((bar.get("max"), bar.get("value")), (Some("100"), Some("40")));
    assert_eq!(sending.find("kiosk-sending").unwrap().get("aria-live"), Some("polite"));
}

#[test]
fn the_idle_warning_is_an_alert_dialog_counting_down() {
    let mut m = with_intake("en");
    m.handle(Event::Start, 0.0);
    m.handle(Event::Tick, 50_000.0);
    let seconds = m.warning.expect("the warning shows before the reset");
    let page = page(&m, &Ui::default());
    let dialog = page.find("idle-dialog").unwrap();
    assert_eq!(dialog.get("role"), Some("alertdialog"));
    assert_eq!(dialog.get("data-cancel"), Some("still-here"));
    assert_eq!(dialog.get("data-focus"), Some("kiosk-still-here"));
    assert!(page
        .find("idle-text")
        .unwrap()
        .text_content()
        .contains(&seconds.to_string()));
}

#[test]
fn the_staff_dialog_shows_each_view_with_its_own_fields() {
    let mut dialog = StaffDialog::new();
    let ui = |d: &StaffDialog| Ui {
        staff: Some(d.clone()),
        ..Ui::default()
    };
    let menu = page(&Machine::new(true), &ui(&dialog));
    assert_eq!(action(&menu, "kiosk-staff-start").as_deref(), Some("staff-sign-in"));
    assert_eq!(action(&menu, "kiosk-staff-exit").as_deref(), Some("staff-exit"));
    assert_eq!(
        menu.find("staff-dialog").unwrap().get("data-cancel"),
        Some("staff-cancel")
    );

    dialog.show(View::SignIn);
    dialog.sign_in("maria", "secret");
    let busy = page(&Machine::new(true), &ui(&dialog));
    let submit = busy.find("kiosk-sign-in-submit").unwrap();
    assert_eq!(
        (submit.get("disabled"), submit.text_content().as_str()),
        (Some(""), "Signing in…")
    );
    assert_eq!(busy.find("kiosk-password").unwrap().get("type"), Some("password"));

    dialog.signed_in_as_staff();
    dialog.searched(Ok(vec![Choice {
        pat_num: 7,
        label: "Doe, Jane (1980-01-02)".into(),
    }]));
    let found = page(&Machine::new(true), &ui(&dialog));
    let start = found
        .all()
        .into_iter()
        .find(|e| e.get("data-do") == Some("start-here"))
        .unwrap();
    assert_eq!(start.get("data-pat-num"), Some("7"));
    assert!(found
        .find("staff-dialog")
        .unwrap()
        .text_content()
        .contains("Doe, Jane (1980-01-02)"));

    dialog.show(View::Exit);
    dialog.failed("Only staff can do that.".into());
    let refused = page(&Machine::new(true), &ui(&dialog));
    assert_eq!(
        refused.find("kiosk-exit-error").unwrap().text_content(),
        "Only staff can do that."
    );
}

//! Every transition of the intake machine.

use super::*;
use crate::kiosk::{
    i18n::{BirthdateProblem, Lang},
    model::{KioskIntake, KioskRef, KioskState, KioskStep, StepKind, StepStatus},
    upload::Outcome,
};

fn intake(id: &str, language: &str, steps: &[StepKind]) -> KioskIntake {
    KioskIntake {
        id: id.into(),
        first_name: "Jane".into(),
        language: language.into(),
        confirmed: false,
        tries_left: 3,
        steps: steps
            .iter()
            .map(|&kind| KioskStep {
                kind,
                status: StepStatus::Waiting,
            })
            .collect(),
    }
}

fn state(intake: Option<KioskIntake>) -> Event {
    Event::State(KioskState {
        kiosk: KioskRef {
            id: 3,
            name: "Front desk tablet".into(),
        },
        idle_seconds: 60,
        intake,
    })
}

const TWO: [StepKind; 2] = [StepKind::Selfie, StepKind::CardFront];

/// A kiosk with intake "a" (two steps), past the birthdate, on step 0.
fn confirmed() -> Machine {
    let mut m = Machine::new(true);
    m.handle(state(Some(intake("a", "en", &TWO))), 0.0);
    m.handle(Event::Start, 0.0);
    m.handle(Event::SubmitBirthdate(Ok("1976-05-24".into())), 0.0);
    m.handle(birthdate(BirthdateAnswer::Confirmed), 0.0);
    assert_eq!(m.screen, Screen::Step(0));
    m
}

fn birthdate(answer: BirthdateAnswer) -> Event {
    Event::Birthdate {
        intake: "a".into(),
        answer,
    }
}

fn upload(step: usize, key: &str, outcome: Outcome) -> Event {
    Event::Upload {
        intake: "a".into(),
        step,
        key: key.into(),
        outcome,
    }
}

fn sent(step: usize, key: &str, kind: StepKind) -> Effect {
    Effect::Upload {
        intake: "a".into(),
        step,
        kind,
        key: key.into(),
    }
}

fn phase(m: &Machine, step: usize) -> Phase {
    m.step(step).unwrap().phase
}

#[test]
fn a_kiosk_waits_then_shows_the_intake_staff_sent_in_its_language() {
    let mut m = Machine::new(true);
    assert_eq!(m.screen, Screen::Waiting);
    assert!(m.handle(state(None), 0.0).is_empty());
    assert_eq!(m.screen, Screen::Waiting);
    m.handle(state(Some(intake("a", "es", &TWO))), 0.0);
    assert_eq!((m.screen, m.lang, m.idle_seconds), (Screen::Welcome, Lang::Es, 60));
    assert_eq!(m.intake.as_ref().unwrap().first_name, "Jane");
    // The patient may choose the other language; choosing without an intake does nothing.
    m.handle(Event::ChooseLanguage(Lang::En), 0.0);
    assert_eq!(m.lang, Lang::En);
    m.handle(Event::Start, 0.0);
    assert_eq!(m.screen, Screen::Birthdate);
    let mut idle = Machine::new(true);
    idle.handle(Event::ChooseLanguage(Lang::Es), 0.0);
    assert_eq!(idle.lang, Lang::En);
}

#[test]
fn starting_without_the_network_waits_for_it_then_reconnects() {
    let mut m = Machine::new(false);
    assert_eq!(m.screen, Screen::Offline);
    assert_eq!(m.handle(Event::Online(true), 0.0), [Effect::Reconnect]);
    let mut m = Machine::new(false);
    m.handle(state(None), 0.0);
    assert_eq!(m.screen, Screen::Waiting, "the gateway answered");
}

#[test]
fn the_birthdate_goes_to_the_gateway_and_its_tries_are_the_gateways() {
    let mut m = Machine::new(true);
    m.handle(state(Some(intake("a", "en", &TWO))), 0.0);
    assert!(
        m.handle(Event::SubmitBirthdate(Ok("x".into())), 0.0).is_empty(),
        "not on screen yet"
    );
    m.handle(Event::Start, 0.0);
    // Incomplete or impossible dates are said at once and never sent.
    assert!(m
        .handle(Event::SubmitBirthdate(Err(BirthdateProblem::Incomplete)), 0.0)
        .is_empty());
    assert_eq!(
        m.intake.as_ref().unwrap().birthdate_error,
        Some(BirthdateError::Local(BirthdateProblem::Incomplete))
    );
    let fx = m.handle(Event::SubmitBirthdate(Ok("1976-05-25".into())), 0.0);
    assert_eq!(
        fx,
        [Effect::CheckBirthdate {
            intake: "a".into(),
            birthdate: "1976-05-25".into()
        }]
    );
    assert!(m.intake.as_ref().unwrap().checking);
    assert!(
        m.handle(Event::SubmitBirthdate(Ok("1976-05-24".into())), 0.0)
            .is_empty(),
        "one check at a time"
    );
    m.handle(birthdate(BirthdateAnswer::Wrong { tries_left: 2 }), 0.0);
    let i = m.intake.as_ref().unwrap();
    assert_eq!((i.tries_left, i.checking), (2, false));
    assert_eq!(i.birthdate_error, Some(BirthdateError::Wrong(2)));
    assert_eq!(m.screen, Screen::Birthdate);
    m.handle(Event::SubmitBirthdate(Ok("1976-05-23".into())), 0.0);
    m.handle(birthdate(BirthdateAnswer::Unreachable), 0.0);
    assert_eq!(
        m.intake.as_ref().unwrap().birthdate_error,
        Some(BirthdateError::Unreachable)
    );
    // An answer about another intake changes nothing.
    m.handle(
        Event::Birthdate {
            intake: "b".into(),
            answer: BirthdateAnswer::Confirmed,
        },
        0.0,
    );
    assert_eq!(m.screen, Screen::Birthdate);
    m.handle(Event::SubmitBirthdate(Ok("1976-05-24".into())), 0.0);
    m.handle(birthdate(BirthdateAnswer::Confirmed), 0.0);
    assert_eq!(m.screen, Screen::Step(0));
    assert_eq!(m.intake.as_ref().unwrap().birthdate_error, None);
}

#[test]
fn the_third_miss_locks_out_and_forgets_the_patient() {
    let mut m = Machine::new(true);
    m.handle(state(Some(intake("a", "en", &TWO))), 0.0);
    m.handle(Event::Start, 0.0);
    for left in [2, 1] {
        m.handle(Event::SubmitBirthdate(Ok("2000-01-01".into())), 0.0);
        m.handle(birthdate(BirthdateAnswer::Wrong { tries_left: left }), 0.0);
    }
    m.handle(Event::SubmitBirthdate(Ok("2000-01-01".into())), 0.0);
    let fx = m.handle(birthdate(BirthdateAnswer::Gone), 5.0);
    assert_eq!(fx, [Effect::ForgetPatient]);
    assert_eq!(m.screen, Screen::Ended(EndReason::LockedOut));
    assert!(m.intake.is_none());
    // A late event naming the ended intake does not bring it back.
    m.handle(state(Some(intake("a", "en", &TWO))), 6.0);
    assert_eq!(m.screen, Screen::Ended(EndReason::LockedOut));
    // The ended screen stays a while, then the kiosk waits in English.
    m.handle(Event::Tick, 5.0 + ENDED_SHOW_MS - 1.0);
    assert_eq!(m.screen, Screen::Ended(EndReason::LockedOut));
    m.handle(Event::Tick, 5.0 + ENDED_SHOW_MS);
    assert_eq!((m.screen, m.lang), (Screen::Waiting, Lang::En));
    // The stream may say the intake ended before the third miss's own answer arrives.
    let mut m = Machine::new(true);
    m.handle(state(Some(intake("a", "en", &TWO))), 0.0);
    m.handle(Event::Start, 0.0);
    for left in [2, 1] {
        m.handle(Event::SubmitBirthdate(Ok("2000-01-01".into())), 0.0);
        m.handle(birthdate(BirthdateAnswer::Wrong { tries_left: left }), 0.0);
    }
    m.handle(Event::SubmitBirthdate(Ok("2000-01-01".into())), 0.0);
    assert_eq!(m.handle(state(None), 0.0), [Effect::ForgetPatient]);
    assert_eq!(m.screen, Screen::Ended(EndReason::LockedOut));
    assert!(
        m.handle(birthdate(BirthdateAnswer::Gone), 0.0).is_empty(),
        "the late answer changes nothing"
    );
    assert_eq!(m.screen, Screen::Ended(EndReason::LockedOut));
    // A 410 with tries left (expired meanwhile) is not a lock-out.
    let mut m = Machine::new(true);
    m.handle(state(Some(intake("a", "en", &TWO))), 0.0);
    m.handle(Event::Start, 0.0);
    m.handle(Event::SubmitBirthdate(Ok("2000-01-01".into())), 0.0);
    m.handle(birthdate(BirthdateAnswer::Gone), 0.0);
    assert_eq!(m.screen, Screen::Ended(EndReason::Ended));
}

#[test]
fn a_photo_is_previewed_retaken_with_a_new_key_and_sent_with_its_own() {
    let mut m = confirmed();
    m.handle(Event::PhotoTaken { key: "k1".into() }, 0.0);
    assert_eq!(phase(&m, 0), Phase::Preview);
    assert_eq!(m.handle(Event::Retake, 0.0), [Effect::DropPhoto(0)]);
    assert_eq!((phase(&m, 0), m.step(0).unwrap().key.clone()), (Phase::Capture, None));
    m.handle(Event::PhotoTaken { key: "k2".into() }, 0.0);
    assert_eq!(m.handle(Event::UsePhoto, 0.0), [sent(0, "k2", StepKind::Selfie)]);
    assert_eq!(phase(&m, 0), Phase::Sending { attempt: 1 });
    assert!(m.handle(Event::UsePhoto, 0.0).is_empty(), "sent once");
    assert!(
        m.handle(Event::Skip, 0.0).is_empty(),
        "no skipping while it is on its way"
    );
    // An answer for another key (an older photo) is ignored.
    m.handle(upload(0, "k1", Outcome::Arrived), 0.0);
    assert_eq!(phase(&m, 0), Phase::Sending { attempt: 1 });
    let fx = m.handle(upload(0, "k2", Outcome::Arrived), 0.0);
    assert_eq!(fx, [Effect::DropPhoto(0)], "nothing of the photo stays");
    assert_eq!((phase(&m, 0), m.screen), (Phase::Arrived, Screen::Step(1)));
}

#[test]
fn skipping_and_the_last_step_finish_the_intake() {
    let mut m = confirmed();
    let fx = m.handle(Event::Skip, 0.0);
    assert_eq!(
        fx,
        [
            Effect::DropPhoto(0),
            Effect::SkipStep {
                intake: "a".into(),
                kind: StepKind::Selfie
            }
        ]
    );
    assert_eq!(m.screen, Screen::Step(1));
    m.handle(Event::PhotoTaken { key: "k".into() }, 0.0);
    m.handle(Event::UsePhoto, 0.0);
    let fx = m.handle(upload(1, "k", Outcome::Arrived), 0.0);
    assert_eq!(fx, [Effect::DropPhoto(1), Effect::Finish { intake: "a".into() }]);
    assert_eq!(m.screen, Screen::Done);
    // The stream then says no intake: the thank-you stays until Done.
    assert!(m.handle(state(None), 0.0).is_empty());
    assert_eq!(m.screen, Screen::Done);
    assert_eq!(m.handle(Event::Finished, 0.0), [Effect::ForgetPatient]);
    assert_eq!((m.screen, m.intake.is_none()), (Screen::Waiting, true));
}

#[test]
fn unclear_failures_retry_with_the_same_key_and_growing_pauses_then_ask() {
    let mut m = confirmed();
    m.handle(Event::PhotoTaken { key: "k".into() }, 0.0);
    m.handle(Event::UsePhoto, 0.0);
    for (attempt, ms) in [(1, 1_000), (2, 2_000), (3, 4_000), (4, 8_000)] {
        let fx = m.handle(upload(0, "k", Outcome::Unclear { offline: false }), 0.0);
        assert_eq!(
            fx,
            [Effect::RetryAfter {
                ms,
                intake: "a".into(),
                step: 0,
                key: "k".into()
            }]
        );
        assert_eq!(phase(&m, 0), Phase::Retrying { attempt, wait_ms: ms });
        // A stale timer (other key) does nothing; the due one sends again with the same key.
        assert!(m
            .handle(
                Event::RetryDue {
                    intake: "a".into(),
                    step: 0,
                    key: "old".into()
                },
                0.0
            )
            .is_empty());
        let fx = m.handle(
            Event::RetryDue {
                intake: "a".into(),
                step: 0,
                key: "k".into(),
            },
            0.0,
        );
        assert_eq!(fx, [sent(0, "k", StepKind::Selfie)]);
        assert_eq!(phase(&m, 0), Phase::Sending { attempt: attempt + 1 });
    }
    assert!(m
        .handle(upload(0, "k", Outcome::Unclear { offline: false }), 0.0)
        .is_empty());
    assert_eq!(phase(&m, 0), Phase::NotSent);
    assert_eq!(
        m.handle(Event::TryAgain, 0.0),
        [sent(0, "k", StepKind::Selfie)],
        "same key"
    );
}

#[test]
fn a_refused_photo_is_dropped_and_the_patient_takes_another() {
    let mut m = confirmed();
    m.handle(Event::PhotoTaken { key: "k".into() }, 0.0);
    m.handle(Event::UsePhoto, 0.0);
    let fx = m.handle(upload(0, "k", Outcome::Refused { too_large: true }), 0.0);
    assert_eq!(fx, [Effect::DropPhoto(0)]);
    assert_eq!(phase(&m, 0), Phase::Refused { too_large: true });
    m.handle(Event::PhotoTaken { key: "k2".into() }, 0.0);
    assert_eq!(m.handle(Event::UsePhoto, 0.0), [sent(0, "k2", StepKind::Selfie)]);
}

#[test]
fn a_photo_taken_offline_waits_in_memory_and_goes_once_when_the_network_is_back() {
    let mut m = confirmed();
    m.handle(Event::Online(false), 0.0);
    m.handle(Event::PhotoTaken { key: "k".into() }, 0.0);
    m.handle(Event::UsePhoto, 0.0);
    assert!(m
        .handle(upload(0, "k", Outcome::Unclear { offline: false }), 0.0)
        .is_empty());
    assert_eq!(phase(&m, 0), Phase::Offline { attempt: 1 });
    // The wait is not the patient being away... but nothing is on the wire, so idle counts.
    assert_eq!(m.handle(Event::Online(true), 0.0), [sent(0, "k", StepKind::Selfie)]);
    assert_eq!(phase(&m, 0), Phase::Sending { attempt: 2 });
    assert!(m.handle(Event::Online(true), 0.0).is_empty(), "once");
    // The browser may also say so itself (navigator.onLine).
    m.handle(upload(0, "k", Outcome::Unclear { offline: true }), 0.0);
    assert_eq!(phase(&m, 0), Phase::Offline { attempt: 2 });
    assert_eq!(m.handle(Event::Retake, 0.0), [Effect::DropPhoto(0)], "or another photo");
}

#[test]
fn idle_warns_can_be_extended_and_then_abandons_and_forgets() {
    let mut m = confirmed();
    // 60 s idle: warns for the last 20.
    m.handle(Event::Tick, 39_000.0);
    assert_eq!(m.warning, None);
    m.handle(Event::Tick, 41_000.0);
    assert_eq!(m.warning, Some(19));
    assert_eq!(
        m.handle(Event::StillHere, 41_000.0),
        [Effect::Activity { intake: "a".into() }]
    );
    assert_eq!(m.warning, None);
    m.handle(Event::Tick, 80_000.0);
    assert_eq!(m.warning, None, "counted from the tap");
    let fx = m.handle(Event::Tick, 101_000.0);
    assert_eq!(fx, [Effect::Abandon { intake: "a".into() }, Effect::ForgetPatient]);
    assert_eq!((m.screen, m.intake.is_none()), (Screen::Ended(EndReason::Idle), true));
    assert!(m.handle(Event::Touch, 102_000.0).is_empty());
}

#[test]
fn touches_keep_the_intake_alive_on_the_gateway_without_flooding_it() {
    let mut m = confirmed();
    assert!(m.handle(Event::Touch, 10_000.0).is_empty());
    assert_eq!(
        m.handle(Event::Touch, 30_000.0),
        [Effect::Activity { intake: "a".into() }]
    );
    assert!(m.handle(Event::Touch, 31_000.0).is_empty());
    m.handle(Event::Tick, 80_000.0);
    assert_eq!(m.warning, Some(11));
    m.handle(Event::Touch, 80_500.0);
    assert_eq!(m.warning, None);
}

#[test]
fn a_photo_on_its_way_holds_the_idle_clock() {
    let mut m = confirmed();
    m.handle(Event::PhotoTaken { key: "k".into() }, 0.0);
    m.handle(Event::UsePhoto, 0.0);
    assert!(m.handle(Event::Tick, 500_000.0).is_empty());
    assert_eq!(m.warning, None);
    m.handle(upload(0, "k", Outcome::Arrived), 500_000.0);
    m.handle(Event::Tick, 541_000.0);
    assert_eq!(m.warning, Some(19), "counted from when it arrived");
}

#[test]
fn the_thank_you_resets_itself_when_left_alone_without_abandoning() {
    let mut m = confirmed();
    m.handle(Event::Skip, 0.0);
    m.handle(Event::Skip, 0.0);
    assert_eq!(m.screen, Screen::Done);
    assert_eq!(m.handle(Event::Tick, 61_000.0), [Effect::ForgetPatient]);
    assert_eq!(m.screen, Screen::Waiting);
}

#[test]
fn a_late_410_after_finishing_keeps_the_thank_you() {
    let mut m = confirmed();
    m.handle(Event::Skip, 0.0);
    m.handle(Event::Skip, 0.0);
    assert_eq!(m.screen, Screen::Done);
    // The last skip's own answer can arrive after "finish" ended the visit.
    assert!(m.handle(Event::Gone { intake: "a".into() }, 0.0).is_empty());
    assert_eq!(m.screen, Screen::Done);
}

#[test]
fn staff_ending_the_intake_or_a_410_forgets_the_patient() {
    let mut m = confirmed();
    m.handle(Event::PhotoTaken { key: "k".into() }, 0.0);
    assert_eq!(m.handle(state(None), 0.0), [Effect::ForgetPatient]);
    assert_eq!((m.screen, m.intake.is_none()), (Screen::Ended(EndReason::Ended), true));

    let mut m = confirmed();
    m.handle(Event::Gone { intake: "other".into() }, 0.0);
    assert_eq!(m.screen, Screen::Step(0), "another intake's 410");
    assert_eq!(
        m.handle(Event::Gone { intake: "a".into() }, 0.0),
        [Effect::ForgetPatient]
    );
    assert_eq!(m.screen, Screen::Ended(EndReason::Ended));

    let mut m = confirmed();
    m.handle(Event::PhotoTaken { key: "k".into() }, 0.0);
    m.handle(Event::UsePhoto, 0.0);
    assert_eq!(m.handle(upload(0, "k", Outcome::Gone), 0.0), [Effect::ForgetPatient]);
    assert!(m.intake.is_none());
}

#[test]
fn a_new_intake_replaces_the_old_one_after_forgetting_it() {
    let mut m = confirmed();
    let fx = m.handle(state(Some(intake("b", "es", &[StepKind::PhotoId]))), 0.0);
    assert_eq!(fx, [Effect::ForgetPatient]);
    assert_eq!((m.screen, m.lang), (Screen::Welcome, Lang::Es));
    assert_eq!(m.intake.as_ref().unwrap().id, "b");
    // The same intake again (a reconnecting stream) changes nothing but the tries left.
    let mut again = intake("b", "es", &[StepKind::PhotoId]);
    again.tries_left = 2;
    assert!(m.handle(state(Some(again)), 0.0).is_empty());
    assert_eq!((m.screen, m.intake.as_ref().unwrap().tries_left), (Screen::Welcome, 2));
}

#[test]
fn a_reload_mid_intake_resumes_at_the_first_step_not_done() {
    let mut m = Machine::new(true);
    let mut resumed = intake("a", "en", &TWO);
    resumed.confirmed = true;
    resumed.steps[0].status = StepStatus::Arrived;
    m.handle(state(Some(resumed)), 0.0);
    assert_eq!(m.screen, Screen::Welcome);
    m.handle(Event::Start, 0.0);
    assert_eq!(m.screen, Screen::Step(1));
}

#[test]
fn a_revoked_kiosk_forgets_and_leaves_kiosk_mode() {
    let mut m = confirmed();
    assert_eq!(
        m.handle(Event::Revoked, 0.0),
        [Effect::ForgetPatient, Effect::LeaveKioskMode]
    );
    assert!(m.intake.is_none());
    let mut m = confirmed();
    m.handle(Event::PhotoTaken { key: "k".into() }, 0.0);
    m.handle(Event::UsePhoto, 0.0);
    assert_eq!(
        m.handle(upload(0, "k", Outcome::Revoked), 0.0),
        [Effect::ForgetPatient, Effect::LeaveKioskMode]
    );
}

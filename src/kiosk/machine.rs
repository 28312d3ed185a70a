//! The intake on the tablet as plain state: which screen shows, each step's photo, the
//! birthdate's tries, upload retries, the idle clock, and how a visit ends. Events go in
//! (`Machine::handle`), effects come out for the runtime to carry out (HTTP calls, timers,
//! dropping photos); nothing here touches the browser, so every transition is tested natively.
//!
//! Privacy: the machine holds the patient's first name and the steps, only while the intake
//! lasts. Ending it (finish, idle, staff, expiry, lock-out) drops the intake and asks the
//! runtime to forget everything else (`Effect::ForgetPatient`). The birthdate typed goes out in
//! one effect and is never kept.

pub use super::intake::{
    BirthdateAnswer, BirthdateError, Effect, EndReason, Event, Intake, Phase, Screen, Step, ENDED_SHOW_MS,
};
use super::{
    i18n::{BirthdateProblem, Lang},
    idle::{Idle, IdleClock},
    model::KioskState,
    upload::{backoff, Outcome},
};

#[derive(Clone, Debug, PartialEq)]
pub struct Machine {
    pub screen: Screen,
    pub lang: Lang,
    pub online: bool,
    pub idle_seconds: u32,
    pub intake: Option<Intake>,
    /// Seconds left, while the idle warning shows.
    pub warning: Option<u32>,
    clock: IdleClock,
    ended_at: f64,
    /// Intakes that ended here: a late event naming one does not bring it back.
    ended: Vec<String>,
}

impl Machine {
    pub fn new(online: bool) -> Self {
        Machine {
            screen: if online { Screen::Waiting } else { Screen::Offline },
            lang: Lang::En,
            online,
            idle_seconds: 90,
            intake: None,
            warning: None,
            clock: IdleClock::new(90, 0.0),
            ended_at: 0.0,
            ended: Vec::new(),
        }
    }

    pub fn step(&self, index: usize) -> Option<&Step> {
        self.intake.as_ref()?.steps.get(index)
    }

    pub fn handle(&mut self, event: Event, now: f64) -> Vec<Effect> {
        let mut fx = Vec::new();
        match event {
            Event::State(state) => self.state(state, now, &mut fx),
            Event::Revoked => {
                self.intake = None;
                self.screen = Screen::Waiting;
                fx.extend([Effect::ForgetPatient, Effect::LeaveKioskMode]);
            }
            Event::Online(online) => {
                self.online = online;
                if online && self.screen == Screen::Offline {
                    fx.push(Effect::Reconnect);
                }
                if online {
                    self.resend_waiting(&mut fx);
                }
            }
            Event::ChooseLanguage(lang) if self.intake.is_some() => self.lang = lang,
            Event::Start if self.screen == Screen::Welcome => {
                if self.intake.as_ref().is_some_and(|i| i.confirmed) {
                    self.advance(&mut fx);
                } else {
                    self.screen = Screen::Birthdate;
                }
            }
            Event::SubmitBirthdate(typed) => self.submit_birthdate(typed, &mut fx),
            Event::Birthdate { intake, answer } if self.is_current(&intake) => {
                self.birthdate_answer(answer, now, &mut fx)
            }
            Event::PhotoTaken { key } => self.on_current_step(&mut fx, |step, _, _, _| {
                if matches!(
                    step.phase,
                    Phase::Capture | Phase::Preview | Phase::Refused { .. } | Phase::NotSent
                ) {
                    step.phase = Phase::Preview;
                    step.key = Some(key);
                }
            }),
            Event::Retake => self.on_current_step(&mut fx, |step, index, _, fx| {
                if matches!(step.phase, Phase::Preview | Phase::NotSent | Phase::Offline { .. }) {
                    step.phase = Phase::Capture;
                    step.key = None;
                    fx.push(Effect::DropPhoto(index));
                }
            }),
            Event::UsePhoto | Event::TryAgain => self.on_current_step(&mut fx, |step, index, id, fx| {
                if matches!(step.phase, Phase::Preview | Phase::NotSent) {
                    send(step, 1, index, id, fx);
                }
            }),
            Event::Skip => self.skip(&mut fx),
            Event::Upload {
                intake,
                step,
                key,
                outcome,
            } if self.is_current(&intake) => self.upload_answer(step, &key, outcome, now, &mut fx),
            Event::RetryDue { intake, step, key } if self.is_current(&intake) => {
                if let Some(s) = self.intake.as_mut().and_then(|i| i.steps.get_mut(step)) {
                    if let Phase::Retrying { attempt, .. } = s.phase {
                        if s.key.as_deref() == Some(key.as_str()) {
                            send(s, attempt + 1, step, &intake, &mut fx);
                        }
                    }
                }
            }
            // The visit finished here: a late 410 (a call that lost the race with "finish")
            // must not turn the thank-you into "This visit has ended".
            Event::Gone { intake } if self.is_current(&intake) && self.screen != Screen::Done => {
                self.end(EndReason::Ended, false, now, &mut fx)
            }
            Event::Finished if self.screen == Screen::Done => {
                self.forget(&mut fx);
                self.screen = Screen::Waiting;
                self.lang = Lang::En;
            }
            Event::Touch if self.intake.is_some() => {
                self.warning = None;
                if self.clock.touch(now) {
                    fx.extend(self.intake.as_ref().map(|i| Effect::Activity { intake: i.id.clone() }));
                }
            }
            Event::StillHere if self.intake.is_some() => {
                self.warning = None;
                self.clock.touch(now);
                self.clock.pinged(now);
                fx.extend(self.intake.as_ref().map(|i| Effect::Activity { intake: i.id.clone() }));
            }
            Event::Tick => self.tick(now, &mut fx),
            _ => {}
        }
        fx
    }

    fn is_current(&self, intake: &str) -> bool {
        self.intake.as_ref().is_some_and(|i| i.id == intake)
    }

    fn state(&mut self, state: KioskState, now: f64, fx: &mut Vec<Effect>) {
        self.idle_seconds = state.idle_seconds;
        if self.screen == Screen::Offline {
            self.screen = Screen::Waiting;
        }
        let current = self.intake.as_ref().map(|i| i.id.clone());
        match (state.intake, current) {
            (Some(new), current) if current.as_deref() != Some(new.id.as_str()) => {
                if self.ended.contains(&new.id) {
                    return;
                }
                if current.is_some() {
                    self.forget(fx);
                }
                self.lang = new.lang();
                self.intake = Some(Intake::from_wire(new));
                self.clock = IdleClock::new(self.idle_seconds, now);
                self.warning = None;
                self.screen = Screen::Welcome;
            }
            (Some(same), Some(_)) => {
                if let Some(i) = self.intake.as_mut().filter(|i| !i.confirmed) {
                    i.tries_left = i.tries_left.min(same.tries_left);
                }
            }
            // Finished here: the thank-you stays until "Done" or the idle time.
            (None, Some(_)) if self.screen == Screen::Done => {}
            (None, Some(_)) => {
                // The stream may tell of a lock-out before the birthdate's own answer does.
                let locked = self.intake.as_ref().is_some_and(|i| i.checking && i.tries_left <= 1);
                let reason = if locked { EndReason::LockedOut } else { EndReason::Ended };
                self.end(reason, false, now, fx)
            }
            (Some(_), None) | (None, None) => {}
        }
    }

    fn submit_birthdate(&mut self, typed: Result<String, BirthdateProblem>, fx: &mut Vec<Effect>) {
        if self.screen != Screen::Birthdate {
            return;
        }
        let Some(intake) = self.intake.as_mut().filter(|i| !i.checking) else {
            return;
        };
        match typed {
            Err(problem) => intake.birthdate_error = Some(BirthdateError::Local(problem)),
            Ok(birthdate) => {
                intake.checking = true;
                intake.birthdate_error = None;
                fx.push(Effect::CheckBirthdate {
                    intake: intake.id.clone(),
                    birthdate,
                });
            }
        }
    }

    fn birthdate_answer(&mut self, answer: BirthdateAnswer, now: f64, fx: &mut Vec<Effect>) {
        let Some(intake) = self.intake.as_mut() else { return };
        intake.checking = false;
        match answer {
            BirthdateAnswer::Confirmed => {
                intake.confirmed = true;
                intake.birthdate_error = None;
                self.clock.pinged(now);
                self.advance(fx);
            }
            BirthdateAnswer::Wrong { tries_left } => {
                intake.tries_left = tries_left;
                intake.birthdate_error = Some(BirthdateError::Wrong(tries_left));
            }
            BirthdateAnswer::Unreachable => intake.birthdate_error = Some(BirthdateError::Unreachable),
            BirthdateAnswer::Gone => {
                let reason = if intake.tries_left <= 1 {
                    EndReason::LockedOut
                } else {
                    EndReason::Ended
                };
                self.end(reason, false, now, fx);
            }
            BirthdateAnswer::Revoked => fx.extend(self.handle(Event::Revoked, now)),
        }
    }

    /// Runs `change` on the step on screen.
    fn on_current_step(&mut self, fx: &mut Vec<Effect>, change: impl FnOnce(&mut Step, usize, &str, &mut Vec<Effect>)) {
        let Screen::Step(index) = self.screen else { return };
        if let Some(intake) = self.intake.as_mut() {
            if let Some(step) = intake.steps.get_mut(index) {
                change(step, index, &intake.id, fx);
            }
        }
    }

    fn skip(&mut self, fx: &mut Vec<Effect>) {
        let Screen::Step(index) = self.screen else { return };
        let Some(intake) = self.intake.as_mut() else { return };
        let id = intake.id.clone();
        let Some(step) = intake
            .steps
            .get_mut(index)
            .filter(|s| !matches!(s.phase, Phase::Sending { .. }))
        else {
            return;
        };
        step.phase = Phase::Skipped;
        step.key = None;
        fx.extend([
            Effect::DropPhoto(index),
            Effect::SkipStep {
                intake: id,
                kind: step.kind,
            },
        ]);
        self.advance(fx);
    }

    fn upload_answer(&mut self, index: usize, key: &str, outcome: Outcome, now: f64, fx: &mut Vec<Effect>) {
        let online = self.online;
        let Some(intake) = self.intake.as_mut() else { return };
        let id = intake.id.clone();
        let Some(step) = intake.steps.get_mut(index) else {
            return;
        };
        let Phase::Sending { attempt } = step.phase else { return };
        if step.key.as_deref() != Some(key) {
            return;
        }
        match outcome {
            Outcome::Arrived => {
                step.phase = Phase::Arrived;
                step.key = None;
                fx.push(Effect::DropPhoto(index));
                self.clock.pinged(now);
                self.advance(fx);
            }
            Outcome::Refused { too_large } => {
                step.phase = Phase::Refused { too_large };
                step.key = None;
                fx.push(Effect::DropPhoto(index));
            }
            Outcome::Gone => self.end(EndReason::Ended, false, now, fx),
            Outcome::Revoked => fx.extend(self.handle(Event::Revoked, now)),
            Outcome::Unclear { offline } if offline || !online => step.phase = Phase::Offline { attempt },
            Outcome::Unclear { .. } => match backoff(attempt - 1) {
                Some(ms) => {
                    step.phase = Phase::Retrying { attempt, wait_ms: ms };
                    fx.push(Effect::RetryAfter {
                        ms,
                        intake: id,
                        step: index,
                        key: key.to_owned(),
                    });
                }
                None => step.phase = Phase::NotSent,
            },
        }
    }

    /// Photos that waited for the network go now, with their keys.
    fn resend_waiting(&mut self, fx: &mut Vec<Effect>) {
        if let Some(intake) = self.intake.as_mut() {
            for (index, step) in intake.steps.iter_mut().enumerate() {
                if let Phase::Offline { attempt } = step.phase {
                    send(step, attempt + 1, index, &intake.id, fx);
                }
            }
        }
    }

    /// To the first step not yet settled, or the end.
    fn advance(&mut self, fx: &mut Vec<Effect>) {
        let Some(intake) = self.intake.as_ref() else { return };
        match intake.steps.iter().position(|s| !s.phase.settled()) {
            Some(index) => self.screen = Screen::Step(index),
            None => {
                self.screen = Screen::Done;
                fx.push(Effect::Finish {
                    intake: intake.id.clone(),
                });
            }
        }
    }

    fn tick(&mut self, now: f64, fx: &mut Vec<Effect>) {
        if let Screen::Ended(_) = self.screen {
            if now - self.ended_at >= ENDED_SHOW_MS {
                self.screen = Screen::Waiting;
                self.lang = Lang::En;
            }
            return;
        }
        let Some(intake) = self.intake.as_ref() else { return };
        if intake.checking || intake.steps.iter().any(|s| s.phase.busy()) {
            // Waiting for the gateway is not the patient being away.
            self.clock.touch(now);
            self.warning = None;
            return;
        }
        match self.clock.at(now) {
            Idle::Active => self.warning = None,
            Idle::Warning(seconds) => self.warning = Some(seconds),
            Idle::TimedOut if self.screen == Screen::Done => {
                self.forget(fx);
                self.screen = Screen::Waiting;
                self.lang = Lang::En;
            }
            Idle::TimedOut => self.end(EndReason::Idle, true, now, fx),
        }
    }

    /// The visit is over: nothing of the patient stays.
    fn end(&mut self, reason: EndReason, abandon: bool, now: f64, fx: &mut Vec<Effect>) {
        if abandon {
            fx.extend(self.intake.as_ref().map(|i| Effect::Abandon { intake: i.id.clone() }));
        }
        self.forget(fx);
        self.screen = Screen::Ended(reason);
        self.ended_at = now;
    }

    fn forget(&mut self, fx: &mut Vec<Effect>) {
        if let Some(intake) = self.intake.take() {
            self.ended.push(intake.id);
            if self.ended.len() > 16 {
                self.ended.remove(0);
            }
        }
        self.warning = None;
        fx.push(Effect::ForgetPatient);
    }
}

/// The step's photo goes (again, with its key).
fn send(step: &mut Step, attempt: u32, index: usize, intake: &str, fx: &mut Vec<Effect>) {
    let Some(key) = step.key.clone() else { return };
    step.phase = Phase::Sending { attempt };
    fx.push(Effect::Upload {
        intake: intake.to_owned(),
        step: index,
        kind: step.kind,
        key,
    });
}

#[cfg(test)]
#[path = "machine_tests.rs"]
mod tests;

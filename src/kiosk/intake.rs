//! What the intake machine (`machine`) is made of and speaks: the screens, each step's photo,
//! the birthdate's state, how a visit ends; the events it hears and the effects it asks for.
//! Plain data.

use super::{
    i18n::{BirthdateProblem, Lang},
    model::{KioskIntake, KioskState, StepKind, StepStatus},
    upload::Outcome,
};

/// How long the "visit ended" screen stays before the kiosk waits for the next patient.
pub const ENDED_SHOW_MS: f64 = 15_000.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// Started without the network and nothing heard from the gateway yet.
    Offline,
    /// Paired, no intake: hand the tablet to the front desk.
    Waiting,
    /// Hello and the language choice.
    Welcome,
    Birthdate,
    Step(usize),
    Done,
    Ended(EndReason),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndReason {
    /// No touch for the idle time: the tablet started over.
    Idle,
    /// The gateway ended it (staff cancelled, or it expired).
    Ended,
    /// Three wrong birthdates.
    LockedOut,
}

/// Where one step's photo stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Capture,
    /// A photo taken, shown before it is sent.
    Preview,
    Sending {
        attempt: u32,
    },
    /// An unclear failure: sent again after `wait_ms`.
    Retrying {
        attempt: u32,
        wait_ms: u32,
    },
    /// The network is down: the photo waits in memory and goes when it is back.
    Offline {
        attempt: u32,
    },
    /// Unclear failures beyond the automatic retries: the patient may try again.
    NotSent,
    /// The gateway refused it (final): take another or skip.
    Refused {
        too_large: bool,
    },
    Arrived,
    Skipped,
}

impl Phase {
    pub(super) fn settled(self) -> bool {
        matches!(self, Phase::Arrived | Phase::Skipped)
    }

    /// A photo is on its way: the idle clock waits for it.
    pub(super) fn busy(self) -> bool {
        matches!(self, Phase::Sending { .. } | Phase::Retrying { .. })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub kind: StepKind,
    pub phase: Phase,
    /// The Idempotency-Key of the photo taken for this step: kept for its retries, new for a
    /// retake.
    pub key: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BirthdateError {
    Local(BirthdateProblem),
    Wrong(u8),
    Unreachable,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intake {
    pub id: String,
    pub first_name: String,
    pub steps: Vec<Step>,
    pub confirmed: bool,
    pub tries_left: u8,
    pub checking: bool,
    pub birthdate_error: Option<BirthdateError>,
}

impl Intake {
    pub(super) fn from_wire(k: KioskIntake) -> Self {
        Intake {
            steps: k
                .steps
                .iter()
                .map(|s| Step {
                    kind: s.kind,
                    phase: match s.status {
                        StepStatus::Arrived => Phase::Arrived,
                        StepStatus::Skipped => Phase::Skipped,
                        _ => Phase::Capture,
                    },
                    key: None,
                })
                .collect(),
            id: k.id,
            first_name: k.first_name,
            confirmed: k.confirmed,
            tries_left: k.tries_left,
            checking: false,
            birthdate_error: None,
        }
    }
}

/// The gateway's answer to a birthdate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BirthdateAnswer {
    Confirmed,
    Wrong { tries_left: u8 },
    Gone,
    Revoked,
    Unreachable,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// The kiosk's state from its event stream (or an answer that carries it).
    State(KioskState),
    /// This device is no longer a kiosk (revoked, or 401).
    Revoked,
    /// The network came or went (`online` / `offline`).
    Online(bool),
    ChooseLanguage(Lang),
    Start,
    SubmitBirthdate(Result<String, BirthdateProblem>),
    Birthdate {
        intake: String,
        answer: BirthdateAnswer,
    },
    /// A photo was taken for the current step, with a new Idempotency-Key.
    PhotoTaken {
        key: String,
    },
    Retake,
    UsePhoto,
    TryAgain,
    Skip,
    Upload {
        intake: String,
        step: usize,
        key: String,
        outcome: Outcome,
    },
    RetryDue {
        intake: String,
        step: usize,
        key: String,
    },
    /// A request about the intake answered 410.
    Gone {
        intake: String,
    },
    /// "Done" on the last screen.
    Finished,
    Touch,
    StillHere,
    Tick,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    CheckBirthdate {
        intake: String,
        birthdate: String,
    },
    Upload {
        intake: String,
        step: usize,
        kind: StepKind,
        key: String,
    },
    RetryAfter {
        ms: u32,
        intake: String,
        step: usize,
        key: String,
    },
    SkipStep {
        intake: String,
        kind: StepKind,
    },
    Finish {
        intake: String,
    },
    Abandon {
        intake: String,
    },
    Activity {
        intake: String,
    },
    /// Drop this step's photo (and revoke its object URL).
    DropPhoto(usize),
    /// Drop every photo, revoke every object URL, replace the history entry.
    ForgetPatient,
    /// Leave kiosk mode on this device.
    LeaveKioskMode,
    /// Back from a start without the network: load again.
    Reconnect,
}

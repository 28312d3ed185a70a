//! The kiosk's wire types (see crates/gateway/README.md, "Kiosks"): what staff see of a kiosk
//! and an intake, and the much smaller part a kiosk sees. Missing fields read as empty, so a
//! gateway with more fields, or fewer, never breaks the app.

use serde::Deserialize;

use super::i18n::Lang;

pub use opendental::kiosk::{KioskSetup, StepKind};

/// What the app says of a step (the kinds themselves are shared with the gateway).
pub trait StepLabels {
    /// For staff (setup form, progress panel); patients read `Texts::step_title`.
    fn staff_name(self) -> &'static str;
    /// The front camera for the selfie, the back one for documents.
    fn camera(self) -> &'static str;
}

impl StepLabels for StepKind {
    fn staff_name(self) -> &'static str {
        match self {
            StepKind::Selfie => "Patient photo",
            StepKind::CardFront => "Insurance card, front",
            StepKind::CardBack => "Insurance card, back",
            StepKind::PhotoId => "Photo ID",
        }
    }

    fn camera(self) -> &'static str {
        if self == StepKind::Selfie {
            "user"
        } else {
            "environment"
        }
    }
}

/// How long a kiosk may sit untouched before it starts over, in seconds.
pub use opendental::kiosk::{MAX_IDLE_SECONDS as IDLE_SECONDS_MAX, MIN_IDLE_SECONDS as IDLE_SECONDS_MIN};

/// The idle timeout as typed, once complete (on leaving the field, or saving; never while it is
/// typed), or why it is not allowed.
pub fn check_idle_seconds(typed: &str) -> Result<u32, String> {
    let allowed =
        format!("Enter a whole number of seconds from {IDLE_SECONDS_MIN} to {IDLE_SECONDS_MAX} (10 minutes).");
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(allowed);
    }
    typed
        .parse::<u32>()
        .ok()
        .filter(|s| (IDLE_SECONDS_MIN..=IDLE_SECONDS_MAX).contains(s))
        .ok_or_else(|| format!("“{typed}” is not allowed. {allowed}"))
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KioskRef {
    #[serde(default)]
    pub id: i64,
    #[serde(default)]
    pub name: String,
}

/// Staff's view of a paired kiosk.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KioskInfo {
    pub id: i64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub paired_by: String,
    #[serde(default)]
    pub paired_at: String,
    #[serde(default)]
    pub connected: bool,
    pub setup: KioskSetup,
    #[serde(default)]
    pub intake: Option<IntakeStatus>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum IntakeState {
    Waiting,
    Confirmed,
    Finished,
    Canceled,
    Abandoned,
    LockedOut,
    Expired,
    #[serde(other)]
    Unknown,
}

impl IntakeState {
    pub fn is_live(self) -> bool {
        matches!(self, IntakeState::Waiting | IntakeState::Confirmed)
    }

    /// For staff.
    pub fn describe(self) -> &'static str {
        match self {
            IntakeState::Waiting => "Waiting for the patient to confirm their birthdate",
            IntakeState::Confirmed => "Identity confirmed",
            IntakeState::Finished => "Finished",
            IntakeState::Canceled => "Cancelled",
            IntakeState::Abandoned => "Abandoned (the kiosk started over)",
            IntakeState::LockedOut => {
                "Locked out: the birthdate was wrong three times. Please check who is at the kiosk."
            }
            IntakeState::Expired => "Expired",
            IntakeState::Unknown => "Unknown",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StepStatus {
    Waiting,
    Arrived,
    Skipped,
    #[serde(other)]
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StaffStep {
    pub kind: StepKind,
    pub status: StepStatus,
    #[serde(default)]
    pub doc_num: Option<i64>,
}

/// Staff's view of an intake.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntakeStatus {
    pub id: String,
    #[serde(default)]
    pub kiosk_id: i64,
    #[serde(default)]
    pub kiosk_name: String,
    #[serde(default)]
    pub pat_num: i64,
    #[serde(default)]
    pub patient_name: String,
    #[serde(default)]
    pub started_by: String,
    #[serde(default)]
    pub language: String,
    pub state: IntakeState,
    #[serde(default)]
    pub birthdate_misses: u32,
    #[serde(default)]
    pub steps: Vec<StaffStep>,
    #[serde(default)]
    pub ended_at: Option<String>,
}

impl IntakeStatus {
    pub fn ended(&self) -> bool {
        !self.state.is_live() || self.ended_at.is_some()
    }
}

/// What the kiosk learns of its intake: a first name, the steps, the language. Nothing else.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KioskIntake {
    pub id: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub confirmed: bool,
    #[serde(default = "three")]
    pub tries_left: u8,
    #[serde(default)]
    pub steps: Vec<KioskStep>,
}

fn three() -> u8 {
    3
}

impl KioskIntake {
    pub fn lang(&self) -> Lang {
        Lang::from_code(&self.language)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KioskStep {
    pub kind: StepKind,
    pub status: StepStatus,
}

/// GET /gateway/v1/kiosk and the kiosk's event stream.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KioskState {
    #[serde(default)]
    pub kiosk: KioskRef,
    #[serde(default = "ninety")]
    pub idle_seconds: u32,
    #[serde(default)]
    pub intake: Option<KioskIntake>,
}

fn ninety() -> u32 {
    90
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_idle_timeout_is_a_whole_number_of_seconds_in_range_as_typed() {
        assert_eq!(check_idle_seconds("120"), Ok(120));
        assert_eq!(check_idle_seconds(" 2 "), Ok(2));
        assert_eq!(check_idle_seconds("600"), Ok(600));
        for bad in ["", "1", "601", "0", "-5", "1.5", "abc", "99999999999"] {
            let why = check_idle_seconds(bad).unwrap_err();
            assert!(why.contains("from 2 to 600"), "{bad}: {why}");
        }
        assert!(check_idle_seconds("1").unwrap_err().contains("“1”"));
    }

    #[test]
    fn the_wire_shapes_of_the_contract_parse() {
        let state: KioskState = serde_json::from_str(
            r#"{"kiosk":{"id":3,"name":"Front desk tablet"},"idleSeconds":45,
                "intake":{"id":"b3Jk","firstName":"Jane","language":"es","confirmed":false,"triesLeft":2,
                          "steps":[{"kind":"selfie","status":"waiting"},{"kind":"cardBack","status":"arrived"}]}}"#,
        )
        .unwrap();
        assert_eq!(state.kiosk.name, "Front desk tablet");
        let intake = state.intake.unwrap();
        assert_eq!((intake.lang(), intake.tries_left), (Lang::Es, 2));
        assert_eq!(intake.steps[1].kind, StepKind::CardBack);
        assert_eq!(intake.steps[1].status, StepStatus::Arrived);

        let status: IntakeStatus = serde_json::from_str(
            r#"{"id":"x","kioskId":3,"kioskName":"Front desk tablet","patNum":1,"patientName":"Jane Smith",
                "startedBy":"frontdesk","language":"en","state":"lockedOut","birthdateMisses":3,
                "steps":[{"kind":"photoId","status":"arrived","docNum":12}],"endedAt":"2026-11-22T08:31:00Z"}"#,
        )
        .unwrap();
        assert_eq!(status.state, IntakeState::LockedOut);
        assert!(status.ended());
        assert_eq!(status.steps[0].doc_num, Some(12));
        assert_eq!(StepKind::CardFront.camera(), "environment");
        assert_eq!(StepKind::Selfie.camera(), "user");
    }
}

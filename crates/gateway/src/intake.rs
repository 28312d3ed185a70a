//! A kiosk intake: one patient, sent by staff to one paired tablet, for a short time. This is
//! the plain state (who, which steps arrived or were skipped, birthdate tries, when it
//! expires) and the registry of intakes with its change signal; the HTTP side is `kiosks.rs`.
//!
//! The birthdate is kept here and compared here: nothing derived from it leaves except
//! "confirmed" and the number of tries left.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use opendental::kiosk::{KioskSetup, StepKind, StepSetup};
use serde::Serialize;
use tokio::sync::watch;

/// Three wrong birthdates end the intake.
pub const BIRTHDATE_TRIES: u8 = 3;
/// However busy, an intake ends this long after it started.
pub const ABSOLUTE_LIFETIME: Duration = Duration::from_secs(30 * 60);
/// Added to the kiosk's idle seconds: the tablet resets itself first, the gateway then.
pub const IDLE_GRACE: Duration = Duration::from_secs(60);
/// How long an ended intake is remembered (staff still see how it ended).
const KEEP_ENDED: Duration = Duration::from_secs(60 * 60);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum State {
    Waiting,
    Confirmed,
    Finished,
    Canceled,
    Abandoned,
    LockedOut,
    Expired,
}

impl State {
    pub fn is_live(self) -> bool {
        matches!(self, State::Waiting | State::Confirmed)
    }

    pub fn id(self) -> &'static str {
        match self {
            State::Waiting => "waiting",
            State::Confirmed => "confirmed",
            State::Finished => "finished",
            State::Canceled => "canceled",
            State::Abandoned => "abandoned",
            State::LockedOut => "lockedOut",
            State::Expired => "expired",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum StepStatus {
    Waiting,
    Arrived,
    Skipped,
}

#[derive(Clone, Debug)]
pub struct Step {
    pub setup: StepSetup,
    pub status: StepStatus,
    pub doc_num: Option<i64>,
    /// The Idempotency-Key of the upload the step holds now.
    pub key: Option<String>,
}

/// Who the intake is for, as read from Open Dental when it started.
#[derive(Clone, Debug)]
pub struct Patient {
    pub pat_num: i64,
    pub first_name: String,
    pub last_name: String,
    /// `yyyy-MM-dd`.
    pub birthdate: String,
    /// "en" or "es".
    pub language: &'static str,
}

/// Open Dental's Language (ISO 639-2, apipatients.md) to the kiosk's: Spanish or English.
pub fn kiosk_language(open_dental: &str) -> &'static str {
    if open_dental.trim().eq_ignore_ascii_case("spa") {
        "es"
    } else {
        "en"
    }
}

#[derive(Clone, Debug)]
pub struct Intake {
    pub id: String,
    pub kiosk_id: i64,
    pub kiosk_name: String,
    pub patient: Patient,
    pub started_by: String,
    pub state: State,
    pub misses: u8,
    /// The enabled steps of the kiosk's setup when the intake started.
    pub steps: Vec<Step>,
    pub idle: Duration,
    pub started: Instant,
    /// The kiosk's last request about this intake (or the start).
    pub last_kiosk: Instant,
    pub ended: Option<(Instant, String)>,
    /// Per Idempotency-Key, in the order first seen: its number and the DateCreated its
    /// upload carries (a retry rebuilds the very same request).
    stamps: HashMap<String, (usize, String)>,
    /// Documents replaced by a retake (and deleted).
    replaced: Vec<i64>,
}

/// What the birthdate check found.
#[derive(Debug, PartialEq, Eq)]
pub enum Check {
    Confirmed,
    Miss { tries_left: u8 },
    LockedOut,
}

/// Why a kiosk may not do something now.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The intake has ended (410).
    Ended,
    /// The birthdate is not confirmed yet (403).
    NotConfirmed,
    /// The step is not offered in this intake (404).
    NoSuchStep,
}

/// The staff's view (IntakeStatus in the contract).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IntakeStatus {
    pub id: String,
    pub kiosk_id: i64,
    pub kiosk_name: String,
    pub pat_num: i64,
    pub patient_name: String,
    pub started_by: String,
    pub language: &'static str,
    pub state: State,
    pub birthdate_misses: u8,
    pub steps: Vec<StaffStep>,
    pub ended_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StaffStep {
    pub kind: StepKind,
    pub status: StepStatus,
    pub doc_num: Option<i64>,
}

/// The tablet's view (KioskIntake): no last name, PatNum, birthdate, DocNum or category.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KioskIntake {
    pub id: String,
    pub first_name: String,
    pub language: &'static str,
    pub confirmed: bool,
    pub tries_left: u8,
    pub steps: Vec<KioskStep>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KioskStep {
    pub kind: StepKind,
    pub status: StepStatus,
}

/// ≥ 128 random bits, URL-safe: intake ids cannot be guessed or counted.
pub fn new_id() -> String {
    let mut bytes = [0u8; 18];
    getrandom::getrandom(&mut bytes).expect("the operating system provides random bytes");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn same_date(given: &str, birthdate: &str) -> bool {
    let parse = |s: &str| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    matches!((parse(given), parse(birthdate)), (Some(a), Some(b)) if a == b)
}

impl Intake {
    pub fn new(
        kiosk_id: i64,
        kiosk_name: &str,
        setup: &KioskSetup,
        patient: Patient,
        started_by: &str,
        now: Instant,
    ) -> Intake {
        Intake {
            id: new_id(),
            kiosk_id,
            kiosk_name: kiosk_name.to_owned(),
            patient,
            started_by: started_by.to_owned(),
            state: State::Waiting,
            misses: 0,
            steps: setup
                .enabled_steps()
                .into_iter()
                .map(|setup| Step {
                    setup,
                    status: StepStatus::Waiting,
                    doc_num: None,
                    key: None,
                })
                .collect(),
            idle: Duration::from_secs(setup.idle_seconds.into()),
            started: now,
            last_kiosk: now,
            ended: None,
            stamps: HashMap::new(),
            replaced: Vec::new(),
        }
    }

    pub fn is_live(&self) -> bool {
        self.state.is_live()
    }

    /// When it ends by itself: idle seconds + a minute after the kiosk's last request about
    /// it, or 30 minutes after it started, whichever comes first.
    pub fn expires_at(&self) -> Instant {
        (self.last_kiosk + self.idle + IDLE_GRACE).min(self.started + ABSOLUTE_LIFETIME)
    }

    /// Ends it as `expired` if its time is up; true if it just did.
    pub fn expire_if_due(&mut self, now: Instant) -> bool {
        if self.is_live() && now >= self.expires_at() {
            self.end(State::Expired, now);
            return true;
        }
        false
    }

    /// Ends a live intake; an ended one stays as it ended.
    pub fn end(&mut self, how: State, now: Instant) -> bool {
        if !self.is_live() || how.is_live() {
            return false;
        }
        self.state = how;
        self.ended = Some((now, chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()));
        true
    }

    /// A kiosk request about this intake: refused once it has ended (expiring it first if its
    /// time is up), otherwise it counts as the patient still being there.
    pub fn kiosk_touch(&mut self, now: Instant) -> Result<(), Refusal> {
        self.expire_if_due(now);
        if !self.is_live() {
            return Err(Refusal::Ended);
        }
        self.last_kiosk = now;
        Ok(())
    }

    pub fn check_birthdate(&mut self, given: &str, now: Instant) -> Result<Check, Refusal> {
        self.kiosk_touch(now)?;
        if self.state == State::Confirmed {
            return Ok(Check::Confirmed);
        }
        if same_date(given, &self.patient.birthdate) {
            self.state = State::Confirmed;
            return Ok(Check::Confirmed);
        }
        self.misses += 1;
        if self.misses >= BIRTHDATE_TRIES {
            self.end(State::LockedOut, now);
            return Ok(Check::LockedOut);
        }
        Ok(Check::Miss {
            tries_left: BIRTHDATE_TRIES - self.misses,
        })
    }

    /// The step a photo or skip is for, once the patient is confirmed.
    pub fn step_for_patient(&mut self, kind: StepKind, now: Instant) -> Result<&mut Step, Refusal> {
        self.kiosk_touch(now)?;
        if self.state != State::Confirmed {
            return Err(Refusal::NotConfirmed);
        }
        self.steps
            .iter_mut()
            .find(|s| s.setup.kind == kind)
            .ok_or(Refusal::NoSuchStep)
    }

    pub fn skip(&mut self, kind: StepKind, now: Instant) -> Result<(), Refusal> {
        let step = self.step_for_patient(kind, now)?;
        if step.status == StepStatus::Waiting {
            step.status = StepStatus::Skipped;
        }
        Ok(())
    }

    /// The DateCreated for the upload with this key: the first attempt's time, kept so a
    /// retry sends the very same request.
    pub fn stamp_for(&mut self, key: &str) -> String {
        let next = self.stamps.len();
        self.stamps
            .entry(key.to_owned())
            .or_insert_with(|| (next, chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string()))
            .1
            .clone()
    }

    /// Open Dental saved the upload with `key` as `doc_num`. Returns a document to delete so
    /// the step holds one: the previous photo on a retake, or this one if a newer photo
    /// already took the step (an older attempt's answer found late). A replay changes nothing.
    pub fn photo_saved(&mut self, kind: StepKind, key: &str, doc_num: i64) -> Option<i64> {
        let order = |k: &str| self.stamps.get(k).map(|(n, _)| *n);
        let key_order = order(key);
        let step = self.steps.iter_mut().find(|s| s.setup.kind == kind)?;
        if step.key.as_deref() == Some(key) || step.doc_num == Some(doc_num) || self.replaced.contains(&doc_num) {
            return None;
        }
        let held_order = step.key.as_deref().and_then(|k| self.stamps.get(k).map(|(n, _)| *n));
        if held_order.is_some() && key_order < held_order {
            self.replaced.push(doc_num);
            return Some(doc_num);
        }
        let previous = step.doc_num.replace(doc_num);
        step.key = Some(key.to_owned());
        step.status = StepStatus::Arrived;
        self.replaced.extend(previous);
        previous
    }

    pub fn status(&self) -> IntakeStatus {
        IntakeStatus {
            id: self.id.clone(),
            kiosk_id: self.kiosk_id,
            kiosk_name: self.kiosk_name.clone(),
            pat_num: self.patient.pat_num,
            patient_name: format!("{} {}", self.patient.first_name, self.patient.last_name)
                .trim()
                .to_owned(),
            started_by: self.started_by.clone(),
            language: self.patient.language,
            state: self.state,
            birthdate_misses: self.misses,
            steps: self
                .steps
                .iter()
                .map(|s| StaffStep {
                    kind: s.setup.kind,
                    status: s.status,
                    doc_num: s.doc_num,
                })
                .collect(),
            ended_at: self.ended.as_ref().map(|(_, at)| at.clone()),
        }
    }

    pub fn kiosk_view(&self) -> KioskIntake {
        KioskIntake {
            id: self.id.clone(),
            first_name: self.patient.first_name.clone(),
            language: self.patient.language,
            confirmed: self.state == State::Confirmed,
            tries_left: BIRTHDATE_TRIES.saturating_sub(self.misses),
            steps: self
                .steps
                .iter()
                .map(|s| KioskStep {
                    kind: s.setup.kind,
                    status: s.status,
                })
                .collect(),
        }
    }
}

/// Every intake, live and recently ended, with one change signal: each event stream wakes on
/// any change and sends its own view only if that view changed.
pub struct Intakes {
    by_id: Mutex<HashMap<String, Intake>>,
    /// One upload at a time per intake: a retake and its predecessor never race.
    upload_locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Intakes that ended and are not yet in the audit log.
    endings: Mutex<Vec<Intake>>,
    changes: watch::Sender<u64>,
}

impl Default for Intakes {
    fn default() -> Self {
        Intakes {
            by_id: Mutex::new(HashMap::new()),
            upload_locks: Mutex::new(HashMap::new()),
            endings: Mutex::new(Vec::new()),
            changes: watch::channel(0).0,
        }
    }
}

impl Intakes {
    /// Something changed: wakes every event stream.
    pub fn changed(&self) {
        self.changes.send_modify(|v| *v += 1);
    }

    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// Adds a live intake unless the kiosk already has one (then that one is returned).
    pub fn start(&self, intake: Intake, now: Instant) -> Result<IntakeStatus, Box<IntakeStatus>> {
        let mut all = self.by_id.lock().unwrap();
        for other in all.values_mut().filter(|i| i.kiosk_id == intake.kiosk_id) {
            if other.expire_if_due(now) {
                self.endings.lock().unwrap().push(other.clone());
            }
            if other.is_live() {
                return Err(Box::new(other.status()));
            }
        }
        all.retain(|_, i| {
            i.ended
                .as_ref()
                .is_none_or(|(at, _)| now.saturating_duration_since(*at) < KEEP_ENDED)
        });
        let status = intake.status();
        all.insert(intake.id.clone(), intake);
        drop(all);
        self.changed();
        Ok(status)
    }

    /// Runs `f` on the intake (expired first if its time is up), then signals a change if the
    /// intake's views changed.
    pub fn with<T>(&self, id: &str, now: Instant, f: impl FnOnce(&mut Intake) -> T) -> Option<T> {
        let mut all = self.by_id.lock().unwrap();
        let intake = all.get_mut(id)?;
        let before = (intake.status(), intake.kiosk_view());
        intake.expire_if_due(now);
        let result = f(intake);
        let changed = before != (intake.status(), intake.kiosk_view());
        if before.0.state.is_live() && !intake.is_live() {
            self.endings.lock().unwrap().push(intake.clone());
        }
        drop(all);
        if changed {
            self.changed();
        }
        Some(result)
    }

    /// A copy of the intake, expired first if its time is up.
    pub fn get(&self, id: &str, now: Instant) -> Option<Intake> {
        self.with(id, now, |i| i.clone())
    }

    /// The kiosk's live intake, if any.
    pub fn live_for_kiosk(&self, kiosk_id: i64, now: Instant) -> Option<Intake> {
        let id = {
            let all = self.by_id.lock().unwrap();
            all.values()
                .find(|i| i.kiosk_id == kiosk_id && i.is_live())
                .map(|i| i.id.clone())?
        };
        self.get(&id, now).filter(Intake::is_live)
    }

    /// Ends every intake whose time is up; returns them (for the audit log).
    pub fn expire_due(&self, now: Instant) -> Vec<Intake> {
        let mut all = self.by_id.lock().unwrap();
        let expired: Vec<Intake> = all
            .values_mut()
            .filter_map(|i| i.expire_if_due(now).then(|| i.clone()))
            .collect();
        self.endings.lock().unwrap().extend(expired.iter().cloned());
        drop(all);
        if !expired.is_empty() {
            self.changed();
        }
        expired
    }

    /// Intakes that ended since the last call, each once.
    pub fn take_endings(&self) -> Vec<Intake> {
        std::mem::take(&mut *self.endings.lock().unwrap())
    }

    pub fn upload_lock(&self, id: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.upload_locks.lock().unwrap();
        let live: Vec<String> = self.by_id.lock().unwrap().keys().cloned().collect();
        locks.retain(|k, _| live.contains(k));
        locks.entry(id.to_owned()).or_default().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use opendental::models::Definition;

    fn setup(enabled: [bool; 4], idle: u32) -> KioskSetup {
        let mut s = KioskSetup::defaults(&[Definition {
            def_num: 13,
            item_name: "Patient Pictures".into(),
            item_value: "P".into(),
            ..Default::default()
        }]);
        for (step, on) in s.steps.iter_mut().zip(enabled) {
            step.enabled = on;
        }
        s.idle_seconds = idle;
        s
    }

    fn jane(language: &str) -> Patient {
        Patient {
            pat_num: 1,
            first_name: "Jane".into(),
            last_name: "Smith".into(),
            birthdate: "1976-05-24".into(),
            language: kiosk_language(language),
        }
    }

    fn intake(now: Instant) -> Intake {
        Intake::new(
            3,
            "Front desk tablet",
            &setup([true, true, false, true], 90),
            jane("eng"),
            "frontdesk",
            now,
        )
    }

    #[test]
    fn a_new_intake_waits_with_the_enabled_steps_and_a_random_id() {
        let now = Instant::now();
        let i = intake(now);
        assert_eq!(i.state, State::Waiting);
        assert_eq!(i.id.len(), 24, "144 bits, URL-safe base64");
        assert_ne!(i.id, intake(now).id);
        let view = i.kiosk_view();
        let kinds: Vec<StepKind> = view.steps.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [StepKind::Selfie, StepKind::CardFront, StepKind::PhotoId]);
        assert_eq!((view.confirmed, view.tries_left, view.language), (false, 3, "en"));
        let json = serde_json::to_string(&view).unwrap();
        for secret in ["1976", "Smith", "\"patNum\"", "docNum", "category"] {
            assert!(!json.contains(secret), "{secret} in {json}");
        }
        assert_eq!(i.status().patient_name, "Jane Smith");
    }

    #[test]
    fn spanish_is_es_everything_else_english() {
        assert_eq!(kiosk_language("spa"), "es");
        assert_eq!(kiosk_language("SPA "), "es");
        for other in ["eng", "", "ger", "fre"] {
            assert_eq!(kiosk_language(other), "en");
        }
    }

    #[test]
    fn the_right_birthdate_confirms_three_misses_lock_out() {
        let now = Instant::now();
        let mut i = intake(now);
        assert_eq!(i.check_birthdate("1976-05-25", now), Ok(Check::Miss { tries_left: 2 }));
        assert_eq!(i.check_birthdate("24/05/1976", now), Ok(Check::Miss { tries_left: 1 }));
        assert_eq!(i.check_birthdate(" 1976-05-24 ", now), Ok(Check::Confirmed));
        assert_eq!(i.state, State::Confirmed);
        assert_eq!(i.kiosk_view().tries_left, 1);

        let mut i = intake(now);
        for left in [2, 1] {
            assert_eq!(
                i.check_birthdate("2000-01-01", now),
                Ok(Check::Miss { tries_left: left })
            );
        }
        assert_eq!(i.check_birthdate("2000-01-01", now), Ok(Check::LockedOut));
        assert_eq!(i.state, State::LockedOut);
        assert_eq!(i.status().birthdate_misses, 3);
        assert!(i.status().ended_at.is_some());
        assert_eq!(
            i.check_birthdate("1976-05-24", now),
            Err(Refusal::Ended),
            "too late now"
        );
    }

    #[test]
    fn photos_and_skips_need_a_confirmed_patient_and_an_offered_step() {
        let now = Instant::now();
        let mut i = intake(now);
        assert_eq!(i.skip(StepKind::Selfie, now), Err(Refusal::NotConfirmed));
        assert!(matches!(
            i.step_for_patient(StepKind::Selfie, now),
            Err(Refusal::NotConfirmed)
        ));
        i.check_birthdate("1976-05-24", now).unwrap();
        assert!(matches!(
            i.step_for_patient(StepKind::CardBack, now),
            Err(Refusal::NoSuchStep)
        ));
        assert_eq!(i.skip(StepKind::CardFront, now), Ok(()));
        assert_eq!(i.kiosk_view().steps[1].status, StepStatus::Skipped);
    }

    #[test]
    fn a_retake_replaces_the_steps_document_and_late_answers_change_nothing() {
        let now = Instant::now();
        let mut i = intake(now);
        i.check_birthdate("1976-05-24", now).unwrap();
        let first = i.stamp_for("key-a");
        assert_eq!(i.stamp_for("key-a"), first, "a retry rebuilds the same request");
        assert_eq!(i.photo_saved(StepKind::Selfie, "key-a", 40), None);
        assert_eq!(
            i.photo_saved(StepKind::Selfie, "key-a", 40),
            None,
            "a replay is no retake"
        );
        i.stamp_for("key-b");
        assert_eq!(
            i.photo_saved(StepKind::Selfie, "key-b", 41),
            Some(40),
            "delete the first"
        );
        assert_eq!(
            i.photo_saved(StepKind::Selfie, "key-a", 40),
            None,
            "a late replay of the first"
        );
        // An older attempt found saved only after the retake: that copy goes, the retake stays.
        i.stamp_for("key-old");
        i.stamp_for("key-new");
        assert_eq!(i.photo_saved(StepKind::CardFront, "key-new", 50), None);
        assert_eq!(i.photo_saved(StepKind::CardFront, "key-old", 49), Some(49));
        assert_eq!(i.status().steps[1].doc_num, Some(50));
        let step = &i.status().steps[0];
        assert_eq!((step.status, step.doc_num), (StepStatus::Arrived, Some(41)));
        // A skipped step can still get a photo.
        i.skip(StepKind::PhotoId, now).unwrap();
        i.stamp_for("key-c");
        assert_eq!(i.photo_saved(StepKind::PhotoId, "key-c", 42), None);
        assert_eq!(i.status().steps[2].status, StepStatus::Arrived);
    }

    #[test]
    fn expiry_is_idle_plus_a_minute_since_the_kiosk_or_thirty_minutes_in_all() {
        let t0 = Instant::now();
        let mut i = intake(t0);
        assert_eq!(i.expires_at(), t0 + Duration::from_secs(150));
        assert!(!i.expire_if_due(t0 + Duration::from_secs(149)));
        // Activity moves it on...
        assert_eq!(i.kiosk_touch(t0 + Duration::from_secs(100)), Ok(()));
        assert!(!i.expire_if_due(t0 + Duration::from_secs(200)));
        assert!(i.expire_if_due(t0 + Duration::from_secs(250)));
        assert_eq!(i.state, State::Expired);
        assert_eq!(i.kiosk_touch(t0 + Duration::from_secs(251)), Err(Refusal::Ended));

        // ...but never past thirty minutes.
        let mut busy = intake(t0);
        for s in (60..1800).step_by(60) {
            assert_eq!(busy.kiosk_touch(t0 + Duration::from_secs(s)), Ok(()), "{s}");
        }
        assert_eq!(busy.kiosk_touch(t0 + Duration::from_secs(1800)), Err(Refusal::Ended));
        assert_eq!(busy.state, State::Expired);
    }

    #[test]
    fn an_ended_intake_stays_ended() {
        let now = Instant::now();
        for how in [State::Finished, State::Canceled, State::Abandoned] {
            let mut i = intake(now);
            assert!(i.end(how, now));
            assert!(!i.end(State::Canceled, now), "ends once");
            assert_eq!(i.state, how);
            assert_eq!(i.kiosk_touch(now), Err(Refusal::Ended));
            assert_eq!(i.skip(StepKind::Selfie, now), Err(Refusal::Ended));
            assert!(!i.expire_if_due(now + ABSOLUTE_LIFETIME));
        }
        let mut i = intake(now);
        assert!(!i.end(State::Confirmed, now), "not an ending");
    }

    #[tokio::test]
    async fn the_registry_allows_one_live_intake_per_kiosk_and_signals_changes() {
        let intakes = Intakes::default();
        let mut changes = intakes.subscribe();
        let now = Instant::now();
        let first = intakes.start(intake(now), now).unwrap();
        assert!(changes.has_changed().unwrap());
        changes.borrow_and_update();
        let refused = intakes.start(intake(now), now).unwrap_err();
        assert_eq!(refused.id, first.id);
        assert_eq!(intakes.live_for_kiosk(3, now).unwrap().id, first.id);

        // A look that changes nothing signals nothing; a change does.
        intakes.get(&first.id, now).unwrap();
        assert!(!changes.has_changed().unwrap());
        intakes.with(&first.id, now, |i| i.check_birthdate("1976-05-24", now));
        assert!(changes.has_changed().unwrap());
        changes.borrow_and_update();

        // The sweep expires it, and then the kiosk may have another.
        let later = now + Duration::from_secs(151);
        assert_eq!(intakes.expire_due(later).len(), 1);
        assert!(changes.has_changed().unwrap());
        assert!(intakes.live_for_kiosk(3, later).is_none());
        assert_eq!(intakes.get(&first.id, later).unwrap().state, State::Expired);
        assert!(intakes.start(intake(later), later).is_ok());
        let ended = intakes.take_endings();
        assert_eq!(ended.len(), 1, "the expiry, once");
        assert_eq!(ended[0].state, State::Expired);
        assert!(intakes.take_endings().is_empty());
    }
}

//! Paired kiosks: the store (SQLite, token hashes only, so pairings survive a restart), the
//! kiosk cookie, and the staff endpoints that pair, list, set up and revoke kiosks and send
//! them intakes. What a kiosk itself may call is in `kiosk_api.rs`.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bytes::Bytes;
use futures_util::Stream;
use opendental::kiosk::KioskSetup;
use opendental::models::Definition;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::audit::AuditRow;
use crate::cookies::CookieKind;
use crate::db::Db;
use crate::error::GatewayError;
use crate::incoming::Incoming;
use crate::intake::{Intake, IntakeStatus, Patient, State as IntakeState};
use crate::security::ClientInfo;
use crate::sessions::{random_token, token_hash, Session};
use crate::state::GatewayState;

pub const KIOSK_ONLY: &str =
    "This device is a kiosk: it can add photos for the patient staff send to it, and nothing else.";
pub const ENDED: &str = "This visit has ended.";
pub const SECURE_COOKIE: &str = "__Host-chairside-kiosk";
pub const PLAIN_COOKIE: &str = "chairside-kiosk";
/// 400 days, the longest a browser keeps a cookie.
const COOKIE_MAX_AGE: u64 = 34_560_000;
/// How often the sweep ends intakes whose time is up.
pub const SWEEP_EVERY: Duration = Duration::from_secs(1);
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The kiosk credential's cookie.
const KIOSK: CookieKind = CookieKind {
    secure_name: SECURE_COOKIE,
    plain_name: PLAIN_COOKIE,
    max_age: Some(COOKIE_MAX_AGE),
};

pub fn kiosk_cookie(token: &str, https: bool) -> String {
    KIOSK.set(token, https)
}

pub fn clearing_kiosk_cookie(https: bool) -> String {
    KIOSK.clear(https)
}

fn token_from(headers: &HeaderMap, https: bool) -> Option<String> {
    KIOSK.read(headers, https)
}

/// A paired (not revoked) kiosk.
#[derive(Clone, Debug)]
pub struct Kiosk {
    pub id: i64,
    pub name: String,
    pub paired_by: String,
    pub paired_at: String,
    pub setup: KioskSetup,
}

/// How a kiosk is named to itself and in the session answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KioskRef {
    pub id: i64,
    pub name: String,
}

impl Kiosk {
    pub fn reference(&self) -> KioskRef {
        KioskRef {
            id: self.id,
            name: self.name.clone(),
        }
    }

    /// The audit log's actor for what the kiosk does.
    pub fn actor(&self) -> String {
        format!("kiosk:{}", self.name)
    }

    /// Who the kiosk's Open Dental requests are made as: its own queue in the throttle.
    pub fn session(&self, now: Instant) -> Session {
        Session {
            id: format!("kiosk-{}", self.id),
            user: self.actor(),
            created: now,
            last_seen: now,
        }
    }
}

/// The kiosks table, and which kiosks have an event stream open now.
pub struct Kiosks {
    db: Db,
    streams: Mutex<HashMap<i64, usize>>,
}

fn now_text() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn row_to_kiosk(r: &rusqlite::Row) -> rusqlite::Result<(i64, String, String, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

fn kiosk_from((id, name, paired_by, paired_at, setup): (i64, String, String, String, String)) -> Option<Kiosk> {
    Some(Kiosk {
        id,
        name,
        paired_by,
        paired_at,
        setup: serde_json::from_str(&setup).ok()?,
    })
}

const COLUMNS: &str = "id, name, paired_by, paired_at, setup";

impl Kiosks {
    pub fn new(db: Db) -> Kiosks {
        Kiosks {
            db,
            streams: Mutex::new(HashMap::new()),
        }
    }

    /// Pairs a kiosk; returns the credential for its cookie (only its hash is kept).
    pub fn pair(&self, name: &str, paired_by: &str, setup: &KioskSetup) -> Result<(String, Kiosk), String> {
        let token = random_token();
        let paired_at = now_text();
        let setup_json = serde_json::to_string(setup).map_err(|e| e.to_string())?;
        let id = self.db.with(|c| {
            c.execute(
                "INSERT INTO kiosks (name, token_hash, paired_by, paired_at, last_seen, setup) VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
                params![name, token_hash(&token), paired_by, paired_at, setup_json],
            )?;
            Ok(c.last_insert_rowid())
        })?;
        Ok((
            token,
            Kiosk {
                id,
                name: name.to_owned(),
                paired_by: paired_by.to_owned(),
                paired_at,
                setup: setup.clone(),
            },
        ))
    }

    /// The live kiosk a credential names, noting that it was seen.
    pub fn by_token(&self, token: &str) -> Option<Kiosk> {
        let hash = token_hash(token);
        let row = self
            .db
            .with(|c| {
                let row = c
                    .query_row(
                        &format!("SELECT {COLUMNS} FROM kiosks WHERE token_hash = ?1 AND revoked_at IS NULL"),
                        params![hash],
                        row_to_kiosk,
                    )
                    .optional()?;
                if let Some((id, ..)) = &row {
                    c.execute(
                        "UPDATE kiosks SET last_seen = ?2 WHERE id = ?1",
                        params![id, now_text()],
                    )?;
                }
                Ok(row)
            })
            .ok()
            .flatten()?;
        kiosk_from(row)
    }

    pub fn get(&self, id: i64) -> Option<Kiosk> {
        let row = self
            .db
            .with(|c| {
                c.query_row(
                    &format!("SELECT {COLUMNS} FROM kiosks WHERE id = ?1 AND revoked_at IS NULL"),
                    params![id],
                    row_to_kiosk,
                )
                .optional()
            })
            .ok()
            .flatten()?;
        kiosk_from(row)
    }

    /// Every paired kiosk, by name.
    pub fn list(&self) -> Vec<Kiosk> {
        self.db
            .with(|c| {
                let mut stmt = c.prepare(&format!(
                    "SELECT {COLUMNS} FROM kiosks WHERE revoked_at IS NULL ORDER BY name COLLATE NOCASE, id"
                ))?;
                let rows = stmt.query_map([], row_to_kiosk)?;
                rows.collect::<rusqlite::Result<Vec<_>>>()
            })
            .unwrap_or_default()
            .into_iter()
            .filter_map(kiosk_from)
            .collect()
    }

    pub fn set_setup(&self, id: i64, setup: &KioskSetup) -> Result<bool, String> {
        let json = serde_json::to_string(setup).map_err(|e| e.to_string())?;
        self.db.with(|c| {
            c.execute(
                "UPDATE kiosks SET setup = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                params![id, json],
            )
            .map(|n| n > 0)
        })
    }

    /// Revokes a kiosk: its credential stops working at once. False if it was not paired.
    pub fn revoke(&self, id: i64) -> Result<bool, String> {
        self.db.with(|c| {
            c.execute(
                "UPDATE kiosks SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                params![id, now_text()],
            )
            .map(|n| n > 0)
        })
    }

    pub fn connected(&self, id: i64) -> bool {
        self.streams.lock().unwrap().get(&id).is_some_and(|n| *n > 0)
    }

    fn stream_opened(&self, id: i64) {
        *self.streams.lock().unwrap().entry(id).or_insert(0) += 1;
    }

    fn stream_closed(&self, id: i64) {
        if let Some(n) = self.streams.lock().unwrap().get_mut(&id) {
            *n = n.saturating_sub(1);
        }
    }
}

/// Counts a kiosk's open event stream ("connected") until dropped with the stream.
pub struct StreamGuard {
    state: GatewayState,
    id: i64,
}

impl StreamGuard {
    pub fn new(state: &GatewayState, id: i64) -> StreamGuard {
        state.kiosks.stream_opened(id);
        StreamGuard {
            state: state.clone(),
            id,
        }
    }
}

impl Drop for StreamGuard {
    fn drop(&mut self) {
        self.state.kiosks.stream_closed(self.id);
    }
}

/// The paired kiosk this request's kiosk cookie names, if any.
pub fn kiosk_of(state: &GatewayState, headers: &HeaderMap, https: bool) -> Option<Kiosk> {
    token_from(headers, https).and_then(|t| state.kiosks.by_token(&t))
}

pub(crate) fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// An audit row for something that is not a proxied request (pairing, an intake's start…).
pub(crate) fn audit_event(
    state: &GatewayState,
    actor: String,
    method: &str,
    path: String,
    pat_num: Option<i64>,
    status: u16,
) {
    state.audit.record(AuditRow {
        time: chrono::Utc::now().format("%Y-%m-%d %H:%M:%S%.3f").to_string(),
        actor,
        customer: state.keys.customer_id.clone(),
        method: method.to_owned(),
        path,
        pat_num,
        status,
        endpoint: "-".into(),
        duration_ms: 0,
    });
}

/// Audit rows for intakes that ended since the last call (however they ended).
pub(crate) fn audit_endings(state: &GatewayState) {
    for ended in state.intakes.take_endings() {
        audit_event(
            state,
            format!("kiosk:{}", ended.kiosk_name),
            "KIOSK",
            format!("gateway/intakes/{} ended {}", ended.id, ended.state.id()),
            Some(ended.patient.pat_num),
            200,
        );
    }
}

/// Every second: intakes whose time is up end as `expired`, so staff screens see it without
/// the kiosk asking.
pub fn sweep(state: &GatewayState) {
    state.intakes.expire_due(state.clock.now());
    audit_endings(state);
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KioskInfo {
    id: i64,
    name: String,
    paired_by: String,
    paired_at: String,
    connected: bool,
    setup: KioskSetup,
    intake: Option<IntakeStatus>,
}

fn info(state: &GatewayState, kiosk: Kiosk) -> KioskInfo {
    let intake = state
        .intakes
        .live_for_kiosk(kiosk.id, state.clock.now())
        .map(|i| i.status());
    KioskInfo {
        id: kiosk.id,
        connected: state.kiosks.connected(kiosk.id),
        name: kiosk.name,
        paired_by: kiosk.paired_by,
        paired_at: kiosk.paired_at,
        setup: kiosk.setup,
        intake,
    }
}

fn unknown_kiosk(id: i64) -> GatewayError {
    GatewayError::NotFound(format!("There is no paired kiosk {id}."))
}

fn internal(e: String) -> GatewayError {
    GatewayError::Internal(format!("The gateway could not update its kiosks: {e}"))
}

#[derive(Deserialize)]
pub struct PairForm {
    name: String,
}

/// POST /gateway/v1/kiosks: makes the device asking a kiosk. It gets the kiosk cookie, and its
/// staff session ends, so the tablet is left holding only the kiosk credential.
pub async fn pair(
    State(state): State<GatewayState>,
    Extension(session): Extension<Session>,
    Extension(client): Extension<ClientInfo>,
    headers: HeaderMap,
    form: Result<Json<PairForm>, JsonRejection>,
) -> Result<Response, GatewayError> {
    let Json(form) =
        form.map_err(|_| GatewayError::Unprocessable("Send the kiosk's name: {\"name\":\"…\"}.".into()))?;
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(GatewayError::Unprocessable(
            "Give the kiosk a name of 1 to 60 characters, such as \"Front desk tablet\".".into(),
        ));
    }
    let setup = KioskSetup::defaults(&image_categories(&state, &session).await?);
    // A device is one kiosk: pairing it again replaces the kiosk it was.
    let replaced = kiosk_of(&state, &headers, client.https);
    let (token, kiosk) = state.kiosks.pair(name, &session.user, &setup).map_err(internal)?;
    if let Some(old) = replaced {
        revoke_kiosk(&state, old.id, &format!("user:{}", session.user))?;
    }
    if let Some(staff_token) = crate::auth::token_from(&headers, client.https) {
        state.sessions.remove(&staff_token);
    }
    state.log.line(format!(
        "kiosk {} {:?} paired by {:?} from {}",
        kiosk.id, kiosk.name, session.user, client.ip
    ));
    audit_event(
        &state,
        format!("user:{}", session.user),
        "POST",
        format!("gateway/kiosks/{} paired ({})", kiosk.id, kiosk.name),
        None,
        201,
    );
    let mut response = (StatusCode::CREATED, Json(info(&state, kiosk))).into_response();
    let set = response.headers_mut();
    set.append(
        header::SET_COOKIE,
        HeaderValue::from_str(&kiosk_cookie(&token, client.https)).expect("a token is ASCII"),
    );
    set.append(
        header::SET_COOKIE,
        HeaderValue::from_str(&crate::auth::clearing_cookie(client.https)).expect("ASCII"),
    );
    Ok(no_store(response))
}

/// The practice's image categories (Definitions, Category 18), for a new kiosk's defaults.
async fn image_categories(state: &GatewayState, session: &Session) -> Result<Vec<Definition>, GatewayError> {
    let target = "definitions?Category=18";
    let mut audit = AuditRow::begin(session, &state.keys.customer_id, "GET", target);
    let started = Instant::now();
    let result = read_json(state, session, target, &mut audit).await;
    audit.status = match &result {
        Ok(_) => 200,
        Err(e) => e.status().as_u16(),
    };
    audit.duration_ms = started.elapsed().as_millis() as u64;
    state.audit.record(audit);
    let (status, body) = result?;
    if !status.is_success() {
        return Err(GatewayError::Unreachable(format!(
            "Chairside could not read the practice's image categories from Open Dental ({status}), so the kiosk was \
             not paired. Try again."
        )));
    }
    serde_json::from_slice(&body)
        .map_err(|e| GatewayError::Unreachable(format!("Open Dental's image categories were not readable: {e}")))
}

/// A GET through the proxy's machinery (cascade, throttle, keys): Open Dental's status and body.
pub(crate) async fn read_json(
    state: &GatewayState,
    session: &Session,
    target: &str,
    audit: &mut AuditRow,
) -> Result<(StatusCode, Bytes), GatewayError> {
    let response = crate::proxy::send(
        state,
        session,
        &Method::GET,
        target,
        &Incoming::complete(Bytes::new()),
        audit,
    )
    .await?;
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
        .await
        .map_err(|e| GatewayError::Unreachable(format!("Open Dental's answer broke off: {e}")))?;
    Ok((status, body))
}

/// GET /gateway/v1/kiosks
pub async fn list(State(state): State<GatewayState>) -> Response {
    let all: Vec<KioskInfo> = state.kiosks.list().into_iter().map(|k| info(&state, k)).collect();
    no_store(Json(all).into_response())
}

/// PUT /gateway/v1/kiosks/{id}/setup: takes effect for the next intake.
pub async fn put_setup(
    State(state): State<GatewayState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    setup: Result<Json<KioskSetup>, JsonRejection>,
) -> Result<Response, GatewayError> {
    let Json(setup) = setup.map_err(|e| {
        GatewayError::Unprocessable(format!(
            "This is not a kiosk setup (steps with kind, enabled, category, imgType and description; idleSeconds): {}",
            e.body_text()
        ))
    })?;
    setup.validate().map_err(GatewayError::Unprocessable)?;
    if !state.kiosks.set_setup(id, &setup).map_err(internal)? {
        return Err(unknown_kiosk(id));
    }
    audit_event(
        &state,
        format!("user:{}", session.user),
        "PUT",
        format!("gateway/kiosks/{id}/setup"),
        None,
        200,
    );
    state.intakes.changed();
    let kiosk = state.kiosks.get(id).ok_or_else(|| unknown_kiosk(id))?;
    Ok(no_store(Json(info(&state, kiosk)).into_response()))
}

/// DELETE /gateway/v1/kiosks/{id}: the credential stops working at once, its intake ends as
/// canceled, its event stream closes.
pub async fn revoke(
    State(state): State<GatewayState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
) -> Result<Response, GatewayError> {
    revoke_kiosk(&state, id, &format!("user:{}", session.user))?;
    Ok(no_store(StatusCode::NO_CONTENT.into_response()))
}

pub(crate) fn revoke_kiosk(state: &GatewayState, id: i64, actor: &str) -> Result<(), GatewayError> {
    if !state.kiosks.revoke(id).map_err(internal)? {
        return Err(unknown_kiosk(id));
    }
    let now = state.clock.now();
    if let Some(live) = state.intakes.live_for_kiosk(id, now) {
        state.intakes.with(&live.id, now, |i| i.end(IntakeState::Canceled, now));
    }
    audit_event(
        state,
        actor.to_owned(),
        "DELETE",
        format!("gateway/kiosks/{id} revoked"),
        None,
        204,
    );
    audit_endings(state);
    state.intakes.changed();
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartForm {
    pat_num: i64,
}

/// POST /gateway/v1/kiosks/{id}/intakes: sends a patient to the kiosk.
pub async fn send_intake(
    State(state): State<GatewayState>,
    Extension(session): Extension<Session>,
    Path(id): Path<i64>,
    form: Result<Json<StartForm>, JsonRejection>,
) -> Result<Response, GatewayError> {
    let Json(form) = form.map_err(|_| GatewayError::Unprocessable("Send the patient: {\"patNum\":1}.".into()))?;
    let kiosk = state.kiosks.get(id).ok_or_else(|| unknown_kiosk(id))?;
    let status = start_intake(&state, &session, &kiosk, form.pat_num).await?;
    Ok(no_store((StatusCode::CREATED, Json(status)).into_response()))
}

fn busy(existing: &IntakeStatus) -> GatewayError {
    let first = existing.patient_name.split(' ').next().unwrap_or_default();
    GatewayError::Conflict(format!(
        "{} is already showing {first}'s visit, started by {}. Cancel it first.",
        existing.kiosk_name, existing.started_by
    ))
}

/// Reads the patient (Patients GET single, through the throttle and cascade with the keys)
/// and starts an intake on `kiosk`.
pub(crate) async fn start_intake(
    state: &GatewayState,
    session: &Session,
    kiosk: &Kiosk,
    pat_num: i64,
) -> Result<IntakeStatus, GatewayError> {
    if let Some(live) = state.intakes.live_for_kiosk(kiosk.id, state.clock.now()) {
        return Err(busy(&live.status()));
    }
    let target = format!("patients/{pat_num}");
    let mut audit = AuditRow::begin(
        session,
        &state.keys.customer_id,
        "GET",
        &format!("{target} (kiosk intake)"),
    );
    audit.pat_num = Some(pat_num);
    let started = Instant::now();
    let read = read_json(state, session, &target, &mut audit).await;
    audit.status = match &read {
        Ok((status, _)) => status.as_u16(),
        Err(e) => e.status().as_u16(),
    };
    audit.duration_ms = started.elapsed().as_millis() as u64;
    state.audit.record(audit);
    let (status, body) = read?;
    if status == StatusCode::NOT_FOUND {
        return Err(GatewayError::NotFound(format!("Open Dental has no patient {pat_num}.")));
    }
    if !status.is_success() {
        return Err(GatewayError::Unreachable(format!(
            "Chairside could not read patient {pat_num} from Open Dental ({status}); nothing was sent to the kiosk."
        )));
    }
    let fields: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|e| GatewayError::Unreachable(format!("Open Dental's patient was not readable: {e}")))?;
    let text = |name: &str| fields[name].as_str().unwrap_or_default().trim().to_owned();
    let birthdate = text("Birthdate");
    let first_name = text("FName");
    let known_birthdate = chrono::NaiveDate::parse_from_str(&birthdate, "%Y-%m-%d")
        .is_ok_and(|d| d > chrono::NaiveDate::from_ymd_opt(1880, 1, 1).expect("a date"));
    if !known_birthdate {
        return Err(GatewayError::Unprocessable(format!(
            "{first_name} has no birthdate in Open Dental, so the kiosk cannot confirm who they are. Add it first."
        )));
    }
    let patient = Patient {
        pat_num,
        first_name,
        last_name: text("LName"),
        birthdate,
        language: crate::intake::kiosk_language(&text("Language")),
    };
    let now = state.clock.now();
    let intake = Intake::new(kiosk.id, &kiosk.name, &kiosk.setup, patient, &session.user, now);
    let status = state.intakes.start(intake, now).map_err(|existing| busy(&existing))?;
    audit_event(
        state,
        format!("user:{}", session.user),
        "POST",
        format!("gateway/kiosks/{}/intakes {} started", kiosk.id, status.id),
        Some(pat_num),
        201,
    );
    Ok(status)
}

fn no_intake(id: &str) -> GatewayError {
    GatewayError::NotFound(format!("There is no kiosk visit {id}."))
}

/// GET /gateway/v1/intakes/{id}
pub async fn intake_status(
    State(state): State<GatewayState>,
    Path(id): Path<String>,
) -> Result<Response, GatewayError> {
    let intake = state
        .intakes
        .get(&id, state.clock.now())
        .ok_or_else(|| no_intake(&id))?;
    audit_endings(&state);
    Ok(no_store(Json(intake.status()).into_response()))
}

/// POST /gateway/v1/intakes/{id}/cancel
pub async fn cancel_intake(
    State(state): State<GatewayState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> Result<Response, GatewayError> {
    let now = state.clock.now();
    let (canceled, status) = state
        .intakes
        .with(&id, now, |i| (i.end(IntakeState::Canceled, now), i.status()))
        .ok_or_else(|| no_intake(&id))?;
    audit_endings(&state);
    if !canceled {
        return Err(GatewayError::Gone(ENDED.into()));
    }
    audit_event(
        &state,
        format!("user:{}", session.user),
        "POST",
        format!("gateway/intakes/{id}/cancel"),
        Some(status.pat_num),
        200,
    );
    Ok(no_store(Json(status).into_response()))
}

/// An event stream: one view, sent at once and again whenever it changes; it ends after
/// `view` says so (with that last event sent first).
pub(crate) fn event_stream<G: Send + 'static>(
    state: GatewayState,
    guard: G,
    view: impl Fn(&GatewayState) -> (Event, String, bool) + Send + 'static,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    struct Watching<V, G> {
        state: GatewayState,
        changes: tokio::sync::watch::Receiver<u64>,
        last: Option<String>,
        done: bool,
        view: V,
        _guard: G,
    }
    let watching = Watching {
        changes: state.intakes.subscribe(),
        state,
        last: None,
        done: false,
        view,
        _guard: guard,
    };
    let stream = futures_util::stream::unfold(watching, |mut w| async move {
        loop {
            if w.done {
                return None;
            }
            w.changes.borrow_and_update();
            let (event, text, last) = (w.view)(&w.state);
            audit_endings(&w.state);
            if w.last.as_deref() != Some(text.as_str()) || last {
                w.last = Some(text);
                w.done = last;
                return Some((Ok(event), w));
            }
            if w.changes.changed().await.is_err() {
                return None;
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(KEEP_ALIVE).text("keep-alive"))
}

/// GET /gateway/v1/intakes/{id}/events: the intake's status now and on every change; ends
/// after the intake ends.
/// The stream asks after the staff session before each status, so a panel left open after
/// sign-out (or the session's end) hears nothing more about the patient.
pub async fn intake_events(
    State(state): State<GatewayState>,
    Extension(client): Extension<ClientInfo>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, GatewayError> {
    state
        .intakes
        .get(&id, state.clock.now())
        .ok_or_else(|| no_intake(&id))?;
    let token = crate::auth::token_from(&headers, client.https).unwrap_or_default();
    let sse = event_stream(state, (), move |state| {
        if state.sessions.get(&token, state.clock.now(), false).is_none() {
            return (
                Event::default().event("signed-out").data("{}"),
                "signed-out".into(),
                true,
            );
        }
        match state.intakes.get(&id, state.clock.now()) {
            Some(intake) => {
                let json = serde_json::to_string(&intake.status()).expect("a status serializes");
                (Event::default().event("status").data(&json), json, !intake.is_live())
            }
            // Forgotten long after it ended: nothing more to say.
            None => (Event::default().event("status").data("null"), "null".into(), true),
        }
    });
    Ok(no_store(sse.into_response()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kiosk_cookie_is_http_only_strict_long_lived_and_host_prefixed_under_https() {
        assert_eq!(
            kiosk_cookie("tok", false),
            "chairside-kiosk=tok; Path=/; HttpOnly; SameSite=Strict; Max-Age=34560000"
        );
        assert_eq!(
            kiosk_cookie("tok", true),
            "__Host-chairside-kiosk=tok; Path=/; HttpOnly; SameSite=Strict; Max-Age=34560000; Secure"
        );
        assert!(clearing_kiosk_cookie(true).starts_with("__Host-chairside-kiosk=;"));
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("chairside-session=s; chairside-kiosk=k"),
        );
        assert_eq!(token_from(&h, false).as_deref(), Some("k"));
        assert_eq!(token_from(&h, true), None);
    }

    #[test]
    fn the_store_keeps_hashes_and_revoked_kiosks_stop_working() {
        let db = Db::in_memory();
        let kiosks = Kiosks::new(db.clone());
        let setup = KioskSetup::defaults(&[]);
        let (token, k) = kiosks.pair("Front desk tablet", "frontdesk", &setup).unwrap();
        let (_, other) = kiosks.pair("Annex", "frontdesk", &setup).unwrap();
        let stored: Vec<String> = db
            .with(|c| {
                let mut s = c.prepare("SELECT token_hash FROM kiosks")?;
                let rows = s.query_map([], |r| r.get(0))?;
                rows.collect()
            })
            .unwrap();
        assert!(stored.iter().all(|h| h != &token && !h.is_empty()));
        assert_eq!(kiosks.by_token(&token).unwrap().id, k.id);
        assert!(kiosks.by_token("not-a-token").is_none());
        let names: Vec<String> = kiosks.list().into_iter().map(|k| k.name).collect();
        assert_eq!(names, ["Annex", "Front desk tablet"]);
        assert!(kiosks.revoke(k.id).unwrap());
        assert!(!kiosks.revoke(k.id).unwrap(), "once");
        assert!(kiosks.by_token(&token).is_none());
        assert!(kiosks.get(k.id).is_none());
        assert_eq!(kiosks.list().len(), 1);
        assert!(!kiosks.set_setup(k.id, &setup).unwrap());
        assert!(kiosks.set_setup(other.id, &setup).unwrap());
        kiosks.stream_opened(other.id);
        kiosks.stream_opened(other.id);
        kiosks.stream_closed(other.id);
        assert!(kiosks.connected(other.id));
        kiosks.stream_closed(other.id);
        assert!(!kiosks.connected(other.id));
    }
}

//! What a paired kiosk may call: its own state and event stream, and requests about the one
//! intake staff sent it (birthdate check, photos, skip, finish, abandon, "still here"); plus
//! leaving kiosk mode with a staff password and starting an intake on the tablet itself.
//! Never Open Dental's API: the gateway makes the one upload a photo needs, with the intake's
//! patient and the step's category, whatever the tablet sends.

use std::time::Instant;

use axum::body::Body;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::sse::Event;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use base64::Engine;
use bytes::Bytes;
use futures_util::StreamExt;
use opendental::documents::{upload_body_parts, DocumentFields, Upload};
use opendental::error::MAX_BODY_CHARS;
use opendental::kiosk::StepKind;
use serde::{Deserialize, Serialize};

use crate::audit::AuditRow;
use crate::error::GatewayError;
use crate::incoming::Incoming;
use crate::intake::{Check, Intake, KioskIntake, Refusal, State as IntakeState};
use crate::kiosks::{audit_endings, audit_event, no_store, Kiosk, KioskRef, ENDED};
use crate::security::ClientInfo;
use crate::state::GatewayState;

const IDEMPOTENCY_HEADER: &str = "idempotency-key";

/// Lets only a paired kiosk through; an unknown or revoked credential is cleared.
pub async fn require_kiosk(State(state): State<GatewayState>, mut req: Request, next: Next) -> Response {
    let https = req.extensions().get::<ClientInfo>().is_some_and(|c| c.https);
    match crate::kiosks::kiosk_of(&state, req.headers(), https) {
        Some(kiosk) => {
            req.extensions_mut().insert(kiosk);
            no_store(next.run(req).await)
        }
        None => {
            let mut response = GatewayError::NotAKiosk(
                "This device is not a paired kiosk (it was never paired, or staff removed it). Ask the front desk."
                    .into(),
            )
            .into_response();
            response.headers_mut().insert(
                header::SET_COOKIE,
                HeaderValue::from_str(&crate::kiosks::clearing_kiosk_cookie(https)).expect("ASCII"),
            );
            response
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KioskState {
    kiosk: KioskRef,
    idle_seconds: u32,
    intake: Option<KioskIntake>,
}

fn kiosk_state(state: &GatewayState, kiosk: &Kiosk) -> KioskState {
    KioskState {
        kiosk: kiosk.reference(),
        idle_seconds: kiosk.setup.idle_seconds,
        intake: state
            .intakes
            .live_for_kiosk(kiosk.id, state.clock.now())
            .map(|i| i.kiosk_view()),
    }
}

/// GET /gateway/v1/kiosk
pub async fn current(State(state): State<GatewayState>, Extension(kiosk): Extension<Kiosk>) -> Response {
    let body = kiosk_state(&state, &kiosk);
    audit_endings(&state);
    Json(body).into_response()
}

/// GET /gateway/v1/kiosk/events: the kiosk's state now and on every change; `revoked` last
/// if staff revoke it.
pub async fn events(State(state): State<GatewayState>, Extension(kiosk): Extension<Kiosk>) -> Response {
    let guard = crate::kiosks::StreamGuard::new(&state, kiosk.id);
    let id = kiosk.id;
    crate::kiosks::event_stream(state, guard, move |state| match state.kiosks.get(id) {
        Some(kiosk) => {
            let json = serde_json::to_string(&kiosk_state(state, &kiosk)).expect("a state serializes");
            (Event::default().event("kiosk").data(&json), json, false)
        }
        None => (Event::default().event("revoked").data("{}"), "revoked".into(), true),
    })
    .into_response()
}

fn ended() -> GatewayError {
    GatewayError::Gone(ENDED.into())
}

fn refused(refusal: Refusal) -> GatewayError {
    match refusal {
        Refusal::Ended => ended(),
        Refusal::NotConfirmed => GatewayError::Forbidden("Confirm the birthdate first.".into()),
        Refusal::NoSuchStep => GatewayError::NotFound("This visit does not ask for that photo.".into()),
    }
}

/// Runs `f` on this kiosk's intake `id`; an intake of another kiosk, an unknown one and an
/// ended one all answer 410, so ids cannot be probed.
fn on_intake<T>(
    state: &GatewayState,
    kiosk: &Kiosk,
    id: &str,
    f: impl FnOnce(&mut Intake, Instant) -> Result<T, Refusal>,
) -> Result<T, GatewayError> {
    let now = state.clock.now();
    let outcome = state.intakes.with(id, now, |intake| {
        if intake.kiosk_id != kiosk.id {
            return Err(Refusal::Ended);
        }
        f(intake, now)
    });
    audit_endings(state);
    outcome.unwrap_or(Err(Refusal::Ended)).map_err(refused)
}

fn step_kind(kind: &str) -> Result<StepKind, GatewayError> {
    StepKind::from_id(kind).ok_or_else(|| GatewayError::NotFound("This visit does not ask for that photo.".into()))
}

#[derive(Deserialize)]
pub struct BirthdateForm {
    birthdate: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Miss {
    message: &'static str,
    tries_left: u8,
}

/// POST /gateway/v1/kiosk/intake/{id}/birthdate: compared here; the birthdate never leaves.
pub async fn birthdate(
    State(state): State<GatewayState>,
    Extension(kiosk): Extension<Kiosk>,
    Path(id): Path<String>,
    form: Result<Json<BirthdateForm>, JsonRejection>,
) -> Result<Response, GatewayError> {
    // Malformed or not, a request about an ended visit is told it ended.
    let given = form.map(|Json(f)| f.birthdate).unwrap_or_default();
    let (check, view, pat_num) = on_intake(&state, &kiosk, &id, |intake, now| {
        let check = intake.check_birthdate(&given, now)?;
        Ok((check, intake.kiosk_view(), intake.patient.pat_num))
    })?;
    match check {
        Check::Confirmed => Ok(Json(view).into_response()),
        Check::Miss { tries_left } => {
            audit_event(
                &state,
                kiosk.actor(),
                "POST",
                format!("gateway/kiosk/intake/{id}/birthdate (miss)"),
                Some(pat_num),
                422,
            );
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(Miss {
                    message: "That date does not match. Please try again.",
                    tries_left,
                }),
            )
                .into_response())
        }
        Check::LockedOut => {
            audit_event(
                &state,
                kiosk.actor(),
                "POST",
                format!("gateway/kiosk/intake/{id}/birthdate (miss, locked out)"),
                Some(pat_num),
                410,
            );
            audit_endings(&state);
            Err(ended())
        }
    }
}

/// POST /gateway/v1/kiosk/intake/{id}/steps/{kind}/skip
pub async fn skip(
    State(state): State<GatewayState>,
    Extension(kiosk): Extension<Kiosk>,
    Path((id, kind)): Path<(String, String)>,
) -> Result<Response, GatewayError> {
    let kind = step_kind(&kind);
    let view = on_intake(&state, &kiosk, &id, |intake, now| {
        // An unknown kind is "no such step" only for a visit that is still going.
        let kind = kind.map_err(|_| Refusal::NoSuchStep);
        intake.kiosk_touch(now)?;
        intake.skip(kind?, now)?;
        Ok(intake.kiosk_view())
    })?;
    Ok(Json(view).into_response())
}

/// POST /gateway/v1/kiosk/intake/{id}/finish: 200 with the kiosk's state (no intake now).
pub async fn finish(
    State(state): State<GatewayState>,
    Extension(kiosk): Extension<Kiosk>,
    Path(id): Path<String>,
) -> Result<Response, GatewayError> {
    end(&state, &kiosk, &id, IntakeState::Finished)?;
    Ok(Json(kiosk_state(&state, &kiosk)).into_response())
}

/// POST /gateway/v1/kiosk/intake/{id}/abandon: the tablet's idle reset.
pub async fn abandon(
    State(state): State<GatewayState>,
    Extension(kiosk): Extension<Kiosk>,
    Path(id): Path<String>,
) -> Result<Response, GatewayError> {
    end(&state, &kiosk, &id, IntakeState::Abandoned)?;
    Ok(Json(kiosk_state(&state, &kiosk)).into_response())
}

fn end(state: &GatewayState, kiosk: &Kiosk, id: &str, how: IntakeState) -> Result<(), GatewayError> {
    on_intake(state, kiosk, id, |intake, now| {
        intake.kiosk_touch(now)?;
        intake.end(how, now);
        Ok(())
    })
}

/// POST /gateway/v1/kiosk/intake/{id}/activity: "I'm still here".
pub async fn activity(
    State(state): State<GatewayState>,
    Extension(kiosk): Extension<Kiosk>,
    Path(id): Path<String>,
) -> Result<Response, GatewayError> {
    on_intake(&state, &kiosk, &id, |intake, now| intake.kiosk_touch(now))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A file's bytes (`what`: "This photo"), refused (413) as soon as its base64 in the upload's
/// JSON (`overhead` characters around it) would pass Open Dental's limit, before anything is
/// sent. Kiosk photos and staff uploads of a file as it is (`proxy::upload_file`).
pub(crate) async fn read_file_body(
    body: Body,
    declared: Option<usize>,
    overhead: usize,
    what: &str,
) -> Result<Bytes, GatewayError> {
    let fits = |raw_len: usize| overhead + raw_len.div_ceil(3) * 4 <= MAX_BODY_CHARS;
    let too_large = || {
        GatewayError::TooLarge(format!(
            "{what} is too large to send to Open Dental (at most {} MB).",
            MAX_BODY_CHARS / 4 * 3 / 1_000_000
        ))
    };
    if declared.is_some_and(|len| !fits(len)) {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0).min(MAX_BODY_CHARS));
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| GatewayError::BadRequest(format!("{what} did not arrive whole: {e}")))?;
        if !fits(bytes.len() + chunk.len()) {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    if bytes.is_empty() {
        return Err(GatewayError::BadRequest(format!("{what} is empty.")));
    }
    Ok(Bytes::from(bytes))
}

/// Documents POST Upload's JSON: `prefix`, the file's base64, `suffix` (see
/// `opendental::documents::upload_body_parts`), built without a second copy of the data.
pub(crate) fn upload_body(prefix: &str, file: &[u8], suffix: &str) -> Bytes {
    let mut body = Vec::with_capacity(prefix.len() + file.len().div_ceil(3) * 4 + suffix.len());
    body.extend_from_slice(prefix.as_bytes());
    body.extend_from_slice(base64::engine::general_purpose::STANDARD.encode(file).as_bytes());
    body.extend_from_slice(suffix.as_bytes());
    Bytes::from(body)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Arrived {
    kind: StepKind,
    status: &'static str,
}

/// PUT /gateway/v1/kiosk/intake/{id}/photos/{kind}: the photo's bytes in; Documents POST
/// Upload out, with the intake's patient and the step's category, type and description.
/// Exactly once per Idempotency-Key (the proxy's own machinery); a retake replaces the step's
/// photo.
pub async fn photo(
    State(state): State<GatewayState>,
    Extension(kiosk): Extension<Kiosk>,
    Path((id, kind)): Path<(String, String)>,
    req: Request,
) -> Result<Response, GatewayError> {
    let kind = step_kind(&kind);
    // Where the intake stands comes first: an ended visit is 410 whatever else is wrong.
    let setup = on_intake(&state, &kiosk, &id, |intake, now| {
        intake.kiosk_touch(now)?;
        let kind = kind.as_ref().map_err(|_| Refusal::NoSuchStep)?;
        Ok(intake.step_for_patient(*kind, now)?.setup.clone())
    })?;
    let kind = setup.kind;
    let key = req
        .headers()
        .get(IDEMPOTENCY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| (8..=200).contains(&k.len()) && k.chars().all(|c| c.is_ascii_graphic()))
        .map(str::to_owned)
        .ok_or_else(|| {
            GatewayError::BadRequest("A photo needs an Idempotency-Key header (a new UUID per photo).".into())
        })?;
    let extension = match content_type(req.headers()).as_str() {
        "image/jpeg" => ".jpg",
        "image/png" => ".png",
        _ => {
            return Err(GatewayError::UnsupportedType(
                "A kiosk photo must be a JPEG or PNG image (Content-Type image/jpeg or image/png).".into(),
            ))
        }
    };
    let stamp = on_intake(&state, &kiosk, &id, |intake, _| Ok(intake.stamp_for(&key)))?;
    let pat_num = on_intake(&state, &kiosk, &id, |intake, _| Ok(intake.patient.pat_num))?;
    let upload = Upload {
        pat_num,
        raw_base64: String::new(),
        extension: extension.into(),
        fields: DocumentFields {
            description: Some(setup.description.trim().to_owned()),
            date_created: Some(stamp),
            doc_category: Some(setup.category),
            img_type: Some(setup.img_type.clone()),
            ..Default::default()
        },
    };
    let (prefix, suffix) = upload_body_parts(&upload);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let photo = read_file_body(req.into_body(), declared, prefix.len() + suffix.len(), "This photo").await?;
    let body = upload_body(&prefix, &photo, &suffix);
    drop(photo);

    // Sent from its own task: a tablet whose Wi-Fi drops mid-upload does not cancel it, so
    // its retry (same key) waits for this attempt's outcome instead of racing it.
    let step = StepUpload {
        state: state.clone(),
        kiosk: kiosk.clone(),
        intake: id.clone(),
        kind,
        key,
        pat_num,
        body,
    };
    tokio::spawn(step.send())
        .await
        .map_err(|e| GatewayError::Internal(format!("The photo's upload stopped: {e}")))??;
    on_intake(&state, &kiosk, &id, |intake, now| intake.kiosk_touch(now))?;
    Ok((
        StatusCode::CREATED,
        Json(Arrived {
            kind,
            status: "arrived",
        }),
    )
        .into_response())
}

/// One photo for one step of one intake, on its way to Open Dental.
struct StepUpload {
    state: GatewayState,
    kiosk: Kiosk,
    intake: String,
    kind: StepKind,
    key: String,
    pat_num: i64,
    body: Bytes,
}

impl StepUpload {
    async fn send(self) -> Result<(), GatewayError> {
        let StepUpload {
            state,
            kiosk,
            intake: id,
            kind,
            key,
            pat_num,
            body,
        } = self;
        // One upload at a time per intake: a retake never races the photo it replaces.
        let lock = state.intakes.upload_lock(&id);
        let _one_at_a_time = lock.lock().await;
        on_intake(&state, &kiosk, &id, |intake, now| intake.kiosk_touch(now))?;

        let started = Instant::now();
        let session = kiosk.session(state.clock.now());
        let target = "documents/Upload";
        let mut audit = AuditRow::begin(&session, &state.keys.customer_id, "POST", target);
        audit.actor = kiosk.actor();
        audit.path = format!("{target} (kiosk {} photo)", kind.id());
        audit.pat_num = Some(pat_num);
        // The proxy's own exactly-once machinery, keyed per intake and step.
        let scoped = format!("kiosk:{id}:{}:{key}", kind.id());
        let sent = crate::proxy::send_once_per_key(
            &state,
            &session,
            &scoped,
            &Method::POST,
            target,
            &Incoming::complete(body),
            &mut audit,
        )
        .await;
        let outcome = saved_doc_num(sent).await;
        // Whatever the answer, the patient's images may have changed: staff must not be shown
        // thumbnails from before the photo.
        state.thumbnails.invalidate(pat_num);
        audit.status = match &outcome {
            Ok(_) => 201,
            Err(e) => e.status().as_u16(),
        };
        audit.duration_ms = started.elapsed().as_millis() as u64;
        state.audit.record(audit);
        let doc_num = outcome?;

        // The step holds this photo now; a retake's predecessor goes.
        let now = state.clock.now();
        let to_delete = state
            .intakes
            .with(&id, now, |intake| intake.photo_saved(kind, &key, doc_num))
            .flatten();
        if let Some(old) = to_delete {
            delete_document(&state, &kiosk, pat_num, old).await;
            state.thumbnails.invalidate(pat_num);
        }
        Ok(())
    }
}

fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// The DocNum Open Dental saved the upload as, or a sentence for the tablet (never Open
/// Dental's own text, which could name the patient).
async fn saved_doc_num(sent: Result<Response, GatewayError>) -> Result<i64, GatewayError> {
    let try_again = |status: StatusCode| GatewayError::OutcomeUnknown {
        status,
        message: "The photo could not be saved just now. Please try again.".into(),
    };
    let response = match sent {
        Ok(response) => response,
        Err(GatewayError::BadRequest(m)) => return Err(GatewayError::BadRequest(m)),
        Err(e @ (GatewayError::OutcomeUnknown { .. } | GatewayError::Unreachable(_))) => {
            return Err(try_again(if e.status() == StatusCode::GATEWAY_TIMEOUT {
                StatusCode::GATEWAY_TIMEOUT
            } else {
                StatusCode::BAD_GATEWAY
            }))
        }
        Err(e) => return Err(e),
    };
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1024 * 1024)
        .await
        .unwrap_or_default();
    if !status.is_success() {
        if status.is_server_error() {
            return Err(try_again(StatusCode::BAD_GATEWAY));
        }
        return Err(GatewayError::Unreachable(format!(
            "Open Dental did not accept this photo ({}). Please ask the front desk.",
            status.as_u16()
        )));
    }
    let doc: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let num = &doc["DocNum"];
    num.as_i64()
        .or_else(|| num.as_str().and_then(|s| s.parse().ok()))
        .ok_or_else(|| try_again(StatusCode::BAD_GATEWAY))
}

/// Documents DELETE for a retake's predecessor. A failure is logged: the new photo is saved,
/// and staff can remove the old one.
async fn delete_document(state: &GatewayState, kiosk: &Kiosk, pat_num: i64, doc_num: i64) {
    let session = kiosk.session(state.clock.now());
    let target = format!("documents/{doc_num}");
    let mut audit = AuditRow::begin(&session, &state.keys.customer_id, "DELETE", &target);
    audit.actor = kiosk.actor();
    audit.pat_num = Some(pat_num);
    let started = Instant::now();
    let sent = crate::proxy::send(
        state,
        &session,
        &Method::DELETE,
        &target,
        &Incoming::complete(Bytes::new()),
        &mut audit,
    )
    .await;
    let status = match sent {
        Ok(response) => {
            let status = response.status();
            let _ = axum::body::to_bytes(response.into_body(), 1024 * 1024).await;
            status
        }
        Err(e) => e.status(),
    };
    if !status.is_success() {
        state.log.line(format!(
            "kiosk {:?}: a retake's earlier photo (document {doc_num}) could not be deleted: {status}",
            kiosk.name
        ));
    }
    audit.status = status.as_u16();
    audit.duration_ms = started.elapsed().as_millis() as u64;
    state.audit.record(audit);
}

#[derive(Deserialize, Default)]
pub struct ExitForm {
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
}

/// POST /gateway/v1/kiosk/exit: a staff password (or a staff session on this device) leaves
/// kiosk mode: the kiosk is revoked and its cookie cleared.
pub async fn exit(
    State(state): State<GatewayState>,
    Extension(kiosk): Extension<Kiosk>,
    Extension(client): Extension<ClientInfo>,
    headers: HeaderMap,
    form: Result<Json<ExitForm>, JsonRejection>,
) -> Result<Response, GatewayError> {
    let form = form.map(|Json(f)| f).unwrap_or_default();
    let staff = match (form.username, form.password) {
        (Some(username), Some(password)) => crate::auth::check_password(&state, &client, &username, password).await?,
        _ => crate::auth::token_from(&headers, client.https)
            .and_then(|t| state.sessions.get(&t, state.clock.now(), true))
            .map(|s| s.user)
            .ok_or(GatewayError::WrongPassword)?,
    };
    crate::kiosks::revoke_kiosk(&state, kiosk.id, &format!("user:{staff}"))?;
    state.log.line(format!(
        "kiosk {} {:?} left kiosk mode ({staff:?})",
        kiosk.id, kiosk.name
    ));
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&crate::kiosks::clearing_kiosk_cookie(client.https)).expect("ASCII"),
    );
    Ok(response)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartHere {
    pat_num: i64,
}

/// POST /gateway/v1/kiosk/intakes: a staff member signed in on the tablet starts an intake on
/// it; their session there then ends, so the patient cannot reach staff screens.
pub async fn start_here(
    State(state): State<GatewayState>,
    Extension(kiosk): Extension<Kiosk>,
    Extension(client): Extension<ClientInfo>,
    headers: HeaderMap,
    form: Result<Json<StartHere>, JsonRejection>,
) -> Result<Response, GatewayError> {
    let staff_token = crate::auth::token_from(&headers, client.https);
    let session = staff_token
        .as_deref()
        .and_then(|t| state.sessions.get(t, state.clock.now(), true))
        .ok_or_else(crate::auth::signed_out)?;
    let Json(form) = form.map_err(|_| GatewayError::Unprocessable("Send the patient: {\"patNum\":1}.".into()))?;
    crate::kiosks::start_intake(&state, &session, &kiosk, form.pat_num).await?;
    if let Some(token) = staff_token {
        state.sessions.remove(&token);
    }
    let mut response = (StatusCode::CREATED, Json(kiosk_state(&state, &kiosk))).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&crate::auth::clearing_cookie(client.https)).expect("ASCII"),
    );
    Ok(response)
}

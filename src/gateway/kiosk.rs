//! The gateway's kiosk endpoints (crates/gateway/README.md, "Kiosks"): staff's (pair, list,
//! set up, revoke, send an intake, follow and cancel it) and the kiosk's own narrow ones (its
//! state, the birthdate check, photos, skip, finish, abandon, activity, exit). Interpreting
//! answers is plain Rust, tested natively; the calls need a browser.

use std::rc::Rc;

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::{
    api::{xhr_send, UploadCancel},
    kiosk::{
        machine::BirthdateAnswer,
        model::{IntakeStatus, KioskInfo, KioskSetup, KioskState, StepKind},
        upload::Outcome,
    },
};

const KIOSKS: &str = "/gateway/v1/kiosks";
const KIOSK: &str = "/gateway/v1/kiosk";
/// The kiosk's event stream (`event: kiosk`, `event: revoked`).
pub const KIOSK_EVENTS: &str = "/gateway/v1/kiosk/events";

/// An intake's event stream for staff (`event: status`).
pub fn intake_events_url(intake: &str) -> String {
    format!("/gateway/v1/intakes/{intake}/events")
}

/// A gateway refusal's sentence (its bodies are plain sentences), or one of ours.
pub fn refusal(status: u16, body: &str) -> String {
    #[derive(Deserialize)]
    struct Explained {
        message: String,
    }
    let text = body.trim();
    if let Ok(explained) = serde_json::from_str::<Explained>(text) {
        return explained.message;
    }
    if !text.is_empty() && !text.starts_with('<') && !text.starts_with('{') {
        return text.chars().take(600).collect();
    }
    match status {
        401 => "You are signed out. Sign in again and try once more.".to_owned(),
        403 => "The gateway refused this.".to_owned(),
        410 => "This visit has ended.".to_owned(),
        _ => format!("The Chairside gateway could not do this (HTTP {status}). Try again."),
    }
}

/// The answer to a birthdate (POST …/birthdate).
pub fn birthdate_answer(status: Option<u16>, body: &str) -> BirthdateAnswer {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Miss {
        tries_left: u8,
    }
    match status {
        Some(200) => BirthdateAnswer::Confirmed,
        Some(422) => match serde_json::from_str::<Miss>(body) {
            Ok(miss) => BirthdateAnswer::Wrong {
                tries_left: miss.tries_left,
            },
            Err(_) => BirthdateAnswer::Unreachable,
        },
        Some(410) => BirthdateAnswer::Gone,
        Some(401) => BirthdateAnswer::Revoked,
        _ => BirthdateAnswer::Unreachable,
    }
}

fn network(e: gloo_net::Error) -> String {
    format!("Could not reach the Chairside gateway ({e}). Check this device's connection and try again.")
}

fn no_store(request: RequestBuilder) -> RequestBuilder {
    request
        .cache(web_sys::RequestCache::NoStore)
        .header("Accept", "application/json")
}

async fn read<T: DeserializeOwned>(response: Response, ok: u16) -> Result<T, String> {
    let status = response.status();
    let body = response.text().await.map_err(network)?;
    if status != ok {
        return Err(refusal(status, &body));
    }
    serde_json::from_str(&body)
        .map_err(|e| format!("The Chairside gateway answered in a form this app does not understand ({e})."))
}

async fn send_json(request: RequestBuilder, body: &impl Serialize) -> Result<Response, String> {
    no_store(request)
        .json(body)
        .map_err(network)?
        .send()
        .await
        .map_err(network)
}

// ---- Staff ----

/// A patient staff may start an intake for on the tablet: only what that list shows (the
/// kiosk app carries no full patient model).
#[derive(Clone, Deserialize)]
pub struct PatientChoice {
    #[serde(rename = "PatNum")]
    pub pat_num: i64,
    #[serde(rename = "LName", default)]
    pub l_name: String,
    #[serde(rename = "FName", default)]
    pub f_name: String,
    #[serde(rename = "Birthdate", default)]
    pub birthdate: String,
}

/// Patients by last name, for a staff member signed in on the tablet (Patients GET through
/// the gateway).
pub async fn find_patients(last_name: &str) -> Result<Vec<PatientChoice>, String> {
    let url = format!("/api/v1/patients?LName={}", opendental::query::encode(last_name.trim()));
    read(no_store(Request::get(&url)).send().await.map_err(network)?, 200).await
}

#[derive(Serialize)]
struct Name<'a> {
    name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PatNum {
    pat_num: i64,
}

/// Makes this device a kiosk (its staff session ends).
pub async fn pair(name: &str) -> Result<KioskInfo, String> {
    read(send_json(Request::post(KIOSKS), &Name { name }).await?, 201).await
}

pub async fn kiosks() -> Result<Vec<KioskInfo>, String> {
    read(no_store(Request::get(KIOSKS)).send().await.map_err(network)?, 200).await
}

pub async fn save_setup(kiosk: i64, setup: &KioskSetup) -> Result<KioskInfo, String> {
    read(
        send_json(Request::put(&format!("{KIOSKS}/{kiosk}/setup")), setup).await?,
        200,
    )
    .await
}

pub async fn revoke(kiosk: i64) -> Result<(), String> {
    let response = no_store(Request::delete(&format!("{KIOSKS}/{kiosk}")))
        .send()
        .await
        .map_err(network)?;
    match response.status() {
        200..=299 => Ok(()),
        status => Err(refusal(status, &response.text().await.unwrap_or_default())),
    }
}

pub async fn send_intake(kiosk: i64, pat_num: i64) -> Result<IntakeStatus, String> {
    read(
        send_json(Request::post(&format!("{KIOSKS}/{kiosk}/intakes")), &PatNum { pat_num }).await?,
        201,
    )
    .await
}

pub async fn cancel_intake(intake: &str) -> Result<IntakeStatus, String> {
    let response = no_store(Request::post(&format!("/gateway/v1/intakes/{intake}/cancel")))
        .send()
        .await
        .map_err(network)?;
    read(response, 200).await
}

// ---- The kiosk ----

/// Why a kiosk call did not give its answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KioskError {
    /// 401: this device is no longer a kiosk.
    Revoked,
    /// 410: the intake has ended.
    Gone,
    /// No answer.
    Network,
    Refused(String),
}

/// Why an intake is abandoned (`{"reason": "idle"}`).
#[derive(Serialize)]
struct Reason<'a> {
    reason: &'a str,
}

async fn kiosk_call(request: RequestBuilder, body: Option<&Reason<'_>>) -> Result<Response, KioskError> {
    let request = no_store(request);
    let sent = match body {
        Some(body) => request.json(body).map_err(|_| KioskError::Network)?.send().await,
        None => request.send().await,
    };
    let response = sent.map_err(|_| KioskError::Network)?;
    match response.status() {
        200..=299 => Ok(response),
        401 => Err(KioskError::Revoked),
        410 => Err(KioskError::Gone),
        status => Err(KioskError::Refused(refusal(
            status,
            &response.text().await.unwrap_or_default(),
        ))),
    }
}

pub async fn state() -> Result<KioskState, KioskError> {
    let response = kiosk_call(Request::get(KIOSK), None).await?;
    let body = response.text().await.map_err(|_| KioskError::Network)?;
    serde_json::from_str(&body).map_err(|e| KioskError::Refused(e.to_string()))
}

pub async fn check_birthdate(intake: &str, birthdate: &str) -> BirthdateAnswer {
    #[derive(Serialize)]
    struct Birthdate<'a> {
        birthdate: &'a str,
    }
    let body = Birthdate { birthdate };
    let sent = no_store(Request::post(&format!("{KIOSK}/intake/{intake}/birthdate")))
        .json(&body)
        .map(|r| r.send());
    let Ok(sent) = sent else {
        return BirthdateAnswer::Unreachable;
    };
    match sent.await {
        Ok(response) => {
            let status = response.status();
            let text = response.text().await.unwrap_or_default();
            birthdate_answer(Some(status), &text)
        }
        Err(_) => birthdate_answer(None, ""),
    }
}

/// PUT the photo's bytes, with its key; `online` is the browser's word when no answer came.
pub async fn put_photo(
    intake: &str,
    kind: StepKind,
    photo: &web_sys::Blob,
    content_type: &str,
    key: &str,
    on_progress: impl Fn(f64, f64) + 'static,
) -> Outcome {
    let url = format!("{KIOSK}/intake/{intake}/photos/{}", kind.id());
    let headers = [
        ("Content-Type", content_type.to_owned()),
        ("Idempotency-Key", key.to_owned()),
    ];
    let answer = xhr_send(
        "PUT",
        &url,
        &headers,
        photo.as_ref(),
        Rc::new(on_progress),
        &UploadCancel::default(),
    )
    .await;
    let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
    Outcome::from_status(answer.ok().map(|a| a.status), online)
}

pub async fn skip_step(intake: &str, kind: StepKind) -> Result<(), KioskError> {
    let url = format!("{KIOSK}/intake/{intake}/steps/{}/skip", kind.id());
    kiosk_call(Request::post(&url), None).await.map(drop)
}

pub async fn finish(intake: &str) -> Result<(), KioskError> {
    kiosk_call(Request::post(&format!("{KIOSK}/intake/{intake}/finish")), None)
        .await
        .map(drop)
}

pub async fn abandon(intake: &str) -> Result<(), KioskError> {
    kiosk_call(
        Request::post(&format!("{KIOSK}/intake/{intake}/abandon")),
        Some(&Reason { reason: "idle" }),
    )
    .await
    .map(drop)
}

pub async fn activity(intake: &str) -> Result<(), KioskError> {
    kiosk_call(Request::post(&format!("{KIOSK}/intake/{intake}/activity")), None)
        .await
        .map(drop)
}

/// Starts an intake on this kiosk (a staff member is signed in on it).
pub async fn start_here(pat_num: i64) -> Result<KioskState, String> {
    read(
        send_json(Request::post(&format!("{KIOSK}/intakes")), &PatNum { pat_num }).await?,
        201,
    )
    .await
}

/// Leaves kiosk mode with a staff member's username and password.
pub async fn exit(username: &str, password: &str) -> Result<(), String> {
    #[derive(Serialize)]
    struct SignIn<'a> {
        username: &'a str,
        password: &'a str,
    }
    let body = SignIn { username, password };
    let response = send_json(Request::post(&format!("{KIOSK}/exit")), &body).await?;
    match response.status() {
        200..=299 => Ok(()),
        status => Err(refusal(status, &response.text().await.unwrap_or_default())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_show_the_gateways_sentence() {
        assert_eq!(
            refusal(409, "Jane is at that kiosk (sent by frontdesk)."),
            "Jane is at that kiosk (sent by frontdesk)."
        );
        assert_eq!(refusal(422, r#"{"message":"No step.","triesLeft":2}"#), "No step.");
        assert_eq!(refusal(410, ""), "This visit has ended.");
        assert!(refusal(502, "<html>").contains("HTTP 502"));
    }

    #[test]
    fn birthdate_answers_come_from_status_and_tries_left() {
        assert_eq!(birthdate_answer(Some(200), "{}"), BirthdateAnswer::Confirmed);
        assert_eq!(
            birthdate_answer(Some(422), r#"{"message":"That date does not match.","triesLeft":2}"#),
            BirthdateAnswer::Wrong { tries_left: 2 }
        );
        assert_eq!(birthdate_answer(Some(422), "nope"), BirthdateAnswer::Unreachable);
        assert_eq!(birthdate_answer(Some(410), ""), BirthdateAnswer::Gone);
        assert_eq!(birthdate_answer(Some(401), ""), BirthdateAnswer::Revoked);
        assert_eq!(birthdate_answer(Some(502), ""), BirthdateAnswer::Unreachable);
        assert_eq!(birthdate_answer(None, ""), BirthdateAnswer::Unreachable);
    }
}

//! Staff sign-in: the session cookie, the gateway's own endpoints under /gateway/v1, and the
//! guard that lets only signed-in sessions through to Open Dental.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};

use crate::cookies::CookieKind;
use crate::error::GatewayError;
use crate::security::ClientInfo;
use crate::sessions::Session;
use crate::state::GatewayState;
use crate::throttle::QueuePosition;

pub const SECURE_COOKIE: &str = "__Host-chairside-session";
pub const PLAIN_COOKIE: &str = "chairside-session";
/// The staff session's cookie: kept as long as the browser runs (the gateway ends sessions).
const SESSION: CookieKind = CookieKind {
    secure_name: SECURE_COOKIE,
    plain_name: PLAIN_COOKIE,
    max_age: None,
};

pub fn session_cookie(token: &str, https: bool) -> String {
    SESSION.set(token, https)
}

pub(crate) fn clearing_cookie(https: bool) -> String {
    SESSION.clear(https)
}

/// The session token the browser sent, if any.
pub fn token_from(headers: &HeaderMap, https: bool) -> Option<String> {
    SESSION.read(headers, https)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointInfo {
    pub kind: &'static str,
    pub label: String,
}

/// The body of GET /gateway/v1/session, sign-in and refresh (see the app's gateway module).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    gateway: bool,
    signed_in: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    idle_timeout_secs: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    idle_remaining_secs: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    absolute_remaining_secs: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    endpoint: Option<EndpointInfo>,
    /// The paired kiosk this device is, if it carries a valid kiosk credential (only in the
    /// answer to GET /gateway/v1/session).
    #[serde(skip_serializing_if = "Option::is_none")]
    kiosk: Option<crate::kiosks::KioskRef>,
}

impl SessionInfo {
    fn signed_out() -> SessionInfo {
        SessionInfo {
            gateway: true,
            signed_in: false,
            user: None,
            idle_timeout_secs: None,
            idle_remaining_secs: None,
            absolute_remaining_secs: None,
            endpoint: None,
            kiosk: None,
        }
    }

    fn of(state: &GatewayState, session: &Session) -> SessionInfo {
        let now = state.clock.now();
        let remaining = state.sessions.remaining(session, now);
        let endpoint = state.endpoints.current(std::time::Instant::now());
        SessionInfo {
            gateway: true,
            signed_in: true,
            user: Some(session.user.clone()),
            idle_timeout_secs: Some(state.sessions.idle_timeout().as_secs()),
            idle_remaining_secs: Some(whole_seconds(remaining.idle)),
            absolute_remaining_secs: Some(whole_seconds(remaining.absolute)),
            endpoint: Some(EndpointInfo {
                kind: endpoint.config.kind.id(),
                label: endpoint.label(),
            }),
            kiosk: None,
        }
    }
}

/// Rounded up: a session with 59.9 s left has "60 seconds" left, not 59.
fn whole_seconds(d: std::time::Duration) -> u64 {
    d.as_millis().div_ceil(1000) as u64
}

fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// GET /gateway/v1/session: whether this browser is signed in. Looking does not count as
/// activity, so an idle warning can ask without extending the session.
pub async fn session_status(
    State(state): State<GatewayState>,
    Extension(client): Extension<ClientInfo>,
    headers: HeaderMap,
) -> Response {
    let session = token_from(&headers, client.https).and_then(|t| state.sessions.get(&t, state.clock.now(), false));
    let mut info = match session {
        Some(s) => SessionInfo::of(&state, &s),
        None => SessionInfo::signed_out(),
    };
    info.kiosk = crate::kiosks::kiosk_of(&state, &headers, client.https).map(|k| k.reference());
    no_store(Json(info).into_response())
}

#[derive(Deserialize)]
pub struct SignIn {
    username: String,
    password: String,
}

pub async fn sign_in(
    State(state): State<GatewayState>,
    Extension(client): Extension<ClientInfo>,
    Json(form): Json<SignIn>,
) -> Result<Response, GatewayError> {
    let user = check_password(&state, &client, &form.username, form.password).await?;
    let (token, session) = state.sessions.create(&user, state.clock.now());
    state.log.line(format!("signed in: user {user:?} from {}", client.ip));
    let mut response = no_store(Json(SessionInfo::of(&state, &session)).into_response());
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&session_cookie(&token, client.https)).expect("a token is ASCII"),
    );
    Ok(response)
}

/// A staff member's password, checked as sign-in checks it (argon2, a few at a time, the
/// sign-in brake for the account and the address): the account's name if it is right. Also
/// what leaves kiosk mode on a tablet.
pub(crate) async fn check_password(
    state: &GatewayState,
    client: &ClientInfo,
    username: &str,
    password: String,
) -> Result<String, GatewayError> {
    let username = username.trim().to_owned();
    let subjects = [
        format!("user:{}", username.to_lowercase()),
        format!("addr:{}", client.ip),
    ];
    if let Some(wait) = state.brake.must_wait(&subjects, state.clock.now()) {
        state.log.line(format!(
            "sign-in refused for a while: user {username:?} from {}",
            client.ip
        ));
        return Err(GatewayError::TooManyAttempts {
            wait_secs: wait.as_secs_f64().ceil() as u64,
        });
    }
    // Each check takes argon2's memory and a core for a moment: a few at a time, so a flood of
    // sign-ins queues here instead of exhausting the server.
    let _slot = state
        .password_checks
        .acquire()
        .await
        .map_err(|_| GatewayError::Internal("The gateway is shutting down.".into()))?;
    let accounts = state.accounts.clone();
    let name = username.clone();
    let verified = tokio::task::spawn_blocking(move || accounts.verify(&name, &password))
        .await
        .map_err(|e| GatewayError::Internal(format!("The sign-in check failed: {e}")))?;
    let Some(user) = verified else {
        state.brake.failed(&subjects, state.clock.now());
        state
            .log
            .line(format!("failed sign-in: user {username:?} from {}", client.ip));
        return Err(GatewayError::WrongPassword);
    };
    state.brake.succeeded(&subjects);
    Ok(user)
}

pub async fn sign_out(
    State(state): State<GatewayState>,
    Extension(client): Extension<ClientInfo>,
    headers: HeaderMap,
) -> Response {
    if let Some(token) = token_from(&headers, client.https) {
        if let Some(s) = state.sessions.get(&token, state.clock.now(), false) {
            state.log.line(format!("signed out: user {:?}", s.user));
        }
        state.sessions.remove(&token);
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&clearing_cookie(client.https)).expect("ASCII"),
    );
    no_store(response)
}

/// Lets only live sessions through. `touch` decides whether the request counts as activity.
async fn guard(state: &GatewayState, mut req: Request, next: Next, touch: bool) -> Result<Response, GatewayError> {
    let https = req.extensions().get::<ClientInfo>().is_some_and(|c| c.https);
    let session = token_from(req.headers(), https).and_then(|t| state.sessions.get(&t, state.clock.now(), touch));
    let Some(session) = session else {
        // A kiosk holding only its own credential is told what it is, not asked to sign in.
        if crate::kiosks::kiosk_of(state, req.headers(), https).is_some() {
            return Err(GatewayError::Forbidden(crate::kiosks::KIOSK_ONLY.into()));
        }
        return Err(signed_out());
    };
    req.extensions_mut().insert(session);
    Ok(next.run(req).await)
}

pub(crate) fn signed_out() -> GatewayError {
    GatewayError::SignedOut(
        "You are signed out of Chairside (your session ended or you have not signed in). Sign in again to continue."
            .into(),
    )
}

/// For Open Dental requests and "stay signed in": these are activity.
pub async fn require_session(
    State(state): State<GatewayState>,
    req: Request,
    next: Next,
) -> Result<Response, GatewayError> {
    guard(&state, req, next, true).await
}

/// For looking at the queue: not activity.
pub async fn require_session_quietly(
    State(state): State<GatewayState>,
    req: Request,
    next: Next,
) -> Result<Response, GatewayError> {
    guard(&state, req, next, false).await
}

/// POST /gateway/v1/session/refresh ("Stay signed in"); the guard has already touched it.
pub async fn refresh(State(state): State<GatewayState>, Extension(session): Extension<Session>) -> Response {
    no_store(Json(SessionInfo::of(&state, &session)).into_response())
}

/// GET /gateway/v1/queue: how this session's requests stand in the throttle queue.
pub async fn queue(State(state): State<GatewayState>, Extension(session): Extension<Session>) -> Response {
    let position: QueuePosition = state.throttle.position(&state.keys.customer_id, &session.id);
    no_store(Json(position).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_http_only_strict_and_host_prefixed_under_https() {
        let plain = session_cookie("tok", false);
        assert_eq!(plain, "chairside-session=tok; Path=/; HttpOnly; SameSite=Strict");
        let secure = session_cookie("tok", true);
        assert_eq!(
            secure,
            "__Host-chairside-session=tok; Path=/; HttpOnly; SameSite=Strict; Secure"
        );
        assert!(clearing_cookie(true).contains("Max-Age=0"));

        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; chairside-session=tok; b=2"),
        );
        assert_eq!(token_from(&h, false).as_deref(), Some("tok"));
        assert_eq!(token_from(&h, true), None, "over HTTPS only the __Host- cookie counts");
    }
}

//! The plain parts of `gateway`: mode detection, signed-out answers, session timing, texts.

use super::*;

const SIGNED_IN: &str = r#"{"gateway":true,"signedIn":true,"user":"alice",
    "idleTimeoutSecs":900,"idleRemainingSecs":893,"absoluteRemainingSecs":43100,
    "endpoint":{"kind":"service","label":"API Service"}}"#;

#[test]
fn only_json_saying_gateway_true_means_gateway_mode() {
    assert_eq!(
        mode_from_response(200, r#"{"gateway":true,"signedIn":false}"#),
        Mode::Gateway(SessionBody {
            gateway: true,
            ..Default::default()
        })
    );
    let Mode::Gateway(s) = mode_from_response(200, SIGNED_IN) else {
        panic!("gateway")
    };
    assert!(s.signed_in);
    assert_eq!(s.user, "alice");
    assert_eq!(
        (s.idle_timeout_secs, s.idle_remaining_secs, s.absolute_remaining_secs),
        (900, 893, 43100)
    );
    assert_eq!(s.endpoint_label(), "API Service");
    assert_eq!(s.endpoint.unwrap().kind, "service");
    assert_eq!(s.kiosk, None, "a staff device");

    // A paired kiosk without a staff session: the kiosk, never the sign-in page.
    let Mode::Gateway(k) = mode_from_response(
        200,
        r#"{"gateway":true,"signedIn":false,"kiosk":{"id":3,"name":"Front desk tablet"}}"#,
    ) else {
        panic!("gateway")
    };
    assert!(!k.signed_in);
    assert_eq!(
        k.kiosk.map(|k| (k.id, k.name)),
        Some((3, "Front desk tablet".to_owned()))
    );

    // trunk serve and the sandbox answer with the app's index.html; elsewhere a 404.
    assert_eq!(mode_from_response(200, "<!doctype html><html></html>"), Mode::Direct);
    assert_eq!(mode_from_response(404, "Not found"), Mode::Direct);
    assert_eq!(mode_from_response(404, r#"{"gateway":true}"#), Mode::Direct);
    assert_eq!(mode_from_response(200, r#"{"gateway":false}"#), Mode::Direct);
    assert_eq!(mode_from_response(200, r#"{"gateway":"true"}"#), Mode::Direct);
    assert_eq!(mode_from_response(200, r#"[1,2]"#), Mode::Direct);
    assert_eq!(mode_from_response(200, ""), Mode::Direct);
    // Gateway with a surprising field: still gateway mode, signed out.
    assert_eq!(
        mode_from_response(200, r#"{"gateway":true,"signedIn":"yes"}"#),
        Mode::Gateway(SessionBody {
            gateway: true,
            ..Default::default()
        })
    );
}

#[test]
fn signed_out_needs_401_and_the_gateways_header() {
    assert!(is_signed_out(401, Some("true")));
    assert!(is_signed_out(401, Some(" True ")));
    assert!(
        !is_signed_out(401, None),
        "Open Dental's own 401: wrong keys on the gateway"
    );
    assert!(!is_signed_out(401, Some("false")));
    assert!(!is_signed_out(403, Some("true")));
    assert!(!is_signed_out(200, Some("true")));
}

fn clock() -> SessionClock {
    // 900 s idle timeout, 893 s left, 43100 s absolute, at t = 1000 ms.
    let Mode::Gateway(s) = mode_from_response(200, SIGNED_IN) else {
        panic!()
    };
    SessionClock::from_body(&s, 1_000.0)
}

#[test]
fn the_warning_comes_one_minute_before_idle_expiry_and_counts_down() {
    let c = clock();
    let idle_end = 1_000.0 + 893_000.0;
    assert_eq!(c.at(1_000.0), SessionTime::Active);
    assert_eq!(c.at(idle_end - 60_001.0), SessionTime::Active);
    assert_eq!(c.at(idle_end - 60_000.0), SessionTime::Warning { seconds_left: 60 });
    assert_eq!(c.at(idle_end - 59_000.0), SessionTime::Warning { seconds_left: 59 });
    assert_eq!(c.at(idle_end - 58_500.0), SessionTime::Warning { seconds_left: 59 });
    assert_eq!(c.at(idle_end - 1.0), SessionTime::Warning { seconds_left: 1 });
    assert_eq!(c.at(idle_end), SessionTime::Ended(Ended::Idle));
    assert_eq!(c.idle_timeout_secs(), 900);
}

#[test]
fn a_successful_request_restarts_idle_time_from_when_it_was_sent() {
    let c = clock();
    let idle_end = 1_000.0 + 893_000.0;
    let later = c.extended(500_000.0);
    assert_eq!(later.at(idle_end + 1.0), SessionTime::Active);
    assert_eq!(
        later.at(500_000.0 + 900_000.0 - 30_000.0),
        SessionTime::Warning { seconds_left: 30 }
    );
    assert_eq!(later.at(500_000.0 + 900_000.0), SessionTime::Ended(Ended::Idle));
    // An old answer arriving late never shortens what a newer one gave.
    assert_eq!(later.extended(2_000.0), later);
}

#[test]
fn the_absolute_end_needs_sign_in_and_no_warning_when_it_comes_first() {
    let body = SessionBody {
        gateway: true,
        signed_in: true,
        idle_timeout_secs: 900,
        idle_remaining_secs: 900,
        absolute_remaining_secs: 100,
        ..Default::default()
    };
    let c = SessionClock::from_body(&body, 0.0);
    assert_eq!(
        c.at(50_000.0),
        SessionTime::Active,
        "no idle warning: staying would not help"
    );
    assert_eq!(c.at(100_000.0), SessionTime::Ended(Ended::Absolute));
    assert_eq!(c.extended(99_000.0).at(100_000.0), SessionTime::Ended(Ended::Absolute));
}

#[test]
fn warnings_and_expiry_are_worded_for_people() {
    assert_eq!(
        warning_text(59),
        "You will be signed out in 59 seconds because of inactivity."
    );
    assert_eq!(
        warning_text(1),
        "You will be signed out in 1 second because of inactivity."
    );
    assert_eq!(
        expiry_text(Ended::Idle, 900),
        "You were signed out after 15 minutes without activity. Sign in again to continue where you were."
    );
    assert!(expiry_text(Ended::Idle, 60).contains("after 1 minute without"));
    assert!(expiry_text(Ended::Absolute, 900).contains("time limit"));
    assert!(expiry_text(Ended::Gateway, 900).starts_with("You were signed out of Chairside."));
}

#[test]
fn the_queue_indicator_says_how_many_are_ahead() {
    assert_eq!(QueueStatus { waiting: 0, ahead: 0 }.text(), None);
    assert_eq!(QueueStatus { waiting: 0, ahead: 4 }.text(), None);
    assert_eq!(
        QueueStatus { waiting: 1, ahead: 0 }.text().as_deref(),
        Some("Waiting for Open Dental: next")
    );
    assert_eq!(
        QueueStatus { waiting: 3, ahead: 2 }.text().as_deref(),
        Some("Waiting for Open Dental: 2 ahead")
    );
    let parsed: QueueStatus = serde_json::from_str(r#"{"waiting":2,"ahead":5}"#).unwrap();
    assert_eq!(parsed, QueueStatus { waiting: 2, ahead: 5 });
}

#[test]
fn sign_in_failures_show_the_gateways_text_verbatim() {
    assert_eq!(sign_in_outcome(200, SIGNED_IN, None).unwrap().user, "alice");
    assert_eq!(
        sign_in_outcome(401, "The username or password is not right.", None),
        Err("The username or password is not right.".into())
    );
    let limited = "Too many failed sign-ins for this account or address. Try again in 32 seconds.";
    assert_eq!(sign_in_outcome(429, limited, Some("32")), Err(limited.into()));
    // Without a text, a sentence of our own; never a bare status.
    assert_eq!(
        sign_in_outcome(429, "", Some("32")),
        Err("Too many failed sign-ins. Try again in 32 seconds.".into())
    );
    assert_eq!(
        sign_in_outcome(401, "", None),
        Err("The username or password is not right.".into())
    );
    assert!(sign_in_outcome(502, "<html>Bad gateway</html>", None)
        .unwrap_err()
        .contains("could not sign you in"));
    assert!(sign_in_outcome(200, r#"{"gateway":true,"signedIn":false}"#, None).is_err());
}

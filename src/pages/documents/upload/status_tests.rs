//! The status rules: what each outcome turns a file into, and which buttons (Retry above all)
//! each status offers.

use super::*;

fn failed(retry: Retry) -> Status {
    Status::Failed {
        message: "no".into(),
        retry,
    }
}

#[test]
fn sizes_are_shown_in_the_unit_that_fits() {
    assert_eq!(readable_size(92.0), "92 bytes");
    assert_eq!(readable_size(1.0), "1 byte");
    assert_eq!(readable_size(999.0), "999 bytes");
    assert_eq!(readable_size(4_321.0), "4.3 KB");
    assert_eq!(readable_size(999_949.0), "999.9 KB");
    assert_eq!(readable_size(999_999.0), "1.0 MB");
    assert_eq!(readable_size(13_000_000.0), "13.0 MB");
}

#[test]
fn only_dropped_connections_and_server_errors_are_checked_before_a_retry() {
    assert_eq!(
        Retry::after(&ApiError::Network { detail: String::new() }),
        Retry::CheckFirst
    );
    assert_eq!(Retry::after(&ApiError::from_response(504, "")), Retry::CheckFirst);
    assert_eq!(Retry::after(&ApiError::from_response(500, "")), Retry::CheckFirst);
    assert_eq!(Retry::after(&ApiError::from_response(400, "bad")), Retry::Send);
    assert_eq!(Retry::after(&ApiError::Cancelled), Retry::Send);
}

#[test]
fn a_new_file_is_ready_too_large_or_refused_for_want_of_an_extension() {
    assert_eq!(
        Status::for_new_file(1, ".jpg", 12.0 * 1024.0 * 1024.0, true),
        Status::Ready
    );
    let limit = upload_limit(1, ".jpg");
    assert!((12_500_000.0..12_700_000.0).contains(&limit), "{limit}");
    assert_eq!(Status::for_new_file(1, ".jpg", limit, true), Status::Ready);
    assert_eq!(
        Status::for_new_file(1, ".jpg", limit + 1.0, true),
        Status::TooLarge {
            limit,
            can_shrink: true
        }
    );
    let pdf = Status::for_new_file(1, ".pdf", 13_000_000.0, false);
    assert!(matches!(pdf, Status::TooLarge { can_shrink: false, .. }));
    assert!(!pdf.offers_shrink() && !pdf.offers_upload() && !pdf.offers_retry());
    let nameless = Status::for_new_file(1, "", 10.0, false);
    assert!(matches!(
        nameless,
        Status::Failed {
            retry: Retry::Never,
            ..
        }
    ));
    assert!(!nameless.offers_retry() && nameless.offers_remove() && !nameless.unclear());
}

#[test]
fn the_stated_limit_is_the_one_checked() {
    let status = Status::for_new_file(1, ".jpg", 13_000_000.0, true);
    let text = status.text(13_000_000.0);
    assert!(text.contains("13.0 MB") && text.contains("12.6 MB"), "{text}");
}

#[test]
fn retry_is_offered_after_every_failure_but_a_missing_extension_and_after_a_cancel() {
    assert!(failed(Retry::Send).offers_retry());
    assert!(failed(Retry::CheckFirst).offers_retry());
    assert!(!failed(Retry::Never).offers_retry());
    assert!(Status::Cancelled.offers_retry());
    assert!(Status::invalid("Choose a category.".into()).offers_retry());
    for status in [
        Status::Ready,
        Status::Shrinking,
        Status::Waiting,
        Status::Reading,
        Status::Sending { sent: 1.0, total: 2.0 },
        Status::Checking,
        Status::Done { note: None },
        Status::TooLarge {
            limit: 1.0,
            can_shrink: true,
        },
    ] {
        assert!(!status.offers_retry(), "{status:?}");
    }
}

#[test]
fn only_an_unclear_failure_freezes_the_fields_and_reuses_the_attempt() {
    assert!(failed(Retry::CheckFirst).unclear());
    assert!(!failed(Retry::Send).unclear());
    assert!(!failed(Retry::Never).unclear());
    assert!(!Status::Cancelled.unclear());
}

#[test]
fn a_failed_send_is_unclear_only_when_the_file_may_have_arrived() {
    let refused = Status::after_send::<()>(&Err(ApiError::from_response(400, "Bad category")), false);
    assert!(refused.offers_retry() && !refused.unclear());
    assert_eq!(
        refused.text(0.0),
        ApiError::from_response(400, "Bad category").message()
    );
    let server_error = Status::after_send::<()>(&Err(ApiError::from_response(500, "")), false);
    assert!(server_error.unclear());
    let dropped = Status::after_send::<()>(&Err(ApiError::Network { detail: "reset".into() }), true);
    assert!(dropped.unclear());
    assert_eq!(Status::after_send(&Ok(()), true), Status::Done { note: None });
}

#[test]
fn a_cancel_after_the_whole_file_went_out_is_unclear_before_that_it_is_cancelled() {
    assert_eq!(
        Status::after_send::<()>(&Err(ApiError::Cancelled), false),
        Status::Cancelled
    );
    assert!(Status::after_send::<()>(&Err(ApiError::Cancelled), true).unclear());
}

#[test]
fn a_cancel_while_waiting_to_retry_an_unclear_upload_keeps_it_unclear() {
    assert_eq!(Status::cancelled_before_sending(false), Status::Cancelled);
    let still = Status::cancelled_before_sending(true);
    assert!(still.unclear() && still.offers_retry());
}

#[test]
fn the_check_finds_the_earlier_upload_sends_again_or_stays_unclear() {
    let found = Status::after_check(Ok(Some(42))).unwrap();
    assert!(matches!(&found, Status::Done { note: Some(n) } if n.contains("#42") && n.contains("not sent again")));
    assert_eq!(Status::after_check(Ok(None)), None);
    let error = ApiError::Network {
        detail: "offline".into(),
    };
    let unknown = Status::after_check(Err(&error)).unwrap();
    assert!(unknown.unclear() && unknown.offers_retry());
}

#[test]
fn buttons_follow_the_status() {
    assert!(Status::Ready.offers_upload() && Status::Ready.offers_remove() && !Status::Ready.offers_cancel());
    for status in [
        Status::Waiting,
        Status::Reading,
        Status::Sending { sent: 0.0, total: 1.0 },
    ] {
        assert!(status.offers_cancel() && !status.offers_remove(), "{status:?}");
    }
    for status in [Status::Shrinking, Status::Checking] {
        assert!(!status.offers_cancel() && !status.offers_remove(), "{status:?}");
    }
    let done = Status::Done { note: None };
    assert!(done.offers_remove() && !done.offers_upload() && !done.shows_fields());
    assert!(failed(Retry::Send).shows_fields() && failed(Retry::Send).is_problem());
}

#[test]
fn progress_fills_while_sending_and_when_done() {
    assert_eq!(Status::Sending { sent: 5.0, total: 10.0 }.progress(), (5.0, 10.0));
    assert_eq!(Status::Sending { sent: 0.0, total: 0.0 }.progress(), (0.0, 1.0));
    assert_eq!(Status::Done { note: None }.progress(), (1.0, 1.0));
    assert_eq!(Status::Ready.progress(), (0.0, 1.0));
}

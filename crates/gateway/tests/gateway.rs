//! The gateway over real HTTP: sign-in, sessions, the proxy's promises (keys added and never
//! shown, no-store, body limit, cross-origin refusal), the cascade, the throttle, the audit.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chairside_gateway::audit::AuditFilter;
use chairside_gateway::config::EndpointKind;
use common::*;

#[tokio::test]
async fn keys_are_added_upstream_and_never_reach_a_response_header_or_log_line() {
    let (upstream, gw) = service_gateway().await;
    let mut texts = Vec::new();

    let wrong = sign_in(&gw, USER, "wrong password!").await;
    texts.push(format!("{:?} {}", wrong.headers().clone(), wrong.text().await.unwrap()));
    let staff = Staff::sign_in(&gw).await;
    for path in [
        "/api/v1/patients/48",
        "/api/v1/fail401",
        "/api/v1/documents?PatNum=48",
        "/gateway/v1/session",
    ] {
        let r = staff.get(path).await;
        texts.push(format!(
            "{} {:?} {}",
            r.status(),
            r.headers().clone(),
            r.text().await.unwrap()
        ));
    }
    let r = staff.post("/api/v1/fail401", "{}").await;
    texts.push(format!(
        "{} {:?} {}",
        r.status(),
        r.headers().clone(),
        r.text().await.unwrap()
    ));
    texts.extend(gw.state.log.lines());
    let audit = gw.state.audit.query(&AuditFilter::default()).unwrap();
    texts.push(format!("{audit:?}"));

    for text in &texts {
        assert!(
            !text.contains(DEV_KEY) && !text.contains(CUST_KEY),
            "a key leaked: {text}"
        );
    }
    // The careless upstream's 401 still explains itself, with the keys scrubbed out.
    assert!(texts
        .iter()
        .any(|t| t.starts_with("401") && t.contains("Invalid key in ODFHIR •••/•••")));
    // Upstream got the keys, and none of the browser's cookies.
    let seen = upstream.seen();
    assert!(!seen.is_empty());
    for s in &seen {
        assert_eq!(
            s.authorization.as_deref(),
            Some(format!("ODFHIR {DEV_KEY}/{CUST_KEY}").as_str())
        );
        assert_eq!(s.cookie, None);
    }
}

#[tokio::test]
async fn the_browsers_authorization_and_cookies_stay_behind_and_api_answers_are_not_cached() {
    let (upstream, gw) = service_gateway().await;
    let staff = Staff::sign_in(&gw).await;
    let r = http()
        .get(format!("{}/api/v1/patients/7", gw.url()))
        .header("cookie", format!("{}; other=1", staff.cookie))
        .header("authorization", "ODFHIR browser/keys")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(r.headers()["x-chairside-endpoint"], "API Service");
    assert!(
        r.headers().get("set-cookie").is_none(),
        "upstream cookies are not passed on"
    );
    let seen = upstream.seen();
    assert_eq!(
        seen[0].authorization.as_deref(),
        Some(format!("ODFHIR {DEV_KEY}/{CUST_KEY}").as_str())
    );
    assert_eq!(seen[0].cookie, None);
    assert_eq!(seen[0].path, "/api/v1/patients/7");
}

#[tokio::test]
async fn without_a_session_the_api_answers_401_signed_out_and_forwards_nothing() {
    let (upstream, gw) = service_gateway().await;
    for cookie in [None, Some("chairside-session=forged-token")] {
        let mut request = http().get(format!("{}/api/v1/patients/48", gw.url()));
        if let Some(c) = cookie {
            request = request.header("cookie", c);
        }
        let r = request.send().await.unwrap();
        assert_eq!(r.status(), 401);
        assert_eq!(r.headers()["x-chairside-signed-out"], "true");
        assert_eq!(r.headers()["cache-control"], "no-store");
        assert!(r.text().await.unwrap().contains("Sign in again"));
    }
    let status: serde_json::Value = http()
        .get(format!("{}/gateway/v1/session", gw.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status, serde_json::json!({ "gateway": true, "signedIn": false }));
    assert!(upstream.seen().is_empty());
}

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_cookie_and_sign_out_ends_the_session() {
    let (_upstream, gw) = service_gateway().await;
    let r = sign_in(&gw, "ALICE", PASSWORD).await;
    assert_eq!(r.status(), 200);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("chairside-session="), "{cookie}");
    assert!(cookie.contains("; HttpOnly") && cookie.contains("; SameSite=Strict") && cookie.contains("; Path=/"));
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP: the browser would drop a Secure cookie"
    );
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["user"], "alice");
    assert_eq!(body["idleTimeoutSecs"], 900);
    assert_eq!(body["endpoint"]["label"], "API Service");

    let staff = Staff::sign_in(&gw).await;
    assert_eq!(staff.get("/api/v1/patients/1").await.status(), 200);
    let out = staff.post("/gateway/v1/sign-out", "").await;
    assert_eq!(out.status(), 204);
    assert!(out.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(staff.get("/api/v1/patients/1").await.status(), 401);
}

#[tokio::test]
async fn five_failed_sign_ins_slow_the_account_down_even_for_the_right_password() {
    let (_upstream, gw) = service_gateway().await;
    for _ in 0..5 {
        let r = sign_in(&gw, USER, "not the password").await;
        assert_eq!(r.status(), 401);
        assert_eq!(r.text().await.unwrap(), "The username or password is not right.");
    }
    let r = sign_in(&gw, USER, PASSWORD).await;
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "5");
    assert!(r.text().await.unwrap().contains("Try again in 5 seconds"));
    // Another account from the same address is slowed too.
    gw.state.accounts.add("bob", "another long password").unwrap();
    assert_eq!(sign_in(&gw, "bob", "another long password").await.status(), 429);
    gw.state.clock.advance(Duration::from_secs(6));
    assert_eq!(sign_in(&gw, USER, PASSWORD).await.status(), 200);
    // A nonexistent user is told exactly what a wrong password is told.
    let r = sign_in(&gw, "mallory", "whatever password").await;
    assert_eq!(r.text().await.unwrap(), "The username or password is not right.");
}

#[tokio::test]
async fn sessions_end_after_15_idle_minutes_and_after_their_absolute_lifetime() {
    let (_upstream, gw) = service_gateway().await;
    let staff = Staff::sign_in(&gw).await;
    gw.state.clock.advance(Duration::from_secs(14 * 60));
    // Looking at the session does not count as activity...
    let info: serde_json::Value = staff.get("/gateway/v1/session").await.json().await.unwrap();
    assert_eq!(info["idleRemainingSecs"], 60);
    // ..."Stay signed in" does.
    assert_eq!(staff.post("/gateway/v1/session/refresh", "").await.status(), 200);
    gw.state.clock.advance(Duration::from_secs(14 * 60));
    assert_eq!(staff.get("/api/v1/patients/1").await.status(), 200);
    gw.state.clock.advance(Duration::from_secs(15 * 60 + 1));
    let r = staff.get("/api/v1/patients/1").await;
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["x-chairside-signed-out"], "true");

    // Busy all day: still signed out after 12 hours.
    let busy = Staff::sign_in(&gw).await;
    for _ in 0..(12 * 6 - 1) {
        gw.state.clock.advance(Duration::from_secs(10 * 60));
        assert_eq!(busy.get("/api/v1/patients/1").await.status(), 200);
    }
    gw.state.clock.advance(Duration::from_secs(10 * 60));
    assert_eq!(busy.get("/api/v1/patients/1").await.status(), 401);
}

#[tokio::test]
async fn a_state_changing_request_from_another_site_is_refused_before_anything_happens() {
    let (upstream, gw) = service_gateway().await;
    let staff = Staff::sign_in(&gw).await;
    for (site, origin) in [
        ("cross-site", "https://evil.example"),
        ("same-site", "http://evil.localhost"),
    ] {
        let r = http()
            .post(format!("{}/api/v1/documents/Upload", gw.url()))
            .header("cookie", &staff.cookie)
            .header("sec-fetch-site", site)
            .header("origin", origin)
            .body("{\"PatNum\":48}")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        assert!(r.text().await.unwrap().contains("came from another website"));
    }
    let r = http()
        .post(format!("{}/api/v1/treatplanattaches", gw.url()))
        .header("cookie", &staff.cookie)
        .header("origin", "https://evil.example")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "Origin alone (an older browser) is checked too");
    assert!(upstream.seen().is_empty());
    // The same request from the app's own page goes through.
    let same = http()
        .post(format!("{}/api/v1/treatplanattaches", gw.url()))
        .header("cookie", &staff.cookie)
        .header("sec-fetch-site", "same-origin")
        .header("origin", gw.url())
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), 201);
}

#[tokio::test]
async fn paths_that_climb_out_of_the_api_are_refused() {
    let (upstream, gw) = service_gateway().await;
    let staff = Staff::sign_in(&gw).await;
    // Sent as written: a raw request, since HTTP clients fold these themselves.
    for path in [
        "/api/v1/../../admin",
        "/api/v1/patients/%2e%2e/%2E%2E/secret",
        "/api/v1/patients/./1",
        "/api/v1/patients%2f..%2fx",
        "/api/v1/patients\\..\\x",
    ] {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut socket = tokio::net::TcpStream::connect(gw.addr).await.unwrap();
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: x\r\nCookie: {}\r\nConnection: close\r\n\r\n",
            staff.cookie
        );
        socket.write_all(request.as_bytes()).await.unwrap();
        let mut answer = String::new();
        socket.read_to_string(&mut answer).await.unwrap();
        assert!(
            answer.starts_with("HTTP/1.1 400") || answer.starts_with("HTTP/1.1 404"),
            "{path}: {answer}"
        );
    }
    assert!(upstream.seen().is_empty(), "{:?}", upstream.seen());
}

#[tokio::test]
async fn bodies_over_16_8_million_characters_are_refused_before_forwarding() {
    let (upstream, gw) = service_gateway().await;
    let staff = Staff::sign_in(&gw).await;
    let big = format!("{{\"PatNum\":1,\"rawBase64\":\"{}\"}}", "A".repeat(16_800_000));
    let r = staff.post("/api/v1/documents/Upload", big).await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("16.8M characters"));
    assert!(upstream.seen().is_empty());
    let fits = format!("{{\"PatNum\":1,\"rawBase64\":\"{}\"}}", "A".repeat(16_000_000));
    assert_eq!(staff.post("/api/v1/documents/Upload", fits).await.status(), 201);
    assert_eq!(upstream.seen()[0].body_len, 16_000_027);
}

#[tokio::test]
async fn a_get_falls_over_on_refusal_and_on_timeout_and_the_failed_endpoint_cools_down() {
    let slow = FakeUpstream::start(Duration::from_secs(3)).await;
    let remote = FakeUpstream::start(Duration::ZERO).await;
    let mut cfg = config(vec![
        endpoint(EndpointKind::Local, &refusing_url(), "Local API"),
        endpoint(EndpointKind::Service, &slow.url(), "API Service"),
        endpoint(EndpointKind::Service, &remote.url(), "Remote stand-in"),
    ]);
    cfg.cascade.read_timeout_ms = 400;
    let gw = gateway(cfg).await;
    let staff = Staff::sign_in(&gw).await;
    let r = staff.get("/api/v1/patients/48").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-chairside-endpoint"], "Remote stand-in");
    assert_eq!(slow.seen().len(), 1, "the slow endpoint got the GET and timed out");
    assert_eq!(remote.seen().len(), 1);
    // Both failed endpoints now cool down: the next GET goes straight to the third.
    let started = Instant::now();
    assert_eq!(staff.get("/api/v1/patients/49").await.status(), 200);
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(slow.seen().len(), 1);
    let info: serde_json::Value = staff.get("/gateway/v1/session").await.json().await.unwrap();
    assert_eq!(
        info["endpoint"]["label"], "Remote stand-in",
        "the chip names the endpoint in use"
    );
}

#[tokio::test]
async fn a_write_falls_over_only_when_it_never_left_and_is_never_sent_twice() {
    // An endpoint that accepts the connection, reads the start of the request, then hangs up.
    let breaking = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let breaking_addr = breaking.local_addr().unwrap();
    let received = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = received.clone();
    tokio::spawn(async move {
        use tokio::io::AsyncReadExt;
        while let Ok((mut socket, _)) = breaking.accept().await {
            let mut buf = vec![0u8; 4096];
            if let Ok(n) = socket.read(&mut buf).await {
                counter.fetch_add(n, std::sync::atomic::Ordering::SeqCst);
            }
            drop(socket);
        }
    });
    let next = FakeUpstream::start(Duration::ZERO).await;
    let gw = gateway(config(vec![
        endpoint(
            EndpointKind::Service,
            &format!("http://{breaking_addr}/api/v1"),
            "API Service",
        ),
        endpoint(EndpointKind::Remote, &next.url(), "Remote"),
    ]))
    .await;
    let staff = Staff::sign_in(&gw).await;
    let r = staff
        .post(
            "/api/v1/documents/Upload",
            format!("{{\"PatNum\":48,\"rawBase64\":\"{}\"}}", "A".repeat(100_000)),
        )
        .await;
    assert_eq!(r.status(), 502);
    assert!(r.text().await.unwrap().contains("may have been"));
    assert!(
        received.load(std::sync::atomic::Ordering::SeqCst) > 0,
        "the request had started"
    );
    assert!(
        next.seen().is_empty(),
        "a write that had started is never sent to the next endpoint"
    );

    // Refused outright (nothing left): the write goes to the next endpoint.
    let next = FakeUpstream::start(Duration::ZERO).await;
    let gw = gateway(config(vec![
        endpoint(EndpointKind::Service, &refusing_url(), "API Service"),
        endpoint(EndpointKind::Remote, &next.url(), "Remote"),
    ]))
    .await;
    let staff = Staff::sign_in(&gw).await;
    let r = staff.post("/api/v1/treatplanattaches", "{\"TreatPlanNum\":3}").await;
    assert_eq!(r.status(), 201);
    assert_eq!(r.headers()["x-chairside-endpoint"], "Remote");
    assert_eq!(next.seen().len(), 1);

    // Nowhere to go: 502, saying nothing was changed.
    let gw = gateway(config(vec![endpoint(
        EndpointKind::Service,
        &refusing_url(),
        "API Service",
    )]))
    .await;
    let staff = Staff::sign_in(&gw).await;
    let r = staff.get("/api/v1/patients/1").await;
    assert_eq!(r.status(), 502);
    let text = r.text().await.unwrap();
    assert!(
        text.contains("API Service (") && text.contains("Nothing was changed"),
        "{text}"
    );
}

#[tokio::test]
async fn a_streamed_upload_refused_by_the_first_endpoint_reaches_the_next_complete() {
    let next = FakeUpstream::start(Duration::ZERO).await;
    let gw = gateway(config(vec![
        endpoint(EndpointKind::Service, &refusing_url(), "API Service"),
        endpoint(EndpointKind::Remote, &next.url(), "Remote"),
    ]))
    .await;
    let staff = Staff::sign_in(&gw).await;
    // Megabytes with a Content-Length: forwarded as they arrive, so the second endpoint
    // must get them replayed from the first byte.
    let body = format!("{{\"PatNum\":48,\"rawBase64\":\"{}\"}}", "QUJD".repeat(1_000_000));
    let r = http()
        .post(format!("{}/api/v1/documents/Upload", staff.base))
        .header("cookie", &staff.cookie)
        .header("idempotency-key", "key-stream-0123456")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(r.headers()["x-chairside-endpoint"], "Remote");
    assert_eq!(next.seen().len(), 1);
    assert_eq!(next.seen()[0].body_len, body.len());
}

#[tokio::test]
async fn an_upload_that_breaks_off_is_never_completed_upstream() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // An upstream that records every byte it gets and never answers: only the gateway's
    // giving up on the request ends the connection.
    let upstream = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream_addr = upstream.local_addr().unwrap();
    let upstream_got = tokio::spawn(async move {
        let (mut socket, _) = upstream.accept().await.unwrap();
        let mut got = Vec::new();
        let _ = socket.read_to_end(&mut got).await;
        got
    });
    let gw = gateway(config(vec![endpoint(
        EndpointKind::Service,
        &format!("http://{upstream_addr}/api/v1"),
        "API Service",
    )]))
    .await;
    let staff = Staff::sign_in(&gw).await;
    let declared = 1_000_000;
    let mut client = tokio::net::TcpStream::connect(staff.base.trim_start_matches("http://"))
        .await
        .unwrap();
    let head = format!(
        "POST /api/v1/documents/Upload HTTP/1.1\r\nhost: gateway\r\ncookie: {}\r\n\
         content-type: application/json\r\nsec-fetch-site: same-origin\r\n\
         content-length: {declared}\r\n\r\n{{\"PatNum\":48,\"rawBase64\":\"",
        staff.cookie
    );
    client.write_all(head.as_bytes()).await.unwrap();
    client.write_all(&vec![b'A'; 100_000]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The client stops sending (its upload broke off) but still listens for an answer.
    client.shutdown().await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), client.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("could not be read"), "{answer}");

    let got = tokio::time::timeout(Duration::from_secs(5), upstream_got)
        .await
        .expect("the gateway gave up the upstream request")
        .unwrap();
    let body_at = got.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let body_len = got.len() - body_at;
    assert!(body_len > 0, "the body was forwarded as it arrived");
    assert!(
        body_len < declared,
        "only {body_len} of {declared} bytes can have gone upstream"
    );
}

#[tokio::test]
async fn five_users_share_the_remote_throttle_fairly_and_never_closer_than_the_interval() {
    let upstream = FakeUpstream::start(Duration::ZERO).await;
    let mut cfg = config(vec![endpoint(EndpointKind::Remote, &upstream.url(), "Remote")]);
    cfg.throttle.interval_ms = 100;
    cfg.throttle.margin_ms = 20;
    let gw = gateway(cfg).await;
    for name in ["bob", "carol", "dave", "erin"] {
        gw.state.accounts.add(name, PASSWORD).unwrap();
    }
    // Alice's screen asks for 15 pages at once; the four others click 3 times each, one
    // click after the other, all at the same moment.
    let mut users = Vec::new();
    for (name, requests, parallel) in [
        ("alice", 15, true),
        ("bob", 3, false),
        ("carol", 3, false),
        ("dave", 3, false),
        ("erin", 3, false),
    ] {
        let response = sign_in(&gw, name, PASSWORD).await;
        let cookie = cookie_of(&response);
        let base = gw.url();
        let one = move |i: usize| {
            let (base, cookie) = (base.clone(), cookie.clone());
            async move {
                let started = Instant::now();
                let r = http()
                    .get(format!("{base}/api/v1/documents?PatNum={i}&who={name}"))
                    .header("cookie", &cookie)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
                started.elapsed()
            }
        };
        users.push(tokio::spawn(async move {
            let waits = if parallel {
                futures_util::future::join_all((0..requests).map(one)).await
            } else {
                let mut waits = Vec::new();
                for i in 0..requests {
                    waits.push(one(i).await);
                }
                waits
            };
            (name, waits)
        }));
    }
    let mut results = Vec::new();
    for u in users {
        results.push(u.await.unwrap());
    }
    let seen = upstream.seen();
    assert_eq!(seen.len(), 27);
    for pair in seen.windows(2) {
        let gap = pair[1].at - pair[0].at;
        assert!(gap >= Duration::from_millis(100), "two requests {gap:?} apart");
    }
    // Round robin between sessions: a click waits at most one turn of each session (plus slack
    // for this machine), although alice had 15 requests queued before it.
    let fair = Duration::from_millis(120 * 5 + 150);
    for (name, waits) in results.iter().filter(|(name, _)| *name != "alice") {
        let worst = waits.iter().max().unwrap();
        assert!(*worst <= fair, "{name} waited {worst:?} (fair share {fair:?})");
    }
    // And alice is not starved either: her last page comes once everyone else is served.
    let alice_worst = results
        .iter()
        .find(|(n, _)| *n == "alice")
        .unwrap()
        .1
        .iter()
        .max()
        .copied()
        .unwrap();
    assert!(
        alice_worst <= Duration::from_millis(120 * 27 + 300),
        "alice waited {alice_worst:?}"
    );
}

#[tokio::test]
async fn the_queue_says_how_many_are_ahead_while_a_request_waits() {
    let upstream = FakeUpstream::start(Duration::ZERO).await;
    let mut cfg = config(vec![endpoint(EndpointKind::Remote, &upstream.url(), "Remote")]);
    cfg.throttle.interval_ms = 400;
    let gw = gateway(cfg).await;
    gw.state.accounts.add("bob", PASSWORD).unwrap();
    let alice = Arc::new(Staff::sign_in(&gw).await);
    let bob_cookie = {
        let r = sign_in(&gw, "bob", PASSWORD).await;
        cookie_of(&r)
    };
    let idle: serde_json::Value = alice.get("/gateway/v1/queue").await.json().await.unwrap();
    assert_eq!(idle, serde_json::json!({ "waiting": 0, "ahead": 0 }));
    // Alice takes the free turn and queues two more; bob queues one behind her first.
    let mut tasks = Vec::new();
    for i in 0..3 {
        let alice = alice.clone();
        tasks.push(tokio::spawn(async move {
            alice.get(&format!("/api/v1/documents?PatNum={i}")).await.status()
        }));
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    let base = gw.url();
    let bob = tokio::spawn(async move {
        http()
            .get(format!("{base}/api/v1/patients/5"))
            .header("cookie", bob_cookie)
            .send()
            .await
            .unwrap()
            .status()
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let waiting: serde_json::Value = alice.get("/gateway/v1/queue").await.json().await.unwrap();
    assert_eq!(waiting, serde_json::json!({ "waiting": 2, "ahead": 0 }));
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    assert_eq!(bob.await.unwrap(), 200);
    let order: Vec<String> = upstream.seen().iter().map(|s| s.path.clone()).collect();
    assert_eq!(
        order[2], "/api/v1/patients/5",
        "bob's one request goes between alice's: {order:?}"
    );
}

#[tokio::test]
async fn a_retried_upload_with_the_same_idempotency_key_is_sent_once() {
    let (upstream, gw) = service_gateway().await;
    let staff = Staff::sign_in(&gw).await;
    let body = "{\"PatNum\":48,\"rawBase64\":\"QUJD\",\"extension\":\".png\"}";
    let send = |key: &'static str, body: &'static str| {
        http()
            .post(format!("{}/api/v1/documents/Upload", staff.base))
            .header("cookie", &staff.cookie)
            .header("idempotency-key", key)
            .body(body)
            .send()
    };
    let first = send("key-0123456789", body).await.unwrap();
    assert_eq!(first.status(), 201);
    let first_body = first.text().await.unwrap();
    let again = send("key-0123456789", body).await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.text().await.unwrap(), first_body);
    assert_eq!(upstream.seen().len(), 1, "the file went to Open Dental once");
    let misuse = send("key-0123456789", "{\"PatNum\":49}").await.unwrap();
    assert_eq!(misuse.status(), 400);
    assert_eq!(send("key-other-9876543", body).await.unwrap().status(), 201);
    assert_eq!(upstream.seen().len(), 2);
}

#[tokio::test]
async fn every_proxied_request_is_audited_with_user_patient_status_and_endpoint() {
    let (_upstream, gw) = service_gateway().await;
    let staff = Staff::sign_in(&gw).await;
    staff.get("/api/v1/patients/48").await;
    staff.get("/api/v1/documents?PatNum=12").await;
    staff
        .post(
            "/api/v1/documents/Upload",
            "{\"PatNum\":77,\"rawBase64\":\"SECRETBODY\"}",
        )
        .await;
    staff.get("/api/v1/fail401").await;
    let rows = gw.state.audit.query(&AuditFilter::default()).unwrap();
    assert_eq!(rows.len(), 4);
    let summary: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.actor.as_str(),
                r.method.as_str(),
                r.path.as_str(),
                r.pat_num,
                r.status,
                r.endpoint.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("user:alice", "GET", "patients/48", Some(48), 200, "API Service"),
            ("user:alice", "GET", "documents?PatNum=12", Some(12), 200, "API Service"),
            ("user:alice", "POST", "documents/Upload", Some(77), 201, "API Service"),
            ("user:alice", "GET", "fail401", None, 401, "API Service"),
        ]
    );
    assert!(!format!("{rows:?}").contains("SECRETBODY"));
    let for_patient = gw
        .state
        .audit
        .query(&AuditFilter {
            pat_num: Some(77),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(for_patient.len(), 1);
}

#[tokio::test]
async fn sftp_methods_may_name_only_the_configured_hosts() {
    let upstream = FakeUpstream::start(Duration::ZERO).await;
    let mut cfg = config(vec![endpoint(EndpointKind::Service, &upstream.url(), "API Service")]);
    cfg.proxy.sftp_hosts = vec!["sftp.office.example".into()];
    let gw = gateway(cfg).await;
    let staff = Staff::sign_in(&gw).await;
    let body = |host: &str| {
        format!("{{\"PatNum\":1,\"SftpAddress\":\"{host}/thumbs/\",\"SftpUsername\":\"u\",\"SftpPassword\":\"p\"}}")
    };
    let r = staff.post("/api/v1/documents/Thumbnails", body("192.168.1.1:22")).await;
    assert_eq!(r.status(), 403);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("allows SFTP only to sftp.office.example"));
    assert!(upstream.seen().is_empty());
    assert_eq!(
        staff
            .post("/api/v1/documents/Thumbnails", body("SFTP.office.example"))
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn set_by_url_may_not_point_open_dental_into_the_office_network() {
    let (upstream, gw) = service_gateway().await;
    let staff = Staff::sign_in(&gw).await;
    for url in [
        "http://127.0.0.1:30222/api/v1/patients",
        "http://169.254.169.254/latest/meta-data/",
        "http://192.168.1.10/scan.pdf",
        "https://user:secret@example.org/scan.pdf",
        "http://2130706433/x.pdf",
    ] {
        let r = staff
            .post(
                "/api/v1/documents/SetByUrl",
                format!("{{\"PatNum\":1,\"url\":\"{url}\"}}"),
            )
            .await;
        assert_eq!(r.status(), 403, "{url}");
        assert!(r
            .text()
            .await
            .unwrap()
            .starts_with("Chairside did not pass this address to Open Dental: "));
    }
    assert!(upstream.seen().is_empty());
    let ok = staff
        .post(
            "/api/v1/documents/SetByUrl",
            "{\"PatNum\":1,\"url\":\"https://example.org/scan.pdf\"}",
        )
        .await;
    assert_eq!(ok.status(), 201);
}

#[tokio::test]
async fn through_the_gateway_the_sandbox_answers_as_open_dental() {
    let sandbox = chairside_sandbox::Sandbox::start(chairside_sandbox::Config {
        developer_key: DEV_KEY.into(),
        customer_key: CUST_KEY.into(),
        ..chairside_sandbox::Config::for_tests()
    })
    .await
    .unwrap();
    let gw = gateway(config(vec![endpoint(
        EndpointKind::Sandbox,
        &sandbox.api_url(),
        "Sandbox",
    )]))
    .await;
    let staff = Staff::sign_in(&gw).await;
    let r = staff.get("/api/v1/patients?LName=smi").await;
    assert_eq!(r.status(), 200);
    let patients: serde_json::Value = r.json().await.unwrap();
    assert!(patients.as_array().unwrap().iter().any(|p| p["FName"] == "Jane"));
    // Open Dental's own explanations pass through unchanged.
    let r = staff.get("/api/v1/patients/999999").await;
    assert_eq!(r.status(), 404);
    let sandbox_says = http()
        .get(format!("{}/patients/999999", sandbox.api_url()))
        .header("authorization", format!("ODFHIR {DEV_KEY}/{CUST_KEY}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(r.text().await.unwrap(), sandbox_says);
}

#[tokio::test]
async fn a_file_sent_as_it_is_goes_on_as_documents_upload_once_per_key() {
    let (upstream, gw) = service_gateway().await;
    let staff = Staff::sign_in(&gw).await;
    let meta = opendental::documents::Upload {
        pat_num: 48,
        raw_base64: String::new(),
        extension: ".png".into(),
        fields: opendental::documents::DocumentFields {
            description: Some("Café «scan»".into()),
            ..Default::default()
        },
    };
    let query = format!(
        "meta={}",
        serde_json::to_string(&meta)
            .unwrap()
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect::<String>()
    );
    let send = |key: &'static str, file: &'static [u8]| {
        http()
            .post(format!("{}/gateway/v1/documents/upload?{query}", staff.base))
            .header("cookie", &staff.cookie)
            .header("sec-fetch-site", "same-origin")
            .header("content-type", "application/octet-stream")
            .header("idempotency-key", key)
            .body(file)
            .send()
    };
    let first = send("key-raw-0123456789", b"ABCDEF").await.unwrap();
    assert_eq!(first.status(), 201);
    let first_body = first.text().await.unwrap();
    // Open Dental got the Upload JSON: the details as sent, the file's base64 ("QUJDREVG").
    let (prefix, suffix) = opendental::documents::upload_body_parts(&meta);
    let seen = upstream.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        (seen[0].method.as_str(), seen[0].path.as_str()),
        ("POST", "/api/v1/documents/Upload")
    );
    assert_eq!(seen[0].body_len, prefix.len() + "QUJDREVG".len() + suffix.len());
    // A retry with the same key is answered as the first was, and nothing more is sent.
    let again = send("key-raw-0123456789", b"ABCDEF").await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.text().await.unwrap(), first_body);
    assert_eq!(upstream.seen().len(), 1, "the file went to Open Dental once");
    // Audited as any upload, with its patient.
    let rows = gw.state.audit.query(&AuditFilter::default()).unwrap();
    let upload = rows.iter().find(|r| r.path == "documents/Upload").unwrap();
    assert_eq!(
        (upload.method.as_str(), upload.pat_num, upload.status),
        ("POST", Some(48), 201)
    );
    // No details, or an empty file: refused, nothing sent.
    let no_meta = http()
        .post(format!("{}/gateway/v1/documents/upload", staff.base))
        .header("cookie", &staff.cookie)
        .header("sec-fetch-site", "same-origin")
        .body(&b"ABC"[..])
        .send()
        .await
        .unwrap();
    assert_eq!(no_meta.status(), 400);
    assert_eq!(send("key-raw-empty-000", b"").await.unwrap().status(), 400);
    assert_eq!(upstream.seen().len(), 1);
    // Without a session: 401, nothing sent.
    let anonymous = http()
        .post(format!("{}/gateway/v1/documents/upload?{query}", staff.base))
        .header("sec-fetch-site", "same-origin")
        .body(&b"ABC"[..])
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert_eq!(upstream.seen().len(), 1);
}

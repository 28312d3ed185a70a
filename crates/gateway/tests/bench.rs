//! Gateway figures, printed not asserted (scripts/bench runs them with `--ignored`): what the
//! proxy adds to a request against the sandbox directly, a 12 MiB upload through it, and how
//! long five users wait for a shared Remote throttle.

mod common;

use std::time::{Duration, Instant};

use chairside_gateway::config::EndpointKind;
use chairside_gateway::Gateway;
use chairside_sandbox::Sandbox;
use common::*;

async fn sandbox() -> Sandbox {
    Sandbox::start(chairside_sandbox::Config {
        developer_key: DEV_KEY.into(),
        customer_key: CUST_KEY.into(),
        ..chairside_sandbox::Config::for_tests()
    })
    .await
    .unwrap()
}

/// Enough to keep keys of separate runs apart (the gateway is fresh each run anyway).
fn unique_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Times `n` GETs of `url`, one after another, after a warm-up.
async fn time_gets(client: &reqwest::Client, url: &str, header: (&str, &str), n: usize) -> Vec<Duration> {
    for _ in 0..20 {
        client
            .get(url)
            .header(header.0, header.1)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
    }
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        let r = client.get(url).header(header.0, header.1).send().await.unwrap();
        assert_eq!(r.status(), 200);
        r.bytes().await.unwrap();
        times.push(started.elapsed());
    }
    times.sort();
    times
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run by scripts/bench"]
async fn bench_gateway_proxy_overhead_and_upload() {
    let sandbox = sandbox().await;
    let gw = gateway(config(vec![endpoint(
        EndpointKind::Sandbox,
        &sandbox.api_url(),
        "Sandbox",
    )]))
    .await;
    let cookie = session_cookie(&gw).await;
    let client = http();
    let auth = format!("ODFHIR {DEV_KEY}/{CUST_KEY}");
    let direct = time_gets(
        &client,
        &format!("{}/providers", sandbox.api_url()),
        ("authorization", &auth),
        500,
    )
    .await;
    let through = time_gets(
        &client,
        &format!("{}/api/v1/providers", gw.url()),
        ("cookie", &cookie),
        500,
    )
    .await;
    println!(
        "gateway: GET /providers x500 (loopback): direct p50 {} p99 {}; through the gateway p50 {} p99 {}; added p50 {} p99 {}",
        ms(percentile(&direct, 0.5)),
        ms(percentile(&direct, 0.99)),
        ms(percentile(&through, 0.5)),
        ms(percentile(&through, 0.99)),
        ms(percentile(&through, 0.5).saturating_sub(percentile(&direct, 0.5))),
        ms(percentile(&through, 0.99).saturating_sub(percentile(&direct, 0.99))),
    );

    // A 12 MiB file as Documents POST Upload would carry it: 16.7M characters of base64.
    let raw_len: usize = 12 * 1024 * 1024;
    let base64_len = raw_len.div_ceil(3) * 4;
    let body = format!(
        "{{\"PatNum\":1,\"rawBase64\":\"{}\",\"extension\":\".jpg\",\"Description\":\"bench\"}}",
        "QUJD".repeat(base64_len / 4)
    );
    let mut times = [Vec::new(), Vec::new()];
    for round in 0..6 {
        for (i, through_gateway) in [false, true].into_iter().enumerate() {
            let request = if through_gateway {
                // As the app sends uploads: with a fresh Idempotency-Key each time.
                client
                    .post(format!("{}/api/v1/documents/Upload", gw.url()))
                    .header("cookie", &cookie)
                    .header("idempotency-key", format!("bench-upload-{round}-{:x}", unique_suffix()))
            } else {
                client
                    .post(format!("{}/documents/Upload", sandbox.api_url()))
                    .header("authorization", &auth)
            };
            let started = Instant::now();
            let r = request
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
            r.bytes().await.unwrap();
            if round > 0 {
                times[i].push(started.elapsed());
            }
        }
    }
    for t in &mut times {
        t.sort();
    }
    let (direct, through) = (percentile(&times[0], 0.5), percentile(&times[1], 0.5));
    println!(
        "gateway: 12 MiB upload (16.8M-char body) x5: direct median {} (min {}, max {}); through the gateway median {} \
         (min {}, max {}); {:+.1} %",
        ms(direct),
        ms(times[0][0]),
        ms(times[0][4]),
        ms(through),
        ms(times[1][0]),
        ms(times[1][4]),
        (through.as_secs_f64() / direct.as_secs_f64() - 1.0) * 100.0
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run by scripts/bench"]
async fn bench_gateway_throttle_fairness_five_users() {
    let sandbox = sandbox().await;
    let mut cfg = config(vec![endpoint(
        EndpointKind::Remote,
        &sandbox.api_url(),
        "Remote (sandbox)",
    )]);
    cfg.throttle.interval_ms = 250;
    cfg.throttle.margin_ms = 10;
    let gw: Gateway = gateway(cfg).await;
    let names = ["alice", "bob", "carol", "dave", "erin"];
    for name in &names[1..] {
        gw.state.accounts.add(name, PASSWORD).unwrap();
    }
    // Alice's screen asks for 12 pages at once; the others click 6 times, one after another.
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, name) in names.into_iter().enumerate() {
        let r = sign_in(&gw, name, PASSWORD).await;
        let cookie = cookie_of(&r);
        let base = gw.url();
        tasks.push(tokio::spawn(async move {
            let client = http();
            let one = |n: usize| {
                let (client, base, cookie) = (client.clone(), base.clone(), cookie.clone());
                async move {
                    let t = Instant::now();
                    let r = client
                        .get(format!("{base}/api/v1/patients/{}", n % 5 + 1))
                        .header("cookie", cookie)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(r.status(), 200);
                    t.elapsed()
                }
            };
            let waits = if i == 0 {
                futures_util::future::join_all((0..12).map(one)).await
            } else {
                let mut waits = Vec::new();
                for n in 0..6 {
                    waits.push(one(n).await);
                }
                waits
            };
            (name, waits)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        let (name, mut waits) = t.await.unwrap();
        waits.sort();
        println!(
            "gateway: throttle 250 ms, 5 users: {name:<5} {} requests, p50 wait {}, p95 {}",
            waits.len(),
            ms(percentile(&waits, 0.5)),
            ms(percentile(&waits, 0.95))
        );
        all.extend(waits);
    }
    all.sort();
    println!(
        "gateway: throttle 250 ms, 5 users: all {} requests in {}: p50 wait {}, p95 {} (one turn per session in a round: \
         at most 5 × 260 ms = 1300 ms for a click)",
        all.len(),
        ms(started.elapsed()),
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.95))
    );
}

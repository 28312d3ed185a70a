//! The sandbox over real TCP: start and stop, dropped connections, data that survives a
//! restart, and the binary's announcement line.

mod common;

use chairside_sandbox::seed::patients::{OBRIEN_SEAN, SMITH_JANE, SMITH_JOHN};
use chairside_sandbox::temp_dir::TempDir;
use chairside_sandbox::{Config, FailMode, Sandbox};
use common::*;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Sends one HTTP/1.1 request and reads until the server closes the connection.
async fn raw_get(addr: SocketAddr, path: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {AUTH}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut received = Vec::new();
    // A reset connection is one of the ways a drop can look; keep what arrived.
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut received))
        .await
        .expect("server hung");
    String::from_utf8_lossy(&received).into_owned()
}

/// The body of a complete `Connection: close` response with a Content-Length.
fn body_of(response: &str) -> &str {
    let (head, body) = response.split_once("\r\n\r\n").expect("a complete head");
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap())
        })
        .expect("content-length");
    assert_eq!(body.len(), length, "complete body");
    body
}

#[tokio::test]
async fn serves_the_api_over_tcp_and_stops() {
    let sandbox = Sandbox::start(Config::for_tests()).await.unwrap();
    let port = sandbox.addr.port();
    assert_ne!(port, 0);
    assert_eq!(sandbox.url(), format!("http://127.0.0.1:{port}"));
    assert_eq!(sandbox.api_url(), format!("http://127.0.0.1:{port}/api/v1"));

    let response = raw_get(sandbox.addr, &format!("/api/v1/patients/{SMITH_JANE}")).await;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let patient: serde_json::Value = serde_json::from_str(body_of(&response)).unwrap();
    assert_eq!(patient["LName"], "Smith");
    assert_eq!(sandbox.knobs.requests(), [format!("GET /patients/{SMITH_JANE}")]);

    let addr = sandbox.addr;
    sandbox.shutdown().await;
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "still listening after shutdown"
    );
}

#[tokio::test]
async fn a_dropped_connection_ends_without_a_complete_response_after_the_request_ran() {
    let sandbox = Sandbox::start(Config::for_tests()).await.unwrap();
    sandbox.knobs.fail_requests(2, FailMode::Drop, "GET /patients/");
    assert!(raw_get(sandbox.addr, &format!("/api/v1/patients/{SMITH_JANE}"))
        .await
        .starts_with("HTTP/1.1 200"));
    let dropped = raw_get(sandbox.addr, &format!("/api/v1/patients/{SMITH_JOHN}")).await;
    // The status line and headers go out, then the body is cut short: the answer never
    // arrives whole (no chunked-encoding terminator), and its data not at all.
    assert!(dropped.starts_with("HTTP/1.1 200"), "{dropped:?}");
    assert!(
        !dropped.contains("\"PatNum\"") && !dropped.ends_with("0\r\n\r\n"),
        "the answer must not arrive: {dropped:?}"
    );
    // The request reached the sandbox and ran.
    assert_eq!(
        sandbox.knobs.requests(),
        [
            format!("GET /patients/{SMITH_JANE}"),
            format!("GET /patients/{SMITH_JOHN}")
        ]
    );
    // The next one is fine again.
    assert!(raw_get(sandbox.addr, &format!("/api/v1/patients/{OBRIEN_SEAN}"))
        .await
        .starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn data_survives_a_restart_and_is_seeded_once() {
    let data = TempDir::new("data");
    let config = Config {
        memory: false,
        data_dir: data.path().join("nested"),
        ..Config::for_tests()
    };

    let first = Sandbox::start(config.clone()).await.unwrap();
    assert!(raw_get(first.addr, &format!("/api/v1/patients/{SMITH_JANE}"))
        .await
        .contains("\"Jane\""));
    first.shutdown().await;
    let db_file = config.data_dir.join("chairside.sqlite");
    assert!(db_file.is_file() && config.data_dir.join("AtoZ").is_dir());

    // Change the data behind the sandbox's back, as a later API write would.
    {
        let conn = rusqlite::Connection::open(&db_file).unwrap();
        conn.execute("UPDATE patient SET FName = 'Janet' WHERE PatNum = 1", [])
            .unwrap();
    }

    let second = Sandbox::start(config.clone()).await.unwrap();
    let jane = raw_get(second.addr, &format!("/api/v1/patients/{SMITH_JANE}")).await;
    assert!(jane.contains("\"Janet\""), "reseeded or lost: {jane}");
    let page = raw_get(second.addr, "/api/v1/patients?Offset=100").await;
    let rest: serde_json::Value = serde_json::from_str(body_of(&page)).unwrap();
    assert_eq!(rest.as_array().unwrap().len(), 50, "patients were seeded twice");
    second.shutdown().await;
}

/// The first line the binary prints, started with `args` and the key variables `env`.
fn announcement(args: &[&str], env: &[(&str, &str)]) -> String {
    // A data directory the test removes, since the child is killed without cleaning up.
    let data = TempDir::new("bin");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_chairside-sandbox"));
    command
        .args(["--port", "0", "--data-dir"])
        .arg(data.path())
        .args(args)
        .env_remove("CHAIRSIDE_DEVELOPER_KEY")
        .env_remove("CHAIRSIDE_CUSTOMER_KEY")
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped());
    let mut child = command.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    line
}

#[test]
fn the_binary_announces_its_address_and_keys() {
    let line = announcement(&[], &[]);
    let port = line
        .strip_prefix("Chairside sandbox: http://127.0.0.1:")
        .and_then(|rest| rest.split_once('/'))
        .map(|(port, _)| port.to_owned())
        .unwrap_or_else(|| panic!("unexpected line: {line}"));
    assert_eq!(
        line.trim_end(),
        format!(
            "Chairside sandbox: http://127.0.0.1:{port}/ (API at http://127.0.0.1:{port}/api/v1; developer key \
             chairside-demo-dev, customer key chairside-demo-cust)"
        )
    );
}

#[test]
fn keys_set_by_flag_or_environment_are_never_printed() {
    for (args, env) in [
        (&["--customer-key", "flag-cust-secret"][..], &[][..]),
        (&[][..], &[("CHAIRSIDE_DEVELOPER_KEY", "env-dev-secret")][..]),
    ] {
        let line = announcement(args, env);
        assert!(line.contains("keys as set by flag or environment, not shown"), "{line}");
        for secret in ["secret", "chairside-demo"] {
            assert!(!line.contains(secret), "{line}");
        }
    }
}

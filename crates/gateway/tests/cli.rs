//! The `chairside-gateway` binary as an administrator uses it: accounts, the audit log, and
//! starting (refused with a key file others can read; a first start says how to add a user).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use chairside_sandbox::temp_dir::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_chairside-gateway");

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("CHAIRSIDE_DEVELOPER_KEY")
        .env_remove("CHAIRSIDE_CUSTOMER_KEY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn accounts_are_added_listed_changed_and_removed() {
    let dir = TempDir::new("cli");
    let data = dir.path().to_str().unwrap();
    let added = run(
        &["--data-dir", data, "user", "add", "frontdesk", "--password-stdin"],
        "a long enough password\n",
    );
    assert!(added.status.success(), "{}", text(&added));
    let again = run(
        &["--data-dir", data, "user", "add", "frontdesk", "--password-stdin"],
        "a long enough password\n",
    );
    assert!(!again.status.success());
    assert!(text(&again).contains("already a user frontdesk"));
    let short = run(
        &["--data-dir", data, "user", "add", "bob", "--password-stdin"],
        "short\n",
    );
    assert!(text(&short).contains("at least 10 characters"));
    let list = run(&["--data-dir", data, "user", "list"], "");
    assert!(String::from_utf8_lossy(&list.stdout).starts_with("frontdesk\t(added "));
    assert!(run(
        &["--data-dir", data, "user", "passwd", "frontdesk", "--password-stdin"],
        "another long password\n"
    )
    .status
    .success());
    assert!(run(&["--data-dir", data, "user", "remove", "frontdesk"], "")
        .status
        .success());
    assert_eq!(
        String::from_utf8_lossy(&run(&["--data-dir", data, "user", "list"], "").stdout),
        ""
    );
    // The database holds a hash, never the password.
    let db = std::fs::read(dir.path().join("gateway.sqlite")).unwrap();
    assert!(!String::from_utf8_lossy(&db).contains("another long password"));
}

#[test]
fn the_audit_log_is_read_with_filters() {
    let dir = TempDir::new("cli");
    let db = chairside_gateway::db::Db::open(dir.path()).unwrap();
    let log = chairside_gateway::audit::AuditLog::start(db);
    for (actor, pat_num, time) in [
        ("user:alice", Some(48), "2026-11-20 09:00:00.000"),
        ("user:bob", Some(48), "2026-11-21 09:00:00.000"),
        ("user:alice", Some(7), "2026-11-22 09:00:00.000"),
    ] {
        log.record(chairside_gateway::audit::AuditRow {
            time: time.into(),
            actor: actor.into(),
            customer: "cust-00000000".into(),
            method: "GET".into(),
            path: format!("patients/{}", pat_num.unwrap()),
            pat_num,
            status: 200,
            endpoint: "API Service".into(),
            duration_ms: 12,
        });
    }
    log.flush();
    let data = dir.path().to_str().unwrap();
    let out = run(
        &["--data-dir", data, "audit", "--patient", "48", "--since", "2026-11-21"],
        "",
    );
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(shown.lines().count(), 1, "{shown}");
    assert!(shown.contains("user:bob") && shown.contains("patients/48") && shown.contains("API Service"));
    let out = run(&["--data-dir", data, "audit", "--user", "alice", "--json"], "");
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["pat_num"], 7);
    let bad = run(&["--data-dir", data, "audit", "--since", "yesterday"], "");
    assert!(!bad.status.success() && text(&bad).contains("yyyy-MM-dd"));
}

fn write_config(dir: &Path, key_file: &Path) -> PathBuf {
    let config = dir.join("gateway.toml");
    std::fs::write(
        &config,
        format!(
            "listen = \"127.0.0.1:0\"\ndata_dir = \"{}\"\napp_dir = \"{}\"\nkey_file = \"{}\"\n\
             [[endpoints]]\nkind = \"service\"\nurl = \"http://127.0.0.1:9/api/v1\"\n",
            dir.join("data").display(),
            dir.join("dist").display(),
            key_file.display()
        ),
    )
    .unwrap();
    config
}

#[test]
fn serve_refuses_a_readable_key_file_and_a_first_start_says_how_to_add_a_user() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("cli");
    let keys = dir.path().join("keys.toml");
    std::fs::write(
        &keys,
        "developer_key = \"dev-SECRET-1\"\ncustomer_key = \"cust-SECRET-2\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o644)).unwrap();
    let config = write_config(dir.path(), &keys);
    let refused = run(&["--config", config.to_str().unwrap(), "serve"], "");
    assert!(!refused.status.success());
    let said = text(&refused);
    assert!(
        said.contains("can be read by other users") && said.contains("chmod 600"),
        "{said}"
    );
    assert!(!said.contains("SECRET"));

    std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut child = Command::new(BIN)
        .args(["--config", config.to_str().unwrap(), "serve"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read what it says on start-up until the hint (or the end), then stop it.
    let stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        use std::io::BufRead;
        let mut said = Vec::new();
        for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            let hint = line.contains("there are no staff accounts yet");
            said.push(line);
            if hint {
                return (true, said);
            }
        }
        (false, said)
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    while !reader.is_finished() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    let (hinted, said) = reader.join().unwrap();
    let lines = said.join("\n");
    assert!(
        hinted && lines.contains("create one with `chairside-gateway user add"),
        "{lines}"
    );
    assert!(!lines.contains("SECRET"));
}

//! OpenSSH's own `sftp` client (Debian's openssh-client) against the server: a standard
//! client can log in with the password, make folders, upload, list and download, and a wrong
//! password is refused; an added account sees only its own folder, and a removed one is
//! refused.

use chairside_sftp_server::SftpServer;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("chairside-sftp-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `sftp` with `commands` on stdin; the password comes from an askpass script, since
/// OpenSSH reads passwords only from a terminal or SSH_ASKPASS.
async fn openssh_sftp(server: &SftpServer, password: &str, work: &Path, commands: &str) -> std::process::Output {
    openssh_sftp_as(server, server.username(), password, work, commands).await
}

async fn openssh_sftp_as(
    server: &SftpServer,
    user: &str,
    password: &str,
    work: &Path,
    commands: &str,
) -> std::process::Output {
    let askpass = work.join("askpass.sh");
    std::fs::write(&askpass, format!("#!/bin/sh\nprintf '%s\\n' '{password}'\n")).unwrap();
    std::fs::set_permissions(&askpass, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let mut child = Command::new("sftp")
        .current_dir(work)
        .env("SSH_ASKPASS", &askpass)
        .env("SSH_ASKPASS_REQUIRE", "force")
        .env("DISPLAY", ":0")
        .args(["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"])
        .args([
            "-o",
            "PreferredAuthentications=password",
            "-o",
            "NumberOfPasswordPrompts=1",
        ])
        .args(["-o", "LogLevel=ERROR", "-P", &server.addr().port().to_string()])
        .arg(format!("{user}@127.0.0.1"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("OpenSSH's sftp client (apt-get install openssh-client)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(commands.as_bytes())
        .await
        .unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(30), child.wait_with_output())
        .await
        .expect("sftp finished")
        .unwrap()
}

#[tokio::test]
async fn openssh_sftp_client_uploads_lists_and_downloads() {
    let root = TempDir::new("root");
    let work = TempDir::new("work");
    let server = SftpServer::start(&root.0, "practice", "s3cret pass").await.unwrap();
    let bytes: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(work.0.join("scan.bin"), &bytes).unwrap();

    let out = openssh_sftp(
        &server,
        "s3cret pass",
        &work.0,
        "mkdir /incoming\nput scan.bin /incoming/scan.bin\nls -1 /incoming\nget /incoming/scan.bin back.bin\nbye\n",
    )
    .await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("scan.bin"), "{stdout}");
    assert_eq!(std::fs::read(root.0.join("incoming/scan.bin")).unwrap(), bytes);
    assert_eq!(std::fs::read(work.0.join("back.bin")).unwrap(), bytes);
    assert_eq!(
        server.local_path("/incoming/scan.bin"),
        server.root().join("incoming/scan.bin")
    );
}

#[tokio::test]
async fn openssh_sftp_client_is_refused_with_a_wrong_password_and_cannot_leave_the_root() {
    let root = TempDir::new("root2");
    let work = TempDir::new("work2");
    let server = SftpServer::start(&root.0, "practice", "right").await.unwrap();
    let out = openssh_sftp(&server, "wrong", &work.0, "ls /\nbye\n").await;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Permission denied"));

    std::fs::write(work.0.join("x.txt"), b"x").unwrap();
    let out = openssh_sftp(&server, "right", &work.0, "put x.txt ../../escaped.txt\nbye\n").await;
    // Interactive sftp exits 0 after a failed command; its message says what happened.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("escaped.txt\": Permission denied"), "{stderr}");
    assert!(!root.0.parent().unwrap().parent().unwrap().join("escaped.txt").exists());
}

#[tokio::test]
async fn an_added_account_sees_only_its_own_folder_and_a_removed_one_is_refused() {
    let root = TempDir::new("accounts-root");
    let work = TempDir::new("accounts-work");
    let server = SftpServer::start(&root.0, "main", "main-password").await.unwrap();
    for name in ["one", "two"] {
        std::fs::create_dir_all(root.0.join(name)).unwrap();
        std::fs::write(root.0.join(name).join(format!("{name}.txt")), name).unwrap();
    }
    server
        .add_account("request-1", "first-secret", &root.0.join("one"))
        .unwrap();
    server
        .add_account("request-2", "second-secret", &root.0.join("two"))
        .unwrap();

    let listing = openssh_sftp_as(
        &server,
        "request-1",
        "first-secret",
        &work.0,
        "ls /\nls ../two\nget /../two/two.txt got.txt\n",
    )
    .await;
    let out = String::from_utf8_lossy(&listing.stdout).into_owned();
    assert!(out.contains("one.txt"), "{out}");
    let shown: Vec<&str> = out.lines().filter(|l| !l.starts_with("sftp>")).collect();
    assert!(
        !shown.iter().any(|l| l.contains("two.txt")),
        "request-1 sees only its folder: {out}"
    );
    assert!(
        !work.0.join("got.txt").exists(),
        "nothing of request-2's folder can be fetched"
    );

    let wrong = openssh_sftp_as(&server, "request-1", "second-secret", &work.0, "ls /\n").await;
    assert!(!wrong.status.success(), "another account's password does not open it");

    server.remove_account("request-2");
    let removed = openssh_sftp_as(&server, "request-2", "second-secret", &work.0, "ls /\n").await;
    assert!(!removed.status.success(), "a removed account is refused");
}

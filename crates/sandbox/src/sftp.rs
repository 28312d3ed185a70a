//! The SFTP client behind the SFTP document methods: one SSH connection per request, password
//! authentication, files read and written whole. Every failure becomes a 400 whose explanation
//! names the cause (host not found, connection refused, not an SSH server, login refused, no
//! such file, permission denied), as the reference pages promise "Sftp connection errors".
//!
//! The password is used for the login and dropped; it is never logged or put in a message.
//! Host keys are not checked: the sandbox has no known-hosts list, and the site is named by
//! the caller on each request (a real office would pin its SFTP site's key).

use crate::error::ApiError;
use opendental::sftp::SftpAddress;
use russh::client::{self, Handle};
use russh::keys::PublicKeyOrCertificate;
use russh_sftp::client::error::Error as SftpError;
use russh_sftp::client::SftpSession;
use russh_sftp::protocol::{OpenFlags, StatusCode};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// How long to wait for the server to accept the connection and to answer the handshake.
const CONNECT_TIME_LIMIT: Duration = Duration::from_secs(10);
/// How long one SFTP request may take.
const REQUEST_TIME_LIMIT_SECS: u64 = 30;

/// An open SFTP session on one site.
pub struct Sftp {
    session: SftpSession,
    ssh: Handle<AcceptAnyHostKey>,
    /// "host:port" for messages.
    server: String,
}

struct AcceptAnyHostKey;

impl client::Handler for AcceptAnyHostKey {
    type Error = russh::Error;

    async fn check_server_key(&mut self, _key: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

fn connection_error(explanation: String) -> ApiError {
    ApiError::bad_request(explanation)
}

impl Sftp {
    /// Connects, logs in and starts SFTP.
    pub async fn connect(address: &SftpAddress, username: &str, password: &str) -> Result<Sftp, ApiError> {
        let server = format!("{}:{}", address.host, address.port);
        let shown = address.server();
        let addrs: Vec<_> = tokio::net::lookup_host((address.host.as_str(), address.port))
            .await
            .map_err(|_| {
                connection_error(format!(
                    "Sftp connection error: the SFTP server \"{}\" could not be found (no such host name).",
                    address.host
                ))
            })?
            .collect();
        let stream = match tokio::time::timeout(CONNECT_TIME_LIMIT, tokio::net::TcpStream::connect(&addrs[..])).await {
            Err(_) => {
                return Err(connection_error(format!(
                    "Sftp connection error: the SFTP server {shown} did not answer within {} seconds.",
                    CONNECT_TIME_LIMIT.as_secs()
                )))
            }
            Ok(Err(e)) => {
                let why = match e.kind() {
                    std::io::ErrorKind::ConnectionRefused => "the connection was refused (is the port right?)".into(),
                    _ => e.to_string(),
                };
                return Err(connection_error(format!(
                    "Sftp connection error: could not connect to the SFTP server {shown}: {why}."
                )));
            }
            Ok(Ok(stream)) => stream,
        };
        let config = Arc::new(client::Config {
            inactivity_timeout: Some(Duration::from_secs(REQUEST_TIME_LIMIT_SECS)),
            ..Default::default()
        });
        let not_ssh = |e: russh::Error| {
            connection_error(format!(
                "Sftp connection error: {shown} did not answer as an SFTP (SSH) server: {e}."
            ))
        };
        let mut ssh = tokio::time::timeout(
            CONNECT_TIME_LIMIT,
            client::connect_stream(config, stream, AcceptAnyHostKey),
        )
        .await
        .map_err(|_| {
            connection_error(format!(
                "Sftp connection error: {shown} accepted the connection but did not start SSH within {} seconds.",
                CONNECT_TIME_LIMIT.as_secs()
            ))
        })?
        .map_err(not_ssh)?;
        let auth = ssh.authenticate_password(username, password).await.map_err(not_ssh)?;
        if !auth.success() {
            return Err(connection_error(format!(
                "Sftp authentication failed: the SFTP server {shown} refused the username \"{username}\" or its \
                 password."
            )));
        }
        let no_sftp = |e: String| {
            connection_error(format!(
                "Sftp connection error: {shown} logged in but did not start SFTP: {e}."
            ))
        };
        let channel = ssh.channel_open_session().await.map_err(|e| no_sftp(e.to_string()))?;
        channel
            .request_subsystem(true, "sftp")
            .await
            .map_err(|e| no_sftp(e.to_string()))?;
        let session = SftpSession::new(channel.into_stream())
            .await
            .map_err(|e| no_sftp(e.to_string()))?;
        session.set_timeout(REQUEST_TIME_LIMIT_SECS);
        Ok(Sftp { session, ssh, server })
    }

    /// The whole file at `path`.
    pub async fn read(&self, path: &str) -> Result<Vec<u8>, ApiError> {
        self.session
            .read(path)
            .await
            .map_err(|e| self.file_error("read", path, e))
    }

    /// Writes `bytes` to `path`, creating its folders and replacing a file already there.
    pub async fn write(&self, path: &str, bytes: &[u8]) -> Result<(), ApiError> {
        if let Some((folder, _)) = path.rsplit_once('/') {
            self.create_folders(folder).await?;
        }
        let mut file = self
            .session
            .open_with_flags(path, OpenFlags::CREATE | OpenFlags::TRUNCATE | OpenFlags::WRITE)
            .await
            .map_err(|e| self.file_error("write", path, e))?;
        let written = async {
            file.write_all(bytes).await?;
            file.shutdown().await
        }
        .await;
        written.map_err(|e| {
            ApiError::bad_request(format!(
                "Sftp error: writing {path} on {} failed part way: {e}.",
                self.server
            ))
        })
    }

    /// Creates `folder` and each missing parent ("/a/b" makes "/a", then "/a/b").
    pub async fn create_folders(&self, folder: &str) -> Result<(), ApiError> {
        let mut path = String::new();
        for part in folder.split('/').filter(|p| !p.is_empty()) {
            path.push('/');
            path.push_str(part);
            match self.session.metadata(path.as_str()).await {
                Ok(metadata) if metadata.is_dir() => continue,
                Ok(_) => {
                    return Err(ApiError::bad_request(format!(
                        "Sftp error: {path} on {} is a file, so no folder can be made there.",
                        self.server
                    )))
                }
                Err(_) => self
                    .session
                    .create_dir(path.as_str())
                    .await
                    .map_err(|e| self.file_error("create the folder", &path, e))?,
            }
        }
        Ok(())
    }

    /// Ends the session politely; a server that has gone already is no error.
    pub async fn close(self) {
        let _ = self.session.close().await;
        let _ = self.ssh.disconnect(russh::Disconnect::ByApplication, "", "en").await;
    }

    fn file_error(&self, action: &str, path: &str, e: SftpError) -> ApiError {
        let why = match &e {
            SftpError::Status(status) => match status.status_code {
                StatusCode::NoSuchFile => "no such file or folder".to_owned(),
                StatusCode::PermissionDenied => "permission denied".to_owned(),
                _ => status.error_message.clone(),
            },
            SftpError::Timeout => format!("no answer within {REQUEST_TIME_LIMIT_SECS} seconds"),
            other => other.to_string(),
        };
        ApiError::bad_request(format!(
            "Sftp error: could not {action} {path} on {}: {why}.",
            self.server
        ))
    }
}

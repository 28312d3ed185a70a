//! A small SFTP server for Chairside's tests, demo and gateway: real SSH (russh) with password
//! accounts, and the SFTP protocol (russh-sftp) over local folders, each account's folder the
//! whole of its "/", as on a chrooted SFTP site. Relative paths start at "/" too. The server
//! starts with one account over its root; `add_account` lets more in, each to its own folder
//! (the gateway gives every request a fresh account and folder).
//!
//! It binds to loopback, keeps everything in memory except the folder, and stops when the
//! `SftpServer` is dropped. Passwords are compared, never logged.

mod files;

use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::PrivateKey;
use russh::server::{Auth, ChannelOpenHandle, Msg, RunningServerHandle, Server as _, Session};
use russh::{Channel, ChannelId, MethodKind, MethodSet};
use std::collections::HashMap;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A running server. Dropping it stops it and closes its sessions.
pub struct SftpServer {
    addr: SocketAddr,
    root: PathBuf,
    username: String,
    password: String,
    accounts: Accounts,
    handle: RunningServerHandle,
    task: JoinHandle<io::Result<()>>,
}

impl SftpServer {
    /// Serves `root` on 127.0.0.1 at a free port, on the current tokio runtime.
    pub async fn start(root: impl Into<PathBuf>, username: &str, password: &str) -> io::Result<SftpServer> {
        Self::start_on((Ipv4Addr::LOCALHOST, 0).into(), root, username, password).await
    }

    pub async fn start_on(
        bind: SocketAddr,
        root: impl Into<PathBuf>,
        username: &str,
        password: &str,
    ) -> io::Result<SftpServer> {
        let root = std::fs::canonicalize(root.into())?;
        if !root.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                "the SFTP root must be a folder",
            ));
        }
        let listener = TcpListener::bind(bind).await?;
        let addr = listener.local_addr()?;
        let config = Arc::new(russh::server::Config {
            methods: MethodSet::from(&[MethodKind::Password][..]),
            // A wrong password is answered quickly: tests try one on purpose.
            auth_rejection_time: Duration::from_millis(100),
            auth_rejection_time_initial: Some(Duration::ZERO),
            inactivity_timeout: Some(Duration::from_secs(300)),
            keys: vec![host_key()?],
            ..Default::default()
        });
        let accounts = Accounts::default();
        accounts.0.lock().unwrap().insert(
            username.to_owned(),
            Account {
                password: password.to_owned(),
                root: root.clone(),
            },
        );
        let mut server = Server {
            accounts: accounts.clone(),
        };
        let (handle_tx, handle_rx) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(async move {
            let running = server.run_on_socket(config, &listener);
            let _ = handle_tx.send(running.handle());
            running.await
        });
        let handle = handle_rx
            .await
            .map_err(|_| io::Error::other("the SFTP server stopped while starting"))?;
        Ok(SftpServer {
            addr,
            root,
            username: username.to_owned(),
            password: password.to_owned(),
            accounts,
            handle,
            task,
        })
    }

    /// Lets `username` in with `password`, to `folder` only (its "/"); replaces an account of
    /// that name.
    pub fn add_account(&self, username: &str, password: &str, folder: &Path) -> io::Result<()> {
        let root = std::fs::canonicalize(folder)?;
        if !root.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                "an account's folder must be a folder",
            ));
        }
        let account = Account {
            password: password.to_owned(),
            root,
        };
        self.accounts.0.lock().unwrap().insert(username.to_owned(), account);
        Ok(())
    }

    /// Lets `username` in no more (its open sessions end with their connection).
    pub fn remove_account(&self, username: &str) {
        self.accounts.0.lock().unwrap().remove(username);
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// "127.0.0.1:PORT": the first segment of an SftpAddress that names this server.
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    /// The local folder that is the server's "/".
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where a server path ("/exports/a.png" or "exports/a.png") is on this machine.
    pub fn local_path(&self, path: &str) -> PathBuf {
        files::Jail::new(self.root.clone())
            .local(path)
            .expect("a path inside the SFTP root")
    }

    pub fn username(&self) -> &str {
        &self.username
    }

    pub fn password(&self) -> &str {
        &self.password
    }
}

impl Drop for SftpServer {
    fn drop(&mut self) {
        self.handle.shutdown("the server is stopping".into());
        self.task.abort();
    }
}

/// A server over a fresh temporary folder, removed when dropped: what tests and screenshots
/// need. It derefs to the `SftpServer`; its helpers panic, as test helpers do.
pub struct TempSite {
    server: SftpServer,
}

impl TempSite {
    pub async fn start(username: &str, password: &str) -> io::Result<TempSite> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let root = std::env::temp_dir().join(format!(
            "chairside-sftp-site-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root)?;
        let server = SftpServer::start(&root, username, password).await?;
        Ok(TempSite { server })
    }

    /// An SftpAddress on this server: "127.0.0.1:PORT" + `path`.
    pub fn address(&self, path: &str) -> String {
        format!("{}{path}", self.server.host())
    }

    /// The file at `path` on the site.
    pub fn read(&self, path: &str) -> Vec<u8> {
        std::fs::read(self.local_path(path)).unwrap_or_else(|e| panic!("{path} on the SFTP site: {e}"))
    }

    /// Puts a file on the site, as someone uploading to it would.
    pub fn put(&self, path: &str, bytes: &[u8]) {
        let file = self.local_path(path);
        std::fs::create_dir_all(file.parent().expect("a file path")).unwrap();
        std::fs::write(file, bytes).unwrap();
    }
}

impl std::ops::Deref for TempSite {
    type Target = SftpServer;

    fn deref(&self) -> &SftpServer {
        &self.server
    }
}

impl Drop for TempSite {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(self.server.root());
    }
}

/// A fresh Ed25519 host key per server: clients of a throwaway server cannot pin it anyway.
fn host_key() -> io::Result<PrivateKey> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| io::Error::other(format!("no randomness for a host key: {e}")))?;
    Ok(PrivateKey::from(Ed25519Keypair::from_seed(&seed)))
}

struct Account {
    password: String,
    /// The account's "/".
    root: PathBuf,
}

#[derive(Clone, Default)]
struct Accounts(Arc<std::sync::Mutex<HashMap<String, Account>>>);

impl Accounts {
    /// The folder of the account, if the password is its own.
    fn open(&self, username: &str, password: &str) -> Option<PathBuf> {
        let accounts = self.0.lock().unwrap();
        let account = accounts.get(username)?;
        (account.password == password).then(|| account.root.clone())
    }
}

#[derive(Clone)]
struct Server {
    accounts: Accounts,
}

impl russh::server::Server for Server {
    type Handler = Connection;

    fn new_client(&mut self, _peer: Option<SocketAddr>) -> Connection {
        Connection {
            server: self.clone(),
            root: None,
            channels: HashMap::new(),
        }
    }
}

/// One SSH connection: password authentication, then session channels that may start SFTP.
struct Connection {
    server: Server,
    /// The signed-in account's folder; `None` until a password was accepted.
    root: Option<PathBuf>,
    channels: HashMap<ChannelId, Channel<Msg>>,
}

impl russh::server::Handler for Connection {
    type Error = russh::Error;

    async fn auth_password(&mut self, user: &str, password: &str) -> Result<Auth, Self::Error> {
        if let Some(root) = self.server.accounts.open(user, password) {
            self.root = Some(root);
            Ok(Auth::Accept)
        } else {
            Ok(Auth::Reject {
                proceed_with_methods: None,
                partial_success: false,
            })
        }
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.root.is_some() {
            self.channels.insert(channel.id(), channel);
            reply.accept().await;
        }
        Ok(())
    }

    async fn channel_eof(&mut self, channel: ChannelId, session: &mut Session) -> Result<(), Self::Error> {
        session.close(channel)?;
        Ok(())
    }

    async fn subsystem_request(
        &mut self,
        channel_id: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        match (self.channels.remove(&channel_id), &self.root) {
            (Some(channel), Some(root)) if name == "sftp" => {
                session.channel_success(channel_id)?;
                let files = files::Files::new(files::Jail::new(root.clone()));
                russh_sftp::server::run(channel.into_stream(), files).await;
            }
            _ => session.channel_failure(channel_id)?,
        }
        Ok(())
    }
}

/// A throwaway password for a demo server: 16 random letters and digits.
pub fn random_password() -> io::Result<String> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| io::Error::other(format!("no randomness for a password: {e}")))?;
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect())
}

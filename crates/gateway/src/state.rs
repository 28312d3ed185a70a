//! Everything the handlers share.

use std::ops::Deref;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::accounts::{Accounts, SignInBrake};
use crate::audit::AuditLog;
use crate::cascade::Endpoints;
use crate::config::Config;
use crate::db::Db;
use crate::files_site::FilesSite;
use crate::idempotency::Idempotency;
use crate::keys::Keys;
use crate::sessions::{Clock, Sessions};
use crate::throttle::Throttle;
use crate::web_app::AppFiles;

/// Where log lines go: standard error, and a copy for tests. Every line is scrubbed of the
/// keys before it goes anywhere, whatever a caller put in it.
pub struct Log {
    secrets: Vec<String>,
    captured: Option<Mutex<Vec<String>>>,
}

impl Log {
    pub fn new(keys: &Keys, capture: bool) -> Log {
        Log {
            secrets: keys.secrets().iter().map(|s| s.to_string()).collect(),
            captured: capture.then(|| Mutex::new(Vec::new())),
        }
    }

    pub fn line(&self, text: impl AsRef<str>) {
        let line = self.scrub(text.as_ref());
        match &self.captured {
            Some(lines) => lines.lock().unwrap().push(line),
            None => eprintln!("chairside-gateway: {line}"),
        }
    }

    pub fn scrub(&self, text: &str) -> String {
        self.secrets
            .iter()
            .filter(|s| s.len() >= 4)
            .fold(text.to_owned(), |t, s| t.replace(s.as_str(), "•••"))
    }

    /// What was logged (tests start the gateway with capture on).
    pub fn lines(&self) -> Vec<String> {
        self.captured
            .as_ref()
            .map(|l| l.lock().unwrap().clone())
            .unwrap_or_default()
    }
}

pub struct Inner {
    pub config: Config,
    pub keys: Keys,
    pub endpoints: Endpoints,
    pub throttle: Throttle,
    /// Bounds requests in flight to unthrottled (Local, Service) endpoints.
    pub local_slots: Arc<Semaphore>,
    pub idempotency: Idempotency,
    /// Upload keys whose last attempt may or may not have been saved.
    pub unsure: crate::arrival::Unsure,
    /// Password checks (argon2) running at once.
    pub password_checks: Semaphore,
    pub sessions: Sessions,
    /// Paired kiosks (in the database) and their intakes (in memory).
    pub kiosks: crate::kiosks::Kiosks,
    pub intakes: crate::intake::Intakes,
    pub clock: Clock,
    pub accounts: Accounts,
    pub brake: SignInBrake,
    pub audit: AuditLog,
    pub http: reqwest::Client,
    pub app: AppFiles,
    pub log: Log,
    /// Where Open Dental writes files for staff to see; `None` without [sftp].
    pub files_site: Option<FilesSite>,
    /// Patients' thumbnails, kept until a change through the gateway or a short expiry.
    pub thumbnails: crate::thumbnails::ThumbnailCache,
}

#[derive(Clone)]
pub struct GatewayState(Arc<Inner>);

impl GatewayState {
    /// A handle for background work that must not keep the gateway alive (the kiosk sweep).
    pub fn downgrade(&self) -> std::sync::Weak<Inner> {
        Arc::downgrade(&self.0)
    }

    pub fn upgrade(weak: &std::sync::Weak<Inner>) -> Option<GatewayState> {
        weak.upgrade().map(GatewayState)
    }
}

impl Deref for GatewayState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// How a gateway is put together; tests use an in-memory database and capture the log.
pub struct Options {
    pub in_memory: bool,
    pub capture_log: bool,
}

impl GatewayState {
    pub fn new(
        config: Config,
        keys: Keys,
        options: Options,
        files_site: Option<FilesSite>,
    ) -> Result<GatewayState, String> {
        let db = if options.in_memory {
            Db::in_memory()
        } else {
            Db::open(&config.data_dir)?
        };
        let app = AppFiles::load(&config.app_dir)?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_millis(config.cascade.connect_timeout_ms))
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {e}"))?;
        let interval = Duration::from_millis(config.throttle.interval_ms + config.throttle.margin_ms);
        Ok(GatewayState(Arc::new(Inner {
            endpoints: Endpoints::new(&config.endpoints, Duration::from_secs(config.cascade.cooldown_secs)),
            throttle: Throttle::new(interval),
            local_slots: Arc::new(Semaphore::new(config.throttle.local_concurrency.max(1))),
            // Long enough for any retry a person makes; the answers are small.
            idempotency: Idempotency::new(Duration::from_secs(24 * 3600)),
            password_checks: Semaphore::new(2),
            unsure: Default::default(),
            sessions: Sessions::new(config.idle_timeout(), config.absolute_lifetime()),
            clock: Clock::default(),
            kiosks: crate::kiosks::Kiosks::new(db.clone()),
            intakes: Default::default(),
            accounts: Accounts::new(db.clone()),
            brake: SignInBrake::default(),
            audit: AuditLog::start(db),
            log: Log::new(&keys, options.capture_log),
            http,
            app,
            files_site,
            thumbnails: Default::default(),
            keys,
            config,
        })))
    }
}

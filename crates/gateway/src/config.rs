//! The gateway's settings: a TOML file (see `gateway.example.toml`) plus a few environment
//! overrides. Keys are not settings: they come from the environment or a key file (`keys.rs`).

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// The ways to reach Open Dental (apilocal.md), plus Chairside's own sandbox for demos.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EndpointKind {
    Local,
    Service,
    Remote,
    Sandbox,
}

impl EndpointKind {
    pub fn id(self) -> &'static str {
        match self {
            EndpointKind::Local => "local",
            EndpointKind::Service => "service",
            EndpointKind::Remote => "remote",
            EndpointKind::Sandbox => "sandbox",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EndpointKind::Local => "Local API",
            EndpointKind::Service => "API Service",
            EndpointKind::Remote => "Remote",
            EndpointKind::Sandbox => "Sandbox",
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointConfig {
    pub kind: EndpointKind,
    /// The API base, e.g. `http://192.168.1.10:30223/api/v1`.
    pub url: String,
    /// Shown to staff in the connection chip; the kind's name by default.
    #[serde(default)]
    pub label: Option<String>,
    /// Whether requests to it share the per-customer-key throttle; only Remote by default.
    #[serde(default)]
    pub throttled: Option<bool>,
}

impl EndpointConfig {
    pub fn label(&self) -> String {
        self.label.clone().unwrap_or_else(|| self.kind.label().to_owned())
    }

    pub fn is_throttled(&self) -> bool {
        self.throttled.unwrap_or(self.kind == EndpointKind::Remote)
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ThrottleConfig {
    /// Time between two requests for one customer key to a throttled endpoint: 1000 ms by
    /// default, 5000 for read-only developers, 500 for Enterprise (apipermissions.md).
    pub interval_ms: u64,
    /// Added to each interval so network jitter never brings two requests closer than Open
    /// Dental allows.
    pub margin_ms: u64,
    /// Requests in flight at once to an unthrottled (Local, Service) endpoint.
    pub local_concurrency: usize,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        ThrottleConfig {
            interval_ms: 1000,
            margin_ms: 50,
            local_concurrency: 8,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CascadeConfig {
    /// Connecting to an endpoint longer than this counts as a failure.
    pub connect_timeout_ms: u64,
    /// A GET with no answer after this long is tried on the next endpoint. Open Dental itself
    /// answers 504 after 60 s, so the default waits a little longer than that.
    pub read_timeout_ms: u64,
    /// A failed endpoint is skipped this long, then tried again.
    pub cooldown_secs: u64,
}

impl Default for CascadeConfig {
    fn default() -> Self {
        CascadeConfig {
            connect_timeout_ms: 3000,
            read_timeout_ms: 65_000,
            cooldown_secs: 30,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SessionConfig {
    /// Signed out after this long without a request.
    pub idle_minutes: u64,
    /// Signed out this long after signing in, active or not.
    pub absolute_hours: u64,
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            idle_minutes: 15,
            absolute_hours: 12,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// PEM certificate chain.
    pub cert: PathBuf,
    /// PEM private key.
    pub key: PathBuf,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProxyConfig {
    /// Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed. Empty: none.
    pub trusted_proxies: Vec<IpAddr>,
    /// If not empty, the SFTP document methods may name only these hosts, so they cannot be
    /// used to probe the office network.
    pub sftp_hosts: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
    /// Holds gateway.sqlite (staff accounts, audit log).
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// The built app (Trunk's dist).
    #[serde(default = "default_app_dir")]
    pub app_dir: PathBuf,
    /// A TOML file with developer_key and customer_key, readable only by the gateway's user.
    /// Without it the keys come from CHAIRSIDE_DEVELOPER_KEY and CHAIRSIDE_CUSTOMER_KEY.
    #[serde(default)]
    pub key_file: Option<PathBuf>,
    /// Open Dental endpoints in cascade order.
    pub endpoints: Vec<EndpointConfig>,
    #[serde(default)]
    pub throttle: ThrottleConfig,
    #[serde(default)]
    pub cascade: CascadeConfig,
    #[serde(default)]
    pub sessions: SessionConfig,
    #[serde(default)]
    pub tls: Option<TlsConfig>,
    #[serde(default)]
    pub proxy: ProxyConfig,
    /// The gateway's own SFTP site, where Open Dental writes document files for staff to see.
    #[serde(default)]
    pub sftp: Option<crate::files_site::SftpSiteConfig>,
}

fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8443))
}
fn default_data_dir() -> PathBuf {
    PathBuf::from("data/gateway")
}
fn default_app_dir() -> PathBuf {
    PathBuf::from("dist")
}

impl Config {
    pub fn from_toml(text: &str) -> Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|e| e.to_string())?;
        config.check()?;
        Ok(config)
    }

    /// Reads the file, then applies CHAIRSIDE_GATEWAY_LISTEN / _DATA_DIR / _APP_DIR /
    /// _KEY_FILE if set.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut config = Config::from_toml(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        config.apply_env(|name| std::env::var(name).ok())?;
        Ok(config)
    }

    pub fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> Result<(), String> {
        if let Some(listen) = var("CHAIRSIDE_GATEWAY_LISTEN") {
            self.listen = listen
                .parse()
                .map_err(|_| format!("CHAIRSIDE_GATEWAY_LISTEN={listen} is not an address like 0.0.0.0:8443"))?;
        }
        if let Some(dir) = var("CHAIRSIDE_GATEWAY_DATA_DIR") {
            self.data_dir = dir.into();
        }
        if let Some(dir) = var("CHAIRSIDE_GATEWAY_APP_DIR") {
            self.app_dir = dir.into();
        }
        if let Some(file) = var("CHAIRSIDE_GATEWAY_KEY_FILE") {
            self.key_file = Some(file.into());
        }
        Ok(())
    }

    fn check(&self) -> Result<(), String> {
        if self.endpoints.is_empty() {
            return Err("no Open Dental endpoint: add at least one [[endpoints]] with kind and url".into());
        }
        for e in &self.endpoints {
            opendental::connection::normalize_base_url(&e.url).map_err(|why| format!("endpoint {}: {why}", e.url))?;
        }
        if self.throttle.interval_ms == 0 {
            return Err("throttle.interval_ms must be more than 0".into());
        }
        if self.sessions.idle_minutes == 0 || self.sessions.absolute_hours == 0 {
            return Err("sessions.idle_minutes and sessions.absolute_hours must be more than 0".into());
        }
        Ok(())
    }

    pub fn idle_timeout(&self) -> Duration {
        Duration::from_secs(self.sessions.idle_minutes * 60)
    }

    pub fn absolute_lifetime(&self) -> Duration {
        Duration::from_secs(self.sessions.absolute_hours * 3600)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_config_parses_with_its_documented_values() {
        let text = include_str!("../gateway.example.toml");
        let c = Config::from_toml(text).unwrap();
        assert_eq!(c.endpoints.len(), 2);
        assert_eq!(c.endpoints[0].kind, EndpointKind::Service);
        assert!(!c.endpoints[0].is_throttled() && c.endpoints[1].is_throttled());
        assert_eq!(c.endpoints[1].label(), "Remote");
        assert_eq!(c.throttle.interval_ms, 1000);
        assert_eq!(c.idle_timeout(), Duration::from_secs(15 * 60));
        assert!(c.tls.is_some());
    }

    #[test]
    fn defaults_env_overrides_and_mistakes() {
        let mut c =
            Config::from_toml("[[endpoints]]\nkind = \"local\"\nurl = \"http://localhost:30222/api/v1\"\n").unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8443");
        assert_eq!((c.throttle.interval_ms, c.sessions.idle_minutes), (1000, 15));
        c.apply_env(|name| (name == "CHAIRSIDE_GATEWAY_LISTEN").then(|| "0.0.0.0:9000".to_owned()))
            .unwrap();
        assert_eq!(c.listen.to_string(), "0.0.0.0:9000");
        assert!(c.apply_env(|_| Some("nonsense".into())).is_err());

        assert!(Config::from_toml("endpoints = []")
            .unwrap_err()
            .contains("no Open Dental endpoint"));
        assert!(Config::from_toml("[[endpoints]]\nkind = \"local\"\nurl = \"ftp://x\"\n").is_err());
        assert!(Config::from_toml("[[endpoints]]\nkind = \"moon\"\nurl = \"http://x\"\n").is_err());
        assert!(Config::from_toml("colour = 1\n[[endpoints]]\nkind = \"local\"\nurl = \"http://x\"\n").is_err());
    }
}

//! Command-line and environment settings. The same struct configures the binary and the
//! in-process sandboxes that tests start, so every knob a test can turn is also a flag.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

/// The built-in keys of the demo practice; the only keys the sandbox ever prints.
pub const DEMO_DEVELOPER_KEY: &str = "chairside-demo-dev";
pub const DEMO_CUSTOMER_KEY: &str = "chairside-demo-cust";

#[derive(clap::Parser, Clone)]
#[command(
    name = "chairside-sandbox",
    version,
    about = "Emulates the Open Dental REST API on SQLite for Chairside"
)]
pub struct Config {
    /// Port to listen on; 0 picks a free port.
    #[arg(long, env = "CHAIRSIDE_PORT", default_value_t = 8080)]
    pub port: u16,

    /// Address to listen on.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,

    /// Holds chairside.sqlite and the AtoZ/ folder for document files. Created and seeded on
    /// first start; reused later so the data survives restarts.
    #[arg(long, env = "CHAIRSIDE_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Keep everything in memory (and a temporary AtoZ folder) instead of --data-dir.
    #[arg(long)]
    pub memory: bool,

    /// Developer key that requests must carry.
    #[arg(
        long,
        env = "CHAIRSIDE_DEVELOPER_KEY",
        hide_env_values = true,
        default_value = DEMO_DEVELOPER_KEY
    )]
    pub developer_key: String,

    /// Customer key that requests must carry.
    #[arg(
        long,
        env = "CHAIRSIDE_CUSTOMER_KEY",
        hide_env_values = true,
        default_value = DEMO_CUSTOMER_KEY
    )]
    pub customer_key: String,

    /// Directory of the built web app (Trunk's dist) to serve at "/".
    #[arg(long)]
    pub app_dir: Option<PathBuf>,

    /// Delay added before every API answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,

    /// Fail every Nth API request (counting only those matching --fail-match); 0 = never.
    #[arg(long, default_value_t = 0)]
    pub fail_every: u64,

    /// How injected failures fail: "500", "504", or "drop" (run the request, then cut the
    /// connection instead of answering).
    #[arg(long, value_enum, default_value = "500")]
    pub fail_mode: FailMode,

    /// Only requests whose "METHOD /path" (after /api/v1) contains this text are counted and
    /// failed, e.g. "PUT /treatplanattaches". Empty = all.
    #[arg(long, default_value = "")]
    pub fail_match: String,

    /// Emulate Open Dental's remote throttle: one request per second per customer key; later
    /// requests wait their turn.
    #[arg(long)]
    pub throttle: bool,

    /// Documents POST Upload: "at-once" writes the file to the A-to-Z folder; "never" leaves
    /// it pending in the document's Note ("_rawBase64_:..."), as Open Dental does until
    /// someone opens the document.
    #[arg(long, value_enum, default_value = "at-once")]
    pub import_uploads: ImportUploads,
}

/// When an uploaded file is imported into the A-to-Z folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportUploads {
    AtOnce,
    Never,
}

/// How an injected failure shows itself to the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailMode {
    /// 500 with an explanation; the request is not carried out.
    #[value(name = "500")]
    ServerError,
    /// 504 with Open Dental's 60-second explanation; the request is not carried out.
    #[value(name = "504")]
    GatewayTimeout,
    /// The request is carried out, then the connection is cut before the answer: the client
    /// cannot tell whether it happened (the case that makes retries duplicate uploads).
    Drop,
}

impl Config {
    /// In memory, on a free port, with the default keys and nothing injected.
    pub fn for_tests() -> Config {
        Config {
            port: 0,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            data_dir: PathBuf::from("data"),
            memory: true,
            developer_key: DEMO_DEVELOPER_KEY.into(),
            customer_key: DEMO_CUSTOMER_KEY.into(),
            app_dir: None,
            latency_ms: 0,
            fail_every: 0,
            fail_mode: FailMode::ServerError,
            fail_match: String::new(),
            throttle: false,
            import_uploads: ImportUploads::AtOnce,
        }
    }

    /// Both keys are the demo practice's own, safe to print for a person to type in.
    pub fn has_demo_keys(&self) -> bool {
        self.developer_key == DEMO_DEVELOPER_KEY && self.customer_key == DEMO_CUSTOMER_KEY
    }
}

// Written by hand so the keys never end up in a log line through `{:?}`.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("port", &self.port)
            .field("bind", &self.bind)
            .field("data_dir", &self.data_dir)
            .field("memory", &self.memory)
            .field("developer_key", &"•••")
            .field("customer_key", &"•••")
            .field("app_dir", &self.app_dir)
            .field("latency_ms", &self.latency_ms)
            .field("fail_every", &self.fail_every)
            .field("fail_mode", &self.fail_mode)
            .field("fail_match", &self.fail_match)
            .field("throttle", &self.throttle)
            .field("import_uploads", &self.import_uploads)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn defaults_and_flags_parse() {
        let c = Config::try_parse_from(["chairside-sandbox"]).unwrap();
        assert_eq!(
            (c.port, c.latency_ms, c.fail_every, c.fail_mode),
            (8080, 0, 0, FailMode::ServerError)
        );
        assert_eq!(c.bind.to_string(), "127.0.0.1");
        assert!(!c.memory && !c.throttle && c.app_dir.is_none());

        let c = Config::try_parse_from([
            "chairside-sandbox",
            "--port=0",
            "--memory",
            "--fail-every=3",
            "--fail-mode=drop",
            "--fail-match=PUT /treatplanattaches",
            "--throttle",
        ])
        .unwrap();
        assert_eq!((c.port, c.fail_every, c.fail_mode), (0, 3, FailMode::Drop));
        assert_eq!(c.fail_match, "PUT /treatplanattaches");
        assert!(c.memory && c.throttle);
        let c = Config::try_parse_from(["chairside-sandbox", "--fail-mode", "504"]).unwrap();
        assert_eq!(c.fail_mode, FailMode::GatewayTimeout);
    }

    #[test]
    fn only_the_built_in_keys_are_demo_keys() {
        assert!(Config::try_parse_from(["chairside-sandbox"]).unwrap().has_demo_keys());
        let c = Config::try_parse_from(["chairside-sandbox", "--customer-key", "real-one"]).unwrap();
        assert!(!c.has_demo_keys());
    }

    #[test]
    fn debug_output_hides_the_keys() {
        let text = format!("{:?}", Config::for_tests());
        assert!(!text.contains("chairside-demo"), "{text}");
    }
}

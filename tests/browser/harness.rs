//! What every browser test needs: the built app served the way an office runs it, by an
//! in-process gateway in front of an in-process sandbox (in-memory databases, nothing shared
//! between tests), or in direct mode by the sandbox alone; a chromedriver on a free port; and
//! headless Chromium with a fresh profile and no background networking. All of it stops when
//! the `Browser` is dropped.

use std::{
    net::TcpListener,
    path::PathBuf,
    process::Stdio,
    time::{Duration, Instant},
};

use chairside_gateway::Gateway;
use chairside_sandbox::{Config, Sandbox};
use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use tokio::process::{Child, Command};

/// Demo keys the sandbox accepts in tests (its defaults).
pub const DEV_KEY: &str = "chairside-demo-dev";
pub const CUST_KEY: &str = "chairside-demo-cust";

/// The staff account every gateway in the browser tests has.
pub const STAFF_USER: &str = "frontdesk";
pub const STAFF_PASSWORD: &str = "front desk password";

const WAIT: Duration = Duration::from_secs(15);

pub struct Browser {
    pub sandbox: Sandbox,
    /// The gateway in front of the sandbox; `None` in direct mode.
    pub gateway: Option<Gateway>,
    /// The first browser (its helpers are `Session`'s, reached through `Deref`).
    session: Session,
    _gateway_data: Option<TempDir>,
}

/// One Chromium with its own profile (cookies, storage) on the same Chairside: a second one
/// is another device (`Browser::another_device`), such as the kiosk tablet beside the desk.
pub struct Session {
    pub client: Client,
    base: String,
    _driver: Child,
    _profile: TempDir,
}

impl std::ops::Deref for Browser {
    type Target = Session;

    fn deref(&self) -> &Session {
        &self.session
    }
}

pub fn dist_dir() -> PathBuf {
    let dir = std::env::var_os("CHAIRSIDE_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dist"));
    assert!(
        dir.join("index.html").exists(),
        "the built app is missing at {}: run scripts/build-app first (scripts/test does)",
        dir.display()
    );
    dir
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A directory removed on drop (for Chromium's throwaway profile).
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("chairside-{tag}-{}-{}", std::process::id(), free_port()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A gateway holding the sandbox's keys, serving the built app, with one staff account;
/// `adjust` changes its configuration first.
pub async fn gateway_for(
    sandbox: &Sandbox,
    keys: (&str, &str),
    data_dir: &std::path::Path,
    adjust: impl FnOnce(&mut chairside_gateway::Config),
) -> Gateway {
    let mut config = chairside_gateway::Config::from_toml(&format!(
        "[[endpoints]]\nkind = \"sandbox\"\nurl = \"{}\"\nlabel = \"Sandbox\"\n",
        sandbox.api_url()
    ))
    .unwrap();
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.app_dir = dist_dir();
    // Its own SFTP site on loopback, as scripts/run has it: retries after an unknown outcome
    // are checked by content through it.
    config.data_dir = data_dir.to_path_buf();
    config.sftp = Some(chairside_gateway::files_site::SftpSiteConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        address: None,
    });
    adjust(&mut config);
    let gateway = Gateway::start(
        config,
        chairside_gateway::Keys::new(keys.0, keys.1).unwrap(),
        chairside_gateway::Options {
            in_memory: true,
            capture_log: true,
        },
    )
    .await
    .expect("gateway starts");
    gateway.state.accounts.add(STAFF_USER, STAFF_PASSWORD).unwrap();
    gateway
}

impl Browser {
    /// The app through a gateway in front of a sandbox, signed out.
    pub async fn start() -> Browser {
        Self::start_with(Config::for_tests()).await
    }

    pub async fn start_with(config: Config) -> Browser {
        Self::start_with_gateway(config, |_| {}).await
    }

    /// Through a gateway whose configuration `adjust` changes (session lengths, throttle).
    pub async fn start_with_gateway(config: Config, adjust: impl FnOnce(&mut chairside_gateway::Config)) -> Browser {
        let keys = (config.developer_key.clone(), config.customer_key.clone());
        let sandbox = Sandbox::start(config).await.expect("sandbox starts");
        let data = TempDir::new("gateway-data");
        let gateway = gateway_for(&sandbox, (&keys.0, &keys.1), &data.0, adjust).await;
        let mut browser = Self::launch(sandbox, Some(gateway)).await;
        browser._gateway_data = Some(data);
        browser
    }

    /// Direct mode: the sandbox serves the app, and the keys are typed into the browser.
    pub async fn start_direct() -> Browser {
        Self::start_direct_serving(dist_dir()).await
    }

    /// Direct mode serving the app from `app_dir` (a damaged copy, say).
    pub async fn start_direct_serving(app_dir: PathBuf) -> Browser {
        let mut config = Config::for_tests();
        config.app_dir = Some(app_dir);
        let sandbox = Sandbox::start(config).await.expect("sandbox starts");
        Self::launch(sandbox, None).await
    }

    async fn launch(sandbox: Sandbox, gateway: Option<Gateway>) -> Browser {
        let base = match &gateway {
            Some(gateway) => gateway.url(),
            None => sandbox.url(),
        };
        Browser {
            sandbox,
            gateway,
            session: Session::launch(base).await,
            _gateway_data: None,
        }
    }

    /// Another device on the same Chairside: a fresh Chromium with its own profile.
    pub async fn another_device(&self) -> Session {
        Session::launch(self.base_url()).await
    }

    /// Where the browser reaches Chairside: the gateway, or the sandbox in direct mode.
    pub fn base_url(&self) -> String {
        match &self.gateway {
            Some(gateway) => gateway.url(),
            None => self.sandbox.url(),
        }
    }

    /// Ready to work: signed in to the gateway, or (direct mode) connected with the demo keys.
    pub async fn connect_with_demo_keys(&self) {
        if self.gateway.is_some() {
            return self.sign_in().await;
        }
        self.connect(DEV_KEY, CUST_KEY).await;
        self.wait_for_text(".test-result", "Connected.").await;
    }
}

impl Session {
    async fn launch(base: String) -> Session {
        let port = free_port();
        let driver = Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver runs (scripts/install-tools --test installs it)");
        let deadline = Instant::now() + WAIT;
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        let profile = TempDir::new("chromium");
        let args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", profile.0.display()),
        ];
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()), "args": args }),
        );
        caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("chromium session starts");
        Session {
            client,
            base,
            _driver: driver,
            _profile: profile,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn goto(&self, path: &str) {
        self.client.goto(&self.url(path)).await.unwrap();
    }

    pub async fn path(&self) -> String {
        self.client.current_url().await.unwrap().path().to_owned()
    }

    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    /// Waits until the element's text contains `needle`; returns the text.
    pub async fn wait_for_text(&self, css: &str, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        let mut last = String::new();
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                if let Ok(text) = el.text().await {
                    if text.contains(needle) {
                        return text;
                    }
                    last = text;
                }
            }
            assert!(
                Instant::now() < deadline,
                "{css} never contained {needle:?}; last text: {last:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the page path is `path`.
    pub async fn wait_for_path(&self, path: &str) {
        let deadline = Instant::now() + WAIT;
        while self.path().await != path {
            assert!(
                Instant::now() < deadline,
                "path never became {path}; it is {}",
                self.path().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn body_text(&self) -> String {
        self.client
            .find(Locator::Css("body"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        el.clear().await.unwrap();
        el.send_keys(text).await.unwrap();
    }

    /// Keyboard input to whatever has focus.
    pub async fn press(&self, keys: &str) {
        self.client
            .active_element()
            .await
            .unwrap()
            .send_keys(keys)
            .await
            .unwrap();
    }

    /// Waits until the focused element, `el` in the JavaScript expression `holds`, makes it true.
    pub async fn wait_for_focus(&self, holds: &str, what: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let found = self
                .script(&format!(
                    "const el = document.activeElement; return [Boolean({holds}), el ? el.outerHTML.slice(0, 160) : null];"
                ))
                .await;
            if found[0] == json!(true) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the focus never {what}; it is on {}",
                found[1]
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn script(&self, js: &str) -> Value {
        self.client.execute(js, vec![]).await.unwrap()
    }

    /// Fills in the connection form with the Sandbox preset and submits it.
    pub async fn connect(&self, dev: &str, cust: &str) {
        self.goto("/settings").await;
        self.find("#preset").await.select_by_value("sandbox").await.unwrap();
        self.fill("#developer-key", dev).await;
        self.fill("#customer-key", cust).await;
        self.find("button[type=submit]").await.click().await.unwrap();
    }

    /// Signs in on the gateway's sign-in screen as the staff account.
    pub async fn sign_in(&self) {
        self.goto("/patients").await;
        self.fill("#username", STAFF_USER).await;
        self.fill("#password", STAFF_PASSWORD).await;
        self.find("#sign-in-submit").await.click().await.unwrap();
        self.find("#sign-out").await;
    }
}

impl Browser {
    /// How many requests the sandbox has logged that start with `prefix` ("POST /documents/Upload").
    pub fn requests_starting(&self, prefix: &str) -> usize {
        self.sandbox
            .knobs
            .requests()
            .iter()
            .filter(|r| r.starts_with(prefix))
            .count()
    }

    /// Opens a patient screen from the patient's summary by its tab (`tab` ends its link),
    /// twice: returns the requests ("METHOD /path", no query, sorted) the screen made the first
    /// time (cold) and after going back to the summary (warm). Sorted, because behind the
    /// gateway a screen's requests run side by side and reach Open Dental in either order.
    pub async fn requests_to_open(&self, pat_num: i64, tab: &str, ready: &str) -> (Vec<String>, Vec<String>) {
        self.goto(&format!("/patients/{pat_num}")).await;
        self.requests_to_open_in_app(pat_num, tab, ready).await
    }

    /// As `requests_to_open`, but reaching the patient inside the running app (as a link
    /// does), so what the app keeps for the session stays kept.
    pub async fn requests_to_open_in_app(&self, pat_num: i64, tab: &str, ready: &str) -> (Vec<String>, Vec<String>) {
        if self.path().await != format!("/patients/{pat_num}") {
            self.script(&format!(
                "history.pushState(null, '', '/patients/{pat_num}'); \
                 window.dispatchEvent(new PopStateEvent('popstate'));"
            ))
            .await;
            self.wait_for_path(&format!("/patients/{pat_num}")).await;
        }
        self.wait_for_text(".summary", "Address").await;
        let mut rounds = Vec::new();
        for _ in 0..2 {
            self.sandbox.knobs.clear_request_log();
            self.find(&format!("nav.patient-nav a[href$='{tab}']"))
                .await
                .click()
                .await
                .unwrap();
            self.find(ready).await;
            let mut paths: Vec<String> = self
                .sandbox
                .knobs
                .requests()
                .iter()
                .map(|r| r.split('?').next().unwrap_or_default().to_owned())
                .collect();
            paths.sort();
            rounds.push(paths);
            self.find(&format!("nav.patient-nav a[href$='/patients/{pat_num}']"))
                .await
                .click()
                .await
                .unwrap();
            self.find(".summary").await;
        }
        let warm = rounds.pop().unwrap();
        (rounds.pop().unwrap(), warm)
    }

    pub async fn close(self) {
        self.session.close().await;
    }
}

impl Session {
    /// Browser console entries at level SEVERE (uncaught errors, panics, failed loads)
    /// since the last call.
    pub async fn console_errors(&self) -> Vec<String> {
        let logs = self
            .client
            .issue_cmd(GetBrowserLog)
            .await
            .expect("chromedriver returns the browser log");
        logs.as_array()
            .into_iter()
            .flatten()
            .filter(|entry| entry["level"] == "SEVERE")
            .map(|entry| entry["message"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    pub async fn close(self) {
        let Session { client, .. } = self;
        let _ = client.close().await;
    }

    /// A Chrome DevTools Protocol command, through chromedriver.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.client
            .issue_cmd(Cdp {
                cmd: cmd.to_owned(),
                params,
            })
            .await
            .unwrap_or_else(|e| panic!("CDP {cmd}: {e}"))
    }

    /// Cuts this browser's network (as a dropped Wi-Fi would) or gives it back.
    pub async fn set_offline(&self, offline: bool) {
        self.cdp("Network.enable", json!({})).await;
        self.cdp(
            "Network.emulateNetworkConditions",
            json!({ "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }),
        )
        .await;
    }
}

/// ChromeDriver's log endpoint (not part of W3C WebDriver, so fantoccini has no method).
#[derive(Debug)]
struct GetBrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for GetBrowserLog {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "type": "browser" }).to_string()))
    }
}

/// ChromeDriver's CDP passthrough (`goog/cdp/execute`).
#[derive(Debug)]
struct Cdp {
    cmd: String,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "cmd": self.cmd, "params": self.params }).to_string()),
        )
    }
}

/// `len` bytes that do not compress (xorshift from `seed`), for uploads whose size matters.
pub fn pseudo_random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed.max(1);
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

/// On patient `pat_num`'s documents screen, with the performance timeline cleared: chooses the
/// file at `path`; the queue then offers to upload it ([`upload_chosen_file`]).
pub async fn choose_file_to_upload(s: &Session, pat_num: i64, path: &str) {
    s.goto(&format!("/patients/{pat_num}/documents")).await;
    s.find("table.documents-table tbody tr").await;
    s.script("performance.clearMarks(); return null").await;
    s.find("#upload-files").await.send_keys(path).await.unwrap();
    s.find("#upload-1 button.primary").await;
}

/// Starts the chosen file's upload and waits until the queue says it is done.
pub async fn upload_chosen_file(s: &Session) {
    s.find("#upload-1 button.primary").await.click().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let status = s
            .find("#upload-1")
            .await
            .attr("data-status")
            .await
            .unwrap()
            .unwrap_or_default();
        if status == "done" {
            return;
        }
        assert!(
            status != "failed" && Instant::now() < deadline,
            "the upload ended as {status}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The page's performance marks: (name, start time in ms).
pub async fn performance_marks(s: &Session) -> Vec<(String, f64)> {
    let marks = s
        .script("return performance.getEntriesByType('mark').map(m => [m.name, m.startTime])")
        .await;
    serde_json::from_value(marks).unwrap()
}

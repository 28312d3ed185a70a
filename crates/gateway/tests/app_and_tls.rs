//! Serving the app (precompressed, cached by name, strict headers) and HTTPS.

mod common;

use std::time::Duration;

use chairside_gateway::config::{EndpointKind, TlsConfig};
use chairside_sandbox::temp_dir::TempDir;
use common::*;

const INLINE_SCRIPT: &str = "import init from '/chairside-0123456789abcdef.js';\nawait init();";

/// A dist folder shaped like Trunk's.
fn fake_dist() -> TempDir {
    let dir = TempDir::new("gw-dist");
    std::fs::write(
        dir.path().join("index.html"),
        format!(
            "<!doctype html><html><head><script type=\"module\">{INLINE_SCRIPT}</script></head><body>{}</body></html>",
            "<p>Loading…</p>".repeat(30)
        ),
    )
    .unwrap();
    std::fs::write(dir.path().join("chairside-0123456789abcdef_bg.wasm"), vec![0u8; 50_000]).unwrap();
    std::fs::write(
        dir.path().join("chairside-0123456789abcdef.js"),
        "export default function(){}\n".repeat(40),
    )
    .unwrap();
    dir
}

fn assert_security_headers(headers: &reqwest::header::HeaderMap) {
    let csp = headers["content-security-policy"].to_str().unwrap();
    for part in [
        "default-src 'self'",
        "frame-ancestors 'none'",
        "'wasm-unsafe-eval'",
        "object-src 'none'",
        "connect-src 'self'",
    ] {
        assert!(csp.contains(part), "{part} missing from {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert!(headers["permissions-policy"]
        .to_str()
        .unwrap()
        .contains("camera=(self)"));
}

#[tokio::test]
async fn the_app_is_served_compressed_cached_by_name_and_with_strict_headers() {
    let dist = fake_dist();
    let upstream = FakeUpstream::start(Duration::ZERO).await;
    let mut cfg = config(vec![endpoint(EndpointKind::Service, &upstream.url(), "API Service")]);
    cfg.app_dir = dist.path().to_owned();
    let gw = gateway(cfg).await;
    // reqwest here has no decompression: what arrives is what was sent.
    let client = http();

    let index = client
        .get(format!("{}/", gw.url()))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(index.status(), 200);
    assert_eq!(index.headers()["content-encoding"], "br");
    assert_eq!(index.headers()["cache-control"], "no-cache");
    assert_security_headers(index.headers());
    let csp = index.headers()["content-security-policy"].to_str().unwrap().to_owned();
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(INLINE_SCRIPT.as_bytes()));
    assert!(
        csp.contains(&format!("'sha256-{hash}'")),
        "the start-up script is allowed by its hash: {csp}"
    );
    let etag = index.headers()["etag"].to_str().unwrap().to_owned();
    let again = client
        .get(format!("{}/", gw.url()))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    let wasm = client
        .get(format!("{}/chairside-0123456789abcdef_bg.wasm", gw.url()))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(wasm.headers()["content-encoding"], "gzip");
    assert_eq!(wasm.headers()["cache-control"], "public, max-age=31536000, immutable");
    let compressed = wasm.bytes().await.unwrap();
    assert!(
        compressed.len() < 1_000,
        "50 KB of zeros gzip to {} bytes",
        compressed.len()
    );
    let plain = client
        .get(format!("{}/chairside-0123456789abcdef_bg.wasm", gw.url()))
        .send()
        .await
        .unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap().len(), 50_000);

    // The app's own routes get the app; unknown files and API paths do not.
    let route = client
        .get(format!("{}/patients/48/documents", gw.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(route.status(), 200);
    assert!(route.text().await.unwrap().contains("<script type=\"module\">"));
    assert_eq!(
        client
            .get(format!("{}/nothing.js", gw.url()))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let unknown = client
        .get(format!("{}/gateway/v1/nothing", gw.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    assert_security_headers(unknown.headers());

    // API answers carry the same headers, and no-store.
    let staff = Staff::sign_in(&gw).await;
    let api = staff.get("/api/v1/patients/1").await;
    assert_security_headers(api.headers());
    assert_eq!(api.headers()["cache-control"], "no-store");
    let session = staff.get("/gateway/v1/session").await;
    assert_eq!(session.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn over_https_the_cookie_is_host_prefixed_and_secure_and_hsts_is_sent() {
    let dir = TempDir::new("gw-tls");
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let (cert_path, key_path) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_path, cert.cert.pem()).unwrap();
    std::fs::write(&key_path, cert.signing_key.serialize_pem()).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&key_path, std::fs::Permissions::from_mode(0o644)).unwrap();

    let upstream = FakeUpstream::start(Duration::ZERO).await;
    let mut cfg = config(vec![endpoint(EndpointKind::Service, &upstream.url(), "API Service")]);
    cfg.tls = Some(TlsConfig {
        cert: cert_path.clone(),
        key: key_path.clone(),
    });
    let refused = chairside_gateway::Gateway::start(
        cfg.clone(),
        chairside_gateway::Keys::new(DEV_KEY, CUST_KEY).unwrap(),
        chairside_gateway::Options {
            in_memory: true,
            capture_log: true,
        },
    )
    .await;
    assert!(
        refused.err().unwrap().contains("chmod 600"),
        "a private key others can read is refused"
    );
    std::fs::set_permissions(&key_path, std::fs::Permissions::from_mode(0o600)).unwrap();

    let gw = gateway(cfg).await;
    assert!(gw.url().starts_with("https://"));
    let client = reqwest::Client::builder()
        .no_proxy()
        .add_root_certificate(reqwest::Certificate::from_pem(cert.cert.pem().as_bytes()).unwrap())
        .resolve("localhost", gw.addr)
        .build()
        .unwrap();
    let base = format!("https://localhost:{}", gw.addr.port());
    let r = client
        .post(format!("{base}/gateway/v1/sign-in"))
        .json(&serde_json::json!({ "username": USER, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["strict-transport-security"], "max-age=31536000");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-chairside-session="), "{cookie}");
    assert!(cookie.contains("; Secure") && cookie.contains("; HttpOnly") && cookie.contains("; SameSite=Strict"));
    let token = cookie.split(';').next().unwrap();
    let api = client
        .get(format!("{base}/api/v1/patients/3"))
        .header("cookie", token)
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 200);
    // The plain-HTTP cookie name does not count over HTTPS.
    let plain_name = token.replace("__Host-chairside-session", "chairside-session");
    let r = client
        .get(format!("{base}/api/v1/patients/3"))
        .header("cookie", plain_name)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    // Made a kiosk over HTTPS: its credential is __Host- prefixed and Secure too, and the
    // staff cookie it replaces is cleared under its own name.
    let paired = client
        .post(format!("{base}/gateway/v1/kiosks"))
        .header("cookie", token)
        .json(&serde_json::json!({ "name": "Front desk tablet" }))
        .send()
        .await
        .unwrap();
    assert_eq!(paired.status(), 201);
    let set: Vec<String> = paired
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let kiosk = set
        .iter()
        .find(|c| c.starts_with("__Host-chairside-kiosk="))
        .expect("a kiosk cookie");
    assert!(kiosk.contains("; Secure") && kiosk.contains("; HttpOnly") && kiosk.contains("Max-Age=34560000"));
    assert!(set
        .iter()
        .any(|c| c.starts_with("__Host-chairside-session=;") && c.contains("Max-Age=0")));
    let kiosk_token = kiosk.split(';').next().unwrap();
    let me = |cookie: String| {
        client
            .get(format!("{base}/gateway/v1/kiosk"))
            .header("cookie", cookie)
            .send()
    };
    assert_eq!(me(kiosk_token.to_owned()).await.unwrap().status(), 200);
    let plain_kiosk = kiosk_token.replace("__Host-chairside-kiosk", "chairside-kiosk");
    assert_eq!(me(plain_kiosk).await.unwrap().status(), 401);
}

#[tokio::test]
async fn behind_a_trusted_proxy_forwarded_https_makes_the_cookie_secure() {
    // A sign-in as a proxy passes it on: the browser's address and that it used HTTPS.
    async fn sign_in_forwarded(trusted: bool) -> (String, Vec<String>) {
        let upstream = FakeUpstream::start(Duration::ZERO).await;
        let mut cfg = config(vec![endpoint(EndpointKind::Service, &upstream.url(), "API Service")]);
        if trusted {
            cfg.proxy.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
        }
        let gw = gateway(cfg).await;
        let r = http()
            .post(format!("{}/gateway/v1/sign-in", gw.url()))
            .header("x-forwarded-proto", "https")
            .header("x-forwarded-for", "192.168.1.77")
            .json(&serde_json::json!({ "username": USER, "password": PASSWORD }))
            .send()
            .await
            .unwrap();
        (
            r.headers()["set-cookie"].to_str().unwrap().to_owned(),
            gw.state.log.lines(),
        )
    }
    let (cookie, log) = sign_in_forwarded(true).await;
    assert!(cookie.starts_with("__Host-"), "{cookie}");
    assert!(log.iter().any(|l| l.contains("from 192.168.1.77")));
    // Not trusted: the same headers are ignored.
    let (cookie, log) = sign_in_forwarded(false).await;
    assert!(cookie.starts_with("chairside-session="), "{cookie}");
    assert!(log.iter().any(|l| l.contains("from 127.0.0.1")));
}

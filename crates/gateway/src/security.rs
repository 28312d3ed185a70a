//! What every response carries (CSP, nosniff, no referrer, camera for the app itself only),
//! who the client is (its address, and whether it came over HTTPS, believing forwarded
//! headers only from configured proxies), and the refusal of state-changing requests that
//! another site's page sent.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

use crate::error::GatewayError;
use crate::state::GatewayState;

/// Put on requests that arrived over the gateway's own TLS listener.
#[derive(Clone, Copy, Debug)]
pub struct ArrivedOverTls;

/// The browser (or proxy) a request came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientInfo {
    pub ip: IpAddr,
    pub https: bool,
}

impl ClientInfo {
    /// The peer, unless it is a trusted proxy: then the last address it was given by someone
    /// it does not trust, and the scheme it says the browser used.
    pub fn from_parts(peer: SocketAddr, tls: bool, headers: &HeaderMap, trusted: &[IpAddr]) -> ClientInfo {
        let peer_ip = canonical(peer.ip());
        if !trusted.contains(&peer_ip) {
            return ClientInfo {
                ip: peer_ip,
                https: tls,
            };
        }
        let forwarded_for = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|s| s.trim().parse::<IpAddr>().ok())
            .map(canonical)
            .collect::<Vec<_>>();
        let ip = forwarded_for
            .iter()
            .rev()
            .find(|ip| !trusted.contains(ip))
            .copied()
            .unwrap_or(peer_ip);
        let https = tls
            || headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
        ClientInfo { ip, https }
    }
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// Works out `ClientInfo` for the request, then adds the security headers to the answer.
pub async fn client_and_headers(State(state): State<GatewayState>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(SocketAddr::from(([0, 0, 0, 0], 0)), |c| c.0);
    let tls = req.extensions().get::<ArrivedOverTls>().is_some();
    let client = ClientInfo::from_parts(peer, tls, req.headers(), &state.config.proxy.trusted_proxies);
    req.extensions_mut().insert(client);
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    let csp = HeaderValue::from_str(&state.app.content_security_policy).expect("the policy is ASCII");
    headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static(
            "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        ),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    headers.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    if client.https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

/// A request that can change something must come from the app's own pages: browsers say
/// where a request came from in Sec-Fetch-Site (and Origin). Clients that send neither are
/// not browsers, and carry no cookie a page could abuse.
pub fn same_origin_or_refuse(method: &Method, headers: &HeaderMap, https: bool) -> Result<(), GatewayError> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let refused = || {
        GatewayError::Forbidden(
            "Chairside refused this request because it came from another website. Use Chairside's own pages.".into(),
        )
    };
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return Err(refused());
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let scheme = if https { "https" } else { "http" };
        if !origin.eq_ignore_ascii_case(&format!("{scheme}://{host}")) {
            return Err(refused());
        }
    }
    Ok(())
}

pub async fn refuse_cross_origin(req: Request, next: Next) -> Result<Response, GatewayError> {
    let https = req.extensions().get::<ClientInfo>().is_some_and(|c| c.https);
    same_origin_or_refuse(req.method(), req.headers(), https)?;
    Ok(next.run(req).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.append(*name, HeaderValue::from_str(value).unwrap());
        }
        h
    }

    #[test]
    fn forwarded_headers_count_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.9, 10.0.0.2"),
            ("x-forwarded-proto", "https"),
        ]);
        let from_proxy = ClientInfo::from_parts(SocketAddr::new(proxy, 5000), false, &h, &[proxy]);
        assert_eq!(
            from_proxy,
            ClientInfo {
                ip: "203.0.113.9".parse().unwrap(),
                https: true
            }
        );
        let direct = ClientInfo::from_parts("192.168.1.50:5000".parse().unwrap(), false, &h, &[proxy]);
        assert_eq!(
            direct,
            ClientInfo {
                ip: "192.168.1.50".parse().unwrap(),
                https: false
            }
        );
        let mapped = ClientInfo::from_parts("[::ffff:192.168.1.50]:1".parse().unwrap(), true, &h, &[]);
        assert_eq!(
            mapped,
            ClientInfo {
                ip: "192.168.1.50".parse().unwrap(),
                https: true
            }
        );
    }

    #[test]
    fn cross_site_writes_are_refused_reads_and_same_origin_pass() {
        let post = Method::POST;
        let ok = |pairs: &[(&'static str, &str)], https| same_origin_or_refuse(&post, &headers(pairs), https).is_ok();
        assert!(ok(
            &[
                ("sec-fetch-site", "same-origin"),
                ("origin", "http://gw:8080"),
                ("host", "gw:8080")
            ],
            false
        ));
        assert!(ok(&[("host", "gw:8080")], false), "no browser headers: not a browser");
        assert!(!ok(&[("sec-fetch-site", "cross-site"), ("host", "gw:8080")], false));
        assert!(!ok(&[("sec-fetch-site", "same-site"), ("host", "gw:8080")], false));
        assert!(!ok(&[("origin", "http://evil.example"), ("host", "gw:8080")], false));
        assert!(
            !ok(&[("origin", "http://gw:8080"), ("host", "gw:8080")], true),
            "scheme must match"
        );
        assert!(same_origin_or_refuse(&Method::GET, &headers(&[("sec-fetch-site", "cross-site")]), false).is_ok());
    }
}

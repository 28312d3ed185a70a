//! Where the API is and who we are (apilocal.md): the endpoint presets and the ODFHIR keys.

use std::fmt;

pub const REMOTE_URL: &str = "https://api.opendental.com/api/v1";
pub const LOCAL_URL: &str = "http://localhost:30222/api/v1";
pub const SERVICE_PORT: u16 = 30223;

/// The ways to reach an Open Dental database. `Sandbox` is Chairside's own emulator, served
/// from the same origin as the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Preset {
    Remote,
    ApiService,
    Local,
    Sandbox,
    Custom,
}

impl Preset {
    pub const ALL: [Preset; 5] = [
        Preset::Sandbox,
        Preset::Remote,
        Preset::ApiService,
        Preset::Local,
        Preset::Custom,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Preset::Remote => "remote",
            Preset::ApiService => "service",
            Preset::Local => "local",
            Preset::Sandbox => "sandbox",
            Preset::Custom => "custom",
        }
    }

    pub fn from_id(id: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Preset::Remote => "Remote (api.opendental.com)",
            Preset::ApiService => "API Service (office server, port 30223)",
            Preset::Local => "Local API (this workstation, port 30222)",
            Preset::Sandbox => "Sandbox (demo practice)",
            Preset::Custom => "Custom URL",
        }
    }

    /// The base URL for this preset. `host` is the office server for the API Service, the full
    /// URL for Custom; `origin` is where the app itself is served from (for the Sandbox).
    pub fn base_url(self, host: &str, origin: &str) -> Result<String, String> {
        match self {
            Preset::Remote => Ok(REMOTE_URL.into()),
            Preset::Local => Ok(LOCAL_URL.into()),
            Preset::Sandbox => normalize_base_url(&format!("{}/api/v1", origin.trim_end_matches('/'))),
            Preset::ApiService => {
                let host = host.trim();
                if host.is_empty() || host.contains('/') || host.contains(' ') {
                    return Err("Enter the office server's name or IP address, e.g. 192.168.1.10.".into());
                }
                let host_port = if host.contains(':') && !host.starts_with('[') {
                    host.to_owned()
                } else {
                    format!("{host}:{SERVICE_PORT}")
                };
                Ok(format!("http://{host_port}/api/v1"))
            }
            Preset::Custom => normalize_base_url(host),
        }
    }
}

/// Checks a base URL and drops trailing slashes: it must be http(s) and have a host.
pub fn normalize_base_url(input: &str) -> Result<String, String> {
    let url = input.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| "The API address must start with http:// or https://.".to_string())?;
    if rest.is_empty() || rest.starts_with('/') || rest.contains(char::is_whitespace) {
        return Err("The API address needs a host name, e.g. https://api.opendental.com/api/v1.".into());
    }
    if rest.contains(['?', '#']) {
        return Err("The API address must not contain ? or #.".into());
    }
    Ok(url.to_owned())
}

/// The developer and customer keys. `Debug` never prints them.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Credentials {
    pub developer_key: String,
    pub customer_key: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Credentials { .. }")
    }
}

impl Credentials {
    pub fn new(developer_key: impl Into<String>, customer_key: impl Into<String>) -> Self {
        Self {
            developer_key: developer_key.into().trim().to_owned(),
            customer_key: customer_key.into().trim().to_owned(),
        }
    }

    pub fn is_complete(&self) -> bool {
        !self.developer_key.is_empty() && !self.customer_key.is_empty()
    }

    /// The `Authorization` header value every request carries.
    pub fn authorization(&self) -> String {
        format!("ODFHIR {}/{}", self.developer_key, self.customer_key)
    }

    /// Reads an `Authorization` header value; `None` unless it is `ODFHIR dev/cust`.
    pub fn from_authorization(header: &str) -> Option<Credentials> {
        let (scheme, keys) = header.trim().split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("ODFHIR") {
            return None;
        }
        let (dev, cust) = keys.trim().split_once('/')?;
        let creds = Credentials::new(dev, cust);
        (creds.is_complete() && !creds.customer_key.contains('/')).then_some(creds)
    }

    /// The keys, for scrubbing them out of any text shown or logged.
    pub fn secrets(&self) -> [&str; 2] {
        [&self.developer_key, &self.customer_key]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_give_the_documented_endpoints() {
        assert_eq!(
            Preset::Remote.base_url("", "").unwrap(),
            "https://api.opendental.com/api/v1"
        );
        assert_eq!(Preset::Local.base_url("", "").unwrap(), "http://localhost:30222/api/v1");
        assert_eq!(
            Preset::ApiService.base_url("192.168.1.10", "").unwrap(),
            "http://192.168.1.10:30223/api/v1"
        );
        assert_eq!(
            Preset::ApiService.base_url("server:8080", "").unwrap(),
            "http://server:8080/api/v1"
        );
        assert!(Preset::ApiService.base_url(" ", "").is_err());
        assert_eq!(
            Preset::Sandbox.base_url("", "http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080/api/v1"
        );
        assert_eq!(
            Preset::Custom.base_url("https://od.example/api/v1/", "").unwrap(),
            "https://od.example/api/v1"
        );
        for id in ["remote", "service", "local", "sandbox", "custom"] {
            assert_eq!(Preset::from_id(id).unwrap().id(), id);
        }
    }

    #[test]
    fn base_urls_are_checked() {
        assert!(normalize_base_url("ftp://x").is_err());
        assert!(normalize_base_url("https://").is_err());
        assert!(normalize_base_url("https://a b").is_err());
        assert!(normalize_base_url("https://x/api?k=1").is_err());
        assert_eq!(
            normalize_base_url(" http://x:1/api/v1// ").unwrap(),
            "http://x:1/api/v1"
        );
    }

    #[test]
    fn authorization_round_trip() {
        let c = Credentials::new(" dev1 ", "cust2");
        assert_eq!(c.authorization(), "ODFHIR dev1/cust2");
        assert_eq!(Credentials::from_authorization("ODFHIR dev1/cust2"), Some(c.clone()));
        assert_eq!(Credentials::from_authorization("Bearer dev1/cust2"), None);
        assert_eq!(Credentials::from_authorization("ODFHIR dev1"), None);
        assert_eq!(Credentials::from_authorization("ODFHIR /cust"), None);
        assert_eq!(format!("{c:?}"), "Credentials { .. }");
    }
}

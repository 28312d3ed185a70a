//! Open Dental's developer and customer keys: read from the environment or a key file that
//! only the gateway's user can read, and never printed, logged or returned.

use std::fmt;
use std::path::Path;

use opendental::Credentials;
use serde::Deserialize;

pub const DEVELOPER_KEY_ENV: &str = "CHAIRSIDE_DEVELOPER_KEY";
pub const CUSTOMER_KEY_ENV: &str = "CHAIRSIDE_CUSTOMER_KEY";

/// The keys. `Debug` hides them; the only way out is `authorization()`, for the upstream header.
#[derive(Clone)]
pub struct Keys {
    credentials: Credentials,
    /// A short, non-secret name for the customer key (audit rows and throttle queues are per
    /// customer key, so one gateway can later hold several).
    pub customer_id: String,
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Keys {{ customer_id: {:?}, .. }}", self.customer_id)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    developer_key: String,
    customer_key: String,
}

impl Keys {
    pub fn new(developer_key: &str, customer_key: &str) -> Result<Keys, String> {
        let credentials = Credentials::new(developer_key, customer_key);
        if !credentials.is_complete() {
            return Err("both the developer key and the customer key are needed".into());
        }
        if [&credentials.developer_key, &credentials.customer_key]
            .iter()
            .any(|k| k.contains(['/', ' ', '\n', '\r']))
        {
            return Err("a key contains a character Open Dental keys never have (/, space or newline)".into());
        }
        let customer_id = customer_id(&credentials.customer_key);
        Ok(Keys {
            credentials,
            customer_id,
        })
    }

    /// Keys from a TOML file (`developer_key = "…"`, `customer_key = "…"`), refused unless
    /// only its owner can read it.
    pub fn from_file(path: &Path) -> Result<Keys, String> {
        check_private(path)?;
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("cannot read the key file {}: {e}", path.display()))?;
        // The parse error would quote the file, keys included: say only where it went wrong.
        let file: KeyFile = toml::from_str(&text).map_err(|e| {
            let at = e.span().map(|s| format!(" near byte {}", s.start)).unwrap_or_default();
            format!(
                "the key file {} is not of the form developer_key = \"…\" / customer_key = \"…\"{at}",
                path.display()
            )
        })?;
        Keys::new(&file.developer_key, &file.customer_key).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Keys from CHAIRSIDE_DEVELOPER_KEY and CHAIRSIDE_CUSTOMER_KEY, if both are set.
    pub fn from_env() -> Option<Result<Keys, String>> {
        let dev = std::env::var(DEVELOPER_KEY_ENV).ok()?;
        let cust = std::env::var(CUSTOMER_KEY_ENV).ok()?;
        Some(Keys::new(&dev, &cust))
    }

    /// The upstream `Authorization` header value.
    pub fn authorization(&self) -> String {
        self.credentials.authorization()
    }

    /// The key strings, for tests and scrubbing.
    pub fn secrets(&self) -> [&str; 2] {
        self.credentials.secrets()
    }
}

/// A stable, non-reversible label for a customer key: "cust-" and 8 hex digits of its SHA-256.
fn customer_id(customer_key: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(customer_key.as_bytes());
    format!(
        "cust-{:02x}{:02x}{:02x}{:02x}",
        digest[0], digest[1], digest[2], digest[3]
    )
}

/// A key file that others can read is a key others have: refuse it, saying how to fix it.
#[cfg(unix)]
pub fn check_private(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read the key file {}: {e}", path.display()))?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(format!(
            "the key file {} can be read by other users (mode {mode:o}); run `chmod 600 {}` and start again",
            path.display(),
            path.display()
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn check_private(_path: &Path) -> Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_keys_and_the_customer_id_is_not_the_key() {
        let keys = Keys::new("dev-SECRET-1", "cust-SECRET-2").unwrap();
        let shown = format!("{keys:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(keys.customer_id.starts_with("cust-") && !keys.customer_id.contains("SECRET"));
        assert_eq!(keys.authorization(), "ODFHIR dev-SECRET-1/cust-SECRET-2");
        assert!(Keys::new("", "x").is_err());
        assert!(Keys::new("a/b", "x").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_can_read_is_refused_and_errors_never_quote_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("chairside-keys-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("keys.toml");
        std::fs::write(
            &path,
            "developer_key = \"dev-SECRET\"\ncustomer_key = \"cust-SECRET\"\n",
        )
        .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = Keys::from_file(&path).unwrap_err();
        assert!(err.contains("chmod 600") && !err.contains("SECRET"), "{err}");

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let keys = Keys::from_file(&path).unwrap();
        assert_eq!(keys.authorization(), "ODFHIR dev-SECRET/cust-SECRET");

        std::fs::write(&path, "developer_key = \"dev-SECRET\"\ncustomer_key = cust-SECRET\n").unwrap();
        let err = Keys::from_file(&path).unwrap_err();
        assert!(!err.contains("SECRET"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

//! The gateway's two cookies (staff session, kiosk credential): one way to set, clear and read
//! each. Over HTTPS a cookie is `__Host-` prefixed: the browser then insists on Secure, Path=/
//! and no Domain, so no other host or plain-HTTP page can set or read it.

use axum::http::{header, HeaderMap};

pub struct CookieKind {
    pub secure_name: &'static str,
    pub plain_name: &'static str,
    /// Seconds the browser keeps it; `None` for a cookie that lasts as long as the browser.
    pub max_age: Option<u64>,
}

impl CookieKind {
    pub fn name(&self, https: bool) -> &'static str {
        if https {
            self.secure_name
        } else {
            self.plain_name
        }
    }

    /// The Set-Cookie value that gives the browser `token`.
    pub fn set(&self, token: &str, https: bool) -> String {
        let max_age = self.max_age.map(|s| format!("; Max-Age={s}")).unwrap_or_default();
        self.with_attributes(token, &max_age, https)
    }

    /// The Set-Cookie value that makes the browser forget it.
    pub fn clear(&self, https: bool) -> String {
        self.with_attributes("", "; Max-Age=0", https)
    }

    fn with_attributes(&self, value: &str, max_age: &str, https: bool) -> String {
        let secure = if https { "; Secure" } else { "" };
        format!(
            "{}={value}; Path=/; HttpOnly; SameSite=Strict{max_age}{secure}",
            self.name(https)
        )
    }

    /// The value the browser sent, if any.
    pub fn read(&self, headers: &HeaderMap, https: bool) -> Option<String> {
        let wanted = self.name(https);
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, value)| *name == wanted && !value.is_empty())
            .map(|(_, value)| value.to_owned())
    }
}

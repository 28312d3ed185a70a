//! Building request URLs: percent-encoded query parameters (apiimplementation.md, "URL
//! Parameter Encoding": De Angelo is sent as De%20Angelo) and paging parameters.

/// Ordered query parameters; empty values are left out, because Open Dental treats an absent
/// parameter as "any" and an empty one is never what a search form means.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `name=value` unless the trimmed value is empty.
    pub fn param(mut self, name: &str, value: impl ToString) -> Self {
        let value = value.to_string();
        let value = value.trim();
        if !value.is_empty() {
            self.0.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    pub fn opt(self, name: &str, value: Option<impl ToString>) -> Self {
        match value {
            Some(v) => self.param(name, v),
            None => self,
        }
    }

    /// Sets `Offset` (replacing an earlier one) for the paging helper.
    pub fn with_offset(mut self, offset: usize) -> Self {
        self.0.retain(|(k, _)| k != "Offset");
        if offset > 0 {
            self.0.push(("Offset".into(), offset.to_string()));
        }
        self
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// `?a=1&b=x%20y`, or "" when there are no parameters.
    pub fn to_query_string(&self) -> String {
        if self.0.is_empty() {
            return String::new();
        }
        let pairs: Vec<String> = self
            .0
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        format!("?{}", pairs.join("&"))
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters, as UTF-8 bytes.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Joins a base URL such as `https://api.opendental.com/api/v1` and a resource path.
pub fn url(base: &str, path: &str, query: &Query) -> String {
    format!(
        "{}/{}{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/'),
        query.to_query_string()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_spaces_apostrophes_and_accents() {
        assert_eq!(encode("De Angelo"), "De%20Angelo");
        assert_eq!(encode("O'Brien"), "O%27Brien");
        assert_eq!(encode("Zoë"), "Zo%C3%AB");
        assert_eq!(encode("a&b=c"), "a%26b%3Dc");
    }

    #[test]
    fn builds_urls_leaving_out_empty_parameters() {
        let q = Query::new()
            .param("LName", " smi ")
            .param("FName", "")
            .param("Birthdate", "1976-05-24");
        assert_eq!(
            url("http://localhost:30222/api/v1/", "/patients", &q),
            "http://localhost:30222/api/v1/patients?LName=smi&Birthdate=1976-05-24"
        );
        assert_eq!(
            url("https://x/api/v1", "patients", &Query::new()),
            "https://x/api/v1/patients"
        );
    }

    #[test]
    fn offset_replaces_and_zero_is_omitted() {
        let q = Query::new().param("Category", 18).with_offset(100).with_offset(200);
        assert_eq!(q.to_query_string(), "?Category=18&Offset=200");
        assert_eq!(q.with_offset(0).to_query_string(), "?Category=18");
    }
}

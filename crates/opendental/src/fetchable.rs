//! Whether a web address may be handed to Open Dental to fetch (Documents POST SetByUrl).
//!
//! Open Dental downloads the file itself, later, from the office: an address that names this
//! computer, the office network, a cloud metadata service or carries a password would make it
//! fetch something inside the office for whoever typed the address. Such addresses are refused
//! with an explanation. Hosts are read the way browsers read them (WHATWG URL), including
//! IPv4 written as one number, in hex or in octal (`http://2130706433/`, `http://0x7f.1/`),
//! and every numeric form other than four decimal numbers is refused, since other parsers
//! read them differently. A public name that resolves to a private address cannot be
//! recognised here (that needs the DNS answer, at the fetching end).

use std::net::{Ipv4Addr, Ipv6Addr};

const ONLY_PUBLIC: &str = "Only public web addresses can be added.";

/// Names that only resolve inside a network (RFC 6761, 6762, 8375 and common practice).
const INTERNAL_SUFFIXES: [&str; 9] = [
    "localhost",
    "local",
    "internal",
    "localdomain",
    "lan",
    "home",
    "home.arpa",
    "corp",
    "intranet",
];

/// `Ok` for an http(s) address Open Dental may fetch from anywhere; otherwise why not, in
/// words for the person who typed it.
pub fn check_fetchable_url(url: &str) -> Result<(), String> {
    let url = url.trim();
    if url.is_empty() {
        return Err("Enter the web address of the file.".into());
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or("Only web addresses starting with http:// or https:// can be added.")?;
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("That web address contains spaces or invisible characters.".into());
    }
    // Browsers read "\" as "/" in web addresses, other software does not: refuse the ambiguity.
    if url.contains('\\') {
        return Err("That web address contains a backslash (\\); web addresses use / only.".into());
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Err(format!(
            "That web address carries a user name or password (the part before @). Open Dental would send it \
             from inside the office. {ONLY_PUBLIC}"
        ));
    }
    let host = host_of(authority)?;
    match host {
        Host::V4(ip, canonical) => {
            check_ipv4(ip)?;
            if !canonical {
                return Err(format!(
                    "Write an IP address as four numbers separated by dots (this one means {ip}), or use the \
                     site's name."
                ));
            }
            Ok(())
        }
        Host::V6(ip) => check_ipv6(ip),
        Host::Name(name) => check_name(&name),
    }
}

enum Host {
    /// The address, and whether it was written as four decimal numbers.
    V4(Ipv4Addr, bool),
    V6(Ipv6Addr),
    Name(String),
}

/// The host of `host[:port]` (already lowercase), read as an address if it is one.
fn host_of(authority: &str) -> Result<Host, String> {
    let no_host = || "That web address has no host name.".to_owned();
    if let Some(bracketed) = authority.strip_prefix('[') {
        let (inside, after) = bracketed.split_once(']').ok_or_else(no_host)?;
        check_port(after)?;
        if inside.contains('%') {
            return Err(format!(
                "An IPv6 address with a zone (%) is a local address. {ONLY_PUBLIC}"
            ));
        }
        return inside
            .parse::<Ipv6Addr>()
            .map(Host::V6)
            .map_err(|_| format!("[{inside}] is not an IPv6 address."));
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    if let Some(port) = port {
        check_port(&format!(":{port}"))?;
    }
    if host.contains('%') {
        return Err("Write the host name plainly, without % codes.".into());
    }
    if !host.is_ascii() {
        return Err("Write an international host name in its xn-- form.".into());
    }
    let host = host.trim_end_matches('.');
    if host.is_empty() {
        return Err(no_host());
    }
    if let Some(parsed) = parse_ipv4(host)? {
        return Ok(Host::V4(parsed, is_dotted_quad(host)));
    }
    if !host
        .split('.')
        .all(|label| !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    {
        return Err(format!("\"{host}\" is not a valid host name."));
    }
    Ok(Host::Name(host.to_owned()))
}

/// "" or ":" followed by a port number (an empty port means the default, as browsers read it).
fn check_port(after_host: &str) -> Result<(), String> {
    match after_host.strip_prefix(':') {
        None if after_host.is_empty() => Ok(()),
        Some("") => Ok(()),
        Some(port) if port.chars().all(|c| c.is_ascii_digit()) && port.parse::<u16>().is_ok_and(|p| p > 0) => Ok(()),
        _ => Err("The port after the host name must be a number from 1 to 65535.".into()),
    }
}

/// IPv4 as browsers parse a host (WHATWG "IPv4 parser"): `None` if the host is a name; an
/// error if it ends in a number but is not a valid address.
fn parse_ipv4(host: &str) -> Result<Option<Ipv4Addr>, String> {
    let parts: Vec<&str> = host.split('.').collect();
    let last = parts.last().copied().unwrap_or("");
    let ends_in_number = (!last.is_empty() && last.chars().all(|c| c.is_ascii_digit()))
        || last
            .strip_prefix("0x")
            .is_some_and(|hex| hex.chars().all(|c| c.is_ascii_hexdigit()));
    if !ends_in_number {
        return Ok(None);
    }
    let invalid = || format!("\"{host}\" is neither a host name nor an IP address.");
    if parts.len() > 4 {
        return Err(invalid());
    }
    let numbers: Vec<u64> = parts
        .iter()
        .map(|p| parse_ipv4_number(p))
        .collect::<Option<_>>()
        .ok_or_else(invalid)?;
    let (init, last) = numbers.split_at(numbers.len() - 1);
    if init.iter().any(|&n| n > 255) || last[0] >= 256u64.pow(5 - numbers.len() as u32) {
        return Err(invalid());
    }
    let mut value = last[0];
    for (i, &n) in init.iter().enumerate() {
        value += n << (8 * (3 - i));
    }
    Ok(Some(Ipv4Addr::from(value as u32)))
}

/// One part: decimal, `0x` hex, or octal with a leading 0.
fn parse_ipv4_number(part: &str) -> Option<u64> {
    let (digits, radix) = if let Some(hex) = part.strip_prefix("0x") {
        (hex, 16)
    } else if part.len() > 1 && part.starts_with('0') {
        (&part[1..], 8)
    } else {
        (part, 10)
    };
    if digits.is_empty() {
        return (radix == 16 || part == "0").then_some(0);
    }
    if part.is_empty() || digits.len() > 12 {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// Four decimal numbers without leading zeros: the form everyone reads the same way.
fn is_dotted_quad(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.chars().all(|c| c.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
        })
}

fn check_ipv4(ip: Ipv4Addr) -> Result<(), String> {
    let [a, b, c, _] = ip.octets();
    let what = match (a, b, c) {
        (0, _, _) => "means this computer",
        (127, _, _) => "is this computer (loopback)",
        (10, _, _) | (192, 168, _) => "is a private office network address",
        (172, 16..=31, _) => "is a private office network address",
        (169, 254, _) if ip == Ipv4Addr::new(169, 254, 169, 254) => "is a cloud metadata address",
        (169, 254, _) => "is a link-local address",
        (100, 64..=127, _) => "is a shared (carrier-grade NAT) address, used inside networks and clouds",
        (192, 0, 0) => "is reserved for protocol use",
        (198, 18..=19, _) => "is reserved for network testing",
        (224..=239, _, _) => "is a multicast address",
        (240..=255, _, _) => "is reserved (or broadcast)",
        _ => return Ok(()),
    };
    Err(format!(
        "Open Dental would fetch this address from inside the office: {ip} {what}. {ONLY_PUBLIC}"
    ))
}

fn check_ipv6(ip: Ipv6Addr) -> Result<(), String> {
    let segments = ip.segments();
    // IPv4 carried in IPv6: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 and 6to4.
    let embedded = ip.to_ipv4_mapped().or_else(|| match segments {
        [0, 0, 0, 0, 0, 0, _, _] if !ip.is_loopback() && !ip.is_unspecified() => {
            Some(v4_from(segments[6], segments[7]))
        }
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => Some(v4_from(segments[6], segments[7])),
        [0x2002, high, low, ..] => Some(v4_from(high, low)),
        _ => None,
    });
    if let Some(v4) = embedded {
        return check_ipv4(v4).map_err(|why| why.replacen(&v4.to_string(), &format!("[{ip}] ({v4})"), 1));
    }
    let what = if ip.is_loopback() {
        "is this computer (loopback)"
    } else if ip.is_unspecified() {
        "means this computer"
    } else if segments[0] & 0xfe00 == 0xfc00 {
        "is a private (unique local) address"
    } else if segments[0] & 0xffc0 == 0xfe80 || segments[0] & 0xffc0 == 0xfec0 {
        "is a link-local address"
    } else if segments[0] & 0xff00 == 0xff00 {
        "is a multicast address"
    } else {
        return Ok(());
    };
    Err(format!(
        "Open Dental would fetch this address from inside the office: [{ip}] {what}. {ONLY_PUBLIC}"
    ))
}

fn v4_from(high: u16, low: u16) -> Ipv4Addr {
    Ipv4Addr::from(((high as u32) << 16) | low as u32)
}

fn check_name(name: &str) -> Result<(), String> {
    let internal = INTERNAL_SUFFIXES
        .iter()
        .any(|suffix| name == *suffix || name.ends_with(&format!(".{suffix}")));
    if internal {
        let what = if name == "localhost" || name.ends_with(".localhost") {
            "names this computer"
        } else if name == "metadata.google.internal" {
            "is a cloud metadata address"
        } else {
            "is a name used only inside networks"
        };
        return Err(format!(
            "Open Dental would fetch this address from inside the office: \"{name}\" {what}. {ONLY_PUBLIC}"
        ));
    }
    if !name.contains('.') {
        return Err(format!(
            "\"{name}\" has no domain (like example.org), so it would name a computer in the office network. \
             {ONLY_PUBLIC}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(url: &str) -> String {
        check_fetchable_url(url).expect_err(url)
    }

    #[test]
    fn public_http_and_https_addresses_are_accepted() {
        for ok in [
            "https://example.org/scan.pdf",
            " http://files.example.com:8080/a/b.jpg?x=1#top ",
            "HTTPS://Example.ORG/Scan.PDF",
            "https://8.8.8.8/x.png",
            "http://[2001:4860:4860::8888]/x.png",
            "https://example.org./x",
            "https://cdn.example.org:/x",
            "https://172.32.0.1/x",
            "https://100.128.0.1/x",
        ] {
            assert_eq!(check_fetchable_url(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn other_schemes_and_malformed_addresses_are_refused() {
        assert!(refused("ftp://example.org/a").contains("http://"));
        for bad in [
            "",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "https://",
            "https:///x",
            "http://a b/c",
            "http://example.org:99999/",
            "http://example.org:x/",
            "http://exa%6dple.org/",
            "http://exämple.org/",
            "http://[::1/",
            "http://256.1.1.1/",
            "http://1.2.3.4.5/",
            "http://foo.123/",
            "http://foo.09/",
        ] {
            assert!(check_fetchable_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn loopback_private_link_local_and_metadata_addresses_are_refused_with_the_reason() {
        let cases = [
            ("http://127.0.0.1:8080/f.png", "loopback"),
            ("http://127.9.9.9/", "loopback"),
            ("http://0.0.0.0/", "this computer"),
            ("http://10.1.2.3/", "private"),
            ("http://172.16.0.1/", "private"),
            ("http://172.31.255.255/", "private"),
            ("http://192.168.1.10/scan.jpg", "private"),
            ("http://100.64.0.1/", "carrier-grade"),
            ("http://100.100.100.200/", "carrier-grade"),
            ("http://169.254.169.254/latest/meta-data/", "metadata"),
            ("http://169.254.10.1/", "link-local"),
            ("http://224.0.0.1/", "multicast"),
            ("http://255.255.255.255/", "broadcast"),
            ("http://[::1]/", "loopback"),
            ("http://[::]/", "this computer"),
            ("http://[fc00::1]/", "unique local"),
            ("http://[fd00:ec2::254]/", "unique local"),
            ("http://[fe80::1]/", "link-local"),
            ("http://[fe80::1%25eth0]/", "zone"),
            ("http://[::ffff:127.0.0.1]/", "loopback"),
            ("http://[::ffff:7f00:1]/", "loopback"),
            ("http://[::ffff:169.254.169.254]/", "metadata"),
            ("http://[::10.0.0.1]/", "private"),
            ("http://[64:ff9b::192.168.0.1]/", "private"),
            ("http://[2002:c0a8:0101::]/", "private"),
            ("http://localhost/", "this computer"),
            ("http://LOCALHOST.:3000/", "this computer"),
            ("http://app.localhost/", "this computer"),
            ("http://printer.local/", "inside networks"),
            ("http://metadata.google.internal/computeMetadata/v1/", "metadata"),
            ("http://db.corp/", "inside networks"),
            ("http://nas/scan.pdf", "no domain"),
        ];
        for (url, reason) in cases {
            let why = refused(url);
            assert!(why.contains(reason), "{url}: {why}");
        }
    }

    #[test]
    fn numeric_tricks_are_read_as_browsers_read_them_and_refused() {
        for (url, means) in [
            ("http://2130706433/", "127.0.0.1"),
            ("http://0x7f.1/", "127.0.0.1"),
            ("http://0x7F000001/", "127.0.0.1"),
            ("http://0177.0.0.1/", "127.0.0.1"),
            ("http://127.1/", "127.0.0.1"),
            ("http://0xa9.0xfe.0xa9.0xfe/", "169.254.169.254"),
            ("http://3232235777/", "192.168.1.1"),
        ] {
            let why = refused(url);
            assert!(why.contains(means), "{url}: {why}");
        }
        // A public address in an unusual form is refused too: other software reads these differently.
        assert!(refused("http://134744072/").contains("8.8.8.8"));
        assert!(refused("http://08.8.8.8/").contains("neither"));
    }

    #[test]
    fn credentials_in_the_address_are_refused() {
        for url in [
            "https://user:secret@example.org/x.pdf",
            "https://user@example.org/x.pdf",
            "https://@example.org/",
            "http://example.org@127.0.0.1/",
        ] {
            assert!(refused(url).contains("user name or password"), "{url}");
        }
        assert!(refused("http://example.org\\@127.0.0.1/").contains("backslash"));
        // An @ after the host is part of the path, not a login.
        assert_eq!(check_fetchable_url("https://example.org/people/@me.png"), Ok(()));
    }
}

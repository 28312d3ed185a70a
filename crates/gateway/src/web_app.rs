//! The built app (Trunk's dist), held in memory with brotli and gzip copies made once at
//! start-up: hashed assets are cached `immutable`, `index.html` is revalidated, and the
//! Content-Security-Policy allows the app's own inline start-up script by its hash only.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use bytes::Bytes;
use sha2::{Digest, Sha256};

pub struct Asset {
    content_type: &'static str,
    raw: Bytes,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
    etag: String,
    immutable: bool,
}

pub struct AppFiles {
    files: HashMap<String, Asset>,
    /// The policy for every response (see `security.rs`).
    pub content_security_policy: String,
}

pub fn content_type(name: &str) -> &'static str {
    match name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .as_deref()
    {
        Some("html") => "text/html; charset=utf-8",
        Some("js") | Some("mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg") | Some("jpeg") => "image/jpeg",
        Some("ico") => "image/x-icon",
        Some("gif") => "image/gif",
        Some("bmp") => "image/bmp",
        Some("tif") | Some("tiff") => "image/tiff",
        Some("pdf") => "application/pdf",
        Some("json") | Some("webmanifest") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn compressible(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || content_type.starts_with("application/wasm")
        || content_type.starts_with("application/json")
        || content_type.starts_with("image/svg")
}

/// Trunk names built assets `name-<16 hex digits>[_bg].ext` (or `<16 hex digits>-name.ext`
/// for an initializer): their content never changes under that name.
fn is_hashed(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    stem.contains('-')
        && stem.split('-').any(|part| {
            let hex = part.chars().take_while(|c| c.is_ascii_hexdigit()).count();
            hex >= 16
        })
}

/// Compressed copies, remembered by content hash for the life of the process (tests start
/// many gateways on the same build).
fn compressed(raw: &[u8], digest: &str) -> (Bytes, Bytes) {
    static CACHE: OnceLock<Mutex<HashMap<String, (Bytes, Bytes)>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.lock().unwrap().get(digest) {
        return hit.clone();
    }
    let mut br = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &raw[..], &mut br, &params).expect("compressing memory cannot fail");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut gz, raw).expect("compressing memory cannot fail");
    let gz = gz.finish().expect("compressing memory cannot fail");
    let pair = (Bytes::from(br), Bytes::from(gz));
    cache.lock().unwrap().insert(digest.to_owned(), pair.clone());
    pair
}

/// `'sha256-…'` for each inline `<script>` (one without `src`) in the page.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else { break };
        let tag = &after[..tag_end];
        let body = &after[tag_end + 1..];
        let Some(close) = body.find("</script>") else { break };
        if !tag.contains(" src=") && !tag.contains("\tsrc=") && !tag.contains("\nsrc=") {
            let digest = Sha256::digest(&body.as_bytes()[..close]);
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &body[close..];
    }
    hashes
}

/// Only the app's own origin, WebAssembly, and the inline start-up script by hash; images
/// may also be `blob:` (photo previews, documents) and `data:`; frames only `blob:` (a PDF
/// in the browser's own viewer, from bytes the app already holds).
pub fn content_security_policy(script_hashes: &[String]) -> String {
    let mut script_src = "'self' 'wasm-unsafe-eval'".to_owned();
    for h in script_hashes {
        script_src.push(' ');
        script_src.push_str(h);
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' blob: data:; \
         media-src 'self' blob:; frame-src blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'"
    )
}

impl AppFiles {
    /// Reads every file below `dir`. A missing dir gives an app that says how to build it.
    pub fn load(dir: &Path) -> Result<AppFiles, String> {
        let mut files = HashMap::new();
        if dir.is_dir() {
            collect(dir, dir, &mut files)?;
        }
        let hashes: Vec<String> = [STAFF_PAGE, KIOSK_PAGE]
            .iter()
            .filter_map(|page| files.get(*page))
            .flat_map(|a: &Asset| inline_script_hashes(&String::from_utf8_lossy(&a.raw)))
            .collect();
        Ok(AppFiles {
            files,
            content_security_policy: content_security_policy(&hashes),
        })
    }

    pub fn has_index(&self) -> bool {
        self.files.contains_key(STAFF_PAGE)
    }

    /// The answer for GET `path`: a file, or the page of the app whose route it is.
    pub fn respond(&self, path: &str, request: &HeaderMap) -> Response {
        let name = path.trim_start_matches('/');
        let last = name.rsplit('/').next().unwrap_or_default();
        let asset = match self.files.get(name) {
            Some(asset) => asset,
            // Client-side routes (/patients/48/documents, /kiosk/) have no extension: the app
            // they belong to handles them.
            None if !last.contains('.') => match self.files.get(page_for_route(name)) {
                Some(index) => index,
                None => return not_built(),
            },
            None => {
                return (
                    StatusCode::NOT_FOUND,
                    [(header::CACHE_CONTROL, "no-store")],
                    format!("There is no file /{name} in Chairside."),
                )
                    .into_response()
            }
        };
        asset.respond(request)
    }
}

/// The staff app's page, and the kiosk app's (a separate, smaller build under /kiosk/).
const STAFF_PAGE: &str = "index.html";
const KIOSK_PAGE: &str = "kiosk/index.html";

fn page_for_route(name: &str) -> &'static str {
    if name == "kiosk" || name.starts_with("kiosk/") {
        KIOSK_PAGE
    } else {
        STAFF_PAGE
    }
}

fn not_built() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CACHE_CONTROL, "no-store")],
        "The Chairside app is not built: run `trunk build --release` and point app_dir at its dist folder.",
    )
        .into_response()
}

impl Asset {
    fn respond(&self, request: &HeaderMap) -> Response {
        let cache = if self.immutable {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        let mut headers = HeaderMap::new();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        headers.insert(
            header::ETAG,
            HeaderValue::from_str(&self.etag).expect("an etag is ASCII"),
        );
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        let not_modified = request
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|tag| tag.trim() == self.etag));
        if not_modified {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        let accepts = |coding: &str| {
            request
                .get_all(header::ACCEPT_ENCODING)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .any(|item| {
                    let mut parts = item.split(';');
                    parts.next().is_some_and(|c| c.trim().eq_ignore_ascii_case(coding))
                        && !parts.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"))
                })
        };
        let (body, coding) = match (&self.brotli, &self.gzip) {
            (Some(br), _) if accepts("br") => (br.clone(), Some("br")),
            (_, Some(gz)) if accepts("gzip") => (gz.clone(), Some("gzip")),
            _ => (self.raw.clone(), None),
        };
        if let Some(coding) = coding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        (StatusCode::OK, headers, Body::from(body)).into_response()
    }
}

fn collect(root: &Path, dir: &Path, files: &mut HashMap<String, Asset>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files)?;
            continue;
        }
        let name = path
            .strip_prefix(root)
            .map_err(|e| e.to_string())?
            .to_string_lossy()
            .replace('\\', "/");
        // Precompressed siblings from a build step are not files of their own.
        if name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        let raw = Bytes::from(std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?);
        let content_type = content_type(&name);
        let digest = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(&raw));
        let (brotli, gzip) = if compressible(content_type) && raw.len() > 256 {
            let (br, gz) = compressed(&raw, &digest);
            (Some(br), Some(gz))
        } else {
            (None, None)
        };
        let asset = Asset {
            content_type,
            etag: format!("\"{}\"", &digest[..22]),
            immutable: is_hashed(&name),
            raw,
            brotli,
            gzip,
        };
        files.insert(name, asset);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_and_inline_scripts() {
        assert!(is_hashed("chairside-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed("main-0123456789abcdef.css"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("favicon.svg"));
        assert!(!is_hashed("chairside-gateway.js"));
        assert!(is_hashed("27297ceabdb95efb-boot.mjs"));
        assert!(
            !is_hashed("0123456789abcdef0.js"),
            "a name that is only hex is not Trunk's pattern"
        );

        let html = "<html><script type=\"module\">import init from '/a.js';\ninit();</script>\
                    <script src=\"/x.js\"></script><script>let x = 1;</script></html>";
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 2);
        let expected =
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"import init from '/a.js';\ninit();"));
        assert_eq!(hashes[0], format!("'sha256-{expected}'"));
        assert_eq!(page_for_route("kiosk/"), KIOSK_PAGE);
        assert_eq!(page_for_route("kiosk"), KIOSK_PAGE);
        assert_eq!(page_for_route("kiosks"), STAFF_PAGE, "the staff Kiosks page");
        assert_eq!(page_for_route("patients/48"), STAFF_PAGE);
        let csp = content_security_policy(&hashes);
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"));
        assert!(!csp.contains("unsafe-inline"));
    }
}

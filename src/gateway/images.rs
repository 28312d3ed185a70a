//! Images: the gateway's own SFTP site (see crates/gateway/README.md, "Images"). Files come
//! as the browser's own Blobs; thumbnails and a mount's images as base64, drawn only on screen.

use gloo_net::http::Request;
use serde::Deserialize;

use super::{hub, is_signed_out, network_problem, ENDPOINT_HEADER, SIGNED_OUT_HEADER};

/// One thumbnail (or one image of a mount), as the gateway sends it: the bytes are base64, and
/// are turned into a picture only when it is on screen.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct EncodedImage {
    #[serde(rename = "DocNum")]
    pub doc_num: i64,
    #[serde(rename = "FileName", default)]
    pub file_name: String,
    #[serde(rename = "ContentType", default)]
    pub content_type: String,
    #[serde(rename = "Data", default)]
    pub data: String,
}

#[derive(Deserialize)]
struct ThumbnailsBody {
    #[serde(rename = "Thumbnails", default)]
    thumbnails: Vec<EncodedImage>,
}

#[derive(Deserialize)]
struct MountItemsBody {
    #[serde(rename = "Items", default)]
    items: Vec<EncodedImage>,
}

pub fn document_file_url(doc_num: i64) -> String {
    format!("/gateway/v1/documents/{doc_num}/file")
}

pub fn mount_image_url(mount_num: i64) -> String {
    format!("/gateway/v1/mounts/{mount_num}/image")
}

pub fn mount_thumbnail_url(mount_num: i64) -> String {
    format!("/gateway/v1/mounts/{mount_num}/thumbnail")
}

/// A file from the gateway, kept as the browser's own Blob (a 5 MB X-ray is not copied into
/// the app's memory).
#[derive(Clone, Debug)]
pub struct FetchedFile {
    pub blob: web_sys::Blob,
    pub content_type: String,
    pub file_name: String,
}

/// The patient's thumbnails (one Thumbnails call, or the gateway's kept copy).
pub async fn thumbnails(pat_num: i64) -> Result<Vec<EncodedImage>, String> {
    let response = get_image(&format!("/gateway/v1/patients/{pat_num}/thumbnails")).await?;
    let body = response.text().await.map_err(network_problem)?;
    serde_json::from_str::<ThumbnailsBody>(&body)
        .map(|b| b.thumbnails)
        .map_err(|e| format!("The gateway's thumbnails could not be read: {e}"))
}

/// Each image of a mount (one DownloadMount).
pub async fn mount_items(mount_num: i64) -> Result<Vec<EncodedImage>, String> {
    let response = get_image(&format!("/gateway/v1/mounts/{mount_num}/items")).await?;
    let body = response.text().await.map_err(network_problem)?;
    serde_json::from_str::<MountItemsBody>(&body)
        .map(|b| b.items)
        .map_err(|e| format!("The mount's images could not be read: {e}"))
}

/// A document's file, a mount's composite or its tile, by one of the URLs above.
pub async fn fetch_file(url: &str) -> Result<FetchedFile, String> {
    let response = get_image(url).await?;
    let content_type = response.headers().get("content-type").unwrap_or_default();
    let file_name = response
        .headers()
        .get("content-disposition")
        .and_then(|d| {
            d.split("filename=\"")
                .nth(1)
                .map(|n| n.trim_end_matches('"').to_owned())
        })
        .unwrap_or_default();
    let raw: web_sys::Response = response.into();
    let promise = raw.blob().map_err(|e| format!("{e:?}"))?;
    let blob = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|_| "The file broke off on its way from the gateway. Try again.".to_owned())?;
    Ok(FetchedFile {
        blob: blob.into(),
        content_type,
        file_name,
    })
}

/// A GET to the gateway's image routes, reported to the [`hub`] like an /api/v1 request (the
/// session is extended; "signed out" waits for the same user to sign in again, then goes
/// again: these are reads). Errors are the gateway's or Open Dental's own text.
async fn get_image(url: &str) -> Result<gloo_net::http::Response, String> {
    loop {
        let sent_at = js_sys::Date::now();
        let on_the_wire = hub::sent(sent_at);
        let response = Request::get(url)
            .cache(web_sys::RequestCache::NoStore)
            .send()
            .await
            .map_err(network_problem)?;
        let status = response.status();
        if is_signed_out(status, response.headers().get(SIGNED_OUT_HEADER).as_deref()) {
            drop(on_the_wire);
            if hub::wait_for_sign_in().await {
                continue;
            }
            return Err("You were signed out.".into());
        }
        hub::answered(
            sent_at,
            (200..300).contains(&status),
            response.headers().get(ENDPOINT_HEADER),
        );
        if (200..300).contains(&status) {
            return Ok(response);
        }
        let text = response.text().await.unwrap_or_default();
        let text = text.trim();
        return Err(if text.is_empty() || text.starts_with('<') {
            format!("The gateway could not get this file (HTTP {status}).")
        } else {
            text.chars().take(600).collect()
        });
    }
}

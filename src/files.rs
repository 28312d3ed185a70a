//! Files the user picks: read with the FileReader API, base64-encoded with the `base64` crate
//! straight into a request body, and (for photos over the size limit) downscaled on a canvas.

use base64::{engine::general_purpose::STANDARD, Engine};
use futures::channel::oneshot;
use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, File, FileReader};

/// Read and encoded 1.5 MiB at a time: a multiple of 3 bytes, so the base64 of slices joins
/// without padding. Measured on a 12 MiB file (scripts/bench): 3 MiB slices took 85–107 ms with
/// the page growing 2.8–3.0× the file; 1.5 MiB, 90–104 ms and 2.4–2.5×; 768 KiB, 116–147 ms.
const CHUNK_BYTES: u32 = 3 * 512 * 1024;

/// Reads a whole file or blob with `FileReader.readAsArrayBuffer`.
pub async fn read(blob: &Blob) -> Result<ArrayBuffer, String> {
    let reader = FileReader::new().map_err(describe)?;
    let (done, finished) = oneshot::channel::<Result<(), String>>();
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
    let on_load = {
        let done = done.clone();
        Closure::<dyn FnMut()>::new(move || {
            if let Some(tx) = done.borrow_mut().take() {
                let _ = tx.send(Ok(()));
            }
        })
    };
    let on_error = Closure::<dyn FnMut()>::new(move || {
        if let Some(tx) = done.borrow_mut().take() {
            let _ = tx.send(Err("The browser could not read the file.".into()));
        }
    });
    reader.set_onload(Some(on_load.as_ref().unchecked_ref()));
    reader.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    reader.read_as_array_buffer(blob).map_err(describe)?;
    finished
        .await
        .map_err(|_| "Reading the file was interrupted.".to_string())??;
    reader
        .result()
        .map_err(describe)?
        .dyn_into::<ArrayBuffer>()
        .map_err(describe)
}

/// The Upload body as a Blob: `prefix`, the file's base64, `suffix`. The file is read with
/// FileReader a slice at a time and each slice's base64 becomes a Blob part at once, so neither
/// wasm nor JS memory ever holds the whole file or its whole base64 (the browser keeps Blob
/// data outside the page's heap).
pub async fn encode_to_blob(file: &Blob, prefix: &str, suffix: &str) -> Result<Blob, String> {
    let total = file.size();
    let parts = js_sys::Array::new();
    parts.push(&JsValue::from_str(prefix));
    let mut chunk = vec![0u8; (CHUNK_BYTES as f64).min(total) as usize];
    let mut encoded = String::with_capacity(opendental::documents::base64_len(chunk.len()));
    let mut offset = 0.0;
    while offset < total {
        let end = (offset + CHUNK_BYTES as f64).min(total);
        let slice = file.slice_with_f64_and_f64(offset, end).map_err(describe)?;
        let data = read(&slice).await?;
        let n = data.byte_length() as usize;
        Uint8Array::new(&data).copy_to(&mut chunk[..n]);
        encoded.clear();
        STANDARD.encode_string(&chunk[..n], &mut encoded);
        // SAFETY: the view into wasm memory is used only by the Blob constructor, which copies it
        // synchronously; nothing allocates in wasm (which could move the memory) in between.
        let part = unsafe {
            let view = Uint8Array::view(encoded.as_bytes());
            Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&view))
        }
        .map_err(describe)?;
        parts.push(&part);
        offset = end;
    }
    parts.push(&JsValue::from_str(suffix));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    Blob::new_with_blob_sequence_and_options(&parts, &options).map_err(describe)
}

/// Why a photo could not be made smaller.
#[derive(Debug, Clone, PartialEq)]
pub enum DownscaleError {
    /// The browser cannot decode this format (HEIC in most browsers).
    CannotDecode,
    Failed(String),
}

/// Re-encodes an image as JPEG no larger than `max_bytes`, upright (EXIF orientation applied
/// by `createImageBitmap(…, {imageOrientation: "from-image"})`), trying smaller sizes until
/// it fits.
pub async fn downscale(file: &File, max_bytes: usize) -> Result<Blob, DownscaleError> {
    // Longest side first at 4096 px (plenty for clinical photos), then smaller until it fits.
    downscale_with(file, &[4096.0, 3072.0, 2048.0, 1600.0, 1200.0], max_bytes).await
}

/// Re-encodes an image upright as JPEG with its longest side at most `longest` pixels.
pub async fn resize_photo(file: &Blob, longest: f64) -> Result<Blob, DownscaleError> {
    downscale_with(file, &[longest], usize::MAX).await
}

async fn downscale_with(file: &Blob, sizes: &[f64], max_bytes: usize) -> Result<Blob, DownscaleError> {
    let window = web_sys::window().ok_or_else(|| DownscaleError::Failed("no window".into()))?;
    let options = web_sys::ImageBitmapOptions::new();
    options.set_image_orientation(web_sys::ImageOrientation::FromImage);
    let promise = window
        .create_image_bitmap_with_blob_and_image_bitmap_options(file, &options)
        .map_err(|_| DownscaleError::CannotDecode)?;
    let bitmap: web_sys::ImageBitmap = JsFuture::from(promise)
        .await
        .map_err(|_| DownscaleError::CannotDecode)?
        .unchecked_into();
    let (width, height) = (bitmap.width() as f64, bitmap.height() as f64);
    let document = window
        .document()
        .ok_or_else(|| DownscaleError::Failed("no document".into()))?;
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(|e| DownscaleError::Failed(describe(e)))?
        .unchecked_into();
    for &longest in sizes {
        let scale = (longest / width.max(height)).min(1.0);
        let (w, h) = ((width * scale).round().max(1.0), (height * scale).round().max(1.0));
        canvas.set_width(w as u32);
        canvas.set_height(h as u32);
        let context: web_sys::CanvasRenderingContext2d = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .ok_or_else(|| DownscaleError::Failed("no 2D canvas".into()))?
            .unchecked_into();
        context
            .draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, w, h)
            .map_err(|e| DownscaleError::Failed(describe(e)))?;
        let blob = to_jpeg(&canvas).await?;
        if (blob.size() as usize) <= max_bytes {
            bitmap.close();
            return Ok(blob);
        }
    }
    bitmap.close();
    Err(DownscaleError::Failed(
        "the photo is still too large at 1200 pixels".into(),
    ))
}

async fn to_jpeg(canvas: &web_sys::HtmlCanvasElement) -> Result<Blob, DownscaleError> {
    let (done, finished) = oneshot::channel::<Option<Blob>>();
    let done = std::cell::RefCell::new(Some(done));
    let callback = Closure::<dyn FnMut(JsValue)>::new(move |blob: JsValue| {
        if let Some(tx) = done.borrow_mut().take() {
            let _ = tx.send(blob.dyn_into::<Blob>().ok());
        }
    });
    canvas
        .to_blob_with_type_and_encoder_options(callback.as_ref().unchecked_ref(), "image/jpeg", &JsValue::from_f64(0.9))
        .map_err(|e| DownscaleError::Failed(describe(e)))?;
    finished
        .await
        .ok()
        .flatten()
        .ok_or_else(|| DownscaleError::Failed("the browser could not encode JPEG".into()))
}

/// Records a moment of an upload in the browser's performance timeline (for scripts/bench).
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// Size of the app's wasm memory, which only grows: after an upload it is the peak.
pub fn wasm_memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| m.buffer().unchecked_into::<ArrayBuffer>().byte_length() as f64)
        .unwrap_or(0.0)
}

/// The file's last-modified time as Open Dental's "yyyy-MM-dd HH:mm:ss" (local time).
pub fn last_modified(file: &File) -> String {
    date_time(&js_sys::Date::new(&JsValue::from_f64(file.last_modified())))
}

/// Where this page was loaded from, "http://host:port" ("" if unknown).
pub fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

pub fn now() -> String {
    date_time(&js_sys::Date::new_0())
}

fn date_time(d: &js_sys::Date) -> String {
    opendental::documents::format_date_time(
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds(),
    )
}

fn describe(e: JsValue) -> String {
    e.as_string()
        .or_else(|| {
            js_sys::Reflect::get(&e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| "unknown browser error".into())
}

//! Files the user picks: read with the FileReader API, base64-encoded straight into a request
//! body (by the browser's own `Uint8Array.prototype.toBase64` where it has one, else by the
//! `base64` crate), and (for photos over the size limit) downscaled on a canvas.

use base64::{engine::general_purpose::STANDARD, Engine};
use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, File, FileReader};

use crate::callback;

/// Read and encoded 1.5 MiB at a time: a multiple of 3 bytes, so the base64 of slices joins
/// without padding. Measured on a 12 MiB file (scripts/bench): 3 MiB slices took 85–107 ms with
/// the page growing 2.8–3.0× the file; 1.5 MiB, 90–104 ms and 2.4–2.5×; 768 KiB, 116–147 ms.
const CHUNK_BYTES: u32 = 3 * 512 * 1024;

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// A `Uint8Array` seen as having `toBase64()` (Chromium 140+, Firefox 133+, Safari 18.2+).
    /// js-sys has no binding; use it only where [`encoder`] says the browser has one.
    #[wasm_bindgen(extends = Uint8Array, js_name = Uint8Array)]
    type Base64Bytes;

    #[wasm_bindgen(method, js_name = toBase64)]
    fn to_base64(this: &Base64Bytes) -> js_sys::JsString;

    /// `TextEncoder`, taking a JS string as it is (web-sys's binding takes a Rust `&str`, which
    /// would copy the string through wasm memory).
    #[wasm_bindgen(js_name = TextEncoder)]
    type Utf8Encoder;

    #[wasm_bindgen(constructor, js_class = TextEncoder)]
    fn new() -> Utf8Encoder;

    /// `{read, written}`.
    #[wasm_bindgen(method, js_name = encodeInto)]
    fn encode_into(this: &Utf8Encoder, text: &js_sys::JsString, into: &Uint8Array) -> js_sys::Object;
}

/// Who turns a file's bytes into base64 for an upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoder {
    /// The browser's own `toBase64`: the bytes never enter wasm memory.
    Native,
    /// The `base64` crate, in wasm, for browsers without it.
    Wasm,
}

impl Encoder {
    pub fn name(self) -> &'static str {
        match self {
            Encoder::Native => "native",
            Encoder::Wasm => "wasm",
        }
    }
}

/// The encoder this browser offers (feature detection, asked once per upload).
pub fn encoder() -> Encoder {
    let probe = Uint8Array::new_with_length(0);
    let native = js_sys::Reflect::get(&probe, &JsValue::from_str("toBase64")).is_ok_and(|f| f.is_function());
    if native {
        Encoder::Native
    } else {
        Encoder::Wasm
    }
}

/// Reads a whole file or blob with `FileReader.readAsArrayBuffer`.
pub async fn read(blob: &Blob) -> Result<ArrayBuffer, String> {
    let reader = FileReader::new().map_err(describe)?;
    let (settle, settled) = callback::channel::<Result<(), String>>();
    let on_load = settle.with(Ok(()));
    let on_error = settle.with(Err("The browser could not read the file.".into()));
    reader.set_onload(Some(on_load.as_ref().unchecked_ref()));
    reader.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    reader.read_as_array_buffer(blob).map_err(describe)?;
    settled
        .wait()
        .await
        .ok_or_else(|| "Reading the file was interrupted.".to_string())??;
    reader
        .result()
        .map_err(describe)?
        .dyn_into::<ArrayBuffer>()
        .map_err(describe)
}

/// The Upload body as a Blob: `prefix`, the file's base64, `suffix`. Each slice's base64 becomes
/// a Blob part at once, so the page never holds the whole base64 (the browser keeps Blob data
/// outside the page's heap); see [`encode_natively`] and [`encode_in_wasm`].
pub async fn encode_to_blob(file: &Blob, prefix: &str, suffix: &str) -> Result<Blob, String> {
    let encoder = encoder();
    crate::perf::mark(&format!("chairside-upload-encoder={}", encoder.name()));
    let parts = js_sys::Array::new();
    parts.push(&JsValue::from_str(prefix));
    match encoder {
        Encoder::Native => encode_natively(file, &parts).await?,
        Encoder::Wasm => encode_in_wasm(file, &parts).await?,
    }
    parts.push(&JsValue::from_str(suffix));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    Blob::new_with_blob_sequence_and_options(&parts, &options).map_err(describe)
}

/// The browser's `toBase64`: the file read in one FileReader pass (one per slice costs more
/// than the encoding), then a view at a time encoded, written as bytes into one reused JS
/// buffer (`TextEncoder.encodeInto`: a Blob made from a string measured slower) and copied
/// into a Blob part. The bytes never enter wasm memory.
async fn encode_natively(file: &Blob, parts: &js_sys::Array) -> Result<(), String> {
    let buffer = read(file).await?;
    let total = buffer.byte_length();
    let text_encoder = Utf8Encoder::new();
    let out = Uint8Array::new_with_length(opendental::documents::base64_len(CHUNK_BYTES as usize) as u32);
    let mut offset = 0;
    while offset < total {
        let len = CHUNK_BYTES.min(total - offset);
        let view = Uint8Array::new_with_byte_offset_and_length(&buffer, offset, len);
        let text = view.unchecked_ref::<Base64Bytes>().to_base64();
        let result = text_encoder.encode_into(&text, &out);
        let written = js_sys::Reflect::get(&result, &JsValue::from_str("written"))
            .ok()
            .and_then(|w| w.as_f64())
            .unwrap_or(0.0) as u32;
        let part =
            Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&out.subarray(0, written))).map_err(describe)?;
        parts.push(&part);
        offset += len;
    }
    Ok(())
}

/// The fallback: the file read with FileReader a slice at a time, each slice's base64 made by
/// the `base64` crate (see [`WasmEncoder`]), so neither wasm nor JS memory ever holds the whole
/// file or its whole base64.
async fn encode_in_wasm(file: &Blob, parts: &js_sys::Array) -> Result<(), String> {
    let total = file.size();
    let mut encoder = WasmEncoder::new(total);
    let mut offset = 0.0;
    while offset < total {
        let end = (offset + CHUNK_BYTES as f64).min(total);
        let slice = file.slice_with_f64_and_f64(offset, end).map_err(describe)?;
        let buffer = read(&slice).await?;
        let part = encoder.encode(&Uint8Array::new(&buffer))?;
        parts.push(&part);
        offset = end;
    }
    Ok(())
}

/// Each slice copied into wasm memory, encoded by the `base64` crate into a buffer reused for
/// every slice, and copied out into a Blob part.
struct WasmEncoder {
    chunk: Vec<u8>,
    encoded: String,
}

impl WasmEncoder {
    fn new(total: f64) -> Self {
        let chunk = vec![0u8; (CHUNK_BYTES as f64).min(total) as usize];
        let encoded = String::with_capacity(opendental::documents::base64_len(chunk.len()));
        WasmEncoder { chunk, encoded }
    }

    fn encode(&mut self, data: &Uint8Array) -> Result<Blob, String> {
        let n = data.length() as usize;
        data.copy_to(&mut self.chunk[..n]);
        self.encoded.clear();
        STANDARD.encode_string(&self.chunk[..n], &mut self.encoded);
        // SAFETY: the view into wasm memory is used only by the Blob constructor, which copies it
        // synchronously; nothing allocates in wasm (which could move the memory) in between.
        unsafe {
            let view = Uint8Array::view(self.encoded.as_bytes());
            Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&view))
        }
        .map_err(describe)
    }
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
    let (settle, settled) = callback::channel::<Option<Blob>>();
    let on_blob = settle.taking(|blob: JsValue| blob.dyn_into::<Blob>().ok());
    canvas
        .to_blob_with_type_and_encoder_options(on_blob.as_ref().unchecked_ref(), "image/jpeg", &JsValue::from_f64(0.9))
        .map_err(|e| DownscaleError::Failed(describe(e)))?;
    settled
        .wait()
        .await
        .flatten()
        .ok_or_else(|| DownscaleError::Failed("the browser could not encode JPEG".into()))
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

//! Marks in the browser's performance timeline, read by the benchmarks (scripts/bench) and
//! the browser tests: when an upload began, was encoded and sent, when thumbnails arrived,
//! when the viewer painted.

use wasm_bindgen::JsCast;

/// Records a named moment in the page's performance timeline.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// Size of the app's wasm memory, which only grows: after an upload it is the peak.
pub fn wasm_memory_bytes() -> u64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| m.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as u64)
        .unwrap_or(0)
}

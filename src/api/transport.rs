//! The wire: one fetch, the gateway's "signed out" and endpoint headers, and XMLHttpRequest
//! for bodies whose upload progress the user watches (fetch reports none).

use std::{cell::RefCell, rc::Rc};

use gloo_net::http::{Method, RequestBuilder};
use opendental::ApiError;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{ProgressEvent, XmlHttpRequest};

use crate::{
    callback,
    gateway::{self, hub},
};

/// Lets the user stop an upload: before it is sent, or while it is on the wire.
#[derive(Clone, Default)]
pub struct UploadCancel(Rc<RefCell<(bool, Option<XmlHttpRequest>)>>);

impl UploadCancel {
    pub fn cancel(&self) {
        let mut state = self.0.borrow_mut();
        state.0 = true;
        if let Some(xhr) = state.1.take() {
            let _ = xhr.abort();
        }
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.borrow().0
    }
}

/// An HTTP answer: status, body, and the gateway's headers (absent in direct mode).
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) text: String,
    signed_out: Option<String>,
    endpoint: Option<String>,
}

/// One fetch: the request as built, the answer read whole; `abort` stops it.
pub(crate) async fn fetch(
    method: Method,
    url: &str,
    headers: &[(&'static str, String)],
    body: Option<&str>,
    abort: Option<&web_sys::AbortSignal>,
) -> Result<Answer, gloo_net::Error> {
    let mut request = RequestBuilder::new(url).method(method).abort_signal(abort);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let response = match body {
        Some(body) => request.body(body)?.send().await,
        None => request.send().await,
    }?;
    let signed_out = response.headers().get(gateway::SIGNED_OUT_HEADER);
    let endpoint = response.headers().get(gateway::ENDPOINT_HEADER);
    let text = response.text().await?;
    Ok(Answer {
        status: response.status(),
        text,
        signed_out,
        endpoint,
    })
}

/// What a gateway answer means for the request: `Some` to interpret it, `None` to send it
/// again (the gateway said "signed out", forwarded nothing, and someone has signed in since).
pub(crate) async fn through_gateway(sent_at: f64, answer: Answer) -> Result<Option<Answer>, ApiError> {
    if gateway::is_signed_out(answer.status, answer.signed_out.as_deref()) {
        return if hub::wait_for_sign_in().await {
            Ok(None)
        } else {
            Err(ApiError::Cancelled)
        };
    }
    hub::answered(sent_at, (200..300).contains(&answer.status), answer.endpoint.clone());
    Ok(Some(answer))
}

/// Sends `body` with XMLHttpRequest (fetch reports no upload progress): a document's POST
/// Upload and the kiosk's photo PUT. Progress events are forwarded; a dropped connection is a
/// network error, an abort by the user is `Cancelled`.
pub(crate) async fn xhr_send(
    method: &str,
    url: &str,
    headers: &[(&'static str, String)],
    body: &JsValue,
    on_progress: Rc<dyn Fn(f64, f64)>,
    cancel: &UploadCancel,
) -> Result<Answer, ApiError> {
    let failed = |what: &str| ApiError::Network {
        detail: what.to_owned(),
    };
    if cancel.is_cancelled() {
        return Err(ApiError::Cancelled);
    }
    let xhr = XmlHttpRequest::new().map_err(|_| failed("no XMLHttpRequest"))?;
    xhr.open_with_async(method, url, true)
        .map_err(|_| failed("the address was refused"))?;
    for (name, value) in headers {
        xhr.set_request_header(name, value)
            .map_err(|_| failed("a header was refused"))?;
    }
    let (settle, settled) = callback::channel::<&'static str>();
    let (on_load, on_error, on_abort) = (settle.with("load"), settle.with("error"), settle.with("abort"));
    xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
    xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    xhr.set_onabort(Some(on_abort.as_ref().unchecked_ref()));
    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
        if e.length_computable() {
            on_progress(e.loaded(), e.total());
        }
    });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    cancel.0.borrow_mut().1 = Some(xhr.clone());
    // `send(body)` for a Blob or a JS string alike (web-sys would copy a string through wasm).
    js_sys::Reflect::get(&xhr, &JsValue::from_str("send"))
        .and_then(|send| send.unchecked_into::<js_sys::Function>().call1(&xhr, body))
        .map_err(|_| failed("the browser refused to send"))?;
    crate::perf::mark("chairside-upload-sent");
    crate::perf::mark(&format!(
        "chairside-wasm-memory-after={}",
        crate::perf::wasm_memory_bytes()
    ));
    let outcome = settled.wait().await.unwrap_or("error");
    cancel.0.borrow_mut().1 = None;
    match outcome {
        "load" => Ok(Answer {
            status: xhr.status().unwrap_or(0),
            text: xhr.response_text().ok().flatten().unwrap_or_default(),
            signed_out: xhr.get_response_header(gateway::SIGNED_OUT_HEADER).ok().flatten(),
            endpoint: xhr.get_response_header(gateway::ENDPOINT_HEADER).ok().flatten(),
        }),
        "abort" if cancel.is_cancelled() => Err(ApiError::Cancelled),
        _ => Err(failed("the connection closed before Open Dental answered")),
    }
}

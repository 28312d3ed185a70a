//! Where `api::Client` (gateway mode) reports what it sees, and where requests that met "signed
//! out" wait for the next sign-in. Plain Rust: one listener (the session screens), set once.

use std::{cell::RefCell, collections::BTreeMap, rc::Rc};

use futures::channel::oneshot;

/// What happened to an /api/v1 request.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// A request went on the wire (the first of several pending ones, or another).
    Started,
    /// A request sent at `sent_at` was answered successfully: the session was extended.
    Extended { sent_at: f64 },
    /// The endpoint that answered (X-Chairside-Endpoint).
    Endpoint(String),
    /// The gateway answered "signed out"; a request now waits for a sign-in.
    SignedOut,
}

#[derive(Default)]
struct Hub {
    next_id: u64,
    /// Requests on the wire: id → when sent.
    pending: BTreeMap<u64, f64>,
    waiters: Vec<oneshot::Sender<()>>,
    listener: Option<Rc<dyn Fn(Notice)>>,
}

thread_local! {
    static HUB: RefCell<Hub> = RefCell::new(Hub::default());
}

/// The session screens' ear. Replaces any earlier listener.
pub fn listen(listener: impl Fn(Notice) + 'static) {
    HUB.with(|h| h.borrow_mut().listener = Some(Rc::new(listener)));
}

fn tell(notice: Notice) {
    // Called outside the borrow, so the listener may call back into the hub.
    if let Some(listener) = HUB.with(|h| h.borrow().listener.clone()) {
        listener(notice);
    }
}

/// A request on the wire until dropped (answered, failed, or abandoned).
pub struct OnTheWire(u64);

impl Drop for OnTheWire {
    fn drop(&mut self) {
        HUB.with(|h| h.borrow_mut().pending.remove(&self.0));
    }
}

pub fn sent(now: f64) -> OnTheWire {
    let id = HUB.with(|h| {
        let mut h = h.borrow_mut();
        h.next_id += 1;
        let id = h.next_id;
        h.pending.insert(id, now);
        id
    });
    tell(Notice::Started);
    OnTheWire(id)
}

/// When the oldest request still on the wire was sent.
pub fn oldest_pending() -> Option<f64> {
    HUB.with(|h| h.borrow().pending.values().copied().reduce(f64::min))
}

/// A request sent at `sent_at` got an answer other than "signed out".
pub fn answered(sent_at: f64, success: bool, endpoint: Option<String>) {
    if let Some(label) = endpoint.filter(|l| !l.trim().is_empty()) {
        tell(Notice::Endpoint(label.trim().to_owned()));
    }
    if success {
        tell(Notice::Extended { sent_at });
    }
}

/// Waits until someone signs in again (same user). `false` if that will never happen here
/// (the page is going away, e.g. a different user signed in).
pub async fn wait_for_sign_in() -> bool {
    let (tx, rx) = oneshot::channel();
    HUB.with(|h| h.borrow_mut().waiters.push(tx));
    tell(Notice::SignedOut);
    rx.await.is_ok()
}

/// The same user signed in again: every waiting request goes again, once.
pub fn signed_in_again() {
    let waiters = HUB.with(|h| std::mem::take(&mut h.borrow_mut().waiters));
    for waiter in waiters {
        let _ = waiter.send(());
    }
}

/// How many requests wait for a sign-in.
#[cfg(test)]
pub fn waiting_for_sign_in() -> usize {
    HUB.with(|h| h.borrow().waiters.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hub_tracks_requests_on_the_wire_and_wakes_waiters_after_sign_in() {
        use std::{cell::RefCell, future::Future, rc::Rc};

        let heard = Rc::new(RefCell::new(Vec::new()));
        let ear = heard.clone();
        listen(move |n| ear.borrow_mut().push(n));

        assert_eq!(oldest_pending(), None);
        let first = sent(10.0);
        let second = sent(20.0);
        assert_eq!(oldest_pending(), Some(10.0));
        drop(first);
        assert_eq!(oldest_pending(), Some(20.0));
        drop(second);
        assert_eq!(oldest_pending(), None);

        answered(20.0, true, Some("Remote".into()));
        answered(30.0, false, Some(" ".into()));
        assert_eq!(
            *heard.borrow(),
            vec![
                Notice::Started,
                Notice::Started,
                Notice::Endpoint("Remote".into()),
                Notice::Extended { sent_at: 20.0 },
            ]
        );

        let mut waiting = Box::pin(wait_for_sign_in());
        let waker = futures::task::noop_waker();
        let mut cx = std::task::Context::from_waker(&waker);
        assert!(waiting.as_mut().poll(&mut cx).is_pending());
        assert_eq!(heard.borrow().last(), Some(&Notice::SignedOut));
        assert_eq!(waiting_for_sign_in(), 1);
        signed_in_again();
        assert_eq!(waiting_for_sign_in(), 0);
        assert_eq!(waiting.as_mut().poll(&mut cx), std::task::Poll::Ready(true));
    }
}

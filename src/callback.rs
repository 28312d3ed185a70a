//! The one bridge from browser callbacks to a future. Several callbacks may race to settle it
//! (load, error, abort): the first one wins, later ones do nothing, and a future whose
//! `Settle` and callbacks were all dropped unheard ends with `None`.

use std::{cell::RefCell, rc::Rc};

use futures::channel::oneshot;
use wasm_bindgen::{closure::Closure, convert::FromWasmAbi};

/// The settling side: hand its callbacks to the browser, then `await` [`Settled`].
pub struct Settle<T>(Rc<RefCell<Option<oneshot::Sender<T>>>>);

/// The waiting side.
pub struct Settled<T>(oneshot::Receiver<T>);

pub fn channel<T>() -> (Settle<T>, Settled<T>) {
    let (sender, receiver) = oneshot::channel();
    (Settle(Rc::new(RefCell::new(Some(sender)))), Settled(receiver))
}

impl<T: 'static> Settle<T> {
    /// Settles with `value`, unless already settled.
    pub fn send(&self, value: T) {
        if let Some(sender) = self.0.borrow_mut().take() {
            let _ = sender.send(value);
        }
    }

    /// A callback taking no argument that settles with `value`.
    pub fn with(&self, value: T) -> Closure<dyn FnMut()> {
        let settle = Settle(self.0.clone());
        let mut value = Some(value);
        Closure::new(move || {
            if let Some(value) = value.take() {
                settle.send(value);
            }
        })
    }

    /// A callback that settles with what `make` turns its argument into.
    pub fn taking<A: FromWasmAbi + 'static>(&self, make: impl Fn(A) -> T + 'static) -> Closure<dyn FnMut(A)> {
        let settle = Settle(self.0.clone());
        Closure::new(move |arg: A| settle.send(make(arg)))
    }
}

impl<T> Settled<T> {
    /// The first value sent, or `None` if nothing can send one any more.
    pub async fn wait(self) -> Option<T> {
        self.0.await.ok()
    }
}

//! A request body kept as it arrives, so it can be forwarded while it is still coming in and
//! sent again from the start should the first endpoint refuse the connection.

use axum::body::Body;
use bytes::{Bytes, BytesMut};
use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use tokio::sync::watch;

/// What has arrived so far: chunks are only ever appended.
#[derive(Default)]
struct Received {
    chunks: Vec<Bytes>,
    end: Option<End>,
}

#[derive(Clone)]
enum End {
    /// All of it.
    Complete,
    /// The client's body broke off: what arrived must never be taken for the whole.
    Broken(String),
}

/// A body arriving (or arrived); cheap to clone.
#[derive(Clone)]
pub struct Incoming {
    received: watch::Receiver<Received>,
    /// Its length in bytes, known before it arrives (from Content-Length).
    len: usize,
}

/// Why a body is not complete.
#[derive(Debug, Clone)]
pub struct BrokenOff(pub String);

impl std::fmt::Display for BrokenOff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the request body broke off: {}", self.0)
    }
}

impl std::error::Error for BrokenOff {}

impl BrokenOff {
    /// The task reading (or hashing) the body ended without finishing it.
    fn reader_gone() -> BrokenOff {
        BrokenOff("the gateway stopped reading it".into())
    }
}

impl Incoming {
    /// Starts reading `body` in its own task, so it keeps arriving while upstream attempts
    /// (or nobody) consume it. Nothing else is done per chunk: it paces the upload.
    pub fn read(body: Body, len: usize) -> Incoming {
        let (sender, received) = watch::channel(Received::default());
        tokio::spawn(async move {
            let mut stream = body.into_data_stream();
            let end = loop {
                match stream.next().await {
                    Some(Ok(chunk)) => sender.send_modify(|r| r.chunks.push(chunk)),
                    Some(Err(e)) => break End::Broken(e.to_string()),
                    None => break End::Complete,
                }
            };
            sender.send_modify(|r| r.end = Some(end));
        });
        Incoming { received, len }
    }

    /// A body already read in full.
    pub fn complete(bytes: Bytes) -> Incoming {
        let len = bytes.len();
        let received = Received {
            end: Some(End::Complete),
            chunks: vec![bytes],
        };
        Incoming {
            received: watch::channel(received).1,
            len,
        }
    }

    pub fn byte_len(&self) -> usize {
        self.len
    }

    /// Waits for the whole body, or learns why it never came.
    pub async fn finished(&self) -> Result<(), BrokenOff> {
        let mut received = self.received.clone();
        // A sender gone without an end means the reading task died: the body is incomplete.
        let ended = received.wait_for(|r| r.end.is_some()).await;
        match ended.as_deref().map(|r| r.end.clone()) {
            Ok(Some(End::Complete)) => Ok(()),
            Ok(Some(End::Broken(why))) => Err(BrokenOff(why)),
            _ => Err(BrokenOff::reader_gone()),
        }
    }

    /// Why the body broke off, if it has.
    pub fn broken_off(&self) -> Option<BrokenOff> {
        match &self.received.borrow().end {
            Some(End::Broken(why)) => Some(BrokenOff(why.clone())),
            _ => None,
        }
    }

    /// The SHA-256 fingerprint of the whole body, once it has arrived. Computed only when
    /// asked (idempotent uploads), on a blocking thread: megabytes take milliseconds.
    pub async fn fingerprint(&self) -> Result<[u8; 32], BrokenOff> {
        self.finished().await?;
        let chunks = self.received.borrow().chunks.clone();
        let hashing = tokio::task::spawn_blocking(move || {
            chunks
                .iter()
                .fold(Sha256::new(), |hasher, chunk| hasher.chain_update(chunk))
                .finalize()
                .into()
        });
        hashing.await.map_err(|_| BrokenOff::reader_gone())
    }

    /// The whole body, once it has arrived (a copy: only for the rare paths that need it).
    pub async fn whole(&self) -> Result<Bytes, BrokenOff> {
        self.ends(usize::MAX / 4).await
    }

    /// The whole body's first and last `window` bytes, joined (the whole body if that is
    /// shorter), once it has arrived: enough to find a field near either end without
    /// copying megabytes.
    pub async fn ends(&self, window: usize) -> Result<Bytes, BrokenOff> {
        self.finished().await?;
        let received = self.received.borrow();
        let total: usize = received.chunks.iter().map(Bytes::len).sum();
        let (head, tail) = if total <= 2 * window {
            (total, 0)
        } else {
            (window, window)
        };
        let mut joined = BytesMut::with_capacity(head + tail);
        copy_range(&received.chunks, 0, head, &mut joined);
        copy_range(&received.chunks, total - tail, total, &mut joined);
        Ok(joined.freeze())
    }

    /// The body from its first byte, following new chunks as they arrive; ends with an error
    /// if the body breaks off, so a request carrying it is never completed.
    pub fn replay(&self) -> impl Stream<Item = Result<Bytes, BrokenOff>> + Send + 'static {
        let received = self.received.clone();
        futures_util::stream::unfold(Some((received, 0usize)), |state| async move {
            let (mut received, next) = state?;
            loop {
                let (chunk, end) = {
                    let now = received.borrow_and_update();
                    (now.chunks.get(next).cloned(), now.end.clone())
                };
                match (chunk, end) {
                    (Some(chunk), _) => return Some((Ok(chunk), Some((received, next + 1)))),
                    (None, Some(End::Complete)) => return None,
                    (None, Some(End::Broken(why))) => return Some((Err(BrokenOff(why)), None)),
                    (None, None) => {}
                }
                if received.changed().await.is_err() {
                    return Some((Err(BrokenOff::reader_gone()), None));
                }
            }
        })
    }
}

/// Appends bytes `from..to` of the body held in `chunks` to `out`.
fn copy_range(chunks: &[Bytes], from: usize, to: usize, out: &mut BytesMut) {
    let mut start = 0;
    for chunk in chunks {
        let end = start + chunk.len();
        let (a, b) = (from.max(start), to.min(end));
        if a < b {
            out.extend_from_slice(&chunk[a - start..b - start]);
        }
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_replay_gets_the_whole_body_from_the_start_even_while_it_arrives() {
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
        let incoming = Incoming::read(Body::from_stream(tokio_stream_from(rx)), 6);
        let early = tokio::spawn(all_of(incoming.replay()));
        tx.send(Ok(Bytes::from_static(b"abc"))).await.unwrap();
        tx.send(Ok(Bytes::from_static(b"def"))).await.unwrap();
        drop(tx);
        assert_eq!(&early.await.unwrap().unwrap()[..], b"abcdef");
        assert_eq!(&all_of(incoming.replay()).await.unwrap()[..], b"abcdef");
        assert_eq!(
            incoming.fingerprint().await.unwrap(),
            crate::idempotency::fingerprint(b"abcdef")
        );
        assert_eq!(&incoming.ends(2).await.unwrap()[..], b"abef");
        assert_eq!(&incoming.ends(3).await.unwrap()[..], b"abcdef");
        assert_eq!(
            &Incoming::complete(Bytes::from_static(b"abcdefg"))
                .ends(2)
                .await
                .unwrap()[..],
            b"abfg"
        );
    }

    #[tokio::test]
    async fn a_body_that_breaks_off_ends_every_replay_with_an_error() {
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
        let incoming = Incoming::read(Body::from_stream(tokio_stream_from(rx)), 6);
        tx.send(Ok(Bytes::from_static(b"abc"))).await.unwrap();
        tx.send(Err(std::io::Error::other("client went away"))).await.unwrap();
        assert!(all_of(incoming.replay()).await.is_err());
        assert!(incoming.finished().await.is_err());
    }

    async fn all_of(stream: impl Stream<Item = Result<Bytes, BrokenOff>>) -> Result<Vec<u8>, BrokenOff> {
        let mut all = Vec::new();
        let mut stream = std::pin::pin!(stream);
        while let Some(chunk) = stream.next().await {
            all.extend_from_slice(&chunk?);
        }
        Ok(all)
    }

    fn tokio_stream_from<T: Send + 'static>(
        mut rx: tokio::sync::mpsc::Receiver<T>,
    ) -> impl Stream<Item = T> + Send + 'static {
        futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
    }
}

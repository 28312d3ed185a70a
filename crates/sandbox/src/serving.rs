//! A server running on the current tokio runtime, as the sandbox and the gateway start them:
//! it stops gracefully on `shutdown()` (waiting up to five seconds for requests in progress)
//! or when dropped.

use std::future::Future;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub struct Serving {
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Serving {
    /// Spawns `serve`, which must finish soon after the receiver it is given fires.
    pub fn spawn<F>(serve: impl FnOnce(oneshot::Receiver<()>) -> F) -> Serving
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let (stop, stopped) = oneshot::channel();
        Serving {
            stop: Some(stop),
            task: Some(tokio::spawn(serve(stopped))),
        }
    }

    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), task).await.is_err() {
                abort.abort();
            }
        }
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        // Graceful: requests in progress finish; idle connections are closed.
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// "http://127.0.0.1:PORT" for `addr` (a loopback address when listening on all interfaces).
pub fn local_url(scheme: &str, addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => Ipv4Addr::LOCALHOST.into(),
        ip if ip.is_unspecified() => Ipv6Addr::LOCALHOST.into(),
        ip => ip,
    };
    format!("{scheme}://{}", SocketAddr::new(ip, addr.port()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_urls_name_a_reachable_address() {
        assert_eq!(local_url("http", "0.0.0.0:80".parse().unwrap()), "http://127.0.0.1:80");
        assert_eq!(local_url("https", "[::]:443".parse().unwrap()), "https://[::1]:443");
        assert_eq!(
            local_url("http", "192.168.1.5:8".parse().unwrap()),
            "http://192.168.1.5:8"
        );
    }
}

//! Open Dental throttles the Remote API per customer key (apiimplementation.md). The gateway
//! spaces every request for one customer key at least `interval` apart, and hands out turns
//! round robin between sessions, so one user's long listing cannot starve another's click.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::time::Instant;

/// The queues of every customer key.
pub struct Throttle {
    interval: Duration,
    queues: Mutex<HashMap<String, Arc<KeyQueue>>>,
}

/// One customer key's queue: each session's waiting requests in arrival order, and the order
/// in which sessions get their next turn.
struct KeyQueue {
    interval: Duration,
    state: Mutex<QueueState>,
}

struct QueueState {
    /// The earliest moment the next request may go.
    next_free: Instant,
    /// Sessions with waiting requests, in turn order.
    turns: VecDeque<String>,
    waiting: HashMap<String, VecDeque<oneshot::Sender<()>>>,
    dispatching: bool,
}

/// Where a session's requests stand in the queue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct QueuePosition {
    /// This session's requests waiting for a turn.
    pub waiting: usize,
    /// Requests (of all sessions) that go before this session's oldest waiting one.
    pub ahead: usize,
}

impl Throttle {
    pub fn new(interval: Duration) -> Throttle {
        Throttle {
            interval,
            queues: Mutex::new(HashMap::new()),
        }
    }

    fn queue(&self, customer: &str) -> Arc<KeyQueue> {
        let mut queues = self.queues.lock().unwrap();
        queues
            .entry(customer.to_owned())
            .or_insert_with(|| {
                Arc::new(KeyQueue {
                    interval: self.interval,
                    state: Mutex::new(QueueState {
                        next_free: Instant::now(),
                        turns: VecDeque::new(),
                        waiting: HashMap::new(),
                        dispatching: false,
                    }),
                })
            })
            .clone()
    }

    /// Waits for this session's turn to send one request for `customer`. Dropping the future
    /// gives the turn up without using a slot.
    pub async fn turn(&self, customer: &str, session: &str) {
        let queue = self.queue(customer);
        let granted = {
            let mut state = queue.state.lock().unwrap();
            let now = Instant::now();
            if state.turns.is_empty() && now >= state.next_free {
                state.next_free = now + queue.interval;
                return;
            }
            let (tx, rx) = oneshot::channel();
            let list = state.waiting.entry(session.to_owned()).or_default();
            let first_of_session = list.is_empty();
            list.push_back(tx);
            if first_of_session {
                state.turns.push_back(session.to_owned());
            }
            if !state.dispatching {
                state.dispatching = true;
                tokio::spawn(dispatch(queue.clone()));
            }
            rx
        };
        let _ = granted.await;
        // The interval counts from when this request really goes: a task granted its turn may
        // run a little later on a busy machine, and the next one must not catch up with it.
        let mut state = queue.state.lock().unwrap();
        state.next_free = state.next_free.max(Instant::now() + queue.interval);
    }

    /// Where `session`'s requests for `customer` stand.
    pub fn position(&self, customer: &str, session: &str) -> QueuePosition {
        let queue = self.queue(customer);
        let state = queue.state.lock().unwrap();
        let live = |list: &VecDeque<oneshot::Sender<()>>| list.iter().filter(|tx| !tx.is_closed()).count();
        let waiting = state.waiting.get(session).map_or(0, live);
        if waiting == 0 {
            return QueuePosition::default();
        }
        // Round robin: every session ahead in turn order sends one request before this one.
        let ahead = state
            .turns
            .iter()
            .take_while(|s| s.as_str() != session)
            .filter(|s| state.waiting.get(s.as_str()).is_some_and(|l| live(l) > 0))
            .count();
        QueuePosition { waiting, ahead }
    }
}

/// Grants one waiting request a turn each interval until nobody waits.
async fn dispatch(queue: Arc<KeyQueue>) {
    loop {
        let wake = queue.state.lock().unwrap().next_free;
        tokio::time::sleep_until(wake).await;
        let mut state = queue.state.lock().unwrap();
        if Instant::now() < state.next_free {
            continue; // the last request went later than granted: wait for its interval
        }
        loop {
            let Some(session) = state.turns.pop_front() else {
                state.dispatching = false;
                return;
            };
            let list = state
                .waiting
                .get_mut(&session)
                .expect("a session in turn order has waiters");
            let tx = list.pop_front().expect("a session in turn order has waiters");
            if list.is_empty() {
                state.waiting.remove(&session);
            } else {
                state.turns.push_back(session);
            }
            // A request given up while waiting costs nothing: the next one goes at once.
            if tx.send(()).is_ok() {
                state.next_free = Instant::now() + queue.interval;
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs each session's requests, one after another per session (as a user's screen does),
    /// all sessions at once; returns (session, moment granted) in grant order.
    async fn run(throttle: Arc<Throttle>, plan: &[(&str, usize)]) -> Vec<(String, Duration)> {
        let start = Instant::now();
        let grants = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for &(session, count) in plan {
            let (throttle, grants) = (throttle.clone(), grants.clone());
            let session = session.to_owned();
            tasks.push(tokio::spawn(async move {
                for _ in 0..count {
                    throttle.turn("cust", &session).await;
                    grants.lock().unwrap().push((session.clone(), start.elapsed()));
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let grants = grants.lock().unwrap().clone();
        grants
    }

    #[tokio::test(start_paused = true)]
    async fn requests_are_spaced_and_a_click_is_not_starved_by_a_long_listing() {
        let interval = Duration::from_millis(1000);
        let throttle = Arc::new(Throttle::new(interval));
        // One user pages through 20 pages; four others each click once or twice.
        let grants = run(throttle, &[("lister", 20), ("a", 1), ("b", 2), ("c", 1), ("d", 2)]).await;
        assert_eq!(grants.len(), 26);
        for pair in grants.windows(2) {
            assert!(pair[1].1 - pair[0].1 >= interval, "{pair:?}");
        }
        // Each clicker's last request goes within the first two rounds of five sessions.
        for who in ["a", "b", "c", "d"] {
            let last = grants.iter().rev().find(|(s, _)| s == who).unwrap().1;
            assert!(last <= interval * 10, "{who} waited {last:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn position_counts_the_turns_ahead_and_a_given_up_turn_costs_no_slot() {
        let throttle = Arc::new(Throttle::new(Duration::from_secs(1)));
        throttle.turn("cust", "first").await; // takes the free slot
        let mut waiters = Vec::new();
        for who in ["x", "y", "y", "z"] {
            let t = throttle.clone();
            waiters.push(tokio::spawn(async move { t.turn("cust", who).await }));
            tokio::task::yield_now().await;
        }
        assert_eq!(throttle.position("cust", "x"), QueuePosition { waiting: 1, ahead: 0 });
        assert_eq!(throttle.position("cust", "y"), QueuePosition { waiting: 2, ahead: 1 });
        assert_eq!(throttle.position("cust", "z"), QueuePosition { waiting: 1, ahead: 2 });
        assert_eq!(throttle.position("cust", "nobody"), QueuePosition::default());
        assert_eq!(throttle.position("other-cust", "x"), QueuePosition::default());

        // x gives up: y is next, one interval after "first".
        waiters.remove(0).abort();
        tokio::task::yield_now().await;
        assert_eq!(throttle.position("cust", "y").ahead, 0);
        let started = Instant::now();
        waiters.remove(0).await.unwrap();
        assert_eq!(started.elapsed(), Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn customer_keys_have_separate_queues() {
        let throttle = Throttle::new(Duration::from_secs(1));
        let started = Instant::now();
        throttle.turn("one", "s").await;
        throttle.turn("two", "s").await;
        assert_eq!(started.elapsed(), Duration::ZERO);
        throttle.turn("one", "s").await;
        assert_eq!(started.elapsed(), Duration::from_secs(1));
    }
}

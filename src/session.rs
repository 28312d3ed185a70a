//! Gateway mode's session as this tab sees it (`GatewaySession`: who, the clock, the endpoint,
//! the queue, whether it ended) and its screens (`views`: sign-in, the sign-in-again dialog over
//! a screen that stays mounted, the idle warning, the throttle wait, sign-out). Timing and
//! wording are decided in `gateway` (plain Rust); this module only shows them and reacts.

use leptos::{prelude::*, task::spawn_local};
use wasm_bindgen::JsCast;

use crate::{
    components::{focus_later, sleep_ms},
    gateway::{self, expiry_text, hub, Ended, SessionBody, SessionClock, SessionTime},
};

mod views;

pub use views::{GatewayApp, SignOutButton, ThrottleWait};

/// The signed-in session as this tab sees it. Provided as context in gateway mode.
#[derive(Clone, Copy)]
pub struct GatewaySession {
    /// Someone has signed in since the page loaded (the app's screens exist from then on).
    started: RwSignal<bool>,
    pub user: RwSignal<String>,
    /// The Open Dental endpoint the gateway last used, for people ("API Service").
    pub endpoint: RwSignal<String>,
    clock: RwSignal<SessionClock>,
    now: RwSignal<f64>,
    /// Why the sign-in-again dialog is open; `None` while it is closed.
    ended: RwSignal<Option<Ended>>,
    /// "Waiting for Open Dental: 2 ahead", while this session's requests wait for a turn.
    queue: RwSignal<Option<String>>,
    /// Where the focus was when the dialog opened, to go back to afterwards.
    return_focus: StoredValue<Option<web_sys::Element>, LocalStorage>,
    /// A GET session is under way (so the ticker does not start another).
    checking: StoredValue<bool>,
    /// The current warning window has been checked with the gateway (another tab may have
    /// kept the session alive).
    warning_checked: StoredValue<bool>,
    watching_queue: StoredValue<bool>,
}

pub fn use_gateway_session() -> Option<GatewaySession> {
    use_context::<GatewaySession>()
}

impl GatewaySession {
    fn new(body: &SessionBody) -> Self {
        let now = js_sys::Date::now();
        GatewaySession {
            started: RwSignal::new(body.signed_in),
            user: RwSignal::new(body.user.clone()),
            endpoint: RwSignal::new(body.endpoint_label()),
            clock: RwSignal::new(SessionClock::from_body(body, now)),
            now: RwSignal::new(now),
            ended: RwSignal::new(None),
            queue: RwSignal::new(None),
            return_focus: StoredValue::new_local(None),
            checking: StoredValue::new(false),
            warning_checked: StoredValue::new(false),
            watching_queue: StoredValue::new(false),
        }
    }

    /// The gateway's word on the session (sign-in, refresh, GET session).
    fn update_from(&self, body: &SessionBody) {
        let now = js_sys::Date::now();
        self.now.set(now);
        self.clock.set(SessionClock::from_body(body, now));
        let label = body.endpoint_label();
        if !label.is_empty() {
            self.endpoint.set(label);
        }
    }

    fn time(&self) -> SessionTime {
        self.clock.with(|c| c.at(self.now.get()))
    }

    fn expiry_sentence(&self, why: Ended) -> String {
        expiry_text(why, self.clock.with_untracked(SessionClock::idle_timeout_secs))
    }

    /// Opens the sign-in-again dialog over whatever is on screen.
    fn end(&self, why: Ended) {
        if self.ended.get_untracked().is_some() {
            return;
        }
        // Taken before the screen becomes inert, which takes the focus away.
        let active = document().active_element().filter(|e| e.tag_name() != "BODY");
        self.return_focus.set_value(active);
        self.ended.set(Some(why));
    }

    /// Asks the gateway how the session stands (without extending it). When this tab thinks
    /// the session has ended, `local` says why, and the dialog opens unless the gateway says
    /// otherwise.
    fn check(self, local: Option<Ended>) {
        if self.checking.get_value() {
            return;
        }
        self.checking.set_value(true);
        spawn_local(async move {
            let result = gateway::session().await;
            self.checking.set_value(false);
            if self.ended.get_untracked().is_some() {
                return;
            }
            match result {
                Ok(body) if body.signed_in => {
                    self.update_from(&body);
                    if let SessionTime::Ended(why) = self.clock.get_untracked().at(js_sys::Date::now()) {
                        self.end(why);
                    }
                }
                Ok(_) => self.end(local.unwrap_or(Ended::Gateway)),
                // Unreachable gateway: this tab's clock decides.
                Err(_) => {
                    if let Some(why) = local {
                        self.end(why);
                    }
                }
            }
        });
    }

    /// Once a second: the countdown, and the dialog when time is up.
    fn tick(self) {
        if !self.started.get_untracked() || self.ended.get_untracked().is_some() {
            return;
        }
        let now = js_sys::Date::now();
        self.now.set(now);
        match self.clock.get_untracked().at(now) {
            SessionTime::Active => self.warning_checked.set_value(false),
            SessionTime::Warning { .. } => {
                if !self.warning_checked.get_value() {
                    self.warning_checked.set_value(true);
                    self.check(None);
                }
            }
            SessionTime::Ended(why) => self.check(Some(why)),
        }
    }

    /// What the API client reports (see `gateway::hub`).
    fn hear(self, notice: hub::Notice) {
        match notice {
            hub::Notice::Started => self.watch_queue(),
            hub::Notice::Extended { sent_at } => self.clock.update(|c| *c = c.extended(sent_at)),
            hub::Notice::Endpoint(label) => {
                if self.endpoint.with_untracked(|e| *e != label) {
                    self.endpoint.set(label);
                }
            }
            hub::Notice::SignedOut => {
                let why = match self.clock.get_untracked().at(js_sys::Date::now()) {
                    SessionTime::Ended(why) => why,
                    _ => Ended::Gateway,
                };
                self.end(why);
            }
        }
    }

    /// While a request has been on the wire for over 400 ms, asks the gateway every 500 ms how
    /// this session's requests stand in its throttle queue. Nothing is asked while nothing is
    /// pending.
    fn watch_queue(self) {
        if self.watching_queue.get_value() {
            return;
        }
        self.watching_queue.set_value(true);
        spawn_local(async move {
            while let Some(oldest) = hub::oldest_pending() {
                let age = js_sys::Date::now() - oldest;
                if age < 400.0 {
                    sleep_ms((400.0 - age).ceil() as u32).await;
                    continue;
                }
                if let Ok(status) = gateway::queue().await {
                    if hub::oldest_pending().is_some() {
                        let text = status.text();
                        if self.queue.with_untracked(|q| *q != text) {
                            self.queue.set(text);
                        }
                    }
                }
                sleep_ms(500).await;
            }
            self.queue.set(None);
            self.watching_queue.set_value(false);
        });
    }

    /// "Stay signed in": extends the idle time.
    async fn stay(self) -> Result<(), String> {
        match gateway::refresh().await? {
            Some(body) => {
                self.update_from(&body);
                Ok(())
            }
            None => {
                self.end(Ended::Idle);
                Ok(())
            }
        }
    }

    /// Signed in again from the dialog. The same user continues where they were, and every
    /// request that met "signed out" goes again; anyone else starts afresh, so nothing of the
    /// previous user's screen is shown to them.
    fn resumed(self, body: SessionBody) {
        if body.user != self.user.get_untracked() {
            leave_to_start();
            return;
        }
        self.update_from(&body);
        self.warning_checked.set_value(false);
        self.ended.set(None);
        hub::signed_in_again();
        let back = self.return_focus.get_value();
        self.return_focus.set_value(None);
        request_animation_frame(move || match back.filter(|e| e.is_connected()) {
            Some(el) => focus_element(&el),
            None => focus_later("main"),
        });
    }
}

fn focus_element(el: &web_sys::Element) {
    if let Some(el) = el.dyn_ref::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// Forgets everything of this tab's session (memory by reloading, this tab's storage by
/// clearing it) and opens the start page.
fn leave_to_start() {
    let Some(window) = web_sys::window() else { return };
    if let Ok(Some(storage)) = window.session_storage() {
        let _ = storage.clear();
    }
    let _ = window.location().assign("/");
}

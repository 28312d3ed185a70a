//! How the app reaches Open Dental. Behind chairside-gateway: through the gateway, with no key
//! in the browser at all. In direct mode: the connection the user set up (preset, address and
//! keys), provided as context and saved to sessionStorage (gone when the tab closes) unless the
//! user asks to remember it on this device (localStorage). Keys never go anywhere else: not
//! into URLs, logs or messages.

pub mod storage;

use leptos::prelude::*;
use opendental::{Credentials, Preset};
use serde::{Deserialize, Serialize};

use self::storage::Place;
use crate::api::Client;

const STORAGE_KEY: &str = "chairside.connection";

/// What is saved. Plain strings so an older or edited entry never breaks start-up.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedConnection {
    pub preset: String,
    /// Office server (API Service) or full URL (Custom); empty otherwise.
    pub host: String,
    pub base_url: String,
    pub developer_key: String,
    pub customer_key: String,
    pub remember: bool,
}

impl SavedConnection {
    pub fn preset(&self) -> Preset {
        Preset::from_id(&self.preset).unwrap_or(Preset::Sandbox)
    }

    pub fn credentials(&self) -> Credentials {
        Credentials::new(&self.developer_key, &self.customer_key)
    }

    pub fn client(&self) -> Client {
        Client::new(self.base_url.clone(), self.credentials())
    }
}

/// How this app reaches Open Dental, decided at start-up (see `gateway::detect`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Keys typed into this tab.
    Direct,
    /// Through chairside-gateway, which holds the keys; no key is ever asked for or kept here.
    Gateway,
}

/// The app-wide connection state. Direct mode: `None` until the user has connected. Gateway
/// mode: always connected (the app shows nothing of Open Dental before signing in, and a
/// session that ends later is signed into again over the screen, which stays mounted).
#[derive(Clone, Copy)]
pub struct Connection {
    mode: Mode,
    saved: RwSignal<Option<SavedConnection>>,
}

impl Connection {
    /// Direct mode: reads what was saved in this tab or on this device.
    pub fn direct() -> Self {
        let saved = [Place::Session, Place::Local]
            .into_iter()
            .find_map(|place| place.load::<SavedConnection>(STORAGE_KEY))
            .filter(|c| c.credentials().is_complete() && !c.base_url.is_empty());
        Connection {
            mode: Mode::Direct,
            saved: RwSignal::new(saved),
        }
    }

    /// Gateway mode. Keys a developer once saved in this browser for this address are removed:
    /// behind the gateway none belong on the device.
    pub fn gateway() -> Self {
        for place in [Place::Session, Place::Local] {
            place.remove(STORAGE_KEY);
        }
        Connection {
            mode: Mode::Gateway,
            saved: RwSignal::new(None),
        }
    }

    pub fn is_gateway(&self) -> bool {
        self.mode == Mode::Gateway
    }

    /// The direct connection as saved (tracked); always `None` in gateway mode.
    pub fn saved(&self) -> Option<SavedConnection> {
        self.saved.get()
    }

    pub fn is_connected(&self) -> bool {
        self.is_gateway() || self.saved.with(Option::is_some)
    }

    /// The client for the current connection (untracked: for use inside event handlers).
    pub fn client(&self) -> Option<Client> {
        match self.mode {
            Mode::Gateway => Some(Client::via_gateway(&app_origin())),
            Mode::Direct => self.saved.with_untracked(|c| c.as_ref().map(SavedConnection::client)),
        }
    }

    /// The client for the current connection, tracked: a resource using it reloads when the
    /// user connects elsewhere. Made inside a resource, its reads stop when the resource runs
    /// again or its page is left (see [`Client::cancelled_on_cleanup`]).
    pub fn current_client(&self) -> Option<Client> {
        let client = match self.mode {
            Mode::Gateway => Some(Client::via_gateway(&app_origin())),
            Mode::Direct => self.saved.with(|c| c.as_ref().map(SavedConnection::client)),
        };
        client.map(Client::cancelled_on_cleanup)
    }

    /// Direct mode: stores the connection where the user chose, and removes it from the other
    /// place.
    pub fn save(&self, connection: SavedConnection) {
        if self.is_gateway() {
            return;
        }
        let (keep, drop) = if connection.remember {
            (Place::Local, Place::Session)
        } else {
            (Place::Session, Place::Local)
        };
        drop.remove(STORAGE_KEY);
        keep.save(STORAGE_KEY, &connection);
        self.saved.set(Some(connection));
    }

    /// Forgets the keys everywhere.
    pub fn forget(&self) {
        for place in [Place::Session, Place::Local] {
            place.remove(STORAGE_KEY);
        }
        self.saved.set(None);
    }
}

/// Where the app itself is served from (the gateway, in gateway mode).
pub fn app_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

pub fn use_connection() -> Connection {
    expect_context::<Connection>()
}

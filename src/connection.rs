//! The connection the user set up: preset, address and keys. Provided as context; saved to
//! sessionStorage (gone when the tab closes) unless the user asks to remember it on this
//! device (localStorage). Keys never go anywhere else: not into URLs, logs or messages.

use leptos::prelude::*;
use opendental::{Credentials, Preset};
use serde::{Deserialize, Serialize};

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

/// The app-wide connection state: `None` until the user has connected.
#[derive(Clone, Copy)]
pub struct Connection(RwSignal<Option<SavedConnection>>);

impl Connection {
    /// Reads what was saved in this tab or on this device.
    pub fn restore() -> Self {
        let saved = [session_storage(), local_storage()]
            .into_iter()
            .flatten()
            .find_map(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|json| serde_json::from_str::<SavedConnection>(&json).ok())
            .filter(|c| c.credentials().is_complete() && !c.base_url.is_empty());
        Connection(RwSignal::new(saved))
    }

    pub fn get(&self) -> Option<SavedConnection> {
        self.0.get()
    }

    pub fn is_connected(&self) -> bool {
        self.0.with(Option::is_some)
    }

    /// The client for the current connection (untracked: for use inside event handlers).
    pub fn client(&self) -> Option<Client> {
        self.0.with_untracked(|c| c.as_ref().map(SavedConnection::client))
    }

    /// Stores the connection where the user chose, and removes it from the other place.
    pub fn save(&self, connection: SavedConnection) {
        let json = serde_json::to_string(&connection).unwrap_or_default();
        let (keep, drop) = if connection.remember {
            (local_storage(), session_storage())
        } else {
            (session_storage(), local_storage())
        };
        if let Some(s) = drop {
            let _ = s.remove_item(STORAGE_KEY);
        }
        if let Some(s) = keep {
            let _ = s.set_item(STORAGE_KEY, &json);
        }
        self.0.set(Some(connection));
    }

    /// Forgets the keys everywhere.
    pub fn forget(&self) {
        for s in [session_storage(), local_storage()].into_iter().flatten() {
            let _ = s.remove_item(STORAGE_KEY);
        }
        self.0.set(None);
    }
}

pub fn use_connection() -> Connection {
    expect_context::<Connection>()
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

//! JSON values kept in the browser's session storage (this tab, gone when it closes) or local
//! storage (this device). One key holds one value; an entry that no longer reads as the type
//! (an older version, an edit by hand) reads as nothing, so it never breaks start-up.

use serde::{de::DeserializeOwned, Serialize};

/// Where a value is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// This tab only, gone when it closes.
    Session,
    /// This device, until removed.
    Local,
}

impl Place {
    /// Reads the value under `key`, if there is one of this type.
    pub fn load<T: DeserializeOwned>(self, key: &str) -> Option<T> {
        load_from(&self.storage()?, key)
    }

    /// Keeps `value` under `key`. Storage that is missing or full keeps nothing: what is kept
    /// is a convenience, never needed to go on.
    pub fn save<T: Serialize>(self, key: &str, value: &T) {
        if let Some(storage) = self.storage() {
            save_to(&storage, key, value);
        }
    }

    pub fn remove(self, key: &str) {
        if let Some(storage) = self.storage() {
            storage.remove(key);
        }
    }

    fn storage(self) -> Option<web_sys::Storage> {
        let window = web_sys::window()?;
        match self {
            Place::Session => window.session_storage(),
            Place::Local => window.local_storage(),
        }
        .ok()
        .flatten()
    }
}

/// The string store underneath: the browser's `Storage`, or a map in native tests.
trait Strings {
    fn get(&self, key: &str) -> Option<String>;
    fn set(&self, key: &str, value: &str);
    fn remove(&self, key: &str);
}

impl Strings for web_sys::Storage {
    fn get(&self, key: &str) -> Option<String> {
        self.get_item(key).ok().flatten()
    }

    fn set(&self, key: &str, value: &str) {
        let _ = self.set_item(key, value);
    }

    fn remove(&self, key: &str) {
        let _ = self.remove_item(key);
    }
}

fn load_from<T: DeserializeOwned>(storage: &impl Strings, key: &str) -> Option<T> {
    serde_json::from_str(&storage.get(key)?).ok()
}

fn save_to<T: Serialize>(storage: &impl Strings, key: &str, value: &T) {
    if let Ok(json) = serde_json::to_string(value) {
        storage.set(key, &json);
    }
}

#[cfg(test)]
mod tests {
    use std::{cell::RefCell, collections::HashMap};

    use serde::Deserialize;

    use super::*;

    #[derive(Default)]
    struct Map(RefCell<HashMap<String, String>>);

    impl Strings for Map {
        fn get(&self, key: &str) -> Option<String> {
            self.0.borrow().get(key).cloned()
        }

        fn set(&self, key: &str, value: &str) {
            self.0.borrow_mut().insert(key.to_owned(), value.to_owned());
        }

        fn remove(&self, key: &str) {
            self.0.borrow_mut().remove(key);
        }
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Memory {
        username: String,
        count: u32,
    }

    #[test]
    fn a_saved_value_loads_as_it_was_saved_under_its_key() {
        let map = Map::default();
        let memory = Memory {
            username: "me".into(),
            count: 2,
        };
        save_to(&map, "chairside.test", &memory);
        assert_eq!(map.get("chairside.test").unwrap(), r#"{"username":"me","count":2}"#);
        assert_eq!(load_from::<Memory>(&map, "chairside.test"), Some(memory));
        assert_eq!(load_from::<Memory>(&map, "chairside.other"), None);
    }

    #[test]
    fn an_entry_of_another_shape_or_not_json_reads_as_nothing() {
        let map = Map::default();
        map.set("a", r#"{"username":"me"}"#);
        map.set("b", "not json");
        assert_eq!(load_from::<Memory>(&map, "a"), None);
        assert_eq!(load_from::<Memory>(&map, "b"), None);
    }
}

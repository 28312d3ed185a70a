//! Reference data that changes rarely: definitions (image categories, treatment-plan
//! priorities) and providers. Each is fetched once per session and connection, then served
//! from memory (SPEC: cache definitions, never fetch per row).

use std::{collections::HashMap, sync::Arc};

use leptos::prelude::*;
use opendental::{models::Definition, ApiError};

use crate::api::{Client, Provider};

/// Definitions by (base URL, category).
type DefinitionsByCategory = HashMap<(String, i64), Arc<Vec<Definition>>>;

#[derive(Clone, Copy)]
pub struct ReferenceData {
    definitions: StoredValue<DefinitionsByCategory>,
    providers: StoredValue<HashMap<String, Arc<Vec<Provider>>>>,
}

impl ReferenceData {
    pub fn new() -> Self {
        Self {
            definitions: StoredValue::new(HashMap::new()),
            providers: StoredValue::new(HashMap::new()),
        }
    }

    /// The visible definitions of `category`, in definition order.
    pub async fn definitions(&self, client: &Client, category: i64) -> Result<Arc<Vec<Definition>>, ApiError> {
        let key = (client.base_url().to_owned(), category);
        if let Some(cached) = self.definitions.with_value(|cache| cache.get(&key).cloned()) {
            return Ok(cached);
        }
        let fetched = Arc::new(client.definitions(category).await?);
        self.definitions.update_value(|cache| {
            cache.insert(key, fetched.clone());
        });
        Ok(fetched)
    }

    /// Providers that may be chosen (not hidden), in the server's order.
    pub async fn providers(&self, client: &Client) -> Result<Arc<Vec<Provider>>, ApiError> {
        let key = client.base_url().to_owned();
        if let Some(cached) = self.providers.with_value(|cache| cache.get(&key).cloned()) {
            return Ok(cached);
        }
        let visible: Vec<Provider> = client.providers().await?.into_iter().filter(|p| !p.is_hidden).collect();
        let fetched = Arc::new(visible);
        self.providers.update_value(|cache| {
            cache.insert(key, fetched.clone());
        });
        Ok(fetched)
    }
}

pub fn use_reference_data() -> ReferenceData {
    expect_context::<ReferenceData>()
}

/// The practice's visible image categories (definition Category 18), for a screen to await.
pub fn image_categories() -> LocalResource<Result<Arc<Vec<Definition>>, String>> {
    let connection = crate::connection::use_connection();
    let reference = use_reference_data();
    LocalResource::new(move || {
        let client = connection.current_client();
        async move {
            let client = client.ok_or("Not connected.")?;
            reference
                .definitions(&client, opendental::models::def_category::IMAGE_CATS)
                .await
                .map_err(|e| e.message())
        }
    })
}

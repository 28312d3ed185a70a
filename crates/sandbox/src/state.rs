//! What every handler and middleware shares: the database, the knobs, the expected keys, and
//! where files live.

use crate::config::Config;
use crate::db::Db;
use crate::knobs::Knobs;
use crate::seed::TABLES;
use crate::temp_dir::TempDir;
use crate::BoxError;
use opendental::Credentials;
use std::path::PathBuf;
use std::sync::Arc;

pub const DB_FILE_NAME: &str = "chairside.sqlite";
pub const ATOZ_DIR_NAME: &str = "AtoZ";

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub knobs: Arc<Knobs>,
    /// The keys requests must carry. `Credentials`' Debug never prints them.
    pub keys: Arc<Credentials>,
    /// The A-to-Z images folder: one folder per patient, as in Open Dental.
    pub atoz_dir: Arc<PathBuf>,
    /// The built web app, served at "/".
    pub app_dir: Option<Arc<PathBuf>>,
    /// Removes the temporary folder of an in-memory sandbox when the last state goes.
    _temp_dir: Option<Arc<TempDir>>,
}

impl AppState {
    /// Opens (or creates and seeds) the database and the A-to-Z folder that `config` names.
    pub fn new(config: &Config) -> Result<AppState, BoxError> {
        let (db, atoz_dir, temp_dir) = if config.memory {
            let temp = TempDir::create("sandbox")?;
            let atoz = temp.path().join(ATOZ_DIR_NAME);
            (Db::open(None)?, atoz, Some(Arc::new(temp)))
        } else {
            std::fs::create_dir_all(&config.data_dir)
                .map_err(|e| format!("cannot create the data directory {}: {e}", config.data_dir.display()))?;
            let db = Db::open(Some(&config.data_dir.join(DB_FILE_NAME)))?;
            (db, config.data_dir.join(ATOZ_DIR_NAME), None)
        };
        std::fs::create_dir_all(&atoz_dir)?;
        db.prepare(TABLES, &atoz_dir)?;
        Ok(AppState {
            db,
            knobs: Arc::new(Knobs::new(config)),
            keys: Arc::new(Credentials::new(&*config.developer_key, &*config.customer_key)),
            atoz_dir: Arc::new(atoz_dir),
            app_dir: config.app_dir.clone().map(Arc::new),
            _temp_dir: temp_dir,
        })
    }
}

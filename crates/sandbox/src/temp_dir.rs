//! A uniquely named folder under the system's temp directory, deleted on drop: the in-memory
//! sandbox's A-to-Z folder, and the scratch folders of the sandbox's and gateway's tests.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

pub struct TempDir(PathBuf);

impl TempDir {
    /// "chairside-{label}-…", unique per process (its id), call (a counter) and time, so
    /// parallel tests and a left-over folder of an earlier run never collide.
    pub fn create(label: &str) -> std::io::Result<TempDir> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        let name = format!(
            "chairside-{label}-{}-{}-{nanos}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&path)?;
        Ok(TempDir(path))
    }

    /// `create` for tests, where a folder that cannot be made is a failed test.
    pub fn new(label: &str) -> TempDir {
        TempDir::create(label).unwrap_or_else(|e| panic!("cannot create a temporary folder: {e}"))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_folder_is_new_and_removed_on_drop() {
        let (a, b) = (TempDir::new("t"), TempDir::new("t"));
        assert_ne!(a.path(), b.path());
        assert!(a.path().is_dir());
        let path = a.path().to_owned();
        std::fs::write(path.join("f"), "x").unwrap();
        drop(a);
        assert!(!path.exists());
    }
}

//! The store shared between the sync task and the rest of the program.
//! `Store` is not `Sync`, so it lives behind a mutex, and every use runs on a
//! blocking thread: SQLite waits for the disk, the async runtime must not.

use std::sync::{Arc, Mutex};

use baosong_core::{Store, StoreError};

use crate::error::SyncError;

#[derive(Clone)]
pub struct SharedStore(Arc<Mutex<Store>>);

impl SharedStore {
    pub fn new(store: Store) -> SharedStore {
        SharedStore(Arc::new(Mutex::new(store)))
    }

    pub fn from_arc(store: Arc<Mutex<Store>>) -> SharedStore {
        SharedStore(store)
    }

    pub fn arc(&self) -> &Arc<Mutex<Store>> {
        &self.0
    }

    /// Runs `f` with the store locked, on the calling thread.
    pub fn with<T>(&self, f: impl FnOnce(&Store) -> Result<T, StoreError>) -> Result<T, SyncError> {
        let guard = self
            .0
            .lock()
            .map_err(|_| SyncError::Internal("store lock poisoned".into()))?;
        f(&guard).map_err(SyncError::Store)
    }

    /// Runs `f` with the store locked for changing its settings (the actor).
    pub fn with_mut<T>(&self, f: impl FnOnce(&mut Store) -> T) -> Result<T, SyncError> {
        let mut guard = self
            .0
            .lock()
            .map_err(|_| SyncError::Internal("store lock poisoned".into()))?;
        Ok(f(&mut guard))
    }

    /// Runs `f` with the store locked, on a blocking thread.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, SyncError> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.with(f))
            .await
            .map_err(|e| SyncError::Internal(format!("store task: {e}")))?
    }
}

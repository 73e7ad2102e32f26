//! The user's unit and the portal's columns, cached in the store so drafting
//! works offline; columns are refreshed with `If-None-Match`.

use baosong_api::{ColumnList, Me};
use baosong_core::Store;

use crate::error::SyncError;
use crate::session::Session;
use crate::shared::SharedStore;

pub const ME_KEY: &str = "me";
pub const COLUMNS_KEY: &str = "columns";
pub const COLUMNS_ETAG_KEY: &str = "columns_etag";

fn decode<T: serde::de::DeserializeOwned>(json: Option<String>) -> Option<T> {
    json.and_then(|j| serde_json::from_str(&j).ok())
}

/// The cached "me" (user, role, unit, the unit's columns), if any.
pub fn cached_me(store: &Store) -> Result<Option<Me>, SyncError> {
    Ok(decode(store.setting(ME_KEY)?))
}

/// The cached column list, if any.
pub fn cached_columns(store: &Store) -> Result<Option<ColumnList>, SyncError> {
    Ok(decode(store.setting(COLUMNS_KEY)?))
}

/// Fetches "me" and the columns (unless unchanged) and caches them.
pub async fn refresh(store: &SharedStore, session: &Session) -> Result<Me, SyncError> {
    let me = session.me().await?;
    let me_json = serde_json::to_string(&me).map_err(|e| SyncError::Internal(e.to_string()))?;
    store.run(move |s| s.set_setting(ME_KEY, &me_json)).await?;
    let etag = store.run(|s| s.setting(COLUMNS_ETAG_KEY)).await?;
    let fresh = session
        .call(|c, t| {
            let etag = etag.clone();
            async move { c.columns(&t, etag.as_deref()).await }
        })
        .await?;
    if let Some((list, tag)) = fresh {
        let json = serde_json::to_string(&list).map_err(|e| SyncError::Internal(e.to_string()))?;
        store
            .run(move |s| {
                s.set_setting(COLUMNS_KEY, &json)?;
                match tag {
                    Some(t) => s.set_setting(COLUMNS_ETAG_KEY, &t),
                    None => s.delete_setting(COLUMNS_ETAG_KEY),
                }
            })
            .await?;
    }
    Ok(me)
}

/// Forgets everything cached about a portal (when switching portal or user).
pub fn forget(store: &Store) -> Result<(), SyncError> {
    for key in [
        ME_KEY,
        COLUMNS_KEY,
        COLUMNS_ETAG_KEY,
        baosong_core::store::CHANGES_CURSOR,
        // Another person sees other reviews (a head: the unit's queue).
        crate::review::REVIEWS_CURSOR,
    ] {
        store.delete_setting(key)?;
    }
    Ok(())
}

//! Baosong's core: the item (稿件) model, the reporting workflow, the offline
//! store, Markdown rendering and the audit log.
//!
//! Nothing here knows about Tauri, the network or the terminal; the CLI and the
//! desktop shell are thin layers over this crate.

pub mod blobs;
pub mod columns;
pub mod i18n;
pub mod model;
pub mod render;
pub mod sheet;
pub mod store;
pub mod view;
pub mod workflow;

/// How small a picture's web copy is (longest side, quality): the store's
/// `downscale_attachment` takes it, the CLI and the app ask for it.
pub use baosong_files::image::WebSize;
pub use i18n::Lang;
pub use model::{Item, ItemContent, ItemId, ItemState, ItemSummary};
pub use store::{Store, StoreError};
pub use view::{AppInfo, ItemView, ListQuery, UserError};
pub use workflow::{Action, ActionKind, WorkflowError};

//! Baosong's portal connector: signing in, the offline outbox, and following
//! what the portal does with each item.
//!
//! - [`profile`]: which portal and user, the extra CA and proxy (no secrets).
//! - [`secrets`]: the refresh token in the OS keyring, and its self-test.
//! - [`client`]: HTTP over reqwest/rustls with timeouts and size limits; maps
//!   every answer to a typed result or a [`SyncError`].
//! - [`session`]: sign-in, the in-memory access token, refresh and sign-out.
//! - [`payload`]: turns a signed-off item into the submission request.
//! - [`outbox`]: 报送 (enqueue) and draining the queue in order.
//! - [`changes`]: the status feed and how a portal status moves a local item.
//! - [`directory`]: the user's unit and the columns, cached for offline use.
//! - [`review`], [`review_view`], [`keys`]: 送审 / 签发 / 退回修改, what the
//!   review screen shows, and the head's signing key.
//! - [`upload`]: attachments sent before the submission that needs them,
//!   resumable, verified, with progress.
//! - [`worker`]: the background task that does all of it when it can.
//!
//! The store (`baosong-core`) keeps every fact; this crate only talks to the
//! portal and records what it learns, each step in one store transaction.

pub mod account;
pub mod changes;
pub mod client;
pub mod directory;
pub mod error;
pub mod keys;
pub mod outbox;
pub mod payload;
pub mod profile;
pub mod review;
pub mod review_view;
pub mod secrets;
pub mod session;
pub mod shared;
pub mod upload;
pub mod worker;

pub use client::PortalClient;
pub use error::SyncError;
pub use profile::Profile;
pub use session::Session;
pub use shared::SharedStore;
pub use worker::{SyncEvent, SyncReport, SyncWorker};

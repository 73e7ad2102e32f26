//! The reference portal (参考门户) for the Baosong information-reporting API:
//! the server the desktop client talks to in development, in tests and in
//! `make run`, small enough for a portal team to run.
//!
//! - [`server`]: the axum application and a [`RunningServer`] handle;
//! - [`api`]: the `/api/v1` handlers and their extractors;
//! - [`db`]: one SQLite file (WAL, migrations), one writer, pooled readers;
//! - [`validate`], [`checks`]: what is checked on receipt (refused) and what
//!   the portal's own run of the check engine finds (recorded);
//! - [`signoff`]: verifying a unit head's sign-off (签发) signature;
//! - [`attachments`]: attachment files next to the database (uploads in
//!   progress, stored files by hash);
//! - [`web`]: the portal editors' web pages (`/editor`);
//! - [`demo`]: the ready-made demo instance;
//! - [`config`]: every limit and lifetime, with production defaults.
//!
//! The wire contract itself lives in the `baosong-api` crate.

pub mod api;
pub mod attachments;
pub mod checks;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod ratelimit;
pub mod secrets;
pub mod server;
pub mod signoff;
pub mod validate;
pub mod web;

pub use config::{Config, PasswordParams, Rate, RateLimits};
pub use error::{Error, Result};
pub use server::RunningServer;

//! Test support shared by Baosong's integration tests (a dev-dependency only;
//! never published, never linked into a product).
//!
//! The outbox (`baosong-sync`) and the desktop app must be tested against the
//! real reference portal over a real, unreliable network, and against a real
//! Secret Service, without touching the developer's own keyring. This crate
//! provides the three pieces that needs:
//!
//! - [`fault_proxy`]: a loopback HTTP/1.1 proxy that drops, delays and resets
//!   exchanges at a chosen rate, or plays "portal unreachable";
//! - [`keyring_session`]: a private D-Bus session bus with an unlocked
//!   gnome-keyring, for child processes;
//! - [`portal`]: the `baosong-portal demo` binary as a child process on a
//!   fresh database, and [`bin`] to find workspace binaries;
//! - [`signer`]: a unit head's key registered with that portal, to sign off
//!   items in tests that are not about signing.
//!
//! Everything here panics with a message that says what went wrong and how to
//! fix it (missing binary, missing system package), which is what a test
//! wants.

pub mod documents;
pub mod fault_proxy;
pub mod keyring_session;
pub mod portal;
pub mod signer;

pub use fault_proxy::{Exchange, FaultConfig, FaultKind, FaultProxy, FaultStats};
pub use keyring_session::KeyringSession;
pub use portal::{PortalProcess, bin, free_port, peak_rss_of};
pub use signer::HeadSigner;

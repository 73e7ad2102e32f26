//! Unit heads' signing keys (签发密钥).
//!
//! A head's key pair is made on their computer; only the public key comes
//! here. Registering a new key supersedes the user's earlier ones: signatures
//! made before that moment still verify against them, later ones do not. A
//! revoked key (lost computer, person left) verifies nothing any more.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::me::Actor;

/// `POST /me/keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterKeyRequest {
    /// The Ed25519 public key, 64 lowercase hex characters.
    #[schema(min_length = 64, max_length = 64, pattern = "^[0-9a-f]{64}$")]
    pub public_key: String,
    /// Where the key lives, for people (e.g. the computer's name).
    #[serde(default)]
    pub label: String,
}

/// `POST /keys/{key_id}/revoke`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RevokeKeyRequest {
    pub reason: String,
}

/// A registered signing key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SigningKeyInfo {
    /// See `signing::key_id`: 32 hex characters of the key's SHA-256.
    pub key_id: String,
    /// `ed25519`.
    pub algorithm: String,
    /// 64 lowercase hex characters.
    pub public_key: String,
    /// The key id grouped for people: `3F2A 9C01 …`.
    pub fingerprint: String,
    pub owner: Actor,
    /// The owner's unit when the key was registered.
    pub unit_id: String,
    pub label: String,
    /// Valid for signatures made from this moment …
    pub created_at: DateTime<Utc>,
    /// … until the owner registered a newer key (absent while current).
    pub superseded_at: Option<DateTime<Utc>>,
    /// Revoked keys verify nothing.
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_reason: Option<String>,
}

/// `GET /me/keys`, `GET /keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct KeyList {
    pub keys: Vec<SigningKeyInfo>,
}

/// `GET /keys?user=`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct KeysQuery {
    /// Only this user's keys.
    pub user: Option<String>,
}

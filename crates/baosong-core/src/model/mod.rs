//! The item (稿件) and the values it is made of.
//!
//! These types cross every boundary: they are stored (as JSON snapshots per
//! revision), printed by the CLI with `--json`, and sent to the desktop UI, whose
//! TypeScript types are generated from them with ts-rs (`make bindings`).

mod attachment;
mod ids;
mod item;
mod outbox;
mod registration;
mod review;

pub use attachment::AttachmentEntry;
pub use ids::ItemId;
pub use item::{
    ColumnRef, Disclosure, DisclosureKind, Item, ItemContent, ItemState, ItemSummary, Urgency,
    Validity,
};
pub use outbox::{
    AppliedChange, NewOutboxEntry, OutboxEntry, OutboxKind, OutboxStatus, PortalChange, PortalLink,
    StatusEvent,
};
pub use registration::{
    CheckSummary, DecidedFinding, PortalStep, PortalSteps, RegistrationRecord, SecrecyReview,
    SentForReview, SignoffRecord, key_fingerprint,
};
pub use review::{
    NewReview, NewSignoff, PortalDecision, PortalReview, Review, ReviewComment, ReviewOrigin,
    ReviewOutboxEntry, ReviewOutboxKind, ReviewPayloads, ReviewStatus, Signoff, TextAnchor,
};

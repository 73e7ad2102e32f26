//! Baosong's check engine: classification markings, personal data, wrong and
//! sensitive wording, writing norms and links (保密审查 / 隐私 / 错敏词).
//!
//! Pure: it reads only what it is given (texts, lexicon bytes) and does no IO.
//! [`Checker::check`] returns a [`CheckReport`]; every [`Finding`] has byte
//! and UTF-16 offsets into the text as the user wrote it.
//!
//! Layout: `text/` (views of the text and maps back to the source),
//! `detect/` (one file per detector), `lexicon/` (file format, compiled
//! automata, the set with its allow-list), `decision.rs` (decisions and the
//! sign-off gate), `mask.rs` (writing masked text).

pub mod attachment;
pub mod checker;
pub mod decision;
pub mod detect;
pub mod finding;
pub mod lexicon;
pub mod masking;
pub mod text;

pub use attachment::{
    AttachmentInput, AttachmentSpot, DocumentScan, Fact, FactKind, PartKind, TextPart,
};
pub use checker::{BodyFormat, CheckInput, Checker, content_hash, content_hash_with};
pub use decision::{Decision, DecisionKind, GateStatus, gate};
pub use finding::{CheckReport, Detector, Field, Finding, LexiconVersion, Message, Severity, Span};
pub use lexicon::{CompiledLexicon, LexiconError};

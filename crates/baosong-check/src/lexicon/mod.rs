//! Lexicons of wrong and sensitive wording: the file format ([`format`]), one
//! compiled automaton per file ([`compiled`]) and the set the checker runs
//! ([`set`]). One automaton per file keeps loading incremental: adding a
//! unit's lexicon compiles that file only.

pub mod cache;
pub mod compiled;
pub mod format;
mod matcher;
pub mod set;

pub use compiled::CompiledLexicon;
pub use format::{Category, Entry, LexiconError, LexiconSource};
pub use set::LexiconSet;

/// The lexicons that ship with Baosong (assets/lexicons), compiled in.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "misstatements",
        include_str!("../../../../assets/lexicons/misstatements.tsv"),
    ),
    (
        "outdated",
        include_str!("../../../../assets/lexicons/outdated.tsv"),
    ),
    (
        "sensitive",
        include_str!("../../../../assets/lexicons/sensitive.tsv"),
    ),
    (
        "allow",
        include_str!("../../../../assets/lexicons/allow.tsv"),
    ),
];

//! Views of the checked text and the maps back to where things were written.
//!
//! Detectors never see the source directly: Markdown is first reduced to the
//! text a reader sees ([`markdown`]), then folded to half-width lower case
//! ([`fold`]). Every view keeps a byte map to the one before, so a finding's
//! span always points at the source the user typed.

pub mod fold;
pub mod markdown;
pub mod positions;

pub use fold::Folded;
pub use markdown::Prepared;
pub use positions::Positions;

/// Whether `c` is a Chinese character (CJK unified ideographs and extensions
/// in the BMP plus compatibility ideographs).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}')
}

/// Chinese (full-width) punctuation, as used inside Chinese sentences.
pub fn is_cjk_punct(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}' | '\u{FF5B}'..='\u{FF65}'
        | '“' | '”' | '‘' | '’' | '…' | '—' | '·')
}

//! Word and WPS documents (.docx): import to Markdown, scan for hidden
//! content, clean.

pub mod clean;
pub mod import;
pub mod scan;

/// The main document part.
pub const DOCUMENT: &str = "word/document.xml";

/// Parts whose text is part of the document as readers see it.
pub(crate) fn story_parts(names: &[String]) -> Vec<String> {
    let mut parts = vec![DOCUMENT.to_owned()];
    let mut extra: Vec<String> = names
        .iter()
        .filter(|n| {
            let n = n.as_str();
            n.starts_with("word/header")
                || n.starts_with("word/footer")
                || n == "word/footnotes.xml"
                || n == "word/endnotes.xml"
        })
        .filter(|n| n.ends_with(".xml"))
        .cloned()
        .collect();
    extra.sort();
    parts.extend(extra);
    parts
}

/// Where a story part's text is, for people.
pub(crate) fn story_label(part: &str) -> &'static str {
    if part.starts_with("word/header") {
        "页眉"
    } else if part.starts_with("word/footer") {
        "页脚"
    } else if part == "word/footnotes.xml" {
        "脚注"
    } else if part == "word/endnotes.xml" {
        "尾注"
    } else {
        "正文"
    }
}

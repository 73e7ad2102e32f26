//! Complex fields (`w:fldChar` begin … code … separate … result … end):
//! only the displayed result is imported, never the code (`PAGE`,
//! `TOC \o`, `HYPERLINK "…"`). A `HYPERLINK` field — Word and WPS write
//! them for pasted web text — becomes a Markdown link around its result.

use quick_xml::events::BytesStart;

use super::model::Inline;
use super::notes::Note;
use super::parse::Parser;
use super::run::is_web_url;
use super::xml::attr;

#[derive(Debug, Default)]
pub(crate) struct Field {
    /// Past `separate`: the result is showing.
    showing: bool,
    /// The field code, collected from `w:instrText`.
    code: String,
    /// A HYPERLINK field's URL, the paragraph its result started in, and
    /// where in that paragraph's pieces.
    link: Option<(String, u64, usize)>,
}

impl Parser<'_, '_> {
    /// True unless inside a field's code.
    pub(crate) fn showing(&self) -> bool {
        self.fields.iter().all(|f| f.showing)
    }

    pub(crate) fn field_code(&mut self, text: &str) {
        if let Some(field) = self.fields.last_mut()
            && !field.showing
        {
            field.code.push_str(text);
        }
    }

    pub(crate) fn field_char(&mut self, e: &BytesStart<'_>, out: &mut Vec<Inline>) {
        match attr(e, "w:fldCharType").as_deref() {
            Some("begin") => self.fields.push(Field::default()),
            Some("separate") => {
                let paragraph = self.paragraph_id;
                if let Some(field) = self.fields.last_mut() {
                    field.showing = true;
                    field.link =
                        hyperlink_target(&field.code).map(|url| (url, paragraph, out.len()));
                }
            }
            Some("end") => {
                if let Some(Field {
                    link: Some((url, paragraph, start)),
                    ..
                }) = self.fields.pop()
                {
                    self.close_link(url, paragraph, start, out);
                }
            }
            _ => {}
        }
    }

    /// Wraps the field's result in a link, when it stayed in one paragraph.
    fn close_link(&mut self, url: String, paragraph: u64, start: usize, out: &mut Vec<Inline>) {
        if paragraph != self.paragraph_id || start > out.len() {
            return;
        }
        if !is_web_url(&url) {
            self.notes.add(Note::LocalLinks);
            return;
        }
        let children = out.split_off(start);
        if !children.is_empty() {
            out.push(Inline::Link { url, children });
        }
    }
}

/// The URL of `HYPERLINK "url" \o "tip"`; `None` for other fields and for
/// `HYPERLINK \l "bookmark"` (a place in the same document).
fn hyperlink_target(code: &str) -> Option<String> {
    let rest = code.trim_start();
    let keyword = rest.get(..9)?;
    if !keyword.eq_ignore_ascii_case("HYPERLINK") {
        return None;
    }
    let mut rest = rest[9..].trim_start();
    while let Some(switch) = rest.strip_prefix('\\') {
        if switch.starts_with(['l', 'L']) {
            return None;
        }
        // A switch and its argument, if any, before the target.
        rest = switch.get(1..).unwrap_or("").trim_start();
        rest = skip_argument(rest);
    }
    let url = match rest.strip_prefix('"') {
        Some(quoted) => quoted.split('"').next().unwrap_or(""),
        None => rest.split_whitespace().next().unwrap_or(""),
    };
    let url = url.trim();
    (!url.is_empty()).then(|| url.to_owned())
}

fn skip_argument(rest: &str) -> &str {
    if let Some(quoted) = rest.strip_prefix('"') {
        return quoted
            .split_once('"')
            .map_or("", |(_, after)| after.trim_start());
    }
    rest
}

#[cfg(test)]
mod tests {
    use super::hyperlink_target;

    #[test]
    fn hyperlink_field_codes() {
        assert_eq!(
            hyperlink_target(" HYPERLINK \"https://www.gov.cn/\" \\o \"提示\" ").as_deref(),
            Some("https://www.gov.cn/")
        );
        assert_eq!(
            hyperlink_target("HYPERLINK https://a.cn/x").as_deref(),
            Some("https://a.cn/x")
        );
        assert_eq!(
            hyperlink_target("hyperlink \\t \"_blank\" \"https://b.cn\"").as_deref(),
            Some("https://b.cn")
        );
        assert_eq!(hyperlink_target("HYPERLINK \\l \"_Toc123\""), None);
        assert_eq!(hyperlink_target(" PAGE "), None);
        assert_eq!(hyperlink_target("超链接"), None);
    }
}

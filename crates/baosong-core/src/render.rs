//! Markdown (GFM) to HTML for the preview and the portal.
//!
//! comrak renders with the GitHub extensions; raw HTML in the source is let
//! through comrak (Word users sometimes need `<u>` or `<sup>`) and then the
//! whole output is cleaned by ammonia with an allow-list, so script tags, event
//! handlers, `javascript:` links, SVG, iframes and styles never reach the page.

use std::collections::HashSet;
use std::sync::OnceLock;

use comrak::{Options, markdown_to_html};

fn options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o.extension.tasklist = true;
    o.extension.footnotes = true;
    // Sanitising is ammonia's job, below; comrak passes raw HTML to it.
    o.render.r#unsafe = true;
    o
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let tags: HashSet<&str> = [
            "a",
            "p",
            "br",
            "hr",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "strong",
            "b",
            "em",
            "i",
            "u",
            "del",
            "s",
            "sup",
            "sub",
            "blockquote",
            "ul",
            "ol",
            "li",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "code",
            "pre",
            "img",
            "input",
            "section",
            "span",
        ]
        .into_iter()
        .collect();
        let mut b = ammonia::Builder::default();
        b.tags(tags)
            .add_tag_attributes("a", ["href", "title", "id"])
            .add_tag_attributes("img", ["src", "alt", "title", "width", "height"])
            .add_tag_attributes("th", ["align"])
            .add_tag_attributes("td", ["align"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("li", ["id"])
            .add_tag_attributes("sup", ["id"])
            .add_tag_attributes("section", ["class"])
            .add_tag_attributes("ol", ["start"])
            // `attachment:<sha256>` names a file of the item; a reader of the
            // HTML (the preview, the portal) resolves it, see
            // `place_attachments`. Browsers do not follow unknown schemes.
            .url_schemes(
                ["http", "https", "mailto", "attachment"]
                    .into_iter()
                    .collect(),
            )
            .link_rel(Some("noopener noreferrer nofollow"))
            .id_prefix(None);
        b
    })
}

/// Renders GFM Markdown to sanitised HTML.
pub fn render_markdown(markdown: &str) -> String {
    let raw = markdown_to_html(markdown, &options());
    sanitizer().clean(&raw).to_string()
}

/// Points the `src` of images placed from attachments
/// (`src="attachment:<sha256>"` in rendered HTML) at what `resolve` gives
/// for the hash: a `data:` URL in the desktop preview, a download address at
/// the portal. Hashes `resolve` does not know are left as they are. Only
/// our own 64-hex-digit hashes are matched, and the replacement is the
/// caller's, so no text from the document reaches an attribute unescaped.
pub fn place_attachments(html: &str, resolve: impl Fn(&str) -> Option<String>) -> String {
    const MARK: &str = "src=\"attachment:";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(MARK) {
        let after = &rest[i + MARK.len()..];
        let hash = after.get(..64).filter(|h| crate::blobs::is_sha256(h));
        let closed = after.as_bytes().get(64) == Some(&b'"');
        match (hash, closed) {
            (Some(h), true) => match resolve(h) {
                Some(url) => {
                    out.push_str(&rest[..i]);
                    out.push_str("src=\"");
                    out.push_str(&html_escape::encode_double_quoted_attribute(&url));
                    out.push('"');
                    rest = &after[65..];
                }
                None => {
                    out.push_str(&rest[..i + MARK.len()]);
                    rest = after;
                }
            },
            _ => {
                out.push_str(&rest[..i + MARK.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests;

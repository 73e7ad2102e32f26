//! render: an item or a Markdown file to sanitised HTML.

use std::path::Path;

use baosong_core::Store;
use baosong_core::render::render_markdown;

use crate::error::CliError;
use crate::input::read_text;
use crate::output::Out;

/// A target that names an existing file is a file; anything else is an id.
pub fn render(
    open: impl FnOnce() -> Result<Store, CliError>,
    out: &mut Out,
    target: &str,
) -> Result<(), CliError> {
    let path = Path::new(target);
    let markdown = if target == "-" || path.is_file() {
        read_text(path)?
    } else {
        let store = open()?;
        let id = store.resolve_id(target)?;
        store.get_item(id)?.content.body
    };
    let html = render_markdown(&markdown);
    out.emit(&serde_json::json!({ "html": html }), |_| html.clone())
}

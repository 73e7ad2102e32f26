//! What the parser makes of a document before it becomes Markdown: blocks
//! (paragraphs, tables) holding inline pieces (formatted text, breaks,
//! images, links, note references).

#[derive(Debug, Clone, Default, Copy, PartialEq, Eq)]
pub(crate) struct Format {
    pub bold: bool,
    pub italic: bool,
}

/// A paragraph's list membership: `w:numPr`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct NumRef {
    pub num_id: String,
    pub level: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum NoteKind {
    Footnote,
    Endnote,
}

#[derive(Debug, Clone)]
pub(crate) enum Inline {
    Text {
        text: String,
        format: Format,
    },
    Break,
    Tab,
    /// Index into the imported images.
    Image {
        index: usize,
        alt: String,
    },
    NoteRef {
        kind: NoteKind,
        id: String,
    },
    Link {
        url: String,
        children: Vec<Inline>,
    },
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Paragraph {
    pub style: Option<String>,
    /// Direct `w:outlineLvl`.
    pub outline: Option<u8>,
    /// Direct `w:numPr`.
    pub num: Option<NumRef>,
    pub inlines: Vec<Inline>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Cell {
    pub blocks: Vec<Block>,
    /// Grid columns the cell spans (`w:gridSpan`).
    pub span: usize,
    /// The cell continues a vertical merge from the row above.
    pub merged_from_above: bool,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone)]
pub(crate) enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

/// Text without any markup: for the title.
pub(crate) fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Text { text, .. } => out.push_str(text),
            Inline::Break | Inline::Tab => out.push(' '),
            Inline::Link { children, .. } => out.push_str(&plain_text(children)),
            Inline::Image { .. } | Inline::NoteRef { .. } => {}
        }
    }
    out.trim().to_owned()
}

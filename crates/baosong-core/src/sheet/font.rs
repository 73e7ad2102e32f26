//! Finding and reading the CJK font the sheet is set in. The PDF embeds (a
//! subset of) it, so the sheet prints the same on a PC without the font.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};
use skrifa::raw::FileRef;
use skrifa::string::StringId;

use super::SheetError;

/// Environment variable naming a font file that replaces the system search.
pub const FONT_ENV: &str = "BAOSONG_CJK_FONT";

/// Where the sheet's font comes from.
#[derive(Debug, Clone)]
pub enum FontSource {
    /// `BAOSONG_CJK_FONT` if set, else the first CJK font found in the usual
    /// places on Debian/UOS/Kylin, other Linux, Windows and macOS.
    System,
    /// A `.ttf`, `.otf` or `.ttc` file.
    File(PathBuf),
    /// The bytes of such a file.
    Bytes(Vec<u8>),
}

/// Known CJK fonts, most wanted first: Noto CJK (fonts-noto-cjk), then
/// what other systems ship. A collection is searched for its Simplified
/// Chinese face (see [`pick_face`]).
const SYSTEM_FONTS: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "C:\\Windows\\Fonts\\simsun.ttc",
    "C:\\Windows\\Fonts\\msyh.ttc",
    "C:\\Windows\\Fonts\\simhei.ttf",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
];

/// Characters a face must have to set the sheet (its fixed labels).
const REQUIRED: &str = "信息报送审批单保密查签发";

/// A font read and checked: its bytes, and the face of a collection to use.
pub struct SheetFont {
    pub data: Arc<Vec<u8>>,
    pub index: u32,
}

impl SheetFont {
    /// Reads the font `source` names.
    pub fn load(source: &FontSource) -> Result<SheetFont, SheetError> {
        match source {
            FontSource::Bytes(bytes) => from_bytes(bytes.clone(), "<bytes>"),
            FontSource::File(path) => from_file(path),
            FontSource::System => match std::env::var_os(FONT_ENV) {
                Some(path) if !path.is_empty() => from_file(Path::new(&path)),
                _ => system(),
            },
        }
    }

    /// Glyph advances of the chosen face, for measuring text.
    pub fn metrics(&self) -> Result<Metrics<'_>, SheetError> {
        let font = skrifa::FontRef::from_index(&self.data, self.index)
            .map_err(|e| SheetError::BadFont(e.to_string()))?;
        Ok(Metrics {
            charmap: font.charmap(),
            glyphs: font.glyph_metrics(Size::new(1.0), LocationRef::default()),
        })
    }
}

fn system() -> Result<SheetFont, SheetError> {
    for candidate in SYSTEM_FONTS {
        let path = Path::new(candidate);
        if path.is_file()
            && let Ok(font) = from_file(path)
        {
            return Ok(font);
        }
    }
    Err(SheetError::NoCjkFont)
}

fn from_file(path: &Path) -> Result<SheetFont, SheetError> {
    let bytes = std::fs::read(path).map_err(|e| SheetError::FontUnreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    from_bytes(bytes, &path.display().to_string())
}

fn from_bytes(bytes: Vec<u8>, name: &str) -> Result<SheetFont, SheetError> {
    let index = pick_face(&bytes).ok_or_else(|| SheetError::NotCjk(name.to_string()))?;
    Ok(SheetFont {
        data: Arc::new(bytes),
        index,
    })
}

/// The face to use: in a collection the Simplified Chinese one (Noto CJK's
/// .ttc starts with the Japanese face, whose glyph forms differ), else the
/// first that has the characters the sheet needs.
fn pick_face(bytes: &[u8]) -> Option<u32> {
    let faces = match FileRef::new(bytes).ok()? {
        FileRef::Font(_) => 1,
        FileRef::Collection(c) => c.len(),
    };
    let usable: Vec<(u32, String)> = (0..faces)
        .filter_map(|i| {
            let font = skrifa::FontRef::from_index(bytes, i).ok()?;
            let charmap = font.charmap();
            if !REQUIRED.chars().all(|c| charmap.map(c).is_some()) {
                return None;
            }
            let family = font
                .localized_strings(StringId::FAMILY_NAME)
                .english_or_first()
                .map(|s| s.to_string())
                .unwrap_or_default();
            Some((i, family))
        })
        .collect();
    let simplified = |f: &str| (f.ends_with(" SC") || f.contains(" SC ")) && !f.contains("Mono");
    usable
        .iter()
        .find(|(_, f)| simplified(f))
        .or_else(|| usable.first())
        .map(|(i, _)| *i)
}

/// Advance widths of one face, in em.
pub struct Metrics<'a> {
    charmap: skrifa::charmap::Charmap<'a>,
    glyphs: skrifa::metrics::GlyphMetrics<'a>,
}

impl Metrics<'_> {
    /// The width of `c` at size 1; a full em for a character the face lacks
    /// (drawn as a box that wide or less), so wrapping errs on the safe side.
    pub fn advance(&self, c: char) -> f32 {
        self.charmap
            .map(c)
            .and_then(|g| self.glyphs.advance_width(g))
            .unwrap_or(1.0)
    }

    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size
    }
}

//! The images a document embeds, each once: the same media part used twice,
//! or two parts with the same bytes, give one [`ImportedImage`].

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::ImportedImage;
use crate::FileKind;

#[derive(Debug, Default)]
pub(crate) struct Images {
    pub list: Vec<ImportedImage>,
    by_part: HashMap<String, usize>,
    by_hash: HashMap<String, usize>,
}

impl Images {
    /// The index of an image already read from `part`.
    pub(crate) fn by_part(&self, part: &str) -> Option<usize> {
        self.by_part.get(part).copied()
    }

    /// Adds the bytes of media part `part`; returns its index.
    pub(crate) fn add(&mut self, part: &str, bytes: Vec<u8>, alt: &str) -> usize {
        let sha256 = hex(&Sha256::digest(&bytes));
        if let Some(&index) = self.by_hash.get(&sha256) {
            self.by_part.insert(part.to_owned(), index);
            return index;
        }
        let name = part.rsplit('/').next().unwrap_or(part).to_owned();
        let media_type = media_type(&name, &bytes).to_owned();
        let index = self.list.len();
        self.list.push(ImportedImage {
            sha256: sha256.clone(),
            name,
            media_type,
            bytes,
            alt: alt.to_owned(),
        });
        self.by_part.insert(part.to_owned(), index);
        self.by_hash.insert(sha256, index);
        index
    }

    /// The first non-empty alt text given to an image sticks; a later use
    /// with one fills it in when the first had none.
    pub(crate) fn fill_alt(&mut self, index: usize, alt: &str) {
        if let Some(image) = self.list.get_mut(index)
            && image.alt.is_empty()
        {
            image.alt = alt.to_owned();
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// From the bytes where they tell, else from the part name's extension
/// (Word also embeds GIF, BMP, TIFF, SVG and Windows metafiles).
fn media_type(name: &str, bytes: &[u8]) -> &'static str {
    let kind = FileKind::detect(name, bytes);
    if kind.is_image() {
        return kind.media_type();
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "gif" => "image/gif",
        "bmp" => "image/bmp",
        "tif" | "tiff" => "image/tiff",
        "svg" => "image/svg+xml",
        "emf" => "image/emf",
        "wmf" => "image/wmf",
        "jpg" | "jpeg" | "jpe" => "image/jpeg",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

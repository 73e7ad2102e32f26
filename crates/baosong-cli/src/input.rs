//! Reading text a person hands us: files and standard input.

use std::io::Read;
use std::path::Path;

use crate::error::CliError;

/// Files larger than this are refused before reading: no real item is this big.
const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a UTF-8 text file, or standard input for `-`.
pub fn read_text(path: &Path) -> Result<String, CliError> {
    let shown = path.display().to_string();
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| CliError::Io(shown.clone(), e))?;
    } else {
        let file = std::fs::File::open(path).map_err(|e| CliError::Io(shown.clone(), e))?;
        file.take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| CliError::Io(shown.clone(), e))?;
    }
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(CliError::TooBig(shown, MAX_INPUT_BYTES));
    }
    // A UTF-8 byte-order mark (Windows Notepad) is not part of the text.
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&bytes)
        .to_vec();
    String::from_utf8(bytes).map_err(|e| CliError::NotUtf8(shown, e.utf8_error().valid_up_to()))
}

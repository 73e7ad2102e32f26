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

/// Reads a file's bytes (lexicons are decoded by the check engine, which
/// names the bad line).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, CliError> {
    read_bytes_up_to(path, MAX_INPUT_BYTES * 4)
}

/// Reads at most `max` bytes of a file; a larger file is an error.
pub fn read_bytes_up_to(path: &Path, max: u64) -> Result<Vec<u8>, CliError> {
    let shown = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| CliError::Io(shown.clone(), e))?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::Io(shown.clone(), e))?;
    if bytes.len() as u64 > max {
        return Err(CliError::TooBig(shown, max));
    }
    Ok(bytes)
}

/// Writes `bytes` to `path` through a temporary file in the same directory,
/// so a crash never leaves a half-written file behind.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write;
    let shown = path.display().to_string();
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.baosong-tmp"));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        CliError::Write(shown, e)
    })
}

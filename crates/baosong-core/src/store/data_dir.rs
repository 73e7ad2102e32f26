use std::path::{Path, PathBuf};

use super::{Result, StoreError};

/// The database file inside the data directory.
pub const DB_FILE_NAME: &str = "baosong.sqlite3";

/// Where the data lives: the explicit choice (`--data-dir`), else
/// `BAOSONG_DATA_DIR`, else the platform default (XDG on Linux:
/// `~/.local/share/baosong`).
pub fn resolve_data_dir(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = explicit {
        return Ok(dir.to_path_buf());
    }
    if let Some(dir) = std::env::var_os("BAOSONG_DATA_DIR").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("cn", "baosong", "baosong")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or(StoreError::NoDataDir)
}

/// Creates the directory, readable only by its owner: drafts may hold
/// unpublished, sensitive text.
pub(super) fn prepare(dir: &Path) -> Result<()> {
    let io_err = |source| StoreError::DataDir {
        path: dir.to_path_buf(),
        source,
    };
    if !dir.exists() {
        std::fs::create_dir_all(dir).map_err(io_err)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .map_err(io_err)?;
        }
    } else if !dir.is_dir() {
        return Err(io_err(std::io::Error::new(
            std::io::ErrorKind::NotADirectory,
            "not a directory",
        )));
    }
    Ok(())
}

//! Fixtures made for real with LibreOffice at test time, from sources in
//! tests/fixtures. soffice is required (packaging/install-deps.sh installs
//! it); without it these tests fail and say so.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Converts `src` (relative to tests/fixtures) with
/// `soffice --headless --convert-to FORMAT`, in a private profile, and
/// returns the bytes of the result.
pub fn convert(src: &str, format: &str) -> Vec<u8> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(src);
    let tmp = tempfile::tempdir().expect("temp dir");
    let profile = tmp.path().join("profile");
    let out_dir = tmp.path().join("out");
    let result = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", format, "--outdir"])
        .arg(&out_dir)
        .arg(&src)
        .output();
    let output = match result {
        Ok(o) => o,
        Err(e) => panic!(
            "LibreOffice (soffice) is needed to make the test fixtures and could not be run: {e}. \
             Install it with packaging/install-deps.sh (libreoffice-calc, libreoffice-writer)."
        ),
    };
    let stem = src.file_stem().and_then(|s| s.to_str()).unwrap_or("out");
    let ext = format.split(':').next().unwrap_or(format);
    let produced: PathBuf = out_dir.join(format!("{stem}.{ext}"));
    std::fs::read(&produced).unwrap_or_else(|e| {
        panic!(
            "soffice did not produce {}: {e}\nstdout: {}\nstderr: {}",
            produced.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

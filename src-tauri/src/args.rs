//! The desktop binary's own command line: `baosong-desktop [--data-dir DIR]`.

use std::ffi::OsString;
use std::path::PathBuf;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Args {
    pub data_dir: Option<PathBuf>,
    pub help: bool,
    pub version: bool,
    /// Arguments we did not understand; reported, then ignored, because desktop
    /// launchers sometimes pass their own.
    pub ignored: Vec<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum ArgsError {
    MissingValue(&'static str),
}

impl std::fmt::Display for ArgsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ArgsError::MissingValue(flag) => {
                write!(f, "{flag} needs a value / {flag} 需要一个参数")
            }
        }
    }
}

pub const USAGE: &str = "\
报送 Baosong desktop

Usage / 用法: baosong-desktop [--data-dir DIR]

  --data-dir DIR   数据目录 / where the data lives
                   (default: $BAOSONG_DATA_DIR, then ~/.local/share/baosong)
  -h, --help       显示本帮助 / show this help
  -V, --version    显示版本 / show the version
";

pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Args, ArgsError> {
    let mut out = Args::default();
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        match arg.to_str() {
            Some("--data-dir") => match it.next() {
                Some(v) if !v.is_empty() => out.data_dir = Some(PathBuf::from(v)),
                _ => return Err(ArgsError::MissingValue("--data-dir")),
            },
            Some(s) if s.starts_with("--data-dir=") => {
                let v = &s["--data-dir=".len()..];
                if v.is_empty() {
                    return Err(ArgsError::MissingValue("--data-dir"));
                }
                out.data_dir = Some(PathBuf::from(v));
            }
            Some("-h" | "--help") => out.help = true,
            Some("-V" | "--version") => out.version = true,
            _ => out.ignored.push(arg.to_string_lossy().into_owned()),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Args, ArgsError> {
        parse(args.iter().map(OsString::from))
    }

    #[test]
    fn data_dir_both_spellings() {
        assert_eq!(
            p(&["--data-dir", "/a"]).unwrap().data_dir,
            Some("/a".into())
        );
        assert_eq!(p(&["--data-dir=/b"]).unwrap().data_dir, Some("/b".into()));
        assert_eq!(p(&[]).unwrap(), Args::default());
    }

    #[test]
    fn missing_value_is_an_error() {
        assert_eq!(
            p(&["--data-dir"]),
            Err(ArgsError::MissingValue("--data-dir"))
        );
        assert_eq!(
            p(&["--data-dir="]),
            Err(ArgsError::MissingValue("--data-dir"))
        );
    }

    #[test]
    fn unknown_arguments_are_kept_aside() {
        let a = p(&["--weird", "x", "-V"]).unwrap();
        assert_eq!(a.ignored, vec!["--weird".to_string(), "x".to_string()]);
        assert!(a.version);
    }
}

//! `baosong`: the command-line face of the Baosong client.
//!
//! Every command prints a result and exits 0, or prints one line saying what
//! went wrong (in the user's language) and exits 1. Usage mistakes exit 2
//! (clap's convention).

mod cli;
mod commands;
mod error;
mod input;
mod output;

use std::io::Write;
use std::process::ExitCode;

use baosong_core::Lang;
use clap::Parser;

use crate::cli::Cli;
use crate::output::Out;

/// `check` and `mask` report usage and IO failures as 3, so that 1 and 2
/// can mean "errors" and "blockers" found in the text.
const EXIT_CHECK_FAILED: u8 = 3;

fn main() -> ExitCode {
    install_panic_hook();
    let checking = is_check_command();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match (e.use_stderr(), checking) {
                (false, _) => ExitCode::SUCCESS, // --help, --version
                (true, true) => ExitCode::from(EXIT_CHECK_FAILED),
                (true, false) => ExitCode::from(2),
            };
        }
    };
    let lang = Lang::from_env();
    let mut out = Out::new(cli.json, lang);
    match commands::run(cli, &mut out) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let user = e.to_user();
            let mut stderr = std::io::stderr().lock();
            // If even stderr is gone there is nobody left to tell.
            let _ = if out.json {
                writeln!(stderr, "{}", serde_json::json!({ "error": user }))
            } else {
                writeln!(stderr, "baosong: {}", user.message(lang))
            };
            if checking {
                ExitCode::from(EXIT_CHECK_FAILED)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// Whether the subcommand is `check` or `mask`: the first argument that is
/// not a global option or its value.
fn is_check_command() -> bool {
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--data-dir" => {
                args.next();
            }
            a if a.starts_with('-') => {}
            a => return a == "check" || a == "mask",
        }
    }
    false
}

/// A bug must still end with one readable line, not a backtrace.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let lang = Lang::from_env();
        let at = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "baosong: {}{at}",
            lang.pick(
                "内部错误，操作未完成，已保存的数据不受影响。请将此信息报告给技术支持",
                "internal error; the operation did not complete and saved data is unaffected. Please report this"
            )
        );
    }));
}

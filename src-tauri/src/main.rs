// Release builds on Windows get no console window; harmless elsewhere.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    // First thing: the cold-start benchmark measures from here to `app_ready`.
    let started = Instant::now();
    baosong_desktop::run(started, std::env::args_os().skip(1))
}

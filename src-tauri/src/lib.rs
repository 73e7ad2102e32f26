//! Baosong's desktop shell: one Tauri 2 window showing the Vue UI (`ui/dist`,
//! embedded at build time), and a set of typed IPC commands over
//! `baosong-core` and `baosong-sync`. Everything the app knows about items,
//! workflow, storage, rendering and the portal lives in those crates; this
//! crate only wires them to the window (and runs the sync worker, `sync.rs`).
//!
//! Security: the web view gets no global Tauri object, a strict CSP, and may
//! call exactly the commands listed in `command_names.rs` (see
//! `capabilities/main.json` and `docs/architecture.md`).

mod args;
pub mod attachments;
mod command_names;
pub mod commands;
pub mod navigation;
mod pictures;
pub mod record;
pub mod review;
pub mod state;
pub mod sync;

use std::ffi::OsString;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

pub use command_names::COMMANDS;
pub use state::AppState;

/// Starts the app. `args` are the command-line arguments after the program name.
pub fn run(started: Instant, args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let args = match args::parse(args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("baosong: {e}\n\n{}", args::USAGE);
            return ExitCode::from(2);
        }
    };
    if args.help {
        print!("{}", args::USAGE);
        return ExitCode::SUCCESS;
    }
    if args.version {
        println!("baosong-desktop {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    for a in &args.ignored {
        eprintln!("baosong: ignoring unknown argument {a:?}");
    }
    if let Some(message) = missing_display() {
        eprintln!("{message}");
        return ExitCode::from(2);
    }

    prefer_software_compositing();
    let state = Arc::new(AppState::open(started, args.data_dir.as_deref()));
    let for_setup = state.clone();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .plugin(navigation::guard())
        .register_asynchronous_uri_scheme_protocol(pictures::SCHEME, pictures::handle)
        .manage(state)
        .setup(move |app| {
            // The sync worker, the stored sign-in and the keyring self-test.
            sync::start(app.handle(), for_setup);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::list_items,
            commands::get_item,
            commands::create_item,
            commands::save_item,
            commands::apply_action,
            commands::render_preview,
            commands::list_revisions,
            commands::diff_revisions,
            commands::restore_revision,
            commands::check_text,
            commands::check_item,
            commands::decide_finding,
            commands::list_columns,
            commands::app_ready,
            commands::sync_status,
            commands::login,
            commands::logout,
            commands::submit_item,
            commands::sync_now,
            commands::list_outbox,
            commands::retry_outbox_entry,
            commands::item_portal,
            commands::switch_user,
            commands::send_for_review,
            commands::pending_reviews,
            commands::item_reviews,
            commands::review_detail,
            commands::sign_review,
            commands::return_review,
            commands::signing_key,
            commands::rotate_signing_key,
            commands::registration_record,
            commands::export_sheet,
            commands::attach_file,
            commands::clean_attachment,
            commands::downscale_attachment,
            commands::set_attachment_alt,
            commands::remove_attachment,
            commands::import_docx,
        ])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("baosong: the window could not be started: {e}");
            ExitCode::FAILURE
        }
    }
}

/// WebKitGTK's accelerated compositing loads a GL stack (Mesa's llvmpipe where
/// there is no usable GPU: office PCs, VDI, Xvfb) costing ~85 MB of memory for
/// pages that, like ours, do not animate (docs/benchmarks.md). Turn it off
/// unless the user has decided otherwise.
fn prefer_software_compositing() {
    const VAR: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    if cfg!(target_os = "linux") && std::env::var_os(VAR).is_none() {
        // SAFETY: called from `run` before Tauri or anything else starts a
        // thread, so nothing reads the environment concurrently.
        unsafe { std::env::set_var(VAR, "1") };
    }
}

/// On Linux and the BSDs GTK cannot start without a display; say so plainly
/// instead of letting it abort.
fn missing_display() -> Option<&'static str> {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return None;
    }
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    if set("DISPLAY") || set("WAYLAND_DISPLAY") {
        return None;
    }
    Some(
        "baosong: 没有图形显示（DISPLAY / WAYLAND_DISPLAY 均未设置），无法打开窗口。\
         可以使用命令行程序 baosong，例如 `baosong list`。\n\
         baosong: no display (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window \
         cannot open. Use the `baosong` command instead, e.g. `baosong list`.",
    )
}

#[cfg(test)]
mod tests;

//! Generates Tauri's context and the permission manifest for the app's own
//! commands. Because the commands are listed here, each one needs an explicit
//! `allow-<command>` in `capabilities/main.json`; a command that is not granted
//! there cannot be called from the web view at all.

use std::path::Path;

include!("src/command_names.rs");

fn main() {
    println!("cargo:rerun-if-changed=src/command_names.rs");
    // With `custom-protocol` (the default) the built UI is embedded; say how to
    // make it instead of letting `generate_context!` fail obscurely.
    if std::env::var_os("CARGO_FEATURE_CUSTOM_PROTOCOL").is_some() {
        println!("cargo:rerun-if-changed=../ui/dist");
        if !Path::new("../ui/dist/index.html").exists() {
            panic!(
                "ui/dist/index.html is missing: build the UI first with `make ui` \
                 (npm ci && npm run build in ui/), or build with --no-default-features \
                 to use the Vite dev server"
            );
        }
    }
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        // A build script reports failure by panicking.
        panic!("tauri-build failed: {error:#}");
    }
}

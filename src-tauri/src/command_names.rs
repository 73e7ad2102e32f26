// The app's IPC commands, one name per `#[tauri::command]` in `commands.rs`.
// Included by build.rs (to generate the `allow-<command>` permissions) and by
// the crate itself (a test checks capabilities/main.json grants exactly these).
// Keep it free of anything but this constant: build.rs `include!`s it.

/// Every command the web view may call.
pub const COMMANDS: &[&str] = &[
    "app_info",
    "list_items",
    "get_item",
    "create_item",
    "save_item",
    "apply_action",
    "render_preview",
    "list_revisions",
    "diff_revisions",
    "restore_revision",
    "check_text",
    "check_item",
    "decide_finding",
    "list_columns",
    "app_ready",
    "sync_status",
    "login",
    "logout",
    "submit_item",
    "sync_now",
    "list_outbox",
    "retry_outbox_entry",
    "item_portal",
    "switch_user",
    "send_for_review",
    "pending_reviews",
    "item_reviews",
    "review_detail",
    "sign_review",
    "return_review",
    "signing_key",
    "rotate_signing_key",
    "registration_record",
    "export_sheet",
];

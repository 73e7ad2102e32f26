//! Only the app's own pages load in its window. A link clicked in the
//! preview, a file dropped outside a drop zone (WebKit then opens it), or a
//! script that sets `location` would otherwise replace the app with a page
//! that is not ours — remote content with the app's IPC in reach. Blocked
//! navigations simply do not happen; the app stays where it was.

use tauri::plugin::TauriPlugin;
use tauri::{Runtime, Url};

/// The plugin that refuses every navigation away from the app.
pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    tauri::plugin::Builder::new("navigation-guard")
        .on_navigation(|_, url| {
            let allowed = is_app_url(url);
            if !allowed {
                // The address only (no query): it may come from a draft.
                eprintln!(
                    "baosong: blocked navigation to {}://{}{}",
                    url.scheme(),
                    url.host_str().unwrap_or(""),
                    url.path()
                );
            }
            allowed
        })
        .build()
}

/// The app's own origin: `tauri://localhost` (Linux, macOS) or
/// `http(s)://tauri.localhost` (Windows); in a debug build also the Vite dev
/// server (`devUrl` in tauri.conf.json).
pub fn is_app_url(url: &Url) -> bool {
    let host = url.host_str();
    match url.scheme() {
        "tauri" => host == Some("localhost"),
        "http" | "https" if host == Some("tauri.localhost") => true,
        "http" => cfg!(debug_assertions) && host == Some("localhost") && url.port() == Some(5173),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(s: &str) -> bool {
        is_app_url(&Url::parse(s).unwrap())
    }

    #[test]
    fn only_the_apps_own_pages() {
        assert!(allowed("tauri://localhost/"));
        assert!(allowed("tauri://localhost/index.html#/item/1"));
        assert!(allowed("http://tauri.localhost/"));
        for other in [
            "file:///home/user/会议通知.docx",
            "https://www.gov.cn/",
            "http://localhost:8787/editor",
            "http://tauri.localhost.evil.example/",
            "tauri://evil/",
            "javascript:alert(1)",
            "data:text/html,<script>1</script>",
        ] {
            assert!(!allowed(other), "{other} must be blocked");
        }
    }
}

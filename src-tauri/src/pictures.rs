//! `picture://localhost/<sha256>`: the item's pictures for the preview,
//! served from the local blob store. The preview HTML only carries these
//! short addresses; the web view loads each picture once and caches it
//! (a content-addressed file never changes), instead of the whole picture
//! travelling as a `data:` URL through IPC on every re-render.
//!
//! Only pictures (JPEG, PNG, WebP, judged from the bytes and verified
//! against the hash) are served, never while the window is locked
//! (切换用户), and only to the app's own pages (the navigation guard keeps
//! every other page out of the window; the CSP names this scheme for
//! images only).

use std::sync::Arc;

use tauri::http::{Response, StatusCode, header};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

use crate::state::AppState;

/// The scheme, as registered and as named in the CSP (`img-src`).
pub const SCHEME: &str = "picture";

/// The address of a stored picture in the preview.
pub fn url(sha256: &str) -> String {
    // Windows' WebView2 reaches custom schemes as http://<scheme>.localhost.
    if cfg!(windows) {
        format!("http://{SCHEME}.localhost/{sha256}")
    } else {
        format!("{SCHEME}://localhost/{sha256}")
    }
}

/// The protocol handler: reads off the main thread, answers once.
pub fn handle<R: Runtime>(
    ctx: UriSchemeContext<'_, R>,
    request: tauri::http::Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let state = ctx.app_handle().state::<Arc<AppState>>().inner().clone();
    let sha256 = request.uri().path().trim_start_matches('/').to_owned();
    tauri::async_runtime::spawn_blocking(move || {
        responder.respond(answer(&state, &sha256));
    });
}

fn answer(state: &AppState, sha256: &str) -> Response<Vec<u8>> {
    let blobs = match state.with_store_sync(|s| Ok(s.blobs())) {
        Ok(b) => b,
        Err(_) => return status(StatusCode::FORBIDDEN),
    };
    match blobs.read_image(sha256) {
        Ok(Some((bytes, media_type))) => Response::builder()
            .header(header::CONTENT_TYPE, media_type)
            .header(header::CACHE_CONTROL, "max-age=31536000, immutable")
            .header("X-Content-Type-Options", "nosniff")
            .body(bytes)
            .unwrap_or_else(|_| status(StatusCode::INTERNAL_SERVER_ERROR)),
        // Not a picture, not stored, damaged, or not a hash at all.
        Ok(None) | Err(_) => status(StatusCode::NOT_FOUND),
    }
}

fn status(code: StatusCode) -> Response<Vec<u8>> {
    let mut response = Response::new(Vec::new());
    *response.status_mut() = code;
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn serves_stored_pictures_only_and_nothing_while_locked() {
        let dir = tempfile::tempdir().unwrap();
        let store = baosong_core::Store::open(dir.path()).unwrap();
        let png = store
            .blobs()
            .put_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
            .unwrap();
        let doc = store
            .blobs()
            .put_bytes(b"<html>not a picture</html>")
            .unwrap();
        let state = AppState::with_store(Instant::now(), Some(dir.path().to_owned()), store);

        let ok = answer(&state, &png.sha256);
        assert_eq!(ok.status(), StatusCode::OK);
        assert_eq!(ok.headers()[header::CONTENT_TYPE], "image/png");
        assert!(ok.body().starts_with(b"\x89PNG"));
        assert_eq!(answer(&state, &doc.sha256).status(), StatusCode::NOT_FOUND);
        assert_eq!(
            answer(&state, "../../etc/passwd").status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            answer(&state, &"0".repeat(64)).status(),
            StatusCode::NOT_FOUND
        );

        state.set_locked(true).unwrap();
        assert_eq!(answer(&state, &png.sha256).status(), StatusCode::FORBIDDEN);
    }

    #[test]
    fn addresses_name_the_scheme() {
        let sha = "a".repeat(64);
        assert_eq!(url(&sha), format!("picture://localhost/{sha}"));
    }
}

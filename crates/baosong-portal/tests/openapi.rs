//! The served OpenAPI document is the committed one, byte for byte.

mod common;

use common::Portal;
use reqwest::StatusCode;

#[tokio::test]
async fn served_openapi_matches_docs_api_openapi_json() {
    let p = Portal::start().await;
    let r = p.client.get(p.url("/openapi.json")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/json");
    let served = r.text().await.unwrap();
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/api/openapi.json"
    ))
    .unwrap_or_default();
    assert!(
        served == committed,
        "docs/api/openapi.json differs from what the portal serves. Regenerate it with\n\
         \n    BAOSONG_WRITE_OPENAPI=1 cargo test -p baosong-api --test openapi\n\n\
         (or `baosong-portal openapi > docs/api/openapi.json`) and commit it."
    );
}

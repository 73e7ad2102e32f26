//! The committed OpenAPI document (docs/api/openapi.json) must be exactly what
//! the types generate.
//!
//! After changing a wire type, regenerate it with
//!     BAOSONG_WRITE_OPENAPI=1 cargo test -p baosong-api --test openapi
//! (or `baosong-portal openapi > docs/api/openapi.json`) and commit the file.

use std::path::PathBuf;

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/api/openapi.json")
}

#[test]
fn committed_openapi_document_matches_the_types() {
    let generated = baosong_api::openapi_json();
    let path = committed_path();
    if std::env::var_os("BAOSONG_WRITE_OPENAPI").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).expect("write docs/api/openapi.json");
        eprintln!("wrote {}", path.display());
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/api/openapi.json is out of date with the types in crates/baosong-api.\n\
         Regenerate it with:\n\
         \n    BAOSONG_WRITE_OPENAPI=1 cargo test -p baosong-api --test openapi\n\n\
         and commit the result."
    );
}

#[test]
fn document_is_openapi_3_1_with_every_operation() {
    let doc: serde_json::Value = serde_json::from_str(&baosong_api::openapi_json()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/auth/token", "post"),
        ("/api/v1/auth/refresh", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/columns", "get"),
        ("/api/v1/submissions", "post"),
        ("/api/v1/submissions/{id}", "get"),
        ("/api/v1/submissions/{id}", "put"),
        ("/api/v1/submissions/{id}/withdraw", "post"),
        ("/api/v1/submissions/{id}/decision", "post"),
        ("/api/v1/submissions/changes", "get"),
        ("/api/v1/events", "get"),
        ("/api/v1/uploads", "post"),
        ("/api/v1/uploads/{id}", "head"),
        ("/api/v1/uploads/{id}", "get"),
        ("/api/v1/uploads/{id}", "patch"),
        ("/api/v1/attachments/{sha256}", "get"),
        ("/api/v1/openapi.json", "get"),
    ] {
        assert!(paths[path][method].is_object(), "{method} {path} missing");
    }
    // Request types refuse unknown fields, and the schema says so.
    let req = &doc["components"]["schemas"]["SubmissionRequest"];
    assert_eq!(req["additionalProperties"], false, "{req}");
    // Every problem code is in the schema's enum.
    let codes = doc["components"]["schemas"]["ProblemCode"]["enum"]
        .as_array()
        .unwrap();
    assert_eq!(codes.len(), baosong_api::ProblemCode::ALL.len());
}

//! Attachment upload over real HTTP against a real portal and database:
//! resuming, chunk and whole-file verification, deduplication, the column's
//! policy, submissions that name attachments, who may download them, the
//! editor page, and abandoned uploads expiring.

mod common;

use std::time::Duration;

use baosong_api::{
    AttachmentPolicy, AttachmentRef, ColumnList, ProblemCode, Upload, UploadStatus, uploads,
};
use common::{PASSWORD, Portal, expect_problem, request};
use reqwest::{Response, StatusCode};
use sha2::{Digest, Sha256};
use uuid::Uuid;

fn sha_hex(bytes: &[u8]) -> String {
    baosong_portal::secrets::sha256_hex(bytes)
}

fn checksum(bytes: &[u8]) -> String {
    uploads::checksum_header(&Sha256::digest(bytes))
}

/// Pseudo-random, not compressible or repetitive.
fn bytes(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2).wrapping_add(1);
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

async fn create(p: &Portal, token: &str, body: serde_json::Value) -> Response {
    p.client
        .post(p.url("/uploads"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn declare(file: &[u8], name: &str, media_type: &str, column: &str) -> serde_json::Value {
    serde_json::json!({
        "sha256": sha_hex(file), "size": file.len(), "name": name,
        "media_type": media_type, "column_id": column,
    })
}

async fn patch(
    p: &Portal,
    token: &str,
    id: Uuid,
    offset: u64,
    chunk: &[u8],
    sum: &str,
) -> Response {
    p.client
        .patch(p.url(&format!("/uploads/{id}")))
        .bearer_auth(token)
        .header("Content-Type", "application/offset+octet-stream")
        .header("Upload-Offset", offset.to_string())
        .header("Upload-Checksum", sum)
        .body(chunk.to_vec())
        .send()
        .await
        .unwrap()
}

async fn head_offset(p: &Portal, token: &str, id: Uuid) -> Option<u64> {
    let r = p
        .client
        .head(p.url(&format!("/uploads/{id}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    if r.status() == StatusCode::NOT_FOUND {
        return None;
    }
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["tus-resumable"], "1.0.0");
    Some(
        r.headers()["upload-offset"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap(),
    )
}

fn offset_of(r: &Response) -> u64 {
    r.headers()["upload-offset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// Uploads `file` in one chunk; returns its hash.
async fn upload(p: &Portal, token: &str, file: &[u8], name: &str, media_type: &str) -> String {
    let r = create(p, token, declare(file, name, media_type, "bmdt")).await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );
    let u: Upload = r.json().await.unwrap();
    let r = patch(p, token, u.id.unwrap(), 0, file, &checksum(file)).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    sha_hex(file)
}

fn stored_path(p: &Portal, sha: &str) -> std::path::PathBuf {
    p.dir
        .path()
        .join("attachments")
        .join(&sha[..2])
        .join(&sha[2..])
}

#[tokio::test]
async fn an_upload_resumes_verifies_each_chunk_and_is_deduplicated() {
    let p = Portal::start().await;
    let token = p.token("jyj.xxy").await;
    let file = bytes(300_000, 1);
    let (first, rest) = file.split_at(100_000);

    let r = create(
        &p,
        &token,
        declare(&file, "会议现场.jpg", "image/jpeg", "bmdt"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/api/v1/uploads/")
    );
    let u: Upload = r.json().await.unwrap();
    assert_eq!(
        (u.status, u.offset, u.size),
        (UploadStatus::InProgress, 0, 300_000)
    );
    assert_eq!(u.chunk_size, Some(uploads::DEFAULT_CHUNK_SIZE));
    let id = u.id.unwrap();

    let r = patch(&p, &token, id, 0, first, &checksum(first)).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(offset_of(&r), 100_000);
    assert_eq!(head_offset(&p, &token, id).await, Some(100_000));

    // A client that lost the id declares the file again and gets the same
    // upload at its offset.
    let r = create(
        &p,
        &token,
        declare(&file, "会议现场.jpg", "image/jpeg", "bmdt"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let again: Upload = r.json().await.unwrap();
    assert_eq!((again.id, again.offset), (Some(id), 100_000));

    // Sending from the wrong offset is refused with the portal's offset.
    let r = patch(&p, &token, id, 0, first, &checksum(first)).await;
    assert_eq!(offset_of(&r), 100_000);
    let problem = expect_problem(r, 409, ProblemCode::UploadOffsetMismatch).await;
    assert_eq!(problem.upload_offset, Some(100_000));

    // A chunk damaged on the way is discarded: the offset stays.
    let mut damaged = rest.to_vec();
    damaged[5] ^= 1;
    let r = patch(&p, &token, id, 100_000, &damaged, &checksum(rest)).await;
    expect_problem(r, 422, ProblemCode::ChunkChecksumMismatch).await;
    assert_eq!(head_offset(&p, &token, id).await, Some(100_000));

    // The rest completes the file, verified whole and stored by its hash.
    let r = patch(&p, &token, id, 100_000, rest, &checksum(rest)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let done: Upload = r.json().await.unwrap();
    assert_eq!(done.status, UploadStatus::Complete);
    let sha = sha_hex(&file);
    assert_eq!(std::fs::read(stored_path(&p, &sha)).unwrap(), file);
    assert_eq!(head_offset(&p, &token, id).await, None, "the upload ended");

    // Declared again (by another unit too): complete at once, nothing to send.
    for user in ["jyj.xxy", "wjw.xxy"] {
        let t = p.token(user).await;
        let r = create(
            &p,
            &t,
            declare(&file, "另一个名字.jpg", "image/jpeg", "bmdt"),
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK, "{user}");
        let u: Upload = r.json().await.unwrap();
        assert_eq!(
            (u.status, u.id, u.sha256.as_str()),
            (UploadStatus::Complete, None, sha.as_str())
        );
    }
    p.stop().await;
}

#[tokio::test]
async fn a_file_that_does_not_match_its_declared_hash_is_reset() {
    let p = Portal::start().await;
    let token = p.token("jyj.xxy").await;
    let declared = bytes(50_000, 2);
    let sent = bytes(50_000, 3);
    let r = create(&p, &token, declare(&declared, "a.png", "image/png", "bmdt")).await;
    let id = r.json::<Upload>().await.unwrap().id.unwrap();
    // Every chunk is intact; the whole is not the file declared.
    let r = patch(&p, &token, id, 0, &sent, &checksum(&sent)).await;
    expect_problem(r, 422, ProblemCode::UploadHashMismatch).await;
    assert_eq!(head_offset(&p, &token, id).await, Some(0));
    assert!(!stored_path(&p, &sha_hex(&sent)).exists());
    assert!(!stored_path(&p, &sha_hex(&declared)).exists());
    p.stop().await;
}

#[tokio::test]
async fn the_columns_policy_refuses_types_and_sizes() {
    let p = Portal::start().await;
    p.db()
        .write(|w| {
            baosong_portal::db::columns::set_attachment_policy(
                w,
                "bmdt",
                &AttachmentPolicy {
                    allowed_media_types: vec!["image/jpeg".into(), "image/png".into()],
                    max_bytes: 1000,
                },
            )
        })
        .unwrap();
    let token = p.token("jyj.xxy").await;
    let list: ColumnList = p.get(&token, "/columns").await.json().await.unwrap();
    let bmdt = list.columns.iter().find(|c| c.id == "bmdt").unwrap();
    assert_eq!(bmdt.attachments.max_bytes, 1000);
    let tzgg = list.columns.iter().find(|c| c.id == "tzgg").unwrap();
    assert_eq!(tzgg.attachments, AttachmentPolicy::default());

    let r = create(
        &p,
        &token,
        declare(&bytes(500, 4), "通知.pdf", "application/pdf", "bmdt"),
    )
    .await;
    expect_problem(r, 415, ProblemCode::AttachmentTypeNotAllowed).await;
    let r = create(
        &p,
        &token,
        declare(&bytes(1001, 5), "大图.jpg", "image/jpeg", "bmdt"),
    )
    .await;
    expect_problem(r, 413, ProblemCode::AttachmentTooLarge).await;
    let r = create(
        &p,
        &token,
        declare(&bytes(1001, 5), "大图.jpg", "image/jpeg", "nope"),
    )
    .await;
    expect_problem(r, 422, ProblemCode::UnknownColumn).await;
    // The same PDF is fine where documents are allowed.
    let r = create(
        &p,
        &token,
        declare(&bytes(500, 4), "通知.pdf", "application/pdf", "tzgg"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    // Editors do not upload.
    let editor = p.token("editor").await;
    let r = create(
        &p,
        &editor,
        declare(&bytes(500, 4), "通知.pdf", "application/pdf", "tzgg"),
    )
    .await;
    expect_problem(r, 403, ProblemCode::Forbidden).await;
    p.stop().await;
}

/// Signs an editor in on the web pages; returns the session cookie.
async fn editor_cookie(p: &Portal) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = client
        .get(format!("{}/editor/login", p.base))
        .send()
        .await
        .unwrap();
    let pre: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .collect();
    let page = r.text().await.unwrap();
    let marker = r#"name="csrf" value=""#;
    let start = page.find(marker).unwrap() + marker.len();
    let csrf = page[start..].split('"').next().unwrap().to_string();
    let form = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("username", "editor"),
        ("password", PASSWORD),
    ])
    .unwrap();
    let r = client
        .post(format!("{}/editor/login", p.base))
        .header("cookie", pre.join("; "))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    r.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with("bs_session="))
        .expect("a session cookie")
}

#[tokio::test]
async fn submissions_need_their_attachments_and_only_those_who_see_them_download() {
    let p = Portal::start().await;
    let token = p.token("jyj.xxy").await;
    let photo = bytes(70_000, 6);
    let sha = sha_hex(&photo);
    let mut req = request("市教育局召开安全工作会议");
    req.attachments = vec![AttachmentRef {
        sha256: sha.clone(),
        name: "会议现场.jpg".into(),
        size: photo.len() as u64,
        media_type: "image/jpeg".into(),
    }];

    // Not uploaded yet: refused, nothing stored.
    let r = p.submit(&token, &Uuid::now_v7().to_string(), &req).await;
    let problem = expect_problem(r, 422, ProblemCode::AttachmentMissing).await;
    assert_eq!(problem.field.as_deref(), Some("attachments[0].sha256"));
    assert_eq!(p.counts().0, 0);

    upload(&p, &token, &photo, "会议现场.jpg", "image/jpeg").await;
    // The column does not take PDFs: refused even though the file is stored.
    let mut pdf = req.clone();
    pdf.attachments[0].media_type = "application/x-msdownload".into();
    let r = p.submit(&token, &Uuid::now_v7().to_string(), &pdf).await;
    expect_problem(r, 422, ProblemCode::AttachmentTypeNotAllowed).await;
    // Another size than stored: not that file.
    let mut wrong = req.clone();
    wrong.attachments[0].size += 1;
    let r = p.submit(&token, &Uuid::now_v7().to_string(), &wrong).await;
    expect_problem(r, 422, ProblemCode::AttachmentMissing).await;

    let sub = p.submit_new(&token, &req).await;
    assert_eq!(sub.attachments, req.attachments);

    // The submitting unit and editors download it; another unit does not.
    let path = format!("/attachments/{sha}");
    for user in ["jyj.xxy", "jyj.fzr", "editor"] {
        let r = p.get(&p.token(user).await, &path).await;
        assert_eq!(r.status(), StatusCode::OK, "{user}");
        let h = r.headers().clone();
        assert_eq!(h["content-type"], "image/jpeg");
        assert_eq!(h["x-content-type-options"], "nosniff");
        let cd = h["content-disposition"].to_str().unwrap();
        assert!(
            cd.starts_with("attachment;") && cd.contains("filename*=UTF-8''"),
            "{cd}"
        );
        assert_eq!(
            r.bytes().await.unwrap().as_ref(),
            photo.as_slice(),
            "{user}"
        );
    }
    let r = p.get(&p.token("wjw.xxy").await, &path).await;
    expect_problem(r, 404, ProblemCode::NotFound).await;
    // A file stored but referenced by no submission is nobody's to read.
    let loose = bytes(1000, 7);
    upload(&p, &token, &loose, "散件.png", "image/png").await;
    let r = p
        .get(&token, &format!("/attachments/{}", sha_hex(&loose)))
        .await;
    expect_problem(r, 404, ProblemCode::NotFound).await;

    // The editor page lists it, shows the picture, and serves it by the
    // session cookie (not the API token).
    let cookie = editor_cookie(&p).await;
    let page = p
        .client
        .get(format!("{}/editor/submissions/{}", p.base, sub.id))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(html.contains("会议现场.jpg"), "{html}");
    assert!(
        html.contains(&format!(r#"<img src="/editor/attachments/{sha}""#)),
        "{html}"
    );
    assert!(html.contains(&sha[..12]));
    let web = format!("{}/editor/attachments/{sha}", p.base);
    let r = p
        .client
        .get(&web)
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.unwrap().as_ref(), photo.as_slice());
    // Without the cookie: to the sign-in page, never the file.
    let r = p.client.get(&web).send().await.unwrap();
    assert!(r.url().path().starts_with("/editor/login"), "{}", r.url());
    assert_ne!(r.bytes().await.unwrap().as_ref(), photo.as_slice());
    p.stop().await;
}

#[tokio::test]
async fn abandoned_uploads_expire_with_their_files() {
    let p = Portal::start_with(|c| c.upload_ttl = Duration::from_secs(1)).await;
    let token = p.token("jyj.xxy").await;
    let file = bytes(20_000, 8);
    let r = create(&p, &token, declare(&file, "a.jpg", "image/jpeg", "bmdt")).await;
    let id = r.json::<Upload>().await.unwrap().id.unwrap();
    let r = patch(&p, &token, id, 0, &file[..5000], &checksum(&file[..5000])).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let partial = p
        .dir
        .path()
        .join("attachments/uploads")
        .join(id.to_string());
    assert_eq!(std::fs::metadata(&partial).unwrap().len(), 5000);

    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while partial.exists() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!partial.exists(), "the partial file was removed");
    assert_eq!(head_offset(&p, &token, id).await, None);
    let r = patch(
        &p,
        &token,
        id,
        5000,
        &file[5000..],
        &checksum(&file[5000..]),
    )
    .await;
    expect_problem(r, 404, ProblemCode::NotFound).await;
    p.stop().await;
}

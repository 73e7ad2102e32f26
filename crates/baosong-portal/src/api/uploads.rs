//! Attachment upload (`POST /uploads`, `HEAD`/`GET`/`PATCH /uploads/{id}`)
//! and download (`GET /attachments/{sha256}`): the Baosong upload protocol,
//! modelled on tus 1.0 core + creation + checksum (docs/api/README.md).

use std::time::Duration;

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use baosong_api::uploads::{
    OFFSET_OCTET_STREAM, TUS_VERSION, UPLOAD_CHECKSUM_HEADER, UPLOAD_OFFSET_HEADER,
    is_valid_media_type, media_essence, parse_checksum_header,
};
use baosong_api::{CreateUploadRequest, Problem, ProblemCode, Upload, UploadStatus};
use uuid::Uuid;

use super::AppState;
use super::extract::{ApiJson, ApiPath, Auth};
use crate::attachments::Chunk;
use crate::db::uploads::{self, UploadRow};
use crate::db::users::Principal;
use crate::db::{columns, now};
use crate::error::{Error, Result};

/// How long a `PATCH` waits for another request on the same upload (an
/// earlier connection the portal has not noticed is gone yet).
const LOCK_WAIT: Duration = Duration::from_secs(10);

fn upload_offset() -> HeaderName {
    HeaderName::from_static("upload-offset")
}

fn upload_length() -> HeaderName {
    HeaderName::from_static("upload-length")
}

fn tus_headers(offset: u64, length: Option<u64>) -> Vec<(HeaderName, HeaderValue)> {
    let mut h = vec![
        (upload_offset(), HeaderValue::from(offset)),
        (
            HeaderName::from_static("tus-resumable"),
            HeaderValue::from_static(TUS_VERSION),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    if let Some(len) = length {
        h.push((upload_length(), HeaderValue::from(len)));
    }
    h
}

fn with_headers(mut response: Response, headers: Vec<(HeaderName, HeaderValue)>) -> Response {
    for (name, value) in headers {
        response.headers_mut().insert(name, value);
    }
    response
}

fn upload_json(u: &UploadRow, chunk_size: u64) -> Upload {
    Upload {
        status: UploadStatus::InProgress,
        sha256: u.sha256.clone(),
        id: Some(u.id),
        offset: u.offset,
        size: u.size,
        chunk_size: Some(chunk_size),
        expires_at: Some(u.expires_at),
    }
}

fn complete_json(sha256: &str, size: u64) -> Upload {
    Upload {
        status: UploadStatus::Complete,
        sha256: sha256.to_string(),
        id: None,
        offset: size,
        size,
        chunk_size: None,
        expires_at: None,
    }
}

fn validate(req: &CreateUploadRequest) -> Result<()> {
    if !crate::validate::is_sha256(&req.sha256) {
        return Err(Error::invalid(
            "sha256",
            "sha256 必须是 64 位小写十六进制。",
            "sha256 must be 64 lowercase hex digits.",
        ));
    }
    if req.size == 0 {
        return Err(Error::invalid(
            "size",
            "附件不能为空文件。",
            "An attachment cannot be empty.",
        ));
    }
    let name_chars = req.name.chars().count();
    if req.name.trim().is_empty() || name_chars > 255 || req.name.chars().any(char::is_control) {
        return Err(Error::invalid(
            "name",
            "附件文件名不能为空、不超过 255 个字符，且不能含控制字符。",
            "The file name must be 1 to 255 characters without control characters.",
        ));
    }
    if !is_valid_media_type(&media_essence(&req.media_type)) {
        return Err(Error::invalid(
            "media_type",
            "媒体类型不正确（应为 类型/子类型，如 image/jpeg）。",
            "media_type must be type/subtype, e.g. image/jpeg.",
        ));
    }
    Ok(())
}

fn unknown_column(id: &str) -> Error {
    Error::problem(
        Problem::new(ProblemCode::UnknownColumn)
            .with_field("column_id")
            .with_detail(
                format!("没有编号为“{id}”的栏目。"),
                format!("No column with id {id:?}."),
            ),
    )
}

/// `POST /uploads`.
pub async fn create(
    State(state): State<AppState>,
    Auth(who): Auth,
    ApiJson(req): ApiJson<CreateUploadRequest>,
) -> Result<Response> {
    let unit = who.submitting_unit()?.id.clone();
    validate(&req)?;
    let column = req.column_id.clone();
    let policy = state
        .read(move |c| columns::policy(c, &column))
        .await?
        .ok_or_else(|| unknown_column(&req.column_id))?;
    if !policy.allows(&req.media_type) {
        return Err(Error::problem(
            Problem::new(ProblemCode::AttachmentTypeNotAllowed)
                .with_field("media_type")
                .with_detail(
                    format!(
                        "栏目“{}”不接受“{}”类型的附件；允许的类型：{}。",
                        req.column_id,
                        req.media_type,
                        policy.allowed_media_types.join("、")
                    ),
                    format!(
                        "Column {:?} does not accept {:?}; allowed: {}.",
                        req.column_id,
                        req.media_type,
                        policy.allowed_media_types.join(", ")
                    ),
                ),
        ));
    }
    if req.size > policy.max_bytes {
        return Err(Error::problem(
            Problem::new(ProblemCode::AttachmentTooLarge)
                .with_field("size")
                .with_detail(
                    format!(
                        "附件“{}”有 {} 字节，超过栏目“{}”的上限 {} 字节。",
                        req.name, req.size, req.column_id, policy.max_bytes
                    ),
                    format!(
                        "{:?} has {} bytes, over column {:?}'s limit of {} bytes.",
                        req.name, req.size, req.column_id, policy.max_bytes
                    ),
                ),
        ));
    }
    let chunk_size = state.config.upload_chunk_size;
    let ttl = chrono::Duration::from_std(state.config.upload_ttl)
        .map_err(|e| Error::Internal(format!("upload ttl: {e}")))?;
    let outcome = state
        .write(move |w| {
            let at = now();
            if let Some((size, _)) = uploads::stored(w, &req.sha256)?
                && size == req.size
            {
                return Ok(Err(complete_json(&req.sha256, size)));
            }
            if let Some(existing) = uploads::unfinished(w, &unit, &req.sha256, req.size, at)? {
                return Ok(Ok(existing));
            }
            let row = UploadRow {
                id: Uuid::now_v7(),
                unit_id: unit,
                sha256: req.sha256,
                size: req.size,
                name: req.name,
                media_type: media_essence(&req.media_type),
                column_id: req.column_id,
                offset: 0,
                expires_at: at + ttl,
            };
            uploads::create(w, &who, &row, at)?;
            Ok(Ok(row))
        })
        .await?;
    match outcome {
        Err(done) => Ok((StatusCode::OK, Json(done)).into_response()),
        Ok(row) => {
            let location =
                HeaderValue::from_str(&format!("{}/uploads/{}", baosong_api::API_PREFIX, row.id))
                    .map_err(|e| Error::Internal(format!("location: {e}")))?;
            let mut headers = tus_headers(row.offset, Some(row.size));
            headers.push((header::LOCATION, location));
            Ok(with_headers(
                (StatusCode::CREATED, Json(upload_json(&row, chunk_size))).into_response(),
                headers,
            ))
        }
    }
}

async fn find(state: &AppState, who: Principal, id: Uuid) -> Result<UploadRow> {
    state.read(move |c| uploads::get(c, &who, id, now())).await
}

/// `HEAD /uploads/{id}`: the offset in headers, no body.
pub async fn head(
    State(state): State<AppState>,
    Auth(who): Auth,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response> {
    let row = find(&state, who, id).await?;
    Ok(with_headers(
        StatusCode::OK.into_response(),
        tus_headers(row.offset, Some(row.size)),
    ))
}

/// `GET /uploads/{id}`: the same as JSON.
pub async fn get(
    State(state): State<AppState>,
    Auth(who): Auth,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response> {
    let row = find(&state, who, id).await?;
    Ok(with_headers(
        Json(upload_json(&row, state.config.upload_chunk_size)).into_response(),
        tus_headers(row.offset, Some(row.size)),
    ))
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn bad_header(name: &str, zh: &str, en: &str) -> Error {
    Error::problem(
        Problem::new(ProblemCode::InvalidParameter)
            .with_field(name)
            .with_detail(zh, en),
    )
}

/// The `PATCH` headers: offset and chunk digest.
fn patch_headers(headers: &HeaderMap) -> Result<(u64, [u8; 32])> {
    let content_type = header_str(headers, header::CONTENT_TYPE.as_str()).map(media_essence);
    if content_type.as_deref() != Some(OFFSET_OCTET_STREAM) {
        return Err(Error::problem(
            Problem::new(ProblemCode::UnsupportedMediaType).with_detail(
                format!("上传数据的内容类型必须是 {OFFSET_OCTET_STREAM}。"),
                format!("Chunks must be sent as {OFFSET_OCTET_STREAM}."),
            ),
        ));
    }
    let offset = header_str(headers, UPLOAD_OFFSET_HEADER)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .ok_or_else(|| {
            bad_header(
                UPLOAD_OFFSET_HEADER,
                "缺少 Upload-Offset 请求头，或其值不是非负整数。",
                "Upload-Offset is missing or not a non-negative integer.",
            )
        })?;
    let digest = header_str(headers, UPLOAD_CHECKSUM_HEADER)
        .and_then(parse_checksum_header)
        .ok_or_else(|| {
            bad_header(
                UPLOAD_CHECKSUM_HEADER,
                "缺少 Upload-Checksum 请求头，或其值不是“sha256 <Base64 校验值>”。",
                "Upload-Checksum is missing or not `sha256 <base64 digest>`.",
            )
        })?;
    Ok((offset, digest))
}

fn offset_mismatch(server: u64, sent: u64) -> Error {
    let mut p = Problem::new(ProblemCode::UploadOffsetMismatch)
        .with_field(UPLOAD_OFFSET_HEADER)
        .with_detail(
            format!("门户网站已收到 {server} 字节，本次从第 {sent} 字节开始，请从第 {server} 字节继续上传。"),
            format!("The portal has {server} bytes; this chunk starts at {sent}. Continue from {server}."),
        );
    p.upload_offset = Some(server);
    Error::problem(p)
}

/// `PATCH /uploads/{id}`: the next chunk. A `409 upload_offset_mismatch`
/// also carries the portal's offset in `Upload-Offset`, as tus clients
/// expect.
pub async fn patch(
    state: State<AppState>,
    auth: Auth,
    id: ApiPath<Uuid>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match receive(state, auth, id, headers, body).await {
        Ok(response) => response,
        Err(e) => {
            let offset = match &e {
                Error::Problem(p) => p.upload_offset,
                _ => None,
            };
            let mut response = e.into_response();
            if let Some(offset) = offset {
                response
                    .headers_mut()
                    .insert(upload_offset(), HeaderValue::from(offset));
            }
            response
        }
    }
}

async fn receive(
    State(state): State<AppState>,
    Auth(who): Auth,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response> {
    let (sent_offset, digest) = patch_headers(&headers)?;
    let _lock = state
        .upload_locks
        .acquire(id, LOCK_WAIT)
        .await
        .ok_or_else(|| Error::code(ProblemCode::Unavailable))?;
    let row = find(&state, who, id).await?;
    let storage = &state.storage;
    if storage.partial_len(id).await? < row.offset {
        // The partial file lost bytes the portal acknowledged (restored
        // from a backup, deleted by hand): only starting over is safe.
        reset(&state, &row).await?;
        return Err(offset_mismatch(0, sent_offset));
    }
    if sent_offset != row.offset {
        return Err(offset_mismatch(row.offset, sent_offset));
    }
    let max = state.config.upload_chunk_size.min(row.size - row.offset);
    let durable = state.config.durable_commits;
    match storage
        .receive_chunk(id, row.offset, body, max, &digest, durable)
        .await?
    {
        Chunk::Stored(n) => chunk_stored(&state, row, n).await,
        Chunk::TooLarge => Err(Error::problem(
            Problem::new(ProblemCode::PayloadTooLarge).with_detail(
                format!("本段数据超过 {max} 字节（单段上限或文件剩余的大小），已丢弃。"),
                format!("The chunk is over {max} bytes (the chunk size or what is left of the file); discarded."),
            ),
        )),
        Chunk::ChecksumMismatch => Err(Error::code(ProblemCode::ChunkChecksumMismatch)),
        Chunk::Interrupted(why) => {
            tracing::info!(%id, why, "upload chunk broke off; discarded");
            Err(bad_header(
                "body",
                "上传数据中断，本段已丢弃。",
                "The chunk broke off; it was discarded.",
            ))
        }
    }
}

/// A verified chunk of `n` bytes was written after `row.offset`.
async fn chunk_stored(state: &AppState, row: UploadRow, n: u64) -> Result<Response> {
    let offset = row.offset + n;
    if offset < row.size {
        let expires = now() + ttl(state)?;
        state
            .write(move |w| uploads::set_offset(w, row.id, offset, expires))
            .await?;
        return Ok(with_headers(
            StatusCode::NO_CONTENT.into_response(),
            tus_headers(offset, None),
        ));
    }
    if !state.storage.verify_upload(row.id, &row.sha256).await? {
        reset(state, &row).await?;
        return Err(Error::code(ProblemCode::UploadHashMismatch));
    }
    state.storage.promote(row.id, &row.sha256).await?;
    let done = complete_json(&row.sha256, row.size);
    state
        .write(move |w| uploads::complete(w, &row, now()))
        .await?;
    tracing::info!(sha256 = %done.sha256, size = done.size, "attachment stored");
    Ok(with_headers(
        Json(done.clone()).into_response(),
        tus_headers(done.size, None),
    ))
}

async fn reset(state: &AppState, row: &UploadRow) -> Result<()> {
    state.storage.reset(row.id).await?;
    let (id, expires) = (row.id, now() + ttl(state)?);
    state
        .write(move |w| uploads::set_offset(w, id, 0, expires))
        .await
}

fn ttl(state: &AppState) -> Result<chrono::Duration> {
    chrono::Duration::from_std(state.config.upload_ttl)
        .map_err(|e| Error::Internal(format!("upload ttl: {e}")))
}

/// `GET /attachments/{sha256}`.
pub async fn download(
    State(state): State<AppState>,
    Auth(who): Auth,
    ApiPath(sha256): ApiPath<String>,
) -> Result<Response> {
    serve_attachment(&state, who, sha256).await
}

/// The stored file `sha256`, streamed, if `who` may see a submission that
/// refers to it (also the editor page's route).
pub async fn serve_attachment(
    state: &AppState,
    who: Principal,
    sha256: String,
) -> Result<Response> {
    if !crate::validate::is_sha256(&sha256) {
        return Err(bad_header(
            "sha256",
            "附件校验值必须是 64 位小写十六进制。",
            "The attachment hash must be 64 lowercase hex digits.",
        ));
    }
    let hash = sha256.clone();
    let (name, media_type, size) = state
        .read(move |c| uploads::downloadable(c, &who, &hash))
        .await?
        .ok_or_else(Error::not_found)?;
    let file = match tokio::fs::File::open(state.storage.blob_path(&sha256)).await {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::not_found()),
        Err(e) => return Err(e.into()),
    };
    let content_type = HeaderValue::from_str(&media_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&content_disposition(&name))
        .map_err(|e| Error::Internal(format!("content-disposition: {e}")))?;
    let body = Body::from_stream(tokio_util::io::ReaderStream::with_capacity(
        file,
        256 * 1024,
    ));
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, content_type);
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    h.insert(header::CONTENT_DISPOSITION, disposition);
    h.insert(
        HeaderName::from_static("x-content-type-options"),
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600, immutable"),
    );
    // A stored file (an SVG, HTML sent as a document) must never run as a
    // page of the portal's origin.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(response)
}

/// `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<encoded>`
/// (RFC 6266 / RFC 8187), so Chinese names survive.
fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded =
        percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC).to_string();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn content_disposition_keeps_chinese_names_and_quotes_safely() {
        let d = super::content_disposition("会议 \"现场\".jpg");
        assert!(d.starts_with("attachment; filename=\"__ ____.jpg\""), "{d}");
        assert!(d.contains("filename*=UTF-8''%E4%BC%9A"), "{d}");
    }
}

//! `POST /submissions/{id}/decision` (portal editors).

use axum::extract::State;
use axum::response::Response;
use baosong_api::{DecisionRequest, Problem, ProblemCode, Role};
use uuid::Uuid;

use super::AppState;
use super::extract::{ApiJson, ApiPath, Auth};
use super::submissions::submission_response;
use crate::db::submissions;
use crate::error::{Error, Result};
use crate::validate;

pub async fn decide(
    State(state): State<AppState>,
    Auth(who): Auth,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<DecisionRequest>,
) -> Result<Response> {
    if who.role != Role::PortalEditor {
        return Err(Error::problem(
            Problem::new(ProblemCode::Forbidden).with_detail(
                "只有门户网站编辑可以采用、退回、不予采用或发布稿件。",
                "Only portal editors adopt, return, decline or publish submissions.",
            ),
        ));
    }
    validate::decision(&req)?;
    let editor = who.username.clone();
    let action = req.action;
    let sub = state
        .write(move |w| submissions::decide(w, &who, id, &req))
        .await?;
    tracing::info!(%id, editor = %editor, action = ?action, status = sub.status.code(), "decision");
    submission_response(axum::http::StatusCode::OK, &sub, &[])
}

//! `GET /me`.

use axum::Json;
use axum::extract::State;
use baosong_api::Me;

use super::AppState;
use super::extract::Auth;
use crate::db::columns;
use crate::error::Result;

pub async fn me(State(state): State<AppState>, Auth(who): Auth) -> Result<Json<Me>> {
    let columns = match &who.unit {
        Some(unit) => {
            let id = unit.id.clone();
            state.read(move |c| columns::list(c, Some(&id))).await?
        }
        None => Vec::new(),
    };
    Ok(Json(Me {
        user: who.user(),
        unit: who.unit.clone(),
        columns,
    }))
}

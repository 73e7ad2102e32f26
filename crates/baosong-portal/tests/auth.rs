//! Sign-in, refresh-token rotation and reuse detection, sign-out, expiry,
//! over real HTTP.

mod common;

use std::time::Duration;

use baosong_api::{Me, ProblemCode, Role, TokenResponse};
use baosong_portal::{Rate, RateLimits};
use common::{PASSWORD, Portal, expect_problem};
use reqwest::StatusCode;
use serde_json::json;

async fn refresh(p: &Portal, token: &str) -> reqwest::Response {
    p.client
        .post(p.url("/auth/refresh"))
        .json(&json!({ "refresh_token": token }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn sign_in_and_see_who_i_am() {
    let p = Portal::start().await;
    let t = p.login("jyj.xxy").await;
    assert_eq!(t.token_type, "Bearer");
    assert_eq!(t.expires_in, 900);
    assert!(t.access_token.starts_with("bsa_") && t.refresh_token.starts_with("bsr_"));
    let me: Me = p.get(&t.access_token, "/me").await.json().await.unwrap();
    assert_eq!(me.user.username, "jyj.xxy");
    assert_eq!(me.user.role, Role::LiaisonOfficer);
    assert_eq!(me.unit.as_ref().unwrap().name, "市教育局");
    let cols: Vec<&str> = me.columns.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(cols, ["bmdt", "tzgg"]);
    assert_eq!(me.columns[0].cadence_days, Some(14));

    // The other unit is responsible for 部门动态 only; editors have no unit.
    let me: Me = p
        .get(&p.token("wjw.xxy").await, "/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me.columns.len(), 1);
    let me: Me = p
        .get(&p.token("editor").await, "/me")
        .await
        .json()
        .await
        .unwrap();
    assert!(me.unit.is_none() && me.columns.is_empty());

    // Tokens are stored only as SHA-256 hashes.
    let hash = baosong_portal::secrets::token_hash(&t.access_token).to_vec();
    let (by_hash, plain): (i64, i64) = p
        .db()
        .read(move |c| {
            Ok(c.query_row(
                "SELECT (SELECT COUNT(*) FROM access_tokens WHERE token_hash = ?1),
                        (SELECT COUNT(*) FROM access_tokens WHERE instr(token_hash, 'bsa_') > 0)",
                [hash],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    assert_eq!((by_hash, plain), (1, 0));
}

#[tokio::test]
async fn wrong_password_and_unknown_user_look_the_same() {
    let p = Portal::start().await;
    for (user, pw) in [("jyj.xxy", "错误的密码"), ("nobody", PASSWORD)] {
        let r = p
            .client
            .post(p.url("/auth/token"))
            .json(&json!({"username": user, "password": pw}))
            .send()
            .await
            .unwrap();
        let problem = expect_problem(r, 401, ProblemCode::InvalidCredentials).await;
        assert_eq!(problem.detail, "用户名或密码错误。");
    }
}

#[tokio::test]
async fn missing_or_unknown_tokens_are_401_problems() {
    let p = Portal::start().await;
    let r = p.client.get(p.url("/me")).send().await.unwrap();
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
    expect_problem(r, 401, ProblemCode::Unauthenticated).await;
    for header in ["Bearer bsa_0000", "Basic dXNlcjpwYXNz", "Bearer", "bsa_x"] {
        let r = p
            .client
            .get(p.url("/me"))
            .header("Authorization", header)
            .send()
            .await
            .unwrap();
        expect_problem(r, 401, ProblemCode::Unauthenticated).await;
    }
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_whole_sign_in() {
    let p = Portal::start().await;
    let first = p.login("jyj.xxy").await;

    let r = refresh(&p, &first.refresh_token).await;
    assert_eq!(r.status(), StatusCode::OK);
    let second: TokenResponse = r.json().await.unwrap();
    assert_ne!(second.access_token, first.access_token);
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(
        p.get(&second.access_token, "/me").await.status(),
        StatusCode::OK
    );
    // The first access token is still valid until it expires (short-lived).
    assert_eq!(
        p.get(&first.access_token, "/me").await.status(),
        StatusCode::OK
    );

    // Someone replays the rotated refresh token: the whole family goes.
    let r = refresh(&p, &first.refresh_token).await;
    expect_problem(r, 401, ProblemCode::RefreshTokenReused).await;
    for token in [&first.access_token, &second.access_token] {
        expect_problem(p.get(token, "/me").await, 401, ProblemCode::Unauthenticated).await;
    }
    let r = refresh(&p, &second.refresh_token).await;
    expect_problem(r, 401, ProblemCode::InvalidRefreshToken).await;

    // A new sign-in is unaffected.
    let again = p.login("jyj.xxy").await;
    assert_eq!(
        p.get(&again.access_token, "/me").await.status(),
        StatusCode::OK
    );
    let r = refresh(&p, "bsr_unknown").await;
    expect_problem(r, 401, ProblemCode::InvalidRefreshToken).await;
}

#[tokio::test]
async fn logout_ends_the_sign_in_and_is_safe_to_repeat() {
    let p = Portal::start().await;
    let t = p.login("jyj.xxy").await;
    let other = p.login("jyj.xxy").await;
    for _ in 0..2 {
        let r = p
            .client
            .post(p.url("/auth/logout"))
            .json(&json!({ "refresh_token": t.refresh_token }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
    }
    expect_problem(
        p.get(&t.access_token, "/me").await,
        401,
        ProblemCode::Unauthenticated,
    )
    .await;
    expect_problem(
        refresh(&p, &t.refresh_token).await,
        401,
        ProblemCode::InvalidRefreshToken,
    )
    .await;
    // Only that sign-in: the other session goes on.
    assert_eq!(
        p.get(&other.access_token, "/me").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_expired_access_token_says_so() {
    let p = Portal::start_with(|c| c.access_token_ttl = Duration::from_secs(1)).await;
    let t = p.login("jyj.xxy").await;
    assert_eq!(t.expires_in, 1);
    assert_eq!(p.get(&t.access_token, "/me").await.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let r = p.get(&t.access_token, "/me").await;
    assert!(
        r.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("invalid_token")
    );
    expect_problem(r, 401, ProblemCode::TokenExpired).await;
    // The refresh token still gets a new pair.
    let r = refresh(&p, &t.refresh_token).await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn sign_in_attempts_are_rate_limited() {
    let p = Portal::start_with(|c| {
        c.rate_limits = RateLimits {
            login: Some(Rate {
                per_second: 0.01,
                burst: 3,
            }),
            ..RateLimits::off()
        }
    })
    .await;
    for _ in 0..3 {
        let r = p
            .client
            .post(p.url("/auth/token"))
            .json(&json!({"username": "jyj.xxy", "password": "猜"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = p
        .client
        .post(p.url("/auth/token"))
        .json(&json!({"username": "jyj.xxy", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1);
    expect_problem(r, 429, ProblemCode::RateLimited).await;
    // Another account from the same address is not blocked.
    p.login("wjw.xxy").await;
}

#[tokio::test]
async fn per_user_rate_limit() {
    let p = Portal::start_with(|c| {
        c.rate_limits = RateLimits {
            per_user: Some(Rate {
                per_second: 0.01,
                burst: 5,
            }),
            ..RateLimits::off()
        }
    })
    .await;
    let t = p.token("jyj.xxy").await;
    for _ in 0..5 {
        assert_eq!(p.get(&t, "/me").await.status(), StatusCode::OK);
    }
    expect_problem(p.get(&t, "/me").await, 429, ProblemCode::RateLimited).await;
    let other = p.token("wjw.xxy").await;
    assert_eq!(p.get(&other, "/me").await.status(), StatusCode::OK);
}

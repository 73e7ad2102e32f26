//! Sign-in, refresh-token rotation, its retry grace window and reuse
//! detection, sign-out, expiry, over real HTTP.

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

async fn pair(r: reqwest::Response) -> TokenResponse {
    assert_eq!(r.status(), StatusCode::OK, "{}", r.url());
    r.json().await.unwrap()
}

/// Asserts that none of `pairs` works any more: access tokens are refused and
/// refresh tokens are invalid (their sign-in is revoked).
async fn all_dead(p: &Portal, pairs: &[&TokenResponse]) {
    for t in pairs {
        expect_problem(
            p.get(&t.access_token, "/me").await,
            401,
            ProblemCode::Unauthenticated,
        )
        .await;
    }
    for t in pairs {
        let r = refresh(p, &t.refresh_token).await;
        expect_problem(r, 401, ProblemCode::InvalidRefreshToken).await;
    }
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_whole_sign_in() {
    let p = Portal::start().await;
    let first = p.login("jyj.xxy").await;

    let second = pair(refresh(&p, &first.refresh_token).await).await;
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
    // The client goes on with the new refresh token: the family moves on.
    let third = pair(refresh(&p, &second.refresh_token).await).await;

    // Someone replays the rotated refresh token, even within the grace
    // window: what was issued from it has been used, so it is no retry and
    // the whole family goes.
    let r = refresh(&p, &first.refresh_token).await;
    expect_problem(r, 401, ProblemCode::RefreshTokenReused).await;
    all_dead(&p, &[&first, &second, &third]).await;

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
async fn a_refresh_retried_within_the_grace_window_gets_a_new_pair() {
    let p = Portal::start().await;
    let first = p.login("jyj.xxy").await;
    // The portal rotates, but the answer never reaches the client…
    let lost = pair(refresh(&p, &first.refresh_token).await).await;
    // …which retries with the only refresh token it has, twice (the first
    // retry's answer is lost too).
    let lost_again = pair(refresh(&p, &first.refresh_token).await).await;
    let retried = pair(refresh(&p, &first.refresh_token).await).await;
    let refreshes: std::collections::HashSet<&str> = [&lost, &lost_again, &retried]
        .iter()
        .map(|t| t.refresh_token.as_str())
        .collect();
    assert_eq!(refreshes.len(), 3, "every answer is a new pair");
    assert_eq!(
        p.get(&retried.access_token, "/me").await.status(),
        StatusCode::OK
    );
    // The new pair works, and using it abandons the pairs the lost answers
    // carried.
    let next = pair(refresh(&p, &retried.refresh_token).await).await;
    assert_eq!(
        p.get(&next.access_token, "/me").await.status(),
        StatusCode::OK
    );
    // Whoever presents one of those is not the client that carried on:
    // a reuse, and the sign-in is revoked.
    let r = refresh(&p, &lost.refresh_token).await;
    expect_problem(r, 401, ProblemCode::RefreshTokenReused).await;
    all_dead(&p, &[&retried, &next]).await;
    let r = refresh(&p, &lost_again.refresh_token).await;
    expect_problem(r, 401, ProblemCode::InvalidRefreshToken).await;
}

#[tokio::test]
async fn a_retry_may_overtake_the_request_it_retries() {
    let p = Portal::start().await;
    let first = p.login("jyj.xxy").await;
    // The client gave up on its refresh and retried; the retry was carried
    // out first and the client kept its answer, then the delayed original
    // arrived and got a pair nobody receives.
    let kept = pair(refresh(&p, &first.refresh_token).await).await;
    let orphan = pair(refresh(&p, &first.refresh_token).await).await;
    // The pair the client kept still works, and wins.
    let next = pair(refresh(&p, &kept.refresh_token).await).await;
    assert_eq!(
        p.get(&next.access_token, "/me").await.status(),
        StatusCode::OK
    );
    let r = refresh(&p, &orphan.refresh_token).await;
    expect_problem(r, 401, ProblemCode::RefreshTokenReused).await;
    all_dead(&p, &[&kept, &next]).await;
}

#[tokio::test]
async fn a_client_losing_every_third_answer_stays_signed_in() {
    let p = Portal::start().await;
    let mut held = p.login("jyj.xxy").await;
    for i in 0..30 {
        let answer = pair(refresh(&p, &held.refresh_token).await).await;
        if i % 3 == 2 {
            continue; // lost on the way back: the client retries with `held`
        }
        held = answer;
        assert_eq!(
            p.get(&held.access_token, "/me").await.status(),
            StatusCode::OK,
            "round {i}"
        );
    }
    let r = refresh(&p, &held.refresh_token).await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn without_a_grace_window_a_second_presentation_is_a_reuse_at_once() {
    let p = Portal::start_with(|c| c.refresh_reuse_grace = Duration::ZERO).await;
    let first = p.login("jyj.xxy").await;
    let second = pair(refresh(&p, &first.refresh_token).await).await;
    let r = refresh(&p, &first.refresh_token).await;
    expect_problem(r, 401, ProblemCode::RefreshTokenReused).await;
    all_dead(&p, &[&first, &second]).await;
}

#[tokio::test]
async fn after_the_grace_window_a_second_presentation_is_a_reuse() {
    let p = Portal::start_with(|c| c.refresh_reuse_grace = Duration::from_millis(300)).await;
    let first = p.login("jyj.xxy").await;
    let second = pair(refresh(&p, &first.refresh_token).await).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let r = refresh(&p, &first.refresh_token).await;
    expect_problem(r, 401, ProblemCode::RefreshTokenReused).await;
    all_dead(&p, &[&first, &second]).await;
}

#[tokio::test]
async fn logout_within_the_grace_window_ends_every_pair() {
    let p = Portal::start().await;
    let first = p.login("jyj.xxy").await;
    let lost = pair(refresh(&p, &first.refresh_token).await).await;
    let retried = pair(refresh(&p, &first.refresh_token).await).await;
    // Signing out with the old (used) refresh token ends the whole sign-in.
    let r = p
        .client
        .post(p.url("/auth/logout"))
        .json(&json!({ "refresh_token": first.refresh_token }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    all_dead(&p, &[&first, &lost, &retried]).await;
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
async fn logout_cuts_off_an_access_token_in_use_at_once() {
    // Verified tokens are remembered for a while (here far longer than the
    // test): a logout must still end them before it is answered.
    let p = Portal::start_with(|c| c.token_cache_ttl = Duration::from_secs(600)).await;
    let t = p.login("jyj.xxy").await;
    let other = p.login("jyj.xxy").await;
    for path in ["/me", "/submissions/changes?limit=5"] {
        assert_eq!(p.get(&t.access_token, path).await.status(), StatusCode::OK);
        assert_eq!(
            p.get(&other.access_token, path).await.status(),
            StatusCode::OK
        );
    }
    let r = p
        .client
        .post(p.url("/auth/logout"))
        .json(&json!({ "refresh_token": t.refresh_token }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    for path in ["/me", "/submissions/changes?limit=5"] {
        expect_problem(
            p.get(&t.access_token, path).await,
            401,
            ProblemCode::Unauthenticated,
        )
        .await;
        // The other sign-in is looked up again and still works.
        assert_eq!(
            p.get(&other.access_token, path).await.status(),
            StatusCode::OK
        );
    }
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

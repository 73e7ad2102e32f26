//! A unit head's signature for tests that need signed-off items but are not
//! about signing: an Ed25519 key made in memory, registered with a real
//! portal as the demo head's key, and used exactly like the app uses its
//! keyring key (`baosong_sync::review::sign`'s steps).

use baosong_api::signing;
use baosong_core::model::ReviewStatus;
use baosong_core::{Action, ItemId, Store};
use ed25519_dalek::SigningKey;

use crate::portal::PortalProcess;

pub struct HeadSigner {
    pub username: String,
    pub display_name: String,
    pub key: SigningKey,
}

impl HeadSigner {
    /// The demo unit head of 市教育局 (`jyj.fzr`, 李建国) with a fresh key.
    pub fn demo() -> HeadSigner {
        HeadSigner::new("jyj.fzr", "李建国")
    }

    pub fn new(username: &str, display_name: &str) -> HeadSigner {
        let mut seed = [0u8; 32];
        seed.iter_mut().for_each(|b| *b = fastrand::u8(..));
        HeadSigner {
            username: username.into(),
            display_name: display_name.into(),
            key: SigningKey::from_bytes(&seed),
        }
    }

    pub fn key_id(&self) -> String {
        signing::key_id(&self.key.verifying_key())
    }

    /// Signs in as the head and registers the public key (`POST /me/keys`).
    pub fn register(&self, portal: &PortalProcess, password: &str) {
        let http = reqwest::blocking::Client::builder()
            .no_proxy()
            .build()
            .expect("http client");
        let token: serde_json::Value = http
            .post(portal.url("/auth/token"))
            .json(&serde_json::json!({ "username": self.username, "password": password }))
            .send()
            .and_then(|r| r.error_for_status())
            .and_then(|r| r.json())
            .expect("sign in as the unit head");
        let access = token["access_token"].as_str().expect("access token");
        let r = http
            .post(portal.url("/me/keys"))
            .bearer_auth(access)
            .json(&serde_json::json!({
                "public_key": signing::public_key_hex(&self.key.verifying_key()),
                "label": "test",
            }))
            .send()
            .expect("register key");
        assert!(r.status().is_success(), "register key: {}", r.status());
    }

    /// 送审 (if still a draft) and 签发 on this computer, as the app does.
    pub fn sign_items(&self, store: &Store, ids: &[ItemId]) {
        for id in ids {
            if store.get_item(*id).expect("item").state == baosong_core::model::ItemState::Draft {
                store
                    .apply_action(*id, Action::SendForSignoff)
                    .expect("送审");
            }
            let review = store
                .item_reviews(*id)
                .expect("reviews")
                .into_iter()
                .find(|r| r.status == ReviewStatus::Pending)
                .expect("a pending review");
            let request = baosong_sync::review::request_of(store, &review).expect("request");
            let signoff = signing::sign(
                &request,
                &self.key,
                &self.username,
                chrono::Utc::now(),
                signing::DEFAULT_OPINION,
            );
            let record = baosong_sync::review::new_signoff(
                &request,
                &signoff,
                &self.display_name,
                &signing::public_key_hex(&self.key.verifying_key()),
            )
            .expect("sign-off record");
            store.sign_review(&review.id, record, None).expect("签发");
        }
    }
}

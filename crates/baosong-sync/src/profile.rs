//! The portal profile: where the portal is, who signs in, and how to reach it
//! (an extra CA certificate for intranets with their own CA, a proxy). Kept
//! in the store's sync settings; it holds no secret.

use std::path::PathBuf;

use baosong_core::Store;
use reqwest::Url;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::SyncError;

/// The settings key the profile is stored under.
pub const PROFILE_KEY: &str = "profile";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Profile {
    /// The portal's address, e.g. `https://portal.example.gov.cn` (the API is
    /// under `/api/v1`).
    pub portal_url: String,
    pub username: String,
    /// A PEM file with the CA certificate(s) of an intranet portal, trusted
    /// in addition to the system's.
    #[ts(type = "string | null")]
    pub ca_cert: Option<PathBuf>,
    /// An HTTP(S) proxy for the portal, e.g. `http://proxy.example:3128`.
    /// Without it the system proxy variables (HTTPS_PROXY, NO_PROXY, …) apply.
    pub proxy: Option<String>,
}

impl Profile {
    /// Checks and normalises a profile typed by a person.
    pub fn new(
        portal_url: &str,
        username: &str,
        ca_cert: Option<PathBuf>,
        proxy: Option<String>,
    ) -> Result<Profile, SyncError> {
        let url = parse_portal_url(portal_url)?;
        let username = username.trim();
        if username.is_empty() {
            return Err(SyncError::config(
                "请填写用户名。",
                "The username is empty.",
            ));
        }
        let proxy = proxy
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty());
        if let Some(p) = &proxy {
            Url::parse(p).map_err(|e| {
                SyncError::config(
                    format!("代理地址“{p}”无效：{e}"),
                    format!("The proxy address {p:?} is not valid: {e}"),
                )
            })?;
        }
        Ok(Profile {
            portal_url: url.as_str().trim_end_matches('/').to_string(),
            username: username.to_string(),
            ca_cert,
            proxy,
        })
    }

    /// The stored profile, if someone signed in before.
    pub fn load(store: &Store) -> Result<Option<Profile>, SyncError> {
        match store.setting(PROFILE_KEY)? {
            None => Ok(None),
            Some(json) => serde_json::from_str(&json).map(Some).map_err(|e| {
                SyncError::config(
                    format!("保存的门户设置无法读取（{e}），请重新登录。"),
                    format!("The stored portal settings cannot be read ({e}); sign in again."),
                )
            }),
        }
    }

    pub fn save(&self, store: &Store) -> Result<(), SyncError> {
        let json = serde_json::to_string(self).map_err(|e| SyncError::Internal(e.to_string()))?;
        store.set_setting(PROFILE_KEY, &json)?;
        Ok(())
    }

    /// Who this is at which portal: the keyring account name.
    pub fn account(&self) -> String {
        format!("{}@{}", self.username, self.portal_url)
    }
}

/// The portal address, refusing anything but https (plain http only to this
/// computer, for the local reference portal).
pub fn parse_portal_url(s: &str) -> Result<Url, SyncError> {
    let s = s.trim();
    let url = Url::parse(s).map_err(|e| {
        SyncError::config(
            format!("门户地址“{s}”无效：{e}。示例：https://portal.example.gov.cn"),
            format!(
                "The portal address {s:?} is not valid: {e}. Example: https://portal.example.gov.cn"
            ),
        )
    })?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        "http" => Err(SyncError::config(
            "门户地址必须以 https:// 开头：明文 http 会让密码和稿件在网络上可被窃听（仅本机测试门户可用 http）。",
            "The portal address must start with https://: plain http would expose passwords and items on the network (http is only allowed for a portal on this computer).",
        )),
        other => Err(SyncError::config(
            format!("门户地址不支持“{other}”协议，请使用 https://。"),
            format!("The portal address scheme {other:?} is not supported; use https://."),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        let p = Profile::new("https://portal.example.gov.cn/", " jyj.xxy ", None, None).unwrap();
        assert_eq!(p.portal_url, "https://portal.example.gov.cn");
        assert_eq!(p.username, "jyj.xxy");
        assert!(Profile::new("http://127.0.0.1:8787", "u", None, None).is_ok());
        assert!(Profile::new("http://localhost:8787", "u", None, None).is_ok());
        let err = Profile::new("http://portal.example.gov.cn", "u", None, None).unwrap_err();
        assert!(err.message(baosong_core::Lang::Zh).contains("https"));
        assert!(Profile::new("ftp://x", "u", None, None).is_err());
        assert!(Profile::new("not a url", "u", None, None).is_err());
        assert!(Profile::new("https://x", "  ", None, None).is_err());
        assert!(Profile::new("https://x", "u", None, Some("::bad".into())).is_err());
    }
}

//! Passwords (Argon2id) and bearer tokens (random, stored only as SHA-256).

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};

use crate::config::PasswordParams;
use crate::error::{Error, Result};

/// Prefix of access tokens (`bsa_…`) and refresh tokens (`bsr_…`), so a
/// leaked token is recognisable in logs and scanners.
pub const ACCESS_PREFIX: &str = "bsa_";
pub const REFRESH_PREFIX: &str = "bsr_";
/// Prefix of editor web-page sessions (`bss_…`, the session cookie). Kept
/// like access tokens, but never accepted as a bearer token.
pub const SESSION_PREFIX: &str = "bss_";

/// `n` random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|e| Error::Internal(format!("no randomness: {e}")))?;
    Ok(buf)
}

/// A new token: the prefix and 256 random bits in hex.
pub fn new_token(prefix: &str) -> Result<String> {
    Ok(format!("{prefix}{}", hex(&random_bytes::<32>()?)))
}

/// What the database keeps of a token.
pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

pub fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    s
}

/// A random password people can type: 12 characters without look-alikes
/// (no 0/O, 1/l/I).
pub fn random_password() -> Result<String> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut out = String::with_capacity(12);
    // Rejection sampling keeps the choice uniform.
    let limit = 256 - (256 % ALPHABET.len());
    while out.len() < 12 {
        for b in random_bytes::<32>()? {
            if usize::from(b) < limit && out.len() < 12 {
                out.push(char::from(ALPHABET[usize::from(b) % ALPHABET.len()]));
            }
        }
    }
    Ok(out)
}

fn argon2(params: PasswordParams) -> Result<Argon2<'static>> {
    let p = Params::new(
        params.memory_kib,
        params.iterations,
        params.parallelism,
        None,
    )
    .map_err(|e| Error::Internal(format!("bad Argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, p))
}

/// The PHC string (`$argon2id$v=19$m=…`) of `password` with a random salt.
/// Slow on purpose: call it off the async runtime.
pub fn hash_password(password: &str, params: PasswordParams) -> Result<String> {
    let hash = argon2(params)?
        .hash_password(password.as_bytes())
        .map_err(|e| Error::Internal(format!("password hashing failed: {e}")))?;
    Ok(hash.to_string())
}

/// Whether `password` matches the stored PHC string. A damaged hash never
/// matches. Slow on purpose: call it off the async runtime.
pub fn verify_password(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_and_hashes_differ() {
        let p = PasswordParams::insecure_fast();
        let a = hash_password("正确的密码", p).unwrap();
        let b = hash_password("正确的密码", p).unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=8,t=1,p=1$"), "{a}");
        assert_ne!(a, b, "salts are random");
        assert!(verify_password("正确的密码", &a));
        assert!(!verify_password("错误的密码", &a));
        assert!(!verify_password("正确的密码", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_prefixed() {
        let a = new_token(ACCESS_PREFIX).unwrap();
        let b = new_token(ACCESS_PREFIX).unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 64);
        assert_ne!(token_hash(&a), token_hash(&b));
        let pw = random_password().unwrap();
        assert_eq!(pw.chars().count(), 12);
        assert!(pw.chars().all(|c| c.is_ascii_alphanumeric()));
    }
}

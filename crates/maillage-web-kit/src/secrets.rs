//! Passwords (argon2id) and random tokens (256 bits from the operating system, stored as SHA-256 digests).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};

/// 32 random bytes, hex-encoded (64 characters).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // The operating system's generator failing is not something a web server can carry on from.
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    hex::encode(bytes)
}

/// The SHA-256 of a token, hex-encoded: what the store keeps. Tokens are random and long, so a fast hash is
/// enough (unlike passwords).
pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// An argon2id hash (PHC string, random salt, the crate's default cost: 19 MiB, 2 passes). Slow on purpose:
/// call it from a blocking task.
pub fn hash_password(password: &str) -> String {
    Argon2::default()
        .hash_password(password.as_bytes())
        .expect("argon2 accepts any password of the lengths the policy allows")
        .to_string()
}

/// Checks a password against a stored hash; a malformed hash verifies nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Runs the hash on the blocking pool, so that a login does not stall other requests.
pub async fn hash_password_async(password: String) -> String {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .expect("the hashing task does not panic")
}

pub async fn verify_password_async(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false)
}

/// Equality that takes the same time wherever the first difference is (for CSRF tokens).
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A password people can type: five groups of four lower-case letters and digits, without look-alike
/// characters.
pub fn readable_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    // 20 characters of a 31-letter alphabet: 99 bits, above the 80 of CNIL's recommendation.
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

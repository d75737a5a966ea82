//! Signatures of the addresses Maillage hands out without a login: the unsubscribe link of a relayed message
//! and the address of a personal calendar feed. HMAC-SHA256 (RFC 2104) with the instance's secret key, written
//! here on top of `sha2` (the workspace's hash; the `hmac` crate's current release needs another `sha2`), and
//! checked against the RFC 4231 test vectors. Comparisons take the same time whatever the input.

use sha2::{Digest, Sha256};

const BLOCK: usize = 64;

/// HMAC-SHA256 of `message` under `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(message);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner);
    outer.finalize().into()
}

/// Equal bytes, in a time that does not depend on where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The signature put in an address: the first 16 bytes of the HMAC, in hex (128 bits are plenty against
/// guessing, and keep links short).
fn signature(key: &[u8], purpose: &str, parts: &[i64]) -> String {
    let mut message = purpose.as_bytes().to_vec();
    for p in parts {
        message.push(b':');
        message.extend_from_slice(p.to_string().as_bytes());
    }
    hex::encode(&hmac_sha256(key, &message)[..16])
}

fn verify(key: &[u8], purpose: &str, parts: &[i64], presented: &str) -> bool {
    constant_time_eq(
        signature(key, purpose, parts).as_bytes(),
        presented.trim().to_ascii_lowercase().as_bytes(),
    )
}

/// The signature of "contact `contact` leaves list `list`".
pub fn unsubscribe_signature(key: &[u8], list: i64, contact: i64) -> String {
    signature(key, "desinscription", &[list, contact])
}

pub fn verify_unsubscribe(key: &[u8], list: i64, contact: i64, presented: &str) -> bool {
    verify(key, "desinscription", &[list, contact], presented)
}

/// The signature of the calendar feed of an account. A new instance key revokes every feed address at once.
pub fn feed_signature(key: &[u8], account: i64) -> String {
    signature(key, "agenda", &[account])
}

pub fn verify_feed(key: &[u8], account: i64, presented: &str) -> bool {
    verify(key, "agenda", &[account], presented)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231, test cases 1, 2, 6 (a key longer than the block) and 7.
    #[test]
    fn rfc_4231_vectors() {
        let h = |k: &[u8], m: &[u8]| hex::encode(hmac_sha256(k, m));
        assert_eq!(
            h(&[0x0b; 20], b"Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            h(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            h(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            ),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
        assert_eq!(
            h(
                &[0xaa; 131],
                b"This is a test using a larger than block-size key and a larger than block-size data. The key needs \
                  to be hashed before being used by the HMAC algorithm."
            ),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        );
    }

    #[test]
    fn signatures_bind_their_parts() {
        let key = b"cle de test";
        let s = unsubscribe_signature(key, 3, 17);
        assert_eq!(s.len(), 32);
        assert!(verify_unsubscribe(key, 3, 17, &s));
        assert!(verify_unsubscribe(key, 3, 17, &s.to_uppercase()));
        assert!(!verify_unsubscribe(key, 3, 18, &s));
        assert!(!verify_unsubscribe(key, 4, 17, &s));
        assert!(!verify_unsubscribe(b"autre cle", 3, 17, &s));
        assert!(
            !verify_feed(key, 3, &s),
            "a signature is bound to its purpose"
        );
        assert!(verify_feed(key, 3, &feed_signature(key, 3)));
        assert!(!verify_feed(key, 3, ""));
    }
}

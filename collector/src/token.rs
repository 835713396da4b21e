//! Verification tokens: proof, for 30 minutes, that a person confirmed a
//! code in one batch. Opaque to clients, never stored and never logged.
//!
//! Format: `v1.<payload>.<mac>`, both parts base64url without padding. The
//! payload is JSON `{"batch_id", "person", "exp", "nonce"}`: `person` is the
//! person key (base64url of 32 bytes, see [`Secret::person_key`]), `exp` the
//! expiry in Unix seconds, `nonce` 16 random bytes (base64url) so no two
//! tokens are alike. `mac` is HMAC-SHA-256 of the server secret over the
//! ASCII text `v1.<payload>`. A portal's back end that shares the secret may
//! mint tokens the same way (protocol: "a host page that already knows the
//! citizen").

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::secret::{PersonKey, Secret};

/// How long a token is good for, in seconds.
pub const LIFETIME_S: i64 = 30 * 60;

/// No token this collector issues is near this long; longer ones are refused
/// before any decoding.
const MAX_LEN: usize = 1024;

const PREFIX: &str = "v1.";

/// What a genuine token says.
#[derive(Debug, PartialEq, Eq)]
pub struct Claims {
    pub batch_id: String,
    pub person: PersonKey,
    /// Unix seconds.
    pub expires_at: i64,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    batch_id: String,
    person: String,
    exp: i64,
    nonce: String,
}

/// A token for `person` in `batch_id`, good until `expires_at`.
pub fn issue(secret: &Secret, batch_id: &str, person: PersonKey, expires_at: i64) -> Result<String, getrandom::Error> {
    let mut nonce = [0u8; 16];
    getrandom::fill(&mut nonce)?;
    let payload = Payload {
        batch_id: batch_id.to_owned(),
        person: URL_SAFE_NO_PAD.encode(person.0),
        exp: expires_at,
        nonce: URL_SAFE_NO_PAD.encode(nonce),
    };
    let json = serde_json::to_vec(&payload).expect("a payload of strings and an integer serialises");
    let signed = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(json));
    let mac = secret.mac(&[signed.as_bytes()]);
    Ok(format!("{signed}.{}", URL_SAFE_NO_PAD.encode(mac)))
}

/// The claims of a token this secret signed that has not expired at `now`;
/// `None` for anything else. The MAC is checked, in constant time, before
/// the payload is read.
pub fn verify(secret: &Secret, token: &str, now: i64) -> Option<Claims> {
    if token.len() > MAX_LEN || !token.starts_with(PREFIX) {
        return None;
    }
    let (signed, mac) = token.rsplit_once('.')?;
    let mac = URL_SAFE_NO_PAD.decode(mac).ok()?;
    if !secret.verify(signed.as_bytes(), &mac) {
        return None;
    }
    let payload = URL_SAFE_NO_PAD.decode(&signed[PREFIX.len()..]).ok()?;
    let payload: Payload = serde_json::from_slice(&payload).ok()?;
    let person: [u8; 32] = URL_SAFE_NO_PAD.decode(payload.person).ok()?.try_into().ok()?;
    let claims = Claims { batch_id: payload.batch_id, person: PersonKey(person), expires_at: payload.exp };
    (now <= claims.expires_at).then_some(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_531_102_425;

    fn secret() -> Secret {
        Secret::from_bytes(b"a secret of thirty-two bytes or more".to_vec()).unwrap()
    }

    #[test]
    fn a_token_carries_its_batch_and_person_until_it_expires() {
        let person = secret().person_key("2018-3", "11010519491231002X");
        let token = issue(&secret(), "2018-3", person, NOW + LIFETIME_S).unwrap();
        assert!(token.starts_with("v1.") && token.split('.').count() == 3, "{token}");
        let claims = verify(&secret(), &token, NOW).unwrap();
        assert_eq!(claims, Claims { batch_id: "2018-3".into(), person, expires_at: NOW + LIFETIME_S });
        assert!(verify(&secret(), &token, NOW + LIFETIME_S).is_some());
        assert_eq!(verify(&secret(), &token, NOW + LIFETIME_S + 1), None);
    }

    #[test]
    fn two_tokens_for_the_same_person_differ() {
        let person = secret().person_key("2018-3", "11010519491231002X");
        assert_ne!(issue(&secret(), "2018-3", person, NOW).unwrap(), issue(&secret(), "2018-3", person, NOW).unwrap());
    }

    #[test]
    fn a_changed_forged_or_foreign_token_is_refused() {
        let person = secret().person_key("2018-3", "11010519491231002X");
        let token = issue(&secret(), "2018-3", person, NOW + 60).unwrap();
        let (signed, mac) = token.rsplit_once('.').unwrap();

        // The payload of another batch under the first token's MAC.
        let other = issue(&secret(), "2018-4", person, NOW + 60).unwrap();
        let (other_signed, _) = other.rsplit_once('.').unwrap();
        assert_eq!(verify(&secret(), &format!("{other_signed}.{mac}"), NOW), None);

        let mut flipped = mac.to_owned().into_bytes();
        flipped[0] = if flipped[0] == b'A' { b'B' } else { b'A' };
        let flipped = String::from_utf8(flipped).unwrap();
        assert_eq!(verify(&secret(), &format!("{signed}.{flipped}"), NOW), None);

        let stranger = Secret::from_bytes(vec![9; 32]).unwrap();
        assert_eq!(verify(&stranger, &token, NOW), None);
        for junk in ["", "v1.", "v1..", "v2.e30.AAAA", "made-up", &"v1.".repeat(400)] {
            assert_eq!(verify(&secret(), junk, NOW), None, "{junk}");
        }
    }
}

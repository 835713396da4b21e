//! The server secret: 32 or more random bytes in a file of their own, the key
//! of every HMAC-SHA-256 the collector computes. It turns an ID number into a
//! person key that cannot be reversed without it, signs verification tokens,
//! hides phone numbers and addresses in the rate limiter, and keys the
//! cipher that turns vote numbers into receipt codes.
//!
//! Inputs of different uses cannot collide, so one key serves them all:
//! a person key's input always holds a NUL byte (`batch_id \0 ID number`),
//! a token's is `v1.` and base64url, and the others start with their own
//! prefix (`code:`, `phone:`, `address:`, `fingerprint:`, `receipt:`) and
//! hold no NUL byte.
//!
//! Losing the secret voids every token in flight and, worse, the link between
//! stored real-name votes and people: with a new secret the same person gets
//! a new key and could vote under their real name again. Back it up, apart
//! from the database: whoever holds both can test guesses of ID numbers
//! against the stored keys.

use std::fmt;
use std::io::Write;
use std::path::Path;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The fewest bytes a secret file may hold.
pub const MIN_LEN: usize = 32;

type HmacSha256 = Hmac<Sha256>;

#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// One person in one batch: HMAC-SHA-256 over the batch id and the ID
/// number. Enough to allow one real-name vote per person and batch without
/// keeping the ID number.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PersonKey(pub [u8; 32]);

impl fmt::Debug for PersonKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PersonKey(..)")
    }
}

impl Secret {
    /// Reads the secret at `path`, or creates it (32 random bytes, mode 0600,
    /// with its directory) if there is no file. A file shorter than
    /// [`MIN_LEN`] is refused rather than replaced: replacing it would let
    /// everyone who voted under their real name vote again.
    pub fn load_or_create(path: &Path) -> Result<Self, String> {
        match std::fs::read(path) {
            Ok(bytes) => {
                warn_if_readable_by_others(path);
                Self::from_bytes(bytes).map_err(|len| {
                    format!(
                        "secret file {} holds {len} bytes, fewer than {MIN_LEN}; restore it from a backup, \
                         or delete it to have a new one made (which voids every token issued and lets \
                         people who voted under their real name vote again)",
                        path.display()
                    )
                })
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                let secret = create(path).map_err(|e| format!("cannot create secret file {}: {e}", path.display()))?;
                tracing::info!(
                    path = %path.display(),
                    "created a new server secret; back it up apart from the database"
                );
                Ok(secret)
            }
            Err(err) => Err(format!("cannot read secret file {}: {err}", path.display())),
        }
    }

    /// Reads the secret at `path`, which must exist: collectors sharing a
    /// PostgreSQL database share one secret, made once by the operator.
    pub fn load(path: &Path) -> Result<Self, String> {
        if !path.exists() {
            return Err(format!(
                "secret file {} does not exist: with a PostgreSQL database every collector must use the same \
                 secret, so make it once (head -c 32 /dev/urandom > secret.key; chmod 600 secret.key), back it \
                 up, and give each collector a copy",
                path.display()
            ));
        }
        Self::load_or_create(path)
    }

    /// A value that tells whether two collectors hold the same secret and
    /// nothing about the secret itself; the database keeps it.
    pub fn fingerprint(&self) -> [u8; 32] {
        self.mac(&[b"fingerprint:"])
    }

    /// The key that enciphers vote numbers into receipt codes (see
    /// [`crate::receipt::Numbering`]): a code cannot be traced to its number
    /// without the secret.
    pub fn receipt_key(&self) -> [u8; 32] {
        self.mac(&[b"receipt:"])
    }

    /// A secret from its bytes; `Err(length)` when there are too few.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, usize> {
        if bytes.len() < MIN_LEN { Err(bytes.len()) } else { Ok(Self(bytes)) }
    }

    fn hmac(&self) -> HmacSha256 {
        HmacSha256::new_from_slice(&self.0).expect("HMAC takes a key of any length")
    }

    /// HMAC-SHA-256 over the concatenation of `parts`.
    pub fn mac(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut mac = self.hmac();
        for part in parts {
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }

    /// Whether `tag` is the MAC of `message`, compared in constant time.
    pub fn verify(&self, message: &[u8], tag: &[u8]) -> bool {
        let mut mac = self.hmac();
        mac.update(message);
        mac.verify_slice(tag).is_ok()
    }

    /// The person key of a resident ID number in a batch; the ID number is
    /// trimmed and its check character upper-cased first, so `x` and `X` are
    /// the same person.
    pub fn person_key(&self, batch_id: &str, id_number: &str) -> PersonKey {
        let id = id_number.trim().to_ascii_uppercase();
        PersonKey(self.mac(&[batch_id.as_bytes(), b"\0", id.as_bytes()]))
    }
}

fn create(path: &Path) -> std::io::Result<Secret> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut bytes = vec![0u8; MIN_LEN];
    getrandom::fill(&mut bytes).map_err(std::io::Error::other)?;
    let mut options = std::fs::OpenOptions::new();
    // `create_new`: if two collectors start at once, one of them fails here
    // instead of both writing different secrets.
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(&bytes)?;
    file.sync_all()?;
    Ok(Secret(bytes))
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(path = %path.display(), "the secret file can be read by others than its owner; chmod 600 it");
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_secret_is_created_with_32_random_bytes_readable_by_the_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/secret.key");
        let first = Secret::load_or_create(&path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(bytes.len(), 32);
        assert_ne!(bytes, [0; 32]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let again = Secret::load_or_create(&path).unwrap();
        assert_eq!(first.person_key("b", "x"), again.person_key("b", "x"));
    }

    #[test]
    fn a_secret_file_shorter_than_32_bytes_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.key");
        std::fs::write(&path, [7u8; 31]).unwrap();
        let err = Secret::load_or_create(&path).unwrap_err();
        assert!(err.contains("31 bytes"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), [7u8; 31]);
    }

    #[test]
    fn a_secret_that_must_be_shared_is_never_made_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.key");
        let err = Secret::load(&path).unwrap_err();
        assert!(err.contains("does not exist"), "{err}");
        assert!(!path.exists());
        std::fs::write(&path, [3u8; 32]).unwrap();
        let secret = Secret::load(&path).unwrap();
        assert_eq!(secret.fingerprint(), Secret::from_bytes(vec![3; 32]).unwrap().fingerprint());
        assert_ne!(secret.fingerprint(), Secret::from_bytes(vec![4; 32]).unwrap().fingerprint());
    }

    #[test]
    fn a_person_key_ignores_the_case_of_x_and_depends_on_the_batch() {
        let secret = Secret::from_bytes(vec![1; 32]).unwrap();
        let key = secret.person_key("2018-3", "11010519491231002X");
        assert_eq!(key, secret.person_key("2018-3", " 11010519491231002x "));
        assert_ne!(key, secret.person_key("2018-4", "11010519491231002X"));
        let other = Secret::from_bytes(vec![2; 32]).unwrap();
        assert_ne!(key, other.person_key("2018-3", "11010519491231002X"));
    }
}

//! Secrets at rest (tokens, private keys, client and webhook secrets), encrypted with
//! AES-256-GCM as Flui does. The key is kept in a file beside the database.

use std::fs;
use std::io::Write;
use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit, OsRng};
use aes_gcm::{AeadCore, Aes256Gcm, Key, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

pub struct Vault {
    cipher: Aes256Gcm,
}

impl Vault {
    /// Loads the key at `path`, creating it (readable by the owner only) if absent.
    pub fn open(path: &Path) -> std::io::Result<Self> {
        let key_bytes = match fs::read(path) {
            Ok(bytes) if bytes.len() == 32 => bytes,
            Ok(_) => {
                return Err(std::io::Error::other(format!(
                    "{} is not a 32-byte key; delete it together with the database to start afresh",
                    path.display()
                )));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = Aes256Gcm::generate_key(OsRng);
                let mut options = fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    options.mode(0o600);
                }
                options.open(path)?.write_all(&key)?;
                key.to_vec()
            }
            Err(e) => return Err(e),
        };
        let key = Key::<Aes256Gcm>::from_slice(&key_bytes);
        Ok(Self {
            cipher: Aes256Gcm::new(key),
        })
    }

    /// `base64(nonce || ciphertext)`.
    pub fn seal(&self, plaintext: &str) -> String {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(&nonce, plaintext.as_bytes())
            .expect("AES-GCM encryption of an in-memory buffer cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        STANDARD.encode(out)
    }

    pub fn open_sealed(&self, sealed: &str) -> Option<String> {
        let bytes = STANDARD.decode(sealed).ok()?;
        if bytes.len() < 12 {
            return None;
        }
        let (nonce, ciphertext) = bytes.split_at(12);
        let plain = self.cipher.decrypt(Nonce::from_slice(nonce), ciphertext).ok()?;
        String::from_utf8(plain).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_round_trip_and_are_not_stored_in_clear() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sandbox.key");
        let vault = Vault::open(&path).unwrap();
        let sealed = vault.seal("ghp_secret");
        assert!(!sealed.contains("ghp_secret"));
        assert_ne!(sealed, vault.seal("ghp_secret"), "each seal uses a fresh nonce");
        assert_eq!(vault.open_sealed(&sealed).as_deref(), Some("ghp_secret"));
        // The same key file opens what was sealed before.
        let again = Vault::open(&path).unwrap();
        assert_eq!(again.open_sealed(&sealed).as_deref(), Some("ghp_secret"));
        assert_eq!(again.open_sealed("not base64!"), None);
    }

    #[test]
    fn another_key_cannot_open_a_secret() {
        let dir = tempfile::tempdir().unwrap();
        let a = Vault::open(&dir.path().join("a.key")).unwrap();
        let b = Vault::open(&dir.path().join("b.key")).unwrap();
        assert_eq!(b.open_sealed(&a.seal("pem")), None);
    }
}

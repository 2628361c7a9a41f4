//! A GitHub App's private key, checked in the browser before it is sent: an RSA private
//! key in PEM, PKCS#1 (what GitHub downloads) or PKCS#8, with the SHA-256 fingerprint
//! GitHub lists under the App's "Private keys" (the digest of the public key's DER,
//! in Base64). Everything else is refused with what to do. Plain logic, tested on the
//! host against keys made by `openssl` and `ssh-keygen`.

use crate::encoding::{base64, base64_decode, sha256};

/// How the key was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyFormat {
    Pkcs1,
    Pkcs8,
}

/// A key fit to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyInfo {
    pub format: KeyFormat,
    /// The modulus's size in bits (2048 for GitHub's keys).
    pub bits: usize,
    /// `SHA256:…`, as GitHub shows it.
    pub fingerprint: String,
}

impl KeyInfo {
    pub fn describe(&self) -> String {
        let format = match self.format {
            KeyFormat::Pkcs1 => "PKCS#1",
            KeyFormat::Pkcs8 => "PKCS#8",
        };
        format!("RSA private key, {} bits, {format} PEM", self.bits)
    }
}

const DAMAGED: &str = "The key looks damaged: paste or choose the whole .pem file GitHub downloaded, from its BEGIN line to its END line.";

/// The key in `text`, or why it cannot be used (a sentence with what to do).
pub fn check_private_key(text: &str) -> Result<KeyInfo, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Choose, drop or paste the App's private key (.pem).");
    }
    if text.contains("BEGIN OPENSSH PRIVATE KEY") {
        return Err(
            "This is an OpenSSH key. GitHub App keys are PEM files: use the .pem GitHub downloaded (Generate a private key on the App's page), or convert a copy with: ssh-keygen -p -m PEM -f <key file>",
        );
    }
    if text.contains("BEGIN ENCRYPTED PRIVATE KEY") || text.contains("Proc-Type: 4,ENCRYPTED") {
        return Err(
            "This key is protected by a passphrase, which Flui cannot use. Save an unprotected copy with: openssl pkey -in <key file> -out <new key file>",
        );
    }
    if text.contains("PUBLIC KEY-----") || text.starts_with("ssh-rsa ") {
        return Err(
            "This is a public key. Flui needs the private key: the .pem file GitHub downloaded when you chose Generate a private key.",
        );
    }
    if text.contains("BEGIN CERTIFICATE") {
        return Err(
            "This is a certificate, not a private key: use the .pem file GitHub downloaded when you chose Generate a private key.",
        );
    }
    if text.contains("BEGIN EC PRIVATE KEY") || text.contains("BEGIN DSA PRIVATE KEY") {
        return Err("GitHub Apps sign with RSA keys only: use the .pem file GitHub generated for the App.");
    }
    let (label, body) = pem_block(text).ok_or("This is not a PEM private key: it should start with -----BEGIN RSA PRIVATE KEY----- and end with the matching END line.")?;
    let der = base64_decode(body).ok_or(DAMAGED)?;
    let (format, rsa) = match label {
        "RSA PRIVATE KEY" => (KeyFormat::Pkcs1, der.as_slice()),
        "PRIVATE KEY" => (KeyFormat::Pkcs8, pkcs8_rsa(&der)?),
        _ => {
            return Err(
                "This PEM block is not a private key: use the .pem file GitHub downloaded for the App.",
            );
        }
    };
    let (modulus, exponent) = rsa_public(rsa).ok_or(DAMAGED)?;
    let significant: &[u8] = {
        let start = modulus.iter().position(|&b| b != 0).unwrap_or(modulus.len());
        &modulus[start..]
    };
    let bits = significant
        .first()
        .map_or(0, |&top| significant.len() * 8 - top.leading_zeros() as usize);
    Ok(KeyInfo {
        format,
        bits,
        fingerprint: format!("SHA256:{}", base64(&sha256(&spki(modulus, exponent)))),
    })
}

/// The first PEM block: its label and its Base64 body.
fn pem_block(text: &str) -> Option<(&str, &str)> {
    let start = text.find("-----BEGIN ")?;
    let rest = &text[start + "-----BEGIN ".len()..];
    let (label, rest) = rest.split_once("-----")?;
    let end = rest.find(&format!("-----END {label}-----"))?;
    Some((label, &rest[..end]))
}

/// `rsaEncryption`, 1.2.840.113549.1.1.1.
const RSA_OID: [u8; 9] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// PKCS#8 `PrivateKeyInfo`: the PKCS#1 key inside, if the algorithm is RSA.
fn pkcs8_rsa(der: &[u8]) -> Result<&[u8], &'static str> {
    let (info, _) = read(der, 0x30).ok_or(DAMAGED)?;
    let (_version, rest) = read(info, 0x02).ok_or(DAMAGED)?;
    let (algorithm, rest) = read(rest, 0x30).ok_or(DAMAGED)?;
    let (oid, _) = read(algorithm, 0x06).ok_or(DAMAGED)?;
    if oid != RSA_OID {
        return Err("GitHub Apps sign with RSA keys only: use the .pem file GitHub generated for the App.");
    }
    read(rest, 0x04).map(|(key, _)| key).ok_or(DAMAGED)
}

/// PKCS#1 `RSAPrivateKey`: the modulus and public exponent, as DER integer contents.
fn rsa_public(der: &[u8]) -> Option<(&[u8], &[u8])> {
    let (key, _) = read(der, 0x30)?;
    let (_version, rest) = read(key, 0x02)?;
    let (modulus, rest) = read(rest, 0x02)?;
    let (exponent, rest) = read(rest, 0x02)?;
    // The private exponent must follow: a public key alone is not a private key.
    read(rest, 0x02)?;
    Some((modulus, exponent))
}

/// One DER element of type `tag`: its contents and what follows it.
fn read(der: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&found, rest) = der.split_first()?;
    if found != tag {
        return None;
    }
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let (bytes, after) = rest.split_at(count);
        rest = after;
        bytes.iter().fold(0usize, |n, &b| (n << 8) | usize::from(b))
    };
    (rest.len() >= len).then(|| rest.split_at(len))
}

/// A DER element: tag, length, contents.
fn element(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = contents.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len.to_be_bytes().into_iter().skip_while(|&b| b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(contents);
    out
}

/// The public key's `SubjectPublicKeyInfo` DER, as `openssl rsa -pubout -outform DER`
/// writes it.
fn spki(modulus: &[u8], exponent: &[u8]) -> Vec<u8> {
    let public = element(0x30, &[element(0x02, modulus), element(0x02, exponent)].concat());
    let algorithm = element(0x30, &[element(0x06, &RSA_OID), vec![0x05, 0x00]].concat());
    let bits = element(0x03, &[&[0u8][..], &public].concat());
    element(0x30, &[algorithm, bits].concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Throwaway keys made for these tests with openssl and ssh-keygen; the expected
    // fingerprints were computed by openssl:
    // openssl rsa -in KEY -pubout -outform DER | openssl sha256 -binary | openssl base64
    const PKCS1: &str = include_str!("testdata/p1.pem");
    const PKCS8: &str = include_str!("testdata/p8.pem");
    const PKCS1_4096: &str = include_str!("testdata/p1-4096.pem");

    fn expected(file: &str) -> String {
        format!("SHA256:{}", file.trim())
    }

    #[test]
    fn pkcs1_and_pkcs8_give_the_fingerprint_openssl_gives() {
        let p1 = check_private_key(PKCS1).unwrap();
        assert_eq!(p1.format, KeyFormat::Pkcs1);
        assert_eq!(p1.bits, 2048);
        assert_eq!(p1.fingerprint, expected(include_str!("testdata/fingerprint.txt")));
        let p8 = check_private_key(PKCS8).unwrap();
        assert_eq!(p8.format, KeyFormat::Pkcs8);
        assert_eq!(p8.fingerprint, p1.fingerprint);
        let big = check_private_key(PKCS1_4096).unwrap();
        assert_eq!(big.bits, 4096);
        assert_eq!(
            big.fingerprint,
            expected(include_str!("testdata/fingerprint-4096.txt"))
        );
        // Pasted with stray text and Windows line ends, it is the same key.
        let pasted = format!("key:\r\n{}\r\n", PKCS1.replace('\n', "\r\n"));
        assert_eq!(check_private_key(&pasted).unwrap().fingerprint, p1.fingerprint);
    }

    #[test]
    fn everything_else_is_refused_with_what_to_do() {
        let refused = |text: &str, words: &str| {
            let why = check_private_key(text).unwrap_err();
            assert!(why.contains(words), "{why}");
        };
        refused(include_str!("testdata/openssh.key"), "ssh-keygen -p -m PEM");
        refused(include_str!("testdata/openssh.pub"), "public key");
        refused(include_str!("testdata/pub.pem"), "public key");
        refused(include_str!("testdata/cert.pem"), "certificate");
        refused(include_str!("testdata/enc1.pem"), "openssl pkey");
        refused(include_str!("testdata/enc8.pem"), "openssl pkey");
        refused(include_str!("testdata/ec8.pem"), "RSA keys only");
        refused("", "Choose, drop or paste");
        refused("hello", "not a PEM private key");
        refused(
            "-----BEGIN RSA PRIVATE KEY-----\nnot base64!\n-----END RSA PRIVATE KEY-----",
            "damaged",
        );
        // A key cut short.
        let cut = format!("{}\n-----END RSA PRIVATE KEY-----", &PKCS1[..400]);
        refused(&cut, "damaged");
    }
}

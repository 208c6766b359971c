//! Client-side encryption for My Storage: Argon2id master key, HKDF subkeys and the
//! gzip-then-AES-256-GCM envelope, exactly as `my-storage-protocol.md` fixes them.
//!
//! The server never sees the passphrase or a key. Keys live in [`Zeroizing`] buffers and are
//! wiped when dropped; decryption either returns the whole plaintext or an error, never part
//! of it.

use std::io::Read;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use hkdf::Hkdf;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

/// Content type of an envelope body.
pub const ENVELOPE_CONTENT_TYPE: &str = "application/vnd.synmap.envelope+json";
/// The shortest passphrase accepted when encryption is set up, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 12;
/// Largest JSVG a decrypted envelope may inflate to (a gzip bomb stops here).
const MAX_PLAINTEXT: u64 = 64 * 1024 * 1024;
const INFO_ENCRYPTION: &[u8] = b"synmap aes-256-gcm v1";
const INFO_KEY_CHECK: &[u8] = b"synmap key-check v1";

/// Why encryption or decryption failed. No variant carries key material.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    /// The passphrase is too short to protect maps that anyone with a read key can fetch.
    #[error("the passphrase must have at least {MIN_PASSPHRASE_CHARS} characters")]
    PassphraseTooShort,
    /// Key-derivation parameters outside the accepted bounds (from a server or an envelope).
    #[error("refusing key-derivation parameters outside the accepted bounds: {0}")]
    KdfOutOfBounds(String),
    /// The server reports parameters other than the ones remembered for this storage.
    #[error("the storage reports different key-derivation parameters than when it was configured; refusing")]
    KdfChanged,
    /// The passphrase does not produce the storage's key check.
    #[error("wrong passphrase: it does not match this storage's key check")]
    WrongPassphrase,
    /// The envelope is not one this version reads.
    #[error("not a synmap envelope this version can read: {0}")]
    BadEnvelope(String),
    /// The envelope belongs to another storage or other parameters.
    #[error("the envelope was made for another storage or other key parameters")]
    ForeignEnvelope,
    /// Authentication failed: wrong passphrase, or a changed byte anywhere.
    #[error("the envelope cannot be decrypted: wrong passphrase or the content was altered")]
    Authentication,
    /// The decrypted content is not valid compressed JSVG.
    #[error("the decrypted content is not a valid compressed map: {0}")]
    BadPlaintext(String),
    /// The system's random number generator failed.
    #[error("no randomness available from the operating system")]
    Random,
}

/// Argon2id parameters of a storage, as they travel in JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Always `argon2id`.
    pub alg: String,
    /// 16 random bytes, standard base64 with padding.
    pub salt: String,
    /// Memory in KiB.
    pub m: u32,
    /// Iterations.
    pub t: u32,
    /// Parallelism.
    pub p: u32,
}

impl KdfParams {
    /// Fresh parameters for a new storage: a random salt, 64 MiB, 3 passes, 1 lane.
    pub fn generate() -> Result<KdfParams, CryptoError> {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|_| CryptoError::Random)?;
        Ok(KdfParams { alg: "argon2id".into(), salt: B64.encode(salt), m: 65536, t: 3, p: 1 })
    }

    /// Checks the bounds the contract sets and returns the salt bytes.
    pub fn validate(&self) -> Result<[u8; 16], CryptoError> {
        let bad = |what: String| Err(CryptoError::KdfOutOfBounds(what));
        if self.alg != "argon2id" {
            return bad(format!("algorithm {:?}", self.alg));
        }
        let salt = B64.decode(&self.salt).ok().and_then(|s| <[u8; 16]>::try_from(s).ok());
        let Some(salt) = salt else { return bad("the salt is not 16 bytes of base64".into()) };
        if !(65536..=1_048_576).contains(&self.m) {
            return bad(format!("memory {} KiB", self.m));
        }
        if !(3..=10).contains(&self.t) {
            return bad(format!("{} passes", self.t));
        }
        if !(1..=4).contains(&self.p) {
            return bad(format!("parallelism {}", self.p));
        }
        Ok(salt)
    }

    /// The associated data bound into every envelope of `storage_id`.
    pub fn aad(&self, storage_id: &str) -> String {
        format!("synmap/v1/{storage_id}/{}/{}/{}/{}", self.salt, self.m, self.t, self.p)
    }
}

/// A storage's encryption settings as the server reports them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptionInfo {
    /// The key-derivation parameters.
    pub kdf: KdfParams,
    /// Lowercase hex of the key-check subkey.
    #[serde(rename = "keyCheck")]
    pub key_check: String,
}

/// Checks a passphrase chosen for a new storage.
pub fn validate_new_passphrase(passphrase: &str) -> Result<(), CryptoError> {
    if passphrase.nfc().count() < MIN_PASSPHRASE_CHARS {
        return Err(CryptoError::PassphraseTooShort);
    }
    Ok(())
}

/// The 32-byte Argon2id master key of a storage; wiped from memory when dropped.
pub struct MasterKey {
    key: Zeroizing<[u8; 32]>,
    kdf: KdfParams,
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(redacted)")
    }
}

impl MasterKey {
    /// Derives the master key from the NFC-normalised passphrase; refuses parameters outside
    /// the bounds without deriving anything.
    pub fn derive(passphrase: &str, kdf: &KdfParams) -> Result<MasterKey, CryptoError> {
        let salt = kdf.validate()?;
        let params = argon2::Params::new(kdf.m, kdf.t, kdf.p, Some(32))
            .map_err(|e| CryptoError::KdfOutOfBounds(e.to_string()))?;
        let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let normalized: Zeroizing<String> = Zeroizing::new(passphrase.nfc().collect());
        let mut key = Zeroizing::new([0u8; 32]);
        argon
            .hash_password_into(normalized.as_bytes(), &salt, key.as_mut())
            .map_err(|e| CryptoError::KdfOutOfBounds(e.to_string()))?;
        Ok(MasterKey { key, kdf: kdf.clone() })
    }

    /// The parameters this key was derived with.
    pub fn kdf(&self) -> &KdfParams {
        &self.kdf
    }

    fn subkey(&self, info: &[u8]) -> Zeroizing<[u8; 32]> {
        let hk = Hkdf::<Sha256>::new(None, self.key.as_ref());
        let mut out = Zeroizing::new([0u8; 32]);
        hk.expand(info, out.as_mut()).expect("32 bytes is a valid HKDF-SHA256 output length");
        out
    }

    /// The key check the server stores: lowercase hex of the key-check subkey.
    pub fn key_check(&self) -> String {
        hex(self.subkey(INFO_KEY_CHECK).as_ref())
    }

    /// Compares this key's check with a storage's, in constant time.
    pub fn verify(&self, expected_key_check: &str) -> Result<(), CryptoError> {
        let mine = self.key_check();
        let same = mine.len() == expected_key_check.len()
            && mine.bytes().zip(expected_key_check.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        if same { Ok(()) } else { Err(CryptoError::WrongPassphrase) }
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new_from_slice(self.subkey(INFO_ENCRYPTION).as_ref()).expect("a 32-byte AES-256 key")
    }
}

/// The JSON envelope stored in an encrypted storage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// Format version, 1.
    pub v: u32,
    /// Always `A256GCM`.
    pub alg: String,
    /// The parameters of the key that sealed it.
    pub kdf: KdfParams,
    /// Informative copy of the associated data.
    pub aad: String,
    /// Base64 of the 12-byte nonce.
    pub nonce: String,
    /// Base64 of the ciphertext followed by the 16-byte tag.
    pub ct: String,
}

/// Seals a JSVG document for `storage_id`: gzip, then AES-256-GCM with a fresh random nonce.
/// Returns the envelope's JSON bytes.
pub fn seal(key: &MasterKey, storage_id: &str, jsvg: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let mut nonce = [0u8; 12];
    getrandom::fill(&mut nonce).map_err(|_| CryptoError::Random)?;
    let compressed = Zeroizing::new(gzip(jsvg));
    let envelope = seal_compressed(key, storage_id, &compressed, nonce)?;
    Ok(serde_json::to_vec(&envelope).expect("an envelope serialises"))
}

/// Encrypts already-compressed plaintext with a given nonce (the deterministic core of
/// [`seal`], public for test vectors).
pub fn seal_compressed(
    key: &MasterKey,
    storage_id: &str,
    compressed: &[u8],
    nonce: [u8; 12],
) -> Result<Envelope, CryptoError> {
    let aad = key.kdf.aad(storage_id);
    let ct = key
        .cipher()
        .encrypt(&Nonce::from(nonce), Payload { msg: compressed, aad: aad.as_bytes() })
        .map_err(|_| CryptoError::Authentication)?;
    Ok(Envelope {
        v: 1,
        alg: "A256GCM".into(),
        kdf: key.kdf.clone(),
        aad,
        nonce: B64.encode(nonce),
        ct: B64.encode(ct),
    })
}

/// Opens an envelope of `storage_id` and returns the JSVG bytes, or an error and nothing else.
pub fn open(key: &MasterKey, storage_id: &str, envelope: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let env: Envelope =
        serde_json::from_slice(envelope).map_err(|e| CryptoError::BadEnvelope(e.to_string()))?;
    if env.v != 1 {
        return Err(CryptoError::BadEnvelope(format!("version {}", env.v)));
    }
    if env.alg != "A256GCM" {
        return Err(CryptoError::BadEnvelope(format!("algorithm {:?}", env.alg)));
    }
    env.kdf.validate()?;
    if env.kdf != key.kdf {
        return Err(CryptoError::ForeignEnvelope);
    }
    let aad = key.kdf.aad(storage_id);
    if env.aad != aad {
        return Err(CryptoError::ForeignEnvelope);
    }
    let nonce = B64
        .decode(&env.nonce)
        .ok()
        .and_then(|n| <[u8; 12]>::try_from(n).ok())
        .ok_or_else(|| CryptoError::BadEnvelope("the nonce is not 12 bytes of base64".into()))?;
    let ct =
        B64.decode(&env.ct).map_err(|_| CryptoError::BadEnvelope("the ciphertext is not base64".into()))?;
    let compressed = Zeroizing::new(
        key.cipher()
            .decrypt(&Nonce::from(nonce), Payload { msg: &ct, aad: aad.as_bytes() })
            .map_err(|_| CryptoError::Authentication)?,
    );
    gunzip(&compressed)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).expect("writing to memory");
    enc.finish().expect("writing to memory")
}

fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .take(MAX_PLAINTEXT + 1)
        .read_to_end(&mut out)
        .map_err(|e| CryptoError::BadPlaintext(e.to_string()))?;
    if out.len() as u64 > MAX_PLAINTEXT {
        return Err(CryptoError::BadPlaintext("larger than 64 MiB".into()));
    }
    Ok(out)
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> KdfParams {
        KdfParams { alg: "argon2id".into(), salt: B64.encode([7u8; 16]), m: 65536, t: 3, p: 1 }
    }

    #[test]
    fn bounds_are_enforced_before_deriving() {
        let cases = [
            KdfParams { m: 65535, ..params() },
            KdfParams { m: 1_048_577, ..params() },
            KdfParams { t: 2, ..params() },
            KdfParams { t: 11, ..params() },
            KdfParams { p: 0, ..params() },
            KdfParams { p: 5, ..params() },
            KdfParams { salt: B64.encode([1u8; 15]), ..params() },
            KdfParams { alg: "argon2i".into(), ..params() },
        ];
        for kdf in cases {
            assert!(matches!(
                MasterKey::derive("a long passphrase", &kdf),
                Err(CryptoError::KdfOutOfBounds(_))
            ));
        }
    }

    #[test]
    fn passphrase_length_counts_characters_after_nfc() {
        assert_eq!(validate_new_passphrase("short"), Err(CryptoError::PassphraseTooShort));
        // 11 characters once "e" + combining acute is composed.
        assert_eq!(
            validate_new_passphrase("cafe\u{301}-cafe\u{301}-c"),
            Err(CryptoError::PassphraseTooShort)
        );
        assert_eq!(validate_new_passphrase("ключ-доступа"), Ok(()));
    }

    #[test]
    fn seal_then_open_round_trips_and_detects_tampering() {
        let key = MasterKey::derive("correct horse battery", &params()).unwrap();
        let jsvg = br#"{"name":"m","map":"<svg/>"}"#;
        let sealed = seal(&key, "s-1", jsvg).unwrap();
        assert_eq!(open(&key, "s-1", &sealed).unwrap(), jsvg);
        assert_eq!(open(&key, "s-2", &sealed), Err(CryptoError::ForeignEnvelope));
        let mut env: Envelope = serde_json::from_slice(&sealed).unwrap();
        let mut ct = B64.decode(&env.ct).unwrap();
        ct[0] ^= 1;
        env.ct = B64.encode(ct);
        assert_eq!(open(&key, "s-1", &serde_json::to_vec(&env).unwrap()), Err(CryptoError::Authentication));
        let other = MasterKey::derive("correct horse battery!", &params()).unwrap();
        assert_eq!(open(&other, "s-1", &sealed), Err(CryptoError::Authentication));
        assert!(other.verify(&key.key_check()).is_err());
        assert!(key.verify(&key.key_check()).is_ok());
        assert_eq!(format!("{key:?}"), "MasterKey(redacted)");
    }
}

//! The envelope format against a test vector made independently (Python's argon2-cffi and
//! cryptography): key derivation with NFC, HKDF subkeys, the key check, AES-256-GCM with the
//! recomputed associated data, and the failures the contract demands.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use synmap::storage::crypto::{self, CryptoError, Envelope, KdfParams, MasterKey};

struct Vector {
    passphrase: String,
    storage: String,
    key_check: String,
    jsvg: String,
    gzip: Vec<u8>,
    envelope: Envelope,
}

fn vector() -> Vector {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/envelope-vector.json");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let s = |k: &str| v[k].as_str().unwrap().to_string();
    Vector {
        passphrase: s("passphrase"),
        storage: s("storage"),
        key_check: s("key_check"),
        jsvg: s("jsvg"),
        gzip: B64.decode(s("gzip_b64")).unwrap(),
        envelope: serde_json::from_value(v["envelope"].clone()).unwrap(),
    }
}

fn key(v: &Vector) -> MasterKey {
    MasterKey::derive(&v.passphrase, &v.envelope.kdf).unwrap()
}

#[test]
fn key_check_matches_the_independent_implementation() {
    let v = vector();
    // The vector's passphrase is decomposed (NFD); only NFC normalisation gives this check.
    assert!(v.passphrase.contains('\u{301}'));
    assert_eq!(key(&v).key_check(), v.key_check);
}

#[test]
fn sealing_the_vectors_plaintext_gives_its_ciphertext() {
    let v = vector();
    let nonce: [u8; 12] = B64.decode(&v.envelope.nonce).unwrap().try_into().unwrap();
    let sealed = crypto::seal_compressed(&key(&v), &v.storage, &v.gzip, nonce).unwrap();
    assert_eq!(sealed, v.envelope);
}

#[test]
fn opening_the_vector_gives_the_jsvg() {
    let v = vector();
    let bytes = serde_json::to_vec(&v.envelope).unwrap();
    assert_eq!(crypto::open(&key(&v), &v.storage, &bytes).unwrap(), v.jsvg.as_bytes());
}

#[test]
fn every_changed_byte_fails_without_plaintext() {
    let v = vector();
    let k = key(&v);
    let ct = B64.decode(&v.envelope.ct).unwrap();
    for i in [0, ct.len() / 2, ct.len() - 1] {
        let mut bad = ct.clone();
        bad[i] ^= 0x80;
        let env = Envelope { ct: B64.encode(bad), ..v.envelope.clone() };
        let r = crypto::open(&k, &v.storage, &serde_json::to_vec(&env).unwrap());
        assert_eq!(r, Err(CryptoError::Authentication), "byte {i}");
    }
    let mut nonce = B64.decode(&v.envelope.nonce).unwrap();
    nonce[0] ^= 1;
    let env = Envelope { nonce: B64.encode(nonce), ..v.envelope.clone() };
    assert_eq!(
        crypto::open(&k, &v.storage, &serde_json::to_vec(&env).unwrap()),
        Err(CryptoError::Authentication)
    );
}

#[test]
fn wrong_passphrase_other_storage_and_bad_headers_are_refused() {
    let v = vector();
    let bytes = serde_json::to_vec(&v.envelope).unwrap();
    let wrong = MasterKey::derive("César's map passphrasE", &v.envelope.kdf).unwrap();
    assert_eq!(crypto::open(&wrong, &v.storage, &bytes), Err(CryptoError::Authentication));
    assert_eq!(wrong.verify(&v.key_check), Err(CryptoError::WrongPassphrase));
    let k = key(&v);
    assert_eq!(
        crypto::open(&k, "00000000-0000-4000-8000-000000000000", &bytes),
        Err(CryptoError::ForeignEnvelope)
    );
    // The informative aad is checked, but never trusted: rewriting it does not help.
    let env = Envelope { aad: "synmap/v1/other".into(), ..v.envelope.clone() };
    assert_eq!(
        crypto::open(&k, &v.storage, &serde_json::to_vec(&env).unwrap()),
        Err(CryptoError::ForeignEnvelope)
    );
    let env = Envelope { v: 2, ..v.envelope.clone() };
    assert!(matches!(
        crypto::open(&k, &v.storage, &serde_json::to_vec(&env).unwrap()),
        Err(CryptoError::BadEnvelope(_))
    ));
    let env = Envelope { alg: "A128GCM".into(), ..v.envelope.clone() };
    assert!(matches!(
        crypto::open(&k, &v.storage, &serde_json::to_vec(&env).unwrap()),
        Err(CryptoError::BadEnvelope(_))
    ));
    let env = Envelope { kdf: KdfParams { t: 2, ..v.envelope.kdf.clone() }, ..v.envelope.clone() };
    assert!(matches!(
        crypto::open(&k, &v.storage, &serde_json::to_vec(&env).unwrap()),
        Err(CryptoError::KdfOutOfBounds(_))
    ));
    let env = Envelope { kdf: KdfParams { t: 4, ..v.envelope.kdf.clone() }, ..v.envelope.clone() };
    assert_eq!(
        crypto::open(&k, &v.storage, &serde_json::to_vec(&env).unwrap()),
        Err(CryptoError::ForeignEnvelope)
    );
    assert!(matches!(crypto::open(&k, &v.storage, b"not json"), Err(CryptoError::BadEnvelope(_))));
}

//! A map's stored content, ready for My Storage and back: the checks made before sending (valid
//! JSVG, 20 MiB, quota, pinned key parameters, key check), the encryption step, and the
//! decryption and check of a downloaded map.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::contract::{MapInfo, StorageInfo};
use super::crypto::{self, CryptoError, ENVELOPE_CONTENT_TYPE, EncryptionInfo, KdfParams, MasterKey};
use super::error::PublishError;
use super::mystorage::{Content, JSVG_CONTENT_TYPE, MAX_MAP_BYTES};
use super::secret::Secret;

/// The two fields of a JSVG document that the server checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsvgFields {
    /// The map's own name.
    pub name: String,
    /// The SVG text.
    pub map: String,
}

/// Checks that `bytes` is a JSVG document the way the server does: a JSON object with a string
/// `name` and a string `map` that starts (after white space and an optional XML declaration)
/// with `<svg`. Returns those two fields.
pub fn validate_jsvg(bytes: &[u8]) -> Result<JsvgFields, PublishError> {
    let mut value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| PublishError::InvalidJsvg(format!("not JSON: {e}")))?;
    let mut field = |key: &str| match value.get_mut(key).map(serde_json::Value::take) {
        Some(serde_json::Value::String(s)) => Ok(s),
        _ => Err(PublishError::InvalidJsvg(format!("no string \"{key}\""))),
    };
    let name = field("name")?;
    let map = field("map")?;
    let mut rest = map.trim_start();
    if rest.starts_with("<?xml") {
        rest = rest.find("?>").map_or("", |i| rest[i + 2..].trim_start());
    }
    if !rest.starts_with("<svg") {
        return Err(PublishError::InvalidJsvg("\"map\" does not start with <svg".into()));
    }
    Ok(JsvgFields { name, map })
}

/// Master keys derived this session, by storage id: Argon2id runs once per storage and
/// session, and the keys are wiped when the cache is dropped. Only a key that matches the
/// storage's key check is kept, so a mistyped passphrase can be corrected.
#[derive(Debug, Default, Clone)]
pub struct KeyCache(Arc<Mutex<HashMap<String, Arc<MasterKey>>>>);

impl KeyCache {
    /// The key of `storage_id` for its encryption settings, derived from `passphrase` on first
    /// use and checked against the storage's key check.
    pub fn key(
        &self,
        storage_id: &str,
        encryption: &EncryptionInfo,
        passphrase: &Secret,
    ) -> Result<Arc<MasterKey>, CryptoError> {
        let mut keys = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(k) = keys.get(storage_id).filter(|k| k.kdf() == &encryption.kdf) {
            k.verify(&encryption.key_check)?;
            return Ok(k.clone());
        }
        let key = Arc::new(MasterKey::derive(passphrase.expose(), &encryption.kdf)?);
        key.verify(&encryption.key_check)?;
        keys.insert(storage_id.to_string(), key.clone());
        Ok(key)
    }
}

/// Checks the storage's encryption parameters against the pinned ones (if any) and the bounds.
pub fn check_pinned(info: &EncryptionInfo, pinned: Option<&KdfParams>) -> Result<(), CryptoError> {
    info.kdf.validate()?;
    match pinned {
        Some(p) if *p != info.kdf => Err(CryptoError::KdfChanged),
        _ => Ok(()),
    }
}

/// Makes the stored body for a JSVG document: checks it, encrypts it for an encrypted storage
/// (after verifying the key against the storage's key check), and checks the 20 MiB limit and
/// the quota (`replacing` is the map being replaced, whose bytes are freed).
pub fn prepare(
    jsvg: &[u8],
    info: &StorageInfo,
    key: Option<&MasterKey>,
    replacing: Option<&MapInfo>,
) -> Result<Content, PublishError> {
    validate_jsvg(jsvg)?;
    let content = match (&info.encryption, key) {
        (None, _) => Content { body: jsvg.to_vec(), content_type: JSVG_CONTENT_TYPE, key_check: None },
        (Some(enc), Some(key)) => {
            if key.kdf() != &enc.kdf {
                return Err(CryptoError::KdfChanged.into());
            }
            key.verify(&enc.key_check)?;
            Content {
                body: crypto::seal(key, &info.id, jsvg)?,
                content_type: ENVELOPE_CONTENT_TYPE,
                key_check: Some(enc.key_check.clone()),
            }
        }
        (Some(_), None) => {
            return Err(PublishError::Usage(
                "this storage is encrypted: the passphrase is needed to upload".into(),
            ));
        }
    };
    let bytes = content.body.len() as u64;
    if bytes > MAX_MAP_BYTES {
        return Err(PublishError::TooLarge { bytes, limit: MAX_MAP_BYTES });
    }
    let freed = replacing.map_or(0, |m| m.size);
    let available = info.quota.remaining() + freed;
    if bytes > available {
        return Err(PublishError::Quota { needed: bytes, available });
    }
    Ok(content)
}

/// A downloaded map, decrypted and checked.
#[derive(Clone, Debug)]
pub struct DownloadedMap {
    /// The JSVG document.
    pub jsvg: Vec<u8>,
    /// Its name and SVG. The decrypted map's own name is what a front end shows, so that a
    /// swapped envelope is visible.
    pub fields: JsvgFields,
}

/// Turns a downloaded body back into a JSVG document, decrypting an envelope with `key`, and
/// checks it as the server checks an upload.
pub fn unwrap(
    body: &[u8],
    content_type: &str,
    storage_id: &str,
    key: Option<&MasterKey>,
) -> Result<DownloadedMap, PublishError> {
    let jsvg = if is_envelope(content_type) {
        let key =
            key.ok_or_else(|| PublishError::Usage("this map is encrypted: the passphrase is needed".into()))?;
        crypto::open(key, storage_id, body)?
    } else {
        body.to_vec()
    };
    let fields = validate_jsvg(&jsvg)?;
    Ok(DownloadedMap { jsvg, fields })
}

/// True when a downloaded body's content type says it is an envelope.
pub fn is_envelope(content_type: &str) -> bool {
    content_type.starts_with(ENVELOPE_CONTENT_TYPE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsvg_is_checked_like_the_server_does() {
        let fields = validate_jsvg(br#"{"name":"n","map":" <?xml version=\"1.0\"?>\n<svg/>"}"#).unwrap();
        assert_eq!(fields.name, "n");
        assert!(fields.map.ends_with("<svg/>"));
        assert!(validate_jsvg(br#"{"name":"n","map":"<html>"}"#).is_err());
        assert!(validate_jsvg(br#"{"map":"<svg/>"}"#).is_err());
        assert!(validate_jsvg(b"<svg/>").is_err());
    }

    #[test]
    fn keys_are_derived_once_per_storage_and_session() {
        let cache = KeyCache::default();
        let kdf = KdfParams::generate().unwrap();
        let pass = Secret::new("a passphrase long enough");
        let key_check = MasterKey::derive(pass.expose(), &kdf).unwrap().key_check();
        let enc = EncryptionInfo { kdf, key_check };
        let a = cache.key("s", &enc, &pass).unwrap();
        let b = cache.key("s", &enc, &pass).unwrap();
        assert!(Arc::ptr_eq(&a, &b), "the second call derived again");
        assert!(!Arc::ptr_eq(&a, &KeyCache::default().key("s", &enc, &pass).unwrap()));
    }

    #[test]
    fn a_wrong_passphrase_is_not_kept() {
        let cache = KeyCache::default();
        let kdf = KdfParams::generate().unwrap();
        let pass = Secret::new("a passphrase long enough");
        let key_check = MasterKey::derive(pass.expose(), &kdf).unwrap().key_check();
        let enc = EncryptionInfo { kdf, key_check };
        let wrong = Secret::new("a mistyped passphrase");
        assert_eq!(cache.key("s", &enc, &wrong).unwrap_err(), CryptoError::WrongPassphrase);
        assert!(cache.key("s", &enc, &pass).is_ok(), "the mistyped key stuck");
    }

    #[test]
    fn parameters_other_than_the_pinned_ones_are_refused() {
        let kdf = KdfParams::generate().unwrap();
        let info = EncryptionInfo { kdf: kdf.clone(), key_check: "00".repeat(32) };
        assert_eq!(check_pinned(&info, Some(&kdf)), Ok(()));
        assert_eq!(check_pinned(&info, None), Ok(()));
        let other = KdfParams { t: 4, ..kdf.clone() };
        assert_eq!(check_pinned(&info, Some(&other)), Err(CryptoError::KdfChanged));
        let weak = EncryptionInfo { kdf: KdfParams { m: 1024, ..kdf }, key_check: String::new() };
        assert!(matches!(check_pinned(&weak, None), Err(CryptoError::KdfOutOfBounds(_))));
    }
}

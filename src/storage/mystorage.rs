//! The My Storage client: one method per call of `my-storage-protocol.md`, with the
//! contract's headers, error codes, idempotency keys and ETag rules.
//!
//! The endpoints follow My Storage's documented behaviour, not a published API; this module is
//! the one place to adapt if the real API is published.

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::contract::{MapInfo, StorageInfo};
use super::crypto::EncryptionInfo;
use super::error::PublishError;
use super::secret::Secret;
use super::transport::{Call, Method, Reply, Transfer, Transport, check_url};

/// Largest stored map body: 20 MiB.
pub const MAX_MAP_BYTES: u64 = 20 * 1024 * 1024;
/// Content type of a plain JSVG body.
pub const JSVG_CONTENT_TYPE: &str = "application/json";

/// A body ready to store: plain JSVG or an envelope, with the key check that goes with it.
#[derive(Clone, Debug)]
pub struct Content {
    /// The bytes stored (before any transfer compression).
    pub body: Vec<u8>,
    /// [`JSVG_CONTENT_TYPE`] or the envelope content type.
    pub content_type: &'static str,
    /// `X-Key-Check` for encrypted storages.
    pub key_check: Option<String>,
}

/// A downloaded map body.
#[derive(Clone, Debug)]
pub struct Download {
    /// The stored bytes.
    pub body: Vec<u8>,
    /// Its content type.
    pub content_type: String,
    /// Its ETag.
    pub etag: String,
}

/// A change of a map's password.
#[derive(Clone, Debug)]
pub enum PasswordChange {
    /// Leave protection as it is.
    Keep,
    /// Protect with this password.
    Set(Secret),
    /// Remove the protection.
    Remove,
}

/// The contract's deterministic ETag of a stored map.
pub fn expected_etag(body: &[u8], name: &str, protected: bool) -> String {
    let mut h = Sha256::new();
    h.update(body);
    h.update(b"\n");
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update(if protected { b"1" } else { b"0" });
    format!("\"{}\"", &super::crypto::hex(&h.finalize())[..32])
}

/// True for a lowercase hyphenated UUID.
pub fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_digit() || ('a'..='f').contains(&c),
        })
}

/// A client for one storage.
#[derive(Debug)]
pub struct MyStorage {
    transport: Transport,
    base: reqwest::Url,
    storage: String,
    edit_key: Secret,
}

impl MyStorage {
    /// A client for `storage` at `base_url`; refuses a non-HTTPS, non-loopback URL and a
    /// malformed storage id before anything is sent.
    pub fn new(
        transport: Transport,
        base_url: &str,
        storage: &str,
        edit_key: Secret,
    ) -> Result<MyStorage, PublishError> {
        let base = reqwest::Url::parse(base_url.trim_end_matches('/'))
            .map_err(|e| PublishError::Usage(format!("invalid base URL {base_url:?}: {e}")))?;
        check_url(&base)?;
        if !is_uuid(storage) {
            return Err(PublishError::Usage(format!(
                "the storage id must be a lowercase hyphenated UUID, not {storage:?}"
            )));
        }
        Ok(MyStorage { transport, base, storage: storage.to_string(), edit_key })
    }

    fn url(&self, tail: &str) -> reqwest::Url {
        let mut url = self.base.clone();
        let path = format!("{}/v1/my/{}{tail}", self.base.path().trim_end_matches('/'), self.storage);
        url.set_path(&path);
        url
    }

    fn call(&self, method: Method, tail: &str) -> Call {
        Call::new(method, self.url(tail)).secret_header("authorization", "Bearer ", &self.edit_key)
    }

    fn map_call(
        &self,
        method: Method,
        map: &MapInfo,
        password: Option<&Secret>,
    ) -> Result<Call, PublishError> {
        if !is_uuid(&map.id) {
            return Err(PublishError::Usage(format!("not a map id: {:?}", map.id)));
        }
        let mut call = self.call(method, &format!("/map/{}", map.id)).header("if-match", &map.etag);
        if let Some(p) = password {
            call = call.secret_header("x-map-password", "", p);
        }
        Ok(call)
    }

    fn send(&self, call: &Call) -> Result<Reply, PublishError> {
        let reply = self.transport.send(call)?;
        if reply.status.is_success() { Ok(reply) } else { Err(api_error(&reply)) }
    }

    /// Storage name, read key, quota and encryption settings.
    pub fn info(&self) -> Result<StorageInfo, PublishError> {
        json(&self.send(&self.call(Method::GET, ""))?)
    }

    /// Sets up encryption (once per storage).
    pub fn setup_encryption(&self, encryption: &EncryptionInfo) -> Result<EncryptionInfo, PublishError> {
        let body = serde_json::to_vec(encryption).expect("settings serialise");
        let call = self
            .call(Method::PUT, "/encryption")
            .header("content-type", "application/json")
            .body(body, false);
        json(&self.send(&call)?)
    }

    /// The stored maps.
    pub fn list(&self) -> Result<Vec<MapInfo>, PublishError> {
        #[derive(Deserialize)]
        struct Maps {
            maps: Vec<MapInfo>,
        }
        Ok(json::<Maps>(&self.send(&self.call(Method::GET, "/maps"))?)?.maps)
    }

    /// Creates a map. One idempotency key covers every retry, so a create whose answer was lost
    /// never makes two maps.
    pub fn create(
        &self,
        name: &str,
        content: &Content,
        transfer: &Transfer,
    ) -> Result<MapInfo, PublishError> {
        check_name(name)?;
        let encoded =
            percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC).to_string();
        let call = self
            .call(Method::POST, "/maps")
            .header("x-map-name", &encoded)
            .header("idempotency-key", &uuid::Uuid::new_v4().to_string());
        json(&self.send(&with_content(call, content, transfer))?)
    }

    /// Downloads a map's stored body.
    pub fn download(&self, map_id: &str, transfer: &Transfer) -> Result<Download, PublishError> {
        if !is_uuid(map_id) {
            return Err(PublishError::Usage(format!("not a map id: {map_id:?}")));
        }
        let call = self
            .call(Method::GET, &format!("/map/{map_id}"))
            .progress(transfer.progress.clone())
            .cancel(&transfer.cancel);
        let reply = self.send(&call)?;
        Ok(Download {
            content_type: reply.header("content-type").unwrap_or_default().to_string(),
            etag: reply.header("etag").unwrap_or_default().to_string(),
            body: reply.body,
        })
    }

    /// Replaces a map's content, conditional on `current.etag`. When the answer is lost or the
    /// ETag no longer matches, the map's present ETag tells whether this write landed; if it did
    /// not, the result is [`PublishError::Conflict`], never an overwrite.
    pub fn replace(
        &self,
        current: &MapInfo,
        content: &Content,
        password: Option<&Secret>,
        transfer: &Transfer,
    ) -> Result<MapInfo, PublishError> {
        let call = with_content(self.map_call(Method::PUT, current, password)?, content, transfer);
        let expected = expected_etag(&content.body, &current.name, current.protected);
        self.conditional(&call, &current.id, |_| Ok(expected.clone()))
    }

    /// Renames a map and/or changes its password, conditional on `current.etag`.
    pub fn patch(
        &self,
        current: &MapInfo,
        name: Option<&str>,
        change: &PasswordChange,
        password: Option<&Secret>,
    ) -> Result<MapInfo, PublishError> {
        let mut body = serde_json::Map::new();
        if let Some(n) = name {
            check_name(n)?;
            body.insert("name".into(), n.into());
        }
        match change {
            PasswordChange::Keep => {}
            PasswordChange::Set(p) => {
                body.insert("password".into(), p.expose().into());
            }
            PasswordChange::Remove => {
                body.insert("password".into(), serde_json::Value::Null);
            }
        }
        let bytes = zeroize::Zeroizing::new(serde_json::to_vec(&body).expect("JSON serialises"));
        let call = self
            .map_call(Method::PATCH, current, password)?
            .header("content-type", "application/json")
            .body(bytes.to_vec(), false);
        let new_name = name.unwrap_or(&current.name).to_string();
        let protected = match change {
            PasswordChange::Keep => current.protected,
            PasswordChange::Set(_) => true,
            PasswordChange::Remove => false,
        };
        // The expected ETag needs the stored body: fetched only when the outcome is in doubt.
        self.conditional(&call, &current.id, |map_id| {
            let body = self.download(map_id, &Transfer::default())?.body;
            Ok(expected_etag(&body, &new_name, protected))
        })
    }

    /// Deletes a map. A retried delete that finds the map gone has succeeded.
    pub fn delete(&self, current: &MapInfo, password: Option<&Secret>) -> Result<(), PublishError> {
        match self.send(&self.map_call(Method::DELETE, current, password)?) {
            Ok(_) => Ok(()),
            Err(PublishError::Api { code, .. }) if code == "MapNotFound" => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Sends a conditional write and settles a lost answer or an ETag mismatch by comparing the
    /// map's present ETag with the one this write produces.
    fn conditional(
        &self,
        call: &Call,
        map_id: &str,
        expected: impl Fn(&str) -> Result<String, PublishError>,
    ) -> Result<MapInfo, PublishError> {
        match self.send(call) {
            Ok(reply) => json(&reply),
            Err(e) if e.outcome_unknown() || e.is_code("EtagMismatch") => {
                let now = self.list()?.into_iter().find(|m| m.id == map_id);
                match now {
                    Some(info) if info.etag == expected(map_id)? => Ok(info),
                    Some(info) if e.is_code("EtagMismatch") => {
                        Err(PublishError::Conflict { current: Box::new(info) })
                    }
                    _ => Err(e),
                }
            }
            Err(e) => Err(e),
        }
    }

    /// The URL the visual loads a map from.
    pub fn map_url(&self, read_key: &str, map: &MapInfo) -> String {
        // Percent-encoded as the protocol says (a space is `%20`; a form encoder writes `+`).
        const QUERY_VALUE: &percent_encoding::AsciiSet =
            &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
        let encode = |v: &str| percent_encoding::utf8_percent_encode(v, QUERY_VALUE).to_string();
        let mut url = self.url(&format!("/map/{}", map.id));
        url.set_query(Some(&format!("key={}&name={}", encode(read_key), encode(&map.name))));
        url.to_string()
    }
}

/// Adds a map body to a create or replace: its content type, the key check of an encrypted
/// storage, the (gzipped) body, progress and cancellation.
fn with_content(call: Call, content: &Content, transfer: &Transfer) -> Call {
    let mut call = call.header("content-type", content.content_type);
    if let Some(k) = &content.key_check {
        call = call.header("x-key-check", k);
    }
    call.body(content.body.clone(), true).progress(transfer.progress.clone()).cancel(&transfer.cancel)
}

fn check_name(name: &str) -> Result<(), PublishError> {
    let n = name.chars().count();
    if (1..=120).contains(&n) {
        Ok(())
    } else {
        Err(PublishError::Usage(format!("a map name must have 1 to 120 characters (this one has {n})")))
    }
}

/// The error of a non-2xx answer: the contract's error code and the server's text, when the body
/// has them.
fn api_error(reply: &Reply) -> PublishError {
    #[derive(Deserialize)]
    struct Body {
        error: String,
        #[serde(default)]
        message: String,
    }
    let status = reply.status.as_u16();
    match serde_json::from_slice::<Body>(&reply.body) {
        Ok(b) => PublishError::Api { status, code: b.error, message: b.message },
        Err(_) => PublishError::Api { status, code: String::new(), message: String::new() },
    }
}

fn json<T: serde::de::DeserializeOwned>(reply: &Reply) -> Result<T, PublishError> {
    serde_json::from_slice(&reply.body).map_err(|e| {
        PublishError::BadAnswer(format!("the server's answer is not what the protocol says: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etag_follows_the_contract() {
        // SHA-256("abc\nname\n0") computed independently.
        let mut h = Sha256::new();
        h.update(b"abc\nname\n0");
        let full = super::super::crypto::hex(&h.finalize());
        assert_eq!(expected_etag(b"abc", "name", false), format!("\"{}\"", &full[..32]));
        assert_ne!(expected_etag(b"abc", "name", true), expected_etag(b"abc", "name", false));
    }

    #[test]
    fn uuids_are_lowercase_and_hyphenated() {
        assert!(is_uuid("3f2b8c1e-5d4a-4f6b-9e7c-1a2b3c4d5e6f"));
        assert!(!is_uuid("3F2B8C1E-5D4A-4F6B-9E7C-1A2B3C4D5E6F"));
        assert!(!is_uuid("3f2b8c1e5d4a4f6b9e7c1a2b3c4d5e6f"));
        assert!(!is_uuid("../../etc/passwd-aaaaaaaaaaaaaaaaaaaa"));
    }
}

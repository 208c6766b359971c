//! The publishing workflow that both front ends run, `synmap publish mystorage` and the
//! editor's Publish panel: list, upload, replace, download, rename, protect, delete and the map
//! URLs of one configured storage.
//!
//! Each operation checks the storage's key parameters against the pinned ones, encrypts for an
//! encrypted storage (with the key checked against the storage's key check before anything is
//! sent), replaces only against the ETag the author saw, and decrypts and checks a downloaded
//! map the way the server checks an upload. The front ends keep their own concerns: where
//! secrets come from ([`FrontEnd`]), and what the author sees.

use std::sync::Arc;

use super::config::StorageConfig;
use super::content::{DownloadedMap, KeyCache, check_pinned, is_envelope, prepare, unwrap};
use super::contract::{MapInfo, StorageInfo};
use super::crypto::MasterKey;
use super::error::PublishError;
use super::mystorage::{MyStorage, PasswordChange};
use super::secret::Secret;
use super::transport::{Transfer, Transport};
use super::urls::urls_csv;
use crate::diff::{MapDiff, diff};
use crate::model::Map;
use crate::svg::ExportOptions;
use crate::svg::import_bytes;
use crate::svg::jsvg::{JsvgHeader, export_jsvg};

/// What the workflow asks of the front end that runs it, only when an operation needs it.
pub trait FrontEnd {
    /// The storage's encryption passphrase; asked only for an encrypted storage.
    fn passphrase(&mut self) -> Result<Secret, PublishError>;

    /// The password of `map`; asked only when the map is protected. `None` sends the change
    /// without one, which the server refuses.
    fn map_password(&mut self, map: &MapInfo) -> Result<Option<Secret>, PublishError>;

    /// The new password to protect `map` with.
    fn new_map_password(&mut self, map: &MapInfo) -> Result<Secret, PublishError>;

    /// Tells the author, before the first encrypted upload to a storage, that encrypted maps are
    /// stored in synmap's own envelope format, which the Synoptic Panel visual may not read.
    fn envelope_notice(&mut self);
}

/// A map that was uploaded.
#[derive(Clone, Debug)]
pub struct Uploaded {
    /// The stored map.
    pub map: MapInfo,
    /// The URL the visual loads it from.
    pub url: String,
}

/// The URLs the visual loads every stored map from.
#[derive(Clone, Debug)]
pub struct MapUrls {
    /// `Name,URL` CSV, safe to open in a spreadsheet.
    pub csv: String,
    /// How many maps it lists.
    pub count: usize,
}

/// One configured storage, ready to publish to.
#[derive(Debug)]
pub struct Publisher {
    client: MyStorage,
    config: StorageConfig,
    keys: KeyCache,
    /// How maps are exported for publishing (the default: optimised).
    export: ExportOptions,
}

impl Publisher {
    /// A publisher for the storage `config` describes, sending with `transport` and `edit_key`
    /// and keeping master keys in `keys`. Refuses a non-HTTPS, non-loopback base URL and a
    /// malformed storage id before anything is sent.
    pub fn new(
        transport: Transport,
        config: StorageConfig,
        edit_key: Secret,
        keys: KeyCache,
    ) -> Result<Publisher, PublishError> {
        let client = MyStorage::new(transport, &config.base_url, &config.id, edit_key)?;
        Ok(Publisher { client, config, keys, export: ExportOptions::default() })
    }

    /// The protocol client, for what only one front end does (setting up encryption).
    pub fn client(&self) -> &MyStorage {
        &self.client
    }

    /// The storage's settings, with what the workflow learnt: the key parameters pinned when
    /// first seen, and whether the envelope notice was shown. A front end keeps them when they
    /// differ from the ones it started with.
    pub fn config(&self) -> &StorageConfig {
        &self.config
    }

    /// Publishes maps exported with `export` from now on.
    pub fn set_export(&mut self, export: ExportOptions) {
        self.export = export;
    }

    /// Storage name, read key, quota and encryption settings. The key parameters are checked
    /// against the bounds and the pinned ones, and pinned if none were.
    pub fn info(&mut self) -> Result<StorageInfo, PublishError> {
        let info = self.client.info()?;
        if let Some(enc) = &info.encryption {
            check_pinned(enc, self.config.kdf.as_ref())?;
            self.config.kdf.get_or_insert_with(|| enc.kdf.clone());
        }
        Ok(info)
    }

    /// The stored maps.
    pub fn list(&self) -> Result<Vec<MapInfo>, PublishError> {
        self.client.list()
    }

    /// The stored map with this id, as it is now.
    pub fn find(&self, id: &str) -> Result<MapInfo, PublishError> {
        self.list()?.into_iter().find(|m| m.id == id).ok_or_else(|| PublishError::Api {
            status: 404,
            code: "MapNotFound".into(),
            message: String::new(),
        })
    }

    /// Uploads `map` as a new stored map named `name`.
    pub fn upload(
        &mut self,
        front: &mut dyn FrontEnd,
        map: &Map,
        name: &str,
        transfer: &Transfer,
    ) -> Result<Uploaded, PublishError> {
        let info = self.info()?;
        let key = self.key(front, &info)?;
        let content = prepare(&jsvg(map, name, &self.export), &info, key.as_deref(), None)?;
        let created = self.client.create(name, &content, transfer)?;
        Ok(Uploaded { url: self.client.map_url(&info.read_key, &created), map: created })
    }

    /// Replaces the content of the stored map `id` with `map`, keeping its name. With
    /// `if_match`, only if the map still has that ETag; without, whatever it now holds (after
    /// reloading its ETag, never blind). A map changed elsewhere in the meantime is
    /// [`PublishError::Conflict`], with the map as it is now: nothing is overwritten.
    ///
    /// The stored map is compared with `map` first: when ids of areas would vanish (removed or
    /// renamed, so the report's data no longer binds to them), nothing is replaced unless
    /// `accept_removed`, and the error names them. Returns the map as stored and the diff.
    pub fn replace(
        &mut self,
        front: &mut dyn FrontEnd,
        id: &str,
        if_match: Option<&str>,
        map: &Map,
        accept_removed: bool,
        transfer: &Transfer,
    ) -> Result<(MapInfo, MapDiff), PublishError> {
        let current = self.find(id)?;
        if if_match.is_some_and(|etag| etag != current.etag) {
            return Err(PublishError::Conflict { current: Box::new(current) });
        }
        let stored = self.download(front, id, transfer)?;
        let stored = import_bytes(stored.fields.map.as_bytes())
            .map_err(|e| PublishError::InvalidJsvg(format!("the stored map cannot be read: {e}")))?;
        // Compared as both are stored: the new map through the same export.
        let exported = crate::svg::export_svg(map, &self.export).svg;
        let outgoing = import_bytes(exported.as_bytes())
            .map_err(|e| PublishError::Local(format!("the map cannot be exported: {e}")))?;
        let changes = diff(&stored.map, &outgoing.map);
        if changes.loses_ids() && !accept_removed {
            return Err(PublishError::IdsWouldVanish(Box::new(changes)));
        }
        let info = self.info()?;
        let key = self.key(front, &info)?;
        let content =
            prepare(&jsvg(map, &current.name, &self.export), &info, key.as_deref(), Some(&current))?;
        let password = self.password(front, &current)?;
        let replaced = self.client.replace(&current, &content, password.as_ref(), transfer)?;
        Ok((replaced, changes))
    }

    /// Downloads the stored map `id`, decrypts it when it is an envelope, and checks it as the
    /// server checks an upload.
    pub fn download(
        &mut self,
        front: &mut dyn FrontEnd,
        id: &str,
        transfer: &Transfer,
    ) -> Result<DownloadedMap, PublishError> {
        let info = self.info()?;
        let download = self.client.download(id, transfer)?;
        let key = if is_envelope(&download.content_type) { self.key(front, &info)? } else { None };
        unwrap(&download.body, &download.content_type, &self.config.id, key.as_deref())
    }

    /// Renames a stored map.
    pub fn rename(
        &self,
        front: &mut dyn FrontEnd,
        current: &MapInfo,
        name: &str,
    ) -> Result<MapInfo, PublishError> {
        let password = self.password(front, current)?;
        self.client.patch(current, Some(name), &PasswordChange::Keep, password.as_ref())
    }

    /// Protects a stored map with a new password (asked after its present one).
    pub fn protect(&self, front: &mut dyn FrontEnd, current: &MapInfo) -> Result<MapInfo, PublishError> {
        let password = self.password(front, current)?;
        let change = PasswordChange::Set(front.new_map_password(current)?);
        self.client.patch(current, None, &change, password.as_ref())
    }

    /// Removes a stored map's password protection.
    pub fn unprotect(&self, front: &mut dyn FrontEnd, current: &MapInfo) -> Result<MapInfo, PublishError> {
        let password = self.password(front, current)?;
        self.client.patch(current, None, &PasswordChange::Remove, password.as_ref())
    }

    /// Deletes a stored map.
    pub fn delete(&self, front: &mut dyn FrontEnd, current: &MapInfo) -> Result<(), PublishError> {
        let password = self.password(front, current)?;
        self.client.delete(current, password.as_ref())
    }

    /// The URL the visual loads `map` from, with the storage's read key from `info`.
    pub fn map_url(&self, info: &StorageInfo, map: &MapInfo) -> String {
        self.client.map_url(&info.read_key, map)
    }

    /// The URL the visual loads each stored map from, as CSV.
    pub fn urls(&mut self) -> Result<MapUrls, PublishError> {
        let info = self.info()?;
        let rows: Vec<(String, String)> =
            self.list()?.iter().map(|m| (m.name.clone(), self.map_url(&info, m))).collect();
        Ok(MapUrls { csv: urls_csv(&rows), count: rows.len() })
    }

    /// The master key of an encrypted storage (derived once per session and checked against the
    /// storage's key check), or `None` for a plain one. The first time, the author is told
    /// about the envelope format.
    fn key(
        &mut self,
        front: &mut dyn FrontEnd,
        info: &StorageInfo,
    ) -> Result<Option<Arc<MasterKey>>, PublishError> {
        let Some(enc) = &info.encryption else { return Ok(None) };
        let key = self.keys.key(&self.config.id, enc, &front.passphrase()?)?;
        if !self.config.envelope_warning_shown {
            front.envelope_notice();
            self.config.envelope_warning_shown = true;
        }
        Ok(Some(key))
    }

    /// The password of a protected map, or `None` for an unprotected one.
    fn password(&self, front: &mut dyn FrontEnd, map: &MapInfo) -> Result<Option<Secret>, PublishError> {
        if map.protected { front.map_password(map) } else { Ok(None) }
    }
}

/// The map as the JSVG document that is uploaded: map data only (area ids, titles, bounding
/// boxes and the sanitised SVG), never report values, named `name`, exported with `export`.
fn jsvg(map: &Map, name: &str, export: &ExportOptions) -> Vec<u8> {
    let (jsvg, _) = export_jsvg(map, export, None, &JsvgHeader::new(name));
    serde_json::to_vec(&jsvg).expect("JSVG serialises")
}

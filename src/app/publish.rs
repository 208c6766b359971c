//! The Publish panel's My Storage part: the configured storages, quota and encryption state,
//! the stored maps, upload with progress and cancel, replace with conflict handling, rename,
//! protect, delete, download and open, map URLs, and the network log. Every request runs on a
//! background [`Job`]. The Azure part is in `publish_azure`.

use std::path::PathBuf;

use super::job::{Job, status_ui};
use super::publish_azure::AzurePanel;
use super::secrets::SessionSecrets;
use crate::fsutil::write_atomic;
use crate::model::Map;
use crate::storage::config::{Settings, StorageConfig};
use crate::storage::contract::{MapInfo, StorageInfo};
use crate::storage::credentials::Account;
use crate::storage::mystorage::{MyStorage, PasswordChange};
use crate::storage::netlog::NetLog;
use crate::storage::publish::{KeyCache, check_pinned, prepare, unwrap};
use crate::storage::transport::{Transfer, Transport, TransportOptions};
use crate::storage::urls::urls_csv;
use crate::storage::{PublishError, Secret};
use crate::svg::ExportOptions;
use crate::svg::jsvg::{JsvgHeader, export_jsvg};

/// What a background request reports back.
enum Outcome {
    /// Fresh storage info and map list.
    Listed(Box<StorageInfo>, Vec<MapInfo>),
    /// An operation finished; the message says what happened.
    Done(String),
    /// A map was downloaded to this file, to be opened.
    Downloaded(PathBuf, String),
    /// Text for the clipboard.
    Clipboard(String, String),
    /// A replace met a map changed elsewhere.
    Conflict(Box<MapInfo>),
    /// It failed.
    Failed(String),
}

/// An operation on the open map or a stored one.
enum Op {
    Refresh,
    Upload { name: String },
    Replace { current: MapInfo },
    Rename { current: MapInfo, name: String },
    Protect { current: MapInfo, change: PasswordChange },
    Delete { current: MapInfo },
    Download { current: MapInfo },
    Urls,
}

/// The Publish panel's state.
pub struct PublishPanel {
    settings: Result<Settings, String>,
    downloads: PathBuf,
    storage: usize,
    edit_key: String,
    passphrase: String,
    map_password: String,
    new_password: String,
    secrets: SessionSecrets,
    keys: KeyCache,
    log: NetLog,
    info: Option<StorageInfo>,
    maps: Vec<MapInfo>,
    selected: Option<usize>,
    name: String,
    rename_to: String,
    job: Option<Job<Outcome>>,
    message: Option<Result<String, String>>,
    conflict: Option<MapInfo>,
    confirm_delete: Option<MapInfo>,
    refresh: bool,
    azure: AzurePanel,
}

impl PublishPanel {
    /// A panel over these settings (normally [`Settings::load`]); downloaded maps are written
    /// to `downloads`.
    pub fn new(settings: Result<Settings, String>, downloads: PathBuf) -> Self {
        let log = NetLog::default();
        let secrets = SessionSecrets::default();
        PublishPanel {
            azure: AzurePanel::new(log.clone(), secrets.clone()),
            settings,
            downloads,
            storage: 0,
            edit_key: String::new(),
            passphrase: String::new(),
            map_password: String::new(),
            new_password: String::new(),
            secrets,
            keys: KeyCache::default(),
            log,
            info: None,
            maps: Vec::new(),
            selected: None,
            name: String::new(),
            rename_to: String::new(),
            job: None,
            message: None,
            conflict: None,
            confirm_delete: None,
            refresh: false,
        }
    }

    /// Draws the panel; `map` is the open map (uploads send it) and `map_name` its default name.
    /// Returns a downloaded map to open.
    pub fn ui(&mut self, ui: &mut egui::Ui, map: Option<&Map>, map_name: &str) -> Option<PathBuf> {
        let open = self.poll(ui.ctx());
        ui.heading("Publish");
        let settings = match &self.settings {
            Ok(s) => s.clone(),
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
                return None;
            }
        };
        if settings.offline {
            ui.label("Offline mode is on: nothing is sent. Turn it off with `synmap publish offline off`.");
            return None;
        }
        egui::CollapsingHeader::new("My Storage").default_open(true).show(ui, |ui| {
            self.storage_ui(ui, &settings, map, map_name);
        });
        egui::CollapsingHeader::new("Azure Blob Storage").show(ui, |ui| {
            self.azure.ui(ui, &settings, map, map_name);
        });
        egui::CollapsingHeader::new("Network log").show(ui, |ui| {
            let entries = self.log.entries();
            if entries.is_empty() {
                ui.label("Nothing has been sent.");
            }
            for e in entries.iter().rev().take(200) {
                ui.label(egui::RichText::new(e.to_string()).monospace().small());
            }
        });
        open
    }

    fn storage_ui(&mut self, ui: &mut egui::Ui, settings: &Settings, map: Option<&Map>, map_name: &str) {
        if settings.storages.is_empty() {
            ui.label(
                "No storage is configured. Configure one with:\n\
                 synmap publish mystorage configure --region eu --storage <id>",
            );
            return;
        }
        ui.label("The My Storage protocol follows the storage's documented behaviour, not a published API.");
        self.storage = self.storage.min(settings.storages.len() - 1);
        let before = self.storage;
        egui::ComboBox::from_label("Storage").selected_text(&settings.storages[self.storage].id).show_ui(
            ui,
            |ui| {
                for (i, s) in settings.storages.iter().enumerate() {
                    ui.selectable_value(&mut self.storage, i, &s.id);
                }
            },
        );
        if before != self.storage {
            self.info = None;
            self.maps.clear();
            self.selected = None;
            self.message = None;
        }
        let config = settings.storages[self.storage].clone();
        if self.secrets.get(&Account::EditKey(config.id.clone())).is_none() {
            let label = ui.label("Edit Key of the storage");
            ui.add(egui::TextEdit::singleline(&mut self.edit_key).password(true)).labelled_by(label.id);
            self.secrets.remember_checkbox(ui);
            if ui.button("Connect").clicked() && !self.edit_key.is_empty() {
                let secret = Secret::new(std::mem::take(&mut self.edit_key));
                if let Err(e) = self.secrets.keep(Account::EditKey(config.id.clone()), secret) {
                    self.message = Some(Err(e));
                }
                self.start(ui.ctx(), Op::Refresh, map);
            }
            status_ui(ui, &self.message);
            return;
        }
        if self.job.is_none() && (self.refresh || (self.info.is_none() && self.message.is_none())) {
            self.refresh = false;
            self.start(ui.ctx(), Op::Refresh, map);
        }
        if let Some(info) = &self.info {
            info_ui(ui, info);
        }
        ui.separator();
        if self.name.is_empty() {
            self.name = map_name.to_string();
        }
        ui.horizontal(|ui| {
            let label = ui.label("Map name");
            ui.text_edit_singleline(&mut self.name).labelled_by(label.id);
        });
        let encrypted = self.info.as_ref().is_some_and(|i| i.encryption.is_some());
        if encrypted && self.secrets.get(&Account::Passphrase(config.id.clone())).is_none() {
            let label = ui.label("Encryption passphrase");
            ui.add(egui::TextEdit::singleline(&mut self.passphrase).password(true)).labelled_by(label.id);
        }
        ui.add_enabled_ui(self.job.is_none() && map.is_some(), |ui| {
            if ui.button("Upload the open map").clicked() {
                self.take_passphrase(&config.id);
                self.start(ui.ctx(), Op::Upload { name: self.name.clone() }, map);
            }
        });
        if let Some(job) = &self.job {
            job.ui(ui);
        }
        status_ui(ui, &self.message);
        self.conflict_ui(ui, map);
        self.maps_ui(ui, map, &config);
    }

    fn maps_ui(&mut self, ui: &mut egui::Ui, map: Option<&Map>, config: &StorageConfig) {
        ui.separator();
        let idle = self.job.is_none();
        ui.horizontal(|ui| {
            ui.label(format!("{} stored map(s)", self.maps.len()));
            if ui.add_enabled(idle, egui::Button::new("Refresh")).clicked() {
                self.start(ui.ctx(), Op::Refresh, map);
            }
            if ui.add_enabled(idle, egui::Button::new("Copy all map URLs as CSV")).clicked() {
                self.start(ui.ctx(), Op::Urls, map);
            }
        });
        for (i, m) in self.maps.iter().enumerate() {
            let flags = match (m.protected, m.encrypted) {
                (true, true) => "  (protected, encrypted)",
                (true, false) => "  (protected)",
                (false, true) => "  (encrypted)",
                _ => "",
            };
            let row = ui.selectable_label(self.selected == Some(i), format!("{}{flags}", m.name));
            if row.on_hover_text(&m.id).clicked() {
                self.selected = Some(i);
                self.rename_to = m.name.clone();
            }
        }
        let Some(current) = self.selected.and_then(|i| self.maps.get(i)).cloned() else { return };
        ui.add_enabled_ui(idle, |ui| {
            if current.protected {
                let label = ui.label("Map password");
                ui.add(egui::TextEdit::singleline(&mut self.map_password).password(true))
                    .labelled_by(label.id);
            }
            ui.horizontal(|ui| {
                if ui.add_enabled(map.is_some(), egui::Button::new("Replace with the open map")).clicked() {
                    self.take_passphrase(&config.id);
                    self.start(ui.ctx(), Op::Replace { current: current.clone() }, map);
                }
                if ui.button("Download and open").clicked() {
                    self.take_passphrase(&config.id);
                    self.start(ui.ctx(), Op::Download { current: current.clone() }, map);
                }
                if ui.button("Copy URL").clicked()
                    && let (Some(info), Some(client)) = (&self.info, self.client())
                {
                    ui.ctx().copy_text(client.map_url(&info.read_key, &current));
                    self.message = Some(Ok("The map URL is on the clipboard".into()));
                }
            });
            ui.horizontal(|ui| {
                let label = ui.label("New name");
                ui.text_edit_singleline(&mut self.rename_to).labelled_by(label.id);
                if ui.button("Rename").clicked() {
                    self.start(
                        ui.ctx(),
                        Op::Rename { current: current.clone(), name: self.rename_to.clone() },
                        map,
                    );
                }
            });
            ui.horizontal(|ui| {
                let label = ui.label("New map password");
                ui.add(egui::TextEdit::singleline(&mut self.new_password).password(true))
                    .labelled_by(label.id);
                if ui.button("Protect").clicked() && !self.new_password.is_empty() {
                    let change = PasswordChange::Set(Secret::new(std::mem::take(&mut self.new_password)));
                    self.start(ui.ctx(), Op::Protect { current: current.clone(), change }, map);
                }
                if current.protected && ui.button("Unprotect").clicked() {
                    let op = Op::Protect { current: current.clone(), change: PasswordChange::Remove };
                    self.start(ui.ctx(), op, map);
                }
            });
            if ui.button("Delete…").clicked() {
                self.confirm_delete = Some(current.clone());
            }
        });
        if let Some(victim) = self.confirm_delete.clone() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("Delete \"{}\"? This cannot be undone.", victim.name),
            );
            ui.horizontal(|ui| {
                if ui.button("Delete permanently").clicked() {
                    self.confirm_delete = None;
                    self.start(ui.ctx(), Op::Delete { current: victim }, map);
                }
                if ui.button("Keep it").clicked() {
                    self.confirm_delete = None;
                }
            });
        }
    }

    fn conflict_ui(&mut self, ui: &mut egui::Ui, map: Option<&Map>) {
        let Some(current) = self.conflict.clone() else { return };
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "\"{}\" was changed elsewhere since it was loaded. Nothing was overwritten.",
                current.name
            ),
        );
        ui.horizontal(|ui| {
            if ui.button("Overwrite it (after reload)").clicked() {
                self.conflict = None;
                self.start(ui.ctx(), Op::Replace { current: current.clone() }, map);
            }
            if ui.button("Save mine as a copy").clicked() {
                self.conflict = None;
                self.start(ui.ctx(), Op::Upload { name: format!("{} (copy)", current.name) }, map);
            }
            if ui.button("Cancel").clicked() {
                self.conflict = None;
            }
        });
    }

    fn poll(&mut self, ctx: &egui::Context) -> Option<PathBuf> {
        let outcome = self.job.as_ref()?.poll()?;
        self.job = None;
        match outcome {
            Outcome::Listed(info, maps) => {
                self.info = Some(*info);
                self.maps = maps;
                self.selected = None;
                if self.message.is_none() {
                    self.message = Some(Ok(format!("{} map(s) in the storage", self.maps.len())));
                }
            }
            Outcome::Done(msg) => {
                self.message = Some(Ok(msg));
                self.refresh = true;
            }
            Outcome::Downloaded(path, name) => {
                self.message = Some(Ok(format!("Downloaded \"{name}\"")));
                return Some(path);
            }
            Outcome::Clipboard(text, msg) => {
                ctx.copy_text(text);
                self.message = Some(Ok(msg));
            }
            Outcome::Conflict(current) => {
                self.message = None;
                self.conflict = Some(*current);
            }
            Outcome::Failed(e) => self.message = Some(Err(e)),
        }
        None
    }

    fn take_passphrase(&mut self, storage_id: &str) {
        if !self.passphrase.is_empty() {
            let secret = Secret::new(std::mem::take(&mut self.passphrase));
            if let Err(e) = self.secrets.keep(Account::Passphrase(storage_id.to_string()), secret) {
                self.message = Some(Err(e));
            }
        }
    }

    fn config(&self) -> Option<StorageConfig> {
        self.settings.as_ref().ok()?.storages.get(self.storage).cloned()
    }

    fn client(&self) -> Option<MyStorage> {
        let settings = self.settings.as_ref().ok()?;
        let config = self.config()?;
        let key = self.secrets.get(&Account::EditKey(config.id.clone()))?;
        let options = TransportOptions { offline: settings.offline, ..TransportOptions::default() };
        MyStorage::new(Transport::new(options, self.log.clone()), &config.base_url, &config.id, key).ok()
    }

    /// Starts an operation on a background job.
    fn start(&mut self, ctx: &egui::Context, op: Op, map: Option<&Map>) {
        let (Some(client), Some(config)) = (self.client(), self.config()) else {
            self.message = Some(Err("Enter the storage's Edit Key first".into()));
            return;
        };
        let what = match &op {
            Op::Refresh => "Loading the storage…",
            Op::Upload { .. } => "Uploading…",
            Op::Replace { .. } => "Replacing…",
            Op::Rename { .. } => "Renaming…",
            Op::Protect { .. } => "Changing the password…",
            Op::Delete { .. } => "Deleting…",
            Op::Download { .. } => "Downloading…",
            Op::Urls => "Collecting map URLs…",
        };
        if !matches!(op, Op::Refresh) {
            self.message = None;
        }
        let task = Task {
            client,
            config: config.clone(),
            map: map.cloned(),
            passphrase: self.secrets.get(&Account::Passphrase(config.id)),
            password: (!self.map_password.is_empty()).then(|| Secret::new(self.map_password.clone())),
            keys: self.keys.clone(),
            downloads: self.downloads.clone(),
        };
        self.job = Some(Job::spawn(
            ctx,
            what,
            move |transfer| task.run(op, transfer).unwrap_or_else(|e| Outcome::Failed(e.to_string())),
            Outcome::Failed,
        ));
    }
}

fn info_ui(ui: &mut egui::Ui, info: &StorageInfo) {
    ui.label(format!("\"{}\" (region {})", info.name, info.region));
    let fraction = info.quota.used as f32 / info.quota.limit.max(1) as f32;
    ui.add(egui::ProgressBar::new(fraction).text(format!(
        "Quota: {:.1} of {:.1} MiB used",
        info.quota.used as f64 / 1048576.0,
        info.quota.limit as f64 / 1048576.0
    )));
    ui.label(if info.encryption.is_some() {
        "Encryption: on. Maps are stored in synmap's own envelope format, which the Synoptic Panel \
         visual may not read."
    } else {
        "Encryption: off"
    });
}

/// Everything a background operation needs, moved to its thread.
struct Task {
    client: MyStorage,
    config: StorageConfig,
    map: Option<Map>,
    passphrase: Option<Secret>,
    password: Option<Secret>,
    keys: KeyCache,
    downloads: PathBuf,
}

impl Task {
    fn run(&self, op: Op, transfer: &Transfer) -> Result<Outcome, PublishError> {
        let client = &self.client;
        let info = client.info()?;
        if let Some(enc) = &info.encryption {
            check_pinned(enc, self.config.kdf.as_ref())?;
        }
        Ok(match op {
            Op::Refresh => Outcome::Listed(Box::new(info.clone()), client.list()?),
            Op::Upload { name } => {
                let created = client.create(&name, &self.content(&info, &name, None)?, transfer)?;
                Outcome::Done(format!("Uploaded \"{}\"", created.name))
            }
            Op::Replace { current } => {
                // "Overwrite after reload": always against the map's present ETag, never blind.
                let now = client.list()?.into_iter().find(|m| m.id == current.id).unwrap_or(current.clone());
                if now.etag != current.etag {
                    return Ok(Outcome::Conflict(Box::new(now)));
                }
                let content = self.content(&info, &now.name, Some(&now))?;
                match client.replace(&now, &content, self.password.as_ref(), transfer) {
                    Ok(m) => Outcome::Done(format!("Replaced \"{}\"", m.name)),
                    Err(PublishError::Conflict { current }) => Outcome::Conflict(current),
                    Err(e) => return Err(e),
                }
            }
            Op::Rename { current, name } => {
                let m = client.patch(&current, Some(&name), &PasswordChange::Keep, self.password.as_ref())?;
                Outcome::Done(format!("Renamed to \"{}\"", m.name))
            }
            Op::Protect { current, change } => {
                let m = client.patch(&current, None, &change, self.password.as_ref())?;
                Outcome::Done(format!(
                    "\"{}\" is {}",
                    m.name,
                    if m.protected { "protected" } else { "unprotected" }
                ))
            }
            Op::Delete { current } => {
                client.delete(&current, self.password.as_ref())?;
                Outcome::Done(format!("Deleted \"{}\"", current.name))
            }
            Op::Download { current } => {
                let down = client.download(&current.id, transfer)?;
                let key = match &info.encryption {
                    Some(enc)
                        if down.content_type.starts_with(crate::storage::crypto::ENVELOPE_CONTENT_TYPE) =>
                    {
                        Some(self.key(enc)?)
                    }
                    _ => None,
                };
                let jsvg = unwrap(&down.body, &down.content_type, &self.config.id, key.as_deref())?;
                // The decrypted map's own name is shown, so a swapped envelope is visible.
                let name = crate::storage::publish::validate_jsvg(&jsvg)?;
                let path = self.downloads.join(format!("{}.jsvg", current.id));
                std::fs::create_dir_all(&self.downloads)
                    .and_then(|()| write_atomic(&path, &jsvg))
                    .map_err(|e| PublishError::write(&path, e))?;
                Outcome::Downloaded(path, name)
            }
            Op::Urls => {
                let maps = client.list()?;
                let rows: Vec<(String, String)> =
                    maps.iter().map(|m| (m.name.clone(), client.map_url(&info.read_key, m))).collect();
                Outcome::Clipboard(urls_csv(&rows), format!("{} map URL(s) copied as CSV", rows.len()))
            }
        })
    }

    fn key(
        &self,
        enc: &crate::storage::crypto::EncryptionInfo,
    ) -> Result<std::sync::Arc<crate::storage::crypto::MasterKey>, PublishError> {
        let passphrase = self
            .passphrase
            .as_ref()
            .ok_or_else(|| PublishError::Usage("enter the encryption passphrase first".into()))?;
        Ok(self.keys.key(&self.config.id, &enc.kdf, passphrase)?)
    }

    fn content(
        &self,
        info: &StorageInfo,
        name: &str,
        replacing: Option<&MapInfo>,
    ) -> Result<crate::storage::mystorage::Content, PublishError> {
        let map = self.map.as_ref().ok_or_else(|| PublishError::Usage("no map is open".into()))?;
        let (jsvg, _) = export_jsvg(map, &ExportOptions::default(), None, &JsvgHeader::new(name));
        let jsvg = serde_json::to_vec(&jsvg).expect("JSVG serialises");
        let key = match &info.encryption {
            Some(enc) => Some(self.key(enc)?),
            None => None,
        };
        prepare(&jsvg, info, key.as_deref(), replacing)
    }
}

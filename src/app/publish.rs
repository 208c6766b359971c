//! The Publish panel: the configured My Storage storages, their quota and encryption state,
//! the stored maps, upload with progress and cancel, replace with conflict handling, rename,
//! delete, the map URL, and the network log. Every request runs on a background thread.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, channel};

use crate::model::Map;
use crate::storage::config::Settings;
use crate::storage::credentials::{self, Account};
use crate::storage::mystorage::{MapInfo, MyStorage, PasswordChange, StorageInfo};
use crate::storage::netlog::NetLog;
use crate::storage::publish::{KeyCache, check_pinned, prepare};
use crate::storage::transport::{Cancel, Transfer, Transport, TransportOptions};
use crate::storage::{PublishError, Secret};
use crate::svg::ExportOptions;
use crate::svg::jsvg::{JsvgHeader, export_jsvg};

/// What a background request reports back.
enum Outcome {
    /// Fresh storage info and map list.
    Listed(Box<StorageInfo>, Vec<MapInfo>),
    /// An operation finished; the message says what happened.
    Done(String),
    /// A replace met a map changed elsewhere.
    Conflict(Box<MapInfo>),
    /// It failed.
    Failed(String),
}

/// A request in flight.
struct Job {
    what: String,
    rx: Receiver<Outcome>,
    cancel: Cancel,
    progress: Arc<(AtomicU64, AtomicU64)>,
}

/// An operation on the open map or a stored one.
#[derive(Clone)]
enum Op {
    Refresh,
    Upload { name: String },
    Replace { current: MapInfo },
    Rename { current: MapInfo, name: String },
    Delete { current: MapInfo },
}

/// The Publish panel's state.
pub struct PublishPanel {
    settings: Result<Settings, String>,
    storage: usize,
    edit_key: String,
    passphrase: String,
    map_password: String,
    remember: bool,
    session_keys: Vec<(String, Secret)>,
    keys: KeyCache,
    log: NetLog,
    info: Option<StorageInfo>,
    maps: Vec<MapInfo>,
    selected: Option<usize>,
    name: String,
    rename_to: String,
    job: Option<Job>,
    message: Option<Result<String, String>>,
    conflict: Option<MapInfo>,
    confirm_delete: Option<MapInfo>,
    refresh: bool,
}

impl PublishPanel {
    /// A panel over these settings (normally [`Settings::load`]).
    pub fn new(settings: Result<Settings, String>) -> Self {
        PublishPanel {
            settings,
            storage: 0,
            edit_key: String::new(),
            passphrase: String::new(),
            map_password: String::new(),
            remember: true,
            session_keys: Vec::new(),
            keys: KeyCache::default(),
            log: NetLog::default(),
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
    pub fn ui(&mut self, ui: &mut egui::Ui, map: Option<&Map>, map_name: &str) {
        self.poll();
        ui.heading("Publish");
        let settings = match &self.settings {
            Ok(s) => s.clone(),
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
                return;
            }
        };
        if settings.offline {
            ui.label("Offline mode is on: nothing is sent. Turn it off with `synmap publish offline off`.");
            return;
        }
        if settings.storages.is_empty() {
            ui.label(
                "No My Storage storage is configured. Configure one with:\n\
                 synmap publish mystorage configure --region eu --storage <id>",
            );
            self.log_ui(ui);
            return;
        }
        self.storage = self.storage.min(settings.storages.len() - 1);
        let ids: Vec<String> = settings.storages.iter().map(|s| s.id.clone()).collect();
        let before = self.storage;
        egui::ComboBox::from_label("Storage").selected_text(&ids[self.storage]).show_ui(ui, |ui| {
            for (i, id) in ids.iter().enumerate() {
                ui.selectable_value(&mut self.storage, i, id);
            }
        });
        if before != self.storage {
            self.info = None;
            self.maps.clear();
            self.selected = None;
        }
        let storage_id = ids[self.storage].clone();
        if self.edit_key_for(&storage_id).is_none() {
            let label = ui.label("Edit Key of the storage");
            ui.add(egui::TextEdit::singleline(&mut self.edit_key).password(true)).labelled_by(label.id);
            ui.checkbox(&mut self.remember, "Remember in the OS keyring");
            if ui.button("Connect").clicked() && !self.edit_key.is_empty() {
                let secret = Secret::new(std::mem::take(&mut self.edit_key));
                self.keep(Account::EditKey(storage_id.clone()), secret);
                self.start(Op::Refresh, map);
            }
            self.status_ui(ui);
            return;
        }
        if self.job.is_none() && (self.refresh || (self.info.is_none() && self.message.is_none())) {
            self.refresh = false;
            self.start(Op::Refresh, map);
        }
        if let Some(info) = self.info.clone() {
            self.storage_ui(ui, &info);
        }
        ui.separator();
        if self.name.is_empty() {
            self.name = map_name.to_string();
        }
        ui.horizontal(|ui| {
            let label = ui.label("Map name");
            ui.text_edit_singleline(&mut self.name).labelled_by(label.id);
        });
        if self.info.as_ref().is_some_and(|i| i.encryption.is_some())
            && self.secret_for(&Account::Passphrase(storage_id.clone())).is_none()
        {
            let label = ui.label("Encryption passphrase");
            ui.add(egui::TextEdit::singleline(&mut self.passphrase).password(true)).labelled_by(label.id);
        }
        let busy = self.job.is_some();
        ui.add_enabled_ui(!busy && map.is_some(), |ui| {
            if ui.button("Upload the open map").clicked() {
                self.take_passphrase(&storage_id);
                self.start(Op::Upload { name: self.name.clone() }, map);
            }
        });
        self.job_ui(ui);
        self.status_ui(ui);
        self.conflict_ui(ui, map);
        self.maps_ui(ui, map);
        self.log_ui(ui);
    }

    fn storage_ui(&self, ui: &mut egui::Ui, info: &StorageInfo) {
        ui.label(format!("\"{}\" (region {})", info.name, info.region));
        let fraction = info.quota.used as f32 / info.quota.limit.max(1) as f32;
        ui.add(egui::ProgressBar::new(fraction).text(format!(
            "{:.1} of {:.1} MiB used",
            info.quota.used as f64 / 1048576.0,
            info.quota.limit as f64 / 1048576.0
        )));
        ui.label(if info.encryption.is_some() {
            "Encryption: on. Maps are stored in synmap's own envelope format, which the Synoptic Panel visual may not read."
        } else {
            "Encryption: off"
        });
    }

    fn maps_ui(&mut self, ui: &mut egui::Ui, map: Option<&Map>) {
        ui.separator();
        ui.horizontal(|ui| {
            ui.label(format!("{} stored map(s)", self.maps.len()));
            if ui.add_enabled(self.job.is_none(), egui::Button::new("Refresh")).clicked() {
                self.start(Op::Refresh, map);
            }
        });
        for (i, m) in self.maps.iter().enumerate() {
            let flags = match (m.protected, m.encrypted) {
                (true, true) => "  (protected, encrypted)",
                (true, false) => "  (protected)",
                (false, true) => "  (encrypted)",
                _ => "",
            };
            if ui
                .selectable_label(self.selected == Some(i), format!("{}{flags}", m.name))
                .on_hover_text(&m.id)
                .clicked()
            {
                self.selected = Some(i);
                self.rename_to = m.name.clone();
            }
        }
        let Some(current) = self.selected.and_then(|i| self.maps.get(i)).cloned() else { return };
        let idle = self.job.is_none();
        ui.add_enabled_ui(idle, |ui| {
            if current.protected {
                let label = ui.label("Map password");
                ui.add(egui::TextEdit::singleline(&mut self.map_password).password(true))
                    .labelled_by(label.id);
            }
            ui.horizontal(|ui| {
                if ui.add_enabled(map.is_some(), egui::Button::new("Replace with the open map")).clicked() {
                    let storage_id = current_storage(&self.settings, self.storage);
                    self.take_passphrase(&storage_id);
                    self.start(Op::Replace { current: current.clone() }, map);
                }
                if ui.button("Copy URL").clicked()
                    && let Some(info) = &self.info
                    && let Some(client) = self.client()
                {
                    ui.ctx().copy_text(client.map_url(&info.read_key, &current));
                    self.message = Some(Ok("The map URL is on the clipboard".into()));
                }
            });
            ui.horizontal(|ui| {
                let label = ui.label("New name");
                ui.text_edit_singleline(&mut self.rename_to).labelled_by(label.id);
                if ui.button("Rename").clicked() {
                    self.start(Op::Rename { current: current.clone(), name: self.rename_to.clone() }, map);
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
                    self.start(Op::Delete { current: victim }, map);
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
                self.start(Op::Replace { current: current.clone() }, map);
            }
            if ui.button("Save mine as a copy").clicked() {
                self.conflict = None;
                self.start(Op::Upload { name: format!("{} (copy)", current.name) }, map);
            }
            if ui.button("Cancel").clicked() {
                self.conflict = None;
            }
        });
    }

    fn job_ui(&mut self, ui: &mut egui::Ui) {
        let Some(job) = &self.job else { return };
        let done = job.progress.0.load(Ordering::Relaxed);
        let total = job.progress.1.load(Ordering::Relaxed);
        ui.horizontal(|ui| {
            let bar = if total > 0 { done as f32 / total as f32 } else { 0.0 };
            ui.add(egui::ProgressBar::new(bar).text(job.what.clone()).desired_width(200.0));
            if ui.button("Cancel").clicked() {
                job.cancel.cancel();
            }
        });
        ui.ctx().request_repaint_after(std::time::Duration::from_millis(100));
    }

    fn status_ui(&self, ui: &mut egui::Ui) {
        match &self.message {
            Some(Ok(m)) => {
                ui.label(m);
            }
            Some(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            None => {}
        }
    }

    fn log_ui(&self, ui: &mut egui::Ui) {
        egui::CollapsingHeader::new("Network log").show(ui, |ui| {
            let entries = self.log.entries();
            if entries.is_empty() {
                ui.label("Nothing has been sent.");
            }
            for e in entries.iter().rev().take(200) {
                ui.label(egui::RichText::new(e.to_string()).monospace().small());
            }
        });
    }

    fn poll(&mut self) {
        let Some(job) = &self.job else { return };
        let Ok(outcome) = job.rx.try_recv() else { return };
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
            Outcome::Conflict(current) => {
                self.message = None;
                self.conflict = Some(*current);
            }
            Outcome::Failed(e) => self.message = Some(Err(e)),
        }
    }

    fn edit_key_for(&self, storage_id: &str) -> Option<Secret> {
        self.secret_for(&Account::EditKey(storage_id.to_string()))
    }

    fn secret_for(&self, account: &Account) -> Option<Secret> {
        let name = account.name();
        if let Some((_, s)) = self.session_keys.iter().find(|(n, _)| *n == name) {
            return Some(s.clone());
        }
        credentials::use_platform_store().ok()?;
        credentials::get(account).ok().flatten()
    }

    fn keep(&mut self, account: Account, secret: Secret) {
        if self.remember
            && let Err(e) =
                credentials::use_platform_store().and_then(|()| credentials::set(&account, &secret))
        {
            self.message = Some(Err(format!("{e}. The key is kept for this session only.")));
        }
        self.session_keys.retain(|(n, _)| *n != account.name());
        self.session_keys.push((account.name(), secret));
    }

    fn take_passphrase(&mut self, storage_id: &str) {
        if !self.passphrase.is_empty() {
            let secret = Secret::new(std::mem::take(&mut self.passphrase));
            self.keep(Account::Passphrase(storage_id.to_string()), secret);
        }
    }

    fn client(&self) -> Option<MyStorage> {
        let settings = self.settings.as_ref().ok()?;
        let config = settings.storages.get(self.storage)?;
        let key = self.edit_key_for(&config.id)?;
        let transport = Transport::new(
            TransportOptions { offline: settings.offline, ..TransportOptions::default() },
            self.log.clone(),
        );
        MyStorage::new(transport, &config.base_url, &config.id, key).ok()
    }

    /// Starts an operation on a background thread.
    fn start(&mut self, op: Op, map: Option<&Map>) {
        let Some(client) = self.client() else {
            self.message = Some(Err("Enter the storage's Edit Key first".into()));
            return;
        };
        let config = current_config(&self.settings, self.storage);
        let passphrase = self.secret_for(&Account::Passphrase(config.id.clone()));
        let password = (!self.map_password.is_empty()).then(|| Secret::new(self.map_password.clone()));
        let keys = self.keys.clone();
        let map = map.cloned();
        let (tx, rx) = channel();
        let cancel = Cancel::default();
        let progress = Arc::new((AtomicU64::new(0), AtomicU64::new(0)));
        let is_refresh = matches!(op, Op::Refresh);
        let what = match &op {
            Op::Refresh => "Loading the storage…",
            Op::Upload { .. } => "Uploading…",
            Op::Replace { .. } => "Replacing…",
            Op::Rename { .. } => "Renaming…",
            Op::Delete { .. } => "Deleting…",
        }
        .to_string();
        let p = progress.clone();
        let transfer = Transfer {
            progress: Some(Arc::new(move |done, total| {
                p.0.store(done, Ordering::Relaxed);
                p.1.store(total, Ordering::Relaxed);
            })),
            cancel: cancel.clone(),
        };
        std::thread::spawn(move || {
            let outcome = run_op(&client, &config, op, map, passphrase, password, &keys, &transfer);
            let _ = tx.send(outcome);
        });
        if !is_refresh {
            self.message = None;
        }
        self.job = Some(Job { what, rx, cancel, progress });
    }
}

fn current_config(settings: &Result<Settings, String>, i: usize) -> crate::storage::config::StorageConfig {
    settings.as_ref().ok().and_then(|s| s.storages.get(i).cloned()).expect("a configured storage is selected")
}

fn current_storage(settings: &Result<Settings, String>, i: usize) -> String {
    current_config(settings, i).id
}

#[allow(clippy::too_many_arguments)]
fn run_op(
    client: &MyStorage,
    config: &crate::storage::config::StorageConfig,
    op: Op,
    map: Option<Map>,
    passphrase: Option<Secret>,
    password: Option<Secret>,
    keys: &KeyCache,
    transfer: &Transfer,
) -> Outcome {
    let result = (|| -> Result<Outcome, PublishError> {
        let info = client.info()?;
        if let Some(enc) = &info.encryption {
            check_pinned(enc, config.kdf.as_ref())?;
        }
        let content_for = |name: &str, replacing: Option<&MapInfo>| -> Result<_, PublishError> {
            let map = map.as_ref().ok_or_else(|| PublishError::Usage("no map is open".into()))?;
            let (jsvg, _) = export_jsvg(map, &ExportOptions::default(), None, &JsvgHeader::new(name));
            let jsvg = serde_json::to_vec(&jsvg).expect("JSVG serialises");
            let key = match (&info.encryption, &passphrase) {
                (Some(enc), Some(p)) => Some(keys.key(&config.id, &enc.kdf, p)?),
                (Some(_), None) => {
                    return Err(PublishError::Usage("enter the encryption passphrase to upload".into()));
                }
                (None, _) => None,
            };
            prepare(&jsvg, &info, key.as_deref(), replacing)
        };
        Ok(match op {
            Op::Refresh => Outcome::Listed(Box::new(info.clone()), client.list()?),
            Op::Upload { name } => {
                let created = client.create(&name, &content_for(&name, None)?, transfer)?;
                Outcome::Done(format!("Uploaded \"{}\"", created.name))
            }
            Op::Replace { current } => {
                // "Overwrite after reload": always against the map's present ETag.
                let now = client.list()?.into_iter().find(|m| m.id == current.id).unwrap_or(current.clone());
                if now.etag != current.etag {
                    return Ok(Outcome::Conflict(Box::new(now)));
                }
                let content = content_for(&now.name, Some(&now))?;
                match client.replace(&now, &content, password.as_ref(), transfer) {
                    Ok(m) => Outcome::Done(format!("Replaced \"{}\"", m.name)),
                    Err(PublishError::Conflict { current }) => Outcome::Conflict(current),
                    Err(e) => return Err(e),
                }
            }
            Op::Rename { current, name } => {
                let m = client.patch(&current, Some(&name), &PasswordChange::Keep, password.as_ref())?;
                Outcome::Done(format!("Renamed to \"{}\"", m.name))
            }
            Op::Delete { current } => {
                client.delete(&current, password.as_ref())?;
                Outcome::Done(format!("Deleted \"{}\"", current.name))
            }
        })
    })();
    result.unwrap_or_else(|e| Outcome::Failed(e.to_string()))
}

//! The Publish panel's My Storage part: the configured storages, quota and encryption state,
//! the stored maps, upload with progress and cancel, replace with conflict handling, rename,
//! protect, delete, download and open, map URLs, and the network log. Every request runs on a
//! background [`Job`]. The Azure part is in `publish_azure`.

use std::path::PathBuf;

use super::job::{Job, Status, status_ui};
use super::publish_azure::AzurePanel;
use super::publish_setup::Setup;
use super::secrets::SessionSecrets;
use crate::fsutil::write_atomic;
use crate::model::Map;
use crate::storage::config::{Settings, StorageConfig};
use crate::storage::content::KeyCache;
use crate::storage::contract::{MapInfo, StorageInfo};
use crate::storage::credentials::Account;
use crate::storage::netlog::NetLog;
use crate::storage::publish::{FrontEnd, Publisher};
use crate::storage::transport::{Transfer, Transport, TransportOptions};
use crate::storage::{PublishError, Secret};
use crate::svg::ExportOptions;

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
    /// A replace would make these areas' ids vanish from the stored map: nothing was replaced.
    Vanishing(Box<MapInfo>, Box<crate::diff::MapDiff>),
    /// It failed.
    Failed(String),
}

/// What a background request hands back: its outcome, and the storage's settings as the
/// workflow left them.
struct Report {
    outcome: Outcome,
    config: Option<StorageConfig>,
}

/// An operation on the open map or a stored one.
enum Op {
    Refresh,
    Upload { name: String },
    Replace { current: MapInfo, accept_removed: bool },
    Rename { current: MapInfo, name: String },
    Protect { current: MapInfo, password: Secret },
    Unprotect { current: MapInfo },
    Delete { current: MapInfo },
    Download { current: MapInfo },
    Urls,
}

/// The Publish panel's state.
pub struct PublishPanel {
    settings: Result<Settings, PublishError>,
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
    job: Option<Job<Report>>,
    message: Option<Status>,
    conflict: Option<MapInfo>,
    /// A replace held back: the stored map, and the areas whose ids would vanish.
    vanishing: Option<(MapInfo, crate::diff::MapDiff)>,
    confirm_delete: Option<MapInfo>,
    refresh: bool,
    azure: AzurePanel,
    setup: Setup,
    /// Publish the map in its shortest form, as the Export dialog does by default.
    optimise: bool,
}

impl PublishPanel {
    /// A panel over these settings (normally [`Settings::load`]), which it writes back to
    /// `settings_path` when the author sets something up; downloaded maps are written to
    /// `downloads`.
    pub fn new(
        settings: Result<Settings, PublishError>,
        settings_path: Option<PathBuf>,
        downloads: PathBuf,
    ) -> Self {
        let log = NetLog::default();
        let secrets = SessionSecrets::default();
        PublishPanel {
            azure: AzurePanel::new(log.clone(), secrets.clone()),
            setup: Setup::new(settings_path, log.clone(), secrets.clone()),
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
            vanishing: None,
            confirm_delete: None,
            refresh: false,
            optimise: true,
        }
    }

    /// Draws the panel; `map` is the open map (uploads send it) and `map_name` its default name.
    /// Returns a downloaded map to open.
    pub fn ui(&mut self, ui: &mut egui::Ui, map: Option<&Map>, map_name: &str) -> Option<PathBuf> {
        let open = self.poll(ui.ctx());
        ui.heading("Publish");
        let mut settings = match &self.settings {
            Ok(s) => s.clone(),
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e.to_string());
                return None;
            }
        };
        if let Some((new, status)) = self.setup.poll(&settings) {
            self.adopt(&settings, &new);
            self.message = Some(status);
            settings = new;
        }
        if let Some(new) = self.setup.offline_ui(ui, &settings) {
            self.adopt(&settings, &new);
            settings = new;
        }
        if settings.offline {
            ui.label("Offline mode is on: nothing is sent.");
            return None;
        }
        ui.checkbox(&mut self.optimise, "Optimise: the smallest map with the same picture")
            .on_hover_text("Publish the map as the Export dialog writes it with Optimise on (the default)");
        egui::CollapsingHeader::new("My Storage").default_open(true).show(ui, |ui| {
            self.storage_ui(ui, &settings, map, map_name);
        });
        egui::CollapsingHeader::new("Azure Blob Storage").show(ui, |ui| {
            self.azure.ui(ui, &settings, map, map_name, &self.export());
            let header = if settings.azure.is_empty() { "Add a target" } else { "Add another target" };
            let form = egui::CollapsingHeader::new(header).id_salt("add an Azure target");
            form.default_open(settings.azure.is_empty()).show(ui, |ui| {
                if let Some(new) = self.setup.azure_ui(ui, &settings) {
                    self.adopt(&settings, &new);
                }
            });
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

    /// Takes settings the author changed: a storage just added becomes the chosen one, and
    /// the chosen storage is loaded again (its encryption may just have been set up).
    fn adopt(&mut self, old: &Settings, new: &Settings) {
        if let Some(i) = new.storages.iter().position(|s| !old.storages.iter().any(|o| o.id == s.id)) {
            self.storage = i;
            self.forget_storage_state();
        }
        if new.storages != old.storages {
            self.refresh = true;
        }
        self.settings = Ok(new.clone());
    }

    fn forget_storage_state(&mut self) {
        self.info = None;
        self.maps.clear();
        self.selected = None;
        self.message = None;
    }

    fn storage_ui(&mut self, ui: &mut egui::Ui, settings: &Settings, map: Option<&Map>, map_name: &str) {
        if settings.storages.is_empty() {
            ui.label("No storage yet. Add one with its id and Edit Key (from My Storage's settings page):");
            self.setup.storage_ui(ui, settings);
            return;
        }
        self.storage_body(ui, settings, map, map_name);
        egui::CollapsingHeader::new("Add another storage").show(ui, |ui| {
            self.setup.storage_ui(ui, settings);
        });
    }

    fn storage_body(&mut self, ui: &mut egui::Ui, settings: &Settings, map: Option<&Map>, map_name: &str) {
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
            self.forget_storage_state();
        }
        let config = settings.storages[self.storage].clone();
        if self.secrets.get(&Account::EditKey(config.id.clone())).is_none() {
            let label = ui.label("Edit Key of the storage");
            ui.add(egui::TextEdit::singleline(&mut self.edit_key).password(true)).labelled_by(label.id);
            self.secrets.remember_checkbox(ui);
            if ui.button("Connect").clicked() && !self.edit_key.is_empty() {
                let secret = Secret::new(std::mem::take(&mut self.edit_key));
                if let Err(e) = self.secrets.keep(Account::EditKey(config.id.clone()), secret) {
                    self.message = Some(Status::Failed(e.to_string()));
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
            if info.encryption.is_none()
                && let Some(key) = self.secrets.get(&Account::EditKey(config.id.clone()))
            {
                egui::CollapsingHeader::new("Encrypt maps on this computer").show(ui, |ui| {
                    self.setup.encryption_ui(ui, settings, &config, key);
                });
            }
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
        self.vanishing_ui(ui, map);
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
                    self.start(
                        ui.ctx(),
                        Op::Replace { current: current.clone(), accept_removed: false },
                        map,
                    );
                }
                if ui.button("Download and open").clicked() {
                    self.take_passphrase(&config.id);
                    self.start(ui.ctx(), Op::Download { current: current.clone() }, map);
                }
                if ui.button("Copy URL").clicked()
                    && let (Some(info), Ok(publisher)) = (&self.info, self.publisher())
                {
                    ui.ctx().copy_text(publisher.map_url(info, &current));
                    self.message = Some(Status::Done("The map URL is on the clipboard".into()));
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
                    let password = Secret::new(std::mem::take(&mut self.new_password));
                    self.start(ui.ctx(), Op::Protect { current: current.clone(), password }, map);
                }
                if current.protected && ui.button("Unprotect").clicked() {
                    self.start(ui.ctx(), Op::Unprotect { current: current.clone() }, map);
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

    /// Asks before a replace that would make areas' ids vanish from the stored map, naming them.
    fn vanishing_ui(&mut self, ui: &mut egui::Ui, map: Option<&Map>) {
        let Some((current, diff)) = self.vanishing.clone() else { return };
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!(
                "Replacing \"{}\" would remove or rename areas the report's data binds to: {}. Nothing was replaced.",
                current.name,
                diff.vanishing()
            ),
        );
        ui.horizontal(|ui| {
            if ui.button("Replace anyway").clicked() {
                self.vanishing = None;
                self.start(ui.ctx(), Op::Replace { current: current.clone(), accept_removed: true }, map);
            }
            if ui.button("Keep the stored map").clicked() {
                self.vanishing = None;
            }
        });
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
                self.start(ui.ctx(), Op::Replace { current: current.clone(), accept_removed: false }, map);
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
        let Report { outcome, config } = self.job.as_ref()?.poll()?;
        self.job = None;
        // What the workflow learnt (key parameters pinned on first sight) is kept, as the CLI
        // keeps it.
        if let (Some(config), Ok(settings)) = (config, &self.settings)
            && settings.storages.iter().all(|s| *s != config)
            && let Some(new) = self.setup.save(settings, |s| s.upsert_storage(config))
        {
            self.settings = Ok(new);
        }
        match outcome {
            Outcome::Listed(info, maps) => {
                self.info = Some(*info);
                self.maps = maps;
                self.selected = None;
                if self.message.is_none() {
                    self.message = Some(Status::Done(format!("{} map(s) in the storage", self.maps.len())));
                }
            }
            Outcome::Done(msg) => {
                self.message = Some(Status::Done(msg));
                self.refresh = true;
            }
            Outcome::Downloaded(path, name) => {
                self.message = Some(Status::Done(format!("Downloaded \"{name}\"")));
                return Some(path);
            }
            Outcome::Clipboard(text, msg) => {
                ctx.copy_text(text);
                self.message = Some(Status::Done(msg));
            }
            Outcome::Conflict(current) => {
                self.message = None;
                self.conflict = Some(*current);
            }
            Outcome::Vanishing(current, diff) => {
                self.message = None;
                self.vanishing = Some((*current, *diff));
            }
            Outcome::Failed(e) => self.message = Some(Status::Failed(e)),
        }
        None
    }

    fn take_passphrase(&mut self, storage_id: &str) {
        if !self.passphrase.is_empty() {
            let secret = Secret::new(std::mem::take(&mut self.passphrase));
            if let Err(e) = self.secrets.keep(Account::Passphrase(storage_id.to_string()), secret) {
                self.message = Some(Status::Failed(e.to_string()));
            }
        }
    }

    fn config(&self) -> Option<StorageConfig> {
        self.settings.as_ref().ok()?.storages.get(self.storage).cloned()
    }

    /// The workflow for the chosen storage, or why there is none (no Edit Key yet, a base URL
    /// that cannot be used).
    fn publisher(&self) -> Result<Publisher, PublishError> {
        let settings = self.settings.as_ref().map_err(|e| PublishError::Local(e.to_string()))?;
        let config = self.config().ok_or_else(|| PublishError::Local("No storage is chosen".into()))?;
        let key = self
            .secrets
            .get(&Account::EditKey(config.id.clone()))
            .ok_or_else(|| PublishError::Local("Enter the storage's Edit Key first".into()))?;
        let options = TransportOptions { offline: settings.offline, ..TransportOptions::default() };
        let mut publisher =
            Publisher::new(Transport::new(options, self.log.clone()), config, key, self.keys.clone())?;
        publisher.set_export(self.export());
        Ok(publisher)
    }

    /// How maps are exported for publishing.
    fn export(&self) -> ExportOptions {
        ExportOptions { optimise: self.optimise, ..ExportOptions::default() }
    }

    /// Starts an operation on a background job.
    fn start(&mut self, ctx: &egui::Context, op: Op, map: Option<&Map>) {
        let publisher = match self.publisher() {
            Ok(publisher) => publisher,
            Err(e) => {
                self.message = Some(Status::Failed(e.to_string()));
                return;
            }
        };
        let what = match &op {
            Op::Refresh => "Loading the storage…",
            Op::Upload { .. } => "Uploading…",
            Op::Replace { .. } => "Replacing…",
            Op::Rename { .. } => "Renaming…",
            Op::Protect { .. } | Op::Unprotect { .. } => "Changing the password…",
            Op::Delete { .. } => "Deleting…",
            Op::Download { .. } => "Downloading…",
            Op::Urls => "Collecting map URLs…",
        };
        if !matches!(op, Op::Refresh) {
            self.message = None;
        }
        let typed = Typed {
            passphrase: self.secrets.get(&Account::Passphrase(publisher.config().id.clone())),
            password: (!self.map_password.is_empty()).then(|| Secret::new(self.map_password.clone())),
            new_password: None,
        };
        let task = Task { publisher, map: map.cloned(), typed, downloads: self.downloads.clone() };
        self.job = Some(Job::spawn(
            ctx,
            what,
            move |transfer| task.run(op, transfer),
            |e| Report { outcome: Outcome::Failed(e), config: None },
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
    publisher: Publisher,
    map: Option<Map>,
    typed: Typed,
    downloads: PathBuf,
}

impl Task {
    fn run(mut self, op: Op, transfer: &Transfer) -> Report {
        let outcome = self.outcome(op, transfer).unwrap_or_else(|e| Outcome::Failed(e.to_string()));
        Report { outcome, config: Some(self.publisher.config().clone()) }
    }

    fn outcome(&mut self, op: Op, transfer: &Transfer) -> Result<Outcome, PublishError> {
        let (publisher, typed) = (&mut self.publisher, &mut self.typed);
        Ok(match op {
            Op::Refresh => {
                let info = publisher.info()?;
                Outcome::Listed(Box::new(info), publisher.list()?)
            }
            Op::Upload { name } => {
                let uploaded = publisher.upload(typed, open_map(&self.map)?, &name, transfer)?;
                Outcome::Done(format!("Uploaded \"{}\"", uploaded.map.name))
            }
            Op::Replace { current, accept_removed } => {
                // "Overwrite after reload": against the ETag the author saw, never blind.
                let map = open_map(&self.map)?;
                match publisher.replace(
                    typed,
                    &current.id,
                    Some(&current.etag),
                    map,
                    accept_removed,
                    transfer,
                ) {
                    Ok((m, d)) => Outcome::Done(format!(
                        "Replaced \"{}\": {} added, {} removed, {} renamed, {} changed",
                        m.name,
                        d.added.len(),
                        d.removed.len(),
                        d.renamed.len(),
                        d.changed.len()
                    )),
                    Err(PublishError::Conflict { current }) => Outcome::Conflict(current),
                    Err(PublishError::IdsWouldVanish(d)) => Outcome::Vanishing(Box::new(current), d),
                    Err(e) => return Err(e),
                }
            }
            Op::Rename { current, name } => {
                let m = publisher.rename(typed, &current, &name)?;
                Outcome::Done(format!("Renamed to \"{}\"", m.name))
            }
            Op::Protect { current, password } => {
                typed.new_password = Some(password);
                let m = publisher.protect(typed, &current)?;
                Outcome::Done(format!("\"{}\" is protected", m.name))
            }
            Op::Unprotect { current } => {
                let m = publisher.unprotect(typed, &current)?;
                Outcome::Done(format!("\"{}\" is unprotected", m.name))
            }
            Op::Delete { current } => {
                publisher.delete(typed, &current)?;
                Outcome::Done(format!("Deleted \"{}\"", current.name))
            }
            Op::Download { current } => {
                let downloaded = publisher.download(typed, &current.id, transfer)?;
                let path = self.downloads.join(format!("{}.jsvg", current.id));
                std::fs::create_dir_all(&self.downloads)
                    .and_then(|()| write_atomic(&path, &downloaded.jsvg))
                    .map_err(|e| PublishError::write(&path, e))?;
                // The decrypted map's own name is shown, so a swapped envelope is visible.
                Outcome::Downloaded(path, downloaded.fields.name)
            }
            Op::Urls => {
                let urls = publisher.urls()?;
                Outcome::Clipboard(urls.csv, format!("{} map URL(s) copied as CSV", urls.count))
            }
        })
    }
}

/// The open map, which uploads and replaces send.
fn open_map(map: &Option<Map>) -> Result<&Map, PublishError> {
    map.as_ref().ok_or_else(|| PublishError::Usage("no map is open".into()))
}

/// The panel as the workflow's front end: the secrets the author typed before starting the
/// operation.
struct Typed {
    passphrase: Option<Secret>,
    password: Option<Secret>,
    new_password: Option<Secret>,
}

impl FrontEnd for Typed {
    fn passphrase(&mut self) -> Result<Secret, PublishError> {
        self.passphrase
            .clone()
            .ok_or_else(|| PublishError::Usage("enter the encryption passphrase first".into()))
    }

    fn map_password(&mut self, _map: &MapInfo) -> Result<Option<Secret>, PublishError> {
        Ok(self.password.clone())
    }

    fn new_map_password(&mut self, _map: &MapInfo) -> Result<Secret, PublishError> {
        self.new_password
            .clone()
            .ok_or_else(|| PublishError::Usage("enter the new map password first".into()))
    }

    /// Nothing to do: the panel shows the notice beside the storage's encryption state whenever
    /// encryption is on.
    fn envelope_notice(&mut self) {}
}

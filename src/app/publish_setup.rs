//! The Publish panel's set-up forms, so no terminal is needed: add a My Storage storage (region
//! or address, storage id, Edit Key, checked against the server before it is kept), set up a
//! storage's encryption (passphrase twice), add an Azure target (name and SAS URL), and switch
//! offline mode. The checks and messages are the CLI's (`storage::setup`); the secrets go to the
//! session and, when "Remember" is ticked, to the OS keyring; the rest to `settings.toml`, read
//! again before each write so the editor's recent maps and the CLI's changes are kept.

use std::path::PathBuf;

use super::job::{Job, Status, status_ui};
use super::secrets::SessionSecrets;
use super::words::sentence;
use crate::storage::Secret;
use crate::storage::config::{Settings, StorageConfig};
use crate::storage::content::KeyCache;
use crate::storage::contract::{Region, StorageInfo};
use crate::storage::credentials::Account;
use crate::storage::netlog::NetLog;
use crate::storage::publish::Publisher;
use crate::storage::setup::{self, ENVELOPE_WARNING};
use crate::storage::transport::{Transport, TransportOptions};

/// Where a new storage lives: one of the regions, or another address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Region(Region),
    Address,
}

impl Place {
    const ALL: [Place; 4] =
        [Place::Region(Region::Eu), Place::Region(Region::Us), Place::Region(Region::Au), Place::Address];

    fn label(self) -> &'static str {
        match self {
            Place::Region(Region::Eu) => "Europe",
            Place::Region(Region::Us) => "United States",
            Place::Region(Region::Au) => "Australia",
            Place::Address => "Another address",
        }
    }
}

/// What a set-up job reports back.
enum Done {
    /// The storage answered; its settings to keep and the Edit Key that opened it.
    Storage(Box<StorageInfo>, StorageConfig, Secret),
    /// Encryption is set up; the storage's new settings and the passphrase.
    Encryption(StorageConfig, Secret),
    Failed(String),
}

/// The set-up forms' state.
pub struct Setup {
    path: Option<PathBuf>,
    log: NetLog,
    secrets: SessionSecrets,
    place: Place,
    address: String,
    storage_id: String,
    edit_key: String,
    passphrase: String,
    passphrase_again: String,
    target_name: String,
    sas_url: String,
    job: Option<Job<Done>>,
    message: Option<Status>,
}

impl Setup {
    /// Forms that write settings to `path` (`None`: for this session only), send requests
    /// recorded in `log`, and keep secrets in `secrets`.
    pub fn new(path: Option<PathBuf>, log: NetLog, secrets: SessionSecrets) -> Self {
        Setup {
            path,
            log,
            secrets,
            place: Place::Region(Region::Eu),
            address: String::new(),
            storage_id: String::new(),
            edit_key: String::new(),
            passphrase: String::new(),
            passphrase_again: String::new(),
            target_name: String::new(),
            sas_url: String::new(),
            job: None,
            message: None,
        }
    }

    /// Takes a finished job's result: the settings as changed and what to tell the author, or
    /// `None` (a failure is shown by the form).
    pub fn poll(&mut self, settings: &Settings) -> Option<(Settings, Status)> {
        let done = self.job.as_ref()?.poll()?;
        self.job = None;
        let (config, account, secret, said) = match done {
            Done::Storage(info, config, edit_key) => {
                self.edit_key.clear();
                self.storage_id.clear();
                let account = Account::EditKey(config.id.clone());
                (config, account, edit_key, format!("Storage \"{}\" added.", info.name))
            }
            Done::Encryption(config, passphrase) => {
                self.passphrase.clear();
                self.passphrase_again.clear();
                let account = Account::Passphrase(config.id.clone());
                (config, account, passphrase, format!("Encryption is set up. {}", warning()))
            }
            Done::Failed(e) => {
                self.message = Some(Status::Failed(e));
                return None;
            }
        };
        self.message = None;
        let changed = self.save(settings, |s| s.upsert_storage(config))?;
        let status = match self.secrets.keep(account, secret) {
            Ok(()) => Status::Done(said),
            Err(e) => Status::Failed(format!("{said} {e}")),
        };
        Some((changed, status))
    }

    /// The offline switch; returns the settings when it was flipped.
    pub fn offline_ui(&mut self, ui: &mut egui::Ui, settings: &Settings) -> Option<Settings> {
        let mut offline = settings.offline;
        let tip = "Offline: nothing is sent, not even to configured storages.";
        if ui.checkbox(&mut offline, "Offline mode").on_hover_text(tip).changed() {
            return self.save(settings, |s| s.offline = offline);
        }
        None
    }

    /// The "add a storage" form.
    pub fn storage_ui(&mut self, ui: &mut egui::Ui, settings: &Settings) {
        egui::ComboBox::from_label("Region").selected_text(self.place.label()).show_ui(ui, |ui| {
            for place in Place::ALL {
                ui.selectable_value(&mut self.place, place, place.label());
            }
        });
        if self.place == Place::Address {
            let label = ui.label("Storage address (https://…)");
            ui.text_edit_singleline(&mut self.address).labelled_by(label.id);
        }
        let label = ui.label("Storage id");
        ui.text_edit_singleline(&mut self.storage_id).labelled_by(label.id);
        let label = ui.label("Edit Key");
        ui.add(egui::TextEdit::singleline(&mut self.edit_key).password(true)).labelled_by(label.id);
        self.secrets.remember_checkbox(ui);
        let ready = !self.storage_id.trim().is_empty() && !self.edit_key.is_empty() && self.job.is_none();
        if ui.add_enabled(ready, egui::Button::new("Add storage")).clicked() {
            let base_url = match self.place {
                Place::Region(r) => r.base_url().to_string(),
                Place::Address => self.address.trim().to_string(),
            };
            let (transport, id) = (self.transport(settings), self.storage_id.trim().to_string());
            let (edit_key, mut scratch) = (Secret::new(self.edit_key.clone()), settings.clone());
            self.message = None;
            self.job = Some(Job::spawn(
                ui.ctx(),
                "Checking the storage…",
                move |_| {
                    let added =
                        setup::add_storage(&mut scratch, &transport, &id, &base_url, edit_key.clone());
                    let config = scratch.storages.into_iter().find(|s| s.id == id);
                    match (added, config) {
                        (Ok(info), Some(config)) => Done::Storage(Box::new(info), config, edit_key),
                        (Err(e), _) => Done::Failed(sentence(&e.to_string())),
                        (Ok(_), None) => Done::Failed("the storage was not kept".into()),
                    }
                },
                Done::Failed,
            ));
        }
        self.progress_ui(ui);
    }

    /// The "set up encryption" form for a storage without encryption, opened with `edit_key`.
    pub fn encryption_ui(
        &mut self,
        ui: &mut egui::Ui,
        settings: &Settings,
        config: &StorageConfig,
        edit_key: Secret,
    ) {
        ui.label(
            "Maps uploaded after this are encrypted on this computer with a key made from the \
             passphrase. Without the passphrase they cannot be recovered.",
        );
        let label = ui.label("New passphrase");
        ui.add(egui::TextEdit::singleline(&mut self.passphrase).password(true)).labelled_by(label.id);
        let label = ui.label("New passphrase again");
        ui.add(egui::TextEdit::singleline(&mut self.passphrase_again).password(true)).labelled_by(label.id);
        let ready = !self.passphrase.is_empty() && self.job.is_none();
        if ui.add_enabled(ready, egui::Button::new("Set up encryption")).clicked() {
            let first = Secret::new(self.passphrase.clone());
            let passphrase = match setup::confirmed(first, &Secret::new(self.passphrase_again.clone())) {
                Ok(p) => p,
                Err(e) => {
                    self.message = Some(Status::Failed(sentence(&e.to_string())));
                    return;
                }
            };
            let (transport, mut config) = (self.transport(settings), config.clone());
            self.message = None;
            self.job = Some(Job::spawn(
                ui.ctx(),
                "Setting up encryption…",
                move |_| {
                    let publisher = Publisher::new(transport, config.clone(), edit_key, KeyCache::default());
                    let done =
                        publisher.and_then(|p| setup::setup_encryption(p.client(), &mut config, &passphrase));
                    match done {
                        Ok(()) => Done::Encryption(config, passphrase),
                        Err(e) => Done::Failed(sentence(&e.to_string())),
                    }
                },
                Done::Failed,
            ));
        }
        self.progress_ui(ui);
    }

    /// The "add an Azure target" form; returns the settings when a target was added.
    pub fn azure_ui(&mut self, ui: &mut egui::Ui, settings: &Settings) -> Option<Settings> {
        let label = ui.label("Target name");
        ui.text_edit_singleline(&mut self.target_name).labelled_by(label.id);
        let label = ui.label("Container SAS URL (needs write permission)");
        ui.add(egui::TextEdit::singleline(&mut self.sas_url).password(true)).labelled_by(label.id);
        self.secrets.remember_checkbox(ui);
        let ready = !self.target_name.trim().is_empty() && !self.sas_url.is_empty();
        let mut changed = None;
        if ui.add_enabled(ready, egui::Button::new("Add target")).clicked() {
            let secret = Secret::new(self.sas_url.clone());
            let mut scratch = settings.clone();
            match setup::add_azure_target(&mut scratch, &self.target_name, &secret) {
                Ok(target) => {
                    changed = self.save(settings, |s| {
                        s.azure.retain(|t| t.name != target.name);
                        s.azure.push(target.clone());
                    });
                    let kept = self.secrets.keep(Account::SasUrl(target.name.clone()), secret);
                    self.sas_url.clear();
                    self.target_name.clear();
                    self.message = Some(match kept {
                        Ok(()) => Status::Done(format!(
                            "Target \"{}\" added for {}",
                            target.name, target.container_url
                        )),
                        Err(e) => Status::Failed(format!("Target \"{}\" added. {e}", target.name)),
                    });
                }
                Err(e) => self.message = Some(Status::Failed(sentence(&e.to_string()))),
            }
        }
        status_ui(ui, &self.message);
        changed
    }

    fn progress_ui(&self, ui: &mut egui::Ui) {
        if let Some(job) = &self.job {
            job.ui(ui);
        }
        status_ui(ui, &self.message);
    }

    fn transport(&self, settings: &Settings) -> Transport {
        Transport::new(
            TransportOptions { offline: settings.offline, ..TransportOptions::default() },
            self.log.clone(),
        )
    }

    /// Applies `change` to the settings file as it is on disk now (keeping what others wrote),
    /// or, with no file, to the session's settings; says so when the file cannot be written.
    pub fn save(&mut self, current: &Settings, change: impl FnOnce(&mut Settings)) -> Option<Settings> {
        match &self.path {
            Some(path) => match Settings::update_at(path, change) {
                Ok(s) => Some(s),
                Err(e) => {
                    self.message = Some(Status::Failed(sentence(&e.to_string())));
                    None
                }
            },
            None => {
                let mut s = current.clone();
                change(&mut s);
                Some(s)
            }
        }
    }
}

/// The envelope warning as a sentence for the panel.
fn warning() -> String {
    sentence(ENVELOPE_WARNING.strip_prefix("note: ").unwrap_or(ENVELOPE_WARNING))
}

//! Non-secret publishing settings (configured storages and their pinned key parameters, Azure
//! targets, offline mode) in `settings.toml` in the platform's config directory. Secrets never
//! go here: they live in the OS keyring.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::crypto::KdfParams;
use super::error::PublishError;
use crate::fsutil::write_private;

/// Environment variable that moves the config directory (used by tests and portable setups).
pub const CONFIG_DIR_ENV: &str = "SYNMAP_CONFIG_DIR";

/// A configured My Storage storage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageConfig {
    /// Storage id (UUID).
    pub id: String,
    /// Base URL (a region's or a custom one).
    pub base_url: String,
    /// Key-derivation parameters seen when encryption was set up or first met; the client
    /// refuses if the server later reports others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kdf: Option<KdfParams>,
    /// The author has been told that envelopes are synmap's own format.
    #[serde(default)]
    pub envelope_warning_shown: bool,
}

/// A configured Azure Blob target (its SAS URL is in the keyring).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AzureTarget {
    /// The author's name for it.
    pub name: String,
    /// The container URL without the SAS query.
    pub container_url: String,
}

/// Everything in `settings.toml`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// When true, no network path is used.
    #[serde(default)]
    pub offline: bool,
    /// Configured storages.
    #[serde(default)]
    pub storages: Vec<StorageConfig>,
    /// Configured Azure targets.
    #[serde(default)]
    pub azure: Vec<AzureTarget>,
    /// Maps opened recently in the editor, most recent first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recent_files: Vec<PathBuf>,
}

impl Settings {
    /// The settings file's path.
    pub fn path() -> Result<PathBuf, PublishError> {
        if let Some(dir) = std::env::var_os(CONFIG_DIR_ENV) {
            return Ok(PathBuf::from(dir).join("settings.toml"));
        }
        directories::ProjectDirs::from("", "", "synmap")
            .map(|d| d.config_dir().join("settings.toml"))
            .ok_or_else(|| PublishError::Local("no home directory to keep settings in".into()))
    }

    /// Reads the settings; a missing file gives the defaults.
    pub fn load() -> Result<Settings, PublishError> {
        Settings::load_from(&Settings::path()?)
    }

    /// Reads the settings from a given file; a missing file gives the defaults.
    pub fn load_from(path: &std::path::Path) -> Result<Settings, PublishError> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text)
                .map_err(|e| PublishError::Local(format!("cannot read {}: {e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
            Err(e) => Err(PublishError::Local(format!("cannot read {}: {e}", path.display()))),
        }
    }

    /// Writes the settings atomically.
    pub fn save(&self) -> Result<(), PublishError> {
        self.save_to(&Settings::path()?)
    }

    /// Writes the settings atomically to a given file.
    pub fn save_to(&self, path: &std::path::Path) -> Result<(), PublishError> {
        let fail = |e| PublishError::write(path, e);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let text = toml::to_string_pretty(self).expect("settings serialise");
        write_private(path, text.as_bytes()).map_err(fail)
    }

    /// Reads the file at `path`, applies `change` and writes it back, so writers that each
    /// change a part (the editor's recent maps, the Publish panel's storages, the CLI) keep
    /// what the others wrote. Returns the settings as written.
    pub fn update_at(
        path: &std::path::Path,
        change: impl FnOnce(&mut Settings),
    ) -> Result<Settings, PublishError> {
        // Writers in this process take turns (the editor writes its recent maps in the
        // background).
        static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _turn = TURN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut settings = Settings::load_from(path)?;
        change(&mut settings);
        settings.save_to(path)?;
        Ok(settings)
    }

    /// Adds or replaces a storage's settings.
    pub fn upsert_storage(&mut self, storage: StorageConfig) {
        match self.storages.iter_mut().find(|s| s.id == storage.id) {
            Some(s) => *s = storage,
            None => self.storages.push(storage),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_through_toml() {
        let s = Settings {
            offline: true,
            storages: vec![StorageConfig {
                id: "3f2b8c1e-5d4a-4f6b-9e7c-1a2b3c4d5e6f".into(),
                base_url: "https://eu.synopticpanel-api.okviz.com".into(),
                kdf: None,
                envelope_warning_shown: false,
            }],
            azure: vec![AzureTarget {
                name: "site".into(),
                container_url: "https://a.blob.core.windows.net/maps".into(),
            }],
            recent_files: vec![PathBuf::from("/tmp/plan.svg")],
        };
        let text = toml::to_string_pretty(&s).unwrap();
        assert_eq!(toml::from_str::<Settings>(&text).unwrap(), s);
        assert_eq!(toml::from_str::<Settings>("").unwrap(), Settings::default());
    }
}

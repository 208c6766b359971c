//! Secrets the editor holds for this session, in front of the OS keyring: an entered Edit Key,
//! passphrase or SAS URL is kept in memory (wiped on exit) and, when the author ticks
//! "Remember", stored in the keyring too.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::words::sentence;
use crate::storage::Secret;
use crate::storage::credentials::{self, Account, KeyringError};

/// The keyring could not take a secret; it still serves this session.
#[derive(Debug)]
pub struct SessionOnly(KeyringError);

impl std::fmt::Display for SessionOnly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            // That message says already that the secret serves this session only.
            KeyringError::Unavailable(_) => f.write_str(&sentence(&self.0.to_string())),
            KeyringError::Failed(_) => {
                write!(f, "{} It is kept for this session only.", sentence(&self.0.to_string()))
            }
        }
    }
}

impl std::error::Error for SessionOnly {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// Session secrets shared by the publishing panels (cheap to clone).
#[derive(Clone)]
pub struct SessionSecrets {
    entries: Arc<Mutex<Vec<(String, Secret)>>>,
    remember: Arc<AtomicBool>,
}

impl Default for SessionSecrets {
    fn default() -> Self {
        SessionSecrets { entries: Arc::default(), remember: Arc::new(AtomicBool::new(true)) }
    }
}

impl SessionSecrets {
    /// The secret for `account`: entered this session, or else from the keyring.
    pub fn get(&self, account: &Account) -> Option<Secret> {
        let name = account.name();
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, s)) = entries.iter().find(|(n, _)| *n == name) {
            return Some(s.clone());
        }
        drop(entries);
        credentials::use_platform_store().ok()?;
        credentials::get(account).ok().flatten()
    }

    /// Keeps a secret for the session and, if "Remember" is ticked, in the keyring. When the
    /// keyring cannot take it, says why; the secret still serves this session.
    pub fn keep(&self, account: Account, secret: Secret) -> Result<(), SessionOnly> {
        let result = if self.remember.load(Ordering::Relaxed) {
            credentials::use_platform_store().and_then(|()| credentials::set(&account, &secret))
        } else {
            Ok(())
        };
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.retain(|(n, _)| *n != account.name());
        entries.push((account.name(), secret));
        result.map_err(SessionOnly)
    }

    /// The "Remember in the OS keyring" checkbox.
    pub fn remember_checkbox(&self, ui: &mut egui::Ui) {
        let mut remember = self.remember.load(Ordering::Relaxed);
        if ui.checkbox(&mut remember, "Remember in the OS keyring").changed() {
            self.remember.store(remember, Ordering::Relaxed);
        }
    }
}

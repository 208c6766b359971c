//! Credentials in the OS keyring (Secret Service, Keychain, Credential Manager): one entry per
//! secret under the service `synmap`. Nothing else in synmap stores a secret.

use super::secret::Secret;

/// The keyring service every synmap entry is filed under.
pub const SERVICE: &str = "synmap";

/// Which secret an entry holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Account {
    /// The Edit Key of a My Storage storage (by storage id).
    EditKey(String),
    /// The encryption passphrase of a My Storage storage (by storage id).
    Passphrase(String),
    /// The container SAS URL of an Azure hosting target (by target name).
    SasUrl(String),
}

impl Account {
    /// The entry's account name, e.g. `mystorage/<storage id>/edit-key`.
    pub fn name(&self) -> String {
        match self {
            Account::EditKey(s) => format!("mystorage/{s}/edit-key"),
            Account::Passphrase(s) => format!("mystorage/{s}/passphrase"),
            Account::SasUrl(t) => format!("azure/{t}/sas-url"),
        }
    }

    /// What the entry holds, for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Account::EditKey(_) => "Edit Key",
            Account::Passphrase(_) => "encryption passphrase",
            Account::SasUrl(_) => "SAS URL",
        }
    }
}

/// Why the keyring could not be used. Messages never contain a secret.
#[derive(Debug, thiserror::Error)]
pub enum KeyringError {
    /// No keyring can be reached (e.g. a headless Linux session without a Secret Service).
    #[error(
        "no OS keyring is available ({0}); on Linux a Secret Service such as gnome-keyring must be running. \
         The credential can be used for this session only"
    )]
    Unavailable(String),
    /// The keyring answered with an error.
    #[error("the OS keyring refused the request: {0}")]
    Failed(String),
}

fn classify(e: keyring_core::Error) -> KeyringError {
    use keyring_core::Error as E;
    match e {
        E::NoDefaultStore => KeyringError::Unavailable("no credential store".into()),
        E::NoStorageAccess(err) | E::PlatformFailure(err) => KeyringError::Unavailable(err.to_string()),
        // These variants can carry the stored bytes; only their kind is reported.
        E::BadEncoding(_) | E::BadDataFormat(..) => {
            KeyringError::Failed("the stored value is malformed".into())
        }
        other => KeyringError::Failed(other.to_string()),
    }
}

/// Makes the platform's keyring the store for this process (once). Tests that use
/// `keyring_core`'s mock store set it themselves and do not call this.
pub fn use_platform_store() -> Result<(), KeyringError> {
    if keyring_core::get_default_store().is_some() {
        return Ok(());
    }
    match keyring::Entry::store_status() {
        Ok(()) => Ok(()),
        Err(e) => Err(KeyringError::Unavailable(e.to_string())),
    }
}

fn entry(account: &Account) -> Result<keyring_core::Entry, KeyringError> {
    keyring_core::Entry::new(SERVICE, &account.name()).map_err(classify)
}

/// Reads a secret; `Ok(None)` when there is no such entry.
pub fn get(account: &Account) -> Result<Option<Secret>, KeyringError> {
    match entry(account)?.get_password() {
        Ok(value) => Ok(Some(Secret::new(value))),
        Err(keyring_core::Error::NoEntry) => Ok(None),
        Err(e) => Err(classify(e)),
    }
}

/// Stores a secret, replacing any previous value.
pub fn set(account: &Account, secret: &Secret) -> Result<(), KeyringError> {
    entry(account)?.set_password(secret.expose()).map_err(classify)
}

/// Removes a secret; returns whether there was one.
pub fn forget(account: &Account) -> Result<bool, KeyringError> {
    match entry(account)?.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring_core::Error::NoEntry) => Ok(false),
        Err(e) => Err(classify(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_in_the_mock_store() {
        keyring_core::set_default_store(keyring_core::mock::Store::new().unwrap());
        let account = Account::EditKey("3f2b8c1e-5d4a-4f6b-9e7c-1a2b3c4d5e6f".into());
        assert_eq!(account.name(), "mystorage/3f2b8c1e-5d4a-4f6b-9e7c-1a2b3c4d5e6f/edit-key");
        assert!(get(&account).unwrap().is_none());
        set(&account, &Secret::new("ek_one")).unwrap();
        assert_eq!(get(&account).unwrap().unwrap().expose(), "ek_one");
        assert!(forget(&account).unwrap());
        assert!(!forget(&account).unwrap());
        assert_eq!(Account::SasUrl("site".into()).name(), "azure/site/sas-url");
        assert_eq!(Account::Passphrase("s".into()).name(), "mystorage/s/passphrase");
    }
}

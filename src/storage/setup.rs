//! Setting up where maps are published: add a My Storage storage (checked against the server
//! with its Edit Key before it is kept), set up a storage's client-side encryption, add an Azure
//! target. The CLI and the Publish panel both go through here, so they check the same things
//! and fail with the same messages; where the secrets go (the keyring) is the caller's part.

use super::Secret;
use super::azure::SasUrl;
use super::config::{AzureTarget, Settings, StorageConfig};
use super::content::check_pinned;
use super::contract::StorageInfo;
use super::crypto::{self, EncryptionInfo, KdfParams, MasterKey};
use super::error::PublishError;
use super::mystorage::MyStorage;
use super::transport::Transport;

/// Said when encryption is set up and before the first encrypted upload.
pub const ENVELOPE_WARNING: &str = "note: encrypted maps are stored in synmap's own envelope format. synmap (and \
     anything implementing its published format) can read them; the Synoptic Panel visual may not.";

/// Checks the Edit Key against the storage at `base_url` and adds the storage to `settings`
/// (or updates it), pinning its key parameters when it already has encryption. Nothing is kept
/// when the server refuses. Returns what the server said of the storage.
pub fn add_storage(
    settings: &mut Settings,
    transport: &Transport,
    id: &str,
    base_url: &str,
    edit_key: Secret,
) -> Result<StorageInfo, PublishError> {
    let id = id.trim();
    if id.is_empty() {
        return Err(PublishError::Usage("the storage id is required".into()));
    }
    let client = MyStorage::new(transport.clone(), base_url, id, edit_key)?;
    let info = client.info()?;
    let mut config = settings.storages.iter().find(|s| s.id == id).cloned().unwrap_or(StorageConfig {
        id: id.to_string(),
        base_url: base_url.to_string(),
        kdf: None,
        envelope_warning_shown: false,
    });
    config.base_url = base_url.to_string();
    if let Some(enc) = &info.encryption {
        enc.kdf.validate()?;
        config.kdf = Some(enc.kdf.clone());
    }
    settings.upsert_storage(config);
    Ok(info)
}

/// Sets up client-side encryption on a storage that has none, with a new passphrase (checked
/// for length), and pins the new key parameters in `config`.
pub fn setup_encryption(
    client: &MyStorage,
    config: &mut StorageConfig,
    passphrase: &Secret,
) -> Result<(), PublishError> {
    let info = client.info()?;
    if info.encryption.is_some() {
        return Err(PublishError::Api {
            status: 409,
            code: "EncryptionAlreadySet".into(),
            message: String::new(),
        });
    }
    crypto::validate_new_passphrase(passphrase.expose())?;
    let kdf = KdfParams::generate()?;
    let key = MasterKey::derive(passphrase.expose(), &kdf)?;
    let stored = client.setup_encryption(&EncryptionInfo { kdf: kdf.clone(), key_check: key.key_check() })?;
    check_pinned(&stored, Some(&kdf))?;
    config.kdf = Some(kdf);
    Ok(())
}

/// The new passphrase when both entries agree.
pub fn confirmed(first: Secret, second: &Secret) -> Result<Secret, PublishError> {
    if first != *second {
        return Err(PublishError::Usage("the two entries differ".into()));
    }
    Ok(first)
}

/// Adds (or replaces) the Azure target `name` for the container the SAS URL grants; the SAS URL
/// itself is not kept here.
pub fn add_azure_target(
    settings: &mut Settings,
    name: &str,
    sas_url: &Secret,
) -> Result<AzureTarget, PublishError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(PublishError::Usage("the target needs a name".into()));
    }
    let sas = SasUrl::parse(sas_url)?;
    let target = AzureTarget { name: name.to_string(), container_url: sas.container_url() };
    settings.azure.retain(|t| t.name != name);
    settings.azure.push(target.clone());
    Ok(target)
}

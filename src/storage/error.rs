//! Publishing errors, with a clear message for every error code of the My Storage contract, in
//! words that fit both the command line and the editor.

use super::contract::MapInfo;
use super::credentials::KeyringError;
use super::crypto::CryptoError;
use super::transport::TransportError;

/// Why a publishing operation failed. Messages never contain a secret.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// Nothing answered, or the connection broke.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The server answered with an error code.
    #[error("{}", explain(code, message, *status))]
    Api {
        /// HTTP status.
        status: u16,
        /// The contract's error code.
        code: String,
        /// The server's own text.
        message: String,
    },
    /// Replacing the stored map would make ids of areas vanish; it was not replaced.
    #[error(
        "replacing would remove or rename areas the report's data binds to: {}; nothing was replaced",
        .0.vanishing()
    )]
    IdsWouldVanish(Box<crate::diff::MapDiff>),
    /// The map changed elsewhere since it was loaded.
    #[error(
        "the map \"{}\" was changed elsewhere since it was loaded (now {}); nothing was overwritten. \
         Reload it and overwrite, or upload yours as a copy",
        current.name, current.etag
    )]
    Conflict {
        /// The map as it is now.
        current: Box<MapInfo>,
    },
    /// Checked before sending: the body is over 20 MiB.
    #[error("the map is {bytes} bytes; My Storage takes at most {limit} bytes per map")]
    TooLarge {
        /// Body size.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// Checked before sending: not enough quota left.
    #[error("the storage has {available} bytes free and this map needs {needed}")]
    Quota {
        /// Bytes the upload adds.
        needed: u64,
        /// Bytes free.
        available: u64,
    },
    /// Checked before sending: not a JSVG document.
    #[error("not a valid JSVG document: {0}")]
    InvalidJsvg(String),
    /// Encryption failed or refused.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// The keyring failed.
    #[error(transparent)]
    Keyring(#[from] KeyringError),
    /// The hosting check found problems (listed before this error).
    #[error("the hosting check failed: the visual cannot load the map from this URL yet")]
    HostingCheckFailed,
    /// The server answered outside the contract.
    #[error("{0}")]
    BadAnswer(String),
    /// A wrong argument.
    #[error("{0}")]
    Usage(String),
    /// Local files (settings, input maps).
    #[error("{0}")]
    Local(String),
    /// A file could not be written (settings, downloads).
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl PublishError {
    /// The error of writing `path`.
    pub fn write(path: &std::path::Path, source: std::io::Error) -> PublishError {
        PublishError::Write { path: path.to_path_buf(), source }
    }

    /// True for an API error with this code.
    pub fn is_code(&self, wanted: &str) -> bool {
        matches!(self, PublishError::Api { code, .. } if code == wanted)
    }

    /// True when the request may or may not have been applied.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            PublishError::Transport(t) => t.may_have_landed(),
            PublishError::Api { status, .. } => *status >= 500,
            _ => false,
        }
    }
}

/// A sentence for each error code of the contract.
fn explain(code: &str, message: &str, status: u16) -> String {
    let text = match code {
        "StorageNotFound" => {
            "no storage with this id exists in this region (check the storage id and region)"
        }
        "InvalidEditKey" => "the Edit Key is missing or wrong for this storage",
        "InactiveStorage" => "this storage is disabled (check the licence)",
        "MapNotFound" => "no map with this id exists in the storage",
        "PreconditionRequired" => "the server wants the map's current ETag with this change",
        "EtagMismatch" => "the map was changed elsewhere since it was loaded; nothing was overwritten",
        "InvalidMapPassword" => "the map is password-protected and the password is missing or wrong",
        "BadRequest" => "the server refused the request as malformed",
        "InvalidFileType" => {
            "the storage refused this kind of content (an encrypted storage takes only encrypted maps, \
             and a plain one only plain JSVG)"
        }
        "FileSizeExceeded" => "the map is larger than the 20 MiB My Storage accepts",
        "InvalidEncryptionKey" => {
            "the encryption key does not match this storage's key check (wrong passphrase?)"
        }
        "InvalidJsvg" => "the server says this is not a valid JSVG map",
        "IdempotencyKeyReused" => "a retried upload carried different content; nothing was created twice",
        "EncryptionAlreadySet" => "encryption is already set up for this storage and cannot be changed",
        "QuotaExceeded" => "the storage is full: the upload would exceed its quota",
        "TooManyRequests" => "the server is rate-limiting requests; try again later",
        _ if status >= 500 => "the server failed (it may be temporarily unavailable); try again later",
        _ => "the server refused the request",
    };
    let code = if code.is_empty() { String::new() } else { format!(" [{code}]") };
    let message = if message.is_empty() { String::new() } else { format!(" (server: {message})") };
    format!("HTTP {status}{code}: {text}{message}")
}

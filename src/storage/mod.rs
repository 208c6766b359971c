//! Publishing (no egui): the publishing workflow both front ends run (`publish`), the My Storage
//! client with client-side encryption, credentials in the OS keyring, Azure Blob hosting, and
//! the transport and network log they share.
//!
//! Nothing here sends a byte except when the author asks for it, and only to the host the
//! author configured.

pub mod azure;
pub mod config;
pub mod content;
pub mod contract;
pub mod credentials;
pub mod crypto;
pub mod error;
pub mod mystorage;
pub mod netlog;
pub mod publish;
pub mod secret;
pub mod setup;
pub mod transport;
pub mod urls;

pub use error::PublishError;
pub use secret::Secret;

//! The data the My Storage contract exchanges: regions, a storage's info and quota, and the
//! stored maps as listed (`my-storage-protocol.md`, "Calls").

use serde::{Deserialize, Serialize};

use super::crypto::EncryptionInfo;

/// A My Storage region (one per licence).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Region {
    /// United States.
    Us,
    /// Europe.
    Eu,
    /// Australia.
    Au,
}

impl Region {
    /// The region's base URL.
    pub fn base_url(self) -> &'static str {
        match self {
            Region::Us => "https://us.synopticpanel-api.okviz.com",
            Region::Eu => "https://eu.synopticpanel-api.okviz.com",
            Region::Au => "https://au.synopticpanel-api.okviz.com",
        }
    }
}

/// `quota` of a storage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quota {
    /// Bytes allowed.
    pub limit: u64,
    /// Bytes stored.
    pub used: u64,
}

impl Quota {
    /// Bytes still free.
    pub fn remaining(&self) -> u64 {
        self.limit.saturating_sub(self.used)
    }
}

/// What `GET /v1/my/{storage}` answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageInfo {
    /// Storage id.
    pub id: String,
    /// Storage name.
    pub name: String,
    /// `us`, `eu`, `au` or `custom`.
    pub region: String,
    /// The read key the visual uses.
    #[serde(rename = "readKey")]
    pub read_key: String,
    /// Quota and usage.
    pub quota: Quota,
    /// Encryption settings, when set up.
    pub encryption: Option<EncryptionInfo>,
}

/// A stored map as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapInfo {
    /// Map id.
    pub id: String,
    /// Map name.
    pub name: String,
    /// Stored bytes.
    pub size: u64,
    /// RFC 3339 creation time.
    pub created: String,
    /// RFC 3339 update time.
    pub updated: String,
    /// Strong ETag, quotes included.
    pub etag: String,
    /// Password-protected.
    pub protected: bool,
    /// Stored as an envelope.
    pub encrypted: bool,
}

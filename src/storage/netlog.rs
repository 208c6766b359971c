//! The network log: one line per request synmap sends (time, method, host, path, bytes, status),
//! never a header, a query string or a body, so it can be shown and copied without leaking a
//! secret.

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// One request as the log records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetEntry {
    /// When the request was sent.
    pub time: SystemTime,
    /// HTTP method.
    pub method: String,
    /// Host (and port when not the default).
    pub host: String,
    /// Path without the query string (a SAS signature or read key lives there).
    pub path: String,
    /// Body bytes sent, as on the wire.
    pub sent: u64,
    /// Body bytes received.
    pub received: u64,
    /// The HTTP status, or what went wrong when there was none.
    pub outcome: String,
}

impl std::fmt::Display for NetEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} {}{} sent {} B, received {} B: {}",
            humantime::format_rfc3339_seconds(self.time),
            self.method,
            self.host,
            self.path,
            self.sent,
            self.received,
            self.outcome
        )
    }
}

/// A shared, append-only log of requests (cheap to clone).
#[derive(Clone, Debug, Default)]
pub struct NetLog(Arc<Mutex<Vec<NetEntry>>>);

impl NetLog {
    /// Appends an entry.
    pub fn push(&self, entry: NetEntry) {
        log::info!("{entry}");
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(entry);
    }

    /// A copy of every entry so far, oldest first.
    pub fn entries(&self) -> Vec<NetEntry> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

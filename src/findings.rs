//! Findings: what import, export and check have to tell the author about a map.

use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing to fix.
    Info,
    /// The map works, but not as well as it could, or something was changed or removed.
    Warning,
    /// The map will not bind or cannot be published as it is.
    Error,
}

impl Severity {
    /// The lower-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// One finding about a map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// A stable, kebab-case code (`duplicate-id`, `unsafe-content`, …), documented in the README.
    pub code: &'static str,
    /// A one-line, human-readable message.
    pub message: String,
    /// The id (or element name) the finding is about, when it is about one element.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
}

impl Finding {
    /// A finding not tied to one element.
    pub fn new(severity: Severity, code: &'static str, message: impl Into<String>) -> Self {
        Self { severity, code, message: message.into(), element: None }
    }

    /// Ties the finding to an element.
    pub fn at(mut self, element: impl Into<String>) -> Self {
        self.element = Some(element.into());
        self
    }
}

/// Counts removals by kind so a report says "removed 1,204 `data-name` attributes" once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removals(std::collections::BTreeMap<String, usize>);

impl Removals {
    /// Records one removal of `what` (`element script`, `attribute onclick`, …).
    pub fn add(&mut self, what: impl Into<String>) {
        *self.0.entry(what.into()).or_default() += 1;
    }

    /// True when nothing was removed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Removals and their counts, sorted by kind.
    pub fn iter(&self) -> impl Iterator<Item = (&str, usize)> {
        self.0.iter().map(|(k, v)| (k.as_str(), *v))
    }

    /// Total count of removals.
    pub fn total(&self) -> usize {
        self.0.values().sum()
    }
}

//! The visual's binding rules: id encoding and validity, id ⇄ value matching, area status.

pub mod ids;
pub mod matching;
pub mod status;

pub use ids::{AreaId, IdError, RawId};
pub use matching::{Categories, matches, normalize};
pub use status::{AreaStatus, Resolved, Statuses};

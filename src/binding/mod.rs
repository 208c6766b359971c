//! The visual's binding rules: id ⇄ value matching and area status (the id rules are in
//! [`crate::ids`]), near-miss suggestions for values that match nothing, and matching a data
//! hierarchy level by level.

pub mod hierarchy;
pub mod matching;
pub mod status;
pub mod suggest;

pub use crate::ids::{AreaId, IdError, RawId};
pub use matching::{Categories, matches, normalize};
pub use status::{AreaStatus, Resolved, Statuses};

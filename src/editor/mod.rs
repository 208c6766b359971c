//! The editor core, without egui: the document and its undo glue, operations on the selection,
//! hit-testing, snapping, node editing, the clipboard format, and the canvas tools as state
//! machines. The window (`crate::app`) draws it and feeds it input; tests drive it headless
//! through [`harness::Harness`].

pub mod bind;
pub mod clipboard;
mod document;
mod error;
pub mod from_image;
pub mod harness;
mod hit;
pub mod operations;
pub mod shaping;
pub mod snap;
pub mod tools;
pub mod vertices;

pub use document::{AreaEntry, Document};
pub use error::EditorError;

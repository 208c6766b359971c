//! The only way the editor changes a document: reversible changes grouped into undoable,
//! named transactions.

mod change;
mod history;

pub use change::{Change, EditError};
pub use history::{DEFAULT_LIMIT, History};

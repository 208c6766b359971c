//! Why an editor action failed, in words the status bar shows as they are.

use crate::edit::EditError;
use crate::svg::ImportError;

/// An editor action that could not be done; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum EditorError {
    /// The map could not be read.
    #[error("{0}")]
    Import(#[from] ImportError),
    /// A change of the step `name` does not apply; the step was taken back whole.
    #[error("{name}: {source}")]
    Edit {
        /// The step's name.
        name: String,
        /// Why.
        source: EditError,
    },
    /// An image for "New from image" that cannot be used.
    #[error("{0}")]
    Image(#[from] super::from_image::ImageError),
    /// The clipboard holds text that is not SVG.
    #[error("The clipboard holds text, not SVG shapes")]
    ClipboardNotSvg,
    /// The SVG on the clipboard cannot be read.
    #[error("The SVG on the clipboard cannot be pasted: {0}")]
    ClipboardUnreadable(ImportError),
    /// The SVG on the clipboard has nothing to paste.
    #[error("The SVG on the clipboard has no shapes")]
    ClipboardEmpty,
    /// A shaping operation cannot be done on this selection; the words say why.
    #[error("{0}")]
    Refused(String),
}

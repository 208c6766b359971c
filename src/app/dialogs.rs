//! File dialogs behind a small trait: the native ones (rfd) in the app, scripted answers in
//! tests, which cannot drive a native dialog. Dialogs run off the UI thread; the answer
//! arrives on a channel.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

/// What a file dialog is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Open a map (SVG, SVGZ, JSVG).
    Open,
    /// Save the lossless SVG.
    SaveAs,
    /// Export the Synoptic-ready SVG or JSVG.
    Export,
    /// Export the preview as PNG.
    ExportPng,
    /// Pick an image to trace over.
    Image,
}

/// Asks the author for a path.
pub trait FileDialogs {
    /// Shows a dialog for `purpose`, suggesting `file_name` when saving; the chosen path (or
    /// `None` when cancelled) arrives on the receiver.
    fn ask(&self, purpose: Purpose, file_name: &str) -> Receiver<Option<PathBuf>>;
}

/// The platform's dialogs (through rfd), each on its own thread.
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn ask(&self, purpose: Purpose, file_name: &str) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = channel();
        let file_name = file_name.to_string();
        std::thread::spawn(move || {
            let d = rfd::FileDialog::new();
            let path = match purpose {
                Purpose::Open => {
                    d.add_filter("Maps", &["svg", "svgz", "jsvg", "json"]).set_title("Open a map").pick_file()
                }
                Purpose::SaveAs => d
                    .add_filter("SVG", &["svg"])
                    .set_title("Save the map")
                    .set_file_name(&file_name)
                    .save_file(),
                Purpose::Export => d
                    .add_filter("Synoptic-ready SVG", &["svg"])
                    .add_filter("JSVG", &["jsvg"])
                    .set_title("Export for the Synoptic Panel")
                    .set_file_name(&file_name)
                    .save_file(),
                Purpose::ExportPng => d
                    .add_filter("PNG", &["png"])
                    .set_title("Export the preview")
                    .set_file_name(&file_name)
                    .save_file(),
                Purpose::Image => d
                    .add_filter("Images", &["png", "jpg", "jpeg", "webp", "bmp"])
                    .set_title("Image to trace")
                    .pick_file(),
            };
            let _ = tx.send(path);
        });
        rx
    }
}

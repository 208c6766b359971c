//! File dialogs behind a small trait: the native ones (rfd) in the app, scripted answers in
//! tests, which cannot drive a native dialog. Dialogs run off the UI thread; the answer
//! arrives on a channel. When the platform cannot show its dialog the answer says so, and the
//! window offers its own chooser instead of doing nothing.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// A native dialog that comes back empty sooner than this never showed (no person cancels a
/// file dialog in a quarter of a second); rfd says nothing else when the XDG portal is missing.
const TOO_QUICK: Duration = Duration::from_millis(250);

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
    /// Load the report's values.
    Data,
}

impl Purpose {
    /// True for dialogs that name a file to write.
    pub fn saves(self) -> bool {
        matches!(self, Purpose::SaveAs | Purpose::Export | Purpose::ExportPng)
    }

    /// The kinds of file, by extension, the first one the default for a save.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Purpose::Open => &["svg", "svgz", "jsvg", "json", "geojson", "topojson", "dxf"],
            Purpose::SaveAs => &["svg"],
            Purpose::Export => &["svg", "jsvg"],
            Purpose::ExportPng => &["png"],
            Purpose::Image => &["png", "jpg", "jpeg", "webp", "bmp"],
            Purpose::Data => &["csv", "tsv", "txt", "json", "xlsx", "xlsm", "xlsb", "xls", "ods"],
        }
    }

    /// The dialog's title.
    pub fn title(self) -> &'static str {
        match self {
            Purpose::Open => "Open a map",
            Purpose::SaveAs => "Save the map",
            Purpose::Export => "Export for the Synoptic Panel",
            Purpose::ExportPng => "Export the preview",
            Purpose::Image => "Image to trace",
            Purpose::Data => "The report's values",
        }
    }
}

/// What the author answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// This path.
    Chosen(PathBuf),
    /// Cancelled.
    Cancelled,
    /// The platform's dialog could not be shown.
    Unavailable,
}

/// Asks the author for a path.
pub trait FileDialogs {
    /// Shows a dialog for `purpose`, suggesting `file_name` when saving; the answer arrives on
    /// the receiver.
    fn ask(&self, purpose: Purpose, file_name: &str) -> Receiver<Answer>;
}

/// The platform's dialogs (through rfd), each on its own thread.
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn ask(&self, purpose: Purpose, file_name: &str) -> Receiver<Answer> {
        let (tx, rx) = channel();
        let file_name = file_name.to_string();
        std::thread::spawn(move || {
            let shown = Instant::now();
            let d = rfd::FileDialog::new().set_title(purpose.title());
            let path = match purpose {
                Purpose::Open => d.add_filter("Maps", purpose.extensions()).pick_file(),
                Purpose::Image => d.add_filter("Images", purpose.extensions()).pick_file(),
                Purpose::Data => d.add_filter("Data lists", purpose.extensions()).pick_file(),
                Purpose::SaveAs => {
                    d.add_filter("SVG", purpose.extensions()).set_file_name(&file_name).save_file()
                }
                Purpose::Export => d
                    .add_filter("Synoptic-ready SVG", &["svg"])
                    .add_filter("JSVG", &["jsvg"])
                    .set_file_name(&file_name)
                    .save_file(),
                Purpose::ExportPng => {
                    d.add_filter("PNG", purpose.extensions()).set_file_name(&file_name).save_file()
                }
            };
            let answer = match path {
                Some(path) => Answer::Chosen(path),
                None if shown.elapsed() < TOO_QUICK => Answer::Unavailable,
                None => Answer::Cancelled,
            };
            let _ = tx.send(answer);
        });
        rx
    }
}

//! Opening, saving, exporting, recent files, autosave and crash recovery. Every file operation
//! runs on a background thread; writes are atomic, and a failed save leaves the previous file
//! intact and says why.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use super::properties::non_empty;
use super::tiles::{Prepared, prepare};
use crate::editor::{Document, EditorError};
use crate::fsutil::{write_atomic, write_private};
use crate::model::Map;
use crate::svg::jsvg::{JsvgHeader, export_jsvg};
use crate::svg::{ExportOptions, export_svg, import_file, lossless_svg, save_file};

/// Seconds of idle after a change before the working document is autosaved.
pub const AUTOSAVE_IDLE: Duration = Duration::from_secs(3);
/// Recent files remembered.
pub const RECENT_LIMIT: usize = 10;
/// Export size above which the author is warned (the visual's comfortable limit).
pub const EXPORT_WARN_BYTES: usize = 10 * 1024 * 1024;
/// Export size My Storage refuses.
pub const EXPORT_MAX_BYTES: usize = 20 * 1024 * 1024;

/// Where autosaves live and how to read them back.
pub struct Autosave {
    dir: PathBuf,
    saved: Option<u64>,
    job: Option<Receiver<()>>,
}

/// What an autosave recorded about the document.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
pub struct AutosaveInfo {
    /// The file the document belongs to, if any.
    pub source: Option<PathBuf>,
    /// Its name for the title.
    pub name: String,
    /// When it was written.
    pub time: String,
}

impl Autosave {
    /// Autosaves in `data_dir/autosave`.
    pub fn new(data_dir: &Path) -> Self {
        Autosave { dir: data_dir.join("autosave"), saved: None, job: None }
    }

    fn svg(&self) -> PathBuf {
        self.dir.join("autosave.svg")
    }

    fn info_path(&self) -> PathBuf {
        self.dir.join("autosave.json")
    }

    /// The autosave left by a session that did not end cleanly, if any.
    pub fn pending(&self) -> Option<AutosaveInfo> {
        let info = std::fs::read(self.info_path()).ok()?;
        self.svg().exists().then(|| serde_json::from_slice(&info).ok()).flatten()
    }

    /// Reads the pending autosave back as a document with unsaved changes.
    pub fn restore(&self) -> Result<Document, FileError> {
        let info = self.pending().ok_or_else(|| FileError::Autosave("it was removed".into()))?;
        let imported = import_file(&self.svg()).map_err(|e| FileError::Autosave(e.to_string()))?;
        let mut doc = Document::from_map(imported.map, info.name);
        doc.path = info.source;
        doc.mark_unsaved();
        Ok(doc)
    }

    /// Removes the autosave (after a save, or when the author discards it).
    pub fn clear(&mut self) {
        let _ = std::fs::remove_file(self.info_path());
        let _ = std::fs::remove_file(self.svg());
        self.saved = None;
    }

    /// Writes the document in the background when it has unsaved changes and the author has
    /// been idle for [`AUTOSAVE_IDLE`] since `changed_at`.
    pub fn tick(&mut self, doc: &Document, changed_at: Instant) {
        if let Some(rx) = &self.job
            && rx.try_recv().is_ok()
        {
            self.job = None;
        }
        let due = doc.is_dirty() && self.saved != Some(doc.revision) && changed_at.elapsed() >= AUTOSAVE_IDLE;
        if !due || self.job.is_some() {
            return;
        }
        self.saved = Some(doc.revision);
        let map = doc.snapshot();
        let info = AutosaveInfo {
            source: doc.path.clone(),
            name: doc.name.clone(),
            time: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
        };
        let (svg, info_path, dir) = (self.svg(), self.info_path(), self.dir.clone());
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            // The working copy stays private to the author, like the record beside it.
            let result = std::fs::create_dir_all(&dir)
                .and_then(|()| write_private(&svg, lossless_svg(&map).as_bytes()))
                .and_then(|()| {
                    write_private(&info_path, &serde_json::to_vec(&info).expect("info serialises"))
                });
            if let Err(e) = result {
                log::warn!("autosave to {} failed: {e}", dir.display());
            }
            let _ = tx.send(());
        });
        self.job = Some(rx);
    }
}

/// Why a file operation of the editor failed; the file on disk is as it was.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The map or image could not be read.
    #[error("{0}")]
    Read(#[from] EditorError),
    /// The autosave is gone or unreadable.
    #[error("there is no readable autosave: {0}")]
    Autosave(String),
    /// Saving failed.
    #[error("Could not save {}: {source}. The previous file is unchanged.", path.display())]
    Save {
        /// Where.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Writing an export failed.
    #[error("Could not write {}: {source}", path.display())]
    Write {
        /// Where.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The map could not be rendered or encoded.
    #[error("{0}")]
    Render(#[from] crate::render::RenderError),
}

/// What a finished background file operation reports.
pub enum FileOutcome {
    /// A map was read.
    Opened(Result<Opened, FileError>),
    /// The document was saved to this path as it was at this save point.
    Saved(Result<(PathBuf, u64), FileError>),
    /// An export was written; the message says what happened.
    Exported(Result<String, FileError>),
}

/// A map read, and what the canvas shows of it first.
pub struct Opened {
    /// The document.
    pub doc: Box<Document>,
    /// Its first overview, made while the document was indexed.
    pub view: Option<Box<Prepared>>,
}

/// Reads a map on a background thread; a picture (PNG, JPEG, WebP, BMP) becomes a new map
/// with it as the tracing image.
pub fn open_in_background(ctx: &egui::Context, path: PathBuf) -> Receiver<FileOutcome> {
    spawn(ctx, move || FileOutcome::Opened(open(&path)))
}

/// Opens a map at start-up, before the window exists: the import runs while the window and
/// its graphics are set up. Hand the window's context to the returned cell once there is one.
pub fn open_early(path: PathBuf) -> (Receiver<FileOutcome>, Arc<OnceLock<egui::Context>>) {
    let (tx, rx) = channel();
    let waker = Arc::new(OnceLock::<egui::Context>::new());
    let ctx = waker.clone();
    std::thread::spawn(move || {
        let _ = tx.send(FileOutcome::Opened(open(&path)));
        // Before the window's context is handed over, its first frame takes the map.
        if let Some(ctx) = ctx.get() {
            ctx.request_repaint();
        }
    });
    (rx, waker)
}

/// Reads a map, or makes one from a picture; a map's first overview is made on another core
/// while the document indexes its areas.
fn open(path: &Path) -> Result<Opened, FileError> {
    if crate::editor::from_image::is_picture(path) {
        return from_image(path);
    }
    let imported = import_file(path).map_err(|e| FileError::from(EditorError::from(e)))?;
    log::debug!(target: "synmap::startup", "map read");
    let map = imported.map.clone();
    // At the window's priority: the first frame waits for it as much as for the document.
    let view = std::thread::spawn(move || {
        let view = prepare(&map);
        log::debug!(target: "synmap::startup", "first overview made");
        view
    });
    let doc = Box::new(Document::from_imported(imported, path));
    log::debug!(target: "synmap::startup", "document indexed");
    Ok(Opened { doc, view: view.join().ok().map(Box::new) })
}

/// Makes a new map from an image on a background thread.
pub fn new_from_image_in_background(ctx: &egui::Context, path: PathBuf) -> Receiver<FileOutcome> {
    spawn(ctx, move || FileOutcome::Opened(from_image(&path)))
}

fn from_image(path: &Path) -> Result<Opened, FileError> {
    crate::editor::from_image::new_from_image(path)
        .map(|doc| Opened { doc: Box::new(doc), view: None })
        .map_err(FileError::from)
}

/// Saves the lossless SVG on a background thread; the outcome carries `save_point` (the
/// document's [`Document::save_point`] when the save began).
pub fn save_in_background(
    ctx: &egui::Context,
    map: Arc<Map>,
    save_point: u64,
    path: PathBuf,
) -> Receiver<FileOutcome> {
    spawn(ctx, move || {
        FileOutcome::Saved(
            save_file(&map, &path)
                .map(|()| (path.clone(), save_point))
                .map_err(|source| FileError::Save { path: path.clone(), source }),
        )
    })
}

/// The Export dialog's choices.
#[derive(Clone, Debug)]
pub struct ExportChoices {
    /// Name in the JSVG wrapper.
    pub name: String,
    /// The map's author (`data-okviz-svg-author`), saved into the map on export.
    pub author: String,
    /// The map's attribution (`data-okviz-svg-attribution`), saved into the map on export.
    pub attribution: String,
    /// Embed the tracing image.
    pub include_tracing_image: bool,
    /// Decimals kept in coordinates (the "image quality" of the outline).
    pub precision: u8,
    /// Write the map in its shortest form (on by default; see [`ExportOptions::optimise`]).
    pub optimise: bool,
}

/// Writes the Synoptic-ready SVG, or JSVG for `.jsvg`/`.json`, on a background thread.
pub fn export_in_background(
    ctx: &egui::Context,
    map: Arc<Map>,
    choices: ExportChoices,
    path: PathBuf,
) -> Receiver<FileOutcome> {
    spawn(ctx, move || FileOutcome::Exported(export(&map, &choices, &path)))
}

impl ExportChoices {
    /// The choices for `map`, with its author and attribution.
    pub fn for_map(map: &Map, name: String) -> Self {
        ExportChoices {
            name,
            author: map.meta.author.clone().unwrap_or_default(),
            attribution: map.meta.attribution.clone().unwrap_or_default(),
            include_tracing_image: false,
            precision: 3,
            optimise: true,
        }
    }

    /// The map's metadata with the dialog's author and attribution.
    pub fn meta(&self, map: &Map) -> crate::model::MapMeta {
        crate::model::MapMeta {
            author: non_empty(&self.author),
            attribution: non_empty(&self.attribution),
            ..map.meta.clone()
        }
    }

    fn options(&self) -> ExportOptions {
        ExportOptions {
            precision: self.precision,
            include_tracing_image: self.include_tracing_image,
            optimise: self.optimise,
            ..ExportOptions::default()
        }
    }
}

/// The size of the export for the dialog's current choices, worked out in the background so
/// the dialog can warn before the author picks a file.
#[derive(Default)]
pub struct SizeEstimate {
    /// (revision, decimals, tracing image, optimised) the estimate or the job in progress is
    /// for.
    made_for: Option<(u64, u8, bool, bool)>,
    job: Option<Receiver<(usize, usize)>>,
    /// The size with the choices, and without optimising.
    bytes: Option<(usize, usize)>,
}

impl SizeEstimate {
    /// Shows the estimate for `choices`, starting a new one when they or the map changed.
    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &Document, choices: &ExportChoices) {
        if let Some(bytes) = self.job.as_ref().and_then(|rx| rx.try_recv().ok()) {
            self.bytes = Some(bytes);
            self.job = None;
        }
        let wanted = (doc.revision, choices.precision, choices.include_tracing_image, choices.optimise);
        if self.made_for != Some(wanted) && self.job.is_none() {
            let (tx, rx) = channel();
            let (map, opts, ctx) = (doc.snapshot(), choices.options(), ui.ctx().clone());
            std::thread::spawn(move || {
                let plain = export_svg(&map, &ExportOptions { optimise: false, ..opts.clone() }).svg.len();
                let chosen = if opts.optimise { export_svg(&map, &opts).svg.len() } else { plain };
                let _ = tx.send((chosen, plain));
                ctx.request_repaint();
            });
            self.made_for = Some(wanted);
            self.job = Some(rx);
            self.bytes = None;
        }
        let Some((bytes, plain)) = self.bytes else {
            ui.label("Working out the size…");
            return;
        };
        let size = if choices.optimise {
            format!(
                "About {} as SVG, optimised from {}",
                super::words::size(bytes as u64),
                super::words::size(plain as u64)
            )
        } else {
            format!("About {} as SVG", super::words::size(bytes as u64))
        };
        let (colour, text) = if bytes > EXPORT_MAX_BYTES {
            (ui.visuals().error_fg_color, format!("{size}: over 20 MB, My Storage will refuse it"))
        } else if bytes > EXPORT_WARN_BYTES {
            (ui.visuals().warn_fg_color, format!("{size}: over 10 MB, the visual may load it slowly"))
        } else {
            (ui.visuals().text_color(), format!("{size}: within the visual's 10 MB budget"))
        };
        ui.colored_label(colour, text);
    }
}

/// Writes an export and describes it (size against the budgets, what sanitising removed).
pub fn export(map: &Map, choices: &ExportChoices, path: &Path) -> Result<String, FileError> {
    let opts = choices.options();
    let jsvg = path.extension().and_then(|e| e.to_str()).is_some_and(|e| matches!(e, "jsvg" | "json"));
    let (bytes, exported) = if jsvg {
        let (doc, exported) = export_jsvg(map, &opts, None, &JsvgHeader::new(&choices.name));
        (serde_json::to_vec(&doc).expect("a JSVG document serialises"), exported)
    } else {
        let exported = export_svg(map, &opts);
        (exported.svg.clone().into_bytes(), exported)
    };
    write_atomic(path, &bytes).map_err(|source| FileError::Write { path: path.to_path_buf(), source })?;
    let mut msg = format!("Exported {} ({})", path.display(), super::words::size(bytes.len() as u64));
    if bytes.len() > EXPORT_MAX_BYTES {
        msg += ": over 20 MB, My Storage will refuse it";
    } else if bytes.len() > EXPORT_WARN_BYTES {
        msg += ": over 10 MB, the visual may load it slowly";
    }
    if !exported.renames.is_empty() {
        msg += &format!("; {} invalid or duplicate id(s) renamed", exported.renames.len());
    }
    let unsafe_removed = exported.unsafe_removed.total();
    if unsafe_removed > 0 {
        msg += &format!("; {unsafe_removed} unsafe item(s) removed");
    }
    let unsupported = exported.removed.total();
    if unsupported > 0 {
        msg += &format!("; {unsupported} unsupported item(s) removed");
    }
    Ok(msg)
}

fn spawn(ctx: &egui::Context, work: impl FnOnce() -> FileOutcome + Send + 'static) -> Receiver<FileOutcome> {
    let (tx, rx) = channel();
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        let _ = tx.send(work());
        ctx.request_repaint();
    });
    rx
}

/// Writes the recent maps to the settings file at `path` on another thread: the write waits
/// for the disk (seconds while it flushes a build), and a map being opened or saved must not.
/// `latest` numbers the requests: a write that finds a later request made leaves the list to
/// it. The receiver gets the write's error, if any.
pub fn write_recent_in_background(
    ctx: &egui::Context,
    path: PathBuf,
    recent: Vec<PathBuf>,
    latest: &Arc<AtomicU64>,
) -> Receiver<Option<String>> {
    let (tx, rx) = channel();
    let (ctx, latest) = (ctx.clone(), latest.clone());
    let request = latest.fetch_add(1, Ordering::AcqRel) + 1;
    std::thread::spawn(move || {
        let written = crate::storage::config::Settings::update_at(&path, |s| {
            if latest.load(Ordering::Acquire) == request {
                s.recent_files = recent;
            }
        });
        let _ = tx.send(written.err().map(|e| e.to_string()));
        ctx.request_repaint();
    });
    rx
}

/// Puts `path` first in the recent-files list.
pub fn remember_recent(recent: &mut Vec<PathBuf>, path: &Path) {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    recent.retain(|p| *p != path);
    recent.insert(0, path);
    recent.truncate(RECENT_LIMIT);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_are_unique_most_recent_first_and_bounded() {
        let mut recent = Vec::new();
        for i in 0..12 {
            remember_recent(&mut recent, Path::new(&format!("/nonexistent/{i}.svg")));
        }
        remember_recent(&mut recent, Path::new("/nonexistent/5.svg"));
        assert_eq!(recent.len(), RECENT_LIMIT);
        assert_eq!(recent[0], Path::new("/nonexistent/5.svg"));
        assert_eq!(recent.iter().filter(|p| p.ends_with("5.svg")).count(), 1);
    }
}

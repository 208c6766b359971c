//! The editor window: menus, tools, the canvas, the areas, problems and properties panels, the
//! Publish panel, undo and redo, safe saving with autosave and recovery. Loading, saving,
//! rendering, checks and network run on background threads; the UI thread never waits on them.

mod a11y;
mod background;
mod canvas;
pub mod command;
mod data;
mod dialogs;
mod file_chooser;
mod files;
mod import_dialog;
mod job;
mod menus;
mod naming;
mod panels;
mod preview;
mod properties;
mod publish;
mod publish_azure;
mod publish_setup;
mod rows;
mod run;
mod secrets;
mod tiles;
mod trace_dialog;
mod transform_panel;
mod tree;
mod words;

use job::Status;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::Receiver;
use std::time::Instant;

pub use dialogs::{Answer, FileDialogs, NativeDialogs, Purpose};
use file_chooser::FileChooser;
use files::{Autosave, AutosaveInfo, ExportChoices, FileOutcome};

use crate::editor::Document;
use crate::editor::tools::ToolKind;
use crate::model::NodeKey;
use crate::storage::config::Settings;

/// Opens the editor window, optionally with a map.
pub fn run(file: Option<PathBuf>) -> ExitCode {
    let options = eframe::NativeOptions {
        viewport: window_icon()
            .map_or_else(egui::ViewportBuilder::default, |icon| {
                egui::ViewportBuilder::default().with_icon(icon)
            })
            .with_title("synmap")
            .with_app_id(crate::APP_ID)
            .with_inner_size([1280.0, 800.0]),
        persist_window: true,
        // Named, not defaulted: test builds also enable eframe's wgpu (for kittest snapshots),
        // and eframe prefers wgpu when both are present. Glow works on software GL.
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    // A map given on the command line is read while the window opens; one that asks for
    // import options (DXF, GeoJSON) waits for the window.
    let (file, early) = match file {
        Some(path) if import_dialog::ImportDialog::new(path.clone()).is_none() => {
            (None, Some((path.clone(), files::open_early(path))))
        }
        file => (file, None),
    };
    let result = eframe::run_native(
        "synmap",
        options,
        Box::new(move |cc| {
            log::debug!(target: "synmap::startup", "window ready");
            let mut app = EditorApp::with_env(&cc.egui_ctx, file, AppEnv::system());
            if let Some((path, (rx, waker))) = early {
                let _ = waker.set(cc.egui_ctx.clone());
                cc.egui_ctx.request_repaint();
                app.loading = Some((path, rx));
            }
            if let Some(storage) = cc.storage {
                app.dark = eframe::get_value(storage, "dark").unwrap_or(app.dark);
            }
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synmap: cannot open the editor window: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The window's icon: the packaged 64-pixel rendering of `packaging/synmap.svg`.
fn window_icon() -> Option<egui::IconData> {
    const PNG: &[u8] = include_bytes!("../../packaging/icons/hicolor/64x64/apps/io.github.synmap.Synmap.png");
    let image = image::load_from_memory_with_format(PNG, image::ImageFormat::Png).ok()?.into_rgba8();
    Some(egui::IconData { width: image.width(), height: image.height(), rgba: image.into_raw() })
}

/// Where the editor keeps things and how it asks for files; tests supply their own.
pub struct AppEnv {
    /// `settings.toml` (publishing settings and recent files).
    pub settings_path: Option<PathBuf>,
    /// Autosaves and downloaded maps.
    pub data_dir: PathBuf,
    /// File dialogs.
    pub dialogs: Box<dyn FileDialogs>,
}

impl AppEnv {
    /// The platform's directories and native dialogs.
    pub fn system() -> AppEnv {
        let data_dir = directories::ProjectDirs::from("", "", "synmap")
            .map_or_else(|| std::env::temp_dir().join("synmap"), |d| d.data_dir().to_path_buf());
        AppEnv { settings_path: Settings::path().ok(), data_dir, dialogs: Box::new(NativeDialogs) }
    }
}

/// A question the editor is waiting on the author for.
enum Modal {
    /// Unsaved changes and the author asked to close, open or start another map.
    Unsaved(AfterSave),
    /// An autosave from a session that did not end cleanly.
    Recover(AutosaveInfo),
    /// Size of a new blank map.
    NewMap { width: f64, height: f64 },
    /// The export dialog.
    Export(ExportChoices),
    /// The text of a new label, placed at `at` in `font_size`.
    Text { at: kurbo::Point, font_size: f64, text: String },
    /// Name unnamed areas.
    NameAreas(naming::NameAreas),
    /// Trace every room of the tracing image.
    TraceAll(Box<trace_dialog::TraceAll>),
    /// Which of several named shapes a combination keeps the name and binding of.
    Combine { keys: Vec<crate::model::NodeKey>, kept: usize },
    /// Import options and a preview for a DXF, GeoJSON or TopoJSON file.
    Import(Box<import_dialog::ImportDialog>),
}

/// What to do once unsaved changes are dealt with.
#[derive(Clone)]
enum AfterSave {
    Close,
    Open(PathBuf),
    AskOpen,
    AskImage,
    New,
}

/// The editor application state.
pub struct EditorApp {
    doc: Option<Document>,
    loading: Option<(PathBuf, Receiver<FileOutcome>)>,
    saving: Option<Receiver<FileOutcome>>,
    exporting: Option<Receiver<FileOutcome>>,
    dialog: Option<(Purpose, Receiver<Answer>)>,
    /// The in-app chooser, open when the platform's dialog could not be shown.
    chooser: Option<FileChooser>,
    after_save: Option<AfterSave>,
    modal: Option<Modal>,
    canvas: canvas::Canvas,
    selection: Vec<NodeKey>,
    filter: String,
    tree: tree::Tree,
    /// The Areas search's results, as the keyboard walks them.
    found: rows::RowList,
    /// Commands asked for during the frame, run after it.
    queue: Vec<command::Command>,
    /// Edits the panels made during the frame, applied after it.
    edits: Vec<properties::Edit>,
    /// Text the platform pasted this frame (Ctrl+V or the menu's request).
    pasted: Option<String>,
    last_command: Option<command::Command>,
    commands_run: u64,
    palette: Option<menus::Palette>,
    properties: properties::PropertiesPanel,
    problems: panels::Problems,
    publish: publish::PublishPanel,
    show_publish: bool,
    /// What Align lines the selection up with.
    align_to: crate::editor::shaping::AlignTo,
    /// The report's values and the panel that shows how they bind.
    data: data::DataPanel,
    show_data: bool,
    show_preview: bool,
    preview: preview::PreviewPane,
    export_size: files::SizeEstimate,
    png_export: Option<Receiver<Result<String, files::FileError>>>,
    show_help: bool,
    dark: bool,
    settings: Settings,
    settings_path: Option<PathBuf>,
    /// Writes of the recent maps under way, and how many were asked for.
    recent_writes: Vec<Receiver<Option<String>>>,
    recent_requests: std::sync::Arc<std::sync::atomic::AtomicU64>,
    dialogs: Box<dyn FileDialogs>,
    autosave: Autosave,
    changed_at: Instant,
    seen_revision: u64,
    status: Option<Status>,
    /// The status message last shown and since when (messages of success expire).
    status_seen: (Option<Status>, Instant),
    close_confirmed: bool,
    shown_map: bool,
    /// The window title last sent: sending one asks for another frame, so it is sent only
    /// when it changes (else the window would never rest).
    sent_title: String,
}

impl EditorApp {
    /// Creates the app with the platform's directories and dialogs, and starts loading `file`.
    pub fn new(ctx: &egui::Context, file: Option<PathBuf>) -> Self {
        Self::with_env(ctx, file, AppEnv::system())
    }

    /// Creates the app in a given environment and starts loading `file` in the background. An
    /// autosave left by a session that did not end cleanly is offered for recovery.
    pub fn with_env(ctx: &egui::Context, file: Option<PathBuf>, env: AppEnv) -> Self {
        egui_material_icons::initialize(ctx);
        let loaded = env.settings_path.as_deref().map(Settings::load_from).transpose();
        let (settings, settings_error) = match loaded {
            Ok(s) => (s.unwrap_or_default(), None),
            Err(e) => (Settings::default(), Some(e.to_string())),
        };
        let autosave = Autosave::new(&env.data_dir);
        let modal = autosave.pending().map(Modal::Recover);
        let publish_settings = match &settings_error {
            Some(e) => Err(e.clone()),
            None => Ok(settings.clone()),
        };
        let mut app = Self {
            doc: None,
            loading: None,
            saving: None,
            exporting: None,
            dialog: None,
            chooser: None,
            after_save: None,
            modal,
            canvas: canvas::Canvas::default(),
            selection: Vec::new(),
            filter: String::new(),
            tree: tree::Tree::default(),
            found: rows::RowList::new("found"),
            queue: Vec::new(),
            edits: Vec::new(),
            pasted: None,
            last_command: None,
            commands_run: 0,
            palette: None,
            properties: properties::PropertiesPanel::default(),
            problems: panels::Problems::default(),
            publish: publish::PublishPanel::new(
                publish_settings.map_err(crate::storage::PublishError::Local),
                env.settings_path.clone(),
                env.data_dir.join("downloads"),
            ),
            show_publish: false,
            data: data::DataPanel::default(),
            align_to: Default::default(),
            show_data: false,
            show_preview: false,
            preview: preview::PreviewPane::default(),
            export_size: files::SizeEstimate::default(),
            png_export: None,
            show_help: false,
            dark: ctx.theme() == egui::Theme::Dark,
            settings,
            settings_path: env.settings_path,
            recent_writes: Vec::new(),
            recent_requests: Default::default(),
            dialogs: env.dialogs,
            autosave,
            changed_at: Instant::now(),
            seen_revision: 0,
            status: settings_error.map(Status::Failed),
            status_seen: (None, Instant::now()),
            close_confirmed: false,
            sent_title: String::new(),
            shown_map: false,
        };
        if let Some(f) = file {
            app.open(ctx, f);
        }
        app
    }

    /// Starts loading a map on a background thread (asking about unsaved changes first).
    pub fn open(&mut self, ctx: &egui::Context, path: PathBuf) {
        if self.doc.as_ref().is_some_and(Document::is_dirty) {
            self.modal = Some(Modal::Unsaved(AfterSave::Open(path)));
            return;
        }
        if let Some(dialog) = import_dialog::ImportDialog::new(path.clone()) {
            self.modal = Some(Modal::Import(Box::new(dialog)));
            return;
        }
        self.loading = Some((path.clone(), files::open_in_background(ctx, path)));
    }

    /// Number of areas of the open map, once it is loaded.
    pub fn area_count(&self) -> Option<usize> {
        self.doc.as_ref().map(|d| d.areas.len())
    }

    /// True when no map is loading and the canvas and preview renders are up to date.
    pub fn is_idle(&self) -> bool {
        self.loading.is_none() && self.canvas.is_settled() && self.preview.is_settled()
    }

    /// True once the canvas shows something of the open map (its overview or a tile).
    pub fn shows_map(&self) -> bool {
        self.canvas.has_render()
    }

    /// True when a map is open (not the start screen).
    pub fn has_map(&self) -> bool {
        self.doc.is_some()
    }

    /// Number of selected elements.
    pub fn selection_len(&self) -> usize {
        self.selection.len()
    }

    /// The active tool.
    pub fn tool(&self) -> ToolKind {
        self.canvas.tool_kind()
    }

    /// The last command run (from a menu, the toolbar, the palette or a shortcut), and how
    /// many have run so far.
    pub fn last_command(&self) -> (Option<command::Command>, u64) {
        (self.last_command, self.commands_run)
    }

    /// True when the open map has unsaved changes.
    pub fn is_dirty(&self) -> bool {
        self.doc.as_ref().is_some_and(Document::is_dirty)
    }

    fn title(&self) -> String {
        match (&self.doc, &self.loading) {
            (_, Some((p, _))) => format!("synmap — loading {}", p.display()),
            (Some(d), _) => format!("{}{} — synmap", if d.is_dirty() { "• " } else { "" }, d.name),
            (None, _) => "synmap".to_owned(),
        }
    }

    /// Applies an edit to the document as one undo step.
    fn apply(&mut self, name: &str, changes: Vec<crate::edit::Change>) {
        if let Some(doc) = &mut self.doc
            && let Err(e) = doc.edit(name, changes)
        {
            self.status = Some(Status::Failed(e.to_string()));
        }
        self.prune_selection();
    }

    fn prune_selection(&mut self) {
        if let Some(doc) = &self.doc {
            self.selection.retain(|k| doc.map().get(*k).is_some());
        }
    }

    fn undo(&mut self) {
        if let Some(name) = self.doc.as_mut().and_then(Document::undo) {
            self.status = Some(Status::Done(format!("Undid {name}")));
        }
        self.prune_selection();
    }

    fn redo(&mut self) {
        if let Some(name) = self.doc.as_mut().and_then(Document::redo) {
            self.status = Some(Status::Done(format!("Redid {name}")));
        }
        self.prune_selection();
    }

    /// Save: in place when the document has a file, else Save As.
    fn save(&mut self, ctx: &egui::Context) {
        match self.doc.as_ref().and_then(|d| d.path.clone()) {
            Some(path) => self.save_to(ctx, path),
            None => self.ask(Purpose::SaveAs),
        }
    }

    fn save_to(&mut self, ctx: &egui::Context, path: PathBuf) {
        if let Some(doc) = &self.doc {
            self.saving = Some(files::save_in_background(ctx, doc.snapshot(), doc.save_point(), path));
        }
    }

    fn ask(&mut self, purpose: Purpose) {
        if self.dialog.is_some() || self.chooser.is_some() {
            return;
        }
        let suggested = self.suggested_name(purpose);
        self.dialog = Some((purpose, self.dialogs.ask(purpose, &suggested)));
    }

    /// The file name a save dialog suggests.
    fn suggested_name(&self, purpose: Purpose) -> String {
        match (&self.doc, purpose) {
            (Some(d), Purpose::Export) => format!("{}-ready.svg", stem(&d.name)),
            (Some(d), Purpose::ExportPng) => format!("{}-preview.png", stem(&d.name)),
            (Some(d), _) => format!("{}.svg", stem(&d.name)),
            (None, _) => "map.svg".into(),
        }
    }

    /// Picks up finished background work: loads, saves, exports, dialogs.
    fn poll(&mut self, ctx: &egui::Context) {
        if let Some((path, rx)) = &self.loading
            && let Ok(FileOutcome::Opened(result)) = rx.try_recv()
        {
            let path = path.clone();
            self.loading = None;
            match result {
                Ok(opened) => {
                    self.selection.clear();
                    self.canvas.reset();
                    if let Some(view) = opened.view {
                        self.canvas.adopt(ctx, *view);
                    }
                    self.doc = Some(*opened.doc);
                    self.autosave.clear();
                    if doc_is_map_file(&path) {
                        files::remember_recent(&mut self.settings.recent_files, &path);
                        self.save_settings(ctx);
                    }
                    self.status = None;
                }
                Err(e) => {
                    self.status = Some(Status::Failed(format!("Cannot open the map {}: {e}", path.display())))
                }
            }
        }
        self.recent_writes.retain(|rx| match rx.try_recv() {
            Ok(Some(e)) => {
                self.status = Some(Status::Failed(e));
                false
            }
            Ok(None) | Err(std::sync::mpsc::TryRecvError::Disconnected) => false,
            Err(std::sync::mpsc::TryRecvError::Empty) => true,
        });
        if let Some(rx) = &self.saving
            && let Ok(FileOutcome::Saved(result)) = rx.try_recv()
        {
            self.saving = None;
            match result {
                Ok((path, save_point)) => {
                    if let Some(doc) = &mut self.doc {
                        doc.mark_saved(&path, save_point);
                        if !doc.is_dirty() {
                            self.autosave.clear();
                        }
                    }
                    files::remember_recent(&mut self.settings.recent_files, &path);
                    self.save_settings(ctx);
                    self.status = Some(Status::Done(format!("Saved {}", path.display())));
                    if let Some(next) = self.after_save.take() {
                        self.proceed(ctx, next);
                    }
                }
                Err(e) => {
                    self.after_save = None;
                    self.status = Some(Status::Failed(e.to_string()));
                }
            }
        }
        if let Some(rx) = &self.exporting
            && let Ok(FileOutcome::Exported(result)) = rx.try_recv()
        {
            self.exporting = None;
            self.status = Some(result.map_or_else(|e| Status::Failed(e.to_string()), Status::Done));
        }
        if let Some(rx) = &self.png_export
            && let Ok(result) = rx.try_recv()
        {
            self.png_export = None;
            self.status = Some(result.map_or_else(|e| Status::Failed(e.to_string()), Status::Done));
        }
        if let Some((purpose, rx)) = &self.dialog
            && let Ok(answer) = rx.try_recv()
        {
            let purpose = *purpose;
            self.dialog = None;
            match answer {
                Answer::Chosen(path) => self.answered(ctx, purpose, Some(path)),
                Answer::Cancelled => self.answered(ctx, purpose, None),
                Answer::Unavailable => {
                    // The map's folder ("map.svg" opened from a shell has an empty parent: the
                    // folder the editor was started in).
                    let start = self.doc.as_ref().and_then(|d| d.path.as_deref()?.parent()).map(|folder| {
                        let folder = if folder.as_os_str().is_empty() { Path::new(".") } else { folder };
                        std::path::absolute(folder).unwrap_or_else(|_| folder.to_path_buf())
                    });
                    let start = start
                        .or_else(|| directories::UserDirs::new().map(|u| u.home_dir().to_path_buf()))
                        .unwrap_or_else(|| PathBuf::from("."));
                    self.chooser = Some(FileChooser::new(purpose, &self.suggested_name(purpose), start));
                }
            }
        }
    }

    /// The in-app file chooser, when one is open; its answer is handled like a dialog's.
    fn chooser_window(&mut self, ctx: &egui::Context) {
        let Some(chooser) = &mut self.chooser else { return };
        if let Some(answer) = chooser.ui(ctx) {
            let purpose = chooser.purpose();
            self.chooser = None;
            self.answered(ctx, purpose, answer);
        }
    }

    /// Carries on with what the file dialog for `purpose` was asked for.
    fn answered(&mut self, ctx: &egui::Context, purpose: Purpose, answer: Option<PathBuf>) {
        match (purpose, answer) {
            (Purpose::Open, Some(path)) => self.open(ctx, path),
            (Purpose::Image, Some(path)) => {
                self.loading = Some((path.clone(), files::new_from_image_in_background(ctx, path)));
            }
            (Purpose::SaveAs, Some(path)) => self.save_to(ctx, path),
            (Purpose::Data, Some(path)) => {
                self.data.load(&path);
                self.show_data = true;
            }
            (Purpose::Export, Some(path)) => {
                if let (Some(doc), Some(Modal::Export(choices))) = (&self.doc, self.modal.take()) {
                    // The author and attribution typed in the dialog become the map's.
                    let meta = choices.meta(doc.map());
                    if meta != doc.map().meta {
                        self.apply("Export details", vec![crate::edit::Change::Meta(meta)]);
                    }
                    if let Some(doc) = &self.doc {
                        self.exporting =
                            Some(files::export_in_background(ctx, doc.snapshot(), choices, path));
                    }
                }
            }
            (Purpose::ExportPng, Some(path)) => {
                if let Some(doc) = &self.doc {
                    self.png_export =
                        Some(preview::export_png(ctx, doc, self.data.values().map(|(t, _)| t), path));
                }
            }
            (Purpose::SaveAs, None) => self.after_save = None,
            _ => {}
        }
    }

    /// Continues what unsaved changes interrupted.
    fn proceed(&mut self, ctx: &egui::Context, next: AfterSave) {
        match next {
            AfterSave::Close => {
                self.close_confirmed = true;
                self.autosave.clear();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            AfterSave::Open(path) => {
                self.loading = Some((path.clone(), files::open_in_background(ctx, path)));
            }
            // The open map stays until another is opened: a cancelled Open loses nothing.
            AfterSave::AskOpen => self.ask(Purpose::Open),
            AfterSave::AskImage => self.ask(Purpose::Image),
            AfterSave::New => self.modal = Some(Modal::NewMap { width: 1000.0, height: 700.0 }),
        }
    }

    /// Writes the recent maps to the settings file, in the background.
    fn save_settings(&mut self, ctx: &egui::Context) {
        if let Some(path) = &self.settings_path {
            let recent = self.settings.recent_files.clone();
            let rx = files::write_recent_in_background(ctx, path.clone(), recent, &self.recent_requests);
            self.recent_writes.push(rx);
        }
    }

    /// Queues the commands whose shortcuts were pressed, and the clipboard commands the
    /// platform delivered as events; none while a dialog is open or a drag is in progress (an
    /// undo in the middle of a drag would pull the map from under it), and only those that
    /// work anywhere while typing or while a menu was open.
    fn keyboard(&mut self, ctx: &egui::Context, menu_open: bool) {
        if self.modal.is_some() || self.doc.as_ref().is_some_and(Document::in_transaction) {
            return;
        }
        // A row of a list having the keyboard is not typing: the map's shortcuts still work.
        let list = self.tree.list.has_focus()
            || self.found.has_focus()
            || self.problems.list.has_focus()
            || self.data.has_focus();
        let typing = (ctx.egui_wants_keyboard_input() && !list) || menu_open;
        if !typing {
            let events = ctx.input(|i| i.events.clone());
            for event in &events {
                if let egui::Event::Paste(text) = event {
                    self.pasted = Some(text.clone());
                }
                self.queue.extend(command::clipboard_command(event));
            }
        }
        self.queue.extend(command::pressed(ctx, typing));
    }

    fn track_changes(&mut self, ctx: &egui::Context) {
        if let Some(doc) = &self.doc {
            if doc.revision != self.seen_revision {
                self.seen_revision = doc.revision;
                self.changed_at = Instant::now();
            }
            self.autosave.tick(doc, self.changed_at);
            if doc.is_dirty() {
                ctx.request_repaint_after(files::AUTOSAVE_IDLE);
            }
        }
    }
}

/// True for the files Open reads (an image opened with "New from image" is not a recent map).
fn doc_is_map_file(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| dialogs::Purpose::Open.extensions().contains(&e.to_ascii_lowercase().as_str()))
}

fn stem(name: &str) -> String {
    std::path::Path::new(name).file_stem().map_or_else(|| "map".into(), |s| s.to_string_lossy().into_owned())
}

impl eframe::App for EditorApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        ctx.set_visuals(if self.dark { egui::Visuals::dark() } else { egui::Visuals::light() });
        // A key pressed while a menu is open is the menu's (Escape closes it, and only that).
        let menu_open = egui::Popup::is_any_open(&ctx);
        self.poll(&ctx);
        self.track_changes(&ctx);
        let dropped = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .find_map(|f| Some(f.path().to_path_buf()).filter(|p| !p.as_os_str().is_empty()))
        });
        match dropped {
            // A list of the report's values goes to the Data panel; anything else is a map.
            Some(path) if data::is_data_file(&path) => {
                self.data.load(&path);
                self.show_data = true;
            }
            Some(path) => self.open(&ctx, path),
            None => {}
        }
        self.data.watch(&ctx);
        if ctx.input(|i| i.viewport().close_requested())
            && !self.close_confirmed
            && self.doc.as_ref().is_some_and(Document::is_dirty)
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.modal = Some(Modal::Unsaved(AfterSave::Close));
        }
        let title = self.title();
        // The window's name for assistive technology, as in its title bar.
        ctx.accesskit_node_builder(egui::accesskit_root_id(), |node| node.set_label(title.clone()));
        if title != self.sent_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.sent_title = title;
        }
        self.menu_bar(ui);
        self.side_panels(ui);
        self.central(ui);
        self.modals(&ctx);
        self.help_window(&ctx);
        self.palette_window(&ctx);
        self.chooser_window(&ctx);
        // Shortcuts last: the canvas has given the tool the keys it uses by now.
        self.keyboard(&ctx, menu_open);
        for edit in std::mem::take(&mut self.edits) {
            self.apply(&edit.name, edit.changes);
        }
        self.run_queued(&ctx);
        if !self.shown_map && self.canvas.has_render() {
            self.shown_map = true;
            // The start-up benchmark times the process up to this line.
            log::info!(target: "synmap::startup", "first frame showing the map");
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, "dark", &self.dark);
    }
}

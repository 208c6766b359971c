//! The editor window: the map on a pan/zoom canvas beside the list of its areas. Loading and
//! rendering run on background threads; the UI thread never waits on them.

mod canvas;
mod document;
mod job;
mod publish;
mod publish_azure;
mod secrets;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, channel};

use document::LoadedMap;

use crate::storage::config::Settings;

/// Opens the editor window, optionally with a map.
pub fn run(file: Option<PathBuf>) -> ExitCode {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_title("synmap").with_inner_size([1280.0, 800.0]),
        ..Default::default()
    };
    let result = eframe::run_native(
        "synmap",
        options,
        Box::new(move |cc| Ok(Box::new(EditorApp::new(&cc.egui_ctx, file)))),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synmap: cannot open the editor window: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Where loading a map stands.
enum Loading {
    Idle,
    Running(PathBuf, Receiver<Result<LoadedMap, String>>),
    Failed(String),
}

/// The editor application state.
pub struct EditorApp {
    doc: Option<LoadedMap>,
    loading: Loading,
    canvas: canvas::Canvas,
    filter: String,
    publish: publish::PublishPanel,
    show_publish: bool,
}

impl EditorApp {
    /// Creates the app and starts loading `file` in the background.
    pub fn new(ctx: &egui::Context, file: Option<PathBuf>) -> Self {
        let downloads = directories::ProjectDirs::from("", "", "synmap")
            .map_or_else(|| std::env::temp_dir().join("synmap"), |d| d.data_dir().to_path_buf())
            .join("downloads");
        Self::with_settings(ctx, file, Settings::load().map_err(|e| e.to_string()), downloads)
    }

    /// Like [`EditorApp::new`] with given publishing settings and download directory (tests
    /// use their own).
    pub fn with_settings(
        ctx: &egui::Context,
        file: Option<PathBuf>,
        settings: Result<Settings, String>,
        downloads: PathBuf,
    ) -> Self {
        let mut app = Self {
            doc: None,
            loading: Loading::Idle,
            canvas: canvas::Canvas::default(),
            filter: String::new(),
            publish: publish::PublishPanel::new(settings, downloads),
            show_publish: false,
        };
        if let Some(f) = file {
            app.open(ctx, f);
        }
        app
    }

    /// Starts loading a map on a background thread.
    pub fn open(&mut self, ctx: &egui::Context, path: PathBuf) {
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        let p = path.clone();
        std::thread::spawn(move || {
            let _ = tx.send(LoadedMap::load(&p));
            ctx.request_repaint();
        });
        self.loading = Loading::Running(path, rx);
    }

    fn poll_loading(&mut self) {
        if let Loading::Running(_, rx) = &self.loading {
            match rx.try_recv() {
                Ok(Ok(doc)) => {
                    self.doc = Some(doc);
                    self.canvas = canvas::Canvas::default();
                    self.loading = Loading::Idle;
                }
                Ok(Err(e)) => self.loading = Loading::Failed(e),
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    self.loading = Loading::Failed("the loader stopped unexpectedly".into());
                }
            }
        }
    }

    fn areas_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading("Areas");
        ui.add(egui::TextEdit::singleline(&mut self.filter).hint_text("Search id or title"));
        let Some(doc) = &self.doc else {
            ui.label("No map open.");
            return;
        };
        let needle = self.filter.to_lowercase();
        let rows: Vec<usize> = doc
            .areas
            .iter()
            .enumerate()
            .filter(|(_, a)| needle.is_empty() || a.search.contains(&needle))
            .map(|(i, _)| i)
            .collect();
        ui.label(format!("{} of {} areas", rows.len(), doc.areas.len()));
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
        egui::ScrollArea::vertical().auto_shrink(false).show_rows(ui, row_height, rows.len(), |ui, range| {
            for &i in &rows[range] {
                let a = &doc.areas[i];
                let selected = self.canvas.selected == Some(i);
                let text = format!("{}  ·  {}", a.label, a.status.as_str());
                if ui.selectable_label(selected, text).on_hover_text(&a.id).clicked() {
                    self.canvas.selected = Some(i);
                }
            }
        });
    }
}

impl eframe::App for EditorApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.poll_loading();
        let dropped = ui.ctx().input(|i| {
            i.raw
                .dropped_files
                .iter()
                .find_map(|f| Some(f.path().to_path_buf()).filter(|p| !p.as_os_str().is_empty()))
        });
        if let Some(path) = dropped {
            self.open(ui.ctx(), path);
        }
        let title = match (&self.doc, &self.loading) {
            (_, Loading::Running(p, _)) => format!("synmap — loading {}", p.display()),
            (Some(d), _) => format!("synmap — {}", d.path.display()),
            (None, _) => "synmap".to_owned(),
        };
        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Title(title));
        egui::Panel::top("toolbar").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.toggle_value(&mut self.show_publish, "Publish");
            });
        });
        egui::Panel::left("areas").default_size(300.0).show(ui, |ui| self.areas_ui(ui));
        if self.show_publish {
            let mut open = None;
            egui::Panel::right("publish").default_size(360.0).show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    let name = self
                        .doc
                        .as_ref()
                        .and_then(|d| d.path.file_stem())
                        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
                    open = self.publish.ui(ui, self.doc.as_ref().map(|d| &d.map), &name);
                });
            });
            if let Some(path) = open {
                self.open(ui.ctx(), path);
            }
        }
        egui::CentralPanel::default().show(ui, |ui| match (&mut self.doc, &self.loading) {
            (_, Loading::Failed(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, format!("Cannot open the map: {e}"));
            }
            (Some(doc), _) => self.canvas.ui(ui, doc),
            (None, Loading::Running(..)) => {
                ui.centered_and_justified(|ui| ui.spinner());
            }
            (None, _) => {
                ui.centered_and_justified(|ui| {
                    ui.label("Drop a map here, or start synmap with one: synmap plan.svg")
                });
            }
        });
    }
}

//! The Import dialog for maps converted from CAD and GIS files (DXF, GeoJSON, TopoJSON): the
//! import options, a preview of the map they make (imported and rendered off the UI thread
//! each time they change), what the import found, and Open.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

use crate::convert::{Foreign, ImportOptions, Projection, sniff};
use crate::editor::Document;
use crate::findings::Finding;
use crate::render::{RenderOptions, render};
use crate::svg::{Imported, import_file_with};

/// Width of the preview image, in pixels.
const PREVIEW_WIDTH: u32 = 480;
/// Bytes read to tell what a file is.
const SNIFF_BYTES: usize = 4096;

/// Which kind of file the dialog imports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Dxf,
    Geo,
}

/// An import and its preview, made off the UI thread.
struct Outcome {
    imported: Imported,
    areas: usize,
    /// The first areas' names, to see that the names are the wanted ones.
    first_names: Vec<String>,
    image: egui::ColorImage,
}

/// The dialog's state.
pub struct ImportDialog {
    path: PathBuf,
    kind: Kind,
    options: ImportOptions,
    /// The name property, title property and TopoJSON object as typed.
    typed: [String; 3],
    /// Simplification chosen (applied when `simplify_on`).
    simplify: f64,
    simplify_on: bool,
    job: Option<(ImportOptions, Receiver<Result<Outcome, String>>)>,
    shown: Option<(ImportOptions, Result<Outcome, String>)>,
    texture: Option<egui::TextureHandle>,
    /// The drawing's layers (DXF), from the first import.
    layers: Vec<String>,
}

/// What the dialog came to this frame.
pub enum Imports {
    /// Still open.
    Open,
    /// Closed without opening anything.
    Cancelled,
    /// Open this document.
    Done(Box<Document>),
}

/// What `path` is, when it is a file the dialog imports (DXF by its content, GeoJSON and
/// TopoJSON by their extension, or their content in a `.json` file); `None` for SVG and JSVG.
fn kind(path: &Path) -> Option<Kind> {
    use std::io::Read;
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    std::fs::File::open(path).ok()?.take(SNIFF_BYTES as u64).read_to_end(&mut head).ok()?;
    if sniff(&head) == Some(Foreign::Dxf) {
        return Some(Kind::Dxf);
    }
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if matches!(extension.as_deref(), Some("geojson" | "topojson")) {
        return Some(Kind::Geo);
    }
    let text = String::from_utf8_lossy(&head);
    let geo = ["\"FeatureCollection\"", "\"Topology\"", "\"Feature\""].iter().any(|t| text.contains(t));
    (extension.as_deref() == Some("json") && geo).then_some(Kind::Geo)
}

impl ImportDialog {
    /// The dialog for `path`, or `None` when it is not a file the dialog imports.
    pub fn new(path: PathBuf) -> Option<Self> {
        let kind = kind(&path)?;
        Some(ImportDialog {
            path,
            kind,
            options: ImportOptions::default(),
            typed: Default::default(),
            simplify: 20.0,
            simplify_on: false,
            job: None,
            shown: None,
            texture: None,
            layers: Vec::new(),
        })
    }

    /// The dialog's title.
    pub fn title(&self) -> &'static str {
        match self.kind {
            Kind::Dxf => "Import a DXF drawing",
            Kind::Geo => "Import geographic data",
        }
    }

    /// Draws the dialog's body.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Imports {
        self.receive(ui.ctx());
        let name = self.path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        ui.label(format!("Reading \"{name}\". Change what is guessed; the preview follows."));
        match self.kind {
            Kind::Dxf => self.dxf_options(ui),
            Kind::Geo => self.geo_options(ui),
        }
        self.options.simplify = self.simplify_on.then_some(self.simplify);
        self.start(ui.ctx());
        ui.separator();
        self.preview(ui);
        let ready = matches!(&self.shown, Some((options, Ok(_))) if *options == self.options);
        let mut outcome = Imports::Open;
        ui.horizontal(|ui| {
            if ui.add_enabled(ready, egui::Button::new("Open")).clicked()
                && let Some((_, Ok(done))) = self.shown.take()
            {
                let mut doc = Document::from_map(done.imported.map, name.clone());
                doc.import_findings = done.imported.findings;
                outcome = Imports::Done(Box::new(doc));
            }
            if ui.button("Cancel").clicked() {
                outcome = Imports::Cancelled;
            }
        });
        outcome
    }

    /// The room and label layers, each found by itself unless chosen.
    fn dxf_options(&mut self, ui: &mut egui::Ui) {
        let layers = self.layers.clone();
        for (label, choice, hint) in [
            ("Room layer", &mut self.options.area_layer, "the layer whose closed outlines are the rooms"),
            ("Label layer", &mut self.options.label_layer, "the layer of the texts that name the rooms"),
        ] {
            ui.horizontal(|ui| {
                let text = ui.label(label);
                egui::ComboBox::from_id_salt(label)
                    .selected_text(choice.clone().unwrap_or_else(|| "Found by itself".into()))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(choice, None, "Found by itself");
                        for layer in &layers {
                            ui.selectable_value(choice, Some(layer.clone()), layer);
                        }
                    })
                    .response
                    .labelled_by(text.id)
                    .on_hover_text(hint);
            });
        }
    }

    /// The name and title properties, the projection, the TopoJSON object, simplification.
    fn geo_options(&mut self, ui: &mut egui::Ui) {
        egui::Grid::new("geo-options").num_columns(2).show(ui, |ui| {
            let labels = [
                ("Name property", "the feature's id, then name, NAME, name_en, title, label"),
                ("Title property", "the name"),
                ("TopoJSON object", "all objects, a group each"),
            ];
            for ((label, hint), typed) in labels.into_iter().zip(&mut self.typed) {
                let text = ui.label(label);
                let edit = egui::TextEdit::singleline(typed).hint_text(hint).desired_width(220.0);
                ui.add(edit).labelled_by(text.id);
                ui.end_row();
            }
            let [id, title, object] =
                self.typed.clone().map(|t| Some(t.trim().to_owned()).filter(|t| !t.is_empty()));
            (self.options.id_property, self.options.title_property, self.options.object) =
                (id, title, object);
            let text = ui.label("Projection");
            let names = [
                (None, "Automatic"),
                (Some(Projection::Mercator), "Mercator"),
                (Some(Projection::Equirectangular), "Equirectangular"),
                (Some(Projection::AlbersUsa), "Albers USA"),
                (Some(Projection::None), "None (planar data)"),
            ];
            let current = names.iter().find(|(p, _)| *p == self.options.projection).map_or("", |(_, n)| n);
            egui::ComboBox::from_id_salt("projection")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    for (p, n) in names {
                        ui.selectable_value(&mut self.options.projection, p, n);
                    }
                })
                .response
                .labelled_by(text.id);
            ui.end_row();
            ui.checkbox(&mut self.simplify_on, "Simplify, keeping");
            ui.add_enabled(
                self.simplify_on,
                // Its text names the slider and its number for screen readers too.
                egui::Slider::new(&mut self.simplify, 1.0..=100.0).text("% of the points"),
            );
            ui.end_row();
        });
    }

    /// Takes a finished import.
    fn receive(&mut self, ctx: &egui::Context) {
        let Some((options, rx)) = &self.job else { return };
        let Ok(result) = rx.try_recv() else { return };
        if let Ok(done) = &result {
            self.texture =
                Some(ctx.load_texture("import-preview", done.image.clone(), egui::TextureOptions::LINEAR));
            if self.layers.is_empty() && self.kind == Kind::Dxf {
                let map = &done.imported.map;
                self.layers = map
                    .roots()
                    .iter()
                    .filter_map(|k| map.node(*k).title.as_deref().map(String::from))
                    .collect();
            }
        }
        self.shown = Some((options.clone(), result));
        self.job = None;
    }

    /// Starts an import when the options differ from the preview's.
    fn start(&mut self, ctx: &egui::Context) {
        let current = self.shown.as_ref().map(|(o, _)| o);
        if self.job.is_some() || current == Some(&self.options) {
            return;
        }
        let (tx, rx) = channel();
        let (path, options, ctx) = (self.path.clone(), self.options.clone(), ctx.clone());
        std::thread::spawn(move || {
            let _ = tx.send(import_and_render(&path, &options));
            ctx.request_repaint();
        });
        self.job = Some((self.options.clone(), rx));
    }

    /// The preview image and what the import found.
    fn preview(&self, ui: &mut egui::Ui) {
        if self.job.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Reading…");
            });
        }
        match &self.shown {
            Some((_, Err(e))) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            Some((_, Ok(done))) => {
                if let Some(tex) = &self.texture {
                    let size = tex.size_vec2();
                    let scale = (ui.available_width() / size.x).min(1.0).min(320.0 / size.y.max(1.0));
                    ui.add(
                        egui::Image::new((tex.id(), size * scale)).alt_text("Preview of the imported map"),
                    );
                }
                let more = if done.areas > done.first_names.len() { ", …" } else { "" };
                ui.label(format!(
                    "{}: {}{more}",
                    super::words::count(done.areas, "area", "areas"),
                    done.first_names.join(", ")
                ));
                for finding in &done.imported.findings {
                    ui.label(finding_line(finding));
                }
            }
            None => {}
        }
    }
}

/// A finding as one line for the dialog.
fn finding_line(f: &Finding) -> String {
    let first = f.message.chars().next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
    format!("{first}{}.", f.message.chars().skip(1).collect::<String>())
}

/// Imports the file with the options and renders its preview (off the UI thread).
fn import_and_render(path: &Path, options: &ImportOptions) -> Result<Outcome, String> {
    let imported = import_file_with(path, options).map_err(|e| e.to_string())?;
    let names: Vec<String> = imported
        .map
        .iter()
        .filter(|(_, n)| matches!(n.kind, crate::model::NodeKind::Shape(_)))
        .filter_map(|(_, n)| n.id.as_ref().map(crate::ids::RawId::to_name))
        .collect();
    let (areas, first_names) = (names.len(), names.into_iter().take(6).collect());
    let opts =
        RenderOptions { width: PREVIEW_WIDTH, legend: false, labels: false, ..RenderOptions::default() };
    let preview = render(&imported.map, None, &opts).map_err(|e| e.to_string())?;
    let size = [preview.pixmap.width() as usize, preview.pixmap.height() as usize];
    let image = egui::ColorImage::from_rgba_premultiplied(size, preview.pixmap.data());
    Ok(Outcome { imported, areas, first_names, image })
}

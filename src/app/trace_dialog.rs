//! The Trace all rooms dialog: every enclosed region of the tracing image found on another
//! thread with the options set here, counted and drawn in a preview, then added as areas named
//! from a prefix and a number, in one undo step.

use std::sync::Arc;
use std::thread::JoinHandle;

use crate::edit::Change;
use crate::editor::Document;
use crate::ids::Sequence;
use crate::trace::{Outline, Picture, Pixels, TraceOptions, area_nodes, path_of, pixels_to_map, trace_all};

/// Rooms found, in the tracing image's pixels, and the picture's size.
type Found = Result<(Vec<Outline>, (f64, f64)), String>;

/// What a tracing thread gives back: the rooms, and the picture it decoded (kept, so that
/// tracing again with other options does not decode it again).
type FromThread = (Found, Option<Arc<Pixels>>);

/// The dialog's state.
pub struct TraceAll {
    opts: TraceOptions,
    prefix: String,
    start: u64,
    /// The tracing in progress, for these options.
    job: Option<(TraceOptions, JoinHandle<FromThread>)>,
    /// The last tracing finished, for these options.
    found: Option<(TraceOptions, Found)>,
    /// The tracing image's pixels, once decoded (the map cannot change while the dialog is open).
    pixels: Option<Arc<Pixels>>,
}

impl Default for TraceAll {
    fn default() -> Self {
        TraceAll {
            opts: TraceOptions::default(),
            prefix: "Area_".into(),
            start: 1,
            job: None,
            found: None,
            pixels: None,
        }
    }
}

/// What the dialog came to this frame.
pub enum Traced {
    /// Still open.
    Open,
    /// Closed without a change.
    Cancelled,
    /// Add these areas (this many).
    Apply(Vec<Change>, usize),
}

impl TraceAll {
    /// Starts tracing with the current options unless that is done, or a tracing is under way
    /// (one at a time: while an option is dragged, the next starts when the last has finished).
    fn trace(&mut self, doc: &Document) {
        if self.job.is_some() || self.found.as_ref().is_some_and(|(o, _)| *o == self.opts) {
            return;
        }
        let Some(tracing) = doc.map().tracing.as_ref() else {
            self.found = Some((self.opts.clone(), Err("The map has no tracing image.".into())));
            return;
        };
        let (url, opts, decoded) = (tracing.data_url.clone(), self.opts.clone(), self.pixels.clone());
        let work = std::thread::Builder::new().name("trace all".into()).spawn(move || {
            let pixels = match decoded.map_or_else(|| decode(&url).map(Arc::new), Ok) {
                Ok(pixels) => pixels,
                Err(e) => return (Err(e), None),
            };
            let size = (pixels.width as f64, pixels.height as f64);
            (Ok((trace_all(&pixels, &opts), size)), Some(pixels))
        });
        match work {
            Ok(handle) => self.job = Some((self.opts.clone(), handle)),
            Err(e) => self.found = Some((self.opts.clone(), Err(e.to_string()))),
        }
    }

    /// Takes the finished tracing, if it has finished.
    fn collect(&mut self) {
        if self.job.as_ref().is_some_and(|(_, h)| h.is_finished())
            && let Some((opts, handle)) = self.job.take()
        {
            let (found, pixels) =
                handle.join().unwrap_or_else(|_| (Err("Tracing failed on this picture.".into()), None));
            self.pixels = pixels.or(self.pixels.take());
            self.found = Some((opts, found));
        }
    }

    /// Draws the dialog's body.
    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &Document) -> Traced {
        ui.label("Every region of the tracing image enclosed by walls becomes an area.");
        egui::Grid::new("trace-options").num_columns(2).show(ui, |ui| {
            ui.label("Tolerance").on_hover_text("How far a colour may stray within one room (0–255)");
            ui.add(egui::DragValue::new(&mut self.opts.tolerance).range(0..=255));
            ui.end_row();
            ui.label("Close gaps")
                .on_hover_text("Gaps in walls up to this wide (doors) do not join two rooms");
            ui.add(egui::DragValue::new(&mut self.opts.close_gaps).range(0..=200).suffix(" px"));
            ui.end_row();
            ui.label("Smallest room").on_hover_text("Regions smaller than this are not rooms");
            ui.add(egui::DragValue::new(&mut self.opts.min_area).range(1..=10_000_000).suffix(" px²"));
            ui.end_row();
            ui.label("Node density")
                .on_hover_text("How far an outline may stray from the room's edge to save a node");
            ui.add(egui::DragValue::new(&mut self.opts.detail).range(0.0..=10.0).speed(0.1).suffix(" px"));
            ui.end_row();
            ui.label("Thin lines are walls");
            ui.checkbox(&mut self.opts.thin_lines_are_walls, "").on_hover_text(
                "Off: in a plan with thick walls, door swings, furniture and text are not walls",
            );
            ui.end_row();
            let label = ui.label("Names");
            ui.horizontal(|ui| {
                let field = ui
                    .add(egui::TextEdit::singleline(&mut self.prefix).desired_width(90.0))
                    .labelled_by(label.id);
                super::a11y::name_field(ui, &field, "Name prefix");
                ui.label("from");
                ui.add(egui::DragValue::new(&mut self.start).range(0..=1_000_000_000));
            });
            ui.end_row();
        });
        self.collect();
        self.trace(doc);
        let found = self.found.as_ref().filter(|(o, _)| *o == self.opts).map(|(_, f)| f);
        let mut apply = None;
        ui.separator();
        match found {
            None => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Tracing…");
                });
                ui.ctx().request_repaint_after(std::time::Duration::from_millis(50));
            }
            Some(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, e.as_str());
            }
            Some(Ok((outlines, size))) => {
                ui.label(format!("{} found", super::words::count(outlines.len(), "room", "rooms")));
                preview(ui, outlines, *size);
                apply = (!outlines.is_empty()).then(|| (outlines.clone(), *size));
            }
        }
        let mut result = Traced::Open;
        ui.horizontal(|ui| {
            let add = ui.add_enabled(apply.is_some(), egui::Button::new("Add as areas"));
            if add.clicked()
                && let (Some((outlines, size)), Some(tracing)) = (&apply, doc.map().tracing.as_ref())
            {
                let to_map = pixels_to_map(tracing, *size);
                let in_map: Vec<Outline> =
                    outlines.iter().map(|o| o.iter().map(|&p| to_map * p).collect()).collect();
                let names = Sequence { prefix: self.prefix.trim().to_owned(), start: self.start, digits: 1 };
                let nodes = area_nodes(&in_map, &names, &mut doc.unique_ids());
                let n = nodes.len();
                let changes =
                    nodes.into_iter().map(|node| Change::Add(None, usize::MAX, Box::new(node))).collect();
                result = Traced::Apply(changes, n);
            }
            if ui.button("Cancel").clicked() {
                result = Traced::Cancelled;
            }
        });
        result
    }
}

/// The pixels of a tracing image's `data:` URL.
fn decode(url: &str) -> Result<Pixels, String> {
    let picture = Picture::from_data_url(url).ok_or("The tracing image cannot be read.")?;
    picture.pixels().map_err(|e| e.to_string())
}

/// The rooms found, drawn small over the picture's frame.
fn preview(ui: &mut egui::Ui, outlines: &[Outline], (width, height): (f64, f64)) {
    let scale = (420.0 / width).min(280.0 / height);
    let size = egui::vec2((width * scale) as f32, (height * scale) as f32);
    let (response, painter) = ui.allocate_painter(size, egui::Sense::hover());
    let frame = response.rect;
    painter.rect_filled(frame, 2.0, ui.visuals().extreme_bg_color);
    let to_screen = kurbo::Affine::translate((f64::from(frame.min.x), f64::from(frame.min.y)))
        * kurbo::Affine::scale(scale);
    let path = path_of(outlines, to_screen);
    let stroke = egui::Stroke::new(1.0, ui.visuals().selection.stroke.color);
    let mut points: Vec<egui::Pos2> = Vec::new();
    for el in path.elements() {
        match *el {
            kurbo::PathEl::MoveTo(p) => {
                points.clear();
                points.push(egui::pos2(p.x as f32, p.y as f32));
            }
            kurbo::PathEl::LineTo(p) => points.push(egui::pos2(p.x as f32, p.y as f32)),
            kurbo::PathEl::ClosePath => {
                painter.add(egui::Shape::closed_line(std::mem::take(&mut points), stroke));
            }
            _ => {}
        }
    }
}

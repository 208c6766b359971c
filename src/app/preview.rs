//! The preview pane: the render of exactly what would be exported, coloured by binding status
//! against the report's values when loaded (or along their numeric column, as the visual colours
//! by a measure) with labels, redone in the background after each change, and its legend in the
//! window's own text (readable however narrow the pane); and its export to PNG (legend drawn
//! in).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use super::files::FileError;
use crate::categories::CategoryTable;
use crate::editor::Document;
use crate::fsutil::write_atomic;
use crate::render::{RenderError, RenderOptions, render};

/// Width of the preview image.
const WIDTH: u32 = 1024;
/// Width of an exported PNG.
pub const PNG_WIDTH: u32 = 2048;

/// What a preview render shows: the document revision and the generation of the values.
type Shown = (u64, u64);

/// The preview's texture and the render in progress.
#[derive(Default)]
pub struct PreviewPane {
    texture: Option<(Shown, egui::TextureHandle)>,
    job: Option<(Shown, Receiver<Result<egui::ColorImage, RenderError>>)>,
    error: Option<RenderError>,
}

impl PreviewPane {
    /// True when no render is in progress.
    pub fn is_settled(&self) -> bool {
        self.job.is_none()
    }

    /// Draws the preview of `doc` against the report's `values` (with their generation),
    /// starting a new render when either changed.
    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &Document, values: Option<(Arc<CategoryTable>, u64)>) {
        let ctx = ui.ctx().clone();
        if let Some((revision, rx)) = &self.job
            && let Ok(result) = rx.try_recv()
        {
            match result {
                Ok(image) => {
                    self.texture =
                        Some((*revision, ctx.load_texture("preview", image, egui::TextureOptions::LINEAR)));
                    self.error = None;
                }
                Err(e) => self.error = Some(e),
            }
            self.job = None;
        }
        let current = self.texture.as_ref().map(|(r, _)| *r);
        let wanted = (doc.revision, values.as_ref().map_or(0, |(_, g)| *g));
        let table = values.map(|(t, _)| t);
        if self.job.is_none() && current != Some(wanted) && self.error.is_none() && !doc.in_transaction() {
            let map = doc.snapshot();
            let (tx, rx) = channel();
            let table = table.clone();
            super::background::spawn(super::background::Priority::Checking, move || {
                let opts = RenderOptions { width: WIDTH, legend: false, ..RenderOptions::default() };
                let image = render(&map, table.as_deref(), &opts).map(|p| {
                    let size = [p.pixmap.width() as usize, p.pixmap.height() as usize];
                    egui::ColorImage::from_rgba_premultiplied(size, p.pixmap.data())
                });
                let _ = tx.send(image);
                ctx.request_repaint();
            });
            self.job = Some((wanted, rx));
        }
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, format!("The preview cannot be drawn: {e}"));
        }
        if self.job.is_some() {
            ui.label("Updating…");
        }
        if let Some((_, tex)) = &self.texture {
            let size = tex.size_vec2();
            let scale = (ui.available_width() / size.x).min(1.0);
            ui.add(egui::Image::new((tex.id(), size * scale)).alt_text("Preview of the exported map"));
            match table.as_ref().and_then(|t| measure_range(t)) {
                Some(range) => scale_ui(ui, range),
                None => legend_ui(ui),
            }
        }
    }
}

/// A swatch and a name per binding status, wrapping to the pane's width.
fn legend_ui(ui: &mut egui::Ui) {
    ui.horizontal_wrapped(|ui| {
        for status in crate::render::colors::LEGEND {
            let (rect, _) = ui.allocate_exact_size(egui::Vec2::splat(12.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, super::canvas::status_colour(status));
            ui.label(status.as_str());
            ui.add_space(6.0);
        }
    });
}

/// The lowest and highest measure, when the values have a numeric column.
fn measure_range(table: &CategoryTable) -> Option<(f64, f64)> {
    let values = table.measures.as_ref()?.iter().flatten().copied().filter(|v| v.is_finite());
    values.fold(None, |r, v| Some(r.map_or((v, v), |(lo, hi): (f64, f64)| (lo.min(v), hi.max(v)))))
}

/// The measure scale: its low and high ends with their values.
fn scale_ui(ui: &mut egui::Ui, (low, high): (f64, f64)) {
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("{low}"));
        for i in 0..=8 {
            let colour = crate::render::scale_color(f64::from(i) / 8.0);
            let colour = egui::Color32::from_hex(&colour).unwrap_or(egui::Color32::GRAY);
            let (rect, _) = ui.allocate_exact_size(egui::Vec2::new(14.0, 12.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 0.0, colour);
        }
        ui.label(format!("{high}"));
        ui.label("· no value: grey");
    });
}

/// Renders the preview at [`PNG_WIDTH`] and writes it atomically, on a background thread.
pub fn export_png(
    ctx: &egui::Context,
    doc: &Document,
    values: Option<Arc<CategoryTable>>,
    path: PathBuf,
) -> Receiver<Result<String, FileError>> {
    let map = doc.snapshot();
    let (tx, rx) = channel();
    let ctx = ctx.clone();
    std::thread::spawn(move || {
        let opts = RenderOptions { width: PNG_WIDTH, ..RenderOptions::default() };
        let result = render(&map, values.as_deref(), &opts)
            .and_then(|p| p.to_png())
            .map_err(FileError::from)
            .and_then(|png| {
                write_atomic(&path, &png).map_err(|source| FileError::Write { path: path.clone(), source })
            })
            .map(|()| format!("Exported the preview to {}", path.display()));
        let _ = tx.send(result);
        ctx.request_repaint();
    });
    rx
}

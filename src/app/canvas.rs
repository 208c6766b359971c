//! The map canvas: the preview render as a texture under a pan/zoom view, with hover and
//! selection outlines. Renders run on a background thread at a resolution that follows zoom.

use std::sync::mpsc::{Receiver, channel};

use egui::{Color32, Pos2, Rect, Sense, Stroke, TextureHandle, Vec2};
use kurbo::{PathEl, Shape};

use super::document::LoadedMap;
use crate::render::{RenderOptions, render};

/// Largest texture width requested from the renderer.
const MAX_TEXTURE: u32 = 4096;

/// Pan/zoom state, selection and the rendered texture.
#[derive(Default)]
pub struct Canvas {
    /// Screen pixels per document unit; 0 until the first fit.
    zoom: f32,
    /// Screen position of the document origin, relative to the canvas.
    offset: Vec2,
    texture: Option<(u32, TextureHandle)>,
    job: Option<(u32, Receiver<Option<egui::ColorImage>>)>,
    /// A width whose render failed (the map is too tall for it): not retried every frame.
    failed_width: Option<u32>,
    /// Index of the selected area.
    pub selected: Option<usize>,
}

impl Canvas {
    /// Draws the canvas and handles pan, zoom, hover and click.
    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &LoadedMap) {
        let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::click_and_drag());
        let rect = response.rect;
        let vb = doc.map.view_box;
        if self.zoom <= 0.0 {
            self.zoom = (rect.width() / vb.width as f32).min(rect.height() / vb.height as f32) * 0.95;
            let size = Vec2::new(vb.width as f32, vb.height as f32) * self.zoom;
            self.offset = (rect.size() - size) / 2.0 - Vec2::new(vb.x as f32, vb.y as f32) * self.zoom;
        }
        if response.dragged() {
            self.offset += response.drag_delta();
        }
        if let Some(hover) = response.hover_pos() {
            let scroll = ui.input(|i| i.smooth_scroll_delta.y);
            let factor = ui.input(|i| i.zoom_delta()) * (scroll / 200.0).exp();
            if factor != 1.0 {
                let anchor = hover - rect.min;
                self.offset = anchor - (anchor - self.offset) * factor;
                self.zoom *= factor;
            }
        }
        self.update_texture(ui.ctx(), doc);
        let (offset, zoom) = (self.offset, self.zoom);
        let screen_from_doc = |p: kurbo::Point| rect.min + offset + Vec2::new(p.x as f32, p.y as f32) * zoom;
        painter.rect_filled(rect, 0.0, ui.visuals().extreme_bg_color);
        let art = Rect::from_min_max(
            screen_from_doc(kurbo::Point::new(vb.x, vb.y)),
            screen_from_doc(kurbo::Point::new(vb.x + vb.width, vb.y + vb.height)),
        );
        match &self.texture {
            Some((_, tex)) => {
                painter.image(
                    tex.id(),
                    art,
                    Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0)),
                    Color32::WHITE,
                );
            }
            None => {
                painter.rect_filled(art, 0.0, Color32::WHITE);
            }
        }
        let doc_from_screen = |p: Pos2| {
            let v = (p - rect.min - offset) / zoom;
            kurbo::Point::new(f64::from(v.x), f64::from(v.y))
        };
        let hovered = response.hover_pos().and_then(|p| {
            let d = doc_from_screen(p);
            doc.areas.iter().rposition(|a| a.bbox.contains(d) && a.outline.contains(d))
        });
        if response.clicked() {
            self.selected = hovered;
        }
        for (index, color, width) in [
            (hovered, Color32::from_rgb(255, 140, 0), 2.0),
            (self.selected, Color32::from_rgb(0, 120, 215), 3.0),
        ] {
            if let Some(a) = index.and_then(|i| doc.areas.get(i)) {
                outline(&painter, &a.outline, &screen_from_doc, Stroke::new(width, color));
            }
        }
        if let Some(a) = hovered.and_then(|i| doc.areas.get(i)) {
            response.on_hover_text(format!("{}\n{} · {}", a.label, a.id, a.status.as_str()));
        }
    }

    /// Requests a render at the resolution the current zoom needs, and picks up finished ones.
    fn update_texture(&mut self, ctx: &egui::Context, doc: &LoadedMap) {
        if let Some((width, rx)) = &self.job
            && let Ok(result) = rx.try_recv()
        {
            match result {
                Some(image) => {
                    let tex = ctx.load_texture("map-preview", image, egui::TextureOptions::LINEAR);
                    self.texture = Some((*width, tex));
                }
                None => self.failed_width = Some(*width),
            }
            self.job = None;
        }
        let wanted = ((doc.map.view_box.width as f32 * self.zoom * ctx.pixels_per_point()) as u32)
            .next_power_of_two()
            .clamp(256, MAX_TEXTURE);
        let have = self.texture.as_ref().map_or(0, |(w, _)| *w);
        if self.job.is_none() && have != wanted && self.failed_width != Some(wanted) {
            let (tx, rx) = channel();
            let map = doc.map.clone();
            let ctx = ctx.clone();
            std::thread::spawn(move || {
                let opts = RenderOptions { width: wanted, legend: false, ..RenderOptions::default() };
                let image = render(&map, None, &opts).ok().map(|p| {
                    let size = [p.pixmap.width() as usize, p.pixmap.height() as usize];
                    egui::ColorImage::from_rgba_premultiplied(size, p.pixmap.data())
                });
                let _ = tx.send(image);
                ctx.request_repaint();
            });
            self.job = Some((wanted, rx));
        }
    }
}

fn outline(
    painter: &egui::Painter,
    path: &kurbo::BezPath,
    to_screen: &impl Fn(kurbo::Point) -> Pos2,
    stroke: Stroke,
) {
    let mut pts: Vec<Pos2> = Vec::new();
    let flush = |pts: &mut Vec<Pos2>| {
        if pts.len() > 1 {
            painter.add(egui::Shape::line(std::mem::take(pts), stroke));
        }
        pts.clear();
    };
    kurbo::flatten(path.iter(), 0.25, |el| match el {
        PathEl::MoveTo(p) => {
            flush(&mut pts);
            pts.push(to_screen(p));
        }
        PathEl::LineTo(p) => pts.push(to_screen(p)),
        PathEl::ClosePath => {
            if let Some(first) = pts.first().copied() {
                pts.push(first);
            }
        }
        _ => {}
    });
    flush(&mut pts);
}

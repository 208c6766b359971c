//! The map canvas: the preview render as a texture under a pan/zoom view, with hover and
//! selection outlines, and the tools: select (click, Shift-click, rubber band, drag to move,
//! arrow keys), rectangle and ellipse drawing, and pan. Renders run on a background thread at
//! a resolution that follows zoom and are redone after every change.

use std::sync::mpsc::{Receiver, channel};

use egui::{Color32, Pos2, Rect, Sense, Stroke, TextureHandle, Vec2};
use kurbo::{Affine, PathEl, Point};

use super::document::Document;
use super::nodes;
use super::properties::Edit;
use crate::edit::Change;
use crate::model::{Geometry, Node, NodeKey, NodeKind, Style};
use crate::render::{RenderOptions, render};

/// Largest texture width requested from the renderer.
const MAX_TEXTURE: u32 = 4096;
/// Width of the first render of a map.
const FIRST_TEXTURE: u32 = 512;

/// The active tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Tool {
    /// Select and move (`V`).
    #[default]
    Select,
    /// Draw rectangles (`R`).
    Rectangle,
    /// Draw ellipses (`L`).
    Ellipse,
    /// Draw polygons point by point (`B`); a closed outline becomes an area.
    Pen,
    /// Draw a closed outline freehand (`P`).
    Freehand,
    /// Draw lines as decoration (`\`).
    Line,
    /// Place text labels as decoration (`T`).
    Text,
    /// Move, insert and delete the nodes of the selected shape (`A`).
    Nodes,
    /// Pan the view (`H`).
    Pan,
}

/// Every tool, in toolbar order.
pub const TOOLS: [Tool; 9] = [
    Tool::Select,
    Tool::Nodes,
    Tool::Rectangle,
    Tool::Ellipse,
    Tool::Pen,
    Tool::Freehand,
    Tool::Line,
    Tool::Text,
    Tool::Pan,
];

impl Tool {
    /// Name and shortcut, for buttons and help.
    pub fn label(self) -> &'static str {
        match self {
            Tool::Select => "Select (V)",
            Tool::Rectangle => "Rectangle (R)",
            Tool::Ellipse => "Ellipse (L)",
            Tool::Pen => "Pen (B)",
            Tool::Freehand => "Freehand (P)",
            Tool::Line => "Line (\\)",
            Tool::Text => "Text (T)",
            Tool::Nodes => "Nodes (A)",
            Tool::Pan => "Pan (H)",
        }
    }

    /// The key that picks the tool.
    pub fn key(self) -> egui::Key {
        match self {
            Tool::Select => egui::Key::V,
            Tool::Rectangle => egui::Key::R,
            Tool::Ellipse => egui::Key::L,
            Tool::Pen => egui::Key::B,
            Tool::Freehand => egui::Key::P,
            Tool::Line => egui::Key::Backslash,
            Tool::Text => egui::Key::T,
            Tool::Nodes => egui::Key::A,
            Tool::Pan => egui::Key::H,
        }
    }
}

/// A drag in progress, in document coordinates.
enum Drag {
    Move { from: Point, to: Point },
    Draw { from: Point, to: Point },
    Band { from: Point, to: Point },
    Freehand(Vec<Point>),
    Node { index: usize, to: Point },
    Resize { corner: usize, to: Point },
    Rotate { from: Point, to: Point, snap: bool },
    Pan,
}

/// Pan/zoom state, the tool, and the rendered texture.
#[derive(Default)]
pub struct Canvas {
    /// Screen pixels per document unit; 0 until the first fit.
    zoom: f32,
    /// Screen position of the document origin, relative to the canvas.
    offset: Vec2,
    texture: Option<(u32, u64, TextureHandle)>,
    job: Option<(u32, u64, Receiver<Option<egui::ColorImage>>)>,
    /// A width whose render failed (the map is too tall for it): not retried every frame.
    failed_width: Option<u32>,
    drag: Option<Drag>,
    /// The active tool.
    pub tool: Tool,
    /// Colour areas by binding status instead of their own styles.
    pub status_overlay: bool,
    /// Snapping settings.
    pub snap: super::snap::Snap,
    /// Points placed so far with the pen.
    pen: Vec<Point>,
    /// The canvas's screen rectangle in the last frame.
    view: Option<Rect>,
}

/// What the canvas asks the app to do.
pub enum CanvasAction {
    /// Apply an edit and select these nodes afterwards.
    Edit(Edit, Vec<NodeKey>),
    /// Add a new node as one step with this name, and select it.
    Create(&'static str, Box<Node>),
    /// Ask for the text of a label to place here.
    AskText(Point),
}

impl Canvas {
    /// Forgets the view and render of the previous map; keeps the tool.
    pub fn reset(&mut self) {
        *self = Canvas {
            tool: self.tool,
            status_overlay: self.status_overlay,
            snap: self.snap,
            ..Canvas::default()
        };
    }

    /// The canvas's screen rectangle in the last frame (empty before the first).
    pub fn view(&self) -> Rect {
        self.view.unwrap_or(Rect::NOTHING)
    }

    /// True once a render of the map is on screen.
    pub fn has_render(&self) -> bool {
        self.texture.is_some()
    }

    /// True when the sharp render of the current view is on screen and none is in progress.
    pub fn is_settled(&self) -> bool {
        self.texture.is_some() && self.job.is_none()
    }

    /// Fits the whole map into view on the next frame.
    pub fn zoom_to_fit(&mut self) {
        self.zoom = 0.0;
    }

    /// One document unit per screen pixel, keeping the centre of `view` where it is.
    pub fn zoom_actual(&mut self, view: Rect) {
        let centre = view.center() - view.min;
        self.offset = centre - (centre - self.offset) / self.zoom.max(f32::MIN_POSITIVE);
        self.zoom = 1.0;
    }

    /// Frames `area` (document coordinates) in `view`.
    pub fn zoom_to(&mut self, view: Rect, area: kurbo::Rect) {
        if area.width() <= 0.0 && area.height() <= 0.0 {
            return;
        }
        let zoom = (view.width() / area.width().max(1.0) as f32)
            .min(view.height() / area.height().max(1.0) as f32)
            * 0.8;
        self.zoom = zoom;
        let c = area.center();
        self.offset = view.size() / 2.0 - Vec2::new(c.x as f32, c.y as f32) * zoom;
    }

    /// Draws the canvas and handles the tools. `selection` is updated by clicks; edits (move,
    /// draw) are returned.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        selection: &mut Vec<NodeKey>,
    ) -> Option<CanvasAction> {
        let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::click_and_drag());
        let response = response.on_hover_cursor(match self.tool {
            Tool::Pan => egui::CursorIcon::Grab,
            Tool::Select | Tool::Nodes => egui::CursorIcon::Default,
            Tool::Text => egui::CursorIcon::Text,
            _ => egui::CursorIcon::Crosshair,
        });
        // When a panel opens or closes the canvas changes size: keep what was at its centre there.
        if let Some(before) = self.view
            && before.size() != response.rect.size()
        {
            self.offset += (response.rect.size() - before.size()) / 2.0;
        }
        self.view = Some(response.rect);
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Map canvas"));
        let rect = response.rect;
        let vb = doc.map.view_box;
        if self.zoom <= 0.0 {
            self.zoom = (rect.width() / vb.width as f32).min(rect.height() / vb.height as f32) * 0.95;
            let size = Vec2::new(vb.width as f32, vb.height as f32) * self.zoom;
            self.offset = (rect.size() - size) / 2.0 - Vec2::new(vb.x as f32, vb.y as f32) * self.zoom;
        }
        if let Some(hover) = response.hover_pos() {
            let (delta, pan) = ui.input(|i| (i.smooth_scroll_delta, i.modifiers.shift || i.modifiers.alt));
            // The wheel zooms; with Shift or Alt it pans.
            let scroll = if pan {
                self.offset += delta;
                0.0
            } else {
                delta.y
            };
            let factor = ui.input(|i| i.zoom_delta()) * (scroll / 200.0).exp();
            if factor != 1.0 {
                let anchor = hover - rect.min;
                self.offset = anchor - (anchor - self.offset) * factor;
                self.zoom *= factor;
            }
        }
        self.update_texture(ui.ctx(), doc);
        let (offset, zoom) = (self.offset, self.zoom);
        let to_screen = move |p: Point| rect.min + offset + Vec2::new(p.x as f32, p.y as f32) * zoom;
        let to_doc = move |p: Pos2| {
            let v = (p - rect.min - offset) / zoom;
            Point::new(f64::from(v.x), f64::from(v.y))
        };
        painter.rect_filled(rect, 0.0, ui.visuals().extreme_bg_color);
        let art = Rect::from_min_max(
            to_screen(Point::new(vb.x, vb.y)),
            to_screen(Point::new(vb.x + vb.width, vb.y + vb.height)),
        );
        match &self.texture {
            Some((_, _, tex)) => {
                let uv = Rect::from_min_max(Pos2::ZERO, Pos2::new(1.0, 1.0));
                painter.image(tex.id(), art, uv, Color32::WHITE);
            }
            None => {
                painter.rect_filled(art, 0.0, Color32::WHITE);
            }
        }
        let hovered = response.hover_pos().and_then(|p| doc.hit(to_doc(p)));
        let action = self.handle(ui, &response, doc, selection, hovered, &to_doc);

        // Outlines: hover, selection (moved along while dragging), and the shape being drawn.
        // The selection as it would be after the drag in progress.
        let live = self.drag_transform(doc, selection);
        if let Some(a) = hovered.and_then(|k| doc.area_index(k)).map(|i| &doc.areas[i]) {
            draw_outline(&painter, &a.outline, &to_screen, Stroke::new(2.0, Color32::from_rgb(255, 140, 0)));
        }
        let blue = Color32::from_rgb(0, 120, 215);
        for key in selection.iter() {
            if let Some(a) = doc.area_index(*key).map(|i| &doc.areas[i]) {
                let mut path = a.outline.clone();
                path.apply_affine(live);
                draw_outline(&painter, &path, &to_screen, Stroke::new(3.0, blue));
            }
        }
        if self.tool == Tool::Select
            && let Some(b) = selection_box(doc, selection)
        {
            let (corners, rotate) = handles(b);
            for corner in corners {
                let r = Rect::from_center_size(to_screen(live * corner), Vec2::splat(8.0));
                painter.rect_filled(r, 0.0, Color32::WHITE);
                painter.rect_stroke(r, 0.0, Stroke::new(1.0, blue), egui::StrokeKind::Middle);
            }
            let top = to_screen(live * Point::new(b.center().x, b.y0));
            let knob = to_screen(live * rotate);
            painter.line_segment([top, knob], Stroke::new(1.0, blue));
            painter.circle(knob, 5.0, Color32::WHITE, Stroke::new(1.0, blue));
        }
        match &self.drag {
            Some(Drag::Draw { from, to }) => {
                let r = Rect::from_two_pos(to_screen(*from), to_screen(*to));
                let stroke = Stroke::new(2.0, Color32::from_rgb(0, 120, 215));
                match self.tool {
                    Tool::Ellipse => {
                        painter.add(egui::Shape::ellipse_stroke(r.center(), r.size() / 2.0, stroke));
                    }
                    Tool::Line => {
                        painter.line_segment([to_screen(*from), to_screen(*to)], stroke);
                    }
                    _ => {
                        painter.rect_stroke(r, 0.0, stroke, egui::StrokeKind::Middle);
                    }
                }
            }
            Some(Drag::Freehand(points)) => {
                let pts: Vec<Pos2> = points.iter().map(|p| to_screen(*p)).collect();
                painter.add(egui::Shape::line(pts, Stroke::new(2.0, Color32::from_rgb(0, 120, 215))));
            }
            Some(Drag::Band { from, to }) => {
                let r = Rect::from_two_pos(to_screen(*from), to_screen(*to));
                painter.rect_filled(r, 0.0, Color32::from_rgba_unmultiplied(0, 120, 215, 30));
                painter.rect_stroke(
                    r,
                    0.0,
                    Stroke::new(1.0, Color32::from_rgb(0, 120, 215)),
                    egui::StrokeKind::Middle,
                );
            }
            _ => {}
        }
        self.tool_overlay(&painter, doc, selection, response.hover_pos().map(to_doc), &to_screen);
        if let Some(a) = hovered.and_then(|k| doc.area_index(k)).map(|i| &doc.areas[i])
            && self.drag.is_none()
            && self.pen.is_empty()
        {
            response.on_hover_text(format!("{}\n{} · {}", a.label, a.id, a.status.as_str()));
        }
        action
    }

    /// The pen's outline so far and the nodes of the shape being node-edited.
    fn tool_overlay(
        &self,
        painter: &egui::Painter,
        doc: &Document,
        selection: &[NodeKey],
        pointer: Option<Point>,
        to_screen: &impl Fn(Point) -> Pos2,
    ) {
        let blue = Color32::from_rgb(0, 120, 215);
        if !self.pen.is_empty() {
            let mut pts: Vec<Pos2> = self.pen.iter().map(|p| to_screen(*p)).collect();
            if let Some(p) = pointer {
                pts.push(to_screen(p));
            }
            painter.add(egui::Shape::line(pts, Stroke::new(2.0, blue)));
            painter.circle_stroke(to_screen(self.pen[0]), 6.0, Stroke::new(1.5, blue));
        }
        if self.tool == Tool::Nodes
            && let [key] = selection
            && let Some((mut pts, _)) = nodes::vertices(&doc.map, *key)
        {
            if let Some(Drag::Node { index, to }) = &self.drag {
                pts[*index] = *to;
            }
            for p in pts {
                let r = Rect::from_center_size(to_screen(p), Vec2::splat(7.0));
                painter.rect_filled(r, 0.0, Color32::WHITE);
                painter.rect_stroke(r, 0.0, Stroke::new(1.5, blue), egui::StrokeKind::Middle);
            }
        }
    }

    /// The document-space transform the drag in progress applies to the selection.
    fn drag_transform(&self, doc: &Document, selection: &[NodeKey]) -> Affine {
        let Some(b) = selection_box(doc, selection) else { return Affine::IDENTITY };
        match &self.drag {
            Some(Drag::Move { from, to }) => Affine::translate(*to - *from),
            Some(Drag::Resize { corner, to }) => {
                let (corners, _) = handles(b);
                let (grab, anchor) = (corners[*corner], corners[3 - *corner]);
                let sx = if (grab.x - anchor.x).abs() > 1e-9 {
                    (to.x - anchor.x) / (grab.x - anchor.x)
                } else {
                    1.0
                };
                let sy = if (grab.y - anchor.y).abs() > 1e-9 {
                    (to.y - anchor.y) / (grab.y - anchor.y)
                } else {
                    1.0
                };
                // Never collapse or mirror by accident.
                let (sx, sy) = (sx.max(0.01), sy.max(0.01));
                Affine::translate(anchor.to_vec2())
                    * Affine::scale_non_uniform(sx, sy)
                    * Affine::translate(-anchor.to_vec2())
            }
            Some(Drag::Rotate { from, to, snap }) => {
                let c = b.center();
                let mut angle = (*to - c).atan2() - (*from - c).atan2();
                if *snap {
                    let step = 15f64.to_radians();
                    angle = (angle / step).round() * step;
                }
                Affine::rotate_about(angle, c)
            }
            _ => Affine::IDENTITY,
        }
    }

    /// Which selection handle is within a few pixels of `p`: corners 0–3, rotation 4.
    fn handle_at(&self, doc: &Document, selection: &[NodeKey], p: Point) -> Option<usize> {
        let b = selection_box(doc, selection)?;
        let (corners, rotate) = handles(b);
        let radius = f64::from(7.0 / self.zoom.max(f32::MIN_POSITIVE));
        if rotate.distance(p) <= radius {
            return Some(4);
        }
        corners.iter().position(|c| c.distance(p) <= radius)
    }

    /// The vertex of the node-edited shape within a few pixels of `p`.
    fn node_at(&self, doc: &Document, selection: &[NodeKey], p: Point) -> Option<usize> {
        let [key] = selection else { return None };
        let (pts, _) = nodes::vertices(&doc.map, *key)?;
        let radius = f64::from(6.0 / self.zoom);
        pts.iter().position(|v| v.distance(p) <= radius)
    }

    #[allow(clippy::too_many_arguments)]
    fn handle(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        doc: &Document,
        selection: &mut Vec<NodeKey>,
        hovered: Option<NodeKey>,
        to_doc: &impl Fn(Pos2) -> Point,
    ) -> Option<CanvasAction> {
        let (space, shift, alt, middle) = ui.input(|i| {
            (i.key_down(egui::Key::Space), i.modifiers.shift, i.modifiers.alt, i.pointer.middle_down())
        });
        let radius = f64::from(8.0 / self.zoom.max(f32::MIN_POSITIVE));
        // A node being dragged does not snap to its own shape.
        let editing = if self.tool == Tool::Nodes { selection.first().copied() } else { None };
        let snap = |p: Point| if alt { p } else { self.snap.apply(doc, p, radius, editing) };
        let pointer = response.interact_pointer_pos().map(to_doc);
        if self.tool != Tool::Pen {
            self.pen.clear();
        }
        if response.drag_started() {
            // Where the button went down, not where the drag was recognised a few pixels later.
            let at = ui.input(|i| i.pointer.press_origin()).map(to_doc).or(pointer).unwrap_or_default();
            self.drag = if self.tool == Tool::Pan || space || middle {
                Some(Drag::Pan)
            } else {
                match self.tool {
                    Tool::Rectangle | Tool::Ellipse | Tool::Line => {
                        let at = snap(at);
                        Some(Drag::Draw { from: at, to: at })
                    }
                    Tool::Freehand => Some(Drag::Freehand(vec![at])),
                    Tool::Nodes => self.node_at(doc, selection, at).map(|index| Drag::Node { index, to: at }),
                    Tool::Select if self.handle_at(doc, selection, at).is_some() => {
                        Some(match self.handle_at(doc, selection, at) {
                            Some(4) => Drag::Rotate { from: at, to: at, snap: shift },
                            Some(corner) => Drag::Resize { corner, to: at },
                            None => unreachable!("checked by the guard"),
                        })
                    }
                    Tool::Select => Some(match hovered {
                        Some(k) if selection.contains(&k) => Drag::Move { from: at, to: at },
                        Some(k) if !locked(doc, k) => {
                            *selection = vec![k];
                            Drag::Move { from: at, to: at }
                        }
                        _ => Drag::Band { from: at, to: at },
                    }),
                    Tool::Pen | Tool::Text | Tool::Pan => None,
                }
            };
        }
        if response.dragged() {
            let zoom = self.zoom;
            match &mut self.drag {
                Some(Drag::Pan) => self.offset += response.drag_delta(),
                Some(Drag::Move { to, .. } | Drag::Band { to, .. } | Drag::Resize { to, .. }) => {
                    if let Some(p) = pointer {
                        *to = p;
                    }
                }
                Some(Drag::Rotate { to, snap, .. }) => {
                    if let Some(p) = pointer {
                        *to = p;
                        *snap = shift;
                    }
                }
                Some(Drag::Draw { to, .. } | Drag::Node { to, .. }) => {
                    if let Some(p) = pointer {
                        *to = snap(p);
                    }
                }
                Some(Drag::Freehand(points)) => {
                    if let Some(p) = pointer
                        && points.last().is_none_or(|l| l.distance(p) >= f64::from(3.0 / zoom))
                    {
                        points.push(p);
                    }
                }
                None => {}
            }
        }
        if response.drag_stopped() {
            let live = self.drag_transform(doc, selection);
            return match self.drag.take() {
                Some(Drag::Move { from, to }) if from != to => move_selection(doc, selection, to - from),
                Some(Drag::Resize { .. }) if live != Affine::IDENTITY => {
                    transform_selection(doc, selection, live, "Resize")
                }
                Some(Drag::Rotate { .. }) if live != Affine::IDENTITY => {
                    transform_selection(doc, selection, live, "Rotate")
                }
                Some(Drag::Draw { from, to }) => self.draw(doc, from, to),
                Some(Drag::Freehand(points)) => new_area(doc, "Draw freehand", points),
                Some(Drag::Node { index, to }) => {
                    let key = *selection.first()?;
                    let (mut pts, closed) = nodes::vertices(&doc.map, key)?;
                    pts[index] = to;
                    let change = nodes::set_vertices(&doc.map, key, &pts, closed)?;
                    Some(CanvasAction::Edit(
                        Edit { name: "Move node".into(), changes: vec![change] },
                        vec![key],
                    ))
                }
                Some(Drag::Band { from, to }) => {
                    let band = kurbo::Rect::from_points(from, to);
                    let inside = doc.areas.iter().filter(|a| band.contains_rect(a.bbox)).map(|a| a.key);
                    if shift {
                        selection.extend(inside.filter(|k| !selection.contains(k)).collect::<Vec<_>>());
                    } else {
                        *selection = inside.collect();
                    }
                    None
                }
                _ => None,
            };
        }
        if response.double_clicked() {
            match self.tool {
                Tool::Pen if self.pen.len() >= 3 => {
                    return new_area(doc, "Draw polygon", std::mem::take(&mut self.pen));
                }
                Tool::Nodes => {
                    let key = *selection.first()?;
                    let (mut pts, closed) = nodes::vertices(&doc.map, key)?;
                    let (edge, at) = nodes::nearest_edge(&pts, closed, pointer?)?;
                    if at.distance(pointer?) <= radius {
                        pts.insert(edge + 1, at);
                        let change = nodes::set_vertices(&doc.map, key, &pts, closed)?;
                        return Some(CanvasAction::Edit(
                            Edit { name: "Insert node".into(), changes: vec![change] },
                            vec![key],
                        ));
                    }
                }
                _ => {}
            }
        }
        if response.clicked() {
            match self.tool {
                Tool::Select | Tool::Nodes => select_click(selection, hovered, shift),
                Tool::Pen => {
                    let p = snap(pointer?);
                    let closes = self.pen.len() >= 3 && self.pen[0].distance(p) <= radius;
                    if closes {
                        return new_area(doc, "Draw polygon", std::mem::take(&mut self.pen));
                    }
                    if self.pen.last() != Some(&p) {
                        self.pen.push(p);
                    }
                }
                Tool::Text => return Some(CanvasAction::AskText(snap(pointer?))),
                _ => {}
            }
        }
        if !ui.ctx().egui_wants_keyboard_input() {
            let (enter, escape, delete) = ui.input(|i| {
                (
                    i.key_pressed(egui::Key::Enter),
                    i.key_pressed(egui::Key::Escape),
                    i.key_pressed(egui::Key::Delete),
                )
            });
            if self.tool == Tool::Pen && enter && self.pen.len() >= 3 {
                return new_area(doc, "Draw polygon", std::mem::take(&mut self.pen));
            }
            if escape {
                self.pen.clear();
            }
            if self.tool == Tool::Nodes
                && delete
                && let Some(p) = response.hover_pos().map(to_doc)
                && let Some(index) = self.node_at(doc, selection, p)
            {
                let key = *selection.first()?;
                let (mut pts, closed) = nodes::vertices(&doc.map, key)?;
                pts.remove(index);
                let change = nodes::set_vertices(&doc.map, key, &pts, closed)?;
                return Some(CanvasAction::Edit(
                    Edit { name: "Delete node".into(), changes: vec![change] },
                    vec![key],
                ));
            }
        }
        // Arrow keys nudge the selection wherever the pointer is (a selection made in the tree
        // moves too), unless a text field has the keyboard.
        if !selection.is_empty() {
            let step = if shift { 10.0 } else { 1.0 };
            let arrows = ui.input(|i| {
                let mut d = kurbo::Vec2::ZERO;
                for (key, v) in [
                    (egui::Key::ArrowLeft, (-step, 0.0)),
                    (egui::Key::ArrowRight, (step, 0.0)),
                    (egui::Key::ArrowUp, (0.0, -step)),
                    (egui::Key::ArrowDown, (0.0, step)),
                ] {
                    if i.key_pressed(key) {
                        d += kurbo::Vec2::new(v.0, v.1);
                    }
                }
                d
            });
            if arrows != kurbo::Vec2::ZERO && !ui.ctx().egui_wants_keyboard_input() {
                return move_selection(doc, selection, arrows);
            }
        }
        None
    }

    /// A new area from a drawn rectangle or ellipse, or a line as decoration.
    fn draw(&self, doc: &Document, from: Point, to: Point) -> Option<CanvasAction> {
        if self.tool == Tool::Line {
            if from.distance(to) < 1.0 {
                return None;
            }
            let mut node = Node::new(NodeKind::Shape(Geometry::Line(kurbo::Line::new(from, to))));
            node.area_type = Some(crate::model::AreaType::Decoration);
            let mut style = Style::default();
            style.set("stroke", "#5A5A5A");
            style.set("stroke-width", "2");
            style.set("fill", "none");
            node.style = style;
            return Some(CanvasAction::Create("Draw line", Box::new(node)));
        }
        let r = kurbo::Rect::from_points(from, to);
        if r.width() < 1.0 || r.height() < 1.0 {
            return None;
        }
        let (geometry, what) = match self.tool {
            Tool::Ellipse => (
                Geometry::Ellipse { center: r.center(), rx: r.width() / 2.0, ry: r.height() / 2.0 },
                "Draw ellipse",
            ),
            _ => (Geometry::Rect { rect: r, rx: None, ry: None }, "Draw rectangle"),
        };
        Some(CanvasAction::Create(what, Box::new(area_node(doc, geometry))))
    }

    /// Requests a render at the resolution the current zoom needs, and picks up finished ones.
    fn update_texture(&mut self, ctx: &egui::Context, doc: &Document) {
        if let Some((width, revision, rx)) = &self.job
            && let Ok(result) = rx.try_recv()
        {
            match result {
                Some(image) => {
                    let tex = ctx.load_texture("map-preview", image, egui::TextureOptions::LINEAR);
                    self.texture = Some((*width, *revision, tex));
                }
                None => self.failed_width = Some(*width),
            }
            self.job = None;
        }
        let mut wanted = ((doc.map.view_box.width as f32 * self.zoom * ctx.pixels_per_point()) as u32)
            .next_power_of_two()
            .clamp(256, MAX_TEXTURE);
        // A quick, coarse first render so a large map shows at once; the sharp one follows.
        if self.texture.is_none() {
            wanted = wanted.min(FIRST_TEXTURE);
        }
        // The overlay switch is part of what the texture shows: a change re-renders.
        let key = doc.revision * 2 + u64::from(self.status_overlay);
        let have = self.texture.as_ref().map(|(w, r, _)| (*w, *r));
        if self.job.is_none() && have != Some((wanted, key)) && self.failed_width != Some(wanted) {
            let (tx, rx) = channel();
            let map = doc.snapshot();
            let ctx = ctx.clone();
            let status_colours = self.status_overlay;
            let text = self.texture.is_some();
            std::thread::spawn(move || {
                let opts = RenderOptions {
                    width: wanted,
                    legend: false,
                    labels: status_colours,
                    status_colours,
                    tracing_image: true,
                    text,
                    hidden: false,
                    ..RenderOptions::default()
                };
                let image = render(&map, None, &opts).ok().map(|p| {
                    let size = [p.pixmap.width() as usize, p.pixmap.height() as usize];
                    egui::ColorImage::from_rgba_premultiplied(size, p.pixmap.data())
                });
                let _ = tx.send(image);
                ctx.request_repaint();
            });
            self.job = Some((wanted, key, rx));
        }
    }
}

/// A new area with a fresh, valid, unique id and the default area style.
fn area_node(doc: &Document, geometry: Geometry) -> Node {
    let mut node = Node::new(NodeKind::Shape(geometry));
    node.id = Some(doc.fresh_id("Area").into());
    let mut style = Style::default();
    style.set("fill", "#cfe2ff");
    style.set("stroke", "#1f6feb");
    style.set("stroke-width", "1");
    node.style = style;
    node
}

/// A closed outline through `points` as a new area (nothing for fewer than three points).
fn new_area(doc: &Document, name: &'static str, points: Vec<Point>) -> Option<CanvasAction> {
    if points.len() < 3 {
        return None;
    }
    let b = points.iter().fold(kurbo::Rect::from_points(points[0], points[0]), |r, p| r.union_pt(*p));
    if b.width() < 1.0 || b.height() < 1.0 {
        return None;
    }
    Some(CanvasAction::Create(name, Box::new(area_node(doc, Geometry::Polygon(points)))))
}

/// Click selection: replace, or toggle with Shift; clicking empty space clears.
fn select_click(selection: &mut Vec<NodeKey>, hovered: Option<NodeKey>, shift: bool) {
    match (hovered, shift) {
        (Some(k), true) => {
            if let Some(i) = selection.iter().position(|s| *s == k) {
                selection.remove(i);
            } else {
                selection.push(k);
            }
        }
        (Some(k), false) => *selection = vec![k],
        (None, false) => selection.clear(),
        (None, true) => {}
    }
}

fn locked(doc: &Document, key: NodeKey) -> bool {
    doc.map.get(key).is_some_and(|n| n.locked) || doc.map.ancestors(key).any(|a| doc.map.node(a).locked)
}

/// The bounding box of the selection in document coordinates.
fn selection_box(doc: &Document, selection: &[NodeKey]) -> Option<kurbo::Rect> {
    selection.iter().filter_map(|k| doc.map.bbox_in_doc(*k)).reduce(|a, b| a.union(b))
}

/// The corner handles (top-left, top-right, bottom-left, bottom-right: opposite corners add up
/// to 3) and the rotation handle above the top edge.
fn handles(b: kurbo::Rect) -> ([Point; 4], Point) {
    let corners =
        [Point::new(b.x0, b.y0), Point::new(b.x1, b.y0), Point::new(b.x0, b.y1), Point::new(b.x1, b.y1)];
    let lift = (b.height() * 0.15).max(1.0);
    (corners, Point::new(b.center().x, b.y0 - lift))
}

/// Moves the selection by `delta` document units as one step (locked elements stay put).
fn move_selection(doc: &Document, selection: &[NodeKey], delta: kurbo::Vec2) -> Option<CanvasAction> {
    transform_selection(doc, selection, Affine::translate(delta), "Move")
}

/// Applies a document-space transform to the selection as one step named `name`.
fn transform_selection(doc: &Document, selection: &[NodeKey], t: Affine, name: &str) -> Option<CanvasAction> {
    let changes: Vec<Change> = selection
        .iter()
        .filter(|k| !locked(doc, **k))
        .filter_map(|k| {
            let node = doc.map.get(*k)?;
            // The transform is in document space: express it in the parent's space.
            let parent = node.parent().map_or(Affine::IDENTITY, |p| doc.map.doc_from_node(p));
            let local = parent.inverse() * t * parent;
            Some(Change::Transform(*k, local * node.transform))
        })
        .collect();
    (!changes.is_empty()).then(|| CanvasAction::Edit(Edit { name: name.into(), changes }, selection.to_vec()))
}

fn draw_outline(
    painter: &egui::Painter,
    path: &kurbo::BezPath,
    to_screen: &impl Fn(Point) -> Pos2,
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

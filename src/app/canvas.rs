//! The map canvas: the map drawn in tiles (`super::tiles`) under a pan/zoom view, hover and
//! selection outlines, and the active tool. Pointer and key input become [`ToolEvent`]s in map
//! coordinates for the tool (`crate::editor::tools`), and what the tool previews is drawn on
//! top.

use std::sync::Arc;

use egui::{Color32, Pos2, Rect, Sense, Stroke, Vec2};
use kurbo::{PathEl, Point};

use super::command::{PAN_KEY, TOOL_KEYS};
use super::data::DraggedValue;
use super::tiles::TileView;
use crate::categories::CategoryTable;
use crate::editor::Document;
use crate::editor::snap::Snap;
use crate::editor::tools::{Cursor, Modifiers, Preview, Request, Tool, ToolContext, ToolEvent, ToolKind};
use crate::model::NodeKey;
use crate::render::tiles::Look;

/// Height of the top ruler.
const BAND: f32 = 16.0;
/// Width of the left ruler: wide enough for a label like "-1200" written across it.
const SIDE: f32 = 30.0;

/// The selection and tool colour.
const BLUE: Color32 = Color32::from_rgb(0, 120, 215);

/// Pan/zoom state, the tool, and the rendered texture.
pub struct Canvas {
    /// Screen pixels per document unit; 0 until the first fit.
    zoom: f32,
    /// The view is fitted to the map and stays fitted when the canvas changes size (until the
    /// author zooms or pans).
    fitted: bool,
    /// Screen position of the document origin, relative to the canvas.
    offset: Vec2,
    tiles: TileView,
    /// What the tiles show besides the map (made again only when the overlay or values change).
    look: Option<((bool, u64), Look)>,
    /// The document revision of the last frame.
    revision: u64,
    /// A pan with Space or the middle button is in progress (whatever the tool).
    panning: bool,
    tool: Box<dyn Tool>,
    /// Colour areas by binding status instead of their own styles.
    pub status_overlay: bool,
    /// The report's values the overlay matches areas against, and their generation.
    pub values: Option<(Arc<CategoryTable>, u64)>,
    /// Snapping settings.
    pub snap: Snap,
    /// The canvas's screen rectangle in the last frame.
    view: Option<Rect>,
    /// Where the pointer last was over the canvas, in map units (a drag that ends where the
    /// window has no pointer position still ends there).
    last_pointer: Option<Point>,
    /// Where the pointer is now, in map units, when it is over the canvas.
    hover: Option<Point>,
    /// The smart guides the tool last snapped to, drawn while it is busy.
    guides: Vec<kurbo::Line>,
}

impl Default for Canvas {
    fn default() -> Self {
        Canvas {
            zoom: 0.0,
            fitted: true,
            offset: Vec2::ZERO,
            tiles: TileView::default(),
            look: None,
            revision: 0,
            panning: false,
            tool: ToolKind::default().make(),
            status_overlay: false,
            values: None,
            snap: Snap::default(),
            view: None,
            last_pointer: None,
            hover: None,
            guides: Vec::new(),
        }
    }
}

/// What the canvas asks the app to do.
pub enum CanvasAction {
    /// Ask for the text of a label to place here, at this size.
    AskText(Point, f64),
    /// A report value was dropped on this area: bind it.
    Bind(NodeKey, String),
    /// An edit failed: say why.
    Failed(String),
}

impl Canvas {
    /// Forgets the view and render of the previous map; keeps the kind of tool.
    pub fn reset(&mut self) {
        *self = Canvas {
            tool: self.tool.kind().make(),
            status_overlay: self.status_overlay,
            values: self.values.clone(),
            snap: self.snap,
            ..Canvas::default()
        };
    }

    /// The active tool's kind.
    pub fn tool_kind(&self) -> ToolKind {
        self.tool.kind()
    }

    /// The active tool, for its options.
    pub fn tool_mut(&mut self) -> &mut dyn Tool {
        self.tool.as_mut()
    }

    /// The zoom: screen points per map unit (0 before the first frame).
    pub fn zoom(&self) -> f32 {
        self.zoom
    }

    /// The group the select tool has entered with a double-click, if any.
    pub fn entered(&self) -> Option<NodeKey> {
        self.tool.entered()
    }

    /// The pointer's position in map units, while it is over the canvas.
    pub fn pointer(&self) -> Option<Point> {
        self.hover
    }

    /// Switches to a tool (in its resting state), unless it is already active.
    pub fn set_tool(&mut self, kind: ToolKind) {
        if self.tool.kind() != kind {
            self.tool = kind.make();
        }
    }

    /// Shows a map's first overview, made as it was opened, until its tiles arrive; not with
    /// the status overlay on, whose colours need a scene of their own.
    pub fn adopt(&mut self, ctx: &egui::Context, prepared: super::tiles::Prepared) {
        if !self.status_overlay {
            self.tiles.adopt(ctx, prepared);
        }
    }

    /// True once something of the map (its overview or a tile) is on screen.
    pub fn has_render(&self) -> bool {
        self.tiles.has_render()
    }

    /// True when the view's tiles show the current map at the zoom's resolution and none is
    /// being drawn.
    pub fn is_settled(&self) -> bool {
        self.tiles.is_settled(self.revision)
    }

    /// Fits the whole map into view on the next frame, and keeps it fitted as panels open and
    /// close.
    pub fn zoom_to_fit(&mut self) {
        self.zoom = 0.0;
        self.fitted = true;
    }

    /// One document unit per screen pixel, keeping the centre of the view where it is.
    pub fn zoom_actual(&mut self) {
        let Some(view) = self.view else { return };
        let centre = view.center() - view.min;
        self.offset = centre - (centre - self.offset) / self.zoom.max(f32::MIN_POSITIVE);
        self.zoom = 1.0;
        self.fitted = false;
    }

    /// Frames `area` (document coordinates) in the view.
    pub fn zoom_to(&mut self, area: kurbo::Rect) {
        let Some(view) = self.view else { return };
        if area.width() <= 0.0 && area.height() <= 0.0 {
            return;
        }
        let zoom = (view.width() / area.width().max(1.0) as f32)
            .min(view.height() / area.height().max(1.0) as f32)
            * 0.8;
        self.zoom = zoom;
        self.fitted = false;
        let c = area.center();
        self.offset = view.size() / 2.0 - Vec2::new(c.x as f32, c.y as f32) * zoom;
    }

    /// Draws the canvas, feeds the tool the input it gets (keys only when `keyboard`: no dialog
    /// is open), and draws the tool's preview.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        doc: &mut Document,
        selection: &mut Vec<NodeKey>,
        keyboard: bool,
    ) -> Option<CanvasAction> {
        let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::click_and_drag());
        let response = response.on_hover_cursor(match (self.panning, self.tool.cursor()) {
            (true, _) | (_, Cursor::Grabbing) => egui::CursorIcon::Grabbing,
            (_, Cursor::Grab) => egui::CursorIcon::Grab,
            (_, Cursor::Default) => egui::CursorIcon::Default,
            (_, Cursor::Text) => egui::CursorIcon::Text,
            (_, Cursor::Move) => egui::CursorIcon::Move,
            (_, Cursor::Crosshair) => egui::CursorIcon::Crosshair,
        });
        // When a panel opens or closes the canvas changes size: a fitted map is fitted again,
        // else what was at the centre stays there.
        if let Some(before) = self.view
            && before.size() != response.rect.size()
        {
            if self.fitted {
                self.zoom = 0.0;
            } else {
                self.offset += (response.rect.size() - before.size()) / 2.0;
            }
        }
        self.view = Some(response.rect);
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Map canvas"));
        // The areas themselves are reached through the Areas tree; the canvas says so.
        let said = format!(
            "{} areas. Click to select, or walk them with the keyboard in the Areas tree; the status bar says what is selected.",
            doc.areas.len()
        );
        ui.ctx().accesskit_node_builder(response.id, |node| node.set_description(said));
        let rect = response.rect;
        let vb = doc.map().view_box;
        if self.zoom <= 0.0 {
            // Fitted into what the rulers leave free.
            let free = Rect::from_min_max(rect.min + Vec2::new(SIDE, BAND), rect.max);
            self.zoom = (free.width() / vb.width as f32).min(free.height() / vb.height as f32) * 0.95;
            let size = Vec2::new(vb.width as f32, vb.height as f32) * self.zoom;
            self.offset = Vec2::new(SIDE, BAND) + (free.size() - size) / 2.0
                - Vec2::new(vb.x as f32, vb.y as f32) * self.zoom;
        }
        if let Some(hover) = response.hover_pos() {
            let (delta, pan) = ui.input(|i| (i.smooth_scroll_delta, i.modifiers.shift || i.modifiers.alt));
            // The wheel zooms; with Shift or Alt it pans.
            let scroll = if pan {
                self.offset += delta;
                self.fitted &= delta == Vec2::ZERO;
                0.0
            } else {
                delta.y
            };
            let factor = ui.input(|i| i.zoom_delta()) * (scroll / 200.0).exp();
            if factor != 1.0 {
                let anchor = hover - rect.min;
                self.offset = anchor - (anchor - self.offset) * factor;
                self.zoom *= factor;
                self.fitted = false;
            }
        }
        self.update_tiles(ui.ctx(), doc, rect);
        painter.rect_filled(rect, 0.0, ui.visuals().extreme_bg_color);
        let art = Rect::from_min_max(
            self.to_screen(rect, Point::new(vb.x, vb.y)),
            self.to_screen(rect, Point::new(vb.x + vb.width, vb.y + vb.height)),
        );
        painter.rect_filled(art, 0.0, Color32::WHITE);
        self.tiles.paint(&painter, art, |p| self.to_screen(rect, p));
        if self.snap.grid {
            self.draw_grid(&painter, art, vb.rect());
        }
        let mut action = self.handle(ui, &response, doc, selection, keyboard);
        if let Some(value) = response.dnd_release_payload::<DraggedValue>()
            && let Some(key) = response.hover_pos().and_then(|p| doc.hit(self.to_doc(rect, p)))
        {
            action = Some(CanvasAction::Bind(key, value.0.clone()));
        }
        self.hover = response.hover_pos().map(|p| self.to_doc(rect, p));

        let (offset, zoom) = (self.offset, self.zoom);
        let to_screen = move |p: Point| rect.min + offset + Vec2::new(p.x as f32, p.y as f32) * zoom;
        let hovered = response.hover_pos().and_then(|p| doc.hit(self.to_doc(rect, p)));
        let previews = self.tool.preview(doc, selection, self.units_per_pixel());
        // The render covers the artboard only: what reaches beyond it is outlined, so it is seen
        // (and the Problems panel says why).
        for a in doc.areas_beyond_artboard().iter().map(|i| &doc.areas[*i]) {
            draw_outline(&painter, &a.outline, &to_screen, Stroke::new(1.5, Color32::from_rgb(230, 120, 0)));
        }
        if let Some(a) = hovered.and_then(|k| doc.area_index(k)).map(|i| &doc.areas[i]) {
            draw_outline(&painter, &a.outline, &to_screen, Stroke::new(2.0, Color32::from_rgb(255, 140, 0)));
        }
        for key in selection.iter() {
            if let Some(a) = doc.area_index(*key).map(|i| &doc.areas[i]) {
                draw_outline(&painter, &a.outline, &to_screen, Stroke::new(3.0, BLUE));
            }
        }
        for preview in &previews {
            draw_preview(&painter, preview, &to_screen);
        }
        for guide in &self.guides {
            let ends = [to_screen(guide.p0), to_screen(guide.p1)];
            painter.extend(egui::Shape::dashed_line(
                &ends,
                Stroke::new(1.0, Color32::from_rgb(230, 0, 160)),
                4.0,
                3.0,
            ));
        }
        if self.status_overlay {
            draw_legend(ui, &painter, rect);
        }
        self.draw_rulers(ui, &painter, rect);
        if let Some(a) = hovered.and_then(|k| doc.area_index(k)).map(|i| &doc.areas[i])
            && !self.tool.busy()
        {
            // By the pointer: a tooltip for the whole canvas would sit at its corner.
            response.on_hover_ui_at_pointer(|ui| {
                ui.label(format!("{}\n{} · {}", a.label, a.id, a.status.as_str()));
            });
        }
        action
    }

    /// The snapping grid over the artboard: every line when they are at least 8 points apart,
    /// else every 5th, 10th, 50th… (so it never turns into a grey wash). Only the visible lines
    /// are walked.
    fn draw_grid(&self, painter: &egui::Painter, art: Rect, artboard: kurbo::Rect) {
        let zoom = f64::from(self.zoom);
        let mut spacing = self.snap.spacing;
        let mut times_five = true;
        while spacing > 0.0 && spacing.is_finite() && spacing * zoom < 8.0 {
            spacing *= if times_five { 5.0 } else { 2.0 };
            times_five = !times_five;
        }
        let visible = art.intersect(painter.clip_rect());
        if !(spacing > 0.0 && spacing.is_finite() && zoom > 0.0 && visible.is_positive()) {
            return;
        }
        let stroke = Stroke::new(1.0, Color32::from_rgba_unmultiplied(0, 120, 215, 40));
        let map_x = |sx: f32| artboard.x0 + f64::from(sx - art.min.x) / zoom;
        let map_y = |sy: f32| artboard.y0 + f64::from(sy - art.min.y) / zoom;
        for x in multiples(spacing, map_x(visible.min.x), map_x(visible.max.x)) {
            let sx = art.min.x + ((x - artboard.x0) * zoom) as f32;
            painter.line_segment([Pos2::new(sx, visible.min.y), Pos2::new(sx, visible.max.y)], stroke);
        }
        for y in multiples(spacing, map_y(visible.min.y), map_y(visible.max.y)) {
            let sy = art.min.y + ((y - artboard.y0) * zoom) as f32;
            painter.line_segment([Pos2::new(visible.min.x, sy), Pos2::new(visible.max.x, sy)], stroke);
        }
    }

    /// Rulers along the top and left edges, in map units, with a labelled tick every "round"
    /// step (1, 2 or 5 times a power of ten) at least 60 points apart.
    fn draw_rulers(&self, ui: &egui::Ui, painter: &egui::Painter, rect: Rect) {
        let zoom = f64::from(self.zoom);
        if !(zoom > 0.0 && zoom.is_finite()) {
            return;
        }
        let raw = 60.0 / zoom;
        let power = 10f64.powf(raw.log10().floor());
        let step =
            [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|s| *s >= raw).unwrap_or(10.0 * power);
        // Opaque, like the panels: the map does not show through the scale.
        let fill = ui.visuals().panel_fill;
        let ink = ui.visuals().weak_text_color();
        let font = egui::FontId::monospace(9.0);
        let top = Rect::from_min_max(rect.min, Pos2::new(rect.max.x, rect.min.y + BAND));
        let left = Rect::from_min_max(rect.min, Pos2::new(rect.min.x + SIDE, rect.max.y));
        painter.rect_filled(top, 0.0, fill);
        painter.rect_filled(left, 0.0, fill);
        let origin = rect.min + self.offset;
        let marks = |from: f32, to: f32, origin: f32| {
            multiples(step, f64::from(from - origin) / zoom, f64::from(to - origin) / zoom)
        };
        let text = |v: f64| if step >= 1.0 { format!("{v:.0}") } else { format!("{v}") };
        for x in marks(rect.min.x + SIDE, rect.max.x, origin.x) {
            let sx = origin.x + (x * zoom) as f32;
            painter.line_segment(
                [Pos2::new(sx, top.max.y - 6.0), Pos2::new(sx, top.max.y)],
                Stroke::new(1.0, ink),
            );
            painter.text(
                Pos2::new(sx + 2.0, top.min.y + 1.0),
                egui::Align2::LEFT_TOP,
                text(x),
                font.clone(),
                ink,
            );
        }
        for y in marks(rect.min.y + BAND, rect.max.y, origin.y) {
            let sy = origin.y + (y * zoom) as f32;
            painter.line_segment(
                [Pos2::new(left.max.x - 6.0, sy), Pos2::new(left.max.x, sy)],
                Stroke::new(1.0, ink),
            );
            painter.text(
                Pos2::new(left.min.x + 1.0, sy + 2.0),
                egui::Align2::LEFT_TOP,
                text(y),
                font.clone(),
                ink,
            );
        }
        if let Some(p) = self.hover {
            let accent = Stroke::new(1.0, BLUE);
            let (sx, sy) = (origin.x + (p.x * zoom) as f32, origin.y + (p.y * zoom) as f32);
            painter.line_segment([Pos2::new(sx, top.min.y), Pos2::new(sx, top.max.y)], accent);
            painter.line_segment([Pos2::new(left.min.x, sy), Pos2::new(left.max.x, sy)], accent);
        }
    }

    fn to_screen(&self, rect: Rect, p: Point) -> Pos2 {
        rect.min + self.offset + Vec2::new(p.x as f32, p.y as f32) * self.zoom
    }

    fn to_doc(&self, rect: Rect, p: Pos2) -> Point {
        let v = (p - rect.min - self.offset) / self.zoom;
        Point::new(f64::from(v.x), f64::from(v.y))
    }

    /// Map units per screen pixel.
    fn units_per_pixel(&self) -> f64 {
        1.0 / f64::from(self.zoom.max(f32::MIN_POSITIVE))
    }

    /// Turns this frame's pointer and key input into tool events and runs them.
    fn handle(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        doc: &mut Document,
        selection: &mut Vec<NodeKey>,
        keyboard: bool,
    ) -> Option<CanvasAction> {
        let rect = response.rect;
        let (space, middle, modifiers) =
            ui.input(|i| (i.key_down(PAN_KEY), i.pointer.middle_down(), i.modifiers));
        let modifiers = Modifiers { shift: modifiers.shift, alt: modifiers.alt, command: modifiers.command };
        // Space-drag and middle-drag pan whatever the tool.
        if response.drag_started() && (space || middle) {
            self.panning = true;
        }
        if self.panning {
            if response.dragged() {
                self.offset += response.drag_delta();
                self.fitted = false;
            }
            if response.drag_stopped() {
                self.panning = false;
            }
            return None;
        }
        let pointer = response
            .interact_pointer_pos()
            .or(response.hover_pos())
            .map(|p| self.to_doc(rect, p))
            .or(self.last_pointer);
        self.last_pointer = pointer;
        let mut events = vec![ToolEvent::Hover(response.hover_pos().map(|p| self.to_doc(rect, p)))];
        if response.drag_started() {
            // Where the button went down, not where the drag was recognised a few pixels later.
            let at = ui.input(|i| i.pointer.press_origin()).map(|p| self.to_doc(rect, p)).or(pointer);
            events.extend(at.map(ToolEvent::Press));
        }
        if response.dragged() && !response.drag_started() {
            events.extend(pointer.map(ToolEvent::Drag));
        }
        if response.drag_stopped() {
            events.extend(pointer.map(ToolEvent::Release));
        }
        if response.double_clicked() {
            events.extend(pointer.map(ToolEvent::DoubleClick));
        } else if response.clicked() {
            events.extend(pointer.map(ToolEvent::Click));
        }
        let typing = ui.ctx().egui_wants_keyboard_input();
        let keys: Vec<_> = if typing || !keyboard {
            Vec::new()
        } else {
            ui.input(|i| TOOL_KEYS.iter().filter(|(k, _)| i.key_pressed(*k)).copied().collect())
        };
        let mut cx = ToolContext {
            doc,
            selection,
            snap: self.snap,
            modifiers,
            units_per_pixel: self.units_per_pixel(),
            guides: Vec::new(),
        };
        let mut action = None;
        let mut pan = Vec2::ZERO;
        let events_moved = events.iter().any(|e| !matches!(e, ToolEvent::Hover(_)));
        for event in events {
            match self.tool.event(&event, &mut cx) {
                Ok(outcome) => match outcome.request {
                    Some(Request::Pan(d)) => pan += Vec2::new(d.x as f32, d.y as f32) * self.zoom,
                    Some(Request::AskText { at, font_size }) => {
                        action = Some(CanvasAction::AskText(at, font_size))
                    }
                    None => {}
                },
                Err(e) => action = Some(CanvasAction::Failed(e.to_string())),
            }
        }
        for (key, tool_key) in keys {
            match self.tool.event(&ToolEvent::Key(tool_key), &mut cx) {
                // A key the tool used is not also a command's shortcut.
                Ok(outcome) if outcome.handled => {
                    ui.ctx().input_mut(|i| i.consume_key(egui::Modifiers::NONE, key));
                }
                Ok(_) => {}
                Err(e) => action = Some(CanvasAction::Failed(e.to_string())),
            }
        }
        // Guides stay while the pointer rests mid-drag, and go when the tool is done.
        if events_moved {
            self.guides = cx.guides;
        }
        if !self.tool.busy() {
            self.guides.clear();
        }
        if pan != Vec2::ZERO {
            self.offset += pan;
            self.fitted = false;
        }
        action
    }

    /// Asks for the tiles the view needs at the zoom's resolution and takes in finished ones.
    fn update_tiles(&mut self, ctx: &egui::Context, doc: &Document, rect: Rect) {
        self.revision = doc.revision;
        let key = (
            self.status_overlay,
            self.values.as_ref().filter(|_| self.status_overlay).map_or(0, |(_, g)| *g),
        );
        if self.look.as_ref().is_none_or(|(k, _)| *k != key) {
            // The overlay colours by binding status; the preview is where measures show.
            let values = self
                .values
                .as_ref()
                .filter(|_| self.status_overlay)
                .map(|(t, _)| Arc::new(CategoryTable { measures: None, ..(**t).clone() }));
            self.look = Some((key, Look { status_colours: self.status_overlay, values, text: true }));
        }
        let Some((_, look)) = &mut self.look else { return };
        // A quick first scene without text so a large map opened from the window shows at once;
        // the full one follows (a map opened as the program starts shows its first overview).
        look.text = self.tiles.has_render();
        let look = look.clone();
        let (a, b) = (self.to_doc(rect, rect.min), self.to_doc(rect, rect.max));
        let visible = kurbo::Rect::new(a.x, a.y, b.x, b.y);
        let pixels_per_unit = f64::from(self.zoom * ctx.pixels_per_point());
        self.tiles.update(ctx, doc, &look, key, visible, pixels_per_unit);
    }
}

/// The multiples of `step` from `from` to `to`: where grid lines and ruler ticks go.
fn multiples(step: f64, from: f64, to: f64) -> impl Iterator<Item = f64> {
    ((from / step).ceil() as i64..=(to / step).floor() as i64).map(move |i| i as f64 * step)
}

/// The binding overlay's legend in the canvas's bottom-left corner: a swatch and a name per
/// status.
fn draw_legend(ui: &egui::Ui, painter: &egui::Painter, canvas: Rect) {
    let font = egui::TextStyle::Small.resolve(ui.style());
    let row = font.size + 6.0;
    let entries = crate::render::colors::LEGEND;
    let size = Vec2::new(110.0, row * entries.len() as f32 + 8.0);
    let frame = Rect::from_min_size(canvas.left_bottom() + Vec2::new(8.0, -8.0 - size.y), size);
    painter.rect_filled(frame, 4.0, ui.visuals().window_fill.gamma_multiply(0.9));
    for (i, status) in entries.into_iter().enumerate() {
        let top = frame.min + Vec2::new(6.0, 4.0 + row * i as f32);
        painter.rect_filled(
            Rect::from_min_size(top + Vec2::new(0.0, 2.0), Vec2::splat(font.size)),
            2.0,
            status_colour(status),
        );
        painter.text(
            top + Vec2::new(font.size + 6.0, 0.0),
            egui::Align2::LEFT_TOP,
            status.as_str(),
            font.clone(),
            ui.visuals().text_color(),
        );
    }
}

/// The fill the preview and the binding overlay give areas of this status.
pub fn status_colour(status: crate::binding::AreaStatus) -> Color32 {
    crate::render::colors::status_fill(status)
        .and_then(|hex| Color32::from_hex(hex).ok())
        .unwrap_or(Color32::GRAY)
}

/// Draws what a tool previews, in the tool colour.
fn draw_preview(painter: &egui::Painter, preview: &Preview, to_screen: &impl Fn(Point) -> Pos2) {
    let stroke = Stroke::new(2.0, BLUE);
    match preview {
        Preview::Outline(path) => draw_outline(painter, path, to_screen, stroke),
        Preview::Band(band) => {
            let r = Rect::from_two_pos(
                to_screen(Point::new(band.x0, band.y0)),
                to_screen(Point::new(band.x1, band.y1)),
            );
            painter.rect_filled(r, 0.0, Color32::from_rgba_unmultiplied(0, 120, 215, 30));
            painter.rect_stroke(r, 0.0, Stroke::new(1.0, BLUE), egui::StrokeKind::Middle);
        }
        Preview::Handles(points) => {
            for p in points {
                let r = Rect::from_center_size(to_screen(*p), Vec2::splat(8.0));
                painter.rect_filled(r, 0.0, Color32::WHITE);
                painter.rect_stroke(r, 0.0, Stroke::new(1.5, BLUE), egui::StrokeKind::Middle);
            }
        }
        Preview::Knob { at, from } => {
            painter.line_segment([to_screen(*from), to_screen(*at)], Stroke::new(1.0, BLUE));
            painter.circle(to_screen(*at), 5.0, Color32::WHITE, Stroke::new(1.0, BLUE));
        }
        Preview::Ring(p) => {
            painter.circle_stroke(to_screen(*p), 6.0, Stroke::new(1.5, BLUE));
        }
        Preview::Group(b) => {
            let r = Rect::from_two_pos(to_screen(Point::new(b.x0, b.y0)), to_screen(Point::new(b.x1, b.y1)));
            let dash = egui::Shape::dashed_line(
                &[r.left_top(), r.right_top(), r.right_bottom(), r.left_bottom(), r.left_top()],
                Stroke::new(1.0, BLUE),
                6.0,
                4.0,
            );
            painter.extend(dash);
        }
    }
}

fn draw_outline(
    painter: &egui::Painter,
    path: &kurbo::BezPath,
    to_screen: &impl Fn(Point) -> Pos2,
    stroke: Stroke,
) {
    // Only the parts in view are drawn: a floor of thousands of rooms, hovered or selected
    // at a high zoom, is mostly outside it (and drawing it all took a frame 3 ms).
    let view = painter.clip_rect().expand(stroke.width);
    let mut pts: Vec<Pos2> = Vec::new();
    let flush = |pts: &mut Vec<Pos2>| {
        if pts.len() > 1 && view.intersects(Rect::from_points(pts)) {
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

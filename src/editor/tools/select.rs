//! The select tool: click to select (Shift toggles), drag a rubber band, drag the selection
//! to move it, its corner handles to resize it and its knob to rotate it (Shift: 15° steps).
//! A drag shows its effect as it goes and becomes one undo step when it ends; Escape cancels
//! it.

use kurbo::{Affine, Point};

use super::{Cursor, Outcome, Preview, Tool, ToolContext, ToolEvent, ToolKey, ToolKind};
use crate::editor::operations::{locked, selection_box, transform};
use crate::editor::{Document, EditorError};
use crate::model::NodeKey;

/// Handles are picked within this many screen pixels.
const HANDLE_RADIUS_PX: f64 = 7.0;

/// A drag in progress.
#[derive(Clone, Copy, Debug)]
enum Drag {
    Move { from: Point, to: Point },
    Band { from: Point, to: Point },
    Resize { corner: usize, to: Point },
    Rotate { from: Point, to: Point, snap: bool },
}

/// Selects and transforms.
#[derive(Default)]
pub struct SelectTool {
    drag: Option<Drag>,
}

impl Tool for SelectTool {
    fn kind(&self) -> ToolKind {
        ToolKind::Select
    }

    fn event(&mut self, event: &ToolEvent, cx: &mut ToolContext<'_>) -> Result<Outcome, EditorError> {
        match event {
            ToolEvent::Press(at) => {
                let at = *at;
                let handle = handle_at(cx.doc, cx.selection, at, cx.pixels(HANDLE_RADIUS_PX));
                self.drag = Some(match (handle, cx.doc.hit(at)) {
                    (Some(4), _) => Drag::Rotate { from: at, to: at, snap: cx.modifiers.shift },
                    (Some(corner), _) => Drag::Resize { corner, to: at },
                    (None, Some(k)) if cx.selection.contains(&k) => Drag::Move { from: at, to: at },
                    (None, Some(k)) if !locked(cx.doc.map(), k) => {
                        *cx.selection = vec![k];
                        Drag::Move { from: at, to: at }
                    }
                    _ => Drag::Band { from: at, to: at },
                });
            }
            ToolEvent::Drag(p) => match &mut self.drag {
                Some(Drag::Move { to, .. } | Drag::Band { to, .. } | Drag::Resize { to, .. }) => *to = *p,
                Some(Drag::Rotate { to, snap, .. }) => {
                    *to = *p;
                    *snap = cx.modifiers.shift;
                }
                None => return Ok(Outcome::IGNORED),
            },
            ToolEvent::Release(p) => {
                let Some(mut drag) = self.drag.take() else { return Ok(Outcome::IGNORED) };
                let (Drag::Move { to, .. }
                | Drag::Band { to, .. }
                | Drag::Resize { to, .. }
                | Drag::Rotate { to, .. }) = &mut drag;
                *to = *p;
                if let Drag::Band { from, to } = drag {
                    let band = kurbo::Rect::from_points(from, to);
                    let inside = cx.doc.areas.iter().filter(|a| band.contains_rect(a.bbox)).map(|a| a.key);
                    if cx.modifiers.shift {
                        let added: Vec<NodeKey> = inside.filter(|k| !cx.selection.contains(k)).collect();
                        cx.selection.extend(added);
                    } else {
                        *cx.selection = inside.collect();
                    }
                    return Ok(Outcome::HANDLED);
                }
                let live = drag_transform(cx.doc, cx.selection, Some(drag));
                if live != Affine::IDENTITY {
                    let name = match drag {
                        Drag::Resize { .. } => "Resize",
                        Drag::Rotate { .. } => "Rotate",
                        _ => "Move",
                    };
                    let changes = transform(cx.doc.map(), cx.selection, live);
                    cx.doc.edit(name, changes)?;
                }
            }
            ToolEvent::Click(p) => {
                let hit = cx.doc.hit(*p);
                select_click(cx.selection, hit, cx.modifiers.shift);
            }
            ToolEvent::Key(ToolKey::Escape) if self.drag.is_some() => self.drag = None,
            _ => return Ok(Outcome::IGNORED),
        }
        Ok(Outcome::HANDLED)
    }

    fn preview(&self, doc: &Document, selection: &[NodeKey], _: f64) -> Vec<Preview> {
        let mut out = Vec::new();
        if let Some(Drag::Band { from, to }) = self.drag {
            out.push(Preview::Band(kurbo::Rect::from_points(from, to)));
        }
        let live = drag_transform(doc, selection, self.drag);
        if live != Affine::IDENTITY {
            out.push(Preview::SelectionTransform(live));
        }
        if let Some(b) = selection_box(doc.map(), selection) {
            let (corners, knob) = handles(b);
            out.push(Preview::Handles(corners.iter().map(|c| live * *c).collect()));
            out.push(Preview::Knob { at: live * knob, from: live * Point::new(b.center().x, b.y0) });
        }
        out
    }

    fn cursor(&self) -> Cursor {
        match self.drag {
            Some(Drag::Move { .. }) => Cursor::Move,
            _ => Cursor::Default,
        }
    }

    fn busy(&self) -> bool {
        self.drag.is_some()
    }
}

/// Click selection: replace, or toggle with Shift; clicking empty space clears.
pub(super) fn select_click(selection: &mut Vec<NodeKey>, hit: Option<NodeKey>, shift: bool) {
    match (hit, shift) {
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

/// The corner handles (top-left, top-right, bottom-left, bottom-right: opposite corners add up
/// to 3) and the rotation knob above the top edge.
fn handles(b: kurbo::Rect) -> ([Point; 4], Point) {
    let corners =
        [Point::new(b.x0, b.y0), Point::new(b.x1, b.y0), Point::new(b.x0, b.y1), Point::new(b.x1, b.y1)];
    let lift = (b.height() * 0.15).max(1.0);
    (corners, Point::new(b.center().x, b.y0 - lift))
}

/// Which selection handle is within `radius` of `p`: corners 0–3, the knob 4.
fn handle_at(doc: &Document, selection: &[NodeKey], p: Point, radius: f64) -> Option<usize> {
    let (corners, knob) = handles(selection_box(doc.map(), selection)?);
    if knob.distance(p) <= radius {
        return Some(4);
    }
    corners.iter().position(|c| c.distance(p) <= radius)
}

/// The map-space transform a drag applies to the selection.
fn drag_transform(doc: &Document, selection: &[NodeKey], drag: Option<Drag>) -> Affine {
    let Some(b) = selection_box(doc.map(), selection) else { return Affine::IDENTITY };
    match drag {
        Some(Drag::Move { from, to }) => Affine::translate(to - from),
        Some(Drag::Resize { corner, to }) => {
            let (corners, _) = handles(b);
            let (grab, anchor) = (corners[corner], corners[3 - corner]);
            let scale = |to: f64, grab: f64, anchor: f64| {
                // Never collapse or mirror by accident.
                if (grab - anchor).abs() > 1e-9 { ((to - anchor) / (grab - anchor)).max(0.01) } else { 1.0 }
            };
            let (sx, sy) = (scale(to.x, grab.x, anchor.x), scale(to.y, grab.y, anchor.y));
            Affine::translate(anchor.to_vec2())
                * Affine::scale_non_uniform(sx, sy)
                * Affine::translate(-anchor.to_vec2())
        }
        Some(Drag::Rotate { from, to, snap }) => {
            let c = b.center();
            let mut angle = (to - c).atan2() - (from - c).atan2();
            if snap {
                let step = 15f64.to_radians();
                angle = (angle / step).round() * step;
            }
            Affine::rotate_about(angle, c)
        }
        _ => Affine::IDENTITY,
    }
}

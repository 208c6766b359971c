//! The eraser: drag over shapes to delete them (one undo step per stroke), or click one; and
//! the node eraser: click a node of a shape to delete it.

use kurbo::Point;

use super::{Cursor, Outcome, Preview, Tool, ToolContext, ToolEvent, ToolKey, ToolKind};
use crate::edit::Change;
use crate::editor::{Document, EditorError, vertices};
use crate::model::NodeKey;

/// The pointer is tested every this many screen pixels along a stroke.
const STEP_PX: f64 = 2.0;
/// A click this near a node (screen pixels) deletes it.
const NODE_RADIUS_PX: f64 = 8.0;

/// Deletes the shapes a stroke passes over.
#[derive(Default)]
pub struct EraserTool {
    /// Where the stroke is, while one is drawn.
    at: Option<Point>,
    /// How many shapes this stroke deleted.
    erased: usize,
    pointer: Option<Point>,
}

impl EraserTool {
    /// Deletes the topmost shape at each point from `from` to `to`.
    fn erase_along(&mut self, from: Point, to: Point, cx: &mut ToolContext<'_>) -> Result<(), EditorError> {
        let steps = (from.distance(to) / cx.pixels(STEP_PX)).ceil().clamp(1.0, 10_000.0) as usize;
        for k in 0..=steps {
            let p = from.lerp(to, k as f64 / steps as f64);
            if let Some(key) = cx.doc.hit(p) {
                cx.doc.apply(Change::Remove(key))?;
                cx.selection.retain(|&s| s != key);
                self.erased += 1;
                cx.doc.sync();
            }
        }
        Ok(())
    }
}

impl Tool for EraserTool {
    fn kind(&self) -> ToolKind {
        ToolKind::Eraser
    }

    fn event(&mut self, event: &ToolEvent, cx: &mut ToolContext<'_>) -> Result<Outcome, EditorError> {
        match *event {
            ToolEvent::Press(p) => {
                cx.doc.begin("Erase");
                (self.at, self.erased) = (Some(p), 0);
                self.erase_along(p, p, cx)?;
            }
            ToolEvent::Drag(p) => {
                let Some(from) = self.at else { return Ok(Outcome::IGNORED) };
                if !cx.doc.in_transaction() {
                    self.at = None;
                    return Ok(Outcome::IGNORED);
                }
                self.erase_along(from, p, cx)?;
                self.at = Some(p);
            }
            ToolEvent::Release(p) => {
                let Some(from) = self.at.take() else { return Ok(Outcome::IGNORED) };
                if cx.doc.in_transaction() {
                    self.erase_along(from, p, cx)?;
                    if self.erased > 0 { cx.doc.commit() } else { cx.doc.abort() }
                }
            }
            ToolEvent::Click(p) => match cx.doc.hit(p) {
                Some(key) => {
                    cx.doc.edit("Erase", vec![Change::Remove(key)])?;
                    cx.selection.retain(|&s| s != key);
                }
                None => return Ok(Outcome::IGNORED),
            },
            ToolEvent::Hover(p) => {
                self.pointer = p;
                return Ok(Outcome::IGNORED);
            }
            ToolEvent::Key(ToolKey::Escape) if self.at.is_some() => {
                self.at = None;
                cx.doc.abort();
            }
            _ => return Ok(Outcome::IGNORED),
        }
        Ok(Outcome::HANDLED)
    }

    fn preview(&self, _: &Document, _: &[NodeKey], _: f64) -> Vec<Preview> {
        self.at.or(self.pointer).map(Preview::Ring).into_iter().collect()
    }

    fn cursor(&self) -> Cursor {
        Cursor::Crosshair
    }

    fn busy(&self) -> bool {
        self.at.is_some()
    }
}

/// Deletes the node of a shape under a click.
#[derive(Default)]
pub struct EraseNodeTool {
    /// The node under the pointer, to ring.
    hovered: Option<Point>,
}

/// The shape under `p` (the selected one first) and the index of its vertex within `radius`.
fn node_under(
    doc: &Document,
    selection: &[NodeKey],
    p: Point,
    radius: f64,
) -> Option<(NodeKey, usize, Point)> {
    selection.iter().copied().chain(doc.hit(p)).find_map(|key| {
        let (points, _) = vertices::vertices(doc.map(), key)?;
        let nearest =
            (0..points.len()).min_by(|&a, &b| points[a].distance(p).total_cmp(&points[b].distance(p)))?;
        (points[nearest].distance(p) <= radius).then(|| (key, nearest, points[nearest]))
    })
}

impl Tool for EraseNodeTool {
    fn kind(&self) -> ToolKind {
        ToolKind::EraseNode
    }

    fn event(&mut self, event: &ToolEvent, cx: &mut ToolContext<'_>) -> Result<Outcome, EditorError> {
        let radius = cx.pixels(NODE_RADIUS_PX);
        match *event {
            ToolEvent::Click(p) => {
                let Some((key, index, _)) = node_under(cx.doc, cx.selection, p, radius) else {
                    return Ok(Outcome::IGNORED);
                };
                let Some((mut points, closed)) = vertices::vertices(cx.doc.map(), key) else {
                    return Ok(Outcome::IGNORED);
                };
                // A closed outline keeps three nodes, an open one two.
                if points.len() <= if closed { 3 } else { 2 } {
                    return Ok(Outcome::HANDLED);
                }
                points.remove(index);
                if let Some(change) = vertices::set_vertices(cx.doc.map(), key, &points, closed) {
                    cx.doc.edit("Delete node", vec![change])?;
                }
                self.hovered = None;
            }
            ToolEvent::Hover(p) => {
                self.hovered =
                    p.and_then(|p| node_under(cx.doc, cx.selection, p, radius)).map(|(_, _, at)| at);
                return Ok(Outcome::IGNORED);
            }
            _ => return Ok(Outcome::IGNORED),
        }
        Ok(Outcome::HANDLED)
    }

    fn preview(&self, _: &Document, _: &[NodeKey], _: f64) -> Vec<Preview> {
        self.hovered.map(Preview::Ring).into_iter().collect()
    }

    fn busy(&self) -> bool {
        false
    }
}

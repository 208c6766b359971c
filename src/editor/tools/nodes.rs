//! The node tool: drag a node of the selected shape to move it (an undo transaction begun on
//! press, applied as the pointer moves, committed on release, aborted by Escape),
//! double-click an edge to add one, Delete over a node to remove it. Click selects, as with
//! the select tool.

use kurbo::Point;

use super::select::select_click;
use super::{Cursor, Outcome, Preview, Tool, ToolContext, ToolEvent, ToolKey, ToolKind};
use crate::editor::{Document, EditorError, vertices};
use crate::model::{Map, NodeKey};

/// Handles are this many screen pixels across.
const NODE_RADIUS_PX: f64 = 6.0;
/// A double click this close to an edge (screen pixels) adds a node there.
const EDGE_RADIUS_PX: f64 = 8.0;

/// A node being dragged: the shape, its vertices when the drag began, which one moves.
struct NodeDrag {
    key: NodeKey,
    points: Vec<Point>,
    closed: bool,
    index: usize,
}

/// Edits the nodes of one shape.
#[derive(Default)]
pub struct NodesTool {
    drag: Option<NodeDrag>,
    pointer: Option<Point>,
}

/// The vertex of the only selected shape within `radius` of `p`.
fn node_at(map: &Map, selection: &[NodeKey], p: Point, radius: f64) -> Option<usize> {
    let [key] = selection else { return None };
    let (pts, _) = vertices::vertices(map, *key)?;
    pts.iter().position(|v| v.distance(p) <= radius)
}

/// Replaces the vertices of the only selected shape through `edit`, as one step `name`.
fn reshape(
    cx: &mut ToolContext<'_>,
    name: &str,
    edit: impl FnOnce(&mut Vec<Point>, bool) -> bool,
) -> Result<Outcome, EditorError> {
    let [key] = cx.selection.as_slice() else { return Ok(Outcome::IGNORED) };
    let key = *key;
    let Some((mut pts, closed)) = vertices::vertices(cx.doc.map(), key) else { return Ok(Outcome::IGNORED) };
    if !edit(&mut pts, closed) {
        return Ok(Outcome::IGNORED);
    }
    if let Some(change) = vertices::set_vertices(cx.doc.map(), key, &pts, closed) {
        cx.doc.edit(name, vec![change])?;
    }
    Ok(Outcome::HANDLED)
}

impl Tool for NodesTool {
    fn kind(&self) -> ToolKind {
        ToolKind::Nodes
    }

    fn event(&mut self, event: &ToolEvent, cx: &mut ToolContext<'_>) -> Result<Outcome, EditorError> {
        let radius = cx.pixels(NODE_RADIUS_PX);
        match event {
            ToolEvent::Hover(p) => {
                self.pointer = *p;
                Ok(Outcome::IGNORED)
            }
            ToolEvent::Press(p) => {
                let Some(index) = node_at(cx.doc.map(), cx.selection, *p, radius) else {
                    return Ok(Outcome::IGNORED);
                };
                let key = cx.selection[0];
                let Some((points, closed)) = vertices::vertices(cx.doc.map(), key) else {
                    return Ok(Outcome::IGNORED);
                };
                cx.doc.begin("Move node");
                self.drag = Some(NodeDrag { key, points, closed, index });
                Ok(Outcome::HANDLED)
            }
            ToolEvent::Drag(p) | ToolEvent::Release(p) => {
                let Some(drag) = &self.drag else { return Ok(Outcome::IGNORED) };
                let released = matches!(event, ToolEvent::Release(_));
                if !cx.doc.in_transaction() {
                    // An undo or another edit closed the transaction: the drag is over.
                    self.drag = None;
                    return Ok(Outcome::HANDLED);
                }
                let mut points = drag.points.clone();
                points[drag.index] = cx.snapped(*p, Some(drag.key));
                let moved = points != drag.points;
                if let Some(change) = vertices::set_vertices(cx.doc.map(), drag.key, &points, drag.closed) {
                    cx.doc.apply(change)?;
                    cx.doc.sync();
                }
                if released {
                    self.drag = None;
                    if moved { cx.doc.commit() } else { cx.doc.abort() }
                }
                Ok(Outcome::HANDLED)
            }
            ToolEvent::Click(p) => {
                let hit = cx.doc.hit(*p);
                select_click(cx.selection, hit, cx.modifiers.shift);
                Ok(Outcome::HANDLED)
            }
            ToolEvent::DoubleClick(p) => {
                let near = cx.pixels(EDGE_RADIUS_PX);
                reshape(cx, "Insert node", |pts, closed| match vertices::nearest_edge(pts, closed, *p) {
                    Some((edge, at)) if at.distance(*p) <= near => {
                        pts.insert(edge + 1, at);
                        true
                    }
                    _ => false,
                })
            }
            // Not in the middle of a drag.
            ToolEvent::Key(ToolKey::Delete) if self.drag.is_some() => Ok(Outcome::HANDLED),
            ToolEvent::Key(ToolKey::Delete) => {
                let Some(index) = self.pointer.and_then(|p| node_at(cx.doc.map(), cx.selection, p, radius))
                else {
                    return Ok(Outcome::IGNORED);
                };
                reshape(cx, "Delete node", |pts, _| {
                    pts.remove(index);
                    true
                })
            }
            ToolEvent::Key(ToolKey::Escape) if self.drag.is_some() => {
                self.drag = None;
                cx.doc.abort();
                Ok(Outcome::HANDLED)
            }
            ToolEvent::Key(_) => Ok(Outcome::IGNORED),
        }
    }

    fn preview(&self, doc: &Document, selection: &[NodeKey], _: f64) -> Vec<Preview> {
        let [key] = selection else { return Vec::new() };
        vertices::vertices(doc.map(), *key).map(|(points, _)| Preview::Handles(points)).into_iter().collect()
    }

    fn cursor(&self) -> Cursor {
        Cursor::Default
    }

    fn busy(&self) -> bool {
        self.drag.is_some()
    }
}

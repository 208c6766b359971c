//! The select tool: click to select (Shift toggles), drag a rubber band, drag the selection
//! to move it, its corner handles to resize it and its knob to rotate it (Shift: 15° steps).
//! Alt-drag from empty space draws a lasso instead of a band: what it encloses is selected.
//! A click picks the outermost group under the pointer (a group is one area in the visual);
//! a double-click enters the group and picks inside it, Escape leaves it, and Ctrl (Cmd)
//! picks the area itself wherever it is.
//! A drag is an undo transaction: begun on press, applied as the pointer moves, committed on
//! release (nothing is recorded when it ends where it began), aborted by Escape.

use kurbo::{Affine, Point};

use super::{Cursor, Outcome, Preview, Tool, ToolContext, ToolEvent, ToolKey, ToolKind};
use crate::edit::Change;
use crate::editor::operations::locked;
use crate::editor::{Document, EditorError};
use crate::model::{Map, NodeKey, NodeKind};

/// Handles are picked within this many screen pixels.
const HANDLE_RADIUS_PX: f64 = 7.0;

/// A drag in progress.
#[derive(Clone, Copy, Debug)]
enum Drag {
    Move {
        from: Point,
        to: Point,
    },
    Band {
        from: Point,
        to: Point,
    },
    /// A free-form lasso; its points are kept in [`SelectTool::lasso`].
    Lasso {
        to: Point,
    },
    Resize {
        corner: usize,
        to: Point,
    },
    Rotate {
        from: Point,
        to: Point,
        snap: bool,
    },
}

/// What a move, resize or rotation started from: the selection's box, and each unlocked
/// selected node with its parent's document transform and its own transform.
struct Start {
    frame: kurbo::Rect,
    nodes: Vec<(NodeKey, Affine, Affine)>,
}

impl Start {
    fn of(doc: &Document, selection: &[NodeKey]) -> Option<Start> {
        let frame = doc.selection_box(selection)?;
        let map = doc.map();
        let nodes = selection
            .iter()
            .filter(|k| !locked(map, **k))
            .filter_map(|k| {
                let node = map.get(*k)?;
                let parent = node.parent().map_or(Affine::IDENTITY, |p| map.doc_from_node(p));
                Some((*k, parent, node.transform()))
            })
            .collect();
        Some(Start { frame, nodes })
    }

    /// The changes that put every node where the document-space transform `t` takes it.
    fn changes(&self, t: Affine) -> Vec<Change> {
        self.nodes
            .iter()
            .map(|(k, parent, own)| Change::Transform(*k, parent.inverse() * t * *parent * *own))
            .collect()
    }
}

/// Selects and transforms.
#[derive(Default)]
pub struct SelectTool {
    drag: Option<Drag>,
    start: Option<Start>,
    /// The group entered with a double-click: clicks pick among its members.
    entered: Option<NodeKey>,
    /// The lasso drawn so far.
    lasso: Vec<Point>,
}

impl SelectTool {
    /// What a click on the area `hit` picks: the area itself with Ctrl, else its outermost
    /// ancestor inside the entered group (leaving the group when the click is outside it).
    fn pick(&mut self, map: &Map, hit: NodeKey, deep: bool) -> NodeKey {
        if deep {
            return hit;
        }
        if self.entered.is_some_and(|g| map.get(g).is_none() || !map.ancestors(hit).any(|a| a == g)) {
            self.entered = None;
        }
        map.ancestors(hit).take_while(|a| Some(*a) != self.entered).last().unwrap_or(hit)
    }

    /// Enters the group the click at `p` picks, selecting the member under the pointer; true
    /// when there was a group to enter.
    fn enter(&mut self, cx: &mut ToolContext<'_>, p: Point) -> bool {
        let Some(hit) = cx.doc.hit(p) else { return false };
        let map = cx.doc.map();
        let group = self.pick(map, hit, false);
        if group == hit || !matches!(map.get(group).map(|n| &n.kind), Some(NodeKind::Group(_))) {
            return false;
        }
        self.entered = Some(group);
        let member = self.pick(map, hit, false);
        if !locked(map, member) {
            *cx.selection = vec![member];
        }
        true
    }

    /// Leaves the entered group, selecting it; false when no group was entered.
    fn leave(&mut self, cx: &mut ToolContext<'_>) -> bool {
        let Some(group) = self.entered.take() else { return false };
        let map = cx.doc.map();
        if map.get(group).is_none() {
            return false;
        }
        self.entered = map.get(group).and_then(|n| n.parent());
        *cx.selection = vec![group];
        true
    }

    /// Applies the drag so far inside its transaction; false when the transaction is gone (an
    /// undo or another edit closed it), which ends the drag.
    fn follow(&mut self, cx: &mut ToolContext<'_>) -> Result<bool, EditorError> {
        let (Some(drag), Some(start)) = (self.drag, &self.start) else { return Ok(true) };
        if !cx.doc.in_transaction() {
            self.drag = None;
            self.start = None;
            return Ok(false);
        }
        let t = match drag {
            Drag::Move { from, to } => {
                let mut offset = to - from;
                // Smart guides: the moved box's edges and centres line up with other areas'.
                if cx.snap.guides && !cx.modifiers.alt {
                    let moving: Vec<NodeKey> = start.nodes.iter().map(|(k, _, _)| *k).collect();
                    let radius = cx.pixels(6.0);
                    let (shift, lines) =
                        crate::editor::snap::guides(cx.doc, start.frame + offset, radius, &moving);
                    offset += shift;
                    cx.guides = lines;
                }
                // The offset rounded again: 53.3 - 50.0 is not quite 3.3 in floating point.
                Affine::translate(cx.rounded(offset.to_point()).to_vec2())
            }
            _ => drag_transform(start.frame, drag),
        };
        for change in start.changes(t) {
            cx.doc.apply(change)?;
        }
        cx.doc.sync();
        Ok(true)
    }
}

impl Tool for SelectTool {
    fn kind(&self) -> ToolKind {
        ToolKind::Select
    }

    fn event(&mut self, event: &ToolEvent, cx: &mut ToolContext<'_>) -> Result<Outcome, EditorError> {
        match event {
            ToolEvent::Press(at) => {
                let at = cx.rounded(*at);
                let handle = handle_at(cx.doc, cx.selection, at, cx.pixels(HANDLE_RADIUS_PX));
                let hit = cx.doc.hit(at);
                let within_selection = hit.is_some_and(|k| {
                    let map = cx.doc.map();
                    cx.selection.iter().any(|s| *s == k || map.ancestors(k).any(|a| a == *s))
                });
                let picked = hit.map(|k| self.pick(cx.doc.map(), k, cx.modifiers.command));
                let drag = match (handle, picked) {
                    (Some(4), _) => Drag::Rotate { from: at, to: at, snap: cx.modifiers.shift },
                    (Some(corner), _) => Drag::Resize { corner, to: at },
                    (None, Some(_)) if within_selection => Drag::Move { from: at, to: at },
                    (None, Some(k)) if !locked(cx.doc.map(), k) => {
                        *cx.selection = vec![k];
                        Drag::Move { from: at, to: at }
                    }
                    _ if cx.modifiers.alt => {
                        self.lasso = vec![at];
                        Drag::Lasso { to: at }
                    }
                    _ => Drag::Band { from: at, to: at },
                };
                self.drag = Some(drag);
                self.start = None;
                if let Some(name) = drag.step_name() {
                    self.start = Start::of(cx.doc, cx.selection);
                    cx.doc.begin(name);
                }
            }
            ToolEvent::Drag(p) => {
                // Rounded like drawn points, so a move's offset is saved clean.
                let p = &cx.rounded(*p);
                match &mut self.drag {
                    Some(Drag::Move { to, .. } | Drag::Band { to, .. } | Drag::Resize { to, .. }) => *to = *p,
                    Some(Drag::Lasso { to }) => {
                        *to = *p;
                        self.lasso.push(*p);
                    }
                    Some(Drag::Rotate { to, snap, .. }) => {
                        *to = *p;
                        *snap = cx.modifiers.shift;
                    }
                    None => return Ok(Outcome::IGNORED),
                }
                self.follow(cx)?;
            }
            ToolEvent::Release(p) => {
                let Some(mut drag) = self.drag else { return Ok(Outcome::IGNORED) };
                let (Drag::Move { to, .. }
                | Drag::Band { to, .. }
                | Drag::Lasso { to }
                | Drag::Resize { to, .. }
                | Drag::Rotate { to, .. }) = &mut drag;
                *to = cx.rounded(*p);
                self.drag = Some(drag);
                if let Drag::Lasso { .. } = drag {
                    self.drag = None;
                    let lasso = super::polygon_path(&std::mem::take(&mut self.lasso));
                    let map = cx.doc.map();
                    let corners = |b: kurbo::Rect| [(b.x0, b.y0), (b.x1, b.y0), (b.x0, b.y1), (b.x1, b.y1)];
                    let inside: Vec<NodeKey> = cx
                        .doc
                        .areas
                        .iter()
                        .filter(|a| {
                            corners(a.bbox).iter().all(|c| kurbo::Shape::contains(&lasso, (*c).into()))
                        })
                        .map(|a| a.key)
                        .filter(|k| !locked(map, *k))
                        .collect();
                    if cx.modifiers.shift {
                        cx.selection.extend(
                            inside.into_iter().filter(|k| !cx.selection.contains(k)).collect::<Vec<_>>(),
                        );
                    } else {
                        *cx.selection = inside;
                    }
                    return Ok(Outcome::HANDLED);
                }
                if let Drag::Band { from, to } = drag {
                    self.drag = None;
                    let band = kurbo::Rect::from_points(from, to);
                    let deep = cx.modifiers.command;
                    let mut seen = std::collections::HashSet::new();
                    let mut picked: Vec<NodeKey> = Vec::new();
                    for area in cx.doc.areas.iter().filter(|a| band.contains_rect(a.bbox)) {
                        let k = self.pick(cx.doc.map(), area.key, deep);
                        if seen.insert(k) {
                            picked.push(k);
                        }
                    }
                    // A group is picked only when the band holds all of it.
                    let map = cx.doc.map();
                    picked.retain(|k| {
                        cx.doc.area_index(*k).is_some_and(|i| band.contains_rect(cx.doc.areas[i].bbox))
                            || map.bbox_in_doc(*k).is_some_and(|b| band.contains_rect(b))
                    });
                    let inside = picked.into_iter();
                    if cx.modifiers.shift {
                        let added: Vec<NodeKey> = inside.filter(|k| !cx.selection.contains(k)).collect();
                        cx.selection.extend(added);
                    } else {
                        *cx.selection = inside.collect();
                    }
                    return Ok(Outcome::HANDLED);
                }
                let unmoved =
                    self.start.as_ref().is_none_or(|s| drag_transform(s.frame, drag) == Affine::IDENTITY);
                if self.follow(cx)? {
                    // A drag that ends where it began records nothing.
                    if unmoved { cx.doc.abort() } else { cx.doc.commit() }
                }
                self.drag = None;
                self.start = None;
            }
            ToolEvent::Click(p) => {
                let hit = cx.doc.hit(*p).map(|k| self.pick(cx.doc.map(), k, cx.modifiers.command));
                select_click(cx.selection, hit, cx.modifiers.shift);
            }
            ToolEvent::DoubleClick(p) => {
                if !self.enter(cx, *p) {
                    return Ok(Outcome::IGNORED);
                }
            }
            ToolEvent::Key(ToolKey::Escape) if self.drag.is_some() => {
                if self.start.take().is_some() {
                    cx.doc.abort();
                }
                self.drag = None;
            }
            ToolEvent::Key(ToolKey::Escape) => {
                if !self.leave(cx) {
                    return Ok(Outcome::IGNORED);
                }
            }
            _ => return Ok(Outcome::IGNORED),
        }
        Ok(Outcome::HANDLED)
    }

    fn preview(&self, doc: &Document, selection: &[NodeKey], _: f64) -> Vec<Preview> {
        let mut out = Vec::new();
        if let Some(Drag::Band { from, to }) = self.drag {
            out.push(Preview::Band(kurbo::Rect::from_points(from, to)));
        }
        if let Some(Drag::Lasso { .. }) = self.drag {
            out.push(Preview::Outline(super::polygon_path(&self.lasso)));
        }
        if let Some(b) = self.entered.and_then(|g| doc.map().bbox_in_doc(g)) {
            out.push(Preview::Group(b));
        }
        if let Some(b) = doc.selection_box(selection) {
            let (corners, knob) = handles(b);
            out.push(Preview::Handles(corners.to_vec()));
            out.push(Preview::Knob { at: knob, from: Point::new(b.center().x, b.y0) });
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

    fn entered(&self) -> Option<NodeKey> {
        self.entered
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
    let (corners, knob) = handles(doc.selection_box(selection)?);
    if knob.distance(p) <= radius {
        return Some(4);
    }
    corners.iter().position(|c| c.distance(p) <= radius)
}

/// The map-space transform a drag applies to a selection whose box was `b` when it began.
fn drag_transform(b: kurbo::Rect, drag: Drag) -> Affine {
    match drag {
        Drag::Move { from, to } => Affine::translate(to - from),
        Drag::Resize { corner, to } => {
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
        Drag::Rotate { from, to, snap } => {
            let c = b.center();
            let mut angle = (to - c).atan2() - (from - c).atan2();
            if snap {
                let step = 15f64.to_radians();
                angle = (angle / step).round() * step;
            }
            Affine::rotate_about(angle, c)
        }
        Drag::Band { .. } | Drag::Lasso { .. } => Affine::IDENTITY,
    }
}

impl Drag {
    /// The undo step a drag makes, or `None` for a rubber band.
    fn step_name(self) -> Option<&'static str> {
        match self {
            Drag::Move { .. } => Some("Move"),
            Drag::Resize { .. } => Some("Resize"),
            Drag::Rotate { .. } => Some("Rotate"),
            Drag::Band { .. } | Drag::Lasso { .. } => None,
        }
    }
}

//! Snapping while drawing and moving: to the vertices and edges of other areas, then to the
//! grid; and smart guides, lines that show when an edge or centre lines up with another
//! area's, which the shape snaps to. Alt bypasses it (`ToolContext::snapped` decides when).

use kurbo::{Line, ParamCurve, ParamCurveNearest, PathSeg, Point, Rect, Vec2};

use super::document::Document;
use crate::model::NodeKey;

/// Snapping settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Snap {
    /// Snap to the grid.
    pub grid: bool,
    /// Grid spacing in document units.
    pub spacing: f64,
    /// Snap to other areas' vertices and edges.
    pub geometry: bool,
    /// Smart guides: line edges and centres up with other areas'.
    pub guides: bool,
}

impl Default for Snap {
    fn default() -> Self {
        Snap { grid: false, spacing: 10.0, geometry: true, guides: true }
    }
}

/// The shift (at most `radius` on each axis) that lines the left, centre or right (top, middle
/// or bottom) of `moving` up with those of another area, and the guide lines to show; the
/// areas in `exclude` (what is being moved) are not lined up with.
pub fn guides(doc: &Document, moving: Rect, radius: f64, exclude: &[NodeKey]) -> (Vec2, Vec<Line>) {
    let xs = |b: &Rect| [b.x0, b.center().x, b.x1];
    let ys = |b: &Rect| [b.y0, b.center().y, b.y1];
    let mut best_x: Option<(f64, f64, Rect)> = None;
    let mut best_y: Option<(f64, f64, Rect)> = None;
    let map = doc.map();
    // A set: with everything selected, a list would make each frame of the drag quadratic.
    let exclude: std::collections::HashSet<NodeKey> = exclude.iter().copied().collect();
    for a in doc.areas.iter() {
        if exclude.contains(&a.key) || map.ancestors(a.key).any(|g| exclude.contains(&g)) {
            continue;
        }
        for (mine, theirs, best) in
            [(xs(&moving), xs(&a.bbox), &mut best_x), (ys(&moving), ys(&a.bbox), &mut best_y)]
        {
            for m in mine {
                for t in theirs {
                    let d = t - m;
                    if d.abs() <= radius && best.is_none_or(|(bd, _, _)| d.abs() < bd.abs()) {
                        *best = Some((d, t, a.bbox));
                    }
                }
            }
        }
    }
    let shift = Vec2::new(best_x.map_or(0.0, |b| b.0), best_y.map_or(0.0, |b| b.0));
    let placed = moving + shift;
    let mut lines = Vec::new();
    if let Some((_, x, other)) = best_x {
        lines.push(Line::new((x, placed.y0.min(other.y0)), (x, placed.y1.max(other.y1))));
    }
    if let Some((_, y, other)) = best_y {
        lines.push(Line::new((placed.x0.min(other.x0), y), (placed.x1.max(other.x1), y)));
    }
    (shift, lines)
}

impl Snap {
    /// Where `p` snaps to within `radius` document units: a vertex first, then an edge (of
    /// areas other than `exclude`, the shape being edited), then the grid; `p` itself when
    /// nothing is near.
    pub fn apply(&self, doc: &Document, p: Point, radius: f64, exclude: Option<NodeKey>) -> Point {
        self.apply_with_guides(doc, p, radius, exclude, &mut Vec::new())
    }

    /// Like [`Snap::apply`], with smart guides last (when nothing else snapped): the point
    /// lines up with other areas' edges and centres, and the lines are pushed on `guides`.
    pub fn apply_with_guides(
        &self,
        doc: &Document,
        p: Point,
        radius: f64,
        exclude: Option<NodeKey>,
        lines: &mut Vec<Line>,
    ) -> Point {
        if self.geometry
            && let Some(q) = nearest_geometry(doc, p, radius, exclude)
        {
            return q;
        }
        if self.grid && self.spacing > 0.0 {
            let s = self.spacing;
            return Point::new((p.x / s).round() * s, (p.y / s).round() * s);
        }
        if self.guides {
            let (shift, found) = guides(doc, Rect::from_points(p, p), radius, exclude.as_slice());
            lines.extend(found);
            return p + shift;
        }
        p
    }
}

/// The nearest vertex within `radius`, or else the nearest point on an edge.
fn nearest_geometry(doc: &Document, p: Point, radius: f64, exclude: Option<NodeKey>) -> Option<Point> {
    let mut best_vertex: Option<(f64, Point)> = None;
    let mut best_edge: Option<(f64, Point)> = None;
    for a in doc.areas.iter().filter(|a| Some(a.key) != exclude && a.bbox.inflate(radius, radius).contains(p))
    {
        for seg in a.outline.segments() {
            for v in [seg.start(), seg.end()] {
                let d = v.distance(p);
                if d <= radius && best_vertex.is_none_or(|(bd, _)| d < bd) {
                    best_vertex = Some((d, v));
                }
            }
            let n = match seg {
                PathSeg::Line(l) => l.nearest(p, 0.01),
                PathSeg::Quad(q) => q.nearest(p, 0.01),
                PathSeg::Cubic(c) => c.nearest(p, 0.01),
            };
            let d = n.distance_sq.sqrt();
            if d <= radius && best_edge.is_none_or(|(bd, _)| d < bd) {
                best_edge = Some((d, seg.eval(n.t)));
            }
        }
    }
    best_vertex.or(best_edge).map(|(_, q)| q)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Geometry, Node, NodeKind};
    use kurbo::Rect;

    /// A 200 × 200 map with one room at (10, 10)–(50, 50).
    fn one_room() -> (Document, NodeKey) {
        let mut doc = Document::blank(200.0, 200.0);
        let mut node = Node::new(NodeKind::Shape(Geometry::Rect {
            rect: Rect::new(10.0, 10.0, 50.0, 50.0),
            rx: None,
            ry: None,
        }));
        node.id = Some(doc.fresh_id("Room").into());
        let key = doc.add("Draw", None, node).unwrap();
        (doc, key)
    }

    #[test]
    fn vertices_before_edges_before_grid() {
        let (doc, key) = one_room();
        let alone = Snap { grid: false, guides: false, ..Snap::default() };
        assert_eq!(alone.apply(&doc, Point::new(52.0, 48.0), 5.0, Some(key)), Point::new(52.0, 48.0));
        let snap = Snap { grid: true, spacing: 25.0, geometry: true, guides: false };
        assert_eq!(snap.apply(&doc, Point::new(52.0, 48.0), 5.0, None), Point::new(50.0, 50.0));
        let on_edge = snap.apply(&doc, Point::new(30.0, 53.0), 5.0, None);
        assert!((on_edge.y - 50.0).abs() < 1e-6 && (on_edge.x - 30.0).abs() < 1e-6, "{on_edge:?}");
        assert_eq!(snap.apply(&doc, Point::new(120.0, 140.0), 5.0, None), Point::new(125.0, 150.0));
        let off = Snap { grid: false, geometry: false, ..snap };
        assert_eq!(off.apply(&doc, Point::new(52.0, 48.0), 5.0, None), Point::new(52.0, 48.0));
        // Smart guides last: x lines up with the room's right edge, y with its middle.
        let guided = Snap { grid: false, geometry: false, guides: true, ..snap };
        let mut lines = Vec::new();
        assert_eq!(
            guided.apply_with_guides(&doc, Point::new(52.0, 31.0), 3.0, None, &mut lines),
            Point::new(50.0, 30.0)
        );
        assert_eq!(lines.len(), 2, "a vertical and a horizontal guide");
    }

    #[test]
    fn a_moved_box_lines_up_with_the_nearest_edges_or_centres() {
        let (doc, room) = one_room();
        // A box whose left edge is 2 off the room's right edge and whose centre is 1 off its centre line.
        let (shift, lines) = guides(&doc, Rect::new(52.0, 21.0, 72.0, 41.0), 3.0, &[]);
        assert_eq!(shift, Vec2::new(-2.0, -1.0));
        assert_eq!(lines.len(), 2);
        let (none, _) = guides(&doc, Rect::new(52.0, 21.0, 72.0, 41.0), 3.0, &[room]);
        assert_eq!(none, Vec2::ZERO, "what is being moved is not lined up with");
    }
}

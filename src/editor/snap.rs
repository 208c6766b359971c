//! Snapping while drawing and moving: to the vertices and edges of other areas, then to the
//! grid. Alt bypasses it (`ToolContext::snapped` decides when).

use kurbo::{ParamCurve, ParamCurveNearest, PathSeg, Point};

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
}

impl Default for Snap {
    fn default() -> Self {
        Snap { grid: false, spacing: 10.0, geometry: true }
    }
}

impl Snap {
    /// Where `p` snaps to within `radius` document units: a vertex first, then an edge (of
    /// areas other than `exclude`, the shape being edited), then the grid; `p` itself when
    /// nothing is near.
    pub fn apply(&self, doc: &Document, p: Point, radius: f64, exclude: Option<NodeKey>) -> Point {
        if self.geometry
            && let Some(q) = nearest_geometry(doc, p, radius, exclude)
        {
            return q;
        }
        if self.grid && self.spacing > 0.0 {
            let s = self.spacing;
            return Point::new((p.x / s).round() * s, (p.y / s).round() * s);
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

    #[test]
    fn vertices_before_edges_before_grid() {
        let mut doc = Document::blank(200.0, 200.0);
        let mut node = Node::new(NodeKind::Shape(Geometry::Rect {
            rect: Rect::new(10.0, 10.0, 50.0, 50.0),
            rx: None,
            ry: None,
        }));
        node.id = Some(doc.fresh_id("Room").into());
        let key = doc.add("Draw", None, node).unwrap();
        let alone = Snap { grid: false, ..Snap::default() };
        assert_eq!(alone.apply(&doc, Point::new(52.0, 48.0), 5.0, Some(key)), Point::new(52.0, 48.0));
        let snap = Snap { grid: true, spacing: 25.0, geometry: true };
        assert_eq!(snap.apply(&doc, Point::new(52.0, 48.0), 5.0, None), Point::new(50.0, 50.0));
        let on_edge = snap.apply(&doc, Point::new(30.0, 53.0), 5.0, None);
        assert!((on_edge.y - 50.0).abs() < 1e-6 && (on_edge.x - 30.0).abs() < 1e-6, "{on_edge:?}");
        assert_eq!(snap.apply(&doc, Point::new(120.0, 140.0), 5.0, None), Point::new(125.0, 150.0));
        let off = Snap { grid: false, geometry: false, ..snap };
        assert_eq!(off.apply(&doc, Point::new(52.0, 48.0), 5.0, None), Point::new(52.0, 48.0));
    }
}

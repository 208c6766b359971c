//! Node editing: a shape's vertices in document coordinates, and the geometry change that
//! moves, inserts or deletes one. Rectangles, ellipses and paths become polygons when their
//! nodes are edited (curves are flattened).

use kurbo::{Affine, PathEl, Point};

use crate::edit::Change;
use crate::model::{Geometry, Map, NodeKey, NodeKind};

/// The vertices of a shape in document coordinates and whether it is closed.
pub fn vertices(map: &Map, key: NodeKey) -> Option<(Vec<Point>, bool)> {
    let node = map.get(key)?;
    let NodeKind::Shape(g) = &node.kind else { return None };
    let to_doc = map.doc_from_node(key);
    let (local, closed) = match g {
        Geometry::Polygon(p) => (p.clone(), true),
        Geometry::Polyline(p) => (p.clone(), false),
        Geometry::Line(l) => (vec![l.p0, l.p1], false),
        other => (flatten(other), true),
    };
    Some((local.into_iter().map(|p| to_doc * p).collect(), closed))
}

fn flatten(g: &Geometry) -> Vec<Point> {
    let mut pts = Vec::new();
    kurbo::flatten(g.to_path(), 0.5, |el| {
        if let PathEl::MoveTo(p) | PathEl::LineTo(p) = el
            && pts.last() != Some(&p)
        {
            pts.push(p);
        }
    });
    if pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    pts
}

/// The change giving a shape these vertices (document coordinates).
pub fn set_vertices(map: &Map, key: NodeKey, doc_points: &[Point], closed: bool) -> Option<Change> {
    let to_local: Affine = map.doc_from_node(key).inverse();
    let local: Vec<Point> = doc_points.iter().map(|p| to_local * *p).collect();
    let g = match (closed, local.len()) {
        (true, n) if n >= 3 => Geometry::Polygon(local),
        (false, 2) => Geometry::Line(kurbo::Line::new(local[0], local[1])),
        (false, n) if n >= 2 => Geometry::Polyline(local),
        _ => return None,
    };
    Some(Change::Geometry(key, g))
}

/// Index of the edge (from vertex `i` to `i + 1`) nearest to `p`, and the point on it.
pub fn nearest_edge(points: &[Point], closed: bool, p: Point) -> Option<(usize, Point)> {
    use kurbo::ParamCurveNearest;
    let n = points.len();
    let edges = if closed { n } else { n.saturating_sub(1) };
    (0..edges)
        .map(|i| {
            let line = kurbo::Line::new(points[i], points[(i + 1) % n]);
            let near = line.nearest(p, 1e-6);
            (near.distance_sq, i, kurbo::ParamCurve::eval(&line, near.t))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, i, q)| (i, q))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Node;

    #[test]
    fn a_rect_becomes_a_polygon_whose_nodes_move_insert_and_delete() {
        let mut map = Map::new(crate::model::ViewBox { x: 0.0, y: 0.0, width: 100.0, height: 100.0 });
        let mut node = Node::new(NodeKind::Shape(Geometry::Rect {
            rect: kurbo::Rect::new(0.0, 0.0, 10.0, 10.0),
            rx: None,
            ry: None,
        }));
        node.set_transform(Affine::translate((5.0, 5.0)));
        let key = map.push(None, node);
        let (mut pts, closed) = vertices(&map, key).unwrap();
        assert!(closed);
        assert_eq!(pts.len(), 4);
        assert!(pts.contains(&Point::new(5.0, 5.0)) && pts.contains(&Point::new(15.0, 15.0)));
        let (edge, at) = nearest_edge(&pts, true, Point::new(10.0, 4.0)).unwrap();
        assert!((at.y - 5.0).abs() < 1e-9);
        pts.insert(edge + 1, at);
        let change = set_vertices(&map, key, &pts, true).unwrap();
        change.apply(&mut map).unwrap();
        assert_eq!(vertices(&map, key).unwrap().0.len(), 5);
        assert!(set_vertices(&map, key, &pts[..2], true).is_none(), "a polygon keeps three nodes");
    }
}

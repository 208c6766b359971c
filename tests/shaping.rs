//! Shaping on random shapes: combining two rooms and splitting them again along their shared
//! wall gives the rooms back (by area), and every boolean result is a clean polygon: no edge of
//! it crosses another.

use kurbo::{BezPath, PathEl, Point, Rect, Shape};
use proptest::prelude::*;
use synmap::editor::Document;
use synmap::editor::shaping::{Boolean, boolean, split};
use synmap::model::{Geometry, Node, NodeKey, NodeKind};

fn add(doc: &mut Document, id: &str, geometry: Geometry) -> NodeKey {
    let mut n = Node::new(NodeKind::Shape(geometry));
    n.id = Some(synmap::ids::AreaId::from_name(id).unwrap().into());
    doc.add("Draw", None, n).unwrap()
}

fn outline(doc: &Document, key: NodeKey) -> BezPath {
    let NodeKind::Shape(g) = &doc.map().node(key).kind else { panic!("not a shape") };
    doc.map().doc_from_node(key) * g.to_path()
}

/// The straight edges of a path's closed contours.
fn edges(path: &BezPath) -> Vec<(Point, Point)> {
    let mut out = Vec::new();
    let (mut start, mut last) = (Point::ZERO, Point::ZERO);
    for el in path.elements() {
        match *el {
            PathEl::MoveTo(p) => (start, last) = (p, p),
            PathEl::LineTo(p) => {
                out.push((last, p));
                last = p;
            }
            PathEl::ClosePath => out.push((last, start)),
            _ => panic!("boolean results are polygons"),
        }
    }
    out
}

/// True when two segments cross at a point inside both (touching at ends is allowed).
fn cross(a: (Point, Point), b: (Point, Point)) -> bool {
    let side = |p: Point, q: Point, r: Point| (q - p).cross(r - p);
    let (d1, d2) = (side(b.0, b.1, a.0), side(b.0, b.1, a.1));
    let (d3, d4) = (side(a.0, a.1, b.0), side(a.0, a.1, b.1));
    let eps = 1e-7;
    ((d1 > eps && d2 < -eps) || (d1 < -eps && d2 > eps))
        && ((d3 > eps && d4 < -eps) || (d3 < -eps && d4 > eps))
}

fn polygon() -> impl Strategy<Value = Vec<(f64, f64)>> {
    prop::collection::vec((0.0..100.0f64, 0.0..100.0f64), 3..9)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn combining_two_rooms_and_splitting_on_their_wall_gives_them_back(
        wall in 5.0..95.0f64, width in 100.0..200.0f64, height in 10.0..80.0f64
    ) {
        let mut doc = Document::blank(300.0, 300.0);
        let rect = |x0, x1| Geometry::Rect { rect: Rect::new(x0, 0.0, x1, height), rx: None, ry: None };
        let a = add(&mut doc, "A", rect(0.0, wall));
        let b = add(&mut doc, "B", rect(wall, width));
        let combined = boolean(doc.map(), &[a, b], Boolean::Combine).unwrap();
        doc.edit("Combine", combined).unwrap();
        prop_assert!((outline(&doc, a).area().abs() - width * height).abs() < 1e-6 * width * height);
        let cut = split(doc.map(), a, &[Point::new(wall, -1.0), Point::new(wall, height + 1.0)]).unwrap();
        doc.edit("Split", cut).unwrap();
        let mut areas: Vec<f64> = doc.map().iter()
            .filter(|(_, n)| matches!(n.kind, NodeKind::Shape(_)))
            .map(|(k, _)| outline(&doc, k).area().abs())
            .collect();
        areas.sort_by(f64::total_cmp);
        let mut want = vec![wall * height, (width - wall) * height];
        want.sort_by(f64::total_cmp);
        for (got, want) in areas.iter().zip(&want) {
            prop_assert!((got - want).abs() < 1e-6 * width * height, "{areas:?} against {want}");
        }
        prop_assert_eq!(areas.len(), 2);
    }

    #[test]
    fn boolean_results_never_cross_themselves(first in polygon(), second in polygon(), op in 0..4usize) {
        let mut doc = Document::blank(100.0, 100.0);
        let poly = |pts: &[(f64, f64)]| Geometry::Polygon(pts.iter().map(|(x, y)| Point::new(*x, *y)).collect());
        let a = add(&mut doc, "A", poly(&first));
        let b = add(&mut doc, "B", poly(&second));
        let op = [Boolean::Combine, Boolean::Subtract, Boolean::Intersect, Boolean::Exclude][op];
        let Ok(changes) = boolean(doc.map(), &[a, b], op) else { return Ok(()) };
        doc.edit("Boolean", changes).unwrap();
        let kept = if doc.map().get(a).is_some() { a } else { b };
        let e = edges(&outline(&doc, kept));
        for i in 0..e.len() {
            for j in i + 1..e.len() {
                prop_assert!(!cross(e[i], e[j]), "{:?} crosses {:?}", e[i], e[j]);
            }
        }
    }
}

//! Geometry far outside the picture, cut to a frame around it before rasterising: tiny-skia's
//! fixed-point edges overflow (and its scan converter panics) on coordinates millions of
//! pixels away, which a map with an absurd coordinate or stroke width would otherwise reach.

use kurbo::{Affine, BezPath, PathEl, Point, Rect, Shape};

use crate::model::{Geometry, Map, NodeKey, NodeKind};

/// Output pixels kept around the picture: geometry beyond is cut away (invisible anyway).
const MARGIN: f64 = 4096.0;
/// Pixel coordinates the rasteriser handles safely; shapes within are left alone.
const SAFE: f64 = 1_000_000.0;
/// Most line segments a cut shape's outline is flattened into.
const MAX_SEGMENTS: f64 = 20_000.0;

/// A copy of `map` whose shapes reaching beyond the safe range (at `pixel_from_doc`, in a
/// `width`×`height` picture) are cut to a frame around the picture, and whose absurd stroke
/// widths are capped; `None` when no shape needs it (the usual case: nothing is copied).
pub fn framed(map: &Map, pixel_from_doc: Affine, width: f64, height: f64) -> Option<Map> {
    let frame = Rect::new(-MARGIN, -MARGIN, width + MARGIN, height + MARGIN);
    let mut fixes: Vec<(NodeKey, Option<Geometry>, Option<f64>)> = Vec::new();
    let mut stack: Vec<(NodeKey, Affine)> = map.roots().iter().rev().map(|&k| (k, pixel_from_doc)).collect();
    while let Some((key, parent)) = stack.pop() {
        let node = map.node(key);
        let t = parent * node.transform();
        match &node.kind {
            NodeKind::Group(children) => stack.extend(children.iter().rev().map(|&c| (c, t))),
            NodeKind::Shape(g) => {
                let node_scale = t.determinant().abs().sqrt();
                let stroke = node
                    .style
                    .get("stroke-width")
                    .and_then(|w| crate::svg::attrs::length(w, 0.0))
                    .filter(|w| w * node_scale > MARGIN)
                    .map(|_| MARGIN / node_scale.max(f64::MIN_POSITIVE));
                let b = g.bounding_box_with(t);
                let safe = b.x0 >= -SAFE && b.y0 >= -SAFE && b.x1 <= SAFE && b.y1 <= SAFE;
                let geometry = (!safe).then(|| cut(&g.to_path(), t, frame));
                if geometry.is_some() || stroke.is_some() {
                    fixes.push((key, geometry, stroke));
                }
            }
            NodeKind::Decor(_) => {}
        }
    }
    if fixes.is_empty() {
        return None;
    }
    let mut framed = map.clone();
    for (key, geometry, stroke) in fixes {
        let node = framed.get_mut(key).expect("key from this map");
        if let Some(g) = geometry {
            node.kind = NodeKind::Shape(g);
        }
        if let Some(w) = stroke {
            node.style.set("stroke-width", w.to_string());
        }
    }
    Some(framed)
}

/// The path (in its node's coordinates, drawn at `t`) cut to `frame` (in pixels), back in the
/// node's coordinates. Each subpath is flattened and clipped on its own, which keeps the
/// winding of every point inside the frame; a transform that cannot be inverted draws nothing.
pub(super) fn cut(path: &BezPath, t: Affine, frame: Rect) -> Geometry {
    let empty = || Geometry::Path(Default::default(), None);
    if t.determinant().abs() < 1e-300 {
        return empty();
    }
    let back = t.inverse();
    let in_pixels = t * path.clone();
    let extent = in_pixels.bounding_box();
    let tolerance = (extent.width().max(extent.height()) / MAX_SEGMENTS).max(0.25);
    let mut out = BezPath::new();
    let mut polygon: Vec<Point> = Vec::new();
    let flush = |polygon: &mut Vec<Point>, out: &mut BezPath| {
        let clipped = clip_polygon(std::mem::take(polygon), frame);
        if let Some((first, rest)) = clipped.split_first() {
            out.move_to(back * *first);
            for p in rest {
                out.line_to(back * *p);
            }
            out.close_path();
        }
    };
    kurbo::flatten(in_pixels.iter(), tolerance, |el| match el {
        PathEl::MoveTo(p) => {
            flush(&mut polygon, &mut out);
            polygon.push(p);
        }
        PathEl::LineTo(p) => polygon.push(p),
        PathEl::ClosePath => {}
        PathEl::QuadTo(..) | PathEl::CurveTo(..) => {}
    });
    flush(&mut polygon, &mut out);
    if out.elements().is_empty() { empty() } else { Geometry::Path(out.into(), None) }
}

/// Sutherland–Hodgman clipping of a closed polygon to an axis-aligned rectangle.
fn clip_polygon(points: Vec<Point>, r: Rect) -> Vec<Point> {
    type Inside = fn(Point, Rect) -> bool;
    type Cross = fn(Point, Point, Rect) -> Point;
    let edges: [(Inside, Cross); 4] = [
        (|p, r| p.x >= r.x0, |a, b, r| Point::new(r.x0, a.y + (b.y - a.y) * (r.x0 - a.x) / (b.x - a.x))),
        (|p, r| p.x <= r.x1, |a, b, r| Point::new(r.x1, a.y + (b.y - a.y) * (r.x1 - a.x) / (b.x - a.x))),
        (|p, r| p.y >= r.y0, |a, b, r| Point::new(a.x + (b.x - a.x) * (r.y0 - a.y) / (b.y - a.y), r.y0)),
        (|p, r| p.y <= r.y1, |a, b, r| Point::new(a.x + (b.x - a.x) * (r.y1 - a.y) / (b.y - a.y), r.y1)),
    ];
    let mut points = points;
    for (inside, cross) in edges {
        let Some(&last) = points.last() else { break };
        let mut out = Vec::with_capacity(points.len() + 4);
        let mut prev = last;
        for &p in &points {
            match (inside(p, r), inside(prev, r)) {
                (true, true) => out.push(p),
                (true, false) => {
                    out.push(cross(prev, p, r));
                    out.push(p);
                }
                (false, true) => out.push(cross(prev, p, r)),
                (false, false) => {}
            }
            prev = p;
        }
        points = out;
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_polygon_is_cut_to_the_frame() {
        let square = vec![
            Point::new(-10.0, -10.0),
            Point::new(20.0, -10.0),
            Point::new(20.0, 20.0),
            Point::new(-10.0, 20.0),
        ];
        let cut = clip_polygon(square, Rect::new(0.0, 0.0, 10.0, 10.0));
        let b = cut.iter().fold(Rect::from_points(cut[0], cut[0]), |r, p| r.union_pt(*p));
        assert_eq!(b, Rect::new(0.0, 0.0, 10.0, 10.0));
    }

    #[test]
    fn only_shapes_beyond_the_safe_range_are_cut() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 610 793"><rect id="ok" width="10" height="10"/><path id="far" d="m 389.94021,463.57051 2.01,-1e9 z"/></svg>"#;
        let map = crate::svg::import_bytes(svg.as_bytes()).unwrap().map;
        let cut = framed(&map, Affine::scale(512.0 / 610.0), 512.0, 666.0).expect("the far path is cut");
        let far = cut.find_id("far").unwrap();
        let b = cut.bbox_in_doc(far).unwrap();
        assert!(b.y0 > -10_000.0, "{b:?}");
        assert!(framed(&cut, Affine::scale(512.0 / 610.0), 512.0, 666.0).is_none());
    }
}

//! Shapes as polygons for i_overlay: a shape's outline in document space as closed contours
//! (curves flattened at a thousandth of its size), i_overlay's results back as a path, and the
//! area two shapes overlap by (for `check`). The editor's shaping operations build on these.

use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::float::single::SingleFloatOverlay;
use kurbo::{BezPath, PathEl, Shape};

use crate::model::{Geometry, Map, NodeKey, NodeKind};

/// A polygon with holes, as i_overlay takes and gives it: contours of points.
pub type Polygon = Vec<Vec<[f64; 2]>>;

/// The shape's outline in document space as closed contours; `None` for what is not a shape
/// with an area (groups, decorations, lines).
pub fn contours(map: &Map, key: NodeKey) -> Option<Polygon> {
    let node = map.get(key)?;
    let NodeKind::Shape(geometry) = &node.kind else { return None };
    if matches!(geometry, Geometry::Line(_)) {
        return None;
    }
    let path = map.doc_from_node(key) * geometry.to_path();
    let size = path.bounding_box().size();
    let tolerance = (size.width.max(size.height) / 1000.0).max(1e-9);
    let mut out: Polygon = Vec::new();
    let mut current: Vec<[f64; 2]> = Vec::new();
    kurbo::flatten(path.iter(), tolerance, |el| match el {
        PathEl::MoveTo(p) => {
            if current.len() >= 3 {
                out.push(std::mem::take(&mut current));
            }
            current = vec![[p.x, p.y]];
        }
        PathEl::LineTo(p) => current.push([p.x, p.y]),
        _ => {}
    });
    if current.len() >= 3 {
        out.push(current);
    }
    (!out.is_empty()).then_some(out)
}

/// A path (in document space) of i_overlay's shapes: each contour a closed subpath; holes run
/// the other way round, so the nonzero rule SVG uses by default leaves them empty.
pub fn path_of(shapes: &[Polygon]) -> BezPath {
    let mut path = BezPath::new();
    for contour in shapes.iter().flatten().filter(|c| c.len() >= 3) {
        path.move_to((contour[0][0], contour[0][1]));
        for p in &contour[1..] {
            path.line_to((p[0], p[1]));
        }
        path.close_path();
    }
    path
}

/// The area of the overlap of two shapes (0 when they only touch), for the overlap check.
pub fn overlap_area(map: &Map, a: NodeKey, b: NodeKey) -> f64 {
    let (Some(pa), Some(pb)) = (contours(map, a), contours(map, b)) else { return 0.0 };
    path_of(&pa.overlay(&pb, OverlayRule::Intersect, FillRule::NonZero)).area().abs()
}

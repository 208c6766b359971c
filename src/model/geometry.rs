//! Shape geometry in the element's own coordinates, remembering the SVG element it came from.

use super::PackedPath;
use kurbo::{Affine, BezPath, Circle, Ellipse, Line, Point, Rect, RoundedRect, Shape};

/// Tolerance used when flattening curves for bounding boxes and hit tests.
pub const TOLERANCE: f64 = 0.05;

/// The geometry of a shape, kept as the element it was so a `rect` is written back as a `rect`.
#[derive(Debug, Clone, PartialEq)]
pub enum Geometry {
    /// `rect`; `rx`/`ry` as given (missing ones follow the SVG rules).
    Rect {
        /// The rectangle.
        rect: Rect,
        /// Corner radius along x, if given.
        rx: Option<f64>,
        /// Corner radius along y, if given.
        ry: Option<f64>,
    },
    /// `circle`.
    Circle(Circle),
    /// `ellipse` (axis-aligned).
    Ellipse {
        /// Centre.
        center: Point,
        /// Radius along x.
        rx: f64,
        /// Radius along y.
        ry: f64,
    },
    /// `line`: never bound by default.
    Line(Line),
    /// `polyline`: an open path.
    Polyline(Vec<Point>),
    /// `polygon`: a closed path.
    Polygon(Vec<Point>),
    /// `path` (packed), with the `d` text it was read from while it is unchanged: a lossless
    /// save writes that text back (its relative commands and precision), anything else the path.
    Path(PackedPath, Option<std::sync::Arc<str>>),
}

impl Geometry {
    /// The SVG element name.
    pub fn element_name(&self) -> &'static str {
        match self {
            Self::Rect { .. } => "rect",
            Self::Circle(_) => "circle",
            Self::Ellipse { .. } => "ellipse",
            Self::Line(_) => "line",
            Self::Polyline(_) => "polyline",
            Self::Polygon(_) => "polygon",
            Self::Path(..) => "path",
        }
    }

    /// The outline as a Bézier path in the element's own coordinates.
    pub fn to_path(&self) -> BezPath {
        match self {
            Self::Rect { rect, rx, ry } => {
                let (rx, ry) = effective_radii(*rect, *rx, *ry);
                if rx > 0.0 && ry > 0.0 {
                    if (rx - ry).abs() < 1e-9 {
                        RoundedRect::from_rect(*rect, rx).to_path(TOLERANCE)
                    } else {
                        elliptic_round_rect(*rect, rx, ry)
                    }
                } else {
                    rect.to_path(TOLERANCE)
                }
            }
            Self::Circle(c) => c.to_path(TOLERANCE),
            Self::Ellipse { center, rx, ry } => Ellipse::new(*center, (*rx, *ry), 0.0).to_path(TOLERANCE),
            Self::Line(l) => l.to_path(TOLERANCE),
            Self::Polyline(pts) => poly_path(pts, false),
            Self::Polygon(pts) => poly_path(pts, true),
            Self::Path(p, _) => p.to_bez(),
        }
    }

    /// Bounding box after applying `transform` (exact for rectangles and polygons).
    pub fn bounding_box_with(&self, transform: Affine) -> Rect {
        match self {
            Self::Rect { rect, .. } => transform.transform_rect_bbox(*rect),
            Self::Polyline(pts) | Self::Polygon(pts) => points_bbox(pts.iter().map(|p| transform * *p)),
            Self::Line(l) => points_bbox([transform * l.p0, transform * l.p1].into_iter()),
            _ => {
                let mut p = self.to_path();
                p.apply_affine(transform);
                p.bounding_box()
            }
        }
    }

    /// True when every coordinate is finite.
    pub fn is_finite(&self) -> bool {
        match self {
            Self::Rect { rect, rx, ry } => {
                rect.is_finite() && rx.is_none_or(f64::is_finite) && ry.is_none_or(f64::is_finite)
            }
            Self::Circle(c) => c.center.is_finite() && c.radius.is_finite(),
            Self::Ellipse { center, rx, ry } => center.is_finite() && rx.is_finite() && ry.is_finite(),
            Self::Line(l) => l.p0.is_finite() && l.p1.is_finite(),
            Self::Polyline(p) | Self::Polygon(p) => p.iter().all(|p| p.is_finite()),
            Self::Path(p, _) => p.elements().all(|e| e.end_point().is_none_or(|p| p.is_finite())),
        }
    }
}

/// The radii SVG uses for a rounded rectangle: a missing radius takes the other's value,
/// and each is clamped to half the side.
fn effective_radii(rect: Rect, rx: Option<f64>, ry: Option<f64>) -> (f64, f64) {
    let (rx, ry) = match (rx, ry) {
        (None, None) => (0.0, 0.0),
        (Some(x), None) => (x, x),
        (None, Some(y)) => (y, y),
        (Some(x), Some(y)) => (x, y),
    };
    (rx.max(0.0).min(rect.width().abs() / 2.0), ry.max(0.0).min(rect.height().abs() / 2.0))
}

fn elliptic_round_rect(r: Rect, rx: f64, ry: f64) -> BezPath {
    // Quarter-ellipse arcs as cubic Béziers (kappa approximation).
    const K: f64 = 0.552_284_749_8;
    let (kx, ky) = (rx * K, ry * K);
    let mut p = BezPath::new();
    p.move_to((r.x0 + rx, r.y0));
    p.line_to((r.x1 - rx, r.y0));
    p.curve_to((r.x1 - rx + kx, r.y0), (r.x1, r.y0 + ry - ky), (r.x1, r.y0 + ry));
    p.line_to((r.x1, r.y1 - ry));
    p.curve_to((r.x1, r.y1 - ry + ky), (r.x1 - rx + kx, r.y1), (r.x1 - rx, r.y1));
    p.line_to((r.x0 + rx, r.y1));
    p.curve_to((r.x0 + rx - kx, r.y1), (r.x0, r.y1 - ry + ky), (r.x0, r.y1 - ry));
    p.line_to((r.x0, r.y0 + ry));
    p.curve_to((r.x0, r.y0 + ry - ky), (r.x0 + rx - kx, r.y0), (r.x0 + rx, r.y0));
    p.close_path();
    p
}

fn poly_path(pts: &[Point], close: bool) -> BezPath {
    let mut p = BezPath::new();
    for (i, pt) in pts.iter().enumerate() {
        if i == 0 {
            p.move_to(*pt);
        } else {
            p.line_to(*pt);
        }
    }
    if close && !pts.is_empty() {
        p.close_path();
    }
    p
}

fn points_bbox(mut pts: impl Iterator<Item = Point>) -> Rect {
    let Some(first) = pts.next() else {
        return Rect::ZERO;
    };
    pts.fold(Rect::from_points(first, first), |r, p| r.union_pt(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotated_rect_bbox_is_exact() {
        let g = Geometry::Rect { rect: Rect::new(0.0, 0.0, 10.0, 10.0), rx: None, ry: None };
        let b = g.bounding_box_with(Affine::rotate(std::f64::consts::FRAC_PI_4));
        assert!((b.width() - 200f64.sqrt()).abs() < 1e-9);
    }

    #[test]
    fn radii_follow_svg_rules() {
        let r = Rect::new(0.0, 0.0, 10.0, 4.0);
        assert_eq!(effective_radii(r, Some(3.0), None), (3.0, 2.0));
        assert_eq!(effective_radii(r, None, None), (0.0, 0.0));
    }
}

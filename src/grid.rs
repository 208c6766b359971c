//! Grids of cells, for seating plans, parking and warehouse racks: squares, hexagons (a
//! honeycomb), circles or alternating triangles, in columns and rows, with a gap between cells,
//! an inset inside each, the whole grid turned about its first corner; each cell a new area
//! named from a sequence (`Seat-001`, …). The Grid tool and `synmap grid` both build on it.

use std::f64::consts::PI;

use kurbo::{Affine, Circle, Point, Rect};

use crate::ids::{Sequence, UniqueIds};
use crate::model::{Geometry, Node, NodeKind, Style};

/// The shape of the cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CellShape {
    /// Squares in columns and rows.
    #[default]
    Square,
    /// Hexagons, pointy side up, every other row shifted half a cell (a honeycomb).
    Hex,
    /// Circles in columns and rows.
    Circle,
    /// Triangles pointing up and down in turn, side by side.
    Triangle,
}

impl CellShape {
    /// Every shape, with its name on the command line.
    pub const ALL: [(CellShape, &'static str); 4] = [
        (CellShape::Square, "square"),
        (CellShape::Hex, "hex"),
        (CellShape::Circle, "circle"),
        (CellShape::Triangle, "triangle"),
    ];

    /// The shape named `name` (`square`, `hex`, `circle` or `triangle`).
    pub fn from_name(name: &str) -> Option<CellShape> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(s, _)| *s)
    }
}

/// A grid to lay out.
#[derive(Clone, Debug, PartialEq)]
pub struct GridSpec {
    /// The cells' shape.
    pub shape: CellShape,
    /// Cells across.
    pub cols: usize,
    /// Cells down.
    pub rows: usize,
    /// A cell's width (for hexagons, across the flat sides; for triangles, a side).
    pub size: f64,
    /// Space between neighbouring cells.
    pub gap: f64,
    /// Space left inside each cell, all round (the area drawn is smaller by twice this).
    pub inset: f64,
    /// The grid turned by this many degrees (clockwise on screen) about its first corner.
    pub angle: f64,
    /// Where the grid's first corner is.
    pub origin: Point,
}

impl Default for GridSpec {
    fn default() -> Self {
        GridSpec {
            shape: CellShape::Square,
            cols: 5,
            rows: 3,
            size: 40.0,
            gap: 8.0,
            inset: 0.0,
            angle: 0.0,
            origin: Point::ZERO,
        }
    }
}

/// The most cells one grid makes.
pub const MAX_CELLS: usize = 100_000;

impl GridSpec {
    /// Each cell's outline, row by row, left to right (none when the grid is empty, too large
    /// or its cells have no size).
    pub fn cells(&self) -> Vec<Geometry> {
        let size = self.size - 2.0 * self.inset;
        let valid = [self.size, self.gap, self.inset, self.angle, self.origin.x, self.origin.y]
            .iter()
            .all(|v| v.is_finite());
        if !valid || size <= 0.0 || self.gap < 0.0 || self.cols.saturating_mul(self.rows) > MAX_CELLS {
            return Vec::new();
        }
        let turn = Affine::rotate_about(self.angle.to_radians(), self.origin);
        let polygon = |points: Vec<Point>| {
            Geometry::Polygon(points.into_iter().map(|p| turn * (self.origin + p.to_vec2())).collect())
        };
        let mut out = Vec::with_capacity(self.cols * self.rows);
        for r in 0..self.rows {
            for c in 0..self.cols {
                let (c, r) = (c as f64, r as f64);
                out.push(match self.shape {
                    CellShape::Square => {
                        let pitch = self.size + self.gap;
                        let rect = Rect::new(0.0, 0.0, size, size)
                            + kurbo::Vec2::new(c * pitch + self.inset, r * pitch + self.inset);
                        if self.angle == 0.0 {
                            Geometry::Rect { rect: rect + self.origin.to_vec2(), rx: None, ry: None }
                        } else {
                            polygon(vec![
                                Point::new(rect.x0, rect.y0),
                                Point::new(rect.x1, rect.y0),
                                Point::new(rect.x1, rect.y1),
                                Point::new(rect.x0, rect.y1),
                            ])
                        }
                    }
                    CellShape::Circle => {
                        let pitch = self.size + self.gap;
                        let centre = Point::new(c * pitch + self.size / 2.0, r * pitch + self.size / 2.0);
                        Geometry::Circle(Circle::new(turn * (self.origin + centre.to_vec2()), size / 2.0))
                    }
                    CellShape::Hex => {
                        // Pointy side up: the width across the flats is the size.
                        let radius = self.size / 3f64.sqrt();
                        let (dx, dy) = (self.size + self.gap, 1.5 * radius + self.gap * 3f64.sqrt() / 2.0);
                        let shift = if r as usize % 2 == 1 { dx / 2.0 } else { 0.0 };
                        let centre = Point::new(c * dx + shift + self.size / 2.0, r * dy + radius);
                        let inner = size / 3f64.sqrt();
                        polygon(
                            (0..6)
                                .map(|k| {
                                    centre
                                        + kurbo::Vec2::from_angle(f64::from(k) * PI / 3.0 - PI / 2.0) * inner
                                })
                                .collect(),
                        )
                    }
                    CellShape::Triangle => {
                        let height = self.size * 3f64.sqrt() / 2.0;
                        let (dx, dy) = ((self.size + self.gap) / 2.0, height + self.gap);
                        let up = (c as usize + r as usize).is_multiple_of(2);
                        let (left, top) = (c * dx, r * dy);
                        let corners = if up {
                            [
                                Point::new(left + self.size / 2.0, top),
                                Point::new(left + self.size, top + height),
                                Point::new(left, top + height),
                            ]
                        } else {
                            [
                                Point::new(left, top),
                                Point::new(left + self.size, top),
                                Point::new(left + self.size / 2.0, top + height),
                            ]
                        };
                        // The inset moves each side in: the corners towards the middle by twice it.
                        let middle = Point::new(
                            left + self.size / 2.0,
                            top + if up { height * 2.0 / 3.0 } else { height / 3.0 },
                        );
                        let scale = size / self.size;
                        polygon(corners.iter().map(|&p| middle + (p - middle) * scale).collect())
                    }
                });
            }
        }
        out
    }

    /// The grid's cells as new areas with the default area style, named by `names` in order,
    /// each id made unique among `ids`.
    pub fn nodes(&self, names: &Sequence, ids: &mut UniqueIds) -> Vec<Node> {
        self.cells()
            .into_iter()
            .enumerate()
            .map(|(i, geometry)| {
                let mut node = Node::new(NodeKind::Shape(geometry));
                node.id = Some(ids.claim(&names.id(i)).into());
                node.style = Style::new_area();
                node
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds(g: &Geometry) -> Rect {
        g.bounding_box_with(Affine::IDENTITY)
    }

    #[test]
    fn cells_of_each_shape_do_not_overlap_and_keep_their_gap() {
        for (shape, _) in CellShape::ALL {
            let spec = GridSpec { shape, cols: 4, rows: 3, size: 30.0, gap: 6.0, ..GridSpec::default() };
            let cells = spec.cells();
            assert_eq!(cells.len(), 12, "{shape:?}");
            let paths: Vec<kurbo::BezPath> = cells.iter().map(Geometry::to_path).collect();
            for (i, a) in paths.iter().enumerate() {
                for b in &paths[i + 1..] {
                    let overlap = bounds_overlap(a, b);
                    assert!(overlap <= 1e-6, "{shape:?}: cells overlap by {overlap}");
                }
            }
        }
        // The first square is where the grid starts; the second one gap further on.
        let spec = GridSpec {
            cols: 2,
            rows: 1,
            size: 10.0,
            gap: 5.0,
            origin: Point::new(100.0, 50.0),
            ..GridSpec::default()
        };
        let cells = spec.cells();
        assert_eq!(bounds(&cells[0]), Rect::new(100.0, 50.0, 110.0, 60.0));
        assert_eq!(bounds(&cells[1]), Rect::new(115.0, 50.0, 125.0, 60.0));
        // An inset shrinks each cell; a turn moves them about the first corner.
        let inset = GridSpec { inset: 2.0, ..spec.clone() }.cells();
        assert_eq!(bounds(&inset[0]), Rect::new(102.0, 52.0, 108.0, 58.0));
        let turned = GridSpec { angle: 90.0, ..spec.clone() }.cells();
        let b = bounds(&turned[1]);
        assert!((b.x0 - 90.0).abs() < 1e-9 && (b.y0 - 65.0).abs() < 1e-9, "{b:?}");
        // Nothing for an empty, absurd or huge grid.
        assert!(GridSpec { size: 4.0, inset: 2.0, ..spec.clone() }.cells().is_empty());
        assert!(GridSpec { size: f64::NAN, ..spec.clone() }.cells().is_empty());
        assert!(GridSpec { cols: 1000, rows: 1000, ..spec }.cells().is_empty());
    }

    /// The area two closed paths overlap by.
    fn bounds_overlap(a: &kurbo::BezPath, b: &kurbo::BezPath) -> f64 {
        use i_overlay::core::fill_rule::FillRule;
        use i_overlay::core::overlay_rule::OverlayRule;
        use i_overlay::float::single::SingleFloatOverlay;
        use kurbo::Shape;
        let contour = |p: &kurbo::BezPath| {
            let mut pts = Vec::new();
            kurbo::flatten(p.iter(), 0.01, |el| {
                if let kurbo::PathEl::MoveTo(q) | kurbo::PathEl::LineTo(q) = el {
                    pts.push([q.x, q.y]);
                }
            });
            vec![pts]
        };
        crate::polygons::path_of(&contour(a).overlay(&contour(b), OverlayRule::Intersect, FillRule::NonZero))
            .area()
            .abs()
    }

    #[test]
    fn cells_are_areas_named_in_order() {
        let names = Sequence { prefix: "Seat-".into(), start: 1, digits: 3 };
        let mut ids = UniqueIds::taking(["Seat-002"]);
        let nodes = GridSpec { cols: 3, rows: 1, ..GridSpec::default() }.nodes(&names, &mut ids);
        let got: Vec<&str> = nodes.iter().map(|n| n.id.as_ref().unwrap().as_str()).collect();
        assert_eq!(got, ["Seat-001", "Seat-002_2", "Seat-003"]);
    }
}

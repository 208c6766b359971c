//! DXF entities as outlines and texts in drawing coordinates (y up): polylines with bulges as
//! arcs, lines, arcs, circles, ellipses, splines (through de Boor's algorithm), solids, texts,
//! and block references expanded (nested, scaled, rotated, in arrays) with a budget against
//! drawings that would expand without end.

use std::collections::{BTreeMap, HashMap};

use dxf::entities::{Entity, EntityType};
use dxf::enums::{HorizontalTextJustification, VerticalTextJustification};
use kurbo::{Affine, Arc, BezPath, Point, Shape, SvgArc, Vec2};

use super::text::plain;

/// Most outlines one drawing may expand to (block references multiply).
pub const MAX_PIECES: usize = 2_000_000;
/// Deepest nesting of block references followed.
const MAX_DEPTH: usize = 16;
/// Coordinates beyond this are taken for damage, not drawing.
const ABSURD: f64 = 1e12;

/// An outline of the drawing, in drawing coordinates.
pub struct Piece {
    /// Its layer.
    pub layer: String,
    /// The outline.
    pub path: BezPath,
    /// True for a closed outline (a room candidate when not in a block).
    pub closed: bool,
    /// True for a filled shape (SOLID).
    pub filled: bool,
    /// The block reference it was drawn by (index into [`Drawing::inserts`]).
    pub insert: Option<usize>,
}

/// A text of the drawing.
pub struct Label {
    /// Its layer.
    pub layer: String,
    /// Where it is anchored.
    pub at: Point,
    /// The text, formatting removed.
    pub text: String,
    /// The height of its capitals, in drawing units.
    pub height: f64,
    /// Its angle, degrees anticlockwise.
    pub rotation: f64,
    /// The block reference it was drawn by.
    pub insert: Option<usize>,
}

/// A block reference: its layer and the block's name.
pub struct Insert {
    /// The reference's layer.
    pub layer: String,
    /// The block's name.
    pub block: String,
}

/// The model space of a drawing as outlines and texts.
#[derive(Default)]
pub struct Drawing {
    /// Every outline.
    pub pieces: Vec<Piece>,
    /// Every text.
    pub labels: Vec<Label>,
    /// Every block reference.
    pub inserts: Vec<Insert>,
    /// Entities left out, by type.
    pub skipped: BTreeMap<String, usize>,
    /// Paper-space entities left out.
    pub paper_space: usize,
    /// Entities with absurd coordinates left out.
    pub absurd: usize,
    /// True when the budget of outlines was spent.
    pub truncated: bool,
}

/// Walks entities into a [`Drawing`].
pub struct Walker<'a> {
    blocks: HashMap<&'a str, &'a dxf::Block>,
    /// What has been read.
    pub out: Drawing,
}

impl<'a> Walker<'a> {
    /// A walker resolving block references among `blocks`.
    pub fn new(blocks: impl Iterator<Item = &'a dxf::Block>) -> Self {
        Walker { blocks: blocks.map(|b| (b.name.as_str(), b)).collect(), out: Drawing::default() }
    }

    /// Reads the model-space entities.
    pub fn model_space(&mut self, entities: impl Iterator<Item = &'a Entity>) {
        for e in entities {
            if e.common.is_in_paper_space {
                self.out.paper_space += 1;
            } else {
                self.entity(e, Affine::IDENTITY, None, None, 0);
            }
        }
    }

    /// Reads one entity placed by `to_world`; `inherited` is the layer of the block reference
    /// it is drawn by (entities on layer 0 of a block take it).
    fn entity(
        &mut self,
        e: &'a Entity,
        to_world: Affine,
        insert: Option<usize>,
        inherited: Option<&str>,
        depth: usize,
    ) {
        if !e.common.is_visible {
            return;
        }
        if self.out.pieces.len() >= MAX_PIECES {
            self.out.truncated = true;
            return;
        }
        let layer = match (e.common.layer.as_str(), inherited) {
            ("0", Some(outer)) => outer.to_owned(),
            (own, _) => own.to_owned(),
        };
        // Entities whose normal points down are mirrored in x (their object coordinate system).
        let ocs = |normal: &dxf::Vector| if normal.z < 0.0 { Affine::FLIP_X } else { Affine::IDENTITY };
        let shape = match &e.specific {
            EntityType::LwPolyline(p) => {
                let points: Vec<(Point, f64)> =
                    p.vertices.iter().map(|v| (Point::new(v.x, v.y), v.bulge)).collect();
                Some((ocs(&p.extrusion_direction) * polyline(&points, p.is_closed()), p.is_closed(), false))
            }
            EntityType::Polyline(p) => {
                let points: Vec<(Point, f64)> = p.vertices().map(|v| (point(&v.location), v.bulge)).collect();
                Some((ocs(&p.normal) * polyline(&points, p.is_closed()), p.is_closed(), false))
            }
            EntityType::Line(l) => {
                let mut path = BezPath::new();
                path.move_to(point(&l.p1));
                path.line_to(point(&l.p2));
                Some((path, false, false))
            }
            EntityType::Arc(a) => {
                let start = a.start_angle.to_radians();
                let sweep = (a.end_angle - a.start_angle).rem_euclid(360.0);
                let sweep = if sweep == 0.0 { 360.0 } else { sweep }.to_radians();
                let arc = Arc::new(point(&a.center), Vec2::new(a.radius, a.radius), start, sweep, 0.0);
                Some((ocs(&a.normal) * arc.to_path(a.radius.abs() * 1e-3), false, false))
            }
            EntityType::Circle(c) => {
                let circle = kurbo::Circle::new(point(&c.center), c.radius.abs());
                Some((ocs(&c.normal) * circle.to_path(c.radius.abs() * 1e-3), true, false))
            }
            EntityType::Ellipse(el) => {
                let axis = Vec2::new(el.major_axis.x, el.major_axis.y);
                let radii = Vec2::new(axis.hypot(), axis.hypot() * el.minor_axis_ratio);
                let sweep = (el.end_parameter - el.start_parameter).rem_euclid(std::f64::consts::TAU);
                let full = sweep < 1e-9 || (std::f64::consts::TAU - sweep) < 1e-9;
                let sweep = if full { std::f64::consts::TAU } else { sweep };
                let arc = Arc::new(point(&el.center), radii, el.start_parameter, sweep, axis.atan2());
                let mut path = arc.to_path(radii.x.max(radii.y) * 1e-3);
                if full {
                    path.close_path();
                }
                Some((ocs(&el.normal) * path, full, false))
            }
            EntityType::Spline(s) => {
                let points = spline(s);
                let closed = s.is_closed() || (points.len() > 2 && points.first() == points.last());
                let mut path = BezPath::new();
                for (i, p) in points.iter().enumerate() {
                    if i == 0 { path.move_to(*p) } else { path.line_to(*p) }
                }
                if closed && !points.is_empty() {
                    path.close_path();
                }
                Some((path, closed, false))
            }
            EntityType::Solid(s) => {
                // A SOLID's corners are in the order 1, 2, 4, 3 round its outline.
                let corners = [&s.first_corner, &s.second_corner, &s.fourth_corner, &s.third_corner];
                let mut path = BezPath::new();
                for (i, c) in corners.iter().enumerate() {
                    if i == 0 { path.move_to(point(c)) } else { path.line_to(point(c)) }
                }
                path.close_path();
                Some((ocs(&s.extrusion_direction) * path, true, true))
            }
            EntityType::Text(t) => {
                let justified = t.horizontal_text_justification != HorizontalTextJustification::Left
                    || t.vertical_text_justification != VerticalTextJustification::Baseline;
                let at = if justified { &t.second_alignment_point } else { &t.location };
                self.label(
                    &layer,
                    to_world * (ocs(&t.normal) * point(at)),
                    &t.value,
                    t.text_height,
                    t.rotation,
                    to_world,
                    insert,
                );
                None
            }
            EntityType::MText(m) => {
                let text: String = m.extended_text.concat() + &m.text;
                let direction = Vec2::new(m.x_axis_direction.x, m.x_axis_direction.y);
                let rotation = if direction.hypot() > 0.0 {
                    direction.atan2().to_degrees()
                } else {
                    m.rotation_angle.to_degrees()
                };
                self.label(
                    &layer,
                    to_world * point(&m.insertion_point),
                    &text,
                    m.initial_text_height,
                    rotation,
                    to_world,
                    insert,
                );
                None
            }
            EntityType::Insert(i) => {
                self.insert(i, &layer, to_world, depth);
                None
            }
            // Attribute definitions are the templates of a block's attributes.
            EntityType::AttributeDefinition(_) => None,
            other => {
                if depth == 0 {
                    *self.out.skipped.entry(kind_name(other).to_owned()).or_default() += 1;
                }
                None
            }
        };
        if let Some((path, closed, filled)) = shape {
            let path = to_world * path;
            let b = path.bounding_box();
            if path.elements().is_empty()
                || !b.is_finite()
                || b.x0.abs().max(b.x1.abs()).max(b.y0.abs()).max(b.y1.abs()) > ABSURD
            {
                self.out.absurd += 1;
                return;
            }
            self.out.pieces.push(Piece { layer, path, closed, filled, insert });
        }
    }

    /// Adds a text, its angle turned by the block reference that places it.
    #[allow(clippy::too_many_arguments)]
    fn label(
        &mut self,
        layer: &str,
        at: Point,
        value: &str,
        height: f64,
        rotation: f64,
        to_world: Affine,
        insert: Option<usize>,
    ) {
        let text = plain(value);
        if text.is_empty() || !at.is_finite() || at.x.abs().max(at.y.abs()) > ABSURD {
            return;
        }
        let x_axis = to_world * Point::new(1.0, 0.0) - to_world * Point::ZERO;
        let scale = to_world.determinant().abs().sqrt();
        let rotation = rotation + x_axis.atan2().to_degrees();
        self.out.labels.push(Label {
            layer: layer.to_owned(),
            at,
            text,
            height: height.abs() * scale,
            rotation,
            insert,
        });
    }

    /// Expands a block reference (every copy of an array), with its attributes as texts.
    fn insert(&mut self, i: &'a dxf::entities::Insert, layer: &str, to_world: Affine, depth: usize) {
        let Some(block) = self.blocks.get(i.name.as_str()).copied() else {
            *self.out.skipped.entry(format!("INSERT of a missing block \"{}\"", i.name)).or_default() += 1;
            return;
        };
        if depth >= MAX_DEPTH {
            self.out.truncated = true;
            return;
        }
        let index = self.out.inserts.len();
        self.out.inserts.push(Insert { layer: layer.to_owned(), block: i.name.clone() });
        let scale = |v: f64| if v == 0.0 { 1.0 } else { v };
        let place = Affine::translate(point(&i.location).to_vec2()) * Affine::rotate(i.rotation.to_radians());
        let within = Affine::scale_non_uniform(scale(i.x_scale_factor), scale(i.y_scale_factor))
            * Affine::translate(-point(&block.base_point).to_vec2());
        let (columns, rows) = (i.column_count.max(1), i.row_count.max(1));
        for row in 0..rows {
            for column in 0..columns {
                let offset =
                    Affine::translate((f64::from(column) * i.column_spacing, f64::from(row) * i.row_spacing));
                let copy = to_world * place * offset * within;
                for e in &block.entities {
                    self.entity(e, copy, Some(index), Some(layer), depth + 1);
                }
            }
        }
        // Attributes are placed in the drawing's coordinates already, and are texts of the
        // drawing (a room tag's number and name), not of the block.
        for a in i.attributes() {
            let at = if a.horizontal_text_justification != HorizontalTextJustification::Left
                || a.vertical_text_justification != VerticalTextJustification::Baseline
            {
                &a.second_alignment_point
            } else {
                &a.location
            };
            self.label(layer, to_world * point(at), &a.value, a.text_height, a.rotation, to_world, None);
        }
    }
}

/// The DXF name of an entity type synmap does not draw (for the report of what was left out).
fn kind_name(kind: &EntityType) -> &'static str {
    match kind {
        EntityType::RotatedDimension(_)
        | EntityType::RadialDimension(_)
        | EntityType::DiameterDimension(_)
        | EntityType::AngularThreePointDimension(_)
        | EntityType::OrdinateDimension(_) => "DIMENSION",
        EntityType::ModelPoint(_) => "POINT",
        EntityType::Leader(_) => "LEADER",
        EntityType::Image(_) => "IMAGE",
        EntityType::Face3D(_) => "3DFACE",
        EntityType::Trace(_) => "TRACE",
        EntityType::Wipeout(_) => "WIPEOUT",
        EntityType::Ray(_) | EntityType::XLine(_) => "construction line",
        _ => "other entity",
    }
}

/// A DXF point in the plane.
fn point(p: &dxf::Point) -> Point {
    Point::new(p.x, p.y)
}

/// Adds the segment from `from` to `to` with a DXF bulge (the tangent of a quarter of the arc's
/// angle, positive anticlockwise) to `path`, whose current point is `from`.
pub fn bulge_to(path: &mut BezPath, from: Point, to: Point, bulge: f64) {
    if bulge.abs() < 1e-9 || !bulge.is_finite() || from == to {
        path.line_to(to);
        return;
    }
    let chord = (to - from).hypot();
    let radius = chord * (1.0 + bulge * bulge) / (4.0 * bulge.abs());
    let svg = SvgArc {
        from,
        to,
        radii: Vec2::new(radius, radius),
        x_rotation: 0.0,
        large_arc: bulge.abs() > 1.0,
        sweep: bulge > 0.0,
    };
    match Arc::from_svg_arc(&svg) {
        Some(arc) => arc.append_iter(radius * 1e-3).for_each(|el| path.push(el)),
        None => path.line_to(to),
    }
}

/// A polyline's outline, bulges drawn as arcs.
fn polyline(points: &[(Point, f64)], closed: bool) -> BezPath {
    let mut path = BezPath::new();
    let Some(&(first, _)) = points.first() else { return path };
    path.move_to(first);
    for (i, &(p, bulge)) in points.iter().enumerate() {
        match points.get(i + 1) {
            Some(&(next, _)) => bulge_to(&mut path, p, next, bulge),
            None if closed => bulge_to(&mut path, p, first, bulge),
            None => {}
        }
    }
    if closed {
        path.close_path();
    }
    path
}

/// Points along a spline: evaluated from its control points and knots (de Boor), or its fit
/// points when it has no usable control points.
fn spline(s: &dxf::entities::Spline) -> Vec<Point> {
    let controls: Vec<Point> = s.control_points.iter().map(point).collect();
    let degree = usize::try_from(s.degree_of_curve).unwrap_or(3).clamp(1, 10);
    let knots = &s.knot_values;
    if controls.len() <= degree || knots.len() != controls.len() + degree + 1 {
        return s.fit_points.iter().map(point).collect();
    }
    let weights: Vec<f64> = if s.weight_values.len() == controls.len() {
        s.weight_values.clone()
    } else {
        vec![1.0; controls.len()]
    };
    let (t0, t1) = (knots[degree], knots[controls.len()]);
    let steps = (controls.len() * 8).min(10_000);
    (0..=steps)
        .map(|k| t0 + (t1 - t0) * k as f64 / steps as f64)
        .map(|t| de_boor(t, degree, knots, &controls, &weights))
        .collect()
}

/// The point of a rational B-spline at `t`.
fn de_boor(t: f64, degree: usize, knots: &[f64], controls: &[Point], weights: &[f64]) -> Point {
    let n = controls.len();
    let span = (degree..n).rfind(|&i| knots[i] <= t).unwrap_or(degree);
    let mut d: Vec<(f64, f64, f64)> = (0..=degree)
        .map(|j| {
            let (p, w) = (controls[j + span - degree], weights[j + span - degree]);
            (p.x * w, p.y * w, w)
        })
        .collect();
    for r in 1..=degree {
        for j in (r..=degree).rev() {
            let i = j + span - degree;
            let denominator = knots[i + degree + 1 - r] - knots[i];
            let alpha = if denominator == 0.0 { 0.0 } else { (t - knots[i]) / denominator };
            d[j] = (
                (1.0 - alpha) * d[j - 1].0 + alpha * d[j].0,
                (1.0 - alpha) * d[j - 1].1 + alpha * d[j].1,
                (1.0 - alpha) * d[j - 1].2 + alpha * d[j].2,
            );
        }
    }
    let (x, y, w) = d[degree];
    if w == 0.0 { Point::new(x, y) } else { Point::new(x / w, y / w) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bulge_of_one_is_a_half_circle() {
        let mut path = BezPath::new();
        path.move_to((0.0, 0.0));
        bulge_to(&mut path, Point::new(0.0, 0.0), Point::new(10.0, 0.0), 1.0);
        let b = path.bounding_box();
        assert!(
            (b.y0 + 5.0).abs() < 0.01 && b.y1.abs() < 0.01,
            "anticlockwise from (0,0) to (10,0) dips below: {b:?}"
        );
        let mut back = BezPath::new();
        back.move_to((0.0, 0.0));
        bulge_to(&mut back, Point::new(0.0, 0.0), Point::new(10.0, 0.0), -1.0);
        assert!((back.bounding_box().y1 - 5.0).abs() < 0.01, "a negative bulge goes the other way");
    }

    #[test]
    fn a_clamped_quadratic_spline_passes_its_ends_and_bends_towards_its_middle() {
        let mut s = dxf::entities::Spline { degree_of_curve: 2, ..Default::default() };
        s.control_points = vec![
            dxf::Point::new(0.0, 0.0, 0.0),
            dxf::Point::new(5.0, 10.0, 0.0),
            dxf::Point::new(10.0, 0.0, 0.0),
        ];
        s.knot_values = vec![0.0, 0.0, 0.0, 1.0, 1.0, 1.0];
        let points = spline(&s);
        assert_eq!(points.first(), Some(&Point::new(0.0, 0.0)));
        assert!((points.last().unwrap().x - 10.0).abs() < 1e-9);
        let top = points.iter().map(|p| p.y).fold(0.0, f64::max);
        assert!((top - 5.0).abs() < 0.01, "a quadratic Bézier peaks at half its control point: {top}");
    }
}

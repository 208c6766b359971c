//! How well tracing found the rooms of a plan whose rooms are known: each true room matched to
//! the traced outline it overlaps most, counted found when their intersection over union is at
//! least [`MIN_IOU`]; recall (true rooms found), precision (traced outlines that are a true
//! room) and the corners of the rectangular rooms found.

use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::float::single::SingleFloatOverlay;
use kurbo::{Point, Rect, Shape};

/// The overlap a traced outline needs with a true room to count as finding it.
pub const MIN_IOU: f64 = 0.85;

/// The measure of one tracing.
#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    /// True rooms.
    pub rooms: usize,
    /// Outlines traced.
    pub traced: usize,
    /// True rooms found.
    pub found: usize,
    /// Traced outlines that found a true room.
    pub right: usize,
    /// The median number of corners of the rectangular rooms found.
    pub median_rectangle_corners: f64,
}

impl Score {
    /// The share of true rooms found.
    pub fn recall(&self) -> f64 {
        self.found as f64 / self.rooms.max(1) as f64
    }

    /// The share of traced outlines that are a true room.
    pub fn precision(&self) -> f64 {
        self.right as f64 / self.traced.max(1) as f64
    }
}

/// Scores `traced` against the true `rooms` (both in pixels).
pub fn score(rooms: &[Vec<Point>], traced: &[Vec<Point>]) -> Score {
    let bounds =
        |o: &[Point]| o.iter().fold(Rect::new(f64::MAX, f64::MAX, f64::MIN, f64::MIN), |r, p| r.union_pt(*p));
    let traced_bounds: Vec<Rect> = traced.iter().map(|o| bounds(o)).collect();
    let mut right = vec![false; traced.len()];
    let (mut found, mut corners) = (0, Vec::new());
    for room in rooms {
        let b = bounds(room);
        let best = traced
            .iter()
            .zip(&traced_bounds)
            .enumerate()
            .filter(|(_, (_, tb))| tb.intersect(b).area() > 0.0)
            .map(|(i, (t, _))| (i, iou(room, t)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((i, overlap)) = best
            && overlap >= MIN_IOU
        {
            found += 1;
            right[i] = true;
            if corners_of(room) == 4 {
                corners.push(traced[i].len());
            }
        }
    }
    corners.sort_unstable();
    let median_rectangle_corners = match corners.len() {
        0 => 0.0,
        n if n % 2 == 1 => corners[n / 2] as f64,
        n => (corners[n / 2 - 1] + corners[n / 2]) as f64 / 2.0,
    };
    Score {
        rooms: rooms.len(),
        traced: traced.len(),
        found,
        right: right.iter().filter(|&&r| r).count(),
        median_rectangle_corners,
    }
}

/// The corners of an outline (a repeated last point is the first).
fn corners_of(outline: &[Point]) -> usize {
    match outline {
        [first, .., last] if first == last => outline.len() - 1,
        _ => outline.len(),
    }
}

/// Intersection over union of two simple outlines.
pub fn iou(a: &[Point], b: &[Point]) -> f64 {
    let contour = |o: &[Point]| vec![o.iter().map(|p| [p.x, p.y]).collect::<Vec<[f64; 2]>>()];
    let inter =
        crate::polygons::path_of(&contour(a).overlay(&contour(b), OverlayRule::Intersect, FillRule::NonZero));
    let area = |o: &[Point]| crate::polygons::path_of(&[contour(o)]).area().abs();
    let i = inter.area().abs();
    let union = area(a) + area(b) - i;
    if union > 0.0 { i / union } else { 0.0 }
}

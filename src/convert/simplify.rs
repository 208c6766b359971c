//! Simplification that keeps shared borders shared, as mapshaper does: rings are cut into arcs at
//! the points where neighbours meet (a point shared by rings whose neighbouring points differ),
//! each arc is simplified by Visvalingam's effective area in one canonical direction (so the two
//! rings sharing it drop the same points), and one threshold across the whole map keeps the
//! given share of the points that can go. Neighbours never open gaps or overlap.
//!
//! Hand-written: the crates that simplify (`geo`'s `SimplifyVw`) work on one geometry at a time
//! and cannot keep borders shared or apply one threshold to a whole map.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet};

use kurbo::Point;

/// A point's identity: its coordinates' bits (shared borders repeat them exactly).
type Key = (u64, u64);

fn key(p: Point) -> Key {
    (p.x.to_bits(), p.y.to_bits())
}

/// Simplifies rings (`closed`) and lines in place, keeping `percent` (0–100) of the points that
/// can be removed: the ends of lines and the points where neighbours meet always stay, and a
/// ring keeps at least three points.
pub fn simplify(shapes: &mut [(Vec<Point>, bool)], percent: f64) {
    if percent >= 100.0 {
        return;
    }
    for (points, closed) in shapes.iter_mut() {
        if *closed && points.len() > 1 && points.first() == points.last() {
            points.pop();
        }
    }
    let fixed = junctions(shapes);
    // For each shape, its points' effective areas (infinite for points that stay).
    let areas: Vec<Vec<f64>> =
        shapes.iter().map(|(points, closed)| effective_areas(points, *closed, &fixed)).collect();
    let mut removable: Vec<f64> = areas.iter().flatten().copied().filter(|a| a.is_finite()).collect();
    if removable.is_empty() {
        return;
    }
    let keep = ((removable.len() as f64) * percent.max(0.0) / 100.0).round() as usize;
    removable.sort_by(|a, b| b.total_cmp(a));
    let threshold = if keep == 0 { f64::INFINITY } else { removable[keep - 1] };
    for ((points, closed), areas) in shapes.iter_mut().zip(&areas) {
        let kept: Vec<Point> =
            points.iter().zip(areas).filter(|(_, a)| **a >= threshold).map(|(p, _)| *p).collect();
        if !*closed || kept.len() >= 3 {
            *points = kept;
        }
    }
}

/// The points where neighbours meet: points of several rings whose neighbouring points differ
/// from one ring to another.
fn junctions(shapes: &[(Vec<Point>, bool)]) -> HashSet<Key> {
    let mut seen: HashMap<Key, (Key, Key)> = HashMap::new();
    let mut fixed = HashSet::new();
    for (points, closed) in shapes {
        let n = points.len();
        for i in 0..n {
            let k = key(points[i]);
            if !closed && (i == 0 || i == n - 1) {
                fixed.insert(k);
                continue;
            }
            let (prev, next) = (key(points[(i + n - 1) % n]), key(points[(i + 1) % n]));
            let pair = (prev.min(next), prev.max(next));
            if *seen.entry(k).or_insert(pair) != pair {
                fixed.insert(k);
            }
        }
    }
    fixed
}

/// Each point's effective area in its shape: infinite for points that stay (ends, junctions,
/// and for a ring without junctions its lowest point and the point farthest from it).
fn effective_areas(points: &[Point], closed: bool, fixed: &HashSet<Key>) -> Vec<f64> {
    let n = points.len();
    let mut stays: Vec<usize> = (0..n).filter(|&i| fixed.contains(&key(points[i]))).collect();
    if closed && stays.len() < 2 && n > 0 {
        // Chosen from the points alone, so a ring shared whole (an enclave and its hole) picks
        // the same two wherever it starts.
        let low = (0..n).min_by_key(|&i| key(points[i])).expect("not empty");
        let far = (0..n)
            .max_by(|&a, &b| {
                let (da, db) = (points[a].distance(points[low]), points[b].distance(points[low]));
                da.total_cmp(&db).then_with(|| key(points[b]).cmp(&key(points[a])))
            })
            .expect("not empty");
        stays = vec![low.min(far), low.max(far)];
        stays.dedup();
    }
    let mut areas = vec![f64::INFINITY; n];
    if stays.is_empty() {
        return areas;
    }
    let arcs: Vec<(usize, usize)> = if closed {
        (0..stays.len()).map(|j| (stays[j], stays[(j + 1) % stays.len()])).collect()
    } else {
        stays.windows(2).map(|w| (w[0], w[1])).collect()
    };
    for (from, to) in arcs {
        let span = if to > from { to - from } else { to + n - from };
        let indices: Vec<usize> = (0..=span).map(|s| (from + s) % n).collect();
        let mut arc: Vec<Point> = indices.iter().map(|&i| points[i]).collect();
        // One direction for an arc whichever ring it is read from.
        let backwards = arc.iter().rev().map(|p| key(*p)).lt(arc.iter().map(|p| key(*p)));
        if backwards {
            arc.reverse();
        }
        let mut arc_areas = visvalingam(&arc);
        if backwards {
            arc_areas.reverse();
        }
        for (s, &i) in indices.iter().enumerate().take(span).skip(1) {
            areas[i] = arc_areas[s];
        }
    }
    areas
}

/// A point waiting in the heap: its current triangle's area and its index.
#[derive(PartialEq)]
struct Waiting(f64, usize);

impl Eq for Waiting {}

impl Ord for Waiting {
    fn cmp(&self, other: &Self) -> Ordering {
        // Smallest area first (BinaryHeap is a max-heap), then the lower index.
        other.0.total_cmp(&self.0).then_with(|| other.1.cmp(&self.1))
    }
}

impl PartialOrd for Waiting {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Visvalingam–Whyatt effective areas of an arc's inner points (the ends are infinite): the
/// area of the triangle a point makes with its neighbours when it is removed, never less than
/// that of a point removed before it.
fn visvalingam(arc: &[Point]) -> Vec<f64> {
    let n = arc.len();
    let mut out = vec![f64::INFINITY; n];
    if n < 3 {
        return out;
    }
    let triangle = |a: Point, b: Point, c: Point| ((b - a).cross(c - a)).abs() / 2.0;
    let mut prev: Vec<usize> = (0..n).map(|i| i.saturating_sub(1)).collect();
    let mut next: Vec<usize> = (0..n).map(|i| (i + 1).min(n - 1)).collect();
    let mut current = vec![f64::INFINITY; n];
    let mut heap = BinaryHeap::new();
    for i in 1..n - 1 {
        current[i] = triangle(arc[i - 1], arc[i], arc[i + 1]);
        heap.push(Waiting(current[i], i));
    }
    let mut largest = 0.0f64;
    while let Some(Waiting(area, i)) = heap.pop() {
        if area != current[i] || out[i].is_finite() {
            continue;
        }
        largest = largest.max(area);
        out[i] = largest;
        let (p, q) = (prev[i], next[i]);
        next[p] = q;
        prev[q] = p;
        for j in [p, q] {
            if j != 0 && j != n - 1 {
                current[j] = triangle(arc[prev[j]], arc[j], arc[next[j]]);
                heap.push(Waiting(current[j], j));
            }
        }
    }
    out
}

/// Simplifies the straight-edged shapes of a map together (curves are left as they are), in
/// document coordinates so neighbours drawn under different transforms still share their
/// borders; returns the points before and after.
pub fn simplify_map(map: &mut crate::model::Map, percent: f64) -> (usize, usize) {
    use crate::model::{Geometry, NodeKind};
    use kurbo::{BezPath, PathEl};
    // Each shape's subpaths as rings or lines in document coordinates.
    let mut owners: Vec<(crate::model::NodeKey, usize)> = Vec::new();
    let mut shapes: Vec<(Vec<Point>, bool)> = Vec::new();
    for (key, node) in map.iter() {
        let NodeKind::Shape(g) = &node.kind else { continue };
        if !matches!(g, Geometry::Path(..) | Geometry::Polygon(_) | Geometry::Polyline(_)) {
            continue;
        }
        let path = g.to_path();
        if path.elements().iter().any(|e| matches!(e, PathEl::QuadTo(..) | PathEl::CurveTo(..))) {
            continue;
        }
        let to_doc = map.doc_from_node(key);
        let first = shapes.len();
        for el in path.elements() {
            match *el {
                PathEl::MoveTo(p) => shapes.push((vec![to_doc * p], false)),
                PathEl::LineTo(p) => {
                    if let Some((points, _)) = shapes[first..].last_mut() {
                        points.push(to_doc * p);
                    }
                }
                PathEl::ClosePath => {
                    if let Some((_, closed)) = shapes[first..].last_mut() {
                        *closed = true;
                    }
                }
                _ => {}
            }
        }
        owners.push((key, shapes.len() - first));
    }
    let before: usize = shapes.iter().map(|s| s.0.len()).sum();
    simplify(&mut shapes, percent);
    let after: usize = shapes.iter().map(|s| s.0.len()).sum();
    let mut rest = shapes.into_iter();
    for (key, count) in owners {
        let to_node = map.doc_from_node(key).inverse();
        let mut path = BezPath::new();
        for (points, closed) in rest.by_ref().take(count) {
            for (i, p) in points.into_iter().enumerate() {
                if i == 0 { path.move_to(to_node * p) } else { path.line_to(to_node * p) }
            }
            if closed {
                path.close_path();
            }
        }
        if let Some(node) = map.get_mut(key) {
            node.kind = NodeKind::Shape(Geometry::Path(path.into(), None));
        }
    }
    (before, after)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A wavy line from (0, 0) to (10, 0), shared by two rings.
    fn wave() -> Vec<Point> {
        (0..=40).map(|i| Point::new(f64::from(i) / 4.0, (f64::from(i) * 0.7).sin() * 0.3)).collect()
    }

    #[test]
    fn neighbours_keep_the_same_border() {
        // North: the wave, then back over the top. South: the wave backwards, then the bottom.
        let mut north = wave();
        north.extend([Point::new(10.0, 5.0), Point::new(0.0, 5.0)]);
        let mut south: Vec<Point> = wave().into_iter().rev().collect();
        south.extend([Point::new(0.0, -5.0), Point::new(10.0, -5.0)]);
        let mut shapes = vec![(north, true), (south, true)];
        simplify(&mut shapes, 20.0);
        let border = |ring: &Vec<Point>| -> Vec<Key> {
            let mut b: Vec<Key> = ring.iter().filter(|p| p.y.abs() < 1.0).map(|p| key(*p)).collect();
            b.sort();
            b
        };
        let (n, s) = (border(&shapes[0].0), border(&shapes[1].0));
        assert!(n.len() < 20 && n.len() >= 3, "simplified: {} points", n.len());
        assert_eq!(n, s, "both sides keep the same points of the border");
        assert!(shapes[0].0.contains(&Point::new(10.0, 5.0)), "corners stay");
    }

    #[test]
    fn a_ring_keeps_three_points_and_a_line_its_ends() {
        let square = vec![Point::ZERO, Point::new(1.0, 0.0), Point::new(1.0, 1.0), Point::new(0.0, 1.0)];
        let mut shapes = vec![(square.clone(), true), (wave(), false)];
        simplify(&mut shapes, 0.0);
        assert!(shapes[0].0.len() >= 3, "{:?}", shapes[0].0);
        assert_eq!(shapes[1].0, vec![Point::ZERO, wave()[40]], "a line down to its ends");
        let mut all = vec![(square.clone(), true)];
        simplify(&mut all, 100.0);
        assert_eq!(all[0].0, square, "100% keeps everything");
    }

    #[test]
    fn effective_areas_grow_as_points_go() {
        let areas = visvalingam(&wave());
        assert!(areas[0].is_infinite() && areas[40].is_infinite());
        let mut inner: Vec<f64> = areas[1..40].to_vec();
        assert!(inner.iter().all(|a| a.is_finite() && *a >= 0.0));
        inner.sort_by(f64::total_cmp);
        assert!(inner[38] > inner[0]);
    }
}

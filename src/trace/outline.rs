//! A region's outline: its outer boundary followed along the pixels' edges (so anything inside
//! it, a label or furniture, is part of it), then simplified by Douglas–Peucker, which keeps
//! the corners of straight walls (a rectangular room comes out as its 4 corners).
//!
//! Hand-written: both steps are a few lines on the region labels tracing already has, where a
//! contour crate (`imageproc`) would bring its own image types and a large dependency tree.

use kurbo::Point;

/// The outer boundary of the pixels `inside` accepts that are 4-connected to pixel `first`
/// (the region's first pixel row by row, so its top edge is on the boundary), as the corners of
/// its pixels' edges, clockwise on screen, each corner where the boundary turns.
pub fn boundary(
    width: usize,
    height: usize,
    first: usize,
    inside: impl Fn(usize, usize) -> bool,
) -> Vec<Point> {
    let is_in = |x: i64, y: i64| {
        x >= 0 && y >= 0 && (x as usize) < width && (y as usize) < height && inside(x as usize, y as usize)
    };
    let start = ((first % width) as i64, (first / width) as i64);
    // Walking along pixel edges with the region on the right: east along the first pixel's top.
    let (mut at, mut dir) = (start, (1i64, 0i64));
    let mut corners = Vec::new();
    loop {
        at = (at.0 + dir.0, at.1 + dir.1);
        // The pixels ahead of the corner, on the right and on the left of the way.
        let right = (-dir.1, dir.0);
        let left = (dir.1, -dir.0);
        let pixel = |q: (i64, i64)| is_in(at.0 + (q.0 - 1) / 2, at.1 + (q.1 - 1) / 2);
        let ahead_right = pixel((dir.0 + right.0, dir.1 + right.1));
        let ahead_left = pixel((dir.0 + left.0, dir.1 + left.1));
        let turn = if !ahead_right {
            Some(right)
        } else if ahead_left {
            Some(left)
        } else {
            None
        };
        if let Some(turn) = turn {
            corners.push(Point::new(at.0 as f64, at.1 as f64));
            dir = turn;
        }
        if at == start && dir == (1, 0) {
            break;
        }
    }
    corners
}

/// A closed outline simplified: corners dropped while the outline stays within `tolerance`
/// pixels of them (Douglas–Peucker, split at the corner farthest from the middle and the
/// corner farthest from that, both true corners of the outline, never a step along an edge).
pub fn simplify(corners: &[Point], tolerance: f64) -> Vec<Point> {
    if corners.len() <= 4 || tolerance <= 0.0 {
        return corners.to_vec();
    }
    let n = corners.len() as f64;
    let middle = corners.iter().fold(Point::ZERO, |m, p| m + p.to_vec2() / n);
    let extreme = (0..corners.len())
        .max_by(|&a, &b| middle.distance(corners[a]).total_cmp(&middle.distance(corners[b])))
        .unwrap_or(0);
    let mut corners = corners.to_vec();
    corners.rotate_left(extreme);
    let far = (1..corners.len())
        .max_by(|&a, &b| corners[0].distance(corners[a]).total_cmp(&corners[0].distance(corners[b])))
        .unwrap_or(1);
    let mut keep = vec![false; corners.len()];
    keep[0] = true;
    keep[far] = true;
    let closed: Vec<Point> = corners.iter().copied().chain([corners[0]]).collect();
    let mut stack = vec![(0, far), (far, corners.len())];
    while let Some((a, b)) = stack.pop() {
        let (pa, pb) = (closed[a], closed[b]);
        let line = kurbo::Line::new(pa, pb);
        let farthest =
            (a + 1..b).map(|i| (i, distance_to_segment(line, closed[i]))).max_by(|x, y| x.1.total_cmp(&y.1));
        if let Some((i, d)) = farthest
            && d > tolerance
        {
            keep[i] = true;
            stack.push((a, i));
            stack.push((i, b));
        }
    }
    corners.iter().zip(keep).filter_map(|(&p, k)| k.then_some(p)).collect()
}

/// Sharp corners where simplifying left a bevel: an edge shorter than four times `tolerance`
/// between two longer ones is replaced by the point where those meet, when it is that near.
pub fn sharpen(mut corners: Vec<Point>, tolerance: f64) -> Vec<Point> {
    let short = 4.0 * tolerance.max(0.5);
    let mut i = 0;
    while corners.len() > 4 && i < corners.len() {
        let n = corners.len();
        let at = |k: usize| corners[(i + k) % n];
        let (before, a, b, after) = (at(n - 1), at(0), at(1), at(2));
        let meet = (a.distance(b) < short)
            .then(|| kurbo::Line::new(before, a).crossing_point(kurbo::Line::new(b, after)))
            .flatten()
            .filter(|x| x.distance(a) < short && x.distance(b) < short);
        match meet {
            Some(x) => {
                corners[i] = x;
                corners.remove((i + 1) % n);
                i = 0;
            }
            None => i += 1,
        }
    }
    corners
}

/// How far `p` is from the segment `line`.
fn distance_to_segment(line: kurbo::Line, p: Point) -> f64 {
    use kurbo::ParamCurveNearest;
    line.nearest(p, 1e-9).distance_sq.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&str]) -> (usize, usize, Vec<bool>) {
        (rows[0].len(), rows.len(), rows.iter().flat_map(|r| r.bytes().map(|b| b == b'#')).collect())
    }

    #[test]
    fn an_l_shape_with_a_hole_is_its_six_outer_corners() {
        let (w, h, bits) = grid(&["......", ".####.", ".#.##.", ".####.", ".##...", "......"]);
        let first = bits.iter().position(|&b| b).unwrap();
        let corners = boundary(w, h, first, |x, y| bits[y * w + x]);
        let xy: Vec<(f64, f64)> = corners.iter().map(|p| (p.x, p.y)).collect();
        assert_eq!(xy, [(5.0, 1.0), (5.0, 4.0), (3.0, 4.0), (3.0, 5.0), (1.0, 5.0), (1.0, 1.0)]);
    }

    #[test]
    fn a_staircase_edge_becomes_straight_and_corners_stay() {
        // A rectangle 100 × 40 whose top edge drops one pixel every 25 (a slight rotation).
        let mut corners = vec![Point::new(0.0, 0.0)];
        for step in 1..4 {
            corners.push(Point::new(25.0 * f64::from(step), f64::from(step - 1)));
            corners.push(Point::new(25.0 * f64::from(step), f64::from(step)));
        }
        corners.extend([Point::new(100.0, 3.0), Point::new(100.0, 43.0), Point::new(0.0, 40.0)]);
        let simple = simplify(&corners, 1.5);
        assert_eq!(simple.len(), 4, "{simple:?}");
    }
}

//! Anti-aliased coverage of a small outline (a glyph), computed exactly as tiny-skia fills a
//! path into a mask (4×4 supersampling over Skia's fixed-point edges) but without its per-fill
//! set-up: no path copy, no span pipeline, buffers kept between fills. Labels are drawn glyph
//! by glyph at their exact positions, so this is the direct renderer's hottest loop.
//!
//! Ported from tiny-skia 0.12 (`scan/path_aa.rs`, `scan/path.rs`, `edge.rs`,
//! `edge_builder.rs`, `alpha_runs.rs`, `path_geometry.rs`): Copyright 2006 The Android Open
//! Source Project, 2011 Google Inc., 2020 Yevhenii Reizner, under the BSD 3-clause licence
//! (`LICENSES/tiny-skia.txt`). The arithmetic is kept step for step: a tested fill is equal,
//! byte for byte, to `tiny_skia::Mask::fill_path`.

use tiny_skia::{PathSegment, Point, Rect, Transform};

/// Supersampling: 4 samples each way per pixel.
const SHIFT: i32 = 2;
const SCALE: u32 = 1 << SHIFT;
const MASK: u32 = SCALE - 1;
/// The most segments a quadratic edge is cut into is `1 << MAX_COEFF_SHIFT`.
const MAX_COEFF_SHIFT: i32 = 6;
/// Skia's tolerance for a size to count as none.
const NEARLY_ZERO: f32 = 1.0 / 4096.0;
/// Sentinel links of the edge list.
const NONE: u32 = u32::MAX;

/// The buffers one thread fills with: kept between fills.
#[derive(Default)]
pub struct Scratch {
    points: Vec<Point>,
    edges: Vec<Edge>,
}

/// Why a fill was not done here: the caller fills with tiny-skia instead.
#[derive(Debug, PartialEq, Eq)]
pub struct Unsupported;

/// Adds the coverage of `outline` transformed by `at` (scale and translation only, checked by
/// the caller) to `mask`, `width` bytes a row and initially zero, as `Mask::fill_path` with
/// the non-zero rule would. The outline must lie inside the mask; a cubic segment or an
/// outline reaching outside is [`Unsupported`].
pub fn fill(
    outline: &tiny_skia::Path,
    at: Transform,
    mask: &mut [u8],
    width: u32,
    scratch: &mut Scratch,
) -> Result<(), Unsupported> {
    let height = mask.len() as u32 / width.max(1);
    let Scratch { points, edges } = scratch;
    points.clear();
    // As `Transform::map_points` maps a scale-and-translate (a plain translation or the
    // identity give the same numbers).
    points.extend(outline.points().iter().map(|p| Point::from_xy(p.x * at.sx + at.tx, p.y * at.sy + at.ty)));
    let Some(bounds) = Rect::from_points(points) else { return Ok(()) };
    if bounds.width() <= NEARLY_ZERO || bounds.height() <= NEARLY_ZERO {
        return Ok(()); // Skia leaves empty paths and straight lines unfilled.
    }
    let Some(ir) = Rect::from_ltrb(
        bounds.left().floor(),
        bounds.top().floor(),
        bounds.right().ceil(),
        bounds.bottom().ceil(),
    )
    .and_then(|r| r.round_out()) else {
        return Ok(());
    };
    if ir.left() < 0 || ir.top() < 0 || ir.right() > width as i32 || ir.bottom() > height as i32 {
        return Err(Unsupported);
    }
    build_edges(outline, points, edges)?;
    if edges.len() < 2 {
        return Ok(());
    }
    // Sorted by first row, then x; the sort is stable, as tiny-skia's.
    edges.sort_by(|a, b| a.line.first_y.cmp(&b.line.first_y).then(a.line.x.cmp(&b.line.x)));
    let n = edges.len() as u32;
    for (i, e) in edges.iter_mut().enumerate() {
        e.prev = i as u32;
        e.next = i as u32 + 2;
    }
    let sentinel = |first_y, x, prev, next| Edge {
        line: Line { x, dx: 0, first_y, last_y: 0, winding: 0 },
        quad: None,
        prev,
        next,
    };
    edges.insert(0, sentinel(i32::MIN, i32::MIN, NONE, 1));
    edges.push(sentinel(i32::MAX, 0, n, NONE));
    let mut accumulator = Accumulator {
        mask,
        stride: width as usize,
        left: ir.left() as usize,
        runs_width: ir.width() as usize,
        super_left: (ir.left() as u32) << SHIFT,
    };
    walk_edges(
        (ir.top() as u32) << SHIFT,
        (ir.bottom() as u32) << SHIFT,
        width << SHIFT,
        edges,
        &mut accumulator,
    );
    Ok(())
}

/// The path's segments as edges in supersampled fixed point, each contour closed, quadratics
/// cut at their vertical extrema (tiny-skia's `BasicEdgeBuilder` without a clip).
fn build_edges(
    outline: &tiny_skia::Path,
    points: &[Point],
    edges: &mut Vec<Edge>,
) -> Result<(), Unsupported> {
    edges.clear();
    let mut at = 0usize;
    let (mut start, mut last) = (Point::zero(), Point::zero());
    let mut open = false;
    let close = |edges: &mut Vec<Edge>, open: &mut bool, last: Point, start: Point| {
        if std::mem::take(open) {
            push_line(edges, last, start);
        }
    };
    for segment in outline.segments() {
        match segment {
            PathSegment::MoveTo(_) => {
                close(edges, &mut open, last, start);
                start = points[at];
                last = start;
                at += 1;
            }
            PathSegment::LineTo(_) => {
                open = true;
                push_line(edges, last, points[at]);
                last = points[at];
                at += 1;
            }
            PathSegment::QuadTo(..) => {
                open = true;
                let quad = [last, points[at], points[at + 1]];
                let mut chopped = [Point::zero(); 5];
                let cuts = chop_quad_at_y_extrema(&quad, &mut chopped);
                for i in 0..=cuts {
                    if let Some(edge) = quad_edge(&chopped[i * 2..i * 2 + 3]) {
                        edges.push(edge);
                    }
                }
                last = points[at + 1];
                at += 2;
            }
            PathSegment::CubicTo(..) => return Err(Unsupported),
            PathSegment::Close => close(edges, &mut open, last, start),
        }
    }
    close(edges, &mut open, last, start);
    Ok(())
}

/// A line edge, or the current line of a quadratic one.
#[derive(Clone, Copy, Default)]
struct Line {
    /// 16.16 fixed point, at the centre of the current supersampled row.
    x: i32,
    dx: i32,
    first_y: i32,
    last_y: i32,
    winding: i8,
}

/// A quadratic edge's forward differencing state.
#[derive(Clone, Copy)]
struct Quad {
    count: i8,
    shift: u8,
    x: i32,
    y: i32,
    dx: i32,
    dy: i32,
    ddx: i32,
    ddy: i32,
    last_x: i32,
    last_y: i32,
}

#[derive(Clone, Copy)]
struct Edge {
    line: Line,
    quad: Option<Quad>,
    prev: u32,
    next: u32,
}

fn left_shift(value: i32, shift: i32) -> i32 {
    ((value as u32) << shift) as i32
}

/// 26.6 to 16.16.
fn fdot6_to_fdot16(n: i32) -> i32 {
    left_shift(n, 10)
}

fn fdot6_round(n: i32) -> i32 {
    (n + 32) >> 6
}

/// `a / b` of two 26.6 numbers, as 16.16.
fn fdot6_div(a: i32, b: i32) -> i32 {
    if i16::try_from(a).is_ok() {
        left_shift(a, 16) / b
    } else {
        ((i64::from(a) << 16) / i64::from(b)).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
    }
}

fn fdot16_mul(a: i32, b: i32) -> i32 {
    ((i64::from(a) * i64::from(b)) >> 16) as i32
}

fn compute_dy(top: i32, y0: i32) -> i32 {
    left_shift(top, 6) + 32 - y0
}

impl Line {
    /// From two points in pixels; `None` when it spans no supersampled row.
    fn new(p0: Point, p1: Point) -> Option<Self> {
        let scale = (1 << (SHIFT + 6)) as f32;
        let (mut x0, mut y0) = ((p0.x * scale) as i32, (p0.y * scale) as i32);
        let (mut x1, mut y1) = ((p1.x * scale) as i32, (p1.y * scale) as i32);
        let mut winding = 1;
        if y0 > y1 {
            std::mem::swap(&mut x0, &mut x1);
            std::mem::swap(&mut y0, &mut y1);
            winding = -1;
        }
        let (top, bottom) = (fdot6_round(y0), fdot6_round(y1));
        if top == bottom {
            return None;
        }
        let slope = fdot6_div(x1 - x0, y1 - y0);
        let dy = compute_dy(top, y0);
        Some(Line {
            x: fdot6_to_fdot16(x0 + fdot16_mul(slope, dy)),
            dx: slope,
            first_y: top,
            last_y: bottom - 1,
            winding,
        })
    }

    /// The next piece of a quadratic, from 16.16 points; false when it spans no row.
    fn update(&mut self, x0: i32, y0: i32, x1: i32, y1: i32) -> bool {
        let (y0, y1) = (y0 >> 10, y1 >> 10);
        let (top, bottom) = (fdot6_round(y0), fdot6_round(y1));
        if top == bottom {
            return false;
        }
        let (x0, x1) = (x0 >> 10, x1 >> 10);
        let slope = fdot6_div(x1 - x0, y1 - y0);
        let dy = compute_dy(top, y0);
        self.x = fdot6_to_fdot16(x0 + fdot16_mul(slope, dy));
        self.dx = slope;
        self.first_y = top;
        self.last_y = bottom - 1;
        true
    }

    /// Steps a quadratic to its next piece spanning a row; false when none is left.
    fn update_from(&mut self, q: &mut Quad) -> bool {
        let mut count = q.count;
        let (mut old_x, mut old_y) = (q.x, q.y);
        let (mut dx, mut dy) = (q.dx, q.dy);
        let (mut new_x, mut new_y);
        let mut success;
        loop {
            count -= 1;
            if count > 0 {
                new_x = old_x + (dx >> q.shift);
                dx += q.ddx;
                new_y = old_y + (dy >> q.shift);
                dy += q.ddy;
            } else {
                new_x = q.last_x;
                new_y = q.last_y;
            }
            success = self.update(old_x, old_y, new_x, new_y);
            old_x = new_x;
            old_y = new_y;
            if count == 0 || success {
                break;
            }
        }
        q.x = new_x;
        q.y = new_y;
        q.dx = dx;
        q.dy = dy;
        q.count = count;
        success
    }
}

/// Appends a line edge, merged with the previous one when both are vertical on the same x
/// (as tiny-skia does: it changes the row ends' coverage by a step).
fn push_line(edges: &mut Vec<Edge>, p0: Point, p1: Point) {
    let Some(line) = Line::new(p0, p1) else { return };
    if line.dx == 0
        && let Some(Edge { line: last, quad: None, .. }) = edges.last_mut()
    {
        match combine_vertical(&line, last) {
            Combine::Total => {
                edges.pop();
                return;
            }
            Combine::Partial => return,
            Combine::No => {}
        }
    }
    edges.push(Edge { line, quad: None, prev: NONE, next: NONE });
}

enum Combine {
    No,
    Partial,
    Total,
}

fn combine_vertical(edge: &Line, last: &mut Line) -> Combine {
    if last.dx != 0 || edge.x != last.x {
        return Combine::No;
    }
    if edge.winding == last.winding {
        return if edge.last_y + 1 == last.first_y {
            last.first_y = edge.first_y;
            Combine::Partial
        } else if edge.first_y == last.last_y + 1 {
            last.last_y = edge.last_y;
            Combine::Partial
        } else {
            Combine::No
        };
    }
    if edge.first_y == last.first_y {
        return if edge.last_y == last.last_y {
            Combine::Total
        } else if edge.last_y < last.last_y {
            last.first_y = edge.last_y + 1;
            Combine::Partial
        } else {
            last.first_y = last.last_y + 1;
            last.last_y = edge.last_y;
            last.winding = edge.winding;
            Combine::Partial
        };
    }
    if edge.last_y == last.last_y {
        if edge.first_y > last.first_y {
            last.last_y = edge.first_y - 1;
        } else {
            last.last_y = last.first_y - 1;
            last.first_y = edge.first_y;
            last.winding = edge.winding;
        }
        return Combine::Partial;
    }
    Combine::No
}

/// A quadratic edge of three points monotonic in y; `None` when it spans no row.
fn quad_edge(points: &[Point]) -> Option<Edge> {
    let scale = (1 << (SHIFT + 6)) as f32;
    let (mut x0, mut y0) = ((points[0].x * scale) as i32, (points[0].y * scale) as i32);
    let (x1, y1) = ((points[1].x * scale) as i32, (points[1].y * scale) as i32);
    let (mut x2, mut y2) = ((points[2].x * scale) as i32, (points[2].y * scale) as i32);
    let mut winding = 1;
    if y0 > y2 {
        std::mem::swap(&mut x0, &mut x2);
        std::mem::swap(&mut y0, &mut y2);
        winding = -1;
    }
    if fdot6_round(y0) == fdot6_round(y2) {
        return None;
    }
    let dx = (left_shift(x1, 1) - x0 - x2) >> 2;
    let dy = (left_shift(y1, 1) - y0 - y2) >> 2;
    let shift = diff_to_shift(dx, dy, SHIFT).clamp(1, MAX_COEFF_SHIFT);
    // A and B are kept at half their value against overflow; `shift - 1` makes up for it.
    let half = |v: i32| left_shift(v, 16 - 6 - 1);
    let (ax, bx) = (half(x0 - x1 - x1 + x2), fdot6_to_fdot16(x1 - x0));
    let (ay, by) = (half(y0 - y1 - y1 + y2), fdot6_to_fdot16(y1 - y0));
    let mut quad = Quad {
        count: (1 << shift) as i8,
        shift: (shift - 1) as u8,
        x: fdot6_to_fdot16(x0),
        y: fdot6_to_fdot16(y0),
        dx: bx + (ax >> shift),
        dy: by + (ay >> shift),
        ddx: ax >> (shift - 1),
        ddy: ay >> (shift - 1),
        last_x: fdot6_to_fdot16(x2),
        last_y: fdot6_to_fdot16(y2),
    };
    let mut line = Line { winding, ..Line::default() };
    line.update_from(&mut quad).then_some(Edge { line, quad: Some(quad), prev: NONE, next: NONE })
}

fn diff_to_shift(dx: i32, dy: i32, shift_aa: i32) -> i32 {
    let (dx, dy) = (dx.abs(), dy.abs());
    let mut dist = if dx > dy { dx + (dy >> 1) } else { dy + (dx >> 1) };
    dist = (dist + (1 << (2 + shift_aa))) >> (3 + shift_aa);
    (32 - dist.leading_zeros() as i32) >> 1
}

/// Cuts a quadratic where it turns vertically; the number of cuts (0 or 1).
fn chop_quad_at_y_extrema(src: &[Point; 3], dst: &mut [Point; 5]) -> usize {
    let (a, mut b, c) = (src[0].y, src[1].y, src[2].y);
    let (ab, bc) = (a - b, b - c);
    let not_monotonic = ab == 0.0 || (if ab < 0.0 { -bc } else { bc }) < 0.0;
    if not_monotonic {
        if let Some(t) = valid_unit_divide(a - b, a - b - b + c) {
            let interp = |p: Point, q: Point| Point::from_xy(p.x + (q.x - p.x) * t, p.y + (q.y - p.y) * t);
            let (p01, p12) = (interp(src[0], src[1]), interp(src[1], src[2]));
            *dst = [src[0], p01, interp(p01, p12), p12, src[2]];
            // The extremum made flat.
            dst[1].y = dst[2].y;
            dst[3].y = dst[2].y;
            return 1;
        }
        b = if (a - b).abs() < (b - c).abs() { a } else { c };
    }
    dst[0] = Point::from_xy(src[0].x, a);
    dst[1] = Point::from_xy(src[1].x, b);
    dst[2] = Point::from_xy(src[2].x, c);
    0
}

/// `numer / denom` when it lies strictly between 0 and 1.
fn valid_unit_divide(mut numer: f32, mut denom: f32) -> Option<f32> {
    if numer < 0.0 {
        numer = -numer;
        denom = -denom;
    }
    if denom == 0.0 || numer == 0.0 || numer >= denom {
        return None;
    }
    let r = numer / denom;
    (r > 0.0 && r < 1.0 && r.is_finite()).then_some(r)
}

/// Walks the supersampled rows from `start_y` to `stop_y`, handing each span inside the
/// outline (non-zero winding) to the accumulator.
fn walk_edges(start_y: u32, stop_y: u32, right_clip: u32, edges: &mut [Edge], acc: &mut Accumulator<'_>) {
    let mut curr_y = start_y;
    loop {
        let mut w = 0i32;
        let mut left = 0u32;
        let mut prev_x = edges[0].line.x;
        let mut curr = edges[0].next as usize;
        while edges[curr].line.first_y <= curr_y as i32 {
            let x = ((edges[curr].line.x + (1 << 15)) >> 16) as u32;
            if w == 0 {
                left = x;
            }
            w += i32::from(edges[curr].line.winding);
            if w == 0
                && let Some(width) = x.checked_sub(left).filter(|&w| w > 0)
            {
                acc.blit_h(left, curr_y, width);
            }
            let next = edges[curr].next;
            if edges[curr].line.last_y == curr_y as i32 {
                let edge = &mut edges[curr];
                let stepped = match &mut edge.quad {
                    Some(q) => q.count > 0 && edge.line.update_from(q),
                    None => false,
                };
                if stepped {
                    let new_x = edges[curr].line.x;
                    if new_x < prev_x {
                        backward_insert_edge_based_on_x(curr, edges);
                    } else {
                        prev_x = new_x;
                    }
                } else {
                    remove_edge(curr, edges);
                }
            } else {
                let new_x = edges[curr].line.x + edges[curr].line.dx;
                edges[curr].line.x = new_x;
                if new_x < prev_x {
                    backward_insert_edge_based_on_x(curr, edges);
                } else {
                    prev_x = new_x;
                }
            }
            curr = next as usize;
        }
        if w != 0
            && let Some(width) = right_clip.checked_sub(left).filter(|&w| w > 0)
        {
            acc.blit_h(left, curr_y, width);
        }
        curr_y += 1;
        if curr_y >= stop_y {
            break;
        }
        insert_new_edges(curr, curr_y as i32, edges);
    }
}

fn remove_edge(curr: usize, edges: &mut [Edge]) {
    let (prev, next) = (edges[curr].prev, edges[curr].next);
    edges[prev as usize].next = next;
    edges[next as usize].prev = prev;
}

fn insert_edge_after(curr: usize, after: usize, edges: &mut [Edge]) {
    edges[curr].prev = after as u32;
    edges[curr].next = edges[after].next;
    let after_next = edges[after].next as usize;
    edges[after_next].prev = curr as u32;
    edges[after].next = curr as u32;
}

fn backward_insert_edge_based_on_x(curr: usize, edges: &mut [Edge]) {
    let x = edges[curr].line.x;
    let mut prev = edges[curr].prev as usize;
    while prev != 0 && edges[prev].line.x > x {
        prev = edges[prev].prev as usize;
    }
    if edges[prev].next as usize != curr {
        remove_edge(curr, edges);
        insert_edge_after(curr, prev, edges);
    }
}

fn backward_insert_start(mut prev: usize, x: i32, edges: &[Edge]) -> usize {
    while edges[prev].prev != NONE {
        prev = edges[prev].prev as usize;
        if edges[prev].line.x <= x {
            break;
        }
    }
    prev
}

fn insert_new_edges(mut new: usize, curr_y: i32, edges: &mut [Edge]) {
    if edges[new].line.first_y != curr_y {
        return;
    }
    let prev = edges[new].prev as usize;
    if edges[prev].line.x <= edges[new].line.x {
        return;
    }
    let mut start = backward_insert_start(prev, edges[new].line.x, edges);
    loop {
        let next = edges[new].next as usize;
        let mut keep = false;
        loop {
            let after = edges[start].next as usize;
            if after == new {
                keep = true;
                break;
            }
            if edges[after].line.x >= edges[new].line.x {
                break;
            }
            start = after;
        }
        if !keep {
            remove_edge(new, edges);
            insert_edge_after(new, start, edges);
        }
        start = new;
        new = next;
        if edges[new].line.first_y != curr_y {
            break;
        }
    }
}

/// Adds supersampled spans to the mask's pixels as tiny-skia's `SuperBlitter` and
/// `AlphaRuns` do: a partly covered pixel gets 16 per sample column, a covered one 64 (63 on
/// a pixel's last sample row), sums past 255 folded back.
struct Accumulator<'a> {
    mask: &'a mut [u8],
    stride: usize,
    /// The first pixel column of the outline's bounds, and that in samples.
    left: usize,
    super_left: u32,
    /// Pixels across the outline's bounds.
    runs_width: usize,
}

impl Accumulator<'_> {
    fn blit_h(&mut self, x: u32, y: u32, width: u32) {
        // tiny-skia's treatment of a span starting left of the bounds, kept for equality.
        let (x, width) = match x.checked_sub(self.super_left) {
            Some(x) => (x, width),
            None => (0, x + width),
        };
        let (start, stop) = (x, x + width);
        let (mut fb, mut fe) = (start & MASK, stop & MASK);
        let mut n = (stop >> SHIFT) as i32 - (start >> SHIFT) as i32 - 1;
        if n < 0 {
            fb = fe - fb;
            n = 0;
            fe = 0;
        } else if fb == 0 {
            n += 1;
        } else {
            fb = SCALE - fb;
        }
        let max_value = ((1u32 << (8 - SHIFT)) - (((y & MASK) + 1) >> SHIFT)) as u16;
        let row_start = (y >> SHIFT) as usize * self.stride + self.left;
        let Some(row) = self.mask.get_mut(row_start..row_start + self.runs_width) else { return };
        let mut px = (x >> SHIFT) as usize;
        let fold = |a: u16| (a - (a >> 8)) as u8;
        let start_alpha = (fb << (8 - 2 * SHIFT)) as u16;
        if start_alpha != 0 {
            let Some(p) = row.get_mut(px) else { return };
            *p = fold(u16::from(*p) + start_alpha);
            px += 1;
        }
        for p in row.iter_mut().skip(px).take(n as usize) {
            *p = fold(u16::from(*p) + max_value);
        }
        px += n as usize;
        let stop_alpha = (fe << (8 - 2 * SHIFT)) as u8;
        if stop_alpha != 0
            && let Some(p) = row.get_mut(px)
        {
            *p = p.wrapping_add(stop_alpha);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiny_skia::{FillRule, Mask, PathBuilder};

    /// Every glyph of the compiled-in font's digits and letters, at label sizes and at many
    /// positions within a pixel, is covered exactly as tiny-skia covers it.
    #[test]
    fn coverage_equals_tiny_skias_fill() {
        let mut shaper = crate::render::glyphs::TextShaper::new().unwrap();
        let mut scratch = Scratch::default();
        let mut checked = 0;
        for (i, glyph) in
            shaper.layout("0123456789-ABCRabcgjéW%&@", 1.0, (0.0, 0.0), 0.0).into_iter().enumerate()
        {
            for size in [5.3f32, 7.0, 9.75, 13.1, 24.0, 41.7] {
                for phase in 0..23 {
                    let (fx, fy) = (phase as f32 * 0.0437 + i as f32 * 0.013, phase as f32 * 0.0291);
                    let at = Transform::from_row(
                        glyph.transform.sx * size,
                        0.0,
                        0.0,
                        glyph.transform.sy * size,
                        fx,
                        fy,
                    );
                    let Some(b) = glyph.outline.bounds().transform(at) else { continue };
                    let at = at.post_translate(1.0 - b.left().floor(), 1.0 - b.top().floor());
                    let (w, h) = (b.width().ceil() as u32 + 3, b.height().ceil() as u32 + 3);
                    let mut expected = Mask::new(w, h).unwrap();
                    expected.fill_path(&glyph.outline, FillRule::Winding, true, at);
                    let mut got = vec![0u8; (w * h) as usize];
                    fill(&glyph.outline, at, &mut got, w, &mut scratch).unwrap();
                    assert_eq!(got, expected.data(), "glyph {i} at {size} px, phase {phase}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 3000);
    }

    /// Overlapping contours, a contour wound the other way (a hole) and vertical sides that
    /// meet: the edge list's merging and the winding count.
    #[test]
    fn holes_and_overlaps_are_covered_as_tiny_skia_covers_them() {
        let mut pb = PathBuilder::new();
        pb.push_rect(Rect::from_ltrb(1.3, 1.6, 9.2, 8.9).unwrap());
        pb.move_to(3.1, 3.05);
        pb.line_to(3.1, 6.7);
        pb.line_to(6.45, 6.7);
        pb.line_to(6.45, 3.05);
        pb.close();
        pb.push_rect(Rect::from_ltrb(5.2, 0.7, 11.8, 4.4).unwrap());
        pb.move_to(2.0, 10.0);
        pb.quad_to(7.0, 13.9, 11.5, 9.2);
        pb.quad_to(6.0, 11.0, 2.0, 10.0);
        let path = pb.finish().unwrap();
        let at = Transform::from_translate(0.37, 0.81);
        let mut expected = Mask::new(14, 16).unwrap();
        expected.fill_path(&path, FillRule::Winding, true, at);
        let mut got = vec![0u8; 14 * 16];
        fill(&path, at, &mut got, 14, &mut Scratch::default()).unwrap();
        assert_eq!(got, expected.data());
    }

    #[test]
    fn cubics_and_outlines_outside_the_mask_are_left_to_tiny_skia() {
        let mut pb = PathBuilder::new();
        pb.move_to(1.0, 1.0);
        pb.cubic_to(5.0, 1.0, 5.0, 5.0, 1.0, 5.0);
        pb.close();
        let mut mask = vec![0u8; 64];
        let cubic = pb.finish().unwrap();
        assert_eq!(
            fill(&cubic, Transform::identity(), &mut mask, 8, &mut Scratch::default()),
            Err(Unsupported)
        );
        let square = PathBuilder::from_rect(Rect::from_ltrb(0.0, 0.0, 10.0, 10.0).unwrap());
        assert_eq!(
            fill(&square, Transform::identity(), &mut mask, 8, &mut Scratch::default()),
            Err(Unsupported)
        );
        assert!(mask.iter().all(|&b| b == 0));
    }
}

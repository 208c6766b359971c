//! Path data in its shortest form for the optimised export: coordinates rounded to the
//! precision first (so relative and absolute forms draw exactly the same points), then each
//! segment written absolute or relative, whichever is shorter, with `H`/`V` for straight
//! runs along an axis, `S`/`T` where a control point is the reflection of the previous one,
//! commands left implicit when they repeat, and no separator where none is needed. Points in
//! the middle of a straight run and the last line back to a subpath's start (the close draws
//! it) are dropped. Where nothing depends on where an outline starts, a closed outline of
//! straight lines starts after its costliest edge, which the close then draws unwritten.

use kurbo::PathEl;

/// A point in units of the last kept decimal.
type Fixed = (i64, i64);

/// One segment, its points rounded.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Seg {
    Move(Fixed),
    Line(Fixed),
    Quad(Fixed, Fixed),
    Cubic(Fixed, Fixed, Fixed),
    Close,
}

/// `path` as the shortest path data at `precision` decimals (at most 8). `keep_starts` when
/// something depends on where its outlines start: dashes, markers, a text along it.
pub fn shortest(path: impl IntoIterator<Item = PathEl>, precision: u8, keep_starts: bool) -> String {
    let precision = u32::from(precision.min(8));
    let scale = 10f64.powi(precision as i32);
    let fix = |p: kurbo::Point| -> Option<Fixed> {
        let (x, y) = ((p.x * scale).round(), (p.y * scale).round());
        (x.abs() < 9.0e15 && y.abs() < 9.0e15).then_some((x as i64, y as i64))
    };
    let path = path.into_iter();
    let mut segs = Vec::with_capacity(path.size_hint().0);
    for el in path {
        let seg = match el {
            PathEl::MoveTo(p) => fix(p).map(Seg::Move),
            PathEl::LineTo(p) => fix(p).map(Seg::Line),
            PathEl::QuadTo(a, p) => fix(a).zip(fix(p)).map(|(a, p)| Seg::Quad(a, p)),
            PathEl::CurveTo(a, b, p) => fix(a).zip(fix(b)).zip(fix(p)).map(|((a, b), p)| Seg::Cubic(a, b, p)),
            PathEl::ClosePath => Some(Seg::Close),
        };
        // A coordinate beyond exact integers (absurd, never a real map's) ends the path here.
        let Some(seg) = seg else { break };
        segs.push(seg);
    }
    // Written points are what a reader of the text gets; writing those again must give the
    // same text (optimising is idempotent), so writing repeats until they no longer move.
    let prepare = |segs: &[Seg]| {
        let straight = straighten(segs);
        if keep_starts { straight } else { straighten(&start_after_costliest_edges(&straight, precision)) }
    };
    let mut segs = prepare(&segs);
    for _ in 0..MAX_PASSES {
        let (text, written) = write(&segs, precision);
        if written == segs {
            return text;
        }
        segs = prepare(&written);
    }
    write(&segs, precision).0
}

/// Passes of writing at most (two suffice on real maps).
const MAX_PASSES: usize = 8;

/// The text of `segs`, and the segments a reader of it gets.
fn write(segs: &[Seg], precision: u32) -> (String, Vec<Seg>) {
    let mut w =
        PathWriter { out: String::with_capacity(segs.len() * 10), precision, ..PathWriter::default() };
    let mut written = Vec::with_capacity(segs.len());
    // Where the reader of what is written is (which may differ from the true point by the
    // tolerance), where its subpath started, and its last control point with the kind of curve.
    let (mut cur, mut start): (Fixed, Fixed) = ((0, 0), (0, 0));
    let mut last_control: Option<(char, Fixed)> = None;
    // Points of a nearly straight run left out so far: each within one unit (the tolerance) of the line
    // drawn past it.
    let mut passed: Vec<Fixed> = Vec::new();
    for (i, &seg) in segs.iter().enumerate() {
        if let (Seg::Line(p), Some(Seg::Line(q))) = (seg, segs.get(i + 1))
            && passed.iter().chain([&p]).all(|&m| near_segment(cur, *q, m))
        {
            passed.push(p);
            continue;
        }
        passed.clear();
        let rel = |p: Fixed| (lean(p.0 - cur.0), lean(p.1 - cur.1));
        let abs = |p: Fixed| (lean(p.0), lean(p.1));
        let plus = |d: Fixed| (cur.0 + d.0, cur.1 + d.1);
        let mut forms = Forms::default();
        match seg {
            Seg::Move(p) => {
                let (d, a) = (rel(p), abs(p));
                forms.push(Form::new('m', &[d], Seg::Move(plus(d))));
                forms.push(Form::new('M', &[a], Seg::Move(a)));
            }
            Seg::Line(p) => {
                let (d, a) = (rel(p), abs(p));
                forms.push(Form::new('l', &[d], Seg::Line(plus(d))));
                forms.push(Form::new('L', &[a], Seg::Line(a)));
                if (p.1 - cur.1).abs() <= TOLERANCE {
                    forms.push(Form::numbers('h', &[d.0], Seg::Line((cur.0 + d.0, cur.1))));
                    forms.push(Form::numbers('H', &[a.0], Seg::Line((a.0, cur.1))));
                }
                if (p.0 - cur.0).abs() <= TOLERANCE {
                    forms.push(Form::numbers('v', &[d.1], Seg::Line((cur.0, cur.1 + d.1))));
                    forms.push(Form::numbers('V', &[a.1], Seg::Line((cur.0, a.1))));
                }
            }
            Seg::Quad(a, p) => match reflection(last_control, 'Q', cur, a) {
                Some(r) => {
                    let (d, e) = (rel(p), abs(p));
                    forms.push(Form::new('t', &[d], Seg::Quad(r, plus(d))));
                    forms.push(Form::new('T', &[e], Seg::Quad(r, e)));
                }
                None => {
                    let (da, dp, ea, ep) = (rel(a), rel(p), abs(a), abs(p));
                    forms.push(Form::new('q', &[da, dp], Seg::Quad(plus(da), plus(dp))));
                    forms.push(Form::new('Q', &[ea, ep], Seg::Quad(ea, ep)));
                }
            },
            Seg::Cubic(a, b, p) => {
                let (db, dp, eb, ep) = (rel(b), rel(p), abs(b), abs(p));
                match reflection(last_control, 'C', cur, a) {
                    Some(r) => {
                        forms.push(Form::new('s', &[db, dp], Seg::Cubic(r, plus(db), plus(dp))));
                        forms.push(Form::new('S', &[eb, ep], Seg::Cubic(r, eb, ep)));
                    }
                    None => {
                        let (da, ea) = (rel(a), abs(a));
                        forms.push(Form::new('c', &[da, db, dp], Seg::Cubic(plus(da), plus(db), plus(dp))));
                        forms.push(Form::new('C', &[ea, eb, ep], Seg::Cubic(ea, eb, ep)));
                    }
                }
            }
            Seg::Close => forms.push(Form::numbers('z', &[], Seg::Close)),
        }
        let chosen = w.choose(forms.as_slice());
        (cur, last_control) = match chosen.seg {
            Seg::Move(p) => {
                start = p;
                (p, None)
            }
            Seg::Line(p) => (p, None),
            Seg::Quad(c, p) => (p, Some(('Q', c))),
            Seg::Cubic(_, c, p) => (p, Some(('C', c))),
            Seg::Close => (start, None),
        };
        written.push(chosen.seg);
    }
    (w.out, written)
}

/// True when `m` lies within one unit of the segment from `a` to `b` (and beside it, not
/// beyond its ends).
fn near_segment(a: Fixed, b: Fixed, m: Fixed) -> bool {
    let (dx, dy) = ((b.0 - a.0) as f64, (b.1 - a.1) as f64);
    let (mx, my) = ((m.0 - a.0) as f64, (m.1 - a.1) as f64);
    let length2 = dx * dx + dy * dy;
    if length2 == 0.0 {
        return false;
    }
    let t = (mx * dx + my * dy) / length2;
    let cross = (mx * dy - my * dx).abs();
    (0.0..=1.0).contains(&t) && cross * cross <= 1.0 * length2
}

/// How far (in units of the last decimal kept) what is written may be from the point it stands
/// for in one pass: one unit, as SVGO allows at the same precision. The reader's position is
/// followed, so the error never adds up along a path.
const TOLERANCE: i64 = 1;

/// `v` with one or two fewer digits when that stays within the tolerance (`-.011` → `-.01`).
fn lean(v: i64) -> i64 {
    for step in [100, 10] {
        let r = (v as f64 / step as f64).round() as i64 * step;
        if (r - v).abs() <= TOLERANCE {
            return r;
        }
    }
    v
}

/// The reflected control point a shorthand (`S`, `T`) would use, when it is within the
/// tolerance of the one wanted.
fn reflection(last: Option<(char, Fixed)>, wanted_kind: char, cur: Fixed, wanted: Fixed) -> Option<Fixed> {
    let (_, control) = last.filter(|(k, _)| *k == wanted_kind)?;
    let r = reflect(control, cur);
    ((r.0 - wanted.0).abs() <= TOLERANCE && (r.1 - wanted.1).abs() <= TOLERANCE).then_some(r)
}

/// The ways to write one segment (at most six: a line's).
#[derive(Default)]
struct Forms {
    items: [Form; 6],
    len: usize,
}

impl Forms {
    fn push(&mut self, form: Form) {
        self.items[self.len] = form;
        self.len += 1;
    }

    fn as_slice(&self) -> &[Form] {
        &self.items[..self.len]
    }
}

/// One way to write a segment: its command, numbers, and the segment a reader gets.
#[derive(Clone, Copy)]
struct Form {
    command: char,
    /// Its numbers: the first `count` of these.
    values: [i64; 6],
    count: usize,
    seg: Seg,
}

impl Default for Form {
    fn default() -> Form {
        Form { command: 'z', values: [0; 6], count: 0, seg: Seg::Close }
    }
}

impl Form {
    fn new(command: char, points: &[Fixed], seg: Seg) -> Form {
        let mut values = [0; 6];
        for (i, p) in points.iter().enumerate() {
            (values[2 * i], values[2 * i + 1]) = *p;
        }
        Form { command, values, count: 2 * points.len(), seg }
    }

    fn numbers(command: char, numbers: &[i64], seg: Seg) -> Form {
        let mut values = [0; 6];
        values[..numbers.len()].copy_from_slice(numbers);
        Form { command, values, count: numbers.len(), seg }
    }

    fn numbers_written(&self) -> &[i64] {
        &self.values[..self.count]
    }
}

/// The reflection of control point `c` about `about`.
fn reflect(c: Fixed, about: Fixed) -> Fixed {
    (2 * about.0 - c.0, 2 * about.1 - c.1)
}

/// The segments with the points in the middle of straight runs dropped, lines of no length
/// after something drawn dropped, and a last line back to the start of a closed subpath
/// dropped (the close draws it, with the same joins).
fn straighten(segs: &[Seg]) -> Vec<Seg> {
    let mut out: Vec<Seg> = Vec::with_capacity(segs.len());
    let (mut start, mut cur) = ((0, 0), (0, 0));
    // Where the last kept segment starts, when it is a line (straight runs extend it).
    let mut line_from: Option<Fixed> = None;
    for (i, &seg) in segs.iter().enumerate() {
        match seg {
            Seg::Move(p) => {
                (start, cur, line_from) = (p, p, None);
            }
            Seg::Line(p) => {
                // A line of no length matters only as a subpath's one mark (a dot with round caps).
                let drawn = !matches!(out.last(), None | Some(Seg::Move(_)));
                let next_draws =
                    matches!(segs.get(i + 1), Some(Seg::Line(_) | Seg::Quad(..) | Seg::Cubic(..)));
                if p == cur && (drawn || next_draws) {
                    continue;
                }
                if drawn && p == start && matches!(segs.get(i + 1), Some(Seg::Close)) {
                    continue;
                }
                if let Some(from) = line_from
                    && collinear_forward(from, cur, p)
                {
                    out.pop();
                    out.push(Seg::Line(p));
                    cur = p;
                    continue;
                }
                (line_from, cur) = (Some(cur), p);
            }
            Seg::Quad(_, p) | Seg::Cubic(_, _, p) => (cur, line_from) = (p, None),
            Seg::Close => (cur, line_from) = (start, None),
        }
        out.push(seg);
    }
    out
}

/// Each closed outline of straight lines (a move, two lines or more, a close, then a move or
/// the end) started at the corner after its costliest edge, so that the close draws that edge
/// and its numbers are never written. The edge is chosen from the outline's edges alone (the
/// costliest written relative, then the one ending at the least point), whichever corner the
/// outline started at, so writing what is read chooses the same corner.
fn start_after_costliest_edges(segs: &[Seg], precision: u32) -> Vec<Seg> {
    let edge_cost = |a: Fixed, b: Fixed| {
        let (dx, dy) = (NumberShape::of(b.0 - a.0, precision), NumberShape::of(b.1 - a.1, precision));
        match (a.0 == b.0, a.1 == b.1) {
            (_, true) => dx.len,
            (true, false) => dy.len,
            _ => dx.len + dy.len + usize::from(!dy.joins(dx.point)),
        }
    };
    let mut out = Vec::with_capacity(segs.len());
    let mut i = 0;
    while i < segs.len() {
        let lines = segs[i + 1..].iter().take_while(|s| matches!(s, Seg::Line(_))).count();
        let close = i + 1 + lines;
        let rotatable = matches!(segs[i], Seg::Move(_))
            && lines >= 2
            && segs.get(close) == Some(&Seg::Close)
            && matches!(segs.get(close + 1), None | Some(Seg::Move(_)));
        if !rotatable {
            out.push(segs[i]);
            i += 1;
            continue;
        }
        let corners: Vec<Fixed> = segs[i..close]
            .iter()
            .map(|s| match *s {
                Seg::Move(p) | Seg::Line(p) => p,
                _ => unreachable!("an outline of lines"),
            })
            .collect();
        let n = corners.len();
        let after = (0..n)
            .map(|e| (e + 1) % n)
            .max_by_key(|&to| {
                (edge_cost(corners[(to + n - 1) % n], corners[to]), std::cmp::Reverse(corners[to]))
            })
            .unwrap_or(0);
        out.push(Seg::Move(corners[after]));
        out.extend((1..n).map(|k| Seg::Line(corners[(after + k) % n])));
        out.push(Seg::Close);
        i = close + 1;
    }
    out
}

/// True when `mid` lies on the straight line from `a` to `b`, strictly between them.
fn collinear_forward(a: Fixed, mid: Fixed, b: Fixed) -> bool {
    let (ux, uy) = ((mid.0 - a.0) as i128, (mid.1 - a.1) as i128);
    let (vx, vy) = ((b.0 - mid.0) as i128, (b.1 - mid.1) as i128);
    ux * vy - uy * vx == 0 && ux * vx + uy * vy > 0
}

/// Writes commands and numbers with the fewest characters.
#[derive(Default)]
struct PathWriter {
    out: String,
    precision: u32,
    /// The last command written.
    last: Option<char>,
    /// True when the last thing written is a number holding a decimal point.
    last_has_point: bool,
    /// True when the last thing written is a number.
    last_is_number: bool,
}

impl PathWriter {
    /// Writes the shortest of the forms; on a tie the first, the relative one, as what follows
    /// is mostly relative too.
    fn choose<'f>(&mut self, forms: &'f [Form]) -> &'f Form {
        let best = forms
            .iter()
            .enumerate()
            .min_by_key(|(i, f)| (self.cost(f.command, f.numbers_written()), *i))
            .map(|(_, f)| f)
            .expect("at least one form");
        self.command_before(best.command);
        for &n in best.numbers_written() {
            self.number(n);
        }
        best
    }

    /// Characters `command` and `numbers` would take here (worked out, not written).
    fn cost(&self, command: char, numbers: &[i64]) -> usize {
        let implied = self.implied(command);
        let mut len = usize::from(!implied);
        let (mut after_number, mut has_point) =
            if implied { (self.last_is_number, self.last_has_point) } else { (false, false) };
        for &n in numbers {
            let shape = NumberShape::of(n, self.precision);
            if after_number && !shape.joins(has_point) {
                len += 1;
            }
            len += shape.len;
            (after_number, has_point) = (true, shape.point);
        }
        len
    }

    /// True when `command` need not be written: the same as the last (a move's repeat means
    /// a line), or a line after a move.
    fn implied(&self, command: char) -> bool {
        match self.last {
            Some(last) if last == command => !matches!(command, 'M' | 'm' | 'z'),
            Some('M') => command == 'L',
            Some('m') => command == 'l',
            _ => false,
        }
    }

    /// Writes `command` unless it is implied.
    fn command_before(&mut self, command: char) {
        if !self.implied(command) {
            self.command(command);
        }
        self.last = Some(command);
    }

    fn command(&mut self, command: char) {
        self.out.push(command);
        self.last = Some(command);
        self.last_is_number = false;
        self.last_has_point = false;
    }

    fn number(&mut self, n: i64) {
        let shape = NumberShape::of(n, self.precision);
        if self.last_is_number && !shape.joins(self.last_has_point) {
            self.out.push(' ');
        }
        self.last_has_point = shape.point;
        self.last_is_number = true;
        super::write::push_fixed(&mut self.out, n, self.precision, true);
    }
}

/// What a number looks like written: its length, and how it starts and whether it has a
/// decimal point (which decide whether it needs a separator after another number).
struct NumberShape {
    len: usize,
    minus: bool,
    dot_first: bool,
    point: bool,
}

impl NumberShape {
    fn of(n: i64, precision: u32) -> NumberShape {
        let (whole, digits) = parts(n, precision);
        let whole_len =
            if whole == 0 && digits > 0 { 0 } else { whole.checked_ilog10().map_or(1, |l| l as usize + 1) };
        NumberShape {
            len: usize::from(n < 0) + whole_len + if digits > 0 { digits + 1 } else { 0 },
            minus: n < 0,
            dot_first: n >= 0 && whole == 0 && digits > 0,
            point: digits > 0,
        }
    }

    /// True when the number can follow another with no separator.
    fn joins(&self, previous_has_point: bool) -> bool {
        self.minus || (self.dot_first && previous_has_point)
    }
}

/// The whole part of `|n|` and the number of decimals it needs.
fn parts(n: i64, precision: u32) -> (u64, usize) {
    let unit = 10u64.pow(precision);
    let (whole, mut frac) = (n.unsigned_abs() / unit, n.unsigned_abs() % unit);
    let mut digits = if frac == 0 { 0 } else { precision as usize };
    while frac != 0 && frac.is_multiple_of(10) {
        frac /= 10;
        digits -= 1;
    }
    (whole, digits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kurbo::{BezPath, Shape};

    fn short(d: &str, precision: u8) -> String {
        shortest(BezPath::from_svg(d).unwrap(), precision, true)
    }

    #[test]
    fn closed_outlines_start_after_their_costliest_edge_unless_starts_matter() {
        let free = |d: &str| shortest(BezPath::from_svg(d).unwrap(), 3, false);
        // The diagonal is the costliest edge: the close draws it.
        let d = "M0 0L100 0L100 50L0 60Z";
        assert_eq!(short(d, 3), "m0 0h100v50L0 60z");
        let written = free(d);
        assert_eq!(written, "m0 60V0h100v50z");
        // Whichever corner it started at, the same corner is chosen.
        for rotated in ["M100 0L100 50L0 60L0 0Z", "M100 50L0 60L0 0L100 0L100 50Z"] {
            assert_eq!(free(rotated), written);
        }
        assert_eq!(free(&written), written, "idempotent");
        // Open outlines and outlines with curves keep their start.
        for d in ["M0 0L100 0L100 50L0 60", "M0 0L100 0Q100 50 0 60Z"] {
            assert_eq!(free(d), short(d, 3));
        }
    }

    #[test]
    fn rectangles_axis_runs_and_implicit_commands() {
        assert_eq!(short("M53 54.5L98 54.5L98 95L53 95Z", 3), "m53 54.5h45V95H53z");
        assert_eq!(
            short("M0 0L10 0L20 0L20 10L0 10L0 0Z", 3),
            "m0 0h20v10H0z",
            "collinear and closing lines go"
        );
        assert_eq!(short("M0 0L10 10L20 21", 3), "m0 0 10 10 10 11", "a line after a move needs no command");
        assert_eq!(short("M.5 .5L-0.25 0.75", 3), "m.5.5-.75.25");
        assert_eq!(short("M0 0L1 2M10 10L11 12", 3), "m0 0 1 2m9 8 1 2");
    }

    #[test]
    fn curves_use_reflections_and_numbers_are_rounded_once() {
        assert_eq!(short("M0 0C0 10 10 10 10 0C10 -10 20 -10 20 0", 3), "m0 0c0 10 10 10 10 0s10-10 10 0");
        // Rounded before going relative: no drift however many segments.
        let d = (0..1000).map(|i| format!("L{} 0.3333333", f64::from(i) * 0.3333333)).collect::<String>();
        let out = short(&format!("M0 0{d}"), 2);
        let back = BezPath::from_svg(&out).unwrap();
        let last = back.elements().last().and_then(|e| e.end_point()).unwrap();
        assert!((last.x - 333.0).abs() < 0.006 && (last.y - 0.33).abs() < 1e-9, "{last:?}");
    }

    #[test]
    fn what_is_written_draws_the_rounded_path() {
        // Pseudo-random paths of every kind of segment, closed and open, several subpaths.
        let mut seed = 7u64;
        let mut next = |range: f64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) as f64 / f64::from(u32::MAX) - 0.5) * range
        };
        for _ in 0..200 {
            let mut path = BezPath::new();
            for _ in 0..3 {
                path.move_to((next(200.0), next(200.0)));
                for _ in 0..6 {
                    let p = |next: &mut dyn FnMut(f64) -> f64| kurbo::Point::new(next(200.0), next(200.0));
                    match (next(8.0) + 4.0) as i32 {
                        0 | 1 => path.line_to(p(&mut next)),
                        2 => path.line_to((p(&mut next).x, 3.0)),
                        3 => path.quad_to(p(&mut next), p(&mut next)),
                        _ => path.curve_to(p(&mut next), p(&mut next), p(&mut next)),
                    }
                }
                if next(2.0) > 0.0 {
                    path.close_path();
                }
            }
            let free = shortest(&path, 2, false);
            let read = BezPath::from_svg(&free).unwrap();
            assert_eq!(shortest(&read, 2, false), free, "writing what is read changes nothing");
            let allowed = 2.0 * 0.015 * path.perimeter(0.01) + 0.01;
            assert!((read.area() - path.area()).abs() < allowed, "{free}");
            let written = shortest(&path, 2, true);
            let read = BezPath::from_svg(&written).unwrap();
            assert_eq!(shortest(&read, 2, true), written, "writing what is read changes nothing");
            let rounded = |p: kurbo::Point| ((p.x * 100.0).round(), (p.y * 100.0).round());
            // Every end point written is an end point of the original, rounded, within two units
            // of the last decimal, in order (some original points are dropped: straight runs,
            // closing lines).
            let ends: Vec<_> = path.elements().iter().filter_map(|e| e.end_point()).map(rounded).collect();
            let near = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() <= 2.0 && (a.1 - b.1).abs() <= 2.0;
            let mut at = 0;
            for e in read.elements().iter().filter_map(|e| e.end_point()).map(rounded) {
                at += ends[at..].iter().position(|&o| near(o, e)).unwrap_or_else(|| panic!("{written}"));
            }
            // The area moves by at most the outline's length times the error allowed.
            let allowed = 2.0 * 0.015 * path.perimeter(0.01) + 0.01;
            assert!((read.area() - path.area()).abs() < allowed, "{written}");
        }
    }

    /// `n` written, checked against its worked-out shape.
    fn fixed(n: i64, precision: u32) -> String {
        let mut out = String::new();
        crate::svg::write::push_fixed(&mut out, n, precision, true);
        assert_eq!(NumberShape::of(n, precision).len, out.len(), "{out}");
        out
    }

    #[test]
    fn fixed_point_numbers() {
        assert_eq!(fixed(500, 3), ".5");
        assert_eq!(fixed(-250, 3), "-.25");
        assert_eq!(fixed(12_000, 3), "12");
        assert_eq!(fixed(0, 3), "0");
        assert_eq!(fixed(-1, 3), "-.001");
        assert_eq!(fixed(7, 0), "7");
    }
}

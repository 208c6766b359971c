//! Path data in its shortest form for the optimised export: coordinates rounded to the
//! precision first (so relative and absolute forms draw exactly the same points), then each
//! segment written absolute or relative, whichever is shorter, with `H`/`V` for straight
//! runs along an axis, `S`/`T` where a control point is the reflection of the previous one,
//! commands left implicit when they repeat, and no separator where none is needed. Points in
//! the middle of a straight run and the last line back to a subpath's start (the close draws
//! it) are dropped.

use kurbo::{BezPath, PathEl};

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

/// `path` as the shortest path data at `precision` decimals (at most 8).
pub fn shortest(path: &BezPath, precision: u8) -> String {
    let precision = u32::from(precision.min(8));
    let scale = 10f64.powi(precision as i32);
    let fix = |p: kurbo::Point| -> Option<Fixed> {
        let (x, y) = ((p.x * scale).round(), (p.y * scale).round());
        (x.abs() < 9.0e15 && y.abs() < 9.0e15).then_some((x as i64, y as i64))
    };
    let mut segs = Vec::with_capacity(path.elements().len());
    for el in path.elements() {
        let seg = match *el {
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
    let segs = straighten(&segs);
    let mut w =
        PathWriter { out: String::with_capacity(segs.len() * 10), precision, ..PathWriter::default() };
    let (mut cur, mut start) = ((0, 0), (0, 0));
    let mut last_control: Option<(char, Fixed)> = None;
    for seg in segs {
        match seg {
            Seg::Move(p) => {
                w.choose(&[('M', vec![p.0, p.1]), ('m', vec![p.0 - cur.0, p.1 - cur.1])]);
                (cur, start) = (p, p);
                last_control = None;
            }
            Seg::Line(p) => {
                let (dx, dy) = (p.0 - cur.0, p.1 - cur.1);
                let mut options = vec![('L', vec![p.0, p.1]), ('l', vec![dx, dy])];
                if dy == 0 {
                    options.extend([('H', vec![p.0]), ('h', vec![dx])]);
                }
                if dx == 0 {
                    options.extend([('V', vec![p.1]), ('v', vec![dy])]);
                }
                w.choose(&options);
                cur = p;
                last_control = None;
            }
            Seg::Quad(a, p) => {
                let reflected = last_control.filter(|(kind, _)| *kind == 'Q').map(|(_, c)| reflect(c, cur));
                if reflected == Some(a) {
                    w.choose(&[('T', vec![p.0, p.1]), ('t', vec![p.0 - cur.0, p.1 - cur.1])]);
                } else {
                    w.choose(&[
                        ('Q', vec![a.0, a.1, p.0, p.1]),
                        ('q', vec![a.0 - cur.0, a.1 - cur.1, p.0 - cur.0, p.1 - cur.1]),
                    ]);
                }
                last_control = Some(('Q', a));
                cur = p;
            }
            Seg::Cubic(a, b, p) => {
                let reflected = last_control.filter(|(kind, _)| *kind == 'C').map(|(_, c)| reflect(c, cur));
                if reflected == Some(a) {
                    w.choose(&[
                        ('S', vec![b.0, b.1, p.0, p.1]),
                        ('s', vec![b.0 - cur.0, b.1 - cur.1, p.0 - cur.0, p.1 - cur.1]),
                    ]);
                } else {
                    w.choose(&[
                        ('C', vec![a.0, a.1, b.0, b.1, p.0, p.1]),
                        (
                            'c',
                            vec![
                                a.0 - cur.0,
                                a.1 - cur.1,
                                b.0 - cur.0,
                                b.1 - cur.1,
                                p.0 - cur.0,
                                p.1 - cur.1,
                            ],
                        ),
                    ]);
                }
                last_control = Some(('C', b));
                cur = p;
            }
            Seg::Close => {
                w.command('z');
                cur = start;
                last_control = None;
            }
        }
    }
    w.out
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
                let drawn = !matches!(out.last(), None | Some(Seg::Move(_)));
                if drawn && (p == cur || (p == start && matches!(segs.get(i + 1), Some(Seg::Close)))) {
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
    /// Writes the shortest of the candidate forms (command and numbers).
    fn choose(&mut self, options: &[(char, Vec<i64>)]) {
        let mut best: Option<(usize, &(char, Vec<i64>))> = None;
        for option in options {
            let len = self.cost(option.0, &option.1);
            if best.is_none_or(|(b, _)| len < b) {
                best = Some((len, option));
            }
        }
        let (_, (command, numbers)) = best.expect("at least one form");
        self.command_before(*command);
        for &n in numbers {
            self.number(n);
        }
    }

    /// Characters `command` and `numbers` would take here.
    fn cost(&self, command: char, numbers: &[i64]) -> usize {
        let mut probe = PathWriter {
            out: String::new(),
            precision: self.precision,
            last: self.last,
            last_has_point: self.last_has_point,
            last_is_number: self.last_is_number,
        };
        probe.command_before(command);
        for &n in numbers {
            probe.number(n);
        }
        probe.out.len()
    }

    /// Writes `command` unless it is implied (the same as the last, or a line after a move).
    fn command_before(&mut self, command: char) {
        let implied = match self.last {
            Some(last) if last == command => !matches!(command, 'M' | 'm' | 'z'),
            Some('M') => command == 'L',
            Some('m') => command == 'l',
            _ => false,
        };
        if !implied {
            self.command(command);
        }
        // After a move, a repeated pair means a line: remember it as such.
        self.last = Some(match command {
            'M' => 'M',
            'm' => 'm',
            c => c,
        });
    }

    fn command(&mut self, command: char) {
        self.out.push(command);
        self.last = Some(command);
        self.last_is_number = false;
        self.last_has_point = false;
    }

    fn number(&mut self, n: i64) {
        let text = fixed(n, self.precision);
        if self.last_is_number {
            let joins = text.starts_with('-') || (text.starts_with('.') && self.last_has_point);
            if !joins {
                self.out.push(' ');
            }
        }
        self.last_has_point = text.contains('.');
        self.last_is_number = true;
        self.out.push_str(&text);
    }
}

/// `n` units of the last of `precision` decimals, without a leading zero or trailing zeros
/// (`.5`, `-.25`, `12`).
pub fn fixed(n: i64, precision: u32) -> String {
    let unit = 10u64.pow(precision);
    let (sign, n) = (if n < 0 { "-" } else { "" }, n.unsigned_abs());
    let (whole, mut frac) = (n / unit, n % unit);
    if frac == 0 {
        return if whole == 0 { "0".into() } else { format!("{sign}{whole}") };
    }
    let mut digits = precision as usize;
    while frac.is_multiple_of(10) {
        frac /= 10;
        digits -= 1;
    }
    if whole == 0 { format!("{sign}.{frac:0digits$}") } else { format!("{sign}{whole}.{frac:0digits$}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kurbo::Shape;

    fn short(d: &str, precision: u8) -> String {
        shortest(&BezPath::from_svg(d).unwrap(), precision)
    }

    #[test]
    fn rectangles_axis_runs_and_implicit_commands() {
        assert_eq!(short("M53 54.5L98 54.5L98 95L53 95Z", 3), "M53 54.5H98V95H53z");
        assert_eq!(
            short("M0 0L10 0L20 0L20 10L0 10L0 0Z", 3),
            "M0 0H20V10H0z",
            "collinear and closing lines go"
        );
        assert_eq!(short("M0 0L10 10L20 21", 3), "M0 0 10 10 20 21", "a line after a move needs no command");
        assert_eq!(short("M.5 .5L-0.25 0.75", 3), "M.5.5-.25.75");
        assert_eq!(short("M0 0L1 2M10 10L11 12", 3), "M0 0 1 2m9 8 1 2");
    }

    #[test]
    fn curves_use_reflections_and_numbers_are_rounded_once() {
        assert_eq!(short("M0 0C0 10 10 10 10 0C10 -10 20 -10 20 0", 3), "M0 0C0 10 10 10 10 0S20-10 20 0");
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
            let written = shortest(&path, 2);
            let read = BezPath::from_svg(&written).unwrap();
            let rounded = |p: kurbo::Point| ((p.x * 100.0).round(), (p.y * 100.0).round());
            // Every end point written is an end point of the original, rounded, in order (some
            // original points are dropped: straight runs, closing lines).
            let ends: Vec<_> = path.elements().iter().filter_map(|e| e.end_point()).map(rounded).collect();
            let mut at = 0;
            for e in read.elements().iter().filter_map(|e| e.end_point()).map(rounded) {
                at += ends[at..].iter().position(|&o| o == e).unwrap_or_else(|| panic!("{written}"));
            }
            assert!((read.area() - path.area()).abs() < 1.0 + path.area().abs() * 1e-3, "{written}");
        }
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

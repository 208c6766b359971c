//! Parsing of SVG attribute values (lengths, transforms, points, path data) into model types,
//! rejecting non-finite and absurdly large numbers.

use kurbo::{Affine, BezPath, Point};
use svgtypes::{LengthUnit, PathParser, PathSegment, SimplePathSegment};

/// Largest coordinate magnitude accepted; beyond it a value is treated as malformed.
pub const MAX_COORD: f64 = 1.0e9;

/// True for a finite number within [`MAX_COORD`].
pub fn sane(v: f64) -> bool {
    v.is_finite() && v.abs() <= MAX_COORD
}

/// Parses a length in user units; `percent_of` resolves percentages (the viewBox side).
pub fn length(text: &str, percent_of: f64) -> Option<f64> {
    let l: svgtypes::Length = text.trim().parse().ok()?;
    let factor = match l.unit {
        LengthUnit::None | LengthUnit::Px => 1.0,
        LengthUnit::In => 96.0,
        LengthUnit::Cm => 96.0 / 2.54,
        LengthUnit::Mm => 96.0 / 25.4,
        LengthUnit::Pt => 4.0 / 3.0,
        LengthUnit::Pc => 16.0,
        LengthUnit::Em => 16.0,
        LengthUnit::Ex => 8.0,
        LengthUnit::Percent => percent_of / 100.0,
    };
    let v = l.number * factor;
    sane(v).then_some(v)
}

/// Parses a `transform` attribute; `None` when malformed or not finite.
pub fn transform(text: &str) -> Option<Affine> {
    let t: svgtypes::Transform = text.parse().ok()?;
    let c = [t.a, t.b, t.c, t.d, t.e, t.f];
    c.iter().all(|v| sane(*v)).then(|| Affine::new(c))
}

/// Parses a `points` list; `None` when a coordinate is not sane.
pub fn points(text: &str) -> Option<Vec<Point>> {
    svgtypes::PointsParser::from(text)
        .map(|(x, y)| (sane(x) && sane(y)).then_some(Point::new(x, y)))
        .collect()
}

/// Parses path data. Like browsers, keeps what precedes the first error; reports whether the
/// data was cut short (`Err` when no segment is usable or a number is not sane).
pub fn path(text: &str) -> Result<(BezPath, bool), ()> {
    let collapsed = without_repeated_closes(text)?;
    let text = collapsed.as_deref().unwrap_or(text);
    let mut p = BezPath::new();
    let mut truncated = false;
    let mut open = false;
    for seg in svgtypes::SimplifyingPathParser::from(text) {
        let Ok(seg) = seg else {
            truncated = true;
            break;
        };
        match seg {
            SimplePathSegment::MoveTo { x, y } => {
                check(&[x, y])?;
                p.move_to((x, y));
                open = true;
            }
            SimplePathSegment::LineTo { x, y } if open => {
                check(&[x, y])?;
                p.line_to((x, y));
            }
            SimplePathSegment::CurveTo { x1, y1, x2, y2, x, y } if open => {
                check(&[x1, y1, x2, y2, x, y])?;
                p.curve_to((x1, y1), (x2, y2), (x, y));
            }
            SimplePathSegment::Quadratic { x1, y1, x, y } if open => {
                check(&[x1, y1, x, y])?;
                p.quad_to((x1, y1), (x, y));
            }
            SimplePathSegment::ClosePath if open => p.close_path(),
            _ => {
                truncated = true;
                break;
            }
        }
    }
    if p.elements().is_empty() {
        return Err(());
    }
    // Maps hold tens of thousands of paths: no spare capacity.
    let mut elements = p.into_elements();
    elements.shrink_to_fit();
    Ok((BezPath::from_vec(elements), truncated))
}

/// Path data made safe for svgtypes' simplifying parser: `Ok(None)` when it already is, else
/// with each run of consecutive close-path commands written as one (the parser recurses once
/// for every repeated close and overflows the stack on tens of thousands of them, `M0 0ZZZ…`).
/// `Err` for a number that is not sane, found before the parser sees it (it turns an arc to
/// 1e39 into millions of curves before any later check could).
fn without_repeated_closes(text: &str) -> Result<Option<String>, ()> {
    let mut prev_close = false;
    let mut repeated = false;
    for seg in PathParser::from(text) {
        let Ok(seg) = seg else { break };
        if !segment_is_sane(&seg) {
            return Err(());
        }
        let close = matches!(seg, PathSegment::ClosePath { .. });
        repeated |= close && prev_close;
        prev_close = close;
    }
    if !repeated {
        return Ok(None);
    }
    let mut out = String::with_capacity(text.len() / 2);
    let mut prev_close = false;
    for seg in PathParser::from(text) {
        let Ok(seg) = seg else {
            // Keep the error where it was, so the data is still reported as cut short.
            out.push_str(" !");
            break;
        };
        let close = matches!(seg, PathSegment::ClosePath { .. });
        if !(close && prev_close) {
            write_segment(&mut out, seg);
        }
        prev_close = close;
    }
    Ok(Some(out))
}

/// True when every number of the segment is sane.
fn segment_is_sane(seg: &PathSegment) -> bool {
    let numbers: &[f64] = match *seg {
        PathSegment::MoveTo { x, y, .. }
        | PathSegment::LineTo { x, y, .. }
        | PathSegment::SmoothQuadratic { x, y, .. } => &[x, y],
        PathSegment::HorizontalLineTo { x, .. } => &[x],
        PathSegment::VerticalLineTo { y, .. } => &[y],
        PathSegment::CurveTo { x1, y1, x2, y2, x, y, .. } => &[x1, y1, x2, y2, x, y],
        PathSegment::SmoothCurveTo { x2, y2, x, y, .. } => &[x2, y2, x, y],
        PathSegment::Quadratic { x1, y1, x, y, .. } => &[x1, y1, x, y],
        PathSegment::EllipticalArc { rx, ry, x_axis_rotation, x, y, .. } => &[rx, ry, x_axis_rotation, x, y],
        PathSegment::ClosePath { .. } => &[],
    };
    numbers.iter().all(|v| sane(*v))
}

/// Appends one path segment as path data (numbers in full precision).
fn write_segment(out: &mut String, seg: PathSegment) {
    use std::fmt::Write;
    let cmd = |abs: bool, c: char| if abs { c.to_ascii_uppercase() } else { c };
    let _ = match seg {
        PathSegment::MoveTo { abs, x, y } => write!(out, "{}{x} {y} ", cmd(abs, 'm')),
        PathSegment::LineTo { abs, x, y } => write!(out, "{}{x} {y} ", cmd(abs, 'l')),
        PathSegment::HorizontalLineTo { abs, x } => write!(out, "{}{x} ", cmd(abs, 'h')),
        PathSegment::VerticalLineTo { abs, y } => write!(out, "{}{y} ", cmd(abs, 'v')),
        PathSegment::CurveTo { abs, x1, y1, x2, y2, x, y } => {
            write!(out, "{}{x1} {y1} {x2} {y2} {x} {y} ", cmd(abs, 'c'))
        }
        PathSegment::SmoothCurveTo { abs, x2, y2, x, y } => {
            write!(out, "{}{x2} {y2} {x} {y} ", cmd(abs, 's'))
        }
        PathSegment::Quadratic { abs, x1, y1, x, y } => write!(out, "{}{x1} {y1} {x} {y} ", cmd(abs, 'q')),
        PathSegment::SmoothQuadratic { abs, x, y } => write!(out, "{}{x} {y} ", cmd(abs, 't')),
        PathSegment::EllipticalArc { abs, rx, ry, x_axis_rotation, large_arc, sweep, x, y } => write!(
            out,
            "{}{rx} {ry} {x_axis_rotation} {} {} {x} {y} ",
            cmd(abs, 'a'),
            u8::from(large_arc),
            u8::from(sweep)
        ),
        PathSegment::ClosePath { abs } => write!(out, "{} ", cmd(abs, 'z')),
    };
}

fn check(values: &[f64]) -> Result<(), ()> {
    values.iter().all(|v| sane(*v)).then_some(()).ok_or(())
}

/// Parses a `viewBox`; `None` unless four sane numbers with a positive width and height.
pub fn view_box(text: &str) -> Option<crate::model::ViewBox> {
    let vb: svgtypes::ViewBox = text.parse().ok()?;
    let ok = [vb.x, vb.y, vb.w, vb.h].iter().all(|v| sane(*v)) && vb.w > 0.0 && vb.h > 0.0;
    ok.then_some(crate::model::ViewBox { x: vb.x, y: vb.y, width: vb.w, height: vb.h })
}

/// Parses an SVG boolean attribute as the visual does: `true` or `1` (any case) is true.
pub fn boolean(text: &str) -> bool {
    matches!(text.trim().to_ascii_lowercase().as_str(), "true" | "1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absurd_numbers_are_refused() {
        assert!(length("1e400", 0.0).is_none());
        assert!(transform("translate(1e300 0)").is_none());
        assert!(path("M0 0 L 1e12 0").is_err());
        assert!(view_box("0 0 0 10").is_none());
        assert!(view_box("0 0 NaN 10").is_none());
    }

    #[test]
    fn path_keeps_what_precedes_an_error() {
        let (p, truncated) = path("M0 0 L10 0 L10 10 Z L oops").unwrap();
        assert!(truncated);
        assert_eq!(p.elements().len(), 4);
    }

    #[test]
    fn thousands_of_closes_do_not_overflow_the_stack() {
        let d = format!("M0 0 L10 0 L10 10{}", "Z".repeat(100_000));
        let (p, truncated) = path(&d).unwrap();
        assert!(!truncated);
        assert_eq!(p.elements().len(), 4);
        let (_, truncated) = path(&format!("M0 0 L1 1{} L oops", "z".repeat(10))).unwrap();
        assert!(truncated);
    }

    #[test]
    fn an_arc_to_an_absurd_point_is_refused_before_it_is_expanded() {
        assert!(path("M1020,468 A28,28 0 0 0 1e39,440").is_err());
    }

    #[test]
    fn units() {
        assert_eq!(length("1in", 0.0), Some(96.0));
        assert_eq!(length("50%", 200.0), Some(100.0));
    }
}

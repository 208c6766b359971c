//! Low-level SVG writing: escaping and compact number, transform and path formatting.

use std::fmt::Write;

use kurbo::{Affine, PathEl, Point};

/// Appends `s` escaped for an attribute value in double quotes.
pub fn escape_attr(out: &mut String, s: &str) {
    if !s.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"') || b < 0x20) {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
}

/// Appends `s` escaped for character data.
pub fn escape_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
}

/// Appends ` name="value"` with the value escaped.
pub fn attr(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    escape_attr(out, value);
    out.push('"');
}

/// Formats numbers with at most `precision` decimals and no trailing zeros.
#[derive(Debug, Clone, Copy)]
pub struct Num {
    precision: usize,
    scale: f64,
    /// Leave out the zero before the decimal point (`.5`): the optimised export.
    lean: bool,
}

/// Appends `n` units of the last of `precision` decimals, trailing zeros left out, and the zero
/// before the decimal point too when `lean` (`.5`, `-.25`, `12`).
pub fn push_fixed(out: &mut String, n: i64, precision: u32, lean: bool) {
    if n < 0 {
        out.push('-');
    }
    let unit = 10u64.pow(precision);
    let (whole, mut frac) = (n.unsigned_abs() / unit, n.unsigned_abs() % unit);
    if !(lean && whole == 0 && frac != 0) {
        push_digits(out, whole, 1);
    }
    if frac != 0 {
        let mut digits = precision as usize;
        while frac.is_multiple_of(10) {
            frac /= 10;
            digits -= 1;
        }
        out.push('.');
        push_digits(out, frac, digits);
    }
}

/// Appends `v` in decimal, with leading zeros up to `width` digits.
fn push_digits(out: &mut String, mut v: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut at = buf.len();
    while v != 0 {
        at -= 1;
        buf[at] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    at = at.min(buf.len() - width.min(buf.len()));
    out.push_str(std::str::from_utf8(&buf[at..]).expect("ASCII digits"));
}

impl Num {
    /// A formatter keeping `precision` decimals (at most 8).
    pub fn new(precision: u8) -> Self {
        let precision = usize::from(precision.min(8));
        Self { precision, scale: 10f64.powi(precision as i32), lean: false }
    }

    /// Like [`Num::new`], without the zero before the decimal point (`.5`, `-.25`).
    pub fn lean(precision: u8) -> Self {
        Self { lean: true, ..Self::new(precision) }
    }

    /// The decimals kept.
    pub fn precision(&self) -> u8 {
        self.precision as u8
    }

    /// Appends `v`.
    pub fn push(&self, out: &mut String, v: f64) {
        let scaled = v * self.scale;
        if !scaled.is_finite() || scaled.abs() >= 9.0e15 {
            // Beyond exact integer range: plain formatting, trailing zeros trimmed.
            let start = out.len();
            let _ = write!(out, "{:.*}", self.precision, v);
            let trimmed = out[start..].trim_end_matches('0').trim_end_matches('.').len();
            out.truncate(start + trimmed);
            return;
        }
        // Fixed point through an integer: exact for the kept decimals and much faster than
        // formatting floats.
        push_fixed(out, scaled.round() as i64, self.precision as u32, self.lean);
    }

    /// `v` as a new string.
    pub fn fmt(&self, v: f64) -> String {
        let mut s = String::new();
        self.push(&mut s, v);
        s
    }

    /// Appends numbers separated by single spaces.
    pub fn push_list(&self, out: &mut String, values: &[f64]) {
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            self.push(out, *v);
        }
    }

    /// A transform attribute value, or `None` for the identity.
    pub fn transform(&self, t: Affine) -> Option<String> {
        let c = t.as_coeffs();
        // Compared as written: rounded to the decimals kept.
        let is_zero = |v: f64| (v * self.scale).round() == 0.0;
        let is_one = |v: f64| (v * self.scale).round() == self.scale;
        if is_one(c[0]) && is_zero(c[1]) && is_zero(c[2]) && is_one(c[3]) {
            if is_zero(c[4]) && is_zero(c[5]) {
                return None;
            }
            let mut s = String::from("translate(");
            self.push_list(&mut s, &c[4..]);
            s.push(')');
            return Some(s);
        }
        let mut s = String::from("matrix(");
        self.push_list(&mut s, &c);
        s.push(')');
        Some(s)
    }

    /// Path data with absolute commands.
    pub fn path_data(&self, path: impl IntoIterator<Item = PathEl>) -> String {
        let path = path.into_iter();
        let mut s = String::with_capacity(path.size_hint().0 * 16);
        let pt = |s: &mut String, p: Point| {
            self.push(s, p.x);
            s.push(' ');
            self.push(s, p.y);
        };
        for el in path {
            match el {
                PathEl::MoveTo(p) => {
                    s.push('M');
                    pt(&mut s, p);
                }
                PathEl::LineTo(p) => {
                    s.push('L');
                    pt(&mut s, p);
                }
                PathEl::QuadTo(a, p) => {
                    s.push('Q');
                    pt(&mut s, a);
                    s.push(' ');
                    pt(&mut s, p);
                }
                PathEl::CurveTo(a, b, p) => {
                    s.push('C');
                    pt(&mut s, a);
                    s.push(' ');
                    pt(&mut s, b);
                    s.push(' ');
                    pt(&mut s, p);
                }
                PathEl::ClosePath => s.push('Z'),
            }
        }
        s
    }

    /// A `points` list.
    pub fn points(&self, pts: &[Point]) -> String {
        let mut s = String::with_capacity(pts.len() * 12);
        for (i, p) in pts.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            self.push(&mut s, p.x);
            s.push(',');
            self.push(&mut s, p.y);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_compact() {
        let n = Num::new(3);
        assert_eq!(n.fmt(1.0), "1");
        assert_eq!(n.fmt(-0.0001), "0");
        assert_eq!(n.fmt(2.50049), "2.5");
        assert_eq!(n.fmt(-12.345678), "-12.346");
        assert_eq!(n.fmt(1e20), "100000000000000000000");
        assert_eq!(n.fmt(0.05), "0.05");
        assert_eq!(n.fmt(-0.5), "-0.5");
        assert_eq!(n.fmt(1234.0005), "1234.001");
        assert_eq!(Num::new(0).fmt(2.5), "3");
        assert_eq!(Num::new(8).fmt(0.000_000_01), "0.00000001");
        assert_eq!(Num::lean(3).fmt(-0.5), "-.5");
        assert_eq!(Num::lean(3).fmt(0.25), ".25");
        assert_eq!(Num::lean(3).fmt(10.5), "10.5");
        assert_eq!(Num::lean(3).fmt(0.0001), "0");
    }

    #[test]
    fn transforms() {
        let n = Num::new(3);
        assert_eq!(n.transform(Affine::IDENTITY), None);
        assert_eq!(n.transform(Affine::translate((3.0, -4.5))).unwrap(), "translate(3 -4.5)");
        assert!(n.transform(Affine::scale(2.0)).unwrap().starts_with("matrix(2 0 0 2"));
    }

    #[test]
    fn escaping() {
        let mut s = String::new();
        escape_attr(&mut s, "a\"<&>\u{1}");
        assert_eq!(s, "a&quot;&lt;&amp;&gt;");
    }
}

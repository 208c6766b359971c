//! What the `dxf` crate does not keep, read from the group codes of an ASCII or binary DXF:
//! the frozen flag of layers, HATCH boundaries, and the type of every model-space entity (so
//! those synmap does not draw can be counted).

use std::collections::{BTreeMap, HashSet};

use kurbo::{Arc, BezPath, Point, Shape, Vec2};

use super::shapes::bulge_to;

/// A HATCH's boundary: its layer and closed outlines (drawing coordinates).
pub struct Hatch {
    /// The hatch's layer.
    pub layer: String,
    /// One closed subpath per boundary loop.
    pub path: BezPath,
}

/// What the group codes say beyond the `dxf` crate.
#[derive(Default)]
pub struct Extra {
    /// Layers frozen in the drawing.
    pub frozen: HashSet<String>,
    /// Model-space HATCH boundaries.
    pub hatches: Vec<Hatch>,
    /// How many model-space entities of each type the ENTITIES section holds.
    pub types: BTreeMap<String, usize>,
}

/// Reads the extras of an ASCII or binary DXF.
pub fn extras(bytes: &[u8]) -> Extra {
    let text;
    let owned;
    let pairs: Vec<(i32, &str)> = match bytes.strip_prefix(crate::convert::BINARY_DXF) {
        Some(data) => {
            owned = binary_pairs(data);
            owned.iter().map(|(code, value)| (*code, value.as_str())).collect()
        }
        None => {
            text = String::from_utf8_lossy(bytes);
            ascii_pairs(&text)
        }
    };
    extras_of(&pairs)
}

/// The group codes of ASCII DXF, each with its value line.
fn ascii_pairs(text: &str) -> Vec<(i32, &str)> {
    let mut lines = text.lines();
    let mut pairs = Vec::new();
    while let (Some(code), Some(value)) = (lines.next(), lines.next()) {
        let Ok(code) = code.trim().parse::<i32>() else { break };
        pairs.push((code, value.trim_end_matches('\r')));
    }
    pairs
}

/// The group codes of binary DXF (after its sentinel), each value written as ASCII DXF would
/// hold it; the value's type follows from its code as the `dxf` crate reads it. Codes are two
/// bytes from R13 on (the first code, 0, then reads as two zero bytes), one byte before (255
/// escaping a two-byte code). Strings are UTF-8 from AutoCAD 2007 on, Latin-1 as the crate
/// reads them before. Reading stops at the end or at anything it cannot read.
fn binary_pairs(data: &[u8]) -> Vec<(i32, String)> {
    let two_byte_codes = data.starts_with(&[0, 0]);
    let mut at = 0;
    // The next `n` bytes, or with `None` the bytes up to the next zero (which is skipped).
    let mut take = |n: Option<usize>| -> Option<&[u8]> {
        let rest = data.get(at..)?;
        let (len, skip) = match n {
            Some(n) => (n, n),
            None => rest.iter().position(|&b| b == 0).map(|end| (end, end + 1))?,
        };
        let bytes = rest.get(..len)?;
        at += skip;
        Some(bytes)
    };
    let mut pairs = Vec::new();
    loop {
        let code = if two_byte_codes {
            take(Some(2)).map(|b| i32::from(u16::from_le_bytes([b[0], b[1]])))
        } else {
            match take(Some(1)).map(|b| b[0]) {
                Some(255) => take(Some(2)).map(|b| i32::from(i16::from_le_bytes([b[0], b[1]]))),
                other => other.map(i32::from),
            }
        };
        let Some(code) = code else { break };
        let Some(kind) = dxf::ExpectedType::new(code) else { break };
        let value = match kind {
            dxf::ExpectedType::Str => {
                let Some(bytes) = take(None) else { break };
                match std::str::from_utf8(bytes) {
                    Ok(s) => s.to_owned(),
                    Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
                }
            }
            dxf::ExpectedType::Double => {
                let Some(b) = take(Some(8)) else { break };
                f64::from_le_bytes(b.try_into().expect("8 bytes")).to_string()
            }
            dxf::ExpectedType::Short => {
                let Some(b) = take(Some(2)) else { break };
                i16::from_le_bytes([b[0], b[1]]).to_string()
            }
            dxf::ExpectedType::Integer => {
                let Some(b) = take(Some(4)) else { break };
                i32::from_le_bytes(b.try_into().expect("4 bytes")).to_string()
            }
            dxf::ExpectedType::Long => {
                let Some(b) = take(Some(8)) else { break };
                i64::from_le_bytes(b.try_into().expect("8 bytes")).to_string()
            }
            dxf::ExpectedType::Boolean => {
                let Some(b) = take(Some(if two_byte_codes { 1 } else { 2 })) else { break };
                u8::from(b.iter().any(|&b| b != 0)).to_string()
            }
            dxf::ExpectedType::Binary => {
                let Some(length) = take(Some(1)) else { break };
                let Some(chunk) = take(Some(usize::from(length[0]))) else { break };
                chunk.iter().map(|b| format!("{b:02X}")).collect()
            }
        };
        pairs.push((code, value));
    }
    pairs
}

/// The extras from group codes.
fn extras_of(pairs: &[(i32, &str)]) -> Extra {
    let mut extra = Extra::default();
    let mut section = "";
    let mut i = 0;
    while i < pairs.len() {
        let (code, value) = pairs[i];
        if code != 0 {
            i += 1;
            continue;
        }
        let end = pairs[i + 1..].iter().position(|p| p.0 == 0).map_or(pairs.len(), |e| i + 1 + e);
        let body = &pairs[i + 1..end];
        match value.trim() {
            "SECTION" => section = body.iter().find(|p| p.0 == 2).map_or("", |p| p.1.trim()),
            "ENDSEC" | "EOF" => section = "",
            "LAYER" if section == "TABLES" => {
                let name = body.iter().find(|p| p.0 == 2).map(|p| p.1.trim().to_owned());
                let flags = body.iter().find(|p| p.0 == 70).and_then(|p| p.1.trim().parse::<i32>().ok());
                if let (Some(name), Some(flags)) = (name, flags)
                    && flags & 1 != 0
                {
                    extra.frozen.insert(name);
                }
            }
            kind if section == "ENTITIES" => {
                let paper = body.iter().any(|p| p.0 == 67 && p.1.trim() == "1");
                if !paper && !matches!(kind, "VERTEX" | "SEQEND" | "ATTRIB") {
                    *extra.types.entry(kind.to_owned()).or_default() += 1;
                }
                if kind == "HATCH" && !paper {
                    let layer = body.iter().find(|p| p.0 == 8).map_or("0", |p| p.1.trim()).to_owned();
                    let path = boundary(body);
                    if !path.elements().is_empty() {
                        extra.hatches.push(Hatch { layer, path });
                    }
                }
            }
            _ => {}
        }
        i = end;
    }
    extra
}

/// Reads group codes in order, as a HATCH's boundary data is laid out.
struct Reader<'a> {
    pairs: &'a [(i32, &'a str)],
    at: usize,
}

impl Reader<'_> {
    /// The next value of `code`, skipping any other codes before it.
    fn next(&mut self, code: i32) -> Option<&str> {
        let offset = self.pairs[self.at..].iter().position(|p| p.0 == code)?;
        self.at += offset + 1;
        Some(self.pairs[self.at - 1].1.trim())
    }

    fn number(&mut self, code: i32) -> Option<f64> {
        self.next(code)?.parse().ok().filter(|v: &f64| v.is_finite())
    }

    fn count(&mut self, code: i32) -> Option<usize> {
        self.next(code)?.parse::<i64>().ok().and_then(|v| usize::try_from(v).ok()).map(|v| v.min(1_000_000))
    }

    fn point(&mut self, x: i32) -> Option<Point> {
        Some(Point::new(self.number(x)?, self.number(x + 10)?))
    }

    /// True when the value at the cursor has this code (for optional codes).
    fn peek_is(&self, code: i32) -> bool {
        self.pairs.get(self.at).is_some_and(|p| p.0 == code)
    }
}

/// A HATCH's boundary loops as closed subpaths: polyline loops (with bulges), and loops of
/// line, circular arc, elliptic arc and spline edges (splines through their control points).
fn boundary(body: &[(i32, &str)]) -> BezPath {
    let mut path = BezPath::new();
    let mut r = Reader { pairs: body, at: 0 };
    let Some(loops) = r.count(91) else { return path };
    for _ in 0..loops {
        let Some(flags) = r.count(92) else { break };
        if flags & 2 != 0 {
            let bulges = r.next(72).is_some_and(|v| v != "0");
            let _closed = r.next(73);
            let Some(n) = r.count(93) else { break };
            let mut points: Vec<(Point, f64)> = Vec::with_capacity(n);
            for _ in 0..n {
                let Some(p) = r.point(10) else { break };
                let bulge = if bulges && r.peek_is(42) { r.number(42).unwrap_or(0.0) } else { 0.0 };
                points.push((p, bulge));
            }
            let Some(&(first, _)) = points.first() else { continue };
            path.move_to(first);
            for (i, &(p, bulge)) in points.iter().enumerate() {
                let to = points.get(i + 1).map_or(first, |q| q.0);
                bulge_to(&mut path, p, to, bulge);
            }
            path.close_path();
        } else {
            let Some(edges) = r.count(93) else { break };
            let mut started = false;
            for _ in 0..edges {
                let mut piece = BezPath::new();
                match r.next(72) {
                    Some("1") => {
                        let (Some(a), Some(b)) = (r.point(10), r.point(11)) else { break };
                        piece.move_to(a);
                        piece.line_to(b);
                    }
                    Some("2") => {
                        let (Some(c), Some(radius)) = (r.point(10), r.number(40)) else { break };
                        let (Some(start), Some(end)) = (r.number(50), r.number(51)) else { break };
                        let ccw = r.next(73) != Some("0");
                        piece = edge_arc(
                            c,
                            Vec2::new(radius, radius),
                            0.0,
                            start.to_radians(),
                            end.to_radians(),
                            ccw,
                        );
                    }
                    Some("3") => {
                        let (Some(c), Some(major), Some(ratio)) = (r.point(10), r.point(11), r.number(40))
                        else {
                            break;
                        };
                        let (Some(start), Some(end)) = (r.number(50), r.number(51)) else { break };
                        let ccw = r.next(73) != Some("0");
                        let axis = major.to_vec2();
                        let radii = Vec2::new(axis.hypot(), axis.hypot() * ratio);
                        piece = edge_arc(c, radii, axis.atan2(), start.to_radians(), end.to_radians(), ccw);
                    }
                    Some("4") => {
                        let _degree = r.next(94);
                        let (Some(knots), Some(controls)) = (r.count(95), r.count(96)) else { break };
                        for _ in 0..knots {
                            r.next(40);
                        }
                        for k in 0..controls {
                            let Some(p) = r.point(10) else { break };
                            if k == 0 { piece.move_to(p) } else { piece.line_to(p) }
                        }
                    }
                    _ => break,
                }
                for el in piece.elements() {
                    match el {
                        kurbo::PathEl::MoveTo(p) if started => path.line_to(*p),
                        kurbo::PathEl::MoveTo(p) => {
                            path.move_to(*p);
                            started = true;
                        }
                        other => path.push(*other),
                    }
                }
            }
            if started {
                path.close_path();
            }
        }
        // The loop's source objects: a count, then that many handles.
        if let Some(sources) = r.count(97) {
            for _ in 0..sources {
                r.next(330);
            }
        }
    }
    path
}

/// An edge arc of a hatch boundary: angles in radians; clockwise edges are stored with their
/// angles mirrored, as DXF writes them.
fn edge_arc(center: Point, radii: Vec2, rotation: f64, start: f64, end: f64, ccw: bool) -> BezPath {
    let (start, end) = if ccw { (start, end) } else { (-start, -end) };
    let mut sweep = end - start;
    if ccw && sweep <= 0.0 {
        sweep += std::f64::consts::TAU;
    } else if !ccw && sweep >= 0.0 {
        sweep -= std::f64::consts::TAU;
    }
    Arc::new(center, radii, start, sweep, rotation).to_path(radii.x.max(radii.y) * 1e-3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ascii(pairs: &[(i32, &str)]) -> Vec<u8> {
        pairs.iter().map(|(c, v)| format!("{c:>3}\r\n{v}\r\n")).collect::<String>().into_bytes()
    }

    /// Binary DXF of group codes: two-byte codes (R13 on) or one-byte codes (R12).
    fn binary(pairs: &[(i32, &str)], two_byte_codes: bool) -> Vec<u8> {
        let mut out = crate::convert::BINARY_DXF.to_vec();
        for &(code, value) in pairs {
            match (two_byte_codes, u8::try_from(code)) {
                (true, _) => out.extend(u16::try_from(code).unwrap().to_le_bytes()),
                (false, Ok(c)) if c != 255 => out.push(c),
                (false, _) => {
                    out.push(255);
                    out.extend(i16::try_from(code).unwrap().to_le_bytes());
                }
            }
            match dxf::ExpectedType::new(code).unwrap() {
                dxf::ExpectedType::Str => {
                    out.extend(value.as_bytes());
                    out.push(0);
                }
                dxf::ExpectedType::Double => out.extend(value.parse::<f64>().unwrap().to_le_bytes()),
                dxf::ExpectedType::Short => out.extend(value.parse::<i16>().unwrap().to_le_bytes()),
                dxf::ExpectedType::Integer => out.extend(value.parse::<i32>().unwrap().to_le_bytes()),
                dxf::ExpectedType::Long => out.extend(value.parse::<i64>().unwrap().to_le_bytes()),
                dxf::ExpectedType::Boolean if two_byte_codes => out.push(value.parse().unwrap()),
                dxf::ExpectedType::Boolean => out.extend(value.parse::<i16>().unwrap().to_le_bytes()),
                dxf::ExpectedType::Binary => unreachable!("no binary chunks here"),
            }
        }
        out
    }

    #[test]
    fn frozen_layers_hatch_boundaries_and_entity_types_in_ascii_and_binary() {
        let pairs: &[(i32, &str)] = &[
            (0, "SECTION"),
            (2, "TABLES"),
            (0, "TABLE"),
            (2, "LAYER"),
            (0, "LAYER"),
            (2, "A-FURN"),
            (70, "1"),
            (62, "7"),
            (0, "LAYER"),
            (2, "A-AREA"),
            (70, "0"),
            (62, "3"),
            (0, "ENDTAB"),
            (0, "ENDSEC"),
            (0, "SECTION"),
            (2, "ENTITIES"),
            // A polyline loop (a square with one bulged side) and an edge loop (two lines, a
            // half circle).
            (0, "HATCH"),
            (8, "A-AREA"),
            (2, "SOLID"),
            (70, "1"),
            (71, "0"),
            (91, "2"),
            (92, "2"),
            (72, "1"),
            (73, "1"),
            (93, "4"),
            (10, "0"),
            (20, "0"),
            (42, "0"),
            (10, "10"),
            (20, "0"),
            (42, "1"),
            (10, "10"),
            (20, "10"),
            (42, "0"),
            (10, "0"),
            (20, "10"),
            (42, "0"),
            (97, "0"),
            (92, "1"),
            (93, "3"),
            (72, "1"),
            (10, "20"),
            (20, "0"),
            (11, "30"),
            (21, "0"),
            (72, "2"),
            (10, "30"),
            (20, "5"),
            (40, "5"),
            (50, "270"),
            (51, "90"),
            (73, "1"),
            (72, "1"),
            (10, "30"),
            (20, "10"),
            (11, "20"),
            (21, "10"),
            (97, "1"),
            (330, "2F"),
            (75, "0"),
            (76, "1"),
            (98, "0"),
            (0, "DIMENSION"),
            (8, "0"),
            (0, "LINE"),
            (8, "0"),
            (67, "1"),
            (0, "ENDSEC"),
            (0, "EOF"),
        ];
        let ascii = extras(&ascii(pairs));
        check(&ascii);
        for two_byte_codes in [true, false] {
            let binary = extras(&binary(pairs, two_byte_codes));
            check(&binary);
            assert_eq!(binary.hatches[0].path, ascii.hatches[0].path, "two-byte codes: {two_byte_codes}");
        }
        // A binary file cut short keeps what came before the cut.
        let bytes = binary(pairs, true);
        let cut = extras(&bytes[..bytes.len() - 40]);
        assert_eq!(cut.hatches.len(), 1);
        assert!(extras(&bytes[..crate::convert::BINARY_DXF.len() + 3]).hatches.is_empty());
    }

    fn check(extra: &Extra) {
        assert_eq!(extra.frozen, HashSet::from(["A-FURN".to_owned()]));
        assert_eq!(extra.types.get("HATCH"), Some(&1));
        assert_eq!(extra.types.get("DIMENSION"), Some(&1));
        assert_eq!(extra.types.get("LINE"), None, "paper space is left out");
        let hatch = &extra.hatches[0];
        assert_eq!(hatch.layer, "A-AREA");
        let b = hatch.path.bounding_box();
        assert!((b.x1 - 35.0).abs() < 0.01, "the half circle bulges to x = 35: {b:?}");
        assert!((b.x0).abs() < 0.01 && (b.y1 - 10.0).abs() < 0.01, "{b:?}");
        assert!(hatch.path.contains(Point::new(14.0, 5.0)), "the bulge of the first loop");
        assert!(hatch.path.contains(Point::new(33.0, 5.0)) && !hatch.path.contains(Point::new(17.0, 5.0)));
    }
}

//! Deterministic generator of large GeoJSON: a grid of regions in longitude and latitude whose
//! borders wiggle and are shared exactly with their neighbours (as administrative boundaries
//! are), for the import benchmarks.

use std::fmt::Write as _;

/// Points along each side of a region.
const SIDE_POINTS: usize = 25;

/// A FeatureCollection of about `bytes` bytes (never fewer than one region).
pub fn geojson_regions(bytes: usize) -> String {
    // About 22 bytes a point, 4 sides of SIDE_POINTS points a region, plus its properties.
    let regions = (bytes / (4 * SIDE_POINTS * 22 + 80)).max(1);
    let columns = (regions as f64).sqrt().ceil() as usize;
    let rows = regions.div_ceil(columns);
    let (width, height) = (20.0 / columns as f64, 20.0 / rows as f64);
    // A side's point `t` of the border along row `j` (horizontal) or column `i` (vertical),
    // tapering to nothing at the corners so that no region crosses itself.
    let wiggle = |a: usize, b: usize, t: usize| {
        let taper = (std::f64::consts::PI * t as f64 / SIDE_POINTS as f64).sin();
        ((a * 7919 + b * 104_729 + t * 31) as f64 * 0.618).sin() * 0.15 * taper
    };
    let horizontal = |i: usize, j: usize, t: usize| {
        let inner = t > 0 && t < SIDE_POINTS;
        let dy = if inner { wiggle(i, j, t) * height } else { 0.0 };
        [-10.0 + (i as f64 + t as f64 / SIDE_POINTS as f64) * width, -10.0 + j as f64 * height + dy]
    };
    let vertical = |i: usize, j: usize, t: usize| {
        let inner = t > 0 && t < SIDE_POINTS;
        let dx = if inner { wiggle(j + 5000, i, t) * width } else { 0.0 };
        [-10.0 + i as f64 * width + dx, -10.0 + (j as f64 + t as f64 / SIDE_POINTS as f64) * height]
    };
    let mut out = String::with_capacity(bytes + 1024);
    out.push_str("{\"type\":\"FeatureCollection\",\"features\":[\n");
    for r in 0..regions {
        let (i, j) = (r % columns, r / columns);
        let mut ring: Vec<[f64; 2]> = Vec::with_capacity(4 * SIDE_POINTS + 1);
        ring.extend((0..SIDE_POINTS).map(|t| horizontal(i, j, t)));
        ring.extend((0..SIDE_POINTS).map(|t| vertical(i + 1, j, t)));
        ring.extend((0..SIDE_POINTS).map(|t| horizontal(i, j + 1, SIDE_POINTS - t)));
        ring.extend((0..SIDE_POINTS).map(|t| vertical(i, j, SIDE_POINTS - t)));
        ring.push(ring[0]);
        if r > 0 {
            out.push_str(",\n");
        }
        let _ = write!(
            out,
            "{{\"type\":\"Feature\",\"properties\":{{\"name\":\"Region {r}\",\"code\":\"R{r:06}\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[["
        );
        for (k, [x, y]) in ring.iter().enumerate() {
            let _ = write!(out, "{}[{x:.6},{y:.6}]", if k > 0 { "," } else { "" });
        }
        out.push_str("]]}}");
    }
    out.push_str("\n]}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_share_their_borders_and_none_overlaps_or_crosses_itself() {
        let text = geojson_regions(100_000);
        let imported = crate::svg::import_bytes(text.as_bytes()).unwrap();
        let areas = imported.map.iter().filter(|(_, n)| n.id.is_some()).count();
        assert!(areas >= 30, "{areas} regions");
        let report = crate::check::check(&imported, None);
        let overlaps: Vec<_> = report.findings.iter().filter(|f| f.code == "overlapping-areas").collect();
        assert!(overlaps.is_empty(), "{overlaps:?}");
    }
}

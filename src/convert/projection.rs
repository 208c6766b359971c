//! Longitude and latitude to the plane: Mercator, equirectangular, and Albers USA (the lower
//! 48 states with Alaska and Hawaii moved in and scaled as US maps are drawn, after d3's
//! `geoAlbersUsa`); and polygons crossing the antimeridian cut there (with i_overlay), so they
//! are not drawn across the whole map. North is up: y grows southwards.

use std::f64::consts::FRAC_PI_4;

use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::float::single::SingleFloatOverlay;
use kurbo::Point;

use crate::polygons::Polygon;

/// How longitude and latitude become x and y.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Projection {
    /// Mercator (the default for longitude and latitude), latitude clamped at ±85.05°.
    #[default]
    Mercator,
    /// Longitude and latitude as x and y.
    Equirectangular,
    /// Albers equal-area conic for the United States, Alaska and Hawaii moved in.
    AlbersUsa,
    /// The coordinates as they are (already planar).
    None,
}

impl Projection {
    /// The names the command line takes, in the order of [`Projection::from_name`].
    pub const NAMES: [&'static str; 4] = ["mercator", "equirectangular", "albers-usa", "none"];

    /// The projection a command-line name stands for.
    pub fn from_name(name: &str) -> Option<Projection> {
        match name {
            "mercator" => Some(Projection::Mercator),
            "equirectangular" => Some(Projection::Equirectangular),
            "albers-usa" => Some(Projection::AlbersUsa),
            "none" => Some(Projection::None),
            _ => None,
        }
    }

    /// The polygon (rings of `[x, y]`, longitude and latitude in degrees unless the projection
    /// is `None`) projected: one polygon, or several when it crosses the antimeridian; none
    /// when Albers USA leaves it out (outside the 48 states, Alaska and Hawaii, as d3 does).
    pub fn polygon(self, rings: &[Vec<[f64; 2]>]) -> Vec<Vec<Vec<Point>>> {
        if self == Projection::None {
            return vec![rings.iter().map(|r| r.iter().map(|&[x, y]| Point::new(x, -y)).collect()).collect()];
        }
        let Some(part) = self.part(rings.first().map_or(&[][..], Vec::as_slice)) else { return Vec::new() };
        split_at_antimeridian(rings)
            .into_iter()
            .map(|p| p.iter().map(|r| r.iter().map(|&q| part.project(q)).collect()).collect())
            .collect()
    }

    /// A line (longitude and latitude unless `None`) projected, cut where it crosses the
    /// antimeridian.
    pub fn line(self, points: &[[f64; 2]]) -> Vec<Vec<Point>> {
        if self == Projection::None {
            return vec![points.iter().map(|&[x, y]| Point::new(x, -y)).collect()];
        }
        let Some(part) = self.part(points) else { return Vec::new() };
        let mut out: Vec<Vec<Point>> = vec![Vec::new()];
        for (i, &p) in points.iter().enumerate() {
            if i > 0 && (p[0] - points[i - 1][0]).abs() > 180.0 {
                out.push(Vec::new());
            }
            out.last_mut().expect("never empty").push(part.project(p));
        }
        out
    }

    /// The projection used for a shape: for Albers USA, the first of the lower 48, Alaska and
    /// Hawaii whose extent holds the mean of its first ring (d3's rule, shape by shape); none
    /// when no extent holds it.
    fn part(self, first_ring: &[[f64; 2]]) -> Option<Part> {
        match self {
            Projection::Mercator => Some(Part::Mercator),
            Projection::Equirectangular | Projection::None => Some(Part::Equirectangular),
            Projection::AlbersUsa => {
                let n = first_ring.len().max(1) as f64;
                let (lon, lat) = first_ring.iter().fold((0.0, 0.0), |(a, b), p| (a + p[0] / n, b + p[1] / n));
                [&LOWER_48, &ALASKA, &HAWAII].into_iter().find(|c| c.holds(lon, lat)).map(Part::Albers)
            }
        }
    }
}

/// One projection of a composite (Albers USA is three).
#[derive(Clone, Copy)]
enum Part {
    Mercator,
    Equirectangular,
    Albers(&'static Conic),
}

impl Part {
    fn project(self, [lon, lat]: [f64; 2]) -> Point {
        match self {
            Part::Mercator => {
                let phi = lat.clamp(-85.05, 85.05).to_radians();
                Point::new(lon.to_radians(), -(FRAC_PI_4 + phi / 2.0).tan().ln())
            }
            Part::Equirectangular => Point::new(lon, -lat),
            Part::Albers(conic) => conic.project(lon, lat),
        }
    }
}

/// An Albers equal-area conic as d3 sets one up: standard parallels, a rotation, a centre, a
/// scale and a translation (all in d3's pixel units: the lower 48 are 1070 wide).
struct Conic {
    /// The extent it draws, relative to the lower 48's translation, in units of the scale K:
    /// `[[x0, y0], [x1, y1]]`.
    extent: [[f64; 2]; 2],
    parallels: [f64; 2],
    rotate: f64,
    center: [f64; 2],
    scale: f64,
    translate: [f64; 2],
}

/// d3's `geoAlbersUsa` scale and translation.
const K: f64 = 1070.0;
const LOWER_48: Conic = Conic {
    extent: [[-0.455, -0.238], [0.455, 0.238]],
    parallels: [29.5, 45.5],
    rotate: 96.0,
    center: [-0.6, 38.7],
    scale: K,
    translate: [480.0, 250.0],
};
const ALASKA: Conic = Conic {
    extent: [[-0.425, 0.120], [-0.214, 0.234]],
    parallels: [55.0, 65.0],
    rotate: 154.0,
    center: [-2.0, 58.5],
    scale: 0.35 * K,
    translate: [480.0 - 0.307 * K, 250.0 + 0.201 * K],
};
const HAWAII: Conic = Conic {
    extent: [[-0.214, 0.166], [-0.115, 0.234]],
    parallels: [8.0, 18.0],
    rotate: 157.0,
    center: [-3.0, 19.9],
    scale: K,
    translate: [480.0 - 0.205 * K, 250.0 + 0.212 * K],
};

impl Conic {
    /// The raw projection of radians (y up), as d3's `conicEqualAreaRaw`.
    fn raw(&self, lambda: f64, phi: f64) -> (f64, f64) {
        let sy0 = self.parallels[0].to_radians().sin();
        let n = (sy0 + self.parallels[1].to_radians().sin()) / 2.0;
        let c = 1.0 + sy0 * (2.0 * n - sy0);
        let r0 = c.sqrt() / n;
        let r = (c - 2.0 * n * phi.sin()).max(0.0).sqrt() / n;
        let x = lambda * n;
        (r * x.sin(), r0 - r * x.cos())
    }

    /// True when the point is drawn by this inset (inside its extent).
    fn holds(&self, lon: f64, lat: f64) -> bool {
        let p = self.project(lon, lat);
        let [[x0, y0], [x1, y1]] = self.extent;
        let (x, y) = ((p.x - LOWER_48.translate[0]) / K, (p.y - LOWER_48.translate[1]) / K);
        (x0..x1).contains(&x) && (y0..y1).contains(&y)
    }

    fn project(&self, lon: f64, lat: f64) -> Point {
        let lambda = wrap(lon + self.rotate).to_radians();
        let (x, y) = self.raw(lambda, lat.clamp(-90.0, 90.0).to_radians());
        let (cx, cy) = self.raw(self.center[0].to_radians(), self.center[1].to_radians());
        Point::new(self.translate[0] + self.scale * (x - cx), self.translate[1] - self.scale * (y - cy))
    }
}

/// A longitude brought into -180..180.
fn wrap(lon: f64) -> f64 {
    let wrapped = (lon + 180.0).rem_euclid(360.0) - 180.0;
    if wrapped == -180.0 && lon > 0.0 { 180.0 } else { wrapped }
}

/// The polygon cut at the antimeridian: when a ring jumps by more than 180° of longitude from
/// one point to the next it crosses the antimeridian, so its longitudes are unwrapped (made
/// continuous past ±180°) and the polygon is cut into the part within -180..180 and the parts
/// beyond, each moved back by 360°. Polygons that do not cross come back as they are.
fn split_at_antimeridian(rings: &[Vec<[f64; 2]>]) -> Vec<Polygon> {
    let crosses = rings.iter().any(|r| r.windows(2).any(|w| (w[1][0] - w[0][0]).abs() > 180.0));
    if !crosses {
        return vec![rings.to_vec()];
    }
    let unwrapped: Polygon = rings
        .iter()
        .map(|ring| {
            let mut shift = 0.0;
            let mut out: Vec<[f64; 2]> = Vec::with_capacity(ring.len());
            for (i, &[lon, lat]) in ring.iter().enumerate() {
                if i > 0 {
                    let step = lon - ring[i - 1][0];
                    if step > 180.0 {
                        shift -= 360.0;
                    } else if step < -180.0 {
                        shift += 360.0;
                    }
                }
                out.push([lon + shift, lat]);
            }
            out
        })
        .collect();
    let mut parts = Vec::new();
    for offset in [-360.0, 0.0, 360.0] {
        let (west, east) = (-180.0 + offset, 180.0 + offset);
        let window: Vec<[f64; 2]> = vec![[west, -90.0], [east, -90.0], [east, 90.0], [west, 90.0]];
        for mut part in unwrapped.overlay(&window, OverlayRule::Intersect, FillRule::NonZero) {
            for ring in &mut part {
                for p in ring.iter_mut() {
                    p[0] -= offset;
                }
            }
            parts.push(part);
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use std::f64::consts::PI;

    use super::*;

    #[test]
    fn albers_usa_places_the_states_and_insets_as_d3_does() {
        // Computed with d3-geo 3: San Francisco, Anchorage, Honolulu, New York.
        let cases = [
            ([-122.4194, 37.7749], [107.4269, 214.1431]),
            ([-149.9, 61.2], [171.1712, 447.0626]),
            ([-157.86, 21.31], [298.4490, 450.9299]),
            ([-74.0, 40.7], [794.7327, 176.7479]),
        ];
        for (lon_lat, [x, y]) in cases {
            let p = Projection::AlbersUsa.polygon(&[vec![lon_lat]])[0][0][0];
            assert!((p.x - x).abs() < 0.01 && (p.y - y).abs() < 0.01, "{lon_lat:?}: {p:?}, d3 says {x}, {y}");
        }
        // d3 draws nothing for Puerto Rico and Guam: they are left out.
        assert!(Projection::AlbersUsa.polygon(&[vec![[-66.5, 18.2]]]).is_empty());
        assert!(Projection::AlbersUsa.polygon(&[vec![[144.8, 13.4]]]).is_empty());
    }

    #[test]
    fn mercator_is_north_up_and_clamped() {
        let pole = Projection::Mercator.line(&[[0.0, 90.0], [0.0, 0.0]]);
        assert!(pole[0][0].y < 0.0 && pole[0][0].y.is_finite(), "north is up and the pole is clamped");
        assert!((pole[0][0].y + PI).abs() < 0.01, "85.05° is y = -π");
    }

    #[test]
    fn a_polygon_crossing_the_antimeridian_is_cut_there() {
        // A box from 170°E to 170°W (across 180°), as files write it.
        let ring = vec![[170.0, -10.0], [-170.0, -10.0], [-170.0, 10.0], [170.0, 10.0], [170.0, -10.0]];
        let parts = split_at_antimeridian(&[ring]);
        assert_eq!(parts.len(), 2, "{parts:?}");
        let lons: Vec<(f64, f64)> = parts
            .iter()
            .map(|p| {
                let xs = p[0].iter().map(|q| q[0]);
                (xs.clone().fold(f64::MAX, f64::min), xs.fold(f64::MIN, f64::max))
            })
            .collect();
        assert!(lons.contains(&(170.0, 180.0)) && lons.contains(&(-180.0, -170.0)), "{lons:?}");
        let plain = vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]];
        assert_eq!(split_at_antimeridian(std::slice::from_ref(&plain)), vec![vec![plain]]);
        let line = Projection::Equirectangular.line(&[[170.0, 0.0], [-170.0, 0.0]]);
        assert_eq!(line.len(), 2, "a line is cut too");
    }
}

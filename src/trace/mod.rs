//! Tracing rooms from a plan's picture (a PNG export, a scan, a photo): the regions between
//! its walls found by colour, door gaps closed, and each region's outline simplified to its
//! corners. `trace_all` finds every room; `Wand` finds the room under a click. See
//! `score` for how well it does on plans whose rooms are known.

mod mask;
mod outline;
mod picture;
mod pixels;
mod regions;
pub mod score;

use kurbo::Point;

use crate::ids::{Sequence, UniqueIds};
use crate::model::{Geometry, Node, NodeKind, Style};

pub use picture::{ImageError, Picture, pixels_to_map};
pub use pixels::{Pixels, PixelsError};
pub use regions::Regions;

/// How the picture is read.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceOptions {
    /// How far a colour may be from a region's first pixel and still belong to it: the largest
    /// difference of one channel, 0–255.
    pub tolerance: u8,
    /// Gaps in walls up to this many pixels wide (doors) are closed.
    pub close_gaps: usize,
    /// Regions smaller than this many pixels are not rooms.
    pub min_area: usize,
    /// How far (in pixels) an outline may stray from the region's edge to save a corner:
    /// lower keeps more corners.
    pub detail: f64,
    /// Treat thin lines as walls too. By default, when a plan draws its walls thick, lines under
    /// three pixels (door swings, furniture, text) are not walls.
    pub thin_lines_are_walls: bool,
}

impl Default for TraceOptions {
    fn default() -> Self {
        TraceOptions {
            tolerance: 32,
            close_gaps: 24,
            min_area: 400,
            detail: 1.5,
            thin_lines_are_walls: false,
        }
    }
}

/// One traced room: its outline's corners in pixels (the picture's top left is 0, 0).
pub type Outline = Vec<Point>;

/// Every room of the picture: the regions that do not reach its edge, are at least the
/// minimum area, are not mostly holes (the floor between a building's rooms), are not the
/// paper between rooms where most rooms are filled with colour, and do not lie inside another
/// room (labels, furniture and hatching inside a room are part of it), largest first.
pub fn trace_all(pixels: &Pixels, opts: &TraceOptions) -> Vec<Outline> {
    let regions = Regions::of(pixels, opts);
    let mut candidates: Vec<(u32, &regions::Region)> =
        (0..).zip(&regions.regions).filter(|(_, r)| !r.touches_border && r.area >= opts.min_area).collect();
    // Where most rooms are filled with colours, the paper between them is not a room.
    if let Some(paper) = regions.paper {
        let is_paper = |r: &regions::Region| pixels::distance(r.colour, paper) <= opts.tolerance;
        let coloured = candidates.iter().filter(|(_, r)| !is_paper(r)).count();
        if coloured * 2 > candidates.len() {
            candidates.retain(|(_, r)| !is_paper(r));
        }
    }
    candidates.sort_by_key(|(_, r)| std::cmp::Reverse(r.area));
    // The outlines, on every core; those mostly holes are no rooms.
    let band = candidates.len().div_ceil(mask::threads()).max(1);
    let outlines: Vec<Option<Outline>> = std::thread::scope(|scope| {
        let handles: Vec<_> = candidates
            .chunks(band)
            .map(|part| {
                let regions = &regions;
                scope.spawn(move || {
                    part.iter()
                        .map(|&(id, region)| {
                            let corners =
                                outlines_of(regions, region.bounds, |l| l == id, false).into_iter().next()?;
                            ((region.area as f64) * 2.0 >= area(&corners)).then_some(corners)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    });
    let w = regions.width;
    let mut rooms: Vec<(Outline, [usize; 4])> = Vec::new();
    for ((_, region), corners) in candidates.iter().zip(outlines) {
        let Some(corners) = corners else { continue };
        let seed = Point::new((region.seed % w) as f64 + 0.5, (region.seed / w) as f64 + 0.5);
        let [x0, y0, x1, y1] = region.bounds.map(|v| v as f64);
        let inside_another = rooms.iter().any(|(outline, b)| {
            b[0] as f64 <= x0
                && b[1] as f64 <= y0
                && b[2] as f64 >= x1
                && b[3] as f64 >= y1
                && contains(outline, seed)
        });
        if !inside_another {
            rooms.push((corners, region.bounds));
        }
    }
    rooms
        .into_iter()
        .map(|(corners, _)| outline::sharpen(outline::simplify(&corners, opts.detail), opts.detail))
        .collect()
}

/// The area inside a closed outline.
fn area(outline: &[Point]) -> f64 {
    let n = outline.len();
    (0..n).map(|i| outline[i].to_vec2().cross(outline[(i + 1) % n].to_vec2())).sum::<f64>().abs() / 2.0
}

/// The outlines as one path, each a closed subpath, through `transform` (pixels to map units).
pub fn path_of(outlines: &[Outline], transform: kurbo::Affine) -> kurbo::BezPath {
    let mut path = kurbo::BezPath::new();
    for outline in outlines {
        let Some((&first, rest)) = outline.split_first() else { continue };
        path.move_to(transform * first);
        rest.iter().for_each(|&p| path.line_to(transform * p));
        path.close_path();
    }
    path
}

/// The magic wand: the regions of a picture worked out once (when the tool is picked), then
/// the room under each click found at once.
#[derive(Clone, Debug)]
pub struct Wand {
    regions: Regions,
    detail: f64,
    min_area: usize,
}

/// How far (pixels) from a click on a speck the wand looks for the room it lies in.
pub const NEAR_PX: usize = 12;

impl Wand {
    /// The wand over `pixels` read with `opts`.
    pub fn new(pixels: &Pixels, opts: &TraceOptions) -> Wand {
        Wand { regions: Regions::of(pixels, opts), detail: opts.detail, min_area: opts.min_area }
    }

    /// The room at `p` (in pixels): the region there, or when that is a speck (a click on a
    /// label or a line inside a room), the largest region within [`NEAR_PX`] pixels of it; none
    /// on a wall or outside the picture.
    pub fn region_at(&self, p: Point) -> Option<u32> {
        let (w, h) = (self.regions.width as f64, self.regions.height as f64);
        if !(p.x >= 0.0 && p.y >= 0.0 && p.x < w && p.y < h) {
            return None;
        }
        let (x, y) = (p.x as usize, p.y as usize);
        let area = |id: u32| self.regions.regions[id as usize].area;
        let here = self.regions.at(x, y)?;
        if area(here) >= self.min_area {
            return Some(here);
        }
        let near = |v: usize, n: usize| v.saturating_sub(NEAR_PX)..(v + NEAR_PX + 1).min(n);
        near(y, self.regions.height)
            .flat_map(|yy| near(x, self.regions.width).filter_map(move |xx| self.regions.at(xx, yy)))
            .max_by_key(|&id| area(id))
    }

    /// The outlines of the `chosen` regions together (regions that touch make one outline),
    /// simplified, largest first; unless `fill_holes`, the holes in them after (running the
    /// other way round).
    pub fn outlines(&self, chosen: &[u32], fill_holes: bool) -> Vec<Outline> {
        let Some(bounds) = chosen
            .iter()
            .filter_map(|&id| self.regions.regions.get(id as usize))
            .map(|r| r.bounds)
            .reduce(|a, b| [a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])])
        else {
            return Vec::new();
        };
        outlines_of(&self.regions, bounds, |l| chosen.contains(&l), !fill_holes)
            .into_iter()
            .map(|corners| outline::sharpen(outline::simplify(&corners, self.detail), self.detail))
            .collect()
    }
}

/// New areas for `outlines` (one map unit a pixel), named in reading order (top to bottom,
/// then left to right) by `names`, each id made unique among `ids`.
pub fn area_nodes(outlines: &[Outline], names: &Sequence, ids: &mut UniqueIds) -> Vec<Node> {
    let top_left = |o: &Outline| o.iter().fold((f64::MAX, f64::MAX), |(y, x), p| (y.min(p.y), x.min(p.x)));
    let mut order: Vec<(f64, f64, &Outline)> = outlines
        .iter()
        .map(|o| {
            let (y, x) = top_left(o);
            (y, x, o)
        })
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    order
        .into_iter()
        .enumerate()
        .map(|(i, (_, _, outline))| {
            let mut node = Node::new(NodeKind::Shape(Geometry::Polygon(outline.clone())));
            node.id = Some(ids.claim(&names.id(i)).into());
            node.style = Style::new_area();
            node
        })
        .collect()
}

/// The outline of region `id`, every corner.
/// The outlines of the pixels of `regions` whose label `wanted` accepts (one region, or a
/// wand's choice), within `bounds`, largest first: ragged edges (a one-pixel comb along a
/// blurred wall) trimmed and notches of a few pixels (where a line met a wall) filled first, so
/// that straight walls come out straight. Each part that touches no other is one outline; with
/// `holes`, each hole in a part (at least [`MIN_HOLE`] pixels) follows it, running the other
/// way round (so the nonzero rule leaves it empty).
fn outlines_of(
    regions: &Regions,
    bounds: [usize; 4],
    wanted: impl Fn(u32) -> bool,
    holes: bool,
) -> Vec<Outline> {
    const MARGIN: usize = 4;
    let x0 = bounds[0].saturating_sub(MARGIN);
    let y0 = bounds[1].saturating_sub(MARGIN);
    let x1 = (bounds[2] + MARGIN).min(regions.width);
    let y1 = (bounds[3] + MARGIN).min(regions.height);
    let (width, height) = (x1.saturating_sub(x0), y1.saturating_sub(y0));
    let bits = (y0..y1)
        .flat_map(|y| (x0..x1).map(move |x| (x, y)))
        .map(|(x, y)| wanted(regions.labels[y * regions.width + x]))
        .collect();
    let clean = mask::Mask { width, height, bits }.opened(1).closed(2);
    let to_map = |corners: Vec<Point>| -> Outline {
        corners.into_iter().map(|p| Point::new(p.x + x0 as f64, p.y + y0 as f64)).collect()
    };
    let mut parts = Vec::new();
    let mut rest = clean.clone();
    while let Some(first) = rest.bits.iter().position(|&b| b) {
        let corners = outline::boundary(width, height, first, |x, y| rest.bits[y * width + x]);
        let pixels = rest.take_part(first);
        parts.push((pixels, vec![to_map(corners)]));
    }
    parts.sort_by_key(|(pixels, _)| std::cmp::Reverse(*pixels));
    let mut outlines: Vec<Outline> = parts.into_iter().flat_map(|(_, outline)| outline).collect();
    if holes {
        // The gaps inside: what is not in the mask and cannot be reached from the edge.
        let mut gaps = mask::Mask { width, height, bits: clean.bits.iter().map(|&b| !b).collect() };
        for i in 0..width * height {
            let (x, y) = (i % width, i / width);
            if gaps.bits[i] && (x == 0 || y == 0 || x + 1 == width || y + 1 == height) {
                gaps.take_part(i);
            }
        }
        while let Some(first) = gaps.bits.iter().position(|&b| b) {
            let mut corners = outline::boundary(width, height, first, |x, y| gaps.bits[y * width + x]);
            if gaps.take_part(first) >= MIN_HOLE {
                corners.reverse();
                outlines.push(to_map(corners));
            }
        }
    }
    outlines
}

/// Holes smaller than this many pixels are filled (specks, not courtyards).
pub const MIN_HOLE: usize = 16;

/// True when `p` is inside the closed outline (even-odd).
fn contains(outline: &[Point], p: Point) -> bool {
    let mut inside = false;
    let n = outline.len();
    for i in 0..n {
        let (a, b) = (outline[i], outline[(i + 1) % n]);
        if (a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x) {
            inside = !inside;
        }
    }
    inside
}

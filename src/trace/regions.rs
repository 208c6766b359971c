//! The regions of a plan's picture: pixels of one colour (within the tolerance) joined, walls
//! (dark lines, thick ones only when the plan draws walls thick) with their gaps closed, and the
//! space between the walls cut into regions.

use super::TraceOptions;
use super::mask::Mask;
use super::pixels::{Pixels, distance};

/// The most pixels of ink in a row a room grows over (a line, even blurred, is thinner).
const MAX_INK_RUN: u8 = 6;

/// How far from the paper's colour ink is dark: half the way to black.
const DARK: u8 = 128;

/// No region: a wall pixel.
pub const WALL: u32 = u32::MAX;

/// One region of the picture.
#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    /// Its pixels.
    pub area: usize,
    /// The index of its first pixel, row by row.
    pub first: usize,
    /// The index of the pixel it grew from.
    pub seed: usize,
    /// Its bounds, `[x0, y0, x1, y1]`, the ends excluded.
    pub bounds: [usize; 4],
    /// True when it reaches the picture's edge (outside the plan).
    pub touches_border: bool,
    /// The colour it grew from.
    pub colour: [u8; 3],
}

/// A picture cut into regions.
#[derive(Clone, Debug)]
pub struct Regions {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// The region of each pixel, or [`WALL`].
    pub labels: Vec<u32>,
    /// The regions, by label.
    pub regions: Vec<Region>,
    /// The colour of the paper (the largest patch reaching the edge), if any.
    pub paper: Option<[u8; 3]>,
}

impl Regions {
    /// The picture's regions with the options' tolerance and gap closing.
    pub fn of(pixels: &Pixels, opts: &TraceOptions) -> Regions {
        let smooth = pixels.smoothed();
        let (width, height) = (pixels.width, pixels.height);
        // Patches of one colour, each grown from a pixel in a flat stretch (whose neighbours
        // are of its colour), not from the soft edge of a line, whose colour is neither side's.
        let flat = |i: usize| {
            let (x, y) = (i % width, i / width);
            let c = smooth.rgb[i];
            let near = |n: usize| distance(smooth.rgb[n], c) <= opts.tolerance / 2;
            (x == 0 || near(i - 1))
                && (x + 1 == width || near(i + 1))
                && (y == 0 || near(i - width))
                && (y + 1 == height || near(i + width))
        };
        let colours = patches(&smooth, opts.tolerance, flat);
        // Ink: what is not part of a large patch of one colour (lines, text, the soft edges
        // between colours). A patch is large when it is at least a quarter of the smallest area
        // and somewhere at least seven pixels across (a line is not, nor a door's swing, even
        // blurred); a dark
        // one must also fill a quarter of its bounds (a network of thick walls does not).
        let paper = colours
            .regions
            .iter()
            .filter(|r| r.touches_border)
            .max_by_key(|r| r.area)
            .map(|r| smooth.rgb[r.seed]);
        let min_patch = (opts.min_area / 4).max(16);
        let depth = colours.depths();
        let patch: Vec<bool> = colours
            .regions
            .iter()
            .zip(&depth)
            .map(|(r, &depth)| {
                let [x0, y0, x1, y1] = r.bounds;
                let dark = paper.is_some_and(|paper| distance(smooth.rgb[r.seed], paper) >= DARK);
                let fills = r.area * 4 >= (x1 - x0) * (y1 - y0);
                r.touches_border || (r.area >= min_patch && depth >= 3 && (fills || !dark))
            })
            .collect();
        let ink = Mask { width, height, bits: colours.labels.iter().map(|&l| !patch[l as usize]).collect() };
        let walls = match paper {
            Some(paper) if !opts.thin_lines_are_walls => thick_walls(pixels, paper, &ink),
            _ => ink.clone(),
        };
        let walls = walls.closed(opts.close_gaps.div_ceil(2));
        // A region grows from a pixel that is not ink over the pixels that are not walls and are
        // in a patch of its colour, or ink within a few pixels of one: across a door's swing or a
        // table's outline to the floor beyond, never along lines or soft edges to other rooms.
        let colour_of: Vec<[u8; 3]> = colours.regions.iter().map(|r| smooth.rgb[r.seed]).collect();
        let patch_colour = |i: usize| colour_of[colours.labels[i] as usize];
        // Regions start in the largest patches first, so that a room takes the small patches
        // its lines close off (the inside of a door's swing, of a table) before they start their own.
        let mut patches: Vec<&Region> =
            colours.regions.iter().zip(&patch).filter_map(|(r, &p)| p.then_some(r)).collect();
        patches.sort_by_key(|r| std::cmp::Reverse(r.area));
        let seeds = patches.iter().map(|r| r.seed).chain(0..width * height).filter(|&i| !ink.bits[i]);
        let mut regions = label(
            width,
            height,
            |seed, b, run| match ink.bits[b] {
                true => (run < MAX_INK_RUN).then_some(run + 1),
                false => (distance(patch_colour(seed), patch_colour(b)) <= opts.tolerance).then_some(0),
            },
            |i| !walls.bits[i],
            seeds,
        );
        for r in &mut regions.regions {
            r.colour = smooth.rgb[r.seed];
        }
        regions.paper = paper;
        regions
    }

    /// How deep inside each region its deepest pixel is: the fewest steps (left, right, up or
    /// down) from it to a pixel of another region.
    fn depths(&self) -> Vec<u16> {
        let (w, h) = (self.width, self.height);
        let labels = &self.labels;
        let mut d = vec![0u16; w * h];
        for y in 0..h {
            for x in 0..w {
                let i = y * w + x;
                let l = labels[i];
                let differs = |j: usize| labels[j] != l;
                let edge = (x > 0 && differs(i - 1))
                    || (x + 1 < w && differs(i + 1))
                    || (y > 0 && differs(i - w))
                    || (y + 1 < h && differs(i + w));
                d[i] = if edge {
                    0
                } else {
                    let left = if x > 0 { d[i - 1] } else { u16::MAX - 1 };
                    let up = if y > 0 { d[i - w] } else { u16::MAX - 1 };
                    left.min(up).saturating_add(1)
                };
            }
        }
        let mut deepest = vec![0u16; self.regions.len()];
        for y in (0..h).rev() {
            for x in (0..w).rev() {
                let i = y * w + x;
                if d[i] > 0 {
                    let right = if x + 1 < w { d[i + 1] } else { u16::MAX - 1 };
                    let down = if y + 1 < h { d[i + w] } else { u16::MAX - 1 };
                    d[i] = d[i].min(right.min(down).saturating_add(1));
                }
                let l = labels[i] as usize;
                deepest[l] = deepest[l].max(d[i]);
            }
        }
        deepest
    }

    /// The region at pixel (`x`, `y`), if it is not a wall.
    pub fn at(&self, x: usize, y: usize) -> Option<u32> {
        let l = *self.labels.get(y * self.width + x)?;
        (l != WALL).then_some(l)
    }
}

/// The ink of walls drawn thick, when the plan draws them so: where most of the ink darker than
/// half the way from the paper to black is at least three pixels across, lines thinner than
/// that (door swings, furniture, text) are not walls. Otherwise all the ink.
fn thick_walls(pixels: &Pixels, paper: [u8; 3], ink: &Mask) -> Mask {
    let dark = Mask {
        width: ink.width,
        height: ink.height,
        bits: pixels.rgb.iter().map(|&c| distance(c, paper) >= DARK).collect(),
    };
    let core = dark.opened(1);
    let cores = core.count();
    if cores == 0 || cores * 2 < dark.count() {
        return ink.clone();
    }
    // A pixel of a wall's soft edge is wall too; the rest of it is ink the rooms take.
    core.dilated(1)
}

impl Region {
    /// A region growing from `seed`.
    fn new(seed: usize, colour: [u8; 3]) -> Region {
        Region {
            area: 0,
            first: seed,
            seed,
            bounds: [usize::MAX, usize::MAX, 0, 0],
            touches_border: false,
            colour,
        }
    }

    /// Counts pixels `x0..x1` of row `y` of a `width`×`height` picture in.
    fn take_run(&mut self, x0: usize, x1: usize, y: usize, (width, height): (usize, usize)) {
        self.area += x1 - x0;
        self.first = self.first.min(y * width + x0);
        let b = &mut self.bounds;
        (b[0], b[1], b[2], b[3]) = (b[0].min(x0), b[1].min(y), b[2].max(x1), b[3].max(y + 1));
        self.touches_border |= x0 == 0 || y == 0 || x1 == width || y + 1 == height;
    }
}

/// Labels `id` the run of row `y` through pixel `x` of the pixels `fits` accepts (asked with
/// the labels so far), and gives its ends, `x1` excluded.
fn fill_run(
    labels: &mut [u32],
    (x, y): (usize, usize),
    width: usize,
    id: u32,
    fits: impl Fn(&[u32], usize) -> bool,
) -> (usize, usize) {
    let row = y * width;
    let mut x0 = x;
    while x0 > 0 && fits(labels, row + x0 - 1) {
        x0 -= 1;
    }
    let mut x1 = x + 1;
    while x1 < width && fits(labels, row + x1) {
        x1 += 1;
    }
    labels[row + x0..row + x1].fill(id);
    (x0, x1)
}

/// Patches of one colour: pixels joined to their 4-connected neighbours within `tolerance` of
/// the colour of the pixel the patch grew from, a run of a row at a time; grown first from the
/// pixels `flat` accepts, row by row, then from any pixel left. (`flat` is asked only of the
/// pixels no patch has taken yet: few, once the large patches have grown.)
fn patches(smooth: &Pixels, tolerance: u8, flat: impl Fn(usize) -> bool) -> Regions {
    let (w, h) = (smooth.width, smooth.height);
    let mut labels = vec![WALL; w * h];
    let mut regions = Vec::new();
    let mut stack: Vec<(u32, u32)> = Vec::new();
    let n = w * h;
    for (seed, first_pass) in (0..n).map(|i| (i, true)).chain((0..n).map(|i| (i, false))) {
        if labels[seed] != WALL || (first_pass && !flat(seed)) {
            continue;
        }
        let id = regions.len() as u32;
        let colour = smooth.rgb[seed];
        let mut region = Region::new(seed, colour);
        stack.push(((seed % w) as u32, (seed / w) as u32));
        while let Some((x, y)) = stack.pop() {
            let (x, y) = (x as usize, y as usize);
            if labels[y * w + x] != WALL {
                continue;
            }
            let fits =
                |labels: &[u32], i: usize| labels[i] == WALL && distance(smooth.rgb[i], colour) <= tolerance;
            let (x0, x1) = fill_run(&mut labels, (x, y), w, id, fits);
            region.take_run(x0, x1, y, (w, h));
            for ny in [y.wrapping_sub(1), y + 1] {
                if ny >= h {
                    continue;
                }
                let mut nx = x0;
                while nx < x1 {
                    if fits(&labels, ny * w + nx) {
                        stack.push((nx as u32, ny as u32));
                        while nx < x1 && fits(&labels, ny * w + nx) {
                            nx += 1;
                        }
                    } else {
                        nx += 1;
                    }
                }
            }
        }
        regions.push(region);
    }
    Regions { width: w, height: h, labels, regions, paper: None }
}

/// Pixels joined into regions of 4-connected neighbours over the pixels `open` accepts, regions
/// started from the `seeds` in turn (those already taken passed over); the others are
/// [`WALL`]. `joins(seed, pixel, run)` says whether a pixel joins the region grown from `seed`
/// when reached through `run` pixels of ink, and how many it is at then: 0 for floor (a pixel
/// that is not ink), more for ink. A region's floor is filled a run of a row at a time; its ink
/// is taken breadth first, once the floor it reaches is filled, so runs stay short.
fn label(
    width: usize,
    height: usize,
    joins: impl Fn(usize, usize, u8) -> Option<u8>,
    open: impl Fn(usize) -> bool,
    seeds: impl IntoIterator<Item = usize>,
) -> Regions {
    let mut labels = vec![WALL; width * height];
    let mut regions = Vec::new();
    // Floor pixels to fill from (not yet taken), and ink taken with its run.
    let mut floor: Vec<usize> = Vec::new();
    let mut ink: std::collections::VecDeque<(usize, u8)> = std::collections::VecDeque::new();
    for seed in seeds {
        if labels[seed] != WALL || !open(seed) {
            continue;
        }
        let id = regions.len() as u32;
        let mut region = Region::new(seed, [0; 3]);
        floor.push(seed);
        loop {
            if let Some(i) = floor.pop() {
                if labels[i] != WALL {
                    continue;
                }
                let (x, y) = (i % width, i / width);
                let row = y * width;
                let is_floor =
                    |labels: &[u32], n: usize| labels[n] == WALL && open(n) && joins(seed, n, 0) == Some(0);
                let (x0, x1) = fill_run(&mut labels, (x, y), width, id, is_floor);
                region.take_run(x0, x1, y, (width, height));
                // What borders the run: floor to fill from, ink to take.
                let mut border = |labels: &mut [u32], n: usize, floor: &mut Vec<usize>| {
                    if labels[n] != WALL || !open(n) {
                        return;
                    }
                    match joins(seed, n, 0) {
                        Some(0) => floor.push(n),
                        Some(run) => {
                            labels[n] = id;
                            ink.push_back((n, run));
                        }
                        None => {}
                    }
                };
                if x0 > 0 {
                    border(&mut labels, row + x0 - 1, &mut floor);
                }
                if x1 < width {
                    border(&mut labels, row + x1, &mut floor);
                }
                for ny in [y.wrapping_sub(1), y + 1] {
                    if ny >= height {
                        continue;
                    }
                    for nx in x0..x1 {
                        border(&mut labels, ny * width + nx, &mut floor);
                    }
                }
            } else if let Some((i, run)) = ink.pop_front() {
                let (x, y) = (i % width, i / width);
                region.take_run(x, x + 1, y, (width, height));
                let neighbours = [
                    (x > 0).then(|| i - 1),
                    (x + 1 < width).then(|| i + 1),
                    (y > 0).then(|| i - width),
                    (y + 1 < height).then(|| i + width),
                ];
                for n in neighbours.into_iter().flatten() {
                    if labels[n] != WALL || !open(n) {
                        continue;
                    }
                    match joins(seed, n, run) {
                        Some(0) => floor.push(n),
                        Some(run) => {
                            labels[n] = id;
                            ink.push_back((n, run));
                        }
                        None => {}
                    }
                }
            } else {
                break;
            }
        }
        regions.push(region);
    }
    Regions { width, height, labels, regions, paper: None }
}

//! Deterministic generator of large, realistic floor plans in the style Adobe Illustrator writes, for benchmarks and tests.
//!
//! A plan is a grid of floors. Each floor is a `<g id="Floor_x20_N">` holding its rooms
//! (cells of a grid, two rows of rooms back to back between corridors), one long walls
//! path without an id, and one text label per room. Rooms are areas: every room has an
//! Illustrator-escaped id (`Room_x20_1-0042`), a `data-name` (`Room 1-0042`) and, for
//! about half of them, a `<title>` child. About 70% are `rect`, 20% L-shaped `path` and
//! 10% chamfered `polygon`. Styling uses CSS classes in a `<style>` block, exactly the
//! habit of Illustrator that makes such maps interesting to import.
//!
//! All coordinates are integer multiples of 1/8 unit, so every number is printed with at
//! most three decimals and the output depends only on the spec (no floating point in
//! the room geometry).

pub mod dxf;
pub mod geojson;
pub mod plan_picture;

use std::fmt::{self, Write as _};

/// Appends formatted text to a `String`; `fmt::Write` for `String` never fails.
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {{
        let _ = $out.write_fmt(format_args!($($arg)*));
    }};
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanSpec {
    /// Number of bindable rooms (areas) in the plan.
    pub areas: usize,
    /// Seed of the pseudo-random generator; the same spec always gives the same bytes.
    pub seed: u64,
}

/// At most this many rooms on one floor; more areas make more floors.
const MAX_ROOMS_PER_FLOOR: usize = 2000;
/// Narrowest cell (units); column widths are `MIN_CELL_W + k * CELL_W_STEP`, k in 0..3.
const MIN_CELL_W: i64 = 44;
/// Step between the possible column widths (units).
const CELL_W_STEP: i64 = 8;
/// Mean column width (units), used to make floors roughly square.
const MEAN_CELL_W: i64 = MIN_CELL_W + CELL_W_STEP;
/// Height of a row of cells (units).
const CELL_H: i64 = 44;
/// Width of a corridor between two rows of rooms (units).
const CORRIDOR: i64 = 14;
/// Space between a floor's outer wall and its first cells (units).
const FLOOR_PAD: i64 = 12;
/// Space between two floors (units).
const FLOOR_GAP: i64 = 60;
/// Space around the floors on the artboard (units).
const MARGIN: i64 = 40;
/// Sub-units per unit: coordinates are stored in eighths.
const E: i64 = 8;
/// Half a unit, in eighths.
const HALF: i64 = E / 2;
/// Number of room fill classes (`st0`..`st4`).
const ROOM_CLASSES: u32 = 5;
/// Class of the walls path.
const WALL_CLASS: &str = "st7";
/// Half the advance of one label character (DejaVu Sans digit at 7px), in eighths.
const LABEL_HALF_ADVANCE: i64 = 18;
/// Offset from the room centre to the label baseline, in eighths.
const LABEL_BASELINE: i64 = 20;
/// Bytes reserved per room (shape, title, label and wall segments).
const BYTES_PER_ROOM: usize = 260;
/// Bytes reserved for the document frame and per-floor overhead.
const FRAME_BYTES: usize = 2048;

/// The style block, as Illustrator writes it with "Style Elements" CSS properties.
const STYLE: &str = "<style type=\"text/css\">
\t.st0{fill:#D6EAF8;stroke:#333333;stroke-width:0.5;stroke-miterlimit:10;}
\t.st1{fill:#D5F5E3;stroke:#333333;stroke-width:0.5;stroke-miterlimit:10;}
\t.st2{fill:#FCF3CF;stroke:#333333;stroke-width:0.5;stroke-miterlimit:10;}
\t.st3{fill:#FADBD8;stroke:#333333;stroke-width:0.5;stroke-miterlimit:10;}
\t.st4{fill:#E8DAEF;stroke:#333333;stroke-width:0.5;stroke-miterlimit:10;}
\t.st5{fill:#1A1A1A;font-family:'DejaVu Sans';}
\t.st6{font-size:7px;}
\t.st7{fill:none;stroke:#4D4D4D;stroke-width:2;stroke-miterlimit:10;}
</style>
";

/// Writes the plan as an SVG document, its floors in a roughly square grid.
///
/// The same spec always gives the same bytes. The document has `spec.areas` rooms,
/// each with a unique id and a `data-name`; a plan with no areas is a valid, empty
/// document. Roughly 220-250 bytes are written per room.
pub fn floor_plan(spec: PlanSpec) -> String {
    floor_plan_in_columns(spec, None)
}

/// [`floor_plan`] with `columns` floors side by side (at least one) instead of a square grid:
/// one column makes a tall plan.
pub fn floor_plan_in_columns(spec: PlanSpec, columns: Option<usize>) -> String {
    let mut rng = SplitMix64(spec.seed);
    let layout = Layout::new(spec.areas, &mut rng, columns);
    let mut out = String::with_capacity(FRAME_BYTES + spec.areas * BYTES_PER_ROOM + layout.floors * 128);
    write_header(&mut out, &layout);
    let mut scratch = Scratch {
        walls: String::with_capacity(layout.largest * 24 + 64),
        labels: String::with_capacity(layout.largest * 96),
    };
    for floor in 0..layout.floors {
        write_floor(&mut out, &mut scratch, &mut rng, &layout, floor);
    }
    out.push_str("</svg>\n");
    out
}

/// SplitMix64: a tiny, fast, well-mixed PRNG; good enough for test data.
struct SplitMix64(u64);

impl SplitMix64 {
    /// Next 64 random bits.
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (multiply-shift, no modulo bias worth caring about).
    fn below(&mut self, bound: u32) -> i64 {
        let high = self.next_u64() >> 32;
        ((high * u64::from(bound)) >> 32) as i64
    }
}

/// A length or coordinate in eighths of a unit, printed with at most three decimals.
#[derive(Clone, Copy)]
struct N(i64);

/// Decimal part of `n / 8` for each remainder.
const FRACTIONS: [&str; 8] = ["", ".125", ".25", ".375", ".5", ".625", ".75", ".875"];

impl fmt::Display for N {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < 0 {
            f.write_str("-")?;
        }
        let magnitude = self.0.unsigned_abs();
        write!(f, "{}{}", magnitude / 8, FRACTIONS[(magnitude % 8) as usize])
    }
}

/// Geometry shared by all floors (they are identical buildings, side by side).
struct Layout {
    /// Number of floors.
    floors: usize,
    /// Rooms on every floor ...
    base: usize,
    /// ... plus one on each of the first `extra` floors.
    extra: usize,
    /// Rooms on the fullest floor.
    largest: usize,
    /// Cells per row.
    cols: usize,
    /// Left edge of each column, from the first cell (units); `cols + 1` entries.
    col_x: Vec<i64>,
    /// Outer width of a floor (units).
    floor_w: i64,
    /// Outer height of a floor (units).
    floor_h: i64,
    /// Floors per row of the floor grid.
    grid_cols: usize,
    /// Artboard width (units).
    width: i64,
    /// Artboard height (units).
    height: i64,
}

impl Layout {
    /// Chooses floors, columns and rows for `areas` rooms, with `columns` floors side by side
    /// (a square grid when `None`); draws the column widths.
    fn new(areas: usize, rng: &mut SplitMix64, columns: Option<usize>) -> Self {
        let floors = areas.div_ceil(MAX_ROOMS_PER_FLOOR);
        let (base, extra) = areas.checked_div(floors).map_or((0, 0), |base| (base, areas % floors));
        let largest = base + usize::from(extra > 0);
        let cols = if largest == 0 {
            0
        } else {
            // Make a floor roughly square: cols * mean width ≈ rows * mean row pitch.
            let pitch = CELL_H as f64 + CORRIDOR as f64 / 2.0;
            let ideal = (largest as f64 * pitch / MEAN_CELL_W as f64).sqrt().ceil() as usize;
            ideal.clamp(1, largest)
        };
        let rows = if cols == 0 { 0 } else { largest.div_ceil(cols) };
        let mut col_x: Vec<i64> = Vec::with_capacity(cols + 1);
        let mut x: i64 = 0;
        col_x.push(x);
        for _ in 0..cols {
            x += MIN_CELL_W + CELL_W_STEP * rng.below(3);
            col_x.push(x);
        }
        let floor_w = x + 2 * FLOOR_PAD;
        let floor_h = rows_height(rows) + 2 * FLOOR_PAD;
        let grid_cols = columns.unwrap_or((floors as f64).sqrt().ceil() as usize).max(1);
        let grid_rows = floors.div_ceil(grid_cols);
        Self {
            floors,
            base,
            extra,
            largest,
            cols,
            col_x,
            floor_w,
            floor_h,
            grid_cols,
            width: 2 * MARGIN + span(grid_cols, floor_w),
            height: 2 * MARGIN + span(grid_rows, floor_h),
        }
    }

    /// Number of rooms on floor `floor` (0-based).
    fn rooms_on(&self, floor: usize) -> usize {
        self.base + usize::from(floor < self.extra)
    }

    /// Top-left corner of floor `floor` (0-based) on the artboard (units).
    fn floor_origin(&self, floor: usize) -> (i64, i64) {
        let (gx, gy) = ((floor % self.grid_cols) as i64, (floor / self.grid_cols) as i64);
        (MARGIN + gx * (self.floor_w + FLOOR_GAP), MARGIN + gy * (self.floor_h + FLOOR_GAP))
    }
}

/// Total length of `count` items of `size` separated by floor gaps (units).
fn span(count: usize, size: i64) -> i64 {
    count as i64 * size + count.saturating_sub(1) as i64 * FLOOR_GAP
}

/// Top of row `row` from the first row (units): rows go in back-to-back pairs with a
/// corridor between row 0 and 1, 2 and 3, and so on.
fn row_top(row: usize) -> i64 {
    row as i64 * CELL_H + ((row as i64 + 1) / 2) * CORRIDOR
}

/// Height of `rows` rows with their corridors (units).
fn rows_height(rows: usize) -> i64 {
    rows as i64 * CELL_H + (rows / 2) as i64 * CORRIDOR
}

/// Number of decimal digits of `n`.
fn digits(mut n: usize) -> i64 {
    let mut count = 1;
    while n >= 10 {
        n /= 10;
        count += 1;
    }
    count
}

/// Rounds an eighths value down to a multiple of half a unit.
fn snap_half(v: i64) -> i64 {
    v - v.rem_euclid(HALF)
}

/// Buffers reused from floor to floor.
struct Scratch {
    /// Path data of the current floor's walls.
    walls: String,
    /// Text labels of the current floor, written after the walls.
    labels: String,
}

/// Writes the XML declaration, the Illustrator comment, the `<svg>` start tag and styles.
fn write_header(out: &mut String, layout: &Layout) {
    let (w, h) = (layout.width, layout.height);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <!-- Generator: Adobe Illustrator 27.0.0, SVG Export Plug-In . SVG Version: 6.00 Build 0)  -->\n",
    );
    put!(
        out,
        "<svg version=\"1.1\" id=\"Layer_1\" xmlns=\"http://www.w3.org/2000/svg\" \
         xmlns:xlink=\"http://www.w3.org/1999/xlink\" x=\"0px\" y=\"0px\" viewBox=\"0 0 {w} {h}\" \
         style=\"enable-background:new 0 0 {w} {h};\" xml:space=\"preserve\">\n"
    );
    out.push_str(STYLE);
}

/// Writes floor `floor` (0-based): its rooms, its walls path and its labels.
fn write_floor(out: &mut String, scratch: &mut Scratch, rng: &mut SplitMix64, layout: &Layout, floor: usize) {
    let number = floor + 1;
    let rooms = layout.rooms_on(floor);
    let (ox, oy) = layout.floor_origin(floor);
    let (right, bottom) = (ox + layout.floor_w, oy + layout.floor_h);
    let walls = &mut scratch.walls;
    let labels = &mut scratch.labels;
    walls.clear();
    labels.clear();
    put!(walls, "M{ox},{oy}H{right}V{bottom}H{ox}Z");
    put!(out, "<g id=\"Floor_x20_{number}\">\n");
    let left = ox + FLOOR_PAD;
    let top = oy + FLOOR_PAD;
    for index in 0..rooms {
        let (row, col) = (index / layout.cols, index % layout.cols);
        let cell = Cell {
            x: left + layout.col_x[col],
            y: top + row_top(row),
            w: layout.col_x[col + 1] - layout.col_x[col],
            corridor_below: row % 2 == 0,
        };
        let cell_y = cell.y;
        if col == 0 {
            // A new row: the corridor wall along it and the wall closing its last cell.
            let cells = (rooms - index).min(layout.cols);
            let row_right = left + layout.col_x[cells];
            let corridor_y = if cell.corridor_below { cell_y + CELL_H } else { cell_y };
            put!(walls, "M{left},{corridor_y}H{row_right}M{row_right},{cell_y}v{CELL_H}");
        }
        let cell_x = cell.x;
        put!(walls, "M{cell_x},{cell_y}v{CELL_H}");
        let room = Room::place(rng, &cell, number, index + 1);
        room.write(out, labels, rng);
    }
    out.push_str("\t<path class=\"");
    out.push_str(WALL_CLASS);
    out.push_str("\" d=\"");
    out.push_str(walls);
    out.push_str("\"/>\n");
    out.push_str(labels);
    out.push_str("</g>\n");
}

/// One cell of a floor's grid (units).
struct Cell {
    /// Left edge.
    x: i64,
    /// Top edge.
    y: i64,
    /// Width (the column's width).
    w: i64,
    /// Whether the corridor runs below this row (else above).
    corridor_below: bool,
}

/// One room: its name parts and its bounding box (eighths).
struct Room {
    /// Floor number (1-based).
    floor: usize,
    /// Room number on the floor (1-based).
    number: usize,
    /// Left edge.
    x: i64,
    /// Top edge.
    y: i64,
    /// Width.
    w: i64,
    /// Height.
    h: i64,
}

impl Room {
    /// Places a room inside `cell`, against the corridor, in half-unit steps.
    fn place(rng: &mut SplitMix64, cell: &Cell, floor: usize, number: usize) -> Self {
        let w = (cell.w - 2) * E - HALF * rng.below(12);
        let h = (CELL_H - 2) * E - HALF * rng.below(12);
        let x = (cell.x + 1) * E + HALF * rng.below(2);
        let y = if cell.corridor_below { (cell.y + CELL_H - 1) * E - h } else { (cell.y + 1) * E };
        Self { floor, number, x, y, w, h }
    }

    /// Writes the room's shape to `out` and its text label to `labels`.
    fn write(&self, out: &mut String, labels: &mut String, rng: &mut SplitMix64) {
        let class = rng.below(ROOM_CLASSES);
        let titled = rng.below(2) == 0;
        let kind = rng.below(10);
        let (floor, number) = (self.floor, self.number);
        let (x, y, w, h) = (self.x, self.y, self.w, self.h);
        let tag = match kind {
            0..=6 => "rect",
            7..=8 => "path",
            _ => "polygon",
        };
        put!(out, "\t<{tag} id=\"Room_x20_{floor}-{number:04}\" data-name=\"Room {floor}-{number:04}\"");
        let centre_y = match kind {
            0..=6 => {
                put!(
                    out,
                    " x=\"{}\" y=\"{}\" class=\"st{class}\" width=\"{}\" height=\"{}\"",
                    N(x),
                    N(y),
                    N(w),
                    N(h)
                );
                y + h / 2
            }
            7..=8 => {
                let (points, centre_y) = self.l_shape(rng);
                put!(out, " class=\"st{class}\" d=\"");
                write_path_data(out, &points);
                out.push('"');
                centre_y
            }
            _ => {
                let points = self.chamfered(rng);
                put!(out, " class=\"st{class}\" points=\"");
                write_points(out, &points);
                out.push('"');
                y + h / 2
            }
        };
        if titled {
            put!(out, "><title>Room {floor}-{number:04}</title></{tag}>\n");
        } else {
            out.push_str("/>\n");
        }
        let chars = digits(floor) + 1 + digits(number).max(4);
        let lx = snap_half(x + w / 2 - chars * LABEL_HALF_ADVANCE);
        let ly = snap_half(centre_y + LABEL_BASELINE);
        put!(
            labels,
            "\t<text transform=\"matrix(1 0 0 1 {} {})\" class=\"st5 st6\">{floor}-{number:04}</text>\n",
            N(lx),
            N(ly)
        );
    }

    /// An L-shaped outline: the bounding box with a notch cut from one corner.
    /// Returns the six corners (clockwise) and the label's centre line, in the
    /// full-width part of the room.
    fn l_shape(&self, rng: &mut SplitMix64) -> ([(i64, i64); 6], i64) {
        let (x, y, w, h) = (self.x, self.y, self.w, self.h);
        let (x1, y1) = (x + w, y + h);
        let nw = w * (30 + rng.below(16)) / 100;
        let nh = h * (30 + rng.below(16)) / 100;
        let below_notch = y + nh + (h - nh) / 2;
        let above_notch = y + (h - nh) / 2;
        match rng.below(4) {
            0 => ([(x, y + nh), (x + nw, y + nh), (x + nw, y), (x1, y), (x1, y1), (x, y1)], below_notch),
            1 => ([(x, y), (x1 - nw, y), (x1 - nw, y + nh), (x1, y + nh), (x1, y1), (x, y1)], below_notch),
            2 => ([(x, y), (x1, y), (x1, y1 - nh), (x1 - nw, y1 - nh), (x1 - nw, y1), (x, y1)], above_notch),
            _ => ([(x, y), (x1, y), (x1, y1), (x + nw, y1), (x + nw, y1 - nh), (x, y1 - nh)], above_notch),
        }
    }

    /// The bounding box with one corner cut at 45 degrees (five corners, clockwise).
    fn chamfered(&self, rng: &mut SplitMix64) -> [(i64, i64); 5] {
        let (x, y, w, h) = (self.x, self.y, self.w, self.h);
        let (x1, y1) = (x + w, y + h);
        let c = w.min(h) * (20 + rng.below(16)) / 100;
        match rng.below(4) {
            0 => [(x + c, y), (x1, y), (x1, y1), (x, y1), (x, y + c)],
            1 => [(x, y), (x1 - c, y), (x1, y + c), (x1, y1), (x, y1)],
            2 => [(x, y), (x1, y), (x1, y1 - c), (x1 - c, y1), (x, y1)],
            _ => [(x, y), (x1, y), (x1, y1), (x + c, y1), (x, y1 - c)],
        }
    }
}

/// Writes a closed polyline as absolute path data: `M x,y L x,y … Z`.
fn write_path_data(out: &mut String, points: &[(i64, i64)]) {
    for (i, &(x, y)) in points.iter().enumerate() {
        let command = if i == 0 { 'M' } else { 'L' };
        put!(out, "{command}{},{}", N(x), N(y));
    }
    out.push('Z');
}

/// Writes a `points` list the way Illustrator does: `x,y x,y … ` (trailing space).
fn write_points(out: &mut String, points: &[(i64, i64)]) {
    for &(x, y) in points {
        put!(out, "{},{} ", N(x), N(y));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn plan(areas: usize, seed: u64) -> String {
        floor_plan(PlanSpec { areas, seed })
    }

    /// Value of attribute `name` in the start tag text `element`.
    fn attr<'a>(element: &'a str, name: &str) -> Option<&'a str> {
        let key = format!(" {name}=\"");
        let start = element.find(key.as_str())? + key.len();
        element[start..].split_once('"').map(|(value, _)| value)
    }

    /// Attribute text of every `<tag …>` start tag.
    fn elements<'a>(svg: &'a str, tag: &str) -> Vec<&'a str> {
        let open = format!("<{tag} ");
        svg.split(open.as_str())
            .skip(1)
            .map(|rest| rest.split_once('>').map_or(rest, |(head, _)| head))
            .collect()
    }

    fn room_ids(svg: &str) -> Vec<&str> {
        svg.split("id=\"")
            .skip(1)
            .filter_map(|rest| rest.split_once('"').map(|(id, _)| id))
            .filter(|id| id.starts_with("Room"))
            .collect()
    }

    fn view_box(svg: &str) -> (f64, f64) {
        let view_box = attr(svg, "viewBox").expect("viewBox");
        let numbers: Vec<f64> = view_box.split(' ').map(|n| n.parse().expect("number")).collect();
        assert_eq!(numbers.len(), 4);
        (numbers[2], numbers[3])
    }

    fn pair(text: &str) -> (f64, f64) {
        let (x, y) = text.split_once(',').expect("x,y");
        (x.trim().parse().expect("x"), y.trim().parse().expect("y"))
    }

    #[test]
    fn same_spec_gives_same_bytes() {
        let spec = PlanSpec { areas: 1500, seed: 7 };
        assert_eq!(floor_plan(spec), floor_plan(spec));
    }

    #[test]
    fn different_seeds_differ() {
        assert_ne!(plan(300, 1), plan(300, 2));
    }

    #[test]
    fn one_data_name_per_area() {
        for areas in [0usize, 1, 2, 7, 999, 2000, 2001, 4321] {
            let svg = plan(areas, 42);
            assert_eq!(svg.matches("data-name=").count(), areas, "areas = {areas}");
            assert_eq!(svg.matches("<text ").count(), areas, "areas = {areas}");
        }
    }

    #[test]
    fn room_ids_are_unique_and_escape_the_names() {
        let svg = plan(4321, 3);
        let ids = room_ids(&svg);
        assert_eq!(ids.len(), 4321);
        let unique: HashSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len());
        for line in svg.lines().filter(|line| line.contains("data-name=")) {
            let id = attr(line, "id").expect("id");
            let name = attr(line, "data-name").expect("data-name");
            assert_eq!(id.replace("_x20_", " "), name);
            assert!(!id.contains(' '));
            if line.contains("<title>") {
                assert!(line.contains(&format!("<title>{name}</title>")), "{line}");
            }
        }
    }

    #[test]
    fn document_frame_is_illustrator_like() {
        for areas in [0usize, 1, 1000] {
            let svg = plan(areas, 9);
            assert!(svg.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"));
            assert!(svg.contains("<!-- Generator: Adobe Illustrator 27.0.0"));
            assert!(svg.contains("<svg version=\"1.1\" id=\"Layer_1\""));
            assert!(svg.contains("<style type=\"text/css\">"));
            assert!(svg.contains(".st7{"));
            assert!(svg.ends_with("</svg>\n"));
            assert_eq!(svg.matches("<g ").count(), svg.matches("</g>").count());
        }
        assert!(!plan(0, 9).contains("<g "));
    }

    #[test]
    fn floors_are_groups_with_one_walls_path() {
        let svg = plan(4321, 5);
        assert_eq!(svg.matches("<g id=\"Floor_x20_").count(), 3);
        assert!(svg.contains("<g id=\"Floor_x20_3\">"));
        assert_eq!(svg.matches("<path class=\"st7\" d=\"").count(), 3);
    }

    #[test]
    fn shapes_titles_and_size_follow_the_mix() {
        let areas = 5000;
        let svg = plan(areas, 17);
        let share = |needle: &str| svg.matches(needle).count() as f64 / areas as f64;
        let rects = share("<rect id=\"Room");
        let paths = share("<path id=\"Room");
        let polygons = share("<polygon id=\"Room");
        let titles = share("<title>");
        assert!((0.6..=0.8).contains(&rects), "rects {rects}");
        assert!((0.12..=0.28).contains(&paths), "paths {paths}");
        assert!((0.05..=0.15).contains(&polygons), "polygons {polygons}");
        assert!((0.4..=0.6).contains(&titles), "titles {titles}");
        let per_room = svg.len() as f64 / areas as f64;
        assert!((150.0..=300.0).contains(&per_room), "{per_room} bytes per room");
    }

    #[test]
    fn large_plan_is_about_ten_megabytes() {
        let svg = plan(50_000, 1);
        assert_eq!(svg.matches("data-name=").count(), 50_000);
        assert!((7_000_000..=16_000_000).contains(&svg.len()), "{}", svg.len());
        let small = plan(1000, 1);
        assert!((120_000..=320_000).contains(&small.len()), "{}", small.len());
    }

    #[test]
    fn rooms_stay_on_the_artboard() {
        let svg = plan(4321, 11);
        let (width, height) = view_box(&svg);
        let inside = |(x, y): (f64, f64)| (0.0..=width).contains(&x) && (0.0..=height).contains(&y);
        for rect in elements(&svg, "rect") {
            let num = |name: &str| -> f64 { attr(rect, name).expect("attribute").parse().expect("number") };
            let (x, y, w, h) = (num("x"), num("y"), num("width"), num("height"));
            assert!((20.0..=60.0).contains(&w), "{rect}");
            assert!((20.0..=60.0).contains(&h), "{rect}");
            assert!(inside((x, y)) && inside((x + w, y + h)), "{rect}");
        }
        let rooms = |tag: &str| {
            elements(&svg, tag)
                .into_iter()
                .filter(|element| attr(element, "id").is_some_and(|id| id.starts_with("Room")))
                .collect::<Vec<_>>()
        };
        for path in rooms("path") {
            let d = attr(path, "d").expect("d");
            assert!(d.starts_with('M') && d.ends_with('Z'), "{path}");
            for point in d.split(['M', 'L', 'Z']).filter(|s| !s.is_empty()) {
                assert!(inside(pair(point)), "{path}");
            }
        }
        for polygon in rooms("polygon") {
            let points = attr(polygon, "points").expect("points");
            assert_eq!(points.split_whitespace().count(), 5);
            for point in points.split_whitespace() {
                assert!(inside(pair(point)), "{polygon}");
            }
        }
    }

    #[test]
    fn one_column_of_floors_is_a_tall_plan_with_the_same_rooms() {
        let spec = PlanSpec { areas: 10_000, seed: 3 };
        let (square, tall) = (floor_plan(spec), floor_plan_in_columns(spec, Some(1)));
        let (w, h) = view_box(&square);
        assert!(h < w, "floors side by side: {w}x{h}");
        let (w, h) = view_box(&tall);
        assert!(h > 4.0 * w, "five floors one above the other: {w}x{h}");
        assert_eq!(room_ids(&square), room_ids(&tall));
        assert_eq!(floor_plan_in_columns(spec, Some(0)), tall, "no columns is one");
    }

    #[test]
    fn numbers_have_at_most_three_decimals() {
        let svg = plan(3000, 5);
        let body = &svg[svg.find("</style>").expect("style block")..];
        let bytes = body.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'.' && i > 0 && bytes[i - 1].is_ascii_digit() {
                let decimals = bytes[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
                assert!((1..=3).contains(&decimals), "at byte {i}");
            }
        }
    }

    #[test]
    fn eighths_print_exactly() {
        assert_eq!(N(0).to_string(), "0");
        assert_eq!(N(8).to_string(), "1");
        assert_eq!(N(13).to_string(), "1.625");
        assert_eq!(N(-3).to_string(), "-0.375");
    }
}

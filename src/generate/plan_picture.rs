//! Architect-style plan pictures whose rooms are known, for measuring tracing: black walls
//! (thick outer walls, thinner partitions), a corridor along each wing, a door from every room
//! to its corridor drawn as a gap with its leaf and swing, a label, a table and a chair in each
//! room and a desk against a wall in some. Also the degradations tracing is measured under: a
//! slight rotation (drawn rotated), blur and JPEG compression.

use std::fmt::Write;

use kurbo::{Affine, Point};

use super::SplitMix64;
use crate::trace::Pixels;

/// What to draw.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PictureSpec {
    /// Wings stacked top to bottom, each a row of rooms, a corridor and a row of rooms.
    pub wings: usize,
    /// Rooms in each row.
    pub rooms_per_row: usize,
    /// The same seed always draws the same plan.
    pub seed: u64,
    /// The whole plan turned by this many degrees about its middle (a scan's slight skew).
    pub rotate_degrees: f64,
}

/// A plan drawn as SVG, its size in pixels and its rooms' true outlines (the floor inside the
/// walls; corridors included) in pixels.
#[derive(Clone, Debug)]
pub struct PlanPicture {
    /// The drawing, one unit a pixel.
    pub svg: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Every room's outline.
    pub rooms: Vec<Vec<Point>>,
}

const MARGIN: f64 = 40.0;
const OUTER_WALL: f64 = 10.0;
const WALL: f64 = 6.0;
const CORRIDOR: f64 = 56.0;
const DOOR: f64 = 26.0;

/// Draws a plan.
pub fn plan_picture(spec: PictureSpec) -> PlanPicture {
    let mut rng = SplitMix64(spec.seed ^ 0x9E1A_2C0F_F1CE);
    let rows = 2 * spec.wings;
    let heights: Vec<f64> = (0..rows).map(|_| 110.0 + 8.0 * rng.below(6) as f64).collect();
    let widths: Vec<Vec<f64>> = (0..rows)
        .map(|_| (0..spec.rooms_per_row).map(|_| 100.0 + 10.0 * rng.below(8) as f64).collect())
        .collect();
    let row_width = |ws: &[f64]| ws.iter().sum::<f64>() + WALL * (ws.len().saturating_sub(1)) as f64;
    let inner_width = widths.iter().map(|w| row_width(w)).fold(0.0, f64::max);
    let wing_height = |w: usize| heights[2 * w] + heights[2 * w + 1] + CORRIDOR + 2.0 * WALL;
    let inner_height =
        (0..spec.wings).map(wing_height).sum::<f64>() + WALL * spec.wings.saturating_sub(1) as f64;
    let (width, height) =
        (inner_width + 2.0 * (MARGIN + OUTER_WALL), inner_height + 2.0 * (MARGIN + OUTER_WALL));
    let (left, top) = (MARGIN + OUTER_WALL, MARGIN + OUTER_WALL);
    let right = left + inner_width;

    let mut walls = String::new();
    let mut thin = String::new();
    let mut labels = String::new();
    let mut rooms = Vec::new();
    // The outer wall: a thick frame.
    let _ = write!(
        walls,
        "M{} {}H{}V{}H{}Z M{left} {top}V{}H{right}V{top}Z ",
        MARGIN,
        MARGIN,
        width - MARGIN,
        height - MARGIN,
        MARGIN,
        height - MARGIN - OUTER_WALL
    );
    let rect = |out: &mut String, x: f64, y: f64, w: f64, h: f64| {
        let _ = write!(out, "M{x} {y}h{w}v{h}h{}Z ", -w);
    };
    let mut y = top;
    let mut number = 1;
    for wing in 0..spec.wings {
        if wing > 0 {
            rect(&mut walls, left, y, inner_width, WALL);
            y += WALL;
        }
        let corridor_top = y + heights[2 * wing] + WALL;
        let corridor_bottom = corridor_top + CORRIDOR;
        for (side, row) in [(0, 2 * wing), (1, 2 * wing + 1)] {
            let (row_top, h) =
                if side == 0 { (y, heights[row]) } else { (corridor_bottom + WALL, heights[row]) };
            // The wall between this row and the corridor.
            let wall_y = if side == 0 { row_top + h } else { corridor_bottom };
            let mut x = left;
            let count = widths[row].len();
            for (i, &w0) in widths[row].iter().enumerate() {
                // The last room takes what is left of the row.
                let w = if i + 1 == count { right - x } else { w0 };
                rooms.push(vec![
                    Point::new(x, row_top),
                    Point::new(x + w, row_top),
                    Point::new(x + w, row_top + h),
                    Point::new(x, row_top + h),
                ]);
                // The corridor wall along the room, with the door's gap.
                let door_x = x + 12.0 + rng.below((w - DOOR - 24.0).max(1.0) as u32) as f64;
                rect(
                    &mut walls,
                    x - if i == 0 { 0.0 } else { WALL },
                    wall_y,
                    door_x - x + if i == 0 { 0.0 } else { WALL },
                    WALL,
                );
                rect(&mut walls, door_x + DOOR, wall_y, x + w - door_x - DOOR, WALL);
                // The door leaf, open into the room from the hinge, and its swing.
                let (face, into) = if side == 0 { (wall_y, -1.0) } else { (wall_y + WALL, 1.0) };
                let tip = face + into * DOOR;
                let _ = write!(thin, "M{door_x} {face}V{tip} ");
                let sweep = u8::from(side == 0);
                let _ = write!(thin, "M{door_x} {tip}A{DOOR} {DOOR} 0 0 {sweep} {} {face} ", door_x + DOOR);
                // The partition to the next room.
                if i + 1 < count {
                    rect(&mut walls, x + w, row_top, WALL, h);
                }
                // A table, a chair and the label in the middle, clear of the door's swing, and
                // in some rooms a desk against the far wall.
                let (cx, cy) = (x + w / 2.0, row_top + h / 2.0);
                let away = if side == 0 { -1.0 } else { 1.0 };
                rect(&mut thin, cx - 20.0, if side == 0 { cy } else { cy - 20.0 }, 40.0, 20.0);
                let _ = write!(thin, "M{} {}a8 8 0 1 0 16 0a8 8 0 1 0-16 0Z ", cx - 32.0, cy + away * 36.0);
                if rng.below(3) == 0 {
                    let desk_y = if side == 0 { row_top } else { row_top + h - 20.0 };
                    rect(&mut thin, x + w - 46.0, desk_y, 40.0, 20.0);
                }
                let baseline = if side == 0 { cy - 6.0 } else { cy + 18.0 };
                let _ = write!(
                    labels,
                    r#"<text x="{cx}" y="{baseline}" text-anchor="middle">Office {number}</text>"#
                );
                number += 1;
                x += w + WALL;
            }
        }
        rooms.push(vec![
            Point::new(left, corridor_top),
            Point::new(right, corridor_top),
            Point::new(right, corridor_bottom),
            Point::new(left, corridor_bottom),
        ]);
        y = corridor_bottom + WALL + heights[2 * wing + 1];
    }
    let turn = Affine::rotate_about(spec.rotate_degrees.to_radians(), Point::new(width / 2.0, height / 2.0));
    for room in &mut rooms {
        for p in room.iter_mut() {
            *p = turn * *p;
        }
    }
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"><rect width="{width}" height="{height}" fill="#fff"/><g transform="rotate({} {} {})"><path d="{walls}" fill="#000" fill-rule="evenodd"/><path d="{thin}" fill="none" stroke="#000" stroke-width="1.25"/><g font-family="DejaVu Sans" font-size="13" fill="#000">{labels}</g></g></svg>"##,
        spec.rotate_degrees,
        width / 2.0,
        height / 2.0
    );
    PlanPicture { svg, width: width.ceil() as u32, height: height.ceil() as u32, rooms }
}

/// An SVG drawn at `width` pixels, as pixels (text in the fonts synmap embeds).
pub fn draw(svg: &str, width: u32) -> Pixels {
    let map = crate::svg::import_bytes(svg.as_bytes()).expect("a generated plan imports").map;
    let opts = crate::render::RenderOptions {
        width,
        labels: false,
        legend: false,
        status_colours: false,
        ..crate::render::RenderOptions::default()
    };
    let pixmap = crate::render::render(&map, None, &opts).expect("a generated plan renders").pixmap;
    let rgb = pixmap.pixels().iter().map(|p| {
        let c = p.demultiply();
        let over_white =
            |v: u8| ((u32::from(v) * u32::from(c.alpha()) + 255 * (255 - u32::from(c.alpha()))) / 255) as u8;
        [over_white(c.red()), over_white(c.green()), over_white(c.blue())]
    });
    Pixels { width: pixmap.width() as usize, height: pixmap.height() as usize, rgb: rgb.collect() }
}

/// The picture blurred (Gaussian, `sigma` pixels), as a soft scan is.
pub fn blurred(pixels: &Pixels, sigma: f32) -> Pixels {
    let image = to_image(pixels);
    from_image(&image::imageops::blur(&image, sigma))
}

/// The picture saved as JPEG at `quality` (1–100) and read back.
pub fn jpeg(pixels: &Pixels, quality: u8) -> Pixels {
    let mut bytes = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality);
    to_image(pixels).write_with_encoder(encoder).expect("JPEG encoding into memory");
    Pixels::decode(&bytes).expect("its own JPEG decodes")
}

/// The picture as PNG.
pub fn png(pixels: &Pixels) -> Vec<u8> {
    let mut bytes = Vec::new();
    to_image(pixels)
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
        .expect("PNG encoding into memory");
    bytes
}

fn to_image(pixels: &Pixels) -> image::RgbImage {
    let raw = pixels.rgb.iter().flatten().copied().collect();
    image::RgbImage::from_raw(pixels.width as u32, pixels.height as u32, raw)
        .expect("the pixels fill the picture")
}

fn from_image(image: &image::RgbImage) -> Pixels {
    Pixels {
        width: image.width() as usize,
        height: image.height() as usize,
        rgb: image.pixels().map(|p| p.0).collect(),
    }
}

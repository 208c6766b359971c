//! Glyphs drawn from cached coverage masks: a glyph's outline is rasterised once per size and
//! sixteenth-of-a-pixel position and then blended wherever it occurs (most of a labelled plan's
//! drawing time went to filling the same few outlines as paths).

use std::cell::RefCell;

use foldhash::HashMap;

use tiny_skia::{Color, FillRule, Mask, Path, PixmapMut, Transform};

/// Positions per pixel a mask is made for, each way: a glyph lands within a thirty-second of a
/// pixel of where it belongs. Quarter pixels (4) draw a labelled plan a tenth faster but move
/// thin stems' anti-aliased edges visibly against resvg; 16 keeps a plan's distinct masks in
/// the thousands.
const PHASES: f32 = 16.0;
/// Glyphs larger than this many pixels either way are filled as paths (a zoomed-in canvas
/// would fill the cache with a few large masks).
const LARGEST: f32 = 64.0;
/// Bytes of masks a thread keeps; past it the cache starts again.
const CACHE_BYTES: usize = 4 << 20;

/// Which mask: the glyph, the exact scale and the sixteenth-pixel phase.
#[derive(PartialEq, Eq, Hash)]
struct Key {
    glyph: u32,
    scale: (u32, u32),
    phase: (u8, u8),
}

/// A glyph's coverage and where its top-left pixel is from the pixel it is placed at.
struct GlyphMask {
    left: i32,
    top: i32,
    mask: Mask,
}

#[derive(Default)]
struct Cache {
    masks: HashMap<Key, Option<GlyphMask>>,
    bytes: usize,
}

thread_local! {
    /// Masks are made and kept per drawing thread: no locking, and a thread draws the
    /// same labels' glyphs across its bands and tiles.
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

/// Blends glyph `glyph` (the compiled-in font's glyph id, `outline` its path) filled with
/// `color` onto `target` at `t`. False when it cannot (a rotated or skewed glyph, a large one):
/// the caller fills the path instead.
pub fn draw(target: &mut PixmapMut<'_>, glyph: u32, outline: &Path, t: Transform, color: Color) -> bool {
    if t.kx != 0.0 || t.ky != 0.0 || !t.tx.is_finite() || !t.ty.is_finite() {
        return false;
    }
    let Some(b) = outline.bounds().transform(Transform::from_scale(t.sx, t.sy)) else { return false };
    if b.width() > LARGEST || b.height() > LARGEST {
        return false;
    }
    // The nearest phase: a position in the last part of a pixel goes to the next pixel's first.
    let split = |v: f32| {
        let steps = (v * PHASES).round();
        let pixel = (steps / PHASES).floor();
        (pixel as i32, (steps - pixel * PHASES) as u8)
    };
    let ((x, phase_x), (y, phase_y)) = (split(t.tx), split(t.ty));
    let key = Key { glyph, scale: (t.sx.to_bits(), t.sy.to_bits()), phase: (phase_x, phase_y) };
    CACHE.with_borrow_mut(|cache| {
        if cache.bytes > CACHE_BYTES {
            *cache = Cache::default();
        }
        let Cache { masks, bytes } = cache;
        let mask = masks.entry(key).or_insert_with_key(|k| {
            let m = make(outline, k);
            *bytes += m.as_ref().map_or(0, |m| m.mask.data().len()) + std::mem::size_of::<(Key, GlyphMask)>();
            m
        });
        if let Some(m) = mask {
            blend(target, m, (x + m.left, y + m.top), color);
        }
    });
    true
}

/// Rasterises the outline at the key's scale and phase.
fn make(outline: &Path, key: &Key) -> Option<GlyphMask> {
    let (sx, sy) = (f32::from_bits(key.scale.0), f32::from_bits(key.scale.1));
    let at = Transform::from_row(
        sx,
        0.0,
        0.0,
        sy,
        f32::from(key.phase.0) / PHASES,
        f32::from(key.phase.1) / PHASES,
    );
    let b = outline.bounds().transform(at)?;
    let (left, top) = (b.left().floor() as i32 - 1, b.top().floor() as i32 - 1);
    let (width, height) = (b.right().ceil() as i32 + 1 - left, b.bottom().ceil() as i32 + 1 - top);
    let mut mask = Mask::new(width as u32, height as u32)?;
    mask.fill_path(outline, FillRule::Winding, true, at.post_translate(-left as f32, -top as f32));
    Some(GlyphMask { left, top, mask })
}

/// Source-over blends `color` through the mask's coverage with its top-left pixel at `at`,
/// clipped to the target.
fn blend(target: &mut PixmapMut<'_>, m: &GlyphMask, at: (i32, i32), color: Color) {
    let (tw, th) = (target.width() as i32, target.height() as i32);
    let (mw, mh) = (m.mask.width() as i32, m.mask.height() as i32);
    let src = color.premultiply().to_color_u8();
    let src = [src.red(), src.green(), src.blue(), src.alpha()].map(u32::from);
    let data = m.mask.data();
    let pixels = target.data_mut();
    for row in at.1.max(0)..(at.1 + mh).min(th) {
        let mask_row = &data[((row - at.1) * mw) as usize..][..mw as usize];
        for col in at.0.max(0)..(at.0 + mw).min(tw) {
            let coverage = u32::from(mask_row[(col - at.0) as usize]);
            if coverage == 0 {
                continue;
            }
            let px = &mut pixels[((row * tw + col) * 4) as usize..][..4];
            let s = src.map(|c| div255(c * coverage));
            let keep = 255 - s[3];
            for (d, s) in px.iter_mut().zip(s) {
                *d = (s + div255(u32::from(*d) * keep)) as u8;
            }
        }
    }
}

/// `v / 255` rounded, for `v` up to 255².
fn div255(v: u32) -> u32 {
    (v + 128 + ((v + 128) >> 8)) >> 8
}

#[cfg(test)]
mod tests {
    use super::*;
    use tiny_skia::{Paint, PathBuilder, Pixmap};

    fn square() -> Path {
        PathBuilder::from_rect(tiny_skia::Rect::from_ltrb(0.0, 0.0, 10.0, 10.0).unwrap())
    }

    /// The mask drawing matches filling the path to within rounding and the sixteenth of a pixel.
    #[test]
    fn a_masked_glyph_matches_the_filled_path() {
        let path = square();
        let t = Transform::from_row(0.73, 0.0, 0.0, -0.73, 3.5, 12.25);
        let color = Color::from_rgba8(31, 31, 31, 255);
        let mut masked = Pixmap::new(20, 20).unwrap();
        masked.fill(Color::WHITE);
        assert!(draw(&mut masked.as_mut(), 7, &path, t, color));
        let mut filled = Pixmap::new(20, 20).unwrap();
        filled.fill(Color::WHITE);
        let mut paint = Paint::default();
        paint.set_color(color);
        filled.fill_path(&path, &paint, FillRule::Winding, t, None);
        let diff = masked.data().iter().zip(filled.data()).map(|(a, b)| a.abs_diff(*b)).max();
        assert!(diff.unwrap() <= 2, "largest difference {diff:?}");
        assert_eq!(masked.pixel(6, 8).unwrap().red(), 31, "the glyph is drawn");
    }

    #[test]
    fn rotated_and_large_glyphs_are_left_to_the_path_filler() {
        let mut p = Pixmap::new(8, 8).unwrap();
        assert!(!draw(&mut p.as_mut(), 1, &square(), Transform::from_rotate(30.0), Color::BLACK));
        assert!(!draw(&mut p.as_mut(), 1, &square(), Transform::from_scale(20.0, 20.0), Color::BLACK));
        assert!(p.data().iter().all(|&b| b == 0));
    }

    #[test]
    fn a_glyph_across_the_edge_is_clipped() {
        let mut p = Pixmap::new(8, 8).unwrap();
        let t = Transform::from_translate(-5.0, 3.0);
        assert!(draw(&mut p.as_mut(), 2, &square(), t, Color::BLACK));
        assert_eq!(p.pixel(0, 4).unwrap().alpha(), 255);
        assert_eq!(p.pixel(5, 4).unwrap().alpha(), 0);
        assert_eq!(p.pixel(0, 2).unwrap().alpha(), 0);
    }
}

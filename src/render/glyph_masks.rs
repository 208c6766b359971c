//! Glyphs drawn through coverage masks: each glyph's outline is rasterised at its exact
//! position (as resvg fills a label, so the two agree pixel for pixel) into a mask kept by the
//! drawing thread, then blended. Filling glyphs as paths spent most of a labelled plan's
//! drawing time setting up each fill; masks cached per sixteenth of a pixel moved their edges
//! against resvg.

use std::cell::RefCell;

use tiny_skia::{Color, FillRule, Mask, Path, PixmapMut, Transform};

use super::supersample::{self, Scratch};

/// Glyphs larger than this many pixels either way are filled as paths: the mask would be
/// large and mostly empty.
const LARGEST: f32 = 64.0;

/// A drawing thread's mask and rasteriser buffers.
#[derive(Default)]
struct Buffers {
    mask: Vec<u8>,
    scratch: Scratch,
}

thread_local! {
    /// Kept per drawing thread: no locking, no allocation per glyph.
    static BUFFERS: RefCell<Buffers> = RefCell::new(Buffers::default());
}

/// Blends glyph `outline` filled with `color` onto `target` at `t`. False when it cannot (a
/// rotated or skewed glyph, a large one): the caller fills the path instead.
pub fn draw(target: &mut PixmapMut<'_>, outline: &Path, t: Transform, color: Color) -> bool {
    if t.kx != 0.0 || t.ky != 0.0 || !t.tx.is_finite() || !t.ty.is_finite() {
        return false;
    }
    // The whole pixel the glyph's origin is in, and where in it the origin is.
    let (x, y) = (t.tx.floor(), t.ty.floor());
    let at = Transform::from_row(t.sx, 0.0, 0.0, t.sy, t.tx - x, t.ty - y);
    let Some(b) = outline.bounds().transform(at) else { return false };
    if b.width() > LARGEST || b.height() > LARGEST {
        return false;
    }
    let (left, top) = (b.left().floor() as i32 - 1, b.top().floor() as i32 - 1);
    let (width, height) = (b.right().ceil() as i32 + 1 - left, b.bottom().ceil() as i32 + 1 - top);
    let at = at.post_translate(-left as f32, -top as f32);
    let origin = (x as i32 + left, y as i32 + top);
    BUFFERS.with_borrow_mut(|Buffers { mask, scratch }| {
        mask.clear();
        mask.resize((width * height) as usize, 0);
        if supersample::fill(outline, at, mask, width as u32, scratch).is_ok() {
            blend(target, mask, width, origin, color);
        } else if let Some(mut m) = Mask::new(width as u32, height as u32) {
            m.fill_path(outline, FillRule::Winding, true, at);
            blend(target, m.data(), width, origin, color);
        }
    });
    true
}

/// Source-over blends `color` through the coverage `data` (`mw` bytes a row) with its top-left pixel at `at`,
/// clipped to the target.
fn blend(target: &mut PixmapMut<'_>, data: &[u8], mw: i32, at: (i32, i32), color: Color) {
    let (tw, th) = (target.width() as i32, target.height() as i32);
    let mh = data.len() as i32 / mw.max(1);
    let src = color.premultiply().to_color_u8();
    let src = [src.red(), src.green(), src.blue(), src.alpha()].map(u32::from);
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

    /// The mask drawing matches filling the path to within the blend's rounding.
    #[test]
    fn a_masked_glyph_matches_the_filled_path() {
        let path = square();
        let t = Transform::from_row(0.73, 0.0, 0.0, -0.73, 3.5, 12.25);
        let color = Color::from_rgba8(31, 31, 31, 255);
        let mut masked = Pixmap::new(20, 20).unwrap();
        masked.fill(Color::WHITE);
        assert!(draw(&mut masked.as_mut(), &path, t, color));
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
        assert!(!draw(&mut p.as_mut(), &square(), Transform::from_rotate(30.0), Color::BLACK));
        assert!(!draw(&mut p.as_mut(), &square(), Transform::from_scale(20.0, 20.0), Color::BLACK));
        assert!(p.data().iter().all(|&b| b == 0));
    }

    #[test]
    fn a_glyph_across_the_edge_is_clipped() {
        let mut p = Pixmap::new(8, 8).unwrap();
        let t = Transform::from_translate(-5.0, 3.0);
        assert!(draw(&mut p.as_mut(), &square(), t, Color::BLACK));
        assert_eq!(p.pixel(0, 4).unwrap().alpha(), 255);
        assert_eq!(p.pixel(5, 4).unwrap().alpha(), 0);
        assert_eq!(p.pixel(0, 2).unwrap().alpha(), 0);
    }
}

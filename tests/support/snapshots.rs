//! Rendering the editor's frames to images for snapshots and pixel checks (kittest's wgpu
//! renderer, on the CPU through Mesa's llvmpipe).

use egui_kittest::SnapshotOptions;
use image::RgbaImage;

/// The part of a rendered frame inside `rect` (logical points; the harness draws at one pixel
/// per point).
pub fn crop(frame: &RgbaImage, rect: egui::Rect) -> RgbaImage {
    let x = rect.min.x.round().max(0.0) as u32;
    let y = rect.min.y.round().max(0.0) as u32;
    let w = (rect.width().round() as u32).min(frame.width() - x);
    let h = (rect.height().round() as u32).min(frame.height() - y);
    image::imageops::crop_imm(frame, x, y, w, h).to_image()
}

/// Renders the current frame, failing with the set-up step when no adapter is available.
pub fn frame(h: &mut egui_kittest::Harness<'_, synmap::app::EditorApp>) -> RgbaImage {
    h.render().unwrap_or_else(|e| {
        panic!(
            "kittest could not render a frame ({e}). The snapshots render on the CPU with Mesa: \
             run 'apt-get install libgl1-mesa-dri libegl1 libegl-mesa0' (scripts/test does)"
        )
    })
}

/// Snapshot comparison tolerant of the last bit of anti-aliasing a different CPU's llvmpipe
/// may produce, but not of anything a person would see.
pub fn options() -> SnapshotOptions {
    SnapshotOptions::new().threshold(1.0).max_failed_pixels(200)
}

/// Fails unless the image has real content: more than a handful of distinct colours.
pub fn assert_drawn(image: &RgbaImage, what: &str) {
    let mut colours: Vec<[u8; 4]> = image.pixels().map(|p| p.0).collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(colours.len() > 16, "{what} shows {} colours: it is blank", colours.len());
}

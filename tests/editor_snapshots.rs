//! Image snapshots of the editor's canvas and preview pane, rendered by kittest's wgpu renderer
//! on the CPU (Mesa's llvmpipe): the sample map as opened, then with an area selected and the
//! binding-status overlay on, and the preview of what would be exported beside the canvas.
//!
//! The reference images are in `tests/snapshots`; after an intended change to how the editor
//! draws, run `UPDATE_SNAPSHOTS=1 cargo test --test editor_snapshots` and review the new PNGs.

mod support;

use egui_kittest::kittest::Queryable;
use egui_kittest::{SnapshotOptions, image_snapshot_options};
use image::RgbaImage;
use support::editor::{Scripted, rendering_editor, screen_point, select_at, wait_idle, wait_loaded};

const SAMPLE_VIEW_BOX: [f64; 4] = [0.0, 0.0, 1200.0, 800.0];

/// The part of a rendered frame inside `rect` (logical points; the harness draws at one pixel
/// per point).
fn crop(frame: &RgbaImage, rect: egui::Rect) -> RgbaImage {
    let x = rect.min.x.round().max(0.0) as u32;
    let y = rect.min.y.round().max(0.0) as u32;
    let w = (rect.width().round() as u32).min(frame.width() - x);
    let h = (rect.height().round() as u32).min(frame.height() - y);
    image::imageops::crop_imm(frame, x, y, w, h).to_image()
}

/// Renders the current frame, failing with the set-up step when no adapter is available.
fn frame(h: &mut egui_kittest::Harness<'_, synmap::app::EditorApp>) -> RgbaImage {
    h.render().unwrap_or_else(|e| {
        panic!(
            "kittest could not render a frame ({e}). The snapshots render on the CPU with Mesa: \
             run 'apt-get install libgl1-mesa-dri libegl1 libegl-mesa0' (scripts/test does)"
        )
    })
}

/// Snapshot comparison tolerant of the last bit of anti-aliasing a different CPU's llvmpipe
/// may produce, but not of anything a person would see.
fn options() -> SnapshotOptions {
    SnapshotOptions::new().threshold(1.0).max_failed_pixels(200)
}

/// Fails unless the image has real content: more than a handful of distinct colours.
fn assert_drawn(image: &RgbaImage, what: &str) {
    let mut colours: Vec<[u8; 4]> = image.pixels().map(|p| p.0).collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(colours.len() > 16, "{what} shows {} colours: it is blank", colours.len());
}

#[test]
fn canvas_and_preview_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("floor.svg");
    std::fs::copy(support::sample(), &file).unwrap();
    let mut h = rendering_editor(Some(file), dir.path(), Scripted::default());
    wait_loaded(&mut h);
    wait_idle(&mut h);

    let canvas_rect = h.get_by_label("Map canvas").rect();
    let canvas = crop(&frame(&mut h), canvas_rect);
    assert_drawn(&canvas, "the canvas");
    image_snapshot_options(&canvas, "canvas_sample", &options());

    // Office 101 (x 40..130, y 60..240) selected, areas coloured by binding status.
    let office = screen_point(&h, SAMPLE_VIEW_BOX, (85.0, 150.0));
    select_at(&mut h, office);
    assert_eq!(h.get_by_label("Name").value().as_deref(), Some("Office 101"));
    h.get_by_label("Binding overlay").click();
    h.run_steps(2);
    wait_idle(&mut h);
    let selected = crop(&frame(&mut h), h.get_by_label("Map canvas").rect());
    assert_ne!(selected, canvas, "selection and overlay change the canvas");
    image_snapshot_options(&selected, "canvas_selected_status", &options());

    h.get_by_label("Preview").click();
    h.run_steps(2);
    wait_idle(&mut h);
    let preview_rect = h.get_by_label("Preview of the exported map").rect();
    let canvas_rect = h.get_by_label("Map canvas").rect();
    let with_preview = frame(&mut h);
    let preview = crop(&with_preview, preview_rect);
    assert_drawn(&preview, "the preview");
    image_snapshot_options(&preview, "preview_sample", &options());
    // The narrower canvas keeps the map's centre where it was.
    image_snapshot_options(&crop(&with_preview, canvas_rect), "canvas_beside_preview", &options());
}

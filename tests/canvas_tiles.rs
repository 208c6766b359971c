//! The tiled canvas in the real app, rendered by kittest on the CPU: one room of the 50k plan at
//! 800 % is sharp, an area crossing a tile boundary shows no seam, and after an edit at a high
//! zoom no tile is stale (the canvas is what a fresh app shows of the saved map).
//!
//! The reference images are in `tests/snapshots`; `UPDATE_SNAPSHOTS=1` rewrites them.

mod support;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::image_snapshot_options;
use egui_kittest::kittest::Queryable;
use image::RgbaImage;
use support::editor::{
    Scripted, rendering_editor, screen_point, select_at, wait_idle, wait_loaded, wait_until,
};
use support::snapshots::{assert_drawn, crop, frame, options};
use synmap::app::EditorApp;
use synmap::generate::{PlanSpec, floor_plan};

const SAMPLE_VIEW_BOX: [f64; 4] = [0.0, 0.0, 1200.0, 800.0];

/// Zooms to 800 % around the centre of the canvas, and returns the document point there.
fn zoom_800(h: &mut Harness<'_, EditorApp>, view_box: [f64; 4]) -> kurbo::Point {
    let canvas = h.get_by_label("Map canvas").rect();
    // The fitted view: document point → screen, to find the point at the canvas's centre.
    let (o, one) = (screen_point(h, view_box, (0.0, 0.0)), screen_point(h, view_box, (1.0, 1.0)));
    let centre = canvas.center();
    let at = kurbo::Point::new(
        f64::from((centre.x - o.x) / (one.x - o.x)),
        f64::from((centre.y - o.y) / (one.y - o.y)),
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    h.run_steps(2);
    h.hover_at(centre);
    h.event(egui::Event::Zoom(8.0));
    h.run_steps(2);
    // The pointer leaves the canvas, so no area is outlined as hovered.
    h.hover_at(egui::pos2(2.0, 2.0));
    wait_idle(h);
    at
}

/// The canvas as rendered now.
fn canvas(h: &mut Harness<'_, EditorApp>) -> RgbaImage {
    let rect = h.get_by_label("Map canvas").rect();
    crop(&frame(h), rect)
}

#[test]
fn one_room_of_the_50k_plan_at_800_percent_is_sharp() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan-50k.svg");
    let plan = floor_plan(PlanSpec { areas: 50_000, seed: 1 });
    let map = synmap::svg::import_bytes(plan.as_bytes()).unwrap().map;
    let vb = map.view_box;
    std::fs::write(&file, plan).unwrap();
    let mut h = rendering_editor(Some(file), dir.path(), Scripted::default());
    wait_loaded(&mut h);
    wait_idle(&mut h);
    zoom_800(&mut h, [vb.x, vb.y, vb.width, vb.height]);
    let image = canvas(&mut h);
    assert_drawn(&image, "the room at 800 %");
    // Sharp: walls and letters have hard edges. A blurred texture (the map at one texture's
    // resolution, magnified 100 times) has none: every step between neighbours is small.
    let hard = image
        .enumerate_pixels()
        .filter(|(x, y, p)| {
            *x + 1 < image.width() && *y > 16 && {
                let q = image.get_pixel(x + 1, *y);
                (0..3).map(|c| i32::from(p.0[c]).abs_diff(i32::from(q.0[c]))).max().unwrap_or(0) > 120
            }
        })
        .count();
    assert!(hard > 500, "only {hard} hard edges: the canvas is blurred");
    image_snapshot_options(&image, "canvas_tiles_50k_room_800", &options());
}

#[test]
fn an_area_across_a_tile_boundary_shows_no_seam() {
    let dir = tempfile::tempdir().unwrap();
    let file = support::editor::sample_copy(dir.path());
    let mut h = rendering_editor(Some(file), dir.path(), Scripted::default());
    wait_loaded(&mut h);
    wait_idle(&mut h);
    let at = zoom_800(&mut h, SAMPLE_VIEW_BOX);
    let image = canvas(&mut h);
    let rect = h.get_by_label("Map canvas").rect();
    // At 800 % a tile (256 pixels) is 32 map units: the boundaries nearest the centre.
    let centre = rect.center() - rect.min;
    let boundary = |k: f64, at: f64, centre: f32| {
        (f64::from(centre) + ((at / 32.0).floor() + k) * 256.0 - at * 8.0) as u32
    };
    let same = |a: &image::Rgba<u8>, b: &image::Rgba<u8>| (0..3).all(|c| a.0[c].abs_diff(b.0[c]) <= 2);
    // Four pixels across a boundary: where the map is flat across it, the two at it are flat too.
    let mut runs: Vec<[image::Rgba<u8>; 4]> = Vec::new();
    for k in [0.0, 1.0] {
        let x = boundary(k, at.x, centre.x);
        runs.extend((20..image.height() - 2).map(|y| [0, 1, 2, 3].map(|i| *image.get_pixel(x - 2 + i, y))));
        let y = boundary(k, at.y, centre.y);
        runs.extend((34..image.width() - 2).map(|x| [0, 1, 2, 3].map(|i| *image.get_pixel(x, y - 2 + i))));
    }
    let flat: Vec<_> = runs.iter().filter(|r| same(&r[0], &r[3])).collect();
    let checked = flat.len();
    let seams = flat.iter().filter(|r| !(same(&r[1], &r[0]) && same(&r[2], &r[0]))).count();
    assert!(checked > 1000, "only {checked} flat places across the boundaries were found");
    assert!(seams * 200 < checked, "{seams} of {checked} places across tile boundaries show a seam");
    image_snapshot_options(&image, "canvas_tiles_boundary", &options());
}

#[test]
fn after_an_edit_at_a_high_zoom_no_tile_is_stale() {
    let dir = tempfile::tempdir().unwrap();
    let file = support::editor::sample_copy(dir.path());
    let mut h = rendering_editor(Some(file.clone()), dir.path(), Scripted::default());
    wait_loaded(&mut h);
    wait_idle(&mut h);
    // Office 101 (x 40..130, y 60..240), framed, then moved 20 units right and 10 down.
    let office = screen_point(&h, SAMPLE_VIEW_BOX, (85.0, 150.0));
    select_at(&mut h, office);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    h.run_steps(2);
    wait_idle(&mut h);
    for _ in 0..2 {
        h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
        h.run_steps(1);
    }
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowDown);
    h.run_steps(1);
    // Framed where it is now, then left without a selection.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    h.run_steps(2);
    h.key_press(Key::Escape);
    h.hover_at(egui::pos2(2.0, 2.0));
    h.run_steps(2);
    wait_idle(&mut h);
    assert_eq!(h.state().selection_len(), 0);
    let edited = canvas(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    // Saving runs in the background: the watchdog fails the test if it never finishes.
    wait_until(&mut h, "the map saved", |h| !h.state().is_dirty());

    let mut fresh = rendering_editor(Some(file), dir.path(), Scripted::default());
    wait_loaded(&mut fresh);
    wait_idle(&mut fresh);
    let moved = screen_point(&fresh, SAMPLE_VIEW_BOX, (105.0, 160.0));
    select_at(&mut fresh, moved);
    assert_eq!(fresh.get_by_label("Name").value().as_deref(), Some("Office 101"));
    fresh.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    fresh.run_steps(2);
    fresh.key_press(Key::Escape);
    fresh.hover_at(egui::pos2(2.0, 2.0));
    fresh.run_steps(2);
    wait_idle(&mut fresh);
    let reopened = canvas(&mut fresh);
    let differing = edited
        .pixels()
        .zip(reopened.pixels())
        .filter(|(a, b)| (0..3).any(|c| a.0[c].abs_diff(b.0[c]) > 8))
        .count();
    assert!(
        differing * 1000 < (edited.width() * edited.height()) as usize,
        "{differing} pixels differ from a fresh app's view of the saved map: a tile is stale"
    );
    image_snapshot_options(&edited, "canvas_tiles_after_edit", &options());
}

#[test]
fn a_map_shows_on_the_frame_that_takes_it_in() {
    // Its first scene and overview are made as it is read: the frame that takes the document in
    // draws the map without waiting for the drawing threads.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.svg");
    std::fs::write(&file, floor_plan(PlanSpec { areas: 2000, seed: 4 })).unwrap();
    let mut h = rendering_editor(Some(file), dir.path(), Scripted::default());
    wait_until(&mut h, "the map is read", |h| h.state().area_count().is_some());
    assert!(h.state().shows_map(), "the overview is on the first frame of the map");
    let shown = canvas(&mut h);
    let coloured = shown.pixels().filter(|p| p[0] != p[1] || p[1] != p[2]).count();
    assert!(coloured > shown.pixels().len() / 10, "the rooms' colours are on screen: {coloured} pixels");
}

#[test]
fn a_map_of_many_small_rooms_shows_its_floor_first_and_its_rooms_with_the_tiles() {
    // 4,000 rooms of 4 by 4 units on a floor of 4,000: specks at the overview's scale, left out
    // of the first overview so that it is made at once.
    let rooms: String = (0..4000)
        .map(|i| {
            format!(
                r##"<rect id="R{i}" x="{}" y="{}" width="4" height="4" fill="#f00"/>"##,
                20 + (i % 64) * 60,
                20 + (i / 64) * 60
            )
        })
        .collect();
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4000 4000"><rect id="Floor" width="4000" height="4000" fill="#888"/>{rooms}</svg>"##
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("specks.svg");
    std::fs::write(&file, svg).unwrap();
    let mut h = rendering_editor(Some(file), dir.path(), Scripted::default());
    wait_until(&mut h, "the map is read", |h| h.state().area_count().is_some());
    assert!(h.state().shows_map(), "the overview is on the first frame of the map");
    let reds = |image: &RgbaImage| image.pixels().filter(|p| p[0] > p[1].saturating_add(40)).count();
    let greys =
        |image: &RgbaImage| image.pixels().filter(|p| p[0] == p[1] && p[0] > 100 && p[0] < 160).count();
    let first = canvas(&mut h);
    assert_eq!(reds(&first), 0, "the first overview leaves the rooms out");
    assert!(greys(&first) > first.pixels().len() / 4, "and shows the floor");
    wait_idle(&mut h);
    let tiled = canvas(&mut h);
    assert!(reds(&tiled) > 1000, "the tiles show the rooms: {} red pixels", reds(&tiled));
}

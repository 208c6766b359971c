//! Image snapshots of the editor, rendered by kittest's wgpu renderer on the CPU (Mesa's
//! llvmpipe): the canvas as opened, with an area selected and the binding-status overlay on, and
//! the preview beside it; and the whole window (less the status bar, whose pointer position and
//! expiring messages vary) at each step of the main workflow: the start screen, a zone picked and
//! entered, a rename, a strong value, a rectangle drawn off the artboard and the problem it
//! makes, a group made and dissolved from the tree, the preview, the Publish panel's set-up, and
//! the Data panel with the report's values and their near misses.
//!
//! The reference images are in `tests/snapshots`; after an intended change to how the editor
//! draws, run `UPDATE_SNAPSHOTS=1 cargo test --test editor_snapshots` and review the new PNGs.

mod support;

use egui::{Key, Modifiers};
use egui_kittest::image_snapshot_options;
use egui_kittest::kittest::Queryable;
use support::editor::{
    Scripted, click_at, double_click_at, drag, rendering_editor, screen_point, select_at, wait_for,
    wait_idle, wait_loaded,
};
use support::snapshots::{assert_drawn, crop, frame, options};

const SAMPLE_VIEW_BOX: [f64; 4] = [0.0, 0.0, 1200.0, 800.0];

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

/// The window above the status bar (the canvas reaches down to it), compared with its reference
/// image; the whole window on the start screen, where the status bar says nothing that varies.
fn window_snapshot(h: &mut egui_kittest::Harness<'_, synmap::app::EditorApp>, name: &str) {
    let bottom = if h.state().has_map() {
        wait_idle(h);
        Some(h.get_by_label("Map canvas").rect().max.y)
    } else {
        None
    };
    let image = frame(h);
    let size = egui::vec2(image.width() as f32, bottom.unwrap_or(image.height() as f32));
    let window = crop(&image, egui::Rect::from_min_size(egui::Pos2::ZERO, size));
    assert_drawn(&window, name);
    image_snapshot_options(&window, name, &options());
}

#[test]
fn workflow_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = rendering_editor(None, dir.path(), Scripted::default());
    h.run_steps(2);
    window_snapshot(&mut h, "workflow_0_start_screen");

    let file = dir.path().join("floor.svg");
    std::fs::copy(support::sample(), &file).unwrap();
    let values = dir.path().join("sales.csv");
    std::fs::write(&values, "Room,Sales\nOffice 102,20\nOffice-104,5\nMeeting Room Stockholmm,30\nAnnex,1\n")
        .unwrap();
    let dialogs = Scripted::default();
    dialogs.answer(Some(values));
    let mut h = rendering_editor(Some(file), dir.path(), dialogs);
    wait_loaded(&mut h);
    let office = screen_point(&h, SAMPLE_VIEW_BOX, (85.0, 150.0));
    click_at(&mut h, office);
    assert_eq!(h.get_by_label("Name").value().as_deref(), Some("Zone North"));
    window_snapshot(&mut h, "workflow_1_zone_picked");
    double_click_at(&mut h, office);
    assert_eq!(h.get_by_label("Name").value().as_deref(), Some("Office 101"));
    window_snapshot(&mut h, "workflow_2_area_entered");

    h.key_press_modifiers(Modifiers::COMMAND, Key::R);
    h.run_steps(2);
    h.key_combination_modifiers(Modifiers::COMMAND, &[Key::A]);
    h.get_by_label("Name").type_text("Reception");
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert_eq!(h.get_by_label("Name").value().as_deref(), Some("Reception"));
    assert!(h.query_by_label("Reception  ·  Office 101").is_some(), "the tree shows the new name");
    window_snapshot(&mut h, "workflow_3_renamed");

    h.get_by_label("Value").click();
    h.run_steps(2);
    h.get_by_label("Data point").type_text("Room 7");
    h.key_press(Key::Enter);
    h.run_steps(3);
    window_snapshot(&mut h, "workflow_4_strong_value");

    // A rectangle below the artboard: drawn, selected, and listed as a problem.
    h.key_press(Key::R);
    h.step();
    let (a, b) = (
        screen_point(&h, SAMPLE_VIEW_BOX, (500.0, 830.0)),
        screen_point(&h, SAMPLE_VIEW_BOX, (620.0, 880.0)),
    );
    drag(&mut h, a, b);
    wait_for(&mut h, "outside the artboard");
    h.key_press(Key::V);
    h.step();
    window_snapshot(&mut h, "workflow_5_drawn_off_the_artboard");

    let row = h.get_by_label("Office 111").rect().center();
    click_at(&mut h, row);
    h.get_by_label("Office 110").click_modifiers(Modifiers::SHIFT);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::G);
    h.run_steps(3);
    assert_eq!(h.state().selection_len(), 1, "the new group is selected");
    window_snapshot(&mut h, "workflow_6_grouped_from_the_tree");
    h.key_press_modifiers(Modifiers::COMMAND, Key::U);
    h.run_steps(3);
    assert_eq!(h.state().selection_len(), 2, "its members are selected again");
    window_snapshot(&mut h, "workflow_7_ungrouped");

    h.get_by_label("Preview").click();
    h.run_steps(2);
    wait_for(&mut h, "Preview of the exported map");
    window_snapshot(&mut h, "workflow_8_preview");
    h.get_by_role_and_label(egui::accesskit::Role::Button, "Preview").click();
    h.get_by_role_and_label(egui::accesskit::Role::Button, "Publish").click();
    h.run_steps(3);
    window_snapshot(&mut h, "workflow_9_publish_setup");

    // The report's values loaded: the overlay colours areas by them, the panel lists near misses.
    h.get_by_role_and_label(egui::accesskit::Role::Button, "Publish").click();
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::O);
    wait_for(&mut h, "sales.csv: 4 values · 3 match no area");
    h.get_by_label("Binding overlay").click();
    h.run_steps(2);
    window_snapshot(&mut h, "workflow_10_data_near_misses");
}

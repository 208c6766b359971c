//! The editor window, driven headless with egui_kittest: it opens a map in the background and
//! lists its areas; a map it cannot read is reported in the window; every control has an
//! accessible name; once its work is done, the window asks for no more frames.

mod support;

use egui_kittest::kittest::{NodeT, Queryable};
use support::editor::{Scripted, editor, wait_for, wait_idle, wait_loaded};

#[test]
fn opens_the_sample_and_lists_its_areas() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = editor(Some(support::sample()), dir.path(), Scripted::default());
    wait_loaded(&mut h);
    assert!(h.query_by_label_contains("34 areas; drag rows").is_some());
    // The labels are drawn last (on top), the East zone before them: the tree lists the top of
    // the paint order first, as drawing programs list layers.
    let row = |h: &egui_kittest::Harness<'_, synmap::app::EditorApp>, label: &str| {
        h.get_by_label(label).rect().top()
    };
    assert!(row(&h, "Labels") < row(&h, "Zone East"), "the tree lists the top of the paint order first");
    h.get_by_label("Search id, title or data point").focus();
    h.get_by_label("Search id, title or data point").type_text("oslo");
    h.run_steps(3);
    assert!(h.query_by_label_contains("1 of 34 areas").is_some());
    assert!(h.query_by_label_contains("Meeting Room Oslo").is_some());
    assert!(h.query_by_label_contains("office-floor.svg — synmap").is_none(), "the title is not a widget");
}

/// A window that keeps asking for frames never rests: on a machine drawing in software each
/// frame takes the cores a map is read and drawn on (the window title, sent every frame, once
/// did this).
#[test]
fn a_window_at_rest_asks_for_no_more_frames() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = editor(Some(support::sample()), dir.path(), Scripted::default());
    wait_loaded(&mut h);
    wait_idle(&mut h);
    // The check, the status line and the first overview's redraw in full settle within a few
    // frames of the renders (a slow machine may take seconds).
    for _ in 0..100 {
        if !h.ctx.requested_repaint_last_pass() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.step();
    }
    h.step();
    assert!(
        !h.ctx.requested_repaint_last_pass(),
        "the idle window asked for another frame: {:?}",
        h.ctx.repaint_causes()
    );
}

#[test]
fn reports_a_map_it_cannot_open() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.svg");
    std::fs::write(&bad, "<svg><g></svg>").unwrap();
    let mut h = editor(Some(bad), dir.path(), Scripted::default());
    wait_for(&mut h, "Cannot open the map");
}

#[test]
fn every_control_has_an_accessible_name() {
    use egui::accesskit::Role;
    let dir = tempfile::tempdir().unwrap();
    let mut h = editor(Some(support::sample()), dir.path(), Scripted::default());
    wait_loaded(&mut h);
    h.get_by_label("Publish").click();
    h.run_steps(4);
    let interactive =
        [Role::Button, Role::CheckBox, Role::TextInput, Role::ComboBox, Role::SpinButton, Role::Slider];
    let mut unnamed = Vec::new();
    let mut count = 0;
    for node in h.root().query_all(egui_kittest::kittest::by()) {
        let n = node.accesskit_node();
        if interactive.contains(&n.role()) {
            count += 1;
            let named = n.label().is_some_and(|l| !l.trim().is_empty()) || n.labelled_by().next().is_some();
            if !named {
                unnamed.push(format!("{:?} {:?}", n.role(), n.value()));
            }
        }
    }
    assert!(count > 15, "only {count} controls found");
    assert!(unnamed.is_empty(), "controls without an accessible name: {unnamed:?}");
}

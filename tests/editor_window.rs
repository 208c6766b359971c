//! The editor window, driven headless with egui_kittest: it opens a map in the background and
//! lists its areas; a map it cannot read is reported in the window.

mod support;

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use synmap::app::EditorApp;

fn harness(path: std::path::PathBuf) -> Harness<'static, EditorApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| EditorApp::new(&cc.egui_ctx, Some(path)))
}

/// Steps frames until `label` appears (loading runs on another thread), with a watchdog.
fn wait_for(h: &mut Harness<'_, EditorApp>, label: &str) {
    let start = Instant::now();
    while h.query_by_label_contains(label).is_none() {
        assert!(start.elapsed() < Duration::from_secs(30), "{label:?} never appeared");
        std::thread::sleep(Duration::from_millis(20));
        h.step();
    }
}

#[test]
fn opens_the_sample_and_lists_its_areas() {
    let mut h = harness(support::sample());
    wait_for(&mut h, "Office 101");
    assert!(h.query_by_label_contains("Meeting Room Oslo").is_some());
    assert!(h.query_by_label_contains("34 of 34 areas").is_some());
}

#[test]
fn reports_a_map_it_cannot_open() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.svg");
    std::fs::write(&bad, "<svg><g></svg>").unwrap();
    let mut h = harness(bad);
    wait_for(&mut h, "Cannot open the map");
}

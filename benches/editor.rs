//! Editor benchmarks on a generated 50,000-area plan: the real app driven headless (egui_kittest,
//! 1600×1000) panning 10 px per frame (app UI plus tessellation per frame, target under 8 ms),
//! hover hit-testing (target under 50 µs), and one edit (a move, a rename) with everything the
//! editor recomputes after it.
#![allow(missing_docs)] // criterion_group! generates undocumented public functions

#[path = "../tests/support/editor.rs"]
#[allow(dead_code)]
mod editor;

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use egui::Key;
use synmap::edit::Change;
use synmap::editor::Document;
use synmap::generate::{PlanSpec, floor_plan};
use synmap::svg::import_bytes;

/// The allocator the executable uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const AREAS: usize = 50_000;

fn plan() -> String {
    floor_plan(PlanSpec { areas: AREAS, seed: 1 })
}

fn hover(c: &mut Criterion) {
    let doc = Document::from_map(import_bytes(plan().as_bytes()).unwrap().map, "plan".into());
    let vb = doc.map().view_box;
    // A fixed walk of points over the whole plan.
    let points: Vec<kurbo::Point> = (0..1000)
        .map(|i| {
            let (fx, fy) = ((i * 7919 % 1000) as f64 / 1000.0, (i * 104_729 % 997) as f64 / 997.0);
            kurbo::Point::new(vb.x + fx * vb.width, vb.y + fy * vb.height)
        })
        .collect();
    let mut i = 0;
    c.bench_function("hover hit-test, 50k areas", |b| {
        b.iter(|| {
            i = (i + 1) % points.len();
            doc.hit(points[i])
        })
    });
}

fn edit(c: &mut Criterion) {
    let mut doc = Document::from_map(import_bytes(plan().as_bytes()).unwrap().map, "plan".into());
    let keys: Vec<_> = doc.areas.iter().map(|a| a.key).step_by(997).collect();
    let mut i = 0;
    c.bench_function("move one area and undo, 50k areas", |b| {
        b.iter(|| {
            i = (i + 1) % keys.len();
            let moved = doc.map().node(keys[i]).transform.then_translate(kurbo::Vec2::new(5.0, 0.0));
            doc.edit("Move", vec![Change::Transform(keys[i], moved)]).unwrap();
            doc.undo()
        })
    });
    c.bench_function("rename one area and undo, 50k areas", |b| {
        b.iter(|| {
            i = (i + 1) % keys.len();
            doc.edit("Rename", vec![Change::Title(keys[i], Some(format!("Renamed {i}")))]).unwrap();
            doc.undo()
        })
    });
}

fn pan(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan-50k.svg");
    std::fs::write(&file, plan()).unwrap();
    let mut h = editor::editor(Some(file), dir.path(), editor::Scripted::default());
    editor::wait_until(&mut h, "the plan loaded", |h| h.state().area_count().is_some());
    println!("{} areas listed", h.state().area_count().unwrap_or(0));
    // Let the first render of the map arrive.
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(50));
        h.step();
    }
    h.key_press(Key::H);
    h.step();
    let centre = egui::pos2(800.0, 500.0);
    h.hover_at(centre);
    h.step();
    h.drag_at(centre);
    h.step();
    let mut x = 0.0f32;
    let mut dir_x = 10.0f32;
    c.bench_function("pan frame (UI + tessellation), 50k areas, 1600x1000", |b| {
        b.iter(|| {
            if x.abs() >= 400.0 {
                dir_x = -dir_x;
            }
            x += dir_x;
            h.hover_at(centre + egui::vec2(x, 0.0));
            h.step();
            let shapes = h.output().shapes.clone();
            h.ctx.tessellate(shapes, h.ctx.pixels_per_point())
        })
    });

    // Select the area under the centre and nudge it with the arrow keys: each frame applies
    // one edit and refreshes everything derived from the map.
    h.drop_at(centre);
    h.step();
    h.key_press(Key::V);
    h.step();
    editor::click_at(&mut h, centre);
    assert!(h.state().selection_len() == 1, "an area under the centre is selected");
    let mut right = true;
    c.bench_function("frame after an edit (arrow-key move), 50k areas", |b| {
        b.iter(|| {
            right = !right;
            h.key_press(if right { Key::ArrowRight } else { Key::ArrowLeft });
            h.step();
            let shapes = h.output().shapes.clone();
            h.ctx.tessellate(shapes, h.ctx.pixels_per_point())
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(100);
    targets = hover, edit, pan
}
criterion_main!(benches);

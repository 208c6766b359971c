//! Criterion benchmarks of tracing on an architect-style plan of 8.5 megapixels (306 rooms):
//! every room at once (`trace_all`), the wand's set-up when it is picked, and one wand click to
//! its outline.
#![allow(missing_docs)] // criterion_group! generates undocumented public functions

use criterion::{Criterion, criterion_group, criterion_main};
use synmap::generate::plan_picture::{PictureSpec, draw, plan_picture};
use synmap::trace::{TraceOptions, Wand, trace_all};

/// The allocator the executable uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn tracing(c: &mut Criterion) {
    let plan = plan_picture(PictureSpec { wings: 6, rooms_per_row: 25, seed: 1, rotate_degrees: 0.0 });
    let pixels = draw(&plan.svg, plan.width);
    let opts = TraceOptions { close_gaps: 28, ..TraceOptions::default() };
    let mut g = c.benchmark_group("trace");
    g.sample_size(10);
    g.bench_function("all rooms, 8.5 MP", |b| b.iter(|| trace_all(&pixels, &opts)));
    g.bench_function("wand set-up, 8.5 MP", |b| b.iter(|| Wand::new(&pixels, &opts)));
    let wand = Wand::new(&pixels, &opts);
    let room = &plan.rooms[40];
    // A quarter of the way in from a corner: floor, clear of the label and the furniture.
    let inside = room[0].lerp(room[2], 0.25);
    g.bench_function("wand click to outline", |b| {
        b.iter(|| wand.outlines(&[wand.region_at(inside).expect("a room under the click")], true))
    });
    g.finish();
}

criterion_group!(benches, tracing);
criterion_main!(benches);

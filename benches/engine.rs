//! Criterion benchmarks of the map engine on generated floor plans: import + check, export,
//! and the preview render, at 1k, 10k and 50k areas; and duplicate ids made unique (20,000
//! elements sharing one id, which took 52 s to check while that was quadratic); and near-miss
//! suggestions for 30,000 values that almost match the 50k plan's rooms; and combining 1,000
//! adjacent rooms into one area.
#![allow(missing_docs)] // criterion_group! generates undocumented public functions

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use synmap::check::check;
use synmap::generate::{PlanSpec, floor_plan};
use synmap::render::{RenderOptions, render};
use synmap::svg::{ExportOptions, export_svg, import_bytes};

/// The allocator the executable uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SIZES: [usize; 3] = [1_000, 10_000, 50_000];

fn import_and_check(c: &mut Criterion) {
    let mut g = c.benchmark_group("import+check");
    g.sample_size(10);
    for n in SIZES {
        let svg = floor_plan(PlanSpec { areas: n, seed: 1 });
        g.throughput(Throughput::Bytes(svg.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &svg, |b, svg| {
            b.iter(|| {
                let imported = import_bytes(svg.as_bytes()).unwrap();
                check(&imported, None)
            });
        });
    }
    g.finish();
}

fn import_only(c: &mut Criterion) {
    let mut g = c.benchmark_group("import");
    g.sample_size(10);
    for n in SIZES {
        let svg = floor_plan(PlanSpec { areas: n, seed: 1 });
        g.bench_with_input(BenchmarkId::from_parameter(n), &svg, |b, svg| {
            b.iter(|| import_bytes(svg.as_bytes()).unwrap())
        });
    }
    g.finish();
}

fn export(c: &mut Criterion) {
    let mut g = c.benchmark_group("export");
    g.sample_size(10);
    for n in SIZES {
        let map = import_bytes(floor_plan(PlanSpec { areas: n, seed: 1 }).as_bytes()).unwrap().map;
        g.bench_with_input(BenchmarkId::new("optimised", n), &map, |b, map| {
            b.iter(|| export_svg(map, &ExportOptions::default()))
        });
        let plain = ExportOptions { optimise: false, ..ExportOptions::default() };
        g.bench_with_input(BenchmarkId::new("plain", n), &map, |b, map| b.iter(|| export_svg(map, &plain)));
    }
    g.finish();
}

fn render_preview(c: &mut Criterion) {
    let mut g = c.benchmark_group("render-2048");
    g.sample_size(10);
    for n in [1_000, 10_000] {
        let map = import_bytes(floor_plan(PlanSpec { areas: n, seed: 1 }).as_bytes()).unwrap().map;
        g.bench_with_input(BenchmarkId::from_parameter(n), &map, |b, map| {
            b.iter(|| render(map, None, &RenderOptions::default()).unwrap().to_png().unwrap());
        });
    }
    g.finish();
}

fn duplicate_ids(c: &mut Criterion) {
    let mut g = c.benchmark_group("duplicate-ids");
    g.sample_size(10);
    for n in [2_000, 20_000] {
        let rects = "<rect id=\"same\" width=\"1\" height=\"1\"/>".repeat(n);
        let svg = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">{rects}</svg>");
        g.bench_with_input(BenchmarkId::new("import+check", n), &svg, |b, svg| {
            b.iter(|| check(&import_bytes(svg.as_bytes()).unwrap(), None))
        });
        let map = import_bytes(svg.as_bytes()).unwrap().map;
        g.bench_with_input(BenchmarkId::new("export", n), &map, |b, map| {
            b.iter(|| export_svg(map, &ExportOptions::default()))
        });
    }
    g.finish();
}

/// 30,000 values, each a near miss of one of the 50k plan's rooms (separators, leading zeros,
/// word order, a typing slip) or no room at all, against all 50,000 rooms matching nothing.
fn near_misses(c: &mut Criterion) {
    use synmap::binding::suggest::{Candidate, suggest};
    let map = import_bytes(floor_plan(PlanSpec { areas: 50_000, seed: 1 }).as_bytes()).unwrap().map;
    let ids: Vec<String> = map
        .iter()
        .filter_map(|(_, n)| n.id.as_ref().map(|i| i.as_str().to_owned()))
        .filter(|i| i.starts_with("Room"))
        .collect();
    let values: Vec<String> = ids
        .iter()
        .take(30_000)
        .enumerate()
        .map(|(i, id)| {
            let name = synmap::binding::normalize(id);
            match i % 5 {
                0 => name.replace(' ', "-"),
                1 => name.replacen("-0", "-", 1),
                2 => name.split(' ').rev().collect::<Vec<_>>().join(" "),
                3 => format!("{name}x"),
                _ => format!("Annex {i}"),
            }
        })
        .collect();
    let candidates: Vec<Candidate> = ids.iter().map(|id| Candidate { id, title: None }).collect();
    let mut g = c.benchmark_group("near-misses");
    g.sample_size(10);
    g.bench_function("30k-values-50k-areas", |b| b.iter(|| suggest(&values, &candidates)));
    g.finish();
}

/// 1,000 rooms of a 40 × 25 grid, each sharing its walls with its neighbours, combined into one.
fn combine_rooms(c: &mut Criterion) {
    use synmap::editor::Document;
    use synmap::editor::shaping::{Boolean, boolean};
    use synmap::model::{Geometry, Node, NodeKind};
    let mut doc = Document::blank(400.0, 250.0);
    let mut keys = Vec::new();
    for i in 0..1000 {
        let (x, y) = (f64::from(i % 40) * 10.0, f64::from(i / 40) * 10.0);
        let rect = kurbo::Rect::new(x, y, x + 10.0, y + 10.0);
        let mut node = Node::new(NodeKind::Shape(Geometry::Rect { rect, rx: None, ry: None }));
        node.id = Some(synmap::ids::AreaId::from_name(&format!("Room {i}")).unwrap().into());
        keys.push(doc.add("Draw", None, node).unwrap());
    }
    let mut g = c.benchmark_group("shaping");
    g.sample_size(10);
    g.bench_function("combine-1000-rooms", |b| {
        b.iter(|| boolean(doc.map(), &keys, Boolean::Combine).unwrap())
    });
    g.finish();
}

/// Maps converted from CAD and GIS: a 10,000-room DXF plan and a 50 MB GeoJSON of regions with
/// shared borders (the goals: under 1 s and under 3 s), and the same GeoJSON simplified
/// to 10 % of its points.
fn maps_from_cad_and_gis(c: &mut Criterion) {
    use synmap::convert::ImportOptions;
    use synmap::generate::{dxf::dxf_plan, geojson::geojson_regions};
    let dxf = dxf_plan(10_000);
    let geo = geojson_regions(50_000_000);
    let mut g = c.benchmark_group("convert");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(dxf.len() as u64));
    g.bench_function("dxf-10k-rooms", |b| b.iter(|| import_bytes(dxf.as_bytes()).unwrap()));
    g.throughput(Throughput::Bytes(geo.len() as u64));
    g.bench_function("geojson-50mb", |b| b.iter(|| import_bytes(geo.as_bytes()).unwrap()));
    let simplified = ImportOptions { simplify: Some(10.0), ..ImportOptions::default() };
    g.bench_function("geojson-50mb-simplified-10pct", |b| {
        b.iter(|| synmap::svg::import_bytes_with(geo.as_bytes(), &simplified).unwrap())
    });
    g.finish();
}

criterion_group!(
    benches,
    maps_from_cad_and_gis,
    import_and_check,
    import_only,
    export,
    render_preview,
    duplicate_ids,
    near_misses,
    combine_rooms
);
criterion_main!(benches);

//! The optimised export (on by default): smaller than the plain export on real maps, the same
//! picture, the same ids, titles, `data-okviz-*` attributes and order of areas, the same JSVG
//! `mapRects`, deterministic and idempotent.

mod support;

use synmap::model::Map;
use synmap::svg::jsvg::{JsvgHeader, export_jsvg};
use synmap::svg::{ExportOptions, export_svg, import_bytes};

/// Real maps and maps like real ones: every fixture of an editor or the web, the styling
/// cases, the sample, generated plans, and maps converted from GIS and CAD.
fn maps() -> Vec<(String, Map)> {
    let mut out: Vec<(String, Map)> = Vec::new();
    for name in ["illustrator.svg", "inkscape.svg", "figma.svg", "powerpoint.svg", "web.svg", "hostile.svg"] {
        out.push((name.into(), support::import(name).map));
    }
    for entry in std::fs::read_dir(support::fixture("legit-styling")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "svg") {
            let map = import_bytes(&std::fs::read(&path).unwrap()).unwrap().map;
            out.push((path.display().to_string(), map));
        }
    }
    out.push(("sample".into(), synmap::svg::import_file(&support::sample()).unwrap().map));
    let plan = synmap::generate::floor_plan(synmap::generate::PlanSpec { areas: 300, seed: 5 });
    out.push(("plan".into(), import_bytes(plan.as_bytes()).unwrap().map));
    let geo = synmap::generate::geojson::geojson_regions(60_000);
    out.push(("regions".into(), import_bytes(geo.as_bytes()).unwrap().map));
    let dxf = synmap::generate::dxf::dxf_plan(20);
    out.push(("dxf".into(), import_bytes(dxf.as_bytes()).unwrap().map));
    out
}

fn plain() -> ExportOptions {
    ExportOptions { optimise: false, ..ExportOptions::default() }
}

/// Each element with an id, in document order: its name-independent identity for the visual
/// (id, title, data-okviz attributes).
fn areas(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}"));
    doc.descendants()
        .filter(|n| n.is_element() && n.attribute("id").is_some() && !is_definition(n))
        .map(|n| {
            let title = n.children().find(|c| c.has_tag_name("title")).and_then(|t| t.text()).unwrap_or("");
            let mut okviz: Vec<String> = n
                .attributes()
                .filter(|a| a.name().starts_with("data-okviz-"))
                .map(|a| format!("{}={}", a.name(), a.value()))
                .collect();
            okviz.sort();
            format!("{} [{title}] {}", n.attribute("id").unwrap_or(""), okviz.join(" "))
        })
        .collect()
}

fn is_definition(n: &roxmltree::Node) -> bool {
    n.ancestors().any(|a| a.has_tag_name("defs"))
}

#[test]
fn the_optimised_map_draws_the_same_picture_with_the_same_areas() {
    for (name, map) in maps() {
        let optimised = export_svg(&map, &ExportOptions::default()).svg;
        let plain = export_svg(&map, &plain()).svg;
        assert!(optimised.len() <= plain.len(), "{name}: {} > {}", optimised.len(), plain.len());
        assert_eq!(areas(&optimised), areas(&plain), "{name}: ids, titles, data-okviz and order");
        let (a, b) = (support::render(&optimised, 1024), support::render(&plain, 1024));
        let differing = support::differing_fraction(&a, &b, 8);
        assert!(differing < 0.005, "{name}: {:.3}% of pixels differ", differing * 100.0);
    }
}

#[test]
fn optimising_is_deterministic_and_optimising_again_changes_nothing() {
    for (name, map) in maps() {
        let once = export_svg(&map, &ExportOptions::default()).svg;
        assert_eq!(export_svg(&map, &ExportOptions::default()).svg, once, "{name}: deterministic");
        let reread = import_bytes(once.as_bytes()).unwrap().map;
        let twice = export_svg(&reread, &ExportOptions::default()).svg;
        assert_eq!(twice, once, "{name}: idempotent");
    }
}

#[test]
fn map_rects_are_unchanged_by_optimising() {
    for (name, map) in maps() {
        let header = JsvgHeader::new("m");
        let (optimised, _) = export_jsvg(&map, &ExportOptions::default(), None, &header);
        let (plain, _) = export_jsvg(&map, &plain(), None, &header);
        assert_eq!(
            serde_json::to_value(&optimised).unwrap()["mapRects"],
            serde_json::to_value(&plain).unwrap()["mapRects"],
            "{name}"
        );
    }
}

#[test]
fn a_floor_plan_loses_its_repetition_and_keeps_what_matters() {
    let plan = synmap::generate::floor_plan(synmap::generate::PlanSpec { areas: 1000, seed: 2 });
    let map = import_bytes(plan.as_bytes()).unwrap().map;
    let optimised = export_svg(&map, &ExportOptions::default()).svg;
    let plain = export_svg(&map, &plain()).svg;
    assert!(optimised.len() * 10 < plain.len() * 6, "{} against {}", optimised.len(), plain.len());
    // Shared styles live on the floor group; rooms keep their own fill (the visual colours
    // areas through their fill) and rectangles are paths.
    let doc = roxmltree::Document::parse(&optimised).unwrap();
    let floor = doc.descendants().find(|n| n.has_tag_name("g") && n.attribute("id").is_some()).unwrap();
    assert!(
        floor.attribute("style").is_some_and(|s| s.contains("stroke-width:.5")),
        "{:?}",
        floor.attributes()
    );
    let room = floor.children().find(|n| n.is_element() && n.attribute("id").is_some()).unwrap();
    assert_eq!(room.tag_name().name(), "path");
    assert!(room.attribute("fill").is_some() && room.attribute("stroke-width").is_none());
    assert!(!optimised.contains('\n') && !optimised.starts_with("<?xml"));
}

#[test]
fn invisible_decoration_empty_groups_and_unused_definitions_go_but_hit_areas_stay() {
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
        <defs><linearGradient id="used"><stop offset="0" stop-color="red"/></linearGradient>
              <linearGradient id="unused"><stop offset="0" stop-color="blue"/></linearGradient></defs>
        <image href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==" width="100" height="100"/>
        <rect id="Hit" width="50" height="50" style="fill:none;stroke:none"/>
        <rect width="10" height="10" style="fill:none"/>
        <rect width="10" height="10" style="display:none;fill:red"/>
        <g><g></g></g>
        <g><rect id="Kept" width="5" height="5" style="fill:url(#used)"/></g>
    </svg>"##;
    let map = import_bytes(svg.as_bytes()).unwrap().map;
    let out = export_svg(&map, &ExportOptions::default()).svg;
    assert!(out.contains("id=\"Hit\""), "a transparent hit area is an area: {out}");
    assert!(out.contains("id=\"used\"") && !out.contains("unused"), "{out}");
    assert_eq!(out.matches("<rect").count() + out.matches("<path").count(), 2, "{out}");
    assert!(!out.contains("<g"), "empty and bare groups are gone: {out}");
    assert!(out.contains("<image"), "{out}");
}

#[test]
fn the_command_line_optimises_unless_told_not_to() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.svg"), dir.path().join("b.svg"));
    let run = |args: &[&str], out: &std::path::Path| {
        let status =
            support::synmap().arg("export").arg(support::sample()).arg("-o").arg(out).args(args).status();
        assert!(status.unwrap().success());
        std::fs::read_to_string(out).unwrap()
    };
    let optimised = run(&["--optimise"], &a);
    let plain = run(&["--no-optimise"], &b);
    assert!(optimised.len() < plain.len() && plain.starts_with("<?xml"));
    assert_eq!(run(&[], &a), optimised, "on by default");
}

#[test]
fn simplifying_a_web_map_keeps_neighbours_sharing_their_border() {
    use synmap::convert::ImportOptions;
    // Two squares sharing a wiggly border, drawn with different transforms.
    let x = |i: usize| 50.0 + ((i * 7919) % 13) as f64 / 4.0;
    let border: String = (1..40).map(|i| format!("L{} {} ", x(i), i * 2)).collect();
    let back: String = (1..40).rev().map(|i| format!("L{} {} ", x(i), i * 2)).collect();
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 80">
        <path id="West" d="M0 0 L50 0 {border} L50 80 L0 80 Z"/>
        <g transform="translate(10 0)"><path id="East" d="M50 0 L100 0 L100 80 L50 80 {back} Z" transform="translate(-10 0)"/></g></svg>"#
    );
    let options = ImportOptions { simplify: Some(10.0), ..ImportOptions::default() };
    let imported = synmap::svg::import_bytes_with(svg.as_bytes(), &options).unwrap();
    let finding = imported.findings.iter().find(|f| f.code == "simplified").expect("reported");
    assert!(finding.message.contains("points down to"), "{}", finding.message);
    let map = &imported.map;
    let area = |id: &str| {
        let key = map.find_id(id).unwrap();
        let synmap::model::NodeKind::Shape(g) = &map.node(key).kind else { panic!() };
        let path = map.doc_from_node(key) * g.to_path();
        (kurbo::Shape::area(&path).abs(), path.elements().len())
    };
    let ((west, west_points), (east, east_points)) = (area("West"), area("East"));
    assert!((west + east - 8000.0).abs() < 1e-6, "no gap, no overlap: {west} + {east}");
    assert!(west_points < 20 && east_points < 20, "from 45 each: {west_points} {east_points}");
}

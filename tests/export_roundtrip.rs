//! Export: Synoptic-ready output, renames on the first export only, a stable round trip, and
//! the same picture as the original (pixel comparison).

mod support;

use support::{differing_fraction, fixture, import, render};
use synmap::generate::{PlanSpec, floor_plan};
use synmap::svg::{ExportOptions, export_svg, import::import_svg};

const TOOLS: [&str; 6] =
    ["illustrator.svg", "inkscape.svg", "figma.svg", "powerpoint.svg", "web.svg", "hostile.svg"];

/// The plain export (every element and style as the map holds it); the optimised one has its
/// own tests (`optimised_export.rs`).
fn plain() -> ExportOptions {
    ExportOptions { optimise: false, ..ExportOptions::default() }
}

fn export(svg: &str) -> synmap::svg::Exported {
    export_svg(&import_svg(svg).unwrap().map, &plain())
}

#[test]
fn output_is_synoptic_ready() {
    for name in TOOLS {
        let out = export_svg(&import(name).map, &plain());
        let doc = roxmltree::Document::parse(&out.svg).unwrap_or_else(|e| panic!("{name}: {e}"));
        let root = doc.root_element();
        assert!(root.attribute("viewBox").is_some(), "{name}: viewBox");
        let mut seen = std::collections::HashSet::new();
        for n in doc.descendants().filter(roxmltree::Node::is_element) {
            assert!(n.attribute("class").is_none(), "{name}: class attribute left");
            assert_ne!(n.tag_name().name(), "style", "{name}: style element left");
            if let Some(id) = n.attribute("id") {
                assert!(synmap::ids::is_valid(id), "{name}: invalid id {id}");
                assert!(seen.insert(id.to_owned()), "{name}: duplicate id {id}");
            }
            for a in n.attributes() {
                assert!(!a.name().starts_with("on"), "{name}: event attribute {}", a.name());
                let ns = a.namespace();
                assert!(
                    ns.is_none() || ns == Some("http://www.w3.org/XML/1998/namespace"),
                    "{name}: namespaced attribute {}",
                    a.name()
                );
            }
        }
    }
}

#[test]
fn titles_and_okviz_attributes_are_written() {
    let out = export_svg(&import("web.svg").map, &plain()).svg;
    for needle in [
        "data-okviz-svg-author=\"Facilities Team\"",
        "data-okviz-svg-attribution=\"Floor data: Example Corp\"",
        "data-okviz-autofetch=\"true\"",
        "data-okviz-no-labels=\"false\"",
        "data-okviz-strong=\"Room B2\"",
        "data-okviz-unbound=\"true\"",
        "data-okviz-area-type=\"link\"",
        "data-okviz-link-url=\"https://example.com/x\"",
        "data-okviz-drill-url=\"https://example.com/floors/2.svg\"",
        "<title>Room A1</title>",
        "href=\"data:image/png;base64,",
    ] {
        assert!(out.contains(needle), "missing {needle}");
    }
}

#[test]
fn first_export_renames_duplicates_then_round_trip_is_stable() {
    for name in TOOLS {
        let original = std::fs::read_to_string(fixture(name)).unwrap();
        let first = export(&original);
        if name == "illustrator.svg" {
            assert_eq!(first.renames.len(), 1);
            assert_eq!(
                (first.renames[0].from.as_str(), first.renames[0].to.as_str()),
                ("Storage", "Storage_2")
            );
        }
        let second = export(&first.svg);
        assert!(second.renames.is_empty(), "{name}: second export renamed {:?}", second.renames);
        assert_eq!(first.svg, second.svg, "{name}: export → import → export changed the file");
        let third = export(&second.svg);
        assert_eq!(second.svg, third.svg, "{name}");
    }
}

#[test]
fn ids_titles_and_bindings_survive_the_round_trip() {
    for name in TOOLS {
        let first_map =
            import_svg(&export(&std::fs::read_to_string(fixture(name)).unwrap()).svg).unwrap().map;
        let second_map = import_svg(&export_svg(&first_map, &plain()).svg).unwrap().map;
        let describe = |m: &synmap::model::Map| -> Vec<String> {
            m.iter()
                .map(|(_, n)| {
                    format!(
                        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
                        n.id,
                        n.title,
                        n.area_type,
                        n.binding(),
                        n.drill_url(),
                        n.link_url(),
                        n.no_labels
                    )
                })
                .collect()
        };
        assert_eq!(describe(&first_map), describe(&second_map), "{name}");
        assert_eq!(first_map.meta, second_map.meta, "{name}");
    }
}

#[test]
fn exported_maps_render_like_the_originals() {
    // hostile.svg is left out: removing its content changes the picture on purpose.
    for name in &TOOLS[..5] {
        let original = std::fs::read_to_string(fixture(name)).unwrap();
        let exported = export(&original).svg;
        let a = render(&original, 480);
        let b = render(&exported, 480);
        let diff = differing_fraction(&a, &b, 40);
        assert!(diff < 0.002, "{name}: {:.3}% of pixels differ", diff * 100.0);
    }
}

#[test]
fn the_sample_and_a_generated_plan_render_like_the_originals() {
    let sample = std::fs::read_to_string(support::sample()).unwrap();
    let plan = floor_plan(PlanSpec { areas: 300, seed: 7 });
    for (name, original) in [("sample", sample), ("plan", plan)] {
        let exported = export(&original).svg;
        let diff = differing_fraction(&render(&original, 800), &render(&exported, 800), 40);
        assert!(diff < 0.002, "{name}: {:.3}% of pixels differ", diff * 100.0);
    }
}

#[test]
fn unknown_okviz_attributes_are_carried_through() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect id="a" width="2" height="2" data-okviz-future="x" data-name="A"/></svg>"#;
    let out = export(svg);
    assert!(out.svg.contains("data-okviz-future=\"x\""), "{}", out.svg);
    assert!(!out.svg.contains("data-name"));
}

#[test]
fn precision_is_honoured() {
    let map = import_svg(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect id="a" x="1.23456" y="0" width="2" height="2"/></svg>"#).unwrap().map;
    let svg = |p| export_svg(&map, &ExportOptions { precision: p, ..plain() }).svg;
    assert!(svg(1).contains("x=\"1.2\""));
    assert!(svg(4).contains("x=\"1.2346\""));
    assert!(svg(0).contains("x=\"1\""));
}

#[test]
fn tracing_image_is_embedded_only_on_request() {
    let mut map = import("illustrator.svg").map;
    let png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAG0lEQVR42mNwKTry/22t4X+GpUuX/v9/gOE/AFzZCsAuHc7GAAAAAElFTkSuQmCC";
    map.tracing = Some(synmap::model::TracingImage {
        data_url: png.into(),
        rect: kurbo::Rect::new(0.0, 0.0, 800.0, 600.0),
        opacity: 0.5,
    });
    assert!(!export_svg(&map, &plain()).svg.contains(png));
    let with = export_svg(&map, &ExportOptions { include_tracing_image: true, ..plain() }).svg;
    assert!(with.contains(png) && with.contains("opacity=\"0.5\""));
}

#[test]
fn every_definition_keeps_its_own_style() {
    let out = export_svg(&import("figma.svg").map, &plain()).svg;
    // Colours are written from their parsed value.
    assert!(out.contains("stop-color:#e8f0fe") && out.contains("stop-color:#b9cff2"), "{out}");
    assert!(
        out.contains("<rect width=\"960\" height=\"540\" style=\"fill:#ffffff\"/>"),
        "clip rect style: {out}"
    );
}

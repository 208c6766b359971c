//! Import of maps as each authoring tool writes them: ids, titles, styles, groups, bindings.

mod support;

use support::import;
use synmap::binding::{AreaStatus, Categories, Statuses};
use synmap::model::{Binding, Geometry, Map, NodeKey, NodeKind};

fn key(map: &Map, id: &str) -> NodeKey {
    map.find_id(id).unwrap_or_else(|| panic!("no element with id {id}"))
}

fn style<'a>(map: &'a Map, id: &str, prop: &str) -> Option<&'a str> {
    map.node(key(map, id)).style.get(prop)
}

fn ids(map: &Map) -> Vec<String> {
    map.iter().filter_map(|(_, n)| n.id.as_ref().map(ToString::to_string)).collect()
}

#[test]
fn illustrator_classes_are_resolved_into_inline_styles() {
    let imp = import("illustrator.svg");
    let map = &imp.map;
    assert_eq!(style(map, "Room_x20_101", "fill"), Some("#E6E6E6"));
    assert_eq!(style(map, "Room_x20_101", "stroke"), Some("#333333"));
    assert_eq!(style(map, "Room_x20_102", "stroke-width"), Some("2"), "second class applies");
    assert_eq!(style(map, "Room_x20_103", "fill"), Some("#D5F5D5"), "inherited from the group's class");
    assert_eq!(style(map, "Room_x20_103", "stroke"), None);
    assert!(imp.css_class_elements >= 20);
    assert!(imp.findings.iter().any(|f| f.code == "css-classes"));
}

#[test]
fn illustrator_ids_titles_and_duplicates() {
    let map = import("illustrator.svg").map;
    let all = ids(&map);
    for id in ["Sector_x5F_A", "Room_x20_101", "Room_x20_102_1_", "_x33_04", "R_x26_D", "Lab_x20_A", "Lounge"]
    {
        assert!(all.contains(&id.to_owned()), "{id} kept as written");
    }
    assert_eq!(all.iter().filter(|i| *i == "Storage").count(), 2, "duplicates are kept in the model");
    let n = map.node(key(&map, "Room_x20_101"));
    assert_eq!(n.title.as_deref(), Some("Room 101"), "title from data-name");
    assert_eq!(map.node(key(&map, "_x33_04")).id.as_ref().unwrap().to_name(), "304");
    assert!(matches!(map.node(key(&map, "Lab_x20_A")).kind, NodeKind::Shape(Geometry::Polygon(_))));
    assert!(matches!(map.node(key(&map, "Room_x20_101")).kind, NodeKind::Shape(Geometry::Rect { .. })));
    let b = map.bbox_in_doc(key(&map, "R_x26_D")).unwrap();
    assert_eq!((b.x0, b.y0, b.width(), b.height()), (40.0, 400.0, 220.0, 160.0));
}

#[test]
fn illustrator_statuses_against_categories_follow_groups() {
    let map = import("illustrator.svg").map;
    let text = std::fs::read_to_string(support::fixture("categories.csv")).unwrap();
    let table = synmap::categories::parse(&text, &synmap::categories::Source::default()).unwrap();
    let st = Statuses::compute(&map, Some(&table.categories));
    let status = |id: &str| st.status(key(&map, id));
    assert_eq!(status("Sector_x5F_A"), AreaStatus::Matched);
    assert_eq!(status("Room_x20_102_1_"), AreaStatus::Matched, "follows its matched group");
    assert_eq!(st.get(key(&map, "Room_x20_103")).unwrap().follows, Some(key(&map, "Sector_x5F_A")));
    assert_eq!(status("Floor_x20_3"), AreaStatus::Unmatched);
    assert_eq!(status("_x33_04"), AreaStatus::Matched);
    assert_eq!(status("_x33_05"), AreaStatus::Unmatched);
    assert_eq!(status("R_x26_D"), AreaStatus::Matched);
    assert_eq!(status("Lounge"), AreaStatus::Unmatched);
}

#[test]
fn inkscape_labels_transforms_and_curves() {
    let map = import("inkscape.svg").map;
    assert_eq!(map.node(key(&map, "rect1234")).title.as_deref(), Some("Lab 1"), "from inkscape:label");
    assert_eq!(map.node(key(&map, "rect1236")).title.as_deref(), Some("Lab 2 (wet)"), "<title> wins");
    assert_eq!(map.node(key(&map, "g1270")).title.as_deref(), Some("Wing B"));
    let rotated = key(&map, "rect1238");
    assert!(matches!(map.node(rotated).kind, NodeKind::Shape(Geometry::Rect { .. })), "kept as a rect");
    assert_ne!(map.node(rotated).transform(), kurbo::Affine::IDENTITY, "transform kept, not baked");
    let b = map.bbox_in_doc(rotated).unwrap();
    assert!((b.x0 - 243.94).abs() < 0.01 && (b.width() - 112.12).abs() < 0.01, "{b:?}");
    let b = map.bbox_in_doc(key(&map, "rect1242")).unwrap();
    assert_eq!((b.x0, b.y0, b.width(), b.height()), (20.0, 300.0, 120.0, 60.0));
    let b = map.bbox_in_doc(key(&map, "path1252")).unwrap();
    assert!((b.x0 - 470.0).abs() < 1e-6 && (b.width() - 100.0).abs() < 1e-6, "arc bbox {b:?}");
    let b = map.bbox_in_doc(key(&map, "path1254")).unwrap();
    assert!((b.y0 - 277.5).abs() < 0.01, "smooth cubic bbox {b:?}");
    assert!(!ids(&map).contains(&"namedview7".to_owned()), "sodipodi:namedview is editor state");
}

#[test]
fn figma_invalid_ids_are_kept_as_read_encoded_on_export_and_root_fill_inherited() {
    let imp = import("figma.svg");
    let map = &imp.map;
    let exported = synmap::svg::export_svg(map, &synmap::svg::ExportOptions::default()).svg;
    let report = synmap::check::check(&imp, None);
    for (raw, fixed) in [
        ("Room 12", "Room_x20_12"),
        ("204", "_204"),
        ("Lab/Prep", "Lab_x2F_Prep"),
        ("Frame 1", "Frame_x20_1"),
    ] {
        assert!(map.find_id(raw).is_some(), "{raw} is kept as read");
        assert!(exported.contains(&format!("id=\"{fixed}\"")), "{raw} -> {fixed}");
        assert!(report.findings.iter().any(|f| f.code == "invalid-id" && f.element.as_deref() == Some(raw)));
    }
    assert_eq!(report.findings.iter().filter(|f| f.code == "invalid-id").count(), 10);
    assert_eq!(style(map, "Vector", "fill"), Some("none"), "inherited from the root");
    assert_eq!(style(map, "Hall", "fill"), Some("url(#paint0_linear_1_2)"));
    assert_eq!(style(map, "Frame 1", "clip-path"), Some("url(#clip0_1_2)"));
    assert_eq!(map.defs.len(), 2);
}

#[test]
fn powerpoint_without_viewbox_gets_one_from_its_size() {
    let imp = import("powerpoint.svg");
    let vb = imp.map.view_box;
    assert_eq!((vb.x, vb.y, vb.width, vb.height), (0.0, 0.0, 1280.0, 720.0));
    assert!(imp.findings.iter().any(|f| f.code == "missing-viewbox"));
    let shapes = imp.map.iter().filter(|(_, n)| matches!(n.kind, NodeKind::Shape(_))).count();
    assert_eq!(shapes, 8);
    assert!(imp.map.iter().all(|(_, n)| n.id.is_none()));
}

#[test]
fn web_map_aria_labels_use_and_okviz_attributes() {
    let map = import("web.svg").map;
    assert_eq!(map.meta.author.as_deref(), Some("Facilities Team"));
    assert_eq!(map.meta.attribution.as_deref(), Some("Floor data: Example Corp"));
    assert_eq!(map.meta.autofetch.as_deref(), Some("true"));
    assert_eq!(map.meta.no_labels, Some(false));
    assert_eq!(map.node(key(&map, "Room_x20_A1")).title.as_deref(), Some("Room A1"), "from aria-label");
    assert_eq!(map.node(key(&map, "Meeting")).binding(), &Binding::Strong("Room B2".into()));
    assert_eq!(map.node(key(&map, "Restricted")).binding(), &Binding::DoNotBind);
    assert_eq!(map.node(key(&map, "Room_x20_B1")).drill_url(), Some("https://example.com/floors/2.svg"));
    // `use` is resolved into a group holding a copy of the template, placed by x/y.
    let desk = key(&map, "Desk_x20_2");
    let b = map.bbox_in_doc(desk).unwrap();
    assert_eq!((b.x0, b.y0, b.width(), b.height()), (100.0, 220.0, 40.0, 24.0));
    assert_eq!(map.node(desk).title.as_deref(), Some("Desk 2"));
    let cats = Categories::new(std::fs::read_to_string(support::fixture("categories.txt")).unwrap().lines());
    let st = Statuses::compute(&map, Some(&cats));
    let status = |id: &str| st.status(key(&map, id));
    assert_eq!(status("Room_x20_A3"), AreaStatus::Matched);
    assert_eq!(status("Desk_x20_2"), AreaStatus::Matched, "follows matched group");
    assert_eq!(status("Meeting"), AreaStatus::Strong);
    assert_eq!(status("Lab"), AreaStatus::Unbound);
    assert_eq!(status("Elevator"), AreaStatus::Decoration);
    assert_eq!(status("Stairs"), AreaStatus::Link);
    assert_eq!(status("Room_x20_B3"), AreaStatus::Unmatched);
}

#[test]
fn svgz_and_jsvg_are_read() {
    use std::io::Write;
    let svg = std::fs::read(support::fixture("illustrator.svg")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&svg).unwrap();
    let from_gz = synmap::svg::import_bytes(&gz.finish().unwrap()).unwrap();
    assert_eq!(ids(&from_gz.map), ids(&import("illustrator.svg").map));
    let jsvg = import("sample.jsvg");
    assert!(jsvg.map.find_id("Room_x20_201").is_some());
    assert!(jsvg.map.find_id("_203").is_some());
}

/// Imports SVG text, panicking with the error.
fn import_text(svg: &str) -> synmap::svg::Imported {
    synmap::svg::import_bytes(svg.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn use_before_its_target_is_copied_in_its_place() {
    let imp = import_text(
        r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 100">
             <rect id="first" width="1" height="1"/>
             <use id="copy" xlink:href="#later" x="50"/>
             <rect id="middle" width="1" height="1"/>
             <use id="loop" href="#cycle"/>
             <use id="gone" href="#missing"/>
             <defs><rect id="later" width="10" height="10" fill="#123456"/></defs>
             <g id="cycle"><use href="#cycle"/></g>
           </svg>"##,
    );
    let map = &imp.map;
    let order: Vec<String> =
        map.roots().iter().filter_map(|&k| map.node(k).id.as_ref().map(ToString::to_string)).collect();
    assert_eq!(
        order,
        ["first", "copy", "middle", "loop", "cycle"],
        "paint order kept; the broken use dropped"
    );
    let copy = key(map, "copy");
    let inside = map.children(Some(copy));
    assert_eq!(inside.len(), 1);
    assert_eq!(map.node(inside[0]).style.get("fill"), Some("#123456"));
    assert_eq!(map.bbox_in_doc(inside[0]).unwrap().x0, 50.0);
    let codes: Vec<&str> = imp.findings.iter().map(|f| f.code).collect();
    assert!(codes.contains(&"broken-reference") && codes.contains(&"reference-cycle"), "{codes:?}");
}

#[test]
fn a_group_title_read_after_the_group_started_wins_over_its_label() {
    let imp = import_text(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
             <g id="wing" data-name="Label"><rect id="r" width="1" height="1"/><title>Wing A</title></g>
             <g id="hall" data-name="Hall"><rect width="1" height="1"/></g>
             <title>Plan</title><desc>Floor 1</desc>
           </svg>"#,
    );
    let map = &imp.map;
    let wing = map.node(key(map, "wing"));
    assert_eq!((wing.title.as_deref(), wing.title_attr), (Some("Wing A"), None));
    assert_eq!(wing.attr("data-name"), Some("Label"), "the label is no longer the title: carried through");
    let hall = map.node(key(map, "hall"));
    assert_eq!(
        (hall.title.as_deref(), hall.title_attr),
        (Some("Hall"), Some(synmap::model::TitleAttr::DataName))
    );
    assert_eq!(hall.attr("data-name"), None);
    assert_eq!((map.meta.title.as_deref(), map.meta.description.as_deref()), (Some("Plan"), Some("Floor 1")));
}

#[test]
fn selectors_see_ancestors_and_earlier_siblings_wherever_the_css_stands() {
    let css = r#"<style>
               .floor > rect { fill: #111111 }
               rect:first-child { stroke: #222222 }
               .room + rect { fill: #333333 }
               svg .room { stroke-width: 3 }
             </style>"#;
    let content = r#"<g id="floor" class="floor">
               <rect id="a" width="1" height="1"/>
               <rect id="b" class="room" width="1" height="1"/>
               <rect id="c" width="1" height="1"/>
             </g>"#;
    // CSS first is read in one pass; CSS after the content makes the import read it first.
    for (first, last) in [(css, content), (content, css)] {
        let imp = import_text(&format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{first}{last}</svg>"#
        ));
        let map = &imp.map;
        assert_eq!(style(map, "a", "fill"), Some("#111111"));
        assert_eq!(style(map, "a", "stroke"), Some("#222222"));
        assert_eq!(style(map, "b", "stroke"), None);
        assert_eq!(style(map, "b", "stroke-width"), Some("3"));
        assert_eq!(
            style(map, "c", "fill"),
            Some("#333333"),
            "the adjacent sibling rule, later in the sheet, wins"
        );
    }
}

#[test]
fn a_use_of_an_element_read_before_it_is_copied() {
    let imp = import_text(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
             <rect id="room" width="10" height="10" fill="#abcdef"/>
             <defs><circle id="dot" r="2"/></defs>
             <use id="again" href="#room" y="20"/>
             <use id="marker" href="#dot"/>
           </svg>"##,
    );
    let map = &imp.map;
    for (use_id, element) in [("again", "rect"), ("marker", "circle")] {
        let inside = map.children(Some(key(map, use_id)));
        assert_eq!(inside.len(), 1, "{use_id}");
        assert_eq!(map.node(inside[0]).element_name(), element);
    }
    assert!(imp.findings.iter().all(|f| f.code != "broken-reference"));
}

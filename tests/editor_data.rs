//! The Data panel driven headless: the report's values loaded from a file through the File
//! menu's dialog, the counts and near misses it shows, one value bound with a click, the rest
//! accepted at once as one undo step, a value dragged onto an area, a pasted column, a file
//! read again when it changes on disk, and the values never written anywhere.

mod support;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use support::editor::{SAMPLE_VIEW_BOX, Scripted, drag, editor, screen_point, wait_for, wait_until};

const VALUES: &str = "Room,Sales\nOffice 101,10\nOffice-102,20\nMeeting Room Stockholmm,30\nWC  Men,5\nRoof Terrace,1\nZeppelin Hangar,9\n";

#[test]
fn values_are_loaded_matched_bound_and_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("floor.svg");
    std::fs::copy(support::sample(), &file).unwrap();
    let values = dir.path().join("sales.csv");
    std::fs::write(&values, VALUES).unwrap();
    let dialogs = Scripted::default();
    dialogs.answer(Some(values.clone()));
    let mut h = editor(Some(file.clone()), dir.path(), dialogs);
    support::editor::wait_loaded(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::O);
    wait_for(&mut h, "sales.csv: 6 values · 5 match no area");
    // Near misses, each with the area it was meant for.
    assert!(h.query_by_label_contains("probably Office 102").is_some());
    assert!(h.query_by_label_contains("probably Meeting Room Stockholm").is_some());
    assert!(h.query_by_label_contains("probably WC Men").is_some());
    assert!(h.query_by_label_contains("Roof Terrace").is_some(), "a value no area is near is listed too");
    // The tree says each area's status against the values.
    use egui_kittest::kittest::NodeT;
    // Selected on the canvas, the row is scrolled into view.
    let office_101 = screen_point(&h, SAMPLE_VIEW_BOX, (85.0, 150.0));
    support::editor::select_at(&mut h, office_101);
    h.run_steps(2);
    let row = h.get_by_role_and_label(egui::accesskit::Role::TreeItem, "Office 101");
    assert_eq!(row.accesskit_node().description().as_deref(), Some("level 2, matched"));

    // One value bound with its Bind button: the area is renamed to it.
    let binds = h.query_all_by_label("Bind").count();
    assert_eq!(binds, 3);
    h.query_all_by_label("Bind").next().unwrap().click();
    wait_for(&mut h, "Bound 1 value");
    wait_for(&mut h, "4 match no area");

    // The rest at once, one undo step.
    h.get_by_label("Accept all 2 suggestions").click();
    wait_for(&mut h, "Bound 2 values");
    wait_for(&mut h, "2 match no area");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    wait_for(&mut h, "4 match no area");
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run_steps(2);
    wait_for(&mut h, "2 match no area");

    // A value dragged onto an area binds it, by its data point when that is chosen.
    h.get_by_label("its data point").click();
    h.run_steps(1);
    let from = h.get_by_label("Roof Terrace").rect().center();
    let office_103 = screen_point(&h, SAMPLE_VIEW_BOX, (265.0, 150.0));
    drag(&mut h, from, office_103);
    wait_for(&mut h, "1 match no area");
    support::editor::select_at(&mut h, office_103);
    assert_eq!(h.get_by_label("Name").value().as_deref(), Some("Office 103"), "the name stays");

    // The values go nowhere: not in the settings, the autosave or the saved map.
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    wait_until(&mut h, "the save", |h| !h.state().is_dirty());
    let mut written = String::new();
    for entry in walkdir(dir.path()) {
        if entry != values {
            written.push_str(&String::from_utf8_lossy(&std::fs::read(&entry).unwrap_or_default()));
        }
    }
    assert!(!written.contains("Zeppelin"), "a value no area takes was written somewhere");
    assert!(written.contains("Roof Terrace"), "the bound value is map content (the strong data point)");

    // The file changes on disk: it is read again.
    std::fs::write(&values, format!("{VALUES}Annex 7,2\n")).unwrap();
    wait_for(&mut h, "sales.csv: 7 values");
}

#[test]
fn a_column_pasted_into_the_panel_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = editor(Some(support::sample()), dir.path(), Scripted::default());
    support::editor::wait_loaded(&mut h);
    h.get_by_role_and_label(egui::accesskit::Role::Button, "Data").click();
    h.run_steps(2);
    h.get_by_label("Paste values").click();
    h.run_steps(2);
    let field = h.get_by_label("One value per line, or a column copied from a spreadsheet");
    field.click();
    h.run_steps(1);
    h.get_by_label("One value per line, or a column copied from a spreadsheet")
        .type_text("Office 101\nKitchen\nNowhere\n");
    h.run_steps(1);
    h.get_by_label("Use these values").click();
    wait_for(&mut h, "pasted values: 3 values · 1 match no area");
}

/// Every file under `dir`.
fn walkdir(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() { out.extend(walkdir(&path)) } else { out.push(path) }
    }
    out
}

#[test]
fn areas_are_named_from_their_labels_after_a_look_at_the_proposed_names() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.svg");
    std::fs::write(
        &plan,
        concat!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 200 100\">",
            "<path id=\"path12\" d=\"M0 0H100V100H0Z\" style=\"fill:#ddd\"/><rect id=\"rect7\" x=\"100\" width=\"100\" height=\"100\" style=\"fill:#eee\"/>",
            "<text x=\"50\" y=\"50\">Room 101</text><text x=\"150\" y=\"50\">Room 102</text></svg>"
        ),
    )
    .unwrap();
    let mut h = editor(Some(plan), dir.path(), Scripted::default());
    support::editor::wait_loaded(&mut h);
    h.get_by_label("Edit").click();
    h.run_steps(2);
    h.get_by_label("Name areas…").click();
    h.run_steps(2);
    wait_for(&mut h, "2 areas to name");
    assert!(h.query_all_by_label("path12").count() >= 2, "the table shows the id now, beside the tree's row");
    h.get_by_label("Name them").click();
    wait_for(&mut h, "Named 2 areas");
    assert!(
        h.query_by_label_contains("Room 101").is_some() && h.query_by_label_contains("Room 102").is_some()
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    wait_until(&mut h, "one undo step", |h| {
        h.query_by_label_contains("Room 101").is_none()
            && h.query_by_label("rect7").is_some()
            && h.query_by_label("path12").is_some()
    });
}

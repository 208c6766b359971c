//! Defects a new user hit in the real window, each driven the way the user met it (pointer
//! clicks at widget positions, typing, Enter), so each test failed before its fix.

mod support;

use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use support::editor::{
    SAMPLE_VIEW_BOX, Scripted, click_at, double_click_at, editor, open_sample_copy, save_and_read,
    screen_point, select_at, wait_for, wait_loaded, wait_until,
};
use synmap::model::Binding;

#[test]
fn a_strong_data_point_can_be_set_by_picking_value_and_typing_it() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut h) = open_sample_copy(dir.path());
    let office = screen_point(&h, SAMPLE_VIEW_BOX, (85.0, 150.0));
    select_at(&mut h, office);
    let value = h.get_by_label("Value").rect().center();
    click_at(&mut h, value);
    h.run_steps(2);
    // Picking Value opens the field with the keyboard in it.
    h.get_by_label("Data point").type_text("Room 7");
    h.key_press(Key::Enter);
    h.run_steps(3);
    let saved = save_and_read(&mut h, &file);
    let office = saved.find_id("Office_x20_101").unwrap();
    assert_eq!(saved.node(office).binding(), &Binding::Strong("Room 7".into()));
    // Back to Auto Bind is one click.
    let auto = h.get_by_label("Auto Bind").rect().center();
    click_at(&mut h, auto);
    h.run_steps(2);
    let saved = save_and_read(&mut h, &file);
    assert_eq!(saved.node(saved.find_id("Office_x20_101").unwrap()).binding(), &Binding::Auto);
}

#[test]
fn rows_of_the_areas_tree_select_when_clicked_and_shift_clicked() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut h) = open_sample_copy(dir.path());
    let row = h.get_by_label("Office 111").rect().center();
    click_at(&mut h, row);
    assert_eq!(h.state().selection_len(), 1);
    assert_eq!(h.get_by_label("Name").value().as_deref(), Some("Office 111"));
    h.get_by_label("Office 110").click_modifiers(Modifiers::SHIFT);
    h.run_steps(2);
    assert_eq!(h.state().selection_len(), 2, "Shift-click adds a row");
    // A group is selected from its row.
    let zone = h.get_by_label("Zone East").rect().center();
    click_at(&mut h, zone);
    assert_eq!(h.state().selection_len(), 1);
    assert_eq!(h.get_by_label("Name").value().as_deref(), Some("Zone East"));
}

#[test]
fn a_canvas_click_selects_the_zone_a_double_click_enters_it_and_escape_leaves() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut h) = open_sample_copy(dir.path());
    let office = screen_point(&h, SAMPLE_VIEW_BOX, (85.0, 150.0));
    click_at(&mut h, office);
    assert_eq!(h.get_by_label("Name").value().as_deref(), Some("Zone North"), "the group is one area");
    double_click_at(&mut h, office);
    assert_eq!(h.get_by_label("Name").value().as_deref(), Some("Office 101"));
    assert!(h.query_by_label_contains("Inside Zone North (Esc leaves)").is_some());
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert_eq!(h.get_by_label("Name").value().as_deref(), Some("Zone North"));
    assert!(h.query_by_label_contains("Inside Zone North").is_none());
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert_eq!(h.state().selection_len(), 0, "at the top, Escape clears the selection");
}

#[test]
fn the_areas_tree_is_walked_with_the_keyboard_and_tells_assistive_technology_what_each_row_is() {
    use egui::accesskit::Role;
    let dir = tempfile::tempdir().unwrap();
    let (_, mut h) = open_sample_copy(dir.path());
    // Rows are tree items with their level, open state and binding status.
    let office = h.get_by_role_and_label(Role::TreeItem, "Office 111");
    assert_eq!(office.accesskit_node().level(), Some(2));
    assert_eq!(office.accesskit_node().description().as_deref(), Some("level 2, unmatched"));
    let zone = h.get_by_role_and_label(Role::TreeItem, "Zone East");
    assert_eq!(zone.accesskit_node().data().is_expanded(), Some(true));
    assert_eq!(zone.accesskit_node().description().as_deref(), Some("level 1, open group, unmatched"));
    assert_eq!(h.query_all_by_label("Close Zone East").count(), 1, "the expander is named");
    // One Tab stop for the whole tree: only the current row can take the keyboard.
    let focusable = h
        .query_all_by_role(Role::TreeItem)
        .filter(|n| n.accesskit_node().data().supports_action(egui::accesskit::Action::Focus))
        .count();
    assert_eq!(focusable, 1);

    let row = h.get_by_label("Office 111").rect().center();
    click_at(&mut h, row);
    h.key_press(Key::ArrowDown);
    h.run_steps(2);
    assert_eq!(h.get_by_label("Name").value().as_deref(), Some("Office 110"), "Down selects the next row");
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowDown);
    h.run_steps(2);
    assert_eq!(h.state().selection_len(), 2, "Shift+Down adds the next row");
    h.key_press(Key::ArrowLeft);
    h.run_steps(2);
    assert_eq!(h.get_by_label("Name").value().as_deref(), Some("Zone East"), "Left goes to the group");
    h.key_press(Key::ArrowLeft);
    h.run_steps(2);
    assert!(h.query_by_label("Office 111").is_none(), "Left again closes it");
    assert_eq!(
        h.get_by_role_and_label(Role::TreeItem, "Zone East").accesskit_node().data().is_expanded(),
        Some(false)
    );
    h.key_press(Key::ArrowRight);
    h.run_steps(2);
    h.key_press(Key::ArrowRight);
    h.run_steps(2);
    assert_eq!(
        h.get_by_label("Name").value().as_deref(),
        Some("Meeting Room Helsinki"),
        "Right opens, then enters"
    );
    // The map's shortcuts still work from a row: Ctrl+H hides the selected area.
    h.key_press_modifiers(Modifiers::COMMAND, Key::H);
    h.run_steps(2);
    assert!(h.query_by_label_contains("Meeting Room Helsinki  (hidden)").is_some());
    h.key_press(Key::End);
    h.run_steps(3);
    assert_eq!(h.get_by_label("Name").value().as_deref(), Some("Corridor"), "End goes to the last row");
    let last = h.get_by_role_and_label(Role::TreeItem, "Corridor");
    assert!(last.is_focused(), "and the list scrolled to it and gave it the keyboard");
}

#[test]
fn the_problems_panel_lists_what_synmap_check_reports() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("departements.svg");
    std::fs::write(
        &file,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
        <path id="01" d="M0 0H10V10H0Z" onclick="alert(1)"/><path id="2A" d="M20 0H30V10H20Z"/>
        <rect id="Print Room" x="40" y="0" width="10" height="10"/></svg>"#,
    )
    .unwrap();
    let report = synmap::check::check(&synmap::svg::import_file(&file).unwrap(), None);
    let errors = report.count(synmap::findings::Severity::Error);
    assert!(errors >= 4, "three invalid ids and the script: {:?}", report.findings);
    let mut h = editor(Some(file), dir.path(), Scripted::default());
    wait_loaded(&mut h);
    let heading = format!("Problems ({errors} errors, {} in all)", report.findings.len());
    wait_until(&mut h, &heading, |h| h.query_by_label(&heading).is_some());
    assert!(h.query_by_label_contains("invalid id \"Print Room\"").is_some(), "an id with a space is listed");
}

#[test]
fn a_bulk_rename_that_would_clash_says_which_names_and_renames_the_others_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut h) = open_sample_copy(dir.path());
    // A band round Office 101 to 108, with Ctrl to pick the offices inside their zone.
    let (a, b) =
        (screen_point(&h, SAMPLE_VIEW_BOX, (35.0, 52.0)), screen_point(&h, SAMPLE_VIEW_BOX, (765.0, 246.0)));
    support::editor::with_modifiers(&mut h, Modifiers::COMMAND, |h| support::editor::drag(h, a, b));
    assert_eq!(h.state().selection_len(), 8);
    h.get_by_label("Find").focus();
    h.run_steps(1);
    h.get_by_label("Find").type_text("Office 10");
    h.get_by_label("Replace with").focus();
    h.run_steps(1);
    h.get_by_label("Replace with").type_text("Office 11");
    h.run_steps(2);
    h.get_by_label("Replace in names").click();
    h.run_steps(3);
    assert!(h.query_by_label("1 name cannot be used:").is_some(), "the clash is named, not silently dropped");
    assert!(h.query_by_label("• Office 111: already used").is_some());
    assert!(!h.state().is_dirty(), "nothing is renamed before the author decides");
    h.get_by_label("Rename the other 7").click();
    h.run_steps(3);
    let saved = save_and_read(&mut h, &file);
    assert!(saved.find_id("Office_x20_101").is_some(), "the clashing one keeps its name");
    assert!(saved.find_id("Office_x20_112").is_some() && saved.find_id("Office_x20_118").is_some());
}

#[test]
fn enter_places_the_text_label_and_escape_that_closes_a_menu_keeps_the_selection() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut h) = open_sample_copy(dir.path());
    h.key_press(Key::T);
    h.run_steps(1);
    let free = screen_point(&h, SAMPLE_VIEW_BOX, (1100.0, 760.0));
    click_at(&mut h, free);
    h.run_steps(2);
    h.get_by_label("Text of the label").type_text("Archive");
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert!(h.query_by_label("Text of the label").is_none(), "Enter closes the dialog");
    save_and_read(&mut h, &file);
    assert!(std::fs::read_to_string(&file).unwrap().contains(">Archive</text>"), "the label is placed");

    h.key_press(Key::V);
    h.run_steps(1);
    let office = screen_point(&h, SAMPLE_VIEW_BOX, (85.0, 150.0));
    select_at(&mut h, office);
    assert_eq!(h.state().selection_len(), 1);
    h.get_by_label("Edit").click();
    h.run_steps(2);
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert_eq!(h.state().selection_len(), 1, "Escape closed the menu; the selection stays");
}

#[test]
fn the_status_bar_shows_the_selection_size_the_pointer_and_the_zoom() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut h) = open_sample_copy(dir.path());
    let office = screen_point(&h, SAMPLE_VIEW_BOX, (85.0, 150.0));
    select_at(&mut h, office);
    h.hover_at(office);
    h.run_steps(2);
    assert!(h.query_by_label("Office 101, unmatched").is_some(), "the selection's name and binding status");
    assert!(h.query_by_label_contains("90.0 × 180.0   ·   x 8").is_some(), "size and pointer");
    assert!(h.query_by_label_contains("y 150.0   ·   ").is_some(), "the pointer is where the click was");
    assert!(h.query_by_label_contains(" %").is_some(), "the zoom");
}

#[test]
fn without_the_desktops_file_dialog_the_window_offers_its_own_chooser() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("floor.svg");
    std::fs::copy(support::sample(), &file).unwrap();
    let dialogs = Scripted::default();
    dialogs.unavailable();
    let mut h = editor(None, dir.path(), dialogs);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("file dialog is not available here").is_some(),
        "not silent: the window says so and offers its chooser"
    );
    h.get_by_label("File name").focus();
    h.get_by_label("File name").type_text(file.to_str().unwrap());
    h.run_steps(2);
    h.get_by_label("Open").click();
    wait_loaded(&mut h);
    assert_eq!(h.state().area_count(), Some(34));
}

/// Met in the real window started as `synmap map.svg` with no desktop portal: the chooser that
/// Export opened listed nothing (the map's folder was ""), could not be typed into (the Export
/// dialog under it kept the keyboard), and a cancelled Open closed the map.
#[test]
fn the_chooser_over_the_export_dialog_takes_the_keyboard_and_a_cancelled_open_keeps_the_map() {
    let dir = tempfile::tempdir().unwrap();
    let file = support::editor::sample_copy(dir.path());
    let dialogs = Scripted::default();
    let mut h = editor(Some(file), dir.path(), dialogs.clone());
    wait_loaded(&mut h);
    dialogs.answer(None);
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run_steps(3);
    assert_eq!(h.state().area_count(), Some(34), "a cancelled Open keeps the map");

    dialogs.unavailable();
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert!(h.query_by_label_contains("file dialog is not available here").is_some());
    assert!(h.query_by_label("floor.svg").is_some(), "the map's folder is listed");
    assert!(h.get_by_label("File name").is_focused(), "the name field has the keyboard");
    // Escape leaves the chooser for the Export dialog under it.
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.query_by_label_contains("file dialog is not available here").is_none());
    assert!(h.query_by_label("Choose file and export…").is_some(), "the Export dialog stays");
    dialogs.unavailable();
    h.key_press(Key::Enter);
    h.run_steps(3);
    h.key_combination_modifiers(Modifiers::COMMAND, &[Key::A]);
    h.get_by_label("File name").type_text("for the visual");
    h.run_steps(1);
    h.key_press(Key::Enter);
    wait_for(&mut h, "Exported");
    let exported = std::fs::read_to_string(dir.path().join("for the visual.svg")).unwrap();
    assert!(exported.contains("Office_x20_101"));
}

#[test]
fn with_no_map_a_start_screen_offers_new_open_recent_and_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = editor(None, dir.path(), Scripted::default());
    h.run_steps(2);
    for entry in ["New map…", "New from image…", "Open…", "Open the sample map"] {
        assert!(h.query_by_label(entry).is_some(), "{entry} is on the start screen");
    }
    h.get_by_label("New map…").click();
    h.run_steps(3);
    assert!(h.query_by_label("Create").is_some(), "New map asks for the size");
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    h.get_by_label("Open the sample map").click();
    h.run_steps(3);
    assert_eq!(h.state().area_count(), Some(34));
    assert!(!h.state().is_dirty(), "nothing to save yet");
}

#[test]
fn a_hidden_area_can_be_found_by_search_and_shown_again() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut h) = open_sample_copy(dir.path());
    let office = screen_point(&h, SAMPLE_VIEW_BOX, (85.0, 150.0));
    select_at(&mut h, office);
    h.key_press_modifiers(Modifiers::COMMAND, Key::H);
    h.run_steps(2);
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert_eq!(h.state().selection_len(), 0);
    h.get_by_label("Search id, title or data point").focus();
    h.get_by_label("Search id, title or data point").type_text("office 101");
    h.run_steps(3);
    assert!(h.query_by_label_contains("0 of 33 areas, and 1 hidden").is_some());
    h.get_by_label("Office 101  ·  hidden (Ctrl+H shows it)").click();
    h.run_steps(2);
    assert_eq!(h.state().selection_len(), 1);
    // The search field has the keyboard: show it from the menu.
    h.get_by_label("Edit").click();
    h.run_steps(2);
    h.get_by_label("Hide / show").click();
    h.run_steps(3);
    assert!(h.query_by_label_contains("1 of 34 areas").is_some(), "shown again, and an area again");
}

#[test]
fn an_opened_map_joins_the_recent_maps_in_the_settings_file() {
    // Written on another thread: the frame that takes the map in does not wait for the disk.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("office.svg");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/samples/office-floor.svg"), &file).unwrap();
    let settings = dir.path().join("settings.toml");
    let mut h = editor(Some(file.clone()), dir.path(), Scripted::default());
    wait_until(&mut h, "the recent maps written", |_| {
        std::fs::read_to_string(&settings).is_ok_and(|s| s.contains("office.svg"))
    });
    let written = synmap::storage::config::Settings::load_from(&settings).unwrap();
    assert_eq!(written.recent_files, [file.canonicalize().unwrap()]);
}

//! The editor driven like an author would, by accessible labels and canvas positions: open a
//! map, select an area by clicking it, rename it, draw a rectangle, undo and redo, save, and
//! check the saved file with the engine; autosave and recovery after a crash.

mod support;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use support::editor::{
    SAMPLE_VIEW_BOX, Scripted, click_at, drag, editor, open_sample_copy, sample_copy, save_and_read,
    screen_point, select_at, wait_for, wait_loaded, wait_until,
};

#[test]
fn select_rename_draw_undo_redo_save() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut h) = open_sample_copy(dir.path());
    assert_eq!(
        synmap::svg::import_file(&file).unwrap().map.view_box.rect(),
        kurbo::Rect::new(0.0, 0.0, SAMPLE_VIEW_BOX[2], SAMPLE_VIEW_BOX[3]),
        "the test's view box matches the sample"
    );

    // Office 101 is the rect at x 40..130, y 60..240: click its middle.
    let p = screen_point(&h, SAMPLE_VIEW_BOX, (85.0, 150.0));
    select_at(&mut h, p);
    let name = h.get_by_label("Name");
    assert_eq!(name.value().as_deref(), Some("Office 101"), "clicking the canvas selects the area");

    // Ctrl+R puts the keyboard in the name field.
    h.key_press_modifiers(Modifiers::COMMAND, Key::R);
    h.run_steps(2);
    assert!(h.get_by_label("Name").is_focused(), "Ctrl+R focuses the name");
    h.key_combination_modifiers(Modifiers::COMMAND, &[Key::A]);
    h.get_by_label("Name").type_text("Reception desk");
    h.key_press(Key::Enter);
    h.run_steps(4);
    wait_until(&mut h, "the rename", |h| h.state().is_dirty());

    // Draw a rectangle in the free space at the bottom right.
    h.hover_at(screen_point(&h, SAMPLE_VIEW_BOX, (600.0, 400.0)));
    h.step();
    h.key_press(Key::R);
    h.step();
    let a = screen_point(&h, SAMPLE_VIEW_BOX, (1100.0, 700.0));
    let b = screen_point(&h, SAMPLE_VIEW_BOX, (1180.0, 780.0));
    // With Alt: exactly where the pointer goes (no snapping, no smart guides).
    support::editor::with_modifiers(&mut h, Modifiers::ALT, |h| drag(h, a, b));
    assert_eq!(h.get_by_label("Name").value().as_deref(), Some("Area_1"), "the new rectangle is selected");

    // Undo removes it, redo brings it back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    wait_until(&mut h, "the rectangle gone", |h| h.query_all_by_label_contains("Area_1").next().is_none());
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run_steps(3);
    wait_until(&mut h, "the rectangle back", |h| h.query_all_by_label_contains("Area_1").next().is_some());

    // Save in place (Ctrl+S) and check the file with the engine.
    let saved = save_and_read(&mut h, &file);
    assert!(h.query_by_label_contains("Saved").is_some());
    let ids: Vec<String> =
        saved.iter().filter_map(|(_, n)| n.id.as_ref().map(|i| i.as_str().to_string())).collect();
    assert!(ids.contains(&"Reception_x20_desk".to_string()), "{ids:?}");
    assert!(!ids.contains(&"Office_x20_101".to_string()));
    let rect = saved.find_id("Area_1").expect("the drawn rectangle is saved");
    let bbox = saved.bbox_in_doc(rect).unwrap();
    assert!((bbox.x0 - 1100.0).abs() < 2.0 && (bbox.y1 - 780.0).abs() < 2.0, "{bbox:?}");
}

#[test]
fn autosave_is_offered_back_after_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let file = sample_copy(dir.path());
    {
        let mut h = editor(Some(file.clone()), dir.path(), Scripted::default());
        wait_loaded(&mut h);
        let p = screen_point(&h, SAMPLE_VIEW_BOX, (85.0, 150.0));
        select_at(&mut h, p);
        h.key_press(Key::Delete);
        h.run_steps(3);
        assert!(h.state().is_dirty());
        // Idle long enough for the autosave, then "crash": the harness is dropped unsaved.
        wait_until(&mut h, "the autosave", |_| dir.path().join("data/autosave/autosave.svg").exists());
        wait_until(&mut h, "the autosave's record", |_| {
            dir.path().join("data/autosave/autosave.json").exists()
        });
    }
    let original = std::fs::read(&file).unwrap();
    let mut h = editor(None, dir.path(), Scripted::default());
    wait_for(&mut h, "did not close normally");
    assert!(
        h.query_by_label_contains("has unsaved work from just now (").is_some(),
        "its age, not a raw UTC stamp"
    );
    h.get_by_label("Restore").click();
    h.run_steps(3);
    wait_for(&mut h, "Restored unsaved work");
    assert!(h.state().is_dirty());
    assert_eq!(h.state().area_count(), Some(33), "the deletion came back with the autosave");
    assert_eq!(std::fs::read(&file).unwrap(), original, "recovery does not touch the file");
}

#[test]
fn preview_pane_renders_and_exports_a_png() {
    let dir = tempfile::tempdir().unwrap();
    let dialogs = Scripted::default();
    let png = dir.path().join("preview.png");
    dialogs.answer(Some(png.clone()));
    let mut h = editor(Some(support::sample()), dir.path(), dialogs);
    wait_loaded(&mut h);
    h.get_by_label("Preview").click();
    h.run_steps(3);
    wait_for(&mut h, "Preview of the exported map");
    // The legend is the window's own text, not pixels scaled down with the image.
    for status in ["matched", "strong", "unmatched", "unbound", "link"] {
        assert!(h.query_by_label(status).is_some(), "the legend names {status}");
    }
    h.get_by_label("Export PNG…").click();
    wait_for(&mut h, "Exported the preview");
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let info = decoder.read_info().unwrap().info().clone();
    assert_eq!(info.width, 2048);
}

#[test]
fn pen_node_editing_and_text_tools() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut h) = open_sample_copy(dir.path());
    let at = |h: &egui_kittest::Harness<'_, synmap::app::EditorApp>, x: f64, y: f64| {
        screen_point(h, SAMPLE_VIEW_BOX, (x, y))
    };

    // Pen: three points in free space, then click the first one to close the outline.
    h.hover_at(at(&h, 600.0, 400.0));
    h.step();
    h.key_press(Key::B);
    h.step();
    assert_eq!(h.state().tool(), synmap::editor::tools::ToolKind::Pen);
    for (x, y) in [(1060.0, 700.0), (1180.0, 700.0), (1120.0, 780.0), (1060.0, 700.0)] {
        let p = at(&h, x, y);
        click_at(&mut h, p);
    }
    assert_eq!(h.get_by_label("Name").value().as_deref(), Some("Area_1"), "the closed outline is a new area");

    // Node tool: drag the third node down by 10 units.
    h.key_press(Key::A);
    h.step();
    let (from, to) = (at(&h, 1120.0, 780.0), at(&h, 1120.0, 790.0));
    drag(&mut h, from, to);

    // Text tool: a label is decoration.
    h.key_press(Key::T);
    h.step();
    let p = at(&h, 1000.0, 650.0);
    click_at(&mut h, p);
    wait_for(&mut h, "Text of the label");
    h.get_by_label("Text of the label").type_text("Fire exit");
    h.run_steps(2);
    h.get_by_label("Place").click();
    h.run_steps(3);

    let saved = save_and_read(&mut h, &file);
    let key = saved.find_id("Area_1").expect("the pen area is saved");
    let b = saved.bbox_in_doc(key).unwrap();
    assert!((b.y1 - 790.0).abs() < 1.5, "the moved node: {b:?}");
    assert!((b.x0 - 1060.0).abs() < 1.5 && (b.x1 - 1180.0).abs() < 1.5, "{b:?}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(">Fire exit</text>"), "the label is saved as text");
}

#[test]
fn a_new_map_from_an_image_traces_over_it() {
    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("scan.png");
    let mut png_bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png_bytes, 640, 480);
        enc.set_color(png::ColorType::Rgb);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&vec![200u8; 640 * 480 * 3]).unwrap();
    }
    std::fs::write(&image, png_bytes).unwrap();
    let dialogs = Scripted::default();
    dialogs.answer(Some(image));
    let mut h = editor(None, dir.path(), dialogs);
    h.run_steps(2);
    // From the start screen (the File menu has the same entry).
    h.get_by_label("New from image…").click();
    wait_for(&mut h, "Tracing image (editor only unless exported)");
    assert!(h.state().is_dirty(), "a new map has unsaved changes");
    h.get_by_label("Remove the tracing image").click();
    h.run_steps(3);
    assert!(h.query_by_label_contains("Tracing image (editor only").is_none());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    wait_for(&mut h, "Tracing image (editor only unless exported)");
}

#[test]
fn corner_handles_resize_and_the_knob_rotates() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut h) = open_sample_copy(dir.path());
    let p = screen_point(&h, SAMPLE_VIEW_BOX, (85.0, 150.0));
    select_at(&mut h, p);
    // Office 101 spans x 40..130, y 60..240: pull its bottom-right corner out by 20 units.
    let (a, b) = (
        screen_point(&h, SAMPLE_VIEW_BOX, (130.0, 240.0)),
        screen_point(&h, SAMPLE_VIEW_BOX, (150.0, 260.0)),
    );
    drag(&mut h, a, b);
    let saved = save_and_read(&mut h, &file);
    let r = saved.bbox_in_doc(saved.find_id("Office_x20_101").unwrap()).unwrap();
    assert!((r.x0 - 40.0).abs() < 1.0 && (r.y0 - 60.0).abs() < 1.0, "the opposite corner stays: {r:?}");
    assert!((r.x1 - 150.0).abs() < 2.0 && (r.y1 - 260.0).abs() < 2.0, "the corner follows: {r:?}");

    // The knob sits above the top edge's middle; dragging it a quarter turn round the centre
    // swaps the box's width and height.
    let (w, hgt) = (r.width(), r.height());
    let c = r.center();
    let knob = (c.x, r.y0 - (hgt * 0.15).max(1.0));
    let (a, b) = (
        screen_point(&h, SAMPLE_VIEW_BOX, knob),
        screen_point(&h, SAMPLE_VIEW_BOX, (c.x + (c.y - knob.1), c.y)),
    );
    drag(&mut h, a, b);
    assert!(h.state().is_dirty(), "the rotation is an edit");
    let saved = save_and_read(&mut h, &file);
    let r = saved.bbox_in_doc(saved.find_id("Office_x20_101").unwrap()).unwrap();
    assert!((r.width() - hgt).abs() < 4.0 && (r.height() - w).abs() < 4.0, "rotated a quarter turn: {r:?}");
}

/// The text the last frame put on the system clipboard.
fn copied_text(h: &egui_kittest::Harness<'_, synmap::app::EditorApp>) -> Option<String> {
    h.output().platform_output.commands.iter().find_map(|c| match c {
        egui::OutputCommand::CopyText(text) => Some(text.clone()),
        _ => None,
    })
}

#[test]
fn cut_copy_and_paste_go_through_the_system_clipboard_as_svg() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut h) = open_sample_copy(dir.path());
    let office = screen_point(&h, SAMPLE_VIEW_BOX, (85.0, 150.0));
    select_at(&mut h, office);

    // Ctrl+C reaches the app as the platform's Copy event.
    h.event(egui::Event::Copy);
    h.step();
    let svg = copied_text(&h).expect("the selection is on the clipboard");
    assert!(svg.contains("<svg") && svg.contains("id=\"Office_x20_101\""), "{svg}");
    assert!(!svg.contains("Office_x20_102"), "only the selection is copied");

    // Pasting it back adds a copy with a fresh id, selected.
    h.event(egui::Event::Paste(svg.clone()));
    h.run_steps(3);
    assert_eq!(h.state().area_count(), Some(35));
    assert_eq!(
        h.get_by_label("Name").value().as_deref(),
        Some("Office 101_2"),
        "a copy of Office 101 is not named like another office"
    );

    // Cut removes the copy as one undo step and puts it on the clipboard.
    h.event(egui::Event::Cut);
    h.step();
    assert!(copied_text(&h).is_some_and(|t| t.contains("id=\"Office_x20_101_2\"")));
    h.run_steps(2);
    assert_eq!(h.state().area_count(), Some(34));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert_eq!(h.state().area_count(), Some(35), "undo brings the cut area back");

    // SVG from another program keeps its names when they are free.
    let inkscape = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
        <g id="layer1"><rect id="Archive" x="1100" y="700" width="60" height="60" fill="#abc"/></g></svg>"##;
    h.event(egui::Event::Paste(inkscape.into()));
    h.run_steps(3);
    assert_eq!(h.state().area_count(), Some(36));
    assert_eq!(h.get_by_label("Name").value().as_deref(), Some("Archive"));

    // Plain text is refused with a reason, and changes nothing.
    h.event(egui::Event::Paste("Office 101".into()));
    h.run_steps(3);
    assert!(h.query_by_label_contains("not SVG shapes").is_some());
    assert_eq!(h.state().area_count(), Some(36));

    let saved = save_and_read(&mut h, &file);
    assert!(saved.find_id("Office_x20_101_2").is_some() && saved.find_id("Archive").is_some());
}

#[test]
fn dragging_a_tree_row_onto_a_group_regroups_it_as_one_step() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut h) = open_sample_copy(dir.path());
    let from = h.get_by_label("Office 111").rect().center();
    let to = h.get_by_label("Zone Center").rect().center();
    drag(&mut h, from, to);
    wait_until(&mut h, "the drop", |h| h.state().is_dirty());

    let parent_of = |map: &synmap::model::Map, id: &str| {
        let (parent, _) = map.position(map.find_id(id).unwrap()).unwrap();
        parent.and_then(|p| map.node(p).id.as_ref()).map(|i| i.as_str().to_string())
    };
    let saved = save_and_read(&mut h, &file);
    assert_eq!(parent_of(&saved, "Office_x20_111").as_deref(), Some("Zone_x20_Center"));
    let bbox = saved.bbox_in_doc(saved.find_id("Office_x20_111").unwrap()).unwrap();
    assert_eq!(
        (bbox.x0, bbox.y0, bbox.x1, bbox.y1),
        (1020.0, 580.0, 1160.0, 660.0),
        "it stays where it is drawn"
    );

    // One drop is one undo step.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    let saved = save_and_read(&mut h, &file);
    assert_eq!(parent_of(&saved, "Office_x20_111").as_deref(), Some("Zone_x20_East"));
}

#[test]
fn arrow_keys_nudge_the_selection_one_step_each() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut h) = open_sample_copy(dir.path());
    let office = screen_point(&h, SAMPLE_VIEW_BOX, (85.0, 150.0));
    select_at(&mut h, office);
    h.key_press(Key::ArrowRight);
    h.step();
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowDown);
    h.step();
    let saved = save_and_read(&mut h, &file);
    let bbox = saved.bbox_in_doc(saved.find_id("Office_x20_101").unwrap()).unwrap();
    assert_eq!((bbox.x0, bbox.y0), (41.0, 70.0), "1 unit right, 10 down with Shift");
}

#[test]
fn clicking_a_problem_selects_the_element_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dup.svg");
    std::fs::write(
        &file,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100">
            <rect id="Desk" x="10" y="10" width="50" height="50" fill="#ccc"/>
            <rect id="Desk" x="100" y="10" width="50" height="50" fill="#ccc"/></svg>"##,
    )
    .unwrap();
    let mut h = editor(Some(file), dir.path(), Scripted::default());
    wait_loaded(&mut h);
    wait_for(&mut h, "is used by 2 elements");
    assert!(h.query_by_label("Name").is_none(), "nothing selected yet");
    h.get_by_label_contains("is used by 2 elements").click();
    h.run_steps(3);
    assert_eq!(h.get_by_label("Name").value().as_deref(), Some("Desk"));
    assert!(h.query_by_label_contains("Another element already has this name").is_some());
}

#[test]
fn the_export_dialog_sets_author_and_attribution_and_estimates_the_size() {
    let dir = tempfile::tempdir().unwrap();
    let file = sample_copy(dir.path());
    let dialogs = Scripted::default();
    let out = dir.path().join("floor-ready.svg");
    dialogs.answer(Some(out.clone()));
    let mut h = editor(Some(file), dir.path(), dialogs);
    wait_loaded(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run_steps(2);
    wait_for(&mut h, "within the visual's 10 MB budget");
    assert!(h.query_by_label_contains("KB as SVG").is_some(), "a map of some KB is not \"0.0 MB\"");
    assert!(h.query_by_label_contains("optimised from").is_some(), "the size before and after optimising");
    // Without optimising the dialog says the plain size, and back.
    let optimise = "Optimise: the smallest map with the same picture";
    h.get_by_label(optimise).click();
    for _ in 0..200 {
        h.run_steps(1);
        if h.query_by_label_contains("optimised from").is_none()
            && h.query_by_label_contains("as SVG").is_some()
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(h.query_by_label_contains("optimised from").is_none());
    h.get_by_label(optimise).click();
    wait_for(&mut h, "optimised from");
    // Escape is Cancel.
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.query_by_label_contains("Choose file and export…").is_none(), "Escape closes the dialog");
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run_steps(2);
    wait_for(&mut h, "optimised from");
    h.get_by_label("Map author").click();
    h.run_steps(1);
    h.key_combination_modifiers(Modifiers::COMMAND, &[Key::A]);
    h.get_by_label("Map author").type_text("Facilities team");
    h.get_by_label("Map attribution").click();
    h.run_steps(1);
    h.key_combination_modifiers(Modifiers::COMMAND, &[Key::A]);
    h.get_by_label("Map attribution").type_text("Plan © Example Corp");
    h.run_steps(2);
    // Enter in a field is the default button, Choose file and export.
    h.key_press(Key::Enter);
    wait_for(&mut h, "Exported");
    let exported = std::fs::read_to_string(&out).unwrap();
    assert!(exported.contains("data-okviz-svg-author=\"Facilities team\""), "{exported}");
    assert!(exported.contains("data-okviz-svg-attribution=\"Plan © Example Corp\""));
    assert!(!exported.starts_with("<?xml") && !exported.contains('\n'), "optimised by default");
    assert!(h.state().is_dirty(), "the map now has the author and attribution");
}

#[test]
fn two_offices_combine_into_one_area_as_one_step() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut h) = open_sample_copy(dir.path());
    let office_101 = screen_point(&h, SAMPLE_VIEW_BOX, (85.0, 150.0));
    let office_102 = screen_point(&h, SAMPLE_VIEW_BOX, (175.0, 150.0));
    select_at(&mut h, office_101);
    support::editor::with_modifiers(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, |h| {
        click_at(h, office_102)
    });
    assert_eq!(h.state().selection_len(), 2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run_steps(3);
    // Both have names: the author picks which the combined area keeps.
    assert!(h.query_by_label_contains("keeps the name, title and binding of").is_some());
    h.get_by_role_and_label(egui::accesskit::Role::RadioButton, "Office 102").click();
    h.run_steps(1);
    h.get_by_role_and_label(egui::accesskit::Role::Button, "Combine").click();
    h.run_steps(3);
    assert_eq!(h.state().area_count(), Some(33));
    assert_eq!(h.get_by_label("Name").value().as_deref(), Some("Office 102"), "the one picked is kept");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert_eq!(h.state().area_count(), Some(34), "one undo step brings both back");
    // One shape is not enough: the status bar says why.
    select_at(&mut h, office_101);
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run_steps(2);
    assert!(h.query_by_label_contains("select two shapes or more").is_some());
}

#[test]
fn the_transform_section_places_sizes_and_rotates_the_selection_by_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut h) = open_sample_copy(dir.path());
    let office = screen_point(&h, SAMPLE_VIEW_BOX, (85.0, 150.0));
    select_at(&mut h, office);
    h.get_by_label("Transform").click();
    h.run_steps(2);
    h.get_by_label("X").set_value_accesskit(500.0);
    h.get_by_label("Width").set_value_accesskit(45.0);
    h.run_steps(2);
    h.get_by_label("Apply position and size").click();
    h.run_steps(3);
    let saved = save_and_read(&mut h, &file);
    let key = saved.find_id("Office_x20_101").unwrap();
    let b = saved.bbox_in_doc(key).unwrap();
    assert!(
        (b.x0 - 500.0).abs() < 1e-6 && (b.width() - 45.0).abs() < 1e-6 && (b.y0 - 60.0).abs() < 1e-6,
        "{b:?}"
    );
    h.get_by_label("Rotate by").set_value_accesskit(90.0);
    h.run_steps(2);
    h.get_by_label("Rotate").click();
    h.run_steps(3);
    let saved = save_and_read(&mut h, &file);
    let b = saved.bbox_in_doc(key).unwrap();
    assert!(
        (b.width() - 180.0).abs() < 1e-6 && (b.height() - 45.0).abs() < 1e-6,
        "a quarter turn about the centre: {b:?}"
    );
}

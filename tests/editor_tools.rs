//! Every canvas tool driven headless through the editor core's harness (press, drag, click,
//! key) on a real document: what each makes, what it selects, the undo step it leaves, what
//! Escape cancels, and the options it declares.

use kurbo::{Point, Rect, Shape};
use synmap::editor::Document;
use synmap::editor::harness::Harness;
use synmap::editor::tools::{OptionValue, Preview, Request, ToolKey, ToolKind};
use synmap::model::{AreaType, Geometry, Node, NodeKey, NodeKind};

/// A 400×300 map with two 100×100 rooms at (0,0) and (200,0).
fn two_rooms() -> (Harness, NodeKey, NodeKey) {
    let mut doc = Document::blank(400.0, 300.0);
    let mut room = |x: f64| {
        let mut node = Node::new(NodeKind::Shape(Geometry::Rect {
            rect: Rect::new(x, 0.0, x + 100.0, 100.0),
            rx: None,
            ry: None,
        }));
        node.id = Some(doc.fresh_id("Room").into());
        doc.add("Draw rectangle", None, node).unwrap()
    };
    let (a, b) = (room(0.0), room(200.0));
    (Harness::new(doc), a, b)
}

fn bbox(h: &Harness, key: NodeKey) -> Rect {
    h.doc.map().bbox_in_doc(key).unwrap()
}

fn geometry(h: &Harness, key: NodeKey) -> Geometry {
    match &h.doc.map().node(key).kind {
        NodeKind::Shape(g) => g.clone(),
        other => panic!("not a shape: {other:?}"),
    }
}

fn set_number(h: &mut Harness, id: &str, value: f64) {
    h.active().set_option(id, &OptionValue::Number { value, min: 0.0, max: 0.0, unit: "" });
}

#[test]
fn select_clicks_shift_clicks_and_clears() {
    let (mut h, a, b) = two_rooms();
    h.click((50.0, 50.0));
    assert_eq!(h.selection, [a]);
    h.with_shift(|h| h.click((250.0, 50.0)));
    assert_eq!(h.selection, [a, b]);
    h.with_shift(|h| h.click((50.0, 50.0)));
    assert_eq!(h.selection, [b], "Shift-click takes an area out");
    h.click((150.0, 200.0));
    assert!(h.selection.is_empty(), "a click on nothing clears");
    assert_eq!(h.doc.undo_name(), Some("Draw rectangle"), "selecting is not an edit");
}

#[test]
fn select_picks_the_outermost_group_a_double_click_enters_it_and_escape_leaves_it() {
    let (mut h, a, b) = two_rooms();
    let inner = synmap::editor::operations::group(&mut h.doc, &[a]).unwrap().unwrap();
    let outer = synmap::editor::operations::group(&mut h.doc, &[inner, b]).unwrap().unwrap();
    h.click((50.0, 50.0));
    assert_eq!(h.selection, [outer], "a click picks the outermost group");
    assert!(h.double_click((50.0, 50.0)).handled);
    assert_eq!(h.entered(), Some(outer));
    assert_eq!(h.selection, [inner], "inside it, the member under the pointer");
    assert!(h.preview().iter().any(|p| matches!(p, Preview::Group(_))), "the entered group is outlined");
    h.click((250.0, 50.0));
    assert_eq!(h.selection, [b], "clicks stay inside the entered group");
    h.double_click((50.0, 50.0));
    assert_eq!((h.entered(), h.selection.clone()), (Some(inner), vec![a]), "and go one level deeper");
    assert!(h.key(ToolKey::Escape).handled);
    assert_eq!((h.entered(), h.selection.clone()), (Some(outer), vec![inner]), "Escape goes up a level");
    h.key(ToolKey::Escape);
    assert_eq!((h.entered(), h.selection.clone()), (None, vec![outer]));
    assert!(!h.key(ToolKey::Escape).handled, "at the top, Escape is the window's (clear the selection)");
    h.with_command(|h| h.click((50.0, 50.0)));
    assert_eq!(h.selection, [a], "Ctrl picks the area itself");
    // A band picks whole groups, and only groups it holds entirely.
    h.drag((-10.0, -10.0), (150.0, 150.0));
    assert!(h.selection.is_empty(), "the outer group reaches beyond the band");
    h.drag((-10.0, -10.0), (350.0, 150.0));
    assert_eq!(h.selection, [outer]);
    // A press on a member of the selected group moves the group.
    let before = bbox(&h, b);
    h.drag((50.0, 50.0), (60.0, 50.0));
    assert_eq!(h.selection, [outer]);
    assert_eq!(bbox(&h, b).x0, before.x0 + 10.0);
}

#[test]
fn select_band_takes_what_it_encloses() {
    let (mut h, a, b) = two_rooms();
    h.drag((-10.0, -10.0), (150.0, 150.0));
    assert_eq!(h.selection, [a]);
    h.with_shift(|h| h.drag((190.0, -10.0), (310.0, 110.0)));
    assert_eq!(h.selection, [a, b], "Shift adds to the selection");
    h.drag((-10.0, -10.0), (50.0, 50.0));
    assert!(h.selection.is_empty(), "a band enclosing nothing whole selects nothing");
}

#[test]
fn select_drag_is_a_transaction_from_press_to_release_and_escape_aborts_it() {
    let (mut h, a, _) = two_rooms();
    h.press((50.0, 50.0));
    assert!(h.doc.in_transaction(), "the press begins the step");
    h.move_to((60.0, 55.0));
    h.move_to((80.0, 70.0));
    assert_eq!(bbox(&h, a), Rect::new(30.0, 20.0, 130.0, 120.0), "the map follows the pointer");
    assert_eq!(h.doc.areas[0].bbox, Rect::new(30.0, 20.0, 130.0, 120.0), "and so do the outlines");
    assert_eq!(h.doc.hit(Point::new(125.0, 115.0)), Some(a), "and hit-testing");
    assert_eq!(h.doc.undo_name(), Some("Draw rectangle"), "nothing is recorded before the release");
    h.release((80.0, 70.0));
    assert!(!h.doc.in_transaction());
    assert_eq!(bbox(&h, a), Rect::new(30.0, 20.0, 130.0, 120.0));
    assert_eq!(h.doc.undo_name(), Some("Move"));
    h.doc.undo();
    assert_eq!(bbox(&h, a), Rect::new(0.0, 0.0, 100.0, 100.0), "one undo takes the whole drag back");
    assert_eq!(h.doc.redo_name(), Some("Move"));

    h.press((50.0, 50.0));
    h.move_to((90.0, 90.0));
    assert!(h.key(ToolKey::Escape).handled, "Escape during a drag is the tool's");
    h.release((90.0, 90.0));
    assert_eq!(bbox(&h, a), Rect::new(0.0, 0.0, 100.0, 100.0), "an aborted drag changes nothing");
    assert_eq!(h.doc.redo_name(), Some("Move"), "and leaves redo as it was");
    assert!(!h.key(ToolKey::Escape).handled, "with no drag, Escape is left to the Deselect command");

    h.drag((50.0, 50.0), (50.0, 50.0));
    assert_eq!(h.doc.redo_name(), Some("Move"), "a drag that ends where it began records nothing");
}

#[test]
fn a_drag_whose_transaction_was_closed_by_an_undo_ends_without_a_stray_step() {
    let (mut h, a, _) = two_rooms();
    h.press((50.0, 50.0));
    h.move_to((70.0, 50.0));
    assert_eq!(h.doc.undo().as_deref(), Some("Move"), "Undo mid-drag commits and undoes the move");
    h.move_to((90.0, 50.0));
    h.release((90.0, 50.0));
    assert_eq!(bbox(&h, a), Rect::new(0.0, 0.0, 100.0, 100.0));
    assert_eq!(h.doc.undo_name(), Some("Draw rectangle"));

    h.tool(ToolKind::Nodes);
    h.click((50.0, 50.0));
    h.press((100.0, 100.0));
    h.move_to((120.0, 120.0));
    h.doc.undo();
    h.move_to((130.0, 130.0));
    h.release((130.0, 130.0));
    assert_eq!(bbox(&h, a), Rect::new(0.0, 0.0, 100.0, 100.0));
    assert!(!h.doc.in_transaction());
}

#[test]
fn select_resizes_by_a_corner_and_rotates_by_the_knob_in_steps_with_shift() {
    let (mut h, a, _) = two_rooms();
    h.click((50.0, 50.0));
    // The bottom-right corner handle, dragged out by 100: the room doubles from its top left.
    h.drag((100.0, 100.0), (200.0, 200.0));
    assert_eq!(h.doc.undo_name(), Some("Resize"));
    let b = bbox(&h, a);
    assert!((b.width() - 200.0).abs() < 1e-6 && (b.height() - 200.0).abs() < 1e-6, "{b:?}");
    h.doc.undo();
    // The knob stands 15 units above the top edge's middle; with Shift the angle snaps to 15°.
    let centre = Point::new(50.0, 50.0);
    let target = centre + kurbo::Vec2::from_angle(-std::f64::consts::FRAC_PI_2 + 0.8) * 80.0;
    h.with_shift(|h| h.drag((50.0, -15.0), target));
    assert_eq!(h.doc.undo_name(), Some("Rotate"));
    let t = h.doc.map().node(a).transform();
    let angle = t.as_coeffs()[1].atan2(t.as_coeffs()[0]).to_degrees();
    assert!((angle - 45.0).abs() < 1e-6, "0.8 rad (45.8°) snapped to 45°, got {angle}");
}

#[test]
fn select_leaves_locked_areas_in_place() {
    let (mut h, a, _) = two_rooms();
    h.doc.edit("Lock", vec![synmap::edit::Change::Locked(a, true)]).unwrap();
    h.drag((50.0, 50.0), (90.0, 90.0));
    assert_eq!(bbox(&h, a), Rect::new(0.0, 0.0, 100.0, 100.0));
    assert_eq!(h.doc.undo_name(), Some("Lock"), "no step for a move that moved nothing");
}

#[test]
fn nodes_drag_insert_and_delete() {
    let (mut h, a, _) = two_rooms();
    h.tool(ToolKind::Nodes);
    h.click((50.0, 50.0));
    assert_eq!(h.selection, [a]);
    assert!(matches!(&h.preview()[..], [Preview::Handles(p)] if p.len() == 4), "{:?}", h.preview());
    h.drag((100.0, 100.0), (120.0, 130.0));
    assert_eq!(h.doc.undo_name(), Some("Move node"));
    let Geometry::Polygon(points) = geometry(&h, a) else {
        panic!("a rectangle edited by nodes is a polygon")
    };
    assert!(points.contains(&Point::new(120.0, 130.0)), "{points:?}");

    h.double_click((50.0, 0.5));
    assert_eq!(h.doc.undo_name(), Some("Insert node"));
    let Geometry::Polygon(points) = geometry(&h, a) else { panic!() };
    assert_eq!(points.len(), 5);

    h.hover((50.0, 0.0));
    assert!(h.key(ToolKey::Delete).handled, "Delete over a node is the tool's");
    assert_eq!(h.doc.undo_name(), Some("Delete node"));
    let Geometry::Polygon(points) = geometry(&h, a) else { panic!() };
    assert_eq!(points.len(), 4);
    h.hover((50.0, 50.0));
    assert!(!h.key(ToolKey::Delete).handled, "Delete away from a node deletes the selection (the command)");
}

#[test]
fn rectangle_draws_a_selected_area_with_a_fresh_id_and_rounded_corners() {
    let (mut h, _, _) = two_rooms();
    h.tool(ToolKind::Rectangle);
    h.drag((300.0, 150.0), (250.0, 250.0));
    let [key] = h.selection[..] else { panic!("the new rectangle is selected") };
    assert_eq!(h.doc.map().node(key).id.as_ref().unwrap().as_str(), "Area_1");
    assert_eq!(
        geometry(&h, key),
        Geometry::Rect { rect: Rect::new(250.0, 150.0, 300.0, 250.0), rx: None, ry: None }
    );
    assert_eq!(h.doc.undo_name(), Some("Draw rectangle"));
    assert_eq!(h.doc.areas.len(), 3, "it is an area");

    set_number(&mut h, "corner-radius", 8.0);
    h.drag((0.0, 150.0), (40.0, 250.0));
    let [key] = h.selection[..] else { panic!() };
    assert_eq!(h.doc.map().node(key).id.as_ref().unwrap().as_str(), "Area_2");
    assert!(matches!(geometry(&h, key), Geometry::Rect { rx: Some(r), ry: Some(_), .. } if r == 8.0));

    let before = h.doc.map().len();
    h.drag((10.0, 280.0), (10.5, 290.0));
    assert_eq!(h.doc.map().len(), before, "a sliver under one unit wide draws nothing");
}

#[test]
fn rectangle_snaps_to_the_grid_unless_alt_is_held() {
    let (mut h, _, _) = two_rooms();
    h.snap.grid = true;
    h.tool(ToolKind::Rectangle);
    h.drag((251.0, 152.0), (298.0, 247.0));
    let [key] = h.selection[..] else { panic!() };
    assert_eq!(bbox(&h, key), Rect::new(250.0, 150.0, 300.0, 250.0));
    h.modifiers.alt = true;
    h.drag((11.0, 152.0), (48.0, 247.0));
    let [key] = h.selection[..] else { panic!() };
    assert_eq!(bbox(&h, key), Rect::new(11.0, 152.0, 48.0, 247.0));
}

#[test]
fn ellipse_draws_inside_the_dragged_box() {
    let mut h = Harness::blank(200.0, 200.0);
    h.tool(ToolKind::Ellipse);
    h.press((10.0, 20.0));
    h.move_to((110.0, 80.0));
    assert!(matches!(&h.preview()[..], [Preview::Outline(_)]));
    h.release((110.0, 80.0));
    let [key] = h.selection[..] else { panic!() };
    assert_eq!(geometry(&h, key), Geometry::Ellipse { center: Point::new(60.0, 50.0), rx: 50.0, ry: 30.0 });
    assert_eq!(h.doc.undo_name(), Some("Draw ellipse"));
    h.press((0.0, 0.0));
    h.key(ToolKey::Escape);
    h.release((50.0, 50.0));
    assert_eq!(h.doc.map().len(), 1, "Escape drops the ellipse being drawn");

    h.active().set_option("circle", &OptionValue::Toggle(true));
    assert!(h.active().options().iter().any(|o| o.value == OptionValue::Toggle(true)));
    h.drag((150.0, 150.0), (110.0, 60.0));
    let [key] = h.selection[..] else { panic!() };
    assert_eq!(
        geometry(&h, key),
        Geometry::Ellipse { center: Point::new(130.0, 130.0), rx: 20.0, ry: 20.0 },
        "the largest circle in the box, from the corner the drag began at"
    );
}

#[test]
fn pen_closes_on_the_first_point_on_enter_and_on_double_click() {
    let mut h = Harness::blank(300.0, 300.0);
    h.tool(ToolKind::Pen);
    for p in [(10.0, 10.0), (100.0, 10.0), (100.0, 100.0)] {
        h.click(p);
    }
    assert!(h.preview().contains(&Preview::Ring(Point::new(10.0, 10.0))));
    h.click((12.0, 11.0));
    let [key] = h.selection[..] else { panic!("closed on the first point") };
    assert_eq!(
        geometry(&h, key),
        Geometry::Polygon(vec![(10.0, 10.0).into(), (100.0, 10.0).into(), (100.0, 100.0).into()])
    );
    assert_eq!(h.doc.undo_name(), Some("Draw polygon"));

    for p in [(150.0, 150.0), (250.0, 150.0), (250.0, 250.0)] {
        h.click(p);
    }
    assert!(h.key(ToolKey::Enter).handled);
    assert_eq!(h.doc.map().len(), 2);

    for p in [(150.0, 10.0), (250.0, 10.0)] {
        h.click(p);
    }
    assert!(!h.key(ToolKey::Enter).handled, "two points are not a polygon");
    h.double_click((250.0, 100.0));
    assert_eq!(h.doc.map().len(), 3);

    h.click((1.0, 1.0));
    h.click((50.0, 1.0));
    assert!(h.key(ToolKey::Escape).handled, "Escape drops the points");
    assert!(h.preview().is_empty());
    assert_eq!(h.doc.map().len(), 3);
}

#[test]
fn freehand_smooths_into_curves_or_keeps_the_points() {
    let mut h = Harness::blank(300.0, 300.0);
    h.tool(ToolKind::Freehand);
    let circle: Vec<Point> =
        (0..=60).map(|i| Point::new(150.0, 150.0) + kurbo::Vec2::from_angle(i as f64 * 0.1) * 80.0).collect();
    h.press(circle[0]);
    for p in &circle[1..] {
        h.move_to(*p);
    }
    h.release(*circle.last().unwrap());
    let [key] = h.selection[..] else { panic!() };
    let Geometry::Path(path, _) = geometry(&h, key) else { panic!("smoothed into a path") };
    assert!(path.len() < circle.len() / 2, "{} elements for {} points", path.len(), circle.len());
    let b = path.to_bez().bounding_box();
    assert!((b.width() - 160.0).abs() < 4.0, "{b:?}");
    assert_eq!(h.doc.undo_name(), Some("Draw freehand"));

    set_number(&mut h, "smoothing", 0.0);
    h.press(circle[0]);
    for p in &circle[1..] {
        h.move_to(*p);
    }
    h.release(*circle.last().unwrap());
    let [key] = h.selection[..] else { panic!() };
    assert!(matches!(geometry(&h, key), Geometry::Polygon(p) if p.len() > 50));
}

#[test]
fn line_draws_a_decoration_of_the_chosen_width() {
    let mut h = Harness::blank(300.0, 300.0);
    h.tool(ToolKind::Line);
    set_number(&mut h, "width", 4.0);
    h.drag((10.0, 10.0), (200.0, 10.0));
    let [key] = h.selection[..] else { panic!() };
    let node = h.doc.map().node(key);
    assert_eq!(node.area_type, Some(AreaType::Decoration));
    assert_eq!(node.style.get("stroke-width"), Some("4"));
    assert!(h.doc.areas.is_empty(), "a line never binds");
    assert_eq!(h.doc.undo_name(), Some("Draw line"));
}

#[test]
fn text_asks_for_the_label_at_the_click_with_its_size() {
    let mut h = Harness::blank(300.0, 300.0);
    h.tool(ToolKind::Text);
    set_number(&mut h, "font-size", 1000.0);
    h.click((40.0, 50.0));
    assert_eq!(
        h.requests,
        [Request::AskText { at: Point::new(40.0, 50.0), font_size: 500.0 }],
        "clamped to 500"
    );
    assert_eq!(h.doc.map().len(), 0, "nothing is placed until the author types it");
}

#[test]
fn pan_keeps_the_grabbed_point_under_the_pointer() {
    let mut h = Harness::blank(300.0, 300.0);
    h.tool(ToolKind::Pan);
    h.press((10.0, 10.0));
    h.move_to((40.0, 30.0));
    assert_eq!(h.requests, [Request::Pan(kurbo::Vec2::new(30.0, 20.0))]);
    h.release((40.0, 30.0));
    assert!(!h.active().busy());
}

#[test]
fn every_tool_has_a_file_and_a_command() {
    for kind in ToolKind::ALL {
        assert_eq!(kind.make().kind(), kind);
    }
}

#[test]
fn drawn_coordinates_are_rounded_to_five_significant_digits_of_the_artboard() {
    let mut h = Harness::blank(1200.0, 800.0);
    h.tool(ToolKind::Rectangle);
    h.drag((10.123456, 20.987654), (100.55555, 90.44444));
    let [key] = h.selection[..] else { panic!() };
    assert_eq!(bbox(&h, key), Rect::new(10.1, 21.0, 100.6, 90.4));
    h.tool(ToolKind::Select);
    h.drag((50.0, 50.0), (53.33333, 50.0));
    let t = h.doc.map().node(key).transform().as_coeffs();
    assert_eq!((t[4], t[5]), (3.3, 0.0), "a move's offset is rounded too");

    // A map in degrees gets hundredths.
    let mut h = Harness::blank(360.0, 180.0);
    h.tool(ToolKind::Pen);
    for p in [(1.23456, 2.34567), (50.0, 2.0), (50.0, 60.98765)] {
        h.click(p);
    }
    h.key(ToolKey::Enter);
    let [key] = h.selection[..] else { panic!() };
    assert_eq!(
        geometry(&h, key),
        Geometry::Polygon(vec![(1.23, 2.35).into(), (50.0, 2.0).into(), (50.0, 60.99).into()])
    );
}

#[test]
fn split_cuts_the_area_under_the_line_into_two_areas_in_one_step() {
    let (mut h, a, _) = two_rooms();
    h.tool(ToolKind::Split);
    h.click((50.0, -10.0));
    h.click((50.0, 110.0));
    assert!(matches!(h.preview().as_slice(), [Preview::Outline(_)]), "the line being drawn is shown");
    assert!(h.key(ToolKey::Enter).handled);
    assert_eq!(h.doc.undo_name(), Some("Split"));
    assert_eq!(h.selection.len(), 2, "both pieces are selected");
    assert!(h.selection.contains(&a), "the room keeps its key (and id) as one of the pieces");
    let widths: Vec<f64> = h.selection.iter().map(|k| bbox(&h, *k).width()).collect();
    assert_eq!(widths, [50.0, 50.0]);
    // A line that misses every area cuts nothing and says why.
    h.selection.clear();
    h.click((150.0, 150.0));
    h.click((160.0, 160.0));
    assert!(h.send(synmap::editor::tools::ToolEvent::Key(ToolKey::Enter)).is_err());
}

#[test]
fn an_alt_drag_from_empty_space_draws_a_lasso_that_selects_what_it_encloses() {
    let (mut h, a, b) = two_rooms();
    h.modifiers.alt = true;
    // A loop round the first room only, not a box: it also passes over the second's corner.
    h.press((-10.0, -10.0));
    for p in [(120.0, -10.0), (120.0, 120.0), (-10.0, 120.0)] {
        h.move_to(p);
    }
    assert!(h.preview().iter().any(|p| matches!(p, Preview::Outline(_))), "the lasso is drawn");
    h.release((-10.0, -5.0));
    h.modifiers.alt = false;
    assert_eq!(h.selection, [a]);
    assert!(!h.selection.contains(&b));
    assert_eq!(h.doc.undo_name(), Some("Draw rectangle"), "selecting is not an edit");
}

#[test]
fn a_moved_room_lines_up_with_the_other_by_smart_guides() {
    let (mut h, a, b) = two_rooms();
    h.snap.guides = true;
    // Room a (0..100) dragged right by 97 and down by 3: its right edge lines up with b's left
    // (200), its top with b's top (0), within the guides' reach.
    h.press((50.0, 50.0));
    h.move_to((147.0, 53.0));
    assert_eq!(h.guides.len(), 2, "a vertical and a horizontal guide show");
    h.release((147.0, 53.0));
    let moved = bbox(&h, a);
    assert_eq!((moved.x1, moved.y0), (200.0, 0.0), "{moved:?}");
    assert_eq!(bbox(&h, b).x0, 200.0, "the other room stays");
    // Alt moves freely.
    h.modifiers.alt = true;
    h.drag((150.0, 50.0), (152.0, 51.0));
    h.modifiers.alt = false;
    assert_eq!((bbox(&h, a).x1, bbox(&h, a).y0), (202.0, 1.0));
}

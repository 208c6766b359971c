//! The tools that make areas in bulk or take them away, driven headless through the editor
//! core's harness on real documents: the magic wand over a real tracing image, the eraser and
//! the node eraser; and `synmap grid` on real files.

mod support;

use std::time::Duration;

use kurbo::{Point, Rect, Shape};
use synmap::editor::Document;
use synmap::editor::harness::Harness;
use synmap::editor::tools::{OptionValue, Preview, ToolKey, ToolKind};
use synmap::generate::plan_picture::{PictureSpec, draw, plan_picture, png};
use synmap::model::{Geometry, Node, NodeKind};
use synmap::trace::Picture;

/// A map whose tracing image is an architect-style plan, and the plan's true rooms.
fn traced_plan() -> (Harness, Vec<Vec<Point>>) {
    let plan = plan_picture(PictureSpec { wings: 1, rooms_per_row: 4, seed: 9, rotate_degrees: 0.0 });
    let picture = Picture::from_bytes(png(&draw(&plan.svg, plan.width))).unwrap();
    (Harness::new(Document::from_map(picture.blank_map(), "plan.svg".into())), plan.rooms)
}

fn inside(room: &[Point]) -> Point {
    room[0].lerp(room[2], 0.25)
}

/// Where the plan generator writes a room's label: just above its middle.
fn plan_label(room: &[Point]) -> Point {
    let middle = room[0].midpoint(room[2]);
    Point::new(middle.x - 10.0, middle.y - 10.0)
}

fn outline(h: &Harness) -> Option<kurbo::BezPath> {
    h.preview().into_iter().find_map(|p| match p {
        Preview::Outline(path) => Some(path),
        _ => None,
    })
}

#[test]
fn the_wand_outlines_a_room_and_a_second_click_adds_it() {
    let (mut h, rooms) = traced_plan();
    h.tool(ToolKind::Wand);
    // This plan's doors are 26 pixels wide.
    h.active().set_option("close_gaps", &OptionValue::Number { value: 28.0, min: 0.0, max: 0.0, unit: "" });
    h.hover(inside(&rooms[0]));
    h.click(inside(&rooms[0]));
    let path = outline(&h).expect("a preview of the room");
    let truth = Rect::new(rooms[0][0].x, rooms[0][0].y, rooms[0][2].x, rooms[0][2].y);
    let b = path.bounding_box();
    assert!((b.area() - truth.area()).abs() / truth.area() < 0.05, "{b:?} against {truth:?}");
    assert_eq!(path.elements().len(), 5, "four corners (a move, three lines) and a close: {path:?}");
    assert_eq!(h.doc.areas.len(), 0, "nothing added yet");
    h.click(inside(&rooms[0]));
    assert_eq!(h.doc.areas.len(), 1);
    assert_eq!(h.doc.undo_name(), Some("Magic wand"));
    assert_eq!(h.selection.len(), 1, "the new area is selected");
    assert!(outline(&h).is_none());

    // Shift adds a room, Ctrl takes one away, Enter applies, Escape drops.
    h.click(inside(&rooms[1]));
    h.with_shift(|h| h.click(inside(&rooms[2])));
    let two = outline(&h).unwrap();
    assert_eq!(two.elements().iter().filter(|e| matches!(e, kurbo::PathEl::MoveTo(_))).count(), 2);
    h.with_command(|h| h.click(inside(&rooms[2])));
    assert_eq!(outline(&h).unwrap().elements().len(), 5);
    h.key(ToolKey::Enter);
    assert_eq!(h.doc.areas.len(), 2);
    h.click(inside(&rooms[3]));
    h.key(ToolKey::Escape);
    assert!(outline(&h).is_none());
    assert_eq!(h.doc.areas.len(), 2);
    // A click on a room's label picks the room.
    let label = plan_label(&rooms[3]);
    h.click(label);
    let b = outline(&h).expect("the room around the label").bounding_box();
    assert!(b.width() > 100.0, "{b:?}");
    h.key(ToolKey::Escape);
    // A click on a wall or off the picture does nothing.
    h.click((45.0, 45.0));
    h.click((-100.0, -100.0));
    assert!(outline(&h).is_none());
}

#[test]
fn the_wand_without_a_tracing_image_does_nothing() {
    let mut h = Harness::blank(400.0, 300.0);
    h.tool(ToolKind::Wand);
    h.click((50.0, 50.0));
    assert!(outline(&h).is_none());
    assert_eq!(h.doc.undo_name(), None);
}

/// A 400×300 map with rooms at x = 0, 120 and 240, 100 units square.
fn three_rooms() -> Harness {
    let mut doc = Document::blank(400.0, 300.0);
    for x in [0.0, 120.0, 240.0] {
        let mut node = Node::new(NodeKind::Shape(Geometry::Rect {
            rect: Rect::new(x, 0.0, x + 100.0, 100.0),
            rx: None,
            ry: None,
        }));
        node.id = Some(doc.fresh_id("Room").into());
        doc.add("Draw rectangle", None, node).unwrap();
    }
    Harness::new(doc)
}

#[test]
fn the_eraser_deletes_what_a_stroke_crosses_in_one_step() {
    let mut h = three_rooms();
    h.tool(ToolKind::Eraser);
    h.drag((50.0, 50.0), (170.0, 50.0));
    assert_eq!(h.doc.areas.len(), 1, "the first two rooms are gone");
    assert_eq!(h.doc.undo_name(), Some("Erase"));
    h.doc.undo();
    assert_eq!(h.doc.areas.len(), 3, "one step brings both back");
    // A click erases one; a stroke over nothing leaves no step.
    h.click((290.0, 50.0));
    assert_eq!(h.doc.areas.len(), 2);
    h.doc.undo();
    h.drag((50.0, 200.0), (300.0, 200.0));
    assert_eq!(h.doc.undo_name(), Some("Draw rectangle"));
    // Escape in the middle of a stroke puts back what it erased.
    h.press((50.0, 50.0));
    h.move_to((170.0, 50.0));
    assert_eq!(h.doc.areas.len(), 1);
    h.key(ToolKey::Escape);
    h.release((170.0, 50.0));
    assert_eq!(h.doc.areas.len(), 3);
}

#[test]
fn the_node_eraser_deletes_a_node_but_keeps_a_shape_a_shape() {
    let mut doc = Document::blank(400.0, 300.0);
    let pentagon = vec![
        Point::new(0.0, 0.0),
        Point::new(100.0, 0.0),
        Point::new(120.0, 50.0),
        Point::new(100.0, 100.0),
        Point::new(0.0, 100.0),
    ];
    let mut node = Node::new(NodeKind::Shape(Geometry::Polygon(pentagon)));
    node.id = Some(doc.fresh_id("Room").into());
    let key = doc.add("Draw", None, node).unwrap();
    let mut h = Harness::new(doc);
    h.tool(ToolKind::EraseNode);
    h.hover((119.0, 51.0));
    assert!(
        h.preview().iter().any(|p| matches!(p, Preview::Ring(_))),
        "the node under the pointer is ringed"
    );
    h.click((119.0, 51.0));
    assert_eq!(h.doc.undo_name(), Some("Delete node"));
    let points = synmap::editor::vertices::vertices(h.doc.map(), key).unwrap().0;
    assert_eq!(points.len(), 4);
    assert!(!points.contains(&Point::new(120.0, 50.0)));
    h.click((99.0, 1.0));
    assert_eq!(synmap::editor::vertices::vertices(h.doc.map(), key).unwrap().0.len(), 3);
    h.click((1.0, 1.0));
    assert_eq!(
        synmap::editor::vertices::vertices(h.doc.map(), key).unwrap().0.len(),
        3,
        "a triangle stays one"
    );
}

#[test]
fn the_grid_tool_previews_under_the_pointer_and_a_click_adds_every_cell_in_one_step() {
    let mut h = Harness::blank(1000.0, 800.0);
    h.tool(ToolKind::Grid);
    let number = |value: f64| OptionValue::Number { value, min: 0.0, max: 0.0, unit: "" };
    for (id, value) in [("cols", 4.0), ("rows", 2.0), ("size", 30.0), ("gap", 5.0), ("digits", 2.0)] {
        h.active().set_option(id, &number(value));
    }
    h.active().set_option("shape", &OptionValue::Choice { value: 1, choices: &[] });
    h.active().set_option("prefix", &OptionValue::Text("Bay-".into()));
    h.hover((100.0, 100.0));
    let preview = outline(&h).expect("the grid under the pointer");
    let cells = preview.elements().iter().filter(|e| matches!(e, kurbo::PathEl::MoveTo(_))).count();
    assert_eq!(cells, 8);
    assert_eq!(preview.elements().len(), 8 * 7, "hexagons: a move, five lines and a close each");
    assert_eq!(h.doc.areas.len(), 0, "nothing added while previewing");
    h.click((100.0, 100.0));
    assert_eq!(h.doc.areas.len(), 8);
    assert_eq!(h.doc.undo_name(), Some("Grid"));
    assert_eq!(h.selection.len(), 8, "the new cells are selected");
    let ids: Vec<&str> = h.doc.map().iter().filter_map(|(_, n)| n.id.as_ref().map(|i| i.as_str())).collect();
    assert_eq!((ids[0], ids[7]), ("Bay-01", "Bay-08"));
    // A second grid takes the next free numbers.
    h.click((400.0, 400.0));
    assert!(h.doc.map().find_id("Bay-01_2").is_some() || h.doc.map().find_id("Bay-09").is_none());
    h.doc.undo();
    h.doc.undo();
    assert_eq!(h.doc.areas.len(), 0, "one step per grid");
}

fn run(args: &[&str]) -> std::process::Output {
    let mut cmd = support::synmap();
    cmd.args(args);
    support::run_with_watchdog(cmd, Duration::from_secs(120))
}

#[test]
fn synmap_grid_makes_named_cells_in_a_new_map_or_a_copy_of_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("seats.svg");
    let out_s = out.to_str().unwrap();
    let status = run(&[
        "grid", "--shape", "hex", "--cols", "4", "--rows", "3", "--size", "30", "--gap", "4", "--prefix",
        "Seat-", "--digits", "3", "-o", out_s,
    ]);
    assert_eq!(status.status.code(), Some(0), "{}", String::from_utf8_lossy(&status.stderr));
    let map = synmap::svg::import_bytes(&std::fs::read(&out).unwrap()).unwrap().map;
    let ids: Vec<&str> = map.iter().filter_map(|(_, n)| n.id.as_ref().map(|i| i.as_str())).collect();
    assert_eq!(ids.len(), 12);
    assert_eq!((ids[0], ids[11]), ("Seat-001", "Seat-012"));
    let artboard = map.view_box.rect();
    for (key, _) in map.iter() {
        assert!(artboard.contains_rect(map.bbox_in_doc(key).unwrap()), "every cell on the artboard");
    }

    // Into a copy of the sample: the sample is untouched, its areas kept, the cells added.
    let sample = support::sample();
    let before = std::fs::read(&sample).unwrap();
    let copy = dir.path().join("copy.svg");
    let status = run(&[
        "grid",
        "--cols",
        "2",
        "--rows",
        "2",
        "--size",
        "10",
        "--at",
        "5,5",
        "--into",
        sample.to_str().unwrap(),
        "-o",
        copy.to_str().unwrap(),
    ]);
    assert_eq!(status.status.code(), Some(0), "{}", String::from_utf8_lossy(&status.stderr));
    assert_eq!(std::fs::read(&sample).unwrap(), before);
    let original = synmap::svg::import_bytes(&before).unwrap().map;
    let copied = synmap::svg::import_bytes(&std::fs::read(&copy).unwrap()).unwrap().map;
    assert_eq!(copied.len(), original.len() + 4);
    assert!(copied.find_id("Cell-1").is_some() && copied.find_id("Cell-4").is_some());

    // Nonsense is one line and exit 1; a clap error is exit 2.
    let status = run(&["grid", "--cols", "0", "--rows", "2", "--size", "10", "-o", out_s]);
    assert_eq!(status.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&status.stderr).trim().lines().count(), 1);
    let status = run(&["grid", "--shape", "star", "--cols", "2", "--rows", "2", "--size", "10", "-o", out_s]);
    assert_eq!(status.status.code(), Some(2));
}

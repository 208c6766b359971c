//! Editing through reversible changes: every change undoes and redoes exactly, transactions
//! are single steps, aborting restores, and keys survive removal and undo.

mod support;

use proptest::prelude::*;
use synmap::binding::{AreaId, AreaStatus};
use synmap::edit::{Change, EditError, History};
use synmap::editor::Document;
use synmap::model::{AreaType, Binding, Geometry, Map, Node, NodeKey, NodeKind, Style};
use synmap::svg::{ExportOptions, export_svg};

/// Everything about a map a save would keep, as text.
fn snapshot(map: &Map) -> String {
    export_svg(map, &ExportOptions { lossless: true, precision: 6, ..ExportOptions::default() }).svg
}

fn key(map: &Map, id: &str) -> NodeKey {
    map.find_id(id).unwrap()
}

/// One change of every kind, on a room and a group (keys, which stay valid through renames).
fn every_kind_of_change(room: NodeKey, group: NodeKey) -> Vec<Change> {
    let mut style = Style::default();
    style.set("fill", "#FF0000");
    let rect = Geometry::Rect { rect: kurbo::Rect::new(1.0, 2.0, 30.0, 40.0), rx: None, ry: None };
    let mut new_node = Node::new(NodeKind::Shape(rect.clone()));
    new_node.id = Some(AreaId::from_name("New room").unwrap().into());
    vec![
        Change::Id(room, Some(AreaId::from_name("Renamed 101").unwrap().into())),
        Change::Title(room, Some("A new title".into())),
        Change::AreaType(room, Some(AreaType::Link)),
        Change::Binding(room, Binding::Strong("Value".into())),
        Change::DrillUrl(room, Some("https://example.com/d.svg".into())),
        Change::LinkUrl(room, Some("https://example.com/l".into())),
        Change::Style(room, style),
        Change::Transform(room, kurbo::Affine::rotate(0.3)),
        Change::Geometry(room, rect),
        Change::Hidden(room, true),
        Change::Locked(room, true),
        Change::Meta(synmap::model::MapMeta { author: Some("Someone".into()), ..Default::default() }),
        Change::Move(room, Some(group), 1),
        Change::Remove(group),
        Change::Add(Some(group), 0, Box::new(new_node)),
        Change::Guides(vec![synmap::model::Guide { vertical: true, position: 12.5 }]),
        Change::ViewBox(synmap::model::ViewBox { x: -10.0, y: 0.0, width: 500.0, height: 400.0 }),
    ]
}

#[test]
fn each_change_undoes_and_redoes_exactly() {
    let map = support::import("illustrator.svg").map;
    let (room, group) = (key(&map, "Room_x20_101"), key(&map, "Floor_x20_3"));
    for i in 0..17 {
        let mut m = map.clone();
        let change = every_kind_of_change(room, group).swap_remove(i);
        let before = snapshot(&m);
        let mut h = History::default();
        h.apply(&mut m, "change", change.clone()).unwrap_or_else(|e| panic!("{change:?}: {e}"));
        let after = snapshot(&m);
        assert_ne!(before, after, "{change:?} changed nothing");
        assert_eq!(h.undo(&mut m).as_deref(), Some("change"));
        assert_eq!(snapshot(&m), before, "undo of {change:?}");
        assert_eq!(h.redo(&mut m).as_deref(), Some("change"));
        assert_eq!(snapshot(&m), after, "redo of {change:?}");
    }
}

#[test]
fn a_transaction_is_one_named_step() {
    let mut map = support::import("illustrator.svg").map;
    let before = snapshot(&map);
    let room = key(&map, "Room_x20_101");
    let mut h = History::default();
    h.begin("Move room");
    assert!(h.in_transaction());
    for i in 0..10 {
        h.apply(&mut map, "", Change::Transform(room, kurbo::Affine::translate((f64::from(i), 0.0))))
            .unwrap();
    }
    h.commit();
    assert!(!h.in_transaction());
    assert_eq!(h.undo_name(), Some("Move room"));
    h.undo(&mut map);
    assert_eq!(snapshot(&map), before);
    assert_eq!(h.undo_name(), None);
    assert_eq!(h.redo_name(), Some("Move room"));
}

#[test]
fn empty_transactions_leave_no_step_and_abort_restores() {
    let mut map = support::import("illustrator.svg").map;
    let before = snapshot(&map);
    let mut h = History::default();
    h.begin("Nothing");
    h.commit();
    assert_eq!(h.undo_name(), None);
    h.begin("Drag");
    let room = key(&map, "Room_x20_101");
    h.apply(&mut map, "", Change::Transform(room, kurbo::Affine::translate((50.0, 0.0)))).unwrap();
    h.apply(&mut map, "", Change::Title(room, None)).unwrap();
    h.abort(&mut map);
    assert_eq!(snapshot(&map), before);
    assert_eq!(h.undo_name(), None);
}

#[test]
fn a_new_change_clears_redo() {
    let mut map = support::import("illustrator.svg").map;
    let room = key(&map, "Room_x20_101");
    let mut h = History::default();
    h.apply(&mut map, "Rename", Change::Title(room, Some("x".into()))).unwrap();
    h.undo(&mut map);
    assert!(h.redo_name().is_some());
    h.apply(&mut map, "Hide", Change::Hidden(room, true)).unwrap();
    assert_eq!(h.redo_name(), None);
}

#[test]
fn an_aborted_transaction_leaves_redo_as_it_was() {
    let mut map = support::import("illustrator.svg").map;
    let room = key(&map, "Room_x20_101");
    let mut h = History::default();
    h.apply(&mut map, "Rename", Change::Title(room, Some("x".into()))).unwrap();
    h.undo(&mut map);
    h.begin("Drag");
    h.apply(&mut map, "", Change::Transform(room, kurbo::Affine::translate((5.0, 0.0)))).unwrap();
    assert_eq!(h.redo_name(), None, "a change in progress clears redo");
    h.abort(&mut map);
    assert_eq!(h.redo_name(), Some("Rename"), "a cancelled drag gives it back");
    h.begin("Drag");
    h.apply(&mut map, "", Change::Transform(room, kurbo::Affine::translate((5.0, 0.0)))).unwrap();
    h.commit();
    assert_eq!(h.redo_name(), None, "a committed one does not");
}

#[test]
fn removal_and_undo_keep_keys() {
    let mut map = support::import("illustrator.svg").map;
    let group = key(&map, "Sector_x5F_A");
    let child = key(&map, "Room_x20_103");
    let mut h = History::default();
    h.apply(&mut map, "Delete", Change::Remove(group)).unwrap();
    assert!(map.get(child).is_none());
    h.undo(&mut map);
    assert_eq!(map.node(child).id.as_ref().unwrap().as_str(), "Room_x20_103");
    assert_eq!(map.node(child).parent(), Some(group));
}

#[test]
fn impossible_changes_are_refused_and_change_nothing() {
    let mut map = support::import("illustrator.svg").map;
    let before = snapshot(&map);
    let group = key(&map, "Sector_x5F_A");
    let child = key(&map, "Room_x20_103");
    let mut h = History::default();
    assert_eq!(h.apply(&mut map, "Move", Change::Move(group, Some(group), 0)), Err(EditError::BadPlace));
    assert_eq!(h.apply(&mut map, "Move", Change::Move(group, Some(child), 0)), Err(EditError::BadPlace));
    let rect = Geometry::Rect { rect: kurbo::Rect::ZERO, rx: None, ry: None };
    assert_eq!(h.apply(&mut map, "Shape", Change::Geometry(group, rect)), Err(EditError::NotAShape));
    assert_eq!(snapshot(&map), before);
    assert_eq!(h.undo_name(), None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_sequence_undoes_to_the_start_and_redoes_to_the_end(picks in prop::collection::vec(0usize..17, 1..25)) {
        let mut map = support::import("illustrator.svg").map;
        let (room, group) = (key(&map, "Room_x20_101"), key(&map, "Floor_x20_3"));
        let start = snapshot(&map);
        let mut h = History::default();
        let mut applied = 0;
        for p in picks {
            let change = every_kind_of_change(room, group).swap_remove(p);
            if h.apply(&mut map, "step", change).is_ok() {
                applied += 1;
            }
        }
        let end = snapshot(&map);
        for _ in 0..applied {
            prop_assert!(h.undo(&mut map).is_some());
        }
        prop_assert_eq!(snapshot(&map), start);
        for _ in 0..applied {
            prop_assert!(h.redo(&mut map).is_some());
        }
        prop_assert_eq!(snapshot(&map), end);
    }
}

proptest! {
    // Cheap cases, and the incremental list has many paths: more of them than the others.
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// The editor's area list is kept up to date incrementally after each edit, undo and redo;
    /// it must always equal the list made afresh from the map, hit-testing included.
    #[test]
    fn the_editors_area_list_is_always_as_if_made_afresh(
        ops in prop::collection::vec((0usize..19, 0usize..1000, 0usize..1000), 1..25),
    ) {
        let mut doc = Document::from_map(support::import("illustrator.svg").map, "map".into());
        for (kind, a, b) in ops {
            match kind {
                17 => { doc.undo(); }
                18 => { doc.redo(); }
                _ => {
                    let keys: Vec<NodeKey> = doc.map().iter().map(|(k, _)| k).collect();
                    if keys.is_empty() {
                        continue;
                    }
                    let (room, group) = (keys[a % keys.len()], keys[b % keys.len()]);
                    let change = every_kind_of_change(room, group).swap_remove(kind);
                    // Some changes do not apply to every node (geometry on a group): refused whole.
                    let _ = doc.edit("change", vec![change]);
                }
            }
            let fresh = Document::from_map(doc.map().clone(), "map".into());
            prop_assert_eq!(area_list(&doc), area_list(&fresh));
        }
    }
}

/// The editor's list of areas, with what a click at each area's centre hits.
fn area_list(doc: &Document) -> Vec<(NodeKey, String, AreaStatus, kurbo::Rect, String, Option<NodeKey>)> {
    doc.areas
        .iter()
        .map(|a| (a.key, a.search.clone(), a.status, a.bbox, a.outline.to_svg(), doc.hit(a.bbox.center())))
        .collect()
}

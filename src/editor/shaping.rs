//! Shaping areas: combine (union), subtract, intersect and exclude the selected shapes, split
//! one with a drawn line, cut an upper area out of a lower one it overlaps, and align and
//! distribute the selection. The polygon work is i_overlay's (robust booleans on polygons with
//! holes); curves are flattened first at a tolerance of a thousandth of the shapes' size.
//! Results are written as paths in the kept shape's own coordinates, so it stays in its group.

use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::float::single::SingleFloatOverlay;
use i_overlay::float::slice::FloatSlice;
use kurbo::{Affine, BezPath, Point, Rect, Shape};

use super::error::EditorError;
use crate::edit::Change;
use crate::ids::UniqueIds;
use crate::model::{Geometry, Map, NodeKey, NodeKind};
use crate::polygons::{Polygon, contours, path_of};

/// A boolean operation between the selected shapes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Boolean {
    /// One area covering all of them; the first selected keeps its id, title and binding.
    Combine,
    /// The lowest shape (in paint order) minus the others.
    Subtract,
    /// What all of them cover; the first selected is kept.
    Intersect,
    /// What an odd number of them cover; the first selected is kept.
    Exclude,
}

impl Boolean {
    /// The undo step's name.
    pub fn step_name(self) -> &'static str {
        match self {
            Boolean::Combine => "Combine",
            Boolean::Subtract => "Subtract",
            Boolean::Intersect => "Intersect",
            Boolean::Exclude => "Exclude",
        }
    }
}

/// The change that gives `key` the document-space `path`, in its own coordinates.
fn reshape(map: &Map, key: NodeKey, path: &BezPath) -> Change {
    let local = map.doc_from_node(key).inverse() * path.clone();
    Change::Geometry(key, Geometry::Path(local.into(), None))
}

/// The selected shapes, in selection order.
fn shapes(map: &Map, selection: &[NodeKey]) -> Vec<(NodeKey, Polygon)> {
    selection.iter().filter_map(|k| Some((*k, contours(map, *k)?))).collect()
}

/// The changes a boolean operation makes on the selection: the kept shape reshaped, the others
/// removed.
pub fn boolean(map: &Map, selection: &[NodeKey], op: Boolean) -> Result<Vec<Change>, EditorError> {
    let mut shapes = shapes(map, selection);
    if shapes.len() < 2 {
        return Err(EditorError::Refused(
            "select two shapes or more (groups, lines and text cannot take part)".into(),
        ));
    }
    if op == Boolean::Subtract {
        // The lowest in paint order is what the others are cut out of.
        let order: Vec<NodeKey> = map.iter().map(|(k, _)| k).collect();
        shapes.sort_by_key(|(k, _)| order.iter().position(|o| o == k));
    }
    let (kept, first) = shapes[0].clone();
    let rule = match op {
        Boolean::Combine => OverlayRule::Union,
        Boolean::Subtract => OverlayRule::Difference,
        Boolean::Intersect => OverlayRule::Intersect,
        Boolean::Exclude => OverlayRule::Xor,
    };
    let mut result: Vec<Polygon> = vec![first];
    for (_, other) in &shapes[1..] {
        result = result.overlay(other, rule, FillRule::NonZero);
    }
    if result.is_empty() {
        return Err(EditorError::Refused("nothing is left of the shapes".into()));
    }
    let mut changes = vec![reshape(map, kept, &path_of(&result))];
    changes.extend(shapes[1..].iter().map(|(k, _)| Change::Remove(*k)));
    Ok(changes)
}

/// Cuts `upper` out of `lower` where they overlap (the visual would bind clicks there
/// unpredictably); `upper` stays as it is.
pub fn resolve_overlap(map: &Map, lower: NodeKey, upper: NodeKey) -> Result<Vec<Change>, EditorError> {
    let (Some(a), Some(b)) = (contours(map, lower), contours(map, upper)) else {
        return Err(EditorError::Refused("only shapes with an area can be cut".into()));
    };
    let rest = a.overlay(&b, OverlayRule::Difference, FillRule::NonZero);
    if rest.is_empty() {
        return Err(EditorError::Refused("the upper area covers all of the lower one".into()));
    }
    Ok(vec![reshape(map, lower, &path_of(&rest))])
}

/// Splits the shape `key` along the document-space polyline `line`: the largest piece keeps
/// the shape (id, title, binding); each other piece becomes a copy of it with a fresh id derived
/// from its id (`Office_101_2`, …), just above it.
pub fn split(map: &Map, key: NodeKey, line: &[Point]) -> Result<Vec<Change>, EditorError> {
    let Some(polygon) = contours(map, key) else {
        return Err(EditorError::Refused("only a shape with an area can be split".into()));
    };
    let cut: Vec<[f64; 2]> = line.iter().map(|p| [p.x, p.y]).collect();
    let mut pieces = polygon.slice_by(&cut, FillRule::NonZero);
    if pieces.len() < 2 {
        return Err(EditorError::Refused("the line does not cut the shape in two".into()));
    }
    let area = |piece: &Polygon| path_of(std::slice::from_ref(piece)).area().abs();
    pieces.sort_by(|a, b| area(b).total_cmp(&area(a)));
    let node = map.node(key);
    let (parent, index) = map.position(key).expect("a node of the map has a position");
    let mut ids = UniqueIds::taking(map.iter().filter_map(|(_, n)| n.id.as_ref().map(|i| i.as_str())));
    let mut changes = vec![reshape(map, key, &path_of(&pieces[..1]))];
    let local = map.doc_from_node(key).inverse();
    for piece in &pieces[1..] {
        let mut copy = node.clone();
        if let Some(id) = &node.id {
            let new = ids.claim(&id.to_area_id());
            // A title that was the name follows the new name, as in a duplicate.
            if node.title.as_deref() == Some(id.to_name().as_str()) {
                copy.title = Some(new.to_name().into());
            }
            copy.id = Some(new.into());
        }
        copy.kind =
            NodeKind::Shape(Geometry::Path((local * path_of(std::slice::from_ref(piece))).into(), None));
        changes.push(Change::Add(parent, index + 1, Box::new(copy)));
    }
    Ok(changes)
}

/// Where the selection lines up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Align {
    /// Left edges.
    Left,
    /// Vertical centre lines.
    Centre,
    /// Right edges.
    Right,
    /// Top edges.
    Top,
    /// Horizontal centre lines.
    Middle,
    /// Bottom edges.
    Bottom,
}

/// What the selection is aligned to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum AlignTo {
    /// The box around the whole selection.
    #[default]
    Selection,
    /// The first selected element (it stays).
    First,
    /// The artboard.
    Artboard,
}

/// Moves every selected element so the chosen edges or centres line up.
pub fn align(map: &Map, selection: &[NodeKey], how: Align, to: AlignTo) -> Vec<Change> {
    let boxes: Vec<(NodeKey, Rect)> =
        selection.iter().filter_map(|k| Some((*k, map.bbox_in_doc(*k)?))).collect();
    let target = match to {
        AlignTo::Selection => boxes.iter().map(|(_, b)| *b).reduce(|a, b| a.union(b)),
        AlignTo::First => boxes.first().map(|(_, b)| *b),
        AlignTo::Artboard => Some(map.view_box.rect()),
    };
    let Some(t) = target else { return Vec::new() };
    boxes
        .iter()
        .filter_map(|(k, b)| {
            let shift = match how {
                Align::Left => (t.x0 - b.x0, 0.0),
                Align::Centre => (t.center().x - b.center().x, 0.0),
                Align::Right => (t.x1 - b.x1, 0.0),
                Align::Top => (0.0, t.y0 - b.y0),
                Align::Middle => (0.0, t.center().y - b.center().y),
                Align::Bottom => (0.0, t.y1 - b.y1),
            };
            (shift != (0.0, 0.0)).then(|| super::operations::transform(map, &[*k], Affine::translate(shift)))
        })
        .flatten()
        .collect()
}

/// Spreads the selection (three or more) so the gaps between neighbours are equal, the outer
/// two staying where they are; `horizontally` or vertically.
pub fn distribute(map: &Map, selection: &[NodeKey], horizontally: bool) -> Vec<Change> {
    let mut boxes: Vec<(NodeKey, Rect)> =
        selection.iter().filter_map(|k| Some((*k, map.bbox_in_doc(*k)?))).collect();
    if boxes.len() < 3 {
        return Vec::new();
    }
    let start = |b: &Rect| if horizontally { (b.x0, b.width()) } else { (b.y0, b.height()) };
    boxes.sort_by(|a, b| start(&a.1).0.total_cmp(&start(&b.1).0));
    let first = start(&boxes[0].1).0;
    let last = boxes
        .last()
        .map(|(_, b)| {
            let (s, w) = start(b);
            s + w
        })
        .unwrap_or(first);
    let total: f64 = boxes.iter().map(|(_, b)| start(b).1).sum();
    let gap = (last - first - total) / (boxes.len() - 1) as f64;
    let mut at = first;
    let mut changes = Vec::new();
    for (k, b) in &boxes {
        let (s, w) = start(b);
        let d = at - s;
        if d.abs() > 1e-9 {
            let shift = if horizontally { (d, 0.0) } else { (0.0, d) };
            changes.extend(super::operations::transform(map, &[*k], Affine::translate(shift)));
        }
        at += w + gap;
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::Document;
    use crate::model::Node;

    fn rect(doc: &mut Document, id: &str, r: Rect) -> NodeKey {
        let mut n = Node::new(NodeKind::Shape(Geometry::Rect { rect: r, rx: None, ry: None }));
        n.id = Some(crate::ids::AreaId::from_name(id).unwrap().into());
        doc.add("Draw", None, n).unwrap()
    }

    fn area_of(doc: &Document, key: NodeKey) -> f64 {
        let NodeKind::Shape(g) = &doc.map().node(key).kind else { panic!() };
        (doc.map().doc_from_node(key) * g.to_path()).area().abs()
    }

    #[test]
    fn combine_keeps_the_first_and_removes_the_rest_as_one_step() {
        let mut doc = Document::blank(100.0, 100.0);
        let a = rect(&mut doc, "A", Rect::new(0.0, 0.0, 10.0, 10.0));
        let b = rect(&mut doc, "B", Rect::new(10.0, 0.0, 20.0, 10.0));
        let changes = boolean(doc.map(), &[b, a], Boolean::Combine).unwrap();
        doc.edit("Combine", changes).unwrap();
        assert!(doc.map().get(a).is_none(), "the second selected is gone");
        assert!((area_of(&doc, b) - 200.0).abs() < 1e-6);
        assert_eq!(doc.map().node(b).id.as_ref().unwrap().as_str(), "B");
        doc.undo();
        assert!(doc.map().get(a).is_some());
    }

    #[test]
    fn subtract_cuts_the_upper_out_of_the_lowest_leaving_a_hole() {
        let mut doc = Document::blank(100.0, 100.0);
        let outer = rect(&mut doc, "Hall", Rect::new(0.0, 0.0, 30.0, 30.0));
        let inner = rect(&mut doc, "Core", Rect::new(10.0, 10.0, 20.0, 20.0));
        let changes = boolean(doc.map(), &[inner, outer], Boolean::Subtract).unwrap();
        doc.edit("Subtract", changes).unwrap();
        assert!((area_of(&doc, outer) - 800.0).abs() < 1e-6, "a hole of 100 in 900");
        assert!(doc.map().get(inner).is_none());
        let hit = doc.map().doc_from_node(outer);
        let NodeKind::Shape(g) = &doc.map().node(outer).kind else { panic!() };
        assert!(!(hit * g.to_path()).contains(Point::new(15.0, 15.0)), "the hole is empty");
    }

    #[test]
    fn intersect_exclude_and_resolving_an_overlap() {
        let mut doc = Document::blank(100.0, 100.0);
        let a = rect(&mut doc, "A", Rect::new(0.0, 0.0, 20.0, 10.0));
        let b = rect(&mut doc, "B", Rect::new(10.0, 0.0, 30.0, 10.0));
        assert!((crate::polygons::overlap_area(doc.map(), a, b) - 100.0).abs() < 1e-6);
        let both = boolean(doc.map(), &[a, b], Boolean::Intersect).unwrap();
        let mut d2 = Document::from_map(doc.map().clone(), "x".into());
        d2.edit("Intersect", both).unwrap();
        assert!((area_of(&d2, a) - 100.0).abs() < 1e-6);
        let xor = boolean(doc.map(), &[a, b], Boolean::Exclude).unwrap();
        let mut d3 = Document::from_map(doc.map().clone(), "x".into());
        d3.edit("Exclude", xor).unwrap();
        assert!((area_of(&d3, a) - 200.0).abs() < 1e-6);
        let fixed = resolve_overlap(doc.map(), a, b).unwrap();
        doc.edit("Resolve overlap", fixed).unwrap();
        assert!(crate::polygons::overlap_area(doc.map(), a, b) < 1e-9, "they only touch now");
        assert!(boolean(doc.map(), &[a], Boolean::Combine).is_err(), "one shape is not enough");
    }

    #[test]
    fn split_keeps_the_largest_piece_and_names_the_others_after_it() {
        let mut doc = Document::blank(100.0, 100.0);
        let office = rect(&mut doc, "Office 101", Rect::new(0.0, 0.0, 30.0, 10.0));
        let changes = split(doc.map(), office, &[Point::new(10.0, -5.0), Point::new(10.0, 15.0)]).unwrap();
        doc.edit("Split", changes).unwrap();
        assert!((area_of(&doc, office) - 200.0).abs() < 1e-6, "the larger piece keeps the id");
        let piece = doc.map().find_id("Office_x20_101_2").expect("the other piece is named after it");
        assert_eq!(doc.map().node(piece).title, None, "no title was the name here");
        assert!((area_of(&doc, piece) - 100.0).abs() < 1e-6);
        assert!(split(doc.map(), office, &[Point::new(50.0, 50.0), Point::new(60.0, 60.0)]).is_err());
    }

    #[test]
    fn align_and_distribute() {
        let mut doc = Document::blank(100.0, 100.0);
        let a = rect(&mut doc, "A", Rect::new(0.0, 0.0, 10.0, 10.0));
        let b = rect(&mut doc, "B", Rect::new(20.0, 5.0, 30.0, 25.0));
        let c = rect(&mut doc, "C", Rect::new(70.0, 2.0, 80.0, 12.0));
        doc.edit("Align", align(doc.map(), &[a, b, c], Align::Top, AlignTo::Selection)).unwrap();
        assert!([a, b, c].iter().all(|k| doc.map().bbox_in_doc(*k).unwrap().y0.abs() < 1e-9));
        doc.edit("Distribute", distribute(doc.map(), &[c, a, b], true)).unwrap();
        let x0 = |k| doc.map().bbox_in_doc(k).unwrap().x0;
        assert!((x0(b) - 35.0).abs() < 1e-9, "equal gaps of 25: {}", x0(b));
        doc.edit("Align", align(doc.map(), &[a], Align::Right, AlignTo::Artboard)).unwrap();
        assert!((doc.map().bbox_in_doc(a).unwrap().x1 - 100.0).abs() < 1e-9);
        let before = doc.map().bbox_in_doc(c).unwrap();
        doc.edit("Align", align(doc.map(), &[c, b], Align::Left, AlignTo::First)).unwrap();
        assert_eq!(doc.map().bbox_in_doc(c).unwrap(), before, "the first selected stays");
        assert!((doc.map().bbox_in_doc(b).unwrap().x0 - before.x0).abs() < 1e-9);
    }
}

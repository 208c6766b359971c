//! Editing operations on the selection: delete, hide, lock, arrange (forward, backward,
//! front, back), group and ungroup, move and transform, and copies with fresh ids. Most are
//! lists of reversible changes; those that add nodes run their own step on the document.

use kurbo::Affine;

use super::document::Document;
use super::error::EditorError;
use crate::edit::Change;
use crate::model::{Map, Node, NodeKey, NodeKind};

/// Removes the selected nodes (children of a removed group go with it).
pub fn delete(map: &Map, selection: &[NodeKey]) -> Vec<Change> {
    top_level(map, selection).into_iter().map(Change::Remove).collect()
}

/// Hides the selection, or shows it when all of it is hidden.
pub fn toggle_hidden(map: &Map, selection: &[NodeKey]) -> Vec<Change> {
    let all = selection.iter().all(|k| map.get(*k).is_some_and(|n| n.hidden));
    selection.iter().map(|k| Change::Hidden(*k, !all)).collect()
}

/// Locks the selection, or unlocks it when all of it is locked.
pub fn toggle_locked(map: &Map, selection: &[NodeKey]) -> Vec<Change> {
    let all = selection.iter().all(|k| map.get(*k).is_some_and(|n| n.locked));
    selection.iter().map(|k| Change::Locked(*k, !all)).collect()
}

/// Shows every hidden element of the map.
pub fn show_all(map: &Map) -> Vec<Change> {
    map.iter().filter(|(_, n)| n.hidden).map(|(k, _)| Change::Hidden(k, false)).collect()
}

/// Unlocks every locked element of the map.
pub fn unlock_all(map: &Map) -> Vec<Change> {
    map.iter().filter(|(_, n)| n.locked).map(|(k, _)| Change::Locked(k, false)).collect()
}

/// True when the node or a group above it is locked (it cannot be moved on the canvas).
pub fn locked(map: &Map, key: NodeKey) -> bool {
    map.get(key).is_some_and(|n| n.locked) || map.ancestors(key).any(|a| map.node(a).locked)
}

/// Applies a document-space transform to the unlocked nodes of the selection.
pub fn transform(map: &Map, selection: &[NodeKey], t: Affine) -> Vec<Change> {
    selection
        .iter()
        .filter(|k| !locked(map, **k))
        .filter_map(|k| {
            let node = map.get(*k)?;
            // The transform is in document space: express it in the parent's space.
            let parent = node.parent().map_or(Affine::IDENTITY, |p| map.doc_from_node(p));
            let local = parent.inverse() * t * parent;
            Some(Change::Transform(*k, local * node.transform()))
        })
        .collect()
}

/// The artboard fitted to what the map shows (every element not hidden), or `None` when it
/// already fits or there is nothing to fit.
pub fn fit_artboard(map: &Map) -> Option<Change> {
    let content = map
        .roots()
        .iter()
        .filter(|k| !map.node(**k).hidden)
        .filter_map(|k| map.bbox_in_doc(*k))
        .reduce(|a, b| a.union(b))
        .filter(|r| r.width() > 0.0 && r.height() > 0.0)?;
    let fitted = crate::model::ViewBox {
        x: content.x0,
        y: content.y0,
        width: content.width(),
        height: content.height(),
    };
    (fitted != map.view_box).then_some(Change::ViewBox(fitted))
}

/// Where to move a node among its siblings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrange {
    /// One step up in paint order.
    Forward,
    /// One step down.
    Backward,
    /// On top of its siblings.
    Front,
    /// Below its siblings.
    Back,
}

/// Moves the selected nodes within their parents. Forward and backward move each past one
/// unselected neighbour, so selected neighbours move together and keep their order; front
/// and back keep the selection's order too.
pub fn arrange(map: &Map, selection: &[NodeKey], how: Arrange) -> Vec<Change> {
    let mut parents: Vec<Option<NodeKey>> = Vec::new();
    for key in selection {
        if let Some((parent, _)) = map.position(*key)
            && !parents.contains(&parent)
        {
            parents.push(parent);
        }
    }
    let mut changes = Vec::new();
    for parent in parents {
        let mut order = map.children(parent).to_vec();
        let picked = |k: &NodeKey| selection.contains(k);
        match how {
            Arrange::Forward => {
                for i in (0..order.len().saturating_sub(1)).rev() {
                    if picked(&order[i]) && !picked(&order[i + 1]) {
                        order.swap(i, i + 1);
                    }
                }
            }
            Arrange::Backward => {
                for i in 1..order.len() {
                    if picked(&order[i]) && !picked(&order[i - 1]) {
                        order.swap(i, i - 1);
                    }
                }
            }
            Arrange::Front => order.sort_by_key(picked),
            Arrange::Back => order.sort_by_key(|k| !picked(k)),
        }
        // Moves that take the children from their order now to the new one, first to last.
        let mut now = map.children(parent).to_vec();
        for (index, key) in order.into_iter().enumerate() {
            if now[index] != key {
                now.retain(|k| *k != key);
                now.insert(index, key);
                changes.push(Change::Move(key, parent, index));
            }
        }
    }
    changes
}

/// Groups the selected nodes that share the first one's parent into a new group placed where
/// the topmost of them was, as one step; returns the group.
pub fn group(doc: &mut Document, selection: &[NodeKey]) -> Result<Option<NodeKey>, EditorError> {
    let map = doc.map();
    let Some((parent, _)) = selection.first().and_then(|k| map.position(*k)) else { return Ok(None) };
    let mut members: Vec<(usize, NodeKey)> = selection
        .iter()
        .filter_map(|k| map.position(*k).filter(|(p, _)| *p == parent).map(|(_, i)| (i, *k)))
        .collect();
    members.sort();
    let Some(&(top_index, _)) = members.last() else { return Ok(None) };
    doc.begin("Group");
    let group = Node::new(NodeKind::Group(Vec::new()));
    let key = doc.apply(Change::Add(parent, top_index + 1, Box::new(group)))?.expect("an added node");
    for (i, (_, k)) in members.iter().enumerate() {
        doc.apply(Change::Move(*k, Some(key), i))?;
    }
    doc.commit();
    Ok(Some(key))
}

/// Moves the selected groups' children up to the groups' places (keeping where they are drawn)
/// and removes the groups.
pub fn ungroup(map: &Map, selection: &[NodeKey]) -> Vec<Change> {
    let mut changes = Vec::new();
    for &key in selection {
        let Some(node) = map.get(key) else { continue };
        let NodeKind::Group(children) = &node.kind else { continue };
        let Some((parent, index)) = map.position(key) else { continue };
        for (i, &child) in children.iter().enumerate() {
            let moved = node.transform() * map.node(child).transform();
            changes.push(Change::Move(child, parent, index + i));
            changes.push(Change::Transform(child, moved));
        }
        changes.push(Change::Remove(key));
    }
    changes
}

/// What is selected after an ungroup: each group's members in its place, the rest as it was.
pub fn ungrouped_selection(map: &Map, selection: &[NodeKey]) -> Vec<NodeKey> {
    selection
        .iter()
        .flat_map(|&key| match map.get(key).map(|n| &n.kind) {
            Some(NodeKind::Group(children)) => children.clone(),
            _ => vec![key],
        })
        .collect()
}

/// Copies of the selected shapes and decorations (groups are copied with their shapes
/// flattened into document space), for the clipboard and Duplicate.
pub fn copy(map: &Map, selection: &[NodeKey]) -> Vec<Node> {
    leaves(map, selection)
        .into_iter()
        .map(|key| {
            let mut copy = map.node(key).clone();
            copy.set_transform(map.doc_from_node(key));
            copy
        })
        .collect()
}

/// The shapes and decorations of the selection, groups opened, in document order.
fn leaves(map: &Map, selection: &[NodeKey]) -> Vec<NodeKey> {
    fn collect(map: &Map, key: NodeKey, out: &mut Vec<NodeKey>) {
        match &map.node(key).kind {
            NodeKind::Group(children) => children.iter().for_each(|c| collect(map, *c, out)),
            _ => out.push(key),
        }
    }
    let mut out = Vec::new();
    for key in top_level(map, selection) {
        collect(map, key, &mut out);
    }
    out
}

/// Copies of the selection's shapes `offset` away (in document units), each just above its
/// original in the same group, as one step; ids are made unique as for a paste. Returns the
/// new keys.
pub fn duplicate(
    doc: &mut Document,
    selection: &[NodeKey],
    offset: kurbo::Vec2,
) -> Result<Vec<NodeKey>, EditorError> {
    let sources = leaves(doc.map(), selection);
    let mut ids = doc.unique_ids();
    doc.begin("Duplicate");
    let mut keys = Vec::new();
    for source in sources {
        let map = doc.map();
        let Some((parent, index)) = map.position(source) else { continue };
        let parent_space = parent.map_or(Affine::IDENTITY, |p| map.doc_from_node(p));
        let mut node = renamed(&mut ids, map.node(source).clone());
        node.set_transform(
            parent_space.inverse() * Affine::translate(offset) * parent_space * node.transform(),
        );
        keys.extend(doc.apply(Change::Add(parent, index + 1, Box::new(node)))?);
    }
    doc.commit();
    Ok(keys)
}

/// A copy of `node` whose id is made unique; a title that was its name follows the new name.
fn renamed(ids: &mut crate::ids::UniqueIds, mut node: Node) -> Node {
    if let Some(old) = node.id.take() {
        let new = ids.claim(&old.to_area_id());
        if new.as_str() != old.as_str() && node.title.as_deref() == Some(old.to_name().as_str()) {
            node.title = Some(new.to_name().into());
        }
        node.id = Some(new.into());
    }
    node
}

/// Inserts copies of `nodes` at the top level, shifted by `offset`, as one step named `name`;
/// each keeps its id when the map does not have it yet and otherwise gets a fresh, valid,
/// unique one. Returns the new keys.
pub fn paste(
    doc: &mut Document,
    name: &str,
    nodes: &[Node],
    offset: kurbo::Vec2,
) -> Result<Vec<NodeKey>, EditorError> {
    let mut ids = doc.unique_ids();
    doc.begin(name);
    let mut keys = Vec::new();
    for n in nodes {
        let mut node = renamed(&mut ids, n.clone());
        node.set_transform(kurbo::Affine::translate(offset) * node.transform());
        keys.extend(doc.apply(Change::Add(None, usize::MAX, Box::new(node)))?);
    }
    doc.commit();
    Ok(keys)
}

/// A text label (decoration, never bound) at `at`, `font_size` units high.
pub fn text_label(at: kurbo::Point, text: &str, font_size: f64) -> Node {
    let element = crate::model::XmlElement::new(
        "text",
        vec![
            ("x".into(), format!("{}", at.x)),
            ("y".into(), format!("{}", at.y)),
            ("font-family".into(), "sans-serif".into()),
            ("font-size".into(), format!("{font_size}")),
            ("fill".into(), "#333333".into()),
        ],
        vec![crate::model::XmlNode::Text(text.to_string())],
    );
    Node::new(NodeKind::Decor(element))
}

/// The selected nodes that have no selected ancestor.
fn top_level(map: &Map, selection: &[NodeKey]) -> Vec<NodeKey> {
    selection.iter().copied().filter(|k| !map.ancestors(*k).any(|a| selection.contains(&a))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Geometry;
    use kurbo::Rect;

    fn doc_with(n: usize) -> (Document, Vec<NodeKey>) {
        let mut doc = Document::blank(100.0, 100.0);
        let mut keys = Vec::new();
        for i in 0..n {
            let r = Rect::new(i as f64 * 10.0, 0.0, i as f64 * 10.0 + 5.0, 5.0);
            let mut node = Node::new(NodeKind::Shape(Geometry::Rect { rect: r, rx: None, ry: None }));
            node.id = Some(doc.fresh_id("Room").into());
            keys.push(doc.add("Draw rectangle", None, node).unwrap());
        }
        (doc, keys)
    }

    #[test]
    fn group_then_ungroup_restores_order_and_undo_restores_all() {
        let (mut doc, keys) = doc_with(3);
        let g = group(&mut doc, &keys[..2]).unwrap().unwrap();
        assert_eq!(doc.undo_name(), Some("Group"));
        assert_eq!(doc.map().roots(), &[g, keys[2]]);
        assert_eq!(doc.map().children(Some(g)), &keys[..2]);
        doc.edit("Ungroup", ungroup(doc.map(), &[g])).unwrap();
        assert_eq!(doc.map().roots().len(), 3);
        doc.undo();
        doc.undo();
        assert_eq!(doc.map().roots(), keys.as_slice());
    }

    #[test]
    fn a_duplicate_stays_in_its_group_beside_its_original_and_its_title_follows_its_name() {
        let (mut doc, keys) = doc_with(2);
        for k in &keys {
            let name = doc.map().node(*k).id.as_ref().unwrap().to_name();
            doc.edit("Title", vec![Change::Title(*k, Some(name))]).unwrap();
        }
        doc.edit("Title", vec![Change::Title(keys[1], Some("Kept".into()))]).unwrap();
        let g = group(&mut doc, &keys).unwrap().unwrap();
        doc.edit("Move group", vec![Change::Transform(g, Affine::translate((100.0, 0.0)))]).unwrap();
        let copies = duplicate(&mut doc, &keys, kurbo::Vec2::new(10.0, 10.0)).unwrap();
        assert_eq!(doc.undo_name(), Some("Duplicate"));
        assert_eq!(doc.map().children(Some(g)), &[keys[0], copies[0], keys[1], copies[1]]);
        let copy = doc.map().node(copies[0]);
        assert_eq!(copy.id.as_ref().unwrap().as_str(), "Room_3");
        assert_eq!(copy.title.as_deref(), Some("Room_3"), "the title was the name: it follows");
        assert_eq!(doc.map().node(copies[1]).title.as_deref(), Some("Kept"), "an own title is kept");
        let (a, b) = (doc.map().bbox_in_doc(keys[0]).unwrap(), doc.map().bbox_in_doc(copies[0]).unwrap());
        assert_eq!((b.x0 - a.x0, b.y0 - a.y0), (10.0, 10.0), "offset in document units inside a moved group");
    }

    #[test]
    fn the_artboard_fits_what_the_map_shows() {
        let (mut doc, keys) = doc_with(3);
        let fit = fit_artboard(doc.map()).unwrap();
        doc.edit("Fit artboard", vec![fit]).unwrap();
        assert_eq!(doc.map().view_box.rect(), Rect::new(0.0, 0.0, 25.0, 5.0));
        assert!(fit_artboard(doc.map()).is_none(), "it fits already");
        doc.edit("Hide", toggle_hidden(doc.map(), &[keys[2]])).unwrap();
        let fit = fit_artboard(doc.map()).unwrap();
        doc.edit("Fit artboard", vec![fit]).unwrap();
        assert_eq!(doc.map().view_box.rect(), Rect::new(0.0, 0.0, 15.0, 5.0), "hidden elements do not count");
        doc.undo();
        assert_eq!(doc.map().view_box.rect(), Rect::new(0.0, 0.0, 25.0, 5.0));
    }

    #[test]
    fn neighbours_arranged_together_keep_their_order() {
        let (mut doc, keys) = doc_with(4);
        doc.edit("Forward", arrange(doc.map(), &keys[..2], Arrange::Forward)).unwrap();
        assert_eq!(doc.map().roots(), &[keys[2], keys[0], keys[1], keys[3]]);
        doc.edit("Backward", arrange(doc.map(), &keys[..2], Arrange::Backward)).unwrap();
        assert_eq!(doc.map().roots(), keys.as_slice());
        doc.edit("Front", arrange(doc.map(), &[keys[2], keys[0]], Arrange::Front)).unwrap();
        assert_eq!(doc.map().roots(), &[keys[1], keys[3], keys[0], keys[2]]);
        doc.edit("Back", arrange(doc.map(), &[keys[2], keys[0]], Arrange::Back)).unwrap();
        assert_eq!(doc.map().roots(), &[keys[0], keys[2], keys[1], keys[3]]);
        assert!(arrange(doc.map(), &[keys[0]], Arrange::Back).is_empty(), "already at the back");
    }

    #[test]
    fn arrange_delete_hide_lock_and_paste_with_fresh_ids() {
        let (mut doc, keys) = doc_with(3);
        doc.edit("Bring to front", arrange(doc.map(), &[keys[0]], Arrange::Front)).unwrap();
        assert_eq!(doc.map().roots(), &[keys[1], keys[2], keys[0]]);
        doc.edit("Hide", toggle_hidden(doc.map(), &[keys[1]])).unwrap();
        assert!(doc.map().node(keys[1]).hidden);
        doc.edit("Lock", toggle_locked(doc.map(), &[keys[1]])).unwrap();
        assert!(doc.map().node(keys[1]).locked);
        assert_eq!(show_all(doc.map()), [Change::Hidden(keys[1], false)]);
        assert_eq!(unlock_all(doc.map()), [Change::Locked(keys[1], false)]);
        let copied = copy(doc.map(), &[keys[2], keys[2]]);
        let new = paste(&mut doc, "Paste", &copied, kurbo::Vec2::new(10.0, 10.0)).unwrap();
        assert_eq!(doc.undo_name(), Some("Paste"));
        assert_eq!(doc.map().node(new[0]).id.as_ref().unwrap().as_str(), "Room_4");
        doc.edit("Delete", delete(doc.map(), &[keys[0]])).unwrap();
        assert!(doc.map().get(keys[0]).is_none());
    }
}
